"""Settings → You: your own addresses and name, which tell your messages from theirs in every import."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restons.models import MyIdentity
from restons.services import me
from restons.services.access import owned
from restons.services.errors import UserError


def settings_context(request) -> dict:
    """What the Settings page's "You" section shows."""
    data = me.show_me(request.user)
    return {"my_name": data["name"],
            "my_identities": list(owned(MyIdentity, request.user).order_by("kind", "value"))}


def _values(text: str) -> list[str]:
    """Addresses separated by commas, semicolons or lines; emails also by spaces (a phone number has spaces)."""
    values = []
    for part in re.split(r"[,;\n]+", text):
        part = part.strip()
        if "@" in part and " " in part:
            values.extend(part.split())
        elif part:
            values.append(part)
    return values


@require_POST
def add(request):
    """Add the addresses typed and set your name."""
    values = _values(request.POST.get("values", ""))
    name = request.POST.get("name")
    try:
        me.add_me(request.user, values, name=name if name is not None and (name.strip() or not values) else None)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("/settings/#me")


@require_POST
def remove(request, identity_id: int):
    me.remove_identity(request.user, identity_id)
    messages.success(request, _("Removed."))
    return redirect("/settings/#me")


urlpatterns = [
    path("settings/me/", add, name="me-add"),
    path("settings/me/<int:identity_id>/remove/", remove, name="me-remove"),
]
