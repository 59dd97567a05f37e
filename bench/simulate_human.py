"""Today for a real life: a human owner beside the every-day one, with and without the pace proposals.

Usage (from the repository root)::

    .venv/bin/python bench/simulate_human.py [--people 500] [--contacts 750] [--years 5] [--seed 1]

Pure engine, no database, reusing ``bench/simulate.py``'s network (circles of
30, 60, 90 and 180 days, people who answer often, sometimes or never, events,
content and milestones) plus ``--contacts`` untracked address-book entries.
Three owners live the same five years:

* **every day**: opens Today every morning and pings everyone on it (simulate.py's owner);
* **human**: opens Today on 60 % of days (seeded), never during two two-week holidays a
  year, and snoozes a tenth of what it shows for a week; otherwise pings the rest. While
  catching up after a week or more away, Today shows what ``engine.pace.catch_up`` says;
* **human + proposals**: the same, and accepts every pace proposal (``engine.pace.advise``)
  the day it is offered.

Printed, per owner: the share of (day, person) pairs within cadence + grace for close
relationships (cadence ≤ 60 days on day 0), for mutual ones (reciprocity ``mutual`` that
day) and over everyone tracked (against the cadence in force that day), the longest Today
list, pings a day, the load before and after, and the proposals accepted. Bars: with the
proposals, close and mutual ≥ 95 %, everyone ≥ 90 %; without them, close ≥ 95 %; the cap
never exceeded. Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import date, timedelta

import simulate
from simulate import START, Sim, pct

from restons import conf  # noqa: E402
from restons.engine import cadence, pace  # noqa: E402
from restons.engine.today import eligible, plan_today  # noqa: E402

ACTIVE_SHARE = 0.6  # the human opens Today on 60 % of days
HOLIDAY_DAYS = 14  # two holidays a year, two weeks each
SNOOZE_SHARE = 0.1  # and snoozes one entry in ten for a week
SNOOZE_DAYS = 7


class HumanSim(Sim):
    def __init__(self, *args, accept: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.accept = accept
        self.owner_rng = random.Random(self.rng.random())  # the owner's whims: their own stream
        self.away = self._holidays()
        self.opened: set[date] = set()
        self.openings: list[pace.Opening] = []
        self.accepted: list[pace.Proposal] = []
        self.catching_up = 0  # days Today was shown catching up
        self.advice_days = 0  # days the proposals were offered

    def _holidays(self) -> set[int]:
        """Two two-week holidays a year, at seeded dates at least two months apart."""
        away = set()
        rng = self.owner_rng
        for year in range(self.days // 365 + 1):
            first = rng.randrange(0, 150)
            second = rng.randrange(first + HOLIDAY_DAYS + 60, 365 - HOLIDAY_DAYS)
            for start in (first, second):
                away.update(range(year * 365 + start, year * 365 + start + HOLIDAY_DAYS))
        return away

    def morning(self, today: date, d: int):
        rng = self.owner_rng
        if d in self.away or rng.random() >= ACTIVE_SHARE:
            return None  # Today not opened
        overdue = sum(1 for p in self.states if eligible(p, today) and cadence.status(p, today) == "overdue")
        self.opened.add(today)
        self.openings.append(pace.Opening(today, overdue))
        yesterday = today - timedelta(days=1)
        now = pace.measure(self.pings_by_day, self.opened, yesterday)
        if self.accept:
            self.consider_proposals(today, now)
        catching = pace.catch_up(self.openings, today, now, self.limit)
        self.catching_up += catching is not None
        # The whole ranking, so that while catching up every reply owed can come first.
        entries = pace.catch_up_order(plan_today(self.states, self.world(today), len(self.states)), catching)
        entries = entries[: self.limit]
        for entry in entries:
            i = self.index_of[entry.person.id]
            if rng.random() < SNOOZE_SHARE:
                self.states[i] = replace(self.states[i], snoozed_until=today + timedelta(days=SNOOZE_DAYS))
                continue
            self.lead[entry.reasons[0].kind] += 1
            self.ping(i, today, d, entry)
        return entries

    def circle_infos(self) -> list[pace.CircleInfo]:
        members: dict[int, list[int]] = {}
        for i, cid in self.circle_of.items():
            members.setdefault(cid, []).append(self.states[i].id)
        return [pace.CircleInfo(cid, name, every, tuple(members.get(cid, ())))
                for cid, (name, every) in sorted(self.circles.items())]

    def consider_proposals(self, today: date, now: pace.Pace) -> None:
        before = pace.measure(self.pings_by_day, self.opened, now.until - timedelta(days=pace.STAYS_DAYS))
        advice = pace.advise(self.states, self.circle_infos(), today, now, before, min(self.opened))
        if not advice.proposals:
            return
        self.advice_days += 1
        for proposal in advice.proposals:
            self.apply(proposal)
            self.accepted.append(proposal)

    def apply(self, proposal: pace.Proposal) -> None:
        """What ``restons pace apply`` does, on the simulated network."""
        if proposal.kind == "circle":
            self.circles[proposal.target][1] = proposal.to_days
            for i, cid in self.circle_of.items():
                if cid == proposal.target:
                    self.states[i] = replace(self.states[i], circle_cadences=(proposal.to_days,))
            return
        i = self.index_of[proposal.target]
        if proposal.kind == "person":
            self.states[i] = replace(self.states[i], cadence_days=proposal.to_days)
        else:  # untrack: no own cadence, out of the circles that track them
            self.circle_of.pop(i, None)
            self.states[i] = replace(self.states[i], cadence_days=None, circle_cadences=(), circles=())


def summary(title: str, sim: Sim, result: dict, seconds: float, load_start: float) -> dict:
    kinds = result["by_kind"]
    row = {
        "title": title,
        "close": kinds["close"][0] / kinds["close"][1],
        "mutual": kinds["mutual"][0] / kinds["mutual"][1],
        "everyone": result["ok_days"] / result["tracked_days"],
        "longest": max(result["lengths"]),
        "pings": result["pings"] / sim.days,
        "load_start": load_start,
        "load_end": pace.load(sim.states, START + timedelta(days=sim.days - 1)),
        "seconds": seconds,
    }
    print(f"\n== {title} ==   [{seconds:.0f} s]")
    print(f"on time: close {pct(*kinds['close']).strip()}, mutual {pct(*kinds['mutual']).strip()}, "
          f"everyone tracked {pct(result['ok_days'], result['tracked_days']).strip()}; "
          f"longest Today list {row['longest']} (cap {sim.limit})")
    print(f"pings {row['pings']:.2f}/day, inbound {result['inbound'] / sim.days:.2f}/day; "
          f"load {load_start:.2f} pings/day on day 0, {row['load_end']:.2f} at the end")
    print("per cadence in force that day: " + "   ".join(
        f"{every} d: {pct(ok, total).strip()}" for every, (ok, total) in sorted(result["by_cadence"].items())))
    total = sum(result["lead"].values()) or 1
    print("first reason of the entries pinged: " + ", ".join(
        f"{kind} {100 * n / total:.0f} %" for kind, n in result["lead"].most_common()))
    if isinstance(sim, HumanSim):
        print(f"Today opened on {len(sim.opened)} of {sim.days} days; catching up on {sim.catching_up} of them")
        if sim.accept:
            kinds_accepted = {}
            for p in sim.accepted:
                kinds_accepted[p.kind] = kinds_accepted.get(p.kind, 0) + 1
            circles = [f"{p.name}: {p.from_days} → {p.to_days} d" for p in sim.accepted if p.kind == "circle"]
            print(f"proposals accepted on {sim.advice_days} days: {kinds_accepted or 'none'}"
                  + (f"; circles {', '.join(circles)}" if circles else ""))
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--contacts", type=int, default=750, help="Untracked address-book entries besides them.")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("every-day", "human", "proposals"), help="Run one owner only.")
    args = parser.parse_args(argv)
    limit = conf.get("RESTONS_TODAY_LIMIT")
    owners = [("every-day", "every day, pings all of Today", lambda: Sim(
                   args.people, args.years, args.seed, True, limit, contacts=args.contacts)),
              ("human", "human: 60 % of days, two holidays, snoozes; proposals ignored", lambda: HumanSim(
                   args.people, args.years, args.seed, True, limit, contacts=args.contacts, accept=False)),
              ("proposals", "human, accepting the pace proposals", lambda: HumanSim(
                   args.people, args.years, args.seed, True, limit, contacts=args.contacts, accept=True))]
    rows = {}
    for key, title, make in owners:
        if args.only and key != args.only:
            continue
        sim = make()
        load_start = pace.load(sim.states, START)
        started = time.perf_counter()
        result = sim.run()
        rows[key] = summary(title, sim, result, time.perf_counter() - started, load_start)
    print("\n| owner | close | mutual | everyone tracked | longest list | pings/day | load day 0 → end |")
    print("|---|---|---|---|---|---|---|")
    for key, row in rows.items():
        print(f"| {row['title']} | {100 * row['close']:.1f} % | {100 * row['mutual']:.1f} % | "
              f"{100 * row['everyone']:.1f} % | {row['longest']} | {row['pings']:.2f} | "
              f"{row['load_start']:.2f} → {row['load_end']:.2f} |")
    met = all(row["longest"] <= limit for row in rows.values())
    if "human" in rows:
        met &= rows["human"]["close"] >= 0.95
    if "proposals" in rows:
        row = rows["proposals"]
        met &= row["close"] >= 0.95 and row["mutual"] >= 0.95 and row["everyone"] >= 0.90
    print(f"\nbars: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
