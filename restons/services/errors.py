class UserError(Exception):
    """Bad input: the message is one line a user can act on. Nothing was written."""


class NotFound(UserError):
    """The object does not exist for this owner (the web app answers 404)."""
