"""Program pages: choose a program, its home page, its settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from citkit.core import services
from citkit.core.forms import ProgramForm
from citkit.core.models import AuditEntry, Program
from citkit.core.permissions import has_capability
from citkit.core.registry import home_panels
from citkit.core.views.base import ProgramViewMixin, form_errors_from


@login_required
def home(request):
    """The programs this user belongs to; straight to the program if there is one."""
    programs = list(Program.objects.visible_to(request.user))
    if len(programs) == 1:
        return redirect(programs[0])
    return render(request, "core/home.html", {"programs": programs})


class ProgramHomeView(ProgramViewMixin, View):
    def get(self, request, program):
        context = self.get_context_data(
            panels=home_panels(request, self.program),
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
