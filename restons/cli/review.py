"""``restons review`` (a year, or the last 12 months) and ``restons drift`` (who slipped this month)."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons.cli.app import as_date, command, console, json_option, print_json


@command(name="review")
@click.option("--year", type=int, metavar="YEAR", help="A calendar year (default: the last 12 months).")
@click.option("--date", "day", metavar="DATE", help="Evaluate as if today were DATE.")
@click.option("--html", "html_path", metavar="PATH", type=click.Path(dir_okay=False, writable=True),
              help="Also write the review as one self-contained web page (no script, nothing from elsewhere).")
@json_option
def review(ctx, year, day, html_path, as_json):
    """Who stayed in touch, drifted or came back, pings per month, pledges and what it all brought."""
    from restons.services.errors import UserError
    from restons.services.review import review as compute

    data = compute(ctx.owner, year, as_date(day))
    if html_path:
        from restons.web.views.review import standalone_html

        try:
            Path(html_path).write_text(standalone_html(data), encoding="utf-8")
        except OSError as exc:
            raise UserError(_("cannot write %(path)s: %(reason)s") % {"path": html_path, "reason": exc.strerror or exc})

    if as_json:
        print_json(data)
    else:
        _print(data)
        if html_path:
            click.echo(_("Written to %(path)s.") % {"path": html_path})


@command(name="drift")
@click.option("--date", "day", metavar="DATE", help="Evaluate as if today were DATE.")
@json_option
def drift(ctx, day, as_json):
    """Who went overdue or dormant in the last 30 days, strongest relationships first."""
    from restons.services.drift import drift as slipping

    data = slipping(ctx.owner, as_date(day))
    if as_json:
        print_json(data)
        return
    from restons import formats, labels

    out = console()
    for kind, heading in (("overdue", _("Went overdue")), ("dormant", _("Went dormant"))):
        out.print(labels.field(f"[bold]{heading}[/bold]", labels.count(data[kind]["count"])))
        for row in data[kind]["people"]:  # all of them: a list command (the page shows the first 50)
            out.print("  " + _("%(name)s (#%(id)s), since %(since)s, strength %(strength)s")
                      % {"name": row["name"], "id": row["id"], "since": formats.day(row["since"]),
                         "strength": row["strength"]}, markup=False)  # (names are text, not Rich markup)


def _print(data: dict) -> None:
    from datetime import date

    from django.utils.formats import date_format
    from django.utils.text import capfirst
    from rich.markup import escape  # names, organisations and notes are text, not Rich markup

    from restons import formats, labels
    from restons.cli.render import _table
    from restons.web.views.review import SHOWN, title_of

    out = console()
    period = data["period"]
    totals = data["totals"]
    count = labels.count
    out.print(_("[bold]Review: %(title)s[/bold] (%(start)s to %(end)s)")
              % {"title": title_of(period), "start": formats.day(period["start"]), "end": formats.day(period["end"])})
    out.print(ngettext("%(people)s person in touch; pings: %(out)s from you, %(in)s from them.",
                       "%(people)s people in touch; pings: %(out)s from you, %(in)s from them.",
                       totals["people_in_touch"])
              % {"people": count(totals["people_in_touch"]), "out": count(totals["out"]), "in": count(totals["in"])})
    out.print(_("Who reached out first: you %(you)s, them %(them)s, together %(together)s.")
              % {who: count(n) for who, n in data["first_move"].items()})
    for name, heading in labels.REVIEW_SECTIONS.items():
        section = data[name]
        names = ", ".join(p["name"] for p in section["people"][:SHOWN])
        more = labels.more(section["count"] - min(SHOWN, len(section["people"])))
        out.print(labels.field(f"[bold]{heading}[/bold] ({count(section['count'])})", escape(f"{names} {more}".strip())))
    months = _table(_("Month"), _("From them"), _("From you"), _("You first"), _("They first"),
                    title=_("Pings per month"), numbers=(1, 2, 3, 4))
    for month in data["months"]:
        months.add_row(date_format(date.fromisoformat(month["month"] + "-01"), "YEAR_MONTH_FORMAT"),
                       count(month["in"]), count(month["out"]), count(month["first_move"]["you"]),
                       count(month["first_move"]["them"]))
    out.print(months)
    for pledge in data["pledges"]:
        kept = ", ".join(p["name"] for p in pledge["still_in_touch"]) or _("nobody")
        adherence = pledge.get("adherence")
        share = f"{adherence:.0%}" if adherence is not None else "—"
        out.print(_("%(pledge)s: adherence %(share)s; still in touch: %(names)s")
                  % {"pledge": labels.leaving(pledge["org"], formats.day(pledge["on"])), "share": share,
                     "names": kept}, markup=False)
    # As the page: the count per kind, then the first SHOWN outcomes and how many more.
    brought = [(labels.outcome(kind), n) for kind, n in data["outcomes"]["counts"].items() if n]
    if brought:
        out.print(labels.field(f"[bold]{_('What staying in touch brought you')}[/bold]",
                               ", ".join(f"{label} × {count(n)}" for label, n in brought)))
        items = data["outcomes"]["items"][:SHOWN]
        for item in items:
            out.print("  " + _("%(kind)s, %(date)s, through %(name)s")
                      % {"kind": capfirst(labels.outcome(item["kind"])), "date": formats.day(item["at"]),
                         "name": item["person"]["name"]}, markup=False)
        more = labels.more(sum(n for _label, n in brought) - len(items))
        if more:
            out.print("  " + more)
    for key, heading, grew in (("grew", _("Grew most"), True), ("faded", _("Faded most"), False)):
        for entry in data[key]:
            change = f"{entry['name']} {entry['before']} → {entry['after']} — {labels.why_text(entry['why'], grew)}"
            out.print(labels.field(f"[bold]{heading}[/bold]", escape(change)))
