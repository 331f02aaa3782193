"""Who may see and change the directory, the crisis responsibilities and the MOUs.

The directory and the responsibilities are for everyone in the program: a
dispatcher or an officer reads them at 2 a.m. Coordinators keep all of it; an
agency administrator keeps their own agency's services, locations and
responsibilities.

MOUs: coordinators draft and manage them; committee members read every MOU,
comment and approve; an agency administrator reads the MOUs their agency is a
party to and signs for that agency only; everyone else reads executed MOUs
(and the expired, terminated and superseded ones, the program's history).
"""

from django.db.models import Q

from citkit.core.models import Role
from citkit.core.permissions import has_capability, own_agency_id
from citkit.core.policies import Policy, register
from citkit.partnerships.models import (
    PUBLISHED_STATUSES,
    Capacity,
    Contact,
    Language,
    Location,
    Mou,
    MouCommitment,
    MouParty,
    MouReview,
    MouSignature,
    MouTemplate,
    MouVersion,
    Phone,
    Responsibility,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TemplateClause,
)

_DIRECTORY_READERS = {
    Role.COMMITTEE_MEMBER,
    Role.TRAINER,
    Role.OFFICER,
    Role.DISPATCHER,
    Role.ANALYST,
    Role.STATE_COORDINATOR,
}

CAPABILITIES = {
    Role.COORDINATOR: {
        "view_directory",
        "manage_directory",
        "view_mous",
        "view_all_mous",
        "manage_mous",
        "review_mous",
        "record_signatures",
    },
    Role.COMMITTEE_MEMBER: {"view_directory", "view_mous", "view_all_mous", "review_mous"},
    Role.AGENCY_ADMIN: {
        "view_directory",
        "manage_own_directory",
        "view_mous",
        "sign_own_mous",
    },
    **{
        role: {"view_directory", "view_mous"}
        for role in _DIRECTORY_READERS - {Role.COMMITTEE_MEMBER}
    },
}


# --- The directory ----------------------------------------------------------------


def agency_of(obj):
    """The partner agency a directory record belongs to (None: the program's own)."""
    if isinstance(obj, Service | Responsibility):
        return obj.agency_id
    if isinstance(obj, Location):
        return obj.agency_id
    if isinstance(obj, ServiceAtLocation | ServiceArea | Language | Capacity):
        return obj.service.agency_id
    if isinstance(obj, Phone | Contact | Schedule):
        if obj.service_id:
            return obj.service.agency_id
        if obj.location_id:
            return obj.location.agency_id
        return obj.agency_id
    return None


def keeps_directory_record(user, obj) -> bool:
    """Coordinators keep the whole directory; an agency administrator their agency's part."""
    if user is None:
        return True
    program = obj.program
    if has_capability(user, program, "manage_directory"):
        return True
    if not has_capability(user, program, "manage_own_directory"):
        return False
    agency = agency_of(obj)
    return agency is not None and agency == own_agency_id(user, program)


class DirectoryPolicy(Policy):
    capabilities = {
        "view": {"view_directory"},
        "add": {"manage_directory", "manage_own_directory"},
        "change": {"manage_directory", "manage_own_directory"},
        "delete": {"manage_directory", "manage_own_directory"},
    }

    def may_on(self, user, obj, action):
        if action == "view":
            return super().may_on(user, obj, action)
        return self.may(user, obj.program, action) and keeps_directory_record(user, obj)

    def refusal(self, obj, action):
        return "You may keep only your own agency's part of the directory."


for _model in (
    Service,
    Location,
    ServiceAtLocation,
    Phone,
    Contact,
    Schedule,
    ServiceArea,
    Language,
    Capacity,
    Responsibility,
):
    register(type(f"{_model.__name__}Policy", (DirectoryPolicy,), {"model": _model}))


def may_update_capacity(user, service: Service) -> bool:
    probe = Capacity(program=service.program, service=service)
    return keeps_directory_record(user, probe) and (
        user is None
        or has_capability(user, service.program, "manage_directory")
        or has_capability(user, service.program, "manage_own_directory")
    )


# --- MOUs ---------------------------------------------------------------------


def is_party(user, mou: Mou) -> bool:
    agency = own_agency_id(user, mou.program)
    return agency is not None and mou.parties.filter(agency_id=agency).exists()


@register
class MouPolicy(Policy):
    model = Mou
    capabilities = {
        "view": {"view_mous"},
        "add": {"manage_mous"},
        "change": {"manage_mous"},
        "delete": {"manage_mous"},
        # Committee review: comment, approve, request changes.
        "review": {"review_mous"},
        # Signing for an agency; a coordinator records wet-ink signatures for any party.
        "sign": {"sign_own_mous", "record_signatures"},
    }

    def visible(self, user, program, queryset):
        queryset = super().visible(user, program, queryset)
        if user is None or has_capability(user, program, "view_all_mous"):
            return queryset
        published = Q(status__in=PUBLISHED_STATUSES)
        agency = own_agency_id(user, program)
        if agency is not None and has_capability(user, program, "sign_own_mous"):
            return queryset.filter(published | Q(parties__agency_id=agency)).distinct()
        return queryset.filter(published)

    def may_on(self, user, obj, action):
        if user is None:
            return True
        program = obj.program
        if not self.may(user, program, action):
            return False
        if action == "view":
            return (
                obj.is_published
                or has_capability(user, program, "view_all_mous")
                or (has_capability(user, program, "sign_own_mous") and is_party(user, obj))
            )
        if action == "sign" and not has_capability(user, program, "record_signatures"):
            return is_party(user, obj)
        return True

    def refusal(self, obj, action):
        if action == "sign":
            return "You may sign only for your own agency."
        return f"You may not {action} this MOU."


class _MouPartPolicy(Policy):
    """Parts of an MOU are seen with it and changed by whoever manages MOUs."""

    program_path = "mou__program"
    capabilities = {
        "view": {"view_mous"},
        "add": {"manage_mous"},
        "change": {"manage_mous"},
        "delete": {"manage_mous"},
    }

    def mou_of(self, obj) -> Mou:
        return obj.mou

    def may_on(self, user, obj, action):
        if action == "view":
            return MouPolicy().may_on(user, self.mou_of(obj), "view")
        return super().may_on(user, obj, action)

    def visible(self, user, program, queryset):
        prefix = self.program_path.removesuffix("__program")
        mous = Mou.objects.visible_to(user, program)
        return queryset.filter(**{f"{prefix}__in": mous})


@register
class MouVersionPolicy(_MouPartPolicy):
    model = MouVersion


@register
class MouPartyPolicy(_MouPartPolicy):
    model = MouParty


@register
class MouReviewPolicy(_MouPartPolicy):
    model = MouReview
    capabilities = {**_MouPartPolicy.capabilities, "add": {"review_mous"}}


@register
class MouCommitmentPolicy(_MouPartPolicy):
    model = MouCommitment
    program_path = "party__mou__program"

    def mou_of(self, obj):
        return obj.party.mou


@register
class MouSignaturePolicy(_MouPartPolicy):
    model = MouSignature
    program_path = "party__mou__program"
    capabilities = {**_MouPartPolicy.capabilities, "add": {"sign_own_mous", "record_signatures"}}

    def mou_of(self, obj):
        return obj.party.mou


@register
class MouTemplatePolicy(Policy):
    model = MouTemplate
    capabilities = {
        "view": {"view_all_mous"},
        "add": {"manage_mous"},
        "change": {"manage_mous"},
        "delete": {"manage_mous"},
    }


@register
class TemplateClausePolicy(Policy):
    model = TemplateClause
    program_path = "template__program"
    capabilities = MouTemplatePolicy.capabilities
