"""Roster pages: list, detail, add, edit, delete a person."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from citkit.core.access import record_access
from citkit.core.models import AccessEntry
from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.views.base import FilteredListView, ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView
from citkit.partners.models import Agency
from citkit.people import services
from citkit.people.filters import PERSON_SORTS, PersonFilterSet
from citkit.people.forms import PersonForm
from citkit.people.models import Person
from citkit.people.permissions import managed_agency_id


def get_person_for_user(user, program, pk) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(user, program).select_related("agency", "user"), pk=pk
    )


def agencies_for_form(user, program):
    """The agencies a person may be put in: all, or the administrator's own."""
    own = managed_agency_id(user, program)
    agencies = Agency.objects.filter(program=program)
    return agencies if own is None else agencies.filter(pk=own)


class PersonListView(FilteredListView):
    # The policy decides: officers see themselves, analysts nobody (403).
    capability = ""
    model = Person
    filterset_class = PersonFilterSet
    sorts = PERSON_SORTS
    sort_labels = {
        "name": "Name A–Z",
        "-name": "Name Z–A",
        "badge": "Badge number",
        "district": "District",
        "updated": "Recently changed",
    }
    template_name = "people/person_list.html"
    partial_template_name = "people/_person_rows.html"
    csv_filename = "people.csv"
    export_access_label = "Roster export"

    def get(self, request, *args, **kwargs):
        policy_for(Person).require(request.user, self.program, "view")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def get_filterset(self, queryset):
        return PersonFilterSet(self.request.GET or None, queryset=queryset, program=self.program)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = policy_for(Person)
        context["can_add"] = policy.may(self.request.user, self.program, "add")
        context["can_import"] = policy.may(self.request.user, self.program, "import")
        return context

    def csv_header(self):
        return [
            "last name",
            "first name",
            "kind",
            "agency",
            "badge number",
            "rank",
            "district",
            "shift",
            "hire date",
            "status",
            "email",
            "phone",
        ]

    def csv_row(self, p):
        return [
            p.last_name,
            p.first_name,
            p.get_kind_display(),
            p.agency.name if p.agency else "",
            p.badge_number,
            p.rank,
            p.district,
            p.get_shift_display(),
            p.hire_date.isoformat() if p.hire_date else "",
            p.get_status_display(),
            p.email,
            p.phone,
        ]


class PersonDetailView(ProgramViewMixin, View):
    def get(self, request, program, pk):
        person = get_person_for_user(request.user, self.program, pk)
        policy = policy_for(Person)
        # Asked after the record is found: a 404 read nobody's record.
        record_access(
            user=request.user,
            program=self.program,
            action=AccessEntry.Action.VIEW,
            what=f"{person.get_kind_display()} {person.full_name}",
            obj=person,
        )
        return render(
            request,
            "people/person_detail.html",
            self.get_context_data(
                person=person,
                can_edit=policy.may_on(request.user, person, "change"),
                can_delete=policy.may_on(request.user, person, "delete"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class _PersonFormView(ServiceFormView):
    model = Person
    form_class = PersonForm
    template_name = "people/person_form.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "user")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["program"] = self.program
        kwargs["agencies"] = agencies_for_form(self.request.user, self.program)
        return kwargs


class PersonCreateView(_PersonFormView):
    action = "add"
    success_message = "{obj.full_name} added."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        agencies = kwargs["agencies"]
        if agencies.count() == 1:
            kwargs["initial"] = {"agency": agencies.first()}
        return kwargs

    def call_service(self, form):
        return services.person_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class PersonEditView(_PersonFormView):
    action = "change"
    success_message = "{obj.full_name} saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object, **kwargs)

    def call_service(self, form):
        return services.person_update(
            actor=self.request.user, person=self.object, data=form.cleaned_data
        )


class PersonDeleteView(ServiceDeleteView):
    model = Person
    question = "Delete {obj.full_name} from the roster?"
    success_message = "{obj.full_name} deleted."

    def call_service(self, obj):
        services.person_delete(actor=self.request.user, person=obj)

    def get_success_url(self, obj):
        return self.program_url("person-list")
