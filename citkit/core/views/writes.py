"""The shared write pages: one form, one service call; and a delete that asks first.

Every create, edit and delete page is one of these, so they all answer alike:

1. The program is resolved (404 for outsiders) and the object fetched through
   its model's `visible_to()` (404 if the user may not see it).
2. The model's permission policy is asked *before any input is read*: a role
   that may not write gets 403 whatever it posted.
3. The form only parses input. The one service call decides, and its
   ValidationError is put back on the form, field by field, with status 400.
   Nothing the person typed is lost: the bound form is shown again.

Hooks: `get_object()`, `get_form_kwargs()`, `call_service(form)`,
`get_success_url(obj)`, `form_invalid(form)` (inline forms re-render the page
they sit on), `get_context_data()`.
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin, form_errors_from


class ServiceWriteMixin(ProgramViewMixin):
    """What both write views share: the object, and the policy asked before input."""

    model = None  # the model whose policy decides, and whose record is fetched
    action = "change"  # the policy's action: "add", "change", "delete", or the model's own
    pk_url_kwarg = "pk"
    # The program-level capability checked by ProgramViewMixin; the policy decides the rest.
    capability = "view_program"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.program)

    def get_object(self):
        """The record the page changes; None for a page that creates one."""
        pk = self.kwargs.get(self.pk_url_kwarg)
        if pk is None:
            return None
        return get_object_or_404(self.get_queryset(), pk=pk)

    def check_permission(self, obj) -> None:
        policy = policy_for(self.model)
        if obj is None:
            policy.require(self.request.user, self.program, self.action)
        else:
            policy.require_on(self.request.user, obj, self.action)

    def setup_object(self):
        self.object = self.get_object()
        self.check_permission(self.object)


class ServiceFormView(ServiceWriteMixin, View):
    """A page with one form whose valid input goes to one service call."""

    form_class = None
    template_name = ""
    success_message = ""

    def get_form_kwargs(self) -> dict:
        kwargs = {}
        if self.object is not None and hasattr(self.form_class, "_meta"):
            # A ModelForm shows the record's values. It gets a copy: the service
            # compares the record before and after, so the form must not touch it.
            kwargs["instance"] = copy.copy(self.object)
        return kwargs

    def get_form(self, data=None, files=None):
        kwargs = self.get_form_kwargs()
        if data is not None:
            kwargs["data"] = data
            kwargs["files"] = files
        return self.form_class(**kwargs)

    def call_service(self, form):
        """Call the one service with `form.cleaned_data`; return the record written."""
        raise NotImplementedError(f"{type(self).__name__} must say which service it calls.")

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_success_message(self, obj) -> str:
        return self.success_message.format(obj=obj) if self.success_message else ""

    def render_form(self, form, status=200):
        context = self.get_context_data(form=form, object=self.object)
        return render(self.request, self.template_name, context, status=status)

    def form_invalid(self, form):
        return self.render_form(form, status=400)

    def get(self, request, *args, **kwargs):
        self.setup_object()
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        self.setup_object()
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            obj = self.call_service(form)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        message = self.get_success_message(obj)
        if message:
            messages.success(request, message)
        return redirect(self.get_success_url(obj))


class ServiceDeleteView(ServiceWriteMixin, View):
    """Asks first (GET shows the question), then calls the one delete service (POST).

    A refusal from the service (the record is still in use, ...) comes back as a
    message on the record's page; nothing is deleted.
    """

    action = "delete"
    template_name = "core/confirm_delete.html"
    success_message = "{obj} deleted."
    question = "Delete {obj}?"
    consequence = "The change is recorded in the audit trail."
    confirm_label = "Yes, delete"

    def call_service(self, obj) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say which service it calls.")

    def get_cancel_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_success_url(self, obj) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say where to go afterwards.")

    def get_question(self, obj) -> str:
        return self.question.format(obj=obj)

    def get(self, request, *args, **kwargs):
        self.setup_object()
        context = self.get_context_data(
            object=self.object,
            question=self.get_question(self.object),
            consequence=self.consequence,
            confirm_label=self.confirm_label,
            cancel_url=self.get_cancel_url(self.object),
        )
        return render(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        self.setup_object()
        obj = self.object
        # The address is worked out before the record is gone.
        success_url = self.get_success_url(obj)
        try:
            self.call_service(obj)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.get_cancel_url(obj))
        messages.success(request, self.success_message.format(obj=obj))
        return redirect(success_url)
