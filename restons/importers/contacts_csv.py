"""Address-book CSV: Google Contacts (current and old layout) and Outlook (desktop and web).

Columns are found by name, never by position, through alias lists (Outlook
desktop writes headers in the language of Windows; the French and German
names come from Roundcube's csv2vcard maps). Several values in one Google cell
are separated by `` ::: ``. A row with neither a name nor an email, phone or
website names nobody: it is reported and skipped. A file without the
source's header row is refused whole (:class:`FileRefused`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from restons.identities import LINKEDIN_RE, InvalidIdentity, normalise_linkedin
from restons.importers.records import ContactRecord, FileRefused, MilestoneRecord, ParseError, Record
from restons.importers.textfiles import (
    Header,
    ImpossibleDate,
    Row,
    Source,
    TextLines,
    clean_name,
    dedupe,
    join_name,
    open_binary,
    parse_day,
    phone_key,
    read_table,
    source_name,
    split_multi,
    stable_key,
)

# --- Google ------------------------------------------------------------------------

G_NAME_GROUP = ("First Name", "Last Name", "Name", "Given Name", "Family Name")
G_EMAIL = re.compile(r"^e-mail \d+ - value$")
G_PHONE = re.compile(r"^phone \d+ - value$")
G_WEBSITE = re.compile(r"^website \d+ - value$")
G_RELATION = re.compile(r"^relation (\d+) - (label|type|value)$")
G_EVENT = re.compile(r"^event (\d+) - (label|type|value)$")
G_ORG = re.compile(r"^organization (\d+) - (name|title|department)$")


def parse_google(path: Source, *, owner_profile_url: str = "") -> Iterator[Record]:
    """Contacts from a Google Contacts CSV, current ("Google CSV") or old layout."""
    name = source_name(path)
    with open_binary(path) as binary:
        lines = TextLines(binary, name)
        header, rows = read_table(lines, [G_NAME_GROUP], name, scan=5)
        if header is None:
            raise _no_header(_("a Google Contacts CSV export"), "First Name, Last Name")
        old = header.has("Given Name") and not header.has("Phonetic First Name")
        relations, events, orgs = _groups(header, G_RELATION), _groups(header, G_EVENT), _groups(header, G_ORG)
        email_columns, phone_columns = header.matching(G_EMAIL), header.matching(G_PHONE)
        website_columns = header.matching(G_WEBSITE)
        for row in rows:
            if isinstance(row, ParseError):
                yield row
                continue
            if row.is_blank():
                continue
            if old:
                person = row.get("Name") or join_name(
                    row.get("Given Name"), row.get("Additional Name"), row.get("Family Name"), row.get("Name Suffix")
                )
                organisations = _numbered_orgs(row, orgs)
            else:
                person = join_name(
                    row.get("First Name"), row.get("Middle Name"), row.get("Last Name"), row.get("Name Suffix")
                )
                organisations = _org(
                    row.get("Organization Name"), row.get("Organization Title"), row.get("Organization Department")
                ) or _numbered_orgs(row, orgs)
            wheres: dict[str, str] = {"notes": row.where("Notes")}
            emails = dedupe(_values(row, email_columns, name, wheres))
            phones = dedupe(_values(row, phone_columns, name, wheres), key=phone_key)
            urls = _values(row, website_columns, name, wheres)
            notes = [row.get("Notes")] if row.get("Notes") else []
            for number in sorted(relations):
                columns = relations[number]
                label = row.at(columns.get("label", columns.get("type")))
                for value in split_multi(row.at(columns.get("value"))):
                    notes.append(_related(label, value))
            errors: list[ParseError] = []
            milestones = _birthday(row.get("Birthday"), notes, errors, row.where("Birthday"),
                                   dayfirst=False)
            for number in sorted(events):
                columns = events[number]
                label = row.at(columns.get("label", columns.get("type"))).lstrip("* ") or "Event"
                where = row.where_at(columns.get("value"))
                for value in split_multi(row.at(columns.get("value"))):
                    _add_day(milestones, notes, errors, label[:1].upper() + label[1:], value, where, dayfirst=False)
            yield from errors
            fallback = row.get("Nickname") or row.get("File As")
            yield from _record(
                row, name, "google", person, fallback, emails, phones, urls, organisations, notes, milestones, wheres
            )
        yield from lines.problems()


parse = parse_google


# --- Outlook -----------------------------------------------------------------------

O_FIRST = ("First Name", "Prénom", "Vorname")
O_MIDDLE = ("Middle Name", "Deuxième prénom", "Weitere Vornamen")
O_LAST = ("Last Name", "Nom", "Nachname")
O_SUFFIX = ("Suffix", "Suffixe")
O_NICKNAME = ("Nickname", "Surnom", "Spitzname")
O_DISPLAY = ("Display Name", "Nom à afficher", "Anzeigename", "E-mail Display Name")
O_COMPANY = ("Company", "Société", "Firma")
O_DEPARTMENT = ("Department", "Service", "Abteilung")
O_JOB_TITLE = ("Job Title", "Profession", "Position")
O_EMAILS = (
    (("E-mail Address", "Adresse de messagerie", "E-Mail-Adresse", "Primary Email"),
     ("E-mail Type", "Type de messagerie", "E-Mail-Typ")),
    (("E-mail 2 Address", "Adresse de messagerie 2", "E-Mail 2: Adresse", "Secondary Email"),
     ("E-mail 2 Type", "Type de messagerie 2", "E-Mail 2: Typ")),
    (("E-mail 3 Address", "Adresse de messagerie 3", "E-Mail 3: Adresse"),
     ("E-mail 3 Type", "Type de messagerie 3", "E-Mail 3: Typ")),
)
O_PHONES = (
    ("Mobile Phone", "Tél. mobile", "Téléphone mobile", "Mobiltelefon"),
    ("Business Phone", "Téléphone (bureau)", "Telefon geschäftlich"),
    ("Business Phone 2", "Téléphone 2 (bureau)", "Telefon geschäftlich 2"),
    ("Home Phone", "Téléphone (domicile)", "Telefon privat"),
    ("Home Phone 2", "Téléphone 2 (domicile)", "Telefon privat 2"),
    ("Other Phone", "Téléphone (autre)", "Weiteres Telefon"),
    ("Primary Phone", "Téléphone principal", "Haupttelefon"),
    ("Car Phone", "Téléphone (voiture)", "Autotelefon"),
    ("Company Main Phone",),
)
O_BIRTHDAY = ("Birthday", "Anniversaire", "Geburtstag")
O_ANNIVERSARY = ("Anniversary", "Anniversaire de mariage ou fête", "Jahrestag")
O_NOTES = ("Notes", "Notizen")
O_WEB = ("Web Page", "Page Web", "Webseite")
O_SPOUSE = ("Spouse", "Conjoint(e)")
_DAY_FIRST_HEADERS = ("Prénom", "Vorname", "Nachname")


def parse_outlook(path: Source, *, owner_profile_url: str = "", dayfirst: bool | None = None) -> Iterator[Record]:
    """Contacts from an Outlook CSV (desktop 92-column or outlook.com layout, EN/FR/DE headers).

    Dates are month-first with English headers and day-first with French or
    German ones, unless ``dayfirst`` says otherwise.
    """
    name = source_name(path)
    with open_binary(path) as binary:
        lines = TextLines(binary, name)
        header, rows = read_table(lines, [O_FIRST + O_LAST + O_DISPLAY], name, scan=5)
        if header is None:
            raise _no_header(_("an Outlook CSV export"), "First Name, Last Name")
        if dayfirst is None:
            dayfirst = header.has(*_DAY_FIRST_HEADERS)
        for row in rows:
            if isinstance(row, ParseError):
                yield row
                continue
            if row.is_blank():
                continue
            person = join_name(row.get(*O_FIRST), row.get(*O_MIDDLE), row.get(*O_LAST), row.get(*O_SUFFIX))
            wheres: dict[str, str] = {"notes": row.where(*O_NOTES)}
            emails = []
            for address_aliases, type_aliases in O_EMAILS:
                address = row.get(*address_aliases)
                # Exchange entries hold an X.500 path (/o=ExchangeLabs/…), not an address.
                if address and row.get(*type_aliases).upper() != "EX" and not address.lower().startswith("/o="):
                    emails.append(address)
                    wheres.setdefault(address, row.where(*address_aliases))
            emails = dedupe(emails)
            phones = []
            for aliases in O_PHONES:
                if number := row.get(*aliases):
                    phones.append(number)
                    wheres.setdefault(number, row.where(*aliases))
            phones = dedupe(phones, key=phone_key)
            organisations = _org(row.get(*O_COMPANY), row.get(*O_JOB_TITLE), row.get(*O_DEPARTMENT))
            notes = [row.get(*O_NOTES)] if row.get(*O_NOTES) else []
            if row.get(*O_SPOUSE):
                notes.append(_related("Spouse", row.get(*O_SPOUSE)))
            errors: list[ParseError] = []
            milestones = _birthday(row.get(*O_BIRTHDAY), notes, errors, row.where(*O_BIRTHDAY),
                                   dayfirst=dayfirst)
            if row.get(*O_ANNIVERSARY):
                _add_day(milestones, notes, errors, "Anniversary", row.get(*O_ANNIVERSARY),
                         row.where(*O_ANNIVERSARY), dayfirst=dayfirst)
            yield from errors
            fallback = row.get(*O_DISPLAY) or row.get(*O_NICKNAME)
            urls = [row.get(*O_WEB)] if row.get(*O_WEB) else []
            if urls:
                wheres.setdefault(urls[0], row.where(*O_WEB))
            yield from _record(
                row, name, "outlook", person, fallback, emails, phones, urls, organisations, notes, milestones, wheres
            )
        yield from lines.problems()


# --- shared ------------------------------------------------------------------------


def _record(
    row: Row,
    file_name: str,
    prefix: str,
    person: str,
    fallback: str,
    emails: list[str],
    phones: list[str],
    urls: list[str],
    organisations: list[tuple[str, str]],
    notes: list[str],
    milestones: list[MilestoneRecord],
    wheres: dict[str, str],
) -> Iterator[Record]:
    linkedin, websites = "", []
    for url in dedupe(urls):
        if not linkedin and LINKEDIN_RE.match(url):
            try:
                linkedin = normalise_linkedin(url)
                if url in wheres:
                    wheres[linkedin] = wheres[url]
                continue
            except InvalidIdentity:
                pass
        websites.append(url)
    display = clean_name(person) if person else ""
    if not display:
        display = clean_name(fallback) if fallback else ""
    if not display and not (emails or phones or linkedin or websites):
        yield ParseError(row.where(),
                         _("This row has no name, email, phone or website to know the person by; it was skipped."))
        return
    if not display:
        display = (organisations[0][0] if organisations and organisations[0][0] else "") or (
            emails or phones or [linkedin] or websites
        )[0]
    yield ContactRecord(
        where=row.where(),
        source_key=stable_key(prefix, display, [*emails, *phones, linkedin]),
        name=display,
        emails=emails,
        phones=phones,
        linkedin=linkedin,
        websites=websites,
        organisations=organisations,
        notes="\n".join(notes),
        milestones=milestones,
        wheres={"name": row.where(), **wheres},
    )


def _values(row: Row, columns: list[int], file_name: str, wheres: dict[str, str]) -> list[str]:
    """Every value of ``columns`` (several per cell with `` ::: ``), noting in ``wheres`` where each was."""
    values = []
    for position in columns:
        for value in split_multi(row.at(position)):
            values.append(value)
            wheres.setdefault(value, row.where_at(position))
    return values


def _groups(header: Header, pattern: re.Pattern[str]) -> dict[str, dict[str, int]]:
    """``{"1": {"label": 12, "value": 13}, …}`` for numbered column groups."""
    groups: dict[str, dict[str, int]] = {}
    for position in header.matching(pattern):
        match = pattern.match(header.names[position])
        assert match is not None
        groups.setdefault(match.group(1), {}).setdefault(match.group(2), position)
    return groups


def _numbered_orgs(row: Row, groups: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for number in sorted(groups):
        columns = groups[number]
        found += _org(row.at(columns.get("name")), row.at(columns.get("title")), row.at(columns.get("department")))
    return found


def _org(company: str, title: str, department: str) -> list[tuple[str, str]]:
    if department:
        title = f"{title} ({department})" if title else department
    return [(company, title)] if company or title else []


def _related(label: str, value: str) -> str:
    label = label.lstrip("* ").strip()
    return f"Related: {label[:1].upper() + label[1:]}: {value}" if label else f"Related: {value}"


def _birthday(
    text: str, notes: list[str], errors: list[ParseError], where: str, *, dayfirst: bool
) -> list[MilestoneRecord]:
    milestones: list[MilestoneRecord] = []
    if text:
        _add_day(milestones, notes, errors, "Birthday", text, where, dayfirst=dayfirst)
    return milestones


def _add_day(
    milestones: list[MilestoneRecord], notes: list[str], errors: list[ParseError], title: str, text: str,
    where: str, *, dayfirst: bool,
) -> None:
    """A date becomes a milestone; free text ("vers 1980") a line of the notes; an impossible date an error."""
    try:
        parsed = parse_day(text, dayfirst=dayfirst)
    except ImpossibleDate as error:
        errors.append(ParseError(where, _("%(why)s; this date was left out.") % {"why": error}))
        return
    if parsed:
        milestones.append(MilestoneRecord(title, parsed[0], yearly=True, where=where))
    elif text.strip() and not _is_empty_date(text):
        notes.append(f"{title}: {text.strip()}")


def _is_empty_date(text: str) -> bool:
    return not text.strip("0/.- \"")


def _no_header(expected: str, columns: str) -> FileRefused:
    return FileRefused(
        _("no header row with %(columns)s in its first lines; expected %(what)s")
        % {"columns": columns, "what": expected}
    )
