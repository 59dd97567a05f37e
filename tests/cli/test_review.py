"""``restons review`` and ``restons drift``: the documented JSON, the table, the standalone page, bad input."""

from __future__ import annotations

import pytest

from restons.services.review import review
from tests.services.year import build_year


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
    out = restons.ok("review", "--year", "2025").out
    assert "Review: 2025 (2025-01-01 to 2025-12-31)" in out
    assert "5 people in touch; 8 pings from you, 5 from them." in out
    assert "Who reached out first: you 5, them 3, together 1." in out
    assert "Went quiet (1): Hugo Moreau" in out and "Came back (1): Léa Dubois" in out
    assert "Pledge Lumen (2025-03-01): adherence 33%; still in touch: Camille Martin, Noah Bennett" in out
    assert "Faded most: Hugo Moreau 55 → 2 — Last in touch on 1 December 2024" in out


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
    assert "Hugo Moreau" in restons.ok("drift").out
