"""Generate a realistic owner: by default 20,000 people and 1,000,000 interactions over 10 years.

Usage (from the repository root)::

    .venv/bin/python bench/generate.py [--people N] [--interactions N] [--seed S] [--years Y]

The data goes into the database that RESTONS_HOME / RESTONS_DATABASE_URL name.
Without RESTONS_HOME it goes into a fresh ``bench/data/home`` (git-ignored),
replaced on each run. An explicit RESTONS_HOME or RESTONS_DATABASE_URL must not
hold people yet: the generator never mixes its rows with real ones.

Rows are written with the real models (``bulk_create`` in batches) for an owner
made by ``restons.services.owners.cli_owner()``, and the people's summary
columns are then computed by ``restons.services.interactions.refresh_summaries``,
exactly as the product does after an import. The same seed gives the same data.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sys
import time
from datetime import date, datetime, timedelta, timezone as dt_timezone

import _common

FIRST_NAMES = (
    "Camille Noah Inès Oliver Léa Maya Hugo Zoé Ethan Chloé Samuel Ava Lucas Emma Louis Jade Gabriel Alice Arthur "
    "Lina Jules Rose Adam Anna Raphaël Mia Léo Julia Nathan Sofia Tom Clara Paul Eva Victor Lou Sacha Nora Théo "
    "Iris Martin Elena Oscar Amira Yusuf Priya Kenji Aiko Mateo Lucia Diego Ingrid Lars Freya Tariq Leila Omar "
    "Grace Henry Olivia James Amelia William Harper Daniel Ella Benjamin Chiara Marco Greta Pavel Olga"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia "
    "David Bertrand Roux Vincent Fournier Morel Girard André Mercier Blanc Guerin Boyer Garnier Chevalier Francois "
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Clark Lewis "
    "Walker Hall Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips "
    "Evans Turner Torres Parker Collins Edwards Stewart Flores Morris Nguyen Murphy Rivera Cook Rogers Patel "
    "Fischer Weber Schneider Rossi Bianchi Kowalski Novak Tanaka Sato Kim Lee Chen Wang Singh Haddad Okafor"
).split()

# ~40 topics; interests, events and content draw from the same list.
TOPICS = [
    "football", "rugby", "tennis", "running", "cycling", "sailing", "climbing", "cooking", "wine", "coffee",
    "photography", "design", "architecture", "jazz", "classical music", "cinema", "theatre", "books", "poetry",
    "history", "public relations", "marketing", "strategy", "leadership", "startups", "venture capital",
    "product management", "machine learning", "open source", "python", "cybersecurity", "teaching", "parenting",
    "gardening", "travel", "japan", "podcasts", "newsletters", "sustainability", "urbanism",
]

# (name, cadence in days, share of people); about 60 % of people end up in at least one circle.
CIRCLES = [
    ("Family", 30, 0.01),
    ("Close friends", 30, 0.02),
    ("Friends", 60, 0.06),
    ("PR association", 60, 0.06),
    ("Clients", 90, 0.08),
    ("Agency alumni", 90, 0.12),
    ("University", 180, 0.10),
    ("Former colleagues", 180, 0.15),
]
OWN_CADENCES = (14, 30, 45, 60, 120, 365)

CHANNELS = ["text", "email", "call", "video", "meeting", "linkedin", "social", "newsletter", "letter", "other"]
CHANNEL_WEIGHTS = [22, 34, 8, 5, 9, 10, 6, 3, 1, 2]

# How a relationship is carried: (share of people, weights of out / in / both).
STYLES = {
    "mutual": (0.55, (40, 40, 20)),
    "you-carry": (0.25, (88, 4, 8)),
    "they-carry": (0.15, (6, 86, 8)),
    "meetings": (0.05, (15, 15, 70)),
}
SOURCES = [("manual", 20), ("mbox", 45), ("sms-xml", 15), ("whatsapp", 10), ("linkedin", 10)]
OUTCOME_KINDS = ["referral-given", "referral-received", "client", "job-lead", "intro", "meetup", "collaboration",
                 "friendship"]
ORGS = 300
BATCH = 2000


def log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=10, help="How far back the history goes (default 10).")
    return parser.parse_args(argv)


def prepare_home() -> None:
    """A fresh default home under bench/data/, or the one the environment names (left as it is)."""
    if _common.uses_default_home() and not os.environ.get("RESTONS_DATABASE_URL", "").strip():
        home = _common.DEFAULT_HOME
        if home.exists():
            print(f"replacing the previous data set in {home}")
            shutil.rmtree(home)
        home.mkdir(parents=True)
        os.environ["RESTONS_HOME"] = str(home)
    else:
        os.environ.setdefault("RESTONS_HOME", str(_common.DEFAULT_HOME))


def interaction_counts(rng: random.Random, people: int, total: int) -> list[int]:
    """Heavy-tailed counts summing to ``total``: ~10 % nobody ever wrote to, most a few, some hundreds."""
    weights = []
    for _ in range(people):
        if rng.random() < 0.10:
            weights.append(0.0)  # a connection imported and never contacted
        else:
            weights.append(rng.lognormvariate(0.0, 1.8))
    scale = total / sum(weights)
    cap = 4000  # about one a day for ten years: the busiest relationships
    counts = [min(cap, int(w * scale)) for w in weights]
    # Hand out what flooring and the cap left, to people who already have some.
    missing = total - sum(counts)
    active = [i for i, w in enumerate(weights) if w > 0]
    while missing > 0 and active:
        i = rng.choice(active)
        if counts[i] < cap:
            counts[i] += 1
            missing -= 1
    return counts


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    prepare_home()

    from restons import bootstrap

    bootstrap.setup()
    bootstrap.ensure_database()
    log(f"database ready ({os.environ.get('RESTONS_DATABASE_URL') or os.environ['RESTONS_HOME']})", started)

    from django.db import connection, transaction

    from restons.models import (
        Affiliation, Circle, Content, Event, Identity, Interaction, Interest, Membership, Milestone, Organisation,
        Outcome, Person, Pledge, PledgePerson,
    )
    from restons.identities import name_key
    from restons.services.access import owned
    from restons.services.interactions import refresh_summaries
    from restons.services.owners import cli_owner

    owner = cli_owner()
    if owned(Person, owner).exists():
        print(f"restons: {os.environ['RESTONS_HOME']} already holds people; generate into an empty instance "
              "(unset RESTONS_HOME to use a fresh bench/data/home).", file=sys.stderr)
        return 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Bulk loading only: a crash mid-run means re-running the generator.
            cursor.execute("PRAGMA synchronous=OFF")

    rng = random.Random(args.seed)
    now = datetime.now(dt_timezone.utc).replace(microsecond=0)
    today = now.date()
    history = timedelta(days=365 * args.years)
    begin = now - history
    n = args.people

    # --- circles and organisations ---------------------------------------------------------------------------
    circles = Circle.objects.bulk_create([Circle(owner=owner, name=name, cadence_days=every) for name, every, _s in CIRCLES])
    orgs = Organisation.objects.bulk_create(
        [Organisation(owner=owner, name=f"{rng.choice(LAST_NAMES)} {rng.choice(['Agency', 'Consulting', 'Labs', 'Group', 'Partners', 'Studio', 'Media', 'University', 'Foundation', 'Bank'])} {i}")
         for i in range(ORGS)]
    )
    log(f"{len(circles)} circles, {len(orgs)} organisations", started)

    # --- people ------------------------------------------------------------------------------------------------
    counts = interaction_counts(rng, n, args.interactions)
    style_names = list(STYLES)
    style_weights = [STYLES[s][0] for s in style_names]
    specs = []  # per person: (created_at, span_start, span_end, style, channel weights)
    people = []
    for i in range(n):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        # When you got to know them: spread over the history, more of them in later years (networks grow).
        known = begin + history * math.sqrt(rng.random())
        if counts[i]:
            # Active for a while; about half still active now, the rest drifted away.
            end = now if rng.random() < 0.5 else known + (now - known) * rng.random()
            end = max(end, known + timedelta(days=1))
        else:
            end = known
        # Imported in a few waves (a LinkedIn export, a phone, a mailbox), or added by hand when met.
        created = min(known, now - timedelta(days=rng.choice([3400, 2500, 1500, 700, 200])))
        if rng.random() < 0.02:
            created = now - timedelta(days=rng.randint(0, 60))  # recently added, maybe never touched yet
        style = rng.choices(style_names, style_weights)[0]
        channel_weights = [w * rng.choice((0.2, 1, 1, 3)) for w in CHANNEL_WEIGHTS]
        specs.append((created, known, end, style, channel_weights))
        people.append(
            Person(
                owner=owner, name=name, created_at=created,
                met_how=rng.choice(["", "", "Work", "A conference", "Through friends", "University", "Don't remember"]),
                met_on=known.date() if rng.random() < 0.3 else None,
                connected_on=known.date() if rng.random() < 0.4 else None,
                cadence_days=rng.choice(OWN_CADENCES) if rng.random() < 0.05 else None,
                snoozed_until=(today + timedelta(days=rng.randint(1, 90))) if rng.random() < 0.02
                else (today - timedelta(days=rng.randint(1, 400))) if rng.random() < 0.02 else None,
                archived=rng.random() < 0.03,
            )
        )
    with transaction.atomic():
        for start in range(0, n, BATCH):
            Person.objects.bulk_create(people[start : start + BATCH], batch_size=BATCH)
    if people[0].pk is None:  # a backend that does not return ids from bulk_create
        ids = list(owned(Person, owner).order_by("id").values_list("id", flat=True))
        for person, pk in zip(people, ids):
            person.pk = person.id = pk
    log(f"{n} people", started)

    # --- identities, interests, circles, affiliations ---------------------------------------------------------
    identities, interests, memberships, affiliations = [], [], [], []
    for i, person in enumerate(people):
        first, last = name_key(person.name).split(" ", 1)
        slug = f"{first}.{last}".replace(" ", "")
        if rng.random() < 0.92:
            domain = rng.choice(["mail.example", "inbox.example", "post.example", f"org{i % ORGS}.example"])
            identities.append(Identity(owner=owner, person=person, kind="email", value=f"{slug}.{i}@{domain}"))
            if rng.random() < 0.15:
                identities.append(Identity(owner=owner, person=person, kind="email", value=f"{first[0]}{i}@work{i % 50}.example"))
        if rng.random() < 0.35:
            if rng.random() < 0.6:
                phone = f"+336{10000000 + i * 37 % 89999999:08d}"
            else:
                phone = f"+1{rng.choice(['212', '415', '617', '312'])}55{i // 10000 % 10}{i % 10000:04d}"
            identities.append(Identity(owner=owner, person=person, kind="phone", value=phone))
        if rng.random() < 0.55:
            identities.append(Identity(owner=owner, person=person, kind="linkedin",
                                       value=f"https://www.linkedin.com/in/{slug}-{i:05d}"))
        for topic in rng.sample(TOPICS, rng.choices((0, 1, 2, 3, 4), (25, 25, 25, 15, 10))[0]):
            interests.append(Interest(owner=owner, person=person, topic=topic))
        # ~60 % in a circle: walk the circles, each with its share; a few are in two.
        draw = rng.random()
        acc = 0.0
        for circle, (_name, _every, share) in zip(circles, CIRCLES):
            acc += share
            if draw < acc:
                memberships.append(Membership(owner=owner, person=person, circle=circle))
                break
        if rng.random() < 0.05:
            extra = rng.choice(circles)
            if not (memberships and memberships[-1].person is person and memberships[-1].circle is extra):
                memberships.append(Membership(owner=owner, person=person, circle=extra))
        for org in rng.sample(orgs, rng.choices((0, 1, 2, 3), (25, 45, 22, 8))[0]):
            started_on = (begin - timedelta(days=rng.randint(0, 3000)) + history * rng.random()).date()
            ended = started_on + timedelta(days=rng.randint(200, 3000))
            affiliations.append(Affiliation(owner=owner, person=person, organisation=org,
                                            title=rng.choice(["", "Manager", "Director", "Engineer", "Consultant", "Partner"]),
                                            started_on=started_on, ended_on=ended if ended < today else None))
    with transaction.atomic():
        for model, rows in ((Identity, identities), (Interest, interests), (Membership, memberships),
                            (Affiliation, affiliations)):
            for start in range(0, len(rows), BATCH):
                model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    log(f"{len(identities)} identities, {len(interests)} interests, {len(memberships)} memberships, "
        f"{len(affiliations)} affiliations", started)

    # --- events, content, milestones ---------------------------------------------------------------------------
    events = []
    for k in range(args.years * 36):  # about three a month over the history ...
        on = (begin + history * rng.random()).date()
        events.append(Event(owner=owner, title=f"Event {k}", on=on, topics=sorted(rng.sample(TOPICS, rng.randint(1, 2)))))
    for k in range(25):  # ... and some upcoming in the next two months
        on = today + timedelta(days=rng.randint(0, 60))
        events.append(Event(owner=owner, title=f"Upcoming {rng.choice(['match', 'meetup', 'conference', 'concert'])} {k}",
                            on=on, topics=sorted(rng.sample(TOPICS, rng.randint(1, 2)))))
    Event.objects.bulk_create(events, batch_size=BATCH)
    contents = []
    day = begin.date()
    k = 0
    while day <= today:  # a weekly newsletter, a podcast episode now and then
        kind = "newsletter" if k % 4 else rng.choice(["podcast", "post", "talk"])
        contents.append(Content(owner=owner, title=f"{kind.title()} #{k}", on=day, kind=kind,
                                topics=sorted(rng.sample(TOPICS, rng.randint(1, 3)))))
        day += timedelta(days=7)
        k += 1
    contents = Content.objects.bulk_create(contents, batch_size=BATCH)
    if contents[0].pk is None:
        ids = list(owned(Content, owner).order_by("id").values_list("id", flat=True))
        for item, pk in zip(contents, ids):
            item.pk = item.id = pk
    milestones = [
        Milestone(owner=owner, title=title, on=(begin + history * frac).date(), yearly=yearly)
        for title, frac, yearly in [("Started my business", 0.05, True), ("First podcast episode", 0.4, False),
                                    ("First semester teaching", 0.7, False), ("Book published", 0.97, False)]
    ]
    for person in people:
        if rng.random() < 0.30:
            born = date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
            milestones.append(Milestone(owner=owner, person=person, title="Birthday", on=born, yearly=True))
        if rng.random() < 0.03:
            milestones.append(Milestone(owner=owner, person=person, title=rng.choice(["New job", "New child", "Moved"]),
                                        on=(begin + history * rng.random()).date(), yearly=False))
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    log(f"{len(events)} events, {len(contents)} content items, {len(milestones)} milestones", started)

    # --- interactions ----------------------------------------------------------------------------------------
    recent_content = [c for c in contents if (today - c.on).days <= 60]
    source_names = [s for s, _w in SOURCES]
    source_weights = [w for _s, w in SOURCES]
    written = 0
    chunk: list = []
    next_report = 100_000

    def flush():
        nonlocal chunk
        with transaction.atomic():
            Interaction.objects.bulk_create(chunk, batch_size=BATCH)
        chunk = []

    for i, person in enumerate(people):
        count = counts[i]
        if not count:
            continue
        _created, known, end, style, channel_weights = specs[i]
        span = (end - known).total_seconds()
        dirs = rng.choices(("out", "in", "both"), STYLES[style][1], k=count)
        chans = rng.choices(CHANNELS, channel_weights, k=count)
        srcs = rng.choices(source_names, source_weights, k=count)
        for j in range(count):
            # Denser towards the end of the active span (relationships warm up), hours in the day time.
            at = known + timedelta(seconds=span * rng.random() ** 0.7)
            at = at.replace(hour=rng.randint(7, 21), minute=rng.randrange(60), second=0)
            if at > now:
                at = now - timedelta(minutes=rng.randint(1, 600))
            source = srcs[j]
            content = None
            if dirs[j] == "in" and recent_content and (now - at).days <= 60 and rng.random() < 0.05:
                content = rng.choice(recent_content)  # a reader's reply to your newsletter
            chunk.append(
                Interaction(
                    owner=owner, person=person, at=at, direction=dirs[j], channel=chans[j],
                    summary="" if rng.random() < 0.7 else rng.choice(["Quick hello", "Thanks for the article",
                                                                       "Coffee catch-up", "Happy birthday!",
                                                                       "Congrats on the new role"]),
                    source=source, source_key="" if source == "manual" else f"{source}:{person.id}:{j}",
                    content=content,
                )
            )
        if len(chunk) >= 50_000:
            written += len(chunk)
            flush()
            if written >= next_report:
                log(f"{written:,} interactions", started)
                next_report += 100_000
    written += len(chunk)
    flush()
    log(f"{written:,} interactions", started)

    # --- outcomes, pledges -------------------------------------------------------------------------------------
    outcomes = []
    # ~3 % of all people, drawn among those with some history.
    chance = 0.03 * n / max(1, sum(1 for c in counts if c >= 5))
    for i, person in enumerate(people):
        if counts[i] >= 5 and rng.random() < chance:
            for _ in range(rng.choice((1, 1, 1, 2))):
                outcomes.append(Outcome(owner=owner, person=person, kind=rng.choice(OUTCOME_KINDS),
                                        at=(specs[i][1] + (now - specs[i][1]) * rng.random()).date()))
    Outcome.objects.bulk_create(outcomes, batch_size=BATCH)
    pledge_people = 0
    for org, days_ago in ((orgs[0], 3 * 365 + 40), (orgs[1], 120)):
        pledge = Pledge.objects.create(owner=owner, organisation=org, on=today - timedelta(days=days_ago))
        chosen = rng.sample(people, min(20, n))
        PledgePerson.objects.bulk_create([PledgePerson(owner=owner, pledge=pledge, person=p) for p in chosen])
        pledge_people += len(chosen)
    log(f"{len(outcomes)} outcomes, 2 pledges with {pledge_people} people", started)

    # --- summaries ---------------------------------------------------------------------------------------------
    ids = [p.id for p in people]
    step = 2000
    for start in range(0, len(ids), step):
        with transaction.atomic():
            refresh_summaries(owner, ids[start : start + step])  # batches of 500 inside
        log(f"summaries refreshed for {min(start + step, len(ids))}/{len(ids)} people", started)
    # No ANALYZE on SQLite: a user's database never has statistics, and the bench measures what they
    # get (with them, the planner once hid a query that read every ping). PostgreSQL's autovacuum
    # gathers its own; ANALYZE now rather than minutes later.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"done in {elapsed:.1f} s: {n} people, {written:,} interactions in "
          f"{os.environ.get('RESTONS_DATABASE_URL') or os.environ['RESTONS_HOME']}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(_common.ROOT))
    sys.exit(main())
