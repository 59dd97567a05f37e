"""Phones and chats through the database: ``restons import sms-xml|whatsapp|telegram|imessage``, end to end.

The parsers and the pure rules have their own tests (test_sms_xml.py, test_whatsapp.py, ...,
test_phone_archive.py). Here every file goes through the real command, as a user runs it, and
the tests look at what the database then holds: who got which interaction, in which direction,
when; who was created; what the summary says was ignored and why.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from restons.models import Identity, Interaction, MergeSuggestion, Person
from restons.services.access import owned
from tests.capture.test_imessage import SCHEMA, ns, typedstream
from tests.capture.test_phone_archive import load_generator
from tests.capture.test_whatsapp import LAYOUTS, T1, T2, utc
from tests.cli.conftest import Runner

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
JANE = "+33612345678"
ALICE, BOB = "alice@example.org", "bob@example.org"


@pytest.fixture
def restons(db, capsys):
    yield Runner(capsys)
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("phones")
    return out, load_generator().generate(out, seed=4, people=30, days=120)


def owner(email=ALICE):
    return get_user_model().objects.get(email=email)


def counts(email=ALICE) -> dict[str, int]:
    who = owner(email)
    return {model.__name__: owned(model, who).count() for model in (Person, Identity, Interaction, MergeSuggestion)}


def imported(restons, source, path, *extra, user=None) -> dict:
    return restons.ok("import", source, path, "--region", "FR", "--json", *extra, user=user).json


def vcard(tmp_path, *people: tuple[str, str]) -> Path:
    """A phone's address book: (name, number) pairs."""
    cards = []
    for name, phone in people:
        first, _space, last = name.partition(" ")
        cards.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last};{first};;;\r\nFN:{name}\r\nTEL;type=CELL:{phone}\r\nEND:VCARD")
    path = tmp_path / "contacts.vcf"
    path.write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
    return path


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def sms_file(tmp_path, rows: list[str], name="sms-20260401120000.xml") -> Path:
    path = tmp_path / name
    path.write_text("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
                    f'<smses count="{len(rows)}" backup_set="t" backup_date="1" type="full">\n'
                    + "\n".join(rows) + "\n</smses>\n", encoding="utf-8")
    return path


def sms(address: str, at: datetime, kind: int, body: str, contact: str = "(Unknown)") -> str:
    return (f'  <sms protocol="0" address="{address}" date="{ms(at)}" type="{kind}" subject="null" body="{body}" '
            f'toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" '
            f'sub_id="1" readable_date="-" contact_name="{contact}" />')


def pings(email=ALICE, **filters) -> list[tuple]:
    """(person name, channel, direction, at in UTC) of every interaction, in time order."""
    rows = owned(Interaction, owner(email)).filter(**filters).order_by("at", "direction", "person__name")
    return [(i.person.name, i.channel, i.direction, i.at.astimezone(UTC)) for i in rows.select_related("person")]


def phone_of(email=ALICE) -> dict[int, str]:
    return dict(owned(Identity, owner(email)).filter(kind="phone").values_list("person_id", "value"))


# --- the realistic archive -------------------------------------------------------------


def import_archive(restons, out: Path, user=None) -> list[dict]:
    """The order a user would follow: the address book first, then each export of the phone."""
    files = [("vcard", out / "contacts.vcf"), ("sms-xml", out / "sms-20260501120000.xml"),
             ("sms-xml", out / "calls-20260501120000.xml"), ("whatsapp", out / "whatsapp"),
             ("telegram", out / "result.json"), ("imessage", out / "chat.db")]
    return [imported(restons, source, path, user=user) for source, path in files]


def landed(truth: dict, email=ALICE) -> Counter:
    """The stored interactions as the truth names them: (ref of a known person, or the number; channel;
    direction; time)."""
    refs = {person["phone"]: person["ref"] for person in truth["known"]}
    phones = phone_of(email)
    found = Counter()
    for person_id, channel, direction, at in owned(Interaction, owner(email)).values_list(
            "person_id", "channel", "direction", "at"):
        phone = phones.get(person_id, f"person {person_id} without a phone")
        found[(refs.get(phone, phone), channel, direction, at.astimezone(UTC).isoformat())] += 1
    return found


def total(summaries: list[dict], key: str) -> Counter:
    result = Counter()
    for summary in summaries:
        value = summary.get(key, 0)
        if isinstance(value, dict):
            result.update(value)
        else:
            result[key] += value
    return result


def test_the_archive_lands_on_the_right_people(restons, alice, archive):
    """GIVEN the phone's address book imported WHEN the SMS and call backups, the WhatsApp exports
    (Android and iOS, with groups), the Telegram export and the Messages database are imported one after
    the other THEN at least 98 % of the truth's interactions are stored on the right person, channel,
    direction and time, nothing else is stored, nobody who only wrote becomes a person, and the
    summaries count what is not a ping by reason."""
    out, truth = archive
    summaries = import_archive(restons, out)

    found = landed(truth)
    expected = Counter((p["who"], p["channel"], p["direction"], p["at"]) for p in truth["pings"])
    right = sum((found & expected).values())
    assert len(truth["pings"]) >= 300
    assert right / sum(expected.values()) >= 0.98, f"{right} of {sum(expected.values())} expected"
    assert right / sum(found.values()) >= 0.98, f"{right} of {sum(found.values())} stored"

    people = owned(Person, owner())
    assert people.count() == len(truth["known"]) + len(truth["new_people"])  # no stranger created
    phones = phone_of()
    assert sorted(phones[p.pk] for p in people if phones.get(p.pk) not in
                  {k["phone"] for k in truth["known"]}) == truth["new_people"]

    assert total(summaries, "strangers")["strangers"] == truth["strangers"]
    ignored = total(summaries, "ignored")
    assert ignored.pop("system") == truth["whatsapp_notices"]
    assert dict(sorted(ignored.items())) == truth["ignored"]


def test_importing_the_archive_again_changes_nothing(restons, alice, archive):
    out, truth = archive
    import_archive(restons, out)
    before, stored = counts(), sorted(pings())

    again = import_archive(restons, out)

    assert counts() == before and sorted(pings()) == stored
    assert [s["interactions"] for s in again] == [0] * len(again)
    assert [s["created"] for s in again] == [0] * len(again)


def earlier_sms(path: Path, into: Path) -> Path:
    """The same phone's backup made earlier: the first half of its texts (cut between two <sms> lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cuts = [n for n, line in enumerate(lines) if line.startswith("  <sms ")]
    kept = lines[:cuts[len(cuts) // 2]] + ["</smses>"]
    target = into / "sms-20260301120000.xml"
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def earlier_whatsapp(folder: Path, into: Path) -> Path:
    """The Android chats exported earlier: each one-to-one chat the first half of its lines, groups whole.

    (A WhatsApp export lists no members: a group's size is the authors it shows, so half of a big group
    can look small.)
    """
    target = into / "whatsapp-march"
    target.mkdir()
    for chat in folder.glob("*.txt"):
        lines = chat.read_text(encoding="utf-8").splitlines()
        group = any(" created group " in line for line in lines)
        kept = lines if group else lines[:max(2, len(lines) // 2)]
        (target / chat.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def test_an_overlapping_later_export_adds_only_what_is_new(restons, alice, bob, archive, tmp_path):
    """GIVEN Alice imported earlier backups (half the texts, half of each Android chat) WHEN she imports
    the full ones THEN she has exactly what Bob has, who imported only the full ones: conversations that
    went on grew, none was counted twice."""
    out, truth = archive
    imported(restons, "vcard", out / "contacts.vcf", user=ALICE)
    first = imported(restons, "sms-xml", earlier_sms(out / "sms-20260501120000.xml", tmp_path), user=ALICE)
    first_chats = imported(restons, "whatsapp", earlier_whatsapp(out / "whatsapp", tmp_path), user=ALICE)
    assert first["interactions"] > 0 and first_chats["interactions"] > 0
    import_archive(restons, out, user=ALICE)
    import_archive(restons, out, user=BOB)

    assert landed(truth, ALICE) == landed(truth, BOB)
    assert counts(ALICE) == counts(BOB)


# --- each trap, through the database -----------------------------------------------------


def test_an_emoji_written_as_a_surrogate_pair_is_stored_whole(restons, alice, tmp_path):
    imported(restons, "vcard", vcard(tmp_path, ("Jane Doe", "06 12 34 56 78")))
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    summary = imported(restons, "sms-xml", sms_file(tmp_path, [
        sms("0612345678", at, 1, "Bien joué &#55357;&#56396;", "Jane Doe")]))

    assert summary["interactions"] == 1
    stored = owned(Interaction, owner()).get()
    assert (stored.person.name, stored.direction, stored.at) == ("Jane Doe", "in", at)
    assert "👌" in stored.summary and "\ufffd" not in stored.summary


def test_a_backup_declaring_a_document_type_is_refused_in_one_line_writing_nothing(restons, alice, tmp_path):
    imported(restons, "vcard", vcard(tmp_path, ("Jane Doe", "06 12 34 56 78")))
    before = counts()
    laughs = "".join(f'<!ENTITY l{n} "{"".join(f"&l{n - 1};" for _ in range(10))}">' for n in range(1, 10))
    path = tmp_path / "sms-20260401120000.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY l0 "ha">{laughs}]>\n'
                    f'<smses count="1">{sms("0612345678", datetime(2026, 3, 2, tzinfo=UTC), 1, "&l9;")}</smses>\n')

    result = restons("import", "sms-xml", path, "--region", "FR")

    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("restons: sms-20260401120000.xml")
    assert "DOCTYPE" in result.err
    assert counts() == before


def test_only_answered_calls_are_pings(restons, alice, tmp_path):
    imported(restons, "vcard", vcard(tmp_path, ("Jane Doe", "06 12 34 56 78")))
    day = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def call(hour, kind, duration):
        return (f'  <call number="0612345678" duration="{duration}" date="{ms(day.replace(hour=hour))}" '
                f'type="{kind}" presentation="1" readable_date="-" contact_name="Jane Doe" />')

    path = tmp_path / "calls-20260401120000.xml"
    path.write_text("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"6\">\n"
                    + "\n".join([call(8, 1, 95), call(9, 3, 0), call(10, 4, 31), call(11, 5, 0), call(12, 2, 0),
                                 call(13, 2, 600)]) + "\n</calls>\n")

    summary = imported(restons, "sms-xml", path)

    assert pings() == [("Jane Doe", "call", "in", day.replace(hour=8)), ("Jane Doe", "call", "out", day.replace(hour=13))]
    assert summary["ignored"] == {"missed-call": 2, "rejected-call": 1, "zero-length-call": 1}
    assert summary["strangers"] == 0


def test_a_whatsapp_author_shown_as_a_number_is_found_by_phone(restons, alice, tmp_path):
    """Jane is in Restons but not in the exporting phone: WhatsApp shows her number, and names the file by it."""
    restons.ok("person", "add", "Jane Doe", "--phone", JANE)
    path = tmp_path / "WhatsApp Chat with +33 6 12 34 56 78.txt"
    path.write_text("02/03/2026, 10:00 - \u202a+33 6 12 34 56 78\u202c: Coucou, c'est Jane\n"
                    "02/03/2026, 10:05 - Alex Martin: Salut Jane !\n", encoding="utf-8")

    summary = imported(restons, "whatsapp", path)

    assert pings() == [("Jane Doe", "text", "in", datetime(2026, 3, 2, 9, tzinfo=UTC)),
                       ("Jane Doe", "text", "out", datetime(2026, 3, 2, 9, 5, tzinfo=UTC))]
    assert summary["created"] == 0 and owned(Person, owner()).count() == 1


def test_the_date_order_comes_from_the_whole_file_not_the_region(restons, alice, tmp_path):
    """03/04 could be 3 April or 4 March; a later 13/04 says days come first — even for a US user."""
    restons.ok("person", "add", "Jane Doe")
    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    path.write_text("03/04/26, 10:00 - Jane Doe: Ça va ?\n04/04/26, 09:00 - Alex Martin: Oui !\n"
                    "13/04/26, 18:30 - Jane Doe: Samedi alors\n", encoding="utf-8")

    restons.ok("import", "whatsapp", path, "--region", "US", "--json")

    assert [(direction, at.date().isoformat()) for _n, _c, direction, at in pings()] == [
        ("in", "2026-04-03"), ("out", "2026-04-04"), ("in", "2026-04-13")]


def test_an_imessage_kept_only_in_its_rich_text_form_counts_and_a_tapback_does_not(restons, alice, tmp_path):
    restons.ok("person", "add", "Jane Doe", "--phone", JANE)
    path = tmp_path / "chat.db"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO handle (ROWID, id, service) VALUES (1, ?, 'iMessage')", (JANE,))
    db.execute("INSERT INTO chat (ROWID, guid, chat_identifier, style) VALUES (1, 'iMessage;-;x', ?, 45)", (JANE,))
    db.execute("INSERT INTO chat_handle_join VALUES (1, 1)")
    t = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for rowid, text, body, from_me, assoc, seconds in [
            (1, None, typedstream("Tu viens samedi ?"), 0, 0, 0),  # text NULL: only attributedBody
            (2, "Loved “Tu viens samedi ?”", None, 0, 2000, 60),  # a tapback
            (3, None, typedstream("Oui !"), 1, 0, 120)]:
        db.execute("INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date, is_from_me, "
                   "associated_message_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (rowid, f"M{rowid}", text, body, 0 if from_me else 1, ns(t) + seconds * 10**9, from_me, assoc))
        db.execute("INSERT INTO chat_message_join VALUES (1, ?, 0)", (rowid,))
    db.commit()
    db.close()

    summary = imported(restons, "imessage", path)

    assert pings() == [("Jane Doe", "text", "in", t), ("Jane Doe", "text", "out", t.replace(minute=2))]
    assert owned(Interaction, owner()).get(direction="in").summary.startswith("Tu viens samedi")
    assert summary["ignored"] == {"reaction": 1}


def test_telegram_direction_from_your_id_and_people_linked_by_their_phone(restons, alice, tmp_path):
    """GIVEN Jane known by her phone number only WHEN the Telegram export is imported THEN her chat and her
    call are hers in both directions (from_id against the export's own user id), Omar who only wrote is a
    stranger, groups, channels and your saved messages are counted, not stored."""
    restons.ok("person", "add", "Jane Doe", "--phone", JANE)

    summary = imported(restons, "telegram", SAMPLES / "phones" / "result.json")

    assert Counter((name, channel, direction) for name, channel, direction, _at in pings()) == {
        ("Jane Doe", "text", "in"): 2, ("Jane Doe", "text", "out"): 1, ("Jane Doe", "call", "out"): 1}
    assert summary["strangers"] == 1 and owned(Person, owner()).count() == 1
    assert summary["ignored"] == {"channel": 1, "group": 2, "missed-call": 1, "self": 1}


def test_a_stranger_named_like_someone_you_know_is_a_merge_suggestion(restons, alice, tmp_path):
    """A number you do not have wrote to you, and the phone names it Jane Doe: perhaps Jane's new number."""
    imported(restons, "vcard", vcard(tmp_path, ("Jane Doe", "06 12 34 56 78")))
    summary = imported(restons, "sms-xml", sms_file(tmp_path, [
        sms("07 00 00 00 01", datetime(2026, 3, 2, 9, tzinfo=UTC), 1, "Nouveau numéro !", "Jane Doe")]))

    assert summary["strangers"] == 0 and summary["suggestions"] == 1
    rows = restons.ok("merge", "--json").json
    assert len(rows) == 1 and [p["name"] for p in rows[0]["people"]] == ["Jane Doe", "Jane Doe"]


def test_a_number_you_wrote_to_becomes_a_person_named_by_the_phone_else_by_the_number(restons, alice, tmp_path):
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    summary = imported(restons, "sms-xml", sms_file(tmp_path, [
        sms("07 51 23 45 67", at, 2, "Bienvenue au club", "Paul Durand"),
        sms("07 99 88 77 66", at, 2, "C'est bien le plombier ?"),
        sms("07 00 00 00 02", at, 1, "Bonjour, c'est pour l'annonce"),  # only wrote: a stranger
    ]))

    names = {value: name for value, name in owned(Identity, owner()).filter(kind="phone").values_list(
        "value", "person__name")}
    assert names == {"+33751234567": "Paul Durand", "+33799887766": "+33799887766"}
    assert (summary["created"], summary["interactions"], summary["strangers"]) == (2, 2, 1)


@pytest.mark.parametrize("name, header, seconds", LAYOUTS, ids=[layout[0] for layout in LAYOUTS])
def test_every_whatsapp_layout_through_the_database(restons, alice, tmp_path, name, header, seconds):
    """GIVEN Jane Doe known WHEN a chat exported in this layout is imported THEN her message and your reply
    are stored on her, in their directions, at their exact times (Paris, summer time included)."""
    restons.ok("person", "add", "Jane Doe")
    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    path.write_text(f"{header(T1)}Jane Doe: Salut, on se voit samedi ?\nC'est le match.\n"
                    f"{header(T2)}Alex Martin: Avec plaisir\n", encoding="utf-8")

    imported(restons, "whatsapp", path)

    assert pings() == [("Jane Doe", "text", "in", utc(T1, seconds)), ("Jane Doe", "text", "out", utc(T2, seconds))]


def test_an_ios_zip_and_an_android_group_in_one_folder(restons, alice, tmp_path):
    """A folder of exports: the iOS zip teaches your name, so the Android group knows your messages;
    the group's few members each get a ping, its system lines are counted."""
    restons.ok("person", "add", "Jane Doe", "--phone", JANE)
    restons.ok("person", "add", "Léa Moreau")
    folder = tmp_path / "exports"
    folder.mkdir()
    with zipfile.ZipFile(folder / "WhatsApp Chat - Jane Doe.zip", "w") as archive:
        archive.writestr("_chat.txt", "\u200e[13/03/2026, 21:41:05] Jane Doe: \u200eMessages and calls are "
                         "end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen "
                         "to them.\r\n[13/03/2026, 21:41:05] Jane Doe: Coucou\r\n"
                         "[13/03/2026, 21:50:00] Alex Martin: Trop bien\r\n")
        archive.writestr("00000003-PHOTO-2026-03-13-21-41-05.jpg", b"\xff\xd8" + bytes(100))
    (folder / "WhatsApp Chat with Foot.txt").write_text(
        "12/03/2026, 09:00 - Léa Moreau created group \"Foot\"\n"
        "12/03/2026, 09:02 - Léa Moreau: Qui vient samedi ?\n"
        "12/03/2026, 09:05 - \u202a+33 6 12 34 56 78\u202c: Moi !\n"
        "12/03/2026, 09:06 - Alex Martin: Moi aussi\n", encoding="utf-8")

    summary = imported(restons, "whatsapp", folder)

    assert [(n, d, at.strftime("%d %H:%M")) for n, _c, d, at in pings()] == [
        ("Léa Moreau", "in", "12 08:02"), ("Jane Doe", "in", "12 08:05"), ("Jane Doe", "out", "12 08:06"),
        ("Léa Moreau", "out", "12 08:06"), ("Jane Doe", "in", "13 20:41"), ("Jane Doe", "out", "13 20:50")]
    assert summary["ignored"] == {"system": 2} and summary["created"] == 0


def test_someone_new_in_a_long_chat_stays_one_person_across_batches(restons, alice, tmp_path, monkeypatch):
    """A chat read in several batches: Léa, new, is made a person by the first; the later batches find her
    by name as that person (they once carried a placeholder for her and the import crashed)."""
    from restons.services import capture

    monkeypatch.setattr(capture, "DRAIN", 3)
    restons.ok("person", "add", "Jane Doe")
    path = tmp_path / "WhatsApp Chat with Foot.txt"
    path.write_text("".join(f"{day:02d}/03/2026, 10:00 - Léa Moreau: Salut {day}\n"
                            f"{day:02d}/03/2026, 10:01 - Jane Doe: Coucou\n"
                            f"{day:02d}/03/2026, 10:02 - Alex Martin: Hello\n" for day in range(1, 8)),
                    encoding="utf-8")
    restons.ok("me", "add", "--name", "Alex Martin")

    summary = imported(restons, "whatsapp", path)

    assert summary["created"] == 1
    assert Counter((name, direction) for name, _c, direction, _at in pings()) == {
        ("Léa Moreau", "in"): 7, ("Léa Moreau", "out"): 7, ("Jane Doe", "in"): 7, ("Jane Doe", "out"): 7}
