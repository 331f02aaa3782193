"""Pages for the Steering Committee's seats, its subcommittees and the service-gap register."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.committee import services
from citkit.committee.forms_committee import (
    GAP_SORT_LABELS,
    GAP_SORTS,
    GapFilterSet,
    SeatEndForm,
    SeatForm,
    ServiceGapForm,
    SubcommitteeForm,
    SubcommitteeMemberForm,
    SubcommitteeReportForm,
    gap_queryset,
    user_label,
)
from citkit.committee.models import Seat, ServiceGap, Subcommittee, SubcommitteeMember
from citkit.committee.selectors import committee_composition, program_today, subcommittee_balance
from citkit.core.permissions import has_capability
from citkit.core.views.base import FilteredListView, ProgramViewMixin, form_errors_from

BALANCE_LABELS = {
    "officer": "an officer",
    "provider": "a mental-health provider",
    "advocate": "an advocate",
}
# What the committee needs, phrased for the sentence under the composition check.
COMPOSITION_NEEDS = {
    "Law enforcement": "a law-enforcement seat",
    "Mental-health provider": "a mental-health provider seat",
    "Advocate (lived experience or family)": "an advocate seat (lived experience or family)",
    "Chair": "a chair",
}


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def balance_view(subcommittee) -> dict:
    """The balance check of a subcommittee, with the sentence that names what is missing."""
    balance = subcommittee_balance(subcommittee)
    missing = [BALANCE_LABELS[key] for key, present in balance.items() if not present]
    if missing:
        sentence = f"It still needs {_join(missing)}."
    else:
        sentence = "It includes an officer, a mental-health provider and an advocate."
    return {
        "flags": balance,
        "checks": [(BALANCE_LABELS[key], present) for key, present in balance.items()],
        "missing": missing,
        "sentence": sentence,
    }


def composition_view(program) -> dict:
    """The composition check for the page: one row per requirement and a sentence."""
    check = committee_composition(program)
    missing = list(check.missing)
    if not check.has_chair:
        missing.append("Chair")
    if missing:
        needs = [COMPOSITION_NEEDS.get(m, f"a {m.lower()} seat") for m in missing]
        sentence = f"The committee still needs {_join(needs)}."
    else:
        sentence = (
            "The committee has the core partners the CIT model asks for "
            "(law enforcement, a mental-health provider and an advocate) and a chair."
        )
    return {
        "rows": [*check.required, ("Chair", check.has_chair)],
        "complete": not missing,
        "missing": missing,
        "sentence": sentence,
        "seats": check.seats,
    }


def _deadline(subcommittee, today) -> dict:
    return {"overdue": bool(subcommittee.deadline and subcommittee.deadline < today)}


# --- Committee home and seats ---------------------------------------------------


class CommitteeHomeView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program):
        today = program_today(self.program)
        seats = list(
            Seat.objects.visible_to(request.user, self.program).select_related("agency", "user")
        )
        current = [s for s in seats if s.end_date is None or s.end_date >= today]
        past = [s for s in seats if s.end_date is not None and s.end_date < today]
        past.sort(key=lambda s: (s.end_date, s.pk), reverse=True)
        subcommittees = list(
            Subcommittee.objects.visible_to(request.user, self.program).prefetch_related("members")
        )
        rows = [
            {"sub": s, "balance": balance_view(s), **_deadline(s, today)} for s in subcommittees
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
                can_manage=has_capability(request.user, self.program, "manage_committee"),
                open_gaps=ServiceGap.objects.visible_to(request.user, self.program)
                .filter(status__in=[ServiceGap.Status.OPEN, ServiceGap.Status.WORKAROUND])
                .count(),
            ),
        )


def get_seat(user, program, pk) -> Seat:
    return get_object_or_404(Seat.objects.visible_to(user, program), pk=pk)


class SeatCreateView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, request, form, status=200):
        return render(
            request, "committee/seat_form.html", self.get_context_data(form=form), status=status
        )

    def get(self, request, program):
        form = SeatForm(program=self.program, initial={"start_date": program_today(self.program)})
        return self._render(request, form)

    def post(self, request, program):
        form = SeatForm(request.POST, program=self.program)
        if form.is_valid():
            try:
                seat = services.seat_create(
                    actor=request.user, program=self.program, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Seat for {seat.holder_name} added.")
                return redirect(seat)
        return self._render(request, form, status=400)


class SeatEditView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, request, form, seat, status=200):
        return render(
            request,
            "committee/seat_form.html",
            self.get_context_data(form=form, seat=seat),
            status=status,
        )

    def get(self, request, program, pk):
        seat = get_seat(request.user, self.program, pk)
        return self._render(request, SeatForm(instance=seat, program=self.program), seat)

    def post(self, request, program, pk):
        seat = get_seat(request.user, self.program, pk)
        form = SeatForm(request.POST, program=self.program)
        if form.is_valid():
            try:
                services.seat_update(actor=request.user, seat=seat, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Seat of {seat.holder_name} saved.")
                return redirect(seat)
        return self._render(request, form, seat, status=400)


class SeatEndView(ProgramViewMixin, View):
    """Give a seat its end date: the holder leaves, the record stays."""

    capability = "manage_committee"

    def _render(self, request, form, seat, status=200):
        return render(
            request,
            "committee/seat_end.html",
            self.get_context_data(form=form, seat=seat),
            status=status,
        )

    def get(self, request, program, pk):
        seat = get_seat(request.user, self.program, pk)
        form = SeatEndForm(
            seat=seat, initial={"end_date": seat.end_date or program_today(self.program)}
        )
        return self._render(request, form, seat)

    def post(self, request, program, pk):
        seat = get_seat(request.user, self.program, pk)
        form = SeatEndForm(request.POST, seat=seat)
        if form.is_valid():
            try:
                services.seat_update(actor=request.user, seat=seat, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, f"Seat of {seat.holder_name} ends on {seat.end_date:%Y-%m-%d}."
                )
                return redirect(seat)
        return self._render(request, form, seat, status=400)


class SeatDeleteView(ProgramViewMixin, View):
    capability = "manage_committee"

    def get(self, request, program, pk):
        seat = get_seat(request.user, self.program, pk)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=seat,
                question=f"Delete the seat of {seat.holder_name} ({seat.get_seat_type_display()})?",
                cancel_url=seat.get_absolute_url(),
            ),
        )

    def post(self, request, program, pk):
        seat = get_seat(request.user, self.program, pk)
        try:
            services.seat_delete(actor=request.user, seat=seat)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(seat)
        messages.success(request, f"Seat of {seat.holder_name} deleted.")
        return redirect("committee-home", program=self.program.slug)


# --- Subcommittees --------------------------------------------------------------


class SubcommitteesSeedView(ProgramViewMixin, View):
    """Create the model's Systems, Data and Training subcommittees where missing."""

    capability = "manage_committee"

    def post(self, request, program):
        created = services.subcommittees_seed(actor=request.user, program=self.program)
        if created:
            messages.success(
                request, f"Created the {_join([s.name for s in created])} subcommittees."
            )
        else:
            messages.success(request, "The Systems, Data and Training subcommittees exist.")
        return redirect("committee-home", program=self.program.slug)


def get_subcommittee(user, program, pk) -> Subcommittee:
    return get_object_or_404(Subcommittee.objects.visible_to(user, program), pk=pk)


class SubcommitteeDetailView(ProgramViewMixin, View):
    capability = "view_committee"

    def render_detail(self, request, sub, status=200, **forms):
        today = program_today(self.program)
        can_manage = has_capability(request.user, self.program, "manage_committee")
        # subcommittee_balance reads sub.members.all(): read the members once, with agencies.
        prefetch_related_objects(
            [sub], Prefetch("members", queryset=SubcommitteeMember.objects.select_related("agency"))
        )
        members = list(sub.members.all())
        context = {
            "sub": sub,
            "members": members,
            "balance": balance_view(sub),
            "reports": list(sub.reports.all()),
            "today": today,
            "can_manage": can_manage,
            **_deadline(sub, today),
        }
        if can_manage:
            context["member_form"] = forms.get("member_form") or SubcommitteeMemberForm(
                program=self.program, prefix="member"
            )
            context["report_form"] = forms.get("report_form") or SubcommitteeReportForm(
                prefix="report", initial={"reported_on": today}
            )
        return render(
            request,
            "committee/subcommittee_detail.html",
            self.get_context_data(**context),
            status=status,
        )

    def get(self, request, program, pk):
        return self.render_detail(request, get_subcommittee(request.user, self.program, pk))


class SubcommitteeCreateView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, request, form, status=200):
        return render(
            request,
            "committee/subcommittee_form.html",
            self.get_context_data(form=form),
            status=status,
        )

    def get(self, request, program):
        return self._render(request, SubcommitteeForm())

    def post(self, request, program):
        form = SubcommitteeForm(request.POST)
        if form.is_valid():
            try:
                sub = services.subcommittee_create(
                    actor=request.user, program=self.program, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{sub.name} subcommittee added.")
                return redirect(sub)
        return self._render(request, form, status=400)


class SubcommitteeEditView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, request, form, sub, status=200):
        return render(
            request,
            "committee/subcommittee_form.html",
            self.get_context_data(form=form, sub=sub),
            status=status,
        )

    def get(self, request, program, pk):
        sub = get_subcommittee(request.user, self.program, pk)
        return self._render(request, SubcommitteeForm(instance=sub), sub)

    def post(self, request, program, pk):
        sub = get_subcommittee(request.user, self.program, pk)
        form = SubcommitteeForm(request.POST)
        if form.is_valid():
            try:
                services.subcommittee_update(
                    actor=request.user, subcommittee=sub, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{sub.name} subcommittee saved.")
                return redirect(sub)
        return self._render(request, form, sub, status=400)


class SubcommitteeMemberAddView(SubcommitteeDetailView):
    capability = "manage_committee"

    def get(self, request, program, pk):
        return redirect(get_subcommittee(request.user, self.program, pk))

    def post(self, request, program, pk):
        sub = get_subcommittee(request.user, self.program, pk)
        form = SubcommitteeMemberForm(request.POST, program=self.program, prefix="member")
        if form.is_valid():
            try:
                member = services.subcommittee_member_add(
                    actor=request.user, subcommittee=sub, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{member.name} joined the {sub.name} subcommittee.")
                return redirect(sub)
        return self.render_detail(request, sub, status=400, member_form=form)


class SubcommitteeMemberRemoveView(ProgramViewMixin, View):
    capability = "manage_committee"

    def post(self, request, program, pk, member_pk):
        sub = get_subcommittee(request.user, self.program, pk)
        member = get_object_or_404(SubcommitteeMember, subcommittee=sub, pk=member_pk)
        services.subcommittee_member_remove(actor=request.user, member=member)
        messages.success(request, f"{member.name} removed from the {sub.name} subcommittee.")
        return redirect(sub)


class SubcommitteeReportAddView(SubcommitteeDetailView):
    capability = "manage_committee"

    def get(self, request, program, pk):
        return redirect(get_subcommittee(request.user, self.program, pk))

    def post(self, request, program, pk):
        sub = get_subcommittee(request.user, self.program, pk)
        form = SubcommitteeReportForm(request.POST, prefix="report")
        if form.is_valid():
            try:
                services.subcommittee_report_add(
                    actor=request.user, subcommittee=sub, data=form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Report added.")
                return redirect(sub)
        return self.render_detail(request, sub, status=400, report_form=form)


# --- Service gaps ----------------------------------------------------------------


class GapListView(FilteredListView):
    capability = "view_committee"
    model = ServiceGap
    filterset_class = GapFilterSet
    sorts = GAP_SORTS
    sort_labels = GAP_SORT_LABELS
    default_sort = "status"
    template_name = "committee/gap_list.html"
    partial_template_name = "committee/gap_rows.html"
    csv_filename = "service-gaps.csv"

    def get_queryset(self):
        return gap_queryset(super().get_queryset())

    def get_filterset(self, queryset):
        return GapFilterSet(self.request.GET or None, queryset=queryset, program=self.program)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = has_capability(self.request.user, self.program, "manage_committee")
        context["today"] = program_today(self.program)
        return context

    def csv_header(self):
        return [
            "title",
            "status",
            "affected partners",
            "interim workaround",
            "owner",
            "target date",
            "description",
            "last changed (UTC)",
        ]

    def csv_row(self, gap):
        return [
            gap.title,
            gap.get_status_display(),
            "; ".join(a.name for a in gap.affected_agencies.all()),
            gap.workaround,
            user_label(gap.owner) if gap.owner else "",
            gap.target_date.isoformat() if gap.target_date else "",
            gap.description,
            gap.updated_at.isoformat(),
        ]


def get_gap(user, program, pk) -> ServiceGap:
    return get_object_or_404(
        ServiceGap.objects.visible_to(user, program)
        .select_related("owner")
        .prefetch_related("affected_agencies"),
        pk=pk,
    )


class GapDetailView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        gap = get_gap(request.user, self.program, pk)
        today = program_today(self.program)
        return render(
            request,
            "committee/gap_detail.html",
            self.get_context_data(
                gap=gap,
                today=today,
                overdue=bool(gap.is_open and gap.target_date and gap.target_date < today),
                owner_label=user_label(gap.owner) if gap.owner else "",
                can_manage=has_capability(request.user, self.program, "manage_committee"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


def _gap_data(form) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    affected = list(data.pop("affected_agencies", []) or [])
    return data, affected


class GapCreateView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, request, form, status=200):
        return render(
            request, "committee/gap_form.html", self.get_context_data(form=form), status=status
        )

    def get(self, request, program):
        return self._render(request, ServiceGapForm(program=self.program))

    def post(self, request, program):
        form = ServiceGapForm(request.POST, program=self.program)
        if form.is_valid():
            data, affected = _gap_data(form)
            try:
                gap = services.gap_create(
                    actor=request.user, program=self.program, data=data, affected=affected
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Gap “{gap.title}” added to the register.")
                return redirect(gap)
        return self._render(request, form, status=400)


class GapEditView(ProgramViewMixin, View):
    capability = "manage_committee"

    def _render(self, request, form, gap, status=200):
        return render(
            request,
            "committee/gap_form.html",
            self.get_context_data(form=form, gap=gap),
            status=status,
        )

    def get(self, request, program, pk):
        gap = get_gap(request.user, self.program, pk)
        return self._render(request, ServiceGapForm(instance=gap, program=self.program), gap)

    def post(self, request, program, pk):
        gap = get_gap(request.user, self.program, pk)
        form = ServiceGapForm(request.POST, program=self.program)
        if form.is_valid():
            data, affected = _gap_data(form)
            try:
                services.gap_update(actor=request.user, gap=gap, data=data, affected=affected)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Gap “{gap.title}” saved.")
                return redirect(gap)
        return self._render(request, form, gap, status=400)


class GapDeleteView(ProgramViewMixin, View):
    capability = "manage_committee"

    def get(self, request, program, pk):
        gap = get_gap(request.user, self.program, pk)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=gap,
                question=f"Delete the gap “{gap.title}” from the register?",
                cancel_url=gap.get_absolute_url(),
            ),
        )

    def post(self, request, program, pk):
        gap = get_gap(request.user, self.program, pk)
        services.gap_delete(actor=request.user, gap=gap)
        messages.success(request, f"Gap “{gap.title}” deleted.")
        return redirect("gap-list", program=self.program.slug)
