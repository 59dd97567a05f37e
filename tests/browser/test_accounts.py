"""Invite → accept → two factors → log out → log in with a code, in a real browser, in English and French.

GIVEN an instance's admin WHEN they invite bob from the Users page, bob opens
the link, chooses a password, turns on an authenticator app (the secret read
from the page, codes computed as an app does), logs out and back in with a
code, then once more with a recovery code THEN each step lands where it says,
and no page logs an error to the console (a Content-Security-Policy violation
would). Screenshots go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model

from restons.services import users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long pass phrase"
WORDS = {
    "en": {"locale": "en-GB", "users": "Users", "today": "Today", "two_factor": "Two-Factor Authentication",
           "recovery": "Recovery Codes", "ready": "Welcome! Your account is ready."},
    "fr": {"locale": "fr-FR", "users": "Utilisateurs", "today": "Aujourd’hui",
           "two_factor": "Authentification à deux facteurs", "recovery": "Codes de récupération",
           "ready": "Bienvenue\u00a0! Votre compte est prêt."},
}


def totp_now(secret: str) -> str:
    """The code an authenticator app shows now (away from the end of a 30-second window)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = 30 - time.time() % 30
    if left < 4:  # too close to the next window: the server would already expect the next code
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time() // 30)))


@pytest.fixture
def admin(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return users.create_account("owner@example.org", PASSWORD, admin=True)


def _submit(page):
    page.locator("main form.stack button[type=submit]").first.click()


def _log_in(page, email: str):
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button.primary").click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_invite_accept_two_factors_and_log_in_with_a_code(browser, live_server, screenshots, admin, language):
    words = WORDS[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=words["locale"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)

    def shoot(name):
        page.screenshot(path=str(screenshots / f"accounts-{language}-{name}.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(screenshots / f"accounts-{language}-{name}-phone.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    try:
        # The admin invites bob from the Users page.
        _log_in(page, "Owner@Example.org")
        page.wait_for_url(page.base + "/")
        shoot("today-admin")
        page.goto(page.base + "/settings/")
        page.click("#security a[href='/users/']")
        assert page.locator("h1").inner_text() == words["users"]
        page.fill("input[name=email]", "bob@example.org")
        page.locator("main button.primary").click()
        link = page.locator("#invite-link").inner_text()
        shoot("users")
        page.click("form.logout button")
        page.wait_for_url(re.compile(r".*/login/"))
        shoot("login")

        # Bob accepts.
        page.goto(page.base + link.split(":8000", 1)[1])
        assert "bob@example.org" in page.locator("main").inner_text()
        shoot("invitation")
        page.fill("input[name=password]", PASSWORD)
        page.locator("main button.primary").click()
        page.wait_for_url(page.base + "/")
        assert words["ready"] in page.locator(".messages").inner_text()

        # Bob turns on an authenticator app.
        page.goto(page.base + "/settings/")
        shoot("settings")
        page.click("#security a[href='/accounts/2fa/']")
        assert page.locator("h1").inner_text() == words["two_factor"]
        shoot("2fa")
        page.click("a[href='/accounts/2fa/totp/activate/']")
        page.wait_for_url(re.compile(r".*/accounts/(reauthenticate|2fa/totp/activate)/"))
        if "/reauthenticate/" in page.url:  # allauth asks for the password before a two-factor change
            page.fill("input[name=password]", PASSWORD)
            _submit(page)
        page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/"))
        secret = page.input_value("#authenticator_secret")
        assert page.locator("img.qr").is_visible()
        shoot("totp-activate")
        page.fill("input[name=code]", totp_now(secret))
        _submit(page)
        page.wait_for_url(re.compile(r".*/accounts/2fa/recovery-codes/"))
        assert page.locator("h1").inner_text() == words["recovery"]
        codes = page.input_value("#recovery_codes").split()
        assert len(codes) == 10
        shoot("recovery-codes")
        bob = get_user_model().objects.get(email="bob@example.org")
        assert [a.email for a in users.list_users() if a.two_factor] == ["bob@example.org"]

        # Log out, then in again: the password, then a code from the app.
        page.click("form.logout button")
        page.wait_for_url(re.compile(r".*/login/"))
        _log_in(page, "bob@example.org")
        page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/"))
        shoot("2fa-authenticate")
        page.fill("input[name=code]", totp_now(secret))
        _submit(page)
        page.wait_for_url(page.base + "/")
        assert words["today"] in page.locator("nav").inner_text()

        # And once with a recovery code (the phone is lost).
        page.click("form.logout button")
        page.wait_for_url(re.compile(r".*/login/"))
        _log_in(page, "bob@example.org")
        page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/"))
        page.fill("input[name=code]", codes[0])
        _submit(page)
        page.wait_for_url(page.base + "/")
        from allauth.mfa.models import Authenticator

        recovery = Authenticator.objects.get(user=bob, type=Authenticator.Type.RECOVERY_CODES).wrap()
        assert len(recovery.get_unused_codes()) == 9 and codes[0] not in recovery.get_unused_codes()

        # The sessions list shows where bob is logged in.
        page.goto(page.base + "/accounts/sessions/")
        shoot("sessions")
        assert errors == [], errors
    finally:
        context.close()
