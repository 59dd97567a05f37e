"""Accounts on the web: the first account is the admin, invitations, the Users page, deleting an account,
password resets, sign-up, two factors required, re-authentication."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from restons.models import Invitation, Person, Preferences
from restons.services import users
from restons.services.people import PersonInput, add_person

pytestmark = pytest.mark.django_db
PASSWORD = "a long pass phrase"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin(db):
    """The instance's admin, as the welcome page makes it."""
    return users.create_account("owner@example.org", PASSWORD, admin=True)


@pytest.fixture
def admin_client(admin) -> Client:
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _token(link: str) -> str:
    return re.search(r"/invite/([^/]+)/$", link).group(1)


def _recently_authenticated(client, password):
    """Type the password again on the re-authentication page: sensitive actions are open for 5 minutes."""
    assert client.post("/accounts/reauthenticate/", {"password": password}).status_code == 302


# -- the first account -----------------------------------------------------------------------------


def test_the_first_account_is_the_admin_and_never_a_django_superuser():
    response = Client().post("/welcome/", {"email": "owner@example.org", "password": PASSWORD})
    assert response.status_code == 302
    owner = get_user_model().objects.get()
    assert users.is_admin(owner) and not owner.is_superuser and not owner.is_staff


# -- invitations -----------------------------------------------------------------------------------


def test_an_admin_invites_by_mail_and_the_invited_user_joins(admin_client, admin, mail_on):
    """GIVEN the admin invites bob WHEN bob opens the mailed link and chooses a password
    THEN he is logged in as a normal user, his address verified, and the link is spent."""
    response = admin_client.post("/users/", {"email": "Bob@Example.org"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Invitation mailed to bob@example.org" in page
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    link = re.search(r"http://\S+/invite/\S+/", mail.outbox[0].body).group(0)
    assert link in page

    bob = Client()
    path = link.removeprefix("http://127.0.0.1:8000")
    assert "bob@example.org" in bob.get(path).content.decode()
    joined = bob.post(path, {"password": PASSWORD})
    assert joined.status_code == 302 and joined.url == "/"
    assert bob.get("/").status_code == 200
    created = get_user_model().objects.get(email="bob@example.org")
    assert not users.is_admin(created) and not created.is_superuser and not created.is_staff
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=created).verified
    # Once only.
    assert Client().get(path).status_code == 404
    assert Client().post(path, {"password": PASSWORD}).status_code == 404
    assert get_user_model().objects.filter(email="bob@example.org").count() == 1


def test_an_invitation_expires(admin, time_machine):
    invited = users.invite("bob@example.org", by=admin)
    time_machine.move_to(timezone.now() + timedelta(days=users.INVITATION_DAYS, seconds=1))
    response = Client().get(f"/invite/{_token(invited.link)}/")
    assert response.status_code == 404
    assert "it was used already, or it expired" in response.content.decode()


def test_a_weak_password_or_an_unknown_link_creates_nothing(admin):
    invited = users.invite("bob@example.org", by=admin)
    response = Client().post(f"/invite/{_token(invited.link)}/", {"password": "123"})
    assert response.status_code == 400 and "too short" in response.content.decode()
    assert Client().get("/invite/not-a-token/").status_code == 404
    assert not get_user_model().objects.filter(email="bob@example.org").exists()


def test_an_invitation_for_an_existing_account_is_refused(admin_client, admin):
    response = admin_client.post("/users/", {"email": "OWNER@example.org"})
    assert response.status_code == 400
    assert "There is already an account for owner@example.org." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_invited_user_sees_nothing_of_the_admins_data(admin, admin_client):
    """Isolation holds for the new roles: bob, invited by the admin, gets a 404 for the admin's person,
    and the admin gets a 404 for bob's."""
    carol = add_person(admin, PersonInput(name="Carol Vidal", emails=["carol@example.com"]))
    invited = users.invite("bob@example.org", by=admin)
    bob = Client()
    bob.post(f"/invite/{_token(invited.link)}/", {"password": PASSWORD})
    bob_user = get_user_model().objects.get(email="bob@example.org")
    dan = add_person(bob_user, PersonInput(name="Dan Bobson"))

    assert bob.get(f"/people/{carol.id}/").status_code == 404
    assert "Carol" not in bob.get("/people/").content.decode()
    assert bob.post(f"/people/{carol.id}/delete/").status_code == 404
    assert admin_client.get(f"/people/{dan.id}/").status_code == 404
    assert "Dan Bobson" not in admin_client.get("/people/").content.decode()
    # The Users page lists accounts only, never their people.
    assert "Dan Bobson" not in admin_client.get("/users/").content.decode()
    assert Person.objects.filter(owner=admin).count() == 1


# -- the Users page --------------------------------------------------------------------------------


def test_the_users_page_lists_accounts_and_is_a_404_for_anyone_but_an_admin(admin_client, admin, alice_client,
                                                                            alice):
    page = admin_client.get("/users/").content.decode()
    assert "owner@example.org" in page and "alice@example.org" in page
    for url in ("/users/", f"/users/{admin.id}/delete/"):
        assert alice_client.get(url).status_code == 404
    for url in (f"/users/{admin.id}/disable/", f"/users/{admin.id}/not-admin/", f"/users/{alice.id}/admin/",
                f"/users/{admin.id}/delete/"):
        assert alice_client.post(url).status_code == 404
    assert alice_client.post("/users/", {"email": "eve@example.org"}).status_code == 404
    admin.refresh_from_db()
    assert admin.is_active and users.is_admin(admin) and not users.is_admin(alice)
    assert not Invitation.objects.exists()


def test_anonymous_visitors_and_posts_without_csrf_are_refused(admin, alice):
    for url in ("/users/", "/settings/delete-account/", f"/users/{alice.id}/delete/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    for url in ("/users/", f"/users/{alice.id}/disable/", f"/users/{alice.id}/admin/", "/settings/delete-account/"):
        assert csrf.post(url, {"email": "eve@example.org"}).status_code == 403
    alice.refresh_from_db()
    assert alice.is_active and not users.is_admin(alice)


def test_the_admin_disables_enables_and_promotes(admin_client, admin, alice):
    alice_browser = Client()
    assert alice_browser.post("/login/", {"login": "alice@example.org", "password": "password"}).status_code == 302

    admin_client.post(f"/users/{alice.id}/disable/")
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice_browser.get("/").status_code == 302  # her session ended
    refused = Client()
    assert refused.post("/login/", {"login": "alice@example.org", "password": "password"}).url == "/accounts/inactive/"
    assert refused.get("/").status_code == 302

    admin_client.post(f"/users/{alice.id}/enable/")
    admin_client.post(f"/users/{alice.id}/admin/")
    alice.refresh_from_db()
    assert alice.is_active and users.is_admin(alice) and not alice.is_superuser


def test_the_last_admin_cannot_be_disabled_demoted_or_deleted(admin, alice):
    from restons.services.errors import UserError

    for action in (lambda: users.set_disabled(admin.email), lambda: users.set_admin(admin.email, False),
                   lambda: users.delete_user(admin.email)):
        with pytest.raises(UserError, match="^owner@example.org is the only admin: make another admin first.$"):
            action()
    users.set_admin(alice.email)
    users.set_admin(admin.email, False)
    assert not users.is_admin(admin)


def test_deleting_an_account_asks_for_the_password_again_then_deletes_what_it_held(admin_client, admin, alice):
    add_person(alice, PersonInput(name="Someone Of Alice's"))
    response = admin_client.post(f"/users/{alice.id}/delete/")
    assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")
    assert get_user_model().objects.filter(pk=alice.pk).exists()

    _recently_authenticated(admin_client, PASSWORD)
    assert "Delete the account" in admin_client.get(f"/users/{alice.id}/delete/").content.decode()
    response = admin_client.post(f"/users/{alice.id}/delete/")
    assert response.status_code == 302 and response.url == "/users/"
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not Person.objects.filter(owner_id=alice.pk).exists()


def test_re_authentication_resumes_the_sensitive_request(admin_client, admin, alice):
    """GIVEN a stale login WHEN the admin deletes an account THEN the password is asked, and the
    deletion goes on once it is typed."""
    response = admin_client.post(f"/users/{alice.id}/delete/")
    reauth = response.url
    done = admin_client.post(reauth, {"password": PASSWORD})
    assert done.status_code == 302
    assert not get_user_model().objects.filter(pk=alice.pk).exists()


# -- your own account ----------------------------------------------------------------------------------


def test_a_user_deletes_their_own_account(alice_client, alice, admin):
    add_person(alice, PersonInput(name="Someone"))
    assert alice_client.post("/settings/delete-account/", {"confirm": "yes"}).url.startswith(
        "/accounts/reauthenticate/")
    _recently_authenticated(alice_client, "password")
    assert alice_client.post("/settings/delete-account/").status_code == 400  # not confirmed
    response = alice_client.post("/settings/delete-account/", {"confirm": "yes"})
    assert response.status_code == 302 and response.url == "/login/"
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not Person.objects.filter(owner_id=alice.pk).exists()
    assert alice_client.get("/").status_code == 302


def test_the_settings_page_shows_security_and_the_users_link_to_admins_only(admin_client, alice_client):
    page = admin_client.get("/settings/").content.decode()
    assert 'href="/accounts/2fa/"' in page and 'href="/accounts/sessions/"' in page and 'href="/users/"' in page
    assert 'href="/users/"' not in alice_client.get("/settings/").content.decode()


# -- password reset ------------------------------------------------------------------------------------


def test_password_reset_by_mail(alice, mail_on):
    response = Client().post("/accounts/password/reset/", {"email": "Alice@example.org"})
    assert response.status_code == 302
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    client = Client()
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {"password1": "a brand new phrase", "password2": "a brand new phrase"})
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a brand new phrase")


def test_without_mail_the_reset_page_says_to_ask_the_admin(alice):
    page = Client().get("/accounts/password/reset/").content.decode()
    assert "This instance does not send mail" in page and "restons user reset-password" in page
    assert Client().post("/accounts/password/reset/", {"email": "alice@example.org"}).status_code == 200
    assert mail.outbox == []


def test_the_admins_one_time_reset_link_works_once(alice):
    link = users.password_reset_link("alice@example.org")
    client = Client()
    form = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    url = form.redirect_chain[-1][0]
    assert client.post(url, {"password1": "a brand new phrase", "password2": "a brand new phrase"}).status_code == 302
    again = Client().get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert "bad token" in again.content.decode().lower() or "invalid" in again.content.decode().lower()


# -- sign-up ------------------------------------------------------------------------------------------


def test_sign_up_is_closed_unless_restons_signup_is_open(admin, monkeypatch):
    closed = Client().post("/accounts/signup/", {"email": "eve@example.org", "password1": PASSWORD})
    assert "sign up is currently closed" in closed.content.decode().lower()
    assert not get_user_model().objects.filter(email="eve@example.org").exists()
    assert "Create one" not in Client().get("/login/").content.decode()

    monkeypatch.setenv("RESTONS_SIGNUP", "open")
    assert "Create one" in Client().get("/login/").content.decode()
    response = Client().post("/accounts/signup/", {"email": "Eve@example.org", "password1": PASSWORD})
    assert response.status_code == 302
    eve = get_user_model().objects.get(email="eve@example.org")
    assert not users.is_admin(eve) and not eve.is_superuser and not eve.is_staff


# -- two factors required ---------------------------------------------------------------------------


def test_two_factors_required_for_admins_keeps_them_on_the_setup_page(admin_client, alice_client, monkeypatch):
    monkeypatch.setenv("RESTONS_REQUIRE_2FA", "admins")
    response = admin_client.get("/people/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/"
    assert admin_client.get("/accounts/2fa/").status_code == 200
    assert admin_client.get("/", HTTP_HX_REQUEST="true")["HX-Redirect"] == "/accounts/2fa/"
    assert alice_client.get("/people/").status_code == 200  # not an admin

    monkeypatch.setenv("RESTONS_REQUIRE_2FA", "all")
    assert alice_client.get("/people/").url == "/accounts/2fa/"


def test_two_factors_required_lets_through_once_set_up(admin, admin_client, monkeypatch):
    from allauth.mfa.models import Authenticator

    monkeypatch.setenv("RESTONS_REQUIRE_2FA", "all")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert admin_client.get("/people/").status_code == 200


def test_preferences_of_bob_do_not_say_admin(bob):
    assert not Preferences.objects.filter(owner=bob, is_admin=True).exists()
