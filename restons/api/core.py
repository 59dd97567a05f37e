"""The API object: token authentication, scopes, throttling, and errors as ``{"detail": "one line"}``."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.errors import AuthenticationError, Throttled, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from restons import conf
from restons.services.errors import NotFound, UserError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ReadOnlyToken(Exception):
    """A read-only token was sent with a request that writes."""


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rst_…``: the token's owner is the caller; read-only tokens may only read."""

    def authenticate(self, request, token: str):
        from restons.services.accounts import activate
        from restons.services.tokens import authenticate

        found = authenticate(token)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and found.scope != found.Scope.READ_WRITE:
            raise ReadOnlyToken()
        chosen = activate(found.owner)  # their time zone: what "today" is, how times are read and written
        if chosen.language:
            translation.activate(chosen.language)
        request.owner = found.owner
        return found


class PerToken(BaseThrottle):
    """At most ``RESTONS_API_RATE`` requests a minute per token (a fixed window in the cache)."""

    def allow_request(self, request) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        window = int(time.time() // 60)
        key = f"restons-api-rate:{token.pk}:{window}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
        return count <= conf.get("RESTONS_API_RATE")

    def wait(self) -> float:
        return 60 - time.time() % 60


class StorableQuery(Parser):
    """Query parameters holding text no database stores (NUL, a lone surrogate) are bad input (400), not a 500."""

    def parse_querydict(self, data, list_fields, request):
        from restons.api.schemas import check_storable

        result = super().parse_querydict(data, list_fields, request)
        try:
            check_storable(result)
        except ValueError as error:
            raise HttpError(400, str(error)) from None
        return result


api = NinjaAPI(
    parser=StorableQuery(),
    title="Restons API",
    version="1",
    description=(
        "Your relationships, for scripts. Send a personal access token (Settings, or `restons token create NAME`) "
        "as `Authorization: Bearer TOKEN`. Errors are `{\"detail\": \"one line\"}`: 400 bad input, 401 no or "
        "unknown token, 403 a read-only token that tries to write, 404 anything that is not yours, 429 too many "
        "requests."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[PerToken()],
)


def _error(request, status: int, detail: str):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    response = _error(request, 401, _("Send a valid token: 'Authorization: Bearer TOKEN' (restons token create NAME)."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ReadOnlyToken)
def read_only(request, exc):
    return _error(request, 403, _("This token is read-only; make a read-write token to change data."))


@api.exception_handler(NotFound)
def not_found(request, exc):
    return _error(request, 404, str(exc))


@api.exception_handler(Http404)
def http_not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(UserError)
def bad_input(request, exc):
    return _error(request, 400, str(exc))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return _error(request, 400, one_line(exc.errors))


@api.exception_handler(Throttled)
def throttled(request, exc):
    return _error(request, 429, _("Too many requests with this token; wait a minute."))


def one_line(errors: list[dict]) -> str:
    """Pydantic's first error as ``where: what`` (``body.name: String should have at least 1 character``)."""
    if not errors:
        return _("Invalid request.")
    first = errors[0]
    loc = [str(part) for part in first.get("loc", ())]
    # ("body", "data", "name") names the body's field "name"; ("query", "status") the parameter.
    where = ".".join(loc[2:] if loc[:1] == ["body"] else loc[1:]) or (loc[0] if loc else "")
    return f"{where}: {first.get('msg', '')}".strip(": ")
