"""An MOU's life: drafting in versions, committee review, signatures that lock the
text, execution, renewal, amendment; and the refusals on the way."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from citkit.core.models import AuditEntry, Membership, Role
from citkit.partnerships import services
from citkit.partnerships.models import Mou, MouSignature, MouStatus, MouTemplate
from citkit.partnerships.tests.conftest import draft_mou, scan_file, to_signature
from citkit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def status_of(mou) -> str:
    return Mou.objects.get(pk=mou.pk).status


class TestDrafting:
    def test_a_draft_from_a_template_holds_its_clauses_as_version_one(self, program_a):
        services.install_starter_templates(actor=None, program=program_a)
        template = MouTemplate.objects.get(program=program_a, kind="specific")
        mou = services.mou_create(
            actor=None, program=program_a, data={"title": "CIT MOU"}, template=template
        )
        version = services.current_version(mou)
        assert version.number == 1
        assert [c["heading"] for c in version.clauses] == [
            c.heading for c in template.clauses.all()
        ]
        assert mou.kind == "specific"

    def test_every_change_to_the_clauses_is_a_new_version_and_no_change_is_none(
        self, program_a, police_a, clinic_a
    ):
        mou, _ = draft_mou(program_a, [police_a, clinic_a], clauses=1)
        key = services.current_version(mou).clauses[0]["key"]
        before = services.current_version(mou).number
        services.clause_save(
            actor=None,
            mou=mou,
            key=key,
            data={"kind": "roles", "heading": "Clause 1", "body": "New text."},
        )
        assert services.current_version(mou).number == before + 1
        services.clause_save(
            actor=None,
            mou=mou,
            key=key,
            data={"kind": "roles", "heading": "Clause 1", "body": "New text."},
        )
        assert services.current_version(mou).number == before + 1
        first = mou.versions.get(number=before)
        assert first.clauses[0]["body"] == "Text of clause 1."

    def test_a_clause_needs_a_heading_and_text(self, program_a, police_a, clinic_a):
        mou, _ = draft_mou(program_a, [police_a, clinic_a])
        count = mou.versions.count()
        with pytest.raises(ValidationError) as refused:
            services.clause_save(actor=None, mou=mou, data={"heading": " ", "body": ""})
        assert set(refused.value.message_dict) == {"heading", "body"}
        assert mou.versions.count() == count

    def test_a_change_after_approval_sends_the_mou_back_to_draft(
        self, program_a, police_a, clinic_a
    ):
        mou, _ = draft_mou(program_a, [police_a, clinic_a])
        services.mou_transition(actor=None, mou=mou, name="submit")
        services.mou_transition(actor=None, mou=mou, name="approve")
        services.clause_save(
            actor=None, mou=mou, data={"kind": "other", "heading": "Added", "body": "Later."}
        )
        assert status_of(mou) == MouStatus.DRAFT

    def test_a_signatory_account_must_administer_the_party_agency(
        self, program_a, police_a, clinic_a, members
    ):
        mou, _ = draft_mou(program_a, [clinic_a])
        with pytest.raises(ValidationError) as refused:
            services.party_add(
                actor=None,
                mou=mou,
                data={"agency": police_a, "signatory": members[Role.OFFICER]},
            )
        assert "signatory" in refused.value.message_dict

    def test_the_same_agency_is_a_party_once(self, program_a, police_a, clinic_a):
        mou, _ = draft_mou(program_a, [police_a, clinic_a])
        with pytest.raises(ValidationError) as refused:
            services.party_add(actor=None, mou=mou, data={"agency": police_a})
        assert "already a party" in str(refused.value)

    def test_a_party_takes_on_only_its_own_agencys_responsibilities(
        self, program_a, police_a, clinic_a, directory
    ):
        _mou, (police, _) = draft_mou(program_a, [police_a, clinic_a])
        with pytest.raises(ValidationError) as refused:
            services.commitment_add(
                actor=None, party=police, responsibility=directory["responsibility"]
            )
        assert "responsibility" in refused.value.message_dict


class TestTransitions:
    @pytest.mark.parametrize(
        "name, message",
        [
            ("approve", "in review"),
            ("send_for_signature", "approved"),
            ("terminate", "executed"),
            ("reopen", "out for signature"),
        ],
    )
    def test_an_illegal_step_is_refused_with_the_reason_and_changes_nothing(
        self, program_a, police_a, clinic_a, name, message
    ):
        mou, _ = draft_mou(program_a, [police_a, clinic_a])
        entries = AuditEntry.objects.count()
        with pytest.raises(ValidationError) as refused:
            services.mou_transition(actor=None, mou=mou, name=name, comment="why")
        assert "This MOU is draft." in str(refused.value)
        assert message in str(refused.value)
        assert status_of(mou) == MouStatus.DRAFT
        assert AuditEntry.objects.count() == entries

    def test_an_mou_goes_out_for_signature_with_two_named_parties(self, program_a, police_a):
        mou, _ = draft_mou(program_a, [police_a])
        services.mou_transition(actor=None, mou=mou, name="submit")
        services.mou_transition(actor=None, mou=mou, name="approve")
        with pytest.raises(ValidationError, match="at least two parties"):
            services.mou_transition(actor=None, mou=mou, name="send_for_signature")
        assert status_of(mou) == MouStatus.APPROVED

    def test_approval_records_the_reviewers_decision(self, program_a, police_a, clinic_a, members):
        mou, _ = draft_mou(program_a, [police_a, clinic_a])
        services.mou_transition(actor=None, mou=mou, name="submit")
        member = members[Role.COMMITTEE_MEMBER]
        services.mou_transition(actor=member, mou=mou, name="approve", comment="Good to go.")
        review = mou.reviews.get()
        assert (review.reviewer, review.decision, review.comment) == (
            member,
            "approve",
            "Good to go.",
        )

    def test_an_agency_administrator_may_not_approve(self, program_a, police_a, clinic_a, members):
        mou, _ = draft_mou(program_a, [police_a, clinic_a])
        services.mou_transition(actor=None, mou=mou, name="submit")
        with pytest.raises(PermissionDenied):
            services.mou_transition(actor=members[Role.AGENCY_ADMIN], mou=mou, name="approve")
        assert status_of(mou) == MouStatus.IN_REVIEW

    def test_termination_needs_a_reason(self, mous):
        with pytest.raises(ValidationError) as refused:
            services.mou_transition(actor=None, mou=mous["executed"], name="terminate")
        assert "comment" in refused.value.message_dict
        services.mou_transition(
            actor=None, mou=mous["executed"], name="terminate", comment="Funding ended."
        )
        mou = Mou.objects.get(pk=mous["executed"].pk)
        assert (mou.status, mou.termination_reason) == (MouStatus.TERMINATED, "Funding ended.")


class TestSignatures:
    def test_the_text_is_locked_once_signing_starts(self, mous):
        mou = mous["signing"]
        key = services.current_version(mou).clauses[0]["key"]
        with pytest.raises(ValidationError, match="locked while the MOU is out for signature"):
            services.clause_save(
                actor=None, mou=mou, key=key, data={"heading": "Changed", "body": "Changed."}
            )
        with pytest.raises(ValidationError, match="locked"):
            services.party_remove(actor=None, party=mou.parties.first())
        with pytest.raises(ValidationError, match="locked"):
            services.mou_update(actor=None, mou=mou, data={"term_months": 36})

    def test_reopening_writes_a_new_version_and_signatures_start_again(self, mous):
        mou, party = mous["signing"], mous["signing_party"]
        services.mou_sign(actor=None, party=party, method="typed", attestation="Chief Moss")
        signed_version = services.current_version(mou)
        services.mou_transition(actor=None, mou=mou, name="reopen")
        mou.refresh_from_db()
        assert mou.status == MouStatus.DRAFT
        assert services.current_version(mou).number == signed_version.number + 1
        to_signature(mou)
        assert {p.pk for p in services.outstanding_parties(mou)} == set(
            mou.parties.values_list("pk", flat=True)
        )
        # The earlier signature stays in the record, of the version it was given to.
        assert MouSignature.objects.get(party=party).version == signed_version

    def test_an_agency_administrator_signs_for_their_own_agency_only(self, mous, members):
        admin = members[Role.AGENCY_ADMIN]  # of the police department
        clinic_party = mous["signing"].parties.exclude(pk=mous["signing_party"].pk).get()
        with pytest.raises((PermissionDenied, ValidationError)):
            services.mou_sign(actor=admin, party=clinic_party, method="typed", attestation="M")
        signature = services.mou_sign(
            actor=admin, party=mous["signing_party"], method="typed", attestation="M. Okafor"
        )
        assert (signature.recorded_by, signature.method) == (admin, "typed")

    def test_a_coordinator_records_a_scan_but_cannot_attest_for_a_party(self, mous, members):
        coordinator = members[Role.COORDINATOR]
        party = mous["signing_party"]
        with pytest.raises(ValidationError) as refused:
            services.mou_sign(actor=coordinator, party=party, method="typed", attestation="X")
        assert "method" in refused.value.message_dict
        signature = services.mou_sign(
            actor=coordinator, party=party, method="scan", scan=scan_file()
        )
        assert bytes(signature.scan).startswith(b"%PDF")

    def test_a_scan_must_be_a_pdf_or_an_image(self, mous):
        with pytest.raises(ValidationError) as refused:
            services.mou_sign(
                actor=None,
                party=mous["signing_party"],
                method="scan",
                scan=scan_file("x.html", b"<script>", "text/html"),
            )
        assert "scan" in refused.value.message_dict
        assert not MouSignature.objects.filter(party=mous["signing_party"]).exists()

    def test_the_named_signatory_signs_with_their_own_account(
        self, program_a, police_a, clinic_a, members
    ):
        mou, (police, _) = draft_mou(program_a, [police_a, clinic_a])
        services.party_update(
            actor=None, party=police, data={"signatory": members[Role.AGENCY_ADMIN]}
        )
        to_signature(mou)
        other_admin = UserFactory(username="deputy_admin")
        Membership.objects.create(
            user=other_admin, program=program_a, role=Role.AGENCY_ADMIN, agency=police_a
        )
        with pytest.raises(ValidationError, match="own account"):
            services.mou_sign(actor=other_admin, party=police, method="typed", attestation="D")

    def test_the_last_signature_executes_the_mou_for_its_term(self, mous):
        mou = mous["signing"]
        for offset, party in enumerate(mou.parties.all()):
            services.mou_sign(
                actor=None,
                party=party,
                method="typed",
                attestation="Signed",
                signed_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=offset),
            )
        mou.refresh_from_db()
        assert mou.status == MouStatus.EXECUTED
        assert mou.effective_date == datetime.date(2026, 3, 2)
        assert mou.ends_on == datetime.date(2027, 3, 1)

    def test_a_party_signs_a_version_once(self, mous):
        party = mous["signing_party"]
        services.mou_sign(actor=None, party=party, method="typed", attestation="A")
        with pytest.raises(ValidationError, match="already signed"):
            services.mou_sign(actor=None, party=party, method="typed", attestation="A")


class TestRenewalAndAmendment:
    def test_renewal_adds_a_term_from_the_end_of_the_current_one(self, mous):
        mou = mous["executed"]
        ends = mou.ends_on
        services.mou_renew(actor=None, mou=mou)
        mou.refresh_from_db()
        assert mou.ends_on.year == ends.year + 1
        assert mou.status == MouStatus.EXECUTED

    def test_an_amendment_copies_the_mou_and_supersedes_it_when_executed(self, mous):
        original = mous["executed"]
        amendment = services.mou_amend(actor=None, mou=original)
        assert amendment.supersedes == original
        assert amendment.status == MouStatus.DRAFT
        assert set(amendment.parties.values_list("agency", flat=True)) == set(
            original.parties.values_list("agency", flat=True)
        )
        assert [c["heading"] for c in services.current_version(amendment).clauses] == [
            c["heading"] for c in services.current_version(original).clauses
        ]
        with pytest.raises(ValidationError, match="already has an amendment"):
            services.mou_amend(actor=None, mou=original)
        to_signature(amendment)
        for party in amendment.parties.all():
            services.mou_sign(actor=None, party=party, method="typed", attestation="Signed")
        assert status_of(amendment) == MouStatus.EXECUTED
        assert status_of(original) == MouStatus.SUPERSEDED

    def test_only_an_unsigned_draft_can_be_deleted(self, mous):
        with pytest.raises(ValidationError, match="Only a draft"):
            services.mou_delete(actor=None, mou=mous["executed"])
        services.mou_delete(actor=None, mou=mous["draft"])
        assert not Mou.objects.filter(pk=mous["draft"].pk).exists()


class TestPagesAndDocuments:
    def test_clause_text_cannot_carry_a_script_into_the_page(
        self, program_a, police_a, clinic_a, client_for, coordinator
    ):
        mou, _ = draft_mou(program_a, [police_a, clinic_a], clauses=0)
        services.clause_save(
            actor=None,
            mou=mou,
            data={
                "heading": "Purpose",
                "body": "**Bold** <script>alert(1)</script> [x](javascript:alert(2))",
            },
        )
        page = client_for(coordinator).get(mou.get_absolute_url()).content.decode()
        assert "<strong>Bold</strong>" in page
        assert "<script>alert" not in page
        assert 'href="javascript' not in page

    def test_the_comparison_shows_the_words_that_changed_clause_by_clause(
        self, program_a, police_a, clinic_a, client_for, coordinator
    ):
        mou, _ = draft_mou(program_a, [police_a, clinic_a], clauses=1)
        key = services.current_version(mou).clauses[0]["key"]
        services.clause_save(
            actor=None,
            mou=mou,
            key=key,
            data={"kind": "roles", "heading": "Clause 1", "body": "Text of the first clause."},
        )
        last = services.current_version(mou).number
        url = f"{mou.get_absolute_url()}compare/?from={last - 1}&to={last}"
        page = client_for(coordinator).get(url).content.decode()
        assert "<del>clause 1.</del>" in page or "<del>clause" in page
        assert "<ins>" in page and "first" in page

    def test_the_documents_read_back_with_parties_clauses_and_signature_blocks(
        self, mous, client_for, coordinator
    ):
        mou = mous["executed"]
        base = mou.get_absolute_url()
        word = client_for(coordinator).get(f"{base}document.docx")
        assert word.status_code == 200
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
        cells = " ".join(
            c.text
            for t in docx.Document(io.BytesIO(word.content)).tables
            for r in t.rows
            for c in r.cells
        )
        assert "Clause 1" in text and "Riverbend Police Department" in cells
        pdf = client_for(coordinator).get(f"{base}document.pdf")
        reader = PdfReader(io.BytesIO(pdf.content))
        content = " ".join(page.extract_text() for page in reader.pages)
        assert "Executed MOU" in content and "Clause 2" in content
        assert "Riverbend Behavioral Health" in content

    def test_signing_on_the_page_executes_the_mou_and_says_so(self, mous, client_for, members):
        mou = mous["signing"]
        clinic = mou.parties.exclude(pk=mous["signing_party"].pk).get()
        services.mou_sign(actor=None, party=clinic, method="typed", attestation="Dr. Okafor")
        admin = members[Role.AGENCY_ADMIN]
        response = client_for(admin).post(
            f"{mou.get_absolute_url()}parties/{mous['signing_party'].pk}/sign/",
            {"method": "typed", "attestation": "Michael Okafor", "signer_name": "Michael Okafor"},
            follow=True,
        )
        assert "is executed" in response.content.decode()
        assert status_of(mou) == MouStatus.EXECUTED

    def test_a_refused_signature_keeps_what_was_typed(self, mous, client_for, members):
        mou = mous["signing"]
        response = client_for(members[Role.AGENCY_ADMIN]).post(
            f"{mou.get_absolute_url()}parties/{mous['signing_party'].pk}/sign/",
            {"method": "typed", "attestation": "", "signer_title": "Deputy Chief of Police"},
        )
        assert response.status_code == 400
        assert "Deputy Chief of Police" in response.content.decode()
        assert not MouSignature.objects.filter(party=mous["signing_party"]).exists()
