"""Inputs at the edges answer in words, never with a 500: the first and last days
of the calendar, ids past what a column holds, digits that are not numbers, and a
record other records still use."""

import datetime

import pytest

from citkit.committee import services as committee
from citkit.core.models import AuditEntry
from citkit.partners.models import Agency

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01"])
def test_the_audit_filters_take_the_first_and_last_days_of_the_calendar(
    client_for, api_for, coordinator, program_b, query
):
    assert client_for(coordinator).get(f"/p/riverbend/audit/?{query}").status_code == 200
    assert api_for(coordinator).get(f"/api/programs/riverbend/audit/?{query}").status_code == 200


def test_a_history_of_an_id_no_column_holds_is_404(client_for, coordinator):
    response = client_for(coordinator).get("/p/riverbend/agencies/99999999999999999999/history/")
    assert response.status_code == 404


def test_a_digit_that_is_no_number_in_an_address_is_ignored(client_for, coordinator):
    response = client_for(coordinator).get("/p/riverbend/committee/actions/add/?meeting=%C2%B2")
    assert response.status_code == 200


def test_attendance_for_a_seat_id_no_column_holds_is_refused(api_for, coordinator, program_a):
    start = datetime.datetime(2026, 3, 12, 18, tzinfo=datetime.UTC)
    meeting = committee.meeting_create(
        actor=None,
        program=program_a,
        data={"starts_at": start, "ends_at": start + datetime.timedelta(hours=1)},
    )
    response = api_for(coordinator).post(
        f"/api/programs/riverbend/committee/meetings/{meeting.pk}/attendance/",
        {"seats": {"99999999999999999999": "present"}},
    )
    assert response.status_code == 400


def test_an_agency_that_holds_a_committee_seat_is_not_deleted_and_says_why(
    client_for, api_for, coordinator, program_a, clinic_a
):
    committee.seat_create(
        actor=None,
        program=program_a,
        data={
            "holder_name": "Dr. Ruiz",
            "agency": clinic_a,
            "start_date": datetime.date(2026, 1, 1),
        },
    )
    before = AuditEntry.objects.count()
    response = client_for(coordinator).post(
        f"/p/riverbend/agencies/{clinic_a.pk}/delete/", follow=True
    )
    assert "still used by 1 seat" in response.content.decode()
    response = api_for(coordinator).delete(f"/api/programs/riverbend/agencies/{clinic_a.pk}/")
    assert response.status_code == 400
    assert "still used by" in str(response.json())
    assert Agency.objects.filter(pk=clinic_a.pk).exists()
    assert AuditEntry.objects.count() == before
