"""The role matrix: every route of an app, every role, the answer each role gets.

Each app lists its routes in `citkit/<app>/tests/routes.py` as `CASES`, one
`Case` per named route and method, with the expected outcome written out by
hand per role (not recomputed from the role table: the table is what is being
tested). `test_route_matrix.py` in the app runs them with `check_case`, and
`core/tests/test_route_coverage.py` fails when a named route has no case.

    Case("agency-edit", "/p/riverbend/agencies/{police}/edit/", ok=COORD | {AGENCY_ADMIN})
    Case("api-agency-detail", "/api/programs/riverbend/agencies/{clinic}/",
         method="patch", payload={"name": ""}, ok=COORD, ok_status=400)

For a write, `payload` is what every role posts; roles that may not write must
get 403 (or 404 when hidden) *whatever* the payload, so give an invalid one too.
"""

from dataclasses import dataclass, field

from django.db import transaction

from citkit.core.models import AuditEntry, Role

ALL = frozenset(Role.values)
COORD = frozenset({Role.COORDINATOR})
COMMITTEE_EDITORS = frozenset({Role.COORDINATOR, Role.COMMITTEE_MEMBER})
COMMITTEE_READERS = COMMITTEE_EDITORS | {Role.AGENCY_ADMIN, Role.TRAINER}
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    route: str  # the URL name, e.g. "agency-edit" or "api-agency-detail"
    url: str  # with {placeholders} filled from the app's `records` fixture
    ok: frozenset[str] | set[str]  # roles whose request succeeds
    method: str = "get"
    hidden: frozenset[str] | set[str] = NOBODY  # roles that get 404 (cannot see the record)
    payload: dict | None = None
    ok_status: int = 200  # what a role in `ok` gets (302 after a page write, 400 if invalid)
    api: bool = False
    # Roles whose answer is something else entirely (e.g. a redirect): {role: status}.
    special: dict = field(default_factory=dict)

    def expected(self, role: str) -> int:
        if role in self.special:
            return self.special[role]
        if role in self.ok:
            return self.ok_status
        if role in self.hidden:
            return 404
        return 403

    def id(self) -> str:
        return f"{self.method.upper()} {self.route} {self.url}"


def _client(case: Case, user, client, api_for):
    if case.api:
        return api_for(user)
    client.force_login(user)
    return client


def request(case: Case, user, records, client, api_for):
    url = case.url.format(**{k: getattr(v, "pk", v) for k, v in records.items()})
    http = _client(case, user, client, api_for)
    call = getattr(http, case.method)
    if case.payload is None:
        return call(url)
    if case.api:
        return call(url, case.payload, format="json")
    return call(url, case.payload)


def check_case(case: Case, *, members, outsider, records, client, api_for) -> None:
    """Every role gets its written-out answer; refused writes change nothing; an
    outsider from another program gets 404.

    Each request runs in a savepoint that is rolled back afterwards, so every
    role meets the same records (one role's delete does not hide the record
    from the next).
    """
    people = [("outsider", outsider), *members.items()]
    for role, user in people:
        expected = 404 if role == "outsider" else case.expected(role)
        with transaction.atomic():
            before = AuditEntry.objects.count()
            response = request(case, user, records, client, api_for)
            assert response.status_code == expected, (case.id(), role, response.status_code)
            if expected in (403, 404) and case.method != "get":
                assert AuditEntry.objects.count() == before, (case.id(), role, "wrote")
            transaction.set_rollback(True)
