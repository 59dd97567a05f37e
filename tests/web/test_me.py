"""Settings → You: your addresses and name, added and removed; another user's are out of reach (404)."""

from __future__ import annotations

import pytest

from restons.models import MyIdentity, Preferences
from restons.services.me import add_me

pytestmark = pytest.mark.django_db


def test_settings_lists_your_identities(alice, alice_client):
    add_me(alice, ["alex@example.org"], name="Alex Martin")
    page = alice_client.get("/settings/").content.decode()
    assert 'id="me"' in page and "alex@example.org" in page and 'value="Alex Martin"' in page


def test_add_addresses_and_name(alice, alice_client):
    response = alice_client.post("/settings/me/", {"values": "alex@example.org, +33 6 12 34 56 78", "name": "Alex"})
    assert response.status_code == 302
    assert set(MyIdentity.objects.filter(owner=alice).values_list("kind", "value")) == {
        ("email", "alex@example.org"), ("phone", "+33612345678")}
    assert Preferences.objects.get(owner=alice).my_name == "Alex"


def test_a_bad_address_adds_nothing_and_says_why(alice, alice_client):
    response = alice_client.post("/settings/me/", {"values": "alex@example.org not-an-address", "name": ""}, follow=True)
    assert "not-an-address" in response.content.decode()
    assert not MyIdentity.objects.filter(owner=alice).exists()


def test_remove(alice, alice_client):
    add_me(alice, ["alex@example.org", "alex@work.example.com"])
    identity = MyIdentity.objects.get(owner=alice, value="alex@work.example.com")
    assert alice_client.post(f"/settings/me/{identity.pk}/remove/").status_code == 302
    assert list(MyIdentity.objects.filter(owner=alice).values_list("value", flat=True)) == ["alex@example.org"]


def test_another_user_cannot_remove_yours_nor_see_them(alice, bob, bob_client):
    add_me(alice, ["alex@example.org"])
    identity = MyIdentity.objects.get(owner=alice)
    assert bob_client.post(f"/settings/me/{identity.pk}/remove/").status_code == 404
    assert MyIdentity.objects.filter(owner=alice).count() == 1
    assert "alex@example.org" not in bob_client.get("/settings/").content.decode()
    bob_client.post("/settings/me/", {"values": "alex@example.org", "name": ""})
    assert MyIdentity.objects.filter(owner=bob).count() == 1 and MyIdentity.objects.filter(owner=alice).count() == 1


def test_removing_needs_post(alice, alice_client):
    add_me(alice, ["alex@example.org"])
    identity = MyIdentity.objects.get(owner=alice)
    assert alice_client.get(f"/settings/me/{identity.pk}/remove/").status_code == 405
