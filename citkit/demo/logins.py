"""The demo's logins: one per role, all with the same published password."""

from dataclasses import dataclass

from citkit.core.models import Role

DEMO_PASSWORD = "citkit-demo-2026"  # noqa: S105 — published on purpose: demo logins only


# --- Logins -----------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    programs: tuple[str, ...]
    sees: str
    agency: str = ""  # for an agency administrator: the agency they act for


DEMO_LOGINS = [
    DemoLogin(
        "coordinator", "Dana", "Whitfield", Role.COORDINATOR, ("riverbend",),
        "everything in Riverbend: committee & plan, agencies, people, members, audit trail",
    ),
    DemoLogin(
        "committee", "Harold", "Jennings", Role.COMMITTEE_MEMBER, ("riverbend",),
        "runs the committee and plan with the coordinator; directory and roster read-only",
    ),
    DemoLogin(
        "agencyadmin", "Michael", "Okafor", Role.AGENCY_ADMIN, ("riverbend",),
        "follows the plan; edits Riverbend Police Department, its people, own action items",
        agency="Riverbend Police Department",
    ),
    DemoLogin(
        "trainer", "Priya", "Raman", Role.TRAINER, ("riverbend",),
        "the partner directory, the roster and the committee's work, read-only",
    ),
    DemoLogin(
        "officer", "Jordan", "Reyes", Role.OFFICER, ("riverbend",),
        "the partner directory and their own officer record",
    ),
    DemoLogin(
        "dispatcher", "Tamika", "Brooks", Role.DISPATCHER, ("riverbend",),
        "the partner directory and the roster (who is CIT, where, which shift), read-only",
    ),
    DemoLogin(
        "analyst", "Wen", "Li", Role.ANALYST, ("riverbend",),
        "the partner directory and aggregate figures, never individual people",
    ),
    DemoLogin(
        "state", "Grace", "Holloway", Role.STATE_COORDINATOR, ("riverbend", "lakeshore"),
        "both programs (program switcher): directory and aggregate figures",
    ),
    DemoLogin(
        "lakeshore", "Samuel", "Ortega", Role.COORDINATOR, ("lakeshore",),
        "everything in Lakeshore, nothing of Riverbend",
    ),
]  # fmt: skip
