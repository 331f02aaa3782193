"""The edges: odd input answered without an error, what a draft keeps to itself, and
changes that must not slip past the MOU's rules or the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from citkit.core.models import AuditEntry, Role
from citkit.partners import services as partner_services
from citkit.partnerships import hours, services
from citkit.partnerships.models import Mou, MouStatus, Responsibility, Schedule
from citkit.partnerships.tests.conftest import draft_mou, scan_file

pytestmark = pytest.mark.django_db
P = "/p/riverbend/partnerships"
A = "/api/programs/riverbend"


def test_a_draft_amendment_is_not_named_to_those_who_may_not_see_drafts(mous, client_for, members):
    services.mou_amend(actor=None, mou=mous["executed"], title="Renegotiation in confidence")
    url = mous["executed"].get_absolute_url()
    assert (
        "Renegotiation in confidence"
        not in client_for(members[Role.OFFICER]).get(url).content.decode()
    )
    assert (
        "Renegotiation in confidence"
        in client_for(members[Role.COORDINATOR]).get(url).content.decode()
    )


def test_changing_the_terms_after_approval_needs_the_committee_again(program_a, police_a, clinic_a):
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    services.mou_transition(actor=None, mou=mou, name="submit")
    services.mou_transition(actor=None, mou=mou, name="approve")
    services.mou_update(
        actor=None, mou=Mou.objects.get(pk=mou.pk), data={"notes": "Counsel has a copy."}
    )
    assert Mou.objects.get(pk=mou.pk).status == MouStatus.APPROVED
    services.mou_update(actor=None, mou=Mou.objects.get(pk=mou.pk), data={"term_months": 36})
    assert Mou.objects.get(pk=mou.pk).status == MouStatus.DRAFT


@pytest.mark.parametrize(
    "query",
    [
        "compare/?from=%C2%B2&to=1",
        "compare/?from=99999999999999999999",
        "document.pdf?version=%C2%B2",
    ],
)
def test_odd_version_numbers_are_answered_without_an_error(mous, client_for, coordinator, query):
    response = client_for(coordinator).get(f"{mous['executed'].get_absolute_url()}{query}")
    assert response.status_code in (200, 404)


def test_a_moment_far_out_of_reach_shows_now_on_the_page_and_is_refused_by_the_api(
    directory, client_for, api_for, coordinator
):
    page = client_for(coordinator).get(f"{P}/?at=9999-12-31T23:59-12:00")
    assert page.status_code == 200
    assert "showing now" in page.content.decode()
    answer = api_for(coordinator).get(f"{A}/directory/open-now/?at=9999-12-31T23:59:00Z")
    assert answer.status_code == 400 and "at" in answer.json()


@pytest.mark.parametrize("query", ["agency=1e30", "agency=99999999999999999999", "agency=1.5"])
def test_an_id_that_names_no_agency_is_a_filter_left_out(directory, client_for, coordinator, query):
    # As on every list page: a filter the form cannot read filters nothing.
    response = client_for(coordinator).get(f"{P}/directory/?{query}")
    assert response.status_code == 200
    assert "CIT officer request" in response.content.decode()


@pytest.mark.parametrize("query", ["party=1e30", "party=0"])
def test_the_mou_list_filtered_by_a_party_that_is_no_agency_answers(
    mous, client_for, api_for, coordinator, query
):
    assert client_for(coordinator).get(f"{P}/mous/?{query}").status_code == 200
    assert api_for(coordinator).get(f"{A}/mous/?{query}").status_code in (200, 400)


def test_a_party_named_with_an_impossible_responsibility_id_is_refused(
    mous, api_for, coordinator, police_a
):
    answer = api_for(coordinator).post(
        f"{A}/mous/{mous['review'].pk}/parties/",
        {"agency": police_a.pk, "responsibilities": [99999999999999999999]},
        format="json",
    )
    assert answer.status_code == 400


def test_terms_beyond_reason_are_refused(program_a, police_a, clinic_a):
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    for data in (
        {"term_months": 2_000_000},
        {"notice_days": 999_999},
        {"effective_date": datetime.date(9999, 6, 1)},
    ):
        with pytest.raises(ValidationError) as refused:
            services.mou_update(actor=None, mou=Mou.objects.get(pk=mou.pk), data=data)
        assert set(refused.value.message_dict) == set(data)


def test_a_signature_is_not_dated_in_the_future_and_an_attestation_is_dated_today(
    mous, members, program_a
):
    admin = members[Role.AGENCY_ADMIN]
    party = mous["signing_party"]
    with pytest.raises(ValidationError) as refused:
        services.mou_sign(
            actor=admin,
            party=party,
            method="scan",
            scan=scan_file(),
            signed_on=program_a.today() + datetime.timedelta(days=400),
        )
    assert "signed_on" in refused.value.message_dict
    signature = services.mou_sign(
        actor=admin,
        party=party,
        method="typed",
        attestation="M. Okafor",
        signed_on=datetime.date(1990, 1, 1),
    )
    assert signature.signed_on == program_a.today()


def test_an_agency_still_described_in_the_directory_is_not_deleted(program_a):
    from citkit.testing.factories import AgencyFactory

    agency = AgencyFactory(program=program_a, name="Harbor Clinic")
    services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": agency,
            "kind": "receive",
            "title": "Take people in",
            "available_24_7": True,
        },
    )
    with pytest.raises(ValidationError, match="still used by"):
        partner_services.agency_delete(actor=None, agency=agency)
    assert Responsibility.objects.filter(agency=agency).exists()


def test_deleting_a_service_unlinks_its_responsibilities_in_the_audit_trail(directory, program_a):
    item = directory["responsibility"]
    services.responsibility_update(
        actor=None, item=item, data={"service": directory["clinic_service"]}
    )
    services.service_delete(actor=None, service=directory["clinic_service"])
    item.refresh_from_db()
    assert item.service is None
    change = AuditEntry.objects.filter(object_id=str(item.pk), action="update").latest("id")
    assert change.after == {**change.before, "service": None}


def test_a_responsibility_an_mou_party_took_on_stays_with_its_agency(mous, directory, clinic_a):
    with pytest.raises(ValidationError) as refused:
        services.responsibility_update(
            actor=None, item=directory["police_duty"], data={"agency": clinic_a}
        )
    assert "agency" in refused.value.message_dict


def test_a_24_hour_service_that_opens_next_month_is_not_24_7_today(directory, program_a):
    service = directory["clinic_service"]
    starts = program_a.today() + datetime.timedelta(days=30)
    services.part_create(
        actor=None,
        parent=service,
        model=Schedule,
        data={
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": datetime.time(0),
            "closes_at": datetime.time(0),
            "valid_from": starts,
        },
    )
    now = datetime.datetime.now(tz=program_a.zone)
    state = hours.service_status(service, program_a.zone, now)
    assert not state.open_24_7
    assert not state.open
    assert "from" in state.hours
    later = datetime.datetime.combine(starts, datetime.time(3), tzinfo=program_a.zone)
    assert hours.service_status(service, program_a.zone, later).open_24_7


def test_comments_are_taken_while_the_mou_is_drafted_and_reviewed(mous, members):
    with pytest.raises(ValidationError) as refused:
        services.review_add(
            actor=members[Role.COMMITTEE_MEMBER], mou=mous["executed"], comment="Late thought."
        )
    assert "comment" in refused.value.message_dict


def test_a_clause_moves_up_or_down_and_nowhere_else(mous, client_for, coordinator):
    url = f"{mous['draft'].get_absolute_url()}clauses/{mous['clause']}/move/sideways/"
    assert client_for(coordinator).post(url).status_code == 404
