"""Language and time zone per user, and service errors as HTTP answers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

from restons.services.errors import NotFound, UserError


def user_settings(request):
    """The logged-in user's settings (read once per request), or None for a visitor."""
    if not hasattr(request, "user_settings"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from restons.services.accounts import settings_of

            request.user_settings = settings_of(user)
        else:
            request.user_settings = None
    return request.user_settings


class UserLanguageMiddleware(LocaleMiddleware):
    """The user's chosen language, else Django's rules (cookie, then the browser's Accept-Language)."""

    def process_request(self, request):
        found = user_settings(request)
        chosen = found.language if found else ""
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        else:
            super().process_request(request)


class UserTimeZoneMiddleware:
    """The user's time zone for the whole request ("today", dates and times); a visitor gets the instance's.

    Set on every request, never left over: a server thread serves many users in turn.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = user_settings(request)
        if found is not None:
            timezone.activate(ZoneInfo(found.time_zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ServiceErrorMiddleware:
    """NotFound from a service is a 404 (another user's object looks exactly like a missing one);
    UserError is a 400 whose body is the one-line reason (HTMX shows it in place)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception))
        if isinstance(exception, UserError):
            return HttpResponse(str(exception), status=400, content_type="text/plain; charset=utf-8")
        return None


class LastVerdictsMiddleware:
    """A request never waits for a long recomputation of checkups: it serves the last verdicts
    (``services.checkups.serving``; Today says it is updating) while a thread recomputes them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from restons.services import checkups

        token = checkups.serving.set(True)
        try:
            return self.get_response(request)
        finally:
            checkups.serving.reset(token)
