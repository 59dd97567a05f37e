"""Bob's token never reaches alice's data: every endpoint that names her objects answers 404, lists stay his."""

from __future__ import annotations

import pytest

from restons.models import Content, Event, Identity, Interaction, Milestone, Outcome, Person, Pledge
from tests.api.test_auth import operations


@pytest.fixture
def ids(world, alice):
    """The ids of one of each of alice's objects, by the path segment that names it."""
    def first(model, **lookup):
        return model.objects.filter(owner=alice, **lookup).order_by("id").first().pk

    camille = world["camille"].pk
    return {
        "people": camille, "identities": first(Identity, person_id=camille), "interactions": first(Interaction),
        "events": first(Event), "milestones": first(Milestone), "content": first(Content), "outcomes": first(Outcome),
        "pledges": first(Pledge),
    }


def with_ids(path: str, ids: dict) -> str:
    """``/people/1/identities/1`` with alice's ids in place of each 1."""
    parts = path.strip("/").split("/")
    return "/" + "/".join(str(ids[parts[i - 1]]) if part == "1" else part for i, part in enumerate(parts))


@pytest.mark.parametrize("method, path", [op for op in operations() if "/1" in op[1]])
def test_another_users_object_is_a_404(bob_api, ids, alice, method, path):
    """GIVEN alice's objects WHEN bob names one of them THEN 404, and nothing of alice's changes."""
    before = {model.__name__: model.objects.filter(owner=alice).count()
              for model in (Person, Identity, Interaction, Event, Milestone, Content, Outcome, Pledge)}
    kind = "email" if "identities" in path else "post" if "content" in path else "client"
    body = {"title": "Mine now", "on": "2026-01-01", "person": ids["people"], "kind": kind, "name": "Bob's",
            "value": "bob@example.org"}
    status, answer = bob_api.call(method, with_ids(path, ids), body)
    assert status == 404, answer
    assert answer["detail"]
    assert {model.__name__: model.objects.filter(owner=alice).count()
            for model in (Person, Identity, Interaction, Event, Milestone, Content, Outcome, Pledge)} == before
    assert Person.objects.get(pk=ids["people"]).name == "Camille Martin"


@pytest.mark.parametrize("path, field", [("/interactions", "person"), ("/milestones", "person"), ("/outcomes", "person")])
def test_filtering_by_another_users_person_is_a_404(bob_api, ids, path, field):
    assert bob_api.get(path, **{field: ids["people"]})[0] == 404


@pytest.mark.parametrize("path, body", [
    ("/interactions", {"person": "PERSON"}), ("/outcomes", {"person": "PERSON", "kind": "client"}),
    ("/milestones", {"title": "T", "on": "2026-01-01", "person": "PERSON"}),
    ("/pledges", {"org": "Lumen", "people": ["PERSON"]}),
])
def test_writing_about_another_users_person_is_a_404(bob_api, ids, bob, path, body):
    filled = {k: (ids["people"] if v == "PERSON" else [ids["people"]] if v == ["PERSON"] else v) for k, v in body.items()}
    assert bob_api.post(path, filled)[0] == 404
    assert not Interaction.objects.filter(owner=bob).exists() and not Pledge.objects.filter(owner=bob).exists()


@pytest.mark.parametrize("method, path", [op for op in operations() if op[0] == "GET" and "/1" not in op[1]])
def test_bobs_lists_hold_nothing_of_alices(bob_api, world, method, path):
    status, answer = bob_api.get(path)
    assert status == 200
    text = str(answer)
    assert "Camille" not in text and "Lumen" not in text and "Cup final" not in text
