"""The first account, logging in and out, and settings."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from restons.services import accounts
from restons.services.errors import UserError


class WelcomeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email"))
    password = forms.CharField(label=gettext_lazy("Choose a password"), widget=forms.PasswordInput,
                               help_text=gettext_lazy("At least 10 characters."))


@login_not_required
def welcome(request):
    """A new instance asks for its owner account; afterwards this page sends you to log in."""
    if not accounts.needs_owner():
        return redirect("login")
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.create_owner(form.cleaned_data["email"], form.cleaned_data["password"])
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("today")
    return render(request, "restons/account/welcome.html", {"form": form})


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "restons/account/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        if accounts.needs_owner():
            return redirect("welcome")
        return super().dispatch(request, *args, **kwargs)


@require_POST
@login_not_required
def set_language(request):
    """The language switch: stored for a logged-in user, in a cookie for anyone."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return redirect("today")
    if request.user.is_authenticated:
        accounts.set_language(request.user, language)
    from restons.web.shortcuts import back

    response = back(request, "today")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", secure=request.is_secure())
    return response


def preferences(request):
    if request.method == "POST":
        accounts.set_language(request.user, request.POST.get("language", ""))
        messages.success(request, _("Settings saved."))
        response = redirect("settings")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.POST["language"], samesite="Lax",
                            secure=request.is_secure())
        return response
    return render(request, "restons/account/settings.html", {"languages": settings.LANGUAGES})


urlpatterns = [
    path("welcome/", welcome, name="welcome"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set-language"),
    path("settings/", preferences, name="settings"),
]
