"""Demo data for partnerships: Riverbend's crisis-services directory, each partner's
crisis responsibilities, the executed MOU between law enforcement, the mental-health
authority and the receiving facility, and a draft amendment that adds EMS and the
veterans' clinic.

Everything goes through the services with actor=None (the system). Loading twice
changes nothing: the step does nothing once the program has a directory.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction

from citkit.core.models import Program
from citkit.partners.models import Agency
from citkit.partnerships import services
from citkit.partnerships.models import (
    Capacity,
    Language,
    MouTemplate,
    Phone,
    Responsibility,
    Schedule,
    Service,
)

ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"
WEEKDAYS = "MO,TU,WE,TH,FR"


def _h(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


# Opening hours by name: (description, byday, opens, closes)
HOURS = {
    "24/7": [("Open 24 hours", ALL_DAYS, _h(0), _h(0))],
    "office": [("Weekdays", WEEKDAYS, _h(8), _h(17))],
    "office-sat": [("Weekdays", WEEKDAYS, _h(8), _h(18)), ("Saturday", "SA", _h(9), _h(13))],
    "evenings": [("Every day, into the night", ALL_DAYS, _h(9), _h(1))],
    "mobile": [
        ("Weekdays, day and evening", WEEKDAYS, _h(7), _h(23)),
        ("Weekends", "SA,SU", _h(10), _h(22)),
    ],
    "walk-in": [("Walk-in weekdays", WEEKDAYS, _h(9), _h(19))],
    "overnight": [("Every night", ALL_DAYS, _h(19), _h(7))],
    "school": [("School days", WEEKDAYS, _h(7, 30), _h(16))],
}


@dataclass(frozen=True)
class ServiceSpec:
    agency: str
    name: str
    service_type: str
    hours: str
    phone: str
    description: str
    how: str = ""
    eligibility: str = ""
    ages: tuple[int | None, int | None] = (None, None)
    languages: tuple[str, ...] = ("English",)
    capacity: tuple[str, int, int] | None = None  # (unit, available, maximum)
    phone_note: str = ""
    fees: str = "No fee."


SERVICES = [
    ServiceSpec(
        "Riverbend Crisis Stabilization Unit",
        "Crisis stabilization and officer drop-off",
        "crisis_stabilization",
        "24/7",
        "(573) 555-0181",
        "A single point of entry for adults in a mental-health crisis, with "
        "assessment and stays of up to 23 hours. No-refusal policy for law enforcement.",
        how="Officers bring people to the secure sally port; call ahead from the car.",
        eligibility="Adults 18 and over in a behavioral-health crisis.",
        ages=(18, None),
        languages=("English", "Spanish"),
        capacity=("chairs", 6, 16),
        phone_note="Officer drop-off line, answered 24/7",
    ),
    ServiceSpec(
        "Riverbend Crisis Stabilization Unit",
        "Short-term crisis residential beds",
        "crisis_stabilization",
        "24/7",
        "(573) 555-0182",
        "Up to 7 days of crisis residential care after stabilization.",
        how="Referral by the stabilization unit's clinician.",
        ages=(18, None),
        capacity=("beds", 3, 12),
    ),
    ServiceSpec(
        "Riverbend Crisis Stabilization Unit",
        "Withdrawal management (detox)",
        "substance_use",
        "24/7",
        "(573) 555-0183",
        "Medically monitored withdrawal management for alcohol and opioids.",
        how="Walk in, or officers bring people through the drop-off entrance.",
        ages=(18, None),
        capacity=("beds", 2, 8),
    ),
    ServiceSpec(
        "Riverbend 988 Crisis Line",
        "988 Suicide & Crisis Lifeline",
        "crisis_line",
        "24/7",
        "988",
        "Call, text or chat for anyone in emotional distress or suicidal crisis.",
        how="Call or text 988.",
        languages=("English", "Spanish", "Vietnamese"),
        phone_note="Call or text",
    ),
    ServiceSpec(
        "Riverbend 988 Crisis Line",
        "Warm line (peer support)",
        "peer_support",
        "evenings",
        "(573) 555-0191",
        "Peers with lived experience listen and help before a crisis.",
        how="Call; no referral needed.",
    ),
    ServiceSpec(
        "Riverbend Mobile Crisis Team",
        "Mobile crisis response",
        "mobile_crisis",
        "mobile",
        "(573) 555-0195",
        "A clinician and a peer come to the person, at home or in the community, "
        "within 60 minutes in the county.",
        how="Dispatch through 911 or 988; officers may request co-response on scene.",
        languages=("English", "Spanish"),
    ),
    ServiceSpec(
        "Riverbend Mobile Crisis Team",
        "Follow-up after a crisis",
        "mobile_crisis",
        "office",
        "(573) 555-0196",
        "A call or a visit within 72 hours of a crisis contact or a release.",
    ),
    ServiceSpec(
        "Riverbend Behavioral Health",
        "Same-day access clinic",
        "outpatient",
        "walk-in",
        "(573) 555-0130",
        "Assessment and a first appointment the same day, for any age.",
        how="Walk in; arrive before 5 pm to be seen the same day.",
        languages=("English", "Spanish"),
        fees="Sliding scale; no one turned away.",
    ),
    ServiceSpec(
        "Riverbend Behavioral Health",
        "Medication clinic",
        "outpatient",
        "office",
        "(573) 555-0131",
        "Psychiatric medication management and bridge prescriptions after a crisis.",
        how="Referral from the same-day clinic or the stabilization unit.",
        fees="Sliding scale.",
    ),
    ServiceSpec(
        "Riverbend Behavioral Health",
        "Co-responder clinicians",
        "co_responder",
        "mobile",
        "(573) 555-0132",
        "Clinicians who ride with CIT officers on the evening shift.",
        how="Requested by officers through dispatch.",
    ),
    ServiceSpec(
        "St. Luke's Emergency Department",
        "Emergency department",
        "emergency_department",
        "24/7",
        "(573) 555-0170",
        "Medical emergencies, including overdose, injury and medical clearance.",
        how="Officers use the ambulance entrance and report to the charge nurse.",
        languages=("English", "Spanish"),
        fees="Billed to insurance.",
        capacity=("psychiatric holding rooms", 1, 4),
    ),
    ServiceSpec(
        "St. Luke's Emergency Department",
        "Inpatient psychiatric unit",
        "inpatient",
        "24/7",
        "(573) 555-0172",
        "Voluntary and involuntary inpatient admission after evaluation.",
        ages=(18, None),
        capacity=("beds", 2, 20),
        fees="Billed to insurance.",
    ),
    ServiceSpec(
        "Riverbend County EMS",
        "Emergency medical response and transport",
        "ems",
        "24/7",
        "911",
        "Paramedic response and transport, including to the stabilization unit.",
        how="Through 911.",
    ),
    ServiceSpec(
        "Riverbend County EMS",
        "Community paramedicine",
        "ems",
        "office",
        "(573) 555-0150",
        "Home visits for frequent callers with chronic or behavioral-health needs.",
    ),
    ServiceSpec(
        "Riverbend County Department of Social Services",
        "Emergency assistance",
        "social_services",
        "office",
        "(573) 555-0160",
        "Emergency food, utility and rent help; benefit enrolment.",
        how="Walk in or call; bring ID if you have it.",
    ),
    ServiceSpec(
        "Riverbend County Department of Social Services",
        "Adult protective services",
        "social_services",
        "24/7",
        "(573) 555-0162",
        "Reports of abuse, neglect or exploitation of vulnerable adults.",
        how="Call the hotline; officers may report from the scene.",
        ages=(18, None),
    ),
    ServiceSpec(
        "Riverbend County Department of Social Services",
        "Emergency shelter placement",
        "housing",
        "overnight",
        "(573) 555-0163",
        "Overnight shelter placement with the county's partner shelters.",
        how="Call from 7 pm; officers may call on behalf of a person.",
        capacity=("beds", 9, 40),
    ),
    ServiceSpec(
        "Riverbend Youth & Family Services",
        "Youth mobile crisis",
        "youth",
        "mobile",
        "(573) 555-0165",
        "Crisis response for children and teens, with the family.",
        how="Call, or ask dispatch for youth mobile crisis.",
        ages=(0, 17),
        languages=("English", "Spanish"),
    ),
    ServiceSpec(
        "Riverbend Youth & Family Services",
        "Youth crisis respite",
        "youth",
        "24/7",
        "(573) 555-0166",
        "Short stays for teens who cannot safely stay home tonight.",
        ages=(12, 17),
        capacity=("beds", 2, 6),
    ),
    ServiceSpec(
        "Riverbend VA Community Clinic",
        "Veterans Crisis Line (press 1)",
        "veterans",
        "24/7",
        "988",
        "For veterans and their families: call 988 and press 1.",
        how="Call 988, press 1; or text 838255.",
        phone_note="Press 1",
    ),
    ServiceSpec(
        "Riverbend VA Community Clinic",
        "Same-day mental-health care for veterans",
        "veterans",
        "office",
        "(573) 555-0142",
        "Walk-in mental-health care for enrolled veterans.",
        how="Walk in; officers may bring a veteran who agrees.",
        ages=(18, None),
    ),
    ServiceSpec(
        "NAMI Riverbend",
        "Family support groups",
        "peer_support",
        "evenings",
        "(573) 555-0147",
        "Free groups for families of people living with mental illness.",
        how="Call or come to a meeting.",
    ),
    ServiceSpec(
        "NAMI Riverbend",
        "NAMI HelpLine",
        "peer_support",
        "office",
        "(573) 555-0148",
        "Information, resources and support for people and families.",
        languages=("English", "Spanish"),
    ),
    ServiceSpec(
        "Riverbend County Courts & Jail",
        "Jail diversion and mental-health court",
        "other",
        "office",
        "(573) 555-0158",
        "Screening for diversion at booking and referral to the treatment court.",
    ),
    ServiceSpec(
        "Riverbend Unified School District",
        "School crisis counsellors",
        "youth",
        "school",
        "(573) 555-0167",
        "Counsellors who respond to a student in crisis at school.",
        ages=(5, 18),
    ),
    ServiceSpec(
        "Riverbend 211 Information & Referral",
        "211 information and referral",
        "other",
        "24/7",
        "211",
        "Referral to every community service in the county.",
        how="Call or text 211.",
        languages=("English", "Spanish", "Vietnamese", "Arabic"),
    ),
    ServiceSpec(
        "Riverbend Police Department",
        "CIT officer request",
        "law_enforcement",
        "24/7",
        "911",
        "Ask for a CIT officer when you call 911 about a mental-health crisis.",
        how="Call 911 and say it is a mental-health crisis; ask for a CIT officer.",
    ),
    ServiceSpec(
        "Riverbend County Emergency Communications (911)",
        "911 crisis call triage",
        "law_enforcement",
        "24/7",
        "911",
        "Call-takers screen for mental-health crises and send CIT, mobile crisis or "
        "a 988 transfer.",
        how="Call 911.",
    ),
]


@dataclass(frozen=True)
class ResponsibilitySpec:
    agency: str
    kind: str
    title: str
    applies_when: str
    handoff: str = ""
    escalation: str = ""
    service: str = ""  # the service whose hours it follows; "" and not 24/7 = hours in words
    available_24_7: bool = False
    phone: str = ""
    hours_text: str = ""


RESPONSIBILITIES = [
    ResponsibilitySpec(
        "Riverbend Crisis Stabilization Unit",
        "receive",
        "Accept every adult brought by an officer — no refusal",
        "Adults in a behavioral-health crisis, voluntary or under an emergency hold.",
        handoff="Call ahead from the car. Use the sally port on the east side; the nurse meets "
        "you. Hand over the custody form; you are back on patrol within 15 minutes.",
        escalation="No answer in 5 minutes: call the charge nurse at (573) 555-0189.",
        available_24_7=True,
        phone="(573) 555-0181",
    ),
    ResponsibilitySpec(
        "Riverbend Crisis Stabilization Unit",
        "treat",
        "Assess and stabilize within 23 hours; refer onward",
        "Everyone received at the unit.",
        available_24_7=True,
    ),
    ResponsibilitySpec(
        "Riverbend Behavioral Health",
        "follow_up",
        "Same-day appointment for anyone released from the stabilization unit",
        "Adults and youth after a crisis contact.",
        service="Same-day access clinic",
        phone="(573) 555-0130",
    ),
    ResponsibilitySpec(
        "Riverbend Behavioral Health",
        "train",
        "Provide clinicians and a family panel for the 40-hour CIT course",
        "Every CIT class.",
        hours_text="As scheduled with the training coordinator",
    ),
    ResponsibilitySpec(
        "Riverbend Mobile Crisis Team",
        "respond",
        "Respond on scene with or instead of officers",
        "No weapon, no violence in progress; the person is in the county.",
        handoff="Dispatch gives the team the officer's unit number; the team calls the officer.",
        escalation="No team free within 60 minutes: dispatch sends a CIT officer.",
        service="Mobile crisis response",
        phone="(573) 555-0195",
    ),
    ResponsibilitySpec(
        "Riverbend Police Department",
        "respond",
        "Send a CIT-trained officer to every mental-health crisis call",
        "Any call the 911 centre codes as a mental-health crisis.",
        available_24_7=True,
        phone="911",
    ),
    ResponsibilitySpec(
        "Riverbend County Sheriff's Office",
        "respond",
        "Send a CIT-trained deputy in the unincorporated county",
        "Calls outside city limits.",
        available_24_7=True,
        phone="911",
    ),
    ResponsibilitySpec(
        "Riverbend County Sheriff's Office",
        "transport",
        "Transport people under an emergency hold to the stabilization unit",
        "When the person cannot go by EMS and needs no medical care.",
        available_24_7=True,
    ),
    ResponsibilitySpec(
        "Riverbend County Emergency Communications (911)",
        "advise",
        "Identify crisis calls and send CIT, mobile crisis or a 988 transfer",
        "Every call.",
        available_24_7=True,
        phone="911",
    ),
    ResponsibilitySpec(
        "St. Luke's Emergency Department",
        "receive",
        "Medical clearance for overdose, injury or intoxication",
        "When the person needs medical care before the stabilization unit.",
        handoff="Ambulance entrance; report to the charge nurse; a security officer takes "
        "over watch within 30 minutes.",
        available_24_7=True,
        phone="(573) 555-0170",
    ),
    ResponsibilitySpec(
        "Riverbend County EMS",
        "transport",
        "Transport to the stabilization unit or the emergency department",
        "Medical needs, or the person asks not to ride with police.",
        available_24_7=True,
        phone="911",
    ),
    ResponsibilitySpec(
        "Riverbend VA Community Clinic",
        "follow_up",
        "Same-day care for veterans after a crisis contact",
        "Enrolled veterans who agree.",
        service="Same-day mental-health care for veterans",
        phone="(573) 555-0142",
    ),
    ResponsibilitySpec(
        "Riverbend Youth & Family Services",
        "respond",
        "Youth mobile crisis for anyone under 18",
        "A child or teen in crisis, at home, at school or in the community.",
        service="Youth mobile crisis",
        phone="(573) 555-0165",
        escalation="Out of hours: the crisis stabilization unit's nurse advises by phone.",
    ),
    ResponsibilitySpec(
        "NAMI Riverbend",
        "follow_up",
        "Reach out to families after a CIT call, with their consent",
        "The family agreed on scene to be contacted.",
        service="NAMI HelpLine",
    ),
]

MOU_PARTIES = [
    ("Riverbend Police Department", "Chief Angela Moss", "Chief of Police"),
    ("Riverbend County Sheriff's Office", "Sheriff Thomas Reed", "Sheriff"),
    ("Riverbend Behavioral Health", "Dr. Nadia Okafor", "Chief Executive Officer"),
    ("Riverbend Crisis Stabilization Unit", "Lorraine Pike, RN", "Director"),
]
AMENDMENT_PARTIES = [
    ("Riverbend County EMS", "Chief Luis Ortega", "EMS Chief"),
    ("Riverbend VA Community Clinic", "Dr. Helen Marsh", "Clinic Director"),
]


@dataclass
class _Counts:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def load_partnerships_demo(program: Program, *, today: datetime.date | None = None) -> dict:
    if program.slug != "riverbend" or Service.objects.filter(program=program).exists():
        return {}
    today = today or program.today()
    with transaction.atomic():
        return _build(program, today)


def _build(program: Program, today: datetime.date) -> dict:
    counts = _Counts()
    agencies = {a.name: a for a in Agency.objects.filter(program=program)}
    made: dict[str, Service] = {}
    for spec in SERVICES:
        agency = agencies.get(spec.agency)
        if agency is None:
            continue
        service = services.service_create(
            actor=None,
            program=program,
            data={
                "agency": agency,
                "name": spec.name,
                "service_type": spec.service_type,
                "description": spec.description,
                "application_process": spec.how,
                "eligibility_description": spec.eligibility,
                "minimum_age": spec.ages[0],
                "maximum_age": spec.ages[1],
                "fees_description": spec.fees,
            },
        )
        made[spec.name] = service
        counts.add("services")
        services.part_create(
            actor=None,
            parent=service,
            model=Phone,
            data={"number": spec.phone, "description": spec.phone_note},
        )
        for description, byday, opens, closes in HOURS[spec.hours]:
            services.part_create(
                actor=None,
                parent=service,
                model=Schedule,
                data={
                    "description": description,
                    "freq": "WEEKLY",
                    "byday": byday,
                    "opens_at": opens,
                    "closes_at": closes,
                },
            )
        for language in spec.languages:
            services.part_create(
                actor=None,
                parent=service,
                model=Language,
                data={"name": language, "code": _CODES.get(language, "")},
            )
        if spec.capacity:
            unit, available, maximum = spec.capacity
            services.part_create(
                actor=None,
                parent=service,
                model=Capacity,
                data={"unit": unit, "available": available, "maximum": maximum},
            )
    _locations(program, agencies, made, counts)
    responsibilities = _responsibilities(program, agencies, made, counts)
    _mous(program, agencies, responsibilities, today, counts)
    return counts.counts


_CODES = {"English": "en", "Spanish": "es", "Vietnamese": "vi", "Arabic": "ar"}


def _locations(program, agencies, made, counts) -> None:
    from citkit.partnerships.models import ServiceAtLocation

    for agency in agencies.values():
        offered = [s for s in made.values() if s.agency_id == agency.pk]
        if not offered or not agency.street:
            continue
        location = services.location_create(
            actor=None,
            program=program,
            data={
                "agency": agency,
                "name": agency.name,
                "address_1": agency.street,
                "city": agency.city,
                "state_province": agency.state,
                "postal_code": agency.postal_code,
                "country": "US",
            },
        )
        counts.add("locations")
        for service in offered:
            services.part_create(
                actor=None,
                parent=service,
                model=ServiceAtLocation,
                data={"location": location},
            )


def _responsibilities(program, agencies, made, counts) -> dict[str, list[Responsibility]]:
    by_agency: dict[str, list[Responsibility]] = {}
    for position, spec in enumerate(RESPONSIBILITIES, start=1):
        agency = agencies.get(spec.agency)
        if agency is None:
            continue
        item = services.responsibility_create(
            actor=None,
            program=program,
            data={
                "agency": agency,
                "kind": spec.kind,
                "title": spec.title,
                "applies_when": spec.applies_when,
                "handoff": spec.handoff,
                "escalation": spec.escalation,
                "available_24_7": spec.available_24_7,
                "service": made.get(spec.service),
                "contact_phone": spec.phone,
                "hours_text": spec.hours_text,
                "position": position,
            },
        )
        by_agency.setdefault(spec.agency, []).append(item)
        counts.add("responsibilities")
    return by_agency


def _mous(program, agencies, responsibilities, today, counts) -> None:
    services.install_starter_templates(actor=None, program=program)
    template = MouTemplate.objects.filter(program=program, kind="specific").order_by("id").first()
    effective = today - relativedelta(months=7)
    mou = services.mou_create(
        actor=None,
        program=program,
        template=template,
        data={
            "title": "Riverbend CIT Memorandum of Understanding",
            "effective_date": effective,
            "term_months": 12,
            "auto_renew": True,
            "renewal_months": 12,
            "notice_days": 60,
            "review_date": effective + relativedelta(months=11),
        },
    )
    parties = _parties(mou, MOU_PARTIES, agencies, responsibilities)
    for name in ("submit", "approve", "send_for_signature"):
        services.mou_transition(actor=None, mou=mou, name=name, comment="")
    for offset, party in enumerate(parties):
        services.mou_sign(
            actor=None,
            party=party,
            method="typed",
            signed_on=effective - datetime.timedelta(days=len(parties) - offset),
            attestation=party.signatory_name,
        )
    counts.add("mous")
    mou.refresh_from_db()
    amendment = services.mou_amend(
        actor=None, mou=mou, title="Riverbend CIT MOU — Amendment 1 (EMS and veterans' services)"
    )
    _parties(amendment, AMENDMENT_PARTIES, agencies, responsibilities)
    services.clause_save(
        actor=None,
        mou=amendment,
        data={
            "kind": "roles",
            "heading": "Emergency medical services and veterans' services",
            "body": (
                "Riverbend County EMS transports people in crisis who need medical care, or "
                "who ask not to ride with police, to the Crisis Stabilization Unit or the "
                "emergency department.\n\n"
                "The Riverbend VA Community Clinic offers same-day mental-health care to "
                "veterans after a crisis contact, and a clinician for the veterans module of "
                "the 40-hour course."
            ),
        },
        summary="Adds EMS and the VA clinic as parties.",
    )
    counts.add("mous")


def _parties(mou, specs, agencies, responsibilities):
    made = []
    for name, signatory, title in specs:
        agency = agencies.get(name)
        if agency is None:
            continue
        party = services.party_add(
            actor=None,
            mou=mou,
            data={"agency": agency, "signatory_name": signatory, "signatory_title": title},
        )
        for item in responsibilities.get(name, []):
            services.commitment_add(actor=None, party=party, responsibility=item)
        made.append(party)
    return made
