"""Security headers on every response, and two factors where RESTONS_REQUIRE_2FA asks for them.

The Content-Security-Policy allows scripts, styles, fonts and connections from
this origin only: no inline ``<script>``, no ``eval``, nothing from elsewhere.
Two allowances, each on purpose:

- ``style-src-attr 'unsafe-inline'``: a few meters (Stats, pledges) size their
  bar with a ``style="width: N%"`` attribute. An attribute can neither run
  script nor load anything ``img-src`` does not allow, while ``<style>``
  elements stay refused (``style-src 'self'``). HTMX is told not to inject its
  indicator ``<style>`` (``htmx-config`` in ``base.html``).
- ``img-src data:``: the two-factor page shows its QR code as a ``data:`` image.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Features Restons never uses; WebAuthn (passkeys) stays allowed for this origin.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy (Django's SecurityMiddleware sends
    X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequireTwoFactorMiddleware:
    """With RESTONS_REQUIRE_2FA=admins (or all), such a user without a second factor can only
    reach the account pages (where they set one up) until they do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._open(request.path):
            from restons.services import users

            if users.must_add_second_factor(user):
                from django.contrib import messages

                messages.warning(request, _("This instance requires two-factor authentication: set it up to "
                                            "continue."))
                target = reverse("mfa_index")
                if getattr(request, "htmx", False):
                    from django.http import HttpResponse

                    return HttpResponse(status=204, headers={"HX-Redirect": target})
                return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        from django.conf import settings

        return path.startswith(("/accounts/", settings.STATIC_URL)) or path == reverse("set-language")
