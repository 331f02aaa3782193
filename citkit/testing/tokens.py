"""API tokens for tests: a working key for a user, made without the second factor.

Only the hash of a key is stored, so the key is remembered here (per user, for
the test's database) to hand the same one out again.
"""

from citkit.core.api_tokens import find_token, make_token

_keys: dict[int, str] = {}


def token_key(user, *, name: str = "tests") -> str:
    """A working API key for `user` (the same one again while it works)."""
    key = _keys.get(user.pk)
    if key is not None:
        token = find_token(key)
        if token is not None and token.user_id == user.pk:
            return key
    token, key = make_token(user, name=name)
    token.save()
    _keys[user.pk] = key
    return key
