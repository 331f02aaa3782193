"""The audit trail: every change, from every door, in the same transaction, append-only."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import transaction

from citkit.core.audit import audit_context
from citkit.core.models import AuditEntry
from citkit.partners import services as partner_services
from citkit.partners.models import Agency
from citkit.people import services as people_services
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_page_edit_records_actor_before_after_and_request_id(client_for, coordinator, police_a):
    client = client_for(coordinator)
    response = client.post(
        f"/p/riverbend/agencies/{police_a.pk}/edit/",
        {
            "name": police_a.name,
            "agency_type": "law_enforcement",
            "main_phone": "(573) 555-0199",
            "active": "on",
        },
        HTTP_X_REQUEST_ID="req-123",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update", object_id=str(police_a.pk))
    assert entry.actor == coordinator
    assert entry.source == "page"
    assert entry.request_id == "req-123"
    assert entry.before["main_phone"] == ""
    assert entry.after["main_phone"] == "(573) 555-0199"
    assert ("main_phone", "", "(573) 555-0199") in entry.changes
    assert entry.program == police_a.program


def test_an_api_create_and_delete_are_recorded(api_for, coordinator, program_a):
    api = api_for(coordinator)
    created = api.post(
        "/api/programs/riverbend/agencies/",
        {"name": "County EMS", "agency_type": "ems", "operates_24_7": True},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api.delete(f"/api/programs/riverbend/agencies/{pk}/").status_code == 204
    actions = list(
        AuditEntry.objects.filter(object_id=str(pk)).order_by("id").values_list("action", "source")
    )
    assert actions == [("create", "api"), ("delete", "api")]
    deleted = AuditEntry.objects.get(object_id=str(pk), action="delete")
    assert deleted.before["name"] == "County EMS"


def test_a_change_made_from_a_command_is_recorded_with_its_source(program_a, coordinator):
    call_command(
        "set_program",
        "riverbend",
        "--as",
        coordinator.username,
        "--jurisdiction",
        "Riverbend County and City",
    )
    entry = AuditEntry.objects.get(action="update", content_type__model="program")
    assert entry.source == "command"
    assert entry.actor == coordinator
    assert entry.actor_label.startswith("command set_program")
    assert entry.after["jurisdiction"] == "Riverbend County and City"


def test_a_save_that_changes_nothing_writes_no_entry(coordinator, police_a):
    partner_services.agency_update(actor=coordinator, agency=police_a, data={"name": police_a.name})
    assert not AuditEntry.objects.filter(action="update").exists()


def test_the_entry_rolls_back_with_the_change(coordinator, program_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        partner_services.agency_create(
            actor=coordinator, program=program_a, data={"name": "Gone", "agency_type": "ems"}
        )
        raise RuntimeError("the caller fails after the service")
    assert not Agency.objects.filter(name="Gone").exists()
    assert not AuditEntry.objects.filter(object_repr="Gone").exists()


def test_audit_entries_cannot_be_edited_or_deleted(coordinator, program_a):
    with audit_context(source="system"):
        partner_services.agency_create(
            actor=coordinator, program=program_a, data={"name": "Kept", "agency_type": "ems"}
        )
    entry = AuditEntry.objects.get(object_repr="Kept")
    entry.object_repr = "Forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="Forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "Kept"


def test_the_admin_shows_entries_read_only(admin_client, coordinator, program_a):
    partner_services.agency_create(
        actor=coordinator, program=program_a, data={"name": "Kept", "agency_type": "ems"}
    )
    entry = AuditEntry.objects.get(object_repr="Kept")
    assert admin_client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403


def test_the_history_page_shows_a_records_changes(client_for, coordinator, police_a):
    partner_services.agency_update(
        actor=coordinator, agency=police_a, data={"crisis_phone": "(573) 555-0111"}
    )
    response = client_for(coordinator).get(f"/p/riverbend/agencies/{police_a.pk}/history/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "(573) 555-0111" in body
    # An account without a full name is named by its user name.
    assert "coordinator_a changed 1 field: Crisis / after-hours phone" in body


def test_a_deleted_record_keeps_its_history(client_for, coordinator, program_a, police_a):
    person = PersonFactory(program=program_a, agency=police_a)
    pk = person.pk
    people_services.person_delete(actor=coordinator, person=person)
    response = client_for(coordinator).get(f"/p/riverbend/people/{pk}/history/")
    assert response.status_code == 200
    assert "has been deleted" in response.content.decode()


def test_the_program_trail_filters_by_action_and_record(client_for, coordinator, program_a):
    for name in ("Alpha Clinic", "Beta Clinic"):
        partner_services.agency_create(
            actor=coordinator,
            program=program_a,
            data={"name": name, "agency_type": "mental_health"},
        )
    client = client_for(coordinator)
    response = client.get("/p/riverbend/audit/", {"q": "Beta", "action": "create"})
    shown = [e.object_repr for e in response.context["page"].items]
    assert shown == ["Beta Clinic"]


def test_the_trail_does_not_leak_another_programs_entries(
    client_for, coordinator, outsider, program_b
):
    partner_services.agency_create(
        actor=outsider, program=program_b, data={"name": "Lakeshore Only", "agency_type": "ems"}
    )
    response = client_for(coordinator).get("/p/riverbend/audit/")
    assert "Lakeshore Only" not in response.content.decode()


def test_an_invalid_filter_value_is_reported_not_a_500(client_for, coordinator, program_a):
    response = client_for(coordinator).get("/p/riverbend/audit/", {"since": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_times_are_stored_in_utc_and_shown_in_the_programs_zone(client_for, outsider, program_b):
    partner_services.agency_create(
        actor=outsider, program=program_b, data={"name": "Zoned", "agency_type": "ems"}
    )
    entry = AuditEntry.objects.get(object_repr="Zoned")
    assert entry.created_at.utcoffset() == datetime.timedelta(0)
    local = entry.created_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    page = client_for(outsider).get("/p/lakeshore/audit/").content.decode()
    assert local.strftime("%Y-%m-%d %H:%M") in page


def test_the_date_filters_use_whole_days_in_the_programs_zone(client_for, coordinator, police_a):
    from django.contrib.contenttypes.models import ContentType

    # 04:30 UTC on 1 March is still 28 February in Chicago.
    AuditEntry.objects.create(
        program=police_a.program,
        created_at=datetime.datetime(2026, 3, 1, 4, 30, tzinfo=datetime.UTC),
        actor_label="x",
        source="system",
        action="update",
        content_type=ContentType.objects.get_for_model(police_a),
        object_id=str(police_a.pk),
        object_repr="Late-night change",
    )
    client = client_for(coordinator)

    def shown(**params):
        page = client.get("/p/riverbend/audit/", params).context["page"]
        return [e.object_repr for e in page.items]

    assert shown(since="2026-02-28", until="2026-02-28") == ["Late-night change"]
    assert shown(since="2026-03-01") == []
    assert shown(until="2026-02-27") == []


def test_the_trail_filters_say_any_when_they_filter_nothing(client_for, coordinator, program_a):
    response = client_for(coordinator).get("/p/riverbend/audit/")
    form = response.context["filterset"].form
    for name in ("action", "record_type"):
        assert next(iter(form.fields[name].choices)) == ("", "Any"), name
    body = response.content.decode()
    assert body.count('<option value="" selected>Any</option>') == 2
    assert "Unknown" not in body and "---------" not in body
