"""``/people`` and ``/people/{id}/identities``: what the owner gets, and what bad input gets."""

from __future__ import annotations

from restons.models import Identity, Interaction, Person, Preferences


def test_list_people_with_filters_and_pages(api, world):
    status, page = api.get("/people")
    assert status == 200 and page["count"] == 3
    assert [p["name"] for p in page["items"]] == ["Camille Martin", "Noah Bennett", "Noah Bennett"]
    camille = page["items"][0]
    assert camille["circles"] == ["Agency alumni"] and camille["cadence_days"] == 60
    assert api.get("/people", circle="Friends")[1]["count"] == 1
    assert api.get("/people", q="camille@example")[1]["items"][0]["name"] == "Camille Martin"
    second = api.get("/people", limit=1, offset=1)[1]
    assert second["count"] == 3 and [p["name"] for p in second["items"]] == ["Noah Bennett"]
    assert api.get("/people", status="untracked")[1]["count"] == 1


def test_bad_filters_are_a_400_with_one_line(api, world):
    assert api.get("/people", limit=0) == (400, {"detail": "limit: Input should be greater than or equal to 1"})
    status, body = api.get("/people", sort="age")
    assert status == 400 and body["detail"].startswith("sort: Input should be")


def test_create_a_person(api, alice, frozen):
    status, made = api.post("/people", {"name": "Ana Lima", "emails": ["ANA@Example.org"], "phones": ["06 12 34 56 78"],
                                        "circles": ["Friends"], "interests": ["Jazz"], "cadence_days": 30})
    assert status == 201
    assert made["name"] == "Ana Lima" and made["circles"] == ["Friends"] and made["interests"] == ["jazz"]
    assert made["identities"] == [{"kind": "email", "value": "ana@example.org"}, {"kind": "phone", "value": "+33612345678"}]
    assert Person.objects.get(owner=alice, pk=made["id"]).cadence_days == 30


def test_create_refuses_what_the_cli_refuses(api, world):
    assert api.post("/people", {"name": "Someone", "emails": ["camille@example.org"]}) == (
        400, {"detail": f"camille@example.org already belongs to Camille Martin (#{world['camille'].pk})"})
    assert api.post("/people", {"name": "   "})[0] == 400
    assert api.post("/people", {"name": "X", "cadence_days": 4000})[0] == 400


def test_read_a_person(api, world):
    status, detail = api.get(f"/people/{world['camille'].pk}")
    assert status == 200
    assert detail["name"] == "Camille Martin" and detail["met"]["how"] == "Same team, « l'agence »"
    assert [t["summary"] for t in detail["timeline"]] == ["Read issue 42", "Congrats!"]
    assert detail["timeline"][0]["at"] == "2025-11-03T18:00:00+01:00"


def test_update_a_person(api, world, alice):
    pk = world["camille"].pk
    status, detail = api.patch(f"/people/{pk}", {"name": "Camille Martin-Roy", "circles": ["Friends"], "archived": True})
    assert status == 200
    assert detail["name"] == "Camille Martin-Roy" and detail["circles"] == ["Agency alumni", "Friends"]
    assert detail["archived"] is True
    assert Person.objects.get(pk=pk).notes.startswith("Likes")  # not given, not changed


def test_delete_a_person(api, world, alice):
    pk = world["camille"].pk
    assert api.delete(f"/people/{pk}") == (204, None)
    assert not Person.objects.filter(pk=pk).exists()
    assert not Interaction.objects.filter(person_id=pk).exists()
    assert api.get(f"/people/{pk}") == (404, {"detail": "No such person."})


def test_identities_list_add_remove(api, world, alice):
    pk = world["camille"].pk
    status, listed = api.get(f"/people/{pk}/identities")
    assert status == 200
    assert [(i["kind"], i["value"]) for i in listed] == [
        ("email", "camille@example.org"), ("linkedin", "https://www.linkedin.com/in/camille-martin"),
        ("phone", "+33612345678")]
    status, added = api.post(f"/people/{pk}/identities", {"kind": "email", "value": "Camille@Work.example"})
    assert status == 201 and added["value"] == "camille@work.example"
    assert api.post(f"/people/{pk}/identities", {"kind": "email", "value": "not an address"}) == (
        400, {"detail": "'not an address' is not an email address"})
    assert api.delete(f"/people/{pk}/identities/{added['id']}") == (204, None)
    assert not Identity.objects.filter(pk=added["id"]).exists()


def test_errors_speak_the_owners_language(api, alice):
    Preferences.objects.create(owner=alice, language="fr")
    assert api.get("/people/12345") == (404, {"detail": "Élément introuvable (person)."})
