"""Every setting and every command is documented, and the French catalogue is complete."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from restons import conf

ROOT = Path(__file__).resolve().parent.parent


def command_paths(group: click.Group, prefix: str = "restons") -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths += command_paths(command, path)
        else:
            paths.append(path)
    return paths


def test_every_setting_has_a_heading_in_the_configuration_docs():
    doc = (ROOT / "docs" / "configuration.md").read_text()
    headings = set(re.findall(r"^## `(RESTONS_[A-Z0-9_]+)`", doc, re.MULTILINE))
    assert set(conf.SETTINGS) - headings == set()
    assert headings - set(conf.SETTINGS) == set(), "documented settings that do not exist"


def test_every_setting_read_by_the_code_is_declared():
    used = set()
    for path in (ROOT / "restons").rglob("*.py"):
        used |= set(re.findall(r"RESTONS_[A-Z0-9_]+", path.read_text()))
    # A family of variables (RESTONS_IMAP_PASSWORD_<NAME>) is no setting, but is documented too.
    doc = (ROOT / "docs" / "configuration.md").read_text()
    families = {name for name in used if name.endswith("_") and f"`{name}<NAME>`" in doc}
    assert used - set(conf.SETTINGS) - families == set()


def test_every_command_is_in_the_cli_reference():
    from restons.cli import commands

    doc = (ROOT / "docs" / "cli.md").read_text()
    missing = [path for path in command_paths(commands()) if f"## `{path}`" not in doc]
    assert missing == []


def test_every_command_is_in_the_readme():
    from restons.cli import commands

    readme = (ROOT / "README.md").read_text()
    assert [p for p in command_paths(commands()) if p not in readme] == []


def test_the_french_catalogue_is_complete_and_compiled():
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(ROOT / "restons/locale/fr/LC_MESSAGES/django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(ROOT / "restons/locale/fr/LC_MESSAGES/django.mo"))
    compiled = {(e.msgid, e.msgstr) for e in mo if not e.msgid_plural}
    assert {(e.msgid, e.msgstr) for e in po.translated_entries() if not e.msgid_plural} <= compiled


def test_every_translatable_string_of_the_source_is_in_the_french_catalogue(tmp_path):
    """GIVEN a copy of the source WHEN makemessages extracts its strings THEN the catalogue has them all."""
    import shutil

    polib = pytest.importorskip("polib")
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (.ci/run installs it)")
    from django.core.management import call_command

    copy = tmp_path / "restons"
    shutil.copytree(ROOT / "restons", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    import os

    here = os.getcwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["fr"], no_location=True, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(ROOT / "restons/locale/fr/LC_MESSAGES/django.po"))}
    assert extracted - committed == set(), "run 'make messages' and translate the new strings"
