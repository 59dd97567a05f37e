"""The 400, 403, 404 and 500 pages, in the product's look and the visitor's language.

The 4xx pages are ordinary pages (the navigation shows for a logged-in user).
The 500 page is rendered without the request: no context processor runs, so
it needs neither the session nor the database — it must show when the
database is what failed.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    return HttpResponseBadRequest(loader.render_to_string("restons/errors/400.html", {}, request))


@requires_csrf_token
def permission_denied(request, exception=None):
    return HttpResponseForbidden(loader.render_to_string("restons/errors/403.html", {}, request))


@requires_csrf_token
def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("restons/errors/404.html", {}, request))


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("restons/errors/500.html", {}))


def csrf_failure(request, reason=""):
    """A refused form (an expired session, a page left open too long): say what to do, not why."""
    return HttpResponseForbidden(loader.render_to_string("restons/errors/403.html", {"csrf": True}, request))
