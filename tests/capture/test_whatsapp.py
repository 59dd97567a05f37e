"""WhatsApp chat exports: every locale's layout, the date order from the whole file, who is who, time zones."""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from restons.capture.me import KnownPeople, Me, NeedMe
from restons.capture.records import Address
from restons.capture.rules import Capture
from restons.importers import whatsapp
from restons.importers.records import FileRefused, ParseError

PARIS = ZoneInfo("Europe/Paris")
T1 = datetime(2026, 3, 13, 21, 41, 5)  # winter time in Paris: UTC+1
T2 = datetime(2026, 4, 14, 8, 5, 9)  # summer time: UTC+2
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
AM_ES, PM_ES = "a.\u00a0m.", "p.\u00a0m."


def h12(t):
    return t.hour % 12 or 12


def ap(t, am, pm):
    return am if t.hour < 12 else pm


def ar(value, width=1):
    return f"{value:0{width}d}".translate(ARABIC)


LAYOUTS = [
    ("Android en-US", lambda t: f"{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M} {ap(t, 'AM', 'PM')} - ", False),
    ("Android en-US, narrow no-break space", lambda t: f"{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M}\u202f{ap(t, 'AM', 'PM')} - ", False),
    ("Android en-US, four-digit year", lambda t: f"{t.month}/{t.day}/{t.year}, {h12(t)}:{t:%M} {ap(t, 'AM', 'PM')} - ", False),
    ("Android en-GB", lambda t: f"{t:%d/%m/%Y}, {t:%H:%M} - ", False),
    ("Android en-IN (am/pm)", lambda t: f"{t:%d/%m/%y}, {h12(t)}:{t:%M} {ap(t, 'am', 'pm')} - ", False),
    ("Android fr", lambda t: f"{t:%d/%m/%Y} {t:%H:%M} - ", False),
    ("Android fr (à)", lambda t: f"{t:%d/%m/%Y} à {t:%H:%M} - ", False),
    ("Android de", lambda t: f"{t:%d.%m.%y}, {t:%H:%M} - ", False),
    ("Android es (p. m.)", lambda t: f"{t:%d/%m/%Y}, {h12(t)}:{t:%M}\u00a0{ap(t, AM_ES, PM_ES)} - ", False),
    ("Android es-MX (p.m.)", lambda t: f"{t:%d/%m/%y}, {h12(t)}:{t:%M} {ap(t, 'a.m.', 'p.m.')} - ", False),
    ("Android it", lambda t: f"{t:%d/%m/%y}, {t:%H:%M} - ", False),
    ("Android nl", lambda t: f"{t:%d-%m-%Y} {t:%H:%M} - ", False),
    ("Android pt-BR", lambda t: f"{t:%d/%m/%Y} {t:%H:%M} - ", False),
    ("Android ru", lambda t: f"{t:%d.%m.%Y}, {t:%H:%M} - ", False),
    ("Android pl", lambda t: f"{t:%d.%m.%Y}, {t:%H:%M} - ", False),
    ("Android tr", lambda t: f"{t:%d.%m.%Y} {t:%H:%M} - ", False),
    ("Android sv (ISO)", lambda t: f"{t:%Y-%m-%d} {t:%H:%M} - ", False),
    ("Android fi (klo, dotted time)", lambda t: f"{t.day}.{t.month}.{t.year} klo {t:%H.%M} - ", False),
    ("Android cs", lambda t: f"{t.day}. {t.month}. {t:%y} {t:%H:%M} - ", False),
    ("Android hu", lambda t: f"{t.year}. {t:%m}. {t:%d}. {t:%H:%M} - ", False),
    ("Android id (dotted time)", lambda t: f"{t:%d/%m/%y} {t:%H.%M} - ", False),
    ("Android ja (午後)", lambda t: f"{t:%Y/%m/%d} {ap(t, '午前', '午後')}{h12(t)}:{t:%M} - ", False),
    ("Android zh (下午)", lambda t: f"{t:%Y/%m/%d} {ap(t, '上午', '下午')}{h12(t)}:{t:%M} - ", False),
    ("Android ko (오후)", lambda t: f"{t.year}. {t.month}. {t.day}. {ap(t, '오전', '오후')} {h12(t)}:{t:%M} - ", False),
    ("Android ar (م, Arabic digits)", lambda t: f"{ar(t.day)}\u200f/{ar(t.month)}\u200f/{ar(t.year)} {ar(h12(t))}:{ar(t.minute, 2)} {ap(t, 'ص', 'م')} - ", False),
    ("Android el (μ.μ.)", lambda t: f"{t.day}/{t.month}/{t:%y}, {h12(t)}:{t:%M} {ap(t, 'π.μ.', 'μ.μ.')} - ", False),
    ("Android th (Buddhist year)", lambda t: f"{t.day}/{t.month}/{t.year + 543} {t:%H:%M} - ", False),
    ("Android, colon after the time", lambda t: f"{t:%d.%m.%y} {t:%H.%M.%S}: ", True),
    ("Android hr, no separator", lambda t: f"{t.day}. {t.month}. {t.year}. {t:%H:%M:%S} ", True),
    ("iOS en-US", lambda t: f"[{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M:%S} {ap(t, 'AM', 'PM')}] ", True),
    ("iOS en-US, narrow no-break space", lambda t: f"[{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M:%S}\u202f{ap(t, 'AM', 'PM')}] ", True),
    ("iOS en-GB", lambda t: f"[{t:%d/%m/%Y}, {t:%H:%M:%S}] ", True),
    ("iOS fr", lambda t: f"[{t:%d/%m/%Y} {t:%H:%M:%S}] ", True),
    ("iOS de", lambda t: f"[{t:%d.%m.%y}, {t:%H:%M:%S}] ", True),
    ("iOS fi (klo)", lambda t: f"[{t.day}.{t.month}.{t.year} klo {t:%H.%M.%S}] ", True),
    ("iOS es (p. m.)", lambda t: f"[{t.day}/{t.month}/{t:%y}, {h12(t)}:{t:%M:%S} {ap(t, 'a. m.', 'p. m.')}] ", True),
    ("iOS nl", lambda t: f"[{t:%d-%m-%Y} {t:%H:%M:%S}] ", True),
    ("iOS ru", lambda t: f"[{t:%d.%m.%Y}, {t:%H:%M:%S}] ", True),
    ("iOS pt-BR", lambda t: f"[{t:%d/%m/%Y} {t:%H:%M:%S}] ", True),
    ("iOS ISO", lambda t: f"[{t:%Y-%m-%d}, {t:%H:%M:%S}] ", True),
    ("iOS ja", lambda t: f"[{t:%Y/%m/%d} {t:%H:%M:%S}] ", True),
    ("iOS zh (下午)", lambda t: f"[{t:%Y/%m/%d} {ap(t, '上午', '下午')}{h12(t)}:{t:%M:%S}] ", True),
    ("iOS ko (오후)", lambda t: f"[{t.year}. {t.month}. {t.day}. {ap(t, '오전', '오후')} {h12(t)}:{t:%M:%S}] ", True),
    ("iOS ar (م, Arabic comma and digits)", lambda t: f"[{ar(t.day)}\u200f/{ar(t.month)}\u200f/{ar(t.year)}، {ar(h12(t))}:{ar(t.minute, 2)}:{ar(t.second, 2)} {ap(t, 'ص', 'م')}] ", True),
    ("iOS, invisible mark before the line", lambda t: f"\u200e[{t:%d/%m/%Y}, {t:%H:%M:%S}] ", True),
]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def utc(moment: datetime, seconds: bool) -> datetime:
    return moment.replace(second=moment.second if seconds else 0, tzinfo=PARIS).astimezone(UTC)


def test_at_least_thirty_layouts():
    assert len(LAYOUTS) >= 30 and len({name for name, _f, _s in LAYOUTS}) == len(LAYOUTS)


@pytest.mark.parametrize("name, header, seconds", LAYOUTS, ids=[layout[0] for layout in LAYOUTS])
def test_layout(tmp_path, name, header, seconds):
    """GIVEN a one-to-one chat in this layout (a day above 12, so the order is known; Paris time)
    WHEN it is read THEN each message has its author, direction and exact UTC time, daylight-saving included."""
    text = (f"{header(T1)}Jane Doe: Salut, on se voit samedi ?\nC'est le match.\n"
            f"{header(T2)}Alex Martin: Avec plaisir\n")
    records = list(whatsapp.parse(write(tmp_path, "WhatsApp Chat with Jane Doe.txt", text), region="FR", tz=PARIS))
    assert [(r.sender.value, r.outgoing, r.at, r.summary) for r in records] == [
        ("Jane Doe", False, utc(T1, seconds), "Salut, on se voit samedi ?"),
        ("Alex Martin", True, utc(T2, seconds), "Avec plaisir"),
    ]


AMBIGUOUS = [(datetime(2026, m, d, 10), author) for m, d, author in (
    (1, 2, "Jane"), (1, 3, "Alex"), (1, 7, "Jane"), (2, 1, "Alex"), (2, 9, "Jane"), (3, 4, "Alex"))]


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_every_date_ambiguous_the_order_that_runs_forward_wins(tmp_path, order):
    """03/04 could be either; over the whole file only one reading keeps the chat in time order."""
    fmt = "%d/%m/%y" if order == "dmy" else "%m/%d/%y"
    text = "".join(f"{t:{fmt}}, {t:%H:%M} - {who}: hi\n" for t, who in AMBIGUOUS)
    path = write(tmp_path, "WhatsApp Chat with Jane.txt", text)
    for region in ("FR", "US"):  # the file decides, not the region
        records = list(whatsapp.parse(path, region=region, tz=UTC))
        assert [r.at.date() for r in records] == [t.date() for t, _who in AMBIGUOUS]


def test_a_file_that_cannot_tell_falls_back_on_the_option_then_the_region(tmp_path):
    path = write(tmp_path, "WhatsApp Chat with Jane.txt", "03/04/26, 10:00 - Jane: hi\n03/04/26, 11:00 - Alex: yo\n")
    def day(**options):
        return next(whatsapp.parse(path, tz=UTC, **options)).at.date().isoformat()
    assert [day(region="FR"), day(region="US"), day(region="US", date_order="dmy")] == [
        "2026-04-03", "2026-03-04", "2026-04-03"]


def test_daylight_saving_changes(tmp_path):
    """Paris: 02:30 on 29 March 2026 does not exist (read with the winter offset); 02:30 on 25 October
    happens twice (the first one)."""
    text = "29/03/2026, 02:30 - Jane: a\n25/10/2026, 02:30 - Jane: b\n25/10/2026, 12:00 - Jane: c\n"
    records = list(whatsapp.parse(write(tmp_path, "WhatsApp Chat with Jane.txt", text), tz=PARIS))
    assert [r.at for r in records] == [datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
                                       datetime(2026, 10, 25, 11, tzinfo=UTC)]


ANDROID_GROUP = """\
12/03/2026, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
12/03/2026, 09:00 - Léa created group "Foot: samedi"
12/03/2026, 09:01 - Léa added you
12/03/2026, 09:02 - Léa: Qui vient samedi ?
12/03/2026, 09:05 - \u202a+33 6 12 34 56 78\u202c: Moi !
12/03/2026, 09:06 - Alex Martin: <Médias omis>
12/03/2026, 09:07 - Omar: Ce message a été supprimé
13/03/2026, 10:00 - Alex Martin: Je prends le ballon
"""
IOS_CHAT = """\
\u200e[13/03/2026, 21:41:05] Jane Doe: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
[13/03/2026, 21:41:05] Jane Doe: Coucou
\u200e[13/03/2026, 21:42:00] Jane Doe: \u200eimage omitted
[13/03/2026, 21:50:00] Alex Martin: Trop bien
\u200e[14/03/2026, 10:00:00] Jane Doe: \u200eMissed voice call
\u200e[14/03/2026, 10:05:00] Alex Martin: \u200e<attached: 00000012-PHOTO-2026-03-14-10-05-00.jpg>
"""


def ios_zip(tmp_path):
    path = tmp_path / "WhatsApp Chat - Jane Doe.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", IOS_CHAT)
        archive.writestr("00000012-PHOTO-2026-03-14-10-05-00.jpg", b"\xff\xd8" + b"\0" * 1000)
    return path


def test_an_ios_zip(tmp_path):
    records = list(whatsapp.parse(ios_zip(tmp_path), tz=PARIS))
    assert [(r.where, r.outgoing, r.channel, r.flags, r.summary) for r in records] == [
        ("WhatsApp Chat - Jane Doe.zip: _chat.txt line 1", None, "text", ("system",), ""),  # the encryption notice
        ("WhatsApp Chat - Jane Doe.zip: _chat.txt line 2", False, "text", (), "Coucou"),
        ("WhatsApp Chat - Jane Doe.zip: _chat.txt line 3", False, "text", (), ""),  # media are messages
        ("WhatsApp Chat - Jane Doe.zip: _chat.txt line 4", True, "text", (), "Trop bien"),
        ("WhatsApp Chat - Jane Doe.zip: _chat.txt line 5", False, "call", ("missed-call",), "Missed voice call"),
        ("WhatsApp Chat - Jane Doe.zip: _chat.txt line 6", True, "text", (), ""),
    ]


def test_a_folder_one_to_one_chats_teach_who_you_are_in_groups(tmp_path):
    """GIVEN a folder with an iOS zip (Jane) and an Android group
    WHEN it is read THEN the group's messages know you from the one-to-one chat, the number is a phone,
    the group name with a colon is a system line, and the rules give pings with the few members."""
    ios_zip(tmp_path)
    write(tmp_path, "WhatsApp Chat with Foot samedi.txt", ANDROID_GROUP)
    records = list(whatsapp.parse(tmp_path, region="FR", tz=PARIS))
    group = [r for r in records if "Foot" in r.where]
    assert [(r.sender and r.sender.value, r.outgoing, r.flags) for r in group] == [
        (None, None, ("system",)), (None, None, ("system",)), (None, None, ("system",)),
        ("Léa", False, ()), ("+33612345678", False, ()), ("Alex Martin", True, ()), ("Omar", False, ()),
        ("Alex Martin", True, ())]
    assert group[4].sender == Address("phone", "+33612345678")
    result = Capture(Me(), KnownPeople({("phone", "+33612345678"): 7}, {1: "Jane Doe"})).add_all(records)
    # Léa and Omar are new (you wrote to the group); your two group messages are a day apart: two pings each.
    assert [(p.direction, p.at.strftime("%d %H:%M"), str(p.person or p.name)) for p in result.pings] == [
        ("in", "12 08:02", "Léa"), ("in", "12 08:05", "7"), ("out", "12 08:06", "7"), ("out", "12 08:06", "Léa"),
        ("out", "12 08:06", "Omar"), ("in", "12 08:07", "Omar"), ("out", "13 09:00", "7"), ("out", "13 09:00", "Léa"),
        ("out", "13 09:00", "Omar"), ("in", "13 20:41", "1"), ("out", "13 20:50", "1"), ("out", "14 09:05", "1")]
    assert result.summary() == {"strangers": 0, "ignored": {"missed-call": 1, "system": 4}}
    assert [a.value for a in result.learned] == ["Alex Martin"]


def test_a_group_alone_needs_your_name(tmp_path):
    path = write(tmp_path, "WhatsApp Chat with Foot samedi.txt", ANDROID_GROUP)
    with pytest.raises(NeedMe) as caught:
        Capture(Me(), KnownPeople()).add_all(whatsapp.parse(path, region="FR", tz=PARIS))
    assert 'restons me add --name "Alex Martin"' in str(caught.value)
    records = list(whatsapp.parse(path, region="FR", tz=PARIS, me_names=["alex martin"]))
    assert [r.outgoing for r in records if not r.flags] == [False, False, True, False, True]


@pytest.mark.parametrize("text, mine", [
    ("13/03/2026, 10:00 - Jane Doe: hi\n", False),  # only the other side wrote
    ("13/03/2026, 10:00 - Alex: hi\n", True),  # only you wrote, nobody answered
])
def test_one_author_only(tmp_path, text, mine):
    records = list(whatsapp.parse(write(tmp_path, "WhatsApp Chat with Jane Doe.txt", text), tz=UTC))
    assert records[0].outgoing is mine
    if mine:
        assert records[0].recipients == (Address("name", "Jane Doe", "Jane Doe"),)


def test_the_same_export_gives_the_same_keys_and_errors_say_where(tmp_path):
    text = "13/03/2026, 10:00 - Jane: hi\n31/02/2026, 10:00 - Jane: no such day\n13/03/2026, 10:00 - Jane: hi\n"
    path = write(tmp_path, "WhatsApp Chat with Jane.txt", text)
    first = list(whatsapp.parse(path, tz=UTC))
    assert first[1] == ParseError("WhatsApp Chat with Jane.txt line 2", "unreadable date or time '31/02/2026, 10:00 -'")
    assert first[0].source_key != first[2].source_key  # the same minute twice: two messages
    assert [r.source_key for r in whatsapp.parse(path, tz=UTC) if not isinstance(r, ParseError)] == [
        first[0].source_key, first[2].source_key]


@pytest.mark.parametrize("content", [b"just some notes\nno dates here\n", b"", b"\x00\x01\x02"])
def test_not_a_chat_is_refused(tmp_path, content):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as caught:
        list(whatsapp.parse(path))
    assert str(caught.value) == "notes.txt is not a WhatsApp chat export: no line starts with a date and a time"


def test_an_upload(tmp_path):
    upload = io.BytesIO("13/03/2026, 10:00 - Jane: hi\n13/03/2026, 10:01 - Alex: yo\n".encode())
    upload.name = "WhatsApp Chat with Jane.txt"
    assert [r.outgoing for r in whatsapp.parse(upload, tz=UTC)] == [False, True]


FAST_LAYOUTS = {"Android en-US", "Android en-US, narrow no-break space", "Android en-US, four-digit year",
                "Android en-GB", "Android de", "Android it", "Android ru", "Android pl", "iOS en-US",
                "iOS en-US, narrow no-break space", "iOS en-GB", "iOS de", "iOS ru"}


def test_the_common_layouts_take_the_fast_path():
    """The layouts most exports have are read by the cheap pattern (the others by the general one)."""
    fast = {name for name, header, _s in LAYOUTS if whatsapp._FAST.match(f"{header(T1)}Jane Doe: hi\n")}
    assert fast == FAST_LAYOUTS


def test_the_fast_path_reads_every_line_as_the_general_way_does(tmp_path, monkeypatch):
    """GIVEN chats in every layout, with their traps (numbers as names, notices, media, missed calls, empty
    and colon-ended lines, impossible dates and hours, a night the clocks change), and a few hundred
    mutations of them WHEN each is read with the fast path and without it THEN the records are the same,
    field for field (source keys included: a re-import must find the same messages)."""
    from tests.capture.test_fuzz_parsers import SEED, mutate
    from tests.capture.test_fuzz_phones import WA_TOKENS

    def chat(header):
        return (f"{header(T1)}Jane Doe: Salut\nsuite\n{header(T2)}Alex Martin: Oui\n{header(T2)}Alex Martin: Oui\n"
                f"{header(T2)}\u202a+33 6 12 34 56 78\u202c: <Media omitted>\n{header(T1)}Jane Doe: \n"
                f"{header(T1)}Jane Doe:\n{header(T1)}Jane Doe: \u200eMissed voice call\n"
                f"{header(T1)}Jane Doe:  spaced out \n{header(T1)}Jane Doe: {'long ' * 40}\n")
    traps = ("29/03/2026, 02:30 - Jane: a\n25/10/2026, 02:30 - Jane: b\n31/02/2026, 10:00 - Jane: no such day\n"
             "13/03/2026, 25:61 - Jane: no such hour\n13/03/2026, 13:00 PM - Jane: no such hour\n"
             "[13/03/2026, 10:00:00] Jane: ok\n13/03/26, 10:00 - Omar \"the boss\": quoted\n31/12/2199, 23:30 - Jane: late\n")
    pool = [IOS_CHAT.encode(), ANDROID_GROUP.encode(), traps.encode()] + [chat(h).encode() for _n, h, _s in LAYOUTS]
    rng = random.Random(SEED + 21)
    never = re.compile(r"(?!)")
    # (a file may name someone as no author line could: quotes make a line a system line)
    names = ["WhatsApp Chat with Jane Doe.txt", 'WhatsApp Chat with Omar "the boss".txt', "WhatsApp Chat.txt"]
    cases = [(data, name) for data in pool for name in names]
    cases += [(mutate(rng, rng.choice(pool), pool, WA_TOKENS), names[n % 3]) for n in range(400)]
    for n, (data, name) in enumerate(cases):
        path = tmp_path / str(n) / name
        path.parent.mkdir()
        path.write_bytes(data)
        options = {"region": rng.choice(["FR", "US"]), "tz": rng.choice([PARIS, UTC, ZoneInfo("America/New_York")]),
                   "me_names": rng.choice([[], ["Alex Martin"]])}
        results = []
        for pattern in (whatsapp._FAST, never):
            monkeypatch.setattr(whatsapp, "_FAST", pattern)
            try:
                results.append(list(whatsapp.parse(path, **options)))
            except FileRefused as refused:
                results.append(str(refused))
        assert results[0] == results[1], data[:200]


def test_a_name_only_the_file_gives_is_no_author_line(tmp_path):
    """GIVEN a chat whose file names someone with quotes (a line showing that name is a system line)
    WHEN it is read THEN those lines stay system lines: the name from the file makes no author."""
    text = ('13/03/2026, 10:00 - Alex: hi\n13/03/2026, 10:01 - Jane "JD" Doe: yo\n'
            '13/03/2026, 10:02 - Jane "JD" Doe: yo\n')
    records = list(whatsapp.parse(write(tmp_path, 'WhatsApp Chat with Jane "JD" Doe.txt', text), tz=UTC))
    assert [(r.sender and r.sender.value, r.flags) for r in records] == [
        ("Alex", ()), (None, ("system",)), (None, ("system",))]
