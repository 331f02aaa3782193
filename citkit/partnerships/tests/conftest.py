"""Records the partnerships tests share: a directory of two agencies, and MOUs at each
step of their life."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citkit.partnerships import services
from citkit.partnerships.models import (
    Capacity,
    Language,
    MouTemplate,
    Phone,
    Schedule,
    ServiceArea,
)
from citkit.testing.factories import AgencyFactory

PDF = b"%PDF-1.4\n% a signed page\n"


def scan_file(name="signed.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def draft_mou(program, parties, *, title="Riverbend CIT MOU", clauses=2):
    mou = services.mou_create(actor=None, program=program, data={"title": title})
    for n in range(clauses):
        services.clause_save(
            actor=None,
            mou=mou,
            data={
                "kind": "roles",
                "heading": f"Clause {n + 1}",
                "body": f"Text of clause {n + 1}.",
            },
        )
    made = []
    for agency in parties:
        made.append(
            services.party_add(
                actor=None,
                mou=mou,
                data={"agency": agency, "signatory_name": f"Head of {agency.name}"},
            )
        )
    return mou, made


def to_signature(mou):
    for name in ("submit", "approve", "send_for_signature"):
        services.mou_transition(actor=None, mou=mou, name=name)
    mou.refresh_from_db()
    return mou


@pytest.fixture
def directory(program_a, police_a, clinic_a):
    service = services.service_create(
        actor=None,
        program=program_a,
        data={"agency": police_a, "name": "CIT officer request", "service_type": "law_enforcement"},
    )
    phone = services.part_create(
        actor=None, parent=service, model=Phone, data={"number": "(573) 555-0120"}
    )
    schedule = services.part_create(
        actor=None,
        parent=service,
        model=Schedule,
        data={
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": datetime.time(0),
            "closes_at": datetime.time(0),
        },
    )
    language = services.part_create(
        actor=None, parent=service, model=Language, data={"name": "Spanish", "code": "es"}
    )
    area = services.part_create(
        actor=None, parent=service, model=ServiceArea, data={"name": "City of Riverbend"}
    )
    clinic_service = services.service_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "name": "Crisis stabilization",
            "service_type": "crisis_stabilization",
        },
    )
    capacity = services.part_create(
        actor=None,
        parent=clinic_service,
        model=Capacity,
        data={"unit": "beds", "available": 3, "maximum": 12},
    )
    location = services.location_create(
        actor=None,
        program=program_a,
        data={"agency": police_a, "name": "Police headquarters", "address_1": "200 W Main St"},
    )
    location_schedule = services.part_create(
        actor=None,
        parent=location,
        model=Schedule,
        data={
            "freq": "WEEKLY",
            "byday": "MO,TU",
            "opens_at": datetime.time(8),
            "closes_at": datetime.time(17),
        },
    )
    police_duty = services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": police_a,
            "kind": "respond",
            "title": "Send a CIT officer",
            "available_24_7": True,
        },
    )
    responsibility = services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "kind": "receive",
            "title": "Accept every adult brought by an officer",
            "available_24_7": True,
            "handoff": "Sally port, east side.",
        },
    )
    return {
        "service": service,
        "phone": phone,
        "schedule": schedule,
        "language": language,
        "area": area,
        "clinic_service": clinic_service,
        "capacity": capacity,
        "location": location,
        "location_schedule": location_schedule,
        "police_duty": police_duty,
        "responsibility": responsibility,
    }


@pytest.fixture
def mous(program_a, police_a, clinic_a, directory):
    other = AgencyFactory(program=program_a, name="Riverbend County EMS", agency_type="ems")
    draft, (police_party, _) = draft_mou(program_a, [police_a, clinic_a], title="Draft MOU")
    commitment = services.commitment_add(
        actor=None, party=police_party, responsibility=directory["police_duty"]
    )
    review, _ = draft_mou(program_a, [clinic_a, other], title="MOU in review")
    services.mou_transition(actor=None, mou=review, name="submit")
    signing, (signing_party, _) = draft_mou(program_a, [police_a, clinic_a], title="Signing")
    to_signature(signing)
    executed, (p1, p2) = draft_mou(program_a, [police_a, clinic_a], title="Executed MOU")
    to_signature(executed)
    services.mou_sign(actor=None, party=p1, method="typed", attestation="Chief Moss")
    scan = services.mou_sign(actor=None, party=p2, method="scan", scan=scan_file())
    executed.refresh_from_db()
    services.install_starter_templates(actor=None, program=program_a)
    template = MouTemplate.objects.filter(program=program_a).order_by("id").first()
    version = services.current_version(draft)
    return {
        "draft": draft,
        "clause": version.clauses[0]["key"],
        "party": police_party,
        "commitment": commitment,
        "review": review,
        "signing": signing,
        "signing_party": signing_party,
        "executed": executed,
        "scan": scan,
        "template": template,
        "template_clause": template.clauses.first(),
    }
