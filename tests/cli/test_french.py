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

FRENCH_DRAFT = "Bonjour {name}, ça fait un moment\u00a0! Comment vas-tu\u00a0?"


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

