"""Every route of core, every role: the answer each gets (see citkit.testing.matrix)."""

from citkit.testing.matrix import ALL, COORD, Case

P = "/p/riverbend"
A = "/api/programs/riverbend"
BAD_MEMBER = {"username": "", "role": "no-such-role"}

CASES = [
    Case("program-home", f"{P}/", ok=ALL),
    Case("program-edit", f"{P}/settings/", ok=COORD),
    Case("program-edit", f"{P}/settings/", method="post", payload={"name": ""}, ok=COORD,
         ok_status=400),
    Case("member-list", f"{P}/members/", ok=COORD),
    Case("member-add", f"{P}/members/add/", ok=COORD),
    Case("member-add", f"{P}/members/add/", method="post", payload=BAD_MEMBER, ok=COORD,
         ok_status=400),
    Case("member-edit", f"{P}/members/{{officer_membership}}/edit/", ok=COORD),
    Case("member-edit", f"{P}/members/{{officer_membership}}/edit/", method="post",
         payload={"role": "no-such-role"}, ok=COORD, ok_status=400),
    Case("member-remove", f"{P}/members/{{officer_membership}}/remove/", ok=COORD),
    Case("member-remove", f"{P}/members/{{officer_membership}}/remove/", method="post",
         ok=COORD, ok_status=302),
    Case("member-unlock", f"{P}/members/{{officer_membership}}/unlock/", method="post",
         ok=COORD, ok_status=302),
    Case("audit-list", f"{P}/audit/", ok=COORD),
    Case("audit-list", f"{P}/audit/?format=csv", ok=COORD),
    Case("agency-history", f"{P}/agencies/{{police}}/history/", ok=COORD),
    Case("person-history", f"{P}/people/{{person}}/history/", ok=COORD),
    # API
    Case("api-program-detail", f"{A}/", ok=ALL, api=True),
    Case("api-program-detail", f"{A}/", method="patch", payload={"time_zone": "Mars/Base"},
         ok=COORD, ok_status=400, api=True),
    Case("api-member-list", f"{A}/members/", ok=COORD, api=True),
    Case("api-member-list", f"{A}/members/", method="post", payload={"user": "\x00"},
         ok=COORD, ok_status=400, api=True),
    Case("api-member-detail", f"{A}/members/{{officer_membership}}/", ok=COORD, api=True),
    Case("api-member-detail", f"{A}/members/{{officer_membership}}/", method="patch",
         payload={"role": "emperor"}, ok=COORD, ok_status=400, api=True),
    Case("api-member-detail", f"{A}/members/{{officer_membership}}/", method="delete",
         ok=COORD, ok_status=204, api=True),
    Case("api-audit-list", f"{A}/audit/", ok=COORD, api=True),
    Case("api-audit-detail", f"{A}/audit/{{entry}}/", ok=COORD, api=True),
]  # fmt: skip

# Routes outside any program, answered the same to every signed-in member.
NOT_PROGRAM_SCOPED = {"api-program-list"}
