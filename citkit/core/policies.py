"""One permission policy per model: who may see and change its records.

The shape is Wagtail's permission policies, in citkit's words. A policy answers
three questions, and nothing else in citkit decides them:

- `may(user, program, action)`: may this member do `action` ("view", "add",
  "change", "delete", or a model's own verb) to *some* record of the model in
  the program? Pages and API ask it before they read a payload, so a read-only
  role gets 403 whatever it posts.
- `may_on(user, obj, action)`: ... to *this* record (own agency, owner of an item,
  the officer's own record)?
- `visible(user, program, queryset)`: which records may they see? Every
  `Model.objects.visible_to(user, program)` is this.

The role table (`core.permissions`) says which capabilities a role has; a
policy says which capabilities an action needs. `actor is None` is the system
(a command, a scheduled job, the demo) and may do anything: see `core.audit.Actor`.
Outsiders never reach a policy: `get_program_for_user` answers 404 first, and
`require` answers 404 to a user with no membership.
"""

from collections.abc import Collection, Mapping

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

ACTIONS = ("view", "add", "change", "delete")


class Policy:
    """The default policy: an action needs any one of its capabilities.

    Subclasses set `model` and `capabilities`, and override `may_on` and
    `visible` where a rule looks at the record itself.
    """

    model: type[models.Model]
    capabilities: Mapping[str, Collection[str]] = {"view": {"view_program"}}
    # Where a record's program is, for `may_on` (e.g. "agency__program" for a contact).
    program_path = "program"

    # Program-level ------------------------------------------------------------

    def needed(self, action: str) -> frozenset[str]:
        try:
            return frozenset(self.capabilities[action])
        except KeyError:
            raise LookupError(f"{type(self).__name__} knows no action {action!r}.") from None

    def may(self, user, program, action: str) -> bool:
        from citkit.core.permissions import has_capability

        if user is None:
            return True
        return any(has_capability(user, program, c) for c in self.needed(action))

    # Record-level -------------------------------------------------------------

    def program_of(self, obj):
        target = obj
        for part in self.program_path.split("__"):
            target = getattr(target, part)
        return target

    def may_on(self, user, obj, action: str) -> bool:
        return self.may(user, self.program_of(obj), action)

    def visible(self, user, program, queryset: models.QuerySet) -> models.QuerySet:
        if not self.may(user, program, "view"):
            return queryset.none()
        return queryset.filter(**{self.program_path: program})

    # Refusals -----------------------------------------------------------------

    def require(self, user, program, action: str) -> None:
        """404 for a non-member, 403 for a member whose role may not."""
        from citkit.core.permissions import membership_for

        if user is None:
            return
        membership = membership_for(user, program)
        if membership is None:
            raise Http404("No such program.")
        if not self.may(user, program, action):
            raise PermissionDenied(
                f"Your role ({membership.get_role_display()}) may not do this in {program.name}."
            )

    def require_on(self, user, obj, action: str) -> None:
        if user is None:
            return
        program = self.program_of(obj)
        self.require(user, program, "view")
        if not self.may_on(user, obj, action):
            raise PermissionDenied(self.refusal(obj, action))

    def refusal(self, obj, action: str) -> str:
        return f"You may not {action} this {self.model._meta.verbose_name}."


_POLICIES: dict[type[models.Model], Policy] = {}


def register(policy_class: type[Policy]) -> type[Policy]:
    """Class decorator: the one policy of `policy_class.model`."""
    model = policy_class.model
    if model in _POLICIES and type(_POLICIES[model]) is not policy_class:
        raise ValueError(f"{model.__name__} already has a policy.")
    _POLICIES[model] = policy_class()
    return policy_class


def policy_for(model_or_obj) -> Policy:
    model: type[models.Model] = (
        model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    )
    model = model._meta.concrete_model or model
    try:
        return _POLICIES[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} has no permission policy; register one in its app's permissions.py."
        ) from None


class ProgramScopedQuerySet(models.QuerySet):
    """`visible_to(user, program)`: the records the model's policy lets the user see."""

    def visible_to(self, user, program):
        return policy_for(self.model).visible(user, program, self)
