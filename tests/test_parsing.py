"""Durations typed by users, in English units or French ones, and their canonical spelling."""

from __future__ import annotations

import pytest

from restons.parsing import format_duration, parse_duration
from restons.services.errors import UserError


@pytest.mark.parametrize(
    "text, days",
    [
        ("10d", 10), ("10j", 10), ("10J", 10),
        ("2w", 14), ("2s", 14), ("2sem", 14), ("2 SEM", 14),
        ("3m", 90), (" 3M ", 90),
        ("1y", 365), ("1a", 365), ("10a", 3650),
    ],
)
def test_english_and_french_units_are_read(text, days):
    assert parse_duration(text) == days


@pytest.mark.parametrize("text", ["3 weeks", "2semaines", "1an", "j", "10", "10x", "-3m", "1.5m", ""])
def test_anything_else_is_not_a_duration(text):
    with pytest.raises(UserError, match="is not a duration"):
        parse_duration(text)


def test_the_french_error_gives_french_examples(settings):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(UserError) as error:
        parse_duration("bientôt")

    assert str(error.value) == (
        "'bientôt' n’est pas une durée\u00a0; donnez un nombre et une unité, par exemple 10j, 2s, 3m ou 1a"
    )


@pytest.mark.parametrize("days, text", [(10, "10d"), (14, "2w"), (90, "3m"), (365, "1y"), (None, "")])
def test_format_duration_stays_canonical_whatever_the_language(days, text, settings):
    from django.utils import translation

    with translation.override("fr"):
        assert format_duration(days) == text
