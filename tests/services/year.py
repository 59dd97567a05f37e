"""A hand-built year, 2025, that exercises every section of the review (docs/review.md § Worked example).

Times are Paris local time. Today is Monday 15 June 2026 (the ``frozen`` fixtures).

| person | what happens | in 2025 |
|---|---|---|
| Camille Martin (own cadence 30 days) | friendship logged 1 Mar 2024; out 20 Nov 2024 (email), in 28 Dec 2024 (text), out 1 Jan 2025 00:30 (text), out 10 Feb (email), in 12 Feb (email), met 5 Sep (meeting, both), out 31 Dec 23:30 (text), in 1 Jan 2026 00:30 (text) | stayed in touch |
| Noah Bennett (no cadence) | out 1 Mar (text), 20 Mar (text), 2 May (newsletter: Issue 7 sent to him) | you carried; new |
| Inès Laurent (no cadence) | in 20 Oct (text) | they carried; new; noticed your ten years |
| Oliver Grant (no cadence) | in 1 Jun 2024, out 3 Jun 2024 (email); in 15 May 2025 (email, a reply to Issue 7); a client on 20 May 2025 | they carried |
| Hugo Moreau (circle Agency, 90 days) | in 15 Nov 2024, out 1 Dec 2024 (email); nothing since | went quiet |
| Léa Dubois (own cadence 60 days) | out 1 Jun 2023 (email); in 10 Apr 2025, out 11 Apr (email) | came back |
| Maya Patel | met on 1 Jul 2025; never in touch | new |
| Zoé Lefèvre (archived) | in 1 Jun 2025, a meetup on 2 Jun 2025 | left out of everything |

Also: the pledge "Lumen" on 1 Mar 2025 (cadence 90) naming Camille, Noah and Hugo, and a later
one (1 Feb 2026) that the 2025 review leaves out; your milestones "Birthday" (yearly, 5 March
1980) and "Ten years of the studio" (1 Oct 2025); your content "Issue 7" (1 May 2025) and
"Issue 1" (2024).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from restons.models import Person
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person, edit_person
from restons.services.planning import add_circle, add_content, add_milestone, add_outcome, leave

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    """``"2025-02-10"`` (noon) or ``"2025-01-01 00:30"``, in Paris."""
    value = datetime.fromisoformat(text)
    if len(text) == 10:
        value = value.replace(hour=12)
    return value.replace(tzinfo=PARIS)


def build_year(owner) -> dict[str, Person]:
    """The people above, for ``owner``, by name (first name)."""
    add_circle(owner, "Agency", 90)

    def person(name, **fields):
        return add_person(owner, PersonInput(name=name, **fields))

    people = {
        "camille": person("Camille Martin", cadence_days=30),
        "noah": person("Noah Bennett"),
        "ines": person("Inès Laurent"),
        "oliver": person("Oliver Grant"),
        "hugo": person("Hugo Moreau", circles=["Agency"]),
        "lea": person("Léa Dubois", cadence_days=60),
        "maya": person("Maya Patel", met_on=date(2025, 7, 1)),
        "zoe": person("Zoé Lefèvre"),
    }
    issue_1 = add_content(owner, "Issue 1", date(2024, 5, 1), "newsletter", ["news"])
    issue_7 = add_content(owner, "Issue 7", date(2025, 5, 1), "newsletter", ["news"])

    def ping(who, when, direction="out", channel="email", **extra):
        log_ping(owner, people[who], direction=direction, channel=channel, at=at(when), **extra)

    ping("camille", "2024-11-20")
    ping("camille", "2024-12-28", "in", "text")
    ping("camille", "2025-01-01 00:30", "out", "text")
    ping("camille", "2025-02-10")
    ping("camille", "2025-02-12", "in")
    ping("camille", "2025-09-05", "both", "meeting")
    ping("camille", "2025-12-31 23:30", "out", "text")
    ping("camille", "2026-01-01 00:30", "in", "text")
    ping("noah", "2025-03-01", "out", "text")
    ping("noah", "2025-03-20", "out", "text")
    ping("noah", "2025-05-02", "out", "newsletter", content=issue_7)
    ping("oliver", "2024-06-01", "in")
    ping("oliver", "2024-06-03", "out", content=issue_1)
    ping("oliver", "2025-05-15", "in", content=issue_7)
    ping("hugo", "2024-11-15", "in")
    ping("hugo", "2024-12-01", "out")
    ping("lea", "2023-06-01", "out")
    ping("lea", "2025-04-10", "in")
    ping("lea", "2025-04-11", "out")
    ping("zoe", "2025-06-01", "in", "call")
    add_outcome(owner, people["camille"], "friendship", date(2024, 3, 1))
    add_outcome(owner, people["oliver"], "client", date(2025, 5, 20), "Brought the Acme account")
    add_outcome(owner, people["zoe"], "meetup", date(2025, 6, 2))
    add_milestone(owner, "Birthday", date(1980, 3, 5), None, True)
    studio = add_milestone(owner, "Ten years of the studio", date(2025, 10, 1), None, False)
    ping("ines", "2025-10-20", "in", "text", about=studio)  # her message was about your ten years: she noticed
    leave(owner, "Lumen", date(2025, 3, 1), [people["camille"], people["noah"], people["hugo"]], 90)
    leave(owner, "Northwind", date(2026, 2, 1), [people["ines"]], 90)
    edit_person(owner, people["zoe"], PersonInput(archived=True))
    return people
