"""The OpenAPI schema: its field names are the CLI's, and schemathesis finds no failure against the app."""

from __future__ import annotations

import json

import pytest

from restons.cli import main

schemathesis = pytest.importorskip("schemathesis")


def openapi() -> dict:
    from restons.api import urls

    urls()
    from restons.api.core import api

    return api.get_openapi_schema()


def resolve(schema: dict, node: dict) -> dict:
    """``node`` with $ref followed and ``X | None`` reduced to X."""
    while True:
        if "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        else:
            return node


def mismatches(schema: dict, node: dict, value, where: str) -> list[str]:
    """Where the JSON ``value`` and the schema ``node`` disagree on field names (objects with properties only)."""
    node = resolve(schema, node)
    found = []
    if isinstance(value, list) and node.get("type") == "array":
        for item in value:
            found += mismatches(schema, node["items"], item, where + "[]")
    elif isinstance(value, dict) and "properties" in node:
        if set(value) != set(node["properties"]):
            found.append(f"{where}: CLI {sorted(set(value) - set(node['properties']))}, "
                         f"API {sorted(set(node['properties']) - set(value))}")
        for key in set(value) & set(node["properties"]):
            found += mismatches(schema, node["properties"][key], value[key], f"{where}.{key}")
    return found


def response_schema(schema: dict, path: str) -> dict:
    return schema["paths"][f"/api/v1{path}"]["get"]["responses"][200]["content"]["application/json"]["schema"]


def cli_json(capsys, *args):
    capsys.readouterr()
    try:
        main(["--user", "alice@example.org", *args, "--json"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    return json.loads(capsys.readouterr().out)


def test_the_api_uses_the_clis_json_field_names(world, capsys):
    """GIVEN alice's network WHEN the CLI prints person show/list, today, stats and interaction list as JSON
    THEN every object has exactly the fields the OpenAPI schema gives the same object."""
    schema = openapi()
    person = world["camille"].pk
    listing = response_schema(schema, "/people")
    listing = resolve(schema, listing)["properties"]["items"]
    interactions = resolve(schema, response_schema(schema, "/interactions"))["properties"]["items"]
    pairs = [
        (cli_json(capsys, "person", "show", str(person)), response_schema(schema, "/people/{person_id}"), "person show"),
        (cli_json(capsys, "person", "list"), listing, "person list"),
        (cli_json(capsys, "today", "--date", "2026-06-15"), response_schema(schema, "/today"), "today"),
        (cli_json(capsys, "stats"), response_schema(schema, "/stats"), "stats"),
        (cli_json(capsys, "interaction", "list"), interactions, "interaction list"),
    ]
    for value, node, name in pairs:
        assert value, f"{name} printed nothing to compare"
        assert mismatches(schema, node, value, name) == []


def test_the_comparison_sees_a_renamed_field(world, capsys):
    schema = openapi()
    shown = cli_json(capsys, "person", "show", str(world["camille"].pk))
    shown["last_contact"] = shown.pop("last_touch")
    assert mismatches(schema, response_schema(schema, "/people/{person_id}"), shown, "person show") == [
        "person show: CLI ['last_contact'], API ['last_touch']"]


# -- schemathesis --------------------------------------------------------------------------------------

# Positive data may still break a rule no JSON Schema can say (a ping in the future, an identity someone
# else has, an id that is not yours): 400 and 404 are answers, as long as they are documented.
CONFIG = {
    "generation": {"max-examples": 12, "database": "none"},
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "429"]}},
}


def operations() -> list[tuple[str, str]]:
    return sorted((path, method.upper()) for path, methods in openapi()["paths"].items() for method in methods)


@pytest.fixture
def api_schema(world, settings):
    """The schema, loaded through the real WSGI application that the examples then call.

    Like Django's test client, the handler must not close the test's database connection at the
    end of each request (on PostgreSQL that would end the test's transaction).
    """
    from django.core import signals
    from django.db import close_old_connections
    from schemathesis.config import SchemathesisConfig

    from restons.web.wsgi import application

    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application,
                                             config=SchemathesisConfig.from_dict(CONFIG))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("path, method", operations())
def test_schemathesis_finds_no_failure(api_schema, alice_secret, monkeypatch, path, method):
    """Every operation, with examples generated from the schema (valid and invalid), passes every check.

    (schemathesis's own pytest plugin does not run on pytest 9 yet, so each operation is driven
    with Hypothesis here, the way the plugin would.)
    """
    from hypothesis import HealthCheck, given, settings as hypothesis_settings

    monkeypatch.setenv("RESTONS_API_RATE", "100000")
    operation = api_schema[path][method]

    @hypothesis_settings(max_examples=CONFIG["generation"]["max-examples"], deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {alice_secret}"})

    check()
