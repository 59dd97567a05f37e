"""The French catalogue follows French typography, and every language defines the project's date formats."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "restons/locale/fr/LC_MESSAGES/django.po"


def french_strings():
    polib = pytest.importorskip("polib")
    for entry in polib.pofile(str(PO)):
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in forms:
            yield entry.msgid, text


def test_a_no_break_space_comes_before_double_punctuation_and_inside_guillemets():
    """« Bonne journée ! » and « 10 jours ; dernier contact » never break before the mark, nor inside « »."""
    wrong = [(msgid, text) for msgid, text in french_strings()
             if re.search(r"(?<!\u00a0)[;!?»]| [:;!?»]|«(?!\u00a0)", text)]
    assert wrong == []


def test_apostrophes_are_typographic():
    assert [(msgid, text) for msgid, text in french_strings() if "'" in text] == []


def test_no_capital_after_a_semicolon():
    assert [(msgid, text) for msgid, text in french_strings() if re.search(r";\s*[A-ZÀ-Ý]", text)] == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_language_defines_the_project_formats(language):
    from restons.formats import CUSTOM

    module = importlib.import_module(f"restons.formats.{language}.formats")
    for name in (*CUSTOM, "DATE_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "MONTH_DAY_FORMAT"):
        assert getattr(module, name, None), name


def test_templates_name_their_date_formats():
    """A format spelt in a template ("j M Y") ignores the language: "14 Jui" in French."""
    literal = re.compile(r"""\|date:["']([^"']+)["']""")
    allowed = {"Y-m-d", "c", "Y", r"Y-m-d\TH:i"}  # machine-readable values (and datetime-local inputs) and a bare year
    found = {(path.name, fmt) for path in (ROOT / "restons/templates").rglob("*.html")
             for fmt in literal.findall(path.read_text()) if fmt not in allowed and not fmt.endswith("_FORMAT")}
    assert found == set()
