"""``restons review`` and ``restons drift``: the documented JSON, the table, the standalone page, bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import restons as restons_package
from restons.services import drift as drift_service
from restons.services import review as review_service
from restons.services.planning import add_outcome
from restons.services.review import review
from tests.services.year import build_year

FRENCH_COMPILED = (Path(restons_package.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo").exists()


@pytest.fixture
def year(alice, frozen, monkeypatch):
    monkeypatch.setenv("RESTONS_USER", "alice@example.org")
    return build_year(alice)


def test_review_json_is_the_services_review(restons, alice, year):
    data = restons.ok("review", "--year", "2025", "--json").json
    assert data == review(alice, 2025)
    assert data["totals"] == {"in": 5, "out": 8, "together": 1, "people_in_touch": 5}
    assert [p["name"] for p in data["went_quiet"]["people"]] == ["Hugo Moreau"]
    assert [p["name"] for p in data["came_back"]["people"]] == ["Léa Dubois"]
    assert [(e["name"], e["before"], e["after"]) for e in data["grew"]] == [
        ("Léa Dubois", 3, 41), ("Inès Laurent", 0, 35), ("Noah Bennett", 0, 25)]
    assert data["first_move"] == {"you": 5, "them": 3, "together": 1}
    assert [m["out"] for m in data["months"]] == [1, 1, 2, 1, 1, 0, 0, 0, 1, 0, 0, 1]


def test_without_a_year_the_last_12_months(restons, year):
    data = restons.ok("review", "--json").json
    assert (data["period"]["kind"], data["period"]["start"], data["period"]["end"]) == (
        "last-12-months", "2025-07-01", "2026-06-15")
    earlier = restons.ok("review", "--date", "2026-01-31", "--json").json
    assert (earlier["period"]["start"], earlier["period"]["end"]) == ("2025-02-01", "2026-01-31")


def test_review_as_a_table(restons, year):
    """Dates written out, months by name, counts right-aligned, outcome kinds by their label."""
    out = restons.ok("review", "--year", "2025").out
    assert [line.rstrip() for line in out.splitlines()] == [
        "Review: 2025 (1 January 2025 to 31 December 2025)",
        "5 people in touch; pings: 8 from you, 5 from them.",
        "Who reached out first: you 5, them 3, together 1.",
        "Stayed in touch (1): Camille Martin",
        "You carried (1): Noah Bennett",
        "They carried (2): Inès Laurent, Oliver Grant",
        "Went quiet (1): Hugo Moreau",
        "Came back (1): Léa Dubois",
        "New people (3): Noah Bennett, Inès Laurent, Maya Patel",
        "Pings per month",
        "┏━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━┓",
        "┃ Month          ┃ From them ┃ From you ┃ You first ┃ They first ┃",
        "┡━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━┩",
        "│ January 2025   │         0 │        1 │         0 │          0 │",
        "│ February 2025  │         1 │        1 │         1 │          0 │",
        "│ March 2025     │         0 │        2 │         2 │          0 │",
        "│ April 2025     │         1 │        1 │         0 │          1 │",
        "│ May 2025       │         1 │        1 │         1 │          1 │",
        "│ June 2025      │         0 │        0 │         0 │          0 │",
        "│ July 2025      │         0 │        0 │         0 │          0 │",
        "│ August 2025    │         0 │        0 │         0 │          0 │",
        "│ September 2025 │         1 │        1 │         0 │          0 │",
        "│ October 2025   │         1 │        0 │         0 │          1 │",
        "│ November 2025  │         0 │        0 │         0 │          0 │",
        "│ December 2025  │         0 │        1 │         1 │          0 │",
        "└────────────────┴───────────┴──────────┴───────────┴────────────┘",
        "Leaving Lumen, 1 March 2025: adherence 33%; still in touch: Camille Martin, Noah Bennett",
        "What staying in touch brought you: client × 1",
        "  Client, 20 May 2025, through Oliver Grant",
        "Grew most: Léa Dubois 3 → 41 — More mutual: 1 from them and 1 from you (the year before: 0 and 0)",
        "Grew most: Inès Laurent 0 → 35 — New: first in touch on 20 October 2025",
        "Grew most: Noah Bennett 0 → 25 — New: first in touch on 1 March 2025",
        "Faded most: Hugo Moreau 55 → 2 — Last in touch on 1 December 2024",
        "Faded most: Oliver Grant 41 → 27 — More one-sided: 1 from them and 0 from you (the year before: 1 and 1)",
    ]


def test_one_person_in_touch_is_one_person(restons, alice, frozen, monkeypatch):
    monkeypatch.setenv("RESTONS_USER", "alice@example.org")
    restons.ok("person", "add", "Bruno [Acme] Petit")  # (brackets in a name are text, not Rich markup)
    restons.ok("ping", "Bruno", "--at", "2026-03-02T12:00")

    out = restons.ok("review").out

    assert "\n1 person in touch; pings: 1 from you, 0 from them.\n" in out
    assert "\nNew people (1): Bruno [Acme] Petit\n" in out
    assert "What staying in touch brought you" not in out  # nothing brought, no line


def test_the_first_twelve_outcomes_then_how_many_more(restons, alice, year):
    """As the page: the count per kind, the first 12 outcomes in date order, then "and one more", "and 2 more"."""
    kinds = ["friendship", "intro", "meetup", "job-lead"]
    for n in range(12):  # with Oliver's client on 20 May: 13 in 2025
        add_outcome(alice, year["camille"], kinds[n % 4], date(2025, 6, 1 + n))

    out = restons.ok("review", "--year", "2025").out

    brought = out[out.index("What staying in touch brought you"):out.index("Grew most")]
    assert brought.splitlines() == [
        "What staying in touch brought you: client × 1, job lead × 3, introduction × 3, meetup × 3, friendship × 3",
        "  Client, 20 May 2025, through Oliver Grant",
        "  Friendship, 1 June 2025, through Camille Martin",
        "  Introduction, 2 June 2025, through Camille Martin",
        "  Meetup, 3 June 2025, through Camille Martin",
        "  Job lead, 4 June 2025, through Camille Martin",
        "  Friendship, 5 June 2025, through Camille Martin",
        "  Introduction, 6 June 2025, through Camille Martin",
        "  Meetup, 7 June 2025, through Camille Martin",
        "  Job lead, 8 June 2025, through Camille Martin",
        "  Friendship, 9 June 2025, through Camille Martin",
        "  Introduction, 10 June 2025, through Camille Martin",
        "  Meetup, 11 June 2025, through Camille Martin",
        "  and one more",
    ]
    add_outcome(alice, year["noah"], "client", date(2025, 12, 1))
    assert "\n  and 2 more\n" in restons.ok("review", "--year", "2025").out


def _inflated(monkeypatch):
    """The 2025 review with the numbers of a 20,000-person network, to see them grouped."""
    computed = review_service.review

    def big(owner, year=None, day=None):
        data = computed(owner, year, day)
        data["totals"].update(people_in_touch=10941, out=244491, **{"in": 216092})
        data["first_move"].update(you=28280, them=22499, together=10890)
        data["stayed"]["count"] = 5416
        data["months"][0].update(out=14939, **{"in": 13459})
        data["months"][0]["first_move"].update(you=2488, them=1996)
        data["outcomes"]["counts"]["friendship"] = 1046
        return data

    monkeypatch.setattr(review_service, "review", big)


def test_counts_are_grouped(restons, year, monkeypatch):
    _inflated(monkeypatch)

    out = restons.ok("review", "--year", "2025").out

    assert "\n10,941 people in touch; pings: 244,491 from you, 216,092 from them.\n" in out
    assert "\nWho reached out first: you 28,280, them 22,499, together 10,890.\n" in out
    assert "\nStayed in touch (5,416): Camille Martin and 5,415 more\n" in out
    assert "\n│ January 2025   │    13,459 │   14,939 │     2,488 │      1,996 │\n" in out
    assert "\nWhat staying in touch brought you: client × 1, friendship × 1,046\n" in out
    assert "\n  and 1,046 more\n" in out  # 1,047 outcomes, one shown (the 2025 review has only Oliver's listed)


def test_review_html_writes_one_self_contained_page(restons, year, tmp_path):
    target = tmp_path / "review.html"
    out = restons.ok("review", "--year", "2025", "--html", target).out
    assert f"Written to {target}." in out
    html = target.read_text(encoding="utf-8")
    assert "Your year in review: 2025" in html and "<svg" in html and "<style>" in html
    assert "<script" not in html and "href=" not in html and "src=" not in html


@pytest.mark.parametrize("args, message", [
    (["--year", "1850"], "year 1850 is out of range; use a year from 1900 to 2026"),
    (["--year", "2027"], "year 2027 is out of range; use a year from 1900 to 2026"),
    (["--year", "next"], "'next' is not a valid integer"),
    (["--date", "2026-13-01"], "2026-13-01"),
])
def test_bad_input_is_one_line(restons, year, args, message):
    result = restons("review", *args)
    assert result.code != 0 and message in result.err and result.err.count("\n") == 1 and result.out == ""


def test_an_unwritable_html_path_is_one_line(restons, year, tmp_path):
    result = restons("review", "--html", tmp_path / "missing" / "review.html")
    assert result.code == 1 and result.err.startswith("restons: cannot write ") and result.err.count("\n") == 1


def test_drift_json(restons, alice, frozen, monkeypatch):
    """Hugo (every 3 months) was last in touch on 1 June 2025: dormant since 2 June 2026."""
    monkeypatch.setenv("RESTONS_USER", "alice@example.org")
    restons.ok("person", "add", "Hugo Moreau", "--every", "3m")
    restons.ok("ping", "Hugo", "--at", "2025-06-01T12:00")
    data = restons.ok("drift", "--json").json
    assert data["date"] == "2026-06-15" and data["days"] == 30
    assert data["overdue"] == {"count": 0, "people": []}
    assert [(p["name"], p["since"], p["last_touch"], p["cadence_days"]) for p in data["dormant"]["people"]] == [
        ("Hugo Moreau", "2026-06-02", "2025-06-01", 90)]
    assert restons.ok("drift", "--date", "2026-05-01", "--json").json["dormant"]["count"] == 0


def test_drift_as_text(restons, alice, frozen, monkeypatch):
    """Every person listed, the day written out; the counts grouped."""
    monkeypatch.setenv("RESTONS_USER", "alice@example.org")
    restons.ok("person", "add", "Hugo [/b] Moreau", "--every", "3m")  # a name is text, never Rich markup
    restons.ok("ping", "Hugo", "--at", "2025-06-01T12:00")
    hugo = restons.ok("drift", "--json").json["dormant"]["people"][0]

    assert restons.ok("drift").out == (
        "Went overdue: 0\n"
        "Went dormant: 1\n"
        f"  Hugo [/b] Moreau (#{hugo['id']}), since 2 June 2026, strength {hugo['strength']}\n"
    )
    slipped = drift_service.drift

    def many(owner, day=None):
        data = slipped(owner, day)
        data["dormant"]["count"] = 1389
        data["dormant"]["people"] *= 60  # more than the page's 50: the command still lists them all
        return data

    monkeypatch.setattr(drift_service, "drift", many)
    lines = restons.ok("drift").out.splitlines()
    assert lines[1] == "Went dormant: 1,389" and len(lines) == 2 + 60 and lines[-1] == lines[2]


@pytest.mark.skipif(not FRENCH_COMPILED, reason="the French catalogue is not compiled yet")
def test_french_dates_and_counts(restons, year, monkeypatch, settings):
    """In French: days and months written out in French, counts grouped with a no-break space."""
    monkeypatch.setenv("RESTONS_LANGUAGE", "fr")
    settings.LANGUAGE_CODE = "fr"
    _inflated(monkeypatch)

    out = restons.ok("review", "--year", "2025").out

    assert "1 janvier 2025" in out and "31 décembre 2025" in out
    assert "10\u00a0941" in out and "244\u00a0491" in out and "(5\u00a0416)" in out and "5\u00a0415" in out
    assert "\n│ janvier 2025   │       13\u00a0459 │" in out and "│ décembre 2025  │" in out
    assert "Lumen, 1 mars 2025" in out and "20 mai 2025" in out and "× 1\u00a0046" in out
    assert "2025-" not in out  # no ISO date left
    restons.ok("person", "add", "Yann Petit", "--every", "3m")
    restons.ok("ping", "Yann", "--at", "2025-06-01T12:00")
    assert "depuis le 2 juin 2026" in restons.ok("drift").out
