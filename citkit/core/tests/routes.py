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
    Case("invitation-revoke", f"{P}/members/invitations/{{invitation}}/withdraw/", ok=COORD),
    Case("invitation-revoke", f"{P}/members/invitations/{{invitation}}/withdraw/",
         method="post", ok=COORD, ok_status=302),
    Case("member-second-factor-reset", f"{P}/members/{{officer_membership}}/two-factor/reset/",
         ok=COORD),
    Case("member-second-factor-reset", f"{P}/members/{{officer_membership}}/two-factor/reset/",
         method="post", ok=COORD, ok_status=302),
    Case("audit-list", f"{P}/audit/", ok=COORD),
    Case("audit-list", f"{P}/audit/?format=csv", ok=COORD),
    Case("access-list", f"{P}/access/", ok=COORD),
    Case("access-list", f"{P}/access/?format=csv", ok=COORD),
    Case("access-list", f"{P}/access/?since=not-a-date&action=peek", ok=COORD),
    # A job is its requester's (the coordinator's): to everyone else it does not exist.
    Case("job-detail", f"{P}/jobs/{{job}}/", ok=COORD, hidden=ALL - COORD),
    Case("job-download", f"{P}/jobs/{{job}}/download/", ok=COORD, hidden=ALL - COORD),
    Case("agency-history", f"{P}/agencies/{{police}}/history/", ok=COORD),
    Case("person-history", f"{P}/people/{{person}}/history/", ok=COORD),
    # API
    Case("api-program-detail", f"{A}/", ok=ALL, api=True),
    Case("api-program-detail", f"{A}/", method="patch", payload={"time_zone": "Mars/Base"},
         ok=COORD, ok_status=400, api=True),
    Case("api-member-list", f"{A}/members/", ok=COORD, api=True),
    # Accounts are invited, never added by user name: the members list takes no POST.
    Case("api-member-list", f"{A}/members/", method="post", payload={"user": "outsider_b"},
         ok=COORD, ok_status=405, api=True),
    Case("api-invitation-list", f"{A}/invitations/", ok=COORD, api=True),
    Case("api-invitation-list", f"{A}/invitations/", method="post", payload=BAD_MEMBER,
         ok=COORD, ok_status=400, api=True),
    Case("api-invitation-detail", f"{A}/invitations/{{invitation}}/", ok=COORD, api=True),
    Case("api-invitation-revoke", f"{A}/invitations/{{invitation}}/revoke/", method="post",
         ok=COORD, ok_status=200, api=True),
    Case("api-member-detail", f"{A}/members/{{officer_membership}}/", ok=COORD, api=True),
    Case("api-member-detail", f"{A}/members/{{officer_membership}}/", method="patch",
         payload={"role": "emperor"}, ok=COORD, ok_status=400, api=True),
    Case("api-member-detail", f"{A}/members/{{officer_membership}}/", method="delete",
         ok=COORD, ok_status=204, api=True),
    Case("api-audit-list", f"{A}/audit/", ok=COORD, api=True),
    Case("api-job-list", f"{A}/jobs/", ok=ALL, api=True),
    Case("api-job-detail", f"{A}/jobs/{{job}}/", ok=COORD, hidden=ALL - COORD, api=True),
    Case("api-job-download", f"{A}/jobs/{{job}}/download/", ok=COORD, hidden=ALL - COORD,
         api=True),
    Case("api-audit-detail", f"{A}/audit/{{entry}}/", ok=COORD, api=True),
    Case("api-access-list", f"{A}/access/", ok=COORD, api=True),
    Case("api-access-list", f"{A}/access/?since=not-a-date", ok=COORD, ok_status=400,
         api=True),
]  # fmt: skip

# Routes outside any program, answered the same to every signed-in member.
NOT_PROGRAM_SCOPED = {"api-program-list"}
