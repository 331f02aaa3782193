"""Two-factor sign-in: who must use it, checking a code, enrolling, recovery codes, reset.

A second factor is an authenticator app (TOTP, RFC 6238, a django-otp `TOTPDevice`) and
ten recovery codes (a django-otp `StaticDevice`; each code works once). CJIS 5.6.2.2 and
ASVS 5 level 2 ask for it for privileged accounts: deployment administrators always, and
in each program the roles listed in `Program.second_factor_roles` (coordinators, agency
administrators and state coordinators unless the program says otherwise).

Wrong codes are throttled by django-otp on the device itself (1, 2, 4, 8 … seconds
between attempts after each wrong one), so guessing a code is as slow as guessing a
password, whichever page the guesses come through. See docs/two-factor.md.
"""

import math
from base64 import b32encode
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from citkit.core import audit
from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Membership, Program, Role
from citkit.core.policies import policy_for

RECOVERY_CODE_COUNT = 10
# How long the password step stays valid while the code is asked for.
PENDING_SECONDS = 5 * 60
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


# --- Who must, who has ---------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Deployment administrators, and members holding a role their program lists."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    for role, roles in Membership.objects.filter(user=user).values_list(
        "role", "program__second_factor_roles"
    ):
        if role in (roles or ()):
            return True
    return False


def requiring_programs(user) -> list[tuple[Program, str]]:
    """(program, role label) for each membership whose role must use a second factor."""
    found = []
    for membership in Membership.objects.filter(user=user).select_related("program"):
        if membership.role in (membership.program.second_factor_roles or ()):
            found.append((membership.program, membership.get_role_display()))
    return found


def app_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user) -> bool:
    return app_device(user) is not None


def code_needed(user) -> bool:
    """Whether a sensitive step (sign-in, a new API token) must ask this user for a code."""
    return second_factor_required(user) or has_second_factor(user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Checking a code ------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The answer to one code: the device that took it, or how long to wait."""

    device: Device | None = None
    wait_seconds: int = 0  # > 0: refused unread, too many wrong codes just now

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def throttled(self) -> bool:
        return self.wait_seconds > 0

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalize_code(code: str) -> str:
    """People type "123 456" or "ABCD-EFGH"; the devices compare bare lowercase text."""
    return "".join(ch for ch in str(code or "") if ch not in " -\t").lower()[:32]


def _wait_seconds(device: Device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def check_code(user, code: str) -> CodeCheck:
    """Try `code` as the current app code, then as an unused recovery code.

    If any of the user's devices is throttled, nothing is tried: a guesser cannot
    switch to recovery codes while the app is cooling down. A wrong code counts
    against every device it was tried on (django-otp's own throttle); a right one
    clears them all. A recovery code is deleted as it is used.
    """
    code = normalize_code(code)
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        # The app first: it is what people use, and its throttle is the one they see.
        devices.sort(key=lambda d: 0 if isinstance(d, TOTPDevice) else 1)
        if not devices:
            return CodeCheck()
        wait = max(_wait_seconds(d) for d in devices)
        if wait:
            return CodeCheck(wait_seconds=wait)
        if not code:
            return CodeCheck()
        for device in devices:
            if device.verify_token(code):
                for other in devices:
                    if other is not device and other.throttling_failure_count:
                        other.throttle_reset()
                return CodeCheck(device=device)
    return CodeCheck()


def verify_code(user, code: str) -> bool:
    """True for the user's current app code or an unused recovery code (used up now)."""
    return check_code(user, code).ok


def refusal_message(check: CodeCheck) -> str:
    if check.throttled:
        return f"Too many wrong codes. Wait {_duration(check.wait_seconds)}, then try again."
    return (
        "That code is not right. Type the 6-digit code your authenticator app shows now, "
        "or one of your recovery codes."
    )


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"


def require_code(user, code: str, *, field: str = "code") -> CodeCheck | None:
    """For a sensitive step (a new API token): refuse unless the code is right.

    A user who needs no second factor and has none passes (None). A user who must
    have one but has not set it up is refused until they do. Raises
    ValidationError({field: message}).
    """
    if not code_needed(user):
        return None
    if not has_second_factor(user):
        raise ValidationError(
            {field: "Set up two-factor sign-in first (your account page, “Two-factor sign-in”)."}
        )
    check = check_code(user, code)
    if not check.ok:
        raise ValidationError({field: refusal_message(check)}, code="wrong_code")
    return check


# --- Enrolling -----------------------------------------------------------------------


def enrolment_start(user) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (made on first call, then kept,
    so that reloading the page does not change the QR code already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no external image)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title="QR code for your authenticator app"
    )


def enrolment_confirm(
    *, actor, device: TOTPDevice, code: str, current_code: str = ""
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the new authenticator with its first code; returns (device, recovery codes).

    Replacing an app already set up also needs a code from the old one (or a recovery
    code), so a borrowed session cannot move the second factor to another phone.
    The old app and old recovery codes stop working; the new codes are shown once.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied("That set-up is not yours to confirm.")
    if has_second_factor(actor):
        check = check_code(actor, current_code)
        if not check.ok:
            raise ValidationError({"current_code": refusal_message(check)})
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        throttled = _wait_seconds(device)
        if throttled:
            raise ValidationError({"code": refusal_message(CodeCheck(wait_seconds=throttled))})
        if not device.verify_token(normalize_code(code)):
            raise ValidationError(
                {
                    "code": "That code is not right. Type the 6-digit code the app shows "
                    "for citkit now (check that the phone's clock is set automatically)."
                }
            )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=actor,
            program=None,
            after={"second_factor": "set up"},
        )
    return device, codes


def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return codes


def recovery_codes_replace(*, actor, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a right code."""
    if not has_second_factor(actor):
        raise ValidationError({"code": "Set up two-factor sign-in first."})
    check = check_code(actor, code)
    if not check.ok:
        raise ValidationError({"code": refusal_message(check)})
    with transaction.atomic():
        codes = _replace_recovery_codes(actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=actor,
            program=None,
            after={"second_factor": "new recovery codes"},
        )
    return codes


def second_factor_remove(*, actor, code: str) -> None:
    """Turn one's own second factor off, after a right code; not for roles that need it."""
    if second_factor_required(actor):
        raise ValidationError(
            {
                "code": "Your role requires two-factor sign-in, so it cannot be turned off. "
                "To move to a new phone, set up a new authenticator app instead."
            }
        )
    if not has_second_factor(actor):
        raise ValidationError({"code": "Two-factor sign-in is not set up."})
    check = check_code(actor, code)
    if not check.ok:
        raise ValidationError({"code": refusal_message(check)})
    with transaction.atomic():
        _delete_devices(actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=actor,
            program=None,
            after={"second_factor": "removed"},
        )


def _delete_devices(user) -> int:
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        deleted += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return deleted


# --- A coordinator resets a member's second factor ----------------------------------


def reset_refusal(*, actor: Actor, program: Program, user) -> str:
    """Why `actor` may not reset `user`'s second factor from `program`; "" if they may.

    A coordinator may reset only accounts whose every membership is in their own
    program: an account that also belongs elsewhere (a state coordinator, say) could
    otherwise be taken over in the other program through this one. Those, and
    deployment administrators' accounts, are reset by a deployment administrator.
    """
    if actor is None or actor.is_staff:
        return ""
    elsewhere = Membership.objects.filter(user=user).exclude(program=program).exists()
    if elsewhere or user.is_staff or user.is_superuser:
        return (
            f"{user.get_username()} also has access outside {program.name}; "
            "ask a deployment administrator to reset their two-factor sign-in."
        )
    return ""


def second_factor_reset(*, actor: Actor, program: Program | None, user) -> None:
    """Remove a member's authenticator and recovery codes (a lost phone); audited.

    From a program's member page (`program`), by its coordinators within the limits of
    `reset_refusal`; with `program=None`, for the whole account, by a deployment
    administrator or the system (`manage.py second_factor_reset`), recorded in each of
    the account's programs. The member sets up a new app at their next sign-in, and
    every session of theirs ends.
    """
    staff = actor is not None and actor.is_staff
    if program is None:
        if actor is not None and not staff:
            raise PermissionDenied("Only the deployment's administrators reset any account.")
        memberships = list(Membership.objects.filter(user=user).select_related("program"))
    else:
        if not staff:
            policy_for(Membership).require(actor, program, "reset_second_factor")
        membership = Membership.objects.filter(program=program, user=user).first()
        if membership is None:
            raise ValidationError({"user": "That account is not a member of this program."})
        refusal = reset_refusal(actor=actor, program=program, user=user)
        if refusal:
            raise PermissionDenied(refusal)
        memberships = [membership]
    if not (
        TOTPDevice.objects.filter(user=user).exists()
        or StaticDevice.objects.filter(user=user).exists()
    ):
        raise ValidationError({"user": f"{user.get_username()} has not set up two-factor sign-in."})
    with transaction.atomic():
        _delete_devices(user)
        for each in memberships:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=each,
                program=each.program,
                after={"second_factor": "reset"},
            )
        if not memberships:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=user,
                program=None,
                after={"second_factor": "reset"},
            )
    _end_sessions(user)


def _end_sessions(user) -> None:
    """Sessions verified with the old phone end with it."""
    from citkit.core.sessions import end_sessions

    end_sessions(user)


# --- Program settings ----------------------------------------------------------------


def clean_second_factor_roles(value) -> list[str]:
    """The roles a program requires a second factor of, as a list of known role values."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValidationError({"second_factor_roles": "Choose roles from the list."})
    unknown = [v for v in value if v not in Role.values]
    if unknown:
        raise ValidationError(
            {"second_factor_roles": f"“{unknown[0]}” is not a role. Choose roles from the list."}
        )
    # In the order of the role list, each once, so that the audit trail shows real changes.
    return [role for role in Role.values if role in value]
