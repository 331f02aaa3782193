"""A task of the plan: its page, adding and editing it, its order in its phase,
retiring it (after asking) and putting it back, and its attachments.

Every page asks for `view_committee` first: a role that does not follow the
committee gets 403 on the plan's pages, as on its reads, before any record is
looked up.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views import View

from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin, parse_id
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView
from citkit.plan import services
from citkit.plan.forms import AttachmentForm, TaskForm, TaskMoveForm
from citkit.plan.models import Phase, Task, TaskAttachment
from citkit.plan.selectors import task_page
from citkit.plan.views.plan import plan_url

# Types a browser would run if it ever showed them inline.
ACTIVE_CONTENT = ("html", "xml", "svg", "javascript", "ecmascript")


def get_task_for_user(user, program, pk) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(user, program).select_related("phase", "owner", "subcommittee"),
        pk=pk,
    )


def render_task(view: ProgramViewMixin, task: Task, *, attachment_form=None, status=200):
    """The task's page; an attachment form that was refused is shown with its errors."""
    request, program = view.request, view.program
    today = program.today()
    page = task_page(task, request.user, today=today)
    manage = policy_for(Task).may_on(request.user, task, "change")
    if attachment_form is None and policy_for(TaskAttachment).may(request.user, program, "add"):
        attachment_form = AttachmentForm()
    context = view.get_context_data(
        task=task,
        view=page.view,
        measure_label=page.measure_label,
        dependencies=page.dependencies,
        dependents=page.dependents,
        attachments=page.attachments,
        action_items=page.action_items,
        overdue=page.overdue,
        today=today,
        can_manage=manage,
        attachment_form=attachment_form,
        can_see_history=has_capability(request.user, program, "view_audit"),
    )
    return render(request, "plan/task_detail.html", context, status=status)


class TaskDetailView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        return render_task(self, get_task_for_user(request.user, self.program, pk))


class _TaskFormView(ServiceFormView):
    capability = "view_committee"
    model = Task
    form_class = TaskForm
    template_name = "plan/task_form.html"

    def get_queryset(self):
        return super().get_queryset().select_related("phase", "owner", "subcommittee")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(task=self.object, **kwargs)


class TaskCreateView(_TaskFormView):
    action = "add"
    success_message = "Task “{obj.title}” added."

    def get(self, request, *args, **kwargs):
        if not Phase.objects.filter(program=self.program).exists():
            self.setup_object()
            messages.error(request, "Start the plan from the CIT roadmap first.")
            return redirect(plan_url(self))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        phase = parse_id(self.request.GET.get("phase"))
        if phase is not None:
            kwargs["initial"] = {"phase": phase}
        return kwargs

    def call_service(self, form):
        return services.task_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class TaskEditView(_TaskFormView):
    success_message = "Task “{obj.title}” saved."

    def call_service(self, form):
        return services.task_update(
            actor=self.request.user, task=self.object, data=form.cleaned_data
        )


class TaskMoveView(ServiceFormView):
    """The Move up / Move down buttons of the plan page."""

    http_method_names = ["post"]
    capability = "view_committee"
    model = Task
    form_class = TaskMoveForm

    def call_service(self, form):
        return services.task_move(
            actor=self.request.user, task=self.object, direction=form.cleaned_data["direction"]
        )

    def get_success_url(self, obj) -> str:
        return plan_url(self, obj)

    def form_invalid(self, form):
        messages.error(self.request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(plan_url(self, self.object))


class TaskRetireView(ServiceDeleteView):
    """Retiring asks first: the task leaves the plan's progress (it is kept for the
    record). Posting `retired=0` puts a retired task back, without asking."""

    capability = "view_committee"
    model = Task
    action = "change"
    question = "Retire the task “{obj.title}”?"
    consequence = (
        "It leaves the plan and its progress figures, and stops blocking the tasks that wait "
        "on it. It is kept for the record, and you can put it back in the plan at any time."
    )
    confirm_label = "Yes, retire"

    @property
    def retiring(self) -> bool:
        return self.request.POST.get("retired", "1") != "0"

    @property
    def success_message(self) -> str:
        if self.retiring:
            return "“{obj.title}” retired; it is kept for the record."
        return "“{obj.title}” is back in the plan."

    def call_service(self, obj):
        services.task_retire(actor=self.request.user, task=obj, retired=self.retiring)

    def get_success_url(self, obj) -> str:
        return plan_url(self, obj)

    def get_cancel_url(self, obj) -> str:
        return plan_url(self, obj)


class AttachmentAddView(ServiceFormView):
    """The upload form on the task's page; a refused file is shown there, status 400."""

    http_method_names = ["post"]
    capability = "view_committee"
    model = TaskAttachment
    action = "add"
    form_class = AttachmentForm

    def get_object(self):
        self.task = get_task_for_user(self.request.user, self.program, self.kwargs["pk"])
        return None

    def check_permission(self, obj) -> None:
        attachment = TaskAttachment(task=self.task)
        policy_for(TaskAttachment).require_on(self.request.user, attachment, "add")

    def call_service(self, form):
        upload = form.cleaned_data["file"]
        return services.attachment_add(
            actor=self.request.user,
            task=self.task,
            filename=upload.name,
            content=upload.read(),
            content_type=upload.content_type or "",
        )

    def get_success_message(self, obj) -> str:
        return f"{obj.filename} attached."

    def get_success_url(self, obj) -> str:
        return self.task.get_absolute_url()

    def form_invalid(self, form):
        return render_task(self, self.task, attachment_form=form, status=400)


class AttachmentDownloadView(ProgramViewMixin, View):
    """Serve an attachment to those who may see its task, always as a download."""

    capability = "view_committee"

    def get(self, request, program, pk, attachment_pk):
        task = get_task_for_user(request.user, self.program, pk)
        attachment = get_object_or_404(
            TaskAttachment.objects.visible_to(request.user, self.program),
            task=task,
            pk=attachment_pk,
        )
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
