"""Settings → Mail and calendars: IMAP accounts and calendar subscriptions, added, removed and synced now.

"Sync now" runs the sync in the request, with a short timeout: a first sync of a
large mailbox is better left to ``restons sync imap`` or the worker
(``RESTONS_SYNC_MINUTES``), which carry on from where this one stopped.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restons import conf
from restons.models import ImapAccount
from restons.services import sync
from restons.services.errors import UserError

WEB_TIMEOUT = 20.0  # seconds a server may take to answer during "Sync now"
BACK = "/settings/#sync"


def settings_context(request) -> dict:
    """What the Settings page's "Mail and calendars" section shows."""
    return {"imap_accounts": sync.list_accounts(request.user), "calendar_subscriptions": sync.list_subscriptions(request.user),
            "imap_security": ImapAccount.Security.choices, "sync_minutes": conf.get("RESTONS_SYNC_MINUTES")}


def _port(value: str):
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise UserError(_("%(port)s is not a port number (1 to 65535)") % {"port": value[:10]})
    return int(value)


@require_POST
def add_account(request):
    data = request.POST
    try:
        row = sync.add_account(
            request.user, data.get("name", ""), host=data.get("host", ""), user=data.get("user", ""),
            password=data.get("password", ""), port=_port(data.get("port", "")),
            security=data.get("security", "tls"),
            folders=[f for f in data.get("folders", "").split(",")],
        )
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Mail account “%(name)s” added.") % {"name": row.name})
    return redirect(BACK)


@require_POST
def remove_account(request, account_id: int):
    row = sync.get_account(request.user, account_id)
    sync.remove_account(request.user, row)
    messages.success(request, _("Mail account “%(name)s” removed.") % {"name": row.name})
    return redirect(BACK)


@require_POST
def sync_account(request, account_id: int):
    row = sync.get_account(request.user, account_id)
    try:
        result = sync.sync_account(request.user, row, timeout=WEB_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 — recorded on the account and shown
        messages.error(request, f"{row.name}: {sync.one_line(exc)}")
    else:
        messages.success(request, _report(result))
    return redirect(BACK)


@require_POST
def add_subscription(request):
    try:
        row = sync.add_subscription(request.user, request.POST.get("name", ""), request.POST.get("url", ""))
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Calendar “%(name)s” added.") % {"name": row.name})
    return redirect(BACK)


@require_POST
def remove_subscription(request, subscription_id: int):
    row = sync.get_subscription(request.user, subscription_id)
    sync.remove_subscription(request.user, row)
    messages.success(request, _("Calendar “%(name)s” removed.") % {"name": row.name})
    return redirect(BACK)


@require_POST
def sync_subscription(request, subscription_id: int):
    row = sync.get_subscription(request.user, subscription_id)
    try:
        result = sync.sync_subscription(request.user, row, timeout=WEB_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 — recorded on the subscription and shown
        messages.error(request, f"{row.name}: {sync.one_line(exc)}")
    else:
        messages.success(request, _report(result))
    return redirect(BACK)


def _report(result) -> str:
    interactions = result.summary.interactions if result.summary is not None else 0
    return _("%(name)s: %(fetched)s records read, %(interactions)s new interactions.") % {
        "name": result.name, "fetched": result.fetched, "interactions": interactions}


urlpatterns = [
    path("settings/mail/", add_account, name="imap-add"),
    path("settings/mail/<int:account_id>/remove/", remove_account, name="imap-remove"),
    path("settings/mail/<int:account_id>/sync/", sync_account, name="imap-sync"),
    path("settings/calendars/", add_subscription, name="calendar-add"),
    path("settings/calendars/<int:subscription_id>/remove/", remove_subscription, name="calendar-remove"),
    path("settings/calendars/<int:subscription_id>/sync/", sync_subscription, name="calendar-sync"),
]
