"""API for people (officers, dispatchers, clinicians, advocates, peers)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from citkit.core.access import query_of, record_access
from citkit.core.api import NoUniqueValidation, PhoneField, ServiceModelViewSet
from citkit.core.api_jobs import JobSerializer
from citkit.core.models import AccessEntry
from citkit.core.policies import policy_for
from citkit.partners.models import Agency
from citkit.people import importing, services
from citkit.people.filters import PERSON_SORTS, PersonFilterSet
from citkit.people.importing.job import enqueue_import, problem_details
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
        required=False,
        default=False,
        help_text="Check every row but write nothing (the job's result says how many rows "
        "would be created, or lists the problems).",
    )

    def validate_mapping(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in value.items()
        ):
            raise serializers.ValidationError(
                "Give a JSON object of column header to field name, as strings."
            )
        return value


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

    # Reads of names are logged (core.access): a record read whole, and every page of
    # the list, which is how an integration takes the roster away.
    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        record_access(
            user=request.user,
            program=self.program,
            action=AccessEntry.Action.VIEW,
            what=f"{person.get_kind_display()} {person.full_name}",
            obj=person,
        )
        return Response(self.get_serializer(person).data)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record_access(
            user=request.user,
            program=self.program,
            action=AccessEntry.Action.EXPORT,
            what="People list (API)",
            rows=len(response.data["results"]),
            query=query_of(request.query_params),
        )
        return response

    def create_object(self, data):
        return services.person_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.person_update(actor=self.request.user, person=instance, data=data)

    def delete_object(self, instance):
        services.person_delete(actor=self.request.user, person=instance)

    @extend_schema(
        summary="Import a roster file (as a job)",
        description="Queues the import of every person in the file, or of nobody: all rows "
        "are checked before anything is kept. Answers 202 with the job; poll it at "
        "`Location` (`/api/programs/<program>/jobs/<id>/`) until `status` is `succeeded` "
        '(`result`: `{"created": n}`, or `{"created": 0, "would_create": n}` for a dry run) '
        'or `failed` (`error`, and `result`: `{"errors": [{"row", "column", "message"}], '
        '"more_errors": n}`; nothing was written). Each person gets an audit entry with '
        'action "import". A file that is not a roster at all, or a mapping that does not '
        "fit its columns, is answered at once with 400. Coordinators import into any "
        "agency, agency administrators into their own only.",
        request={"multipart/form-data": RosterImportSerializer},
        parameters=[
            OpenApiParameter(
                "Location",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[202],
                description="The job to poll, as a path: /api/programs/<program>/jobs/<id>/.",
            )
        ],
        responses={
            202: OpenApiResponse(
                JobSerializer,
                description="Queued (or already done): the import job.",
                examples=[
                    OpenApiExample(
                        "Queued",
                        value={
                            "id": "3f0c6a4e-1b7d-4b59-9a77-0d2f4c1e8b11",
                            "kind": "people.roster_import",
                            "label": "Import of the roster roster.csv",
                            "status": "queued",
                            "progress": {"phase": "Waiting for a worker"},
                            "percent": None,
                            "result": None,
                            "error": "",
                            "filename": "roster.csv",
                            "download_url": None,
                            "page_url": "/p/riverbend/jobs/3f0c6a4e-1b7d-4b59-9a77-0d2f4c1e8b11/",
                            "created_at": "2025-05-01T14:03:00Z",
                            "started_at": None,
                            "finished_at": None,
                        },
                    )
                ],
            ),
            400: OpenApiResponse(
                RosterImportErrorSerializer,
                description="Not queued: the file or the mapping cannot be used.",
                examples=[
                    OpenApiExample(
                        "A mapping to an unknown field",
                        value={
                            "errors": [
                                {
                                    "row": None,
                                    "column": "Shift",
                                    "message": '"watch" is not a field that can be imported; '
                                    "use one of: kind, first_name, …",
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
        try:
            importing.check_size(upload.size)
            job = enqueue_import(
                actor=request.user,
                program=self.program,
                filename=upload.name,
                content=upload.read(),
                mapping=form.validated_data.get("mapping"),
                dry_run=form.validated_data["dry_run"],
            )
        except importing.RosterImportError as exc:
            return Response(problem_details(exc), status=status.HTTP_400_BAD_REQUEST)
        job.refresh_from_db()  # finished already when jobs run at once
        location = reverse("api-job-detail", kwargs={"program": self.program.slug, "pk": job.pk})
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


ROUTES = [("people", PersonViewSet, "api-person")]
