"""Values outside the documented limits are refused at the parsers every entrance shares."""

from __future__ import annotations

from datetime import date

import pytest

from restons import limits
from restons.parsing import parse_date, parse_datetime, parse_duration
from restons.services.errors import NotFound, UserError


@pytest.mark.parametrize("text", ["10000y", "11y", "3651d", "0d"])
def test_a_duration_beyond_ten_years_or_of_nothing_is_refused(text):
    with pytest.raises(UserError):
        parse_duration(text)


def test_the_longest_duration_is_accepted():
    assert parse_duration("10y") == limits.DURATION_MAX_DAYS


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_a_date_out_of_range_is_refused_with_the_range_named(text):
    with pytest.raises(UserError, match="1900-01-01 and 2199-12-31"):
        parse_date(text)


def test_a_date_time_out_of_range_is_refused(settings):
    with pytest.raises(UserError, match="out of range"):
        parse_datetime("9999-12-31T23:30")


def test_dates_at_the_limits_are_accepted():
    assert parse_date("1900-01-01") == date(1900, 1, 1)
    assert parse_date("2199-12-31") == date(2199, 12, 31)


def test_long_text_is_refused_by_forms_and_cut_by_importers():
    text = "x" * (limits.TEXT_MAX + 1)
    with pytest.raises(UserError, match="10000"):
        limits.check_text(text, "The note")
    cut, was_cut = limits.cut_text(text)
    assert was_cut and len(cut) == limits.TEXT_MAX
    assert limits.cut_text("short") == ("short", False)


@pytest.mark.django_db
def test_an_id_of_twenty_digits_is_bad_input_not_a_missing_row_nor_an_error(alice):
    from restons.models import Person
    from restons.services.access import get_owned

    for value in ("12345678901234567890", 10**20, "12a"):
        with pytest.raises(UserError, match="is not an id") as refused:
            get_owned(Person, alice, pk=value)
        assert not isinstance(refused.value, NotFound)
    with pytest.raises(NotFound):
        get_owned(Person, alice, pk=123456)  # an id, of nobody's person
