"""The JSON API at ``/api/v1/`` (django-ninja): typed schemas, OpenAPI 3, token authentication.

Each router is a thin layer over the same service functions as the CLI and
the web app; ``core`` holds authentication, throttling and the errors.
Documentation for people: ``docs/api.md``; the schema: ``/api/v1/openapi.json``;
the interactive page: ``/api/v1/docs`` (needs a login).
"""

from __future__ import annotations


def urls():
    """The API's URL patterns, ready for ``include``.

    The endpoints authenticate with tokens, not sessions: the login
    middleware lets them through (they answer 401 themselves). The schema is
    public; the interactive docs page needs a login like every page.
    """
    from restons.api import interactions, people, planning
    from restons.api.core import api

    if not getattr(api, "_restons_routers", False):
        api.add_router("", people.router)
        api.add_router("", interactions.router)
        api.add_router("", interactions.overview)
        api.add_router("", planning.router)
        api._restons_routers = True
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name != "openapi-view":
            pattern.callback.login_required = False
    return patterns, app_name, namespace
