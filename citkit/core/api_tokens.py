"""API tokens: making a key, finding it again by its hash, and the DRF authentication.

A key is `ck_` and 43 characters of URL-safe base64 (256 random bits). Only its
SHA-256 is stored, with its first characters to tell keys apart. Clients send it
as before, `Authorization: Token <key>`; an unknown, revoked or expired key, or
one whose account is deactivated, is answered 401.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions

from citkit.core.models import ApiToken

KEY_START = "ck_"
PREFIX_LENGTH = 10  # "ck_" and 7 characters: enough to recognise, far too few to guess
# last_used_at is written at most this often per token.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
INVALID = "The API token is not valid: it is unknown, expired or revoked."


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_START + secrets.token_urlsafe(32)


def default_days() -> int:
    return settings.CITKIT_TOKEN_DAYS


def make_token(user, *, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """An unsaved token for `user` and its key. Services save it (and audit it)."""
    key = new_key()
    token = ApiToken(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=timezone.now() + datetime.timedelta(days=days or default_days()),
    )
    return token, key


def find_token(key: str) -> ApiToken | None:
    """The active token with this key, with its user; None for anything else."""
    if not isinstance(key, str) or not key.startswith(KEY_START) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken) -> None:
    """Remember when the token was last used, writing at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    # A conditional update: two requests in the same minute write once between them.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` against citkit's hashed, expiring tokens."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        note_use(token)
        return token.user, token
