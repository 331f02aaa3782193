"""API for partner agencies and their contacts."""

from django.shortcuts import get_object_or_404

from citkit.core.api import NoUniqueValidation, PhoneField, ServiceModelViewSet
from citkit.core.policies import policy_for
from citkit.partners import services
from citkit.partners.filters import AGENCY_SORTS, AgencyFilterSet
from citkit.partners.models import Agency, AgencyContact


class AgencyContactSerializer(NoUniqueValidation):
    phone = PhoneField()

    class Meta:
        model = AgencyContact
        fields = ["id", "name", "title", "email", "phone", "is_primary"]


class AgencySerializer(NoUniqueValidation):
    contacts = AgencyContactSerializer(many=True, read_only=True)
    main_phone = PhoneField()
    crisis_phone = PhoneField(help_text="The number dispatch or officers call during a crisis.")

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "agency_type",
            "operates_24_7",
            "main_phone",
            "crisis_phone",
            "email",
            "website",
            "street",
            "city",
            "state",
            "postal_code",
            "notes",
            "active",
            "created_at",
            "updated_at",
            "contacts",
        ]
        read_only_fields = ["created_at", "updated_at"]


class AgencyViewSet(ServiceModelViewSet):
    """Partner agencies of the program. Coordinators write; agency administrators edit their own."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    model = Agency
    read_capability = "view_agencies"
    sorts = AGENCY_SORTS
    default_sort = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Agency.objects.none()
        return Agency.objects.visible_to(self.request.user, self.program).prefetch_related(
            "contacts"
        )

    def create_object(self, data):
        return services.agency_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.agency_update(actor=self.request.user, agency=instance, data=data)

    def delete_object(self, instance):
        services.agency_delete(actor=self.request.user, agency=instance)


class AgencyContactViewSet(ServiceModelViewSet):
    serializer_class = AgencyContactSerializer
    model = AgencyContact
    read_capability = "view_agencies"
    sorts = {"name": ["-is_primary", "name", "id"]}
    default_sort = "name"

    def get_agency(self) -> Agency:
        return get_object_or_404(
            Agency.objects.visible_to(self.request.user, self.program), pk=self.kwargs["agency"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyContact.objects.none()
        return AgencyContact.objects.filter(agency=self.get_agency())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "create":
            # Who may add a contact depends on the agency (an administrator's own).
            contact = AgencyContact(agency=self.get_agency())
            policy_for(AgencyContact).require_on(request.user, contact, "add")

    def create_object(self, data):
        return services.contact_create(actor=self.request.user, agency=self.get_agency(), data=data)

    def update_object(self, instance, data):
        return services.contact_update(actor=self.request.user, contact=instance, data=data)

    def delete_object(self, instance):
        services.contact_delete(actor=self.request.user, contact=instance)


ROUTES = [
    ("agencies", AgencyViewSet, "api-agency"),
    (r"agencies/(?P<agency>\d+)/contacts", AgencyContactViewSet, "api-agency-contact"),
]
