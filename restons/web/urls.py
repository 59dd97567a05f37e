"""URL map: each view module owns its own routes."""

from django.urls import include, path

from restons.web.views import users
from restons.api import urls as api_urls

urlpatterns = [
    path("", include("restons.web.views.users")),  # first: it guards some of django-allauth's routes
    path("accounts/", include("allauth.urls")),
    path("", include(users.entrance_urlpatterns)),  # after: /login/ and /logout/ are reverse()'s answer
    path("", include("restons.web.views.account")),
    path("", include("restons.web.views.me")),
    path("", include("restons.web.views.today")),
    path("", include("restons.web.views.people")),
    path("", include("restons.web.views.person")),
    path("", include("restons.web.views.planning")),
    path("", include("restons.web.views.imports")),
    path("", include("restons.web.views.circles")),
    path("", include("restons.web.views.stats")),
    path("", include("restons.web.views.review")),
    path("", include("restons.web.views.reminders")),
    path("", include("restons.web.views.pace")),
    path("", include("restons.web.views.exports")),
    path("", include("restons.web.views.sync")),
    path("api/v1/", api_urls()),
]

handler400 = "restons.web.views.errors.bad_request"
handler403 = "restons.web.views.errors.permission_denied"
handler404 = "restons.web.views.errors.page_not_found"
handler500 = "restons.web.views.errors.server_error"
