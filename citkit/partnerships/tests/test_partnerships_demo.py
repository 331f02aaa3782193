"""The partnerships' part of the demo: Riverbend's crisis-services directory, the
executed MOU and its draft amendment, and the plan measure that follows them."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from citkit.core.measures import measure
from citkit.core.models import Program
from citkit.partners.models import Agency, AgencyType
from citkit.partnerships.demo import load_partnerships_demo
from citkit.partnerships.models import (
    Capacity,
    Mou,
    MouSignature,
    MouStatus,
    Responsibility,
    Service,
    ServiceType,
)
from citkit.partnerships.services import current_version

# Partner types the directory must cover whatever else the demo holds.
REQUIRED_TYPES = {
    AgencyType.RECEIVING_FACILITY,
    AgencyType.EMERGENCY_DEPARTMENT,
    AgencyType.EMS,
    AgencyType.CRISIS_LINE,
    AgencyType.MOBILE_CRISIS,
    AgencyType.SOCIAL_SERVICES,
    AgencyType.YOUTH_SERVICES,
    AgencyType.VETERANS_SERVICES,
}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the class and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        program = Program.objects.get(slug="riverbend")
        executed = Mou.objects.get(program=program, status=MouStatus.EXECUTED)
        yield {"program": program, "executed": executed}
        transaction.set_rollback(True)


def _party_types(mou) -> set[str]:
    return set(mou.parties.values_list("agency__agency_type", flat=True))


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheDemoPartnerships:
    def test_the_directory_holds_at_least_25_services(self, demo):
        assert Service.objects.filter(program=demo["program"]).count() >= 25

    def test_the_directory_covers_the_crisis_partner_types(self, demo):
        covered = set(
            Service.objects.filter(program=demo["program"]).values_list(
                "agency__agency_type", flat=True
            )
        )
        assert covered >= REQUIRED_TYPES, REQUIRED_TYPES - covered

    def test_the_directory_covers_every_partner_type_the_program_has(self, demo):
        program = demo["program"]
        present = set(Agency.objects.filter(program=program).values_list("agency_type", flat=True))
        covered = set(
            Service.objects.filter(program=program).values_list("agency__agency_type", flat=True)
        )
        assert present == covered, present - covered

    def test_a_crisis_stabilization_service_is_open_24_7_with_capacity(self, demo):
        from citkit.partnerships.hours import is_open_24_7

        found = [
            s
            for s in Service.objects.filter(
                program=demo["program"], service_type=ServiceType.CRISIS_STABILIZATION
            ).prefetch_related("schedules")
            if is_open_24_7(s.schedules.all())
            and Capacity.objects.filter(service=s, maximum__gt=0).exists()
        ]
        assert found

    def test_every_demo_service_has_a_phone_and_hours(self, demo):
        services = Service.objects.filter(program=demo["program"])
        assert not services.filter(phones__isnull=True).exists()
        assert not services.filter(schedules__isnull=True).exists()

    def test_the_executed_mou_binds_law_enforcement_mental_health_and_the_receiving_facility(
        self, demo
    ):
        executed = demo["executed"]
        assert {
            AgencyType.LAW_ENFORCEMENT,
            AgencyType.MENTAL_HEALTH,
            AgencyType.RECEIVING_FACILITY,
        } <= _party_types(executed)
        assert executed.effective_date and executed.ends_on

    def test_every_party_signed_the_executed_mous_current_version(self, demo):
        executed = demo["executed"]
        version = current_version(executed)
        signed = set(
            MouSignature.objects.filter(party__mou=executed, version=version).values_list(
                "party_id", flat=True
            )
        )
        parties = set(executed.parties.values_list("pk", flat=True))
        assert len(parties) >= 3 and signed == parties

    def test_a_draft_amendment_supersedes_it_and_adds_ems_and_veterans_services(self, demo):
        executed = demo["executed"]
        amendment = Mou.objects.get(supersedes=executed)
        assert amendment.status == MouStatus.DRAFT
        added = _party_types(amendment) - _party_types(executed)
        assert added == {AgencyType.EMS, AgencyType.VETERANS_SERVICES}
        assert _party_types(executed) <= _party_types(amendment)
        assert not MouSignature.objects.filter(party__mou=amendment).exists()

    def test_the_plan_measure_reports_the_amendment(self, demo):
        program, executed = demo["program"], demo["executed"]
        amendment = Mou.objects.get(supersedes=executed)
        result = measure(program, "mou_parties_signed")
        assert result is not None
        assert result.text.startswith(amendment.title)
        assert f"in force: {executed.title}" in result.text
        assert (result.done, result.total) == (0, amendment.parties.count())
        assert not result.complete

    def test_the_crisis_responsibilities_follow_the_services_they_name(self, demo):
        items = Responsibility.objects.filter(program=demo["program"])
        assert items.filter(available_24_7=True).exists()
        for item in items.filter(service__isnull=False).select_related("service"):
            assert item.service.agency_id == item.agency_id

    def test_loading_the_demo_a_second_time_changes_nothing(self, demo):
        program = demo["program"]
        counts = (
            Service.objects.count(),
            Mou.objects.count(),
            Responsibility.objects.count(),
            MouSignature.objects.count(),
        )
        call_command("load_demo", stdout=io.StringIO())
        assert load_partnerships_demo(program) == {}
        assert (
            Service.objects.count(),
            Mou.objects.count(),
            Responsibility.objects.count(),
            MouSignature.objects.count(),
        ) == counts
