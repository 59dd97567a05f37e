"""URL map: each view module owns its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("restons.web.views.account")),
    path("", include("restons.web.views.today")),
    path("", include("restons.web.views.people")),
    path("", include("restons.web.views.person")),
    path("", include("restons.web.views.planning")),
    path("", include("restons.web.views.imports")),
    path("", include("restons.web.views.review")),
]
