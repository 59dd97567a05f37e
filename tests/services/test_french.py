"""``today_list`` drafts in French, whatever language is active in the process."""

from __future__ import annotations

from pathlib import Path

import pytest

import restons
from restons.services.today import today_list

pytestmark = [
    pytest.mark.usefixtures("frozen"),
    pytest.mark.skipif(
        not (Path(restons.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo").exists(),
        reason="the French catalogue is not compiled yet",
    ),
]


def test_language_argument_and_setting_give_french_drafts(alice, person, ping, monkeypatch):
    bruno = person("Bruno Petit", cadence_days=30)
    ping(bruno, "2026-04-01")

    (english,) = today_list(alice)
    (french,) = today_list(alice, language="fr")
    monkeypatch.setenv("RESTONS_LANGUAGE", "fr")
    (configured,) = today_list(alice)

    assert english["draft"] == "Hi Bruno, it has been a while! How are you doing?"
    assert french["draft"] == "Bonjour Bruno, ça fait un moment\u00a0! Comment vas-tu\u00a0?"
    assert configured["draft"] == french["draft"]
