"""The first account, the language switch, and settings (logging in: views/users.py and django-allauth)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from restons import regions
from restons.limits import TODAY_LIMIT_MAX
from restons.services import accounts
from restons.services.errors import UserError
from restons.web import fields


class WelcomeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email"))
    password = forms.CharField(label=gettext_lazy("Choose a password"), widget=forms.PasswordInput,
                               help_text=gettext_lazy("At least 10 characters."))


@login_not_required
def welcome(request):
    """A new instance asks for its owner account; afterwards this page sends you to log in."""
    if not accounts.needs_owner():
        return redirect("account_login")
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.create_owner(form.cleaned_data["email"], form.cleaned_data["password"])
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            return redirect("today")
    return render(request, "restons/account/welcome.html", {"form": form})


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


class SettingsForm(forms.Form):
    """What a user may choose; an empty choice keeps the instance's default."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), required=False, widget=fields.LongSelect,
                                  help_text=gettext_lazy("When your day starts, and how times are shown."))
    phone_region = forms.ChoiceField(
        label=gettext_lazy("Phone region"), required=False, widget=fields.LongSelect,
        help_text=gettext_lazy("How numbers written without + are read (06 12 34 56 78 is French in FR). "
                                "Automatic follows your time zone."))
    today_limit = forms.IntegerField(
        label=gettext_lazy("Today's size"), required=False, min_value=1, max_value=TODAY_LIMIT_MAX,
        help_text=gettext_lazy("How many people Today shows at most."))

    def __init__(self, *args, current: accounts.UserSettings, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.fields["time_zone"]
        zone.choices = [("", _("Default (%(zone)s)") % {"zone": settings.TIME_ZONE})] + [
            (name, name.replace("_", " ")) for name in regions.time_zones()]
        self.fields["phone_region"].choices = [
            ("", _("Automatic: %(region)s") % {"region": current.automatic_region})] + [
            (code, f"{code} (+{prefix})") for code, prefix in regions.regions()]
        limit = self.fields["today_limit"]
        limit.widget.attrs.update(placeholder=str(accounts.resolve(None).today_limit), size="4")


def _settings_page(request, form=None, password_form=None, status: int = 200, extra: dict | None = None):
    from django.utils.translation import get_language

    from restons.web.views.exports import settings_context as data_context

    current = accounts.settings_of(request.user)
    if form is None:
        form = SettingsForm(current=current, initial={
            "language": current.language or get_language(), "time_zone": current.chosen_time_zone,
            "phone_region": current.chosen_region, "today_limit": current.chosen_today_limit,
        })
    if password_form is None:
        password_form = PasswordChangeForm(request.user)
        password_form.fields["old_password"].widget.attrs.pop("autofocus", None)  # the page opens on preferences
    from restons.web.views.me import settings_context as me_context
    from restons.web.views.reminders import settings_context as reminders_context
    from restons.web.views.sync import settings_context as sync_context

    return render(request, "restons/account/settings.html", {
        "form": form, "password_form": password_form, "current": current, **_security(request),
        **reminders_context(request), **data_context(request), **me_context(request), **sync_context(request),
        **(extra or {}),
    }, status=status)


def _security(request) -> dict:
    """The Security section: email, two factors, sessions, and (for an admin) the Users page."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from restons.services.users import must_add_second_factor

    types = set(Authenticator.objects.filter(user=request.user).values_list("type", flat=True))
    address = EmailAddress.objects.filter(user=request.user, primary=True).first()
    return {"security": {
        "email_verified": bool(address and address.verified),
        "totp": Authenticator.Type.TOTP in types, "webauthn": Authenticator.Type.WEBAUTHN in types,
        "recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
        "required": must_add_second_factor(request.user),
    }}


def preferences(request):
    """Settings: language, time zone, phone region and Today's size; each empty one follows the instance."""
    if request.method != "POST":
        return _settings_page(request)
    form = SettingsForm(request.POST, current=accounts.settings_of(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            accounts.save_settings(request.user, language=data["language"], time_zone=data["time_zone"],
                                   region=data["phone_region"], today_limit=data["today_limit"])
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Settings saved."))
            response = redirect("settings")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["language"], samesite="Lax",
                                secure=request.is_secure())
            return response
    return _settings_page(request, form=form, status=400)


@require_POST
def change_password(request):
    """Django's password change, with the instance's password rules; the session stays logged in."""
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _settings_page(request, password_form=form, status=400)
    user = form.save()
    update_session_auth_hash(request, user)
    messages.success(request, _("Password changed."))
    return redirect("settings")


urlpatterns = [
    path("welcome/", welcome, name="welcome"),
    path("language/", set_language, name="set-language"),
    path("settings/", preferences, name="settings"),
    path("settings/password/", change_password, name="settings-password"),
]
