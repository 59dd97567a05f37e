"""What every row of user data shares: an owner.

Rows are read through :func:`restons.services.access.owned`, never through a
bare ``Model.objects`` query, so that no code path can see another user's data.
Every index starts with ``owner`` so the data can be distributed by owner, but those led by a
link to another row of the same owner (a person, a piece of content): each entry still belongs to
one owner, and the link comes first where it is what queries narrow by.
"""

from django.conf import settings
from django.db import models


class Owned(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
