"""The meeting's own page: agenda, attendance and minutes, decisions, action items.

Each form on the page posts to its own address; a refusal re-renders the whole page
(status 400) with that form as typed. Attendance and minutes are one form, so saving
one never loses what was typed in the other.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from citkit.committee import documents, services
from citkit.committee.forms.meetings import (
    AgendaItemForm,
    DecisionForm,
    MeetingActionItemForm,
    MeetingRecordForm,
)
from citkit.committee.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from citkit.committee.selectors import seats_and_attendance
from citkit.committee.views.meetings import get_meeting_for_user
from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView


class MeetingPageMixin(ProgramViewMixin):
    """Renders the meeting page, with any form the request just bound (and its errors)."""

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "meeting"):
            self.meeting = get_meeting_for_user(self.request.user, self.program, self.kwargs["pk"])
        return self.meeting

    def render_detail(self, meeting, *, status=200, **forms):
        user, program = self.request.user, self.program
        today = program.today()
        policy = policy_for(Meeting)
        can_manage = policy.may_on(user, meeting, "change")
        seats, recorded = seats_and_attendance(meeting)
        counts = {value: 0 for value in Attendance.Status.values}
        for value in recorded.values():
            counts[value] += 1
        action_items = list(
            meeting.action_items.with_overdue(today).select_related("owner", "decision")
        )
        for item in action_items:
            item.link = reverse("action-detail", kwargs={"program": program.slug, "pk": item.pk})
        context = self.get_context_data(
            meeting=meeting,
            when=documents.format_when(meeting.starts_at, meeting.ends_at, program),
            agenda_items=list(meeting.agenda_items.all()),
            attendance_rows=[
                (seat, Attendance.Status(recorded[seat.pk]).label if seat.pk in recorded else "")
                for seat in seats
            ],
            attendance_counts=[
                (label, counts[value]) for value, label in Attendance.Status.choices
            ],
            not_recorded=sum(1 for s in seats if s.pk not in recorded),
            decisions=list(meeting.decisions.all()),
            action_items=action_items,
            today=today,
            can_manage=can_manage,
            can_delete=policy.may_on(user, meeting, "delete")
            and meeting.status != Meeting.Status.HELD,
            can_see_history=has_capability(user, program, "view_audit"),
            committee_url=reverse("committee-home", kwargs={"program": program.slug}),
        )
        if can_manage:
            context.update(
                agenda_form=forms.get("agenda_form") or AgendaItemForm(),
                record_form=forms.get("record_form")
                or MeetingRecordForm(
                    seats=seats, recorded=recorded, initial={"minutes": meeting.minutes}
                ),
                decision_form=forms.get("decision_form") or DecisionForm(),
                action_form=forms.get("action_form")
                or MeetingActionItemForm(program=program, meeting=meeting),
                open_form=next(iter(forms), ""),
            )
        return render(self.request, "committee/meeting_detail.html", context, status=status)


class MeetingDetailView(MeetingPageMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        return self.render_detail(self.get_meeting())


class _MeetingInlineView(MeetingPageMixin, ServiceFormView):
    """A form on the meeting's page: GET goes to the page, a refusal re-renders it."""

    capability = "view_committee"
    action = "add"
    form_key = ""
    anchor = ""

    def get_object(self):
        self.get_meeting()
        return None

    def check_permission(self, obj):
        policy_for(self.model).require(self.request.user, self.program, self.action)

    def get(self, request, *args, **kwargs):
        return redirect(self.get_meeting())

    def form_invalid(self, form):
        return self.render_detail(self.get_meeting(), status=400, **{self.form_key: form})

    def get_success_url(self, obj):
        return self.get_meeting().get_absolute_url() + f"#{self.anchor}"


class MeetingAgendaAddView(_MeetingInlineView):
    model = AgendaItem
    form_class = AgendaItemForm
    form_key = "agenda_form"
    anchor = "agenda"
    success_message = "Agenda item added."

    def call_service(self, form):
        return services.agenda_item_add(
            actor=self.request.user, meeting=self.get_meeting(), data=form.cleaned_data
        )


class MeetingRecordView(_MeetingInlineView):
    """Attendance and minutes together (see MeetingRecordForm). The page's two buttons
    post to two addresses only to say which part the person meant to save."""

    model = Attendance
    action = "change"
    form_class = MeetingRecordForm
    form_key = "record_form"
    anchor = "attendance"
    success_message = "Attendance saved."

    def get_form_kwargs(self):
        seats, recorded = seats_and_attendance(self.get_meeting())
        return {"seats": seats, "recorded": recorded}

    def check_permission(self, obj):
        policy_for(Meeting).require_on(self.request.user, self.get_meeting(), "change")
        super().check_permission(obj)

    def call_service(self, form):
        return services.meeting_record(
            actor=self.request.user,
            meeting=self.get_meeting(),
            statuses=form.statuses(),
            minutes=form.typed_minutes(),
        )


class MeetingMinutesView(MeetingRecordView):
    anchor = "minutes"
    success_message = "Minutes saved."


class MeetingDecisionAddView(_MeetingInlineView):
    model = Decision
    form_class = DecisionForm
    form_key = "decision_form"
    anchor = "decisions"
    success_message = "Decision recorded."

    def call_service(self, form):
        return services.decision_record(
            actor=self.request.user, meeting=self.get_meeting(), data=form.cleaned_data
        )


class MeetingActionAddView(_MeetingInlineView):
    model = ActionItem
    form_class = MeetingActionItemForm
    form_key = "action_form"
    anchor = "actions"
    success_message = "Action item added."

    def get_form_kwargs(self):
        return {"program": self.program, "meeting": self.get_meeting()}

    def call_service(self, form):
        return services.action_item_create(
            actor=self.request.user,
            program=self.program,
            data={**form.cleaned_data, "meeting": self.get_meeting()},
        )


class MeetingAgendaRemoveView(ServiceDeleteView):
    capability = "view_committee"
    model = AgendaItem
    pk_url_kwarg = "item_pk"
    question = "Remove “{obj.title}” from the agenda?"
    success_message = "“{obj.title}” removed from the agenda."
    confirm_label = "Yes, remove"

    def get_queryset(self):
        meeting = get_meeting_for_user(self.request.user, self.program, self.kwargs["pk"])
        return AgendaItem.objects.filter(meeting=meeting).select_related("meeting__program")

    def call_service(self, obj):
        services.agenda_item_remove(actor=self.request.user, item=obj)

    def get_success_url(self, obj):
        return obj.meeting.get_absolute_url() + "#agenda"

    def get_cancel_url(self, obj):
        return obj.meeting.get_absolute_url() + "#agenda"
