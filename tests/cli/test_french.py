"""Drafts and reasons in French when ``RESTONS_LANGUAGE=fr``."""

from __future__ import annotations

from pathlib import Path

import pytest

import restons

pytestmark = [
    pytest.mark.usefixtures("frozen"),
    pytest.mark.skipif(
        not (Path(restons.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo").exists(),
        reason="the French catalogue is not compiled yet",
    ),
]

FRENCH_DRAFT = "Bonjour {name}, ça fait un moment\u00a0! Comment vas-tu\u00a0?"  # no-break spaces before ! and ?


@pytest.fixture
def french(monkeypatch, settings):
    monkeypatch.setenv("RESTONS_LANGUAGE", "fr")
    settings.LANGUAGE_CODE = "fr"


def test_today_drafts_are_french_for_overdue_and_due_people(restons, alice, french):
    """GIVEN Bruno overdue and Chloé due today, and RESTONS_LANGUAGE=fr
    WHEN  `today --json` runs
    THEN  both drafts are the French template with the first name.
    """
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")
    restons.ok("person", "add", "Chloé Roux", "--every", "30d")
    restons.ok("ping", "Chloé", "--at", "2026-05-16")

    entries = restons.ok("today", "--json").json

    assert [(e["person"]["name"], e["reasons"][0]["kind"], e["draft"]) for e in entries] == [
        ("Bruno Petit", "overdue", FRENCH_DRAFT.format(name="Bruno")),
        ("Chloé Roux", "due", FRENCH_DRAFT.format(name="Chloé")),
    ]



def test_person_show_stats_and_messages_speak_french(restons, alice, french):
    """GIVEN RESTONS_LANGUAGE=fr and Bruno with a ping, an outcome and a cadence in French units
    WHEN  the commands print for people (not --json)
    THEN  dates, outcome kinds, channels and colons are French; the JSON keeps its codes and ISO dates.
    """
    restons.ok("person", "add", "Bruno Petit", "--every", "2s")
    pinged = restons.ok("ping", "Bruno", "--at", "2026-06-01T18:30", "--via", "text")
    logged = restons.ok("outcome", "add", "Bruno", "--kind", "referral-received", "--at", "2026-06-02")

    show = restons.ok("person", "show", "Bruno").out
    stats = restons.ok("stats").out

    assert pinged.out == "Signe noté avec Bruno Petit\u00a0; prochain le 15 juin 2026.\n"
    assert logged.out == "Résultat noté avec Bruno Petit\u00a0: recommandation reçue.\n"
    assert "Rythme\u00a0: toutes les 2 semaines" in show
    assert "Dernier contact\u00a0: 1 juin 2026 à 18:30" in show
    assert "Résultats\u00a0: recommandation reçue (2 juin 2026)" in show
    assert "SMS" in show and "1 juin 2026 à 18:30" in show  # the timeline
    assert "1 personnes" not in stats and "au 15 juin 2026" in stats and "recommandation reçue" in stats
    detail = restons.ok("person", "show", "Bruno", "--json").json
    assert detail["outcomes"] == [{"kind": "referral-received", "at": "2026-06-02", "note": ""}]
    assert detail["cadence_days"] == 14 and detail["next_due"] == "2026-06-15"


def test_today_bullets_put_a_space_before_the_colon(restons, alice, french):
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")

    out = restons.ok("today").out

    assert "   • en retard\u00a0: 45 jours de retard\u00a0; dernier contact le 1 avril 2026\n" in out


def test_a_pledge_for_one_person_says_one_person(restons, alice, french):
    restons.ok("person", "add", "Bruno Petit")

    result = restons.ok("leave", "Agence Lumen", "--on", "2026-06-10", "--person", "Bruno", "--every", "2m")

    assert result.out == (
        "Engagement pour Agence Lumen le 10 juin 2026\u00a0: 1 personne, premier signe sous 14 jours.\n"
    )
