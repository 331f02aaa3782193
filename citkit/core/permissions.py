"""Who may do what in a program: one table of capabilities per role.

Reads go through each model's `visible_to()` gatekeeper, which consults this
table; writes go through services, which call `require()`. Pages, API and
commands therefore answer the same way. A user outside the program never gets
this far: `get_program_for_user` answers 404 first.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from citkit.core.models import Membership, Program, Role

# Capabilities, by role. "own" capabilities apply to the member's own agency only.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {
            "view_program",
            "change_program",
            "view_agencies",
            "manage_agencies",
            "view_people",
            "manage_people",
            "view_audit",
            "manage_members",
            "view_aggregates",
            "view_committee",
            "manage_committee",
        }
    ),
    # Committee members run the committee with the coordinators: they edit seats,
    # meetings, action items, the plan and the gap register.
    Role.COMMITTEE_MEMBER: frozenset(
        {
            "view_program",
            "view_agencies",
            "view_people",
            "view_aggregates",
            "view_committee",
            "manage_committee",
        }
    ),
    Role.AGENCY_ADMIN: frozenset(
        {
            "view_program",
            "view_agencies",
            "manage_own_agency",
            "view_own_people",
            "manage_own_people",
            "view_aggregates",
            # Agency administrators see the plan and the committee's work; they edit
            # only their own action items (see committee.services).
            "view_committee",
        }
    ),
    # Trainers sit on the Training subcommittee: they follow the plan, read-only.
    Role.TRAINER: frozenset({"view_program", "view_agencies", "view_people", "view_committee"}),
    # Officers see the partner directory and their own record.
    Role.OFFICER: frozenset({"view_program", "view_agencies", "view_self"}),
    # Dispatchers look officers up: they need the roster, read-only.
    Role.DISPATCHER: frozenset({"view_program", "view_agencies", "view_people"}),
    # Analysts and state coordinators see aggregates, never individual people.
    Role.ANALYST: frozenset({"view_program", "view_agencies", "view_aggregates"}),
    Role.STATE_COORDINATOR: frozenset({"view_program", "view_agencies", "view_aggregates"}),
}


def membership_for(user, program: Program) -> Membership | None:
    """The user's membership in the program, cached on the user object per request."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_citkit_memberships", {})
    if program.pk not in cache:
        cache[program.pk] = (
            Membership.objects.filter(user=user, program=program).select_related("agency").first()
        )
    return cache[program.pk]


def has_capability(user, program: Program, capability: str) -> bool:
    membership = membership_for(user, program)
    if membership is None:
        return False
    return capability in CAPABILITIES.get(membership.role, frozenset())


def own_agency_id(user, program: Program) -> int | None:
    """The agency an agency administrator acts for (None for other roles)."""
    membership = membership_for(user, program)
    return membership.agency_id if membership is not None else None


def require(user, program: Program, capability: str) -> Membership:
    """Raise 404 for outsiders and 403 for members whose role lacks the capability."""
    membership = membership_for(user, program)
    if membership is None:
        raise Http404("No such program.")
    if capability not in CAPABILITIES.get(membership.role, frozenset()):
        raise PermissionDenied(
            f"Your role ({membership.get_role_display()}) may not do this in {program.name}."
        )
    return membership


def get_program_for_user(user, slug: str) -> Program:
    """The program named by slug, if the user belongs to it; 404 otherwise."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or membership_for(user, program) is None:
        raise Http404("No such program.")
    return program
