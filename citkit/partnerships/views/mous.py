"""Pages of the MOUs: list, drafting (clauses, parties, responsibilities), committee
review, signatures, versions compared, documents, renewal and amendment; and the
templates they are drafted from."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.core.access import record_access
from citkit.core.models import AccessEntry, Membership, Role
from citkit.core.permissions import has_capability, own_agency_id
from citkit.core.policies import policy_for
from citkit.core.views.base import (
    FilteredListView,
    ProgramViewMixin,
    form_errors_from,
    parse_id,
)
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView
from citkit.partnerships import forms, mou_documents, services, text
from citkit.partnerships.filters import MOU_SORTS, MouFilterSet
from citkit.partnerships.models import (
    Mou,
    MouCommitment,
    MouParty,
    MouSignature,
    MouStatus,
    MouTemplate,
    MouVersion,
    TemplateClause,
)


def get_mou(user, program, pk) -> Mou:
    return get_object_or_404(Mou.objects.visible_to(user, program), pk=pk)


class MouListView(FilteredListView):
    capability = "view_mous"
    model = Mou
    filterset_class = MouFilterSet
    sorts = MOU_SORTS
    default_sort = "updated"
    sort_labels = {"updated": "Recently changed", "title": "Title", "status": "Status"}
    template_name = "partnerships/mou_list.html"
    partial_template_name = "partnerships/_mou_rows.html"
    csv_filename = "mous.csv"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("parties", queryset=MouParty.objects.select_related("agency"))
            )
        )

    def get_filterset(self, queryset):
        return self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = policy_for(Mou).may(self.request.user, self.program, "add")
        context["can_see_templates"] = policy_for(MouTemplate).may(
            self.request.user, self.program, "view"
        )
        return context

    def csv_header(self):
        return ["title", "kind", "status", "parties", "effective", "term ends", "review date"]

    def csv_row(self, m):
        return [
            m.title,
            m.get_kind_display(),
            m.get_status_display(),
            "; ".join(p.agency.name for p in m.parties.all()),
            m.effective_date or "",
            m.ends_on or "",
            m.review_date or "",
        ]


class MouDetailView(ProgramViewMixin, View):
    capability = "view_mous"

    def get(self, request, program, pk):
        mou = get_mou(request.user, self.program, pk)
        return render_mou_page(self, mou)


def render_mou_page(view, mou: Mou, *, status=200, **forms_bound):
    request, program = view.request, view.program
    user = request.user
    version = services.current_version(mou)
    parties = list(
        mou.parties.select_related("agency", "signatory").prefetch_related(
            Prefetch(
                "commitments",
                queryset=MouCommitment.objects.select_related("responsibility__program"),
            )
        )
    )
    clauses = services.filled_clauses(mou, version, parties)
    signatures = {
        s.party_id: s
        for s in MouSignature.objects.filter(party__mou=mou, version=version).defer("scan")
    }
    policy = policy_for(Mou)
    can_edit = policy.may_on(user, mou, "change")
    can_review = policy.may_on(user, mou, "review")
    own = own_agency_id(user, program)
    records_signatures = has_capability(user, program, "record_signatures")
    signable = {
        p.pk
        for p in parties
        if mou.status == MouStatus.OUT_FOR_SIGNATURE
        and p.pk not in signatures
        and (records_signatures or (own == p.agency_id and policy.may_on(user, mou, "sign")))
    }
    reviews = list(mou.reviews.filter(version=version)) if version else []
    headings = {c["key"]: c["heading"] for c in clauses}
    # Who on the committee has not yet answered this version.
    answered = {r.reviewer_id for r in reviews if r.decision != "comment"}
    waiting_on = []
    if mou.status == MouStatus.IN_REVIEW and has_capability(user, program, "view_all_mous"):
        waiting_on = list(
            Membership.objects.filter(program=program, role=Role.COMMITTEE_MEMBER)
            .exclude(user_id__in=[a for a in answered if a])
            .select_related("user")
        )
    context = view.get_context_data(
        mou=mou,
        version=version,
        clauses=[(c, text.render_markdown(c["body"])) for c in clauses],
        parties=[(p, signatures.get(p.pk), p.pk in signable) for p in parties],
        signed_count=len(signatures),
        reviews=[(r, headings.get(r.clause_key, "")) for r in reviews],
        waiting_on=waiting_on,
        versions=list(
            mou.versions.order_by("-number").only(
                "id", "number", "change_summary", "created_at", "mou_id"
            )
        ),
        transitions=services.available_transitions(user, mou),
        # Only the amendments this reader may see: a draft's title is not for everyone.
        amendments=list(Mou.objects.visible_to(user, program).filter(supersedes=mou)),
        can_edit=can_edit,
        editable=can_edit and mou.is_editable,
        can_review=can_review,
        can_delete=policy.may_on(user, mou, "delete") and mou.status == MouStatus.DRAFT,
        can_renew=can_edit and mou.status in {MouStatus.EXECUTED, MouStatus.EXPIRED},
        can_amend=can_edit and mou.status == MouStatus.EXECUTED,
        can_see_history=has_capability(user, program, "view_audit"),
        review_form=forms_bound.get("review_form") or forms.ReviewForm(clauses=clauses),
        transition_form=forms_bound.get("transition_form") or forms.TransitionForm(),
    )
    return render(request, "partnerships/mou_detail.html", context, status=status)


class MouCreateView(ServiceFormView):
    model = Mou
    action = "add"
    form_class = forms.MouCreateForm
    template_name = "partnerships/record_form.html"
    success_message = "{obj.title} drafted."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["program"] = self.program
        template = self.request.GET.get("template", "")
        if template.isdigit():
            kwargs["initial"] = {"template": template}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Draft an MOU", cancel_url=self.program_url("mou-list"), **kwargs
        )

    def call_service(self, form):
        return services.mou_create(
            actor=self.request.user,
            program=self.program,
            data=form.cleaned_data,
            template=form.template,
        )


class MouEditView(ServiceFormView):
    model = Mou
    form_class = forms.MouForm
    template_name = "partnerships/record_form.html"
    success_message = "{obj.title} saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Edit {self.object.title}", cancel_url=self.object.get_absolute_url(), **kwargs
        )

    def call_service(self, form):
        return services.mou_update(actor=self.request.user, mou=self.object, data=form.cleaned_data)


class MouDeleteView(ServiceDeleteView):
    model = Mou
    question = "Delete the draft MOU “{obj.title}”?"
    consequence = "Its versions, parties and comments go with it. The audit trail keeps them."

    def call_service(self, obj):
        services.mou_delete(actor=self.request.user, mou=obj)

    def get_success_url(self, obj):
        return self.program_url("mou-list")


# --- Clauses ------------------------------------------------------------------------


class _OnMou:
    """Pages that change an MOU through one of its parts: the policy is the MOU's."""

    model = Mou

    def get_success_url(self, obj):
        return self.object.get_absolute_url()

    def get_cancel_url(self, obj):
        return self.object.get_absolute_url()


class ClauseFormView(_OnMou, ServiceFormView):
    form_class = forms.ClauseForm
    template_name = "partnerships/clause_form.html"
    success_message = "Saved as a new version."

    def clause(self):
        key = self.kwargs.get("key")
        if key is None:
            return None
        version = services.current_version(self.object)
        found = version.clause(key) if version else None
        if found is None:
            raise Http404("No such clause in the current version.")
        return found

    def get_form_kwargs(self):
        clause = self.clause()
        return {"initial": dict(clause)} if clause else {}

    def get_context_data(self, **kwargs):
        clause = self.clause()
        return super().get_context_data(
            mou=self.object,
            heading=f"Edit the clause “{clause['heading']}”" if clause else "Add a clause",
            locked_message=None if self.object.is_editable else services._lock_refusal(self.object),
            **kwargs,
        )

    def call_service(self, form):
        data = {k: form.cleaned_data[k] for k in ("kind", "heading", "body")}
        services.clause_save(
            actor=self.request.user,
            mou=self.object,
            data=data,
            key=self.kwargs.get("key"),
            summary=form.cleaned_data["summary"],
        )
        return self.object


class ClauseDeleteView(_OnMou, ServiceDeleteView):
    action = "change"
    confirm_label = "Yes, remove the clause"
    consequence = "The MOU gets a new version without it; earlier versions keep it."
    success_message = "Clause removed: a new version."

    def get_question(self, obj):
        version = services.current_version(obj)
        clause = version.clause(self.kwargs["key"]) if version else None
        if clause is None:
            raise Http404("No such clause in the current version.")
        return f"Remove the clause “{clause['heading']}” from {obj.title}?"

    def call_service(self, obj):
        services.clause_remove(actor=self.request.user, mou=obj, key=self.kwargs["key"])


class _MouActionView(ProgramViewMixin, View):
    """A button on the MOU's page: POST only, then back to the page with a message."""

    capability = "view_mous"
    action = "change"

    def post(self, request, program, pk, **kwargs):
        mou = get_mou(request.user, self.program, pk)
        policy_for(Mou).require_on(request.user, mou, self.action)
        try:
            message = self.act(mou, **kwargs)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(mou.get_absolute_url())
        messages.success(request, message)
        return redirect(self.next_url(mou))

    def next_url(self, mou):
        return mou.get_absolute_url()

    def act(self, mou, **kwargs) -> str:
        raise NotImplementedError


class ClauseMoveView(_MouActionView):
    def act(self, mou, key, direction):
        if direction not in ("up", "down"):
            raise Http404("A clause moves up or down.")
        offset = -1 if direction == "up" else 1
        services.clause_move(actor=self.request.user, mou=mou, key=key, offset=offset)
        return "Clause moved: a new version."


# --- Parties and their responsibilities ---------------------------------------------


class PartyFormView(_OnMou, ServiceFormView):
    form_class = forms.PartyForm
    template_name = "partnerships/record_form.html"
    success_message = "Party saved."

    def party(self):
        if "party_pk" not in self.kwargs:
            return None
        return get_object_or_404(self.object.parties, pk=self.kwargs["party_pk"])

    def get_form_kwargs(self):
        party = self.party()
        kwargs = {"program": self.program}
        if party is not None:
            import copy

            kwargs["instance"] = copy.copy(party)
        return kwargs

    def get_context_data(self, **kwargs):
        party = self.party()
        return super().get_context_data(
            heading=f"Party {party.agency}" if party else f"Add a party to {self.object.title}",
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def call_service(self, form):
        party = self.party()
        if party is None:
            services.party_add(actor=self.request.user, mou=self.object, data=form.cleaned_data)
        else:
            services.party_update(actor=self.request.user, party=party, data=form.cleaned_data)
        return self.object


class PartyDeleteView(_OnMou, ServiceDeleteView):
    action = "change"
    confirm_label = "Yes, remove the party"
    success_message = "Party removed."

    def party(self):
        return get_object_or_404(
            self.object.parties.select_related("agency"), pk=self.kwargs["party_pk"]
        )

    def get_question(self, obj):
        return f"Remove {self.party().agency} from {obj.title}?"

    def call_service(self, obj):
        services.party_remove(actor=self.request.user, party=self.party())


class CommitmentAddView(_OnMou, ServiceFormView):
    form_class = forms.CommitmentForm
    template_name = "partnerships/record_form.html"
    success_message = "Responsibility added to the party."

    def party(self):
        return get_object_or_404(
            self.object.parties.select_related("agency"), pk=self.kwargs["party_pk"]
        )

    def get_form_kwargs(self):
        return {"party": self.party()}

    def get_context_data(self, **kwargs):
        party = self.party()
        return super().get_context_data(
            heading=f"What {party.agency} takes on in {self.object.title}",
            cancel_url=self.object.get_absolute_url(),
            help_text="Choose from the agency's crisis responsibilities; add one there first "
            "if it is missing.",
            **kwargs,
        )

    def call_service(self, form):
        services.commitment_add(
            actor=self.request.user,
            party=self.party(),
            responsibility=form.cleaned_data["responsibility"],
            note=form.cleaned_data["note"],
        )
        return self.object


class CommitmentDeleteView(_MouActionView):
    def act(self, mou, party_pk, commitment_pk):
        commitment = get_object_or_404(
            MouCommitment.objects.filter(party__mou=mou, party_id=party_pk), pk=commitment_pk
        )
        services.commitment_remove(actor=self.request.user, commitment=commitment)
        return "Responsibility removed from the party."


# --- Review, life, signatures ------------------------------------------------------


class TransitionView(ProgramViewMixin, View):
    """A step of the MOU's life: send to the committee, approve, send for signature, ..."""

    capability = "view_mous"

    def post(self, request, program, pk, name):
        mou = get_mou(request.user, self.program, pk)
        transition = services.TRANSITIONS.get(name)
        if transition is None:
            raise Http404("No such step.")
        policy_for(Mou).require_on(request.user, mou, transition.action)
        form = forms.TransitionForm(request.POST)
        form.is_valid()
        try:
            services.mou_transition(
                actor=request.user,
                mou=mou,
                name=name,
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
            messages.error(request, " ".join(exc.messages))
            mou.refresh_from_db()
            return render_mou_page(self, mou, status=400, transition_form=form)
        mou.refresh_from_db()
        messages.success(
            request, f"{transition.label}: the MOU is now {mou.get_status_display().lower()}."
        )
        return redirect(mou.get_absolute_url())


class ReviewView(ProgramViewMixin, View):
    capability = "view_mous"

    def post(self, request, program, pk):
        mou = get_mou(request.user, self.program, pk)
        policy_for(Mou).require_on(request.user, mou, "review")
        version = services.current_version(mou)
        form = forms.ReviewForm(request.POST, clauses=version.clauses if version else [])
        if form.is_valid():
            try:
                services.review_add(
                    actor=request.user,
                    mou=mou,
                    comment=form.cleaned_data["comment"],
                    clause_key=form.cleaned_data["clause_key"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Comment added.")
                return redirect(mou.get_absolute_url())
        return render_mou_page(self, mou, status=400, review_form=form)


class SignView(ServiceFormView):
    """One party signs the current version: typed attestation by the signatory's own
    account, or the scan of a wet-ink signature."""

    model = Mou
    action = "sign"
    form_class = forms.SignForm
    template_name = "partnerships/sign_form.html"

    def party(self):
        return get_object_or_404(
            self.object.parties.select_related("agency"), pk=self.kwargs["party_pk"]
        )

    def get_form_kwargs(self):
        party = self.party()
        own = own_agency_id(self.request.user, self.program) == party.agency_id
        return {
            "initial": {
                "method": "typed" if own else "scan",
                "signer_name": party.signatory_name,
                "signer_title": party.signatory_title,
                "signed_on": self.program.today(),
            }
        }

    def get_context_data(self, **kwargs):
        version = services.current_version(self.object)
        return super().get_context_data(
            mou=self.object,
            party=self.party(),
            version=version,
            clauses=[
                (c, text.render_markdown(c["body"]))
                for c in services.filled_clauses(self.object, version)
            ],
            **kwargs,
        )

    def call_service(self, form):
        data = form.cleaned_data
        services.mou_sign(
            actor=self.request.user,
            party=self.party(),
            method=data["method"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            signed_on=data["signed_on"],
            attestation=data["attestation"],
            scan=data["scan"],
        )
        self.object.refresh_from_db()
        return self.object

    def get_success_message(self, obj):
        if obj.status == MouStatus.EXECUTED:
            return f"Signed. Every party has signed: {obj.title} is executed."
        return f"Signed for {self.party().agency}."


class SignatureScanView(ProgramViewMixin, View):
    capability = "view_mous"

    def get(self, request, program, pk, signature_pk):
        mou = get_mou(request.user, self.program, pk)
        signature = get_object_or_404(
            MouSignature.objects.filter(party__mou=mou).exclude(scan=None), pk=signature_pk
        )
        # A signed page carries a person's signature: who downloads it is logged.
        record_access(
            user=request.user,
            program=self.program,
            action=AccessEntry.Action.DOWNLOAD,
            what=f"Signature scan of {signature.party} on {mou.title}",
            obj=signature,
        )
        response = HttpResponse(bytes(signature.scan), content_type=signature.scan_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{_safe_name(signature.scan_name)}"'
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _safe_name(name: str) -> str:
    kept = "".join(ch for ch in name if ch.isalnum() or ch in "._- ")
    return kept.strip() or "signature"


class RenewView(_MouActionView):
    def act(self, mou):
        mou = services.mou_renew(actor=self.request.user, mou=mou)
        return f"Renewed: the term now ends on {mou.ends_on:%B %-d, %Y}."


class AmendView(_MouActionView):
    def post(self, request, program, pk, **kwargs):
        self._form = forms.AmendForm(request.POST)
        self._form.is_valid()
        return super().post(request, program, pk, **kwargs)

    def act(self, mou):
        self.amendment = services.mou_amend(
            actor=self.request.user, mou=mou, title=self._form.cleaned_data.get("title", "")
        )
        return "Amendment drafted: change it, then take it through review and signature."

    def next_url(self, mou):
        return self.amendment.get_absolute_url()


# --- Versions and documents ------------------------------------------------------------


class VersionCompareView(ProgramViewMixin, View):
    capability = "view_mous"

    def get(self, request, program, pk):
        mou = get_mou(request.user, self.program, pk)
        versions = list(mou.versions.order_by("number"))
        if not versions:
            raise Http404("No versions.")
        by_number = {v.number: v for v in versions}

        def pick(name, default):
            number = parse_id(request.GET.get(name))
            return by_number.get(number) if number is not None else default

        latest = versions[-1]
        new = pick("to", latest) or latest
        old = pick("from", by_number.get(new.number - 1, versions[0])) or versions[0]
        changes = [
            (
                change,
                text.render_diff(change.heading_diff) if change.heading_diff else "",
                text.render_diff(change.body_diff) if change.body_diff else "",
            )
            for change in text.clause_diff(old.clauses, new.clauses)
        ]
        return render(
            request,
            "partnerships/mou_compare.html",
            self.get_context_data(mou=mou, versions=versions, old=old, new=new, changes=changes),
        )


class MouDocumentView(ProgramViewMixin, View):
    capability = "view_mous"

    def get(self, request, program, pk, fmt):
        if fmt not in ("pdf", "docx"):
            raise Http404("No such format.")
        mou = get_mou(request.user, self.program, pk)
        version = None
        if request.GET.get("version"):
            number = parse_id(request.GET.get("version"))
            if number is None:
                raise Http404("No such version.")
            version = get_object_or_404(MouVersion.objects.filter(mou=mou), number=number)
        content, content_type, filename = mou_documents.render_mou(mou, fmt, version=version)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


# --- Templates ------------------------------------------------------------------------


class TemplateListView(ProgramViewMixin, View):
    capability = "view_mous"

    def get(self, request, program):
        policy_for(MouTemplate).require(request.user, self.program, "view")
        templates = list(
            MouTemplate.objects.visible_to(request.user, self.program)
            .select_related("program")
            .prefetch_related("clauses")
        )
        return render(
            request,
            "partnerships/template_list.html",
            self.get_context_data(
                templates=templates,
                can_add=policy_for(MouTemplate).may(request.user, self.program, "add"),
            ),
        )


class StarterTemplatesView(ProgramViewMixin, View):
    capability = "view_mous"

    def post(self, request, program):
        made = services.install_starter_templates(actor=request.user, program=self.program)
        if made:
            messages.success(request, "Added " + ", ".join(t.name for t in made) + ".")
        else:
            messages.success(request, "The model templates are already here.")
        return redirect("mou-template-list", program=self.program.slug)


class TemplateDetailView(ProgramViewMixin, View):
    capability = "view_mous"

    def get(self, request, program, pk):
        template = get_object_or_404(
            MouTemplate.objects.visible_to(request.user, self.program), pk=pk
        )
        clauses = list(template.clauses.all())
        return render(
            request,
            "partnerships/template_detail.html",
            self.get_context_data(
                template=template,
                clauses=[(c, text.render_markdown(c.body)) for c in clauses],
                can_edit=policy_for(MouTemplate).may_on(request.user, template, "change"),
                can_draft=policy_for(Mou).may(request.user, self.program, "add"),
            ),
        )


class TemplateCreateView(ServiceFormView):
    model = MouTemplate
    action = "add"
    form_class = forms.MouTemplateForm
    template_name = "partnerships/record_form.html"
    success_message = "Template {obj.name} added."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Add an MOU template",
            cancel_url=self.program_url("mou-template-list"),
            **kwargs,
        )

    def call_service(self, form):
        return services.template_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class TemplateEditView(ServiceFormView):
    model = MouTemplate
    form_class = forms.MouTemplateForm
    template_name = "partnerships/record_form.html"
    success_message = "Template {obj.name} saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Edit {self.object.name}", cancel_url=self.object.get_absolute_url(), **kwargs
        )

    def call_service(self, form):
        return services.template_update(
            actor=self.request.user, template=self.object, data=form.cleaned_data
        )


class TemplateDeleteView(ServiceDeleteView):
    model = MouTemplate
    question = "Delete the template {obj.name}?"
    consequence = "MOUs drafted from it keep their text."

    def call_service(self, obj):
        services.template_delete(actor=self.request.user, template=obj)

    def get_success_url(self, obj):
        return self.program_url("mou-template-list")


class _TemplateClauseMixin:
    model = TemplateClause
    pk_url_kwarg = "clause_pk"

    def get_template(self):
        if not hasattr(self, "template_obj"):
            self.template_obj = get_object_or_404(
                MouTemplate.objects.visible_to(self.request.user, self.program),
                pk=self.kwargs["pk"],
            )
        return self.template_obj

    def get_queryset(self):
        return TemplateClause.objects.filter(template=self.get_template())

    def check_permission(self, obj):
        target = obj if obj is not None else TemplateClause(template=self.get_template())
        policy_for(TemplateClause).require_on(self.request.user, target, self.action)

    def get_success_url(self, obj):
        return self.get_template().get_absolute_url()

    def get_cancel_url(self, obj):
        return self.get_template().get_absolute_url()


class TemplateClauseFormView(_TemplateClauseMixin, ServiceFormView):
    form_class = forms.TemplateClauseForm
    template_name = "partnerships/record_form.html"
    success_message = "Clause saved."

    @property
    def action(self):
        return "change" if "clause_pk" in self.kwargs else "add"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Clause of {self.get_template().name}",
            cancel_url=self.get_template().get_absolute_url(),
            **kwargs,
        )

    def call_service(self, form):
        if self.object is None:
            return services.template_clause_create(
                actor=self.request.user, template=self.get_template(), data=form.cleaned_data
            )
        return services.template_clause_update(
            actor=self.request.user, clause=self.object, data=form.cleaned_data
        )


class TemplateClauseDeleteView(_TemplateClauseMixin, ServiceDeleteView):
    question = "Remove the clause “{obj.heading}” from the template?"
    confirm_label = "Yes, remove"

    def call_service(self, obj):
        services.template_clause_delete(actor=self.request.user, clause=obj)
