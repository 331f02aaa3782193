"""Pages for committee meetings: list, detail (agenda, attendance, minutes, decisions,
action items), add/edit/delete, the iCalendar feed and the printable agenda and minutes.

Readers: view_committee. Every write: manage_committee, through committee.services.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from citkit.committee import documents, services
from citkit.committee.calendar import feed_token, feed_user, meetings_calendar
from citkit.committee.forms_meetings import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingActionItemForm,
    MeetingFilterSet,
    MeetingForm,
    MeetingStatusForm,
    MinutesForm,
)
from citkit.committee.models import AgendaItem, Attendance, Meeting
from citkit.committee.selectors import active_seats, program_today
from citkit.core.models import Program
from citkit.core.permissions import get_program_for_user, has_capability, require
from citkit.core.views.base import FilteredListView, ProgramViewMixin, form_errors_from


def get_meeting_for_user(user, program, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user, program).select_related("program"), pk=pk
    )


def _url_or_empty(name: str, **kwargs) -> str:
    """A link to a page another part of citkit provides, or "" while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def calendar_address(request, program) -> str:
    """The user's personal subscription address for the program's meetings."""
    url = request.build_absolute_uri(reverse("meeting-ics", kwargs={"program": program.slug}))
    # The token is URL-safe base64 and ":" already; no escaping keeps the address readable.
    return f"{url}?token={feed_token(request.user, program)}"


class MeetingListView(FilteredListView):
    """Upcoming meetings (soonest first), then past ones (newest first, paged)."""

    capability = "view_committee"
    model = Meeting
    filterset_class = MeetingFilterSet
    sorts = {"newest": ["-starts_at", "-id"]}
    default_sort = "newest"
    sort_labels = {"newest": "Newest first"}
    template_name = "committee/meeting_list.html"
    partial_template_name = "committee/meeting_list_rows.html"
    csv_filename = "meetings.csv"

    def _meetings(self):
        return Meeting.objects.visible_to(self.request.user, self.program).annotate(
            agenda_count=Count("agenda_items")
        )

    def get_queryset(self):
        meetings = self._meetings()
        if self.request.GET.get("format") == "csv":
            return meetings  # the export holds every meeting
        return meetings.filter(ends_at__lt=self.now)

    def get(self, request, *args, **kwargs):
        self.now = timezone.now()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        upcoming = []
        show_upcoming = not self.request.GET.get("cursor")
        if show_upcoming:
            meetings = self._meetings().filter(ends_at__gte=self.now)
            if filterset.is_bound and filterset.is_valid():
                meetings = filterset.filter_queryset(meetings)
            upcoming = list(meetings.order_by("starts_at", "id")[: settings.CITKIT_PAGE_SIZE])
        calendar_url = calendar_address(self.request, self.program)
        context.update(
            show_upcoming=show_upcoming,
            upcoming=upcoming,
            upcoming_capped=len(upcoming) >= settings.CITKIT_PAGE_SIZE,
            can_add=has_capability(self.request.user, self.program, "manage_committee"),
            calendar_url=calendar_url,
            webcal_url="webcal://" + calendar_url.split("://", 1)[1],
        )
        return context

    def csv_header(self):
        return [
            "date",
            "starts",
            "ends",
            "time zone",
            "title",
            "status",
            "location",
            "call link",
            "agenda items",
        ]

    def csv_row(self, m):
        starts, ends = timezone.localtime(m.starts_at), timezone.localtime(m.ends_at)
        return [
            starts.date().isoformat(),
            starts.strftime("%H:%M"),
            ends.strftime("%H:%M"),
            self.program.time_zone,
            m.title,
            m.get_status_display(),
            m.location,
            m.call_link,
            m.agenda_count,
        ]


class MeetingPageMixin(ProgramViewMixin):
    """Renders the meeting page, with any form the request just bound (and its errors)."""

    def get_meeting(self, pk) -> Meeting:
        return get_meeting_for_user(self.request.user, self.program, pk)

    def seats_and_attendance(self, meeting):
        """Seats active on the meeting's (local) date, plus any other seat with attendance
        recorded for it; and the recorded status per seat id."""
        day = documents.local(meeting.starts_at, self.program).date()
        recorded = list(meeting.attendance.select_related("seat__agency"))
        seats = list(active_seats(self.program, on=day).select_related("agency"))
        listed = {s.pk for s in seats}
        seats += [a.seat for a in recorded if a.seat_id not in listed]
        seats.sort(key=lambda s: (s.holder_name.casefold(), s.pk))  # roll-call order
        return seats, {a.seat_id: a.status for a in recorded}

    def render_detail(self, meeting, *, status=200, **forms):
        user, program = self.request.user, self.program
        can_manage = has_capability(user, program, "manage_committee")
        seats, recorded = self.seats_and_attendance(meeting)
        counts = {value: 0 for value in Attendance.Status.values}
        for value in recorded.values():
            counts[value] += 1
        action_items = list(meeting.action_items.select_related("owner", "decision"))
        for item in action_items:
            item.link = _url_or_empty("action-detail", program=program.slug, pk=item.pk)
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
            today=program_today(program),
            can_manage=can_manage,
            can_delete=can_manage and meeting.status != Meeting.Status.HELD,
            can_see_history=has_capability(user, program, "view_audit"),
            committee_url=_url_or_empty("committee-home", program=program.slug),
        )
        if can_manage:
            context.update(
                agenda_form=forms.get("agenda_form") or AgendaItemForm(),
                attendance_form=forms.get("attendance_form")
                or AttendanceForm(seats=seats, recorded=recorded),
                minutes_form=forms.get("minutes_form")
                or MinutesForm(initial={"minutes": meeting.minutes}),
                decision_form=forms.get("decision_form") or DecisionForm(),
                action_form=forms.get("action_form")
                or MeetingActionItemForm(program=program, meeting=meeting),
                open_form=next(iter(forms), ""),
            )
        return render(self.request, "committee/meeting_detail.html", context, status=status)

    def done(self, meeting, message: str, anchor: str = ""):
        messages.success(self.request, message)
        return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


class MeetingDetailView(MeetingPageMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        return self.render_detail(self.get_meeting(pk))


class MeetingCreateView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, form, status=200):
        return render(
            self.request,
            "committee/meeting_form.html",
            self.get_context_data(form=form),
            status=status,
        )

    def get(self, request, program):
        # Committees usually meet in the same place and on the same call.
        last = Meeting.objects.filter(program=self.program).order_by("-starts_at").first()
        initial = {}
        if last is not None:
            initial = {"title": last.title, "location": last.location, "call_link": last.call_link}
        return self._render(MeetingForm(initial=initial))

    def post(self, request, program):
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    actor=request.user, program=self.program, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Meeting added.")
                return redirect(meeting)
        return self._render(form, status=400)


class MeetingEditView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, form, meeting, status=200):
        return render(
            self.request,
            "committee/meeting_form.html",
            self.get_context_data(form=form, meeting=meeting),
            status=status,
        )

    def get(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        return self._render(MeetingForm(instance=meeting), meeting)

    def post(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        form = MeetingForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk))
        if form.is_valid():
            try:
                services.meeting_update(actor=request.user, meeting=meeting, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Meeting saved.")
                return redirect(meeting)
        return self._render(form, meeting, status=400)


class MeetingDeleteView(ProgramViewMixin, View):
    capability = "manage_committee"

    def get(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=meeting,
                question=f"Delete the meeting “{meeting}”?",
                cancel_url=meeting.get_absolute_url(),
            ),
        )

    def post(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        try:
            services.meeting_delete(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(meeting)
        messages.success(request, f"The meeting “{meeting}” was deleted.")
        return redirect("meeting-list", program=self.program.slug)


class MeetingStatusView(MeetingPageMixin, View):
    """Mark a meeting held, cancelled or scheduled again."""

    capability = "manage_committee"

    def post(self, request, program, pk):
        meeting = self.get_meeting(pk)
        form = MeetingStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose held, cancelled or scheduled.")
            return redirect(meeting)
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, data={"status": form.cleaned_data["status"]}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(meeting)
        return self.done(meeting, f"Meeting marked {meeting.get_status_display().lower()}.")


class MeetingAgendaAddView(MeetingPageMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        meeting = self.get_meeting(pk)
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            try:
                services.agenda_item_add(
                    actor=request.user, meeting=meeting, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.done(meeting, "Agenda item added.", "agenda")
        return self.render_detail(meeting, status=400, agenda_form=form)


class MeetingAgendaRemoveView(MeetingPageMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk, item_pk):
        meeting = self.get_meeting(pk)
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk)
        services.agenda_item_remove(actor=request.user, item=item)
        return self.done(meeting, f"“{item.title}” removed from the agenda.", "agenda")


class MeetingAttendanceView(MeetingPageMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        meeting = self.get_meeting(pk)
        seats, recorded = self.seats_and_attendance(meeting)
        form = AttendanceForm(request.POST, seats=seats, recorded=recorded)
        if form.is_valid():
            try:
                services.attendance_record(
                    actor=request.user, meeting=meeting, statuses=form.statuses()
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.done(meeting, "Attendance saved.", "attendance")
        return self.render_detail(meeting, status=400, attendance_form=form)


class MeetingMinutesView(MeetingPageMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        meeting = self.get_meeting(pk)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    data={"minutes": form.cleaned_data["minutes"]},
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.done(meeting, "Minutes saved.", "minutes")
        return self.render_detail(meeting, status=400, minutes_form=form)


class MeetingDecisionAddView(MeetingPageMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        meeting = self.get_meeting(pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decision_record(
                    actor=request.user, meeting=meeting, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.done(meeting, "Decision recorded.", "decisions")
        return self.render_detail(meeting, status=400, decision_form=form)


class MeetingActionAddView(MeetingPageMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk):
        meeting = self.get_meeting(pk)
        form = MeetingActionItemForm(request.POST, program=self.program, meeting=meeting)
        if form.is_valid():
            try:
                services.action_item_create(
                    actor=request.user,
                    program=self.program,
                    data={**form.cleaned_data, "meeting": meeting},
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.done(meeting, "Action item added.", "actions")
        return self.render_detail(meeting, status=400, action_form=form)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class MeetingAgendaPdfView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        return _pdf_response(documents.agenda_pdf(meeting), documents.agenda_filename(meeting))


class MeetingMinutesPdfView(MeetingPageMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        meeting = self.get_meeting(pk)
        seats, recorded = self.seats_and_attendance(meeting)
        unrecorded = [s for s in seats if s.pk not in recorded]
        return _pdf_response(
            documents.minutes_pdf(meeting, unrecorded_seats=unrecorded),
            documents.minutes_filename(meeting),
        )


class MeetingCalendarView(View):
    """The program's meetings as iCalendar. With `?token=` (a calendar app subscribing)
    no sign-in is needed; a token that is forged, for another program or for a user who
    has left the program answers 404. Without a token the user must be signed in."""

    def get(self, request, program):
        token = request.GET.get("token")
        if token is not None:
            found = Program.objects.filter(slug=program).first()
            user = feed_user(token, found) if found is not None else None
            if user is None:
                raise Http404("No such calendar.")
            program_obj = found
        else:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            user = request.user
            program_obj = get_program_for_user(user, program)
            require(user, program_obj, "view_committee")
        meetings = (
            Meeting.objects.visible_to(user, program_obj)
            .prefetch_related("agenda_items")
            .order_by("starts_at", "id")
        )

        def url_for(meeting):
            return request.build_absolute_uri(
                reverse("meeting-detail", kwargs={"program": program_obj.slug, "pk": meeting.pk})
            )

        response = HttpResponse(
            meetings_calendar(program_obj, meetings, url_for=url_for),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{program_obj.slug}-meetings.ics"'
        response["Cache-Control"] = "private, no-cache"
        return response
