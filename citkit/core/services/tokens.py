"""An account's own API tokens and calendar address."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from citkit.core import audit
from citkit.core.models import ApiToken, AuditEntry
from citkit.core.writes import clean_text, full_clean

# --- API tokens and calendar addresses (an account's own) -------------------------------

# More than anyone needs; a cap stops a script from minting them without end.
TOKEN_LIMIT = 20


def _token_picture(token: ApiToken) -> dict:
    """What the trail keeps of a token: never its hash."""
    return {
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _require_person(actor) -> None:
    # A token or a calendar address always belongs to a signed-in person, never the system.
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in first.")


def api_token_create(
    *, actor, name: str, code: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """A new API token for the actor; returns it and its key, which is shown once.

    Asks for the second factor when the account has one or its role needs one
    (`mfa.require_code`): a stolen password alone must not mint API access.
    """
    from citkit.core import api_tokens, mfa

    _require_person(actor)
    name = clean_text(name or "").strip()
    most = settings.CITKIT_TOKEN_DAYS
    errors = {}
    if not name:
        errors["name"] = "Give the token a name, e.g. the program or script that uses it."
    elif len(name) > 100:
        errors["name"] = "At most 100 characters."
    if days is not None and not (isinstance(days, int) and 1 <= days <= most):
        errors["days"] = f"Between 1 and {most} days."
    if errors:
        raise ValidationError(errors)
    if ApiToken.objects.filter(user=actor).active().count() >= TOKEN_LIMIT:
        raise ValidationError(
            {"name": f"You already have {TOKEN_LIMIT} tokens. Revoke one you no longer use."}
        )
    mfa.require_code(actor, code, field="code")
    token, key = api_tokens.make_token(actor, name=name, days=days)
    with transaction.atomic():
        full_clean(token, exclude=["user"])
        token.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=token,
            program=None,
            after=_token_picture(token),
        )
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """The owner revokes one of their tokens; it stops working at once."""
    _require_person(actor)
    with transaction.atomic():
        found = ApiToken.objects.select_for_update().filter(pk=token.pk, user=actor).first()
        if found is None:
            raise Http404("No such token.")
        token = found
        if token.revoked_at is not None:
            return token
        before = _token_picture(token)
        token.revoked_at = timezone.now()
        token.revoked_reason = "revoked by its owner"
        token.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=token,
            program=None,
            before=before,
            after=_token_picture(token),
        )
    return token


def feed_address_replace(*, actor) -> None:
    """A new calendar address for the actor, in every program; the old ones stop working."""
    from citkit.core.credentials import replace_feed_secret

    _require_person(actor)
    with transaction.atomic():
        replace_feed_secret(actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=actor,
            program=None,
            after={"calendar_address": "replaced by its owner"},
        )
