"""IMAP → messages: headers only, incremental by UIDVALIDITY and UID per folder.

:func:`fetch` logs in (TLS by default: implicit TLS on 993, or STARTTLS on
143; an unencrypted connection only when asked for, and only to a loopback
address), picks the folders, and yields the same :class:`Message` records as
the mbox and Maildir parsers, built from
``BODY.PEEK[HEADER.FIELDS (...)]`` (never the body; PEEK leaves messages
unread), fetched in batches, folders opened read-only.

Folders: the ones asked for, else the Sent folder (SPECIAL-USE ``\\Sent``,
else a folder named like one) first, so that it teaches who you are, then
INBOX. On Gmail (``X-GM-EXT-1``) only ``\\All`` is read, and each message's
``X-GM-LABELS`` says whether it was sent (``\\Sent``), a draft, spam or
trash: reading Sent and INBOX as well would count messages twice.

Incremental: the caller passes the state it stored, ``{folder:
FolderState(uidvalidity, last_uid)}``; only UIDs above ``last_uid`` are
fetched, unless the folder's UIDVALIDITY changed (the server renumbered it),
which re-reads the folder whole (harmless: message keys are stable). After
each batch a :class:`Checkpoint` is yielded with the state to store, so the
caller can commit the batch's rows and the state together and resume after
a crash.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from restons.capture.records import DRAFT, SPAM, TRASH, Message
from restons.importers.mail import FIELDS, FOLDER_EFFECTS, folder_role, parse_headers
from restons.importers.records import ParseError
from restons.services.errors import UserError

BATCH = 500
TIMEOUT = 30.0
SECURITY = ("tls", "starttls", "plain")
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "plain": 143}
# The fetch item; the server answers with the same name in its response (BODY[HEADER.FIELDS (...)]).
HEADER_ITEM = b"BODY.PEEK[HEADER.FIELDS (" + " ".join(f.upper() for f in FIELDS if f != "x-gmail-labels").encode() + b")]"
_GMAIL_EFFECTS = {b"\\Draft": DRAFT, b"\\Spam": SPAM, b"\\Trash": TRASH}


class ImapError(UserError):
    """The server could not be reached, refused the login, or refused a folder: one line, nothing stored."""


@dataclass(frozen=True)
class Account:
    """Where and how to connect. ``password`` is only held in memory, never printed (see ``__repr__``)."""

    name: str
    host: str
    user: str
    password: str = field(repr=False)
    port: int | None = None
    security: str = "tls"  # "tls" (implicit, 993), "starttls" (143) or "plain" (loopback only)
    folders: tuple[str, ...] = ()  # empty: Sent and INBOX (or Gmail's All Mail)
    timeout: float = TIMEOUT
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class Checkpoint:
    """Everything up to ``state.last_uid`` of ``folder`` has been yielded: store this state with those rows."""

    folder: str
    state: FolderState


def connect(account: Account, *, client_class: Callable | None = None):
    """A logged-in :class:`imapclient.IMAPClient`; raises :class:`ImapError` with one line."""
    import imapclient

    client_class = client_class or imapclient.IMAPClient
    if account.security not in SECURITY:
        raise ImapError(_("unknown connection security %(value)r; use tls, starttls or plain")
                        % {"value": account.security})
    if account.security == "plain" and not is_loopback(account.host):
        raise ImapError(_("%(host)s: an unencrypted IMAP connection is only allowed to this machine (127.0.0.1); "
                          "use tls or starttls") % {"host": account.host})
    port = account.port or DEFAULT_PORTS[account.security]
    context = account.ssl_context or ssl.create_default_context()
    where = f"{account.host}:{port}"
    try:
        client = client_class(account.host, port=port, ssl=account.security == "tls",
                              ssl_context=context if account.security == "tls" else None, timeout=account.timeout)
        if account.security == "starttls":
            if not client.has_capability("STARTTLS"):
                client.shutdown()
                raise ImapError(_("%(where)s does not offer STARTTLS; use tls") % {"where": where})
            client.starttls(context)
    except ImapError:
        raise
    except ssl.SSLError as exc:
        raise ImapError(_("%(where)s: TLS failed (%(why)s)") % {"where": where, "why": exc.reason or exc}) from None
    except (OSError, socket.timeout) as exc:
        raise ImapError(_("%(where)s: cannot connect (%(why)s)") % {"where": where, "why": exc.strerror or exc}) from None
    except imapclient.exceptions.IMAPClientError as exc:
        raise ImapError(_("%(where)s: %(why)s") % {"where": where, "why": _text(exc)}) from None
    try:
        client.login(account.user, account.password)
    except imapclient.exceptions.LoginError:
        _close(client)
        raise ImapError(_("%(where)s: login refused for %(user)s") % {"where": where, "user": account.user}) from None
    except (imapclient.exceptions.IMAPClientError, OSError) as exc:
        _close(client)
        raise ImapError(_("%(where)s: %(why)s") % {"where": where, "why": _text(exc)}) from None
    client.normalise_times = False  # INTERNALDATE as an aware datetime
    return client


def fetch(account: Account, state: dict[str, FolderState] | None = None, *, batch: int = BATCH,
          client=None) -> Iterator[Message | ParseError | Checkpoint]:
    """Messages new since ``state`` in the account's folders; a :class:`Checkpoint` after each batch.

    ``client`` is an already logged-in client (tests); otherwise :func:`connect` makes one and
    logs out at the end.
    """
    import imapclient

    state = state or {}
    own = client is None
    client = client or connect(account)
    try:
        gmail = client.has_capability("X-GM-EXT-1")
        for folder, role in choose_folders(client, account.folders, gmail):
            yield from _fetch_folder(client, account, folder, role, state.get(folder), batch, gmail)
    except imapclient.exceptions.IMAPClientError as exc:
        raise ImapError(_("%(account)s: %(why)s") % {"account": account.name, "why": _text(exc)}) from None
    except OSError as exc:
        raise ImapError(_("%(account)s: connection lost (%(why)s)")
                        % {"account": account.name, "why": exc.strerror or exc}) from None
    finally:
        if own:
            _close(client)


def choose_folders(client, asked: tuple[str, ...], gmail: bool) -> list[tuple[str, str]]:
    """``[(folder, role)]`` to read, Sent first; role is "sent", "drafts", "trash", "junk", "all" or ""."""
    listed = client.list_folders()
    roles: dict[str, str] = {}
    for flags, _delimiter, name in listed:
        flags = {f.lower() for f in flags}
        if b"\\noselect" in flags or b"\\nonexistent" in flags:
            continue
        role = next((r for flag, r in ((b"\\all", "all"), (b"\\sent", "sent"), (b"\\drafts", "drafts"),
                                        (b"\\trash", "trash"), (b"\\junk", "junk")) if flag in flags), "")
        roles[name] = role or folder_role(name)
    if asked:
        missing = [name for name in asked if name not in roles]
        if missing:
            raise ImapError(_("no folder %(name)r on the server; it has: %(names)s")
                            % {"name": missing[0], "names": ", ".join(sorted(roles))})
        chosen = [(name, roles[name]) for name in asked]
    elif gmail and "all" in roles.values():
        chosen = [next((name, role) for name, role in roles.items() if role == "all")]
    else:
        sent = [name for name, role in roles.items() if role == "sent"][:1]
        inbox = [name for name in roles if name.upper() == "INBOX"][:1]
        chosen = [(name, roles[name]) for name in sent + inbox]
    return sorted(chosen, key=lambda item: item[1] != "sent")


def _fetch_folder(client, account: Account, folder: str, role: str, prior: FolderState | None, batch: int,
                  gmail: bool) -> Iterator[Message | ParseError | Checkpoint]:
    info = client.select_folder(folder, readonly=True)
    uidvalidity = int(info.get(b"UIDVALIDITY", 0))
    last = prior.last_uid if prior is not None and prior.uidvalidity == uidvalidity else 0
    uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
    if not uids:
        yield Checkpoint(folder, FolderState(uidvalidity, last))
        return
    outgoing, flag = FOLDER_EFFECTS.get(role, (None, None))
    items = [HEADER_ITEM, b"INTERNALDATE"] + ([b"X-GM-LABELS"] if gmail and role == "all" else [])
    for start in range(0, len(uids), batch):
        chunk = uids[start:start + batch]
        response = client.fetch(chunk, items)
        for uid in chunk:
            where = _("%(account)s, %(folder)s, UID %(uid)s") % {"account": account.name, "folder": folder, "uid": uid}
            data = response.get(uid)
            if data is None:
                continue  # expunged between SEARCH and FETCH
            block = next((value for key, value in data.items() if key.startswith(b"BODY[HEADER")), None)
            if not isinstance(block, bytes):
                yield ParseError(where=where, why=_("the server sent no header"))
                continue
            message_outgoing, message_flag = outgoing, flag
            labels = data.get(b"X-GM-LABELS")
            if labels:
                labels = set(labels)
                if b"\\Sent" in labels:
                    message_outgoing = True
                message_flag = next((f for label, f in _GMAIL_EFFECTS.items() if label in labels), message_flag)
            internal = data.get(b"INTERNALDATE")
            fallback = internal if isinstance(internal, datetime) else None
            if fallback is not None and fallback.tzinfo is None:
                fallback = fallback.replace(tzinfo=UTC)
            yield parse_headers(block, where, fallback_date=fallback, outgoing=message_outgoing,
                                folder_flag=message_flag)
        yield Checkpoint(folder, FolderState(uidvalidity, chunk[-1]))


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _text(exc: BaseException) -> str:
    text = exc.args[0] if exc.args else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip().splitlines()[0][:200] if str(text).strip() else type(exc).__name__


def _close(client) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 — closing a broken connection must not hide the real error
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001
            pass
