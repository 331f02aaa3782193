"""Program pages: choose a program, its home page, its settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views import View

from citkit.core import services
from citkit.core.forms import ProgramForm
from citkit.core.models import AuditEntry, Program
from citkit.core.permissions import has_capability
from citkit.core.views.base import ProgramViewMixin, form_errors_from
from citkit.partners.models import Agency, AgencyType
from citkit.people.models import Person, PersonKind, PersonStatus


@login_required
def home(request):
    """The programs this user belongs to; straight to the program if there is one."""
    programs = list(Program.objects.visible_to(request.user))
    if len(programs) == 1:
        return redirect(programs[0])
    return render(request, "core/home.html", {"programs": programs})


class ProgramHomeView(ProgramViewMixin, View):
    def get(self, request, program):
        agencies = Agency.objects.visible_to(request.user, self.program).filter(active=True)
        by_type = dict(agencies.values_list("agency_type").annotate(n=Count("id")).order_by())
        people = Person.objects.filter(program=self.program, status=PersonStatus.ACTIVE)
        by_kind = dict(people.values_list("kind").annotate(n=Count("id")).order_by())
        officers = people.filter(kind=PersonKind.OFFICER)
        by_district = list(
            officers.values("district")
            .annotate(
                total=Count("id"),
                day=Count("id", filter=Q(shift="day")),
                evening=Count("id", filter=Q(shift="evening")),
                night=Count("id", filter=Q(shift="night")),
            )
            .order_by("district")
        )
        context = self.get_context_data(
            agency_types=[(label, by_type.get(value, 0)) for value, label in AgencyType.choices],
            missing_types=[label for value, label in AgencyType.choices if not by_type.get(value)],
            agencies_total=sum(by_type.values()),
            agencies_24_7=agencies.filter(operates_24_7=True).count(),
            people_kinds=[(label, by_kind.get(value, 0)) for value, label in PersonKind.choices],
            by_district=by_district,
            show_aggregates=has_capability(request.user, self.program, "view_aggregates")
            or has_capability(request.user, self.program, "view_people"),
            recent=(
                AuditEntry.objects.visible_to(request.user, self.program).select_related(
                    "content_type"
                )[:8]
                if has_capability(request.user, self.program, "view_audit")
                else []
            ),
        )
        return render(request, "core/program_home.html", context)


class ProgramEditView(ProgramViewMixin, View):
    capability = "change_program"

    def get(self, request, program):
        form = ProgramForm(instance=self.program)
        return render(request, "core/program_form.html", self.get_context_data(form=form))

    def post(self, request, program):
        form = ProgramForm(request.POST, instance=Program.objects.get(pk=self.program.pk))
        if form.is_valid():
            try:
                services.program_update(
                    actor=request.user, program=self.program, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Program settings saved.")
                return redirect("program-home", program=self.program.slug)
        return render(
            request, "core/program_form.html", self.get_context_data(form=form), status=400
        )
