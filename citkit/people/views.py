"""Pages for people: list, detail, create, edit, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.core.permissions import has_capability, require
from citkit.core.views.base import FilteredListView, ProgramViewMixin, form_errors_from
from citkit.partners.models import Agency
from citkit.people import services
from citkit.people.filters import PERSON_SORTS, PersonFilterSet
from citkit.people.forms import PersonForm
from citkit.people.models import Person


def get_person_for_user(user, program, pk) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(user, program).select_related("agency", "user"), pk=pk
    )


def can_manage_people(user, program) -> bool:
    return has_capability(user, program, "manage_people") or has_capability(
        user, program, "manage_own_people"
    )


def agencies_for_form(user, program):
    own = services.managed_agency_id(user, program)
    agencies = Agency.objects.filter(program=program)
    return agencies if own is None else agencies.filter(pk=own)


class PersonListView(FilteredListView):
    capability = ""  # checked in dispatch: officers see themselves, analysts nobody
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

    def get(self, request, *args, **kwargs):
        if not (
            has_capability(request.user, self.program, "view_people")
            or has_capability(request.user, self.program, "view_own_people")
            or has_capability(request.user, self.program, "view_self")
        ):
            require(request.user, self.program, "view_people")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def get_filterset(self, queryset):
        return PersonFilterSet(self.request.GET or None, queryset=queryset, program=self.program)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can_manage_people(self.request.user, self.program)
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
        own = None
        manage = can_manage_people(request.user, self.program)
        if manage:
            own = services.managed_agency_id(request.user, self.program)
        return render(
            request,
            "people/person_detail.html",
            self.get_context_data(
                person=person,
                can_edit=manage and (own is None or own == person.agency_id),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class PersonCreateView(ProgramViewMixin, View):
    def _form(self, request, data=None):
        agencies = agencies_for_form(request.user, self.program)
        initial = {}
        if agencies.count() == 1:
            initial["agency"] = agencies.first()
        return PersonForm(data, program=self.program, agencies=agencies, initial=initial)

    def get(self, request, program):
        return render(
            request, "people/person_form.html", self.get_context_data(form=self._form(request))
        )

    def post(self, request, program):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                person = services.person_create(
                    actor=request.user, program=self.program, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{person.full_name} added.")
                return redirect(person)
        return render(
            request, "people/person_form.html", self.get_context_data(form=form), status=400
        )


class PersonEditView(ProgramViewMixin, View):
    def get(self, request, program, pk):
        person = get_person_for_user(request.user, self.program, pk)
        services.require_manager_of(request.user, person)
        form = PersonForm(
            instance=person,
            program=self.program,
            agencies=agencies_for_form(request.user, self.program),
        )
        return render(
            request, "people/person_form.html", self.get_context_data(form=form, person=person)
        )

    def post(self, request, program, pk):
        person = get_person_for_user(request.user, self.program, pk)
        services.require_manager_of(request.user, person)
        form = PersonForm(
            request.POST,
            instance=Person.objects.get(pk=person.pk),
            program=self.program,
            agencies=agencies_for_form(request.user, self.program),
        )
        if form.is_valid():
            try:
                services.person_update(actor=request.user, person=person, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{person.full_name} saved.")
                return redirect(person)
        return render(
            request,
            "people/person_form.html",
            self.get_context_data(form=form, person=person),
            status=400,
        )


class PersonDeleteView(ProgramViewMixin, View):
    def get(self, request, program, pk):
        person = get_person_for_user(request.user, self.program, pk)
        services.require_manager_of(request.user, person)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=person,
                question=f"Delete {person.full_name} from the roster?",
                cancel_url=person.get_absolute_url(),
            ),
        )

    def post(self, request, program, pk):
        person = get_person_for_user(request.user, self.program, pk)
        services.person_delete(actor=request.user, person=person)
        messages.success(request, f"{person.full_name} deleted.")
        return redirect("person-list", program=self.program.slug)
