"""Pages of the implementation plan: the roadmap by phase, tasks, attachments.

Committee readers (coordinators, committee members, agency administrators, trainers)
see the plan; coordinators and committee members change it.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View

from citkit.committee.models import ActionItem
from citkit.committee.selectors import program_today
from citkit.core import measures
from citkit.core.permissions import has_capability
from citkit.core.views.base import ProgramViewMixin, form_errors_from
from citkit.plan import services
from citkit.plan.forms import AttachmentForm, TaskForm
from citkit.plan.models import Phase, Task, TaskAttachment
from citkit.plan.selectors import TaskView, plan_progress

# Types a browser would run if it ever showed them inline.
ACTIVE_CONTENT = ("html", "xml", "svg", "javascript", "ecmascript")


def get_task_for_user(user, program, pk) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(user, program).select_related("phase", "owner", "subcommittee"),
        pk=pk,
    )


def _plan_url(program, task=None) -> str:
    url = reverse("plan-home", kwargs={"program": program.slug})
    return f"{url}#task-{task.pk}" if task else url


def _set_dependencies(*, actor, task: Task, depends_on: list[Task]) -> None:
    try:
        services.task_set_dependencies(actor=actor, task=task, depends_on=depends_on)
    except ValidationError as exc:
        # A task marked done that would wait on open tasks breaks the dependency rule:
        # say so on the status, naming what it waits on, as task_update does.
        waiting = [d for d in depends_on if d.status != Task.Status.DONE and not d.retired]
        if task.status == Task.Status.DONE and waiting:
            names = "; ".join(t.title for t in waiting)
            raise ValidationError({"status": f"It still waits on: {names}."}) from exc
        raise


def save_task(*, actor, program, task: Task | None, data: dict) -> Task:
    """Create or update a task and what it waits on, all or nothing.

    The dependency rule is checked against the dependencies the task will have:
    when it is being marked done they are set first, otherwise the status first
    (so a done task being reopened may gain an open dependency).
    """
    data = dict(data)
    depends_on = list(data.pop("depends_on", []))
    with transaction.atomic():
        if task is None:
            task = services.task_create(actor=actor, program=program, data=data)
            if depends_on:
                _set_dependencies(actor=actor, task=task, depends_on=depends_on)
            return task
        changed = {d.pk for d in depends_on} != {d.pk for d in task.depends_on.all()}
        if data.get("status") == Task.Status.DONE:
            if changed:
                _set_dependencies(actor=actor, task=task, depends_on=depends_on)
            services.task_update(actor=actor, task=task, data=data)
        else:
            services.task_update(actor=actor, task=task, data=data)
            if changed:
                _set_dependencies(actor=actor, task=task, depends_on=depends_on)
    return task


class PlanView(ProgramViewMixin, View):
    """The plan by phase: typed status, measured progress and where they disagree."""

    capability = "view_committee"

    def get(self, request, program):
        progress = plan_progress(self.program)
        phases = [
            {
                "view": phase,
                "active": phase.active_tasks,
                "retired": [t for t in phase.tasks if t.task.retired],
            }
            for phase in progress.phases
        ]
        return render(
            request,
            "plan/plan_home.html",
            self.get_context_data(
                progress=progress,
                phases=phases,
                today=program_today(self.program),
                can_manage=has_capability(request.user, self.program, "manage_committee"),
            ),
        )


class PlanSeedView(ProgramViewMixin, View):
    capability = "manage_committee"

    def post(self, request, program):
        created = services.plan_seed(actor=request.user, program=self.program)
        messages.success(request, f"The CIT roadmap is in place ({created} tasks added).")
        return redirect("plan-home", program=self.program.slug)


class TaskCreateView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _form(self, request, data=None):
        initial = {}
        if request.GET.get("phase", "").isdigit():
            initial["phase"] = int(request.GET["phase"])
        return TaskForm(data, program=self.program, initial=initial)

    def get(self, request, program):
        if not Phase.objects.filter(program=self.program).exists():
            messages.error(request, "Start the plan from the CIT roadmap first.")
            return redirect("plan-home", program=self.program.slug)
        return render(
            request, "plan/task_form.html", self.get_context_data(form=self._form(request))
        )

    def post(self, request, program):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                task = save_task(
                    actor=request.user, program=self.program, task=None, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Task “{task.title}” added.")
                return redirect(task)
        return render(request, "plan/task_form.html", self.get_context_data(form=form), status=400)


class TaskDetailView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        task = get_task_for_user(request.user, self.program, pk)
        dependencies = list(task.depends_on.select_related("phase").order_by("phase__order"))
        measurement = measures.measure(self.program, task.measure) if task.measure else None
        view = TaskView(
            task=task,
            measurement=measurement,
            waiting_on=[d for d in dependencies if d.status != Task.Status.DONE and not d.retired],
        )
        manage = has_capability(request.user, self.program, "manage_committee")
        today = program_today(self.program)
        return render(
            request,
            "plan/task_detail.html",
            self.get_context_data(
                task=task,
                view=view,
                measure_label=(
                    measures.REGISTRY[task.measure].label
                    if task.measure in measures.REGISTRY
                    else ""
                ),
                dependencies=dependencies,
                dependents=list(task.dependents.select_related("phase").order_by("phase__order")),
                attachments=list(task.attachments.defer("content").select_related("uploaded_by")),
                action_items=list(
                    ActionItem.objects.visible_to(request.user, self.program)
                    .filter(
                        concerns_type=ContentType.objects.get_for_model(Task),
                        concerns_id=str(task.pk),
                    )
                    .select_related("owner")
                ),
                overdue=bool(
                    task.due_date
                    and task.status != Task.Status.DONE
                    and not task.retired
                    and task.due_date < today
                ),
                today=today,
                can_manage=manage,
                attachment_form=AttachmentForm() if manage else None,
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class TaskEditView(ProgramViewMixin, View):
    capability = "manage_committee"

    def get(self, request, program, pk):
        task = get_task_for_user(request.user, self.program, pk)
        form = TaskForm(instance=task, program=self.program)
        return render(request, "plan/task_form.html", self.get_context_data(form=form, task=task))

    def post(self, request, program, pk):
        task = get_task_for_user(request.user, self.program, pk)
        form = TaskForm(request.POST, instance=Task.objects.get(pk=task.pk), program=self.program)
        if form.is_valid():
            try:
                save_task(
                    actor=request.user, program=self.program, task=task, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Task “{task.title}” saved.")
                return redirect(task)
        return render(
            request,
            "plan/task_form.html",
            self.get_context_data(form=form, task=task),
            status=400,
        )


class TaskMoveView(ProgramViewMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        task = get_task_for_user(request.user, self.program, pk)
        direction = request.POST.get("direction", "")
        try:
            services.task_move(actor=request.user, task=task, direction=direction)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(_plan_url(self.program, task))


class TaskRetireView(ProgramViewMixin, View):
    """Retire a task (or restore it with retired=0); it stays on record either way."""

    capability = "manage_committee"

    def post(self, request, program, pk):
        task = get_task_for_user(request.user, self.program, pk)
        retired = request.POST.get("retired", "1") != "0"
        services.task_retire(actor=request.user, task=task, retired=retired)
        if retired:
            messages.success(request, f"“{task.title}” retired; it is kept for the record.")
        else:
            messages.success(request, f"“{task.title}” is back in the plan.")
        return redirect(_plan_url(self.program, task))


class AttachmentAddView(ProgramViewMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        task = get_task_for_user(request.user, self.program, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.attachment_add(
                    actor=request.user,
                    task=task,
                    filename=upload.name,
                    content=upload.read(),
                    content_type=upload.content_type or "",
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"{upload.name} attached.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(task)


class AttachmentDownloadView(ProgramViewMixin, View):
    """Serve an attachment to those who may see its task, always as a download."""

    capability = "view_committee"

    def get(self, request, program, pk, attachment_pk):
        task = get_task_for_user(request.user, self.program, pk)
        attachment = get_object_or_404(TaskAttachment, task=task, pk=attachment_pk)
        # Served as a download, never inline: an uploaded HTML file must not run as
        # a page of citkit.
        content_type = attachment.content_type
        if any(kind in content_type for kind in ACTIVE_CONTENT):
            content_type = "application/octet-stream"
        response = HttpResponse(bytes(attachment.content), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=attachment.filename
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
