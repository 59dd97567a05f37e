"""A realistic phone archive (address book, SMS/MMS and calls, WhatsApp, Telegram, iMessage) with its truth.

Usage (from the repository root)::

    .venv/bin/python bench/phone_archive.py OUT_DIR [--seed 1] [--people 30] [--days 120]

Writes into OUT_DIR, all about one owner (Alex Martin, +33 6 11 11 11 11,
in Paris):

- ``contacts.vcf``: the phone's address book (vCard 3.0) — the people Restons
  already knows, with their mobile numbers, some with an email address;
- ``sms-….xml`` (SMS, 1:1 MMS with photos as base64, a group MMS with three
  people and ``insert-address-token``, drafts, a short code, a stranger,
  emoji as surrogate pairs) and ``calls-….xml`` (answered in and out, missed,
  voicemail, rejected, blocked, zero-length, a hidden number);
- ``whatsapp/``: one-to-one chats exported from Android (``WhatsApp Chat
  with <Name>.txt``, day-first with 24-hour times; someone not in the address
  book shows as ``+33 6 …`` and names the file) and from iOS (``WhatsApp Chat
  - <Name>.zip`` holding ``_chat.txt``, with its notices and media), a small
  group (four others: pings with each) and a big one (eight: a group);
- ``result.json``: a Telegram export (personal information, contacts with
  phones, personal chats, calls, a group, a channel);
- ``chat.db``: a Messages database (ns dates, NULL text with
  ``attributedBody``, tapbacks, a group of three, an email handle);
- ``truth.json``: the interactions (who, direction, channel, time), the
  strangers, the ignored counts by reason, and the new people (numbers you
  wrote to that the address book does not have).

Every message is generated as the kind it is (a text to or from someone, a
call answered or missed, a reaction, a system line ...), so the truth is known
by construction; only conversations are computed, by the rule's literal
reading: per person, channel and direction, sorted, a new interaction when
the previous message is 12 hours old or more — across sources, since texts
are one channel whatever app carried them.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
GAP = timedelta(hours=12)
ME_NAME = "Alex Martin"
ME_PHONE = "+33611111111"
ME_TG = 7000001
START = datetime(2026, 1, 5, tzinfo=UTC)
FIRST = ["Jane", "Zoë", "Jürgen", "José", "Amélie", "Omar", "Chloé", "Mateo", "Ingrid", "Kenji", "Léa", "Noah",
         "Björn", "Inès", "Rafael", "Maëlle", "Yusuf", "Agnès", "Søren", "Élodie", "Tomás", "Hana", "Lucas", "Nora"]
LAST = ["Doe", "Lefèvre", "Müller", "García", "Dubois", "Haddad", "Rossi", "Nakamura", "Larsen", "Novák",
        "Moreau", "Silva", "Kowalski", "Petit", "Fontaine", "Brandt", "Ortega", "Laurent", "Sato"]
TEXTS = ["Tu as vu le match ? ⚽", "On se voit samedi ?", "Bisous aux enfants 😘", "Merci pour hier !", "Ok 👍",
         "Je t'appelle ce soir", "Photo de la sortie 📷", "Bonne rentrée à tous 🎒", "Haha 😂", "À plus"]
APPS = ("sms", "whatsapp", "telegram", "imessage")


@dataclass
class Person:
    ref: int
    name: str
    phone: str  # E.164
    email: str
    known: bool  # in the address book
    tg: int  # Telegram user id
    apps: tuple[str, ...]


@dataclass
class Event:
    at: datetime  # UTC, whole seconds
    person: Person | None
    mine: bool
    app: str
    channel: str = "text"
    kind: str = "ping"  # or the reason it is ignored
    text: str = ""
    group: tuple[Person, ...] = ()  # the other members, for a group message
    extra: str = ""  # per-app detail (call type, ...)


def pretty(phone: str) -> str:
    """+33612345678 as a French phone shows it: +33 6 12 34 56 78."""
    return f"{phone[:3]} {phone[3]} {phone[4:6]} {phone[6:8]} {phone[8:10]} {phone[10:12]}"


def national(phone: str) -> str:
    return "0" + phone[3:]


def allocated(phone: str) -> bool:
    """True for a number in a range an operator has: real people's numbers are."""
    import phonenumbers

    return phonenumbers.is_valid_number(phonenumbers.parse(phone))


def make_people(rng: random.Random, count: int) -> list[Person]:
    people, names, phones = [], set(), set()
    while len(people) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        phone = f"+336{rng.randint(10_000_000, 99_999_999)}"
        if name in names or phone in phones or phone == ME_PHONE or not allocated(phone):
            continue  # (a range no operator has, such as +33 6 91: an address book refuses it)
        names.add(name)
        phones.add(phone)
        known = len(people) % 5 != 4  # one in five is not in the address book
        slug = name.lower().translate(str.maketrans("ëüéèçöæøáíóúàâîïôñ ", "eueecoaoaiouaaiion."))
        email = f"{slug}@icloud.example.com" if rng.random() < 0.3 else ""
        apps = tuple(sorted(rng.sample(APPS, rng.randint(1, 3))))
        people.append(Person(len(people) + 1, name, phone, email, known, 7100000 + len(people), apps))
    return people


def local_moment(rng: random.Random, day: int) -> datetime:
    # Whole minutes: Android's WhatsApp export has no seconds.
    moment = datetime(2026, 1, 5, rng.randint(8, 21), rng.randint(0, 59), tzinfo=PARIS)
    return (moment + timedelta(days=day)).astimezone(UTC)


def exchanges(rng: random.Random, people: list[Person], days: int) -> list[Event]:
    """Bursts of texts both ways with each person, on the apps they use; calls on the phone."""
    events: list[Event] = []
    for person in people:
        for app in person.apps:
            if app == "telegram" and not person.known:
                continue  # Telegram strangers are generated below
            for day in sorted(rng.sample(range(1, days), rng.randint(2, 5))):
                at = local_moment(rng, day)
                sides = [True, False] if rng.random() < 0.5 else [False, True]
                if not person.known:
                    sides = [True, False]  # someone new: you wrote first (so they become a person)
                elif rng.random() < 0.2:
                    sides = sides[:1]
                for mine in sides:
                    for _ in range(rng.choice([1, 1, 2, 3])):
                        events.append(Event(at, person, mine, app, text=rng.choice(TEXTS)))
                        at += timedelta(minutes=rng.randint(1, 300))
                    at += timedelta(minutes=rng.randint(5, 200))
        if "sms" in person.apps:
            for day in rng.sample(range(1, days), 2):
                at = local_moment(rng, day)
                kind = rng.choice(["in", "out", "in", "out", "missed", "voicemail", "rejected", "zero"])
                mine = kind in ("out", "zero")
                reason = {"missed": "missed-call", "voicemail": "missed-call", "rejected": "rejected-call",
                          "zero": "zero-length-call"}.get(kind, "ping")
                events.append(Event(at, person, mine, "call", "call", reason, extra=kind))
    return events


def noise(rng: random.Random, people: list[Person], days: int) -> list[Event]:
    """What is never a ping, strangers, groups."""
    known = [p for p in people if p.known]
    events: list[Event] = []

    def when() -> datetime:
        return local_moment(rng, rng.randrange(1, days))

    for n in range(3):
        events.append(Event(when(), None, False, "sms", kind="no-reply", text=f"Votre code : {n}1234", extra="36179"))
        events.append(Event(when(), rng.choice(known), True, "sms", kind="draft", text="brouillon"))
    events.append(Event(when(), None, False, "call", "call", "blocked-call", extra="+33699999999"))
    events.append(Event(when(), None, False, "call", "call", "unknown-number", extra="-2"))
    # Strangers: numbers that only wrote to you.
    for n in range(3):
        stranger = Person(900 + n, f"Inconnu {n}", f"+3375{n}123456", "", False, 7900000 + n, ())
        app = ["sms", "whatsapp", "telegram"][n]
        events.append(Event(when(), stranger, False, app, kind="stranger", text="Bonjour, c'est pour l'annonce"))
    # Reactions and group events in iMessage; system lines in WhatsApp come with each chat.
    imessage_people = [p for p in known if "imessage" in p.apps] or known[:1]
    for n in range(4):
        events.append(Event(when(), rng.choice(imessage_people), False, "imessage", kind="reaction",
                            extra=str(rng.choice([2000, 2001, 2003, 3001]))))
    # Groups: a small one (3 others: pings with each), a big one (8 others: never).
    small = known[:3]
    big = known[3:11] if len(known) >= 11 else known
    at = when()
    events.append(Event(at, None, True, "sms", text="Photo de groupe 📷", group=tuple(small), extra="mms-group"))
    events.append(Event(at + timedelta(minutes=5), small[0], False, "sms", text="Trop bien", group=tuple(small),
                        extra="mms-group"))
    at = when()
    for member in small:
        events.append(Event(at, member, False, "whatsapp", text="Ça marche", group=tuple(small), extra="wa-small"))
        at += timedelta(minutes=3)
    events.append(Event(at, None, True, "whatsapp", text="Parfait", group=tuple(small), extra="wa-small"))
    at = when()
    for member in big:
        events.append(Event(at, member, False, "whatsapp", kind="group", text="Réunion ce soir", group=tuple(big),
                            extra="wa-big"))
        at += timedelta(minutes=2)
    events.append(Event(at, None, True, "whatsapp", kind="group", text="J'y serai", group=tuple(big), extra="wa-big"))
    at = when()
    events.append(Event(at, None, True, "imessage", text="Dîner vendredi ?", group=tuple(small), extra="im-group"))
    events.append(Event(at + timedelta(minutes=9), small[1], False, "imessage", text="Oui !", group=tuple(small),
                        extra="im-group"))
    return events


# --- rendering ---------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """As Android's serializer writes it: XML escapes, and characters beyond the BMP as surrogate pairs."""
    out = []
    for char in text:
        code = ord(char)
        if char in "&<>\"'":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}[char])
        elif code > 0xFFFF:
            code -= 0x10000
            out.append(f"&#{0xD800 + (code >> 10)};&#{0xDC00 + (code & 0x3FF)};")
        else:
            out.append(char)
    return "".join(out)


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def write_sms(out: Path, events: list[Event], media: bytes) -> None:
    sms = [e for e in events if e.app == "sms"]
    lines = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
             f'<smses count="{len(sms)}" backup_set="gen" backup_date="{ms(START)}" type="full">']
    for event in sorted(sms, key=lambda e: e.at):
        if event.extra == "mms-group":
            members = "~".join(p.phone for p in event.group)
            names = ", ".join(p.name for p in event.group)
            sender = "insert-address-token" if event.mine else event.person.phone
            addrs = [f'<addr address="{sender}" type="137" charset="106" />']
            addrs += [f'<addr address="{p.phone}" type="151" charset="106" />' for p in event.group if p is not event.person]
            if not event.mine:
                addrs.append(f'<addr address="{ME_PHONE}" type="151" charset="106" />')
            lines.append(f'  <mms date="{ms(event.at)}" msg_box="{2 if event.mine else 1}" address="{members}" '
                         f'm_type="{128 if event.mine else 132}" contact_name="{xml_text(names)}" read="1">')
            lines.append(f'    <parts><part seq="-1" ct="application/smil" name="null" text="&lt;smil&gt;" />'
                         f'<part seq="0" ct="image/jpeg" name="IMG.jpg" text="null" data="{media.decode()}" />'
                         f'<part seq="0" ct="text/plain" name="null" text="{xml_text(event.text)}" /></parts>')
            lines.append(f"    <addrs>{''.join(addrs)}</addrs>")
            lines.append("  </mms>")
            continue
        address = event.extra or (national(event.person.phone) if event.person.known else pretty(event.person.phone))
        kind = {"draft": 3}.get(event.kind, 2 if event.mine else 1)
        name = event.person.name if event.person and event.person.known else "(Unknown)"
        lines.append(f'  <sms protocol="0" address="{xml_text(address)}" date="{ms(event.at)}" type="{kind}" '
                     f'subject="null" body="{xml_text(event.text)}" toa="null" sc_toa="null" service_center="null" '
                     f'read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="-" '
                     f'contact_name="{xml_text(name)}" />')
    lines.append("</smses>")
    (out / "sms-20260501120000.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls = [e for e in events if e.app == "call"]
    lines = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>", f'<calls count="{len(calls)}">']
    types = {"in": 1, "out": 2, "missed": 3, "voicemail": 4, "rejected": 5, "zero": 2}
    for event in sorted(calls, key=lambda e: e.at):
        if event.person is None:
            number, kind, duration = event.extra, (6 if event.kind == "blocked-call" else 1), 40
        else:
            number, kind = national(event.person.phone), types[event.extra]
            duration = 0 if event.extra in ("missed", "rejected", "zero") else 30 if event.extra == "voicemail" else 95
        name = event.person.name if event.person and event.person.known else "(Unknown)"
        lines.append(f'  <call number="{number}" duration="{duration}" date="{ms(event.at)}" type="{kind}" '
                     f'presentation="1" readable_date="-" contact_name="{xml_text(name)}" />')
    lines.append("</calls>")
    (out / "calls-20260501120000.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def wa_author(person: Person | None) -> str:
    if person is None:
        return ME_NAME
    return person.name if person.known else f"\u202a{pretty(person.phone)}\u202c"


def write_whatsapp(out: Path, events: list[Event]) -> None:
    folder = out / "whatsapp"
    folder.mkdir(exist_ok=True)
    chats: dict[str, list[Event]] = {}
    for event in events:
        if event.app == "whatsapp":
            chat = event.extra or f"1:1:{event.person.ref}"
            chats.setdefault(chat, []).append(event)
    for chat, items in chats.items():
        items.sort(key=lambda e: e.at)
        ios = chat.startswith("1:1") and int(chat[4:]) % 2 == 0
        if chat == "wa-small":
            title = "Parents de l'école"
        elif chat == "wa-big":
            title = "Club de foot"
        else:
            person = items[0].person
            title = person.name if person.known else pretty(person.phone)
        lines = []
        first = items[0].at.astimezone(PARIS)
        notice = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
        if ios:
            lines.append(f"\u200e[{first:%d/%m/%Y, %H:%M:%S}] {title}: \u200e{notice}")
        else:
            lines.append(f"{first:%d/%m/%Y, %H:%M} - {notice} Tap to learn more.")
            if not chat.startswith("1:1"):
                lines.append(f"{first:%d/%m/%Y, %H:%M} - {wa_author(items[0].group[0])} created group \"{title}\"")
        for event in items:
            local = event.at.astimezone(PARIS)
            author = ME_NAME if event.mine else wa_author(event.person)
            text = event.text
            if ios:
                lines.append(f"[{local:%d/%m/%Y, %H:%M:%S}] {author}: {text}")
            else:
                lines.append(f"{local:%d/%m/%Y, %H:%M} - {author}: {text}")
                if len(text) > 8:
                    lines.append("(suite du message)")
        body = "\n".join(lines) + "\n"
        if ios:
            with zipfile.ZipFile(folder / f"WhatsApp Chat - {title}.zip", "w") as archive:
                archive.writestr("_chat.txt", body.replace("\n", "\r\n"))
                archive.writestr("00000003-PHOTO-2026-01-01-10-00-00.jpg", b"\xff\xd8" + bytes(500))
        else:
            (folder / f"WhatsApp Chat with {title}.txt").write_text(body, encoding="utf-8")


def write_telegram(out: Path, events: list[Event], people: list[Person]) -> None:
    contacts = [{"user_id": p.tg, "first_name": p.name.split()[0], "last_name": p.name.split()[1],
                 "phone_number": pretty(p.phone), "date": "2025-01-01T10:00:00", "date_unixtime": "1735722000"}
                for p in people if p.known and "telegram" in p.apps]
    chats: dict[int, dict] = {}
    for event in sorted((e for e in events if e.app == "telegram"), key=lambda e: e.at):
        person = event.person
        chat = chats.setdefault(person.tg, {"name": person.name, "type": "personal_chat", "id": person.tg,
                                            "messages": []})
        who = (ME_NAME, ME_TG) if event.mine else (person.name, person.tg)
        chat["messages"].append({"id": len(chat["messages"]) + 1, "type": "message",
                                 "date": event.at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M:%S"),
                                 "date_unixtime": str(int(event.at.timestamp())), "from": who[0],
                                 "from_id": f"user{who[1]}", "text": event.text, "text_entities": []})
    group = {"name": "Voisins", "type": "private_group", "id": 4400001, "messages": [
        {"id": 1, "type": "message", "date": "2026-02-01T10:00:00", "date_unixtime": str(int(datetime(2026, 2, 1, 9, tzinfo=UTC).timestamp())),
         "from": "Voisin", "from_id": "user7999999", "text": "Fête des voisins samedi"}]}
    channel = {"name": "Actus", "type": "public_channel", "id": 4400002, "messages": [
        {"id": 1, "type": "message", "date": "2026-02-01T10:00:00", "date_unixtime": str(int(datetime(2026, 2, 1, 9, tzinfo=UTC).timestamp())),
         "from": "Actus", "from_id": "channel4400002", "text": "Nouvelles"}]}
    export = {"about": "Here is the data you requested.",
              "personal_information": {"user_id": ME_TG, "first_name": "Alex", "last_name": "Martin",
                                       "phone_number": pretty(ME_PHONE), "username": "@alexm"},
              "contacts": {"about": "", "list": contacts},
              "frequent_contacts": {"about": "", "list": []},
              "chats": {"about": "", "list": [*chats.values(), group, channel]},
              "left_chats": {"about": "", "list": []}}
    (out / "result.json").write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")


def typedstream(text: str) -> bytes:
    data = text.encode()
    length = bytes([len(data)]) if len(data) < 0x80 else b"\x81" + len(data).to_bytes(2, "little")
    return (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject"
            b"\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + length + data + b"\x86\x84\x02iI\x01")


def write_imessage(out: Path, events: list[Event], rng: random.Random) -> None:
    path = out / "chat.db"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, service TEXT NOT NULL);
        CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, chat_identifier TEXT, style INTEGER);
        CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER, UNIQUE(chat_id, handle_id));
        CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, message_date INTEGER DEFAULT 0,
                                        PRIMARY KEY (chat_id, message_id));
        CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
          handle_id INTEGER DEFAULT 0, attributedBody BLOB, service TEXT, date INTEGER, is_from_me INTEGER DEFAULT 0,
          item_type INTEGER DEFAULT 0, associated_message_type INTEGER DEFAULT 0, destination_caller_id TEXT);
    """)
    handles: dict[int, int] = {}
    chats: dict[object, int] = {}

    def handle(person: Person) -> int:
        if person.ref not in handles:
            value = person.email if person.email and person.known else person.phone
            handles[person.ref] = db.execute("INSERT INTO handle (id, service) VALUES (?, 'iMessage')", (value,)).lastrowid
        return handles[person.ref]

    def chat(key, members: tuple[Person, ...]) -> int:
        if key not in chats:
            chats[key] = db.execute("INSERT INTO chat (guid, chat_identifier, style) VALUES (?, ?, ?)",
                                    (f"iMessage;{len(chats)}", str(key), 43 if len(members) > 1 else 45)).lastrowid
            for member in members:
                db.execute("INSERT INTO chat_handle_join VALUES (?, ?)", (chats[key], handle(member)))
        return chats[key]

    epoch = datetime(2001, 1, 1, tzinfo=UTC)
    for number, event in enumerate(sorted((e for e in events if e.app == "imessage"), key=lambda e: e.at)):
        members = event.group or (event.person,)
        chat_id = chat(event.extra if event.group else event.person.ref, members)
        text, body = event.text, None
        if rng.random() < 0.4:
            text, body = None, typedstream(event.text)  # the newer macOS way
        associated = int(event.extra) if event.kind == "reaction" else 0
        if associated:
            text = f"Loved “{rng.choice(TEXTS)}”"
        message = db.execute(
            "INSERT INTO message (guid, text, handle_id, attributedBody, service, date, is_from_me, "
            "associated_message_type, destination_caller_id) VALUES (?, ?, ?, ?, 'iMessage', ?, ?, ?, ?)",
            (f"GEN-{number}", text, 0 if event.mine else handle(event.person), body,
             int((event.at - epoch).total_seconds()) * 1_000_000_000, int(event.mine), associated,
             ME_PHONE if event.mine else None)).lastrowid
        db.execute("INSERT INTO chat_message_join VALUES (?, ?, 0)", (chat_id, message))
    db.commit()
    db.close()


def write_vcard(out: Path, people: list[Person]) -> None:
    cards = []
    for person in people:
        if not person.known:
            continue
        first, last = person.name.split(" ", 1)
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{last};{first};;;", f"FN:{person.name}",
                 f"TEL;type=CELL;type=VOICE;type=pref:{pretty(person.phone)}"]
        if person.email:
            lines.append(f"EMAIL;type=INTERNET;type=HOME:{person.email}")
        cards.append("\r\n".join([*lines, "END:VCARD"]))
    (out / "contacts.vcf").write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")


# --- the truth ---------------------------------------------------------------------------


def truth_for(events: list[Event]) -> dict:
    ignored: dict[str, int] = {}
    times: dict[tuple, list[datetime]] = {}
    strangers = set()
    new_people = set()
    for event in events:
        if event.kind == "stranger":
            strangers.add(event.person.phone)
            continue
        if event.kind != "ping":
            ignored[event.kind] = ignored.get(event.kind, 0) + 1
            continue
        direction = "out" if event.mine else "in"
        others = [p for p in event.group] if event.mine and event.group else [event.person]
        for person in others:
            who = person.ref if person.known else person.phone
            if not person.known:
                new_people.add(person.phone)
            times.setdefault((who, event.channel, direction), []).append(event.at)
    pings = []
    for (who, channel, direction), moments in times.items():
        moments.sort()
        previous = None
        for moment in moments:
            if previous is None or moment - previous >= GAP:
                pings.append({"who": who, "channel": channel, "direction": direction, "at": moment.isoformat()})
            previous = moment
    pings.sort(key=lambda p: (p["at"], str(p["who"]), p["direction"]))
    # Notices written by the exports themselves: one per WhatsApp chat (plus the Android group creation).
    return {"pings": pings, "strangers": len(strangers), "ignored": dict(sorted(ignored.items())),
            "new_people": sorted(new_people)}


def generate(out: Path, *, seed: int = 1, people: int = 30, days: int = 120) -> dict:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    crowd = make_people(rng, people)
    events = exchanges(rng, crowd, days) + noise(rng, crowd, days)
    for event in events:
        event.at = event.at.replace(microsecond=0)
    media = base64.b64encode(random.Random(seed).randbytes(3000))
    write_vcard(out, crowd)
    write_sms(out, events, media)
    write_whatsapp(out, events)
    write_telegram(out, events, crowd)
    write_imessage(out, events, rng)
    truth = truth_for(events)
    for reason in ("group", "channel"):  # the Telegram group and channel, one message each
        truth["ignored"][reason] = truth["ignored"].get(reason, 0) + 1
    truth["ignored"] = dict(sorted(truth["ignored"].items()))
    truth["whatsapp_notices"] = sum(1 for f in (out / "whatsapp").iterdir()) + 2  # one per chat, two group creations
    truth.update(seed=seed, me={"name": ME_NAME, "phone": ME_PHONE, "telegram": str(ME_TG)},
                 known=[{"ref": p.ref, "name": p.name, "phone": p.phone, "email": p.email} for p in crowd if p.known])
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    truth = generate(args.out, seed=args.seed, people=args.people, days=args.days)
    print(f"{args.out}: {len(truth['pings'])} interactions, {truth['strangers']} strangers, "
          f"ignored {truth['ignored']}, {len(truth['new_people'])} new people")


if __name__ == "__main__":
    main()
