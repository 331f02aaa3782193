"""Reads every app needs: the program's members and how a person is named on screen."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from citkit.core.models import Program

User = get_user_model()


def program_members(program: Program) -> QuerySet:
    """The accounts holding any role in the program: owners, holders, attendees."""
    return User.objects.filter(memberships__program=program).order_by(
        "first_name", "last_name", "username", "id"
    )


def user_label(user) -> str:
    """A person as the pages show them: their full name, else their user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def user_choice_label(user) -> str:
    """A person in a chooser, where two people may share a name: "Dana Whitfield (dana)"."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()
