"""Every route of the roster, every role (see citkit.testing.matrix).

Records (from the `records` fixture in test_route_matrix.py): `person`, an officer
of the police department (the agency administrator's own agency); `clinician`, of
the clinic; `own`, the officer login's own record; `upload`, a roster file waiting
for the coordinator's column matching; `admin_upload`, one waiting for the agency
administrator's; `job` and `admin_job`, their finished (failed) imports.
"""

from citkit.core.models import Role
from citkit.testing.matrix import COORD, Case

P = "/p/riverbend/people"
A = "/api/programs/riverbend/people"

KEEPERS = COORD | {Role.AGENCY_ADMIN}  # of the police department, the administrator's own
# Who reads the roster; an officer reads only their own record in it.
READERS = KEEPERS | {Role.COMMITTEE_MEMBER, Role.TRAINER, Role.DISPATCHER}
ROSTER = READERS | {Role.OFFICER}
# Roles that cannot see a person at all: 404, so an id says nothing.
BLIND = frozenset({Role.OFFICER, Role.ANALYST, Role.STATE_COORDINATOR})
COUNTS_ONLY = frozenset({Role.ANALYST, Role.STATE_COORDINATOR})

BAD_PERSON = {"kind": "nonsense", "first_name": "", "phone": "not a phone"}
BAD_MAPPING = {"column_0": "no_such_field", "import": ""}
GOOD_MAPPING = {
    "column_0": "first_name",
    "column_1": "last_name",
    "column_2": "agency",
    "column_3": "badge_number",
    "import": "",
}

CASES = [
    Case("person-list", f"{P}/", ok=ROSTER),
    Case("person-list", f"{P}/?format=csv", ok=ROSTER),
    Case("person-detail", f"{P}/{{person}}/", ok=READERS, hidden=BLIND),
    Case("person-detail", f"{P}/{{clinician}}/", ok=READERS - {Role.AGENCY_ADMIN},
         hidden=BLIND | {Role.AGENCY_ADMIN}),
    Case("person-detail", f"{P}/{{own}}/", ok=ROSTER, hidden=COUNTS_ONLY),
    Case("person-add", f"{P}/add/", ok=KEEPERS),
    Case("person-add", f"{P}/add/", method="post", payload=BAD_PERSON, ok=KEEPERS,
         ok_status=400),
    Case("person-edit", f"{P}/{{person}}/edit/", ok=KEEPERS, hidden=BLIND),
    Case("person-edit", f"{P}/{{person}}/edit/", method="post", payload=BAD_PERSON,
         ok=KEEPERS, ok_status=400, hidden=BLIND),
    Case("person-edit", f"{P}/{{clinician}}/edit/", method="post", payload=BAD_PERSON,
         ok=COORD, ok_status=400, hidden=BLIND | {Role.AGENCY_ADMIN}),
    # An officer sees their own record but may not change it.
    Case("person-edit", f"{P}/{{own}}/edit/", method="post", payload=BAD_PERSON, ok=KEEPERS,
         ok_status=400, hidden=COUNTS_ONLY),
    Case("person-delete", f"{P}/{{person}}/delete/", ok=KEEPERS, hidden=BLIND),
    Case("person-delete", f"{P}/{{person}}/delete/", method="post", ok=KEEPERS,
         ok_status=302, hidden=BLIND),
    Case("person-delete", f"{P}/{{clinician}}/delete/", method="post", ok=COORD,
         ok_status=302, hidden=BLIND | {Role.AGENCY_ADMIN}),
    Case("person-history", f"{P}/{{person}}/history/", ok=COORD),
    Case("roster-import", f"{P}/import/", ok=KEEPERS),
    Case("roster-import", f"{P}/import/", method="post", payload={}, ok=KEEPERS,
         ok_status=400),
    # A waiting file is its uploader's alone: anyone else who may import gets 404.
    Case("roster-import-map", f"{P}/import/{{upload}}/", ok=COORD, hidden={Role.AGENCY_ADMIN}),
    Case("roster-import-map", f"{P}/import/{{admin_upload}}/", ok={Role.AGENCY_ADMIN},
         hidden=COORD),
    Case("roster-import-map", f"{P}/import/{{upload}}/", method="post", payload=BAD_MAPPING,
         ok=COORD, ok_status=400, hidden={Role.AGENCY_ADMIN}),
    # A valid matching queues the import (it runs at once in tests) and shows its job.
    Case("roster-import-map", f"{P}/import/{{upload}}/", method="post", payload=GOOD_MAPPING,
         ok=COORD, ok_status=302, hidden={Role.AGENCY_ADMIN}),
    # An import's outcome is its requester's alone; others who may import get 404.
    Case("roster-import-result", f"{P}/import/result/{{job}}/", ok=COORD,
         hidden={Role.AGENCY_ADMIN}),
    Case("roster-import-result", f"{P}/import/result/{{admin_job}}/", ok={Role.AGENCY_ADMIN},
         hidden=COORD),
    # API
    Case("api-person-list", f"{A}/", ok=ROSTER, api=True),
    Case("api-person-list", f"{A}/", method="post", payload=BAD_PERSON, ok=KEEPERS,
         ok_status=400, api=True),
    Case("api-person-detail", f"{A}/{{person}}/", ok=READERS, hidden=BLIND, api=True),
    Case("api-person-detail", f"{A}/{{own}}/", ok=ROSTER, hidden=COUNTS_ONLY, api=True),
    Case("api-person-detail", f"{A}/{{person}}/", method="patch", payload=BAD_PERSON,
         ok=KEEPERS, ok_status=400, hidden=BLIND, api=True),
    Case("api-person-detail", f"{A}/{{clinician}}/", method="put", payload=BAD_PERSON,
         ok=COORD, ok_status=400, hidden=BLIND | {Role.AGENCY_ADMIN}, api=True),
    Case("api-person-detail", f"{A}/{{own}}/", method="patch", payload=BAD_PERSON,
         ok=KEEPERS, ok_status=400, hidden=COUNTS_ONLY, api=True),
    Case("api-person-detail", f"{A}/{{person}}/", method="delete", ok=KEEPERS,
         ok_status=204, hidden=BLIND, api=True),
    # Without a file: 400 for those who may import, 403 before anything is read otherwise.
    Case("api-person-import", f"{A}/import/", method="post", ok=KEEPERS, ok_status=400,
         api=True),
]  # fmt: skip
