"""The first account, logging in with throttling, the language switch, and deployment settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from restons.models import Preferences
from restons.services.owners import cli_owner

pytestmark = pytest.mark.django_db


def test_a_new_instance_asks_for_the_owner_account():
    client = Client()
    assert client.get("/").url.startswith("/login/")
    assert client.get("/login/").url == "/welcome/"
    page = client.get("/welcome/")
    assert page.status_code == 200
    assert b"Create my account" in page.content


def test_creating_the_owner_account_logs_in_and_hashes_with_argon2():
    client = Client()
    response = client.post("/welcome/", {"email": "Owner@Example.org", "password": "a long pass phrase"})
    assert response.status_code == 302 and response.url == "/"
    user = get_user_model().objects.get()
    assert user.email == "owner@example.org"
    assert user.password.startswith("argon2")
    assert client.get("/").status_code == 200
    # Once there is an account, the welcome page is closed.
    assert Client().get("/welcome/").url == "/login/"


def test_the_account_claims_what_the_command_line_already_made():
    """GIVEN a CLI user with demo data WHEN the owner account is created THEN it is that same user."""
    from restons.services.demo import fill_demo

    cli_user = cli_owner()
    fill_demo(cli_user)
    Client().post("/welcome/", {"email": "me@example.org", "password": "a long pass phrase"})
    user = get_user_model().objects.get()
    assert user.pk == cli_user.pk and user.email == "me@example.org"


def test_weak_passwords_and_bad_emails_are_refused():
    client = Client()
    response = client.post("/welcome/", {"email": "me@example.org", "password": "123"})
    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    assert b"too short" in response.content


def test_login_is_throttled_after_five_failures(alice):
    client = Client()
    for _ in range(5):
        assert client.post("/login/", {"login": "alice@example.org", "password": "wrong"}).status_code == 200
    locked = client.post("/login/", {"login": "alice@example.org", "password": "password"})
    assert locked.status_code == 429
    assert b"Too many failed login attempts" in locked.content


def test_login_and_logout(alice):
    client = Client()
    response = client.post("/login/", {"login": "alice@example.org", "password": "password"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_language_follows_the_browser_then_the_users_choice(alice_client, alice):
    assert "Aujourd’hui" in alice_client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert b"Today" in alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content
    alice_client.post("/language/", {"language": "fr", "next": "/"})
    assert Preferences.objects.get(owner=alice).language == "fr"
    assert "Aujourd’hui" in alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_settings_page_saves_the_language(alice_client, alice):
    assert alice_client.get("/settings/").status_code == 200
    alice_client.post("/settings/", {"language": "fr"})
    assert Preferences.objects.get(owner=alice).language == "fr"
    assert alice_client.post("/settings/", {"language": "xx"}).status_code == 400


def test_anonymous_visitors_go_to_login(alice):
    for url in ("/", "/settings/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_posts_without_a_csrf_token_are_refused(csrf_client):
    assert csrf_client.post("/settings/", {"language": "fr"}).status_code == 403
    assert csrf_client.post("/language/", {"language": "fr"}).status_code == 403
    assert csrf_client.post("/logout/").status_code == 403


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESTONS_")}
    env.update(
        RESTONS_HOME=str(tmp_path), RESTONS_DEBUG="false", RESTONS_HTTPS="true",
        RESTONS_SECRET_KEY="x" * 20 + "Zq8!kL2@pW9#mN4$vB7%cX1^jH6&gF3*dS5", RESTONS_ALLOWED_HOSTS="restons.example.org",
        DJANGO_SETTINGS_MODULE="restons.settings",
    )
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
