"""Pages for action items: the committee's list, "my action items", detail and edits.

Committee readers see every item of the program; every other member sees the items
they own (ActionItem.objects.visible_to). Coordinators and committee members change
everything; the owner of an item changes its status and notes (ActionItemPolicy).
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from citkit.committee import services
from citkit.committee.concerns import concern_kinds
from citkit.committee.filters import (
    ACTION_SORT_LABELS,
    ACTION_SORTS,
    ActionItemFilterSet,
    MyActionItemFilterSet,
)
from citkit.committee.forms.actions import ActionItemForm, ActionStatusForm, OwnerActionItemForm
from citkit.committee.models import ActionItem, Meeting
from citkit.committee.selectors import action_items_for_list
from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.selectors import user_label
from citkit.core.views.base import FilteredListView, ProgramViewMixin, parse_id
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView


def get_action_item_for_user(user, program, pk) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.visible_to(user, program).select_related(
            "owner", "meeting", "decision__meeting"
        ),
        pk=pk,
    )


def concerned_record(item: ActionItem, user, program):
    """(the record the item concerns if the user may see it, its kind's name, whether
    it exists but is hidden from the user)."""
    if not item.concerns_type_id:
        return None, "", False
    content_type = ContentType.objects.get_for_id(item.concerns_type_id)
    model = content_type.model_class()
    if model is None:
        return None, content_type.name, False
    found = model._base_manager.filter(pk=item.concerns_id)
    visible = getattr(model.objects, "visible_to", None)
    record = visible(user, program).filter(pk=item.concerns_id).first() if visible else None
    return record, content_type.name, record is None and found.exists()


# The one-click changes offered to an item's owner.
STATUS_BUTTONS = [
    (ActionItem.Status.IN_PROGRESS, "In progress"),
    (ActionItem.Status.DONE, "Done"),
]


class _ActionListBase(FilteredListView):
    model = ActionItem
    sorts = ACTION_SORTS
    sort_labels = ACTION_SORT_LABELS
    capability = "view_program"

    def get_filterset(self, queryset):
        return self.filterset_class(
            self.request.GET or None,
            queryset=queryset,
            program=self.program,
            user=self.request.user,
        )

    def listed(self, queryset):
        return action_items_for_list(
            queryset.select_related("owner", "meeting"), self.program.today()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.program.today()
        context["can_add"] = policy_for(ActionItem).may(self.request.user, self.program, "add")
        context["sees_all"] = has_capability(self.request.user, self.program, "view_committee")
        context["status_choices"] = STATUS_BUTTONS
        return context

    def csv_header(self):
        return ["title", "owner", "due date", "status", "overdue", "meeting", "notes"]

    def csv_row(self, item):
        return [
            item.title,
            user_label(item.owner),
            item.due_date.isoformat(),
            item.get_status_display(),
            "yes" if item.overdue else "no",
            str(item.meeting) if item.meeting else "",
            item.notes,
        ]


class ActionItemListView(_ActionListBase):
    """Every item the user may see: all of them for committee readers, else their own."""

    filterset_class = ActionItemFilterSet
    default_sort = "due"
    template_name = "committee/action_list.html"
    partial_template_name = "committee/action_list_rows.html"
    csv_filename = "action-items.csv"
    export_access_label = "Action items export"

    def get_queryset(self):
        return self.listed(ActionItem.objects.visible_to(self.request.user, self.program))


class MyActionItemsView(_ActionListBase):
    """Every member's own items, open first, each with a one-click status change."""

    filterset_class = MyActionItemFilterSet
    default_sort = "open"
    template_name = "committee/action_mine.html"
    partial_template_name = "committee/action_mine_rows.html"
    csv_filename = "my-action-items.csv"
    export_access_label = "My action items export"

    def get_queryset(self):
        return self.listed(ActionItem.objects.filter(program=self.program, owner=self.request.user))


class ActionItemDetailView(ProgramViewMixin, View):
    def get(self, request, program, pk):
        item = get_action_item_for_user(request.user, self.program, pk)
        policy = policy_for(ActionItem)
        meeting = item.meeting or (item.decision.meeting if item.decision else None)
        # Whoever cannot open meetings sees what the item is linked to, without a link.
        sees_meeting = meeting is not None and policy_for(Meeting).may_on(
            request.user, meeting, "view"
        )
        concerns, concerns_type, concerns_hidden = concerned_record(
            item, request.user, self.program
        )
        return render(
            request,
            "committee/action_detail.html",
            self.get_context_data(
                item=item,
                overdue=item.is_overdue(self.program.today()),
                meeting=meeting,
                meeting_url=meeting.get_absolute_url() if sees_meeting else "",
                concerns=concerns,
                concerns_type=concerns_type,
                concerns_hidden=concerns_hidden,
                concerns_url=concerns.get_absolute_url() if concerns is not None else "",
                sees_all=has_capability(request.user, self.program, "view_committee"),
                can_edit=policy.may_on(request.user, item, "change"),
                can_delete=policy.may_on(request.user, item, "delete"),
                is_owner=item.owner_id == request.user.pk,
                status_choices=STATUS_BUTTONS,
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class ActionItemCreateView(ServiceFormView):
    model = ActionItem
    action = "add"
    form_class = ActionItemForm
    template_name = "committee/action_form.html"
    success_message = "Action item “{obj.title}” added."

    def get_form_kwargs(self):
        # The add page can be opened from a meeting, a decision or a concerned record.
        initial = {}
        params = [("meeting", "meeting"), ("decision", "decision")]
        params += [(kind.key, kind.field_name) for kind in concern_kinds()]
        for key, field in params:
            number = parse_id(self.request.GET.get(key))
            if number is not None:
                initial[field] = number
        return {"program": self.program, "user": self.request.user, "initial": initial}

    def call_service(self, form):
        return services.action_item_create(
            actor=self.request.user,
            program=self.program,
            data=form.item_data(),
            concerns=form.concerns(),
        )


class ActionItemEditView(ServiceFormView):
    """Managers edit every field; the owner sees and changes only status and notes."""

    model = ActionItem
    template_name = "committee/action_form.html"
    success_message = "Action item “{obj.title}” saved."

    def get_queryset(self):
        return super().get_queryset().select_related("owner", "meeting", "decision__meeting")

    @property
    def form_class(self):
        every_field = policy_for(ActionItem).may_change_fields(
            self.request.user, self.object, ActionItemForm._meta.fields
        )
        return ActionItemForm if every_field else OwnerActionItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class is ActionItemForm:
            kwargs.update(program=self.program, user=self.request.user, with_concerns=False)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.object, **kwargs)

    def call_service(self, form):
        return services.action_item_update(
            actor=self.request.user, item=self.object, data=form.cleaned_data
        )


class ActionItemStatusView(ProgramViewMixin, View):
    """One click: set the status (owner or committee), then back where the user was."""

    def post(self, request, program, pk):
        item = get_action_item_for_user(request.user, self.program, pk)
        policy_for(ActionItem).require_on(request.user, item, "change")
        form = ActionStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a valid status.")
            return self._back(request)
        services.action_item_update(
            actor=request.user, item=item, data={"status": form.cleaned_data["status"]}
        )
        if request.headers.get("HX-Request"):
            return render(
                request,
                "committee/action_mine_row.html",
                self.get_context_data(
                    item=listed_item(self.program, item.pk),
                    today=self.program.today(),
                    status_choices=STATUS_BUTTONS,
                    just_changed=True,
                    next_url=self.program_url("my-actions"),
                ),
            )
        messages.success(request, f"“{item.title}” is now {item.get_status_display().lower()}.")
        return self._back(request)

    def _back(self, request):
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("my-actions", program=self.program.slug)


def listed_item(program, pk) -> ActionItem:
    """One item as the lists show it (with `overdue` and `closed`)."""
    items = ActionItem.objects.filter(pk=pk).select_related("meeting")
    return action_items_for_list(items, program.today()).get()


class ActionItemDeleteView(ServiceDeleteView):
    model = ActionItem
    question = "Delete the action item “{obj.title}”?"
    success_message = "Action item “{obj.title}” deleted."

    def call_service(self, obj):
        services.action_item_delete(actor=self.request.user, item=obj)

    def get_success_url(self, obj):
        return self.program_url("action-list")
