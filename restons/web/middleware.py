"""Language per user, and service errors as HTTP answers."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from restons.services.errors import NotFound, UserError


class UserLanguageMiddleware(LocaleMiddleware):
    """The user's chosen language, else Django's rules (cookie, then the browser's Accept-Language)."""

    def process_request(self, request):
        user = getattr(request, "user", None)
        chosen = ""
        if user is not None and user.is_authenticated:
            from restons.models import Preferences
            from restons.services.access import owned

            chosen = owned(Preferences, user).values_list("language", flat=True).first() or ""
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        else:
            super().process_request(request)


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
