"""The digest: what a user should hear about today (or this week), as data, as mail, with its links.

:func:`digest_content` gathers Today's people (reasons, drafts), the replies
owed, the week's birthdays and milestones and the pledge checkpoints;
:func:`digest_message` renders it as a plain-text and HTML mail in the
user's language, with one-click links (see :mod:`restons.web.views.reminders`)
and the RFC 8058 unsubscribe headers. Nothing here sends: the worker does
(:mod:`restons.services.deliveries`), and ``restons digest send --to-me``.

Links that act (log the ping, snooze) are signed for one user, one person and
one action and expire after :data:`ACTION_MAX_AGE_DAYS`: they open a small page
with one button, so a mail scanner that follows links changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import conf, mail
from restons.engine import reasons as engine_reasons
from restons.engine.calendar import next_occurrence, quarter_end
from restons.models import Milestone, Person, Pledge
from restons.services.access import owned
from restons.services.accounts import settings_of

WEEK_DAYS = 7
ACTION_MAX_AGE_DAYS = 14
ACTION_SALT = "restons.digest.action"
UNSUBSCRIBE_SALT = "restons.digest.unsubscribe"
ACTIONS = ("ping", "snooze")


def language_of(owner) -> str:
    return settings_of(owner).language or conf.get("RESTONS_LANGUAGE")


def replies_owed(owner, day: date, exclude=()) -> list[dict]:
    """People who reached out and wait for your answer (the engine's reply-owed rule), oldest first."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day - timedelta(days=engine_reasons.REPLY_FORGET_DAYS), datetime.min.time(), tzinfo=tz)
    end = datetime.combine(day - timedelta(days=engine_reasons.REPLY_AFTER_DAYS - 1), datetime.min.time(), tzinfo=tz)
    found = []
    rows = (owned(Person, owner).filter(archived=False, last_in_at__gte=start, last_in_at__lt=end)
            .exclude(id__in=list(exclude)).order_by("last_in_at", "id")
            .values_list("id", "name", "last_in_at", "last_out_at"))
    for person_id, name, last_in, last_out in rows:
        if last_out is not None and (last_in - last_out).days < engine_reasons.ANSWER_DAYS:
            continue  # their message answered yours
        since = last_in.astimezone(tz).date()
        found.append({"person": {"id": person_id, "name": name}, "since": since, "days": (day - since).days})
    return found


def upcoming_milestones(owner, day: date, days: int = WEEK_DAYS) -> list[dict]:
    """Milestones (people's birthdays and anniversaries, and yours) from ``day`` for ``days`` days, by date."""
    found = []
    for milestone in owned(Milestone, owner).select_related("person").order_by("id"):
        if milestone.person_id and milestone.person.archived:
            continue
        when = next_occurrence(milestone.on, milestone.yearly, day)
        if when is not None and (when - day).days < days:
            found.append({
                "id": milestone.id, "title": milestone.title, "on": when, "yearly": milestone.yearly,
                "person": {"id": milestone.person_id, "name": milestone.person.name} if milestone.person_id else None,
                "years": when.year - milestone.on.year if milestone.yearly and when.year > milestone.on.year else None,
            })
    return sorted(found, key=lambda m: (m["on"], m["id"]))


def pledge_checkpoints(owner, day: date, days: int) -> list[dict]:
    """The pledges' checkpoints from ``day`` for ``days`` days, by date.

    Two kinds: ``first-pings`` (the first-ping window closes: ``pending`` people still wait),
    and ``quarter`` (adherence is counted on the quarter's last day: ``kept`` of ``people`` so far).
    """
    from restons.services.stats import pledge_report

    ended = set(owned(Pledge, owner).filter(ended_on__isnull=False, ended_on__lt=day).values_list("id", flat=True))
    found = []
    for pledge in pledge_report(owner, day):
        if pledge["id"] in ended or not pledge["people"]:
            continue
        by = date.fromisoformat(pledge["first_ping_by"])
        if pledge["adherence"] is None and 0 <= (by - day).days < days:
            found.append({"kind": "first-pings", "id": pledge["id"], "org": pledge["org"], "on": by,
                          "pending": pledge["pending"], "people": pledge["people"]})
        end = quarter_end(day)
        if end > by and (end - day).days < days:
            last = pledge["quarters"][-1] if pledge["quarters"] else {"kept": 0, "people": pledge["people"]}
            found.append({"kind": "quarter", "id": pledge["id"], "org": pledge["org"], "on": end,
                          "kept": last["kept"], "people": last["people"]})
    return sorted(found, key=lambda c: (c["on"], c["org"], c["kind"]))


def checkpoint_text(checkpoint: dict) -> str:
    """One line for a checkpoint, in the active language."""
    from django.utils.formats import date_format

    values = {"org": checkpoint["org"], "date": date_format(checkpoint["on"], "l j F")}
    if checkpoint["kind"] == "first-pings":
        values["pending"] = checkpoint["pending"]
        return ngettext("%(org)s: %(pending)d person still waits for a first ping by %(date)s",
                        "%(org)s: %(pending)d people still wait for a first ping by %(date)s",
                        checkpoint["pending"]) % values
    values.update(kept=checkpoint["kept"], people=checkpoint["people"])
    return _("%(org)s: the quarter is counted on %(date)s; %(kept)d of %(people)d kept so far") % values


def digest_content(owner, day: date, weekly: bool = False) -> dict:
    """Everything the digest of ``day`` says, in the active time zone and language.

    ``today`` (Today's entries), ``replies`` (owed, besides those in Today), ``milestones``
    (the next 7 days), ``checkpoints`` (pledges, the next 7 days), ``count`` (people in Today),
    and ``empty``: True when there is nothing to say (the digest is then not sent).
    """
    from restons.services.today import today_list

    entries = today_list(owner, day, language=translation.get_language())
    in_today = {e["person"]["id"] for e in entries}
    content = {
        "date": day,
        "weekly": weekly,
        "today": entries,
        "replies": replies_owed(owner, day, exclude=in_today),
        "milestones": upcoming_milestones(owner, day),
        "checkpoints": pledge_checkpoints(owner, day, WEEK_DAYS),
    }
    content["count"] = len(entries)
    content["empty"] = not any(content[k] for k in ("today", "replies", "milestones", "checkpoints"))
    return content


def summary_of(content: dict) -> str:
    """"3 people, 1 reply owed, 2 milestones" (stored with the delivery, shown in Settings)."""
    parts = [ngettext("%(n)d person", "%(n)d people", content["count"]) % {"n": content["count"]}]
    if content["replies"]:
        n = len(content["replies"])
        parts.append(ngettext("%(n)d reply owed", "%(n)d replies owed", n) % {"n": n})
    if content["milestones"]:
        n = len(content["milestones"])
        parts.append(ngettext("%(n)d milestone", "%(n)d milestones", n) % {"n": n})
    if content["checkpoints"]:
        n = len(content["checkpoints"])
        parts.append(ngettext("%(n)d pledge checkpoint", "%(n)d pledge checkpoints", n) % {"n": n})
    return ", ".join(parts)


# -- signed links ----------------------------------------------------------------

def action_token(owner, person_id: int, action: str, day: date) -> str:
    return signing.dumps({"o": owner.pk, "p": person_id, "a": action, "d": day.isoformat()}, salt=ACTION_SALT,
                         compress=True)


def read_action_token(token: str) -> dict | None:
    """The token's ``o`` (owner id), ``p`` (person id), ``a`` (action), ``d`` (digest day); None when forged or old."""
    try:
        data = signing.loads(token, salt=ACTION_SALT, max_age=timedelta(days=ACTION_MAX_AGE_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") not in ACTIONS:
        return None
    return data


def unsubscribe_token(owner) -> str:
    return signing.dumps(owner.pk, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def absolute(path: str) -> str:
    return conf.get("RESTONS_BASE_URL") + path


# -- the mail --------------------------------------------------------------------

def subject_of(content: dict) -> str:
    n = content["count"]
    if n:
        text = (ngettext("%(n)d person to ping this week", "%(n)d people to ping this week", n) if content["weekly"]
                else ngettext("%(n)d person to ping today", "%(n)d people to ping today", n)) % {"n": n}
    else:
        text = _("Your week") if content["weekly"] else _("Your day")
    return _("Restons: %(what)s") % {"what": text}


def digest_message(owner, content: dict, period: str = "") -> EmailMultiAlternatives:
    """The digest as a mail to ``owner``: plain text and HTML, in the active language.

    Its ``Message-ID`` is derived from (user, period), so a receiving server that keeps
    Message-IDs (Gmail does) drops a second copy if one were ever sent.
    """
    day = content["date"]
    for entry in content["today"]:
        entry["ping_url"] = absolute(f"/digest/act/{action_token(owner, entry['person']['id'], 'ping', day)}/")
        entry["snooze_url"] = absolute(f"/digest/act/{action_token(owner, entry['person']['id'], 'snooze', day)}/")
    unsubscribe = absolute(f"/digest/unsubscribe/{unsubscribe_token(owner)}/")
    context = {**content, "LANGUAGE_CODE": translation.get_language(), "today_url": absolute("/"), "settings_url": absolute("/settings/"),
               "unsubscribe_url": unsubscribe, "checkpoint_lines": [checkpoint_text(c) for c in content["checkpoints"]]}
    text = render_to_string("restons/digest/mail.txt", context)
    html = render_to_string("restons/digest/mail.html", context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if period:
        host = mail.sender().rsplit("@", 1)[-1].strip(">") or "restons"
        headers["Message-ID"] = f"<digest.{owner.pk}.{period}@{host}>"
    message = EmailMultiAlternatives(subject_of(content), text, mail.sender(), [owner.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def build(owner, day: date | None = None, weekly: bool = False, period: str = ""):
    """(content, message, summary) for ``owner`` on ``day`` (their today), in their time zone and language.

    ``message`` is None when there is nothing to say.
    """
    zone = ZoneInfo(settings_of(owner).time_zone)
    with timezone.override(zone), translation.override(language_of(owner)):
        day = day or timezone.localdate()
        content = digest_content(owner, day, weekly)
        message = None if content["empty"] else digest_message(owner, content, period)
        return content, message, summary_of(content)
