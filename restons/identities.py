"""Normalise identities so that one address always has one spelling.

``normalise(kind, raw, region)`` returns the stored form or raises :class:`InvalidIdentity`
with a reason a user can act on. ``guess_kind(text)`` tells which kind a
free-form PERSON argument looks like.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers
from django.utils.translation import gettext as _

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LINKEDIN_RE = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([^/?#]+)", re.IGNORECASE)


class InvalidIdentity(ValueError):
    pass


def normalise_email(raw: str) -> str:
    value = raw.strip().removeprefix("mailto:").strip("<>").strip()
    if not EMAIL_RE.match(value):
        raise InvalidIdentity(_("%(value)r is not an email address") % {"value": raw})
    local, _at, domain = value.rpartition("@")
    return f"{local.casefold()}@{domain.lower()}"


def normalise_region(raw: str) -> str:
    """A phone region code (``fr`` → ``FR``); raises UserError for an unknown one."""
    from restons.services.errors import UserError

    region = (raw or "").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise UserError(_("unknown phone region %(value)r; use a two-letter code such as FR or US") % {"value": raw})
    return region


def normalise_phone(raw: str, region: str | None = None) -> str:
    """The E.164 form of ``raw``, read in ``region`` when it has no ``+`` (default RESTONS_DEFAULT_REGION).

    Raises InvalidIdentity for a number that is not valid in its region: a
    French mobile typed in region US would otherwise be stored as +1 061…, and
    every SMS link would go to a wrong number.
    """
    from restons import conf

    region = region or conf.get("RESTONS_DEFAULT_REGION")
    text = raw.strip().removeprefix("tel:")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidIdentity(_("%(value)r is not a phone number") % {"value": raw}) from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentity(_("%(value)r is not a phone number") % {"value": raw})
    if not phonenumbers.is_valid_number(number):
        if text.startswith(("+", "00")):
            raise InvalidIdentity(_("%(value)r is not a valid phone number") % {"value": raw})
        raise InvalidIdentity(
            _("%(value)r is not a valid phone number in region %(region)s; "
              "write it with + and its country code, or change the phone region in Settings")
            % {"value": raw, "region": region}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_CANONICAL_LINKEDIN = "https://www.linkedin.com/in/"


def normalise_linkedin(raw: str) -> str:
    if raw.startswith(_CANONICAL_LINKEDIN):  # already in its stored form (a LinkedIn export's URLs are)
        slug = raw[len(_CANONICAL_LINKEDIN):]
        if slug and slug == slug.strip() and slug == slug.lower() and not any(c in slug for c in "/?#"):
            return raw
    match = LINKEDIN_RE.match(raw.strip())
    if not match:
        raise InvalidIdentity(
            _("%(value)r is not a LinkedIn profile URL (https://www.linkedin.com/in/…)") % {"value": raw}
        )
    slug = match.group(2).strip().lower()
    return f"https://www.linkedin.com/{match.group(1).lower()}/{slug}"


def normalise_handle(raw: str) -> str:
    value = raw.strip().lstrip("@").lower()
    if not value or " " in value:
        raise InvalidIdentity(_("%(value)r is not a handle") % {"value": raw})
    return value


def normalise_website(raw: str) -> str:
    value = raw.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if not parts.netloc or "." not in parts.netloc:
        raise InvalidIdentity(_("%(value)r is not a website address") % {"value": raw})
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


NORMALISERS = {
    "email": normalise_email,
    "phone": normalise_phone,
    "linkedin": normalise_linkedin,
    "whatsapp": normalise_phone,
    "telegram": normalise_handle,
    "website": normalise_website,
}


PHONE_KINDS = ("phone", "whatsapp")


def normalise(kind: str, raw: str, region: str | None = None) -> str:
    """The stored form of identity ``raw`` of ``kind``; raises InvalidIdentity.

    ``region`` reads phone numbers written without ``+`` (default RESTONS_DEFAULT_REGION).
    """
    if kind in PHONE_KINDS:
        return normalise_phone(raw, region)
    return NORMALISERS[kind](raw)


def guess_kind(text: str) -> str | None:
    """Which identity kind ``text`` looks like, or None when it looks like a name."""
    value = text.strip()
    if "@" in value and EMAIL_RE.match(value.removeprefix("mailto:")):
        return "email"
    if LINKEDIN_RE.match(value):
        return "linkedin"
    if re.fullmatch(r"[+(]?[\d\s().\-]{6,}", value) or value.startswith("tel:"):
        return "phone"
    return None


def name_key(name: str) -> str:
    """A matching key for a name: accents dropped, case folded, spaces collapsed."""
    if name.isascii():  # NFKD leaves ASCII as it is, and it holds no combining mark
        return " ".join(name.casefold().split())
    plain = unicodedata.normalize("NFKD", name).translate(_WITHOUT_COMBINING)
    return " ".join(plain.casefold().split())


class _CombiningDropped(dict):
    """A str.translate table that drops combining characters, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_COMBINING = _CombiningDropped()
