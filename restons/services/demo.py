"""A demo network of invented people, so a newcomer sees Restons working at once.

Three years that make a telling review: Léa drifted away (monthly in the first
year, silent in the last), Maya came back after a year of silence, the pledge
made when leaving Lumen Agency was kept and the one made when leaving Orbit
Consulting was not, and outcomes, milestones and newsletter replies are spread
over the years. Everything is relative to today and drawn from a seeded random
generator, so the same seed gives the same network; every text (titles,
circles, topics, how-we-met, notes) is in the active language.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from restons.engine.calendar import anniversary
from restons.identities import name_key
from restons.models import Channel, Interaction, Person, SourceRecord
from restons.services import checkups
from restons.services import people as people_service
from restons.services import planning
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.interactions import refresh_summaries

DEMO_SOURCE = "demo"
YEAR = 365
DIRECTIONS = {"o": "out", "i": "in", "b": "both"}
FRIENDLY = [Channel.TEXT, Channel.CALL, Channel.MEETING, Channel.TEXT]
WORK = [Channel.EMAIL, Channel.LINKEDIN, Channel.MEETING, Channel.VIDEO]


@dataclass
class Sketch:
    """One invented person and the story of their pings: (days ago, "o"ut / "i"n / "b"oth, summary)."""

    name: str
    domain: str
    circle: str = ""
    interests: tuple[str, ...] = ()
    met: str = ""
    org: str = ""
    channels: list = field(default_factory=lambda: WORK)
    pings: list[tuple[int, str, str]] = field(default_factory=list)


def _series(rng: random.Random, recent: int, oldest: int, step: int, directions: str) -> list[tuple[int, str, str]]:
    """Pings from ``recent`` days ago back to about ``oldest``, every ``step`` days give or take a fifth.

    Directions take turns, the most recent ping first, so each story ends the way it says.
    """
    found, day, turn = [], recent, 0
    while day <= oldest:
        found.append((day, directions[turn % len(directions)], ""))
        day += step + rng.randint(-step // 5, step // 5)
        turn += 1
    return found


def _network(rng: random.Random) -> list[Sketch]:
    """The twelve people, in the active language. Pledges, outcomes and milestones refer to them by index."""
    alumni, association, friends = _("Agency alumni"), _("PR association"), pgettext("demo circle", "Friends")
    topic = {  # each spelt out, so that makemessages finds them
        "football": pgettext("demo topic", "football"), "design": pgettext("demo topic", "design"),
        "podcasts": pgettext("demo topic", "podcasts"), "climbing": pgettext("demo topic", "climbing"),
        "cooking": pgettext("demo topic", "cooking"), "public relations": pgettext("demo topic", "public relations"),
        "photography": pgettext("demo topic", "photography"), "consulting": pgettext("demo topic", "consulting"),
        "newsletters": pgettext("demo topic", "newsletters"),
    }
    lumen, orbit = _("Lumen Agency"), _("Orbit Consulting")
    return [
        # 0-2: named in the Lumen pledge, and touched within its cadence ever since: the pledge kept.
        Sketch("Camille Martin", "lumen.example", alumni, (topic["football"], topic["design"]),
               _("Same team at Lumen Agency"), lumen,
               pings=_series(rng, 80, 1080, 72, "oib") + [(995, "o", _("Farewell drinks, let's stay in touch"))]),
        Sketch("Noah Bennett", "lumen.example", alumni, (topic["podcasts"],), _("Lumen Agency, client services"),
               lumen, pings=_series(rng, 45, 1070, 78, "ooi") + [(996, "o", "")]),
        # Chloé reads the newsletter and answers it (the replies are added with the issues below).
        Sketch("Chloé Roux", "lumen.example", alumni, (topic["newsletters"], topic["public relations"]),
               _("Lumen Agency"), lumen,
               pings=_series(rng, 64, 1060, 75, "oib") + [(997, "o", ""), (30, "o", _("Thanked her for her reply"))]),
        # 3: a friend with a birthday in three days.
        Sketch("Inès Laurent", "mail.example", friends, (topic["climbing"], topic["cooking"]),
               _("Neighbours in Lyon"), channels=FRIENDLY, pings=_series(rng, 38, 1090, 28, "bio")),
        # 4: mutual for years, and owed a reply since he wrote five days ago.
        Sketch("Oliver Grant", "pr-assoc.example", association, (topic["public relations"], topic["football"]),
               _("Programme committee"), pings=_series(rng, 40, 1000, 55, "oib") + [
                   (5, "i", _("Asked for help with the association's next campaign"))]),
        # 5: the one who drifted: monthly in the first year, a few pings in the second, nothing since.
        Sketch("Léa Dubois", "studio.example", alumni, (topic["design"], topic["photography"]),
               _("Internship at Lumen"), lumen, pings=_series(rng, 740, 1095, 34, "ibo") + [
                   (690, "o", ""), (600, "i", ""), (480, "o", _("Congratulated her on her exhibition"))]),
        # 6: the one who came back: close in the first year, a year of silence, then she wrote first.
        Sketch("Maya Patel", "mail.example", friends, (topic["climbing"],), _("University"), channels=FRIENDLY,
               pings=_series(rng, 720, 1095, 30, "bio") + [
                   (118, "i", _("Wrote out of the blue: she is back in Lyon")), (116, "o", ""), (90, "b", ""),
                   (60, "i", ""), (58, "o", ""), (31, "b", ""), (12, "i", ""), (11, "o", "")]),
        # 7: friends, due now, and the cup final is on Saturday.
        Sketch("Zoé Lefèvre", "mail.example", friends, (topic["cooking"], topic["football"]), _("Football club"),
               channels=FRIENDLY, pings=_series(rng, 36, 1000, 32, "bio")),
        # 8: you carry it: three pings in a row without an answer (the ghosting guard).
        Sketch("Hugo Moreau", "pr-assoc.example", association, (topic["public relations"],), _("Association dinner"),
               pings=_series(rng, 420, 1000, 90, "bo") + [(300, "o", ""), (200, "o", ""), (95, "o", "")]),
        # 9-10: named in the Orbit pledge, pinged once or twice after it, then forgotten: the pledge not kept.
        Sketch("Ethan Brooks", "orbit.example", "", (topic["consulting"],), _("A conference panel"), orbit,
               pings=_series(rng, 350, 1000, 40, "bbio") + [(332, "o", _("Farewell drinks, let's stay in touch")),
                                                            (330, "i", "")]),
        Sketch("Ava Nguyen", "orbit.example", association, (topic["consulting"], topic["newsletters"]),
               _("Introduced by Oliver"), orbit,
               pings=_series(rng, 350, 900, 45, "bio") + [(335, "o", ""), (333, "i", ""), (230, "o", ""),
                                                          (228, "i", "")]),
        # 11: someone you no longer remember meeting, untracked.
        Sketch("Samuel Fischer", "mail.example", "", (topic["photography"],), "",
               pings=[(1000, "b", ""), (800, "i", ""), (500, "o", "")]),
    ]


def demo_people(owner):
    """The people the demo created (and that are still there)."""
    return owned(Person, owner).filter(source_records__source=DEMO_SOURCE)


def demo_count(owner) -> int:
    """How many of :func:`demo_people` there are, read from the demo's own records (an index on owner and
    source) rather than by joining every person: the People page asks on every visit."""
    return owned(SourceRecord, owner).filter(source=DEMO_SOURCE).values("person_id").distinct().count()


def _moment(rng: random.Random, today: date, days_ago: int) -> datetime:
    clock = time(rng.randint(8, 20), rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), clock))


def remove_demo_people(owner) -> int:
    """Delete the people the demo created, and everything about them; returns how many.

    Exactly the people the demo marked (people added or imported since stay,
    even with the same name). One transaction; UserError when there are none.
    """
    ids = list(demo_people(owner).values_list("id", flat=True))
    if not ids:
        raise UserError(_("There are no demo people to remove."))
    return people_service.delete_people(owner, ids)


def fill_demo(owner, seed: int = 7) -> dict:
    """Create the demo network in one transaction; refuses an instance that already has people."""
    if owned(Person, owner).exists():
        raise UserError(_("The demo only fills an empty instance, and this one already has people."))
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    sketches = _network(rng)
    with transaction.atomic():
        planning.add_circle(owner, _("Agency alumni"), 90)
        planning.add_circle(owner, _("PR association"), 60)
        planning.add_circle(owner, pgettext("demo circle", "Friends"), 30)
        created = []
        for sketch in sketches:
            person = people_service.add_person(owner, people_service.PersonInput(
                name=sketch.name, emails=[f"{name_key(sketch.name.split()[0])}@{sketch.domain}"],
                interests=list(sketch.interests), circles=[sketch.circle] if sketch.circle else [], met=sketch.met,
                orgs=[sketch.org] if sketch.org else [],
            ))
            created.append(person)
        owned(Person, owner).filter(pk__in=[p.pk for p in created]).update(created_at=now - timedelta(days=3 * YEAR))
        # Marked, so that "remove the demo people" finds exactly them, whatever was added since.
        SourceRecord.objects.bulk_create([
            SourceRecord(owner=owner, source=DEMO_SOURCE, key=f"demo:{index}", person=person)
            for index, person in enumerate(created)
        ])

        # The newsletter: three issues; Chloé answered the two older ones.
        topics = [pgettext("demo topic", "newsletters"), pgettext("demo topic", "consulting")]
        issues = [
            planning.add_content(owner, _("Issue %(number)s: %(title)s") % {"number": number, "title": title},
                                 today - timedelta(days=days_ago), "newsletter", topics)
            for number, title, days_ago in ((40, _("what a year of freelancing taught me"), 63),
                                            (41, _("five tools I no longer use"), 33),
                                            (42, _("the ping approach"), 3))
        ]
        interactions = []
        for person, sketch in zip(created, sketches):
            for n, (days_ago, direction, summary) in enumerate(sorted(sketch.pings, reverse=True)):
                interactions.append(Interaction(
                    owner=owner, person=person, at=_moment(rng, today, days_ago), direction=DIRECTIONS[direction],
                    channel=rng.choice(sketch.channels), summary=summary, source=DEMO_SOURCE,
                    source_key=f"demo:{person.id}:{n}",
                ))
        chloe = created[2]
        for issue, days_ago in ((issues[0], 61), (issues[1], 31)):
            interactions.append(Interaction(
                owner=owner, person=chloe, at=_moment(rng, today, days_ago), direction="in", channel=Channel.EMAIL,
                summary=_("Replied to the newsletter"), content=issue, source=DEMO_SOURCE,
                source_key=f"demo:{chloe.id}:issue-{issue.id}",
            ))
        Interaction.objects.bulk_create(interactions)
        refresh_summaries(owner, [p.id for p in created])

        planning.leave(owner, _("Lumen Agency"), today - timedelta(days=1000), created[0:3], 90)
        planning.leave(owner, _("Orbit Consulting"), today - timedelta(days=340), created[9:11], 60)

        planning.add_event(owner, _("Cup final, Lyon vs. Nantes"), today + timedelta(days=4),
                           [pgettext("demo topic", "football")])
        planning.add_event(owner, _("PR association annual meeting"), today + timedelta(days=6),
                           [pgettext("demo topic", "public relations")])
        news = [planning.add_milestone(owner, _("Launched my own studio"), today - timedelta(days=335), None, False),
                planning.add_milestone(owner, _("My first semester teaching"), today - timedelta(days=45), None, False)]
        # Who wrote in the 30 days after your news noticed it: their messages are about it.
        for milestone in news:
            start = timezone.make_aware(datetime.combine(milestone.on, time.min))
            owned(Interaction, owner).filter(
                source=DEMO_SOURCE, direction="in", content__isnull=True, at__gte=start, at__lt=start + timedelta(days=31),
            ).update(milestone=milestone)
        Interaction.objects.create(
            owner=owner, person=chloe, at=_moment(rng, today, 44), direction="in", channel=Channel.TEXT,
            summary=_("Congratulations on the teaching!"), milestone=news[1], source=DEMO_SOURCE,
            source_key=f"demo:{chloe.id}:teaching",
        )
        refresh_summaries(owner, [chloe.id])
        planning.add_milestone(owner, _("Birthday"), anniversary(today + timedelta(days=3), 1992), created[3], True)

        for index, kind, days_ago, note in (
            (1, "job-lead", 900, _("Told me about the opening at Orbit Consulting")),
            (4, "referral-received", 700, _("Introduced me to a new client")),
            (0, "friendship", 500, ""),
            (10, "intro", 380, _("Introduced me to the PR association")),
            (2, "collaboration", 250, _("Co-wrote an issue of the newsletter")),
            (4, "client", 150, _("Hired my studio for a campaign")),
            (6, "meetup", 90, _("Climbing together again")),
        ):
            planning.add_outcome(owner, created[index], kind, today - timedelta(days=days_ago), note)
        checkups.forget(owner.pk)  # the bulk writes above send no signals
    return {"people": len(created), "interactions": owned(Interaction, owner).filter(source=DEMO_SOURCE).count()}
