"""``restons export json|vcard|csv``, ``restons restore`` and ``restons token``, as a user types them."""

from __future__ import annotations

import json
import zipfile

from restons.backup.tables import content_digest
from restons.models import ApiToken
from tests.backup.network import build


def test_export_then_restore_into_another_user(restons, alice, bob, tmp_path, frozen):
    """GIVEN alice's network WHEN she exports and bob restores THEN both hold the same content."""
    build(alice)
    path = tmp_path / "alice.json"
    result = restons.ok("export", "json", path, user="alice@example.org")
    assert result.out == f"Wrote the backup to {path}; secrets (passwords, API tokens) are left out.\n"
    result = restons.ok("restore", path, user="bob@example.org")
    assert result.out == "Restored 3 people, 4 interactions and 31 other rows for bob@example.org.\n"
    assert content_digest(bob) == content_digest(alice)


def test_restore_refuses_a_user_with_data_in_one_line(restons, alice, tmp_path, frozen):
    build(alice)
    path = tmp_path / "alice.json"
    restons.ok("export", "json", path, user="alice@example.org")
    result = restons("restore", path, user="alice@example.org")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("restons: alice@example.org already has data; restore into an empty user or a new instance "
                          "(nothing was restored).\n")


def test_export_json_to_standard_output(restons, alice, frozen):
    build(alice)
    document = json.loads(restons.ok("export", "json", user="alice@example.org").out)
    assert document["version"] == 1 and len(document["tables"]["restons.person"]) == 3


def test_export_vcard_and_csv(restons, alice, tmp_path, frozen):
    build(alice)
    result = restons.ok("export", "vcard", tmp_path / "people.vcf", user="alice@example.org")
    assert result.out == f"Wrote 3 cards to {tmp_path / 'people.vcf'}.\n"
    assert (tmp_path / "people.vcf").read_text().count("BEGIN:VCARD") == 3
    restons.ok("export", "csv", tmp_path / "tables.zip", user="alice@example.org")
    assert "person.csv" in zipfile.ZipFile(tmp_path / "tables.zip").namelist()


def test_an_unwritable_path_is_one_line(restons, alice, tmp_path):
    result = restons("export", "json", tmp_path / "missing" / "b.json", user="alice@example.org")
    assert result.code == 1 and result.err.startswith("restons: cannot write ") and result.err.count("\n") == 1
    assert not (tmp_path / "missing").exists()


def test_tokens_create_list_revoke(restons, alice):
    made = restons("token", "create", "backup script", "--scope", "read-write", user="alice@example.org")
    assert made.code == 0
    secret = made.out.strip()
    assert secret.startswith("rst_") and "shown only this once" in made.err
    listed = restons.ok("token", "list", "--json", user="alice@example.org").json
    assert [(t["name"], t["scope"], t["last_used_at"]) for t in listed] == [("backup script", "read-write", None)]
    assert secret.startswith(listed[0]["prefix"]) and secret not in json.dumps(listed)
    assert restons.ok("token", "revoke", "backup script", user="alice@example.org").out == "Token “backup script” revoked.\n"
    assert ApiToken.objects.get(owner=alice).revoked_at is not None
    assert restons.ok("token", "list", "--json", user="alice@example.org").json == []
    refused = restons("token", "revoke", "backup script", user="alice@example.org")
    assert (refused.code, refused.err) == (1, "restons: No active token 'backup script'; see 'restons token list'.\n")


def test_a_token_of_another_user_cannot_be_revoked(restons, alice, bob):
    from restons.services.tokens import create_token

    token, _secret = create_token(bob, "bob's")
    result = restons("token", "revoke", f"#{token.pk}", user="alice@example.org")
    assert result.code == 1
    token.refresh_from_db()
    assert token.revoked_at is None
