"""The backup: complete, secret-free, restorable into an empty user, refused when it must be, all or nothing."""

from __future__ import annotations

import json
import zipfile

import pytest

from restons.backup import tables as backup_tables
from restons.backup.dump import export_json
from restons.backup.load import restore
from restons.backup.tables import EXCLUDED, NOT_SECRET_FIELDS, SECRET_FIELDS, SECRET_LIKE, content_digest, owned_models, tables
from restons.models import Interaction, Person, Preferences
from restons.services.errors import UserError
from tests.backup.network import build


@pytest.fixture
def network(alice):
    return build(alice)


@pytest.fixture
def backup(network, alice, tmp_path):
    return export_json(alice, tmp_path / "alice.json")


def rows_of(owner) -> dict[str, int]:
    return {t.label: t.model._default_manager.filter(owner_id=owner.pk).count() for t in tables()}


def test_every_owned_model_is_exported_or_explicitly_excluded():
    """A new model with an owner must be in backups, or in EXCLUDED with a reason: no one can forget it."""
    owned = {model._meta.label_lower for model in owned_models()}
    exported = {table.label for table in tables()}
    assert owned - exported - set(EXCLUDED) == set(), "add it to backups, or to backup.tables.EXCLUDED with why"
    assert "restons.checkup" in EXCLUDED and "restons.apitoken" in EXCLUDED
    assert exported & set(EXCLUDED) == set()
    assert {"restons.person", "restons.interaction", "restons.preferences", "restons.mergesuggestion"} <= exported


def test_fields_named_like_secrets_are_declared_secret_or_not():
    """A field called password, token, key… is either left out of backups or explicitly said not to be secret."""
    undecided = [
        f"{table.label}.{field.name}" for table in tables() for field in table.fields
        if SECRET_LIKE.search(field.name) and f"{table.label}.{field.name}" not in NOT_SECRET_FIELDS
    ]
    assert undecided == []
    assert {"restons.apitoken"} <= set(EXCLUDED)  # tokens are secrets as a whole
    assert all(name.count(".") == 2 for name in SECRET_FIELDS)


def test_tables_come_after_the_tables_they_reference():
    seen = set()
    for table in tables():
        assert {target for _name, target in table.references} - {table.label} <= seen
        seen.add(table.label)


def test_the_network_fills_every_exported_table(network, alice):
    assert [label for label, count in rows_of(alice).items() if count == 0] == []


def test_restoring_into_an_empty_user_gives_the_same_content(backup, alice, bob):
    """GIVEN alice's backup WHEN it is restored into bob THEN every table holds the same content, with new ids."""
    counts = restore(bob, backup)
    assert counts == rows_of(alice)
    assert content_digest(bob) == content_digest(alice)
    assert set(Person.objects.filter(owner=bob).values_list("id", flat=True)).isdisjoint(
        Person.objects.filter(owner=alice).values_list("id", flat=True))
    # References point to bob's own rows.
    for ping in Interaction.objects.filter(owner=bob).select_related("person", "content", "event"):
        assert ping.person.owner_id == bob.pk
        assert ping.about is None or ping.about.owner_id == bob.pk
    assert Preferences.objects.get(owner=bob).today_limit == 7


def test_the_document_is_versioned_and_says_what_it_leaves_out(backup):
    document = json.loads(backup.read_text())
    assert document["format"] == "restons-backup" and document["version"] == 1
    assert document["owner"] == {"email": "alice@example.org"}
    assert "restons.apitoken" in document["left_out"]["tables"]
    assert "passwords" in document["left_out"]["note"]
    person = document["tables"]["restons.person"][0]
    assert person["name"] == "Camille Martin" and "owner" not in person
    first_pledged = document["tables"]["restons.pledgeperson"][0]
    assert first_pledged["person"] in {p["id"] for p in document["tables"]["restons.person"]}


def test_secret_fields_are_left_out_said_so_and_restored_empty(network, alice, bob, tmp_path, monkeypatch):
    """GIVEN a field declared secret WHEN exported THEN it is not in the rows, the header names it, a restore leaves it empty."""
    monkeypatch.setattr(backup_tables, "SECRET_FIELDS", SECRET_FIELDS | {"restons.person.notes"})
    backup_tables.tables.cache_clear()
    try:
        path = export_json(alice, tmp_path / "secret.json")
        document = json.loads(path.read_text())
        assert all("notes" not in row for row in document["tables"]["restons.person"])
        assert "Likes =SUM" not in path.read_text()
        assert "restons.person.notes" in document["left_out"]["fields"]
        assert "restons.reminders.feed_secret" in document["left_out"]["fields"]
        restore(bob, path)
        assert set(Person.objects.filter(owner=bob).values_list("notes", flat=True)) == {""}
    finally:
        backup_tables.tables.cache_clear()


def test_a_zip_round_trips_too(network, alice, bob, tmp_path):
    path = export_json(alice, tmp_path / "alice.zip")
    assert zipfile.ZipFile(path).namelist() == ["restons-backup.json"]
    restore(bob, path)
    assert content_digest(bob) == content_digest(alice)


def test_restoring_into_a_user_with_data_is_refused_in_one_line(backup, alice):
    before = rows_of(alice)
    with pytest.raises(UserError) as refused:
        restore(alice, backup)
    assert str(refused.value) == ("alice@example.org already has data; restore into an empty user or a new instance "
                                  "(nothing was restored).")
    assert rows_of(alice) == before


def test_settings_alone_do_not_make_a_user_non_empty_and_are_replaced(backup, bob):
    Preferences.objects.create(owner=bob, language="en", today_limit=3)
    restore(bob, backup)
    assert list(Preferences.objects.filter(owner=bob).values_list("language", "today_limit")) == [("fr", 7)]


def test_a_newer_format_is_refused_naming_both_versions(backup, bob):
    document = json.loads(backup.read_text())
    document["version"] = 2
    backup.write_text(json.dumps(document))
    with pytest.raises(UserError) as refused:
        restore(bob, backup)
    assert str(refused.value) == ("This backup is format version 2; this Restons reads version 1 at most: "
                                  "upgrade Restons first.")
    assert sum(rows_of(bob).values()) == 0


def _damage(backup, how):
    text = backup.read_text()
    if how == "truncated":
        start = text.index('"restons.interaction"')
        return text[: text.index("},\n", start) + 2]  # after a whole row, as an interrupted copy would stop
    document = json.loads(text)
    rows = document["tables"]
    if how == "dangling reference":
        rows["restons.interaction"][-1]["person"] = 999_999
    elif how == "date out of range":
        rows["restons.milestone"][-1]["on"] = "2300-01-01"
    elif how == "unknown choice":
        rows["restons.interaction"][-1]["direction"] = "sideways"
    elif how == "unknown table":
        rows["restons.gossip"] = []
    elif how == "unknown field":
        rows["restons.person"][-1]["shoe_size"] = 44
    elif how == "wrong type":
        rows["restons.person"][-1]["archived"] = "no"
    elif how == "duplicate unique row":
        rows["restons.identity"].append(dict(rows["restons.identity"][0], id=999_998))
    elif how == "not a backup":
        document["format"] = "something-else"
    return json.dumps(document)


@pytest.mark.parametrize("how, says", [
    ("truncated", "the file ends before the backup does"),
    ("dangling reference", "person refers to restons.person 999999, which is not in the backup"),
    ("date out of range", "2300-01-01 is out of range"),
    ("unknown choice", "'sideways' is not one of both, in, out"),
    ("unknown table", "unknown table restons.gossip"),
    ("unknown field", "unknown field shoe_size"),
    ("wrong type", "'no' is not true or false"),
    ("duplicate unique row", "the rows do not fit together"),
    ("not a backup", "this is not a Restons backup"),
])
def test_a_damaged_file_writes_nothing(backup, bob, how, says):
    """GIVEN a backup damaged in one place WHEN restored THEN one line says where and what, and nothing is written."""
    backup.write_text(_damage(backup, how))
    with pytest.raises(UserError) as refused:
        restore(bob, backup)
    message = str(refused.value)
    assert says in message and "\n" not in message
    if how != "not a backup":
        assert message.startswith("alice.json: ") and message.endswith("; nothing was restored.")
    assert sum(rows_of(bob).values()) == 0


def test_not_json_at_all_writes_nothing(tmp_path, bob):
    path = tmp_path / "notes.json"
    path.write_text("these are not the droids")
    with pytest.raises(UserError, match=r"^notes.json: not valid JSON"):
        restore(bob, path)
    assert sum(rows_of(bob).values()) == 0


def test_another_users_rows_never_leave_in_a_backup(network, alice, bob, tmp_path):
    from tests.backup.network import build as build_again

    build_again(bob)
    text = export_json(alice, tmp_path / "a.json").read_text()
    bobs = json.loads(export_json(bob, tmp_path / "b.json").read_text())
    alice_ids = {row["id"] for row in json.loads(text)["tables"]["restons.person"]}
    assert alice_ids.isdisjoint({row["id"] for row in bobs["tables"]["restons.person"]})
    assert "bob@example.org" not in text


def test_settings_left_at_their_defaults_round_trip(alice, bob, tmp_path):
    from restons.services.people import PersonInput, add_person

    add_person(alice, PersonInput(name="Ana"))
    Preferences.objects.create(owner=alice, language="", today_limit=None)
    restore(bob, export_json(alice, tmp_path / "a.json"))
    assert list(Preferences.objects.filter(owner=bob).values_list("language", "today_limit")) == [("", None)]
