"""Who may see and change partner agencies and their contacts."""

from citkit.core.models import Role
from citkit.core.permissions import has_capability, own_agency_id
from citkit.core.policies import Policy, register
from citkit.partners.models import Agency, AgencyContact

# Every member sees the partner directory; coordinators keep it, and an agency
# administrator keeps their own agency's entry and contacts.
CAPABILITIES = {
    Role.COORDINATOR: {"view_agencies", "manage_agencies"},
    Role.COMMITTEE_MEMBER: {"view_agencies"},
    Role.AGENCY_ADMIN: {"view_agencies", "manage_own_agency"},
    Role.TRAINER: {"view_agencies"},
    Role.OFFICER: {"view_agencies"},
    Role.DISPATCHER: {"view_agencies"},
    Role.ANALYST: {"view_agencies"},
    Role.STATE_COORDINATOR: {"view_agencies"},
}


def manages_agency(user, agency: Agency) -> bool:
    """Coordinators manage every agency; an agency administrator only their own."""
    if user is None:
        return True
    program = agency.program
    if has_capability(user, program, "manage_agencies"):
        return True
    return has_capability(user, program, "manage_own_agency") and (
        own_agency_id(user, program) == agency.pk
    )


@register
class AgencyPolicy(Policy):
    model = Agency
    capabilities = {
        "view": {"view_agencies"},
        "add": {"manage_agencies"},
        "change": {"manage_agencies", "manage_own_agency"},
        "delete": {"manage_agencies"},
    }

    def may_on(self, user, obj, action):
        if action == "change":
            return manages_agency(user, obj)
        return super().may_on(user, obj, action)

    def refusal(self, obj, action):
        return "You may not change this agency."


@register
class AgencyContactPolicy(Policy):
    """Contacts are kept by whoever keeps their agency."""

    model = AgencyContact
    program_path = "agency__program"
    capabilities = {
        "view": {"view_agencies"},
        "add": {"manage_agencies", "manage_own_agency"},
        "change": {"manage_agencies", "manage_own_agency"},
        "delete": {"manage_agencies", "manage_own_agency"},
    }

    def may_on(self, user, obj, action):
        if action == "view":
            return super().may_on(user, obj, action)
        agency = obj.agency if isinstance(obj, AgencyContact) else obj
        return manages_agency(user, agency)

    def refusal(self, obj, action):
        return "You may not change this agency's contacts."
