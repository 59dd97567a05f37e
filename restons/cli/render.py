"""Readable tables for a terminal (Rich); the JSON form is printed as it is."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import formats, labels
from restons.cli.app import console

__all__ = ["import_summary", "interactions", "suggestions", "today", "person", "people", "stats", "pace",
           "proposal_text", "circles", "events", "content", "milestones", "outcomes"]

ARROWS = {"out": "→", "in": "←", "both": "↔"}


def _table(*columns, title: str | None = None, numbers: tuple[int, ...] = ()):
    """A Rich table of ``columns``; those at the indexes ``numbers`` are counts, right-aligned."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if i in numbers else "left")
    return table


def _rows(out, headers, rows: list[tuple[str, ...]], numbers: tuple[int, ...] = ()) -> None:
    """A table: Rich's on a terminal; plain lines aligned in columns when the output is a pipe or a file.

    Rich measures every cell to lay out a table, which costs seconds on 20,000 rows nobody reads on a
    screen; a pipe (``| grep``, ``> file``) gets the same columns, padded with ``str.ljust`` (counts,
    the columns at the indexes ``numbers``, with ``str.rjust``).
    """
    if out.is_terminal:
        from rich.markup import escape  # names and titles are text: "[draft] Issue 3" keeps its brackets

        table = _table(*headers, numbers=numbers)
        for row in rows:
            table.add_row(*map(escape, row))
        out.print(table)
        return
    import sys

    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    last = len(headers) - 1

    def pad(i: int, cell: str) -> str:
        return cell.rjust(widths[i]) if i in numbers else cell if i == last else cell.ljust(widths[i])

    lines = ["  ".join(pad(i, cell) for i, cell in enumerate(line)).rstrip() for line in [tuple(headers), *rows]]
    sys.stdout.write("\n".join(lines) + "\n")


def today(entries: list[dict], catch_up: dict | None = None, pace: dict | None = None) -> None:
    """Plain lines (no Rich): Today is the command people run every morning, so it starts fast.

    While catching up after days away, a line says so first; when your cadences stay above your
    pace, a line at the end points to ``restons pace``.
    """
    import click

    if catch_up:
        click.echo(click.style(labels.catch_up_text(catch_up), bold=True))
        click.echo()
    if pace and pace["strained"]:
        footer = labels.pace_line(pace["load"], pace["per_day"]) + " " + _("See 'restons pace'.")
    else:
        footer = None
    if not entries:
        click.echo(_("Nobody to ping today. Enjoy your day!"))
        if footer:
            click.echo(footer)
        return
    for number, entry in enumerate(entries, 1):
        click.echo(click.style(f"{number}. {entry['person']['name']}", bold=True) + click.style(f"  #{entry['person']['id']}", dim=True))
        for reason in entry["reasons"]:
            click.echo("   • " + labels.field(click.style(str(labels.REASON[reason["kind"]]), fg="cyan"), reason["text"]))
        if entry.get("suggested_cadence_days"):
            click.echo("   " + _("No answer to your last three pings: try every %(days)s days instead.")
                       % {"days": entry["suggested_cadence_days"]})
        click.echo("   " + click.style(entry["draft"], italic=True))
        click.echo()
    if footer:
        click.echo(click.style(footer, dim=True))


def people(rows: list[dict]) -> None:
    out = console()
    if not rows:
        out.print(_("Nobody here yet. Add someone with 'restons person add NAME'."))
        return
    status = {key: str(value) for key, value in labels.STATUS.items()}
    reciprocity = {key: str(value) for key, value in labels.RECIPROCITY.items()}
    _rows(out, ("#", _("Name"), _("Status"), _("Reciprocity"), _("Strength"), _("Last touch"), _("Next due"),
                _("Circles")), [
        (str(row["id"]), row["name"], status[row["status"]], reciprocity[row["reciprocity"]],
         str(row["strength"]), formats.short_day(row["last_touch"]), formats.short_day(row["next_due"]),
         ", ".join(row["circles"]))
        for row in rows
    ])


def person(detail: dict, day) -> None:
    """``person show`` on ``day``: a due date that has passed reads "Due since", as on the page."""
    from rich.markup import escape  # names and notes are text, not Rich markup

    out = console()
    out.print(f"[bold]{escape(detail['name'])}[/bold]  [dim]#{detail['id']}[/dim]")
    every = detail["cadence_days"]
    facts = [
        (_("Status"), str(labels.STATUS[detail["status"]])),
        (_("Reciprocity"), str(labels.RECIPROCITY[detail["reciprocity"]])),
        (_("Strength"), f"{detail['strength']}/100"),
        (_("Cadence"), labels.cadence_label(every) or _("not tracked")),
        (_("Last touch"), formats.moment(detail["last_touch"]) or _("never")),
        (_("Due since") if detail["next_due"] and detail["next_due"] < day.isoformat() else _("Next due"),
         formats.day(detail["next_due"]) or "—"),
        (_("In the last year"), _("%(in)s in, %(out)s out") % {"in": detail["interactions_in"],
                                                                "out": detail["interactions_out"]}),
    ]
    met = detail["met"]
    if met["how"] or met["on"] or met["connected_on"]:
        facts.append((_("How we met"), " — ".join(x for x in (met["how"], formats.day(met["on"]), met["where"]) if x)
                      or _("connected on %(date)s") % {"date": formats.day(met["connected_on"])}))
    if detail["identities"]:
        facts.append((_("Identities"), ", ".join(i["value"] for i in detail["identities"])))
    if detail["organisations"]:
        facts.append((_("Organisations"), ", ".join(o["name"] for o in detail["organisations"])))
    if detail["interests"]:
        facts.append((_("Interests"), ", ".join(detail["interests"])))
    if detail["circles"]:
        facts.append((_("Circles"), ", ".join(detail["circles"])))
    if detail["pledges"]:
        facts.append((_("Pledges"), "; ".join(labels.leaving(p["org"], formats.day(p["on"])) for p in detail["pledges"])))
    if detail["outcomes"]:
        facts.append((_("Outcomes"), ", ".join(f"{labels.outcome(o['kind'])} ({formats.day(o['at'])})"
                                               for o in detail["outcomes"])))
    if detail["milestones"]:
        facts.append((_("Milestones"), ", ".join(f"{m['title']} ({formats.day(m['on'])})"
                                                 for m in detail["milestones"])))
    if detail["snoozed_until"]:
        facts.append((_("Snoozed until"), formats.day(detail["snoozed_until"])))
    if detail["suggested_cadence_days"]:
        facts.append((_("Ghosting guard"), _("no answer to your last three pings: try every %(days)s days")
                      % {"days": detail["suggested_cadence_days"]}))
    for label, value in facts + ([(_("Notes"), detail["notes"])] if detail["notes"] else []):
        out.print("  " + labels.field(f"[dim]{escape(label)}[/dim]", escape(str(value))))
    if detail["timeline"]:
        table = _table(_("When"), "", _("Channel"), _("Summary"), title=_("Timeline"))
        for item in detail["timeline"][:20]:
            table.add_row(formats.moment(item["at"]), ARROWS[item["direction"]], labels.channel(item["channel"]),
                          item["summary"])
        out.print(table)


def interactions(rows: list[dict]) -> None:
    out = console()
    if not rows:
        out.print(_("No interactions match."))
        return
    _rows(out, ("ID", _("When"), _("Person"), "", _("Channel"), _("Summary"), _("Source")), [
        (str(row["id"]), row["at"][:16].replace("T", " "), f"{row['person']['name']} (#{row['person']['id']})",
         ARROWS[row["direction"]], row["channel"], row["summary"], row["source"])
        for row in rows
    ])


def _listing(rows: list[dict], empty: str, headers: tuple[str, ...], cells, numbers: tuple[int, ...] = ()) -> None:
    """A ``list`` command's rows as a table (``cells(row)`` gives one line's texts), or ``empty`` for none."""
    out = console()
    if not rows:
        out.print(empty, markup=False)
        return
    _rows(out, headers, [cells(row) for row in rows], numbers)


def circles(rows: list[dict]) -> None:
    """``restons circle list``: name, cadence ("no cadence": its people are untracked), people."""
    _listing(rows, _("No circle yet: add one with 'restons circle add NAME --every 3m'."),
             (_("Name"), _("Cadence"), _("People")),
             lambda row: (row["name"], labels.cadence_label(row["cadence_days"]) or _("no cadence"),
                          labels.count(row["people"])),
             numbers=(2,))


def events(rows: list[dict], past: bool) -> None:
    """``restons event list``: the id as ``event remove`` takes it (``event:#12``), date, title, lead, topics."""
    _listing(rows, _("No event yet: add one with 'restons event add TITLE --on DATE --topic TOPIC'.") if past else
             _("No upcoming event ('--all' lists past ones too)."),
             ("ID", _("Date"), _("Title"), _("Pings suggested"), _("Topics")),
             lambda row: (f"event:#{row['id']}", formats.day(row["on"]), row["title"],
                          ngettext("%(n)s day before", "%(n)s days before", row["lead_days"]) % {"n": row["lead_days"]},
                          ", ".join(row["topics"])))


def content(rows: list[dict]) -> None:
    """``restons content list``: the latest first, with kind and topics."""
    _listing(rows, _("Nothing published yet: add it with 'restons content add TITLE --on DATE'."),
             ("ID", _("Date"), _("Kind"), _("Title"), _("Topics")),
             lambda row: (f"content:#{row['id']}", formats.day(row["on"]), labels.content_kind(row["kind"]),
                          row["title"], ", ".join(row["topics"])))


def milestones(rows: list[dict]) -> None:
    """``restons milestone list``: date, title, whose ("yours" or the person), and "every year" when yearly."""
    _listing(rows, _("No milestone to list: add one with 'restons milestone add TITLE --on DATE --mine'."),
             ("ID", _("Date"), _("Title"), _("Whose"), ""),
             lambda row: (f"milestone:#{row['id']}", formats.day(row["on"]), row["title"],
                          row["person"]["name"] if row["person"] else _("yours"),
                          labels.cadence_label(365) if row["yearly"] else ""))  # "every year", as cadences say it


def outcomes(rows: list[dict]) -> None:
    """``restons outcome list``: the latest first, with the id ``outcome remove`` takes; a note on one line."""
    _listing(rows, _("No outcome yet: log one with 'restons outcome add PERSON --kind KIND'."),
             ("ID", _("Date"), _("Outcome"), _("Person"), _("Note")),
             lambda row: (str(row["id"]), formats.day(row["at"]), labels.outcome(row["kind"]), row["person"]["name"],
                          " ".join(row["note"].split())))


def stats(data: dict) -> None:
    out = console()
    out.print(ngettext("[bold]%(people)s person[/bold] on %(date)s", "[bold]%(people)s people[/bold] on %(date)s",
                       data["people"]) % {"people": labels.count(data["people"]), "date": formats.day(data["date"])})
    status = _table(_("Status"), _("People"), numbers=(1,))
    for key, count in data["status"].items():
        status.add_row(str(labels.STATUS[key]), labels.count(count))
    reciprocity = _table(_("Reciprocity"), _("People"), numbers=(1,))
    for key, count in data["reciprocity"].items():
        reciprocity.add_row(str(labels.RECIPROCITY[key]), labels.count(count))
    out.print(status, reciprocity)
    if data["pledges"]:
        pledges = _table(_("Pledge"), _("Since"), _("People"), _("Adherence"), title=_("Pledges"), numbers=(2, 3))
        for pledge in data["pledges"]:
            kept = labels.pledge_progress(pledge) if pledge["adherence"] is None else f"{pledge['adherence']:.0%}"
            pledges.add_row(pledge["org"], formats.short_day(pledge["on"]), labels.count(pledge["people"]), kept)
        out.print(pledges)
    brought = {kind: n for kind, n in data["outcomes"].items() if n}
    if brought:
        outcomes = _table(_("Outcome"), _("Count"), title=_("What staying in touch brought"), numbers=(1,))
        for kind, n in brought.items():
            outcomes.add_row(labels.outcome(kind), labels.count(n))
        out.print(outcomes)
    for item in data["noticed"]:
        names = _first_names(item["people"], lambda p: p["name"]) or _("nobody yet")
        out.print(_("Who noticed “%(title)s” (%(date)s): %(names)s") % {"title": item["title"],
                                                                         "date": formats.day(item["on"]), "names": names}, markup=False)
        if item["suggested"]:
            wrote = _first_names(item["suggested"], lambda s: f"{s['name']} ({formats.short_day(s['at'][:10])})")
            out.print("  " + _("Wrote to you in the 30 days after, to confirm or dismiss: %(names)s") % {"names": wrote},
                      markup=False)
    if any(len(item["people"]) > NAMES_SHOWN or len(item["suggested"]) > NAMES_SHOWN for item in data["noticed"]):
        out.print(_("'restons noticed list MILESTONE' lists them all."), markup=False)
    if any(item["suggested"] for item in data["noticed"]):
        out.print(_("Confirm with 'restons noticed confirm MILESTONE PERSON', dismiss with "
                    "'restons noticed dismiss MILESTONE PERSON'."), markup=False)


# Names per milestone in ``stats`` (who noticed it, whom to confirm); ``noticed list`` prints them all.
NAMES_SHOWN = 10


def _first_names(items: list[dict], name) -> str:
    """The first NAMES_SHOWN of ``items`` written with ``name``, and how many more."""
    return f"{', '.join(name(item) for item in items[:NAMES_SHOWN])} {labels.more(len(items) - NAMES_SHOWN)}".rstrip()


def noticed(item: dict) -> None:
    """``restons noticed list``: who noticed one milestone, then everyone to confirm or dismiss, one per line."""
    import click

    names = ", ".join(p["name"] for p in item["people"]) or _("nobody yet")
    click.echo(_("Who noticed “%(title)s” (%(date)s): %(names)s") % {"title": item["title"],
                                                                      "date": formats.day(item["on"]), "names": names})
    if not item["suggested"]:
        click.echo(_("Nobody else wrote to you in the 30 days after: nothing to confirm."))
        return
    click.echo(ngettext("%(n)s person wrote to you in the 30 days after, to confirm or dismiss:",
                        "%(n)s people wrote to you in the 30 days after, to confirm or dismiss:",
                        len(item["suggested"])) % {"n": labels.count(len(item["suggested"]))})
    rows = [(f"#{s['id']}", s["name"], formats.short_day(s["at"][:10]), s["summary"] or "") for s in item["suggested"]]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        click.echo(("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]).rstrip())


def error_console():
    from rich.console import Console

    return Console(stderr=True)


def import_summary(summary: dict) -> None:
    out = console()
    out.print(
        _("Created %(created)s, updated %(updated)s, unchanged %(skipped)s people; %(interactions)s new interactions.")
        % summary
    )
    if summary["suggestions"]:
        out.print(_("%(count)s possible duplicates to review: 'restons merge'.") % {"count": summary["suggestions"]})
    if summary.get("strangers"):
        out.print(ngettext(
            "%(count)s stranger only wrote to you: not imported.",
            "%(count)s strangers only wrote to you: not imported.", summary["strangers"]) % {"count": summary["strangers"]})
    if summary.get("ignored"):
        parts = ", ".join(f"{reason} {count}" for reason, count in summary["ignored"].items())
        out.print(_("Not pings: %(counts)s.") % {"counts": parts})
    for learned in summary.get("learned", ()):
        out.print(_("Learned that %(value)s is you.") % {"value": learned["value"]})
    if summary["errors"]:
        table = _table(_("Where"), _("Why"), title=_("Not imported"))
        for error in summary["errors"]:
            table.add_row(error["where"], error["why"])
        out.print(table)


def suggestions(rows: list[dict]) -> None:
    out = console()
    if not rows:
        out.print(_("No duplicates to review."))
        return
    table = _table("ID", _("Person"), _("Possible duplicate"), _("Why"))
    for row in rows:
        a, b = row["people"]
        table.add_row(str(row["id"]), f"{a['name']} (#{a['id']})", f"{b['name']} (#{b['id']})", row["reason"])
    out.print(table)
    out.print(_("Accept with 'restons merge accept ID', reject with 'restons merge reject ID'."))


def users(accounts) -> None:
    """``restons user list``: one row per account, times in the current time zone."""
    from django.utils import timezone

    yes, no = _("yes"), _("no")
    table = _table(_("Email"), _("Admin"), _("Two factors"), _("Last login"), _("Disabled"))
    for account in accounts:
        last = timezone.localtime(account.last_login).strftime("%Y-%m-%d %H:%M") if account.last_login else _("never")
        table.add_row(account.email, yes if account.admin else no, yes if account.two_factor else no, last,
                      yes if account.disabled else no)
    console().print(table)


proposal_text = labels.proposal_text


def pace(report: dict) -> None:
    """``restons pace``: the load against the pace, then the proposals with their ids, then catching up."""
    import click

    pace_now = report["pace"]
    click.echo(labels.pace_line(report["load"], pace_now["per_day"]))
    click.echo("  " + _("Close relationships (every two months or more often) ask for %(load)s a day.")
               % {"load": labels.decimal(report["close_load"])})
    click.echo("  " + ngettext(
        "Your pace: %(pings)s ping over the last %(days)d days, on %(opened)d days of use.",
        "Your pace: %(pings)s pings over the last %(days)d days, on %(opened)d days of use.",
        pace_now["pings"]) % {**pace_now, "pings": labels.count(pace_now["pings"])})
    if not report["enough_use"]:
        click.echo(_("Restons judges your pace after ten weeks of use, with Today opened on at least a week of "
                     "days; until then it proposes nothing."))
    elif not report["strained"] and report["load"] > pace_now["per_day"]:
        click.echo(_("Lately your cadences ask for more than your pace; Restons proposes changes only when that "
                     "lasts two weeks."))
    elif not report["strained"]:
        click.echo(_("Your cadences fit your pace: nothing to change."))
    elif report.get("proposals"):
        click.echo(_("Your cadences have asked for more than your pace for two weeks. Restons aims at %(target)s a "
                     "day, 80%% of your pace (the rest goes to replies and hooks):")
                   % {"target": labels.decimal(report["target"])})
        width = max(len(p["id"]) for p in report["proposals"])
        for proposal in report["proposals"]:
            click.echo(f"  {proposal['id']:<{width}}  {proposal_text(proposal)}")
        click.echo(_("With all of them: %(after)s a day. Accept them all with 'restons pace apply', or some "
                     "with 'restons pace apply ID...'.") % {"after": labels.decimal(report["load_after"])})
        if not report["target_reached"]:
            click.echo(_("Close circles are never proposed: your close relationships alone ask for %(load)s a day.")
                       % {"load": labels.decimal(report["close_load"])})
    else:
        click.echo(_("Your cadences have asked for more than your pace for two weeks, and nothing is left to "
                     "propose: your close relationships alone ask for %(load)s a day.")
                   % {"load": labels.decimal(report["close_load"])})
    if report["catch_up"]:
        click.echo()
        click.echo(labels.catch_up_text(report["catch_up"]))
