"""Text no database stores (a NUL character, a lone surrogate) is bad input: 400 in one line, nothing written.

PostgreSQL refuses NUL in text; before this check the API answered 500 there (found by schemathesis).
"""

from __future__ import annotations

import pytest

from restons.models import Interaction, Person


@pytest.mark.parametrize("body, field", [
    ({"name": "Ana\x00Lima"}, "name"),
    ({"name": "Ana Lima", "notes": "met at\x00 the fair"}, "notes"),
    ({"name": "Ana Lima", "emails": ["ana\x00@example.org"]}, "emails"),
    ({"name": "Ana \ud800Lima"}, "name"),
])
def test_a_person_with_unstorable_text_is_refused_in_one_line(api, alice, body, field):
    status, data = api.post("/people", body)

    assert status == 400
    assert field in data["detail"] and "\n" not in data["detail"]
    assert not Person.objects.filter(owner=alice).exists()


def test_a_query_parameter_with_a_nul_is_refused(api, alice):
    status, data = api.get("/interactions", source="mail\x00")

    assert status == 400
    assert "NUL" in data["detail"]


def test_a_ping_with_a_nul_in_its_note_is_refused(api, alice):
    status, person = api.post("/people", {"name": "Ana Lima"})
    assert status == 201

    status, data = api.post("/interactions", {"person": person["id"], "note": "lunch\x00"})

    assert status == 400
    assert not Interaction.objects.filter(owner=alice).exists()
