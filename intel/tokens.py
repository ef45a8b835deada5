"""API tokens: each user has at most one (DRF authtoken), made and revoked by the user.

A new token replaces the old one at once, so a leaked key is revoked by making a new
one. The key is shown once, when it is made; afterwards the account page shows only
its first characters.
"""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def token_create(*, user) -> Token:
    """A fresh token for ``user``; any earlier one stops working."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    """Revoke the user's token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
