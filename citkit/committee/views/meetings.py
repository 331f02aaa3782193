"""Pages for committee meetings: the list, add/edit/delete, status, the iCalendar feed
and the printable agenda and minutes. The meeting's own page is in meeting_page.py.

Readers: view_committee. Every write: manage_committee, through committee.services.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View

from citkit.committee import documents, services
from citkit.committee.calendar import feed_token, feed_user, meetings_calendar
from citkit.committee.filters import MeetingFilterSet
from citkit.committee.forms.meetings import MeetingForm, MeetingStatusForm
from citkit.committee.models import Meeting
from citkit.committee.selectors import seats_and_attendance
from citkit.core.access import record_access
from citkit.core.models import AccessEntry, Program
from citkit.core.permissions import get_program_for_user, require
from citkit.core.policies import policy_for
from citkit.core.views.base import FilteredListView, ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView


def get_meeting_for_user(user, program, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user, program).select_related("program"), pk=pk
    )


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
            can_add=policy_for(Meeting).may(self.request.user, self.program, "add"),
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


class MeetingCreateView(ServiceFormView):
    capability = "view_committee"
    model = Meeting
    action = "add"
    form_class = MeetingForm
    template_name = "committee/meeting_form.html"
    success_message = "Meeting added."

    def get_form_kwargs(self):
        # Committees usually meet in the same place and on the same call.
        last = Meeting.objects.filter(program=self.program).order_by("-starts_at").first()
        if last is None:
            return {}
        return {
            "initial": {"title": last.title, "location": last.location, "call_link": last.call_link}
        }

    def call_service(self, form):
        return services.meeting_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class MeetingEditView(ServiceFormView):
    capability = "view_committee"
    model = Meeting
    form_class = MeetingForm
    template_name = "committee/meeting_form.html"
    success_message = "Meeting saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.object, **kwargs)

    def call_service(self, form):
        return services.meeting_update(
            actor=self.request.user, meeting=self.object, data=form.cleaned_data
        )


class MeetingDeleteView(ServiceDeleteView):
    capability = "view_committee"
    model = Meeting
    question = "Delete the meeting “{obj}”?"
    success_message = "The meeting “{obj}” was deleted."
    consequence = (
        "Its agenda, attendance and decisions go with it. The change is recorded in the "
        "audit trail."
    )

    def call_service(self, obj):
        services.meeting_delete(actor=self.request.user, meeting=obj)

    def get_success_url(self, obj):
        return self.program_url("meeting-list")


class MeetingStatusView(ProgramViewMixin, View):
    """Mark a meeting held, cancelled or scheduled again."""

    capability = "view_committee"

    def post(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        policy_for(Meeting).require_on(request.user, meeting, "change")
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
        messages.success(request, f"Meeting marked {meeting.get_status_display().lower()}.")
        return redirect(meeting)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _document_response(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    # A PDF opens in the browser; a Word file is saved, to be edited.
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _record_download(request, program, what: str, meeting, fmt: str) -> None:
    """The agenda and the minutes name the committee's members and presenters: each
    download is in the access log (core.access), once the document is made."""
    record_access(
        user=request.user,
        program=program,
        action=AccessEntry.Action.DOWNLOAD,
        what=f"{what} ({fmt.upper()})",
        obj=meeting,
    )


class MeetingAgendaView(ProgramViewMixin, View):
    """The agenda as PDF (to print) or DOCX (to edit before the meeting)."""

    capability = "view_committee"
    fmt = "pdf"

    def get(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        render = documents.agenda_pdf if self.fmt == "pdf" else documents.agenda_docx
        content = render(meeting)
        _record_download(request, self.program, f"Agenda of {meeting}", meeting, self.fmt)
        return _document_response(content, documents.agenda_filename(meeting, self.fmt), self.fmt)


class MeetingMinutesView(ProgramViewMixin, View):
    """The minutes as PDF or DOCX, with the seats whose attendance is not recorded."""

    capability = "view_committee"
    fmt = "pdf"

    def get(self, request, program, pk):
        meeting = get_meeting_for_user(request.user, self.program, pk)
        seats, recorded = seats_and_attendance(meeting)
        unrecorded = [s for s in seats if s.pk not in recorded]
        render = documents.minutes_pdf if self.fmt == "pdf" else documents.minutes_docx
        content = render(meeting, unrecorded_seats=unrecorded)
        _record_download(request, self.program, f"Minutes of {meeting}", meeting, self.fmt)
        return _document_response(content, documents.minutes_filename(meeting, self.fmt), self.fmt)


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
