"""Pages for the register of missing crisis services (service gaps)."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from citkit.committee import services
from citkit.committee.filters import GAP_SORT_LABELS, GAP_SORTS, GapFilterSet
from citkit.committee.forms.committee import ServiceGapForm
from citkit.committee.models import ServiceGap
from citkit.committee.selectors import gaps_for_list
from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.core.selectors import user_choice_label
from citkit.core.views.base import FilteredListView, ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView


def get_gap(user, program, pk) -> ServiceGap:
    return get_object_or_404(
        ServiceGap.objects.visible_to(user, program)
        .select_related("owner")
        .prefetch_related("affected_agencies"),
        pk=pk,
    )


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
    export_access_label = "Service gaps export"

    def get_queryset(self):
        return gaps_for_list(super().get_queryset(), self.program.today())

    def get_filterset(self, queryset):
        return GapFilterSet(self.request.GET or None, queryset=queryset, program=self.program)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = policy_for(ServiceGap).may(self.request.user, self.program, "add")
        context["today"] = self.program.today()
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
            user_choice_label(gap.owner) if gap.owner else "",
            gap.target_date.isoformat() if gap.target_date else "",
            gap.description,
            gap.updated_at.isoformat(),
        ]


class GapDetailView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        gap = get_gap(request.user, self.program, pk)
        today = self.program.today()
        policy = policy_for(ServiceGap)
        return render(
            request,
            "committee/gap_detail.html",
            self.get_context_data(
                gap=gap,
                today=today,
                overdue=gap.is_overdue(today),
                owner_label=user_choice_label(gap.owner) if gap.owner else "",
                can_manage=policy.may_on(request.user, gap, "change"),
                can_see_history=has_capability(request.user, self.program, "view_audit"),
            ),
        )


class GapCreateView(ServiceFormView):
    capability = "view_committee"
    model = ServiceGap
    action = "add"
    form_class = ServiceGapForm
    template_name = "committee/gap_form.html"
    success_message = "Gap “{obj.title}” added to the register."

    def get_form_kwargs(self):
        return {"program": self.program}

    def call_service(self, form):
        data, affected = form.gap_data()
        return services.gap_create(
            actor=self.request.user, program=self.program, data=data, affected=affected
        )


class GapEditView(ServiceFormView):
    capability = "view_committee"
    model = ServiceGap
    form_class = ServiceGapForm
    template_name = "committee/gap_form.html"
    success_message = "Gap “{obj.title}” saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(gap=self.object, **kwargs)

    def call_service(self, form):
        data, affected = form.gap_data()
        return services.gap_update(
            actor=self.request.user, gap=self.object, data=data, affected=affected
        )


class GapDeleteView(ServiceDeleteView):
    capability = "view_committee"
    model = ServiceGap
    question = "Delete the gap “{obj.title}” from the register?"
    success_message = "Gap “{obj.title}” deleted."

    def call_service(self, obj):
        services.gap_delete(actor=self.request.user, gap=obj)

    def get_success_url(self, obj):
        return self.program_url("gap-list")
