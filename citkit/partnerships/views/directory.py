"""Pages of the crisis-services directory and the partners' crisis responsibilities."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.views.base import FilteredListView, ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView
from citkit.partnerships import forms, hours, selectors, services
from citkit.partnerships.filters import (
    LOCATION_SORTS,
    RESPONSIBILITY_SORTS,
    SERVICE_SORTS,
    LocationFilterSet,
    ResponsibilityFilterSet,
    ServiceFilterSet,
)
from citkit.partnerships.models import (
    Capacity,
    Contact,
    Language,
    Location,
    Phone,
    Responsibility,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)


class _ProgramFormMixin:
    """Forms whose choices are the program's records, for this member."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(program=self.program, user=self.request.user)
        return kwargs


# --- Who takes a person in crisis now ----------------------------------------------


class CrisisNowView(ProgramViewMixin, View):
    """The page a dispatcher or officer opens at 2 a.m.: who takes a person in crisis
    at this hour, how to reach them and how to hand off, and what is open now."""

    capability = "view_directory"

    def get(self, request, program):
        zone = self.program.zone
        at, error = _moment(request.GET.get("at", ""), zone)
        board = selectors.crisis_board(self.program, at=at)
        return render(
            request,
            "partnerships/crisis_now.html",
            self.get_context_data(
                board=board,
                at=at,
                at_value=at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
                is_now=not request.GET.get("at") or bool(error),
                at_error=error,
            ),
        )


def _moment(value: str, zone) -> tuple[datetime.datetime, str]:
    """The moment asked about (a local date and time), or now."""
    now = timezone.now()
    if not value:
        return now, ""
    refusal = f"“{value[:40]}” is not a date and time; showing now."
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return now, refusal
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if not hours.within_reach(moment):
        return now, refusal
    return moment, ""


# --- Services -------------------------------------------------------------------------


class ServiceListView(FilteredListView):
    capability = "view_directory"
    model = Service
    filterset_class = ServiceFilterSet
    sorts = SERVICE_SORTS
    sort_labels = {
        "name": "Name A–Z",
        "-name": "Name Z–A",
        "type": "Type",
        "updated": "Recently changed",
    }
    template_name = "partnerships/service_list.html"
    partial_template_name = "partnerships/_service_rows.html"
    csv_filename = "crisis-services.csv"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("agency")
            .prefetch_related("schedules", "capacities", "languages")
        )

    def get_filterset(self, queryset):
        return self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page")
        if page is not None:
            now = timezone.now()
            zone = self.program.zone
            for service in page.items:
                service.now = hours.service_status(service, zone, now)
        context["can_add"] = policy_for(Service).may(self.request.user, self.program, "add")
        context["can_import"] = has_capability(self.request.user, self.program, "manage_directory")
        return context

    def csv_header(self):
        return [
            "name",
            "agency",
            "type",
            "status",
            "hours",
            "ages",
            "languages",
            "phones",
            "capacity",
            "how to get the service",
            "eligibility",
            "fees",
            "web page",
        ]

    def csv_row(self, s):
        return [
            s.name,
            s.agency.name,
            s.get_service_type_display(),
            s.get_status_display(),
            hours.hours_text(list(s.schedules.all())),
            s.age_range,
            ", ".join(lang.name for lang in s.languages.all()),
            "; ".join(str(p) for p in s.phones.all()),
            "; ".join(str(c) for c in s.capacities.all()),
            s.application_process,
            s.eligibility_description,
            s.fees_description,
            s.url,
        ]

    def export(self, queryset, ordering):
        return super().export(queryset.prefetch_related("phones"), ordering)


def get_service(user, program, pk) -> Service:
    return get_object_or_404(
        Service.objects.visible_to(user, program).select_related("agency"), pk=pk
    )


class ServiceDetailView(ProgramViewMixin, View):
    capability = "view_directory"

    def get(self, request, program, pk):
        service = get_service(request.user, self.program, pk)
        schedules = list(service.schedules.all())
        phones = list(service.phones.all())
        policy = policy_for(Service)
        can_edit = policy.may_on(request.user, service, "change")
        return render(
            request,
            "partnerships/service_detail.html",
            self.get_context_data(
                service=service,
                status=hours.service_status(service, self.program.zone, timezone.now()),
                hours_text=hours.hours_text(schedules),
                phones=phones,
                capacities=list(service.capacities.all()),
                part_rows={
                    "schedules": [(_schedule_label(x), x) for x in schedules],
                    "phones": [(_phone_label(x), x) for x in phones],
                    "languages": [
                        (x.name + (f" ({x.code})" if x.code else ""), x)
                        for x in service.languages.all()
                    ],
                    "areas": [(x.name, x) for x in service.areas.all()],
                    "contacts": [(_contact_label(x), x) for x in service.contacts.all()],
                    "locations": [
                        (
                            f"{x.location.name}"
                            + (f", {x.location.address}" if x.location.address else ""),
                            x,
                        )
                        for x in service.at_locations.select_related("location")
                    ],
                },
                responsibilities=list(service.responsibilities.select_related("program")),
                can_edit=can_edit,
                can_delete=policy.may_on(request.user, service, "delete"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
                report_form=forms.CapacityReportForm(),
            ),
        )


def _schedule_label(schedule: Schedule) -> str:
    text = hours.hours_text([schedule]) or "Hours not given"
    return f"{schedule.description}: {text}" if schedule.description else text


def _phone_label(phone: Phone) -> str:
    label = f"{phone.get_phone_type_display()}: {phone}"
    return f"{label} — {phone.description}" if phone.description else label


def _contact_label(contact: Contact) -> str:
    parts = [contact.name, contact.title, contact.department, contact.email]
    return ", ".join(p for p in parts if p) or "Contact"


class ServiceCreateView(_ProgramFormMixin, ServiceFormView):
    model = Service
    action = "add"
    form_class = forms.ServiceForm
    template_name = "partnerships/record_form.html"
    success_message = "{obj.name} added to the directory."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Add a service", cancel_url=self.program_url("service-list"), **kwargs
        )

    def call_service(self, form):
        return services.service_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class ServiceEditView(_ProgramFormMixin, ServiceFormView):
    model = Service
    form_class = forms.ServiceForm
    template_name = "partnerships/record_form.html"
    success_message = "{obj.name} saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Edit {self.object.name}",
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def call_service(self, form):
        return services.service_update(
            actor=self.request.user, service=self.object, data=form.cleaned_data
        )


class ServiceRemoveView(ServiceDeleteView):
    model = Service
    question = "Delete the service {obj.name} from the directory?"
    consequence = (
        "Its phones, hours, languages, areas and capacity go with it. "
        "The change is recorded in the audit trail."
    )
    success_message = "{obj.name} deleted."

    def call_service(self, obj):
        services.service_delete(actor=self.request.user, service=obj)

    def get_success_url(self, obj):
        return self.program_url("service-list")


class CapacityReportView(ProgramViewMixin, View):
    """Staff say how many beds are free now, in one field."""

    capability = "view_directory"

    def post(self, request, program, pk, part_pk):
        service = get_service(request.user, self.program, pk)
        capacity = get_object_or_404(Capacity.objects.filter(service=service), pk=part_pk)
        policy_for(Capacity).require_on(request.user, capacity, "change")
        form = forms.CapacityReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the number available now: a whole number, 0 or more.")
            return redirect(service.get_absolute_url())
        try:
            services.capacity_report(
                actor=request.user, capacity=capacity, available=form.cleaned_data["available"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{capacity.unit.capitalize()} available updated.")
        return redirect(service.get_absolute_url())


# --- Parts of services and locations: phones, hours, languages, areas, ... ---------


PARTS = {
    "phones": (Phone, forms.PhoneForm, "phone"),
    "schedules": (Schedule, forms.ScheduleForm, "opening hours"),
    "languages": (Language, forms.LanguageForm, "language"),
    "areas": (ServiceArea, forms.ServiceAreaForm, "service area"),
    "capacity": (Capacity, forms.CapacityForm, "capacity"),
    "contacts": (Contact, forms.ContactForm, "contact"),
    "locations": (ServiceAtLocation, forms.ServiceAtLocationForm, "location"),
}
LOCATION_PART_KEYS = {"phones", "schedules", "contacts"}


class _PartMixin:
    """A part of a service or location, reached through it:
    /directory/services/<pk>/<part>/<part_pk>/…"""

    parent_model = Service
    pk_url_kwarg = "part_pk"

    def dispatch(self, request, *args, **kwargs):
        part = kwargs.get("part")
        allowed = PARTS if self.parent_model is Service else LOCATION_PART_KEYS
        if part not in allowed:
            raise Http404("No such part.")
        self.model, self.form_class, self.part_label = PARTS[part]
        return super().dispatch(request, *args, **kwargs)

    def get_parent(self):
        if not hasattr(self, "parent"):
            queryset = self.parent_model.objects.visible_to(self.request.user, self.program)
            self.parent = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self.parent

    def get_queryset(self):
        key = "service" if self.parent_model is Service else "location"
        return self.model.objects.filter(**{key: self.get_parent()})

    def check_permission(self, obj):
        target = obj if obj is not None else services.new_part(self.model, self.get_parent())
        policy_for(self.model).require_on(self.request.user, target, self.action)

    def get_success_url(self, obj):
        return self.get_parent().get_absolute_url()

    def get_cancel_url(self, obj):
        return self.get_parent().get_absolute_url()


class PartFormView(_PartMixin, ServiceFormView):
    template_name = "partnerships/record_form.html"

    @property
    def action(self):
        return "change" if "part_pk" in self.kwargs else "add"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class is forms.ServiceAtLocationForm:
            kwargs["program"] = self.program
        return kwargs

    def get_success_message(self, obj):
        return f"{self.part_label.capitalize()} saved."

    def get_context_data(self, **kwargs):
        verb = "Edit" if self.object is not None else "Add"
        article = "" if self.part_label.endswith("hours") else "a "
        return super().get_context_data(
            heading=f"{verb} {article if verb == 'Add' else 'the '}{self.part_label}"
            f" — {self.get_parent()}",
            cancel_url=self.get_parent().get_absolute_url(),
            **kwargs,
        )

    def call_service(self, form):
        if self.object is None:
            return services.part_create(
                actor=self.request.user,
                parent=self.get_parent(),
                model=self.model,
                data=form.cleaned_data,
            )
        return services.part_update(
            actor=self.request.user, part=self.object, data=form.cleaned_data
        )


class PartDeleteView(_PartMixin, ServiceDeleteView):
    confirm_label = "Yes, remove"

    def get_question(self, obj):
        return f"Remove the {self.part_label} “{obj}” from {self.get_parent()}?"

    @property
    def success_message(self):
        return f"{self.part_label.capitalize()} removed."

    def call_service(self, obj):
        services.part_delete(actor=self.request.user, part=obj)


class LocationPartFormView(PartFormView):
    parent_model = Location


class LocationPartDeleteView(PartDeleteView):
    parent_model = Location


# --- Locations ----------------------------------------------------------------------


class LocationListView(FilteredListView):
    capability = "view_directory"
    model = Location
    filterset_class = LocationFilterSet
    sorts = LOCATION_SORTS
    sort_labels = {"name": "Name A–Z", "-name": "Name Z–A"}
    template_name = "partnerships/location_list.html"
    partial_template_name = "partnerships/_location_rows.html"
    csv_filename = "crisis-service-locations.csv"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = policy_for(Location).may(self.request.user, self.program, "add")
        return context

    def csv_header(self):
        return [
            "name",
            "agency",
            "type",
            "address",
            "city",
            "state",
            "postal code",
            "latitude",
            "longitude",
            "how to get there",
        ]

    def csv_row(self, loc):
        return [
            loc.name,
            loc.agency.name if loc.agency else "",
            loc.get_location_type_display(),
            loc.address_1,
            loc.city,
            loc.state_province,
            loc.postal_code,
            loc.latitude if loc.latitude is not None else "",
            loc.longitude if loc.longitude is not None else "",
            loc.transportation,
        ]


class LocationDetailView(ProgramViewMixin, View):
    capability = "view_directory"

    def get(self, request, program, pk):
        location = get_object_or_404(
            Location.objects.visible_to(request.user, self.program).select_related("agency"),
            pk=pk,
        )
        schedules = list(location.schedules.all())
        policy = policy_for(Location)
        return render(
            request,
            "partnerships/location_detail.html",
            self.get_context_data(
                location=location,
                hours_text=hours.hours_text(schedules),
                part_rows={
                    "schedules": [(_schedule_label(x), x) for x in schedules],
                    "phones": [(_phone_label(x), x) for x in location.phones.all()],
                    "contacts": [(_contact_label(x), x) for x in location.contacts.all()],
                },
                at_locations=list(
                    location.at_locations.select_related(
                        "service", "service__agency", "service__program"
                    )
                ),
                can_edit=policy.may_on(request.user, location, "change"),
                can_delete=policy.may_on(request.user, location, "delete"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class LocationCreateView(_ProgramFormMixin, ServiceFormView):
    model = Location
    action = "add"
    form_class = forms.LocationForm
    template_name = "partnerships/record_form.html"
    success_message = "{obj.name} added."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Add a location", cancel_url=self.program_url("location-list"), **kwargs
        )

    def call_service(self, form):
        return services.location_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class LocationEditView(_ProgramFormMixin, ServiceFormView):
    model = Location
    form_class = forms.LocationForm
    template_name = "partnerships/record_form.html"
    success_message = "{obj.name} saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Edit {self.object.name}", cancel_url=self.object.get_absolute_url(), **kwargs
        )

    def call_service(self, form):
        return services.location_update(
            actor=self.request.user, location=self.object, data=form.cleaned_data
        )


class LocationDeleteView(ServiceDeleteView):
    model = Location
    question = "Delete the location {obj.name}?"
    consequence = (
        "Services stop being listed there; its phones and hours go with it. "
        "The change is recorded in the audit trail."
    )

    def call_service(self, obj):
        services.location_delete(actor=self.request.user, location=obj)

    def get_success_url(self, obj):
        return self.program_url("location-list")


# --- Crisis responsibilities --------------------------------------------------------


class ResponsibilityListView(FilteredListView):
    capability = "view_directory"
    model = Responsibility
    filterset_class = ResponsibilityFilterSet
    sorts = RESPONSIBILITY_SORTS
    default_sort = "agency"
    sort_labels = {"agency": "Agency", "kind": "Responsibility"}
    template_name = "partnerships/responsibility_list.html"
    partial_template_name = "partnerships/_responsibility_rows.html"
    csv_filename = "crisis-responsibilities.csv"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("agency", "service")
            .prefetch_related(
                Prefetch("service__schedules", queryset=Schedule.objects.order_by("id"))
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = policy_for(Responsibility).may(self.request.user, self.program, "add")
        return context

    def csv_header(self):
        return [
            "agency",
            "responsibility",
            "kind",
            "when it applies",
            "24/7",
            "hours",
            "call",
            "how to hand off",
            "if nobody answers",
        ]

    def csv_row(self, r):
        return [
            r.agency.name,
            r.title,
            r.get_kind_display(),
            r.applies_when,
            "yes" if r.available_24_7 else "no",
            selectors.responsibility_hours(r),
            r.contact_phone,
            r.handoff,
            r.escalation,
        ]


class ResponsibilityDetailView(ProgramViewMixin, View):
    capability = "view_directory"

    def get(self, request, program, pk):
        item = get_object_or_404(
            Responsibility.objects.visible_to(request.user, self.program).select_related(
                "agency", "service"
            ),
            pk=pk,
        )
        policy = policy_for(Responsibility)
        return render(
            request,
            "partnerships/responsibility_detail.html",
            self.get_context_data(
                item=item,
                hours_text=selectors.responsibility_hours(item),
                can_edit=policy.may_on(request.user, item, "change"),
                can_delete=policy.may_on(request.user, item, "delete"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class ResponsibilityCreateView(_ProgramFormMixin, ServiceFormView):
    model = Responsibility
    action = "add"
    form_class = forms.ResponsibilityForm
    template_name = "partnerships/record_form.html"
    success_message = "Responsibility added."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Add a crisis responsibility",
            cancel_url=self.program_url("responsibility-list"),
            **kwargs,
        )

    def call_service(self, form):
        return services.responsibility_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class ResponsibilityEditView(_ProgramFormMixin, ServiceFormView):
    model = Responsibility
    form_class = forms.ResponsibilityForm
    template_name = "partnerships/record_form.html"
    success_message = "Responsibility saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Edit: {self.object.title}",
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def call_service(self, form):
        return services.responsibility_update(
            actor=self.request.user, item=self.object, data=form.cleaned_data
        )


class ResponsibilityDeleteView(ServiceDeleteView):
    model = Responsibility
    question = "Delete the responsibility “{obj.title}” of {obj.agency}?"

    def call_service(self, obj):
        services.responsibility_delete(actor=self.request.user, item=obj)

    def get_success_url(self, obj):
        return self.program_url("responsibility-list")
