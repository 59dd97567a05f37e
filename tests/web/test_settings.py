"""Settings: language, time zone, phone region, Today's size and the password — saved and honoured."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from restons.models import Identity, Preferences
from restons.services.accounts import save_settings, settings_of
from restons.services.people import PersonInput, add_person

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# -- logging in ---------------------------------------------------------------


def test_login_by_email_ignores_its_case(alice):
    client = Client()
    response = client.post("/login/", {"login": "  Alice@EXAMPLE.org ", "password": "password"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_failed_logins_in_any_case_count_against_one_user(alice):
    """GIVEN five failures spelled in different cases THEN alice's account is locked from that address,
    whatever the case."""
    client = Client()
    for spelling in ("alice@example.org", "Alice@example.org", "ALICE@EXAMPLE.ORG", "alice@Example.org",
                     "aLiCe@example.org"):
        assert client.post("/login/", {"login": spelling, "password": "wrong"}).status_code == 200
    assert client.post("/login/", {"login": "alice@example.org", "password": "password"}).status_code == 429


# -- the page -------------------------------------------------------------------


def test_the_page_shows_what_applies(alice_client):
    page = alice_client.get("/settings/").content.decode()
    assert '<option value="" selected>Default (Europe/Paris)</option>' in page
    assert '<option value="" selected>Automatic: FR</option>' in page
    assert '<option value="America/New_York">America/New York</option>' in page
    assert '<option value="DE">DE (+49)</option>' in page
    assert 'name="today_limit"' in page and 'placeholder="5"' in page


def test_settings_are_saved_and_shown(alice_client, alice):
    response = alice_client.post("/settings/", {"language": "en", "time_zone": "America/New_York",
                                                "phone_region": "", "today_limit": "3"})
    assert response.status_code == 302 and response.url == "/settings/"
    assert list(Preferences.objects.filter(owner=alice).values_list(
        "language", "time_zone", "phone_region", "today_limit")) == [("en", "America/New_York", "", 3)]
    page = alice_client.get("/settings/").content.decode()
    assert '<option value="America/New_York" selected>' in page
    assert '<option value="" selected>Automatic: US</option>' in page  # New York's region
    assert 'value="3"' in page


@pytest.mark.parametrize(("data", "message"), [
    ({"language": "xx"}, "Select a valid choice. xx is not one of the available choices."),
    ({"language": "en", "time_zone": "Mars/Olympus"}, "Select a valid choice. Mars/Olympus is not one"),
    ({"language": "en", "phone_region": "ZZ"}, "Select a valid choice. ZZ is not one"),
    ({"language": "en", "today_limit": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"language": "en", "today_limit": "500"}, "Ensure this value is less than or equal to 50."),
])
def test_bad_settings_are_refused_with_a_400_and_nothing_is_stored(alice_client, alice, data, message):
    response = alice_client.post("/settings/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Preferences.objects.filter(owner=alice).exists()


def test_anonymous_visitors_and_forms_without_csrf_are_refused(alice, csrf_client):
    for url in ("/settings/", "/settings/password/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")
    assert csrf_client.post("/settings/", {"language": "en", "today_limit": "2"}).status_code == 403
    assert csrf_client.post("/settings/password/", {"old_password": "password", "new_password1": "x",
                                                    "new_password2": "x"}).status_code == 403
    assert not Preferences.objects.filter(owner=alice).exists()


def test_one_users_settings_do_not_touch_anothers(alice_client, bob_client, alice, bob):
    alice_client.post("/settings/", {"language": "fr", "time_zone": "Asia/Tokyo", "today_limit": "2"})
    assert settings_of(bob).today_limit == 5 and settings_of(bob).time_zone == "Europe/Paris"
    assert '<option value="" selected>Default (Europe/Paris)</option>' in bob_client.get("/settings/").content.decode()


# -- honoured -------------------------------------------------------------------


def test_todays_size_is_honoured_by_the_today_page(alice_client, alice, time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=UTC), tick=False)
    for n in range(6):
        add_person(alice, PersonInput(name=f"Person {n}", cadence_days=30))
    time_machine.move_to(datetime(2026, 9, 1, 12, 0, tzinfo=UTC), tick=False)  # everyone is due
    assert alice_client.get("/").content.decode().count('class="card entry') == 5
    alice_client.post("/settings/", {"language": "en", "today_limit": "2"})
    assert alice_client.get("/").content.decode().count('class="card entry') == 2


def test_the_web_app_follows_the_users_time_zone_and_leaves_none_behind(alice_client, bob_client, alice,
                                                                        time_machine):
    """GIVEN 23:30 UTC on 25 November WHEN alice is in New York and bob in Paris (the default)
    THEN alice's Today is the 25th, bob's the 26th, and no request leaves its zone active after it.
    """
    time_machine.move_to(datetime(2026, 11, 25, 23, 30, tzinfo=UTC), tick=False)
    save_settings(alice, language="en", time_zone="America/New_York")

    assert 'value="2026-11-25"' in alice_client.get("/").content.decode()
    assert timezone.get_current_timezone_name() == "Europe/Paris"
    assert 'value="2026-11-26"' in bob_client.get("/").content.decode()


def test_the_import_page_region_holds_the_users_region(alice_client, alice):
    assert 'name="region" value="FR"' in alice_client.get("/import/").content.decode()
    save_settings(alice, language="en", time_zone="America/New_York")
    assert 'name="region" value="US"' in alice_client.get("/import/").content.decode()
    save_settings(alice, language="en", time_zone="America/New_York", region="DE")
    assert 'name="region" value="DE"' in alice_client.get("/import/").content.decode()


def test_a_number_typed_on_a_person_page_follows_the_users_region(alice_client, alice, camille):
    save_settings(alice, language="en", time_zone="America/New_York")
    response = alice_client.post(f"/people/{camille.id}/edit/identities/", {"kind": "phone", "value": "06 12 34 56 78"},
                                 HTTP_HX_REQUEST="true")
    assert ("&#x27;06 12 34 56 78&#x27; is not a valid phone number in region US; write it with + and its country "
            "code, or change the phone region in Settings") in response.content.decode()
    assert not Identity.objects.filter(person=camille, kind="phone").exists()
    alice_client.post(f"/people/{camille.id}/edit/identities/", {"kind": "phone", "value": "(212) 555-0100"},
                      HTTP_HX_REQUEST="true")
    assert list(Identity.objects.filter(person=camille, kind="phone").values_list("value", flat=True)) == [
        "+12125550100"]


# -- the password ---------------------------------------------------------------


def test_changing_the_password_keeps_the_session(alice_client, alice):
    response = alice_client.post("/settings/password/", {
        "old_password": "password", "new_password1": "a long new pass phrase", "new_password2": "a long new pass phrase"})
    assert response.status_code == 302 and response.url == "/settings/"
    assert alice_client.get("/settings/").status_code == 200  # still logged in
    alice.refresh_from_db()
    assert alice.check_password("a long new pass phrase")
    fresh = Client()
    assert fresh.post("/login/", {"login": "alice@example.org", "password": "a long new pass phrase"}).status_code == 302


@pytest.mark.parametrize(("data", "message"), [
    ({"old_password": "wrong", "new_password1": "a long new pass phrase", "new_password2": "a long new pass phrase"},
     "Your old password was entered incorrectly."),
    ({"old_password": "password", "new_password1": "short", "new_password2": "short"},
     "This password is too short. It must contain at least 10 characters."),
    ({"old_password": "password", "new_password1": "a long new pass phrase", "new_password2": "another phrase!!"},
     "The two password fields"),
])
def test_a_bad_password_change_is_refused_and_nothing_changes(alice_client, alice, data, message):
    response = alice_client.post("/settings/password/", data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    alice.refresh_from_db()
    assert alice.check_password("password")


def test_the_settings_page_in_french(alice_client, alice):
    save_settings(alice, language="fr")
    page = alice_client.get("/settings/").content.decode()
    assert "Fuseau horaire" in page and "Changer le mot de passe" in page
