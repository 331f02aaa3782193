"""Pages for action items: the committee's list, "my action items", detail and edits.

Committee readers see every item of the program; every other member sees the items
they own (ActionItem.objects.visible_to). Coordinators and committee members change
everything; the owner of an item changes its status and notes.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from citkit.committee import services
from citkit.committee.forms_actions import (
    ACTION_SORT_LABELS,
    ACTION_SORTS,
    ActionItemFilterSet,
    ActionItemForm,
    ActionStatusForm,
    MyActionItemFilterSet,
    OwnerActionItemForm,
    user_label,
    with_open_rank,
)
from citkit.committee.models import ActionItem
from citkit.committee.selectors import program_today
from citkit.core.permissions import has_capability
from citkit.core.views.base import FilteredListView, ProgramViewMixin, form_errors_from


def get_action_item_for_user(user, program, pk) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.visible_to(user, program).select_related(
            "owner", "meeting", "decision__meeting"
        ),
        pk=pk,
    )


def url_of(obj) -> str:
    """The record's page, or "" while that kind of record has no page."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def is_overdue(item: ActionItem, today) -> bool:
    return item.is_open and item.due_date < today


class _ActionListBase(FilteredListView):
    model = ActionItem
    sorts = ACTION_SORTS
    sort_labels = ACTION_SORT_LABELS

    def get(self, request, *args, **kwargs):
        self.today = program_today(self.program)
        return super().get(request, *args, **kwargs)

    def get_filterset(self, queryset):
        return self.filterset_class(
            self.request.GET or None,
            queryset=queryset,
            program=self.program,
            user=self.request.user,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.today
        context["can_add"] = has_capability(self.request.user, self.program, "manage_committee")
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
            "yes" if is_overdue(item, self.today) else "no",
            str(item.meeting) if item.meeting else "",
            item.notes,
        ]


# The one-click changes offered to an item's owner.
STATUS_BUTTONS = [
    (ActionItem.Status.IN_PROGRESS, "In progress"),
    (ActionItem.Status.DONE, "Done"),
]


class ActionItemListView(_ActionListBase):
    """Every item the user may see: all of them for committee readers, else their own."""

    capability = "view_program"
    filterset_class = ActionItemFilterSet
    default_sort = "due"
    template_name = "committee/action_list.html"
    partial_template_name = "committee/action_list_rows.html"
    csv_filename = "action-items.csv"

    def get_queryset(self):
        return with_open_rank(
            ActionItem.objects.visible_to(self.request.user, self.program).select_related(
                "owner", "meeting"
            )
        )


class MyActionItemsView(_ActionListBase):
    """Every member's own items, open first, each with a one-click status change."""

    capability = "view_program"
    filterset_class = MyActionItemFilterSet
    default_sort = "open"
    template_name = "committee/action_mine.html"
    partial_template_name = "committee/action_mine_rows.html"
    csv_filename = "my-action-items.csv"

    def get_queryset(self):
        return with_open_rank(
            ActionItem.objects.filter(program=self.program, owner=self.request.user).select_related(
                "owner", "meeting"
            )
        )


class ActionItemDetailView(ProgramViewMixin, View):
    capability = "view_program"

    def get(self, request, program, pk):
        item = get_action_item_for_user(request.user, self.program, pk)
        committee_reader = has_capability(request.user, self.program, "view_committee")
        manager = has_capability(request.user, self.program, "manage_committee")
        meeting = item.meeting or (item.decision.meeting if item.decision else None)
        concerns = item.concerns if item.concerns_type_id else None
        return render(
            request,
            "committee/action_detail.html",
            self.get_context_data(
                item=item,
                overdue=is_overdue(item, program_today(self.program)),
                meeting=meeting,
                # Officers and others outside the committee cannot open meetings or
                # plan tasks; they see what the item is linked to, without a link.
                meeting_url=url_of(meeting) if meeting and committee_reader else "",
                concerns=concerns,
                concerns_type=(
                    ContentType.objects.get_for_id(item.concerns_type_id).name
                    if item.concerns_type_id
                    else ""
                ),
                concerns_url=url_of(concerns) if concerns and committee_reader else "",
                sees_all=committee_reader,
                can_edit=manager or item.owner_id == request.user.pk,
                can_delete=manager,
                is_owner=item.owner_id == request.user.pk,
                status_choices=STATUS_BUTTONS,
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class ActionItemCreateView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _form(self, request, data=None):
        initial = {}
        for key, field in (
            ("task", "concerns_task"),
            ("meeting", "meeting"),
            ("decision", "decision"),
        ):
            if request.GET.get(key, "").isdigit():
                initial[field] = int(request.GET[key])
        return ActionItemForm(data, program=self.program, initial=initial)

    def get(self, request, program):
        return render(
            request, "committee/action_form.html", self.get_context_data(form=self._form(request))
        )

    def post(self, request, program):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            concerns = data.pop("concerns_task", None)
            try:
                item = services.action_item_create(
                    actor=request.user, program=self.program, data=data, concerns=concerns
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Action item “{item.title}” added.")
                return redirect(item)
        return render(
            request, "committee/action_form.html", self.get_context_data(form=form), status=400
        )


class ActionItemEditView(ProgramViewMixin, View):
    """Managers edit every field; the owner sees and changes only status and notes."""

    capability = "view_program"

    def _item_and_form(self, request, pk, data=None):
        item = get_action_item_for_user(request.user, self.program, pk)
        copy = ActionItem.objects.get(pk=item.pk)
        if has_capability(request.user, self.program, "manage_committee"):
            form = ActionItemForm(data, instance=copy, program=self.program, with_concerns=False)
        elif item.owner_id == request.user.pk:
            form = OwnerActionItemForm(data, instance=copy)
        else:
            raise PermissionDenied("Only the owner or the committee may change this item.")
        return item, form

    def get(self, request, program, pk):
        item, form = self._item_and_form(request, pk)
        return render(
            request, "committee/action_form.html", self.get_context_data(form=form, item=item)
        )

    def post(self, request, program, pk):
        item, form = self._item_and_form(request, pk, request.POST)
        if form.is_valid():
            try:
                services.action_item_update(actor=request.user, item=item, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Action item “{item.title}” saved.")
                return redirect(item)
        return render(
            request,
            "committee/action_form.html",
            self.get_context_data(form=form, item=item),
            status=400,
        )


class ActionItemStatusView(ProgramViewMixin, View):
    """One click: set the status (owner or committee), then back where the user was."""

    capability = "view_program"

    def post(self, request, program, pk):
        item = get_action_item_for_user(request.user, self.program, pk)
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
                    item=with_open_rank(ActionItem.objects.filter(pk=item.pk))
                    .select_related("meeting")
                    .get(),
                    today=program_today(self.program),
                    status_choices=STATUS_BUTTONS,
                    just_changed=True,
                    next_url=reverse("my-actions", kwargs={"program": self.program.slug}),
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


class ActionItemDeleteView(ProgramViewMixin, View):
    capability = "manage_committee"

    def get(self, request, program, pk):
        item = get_action_item_for_user(request.user, self.program, pk)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=item,
                question=f"Delete the action item “{item.title}”?",
                cancel_url=item.get_absolute_url(),
            ),
        )

    def post(self, request, program, pk):
        item = get_action_item_for_user(request.user, self.program, pk)
        services.action_item_delete(actor=request.user, item=item)
        messages.success(request, f"Action item “{item.title}” deleted.")
        return redirect("action-list", program=self.program.slug)
