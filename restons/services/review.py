"""The review of a year, or of the last 12 months (``restons review``, the Review page).

Everything is loaded by aggregates over the period, in a fixed number of
queries whatever the number of people: per person (counts in each direction,
each half, the windows around the period, the last touch before it), per
month × channel × direction (with who opened each conversation, by a window
function), plus outcomes, milestones, content and pledges. The rules are in
``restons.engine.review``; docs/review.md writes them down. A computed review
is kept (``KeptReview``) until something it depends on changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.translation import gettext as _

from restons import conf
from restons.engine import cadence
from restons.engine import review as rules
from restons.engine.health import Activity
from restons.engine.state import RECIPROCITIES, PersonState, PledgeLink
from restons.limits import DATE_MIN
from restons.models import Channel, Content, Interaction, KeptReview, Membership, Outcome, Person, PledgePerson
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.snapshot import as_date, as_datetime, fast_rows, local, local_today
from restons.services.about import noticed_report
from restons.services.stats import pledge_report

LIST_LIMIT = 50  # people named per list (the count is always complete)
TOP = 3  # relationships that grew and faded most
VERSION = 1  # of the numbers' shape: a change makes kept reviews of an older shape useless
INBOUND, OUTBOUND = ("in", "both"), ("out", "both")
SECTIONS = ("stayed", "you_carried", "they_carried", "went_quiet", "came_back", "new")


def period_for(year: int | None, today: date | None = None) -> rules.Period:
    """The period of ``year`` (None: the last 12 months); UserError for a year out of range."""
    today = today or local_today()
    if year is None:
        return rules.last_12_months(today)
    if not DATE_MIN.year <= year <= today.year:
        raise UserError(_("year %(year)s is out of range; use a year from %(min)s to %(max)s")
                        % {"year": year, "min": DATE_MIN.year, "max": today.year})
    return rules.year_period(year, today)


def review(owner, year: int | None = None, today: date | None = None) -> dict:
    """The review of ``year`` (None: the last 12 months ending ``today``), as the documented JSON."""
    today = today or local_today()
    period = period_for(year, today)
    window = conf.get("RESTONS_WINDOW_DAYS")
    key = f"v{VERSION}:{period.kind}:{period.start}:{period.end}:{window}:{timezone.get_current_timezone_name()}"
    kept = owned(KeptReview, owner).filter(key=key).values_list("data", flat=True).first()
    if kept is not None:
        return kept
    data = compute(owner, period, window)
    current = period.end >= local_today()
    try:
        with transaction.atomic():
            if current:  # the "so far" of earlier days is of no use any more
                owned(KeptReview, owner).filter(current=True, computed_on__lt=local_today()).delete()
            KeptReview.objects.create(owner=owner, key=key, current=current, computed_on=local_today(), data=data)
    except IntegrityError:
        pass  # another request kept the same numbers meanwhile
    return data


def first_year(owner) -> int | None:
    """The year of the owner's first interaction (None without any), for the year picker."""
    first = owned(Interaction, owner).order_by("at").values_list("at", flat=True).first()
    return timezone.localtime(first).year if first else None


def _midnight(day: date, tz) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def compute(owner, period: rules.Period, window: int) -> dict:
    """The review of ``period``, computed from the data (no kept numbers)."""
    tz = timezone.get_current_timezone()
    at = {
        "window_before": _midnight(period.start - timedelta(days=window), tz),
        "start": _midnight(period.start, tz),
        "middle": _midnight(period.middle, tz),
        "window_end": _midnight(period.end - timedelta(days=window - 1), tz),
        "end": _midnight(period.end + timedelta(days=1), tz),
    }
    people = _people(owner)
    tallies = _tallies(owner, at)
    outcomes = fast_rows(owned(Outcome, owner).filter(person__archived=False, at__lte=period.end)
                         .order_by("at", "id").values_list("id", "person_id", "kind", "at", "note"))
    outcome_days = defaultdict(list)
    for _id, pid, _kind, on, _note in outcomes:
        outcome_days[pid].append(as_date(on))

    older = _older_last_touches(owner, people, tallies, period, at, window)
    sections = {name: [] for name in SECTIONS}
    reciprocity = dict.fromkeys(RECIPROCITIES, 0)
    changes = []
    for pid, person in people.items():
        row = tallies.get(pid)
        tally = row["tally"] if row else rules.Tally()
        mutuality = rules.reciprocity(tally)
        reciprocity[mutuality] += 1
        entry = {"id": pid, "name": person.name, "in": tally.inbound, "out": tally.outbound}
        if rules.stayed_in_touch(tally):
            sections["stayed"].append(entry)
        elif mutuality == "you-carry":
            sections["you_carried"].append(entry)
        elif mutuality == "they-carry":
            sections["they_carried"].append(entry)
        first = person.first_touch.date() if person.first_touch else None
        if rules.is_new(person.known_since, first, period):
            sections["new"].append({**entry, "since": rules.known_from(person.known_since, first).isoformat()})
        if not row and pid not in older:
            continue  # no touch near the period: neither quiet, back, grown nor faded
        last_before = row["last_before"] if row and row["last_before"] else older.get(pid)
        last_at_end = row["last"] if row else older.get(pid)
        days = outcome_days.get(pid, ())
        before = rules.as_of(person, period.day_before, last_before, sum(d <= period.day_before for d in days))
        after = rules.as_of(person, period.end, last_at_end, len(days))
        if tally.total == 0 and rules.went_quiet(before, after, period):
            sections["went_quiet"].append({**entry, "last_touch": last_before.date().isoformat()})
        if tally.inbound and rules.came_back(before, tally, period):
            sections["came_back"].append({**entry, "silent_since": last_before.date().isoformat()})
        if row:
            changes.append((person, rules.change(before, row["activity_before"], after, row["activity_after"],
                                                 period, window)))

    months, first_move = _months(owner, period, at)
    return {
        "period": {"kind": period.kind, "year": period.year, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "middle": period.middle.isoformat()},
        "window_days": window,
        "people": len(people),
        "totals": {
            "in": sum(m["in"] for m in months), "out": sum(m["out"] for m in months),
            "together": sum(m["together"] for m in months),
            "people_in_touch": sum(1 for row in tallies.values() if row["tally"].total and row["id"] in people),
        },
        "reciprocity": reciprocity,
        **{name: _listed(rows) for name, rows in sections.items()},
        "months": months,
        "channels": _channel_totals(months),
        "first_move": first_move,
        "milestones": _noticed(owner, period),
        "content": _content(owner, period, people),
        "pledges": _pledges(owner, period, people, tallies),
        "outcomes": _outcomes(outcomes, period, people, tallies),
        **_grew_and_faded(changes),
    }


def _listed(rows: list[dict]) -> dict:
    """A section: how many, and the first LIST_LIMIT, most in touch first."""
    rows.sort(key=lambda r: (-(r["in"] + r["out"]), r["name"], r["id"]))
    return {"count": len(rows), "people": rows[:LIST_LIMIT]}


def _people(owner) -> dict[int, PersonState]:
    """Everyone not archived, as the engine sees them minus the touches (:func:`rules.as_of` adds those)."""
    circles = defaultdict(list)
    for pid, every in owned(Membership, owner).filter(circle__cadence_days__isnull=False).values_list(
            "person_id", "circle__cadence_days"):
        circles[pid].append(every)
    pledges = defaultdict(list)
    for row in owned(PledgePerson, owner).values_list(
        "person_id", "pledge__organisation__name", "pledge__on", "pledge__cadence_days",
        "pledge__first_window_days", "pledge__ended_on",
    ):
        pledges[row[0]].append(PledgeLink(*row[1:]))
    tz = timezone.get_current_timezone()
    people = {}
    for pid, name, created, every, met_on, connected_on, first in fast_rows(
        owned(Person, owner).filter(archived=False).order_by("name", "id").values_list(
            "id", "name", "created_at", "cadence_days", "met_on", "connected_on", "first_touch_at")
    ):
        known = [d for d in (as_date(met_on), as_date(connected_on)) if d]
        people[pid] = PersonState(
            id=pid, name=name, created_on=as_datetime(created).astimezone(tz).date(), cadence_days=every,
            circle_cadences=tuple(circles.get(pid, ())), pledges=tuple(pledges.get(pid, ())),
            first_touch=local(as_datetime(first), tz), known_since=min(known) if known else None,
        )
    return people


def _tallies(owner, at: dict) -> dict[int, dict]:
    """Per person with an interaction from the window before the period to its end: one aggregate query."""
    before, start, middle, window_end = at["window_before"], at["start"], at["middle"], at["window_end"]
    rows = (
        owned(Interaction, owner).filter(at__gte=before, at__lt=at["end"]).values("person_id").annotate(
            in_before=Count("id", filter=Q(at__lt=start, direction__in=INBOUND)),
            out_before=Count("id", filter=Q(at__lt=start, direction__in=OUTBOUND)),
            channels_before=Count("channel", distinct=True, filter=Q(at__lt=start)),
            in_after=Count("id", filter=Q(at__gte=window_end, direction__in=INBOUND)),
            out_after=Count("id", filter=Q(at__gte=window_end, direction__in=OUTBOUND)),
            channels_after=Count("channel", distinct=True, filter=Q(at__gte=window_end)),
            n_in=Count("id", filter=Q(at__gte=start, direction__in=INBOUND)),
            n_out=Count("id", filter=Q(at__gte=start, direction__in=OUTBOUND)),
            n_both=Count("id", filter=Q(at__gte=start, direction="both")),
            first_half=Count("id", filter=Q(at__gte=start, at__lt=middle)),
            second_half=Count("id", filter=Q(at__gte=middle)),
            last_before=Max("at", filter=Q(at__lt=start)),
            last=Max("at"),
        ).order_by().values_list(
            "person_id", "in_before", "out_before", "channels_before", "in_after", "out_after", "channels_after",
            "n_in", "n_out", "n_both", "first_half", "second_half", "last_before", "last",
        )
    )
    tz = timezone.get_current_timezone()
    result = {}
    for (pid, in_b, out_b, ch_b, in_a, out_a, ch_a, n_in, n_out, n_both, h1, h2, last_before, last) in fast_rows(rows):
        result[pid] = {
            "id": pid,
            "tally": rules.Tally(n_in, n_out, n_both, h1, h2),
            "activity_before": Activity(in_b, out_b, ch_b),
            "activity_after": Activity(in_a, out_a, ch_a),
            "last_before": local(as_datetime(last_before), tz),
            "last": local(as_datetime(last), tz),
        }
    return result


def _older_last_touches(owner, people, tallies, period: rules.Period, at: dict, window: int) -> dict:
    """The last touch before the window ahead of the period, for the few people whose verdict needs it.

    Those are people who wrote during the period after no contact within the window (did they come
    back?), and people untouched all along whose cadence and grace are longer than the window (did
    they go quiet?). Everyone else's older touches are too old to change any number.
    """
    wanted = []
    for pid, person in people.items():
        if person.first_touch is None or person.first_touch.date() >= period.start:
            continue
        row = tallies.get(pid)
        if row and row["last_before"] is not None:
            continue
        if row and row["tally"].inbound:
            wanted.append(pid)
        elif not row or not row["tally"].total:
            every = cadence.effective_cadence(person, period.day_before)
            if every and every + cadence.grace_days(every) >= window:
                wanted.append(pid)
    if not wanted:
        return {}
    tz = timezone.get_current_timezone()
    return {
        pid: local(as_datetime(last), tz)
        for pid, last in fast_rows(owned(Interaction, owner).filter(person_id__in=wanted, at__lt=at["window_before"])
                                   .values("person_id").annotate(last=Max("at")).order_by()
                                   .values_list("person_id", "last"))
    }


def _months(owner, period: rules.Period, at: dict) -> tuple[list[dict], dict]:
    """Pings per month, direction and channel, and who opened each conversation: one query.

    A window function (LAG) gives each interaction the previous one with the same person; the
    week before the period is read too, so that a conversation begun then is not counted as
    opened inside it.
    """
    tz = timezone.get_current_timezone()
    bounds = [_midnight(month, tz) for month in period.months[1:]]
    bucket = Case(When(at__lt=at["start"], then=Value(-1)),
                  *[When(at__lt=bound, then=Value(index)) for index, bound in enumerate(bounds)],
                  default=Value(len(bounds)), output_field=IntegerField())
    archived = owned(Person, owner).filter(archived=True).values("id")
    inner = (
        owned(Interaction, owner)
        .filter(at__gte=at["start"] - rules.CONVERSATION_GAP, at__lt=at["end"])
        .exclude(person_id__in=archived)
        .annotate(bucket=bucket, previous=Window(Lag("at"), partition_by=[F("person_id")], order_by=F("at").asc()))
        .values_list("bucket", "channel", "direction", "at", "previous")
    )
    sql, params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        gap, gap_param = "t.at - t.previous > %s", rules.CONVERSATION_GAP
    else:  # SQLite stores UTC text that julianday() reads
        gap, gap_param = "julianday(t.at) - julianday(t.previous) > %s", rules.CONVERSATION_GAP.total_seconds() / 86400
    outer = (f"SELECT t.bucket, t.channel, t.direction, COUNT(*), "
             f"SUM(CASE WHEN t.previous IS NULL OR {gap} THEN 1 ELSE 0 END) "
             f"FROM ({sql}) t WHERE t.bucket >= 0 GROUP BY t.bucket, t.channel, t.direction")
    with connection.cursor() as cursor:
        cursor.execute(outer, (gap_param, *params))  # the gap comes first in the text
        rows = cursor.fetchall()
    months = [{"month": m.strftime("%Y-%m"), "in": 0, "out": 0, "together": 0,
               "first_move": {"you": 0, "them": 0, "together": 0}, "channels": {}} for m in period.months]
    first_move = {"you": 0, "them": 0, "together": 0}
    opener = {"out": "you", "in": "them", "both": "together"}
    for index, channel, direction, count, opened in rows:
        month = months[index]
        sides = month["channels"].setdefault(channel, {"in": 0, "out": 0})
        if direction in INBOUND:
            month["in"] += count
            sides["in"] += count
        if direction in OUTBOUND:
            month["out"] += count
            sides["out"] += count
        if direction == "both":
            month["together"] += count
        month["first_move"][opener[direction]] += int(opened or 0)
        first_move[opener[direction]] += int(opened or 0)
    order = {value: n for n, value in enumerate(Channel.values)}
    for month in months:
        month["channels"] = dict(sorted(month["channels"].items(), key=lambda item: order.get(item[0], 99)))
    return months, first_move


def _channel_totals(months: list[dict]) -> dict:
    totals: dict[str, dict] = {}
    for month in months:
        for channel, sides in month["channels"].items():
            total = totals.setdefault(channel, {"in": 0, "out": 0})
            total["in"] += sides["in"]
            total["out"] += sides["out"]
    return dict(sorted(totals.items(), key=lambda item: (-(item[1]["in"] + item[1]["out"]), item[0])))


def _noticed(owner, period: rules.Period) -> list[dict]:
    """``stats``' who-noticed report over the period, each list of people cut to LIST_LIMIT, with its ``count``."""
    report = noticed_report(owner, period.end, period.days)
    for entry in report:
        for field in ("people", "suggested"):
            if field in entry:
                entry[f"{field}_count"] = len(entry[field])
                entry[field] = entry[field][:LIST_LIMIT]
    return report


def _content(owner, period: rules.Period, people: dict) -> list[dict]:
    """What you published during the period, who engaged (wrote back about it) and to how many you sent it."""
    published = owned(Content, owner).filter(on__gte=period.start, on__lte=period.end)
    items = {cid: {"id": cid, "title": title, "on": as_date(on).isoformat(), "kind": kind, "engaged": [], "sent": 0}
             for cid, title, on, kind in fast_rows(published.order_by("on", "id").values_list("id", "title", "on", "kind"))}
    engaged, sent = defaultdict(set), defaultdict(set)
    # The ids themselves (a year holds dozens) and no join: the planner then reads the content index.
    for cid, pid, direction in fast_rows(
        owned(Interaction, owner).filter(content_id__in=list(items)).values_list("content_id", "person_id", "direction")
    ):
        if pid not in people:
            continue  # archived
        if direction in INBOUND:
            engaged[cid].add((people[pid].name, pid))
        if direction in OUTBOUND:
            sent[cid].add(pid)
    for cid, item in items.items():
        item["engaged"] = [{"id": pid, "name": name} for name, pid in sorted(engaged.get(cid, ()))][:LIST_LIMIT]
        item["engaged_count"] = len(engaged.get(cid, ()))
        item["sent"] = len(sent.get(cid, ()))
    return list(items.values())


def _pledges(owner, period: rules.Period, people: dict, tallies: dict) -> list[dict]:
    """Each pledge made by the end of the period: adherence per quarter up to then, and who is still in touch."""
    members = defaultdict(list)
    for pledge_id, pid in owned(PledgePerson, owner).filter(person__archived=False).values_list("pledge_id", "person_id"):
        if pid in people:
            members[pledge_id].append(pid)
    report = []
    for entry in pledge_report(owner, period.end):
        if entry["on"] > period.end.isoformat():
            continue
        in_touch, lost = [], []
        for pid in members.get(entry["id"], []):
            row = tallies.get(pid)
            tally = row["tally"] if row else rules.Tally()
            (in_touch if tally.total else lost).append(
                {"id": pid, "name": people[pid].name, "in": tally.inbound, "out": tally.outbound})
        in_touch.sort(key=lambda r: (r["name"], r["id"]))
        lost.sort(key=lambda r: (r["name"], r["id"]))
        report.append({**entry, "still_in_touch": in_touch, "not_in_touch": lost})
    return report


def _outcomes(outcomes, period: rules.Period, people: dict, tallies: dict) -> dict:
    """What staying in touch brought during the period (``counts``: all of it), and the relationship behind each
    outcome (``items``: the first LIST_LIMIT, in date order)."""
    counts = dict.fromkeys(Outcome.Kind.values, 0)
    items = []
    for _id, pid, kind, on, note in outcomes:
        on = as_date(on)
        if on < period.start or pid not in people:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        person = people[pid]
        row = tallies.get(pid)
        tally = row["tally"] if row else rules.Tally()
        known = rules.known_from(person.known_since, person.first_touch.date() if person.first_touch else None)
        items.append({"kind": kind, "at": on.isoformat(), "note": note, "person": {"id": pid, "name": person.name},
                      "known_since": known.isoformat() if known else None, "in": tally.inbound, "out": tally.outbound})
    return {"counts": counts, "items": items[:LIST_LIMIT]}


def _grew_and_faded(changes) -> dict:
    """The TOP relationships whose strength grew most, and those that faded most, each with why."""

    def entry(person, moved):
        return {"id": person.id, "name": person.name, "before": moved.before, "after": moved.after,
                "delta": moved.delta, "why": moved.why}

    grew = sorted((c for c in changes if c[1].delta > 0), key=lambda c: (-c[1].delta, c[0].name, c[0].id))
    faded = sorted((c for c in changes if c[1].delta < 0), key=lambda c: (c[1].delta, c[0].name, c[0].id))
    return {"grew": [entry(*c) for c in grew[:TOP]], "faded": [entry(*c) for c in faded[:TOP]]}
