"""Settings → Download everything and API tokens: the owner's data only, CSRF, login, bob's 404."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from restons.models import ApiToken
from restons.services.tokens import create_token, digest


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_everything_as_the_backup(fresh_alice, camille, bob):
    from restons.services.people import PersonInput, add_person

    add_person(bob, PersonInput(name="Bob's Friend"))
    response = fresh_alice.post("/settings/export/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="restons-backup-')
    document = json.loads(body(response))
    assert document["format"] == "restons-backup"
    assert [p["name"] for p in document["tables"]["restons.person"]] == ["Camille Martin"]


def test_download_contacts_and_tables(fresh_alice, camille):
    cards = body(fresh_alice.post("/settings/export/", {"format": "vcard"})).decode()
    assert cards.startswith("BEGIN:VCARD\r\nVERSION:4.0") and "FN:Camille Martin" in cards
    response = fresh_alice.post("/settings/export/", {"format": "csv"})
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert "Camille Martin" in archive.read("person.csv").decode("utf-8-sig")


def test_bobs_download_holds_nothing_of_alices(fresh_bob, camille):
    document = json.loads(body(fresh_bob.post("/settings/export/", {"format": "json"})))
    assert document["tables"]["restons.person"] == []
    assert document["owner"] == {"email": "bob@example.org"}


def test_an_unknown_format_is_a_400(fresh_alice):
    assert fresh_alice.post("/settings/export/", {"format": "xls"}).status_code == 400


def test_download_asks_for_the_password_again_then_goes_on(alice_client, camille):
    """GIVEN alice logged in a while ago WHEN she asks for everything THEN her password comes first, and the
    download follows it without asking twice."""
    response = alice_client.post("/settings/export/", {"format": "json"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    replay = alice_client.post(response["Location"], {"password": "password"}, follow=True)
    document = json.loads(body(replay))
    assert [p["name"] for p in document["tables"]["restons.person"]] == ["Camille Martin"]


def test_download_needs_a_login_a_post_and_csrf(client, alice_client, csrf_client):
    response = client.post("/settings/export/", {"format": "json"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert alice_client.get("/settings/export/").status_code == 405
    assert csrf_client.post("/settings/export/", {"format": "json"}).status_code == 403


def test_settings_lists_tokens_and_makes_one_shown_once(fresh_alice, alice):
    create_token(alice, "old script", "read")
    page = fresh_alice.get("/settings/")
    assert b"old script" in page.content and b"Download everything" in page.content
    response = fresh_alice.post("/settings/tokens/", {"name": "backup", "scope": "read-write"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.content.decode().split('<code id="new-token" class="secret">')[1].split("</code>")[0]
    made = ApiToken.objects.get(owner=alice, name="backup")
    assert made.scope == "read-write" and made.digest == digest(secret)
    assert secret.encode() not in fresh_alice.get("/settings/").content


def test_a_token_with_a_taken_name_is_refused(fresh_alice, alice):
    create_token(alice, "backup")
    response = fresh_alice.post("/settings/tokens/", {"name": "backup"}, follow=True)
    assert "You already have a token named “backup”" in response.content.decode()
    assert ApiToken.objects.filter(owner=alice).count() == 1


def test_revoke_a_token(alice_client, alice):
    token, _secret = create_token(alice, "backup")
    assert alice_client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_bob_cannot_revoke_alices_token(bob_client, alice):
    token, _secret = create_token(alice, "backup")
    assert bob_client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("url", ["/settings/tokens/", "/settings/tokens/1/revoke/"])
def test_token_forms_need_a_login_and_csrf(client, csrf_client, alice, url):
    create_token(alice, "backup")
    assert client.post(url, {"name": "x"})["Location"].startswith("/login/")
    assert csrf_client.post(url, {"name": "x"}).status_code == 403
