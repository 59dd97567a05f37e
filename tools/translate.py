#!/usr/bin/env python3
"""Fill French translations into the catalogue, and keep its one canonical layout.

    .venv/bin/python tools/translate.py translations.json   # {"msgid": "msgstr", ...}
    .venv/bin/python tools/translate.py --list               # what is untranslated or fuzzy
    .venv/bin/python tools/translate.py --from OTHER.po      # take translations another catalogue has

Run `make messages` first (it extracts new strings); this script sets the
given msgstrs (an entry with a context is keyed "context\u0004msgid", as in a .mo file), clears their fuzzy flags, saves the catalogue as polib writes
it (so diffs stay small whoever edits it) and compiles the .mo. Plural
entries take a list of two forms.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "restons/locale/fr/LC_MESSAGES/django.po"


def _key(entry) -> str:
    """An entry's identity: its msgid, prefixed by its context (``ctx\x04msgid``) when it has one."""
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def main(argv: list[str]) -> int:
    po = polib.pofile(str(PO))
    if argv and argv[0] == "--list":
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            key = _key(entry)
            print(json.dumps(key, ensure_ascii=False), "(fuzzy)" if entry.fuzzy else "")
        return 0
    if argv and argv[0] == "--from":
        # After a merge: every msgid the other catalogue translated, for entries still untranslated or fuzzy here.
        other = polib.pofile(argv[1])
        wanted = {_key(e): ([e.msgstr_plural[0], e.msgstr_plural[1]] if e.msgid_plural else e.msgstr)
                  for e in other.translated_entries()}
        wanted = {_key(e): wanted[_key(e)] for e in po.untranslated_entries() + po.fuzzy_entries() if _key(e) in wanted}
    else:
        wanted = json.loads(Path(argv[0]).read_text()) if argv else {}
    for entry in po:
        key = _key(entry)
        if key in wanted:
            value = wanted[key]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save(str(PO))
    left = len(po.untranslated_entries()) + len(po.fuzzy_entries())
    print(f"{len(po.translated_entries())} translated, {left} left", file=sys.stderr)
    subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
