"""Pages for partner agencies and their contacts."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.views.base import FilteredListView, ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView
from citkit.partners import services
from citkit.partners.filters import AGENCY_SORTS, AgencyFilterSet
from citkit.partners.forms import AgencyContactForm, AgencyForm
from citkit.partners.models import Agency, AgencyContact


def get_agency_for_user(user, program, pk) -> Agency:
    return get_object_or_404(Agency.objects.visible_to(user, program), pk=pk)


class AgencyListView(FilteredListView):
    capability = "view_agencies"
    model = Agency
    filterset_class = AgencyFilterSet
    sorts = AGENCY_SORTS
    sort_labels = {
        "name": "Name A–Z",
        "-name": "Name Z–A",
        "type": "Type",
        "updated": "Recently changed",
    }
    template_name = "partners/agency_list.html"
    partial_template_name = "partners/_agency_rows.html"
    csv_filename = "partner-agencies.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = policy_for(Agency).may(self.request.user, self.program, "add")
        return context

    def csv_header(self):
        return [
            "name",
            "type",
            "operates 24/7",
            "main phone",
            "crisis phone",
            "email",
            "website",
            "street",
            "city",
            "state",
            "postal code",
            "active",
        ]

    def csv_row(self, a):
        return [
            a.name,
            a.get_agency_type_display(),
            "yes" if a.operates_24_7 else "no",
            a.main_phone,
            a.crisis_phone,
            a.email,
            a.website,
            a.street,
            a.city,
            a.state,
            a.postal_code,
            "yes" if a.active else "no",
        ]


class AgencyDetailView(ProgramViewMixin, View):
    capability = "view_agencies"

    def get(self, request, program, pk):
        agency = get_agency_for_user(request.user, self.program, pk)
        policy = policy_for(Agency)
        return render(
            request,
            "partners/agency_detail.html",
            self.get_context_data(
                agency=agency,
                contacts=list(agency.contacts.all()),
                can_edit=policy.may_on(request.user, agency, "change"),
                can_delete=policy.may_on(request.user, agency, "delete"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
                # A count of people is an aggregate: for those who may see aggregates
                # or the roster.
                people_count=agency.people.count()
                if has_capability(request.user, self.program, "view_aggregates")
                or policy_for(agency.people.model).may(request.user, self.program, "view_roster")
                else None,
                # The roster is the people app's: its policy says who may follow the link.
                can_see_roster=policy_for(agency.people.model).may(
                    request.user, self.program, "view_roster"
                ),
            ),
        )


class AgencyCreateView(ServiceFormView):
    model = Agency
    action = "add"
    form_class = AgencyForm
    template_name = "partners/agency_form.html"
    success_message = "{obj.name} added."

    def call_service(self, form):
        return services.agency_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class AgencyEditView(ServiceFormView):
    model = Agency
    form_class = AgencyForm
    template_name = "partners/agency_form.html"
    success_message = "{obj.name} saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.object, **kwargs)

    def call_service(self, form):
        return services.agency_update(
            actor=self.request.user, agency=self.object, data=form.cleaned_data
        )


class AgencyDeleteView(ServiceDeleteView):
    model = Agency
    question = "Delete the partner agency {obj.name}?"
    success_message = "{obj.name} deleted."

    def call_service(self, obj):
        services.agency_delete(actor=self.request.user, agency=obj)

    def get_success_url(self, obj):
        return self.program_url("agency-list")


class _ContactMixin:
    """A contact is reached through its agency: /agencies/<pk>/contacts/<contact_pk>/."""

    model = AgencyContact
    pk_url_kwarg = "contact_pk"

    def get_agency(self):
        if not hasattr(self, "agency"):
            self.agency = get_agency_for_user(self.request.user, self.program, self.kwargs["pk"])
        return self.agency

    def get_queryset(self):
        return AgencyContact.objects.filter(agency=self.get_agency())

    def check_permission(self, obj):
        # Adding a contact is changing what the agency publishes: asked of the agency.
        target = obj if obj is not None else AgencyContact(agency=self.get_agency())
        policy_for(AgencyContact).require_on(self.request.user, target, self.action)

    def get_success_url(self, obj):
        return self.get_agency().get_absolute_url()

    def get_cancel_url(self, obj):
        return self.get_agency().get_absolute_url()


class ContactFormView(_ContactMixin, ServiceFormView):
    """Add (no contact pk) or edit a contact of an agency."""

    form_class = AgencyContactForm
    template_name = "partners/contact_form.html"
    success_message = "Contact saved."

    @property
    def action(self):
        return "change" if "contact_pk" in self.kwargs else "add"

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.get_agency(), contact=self.object, **kwargs)

    def call_service(self, form):
        if self.object is None:
            return services.contact_create(
                actor=self.request.user, agency=self.get_agency(), data=form.cleaned_data
            )
        return services.contact_update(
            actor=self.request.user, contact=self.object, data=form.cleaned_data
        )


class ContactDeleteView(_ContactMixin, ServiceDeleteView):
    question = "Remove {obj.name} from the agency's contacts?"
    success_message = "Contact {obj.name} removed."
    confirm_label = "Yes, remove"

    def call_service(self, obj):
        services.contact_delete(actor=self.request.user, contact=obj)
