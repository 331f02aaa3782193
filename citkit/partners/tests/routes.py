"""Every route of the partner directory, every role (see citkit.testing.matrix)."""

from citkit.core.models import Role
from citkit.testing.matrix import ALL, COORD, Case

P = "/p/riverbend/agencies"
A = "/api/programs/riverbend/agencies"
KEEPERS = COORD | {Role.AGENCY_ADMIN}  # of the police department, the administrator's own
BAD_AGENCY = {"name": "", "agency_type": "nonsense", "main_phone": "not a phone"}
BAD_CONTACT = {"name": "", "phone": "not a phone"}

CASES = [
    Case("agency-list", f"{P}/", ok=ALL),
    Case("agency-list", f"{P}/?format=csv", ok=ALL),
    Case("agency-detail", f"{P}/{{police}}/", ok=ALL),
    Case("agency-add", f"{P}/add/", ok=COORD),
    Case("agency-add", f"{P}/add/", method="post", payload=BAD_AGENCY, ok=COORD, ok_status=400),
    Case("agency-edit", f"{P}/{{police}}/edit/", ok=KEEPERS),
    Case("agency-edit", f"{P}/{{police}}/edit/", method="post", payload=BAD_AGENCY, ok=KEEPERS,
         ok_status=400),
    Case("agency-edit", f"{P}/{{clinic}}/edit/", method="post", payload=BAD_AGENCY, ok=COORD,
         ok_status=400),
    Case("agency-delete", f"{P}/{{clinic}}/delete/", ok=COORD),
    Case("agency-delete", f"{P}/{{clinic}}/delete/", method="post", ok=COORD, ok_status=302),
    Case("contact-add", f"{P}/{{police}}/contacts/add/", ok=KEEPERS),
    Case("contact-add", f"{P}/{{police}}/contacts/add/", method="post", payload=BAD_CONTACT,
         ok=KEEPERS, ok_status=400),
    Case("contact-add", f"{P}/{{clinic}}/contacts/add/", method="post", payload=BAD_CONTACT,
         ok=COORD, ok_status=400),
    Case("contact-edit", f"{P}/{{police}}/contacts/{{contact}}/edit/", ok=KEEPERS),
    Case("contact-edit", f"{P}/{{police}}/contacts/{{contact}}/edit/", method="post",
         payload=BAD_CONTACT, ok=KEEPERS, ok_status=400),
    Case("contact-delete", f"{P}/{{police}}/contacts/{{contact}}/delete/", ok=KEEPERS),
    Case("contact-delete", f"{P}/{{police}}/contacts/{{contact}}/delete/", method="post",
         ok=KEEPERS, ok_status=302),
    # API
    Case("api-agency-list", f"{A}/", ok=ALL, api=True),
    Case("api-agency-list", f"{A}/", method="post", payload=BAD_AGENCY, ok=COORD,
         ok_status=400, api=True),
    Case("api-agency-detail", f"{A}/{{police}}/", ok=ALL, api=True),
    Case("api-agency-detail", f"{A}/{{police}}/", method="patch", payload=BAD_AGENCY,
         ok=KEEPERS, ok_status=400, api=True),
    Case("api-agency-detail", f"{A}/{{clinic}}/", method="put", payload=BAD_AGENCY, ok=COORD,
         ok_status=400, api=True),
    Case("api-agency-detail", f"{A}/{{clinic}}/", method="delete", ok=COORD, ok_status=204,
         api=True),
    Case("api-agency-contact-list", f"{A}/{{police}}/contacts/", ok=ALL, api=True),
    Case("api-agency-contact-list", f"{A}/{{police}}/contacts/", method="post",
         payload=BAD_CONTACT, ok=KEEPERS, ok_status=400, api=True),
    Case("api-agency-contact-detail", f"{A}/{{police}}/contacts/{{contact}}/", ok=ALL,
         api=True),
    Case("api-agency-contact-detail", f"{A}/{{police}}/contacts/{{contact}}/", method="patch",
         payload=BAD_CONTACT, ok=KEEPERS, ok_status=400, api=True),
    Case("api-agency-contact-detail", f"{A}/{{police}}/contacts/{{contact}}/",
         method="delete", ok=KEEPERS, ok_status=204, api=True),
]  # fmt: skip
