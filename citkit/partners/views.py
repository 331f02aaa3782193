"""Pages for partner agencies and their contacts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.core.permissions import has_capability
from citkit.core.views.base import FilteredListView, ProgramViewMixin, form_errors_from
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
        context["can_add"] = has_capability(self.request.user, self.program, "manage_agencies")
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
        return render(
            request,
            "partners/agency_detail.html",
            self.get_context_data(
                agency=agency,
                contacts=list(agency.contacts.all()),
                can_edit=services.can_manage_agency(request.user, agency),
                can_delete=has_capability(request.user, self.program, "manage_agencies"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
                people_count=agency.people.count(),
            ),
        )


class AgencyCreateView(ProgramViewMixin, View):
    capability = "manage_agencies"

    def get(self, request, program):
        return render(
            request, "partners/agency_form.html", self.get_context_data(form=AgencyForm())
        )

    def post(self, request, program):
        form = AgencyForm(request.POST)
        if form.is_valid():
            try:
                agency = services.agency_create(
                    actor=request.user, program=self.program, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{agency.name} added.")
                return redirect(agency)
        return render(
            request, "partners/agency_form.html", self.get_context_data(form=form), status=400
        )


class AgencyEditView(ProgramViewMixin, View):
    capability = "view_agencies"

    def _agency(self, request, pk):
        agency = get_agency_for_user(request.user, self.program, pk)
        if not services.can_manage_agency(request.user, agency):
            raise PermissionDenied("You may not change this agency.")
        return agency

    def get(self, request, program, pk):
        agency = self._agency(request, pk)
        return render(
            request,
            "partners/agency_form.html",
            self.get_context_data(form=AgencyForm(instance=agency), agency=agency),
        )

    def post(self, request, program, pk):
        agency = self._agency(request, pk)
        form = AgencyForm(request.POST, instance=Agency.objects.get(pk=agency.pk))
        if form.is_valid():
            try:
                services.agency_update(actor=request.user, agency=agency, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{agency.name} saved.")
                return redirect(agency)
        return render(
            request,
            "partners/agency_form.html",
            self.get_context_data(form=form, agency=agency),
            status=400,
        )


class AgencyDeleteView(ProgramViewMixin, View):
    capability = "manage_agencies"

    def get(self, request, program, pk):
        agency = get_agency_for_user(request.user, self.program, pk)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=agency,
                question=f"Delete the partner agency {agency.name}?",
                cancel_url=agency.get_absolute_url(),
            ),
        )

    def post(self, request, program, pk):
        agency = get_agency_for_user(request.user, self.program, pk)
        try:
            services.agency_delete(actor=request.user, agency=agency)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(agency)
        messages.success(request, f"{agency.name} deleted.")
        return redirect("agency-list", program=self.program.slug)


class ContactFormView(ProgramViewMixin, View):
    """Add (no contact pk) or edit a contact of an agency."""

    capability = "view_agencies"

    def _objects(self, request, pk, contact_pk):
        agency = get_agency_for_user(request.user, self.program, pk)
        contact = (
            get_object_or_404(AgencyContact, agency=agency, pk=contact_pk) if contact_pk else None
        )
        return agency, contact

    def get(self, request, program, pk, contact_pk=None):
        agency, contact = self._objects(request, pk, contact_pk)
        if not services.can_manage_agency(request.user, agency):
            raise PermissionDenied("You may not change this agency's contacts.")
        form = AgencyContactForm(instance=contact)
        return render(
            request,
            "partners/contact_form.html",
            self.get_context_data(form=form, agency=agency, contact=contact),
        )

    def post(self, request, program, pk, contact_pk=None):
        agency, contact = self._objects(request, pk, contact_pk)
        form = AgencyContactForm(request.POST)
        if form.is_valid():
            try:
                if contact is None:
                    services.contact_create(
                        actor=request.user, agency=agency, data=form.cleaned_data
                    )
                else:
                    services.contact_update(
                        actor=request.user, contact=contact, data=form.cleaned_data
                    )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Contact saved.")
                return redirect(agency)
        return render(
            request,
            "partners/contact_form.html",
            self.get_context_data(form=form, agency=agency, contact=contact),
            status=400,
        )


class ContactDeleteView(ProgramViewMixin, View):
    capability = "view_agencies"

    def post(self, request, program, pk, contact_pk):
        agency = get_agency_for_user(request.user, self.program, pk)
        contact = get_object_or_404(AgencyContact, agency=agency, pk=contact_pk)
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(request, f"Contact {contact.name} removed.")
        return redirect(agency)
