"""The committee's home page (seats, subcommittees at a glance) and the seat pages."""

from django.shortcuts import render
from django.views import View

from citkit.committee import services
from citkit.committee.forms.committee import SeatEndForm, SeatForm
from citkit.committee.models import Seat, ServiceGap, Subcommittee
from citkit.committee.selectors import balance_view, composition_view
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView


class CommitteeHomeView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program):
        today = self.program.today()
        seats = list(
            Seat.objects.visible_to(request.user, self.program).select_related("agency", "user")
        )
        current = [s for s in seats if s.end_date is None or s.end_date >= today]
        past = [s for s in seats if s.end_date is not None and s.end_date < today]
        past.sort(key=lambda s: (s.end_date, s.pk), reverse=True)
        subcommittees = Subcommittee.objects.visible_to(request.user, self.program)
        rows = [
            {"sub": s, "balance": balance_view(s), "overdue": s.is_overdue(today)}
            for s in subcommittees.prefetch_related("members")
        ]
        return render(
            request,
            "committee/home.html",
            self.get_context_data(
                today=today,
                current_seats=current,
                past_seats=past,
                composition=composition_view(self.program),
                subcommittees=rows,
                can_manage=policy_for(Seat).may(request.user, self.program, "change"),
                open_gaps=ServiceGap.objects.visible_to(request.user, self.program).open().count(),
            ),
        )


class SeatCreateView(ServiceFormView):
    capability = "view_committee"
    model = Seat
    action = "add"
    form_class = SeatForm
    template_name = "committee/seat_form.html"
    success_message = "Seat for {obj.holder_name} added."

    def get_form_kwargs(self):
        return {"program": self.program, "initial": {"start_date": self.program.today()}}

    def call_service(self, form):
        return services.seat_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class SeatEditView(ServiceFormView):
    capability = "view_committee"
    model = Seat
    form_class = SeatForm
    template_name = "committee/seat_form.html"
    success_message = "Seat of {obj.holder_name} saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(seat=self.object, **kwargs)

    def call_service(self, form):
        return services.seat_update(
            actor=self.request.user, seat=self.object, data=form.cleaned_data
        )


class SeatEndView(ServiceFormView):
    """Give a seat its end date: the holder leaves, the record stays."""

    capability = "view_committee"
    model = Seat
    form_class = SeatEndForm
    template_name = "committee/seat_end.html"
    success_message = "Seat of {obj.holder_name} ends on {obj.end_date:%Y-%m-%d}."

    def get_form_kwargs(self):
        return {"initial": {"end_date": self.object.end_date or self.program.today()}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(seat=self.object, **kwargs)

    def call_service(self, form):
        return services.seat_update(
            actor=self.request.user, seat=self.object, data=form.cleaned_data
        )


class SeatDeleteView(ServiceDeleteView):
    capability = "view_committee"
    model = Seat
    success_message = "Seat of {obj.holder_name} deleted."
    consequence = (
        "A seat with attendance on record cannot be deleted: give it an end date instead. "
        "The change is recorded in the audit trail."
    )

    def get_question(self, obj):
        return f"Delete the seat of {obj.holder_name} ({obj.get_seat_type_display()})?"

    def call_service(self, obj):
        services.seat_delete(actor=self.request.user, seat=obj)

    def get_success_url(self, obj):
        return self.program_url("committee-home")
