"""API for people (officers, dispatchers, clinicians, advocates, peers)."""

from rest_framework import serializers

from citkit.core.api import NoUniqueValidation, ServiceModelViewSet
from citkit.partners.models import Agency
from citkit.people import services
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


class PersonViewSet(ServiceModelViewSet):
    """People of the program. Officers see only themselves; analysts see nobody."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    read_capability = ""
    sorts = PERSON_SORTS
    default_sort = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        return Person.objects.visible_to(self.request.user, self.program).select_related("agency")

    def list(self, request, *args, **kwargs):
        from citkit.core.permissions import has_capability, require

        if not any(
            has_capability(request.user, self.program, c)
            for c in ("view_people", "view_own_people", "view_self")
        ):
            require(request.user, self.program, "view_people")
        return super().list(request, *args, **kwargs)

    def create_object(self, data):
        return services.person_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.person_update(actor=self.request.user, person=instance, data=data)

    def delete_object(self, instance):
        services.person_delete(actor=self.request.user, person=instance)
