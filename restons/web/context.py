"""Template context every page gets: what the account pages need to know about the instance."""

from __future__ import annotations


def accounts(request) -> dict:
    """``mail_configured`` (password reset by mail, or ask the admin), ``signup_open``, and
    ``is_admin`` for the logged-in user (the Users link), read lazily."""
    from django.utils.functional import SimpleLazyObject

    def admin() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        from restons.services.users import is_admin

        return is_admin(user)

    def signup() -> bool:
        from restons import conf

        return conf.get("RESTONS_SIGNUP") == "open"

    def mail() -> bool:
        from restons.mail import configured as mail_configured

        return mail_configured()

    return {"is_admin": SimpleLazyObject(admin), "signup_open": SimpleLazyObject(signup),
            "mail_configured": SimpleLazyObject(mail)}
