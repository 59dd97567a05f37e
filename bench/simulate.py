"""The engine quality bar (PRODUCT.md §7): does following Today keep people within cadence?

Usage (from the repository root)::

    .venv/bin/python bench/simulate.py [--people 500] [--years 5] [--seed 1] [--no-hooks]

A pure-engine simulation, no database: every simulated day it builds the
engine's PersonStates itself (as restons.services.snapshot would load them),
asks ``restons.engine.today.plan_today`` for the list (cap RESTONS_TODAY_LIMIT,
default 5), and the owner pings exactly the people listed, nobody else. People
answer some pings and sometimes ping first. Everyone is created on day 0 and
never touched, so the engine's stagger spreads the first due dates.

What it prints:

* **on-time share** — over every (day, cadence-tracked person) pair, the share
  where the person is within cadence + grace: their last touch (either
  direction) is at most ``cadence + grace`` days old, or, never touched yet, the
  day is at most ``grace`` days after their staggered first due date. Bar: ≥ 95 %.
* the same per cadence and per year, the share of tracked people never late,
* the longest Today list on any day (bar: never above the cap), pings per day,
  and which reason led the entries.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta

import _common

sys.path.insert(0, str(_common.ROOT))

from restons import conf  # noqa: E402  (pure: reads the environment only)
from restons.engine import cadence, health  # noqa: E402
from restons.engine.state import ContentInfo, EventInfo, MilestoneInfo, PersonState, World  # noqa: E402
from restons.engine.today import plan_today  # noqa: E402

START = date(2021, 1, 4)
TOPICS = ["football", "running", "cooking", "design", "public relations", "strategy", "jazz", "books", "startups",
          "python", "travel", "newsletters"]

# (cadence in days or None, share of people): a realistic mix, fewer close ties than loose ones.
GROUPS = [(30, 0.04), (60, 0.12), (90, 0.24), (180, 0.30), (None, 0.30)]
OWN_CADENCE_SHARE = 0.05  # some people have their own cadence, whatever their circle
OWN_CADENCES = (45, 120, 365)

# How people answer your pings: (share, probability of an answer, share who sometimes ping first).
TEMPERAMENTS = {"responsive": (0.5, 0.85, 0.45), "lukewarm": (0.3, 0.4, 0.2), "silent": (0.2, 0.05, 0.0)}
REPLY_TO_REPLY = 0.25  # how much less likely they answer when your ping was itself a reply
BACKGROUND_INBOUND_DAYS = 730  # anyone may write out of the blue about once in two years
CONTACT_INBOUND_DAYS = 1826  # an address-book contact (``contacts``), about once in five years


class Sim:
    def __init__(self, people: int, years: int, seed: int, hooks: bool, limit: int, contacts: int = 0):
        self.rng = random.Random(seed)
        self.days = round(365.25 * years)
        self.limit = limit
        self.hooks = hooks
        self.states: list[PersonState] = []
        # The circles, by id: (name, cadence). People of a cadence group are in its circle; pace proposals
        # (bench/simulate_human.py) may move a circle to a longer cadence.
        self.circles: dict[int, list] = {}
        self.circle_of: dict[int, int] = {}  # person index -> circle id
        self.answer: dict[int, float] = {}
        self.initiative: dict[int, float] = {}  # daily probability of pinging first
        self.inbound: dict[int, list[tuple[int, int]]] = defaultdict(list)  # day -> [(index, hour)]
        rng = self.rng
        names = [g for g, _s in GROUPS]
        weights = [s for _g, s in GROUPS]
        temper_names = list(TEMPERAMENTS)
        temper_weights = [TEMPERAMENTS[t][0] for t in temper_names]
        for i in range(people + contacts):
            pid = i + 1
            # ``contacts`` more people, untracked: an address book beside the people you follow.
            group = rng.choices(names, weights)[0] if i < people else None
            own = rng.choice(OWN_CADENCES) if rng.random() < OWN_CADENCE_SHARE else None
            own = own if i < people else None
            milestones = ()
            if hooks and rng.random() < 0.3:
                born = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
                milestones = (MilestoneInfo("Birthday", born, True, pid),)
            interests = frozenset(rng.sample(TOPICS, rng.choice((0, 1, 1, 2, 3)))) if hooks else frozenset()
            if group:
                circle_id = names.index(group) + 1
                self.circles.setdefault(circle_id, [f"every {group} days", group])
                self.circle_of[i] = circle_id
            self.states.append(
                PersonState(
                    id=pid, name=f"Person {pid:04d}", created_on=START, cadence_days=own,
                    circle_cadences=(group,) if group else (), circles=(f"every {group} days",) if group else (),
                    interests=interests, milestones=milestones,
                )
            )
            temper = rng.choices(temper_names, temper_weights)[0]
            _share, answers, initiates = TEMPERAMENTS[temper]
            self.answer[i] = answers
            every = own or group or 180
            first = (1 / (2 * every)) if rng.random() < initiates else 0.0
            self.initiative[i] = first + 1 / BACKGROUND_INBOUND_DAYS if i < people else 1 / CONTACT_INBOUND_DAYS
        # The owner's world: events about three a month, a newsletter every two weeks, a yearly milestone of yours.
        self.events = []
        self.content = []
        self.mine = ()
        if hooks:
            for k in range(self.days // 10):
                on = START + timedelta(days=rng.randrange(self.days + 60))
                self.events.append(EventInfo(f"Event {k}", on, frozenset(rng.sample(TOPICS, 1))))
            for k, offset in enumerate(range(0, self.days, 14)):
                self.content.append(ContentInfo(k + 1, f"Issue {k + 1}", START + timedelta(days=offset),
                                                "newsletter", frozenset(rng.sample(TOPICS, rng.randint(1, 2)))))
            self.mine = (MilestoneInfo("My business anniversary", START - timedelta(days=400), True, 0),)

    # -- what the loader would do after an interaction is logged --------------------------------------------------
    def touch(self, index: int, at: datetime, direction: str, content_id: int | None = None) -> None:
        p = self.states[index]
        changes = {"last_touch": max(p.last_touch, at) if p.last_touch else at,
                   "first_touch": min(p.first_touch, at) if p.first_touch else at}
        if direction in ("out", "both"):
            changes["last_out"] = max(p.last_out, at) if p.last_out else at
        if direction in ("in", "both"):
            changes["last_in"] = max(p.last_in, at) if p.last_in else at
        # out_streak: "out" interactions since the last "in" or "both".
        changes["out_streak"] = p.out_streak + 1 if direction == "out" else 0
        if content_id is not None:
            changes["content_sent"] = p.content_sent | {content_id}
        self.states[index] = replace(p, **changes)

    def world(self, today: date) -> World:
        return World(
            today=today,
            events=tuple(e for e in self.events if today <= e.on <= today + timedelta(days=60)),
            content=tuple(c for c in self.content if today - timedelta(days=14) <= c.on <= today),
            my_milestones=self.mine,
            window_days=365,
        )

    def ping(self, index: int, today: date, d: int, entry=None) -> None:
        """The owner pings person ``index`` at 09:00 (from a Today entry when given); they may answer."""
        content = next((r.data["id"] for r in entry.reasons if r.kind == "content"), None) if entry else None
        self.touch(index, datetime.combine(today, datetime.min.time()).replace(hour=9), "out", content)
        self.pings += 1
        self.pings_by_day[today] += 1
        # An answer to your ping is likely; an answer to your reply (the conversation
        # winding down) much less so, or every exchange would go on forever.
        replying = entry is not None and any(r.kind == "reply-owed" for r in entry.reasons)
        if self.rng.random() < self.answer[index] * (REPLY_TO_REPLY if replying else 1.0):
            self.inbound[d + self.rng.randint(0, 4)].append((index, self.rng.randint(10, 21)))

    def morning(self, today: date, d: int) -> list:
        """The every-day owner: opens Today and pings everyone on it, nobody else. Returns the list shown."""
        entries = plan_today(self.states, self.world(today), self.limit)
        for entry in entries:
            self.lead[entry.reasons[0].kind] += 1
            self.ping(self.index_of[entry.person.id], today, d, entry)
        return entries

    def run(self) -> dict:
        rng = self.rng
        self.index_of = {p.id: i for i, p in enumerate(self.states)}
        self.pings = 0
        self.pings_by_day: Counter = Counter()
        self.lead = Counter()
        # Close: a cadence of two months or less on day 0 (engine.cadence.is_close), whatever proposals do later.
        close = {p.id for p in self.states if cadence.is_close(cadence.effective_cadence(p, START))}
        ok_days = tracked_days = 0
        by_cadence = defaultdict(lambda: [0, 0])
        by_year = defaultdict(lambda: [0, 0])
        by_kind = defaultdict(lambda: [0, 0])  # "close", "mutual": [on time, pairs]
        ever_late: set[int] = set()
        ever_tracked: set[int] = set()
        lengths = Counter()
        inbound = 0
        for d in range(self.days):
            today = START + timedelta(days=d)
            entries = self.morning(today, d)
            if entries is not None:
                lengths[len(entries)] += 1
            # During the day: answers, and people who write first.
            for i, rate in self.initiative.items():
                if rng.random() < rate:
                    self.inbound[d].append((i, rng.randint(10, 21)))
            for i, hour in self.inbound.pop(d, ()):
                self.touch(i, datetime.combine(today, datetime.min.time()).replace(hour=hour), "in")
                inbound += 1
            # Evening: who is within cadence + grace?
            for p in self.states:
                every = cadence.effective_cadence(p, today)
                if every is None:
                    continue
                grace = cadence.grace_days(every)
                if p.last_touch is not None:
                    ok = (today - p.last_touch.date()).days <= every + grace
                else:
                    ok = today <= p.created_on + timedelta(days=cadence.stagger_days(p.id, every) + grace)
                tracked_days += 1
                ok_days += ok
                by_cadence[every][0] += ok
                by_cadence[every][1] += 1
                year = by_year[int(d // 365.25)]
                year[0] += ok
                year[1] += 1
                if p.id in close:
                    by_kind["close"][0] += ok
                    by_kind["close"][1] += 1
                if p.last_in is not None and p.last_out is not None and health.reciprocity(p, today) == "mutual":
                    by_kind["mutual"][0] += ok
                    by_kind["mutual"][1] += 1
                ever_tracked.add(p.id)
                if not ok:
                    ever_late.add(p.id)
        return {
            "ok_days": ok_days, "tracked_days": tracked_days, "by_cadence": dict(by_cadence), "by_year": dict(by_year),
            "by_kind": dict(by_kind), "ever_late": len(ever_late), "ever_tracked": len(ever_tracked),
            "lengths": lengths, "lead": self.lead, "pings": self.pings, "inbound": inbound,
        }


def demand(states: list[PersonState], today: date) -> float:
    """Pings a day needed to touch every tracked person exactly once per cadence, with nobody's help."""
    return sum(1 / every for p in states if (every := cadence.effective_cadence(p, today)))


def pct(ok: int, total: int) -> str:
    return f"{100 * ok / total:6.2f} %" if total else "     – "


def report(title: str, sim: Sim, result: dict, seconds: float) -> bool:
    share = result["ok_days"] / result["tracked_days"] if result["tracked_days"] else 1.0
    longest = max(result["lengths"])
    tracked = sum(1 for p in sim.states if cadence.effective_cadence(p, START))
    print(f"\n== {title} ==")
    print(f"{len(sim.states)} people ({tracked} cadence-tracked), {sim.days} days, cap {sim.limit} a day; "
          f"demand at exact cadence {demand(sim.states, START):.2f} pings/day before anyone writes first")
    print(f"owner pings {result['pings']} ({result['pings'] / sim.days:.2f}/day), "
          f"inbound {result['inbound']} ({result['inbound'] / sim.days:.2f}/day)   [{seconds:.1f} s]")
    print(f"on-time share (tracked person-days within cadence + grace): {100 * share:.2f} %   "
          f"(bar ≥ 95 %: {'met' if share >= 0.95 else f'MISSED by {100 * (0.95 - share):.2f} points'})")
    kinds = result.get("by_kind", {})
    print("on time, close relationships (cadence ≤ 60 days on day 0): "
          f"{pct(*kinds.get('close', (0, 0))).strip()}; mutual relationships: {pct(*kinds.get('mutual', (0, 0))).strip()}")
    print(f"longest Today list: {longest} (cap {sim.limit}: {'met' if longest <= sim.limit else 'EXCEEDED'}); "
          "days by list length: " + ", ".join(f"{n}: {c}" for n, c in sorted(result["lengths"].items())))
    print("per cadence:  " + "   ".join(
        f"{every} d: {pct(ok, total).strip()} of {total // sim.days if sim.days else 0} people"
        for every, (ok, total) in sorted(result["by_cadence"].items())))
    print("per year:     " + "   ".join(
        f"y{year + 1}: {pct(ok, total).strip()}" for year, (ok, total) in sorted(result["by_year"].items())))
    print(f"tracked people late at least once: {result['ever_late']} of {result['ever_tracked']}")
    total = sum(result["lead"].values()) or 1
    print("first reason of the entries pinged: " + ", ".join(
        f"{kind} {100 * n / total:.0f} %" for kind, n in result["lead"].most_common()))
    return share >= 0.95 and longest <= sim.limit


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hooks", action="store_true",
                        help="Run without events, content and milestones (cadence and replies only).")
    parser.add_argument("--both", action="store_true", help="Run with hooks and then without, same seed.")
    args = parser.parse_args(argv)
    limit = conf.get("RESTONS_TODAY_LIMIT")
    runs = [True, False] if args.both else [not args.no_hooks]
    met = True
    for hooks in runs:
        sim = Sim(args.people, args.years, args.seed, hooks, limit)
        started = time.perf_counter()
        result = sim.run()
        title = "with events, content and milestones" if hooks else "cadences and replies only (no hooks)"
        met &= report(title, sim, result, time.perf_counter() - started)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
