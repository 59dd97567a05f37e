"""Service functions: the one place each action is validated and written.

The CLI, the web app and the API call these; each write runs in one
transaction, and bad input raises :class:`restons.services.errors.UserError`
before anything is written.
"""
