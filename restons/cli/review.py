"""``restons review`` (a year, or the last 12 months) and ``restons drift`` (who slipped this month)."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _

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
    out = console()
    for kind, heading in (("overdue", _("Went overdue")), ("dormant", _("Went dormant"))):
        out.print(f"[bold]{heading}[/bold]: {data[kind]['count']}")
        for row in data[kind]["people"]:
            out.print("  " + _("%(name)s (#%(id)s), since %(since)s, strength %(strength)s")
                      % {"name": row["name"], "id": row["id"], "since": row["since"], "strength": row["strength"]})


def _print(data: dict) -> None:
    from rich.table import Table

    from restons import labels
    from restons.web.views.review import title_of

    out = console()
    period = data["period"]
    totals = data["totals"]
    out.print(_("[bold]Review: %(title)s[/bold] (%(start)s to %(end)s)")
              % {"title": title_of(period), "start": period["start"], "end": period["end"]})
    out.print(_("%(people)s people in touch; %(out)s pings from you, %(in)s from them.")
              % {"people": totals["people_in_touch"], "out": totals["out"], "in": totals["in"]})
    move = data["first_move"]
    out.print(_("Who reached out first: you %(you)s, them %(them)s, together %(together)s.") % move)
    for name, heading in labels.REVIEW_SECTIONS.items():
        section = data[name]
        names = ", ".join(p["name"] for p in section["people"][:12])
        more = section["count"] - min(12, len(section["people"]))
        if more > 0:
            names += " " + _("and %(count)s more") % {"count": more}
        out.print(f"[bold]{heading}[/bold] ({section['count']}): {names}")
    months = Table(_("Month"), _("From them"), _("From you"), _("You first"), _("They first"), title=_("Pings per month"),
                   title_justify="left")
    for month in data["months"]:
        months.add_row(month["month"], str(month["in"]), str(month["out"]), str(month["first_move"]["you"]),
                       str(month["first_move"]["them"]))
    out.print(months)
    for pledge in data["pledges"]:
        kept = ", ".join(p["name"] for p in pledge["still_in_touch"]) or _("nobody")
        adherence = pledge.get("adherence")
        share = f"{adherence:.0%}" if adherence is not None else "—"
        out.print(_("Pledge %(org)s (%(on)s): adherence %(share)s; still in touch: %(names)s")
                  % {"org": pledge["org"], "on": pledge["on"], "share": share, "names": kept})
    for item in data["outcomes"]["items"]:
        out.print(_("Brought: %(kind)s on %(at)s, through %(name)s") % {"kind": item["kind"], "at": item["at"],
                                                                         "name": item["person"]["name"]})
    for key, heading, grew in (("grew", _("Grew most"), True), ("faded", _("Faded most"), False)):
        for entry in data[key]:
            out.print(f"[bold]{heading}[/bold]: {entry['name']} {entry['before']} → {entry['after']} — "
                      f"{labels.why_text(entry['why'], grew)}")
