"""API building blocks: program-scoped view sets, keyset paging, JSON errors, and the
fields that name a program's records and members.

People are named by **user name** everywhere in the API (owners, seat holders,
members): `"owner": "dwhitfield"`. Other records are named by id.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from citkit.core.pagination import COUNT_LIMIT, InvalidCursor, paginate_keyset
from citkit.core.permissions import get_program_for_user, membership_for, require
from citkit.core.policies import policy_for
from citkit.core.selectors import program_members
from citkit.core.writes import clean_text


def exception_handler(exc, context):
    """Service ValidationErrors become 400s naming each field; everything else as DRF does."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if k == "__all__" else k): v
                for k, v in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, InvalidCursor):
        # A cursor names a page; one this list never gave out names no page (as DRF's
        # own cursor paging answers).
        exc = exceptions.NotFound({"cursor": [str(exc)]})
    return drf_exception_handler(exc, context)


class KeysetPagination(BasePagination):
    """The same keyset paging as the list pages; `sort` picks one of the view's sorts."""

    def paginate_queryset(self, queryset, request, view=None):
        sort = request.query_params.get("sort", view.default_sort)
        if sort not in view.sorts:
            raise exceptions.ValidationError(
                {"sort": [f"Unknown sort “{sort}”; use one of: {', '.join(view.sorts)}."]}
            )
        self.request = request
        self.page = paginate_keyset(
            queryset,
            ordering=view.sorts[sort],
            cursor=request.query_params.get("cursor"),
            per_page=settings.CITKIT_PAGE_SIZE,
            with_count=getattr(view, "with_count", True),
        )
        return self.page.items

    def _link(self, cursor):
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, "cursor"), "cursor", cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "count_is_lower_bound": self.page.count_is_lower_bound,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "How many rows match, counted up to "
                    f"{COUNT_LIMIT:,}; null where the list is not counted.",
                },
                "count_is_lower_bound": {
                    "type": "boolean",
                    "description": f"True when more than {COUNT_LIMIT:,} rows match: "
                    "`count` is then a lower bound.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Page cursor from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": "sort",
                "in": "query",
                "required": False,
                "description": "One of: " + ", ".join(getattr(view, "sorts", {})),
                "schema": {"type": "string", "enum": list(getattr(view, "sorts", {}))},
            },
        ]


PROGRAM_PARAMETER = OpenApiParameter(
    "program", OpenApiTypes.STR, OpenApiParameter.PATH, description="The program's slug."
)


@extend_schema(parameters=[PROGRAM_PARAMETER])
class ProgramScopedViewSet(viewsets.GenericViewSet):
    """Resolve the program from the URL (404 for outsiders) before anything else."""

    pagination_class = KeysetPagination
    read_capability = "view_program"
    sorts: dict[str, list[str]] = {"id": ["id"]}
    default_sort = "id"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        self.program = get_program_for_user(request.user, kwargs["program"])
        self.membership = membership_for(request.user, self.program)
        request.program = self.program
        timezone.activate(self.program.time_zone)
        if self.read_capability:
            require(request.user, self.program, self.read_capability)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["program"] = getattr(self, "program", None)
        return context


class ServiceWriteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ProgramScopedViewSet,
):
    """Reads and writes (no DELETE) whose writes go through services:
    `create_object(data)`, `update_object(instance, data)`.

    The model's permission policy is asked before the body is read: a role that
    may not write gets 403 whatever it sends, as on the pages; an object it may
    not see is a 404.
    """

    # The model whose policy decides; defaults to the serializer's model.
    model = None
    write_actions = {
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "destroy": "delete",
    }

    def policy(self):
        return policy_for(self.model or self.get_serializer_class().Meta.model)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        # A new record is judged at the program's level; a change to an existing
        # one in get_object(), after the record is found (404 if it is hidden).
        if self.action == "create":
            self.policy().require(request.user, self.program, "add")

    def get_object(self):
        obj = super().get_object()
        needed = self.write_actions.get(self.action)
        if needed and needed != "add":
            self.policy().require_on(self.request.user, obj, needed)
        return obj

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer.instance, serializer.validated_data)

    def create_object(self, data):
        raise PermissionDenied

    def update_object(self, instance, data):
        raise PermissionDenied

    def delete_object(self, instance):
        raise PermissionDenied


class ServiceModelViewSet(mixins.DestroyModelMixin, ServiceWriteViewSet):
    """The same, with DELETE (through `delete_object`)."""

    # Stated here: DRF's DestroyModelMixin comes first and would delete directly.
    def perform_destroy(self, instance):
        self.delete_object(instance)


@extend_schema_field(
    {
        "type": "string",
        "format": "phone",
        # With an empty string as the other choice (no number), which the
        # schema adds for a field that may be blank.
        "minLength": 1,
        "maxLength": 40,
        "description": "A phone number of the program's country, e.g. (573) 555-0110; "
        "short numbers such as 988 too. Saved written the country's way.",
    }
)
class PhoneField(serializers.CharField):
    """A phone number: checked and rewritten by the service (core.phones)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ProgramScopedField(serializers.PrimaryKeyRelatedField):
    """An id looked up among the program's own records only (404-free: an id of
    another program reads as "does not exist").

    `scope` is the lookup from the model to its program, e.g. "meeting__program".
    """

    def __init__(self, model, *, scope: str = "program", **kwargs):
        self.model = model
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        program = self.context.get("program")
        if program is None:
            return self.model.objects.none()
        return self.model.objects.filter(**{self.scope: program})


class AccountField(serializers.SlugRelatedField):
    """An account, by user name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "User name of an account.")
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.all()

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for relations; the schema says a user name is not
        # empty, so "" is refused and null is the way to say "nobody".
        if data == "":
            raise exceptions.ValidationError(["Give a user name, or null for nobody."])
        return super().run_validation(data)

    def to_internal_value(self, data):
        # A user name is printable text; anything else (a NUL byte, a number) is
        # simply not an account, never a database error.
        if not isinstance(data, str) or not data.isprintable():
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:50])
        return super().to_internal_value(data)


class ProgramMemberField(AccountField):
    """A user name, looked up among the program's members only."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "User name of a member of the program.")
        super().__init__(**kwargs)

    def get_queryset(self):
        program = self.context.get("program")
        if program is None:
            return super().get_queryset().none()
        return program_members(program)


def _json_types(field) -> tuple[type, ...] | None:
    """The JSON types a writable field accepts; None for anything goes (JSON fields)."""
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return (int,)
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (int, float)
    if isinstance(
        field,
        serializers.ManyRelatedField
        | serializers.ListField
        | serializers.ListSerializer
        | serializers.MultipleChoiceField,
    ):
        return (list,)
    if isinstance(field, serializers.Serializer):
        return (dict,)
    if isinstance(field, serializers.JSONField | serializers.DictField | serializers.FileField):
        return None
    # Text, dates, times, choices, e-mail and web addresses, user names.
    return (str,)


_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", list: "a list",
               dict: "an object", str: "text"}  # fmt: skip


# (Comments, not docstrings, on these bases: the schema would show a base's
# docstring as the description of every record.)


class StrictInput:
    # JSON input must have the types the schema documents. DRF quietly turns 5
    # into "5", "1" into True and 0 into False; a client that sends the wrong type
    # has a bug it should hear about, and the schema promises those types, so a
    # value of the wrong type is refused by name (400) before any other check.
    # Form and multipart bodies (the roster upload) are strings by nature and are
    # left to the fields.

    def to_internal_value(self, data):
        if isinstance(data, dict) and not isinstance(data, QueryDict):
            # Text loses its control characters here, as it does in every service,
            # before DRF refuses a NUL byte a person never meant to type.
            data = {
                name: clean_text(value)
                if isinstance(value, str)
                and isinstance(self.fields.get(name), serializers.CharField)
                else value
                for name, value in data.items()
            }
            errors = {}
            for name, field in self.fields.items():
                if field.read_only or field.source_attrs == [] or name not in data:
                    continue
                value = data[name]
                if value is None:
                    continue  # the field's own allow_null decides
                expected = _json_types(field)
                if expected is None:
                    continue
                # bool is an int in Python; in JSON it is not a number.
                wrong = not isinstance(value, expected) or (
                    isinstance(value, bool) and bool not in expected
                )
                if wrong:
                    words = " or ".join(_TYPE_WORDS[t] for t in expected)
                    errors[name] = [f"Must be {words}."]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictInput, serializers.Serializer):
    # Input that is not a model record (a move, a list of marks).
    pass


class NoUniqueValidation(StrictInput, serializers.ModelSerializer):
    # Type checks only; services own the rules (and phrase the messages).

    def get_validators(self):
        return []

    def get_unique_together_validators(self):
        return []
