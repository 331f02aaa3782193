"""Who may see and change the people of a program.

The roster is read by those who work with it (coordinators, the committee,
trainers, dispatchers); an agency administrator keeps their own agency's
people; an officer sees only their own record; analysts and state coordinators
see counts, never people.
"""

from citkit.core.models import Role
from citkit.core.permissions import has_capability, own_agency_id
from citkit.core.policies import Policy, register
from citkit.people.models import Person

CAPABILITIES = {
    Role.COORDINATOR: {"view_people", "manage_people"},
    Role.COMMITTEE_MEMBER: {"view_people"},
    Role.AGENCY_ADMIN: {"view_own_people", "manage_own_people"},
    Role.TRAINER: {"view_people"},
    Role.OFFICER: {"view_self"},
    Role.DISPATCHER: {"view_people"},
}


def managed_agency_id(user, program) -> int | None:
    """The one agency whose people the user keeps; None if they keep everyone's."""
    if user is None or has_capability(user, program, "manage_people"):
        return None
    return own_agency_id(user, program)


@register
class PersonPolicy(Policy):
    model = Person
    capabilities = {
        "view": {"view_people", "view_own_people", "view_self"},
        # Reading the roster itself, not only one's own record: what a link to the
        # list of people (of the program, or of an agency) needs to lead somewhere.
        "view_roster": {"view_people", "view_own_people"},
        "add": {"manage_people", "manage_own_people"},
        "change": {"manage_people", "manage_own_people"},
        "delete": {"manage_people", "manage_own_people"},
        "import": {"manage_people", "manage_own_people"},
    }

    def may_on(self, user, obj, action):
        if user is None:
            return True
        program = obj.program
        if not self.may(user, program, action):
            return False
        if action in ("view", "view_roster"):
            if has_capability(user, program, "view_people"):
                return True
            if has_capability(user, program, "view_own_people"):
                return obj.agency_id == own_agency_id(user, program)
            return obj.user_id == user.pk  # view_self
        if has_capability(user, program, "manage_people"):
            return True
        return obj.agency_id is not None and obj.agency_id == managed_agency_id(user, program)

    def visible(self, user, program, queryset):
        people = queryset.filter(program=program)
        if user is None or has_capability(user, program, "view_people"):
            return people
        if has_capability(user, program, "view_own_people"):
            return people.filter(agency_id=own_agency_id(user, program))
        if has_capability(user, program, "view_self"):
            return people.filter(user=user)
        return queryset.none()

    def refusal(self, obj, action):
        return "You may only manage people of your own agency."
