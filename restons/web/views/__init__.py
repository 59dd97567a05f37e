"""Views: each module is one area of the app and owns its URL patterns.

Views are thin: they read the request, call one service function with
``request.user`` as the owner, and render. Objects are fetched only through
``restons.services.access.get_owned`` (another user's object is a 404).
"""
