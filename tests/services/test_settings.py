"""Per-user settings: the phone region, the time zone and Today's size win over the instance's defaults."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from restons import regions
from restons.identities import InvalidIdentity, normalise_phone
from restons.models import Checkup, Identity
from restons.services.accounts import save_settings, settings_of
from restons.services.checkups import refresh_all
from restons.services.errors import UserError
from restons.services.people import PersonInput, add_person, find_person
from restons.services.today import today_list


@pytest.mark.parametrize(("zone", "region"), [
    ("Europe/Paris", "FR"), ("America/New_York", "US"), ("Europe/Berlin", "DE"), ("America/Montreal", None),
    ("Europe/Brussels", "BE"), ("America/Toronto", "CA"), ("Indian/Reunion", "RE"), ("UTC", None),
    ("Nowhere/Atlantis", None),
])
def test_the_country_of_a_time_zone(zone, region):
    assert regions.country_of(zone) == region


def test_every_zone_gives_a_region_phonenumbers_reads_and_only_those():
    """country_of does not import phonenumbers: its list of countries without a region must match phonenumbers'."""
    import phonenumbers

    for zone, code in regions.zone_countries().items():
        expected = code if code in phonenumbers.SUPPORTED_REGIONS else None
        assert regions.country_of(zone) == expected, zone
    assert not regions.NO_PHONE_REGION & set(phonenumbers.SUPPORTED_REGIONS)


def test_a_zone_without_a_country_falls_back_on_the_language():
    assert regions.default_region("UTC", "fr") == "FR"
    assert regions.default_region("UTC", "en") == "US"
    assert regions.default_region("Europe/Berlin", "fr") == "DE"


def test_the_instance_region_defaults_from_its_time_zone(monkeypatch):
    from restons import conf

    monkeypatch.delenv("RESTONS_DEFAULT_REGION")
    monkeypatch.setenv("RESTONS_TIME_ZONE", "America/Chicago")
    assert conf.get("RESTONS_DEFAULT_REGION") == "US"
    monkeypatch.setenv("RESTONS_TIME_ZONE", "Europe/Paris")
    assert conf.get("RESTONS_DEFAULT_REGION") == "FR"
    monkeypatch.setenv("RESTONS_TIME_ZONE", "UTC")
    monkeypatch.setenv("RESTONS_LANGUAGE", "fr")
    assert conf.get("RESTONS_DEFAULT_REGION") == "FR"


def test_a_user_who_chose_nothing_gets_the_instance_defaults(alice, monkeypatch):
    monkeypatch.setenv("RESTONS_TODAY_LIMIT", "7")
    found = settings_of(alice)
    assert (found.time_zone, found.region, found.today_limit, found.language) == ("Europe/Paris", "FR", 7, "")


def test_the_region_follows_the_users_time_zone_unless_chosen(alice):
    """GIVEN an instance in region FR WHEN alice moves to New York THEN her region is US, until she chooses one."""
    assert save_settings(alice, language="en", time_zone="America/New_York").region == "US"
    assert save_settings(alice, language="en", time_zone="America/New_York", region="de").region == "DE"
    assert save_settings(alice, language="en", time_zone="UTC").region == "FR"  # no country: the instance's


def test_without_any_region_set_the_users_language_decides(alice, settings, monkeypatch):
    monkeypatch.delenv("RESTONS_DEFAULT_REGION")
    settings.TIME_ZONE = "UTC"
    assert settings_of(alice).region == "US"
    assert save_settings(alice, language="fr").region == "FR"


@pytest.mark.parametrize(("fields", "message"), [
    ({"language": "xx"}, "Unknown language 'xx'."),
    ({"language": "en", "time_zone": "Mars/Olympus"}, "Unknown time zone 'Mars/Olympus'; choose one from the list, e.g. Europe/Paris."),
    ({"language": "en", "region": "ZZ"}, "unknown phone region 'ZZ'; use a two-letter code such as FR or US"),
    ({"language": "en", "today_limit": "0"}, "Today's size must be a number from 1 to 50."),
    ({"language": "en", "today_limit": "51"}, "Today's size must be a number from 1 to 50."),
    ({"language": "en", "today_limit": "five"}, "Today's size must be a number from 1 to 50."),
])
def test_bad_settings_are_refused_and_nothing_is_stored(alice, fields, message):
    with pytest.raises(UserError) as error:
        save_settings(alice, **fields)
    assert str(error.value) == message
    assert settings_of(alice).chosen_time_zone == ""


# -- phone numbers -----------------------------------------------------------


def test_a_national_number_is_read_in_the_region():
    assert normalise_phone("06 12 34 56 78", "FR") == "+33612345678"
    assert normalise_phone("(212) 555-0100", "US") == "+12125550100"
    assert normalise_phone("+49 170 1234567", "US") == "+491701234567"


def test_a_number_not_valid_in_the_region_is_refused_with_one_line():
    with pytest.raises(InvalidIdentity) as error:
        normalise_phone("06 12 34 56 78", "US")
    assert str(error.value) == ("'06 12 34 56 78' is not a valid phone number in region US; write it with + and "
                                "its country code, or change the phone region in Settings")
    with pytest.raises(InvalidIdentity) as error:
        normalise_phone("+33 0 12 34 56 78")
    assert str(error.value) == "'+33 0 12 34 56 78' is not a valid phone number"


def test_people_get_numbers_in_their_owners_region(alice, bob):
    """GIVEN alice in Paris and bob in New York WHEN each types a national number THEN each region applies."""
    save_settings(bob, language="en", time_zone="America/New_York")

    add_person(alice, PersonInput(name="Camille", phones=["06 12 34 56 78"]))
    add_person(bob, PersonInput(name="Dana", phones=["(212) 555-0100"]))

    assert list(Identity.objects.filter(owner=alice).values_list("value", flat=True)) == ["+33612345678"]
    assert list(Identity.objects.filter(owner=bob).values_list("value", flat=True)) == ["+12125550100"]
    with pytest.raises(UserError) as error:
        add_person(bob, PersonInput(name="Camille", phones=["06 12 34 56 78"]))
    assert "not a valid phone number in region US" in str(error.value)
    assert find_person(bob, "212 555 0100").name == "Dana"


# -- Today's size and the time zone ------------------------------------------


def test_todays_size_is_the_users_choice(alice, monkeypatch, time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
    monkeypatch.setenv("RESTONS_TODAY_LIMIT", "5")
    for n in range(8):
        add_person(alice, PersonInput(name=f"Person {n}", cadence_days=30))
    day = date(2026, 9, 1)  # everyone due
    assert len(today_list(alice, day)) == 5
    save_settings(alice, language="en", today_limit="2")
    assert len(today_list(alice, day)) == 2
    assert len(today_list(alice, day, limit=3)) == 3  # --limit still wins for one call


def test_the_background_loop_computes_each_users_day_in_their_time_zone(alice, bob, time_machine):
    """GIVEN it is 23:30 UTC on 25 November
    WHEN  the background loop runs
    THEN  alice (Paris, already the 26th) and bob (New York, still the 25th) each get their own day.
    """
    time_machine.move_to(datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
    save_settings(bob, language="en", time_zone="America/New_York")
    add_person(alice, PersonInput(name="Camille"))
    add_person(bob, PersonInput(name="Dana"))

    assert refresh_all() == 2

    assert Checkup.objects.get(owner=alice).day == date(2026, 11, 26)
    assert Checkup.objects.get(owner=bob).day == date(2026, 11, 25)
    assert refresh_all() == 0


def test_a_new_time_zone_recomputes_the_kept_verdicts(alice):
    add_person(alice, PersonInput(name="Camille"))
    refresh_all()
    assert Checkup.objects.filter(owner=alice).count() == 1
    save_settings(alice, language="en", time_zone="Europe/Paris")  # the same zone: nothing to redo
    assert Checkup.objects.filter(owner=alice).count() == 1
    save_settings(alice, language="en", time_zone="Asia/Tokyo")
    assert Checkup.objects.filter(owner=alice).count() == 0
