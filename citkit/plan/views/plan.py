"""The plan page: the roadmap by phase, typed status next to measured progress, and a
status change in place on each task's row.

Committee readers (coordinators, committee members, agency administrators, trainers)
see the plan; coordinators and committee members change it.
"""

from django.shortcuts import render
from django.views import View

from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceFormView
from citkit.plan import services
from citkit.plan.forms import PlanSeedForm, TaskStatusForm
from citkit.plan.models import Task
from citkit.plan.selectors import kept_plan_progress


def plan_url(view: ProgramViewMixin, task: Task | None = None) -> str:
    url = view.program_url("plan-home")
    return f"{url}#task-{task.pk}" if task else url


def render_plan(view: ProgramViewMixin, *, status=200, refused_form=None, refused_task=None):
    """The plan page; with a refused status change, that row shows the refusal and the
    status that was asked for."""
    request, program = view.request, view.program
    today = program.today()
    progress = kept_plan_progress(program, today=today)
    phases = [
        {"view": phase, "active": phase.active_tasks, "retired": phase.retired_tasks}
        for phase in progress.phases
    ]
    context = view.get_context_data(
        progress=progress,
        phases=phases,
        today=today,
        can_manage=policy_for(Task).may(request.user, program, "change"),
        status_choices=Task.Status.choices,
        refused_form=refused_form,
        refused_task_id=refused_task.pk if refused_task else None,
    )
    return render(request, "plan/plan_home.html", context, status=status)


class PlanView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program):
        return render_plan(self)


class PlanSeedView(ServiceFormView):
    """Start the plan from the CIT roadmap (the button on the empty plan page)."""

    http_method_names = ["post"]
    capability = "view_committee"
    model = Task
    action = "add"
    form_class = PlanSeedForm

    def call_service(self, form):
        return services.plan_seed(actor=self.request.user, program=self.program)

    def get_success_message(self, obj) -> str:
        return f"The CIT roadmap is in place ({obj} tasks added)."

    def get_success_url(self, obj) -> str:
        return plan_url(self)


class TaskStatusView(ServiceFormView):
    """The status of one task, changed from its row on the plan page.

    Without JavaScript the form posts and the plan page comes back (a redirect when
    saved; the page with the refusal on that row, status 400, when not). With htmx the
    same answers are fetched and only the plan's body is swapped in.
    """

    http_method_names = ["post"]
    capability = "view_committee"
    model = Task
    form_class = TaskStatusForm

    def call_service(self, form):
        return services.task_set_status(
            actor=self.request.user, task=self.object, status=form.cleaned_data["status"]
        )

    def get_success_message(self, obj) -> str:
        if self.request.headers.get("HX-Request"):
            return ""  # the row itself shows the new status
        return f"“{obj.title}” is now {obj.get_status_display().lower()}."

    def get_success_url(self, obj) -> str:
        return plan_url(self, obj)

    def form_invalid(self, form):
        return render_plan(self, status=400, refused_form=form, refused_task=self.object)
