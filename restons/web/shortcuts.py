"""Small helpers shared by the views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from restons.models import Person
from restons.services.access import get_owned


def person_of(request: HttpRequest, person_id: int) -> Person:
    """The requesting user's person ``person_id``; NotFound (404) for anyone else's."""
    return get_owned(Person, request.user, pk=person_id)


def first_of(items: list, count: int) -> tuple[list, int]:
    """The first ``count`` of ``items`` for a page, and how many more there are ("And N more.")."""
    return items[:count], max(0, len(items) - count)


def fragment_or_page(request: HttpRequest, fragment: str, page: str, context: dict) -> HttpResponse:
    """An HTMX request gets the fragment; a plain one the whole page."""
    return render(request, fragment if request.htmx else page, context)


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """After a plain (non-HTMX) POST: back to where the user came from, on this site only."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)
