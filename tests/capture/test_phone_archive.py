"""The phone parsers and the capture rules on a realistic generated archive, against the truth its generator writes.

bench/phone_archive.py makes an address book, an SMS backup with MMS and calls,
WhatsApp exports from Android and iOS with groups, a Telegram export and a
Messages database, every message generated as the kind it is.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from restons.capture.me import KnownPeople, Me
from restons.capture.rules import Capture
from restons.importers import imessage, sms_xml, telegram, vcard, whatsapp
from restons.importers.chat import e164
from restons.importers.records import ContactRecord, ParseError

ROOT = Path(__file__).resolve().parent.parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("phone_archive", ROOT / "bench" / "phone_archive.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("phones")
    return out, load_generator().generate(out, seed=4, people=30, days=120)


def address_book(path: Path) -> KnownPeople:
    """The people Restons knows after importing the phone's vCard (identities as the import stores them)."""
    identities, names = {}, {}
    for ref, record in enumerate(vcard.parse(path), 1):
        assert isinstance(record, ContactRecord)
        names[ref] = record.name
        identities.update({("phone", e164(phone, "FR")): ref for phone in record.phones})
        identities.update({("email", email.lower()): ref for email in record.emails})
    return KnownPeople(identities, names)


def test_the_archive_lands_on_the_right_people(archive):
    """GIVEN the address book imported WHEN every export of the phone goes through its parser and the rules
    THEN ≥ 98 % of the interactions land on the right person and direction (here: all of them), nobody who
    only wrote becomes a person, and everything that is not a ping is counted by reason, never as a ping."""
    out, truth = archive
    known = address_book(out / "contacts.vcf")
    refs = {person["phone"]: person["ref"] for person in truth["known"]}
    vcard_ref = {known.find("phone", phone): ref for phone, ref in refs.items()}
    paris = ZoneInfo("Europe/Paris")
    records = [*sms_xml.parse(out / "sms-20260501120000.xml", region="FR"),
               *sms_xml.parse(out / "calls-20260501120000.xml", region="FR"),
               *whatsapp.parse(out / "whatsapp", region="FR", tz=paris),
               *telegram.parse(out / "result.json", region="FR", tz=paris),
               *imessage.parse(out / "chat.db", region="FR")]
    assert [r for r in records if isinstance(r, ParseError)] == []
    result = Capture(Me(), known).add_all(records)

    found = Counter((vcard_ref[p.person] if p.person is not None else p.address.value, p.channel, p.direction,
                     p.at.isoformat()) for p in result.pings)
    expected = Counter((p["who"], p["channel"], p["direction"], p["at"]) for p in truth["pings"])
    right = sum((found & expected).values())
    assert len(truth["pings"]) >= 300
    assert right / sum(expected.values()) >= 0.98 and right / sum(found.values()) >= 0.98
    assert found == expected  # in fact, every one

    assert sorted({p.address.value for p in result.pings if p.person is None}) == truth["new_people"]
    assert {p.name for p in result.pings if p.person is None} == {
        p.address.value for p in result.pings if p.person is None}  # named by their number: no export names them
    assert result.strangers == truth["strangers"] and result.suggestions == []
    ignored = dict(result.ignored)
    assert ignored.pop("system") == truth["whatsapp_notices"]
    assert dict(sorted(ignored.items())) == truth["ignored"]
    assert sorted((a.kind, a.value) for a in result.learned) == [
        ("name", "Alex Martin"), ("phone", "+33611111111"), ("telegram", "7000001")]
