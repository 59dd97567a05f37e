"""Tokens: no token is a 401, a read-only token cannot write (403), tokens are hashed, revocable and throttled."""

from __future__ import annotations

import re

import pytest

from restons.models import ApiToken, Person
from restons.services.tokens import create_token, digest, revoke_token
from tests.api.conftest import Api


def operations() -> list[tuple[str, str]]:
    """Every (METHOD, path) of the schema, path parameters filled with 1."""
    from restons.api import urls

    urls()
    from restons.api.core import api

    schema = api.get_openapi_schema()
    return sorted((method.upper(), re.sub(r"\{[^}]+\}", "1", path.removeprefix("/api/v1")))
                  for path, methods in schema["paths"].items() for method in methods)


WRITES = [op for op in operations() if op[0] != "GET"]


def test_the_api_has_every_endpoint_the_issue_lists():
    paths = {path for _method, path in operations()}
    assert {"/people", "/people/1", "/people/1/identities", "/interactions", "/interactions/1", "/today", "/stats",
            "/events", "/milestones", "/content", "/outcomes", "/pledges", "/me"} <= paths


@pytest.mark.parametrize("method, path", operations())
def test_no_token_is_a_401(nobody, method, path):
    status, body = nobody.call(method, path, {})
    assert (status, body) == (401, {"detail": "Send a valid token: 'Authorization: Bearer TOKEN' (restons token create NAME)."})


@pytest.mark.parametrize("method, path", WRITES)
def test_a_read_only_token_cannot_write(reader, alice, method, path):
    before = Person.objects.filter(owner=alice).count()
    status, body = reader.call(method, path, {"name": "Ana", "person": 1, "title": "x", "on": "2026-01-01",
                                              "kind": "client", "org": "Lumen"})
    assert (status, body) == (403, {"detail": "This token is read-only; make a read-write token to change data."})
    assert Person.objects.filter(owner=alice).count() == before


def test_a_read_only_token_reads(reader, alice):
    assert reader.get("/people") == (200, {"count": 0, "items": []})


def test_a_revoked_or_unknown_token_is_a_401(alice, api):
    assert api.get("/me")[0] == 200
    token = ApiToken.objects.get(owner=alice, name="tests")
    revoke_token(alice, token)
    assert api.get("/me")[0] == 401
    assert Api("rst_not-a-token").get("/me")[0] == 401
    assert Api("").get("/me")[0] == 401


def test_tokens_are_stored_hashed_and_shown_once(alice):
    token, secret = create_token(alice, "backup script", "read")
    assert secret.startswith("rst_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == digest(secret) and secret not in (stored.digest, stored.prefix)
    assert secret.startswith(stored.prefix)


def test_last_used_is_noted(alice, api, frozen):
    token = ApiToken.objects.get(owner=alice, name="tests")
    assert token.last_used_at is None
    api.get("/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_requests_are_throttled_per_token(alice, bob_api, api, monkeypatch, frozen):
    """GIVEN a rate of 3 a minute WHEN a token sends a fourth request in that minute THEN 429; another token is not held back."""
    monkeypatch.setenv("RESTONS_API_RATE", "3")
    assert [api.get("/me")[0] for _ in range(3)] == [200, 200, 200]
    assert api.get("/me") == (429, {"detail": "Too many requests with this token; wait a minute."})
    assert bob_api.get("/me")[0] == 200
    frozen.shift(61)
    assert api.get("/me")[0] == 200


def test_the_schema_is_public_and_the_docs_page_needs_a_login(client, alice):
    assert client.get("/api/v1/openapi.json").status_code == 200
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"swagger-ui" in page.content and b"cdn" not in page.content.lower()
