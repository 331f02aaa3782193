"""API of the access log: /api/programs/<program>/access/ (read-only, coordinators)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from citkit.core.access import AccessFilterSet, record_type_choices
from citkit.core.api import ProgramScopedViewSet
from citkit.core.models import AccessEntry


class AccessEntrySerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField(
        help_text="`app_label.model` of the one record read, or null for a list or report."
    )

    class Meta:
        model = AccessEntry
        fields = [
            "id",
            "created_at",
            "user_label",
            "source",
            "action",
            "what",
            "record_type",
            "object_id",
            "rows",
            "query",
            "request_id",
        ]

    def get_record_type(self, entry) -> str | None:
        ct = entry.content_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else None


@extend_schema(
    description="Who read people's names in the program (a record viewed, a roster or list "
    "exported, a report downloaded), newest first. Coordinators only; `count` is always null."
)
@extend_schema_view(
    # The record kinds are known once every app is loaded (this module is read with the
    # URLs, after that); the filter's own choices are read late for the same reason.
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words of what was read: a name, a list."
            ),
            OpenApiParameter(
                "user", OpenApiTypes.STR, description="Part of the reader's user name."
            ),
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description="From this day, in the program's zone."
            ),
            OpenApiParameter(
                "until", OpenApiTypes.DATE, description="To this day, in the program's zone."
            ),
            OpenApiParameter(
                "record_type",
                OpenApiTypes.STR,
                enum=[key for key, _ in record_type_choices()],
                description="The kind of the one record read, as app_label.model.",
            ),
            OpenApiParameter(
                "object_id",
                OpenApiTypes.STR,
                description="With record_type: the id of the one record whose reads to list.",
            ),
        ]
    )
)
class AccessEntryViewSet(mixins.ListModelMixin, ProgramScopedViewSet):
    serializer_class = AccessEntrySerializer
    filterset_class = AccessFilterSet
    read_capability = "view_audit"
    sorts = {"newest": ["-created_at", "-id"], "oldest": ["created_at", "id"]}
    default_sort = "newest"
    with_count = False

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AccessEntry.objects.none()
        return AccessEntry.objects.visible_to(self.request.user, self.program).select_related(
            "content_type"
        )


ROUTES = [("access", AccessEntryViewSet, "api-access")]
