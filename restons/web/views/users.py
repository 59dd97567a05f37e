"""Accounts on the web: logging in (django-allauth's page, guarded), invitations, the admin's Users
page, deleting your own account, and password reset when the instance has no mail.

Every write calls :mod:`restons.services.users`, the functions behind ``restons user …``.
"""

from __future__ import annotations

from allauth.account import views as allauth_views
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from restons.services import users
from restons.services.accounts import needs_owner
from restons.services.errors import UserError
from restons.web.reauth import sensitive

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@method_decorator(login_not_required, name="dispatch")
class LoginView(allauth_views.LoginView):
    """django-allauth's login; a new instance sends you to the welcome page; too many failures is a 429."""

    def dispatch(self, request, *args, **kwargs):
        if needs_owner():
            return redirect("welcome")
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "too_many_login_attempts"):
            response.status_code = 429
        return response


@login_not_required
def password_reset(request):
    """Reset by mail when the instance sends mail; otherwise the admin makes a one-time link."""
    from restons.mail import configured as mail_configured

    if mail_configured():
        return allauth_views.password_reset(request)
    return render(request, "restons/account/reset_by_admin.html")


# -- invitations ----------------------------------------------------------------------


class AcceptForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Choose a password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=gettext_lazy("At least 10 characters."))


@login_not_required
def invitation(request, token: str):
    """The link in an invitation: choose a password, and you are in (once; until it expires)."""
    try:
        pending = users.open_invitation(token)
    except UserError as exc:
        return render(request, "restons/account/invitation.html", {"invalid": str(exc)}, status=404)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = users.accept_invitation(token, form.cleaned_data["password"])
        except UserError as exc:
            form.add_error("password", str(exc))
        else:
            if request.user.is_authenticated:
                logout(request)
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("today")
    status = 400 if request.method == "POST" else 200
    return render(request, "restons/account/invitation.html", {"form": form, "email": pending.email},
                  status=status)


# -- the admin's Users page -----------------------------------------------------------


def _admin_only(request) -> None:
    """Anyone but an admin gets the 404 any missing page gives: the page does not exist for them."""
    if not users.is_admin(request.user):
        raise Http404


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=users.EMAIL_MAX)
    admin = forms.BooleanField(label=gettext_lazy("Admin too"), required=False)


def _users_page(request, form=None, invited=None, status=200):
    return render(request, "restons/account/users.html", {
        "accounts": users.list_users(), "form": form or InviteForm(), "invited": invited,
    }, status=status)


def users_page(request):
    """GET: every account (email, admin, two factors, last login, disabled). POST: invite someone."""
    _admin_only(request)
    if request.method != "POST":
        return _users_page(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invited = users.invite(form.cleaned_data["email"], by=request.user, admin=form.cleaned_data["admin"],
                                   language=request.LANGUAGE_CODE)
        except UserError as exc:
            form.add_error("email", str(exc))
        else:
            return _users_page(request, invited=invited)
    return _users_page(request, form=form, status=400)


def _email_of(account_id: int) -> str:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=account_id).first()
    if user is None:
        raise Http404
    return user.email


def _act(request, account_id: int, action, done: str):
    _admin_only(request)
    email = _email_of(account_id)
    try:
        action(email)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"email": email})
    return redirect("users")


@require_POST
def disable(request, account_id: int):
    return _act(request, account_id, users.set_disabled, _("%(email)s is disabled: they cannot log in."))


@require_POST
def enable(request, account_id: int):
    return _act(request, account_id, lambda email: users.set_disabled(email, False),
                _("%(email)s can log in again."))


@require_POST
def make_admin(request, account_id: int):
    return _act(request, account_id, users.set_admin, _("%(email)s is an admin."))


@require_POST
def revoke_admin(request, account_id: int):
    return _act(request, account_id, lambda email: users.set_admin(email, False),
                _("%(email)s is no longer an admin."))


def delete(request, account_id: int):
    """Deleting an account (and all it holds) asks for a confirmation, and for the admin's password again."""
    _admin_only(request)  # before asking for a password: anyone else gets the 404 at once
    return _delete(request, account_id)


@sensitive
def _delete(request, account_id: int):
    email = _email_of(account_id)
    if request.method != "POST":
        return render(request, "restons/account/delete_user.html", {"email": email, "account_id": account_id})
    if account_id == request.user.pk:
        return redirect("delete-account")
    return _act(request, account_id, users.delete_user, _("%(email)s and everything it held are deleted."))


# -- deleting your own account ----------------------------------------------------------


@sensitive
def delete_account(request):
    """Delete your own account and everything in it, after your password (or a code) and a confirmation."""
    if request.method != "POST":
        return render(request, "restons/account/delete_account.html")
    if request.POST.get("confirm") != "yes":
        return render(request, "restons/account/delete_account.html",
                      {"error": _("Tick the box to confirm.")}, status=400)
    try:
        users.delete_user(request.user.email)
    except UserError as exc:
        return render(request, "restons/account/delete_account.html", {"error": str(exc)}, status=400)
    logout(request)
    messages.success(request, _("Your account and everything in it are deleted."))
    return redirect("account_login")


# Logging in and out keep the addresses they always had (bookmarks, tests, proxies' rules); included
# after django-allauth's routes, so that reverse("account_login") gives /login/ (the last pattern wins).
entrance_urlpatterns = [
    path("login/", LoginView.as_view(), name="account_login"),
    path("logout/", allauth_views.logout, name="account_logout"),
]

# Included before django-allauth's routes, so that the guarded password reset wins at its address.
urlpatterns = [
    path("accounts/password/reset/", password_reset, name="account_reset_password"),
    path("invite/<str:token>/", invitation, name="invitation"),
    path("users/", users_page, name="users"),
    path("users/<int:account_id>/disable/", disable, name="user-disable"),
    path("users/<int:account_id>/enable/", enable, name="user-enable"),
    path("users/<int:account_id>/admin/", make_admin, name="user-make-admin"),
    path("users/<int:account_id>/not-admin/", revoke_admin, name="user-revoke-admin"),
    path("users/<int:account_id>/delete/", delete, name="user-delete"),
    path("settings/delete-account/", delete_account, name="delete-account"),
]
