"""Pages for subcommittees: the page of one (members, reports, balance), its forms."""

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.committee import services
from citkit.committee.forms.committee import (
    SubcommitteeForm,
    SubcommitteeMemberForm,
    SubcommitteeReportForm,
)
from citkit.committee.models import Subcommittee, SubcommitteeMember, SubcommitteeReport
from citkit.committee.selectors import balance_view, join_words
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView


def get_subcommittee(user, program, pk) -> Subcommittee:
    return get_object_or_404(Subcommittee.objects.visible_to(user, program), pk=pk)


class SubcommitteesSeedView(ProgramViewMixin, View):
    """Create the model's Systems, Data and Training subcommittees where missing."""

    capability = "view_committee"

    def post(self, request, program):
        created = services.subcommittees_seed(actor=request.user, program=self.program)
        if created:
            names = join_words([s.name for s in created])
            messages.success(request, f"Created the {names} subcommittees.")
        else:
            messages.success(request, "The Systems, Data and Training subcommittees exist.")
        return redirect("committee-home", program=self.program.slug)


class SubcommitteePageMixin(ProgramViewMixin):
    """Renders the subcommittee's page, with any form the request just bound."""

    def render_detail(self, sub, *, status=200, **forms):
        today = self.program.today()
        can_manage = policy_for(Subcommittee).may_on(self.request.user, sub, "change")
        # subcommittee_balance reads sub.members.all(): read the members once, with agencies.
        prefetch_related_objects(
            [sub], Prefetch("members", queryset=SubcommitteeMember.objects.select_related("agency"))
        )
        context = {
            "sub": sub,
            "members": list(sub.members.all()),
            "balance": balance_view(sub),
            "reports": list(sub.reports.all()),
            "today": today,
            "can_manage": can_manage,
            "overdue": sub.is_overdue(today),
        }
        if can_manage:
            context["member_form"] = forms.get("member_form") or SubcommitteeMemberForm(
                program=self.program
            )
            context["report_form"] = forms.get("report_form") or SubcommitteeReportForm(
                initial={"reported_on": today}
            )
        return render(
            self.request,
            "committee/subcommittee_detail.html",
            self.get_context_data(**context),
            status=status,
        )


class SubcommitteeDetailView(SubcommitteePageMixin, View):
    capability = "view_committee"

    def get(self, request, program, pk):
        return self.render_detail(get_subcommittee(request.user, self.program, pk))


class SubcommitteeCreateView(ServiceFormView):
    capability = "view_committee"
    model = Subcommittee
    action = "add"
    form_class = SubcommitteeForm
    template_name = "committee/subcommittee_form.html"
    success_message = "{obj.name} subcommittee added."

    def call_service(self, form):
        return services.subcommittee_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class SubcommitteeEditView(ServiceFormView):
    capability = "view_committee"
    model = Subcommittee
    form_class = SubcommitteeForm
    template_name = "committee/subcommittee_form.html"
    success_message = "{obj.name} subcommittee saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(sub=self.object, **kwargs)

    def call_service(self, form):
        return services.subcommittee_update(
            actor=self.request.user, subcommittee=self.object, data=form.cleaned_data
        )


class _SubcommitteeInlineView(SubcommitteePageMixin, ServiceFormView):
    """A form on the subcommittee's page: GET goes to the page, a refusal re-renders it."""

    capability = "view_committee"
    action = "add"
    form_key = ""

    def get_subcommittee(self) -> Subcommittee:
        if not hasattr(self, "subcommittee"):
            self.subcommittee = get_subcommittee(self.request.user, self.program, self.kwargs["pk"])
        return self.subcommittee

    def get_object(self):
        self.get_subcommittee()
        return None

    def check_permission(self, obj):
        policy_for(self.model).require(self.request.user, self.program, self.action)

    def get(self, request, *args, **kwargs):
        return redirect(self.get_subcommittee())

    def form_invalid(self, form):
        return self.render_detail(self.get_subcommittee(), status=400, **{self.form_key: form})

    def get_success_url(self, obj):
        return self.get_subcommittee().get_absolute_url()


class SubcommitteeMemberAddView(_SubcommitteeInlineView):
    model = SubcommitteeMember
    form_class = SubcommitteeMemberForm
    form_key = "member_form"

    def get_form_kwargs(self):
        return {"program": self.program}

    def get_success_message(self, obj):
        return f"{obj.name} joined the {self.get_subcommittee().name} subcommittee."

    def call_service(self, form):
        return services.subcommittee_member_add(
            actor=self.request.user, subcommittee=self.get_subcommittee(), data=form.cleaned_data
        )


class SubcommitteeReportAddView(_SubcommitteeInlineView):
    model = SubcommitteeReport
    form_class = SubcommitteeReportForm
    form_key = "report_form"
    success_message = "Report added."

    def get_form_kwargs(self):
        return {}

    def call_service(self, form):
        return services.subcommittee_report_add(
            actor=self.request.user, subcommittee=self.get_subcommittee(), data=form.cleaned_data
        )


class SubcommitteeMemberRemoveView(ServiceDeleteView):
    capability = "view_committee"
    model = SubcommitteeMember
    pk_url_kwarg = "member_pk"
    confirm_label = "Yes, remove"

    def get_queryset(self):
        sub = get_subcommittee(self.request.user, self.program, self.kwargs["pk"])
        return SubcommitteeMember.objects.filter(subcommittee=sub).select_related("subcommittee")

    def get_question(self, obj):
        return f"Remove {obj.name} from the {obj.subcommittee.name} subcommittee?"

    @property
    def success_message(self):
        return "{obj.name} removed from the {obj.subcommittee.name} subcommittee."

    def call_service(self, obj):
        services.subcommittee_member_remove(actor=self.request.user, member=obj)

    def get_success_url(self, obj):
        return obj.subcommittee.get_absolute_url()

    def get_cancel_url(self, obj):
        return obj.subcommittee.get_absolute_url()
