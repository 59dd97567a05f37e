"""Re-authentication before sensitive actions (two-factor changes, export, deleting an account).

Decorate the view with :func:`sensitive`::

    from restons.web.reauth import sensitive

    @sensitive
    def export(request): ...

Unless the user typed their password (or a two-factor code) in the last
``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (5 minutes), they are asked for it
first; then the request goes on: a GET is redirected back, a POST is replayed
(django-allauth keeps it in the session). An HTMX request is not replayed (its
answer is a fragment): the browser goes to the re-authentication page and back
to the page it was on.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponse


def needs_reauthentication(request) -> bool:
    """True when ``request``'s user must give their password (or a code) again before a sensitive action."""
    from allauth.account.internal.flows.reauthentication import is_reauthentication_required

    return is_reauthentication_required(request, app="")


def reauthentication_url(request, next_url: str) -> str:
    """Where to confirm who you are (password, or a code when two factors are on), then go to ``next_url``."""
    from allauth.account.adapter import get_adapter
    from django.urls import reverse

    methods = get_adapter().get_reauthentication_methods(request.user)
    url = methods[0]["url"] if methods else reverse("account_login")
    return f"{url}?{urlencode({'next': next_url})}"


def sensitive(view_func):
    """Require a recent password (or two-factor code) for ``view_func``; see the module's docstring."""
    from allauth.account.decorators import reauthentication_required

    guarded = reauthentication_required(view_func)

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "htmx", False) and needs_reauthentication(request):
            current = request.htmx.current_url_abs_path or "/"
            return HttpResponse(status=204, headers={"HX-Redirect": reauthentication_url(request, current)})
        return guarded(request, *args, **kwargs)

    return wrapper
