"""Settings → Mail and calendars: list, add (logging in first), sync now, remove; another user gets 404."""

from __future__ import annotations

import pytest

from restons.models import CalendarSubscription, ImapAccount
from restons.services import sync
from tests.sync.conftest import Answer


@pytest.fixture
def account(alice, dovecot):
    return sync.add_account(alice, "home", host="127.0.0.1", port=dovecot.port, security="plain",
                            user=dovecot.user, password=dovecot.password)


@pytest.fixture
def subscription(alice, calendar_server, samples):
    calendar_server.answers["/private-abc/basic.ics"] = Answer((samples / "ics" / "google.ics").read_bytes())
    return sync.add_subscription(alice, "work", calendar_server.url("/private-abc/basic.ics"))


def test_the_section_lists_accounts_and_calendars_without_their_secrets(alice_client, account, subscription, dovecot):
    page = alice_client.get("/settings/").content.decode()
    assert "Mail and calendars" in page and "alex @ 127.0.0.1" in page and "127.0.0.1/…/basic.ics" in page
    assert dovecot.password not in page and "private-abc" not in page
    assert account.password_encrypted not in page and subscription.url_encrypted not in page
    assert "scheduled syncs are off" in page


def test_add_an_account_logs_in_first(alice_client, alice, dovecot):
    form = {"name": "home", "host": "127.0.0.1", "port": str(dovecot.port), "security": "plain",
            "user": dovecot.user, "password": "wrong", "folders": ""}
    response = alice_client.post("/settings/mail/", form, follow=True)
    assert f"127.0.0.1:{dovecot.port}: login refused for alex" in response.content.decode()
    assert not ImapAccount.objects.exists()
    response = alice_client.post("/settings/mail/", {**form, "password": dovecot.password, "folders": "INBOX, Sent"})
    assert response.status_code == 302 and response["Location"] == "/settings/#sync"
    row = ImapAccount.objects.get(owner=alice)
    assert row.folders == ["INBOX", "Sent"] and dovecot.password not in row.password_encrypted


def test_a_failed_sync_now_is_shown(alice_client, account):
    ImapAccount.objects.filter(pk=account.pk).update(port=1)
    page = alice_client.post(f"/settings/mail/{account.pk}/sync/", follow=True).content.decode()
    assert "home: 127.0.0.1:1: cannot connect" in page
    assert "failed:" in page


def test_remove(alice_client, account, subscription):
    assert alice_client.post(f"/settings/mail/{account.pk}/remove/").status_code == 302
    assert alice_client.post(f"/settings/calendars/{subscription.pk}/remove/").status_code == 302
    assert not ImapAccount.objects.exists() and not CalendarSubscription.objects.exists()


def test_another_user_gets_404_on_every_url(bob_client, account, subscription):
    for url in (f"/settings/mail/{account.pk}/sync/", f"/settings/mail/{account.pk}/remove/",
                f"/settings/calendars/{subscription.pk}/sync/", f"/settings/calendars/{subscription.pk}/remove/"):
        assert bob_client.post(url).status_code == 404, url
    page = bob_client.get("/settings/").content.decode()
    assert "127.0.0.1/…/basic.ics" not in page and "alex @ 127.0.0.1" not in page
    assert ImapAccount.objects.count() == 1 and CalendarSubscription.objects.count() == 1
    assert ImapAccount.objects.get().last_attempt_at is None


def test_forms_need_a_login_and_csrf(client, csrf_client, account):
    for url in ("/settings/mail/", f"/settings/mail/{account.pk}/sync/", "/settings/calendars/"):
        assert client.post(url, {"name": "x"})["Location"].startswith("/login/")
        assert csrf_client.post(url, {"name": "x"}).status_code == 403


# --- with the shared capture save ------------------------------------------------------------------

def test_sync_now(alice_client, subscription):
    page = alice_client.post(f"/settings/calendars/{subscription.pk}/sync/", follow=True).content.decode()
    assert "work: " in page and "new interactions" in page
    subscription.refresh_from_db()
    assert subscription.last_result == "ok"
