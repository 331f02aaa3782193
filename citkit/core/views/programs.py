"""Program pages: choose a program, its home page, its settings."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views import View

from citkit.core import services
from citkit.core.forms import ProgramForm
from citkit.core.models import AuditEntry, Program
from citkit.core.permissions import has_capability
from citkit.core.registry import home_panels
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceFormView


@login_required
def home(request):
    """The programs this user belongs to; straight to the program if there is one,
    unless invitations to others wait for an answer (they are listed here)."""
    from citkit.core.views.invitations import open_invitations

    programs = list(Program.objects.visible_to(request.user))
    invitations = list(open_invitations(request.user))
    if len(programs) == 1 and not invitations:
        return redirect(programs[0])
    return render(request, "core/home.html", {"programs": programs, "invitations": invitations})


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


class ProgramEditView(ServiceFormView):
    model = Program
    form_class = ProgramForm
    template_name = "core/program_form.html"
    success_message = "Program settings saved."

    def get_object(self):
        # A fresh copy: the one on the view resolved the URL and may be cached.
        return Program.objects.get(pk=self.program.pk)

    def call_service(self, form):
        return services.program_update(
            actor=self.request.user, program=self.object, data=form.cleaned_data
        )

    def get_success_url(self, obj) -> str:
        return self.program_url("program-home")
