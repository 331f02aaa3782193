"""API for the register of missing crisis services (service gaps)."""

from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from citkit.committee import services
from citkit.committee.api.committee import CommitteeViewSet
from citkit.committee.api.responses import crud
from citkit.committee.filters import GAP_SORTS, GapFilterSet
from citkit.committee.models import ServiceGap
from citkit.committee.selectors import gaps_for_list
from citkit.core.api import NoUniqueValidation, ProgramMemberField, ProgramScopedField
from citkit.partners.models import Agency


class ServiceGapSerializer(NoUniqueValidation):
    affected_agencies = ProgramScopedField(
        Agency, many=True, required=False, help_text="Ids of the program's partner agencies."
    )
    owner = ProgramMemberField(required=False, allow_null=True)
    owner_username = serializers.SerializerMethodField(
        help_text="The owner's user name (as `owner`); empty when the gap has no owner."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Still open and the target date has passed."
    )

    class Meta:
        model = ServiceGap
        fields = [
            "id",
            "title",
            "description",
            "affected_agencies",
            "workaround",
            "owner",
            "owner_username",
            "target_date",
            "status",
            "is_open",
            "overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_open", "created_at", "updated_at"]

    def get_owner_username(self, gap) -> str:
        return gap.owner.username if gap.owner_id else ""

    def get_overdue(self, gap) -> bool:
        today = self.context.get("today")
        return bool(today and gap.is_overdue(today))


@extend_schema_view(**crud(ServiceGapSerializer))
class ServiceGapViewSet(CommitteeViewSet):
    """The register of services the crisis system lacks, with workaround, owner and target."""

    serializer_class = ServiceGapSerializer
    filterset_class = GapFilterSet
    model = ServiceGap
    sorts = GAP_SORTS
    default_sort = "status"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceGap.objects.none()
        gaps = ServiceGap.objects.visible_to(self.request.user, self.program)
        return gaps_for_list(gaps, self.program.today())

    def create_object(self, data):
        data = dict(data)
        affected = list(data.pop("affected_agencies", []))
        return services.gap_create(
            actor=self.request.user, program=self.program, data=data, affected=affected
        )

    def update_object(self, instance, data):
        data = dict(data)
        affected = data.pop("affected_agencies", None)
        gap = services.gap_update(
            actor=self.request.user,
            gap=instance,
            data=data,
            affected=list(affected) if affected is not None else None,
        )
        # The affected agencies were prefetched before the change.
        return self.get_queryset().get(pk=gap.pk)

    def delete_object(self, instance):
        services.gap_delete(actor=self.request.user, gap=instance)
