"""API for people (officers, dispatchers, clinicians, advocates, peers)."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from citkit.core.api import NoUniqueValidation, PhoneField, ServiceModelViewSet
from citkit.core.policies import policy_for
from citkit.partners.models import Agency
from citkit.people import importing, services
from citkit.people.filters import PERSON_SORTS, PersonFilterSet
from citkit.people.models import Person


class ProgramAgencyField(serializers.PrimaryKeyRelatedField):
    """An agency id, looked up among the program's own agencies only."""

    def get_queryset(self):
        program = self.context.get("program")
        return Agency.objects.filter(program=program) if program else Agency.objects.none()


class PersonSerializer(NoUniqueValidation):
    agency = ProgramAgencyField(required=False, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")
    phone = PhoneField()

    class Meta:
        model = Person
        fields = [
            "id",
            "kind",
            "first_name",
            "last_name",
            "agency",
            "agency_name",
            "badge_number",
            "rank",
            "district",
            "shift",
            "hire_date",
            "status",
            "email",
            "phone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "example": {"Surname": "last_name", "Dept": "agency", "Notes": ""},
    }
)
class RosterMappingField(serializers.JSONField):
    """A JSON object sent as one multipart field."""


class RosterImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The roster: CSV (UTF-8, comma or semicolon) or Excel .xlsx (first sheet); "
        "the first row names the columns."
    )
    mapping = RosterMappingField(
        required=False,
        binary=True,
        help_text="JSON object, column header -> field ("
        + ", ".join(importing.IMPORT_FIELDS)
        + ', or "" to ignore the column). Columns not named are matched by guessing '
        'from their headers ("Surname", "Badge #", "DOH", ...).',
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Check every row but write nothing."
    )

    def validate_mapping(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in value.items()
        ):
            raise serializers.ValidationError(
                "Give a JSON object of column header to field name, as strings."
            )
        return value


class RosterImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="People created (0 for a dry run).")
    would_create = serializers.IntegerField(
        required=False, help_text="Dry run only: people the file would create."
    )


class RosterImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Row in the spreadsheet (the header is row 1), if any."
    )
    column = serializers.CharField(help_text="Column header as in the file, or empty.")
    message = serializers.CharField()


class RosterImportErrorSerializer(serializers.Serializer):
    errors = RosterImportProblemSerializer(many=True)
    more_errors = serializers.IntegerField(
        required=False, help_text="Problems found beyond those listed."
    )


class PersonViewSet(ServiceModelViewSet):
    """People of the program. Officers see only themselves; analysts see nobody."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    model = Person
    read_capability = ""
    sorts = PERSON_SORTS
    default_sort = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        return Person.objects.visible_to(self.request.user, self.program).select_related("agency")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        # The list: officers read their own record, analysts nobody (403, not an
        # empty list; a record they cannot see is a 404). An import is judged
        # before its file is read.
        needed = {"list": "view", "roster_import": "import"}.get(self.action)
        if needed:
            policy_for(Person).require(request.user, self.program, needed)

    def create_object(self, data):
        return services.person_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.person_update(actor=self.request.user, person=instance, data=data)

    def delete_object(self, instance):
        services.person_delete(actor=self.request.user, person=instance)

    @extend_schema(
        summary="Import a roster file",
        description="Creates every person in the file, or nobody: all rows are checked "
        "before anything is written. Each person gets an audit entry with action "
        '"import". Coordinators import into any agency, agency administrators into '
        "their own only.",
        request={"multipart/form-data": RosterImportSerializer},
        responses={
            201: RosterImportResultSerializer,
            200: OpenApiResponse(RosterImportResultSerializer, description="Dry run."),
            400: OpenApiResponse(
                RosterImportErrorSerializer,
                description="Nothing was written.",
                examples=[
                    OpenApiExample(
                        "A duplicate badge",
                        value={
                            "errors": [
                                {
                                    "row": 7,
                                    "column": "Badge #",
                                    "message": "badge number 1042 is already used on row 3",
                                }
                            ]
                        },
                    )
                ],
            ),
            403: OpenApiResponse(description="The role may not manage people."),
            404: OpenApiResponse(description="No such program (or not a member)."),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def roster_import(self, request, *args, **kwargs):
        form = RosterImportSerializer(data=request.data)
        if not form.is_valid():
            errors = [
                {"row": None, "column": "", "message": f"{field}: {message}"}
                for field, messages in form.errors.items()
                for message in messages
            ]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        upload = form.validated_data["file"]
        dry_run = form.validated_data["dry_run"]
        try:
            importing.check_size(upload.size)
            count = importing.import_file(
                actor=request.user,
                program=self.program,
                filename=upload.name,
                content=upload.read(),
                mapping=form.validated_data.get("mapping"),
                dry_run=dry_run,
            )
        except importing.RosterImportError as exc:
            body = {"errors": [p.as_dict() for p in exc.problems]}
            if exc.more:
                body["more_errors"] = exc.more
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        if dry_run:
            return Response({"created": 0, "would_create": count}, status=status.HTTP_200_OK)
        return Response({"created": count}, status=status.HTTP_201_CREATED)


ROUTES = [("people", PersonViewSet, "api-person")]
