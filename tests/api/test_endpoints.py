"""Interactions, Today, stats, me, events, milestones, content, outcomes and pledges: what the owner gets."""

from __future__ import annotations

from restons.models import Content, Event, Interaction, Milestone, Outcome, Pledge, PledgePerson


def test_list_interactions_paged_and_filtered(api, world):
    status, page = api.get("/interactions")
    assert status == 200 and page["count"] == 4
    assert [i["summary"] for i in page["items"]] == ["", "Congrats!", "Read issue 42", "Saw your news"]
    assert page["items"][1] == {"id": page["items"][1]["id"], "person": {"id": world["camille"].pk, "name": "Camille Martin"},
                                "at": "2025-11-02T09:30:00+01:00", "direction": "out", "channel": "text",
                                "summary": "Congrats!", "source": "manual"}
    assert api.get("/interactions", person=world["noah"].pk)[1]["count"] == 2
    assert api.get("/interactions", since="2025-11-03", until="2025-11-03")[1]["count"] == 1
    assert api.get("/interactions", limit=1, offset=3)[1]["items"][0]["summary"] == "Saw your news"
    assert api.get("/interactions", since="2025-12-01", until="2025-11-01")[0] == 400


def test_log_a_ping_edit_it_and_delete_it(api, world, alice):
    camille = world["camille"].pk
    status, made = api.post("/interactions", {"person": camille, "channel": "call", "note": "Caught up",
                                              "at": "2026-06-14T18:30:00"})
    assert status == 201
    assert (made["at"], made["direction"], made["channel"], made["summary"]) == (
        "2026-06-14T18:30:00+02:00", "out", "call", "Caught up")
    assert api.get(f"/interactions/{made['id']}") == (200, made)
    status, changed = api.patch(f"/interactions/{made['id']}", {"direction": "both", "note": "Dinner"})
    assert status == 200 and (changed["direction"], changed["summary"], changed["channel"]) == ("both", "Dinner", "call")
    assert api.get(f"/people/{camille}")[1]["last_touch"] == "2026-06-14T18:30:00+02:00"
    assert api.delete(f"/interactions/{made['id']}") == (204, None)
    assert not Interaction.objects.filter(pk=made["id"]).exists()


def test_a_ping_in_the_future_is_refused(api, world):
    assert api.post("/interactions", {"person": world["camille"].pk, "at": "2026-07-01T10:00:00+02:00"}) == (
        400, {"detail": "2026-07-01T10:00+02:00 is in the future; a ping records something that already happened"})


def test_today_stats_and_me(api, world):
    status, entries = api.get("/today", date="2026-06-15")
    assert status == 200 and entries
    assert set(entries[0]) >= {"person", "reasons", "draft", "next_due"}
    status, numbers = api.get("/stats")
    assert status == 200 and numbers["people"] == 3 and numbers["pledges"][0]["org"] == "Lumen Agency"
    assert numbers["outcomes"]["referral-received"] == 1
    assert api.get("/me") == (200, {"email": "alice@example.org", "language": "en", "time_zone": "Europe/Paris",
                                    "region": "FR", "today_limit": 7, "name": "Alex Martin",
                                    "identities": [{"kind": "email", "value": "alex@example.org"},
                                                   {"kind": "phone", "value": "+33698765432"}]})
    assert api.get("/today", limit=0)[0] == 400


def test_events(api, world, alice):
    status, made = api.post("/events", {"title": "Jazz night", "on": "2026-07-01", "topics": ["Jazz"]})
    assert status == 201 and made == {"id": made["id"], "title": "Jazz night", "on": "2026-07-01", "topics": ["jazz"],
                                      "lead_days": 7}
    assert [e["title"] for e in api.get("/events")[1]] == ["Cup final", "Jazz night"]
    assert api.get(f"/events/{made['id']}") == (200, made)
    status, changed = api.put(f"/events/{made['id']}", {"title": "Jazz night!", "on": "2026-07-02", "lead_days": 3})
    assert status == 200 and (changed["title"], changed["on"], changed["topics"], changed["lead_days"]) == (
        "Jazz night!", "2026-07-02", [], 3)
    assert api.post("/events", {"title": "Too far", "on": "2300-01-01"})[0] == 400
    assert api.delete(f"/events/{made['id']}") == (204, None)
    assert not Event.objects.filter(pk=made["id"]).exists()


def test_milestones(api, world):
    camille = world["camille"].pk
    status, made = api.post("/milestones", {"title": "New job", "on": "2026-05-01", "person": camille})
    assert status == 201 and made["person"] == {"id": camille, "name": "Camille Martin"} and made["yearly"] is False
    mine = api.post("/milestones", {"title": "First semester teaching", "on": "2026-02-01"})[1]
    assert mine["person"] is None
    assert [m["title"] for m in api.get("/milestones", person=camille)[1]] == ["Birthday", "New job"]
    status, changed = api.put(f"/milestones/{made['id']}", {"title": "New job at Orbit", "on": "2026-05-02",
                                                            "yearly": True, "person": camille})
    assert status == 200 and (changed["title"], changed["yearly"]) == ("New job at Orbit", True)
    assert api.get(f"/milestones/{mine['id']}") == (200, mine)
    assert api.delete(f"/milestones/{made['id']}") == (204, None)
    assert not Milestone.objects.filter(pk=made["id"]).exists()


def test_content(api, world):
    status, made = api.post("/content", {"title": "Episode 3", "on": "2026-06-01", "kind": "podcast",
                                         "url": "https://example.org/3"})
    assert status == 201 and (made["kind"], made["url"]) == ("podcast", "https://example.org/3")
    assert [c["title"] for c in api.get("/content")[1]] == ["Episode 3", "Issue 42"]
    assert api.post("/content", {"title": "Bad", "on": "2026-06-01", "url": "not a url"})[0] == 400
    status, changed = api.put(f"/content/{made['id']}", {"title": "Episode 3b", "on": "2026-06-02", "kind": "talk"})
    assert status == 200 and (changed["title"], changed["kind"], changed["url"]) == ("Episode 3b", "talk", "")
    assert api.get(f"/content/{made['id']}") == (200, changed)
    assert api.delete(f"/content/{made['id']}") == (204, None)
    assert not Content.objects.filter(pk=made["id"]).exists()


def test_outcomes(api, world):
    noah = world["noah"].pk
    status, made = api.post("/outcomes", {"person": noah, "kind": "meetup", "at": "2026-06-01", "note": "Coffee"})
    assert status == 201 and made == {"id": made["id"], "person": {"id": noah, "name": "Noah Bennett"},
                                      "kind": "meetup", "at": "2026-06-01", "note": "Coffee"}
    assert [o["kind"] for o in api.get("/outcomes")[1]] == ["referral-received", "meetup"]
    assert [o["kind"] for o in api.get("/outcomes", person=noah)[1]] == ["meetup"]
    status, changed = api.put(f"/outcomes/{made['id']}", {"person": noah, "kind": "friendship", "at": "2026-06-02"})
    assert status == 200 and changed["kind"] == "friendship"
    assert api.get(f"/outcomes/{made['id']}") == (200, changed)
    assert api.post("/outcomes", {"person": noah, "kind": "meetup", "at": "2026-07-01"})[0] == 400
    assert api.delete(f"/outcomes/{made['id']}") == (204, None)
    assert not Outcome.objects.filter(pk=made["id"]).exists()


def test_pledges(api, world, alice):
    camille, noah = world["camille"].pk, world["noah"].pk
    status, made = api.post("/pledges", {"org": "Orbit", "on": "2026-06-01", "people": [camille], "cadence_days": 60})
    assert status == 201 and (made["org"], made["people"], made["cadence_days"]) == ("Orbit", 1, 60)
    assert [p["org"] for p in api.get("/pledges")[1]] == ["Lumen Agency", "Orbit"]
    status, changed = api.patch(f"/pledges/{made['id']}", {"add_people": [noah], "remove_people": [camille],
                                                           "ended_on": "2026-06-10"})
    assert status == 200 and changed["people"] == 1
    assert list(PledgePerson.objects.filter(pledge_id=made["id"]).values_list("person_id", flat=True)) == [noah]
    assert Pledge.objects.get(pk=made["id"]).ended_on.isoformat() == "2026-06-10"
    assert api.get(f"/pledges/{made['id']}") == (200, changed)
    assert api.patch(f"/pledges/{made['id']}", {"ended_on": "2026-01-01"})[0] == 400
    assert api.delete(f"/pledges/{made['id']}") == (204, None)
    assert not Pledge.objects.filter(pk=made["id"]).exists()


def test_me_gives_your_name_and_identities_and_only_yours(alice, api, bob_api):
    from restons.services.me import add_me

    add_me(alice, ["alex@example.org"], name="Alex Martin")
    status, body = api.get("/me")
    assert status == 200
    assert (body["name"], body["identities"]) == ("Alex Martin", [{"kind": "email", "value": "alex@example.org"}])
    status, body = bob_api.get("/me")
    assert (body["name"], body["identities"]) == ("", [])
