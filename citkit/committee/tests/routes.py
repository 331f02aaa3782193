"""Every route of the Steering Committee, every role (see citkit.testing.matrix).

Readers of the committee are coordinators, committee members, agency administrators
and trainers; coordinators and committee members keep it. Every member owns action
items: the officer's own item is theirs to update, anybody else's is hidden from
whoever does not read the committee.
"""

from citkit.core.models import Role
from citkit.testing.matrix import ALL, COMMITTEE_EDITORS, COMMITTEE_READERS, COORD, Case

P = "/p/riverbend/committee"
A = "/api/programs/riverbend/committee"
EDIT = COMMITTEE_EDITORS
READ = COMMITTEE_READERS
NOT_READERS = ALL - READ  # officers, dispatchers, analysts, state coordinators
OWNER = EDIT | {Role.OFFICER}  # who may change the officer's own item

BAD_SEAT = {"holder_name": "", "seat_type": "emperor", "start_date": "soon"}
BAD_GAP = {"title": "", "status": "forgotten", "target_date": "someday"}
BAD_MEETING = {"title": "", "starts_at": "noon", "ends_at": "later"}
BAD_ACTION = {"title": "", "owner": "nobody", "due_date": "soon", "status": "nonsense"}

CASES = [
    # Home and seats
    Case("committee-home", f"{P}/", ok=READ),
    Case("seat-add", f"{P}/seats/add/", ok=EDIT),
    Case("seat-add", f"{P}/seats/add/", method="post", payload=BAD_SEAT, ok=EDIT, ok_status=400),
    Case("seat-edit", f"{P}/seats/{{seat}}/edit/", ok=EDIT),
    Case("seat-edit", f"{P}/seats/{{seat}}/edit/", method="post", payload=BAD_SEAT, ok=EDIT,
         ok_status=400),
    Case("seat-end", f"{P}/seats/{{seat}}/end/", ok=EDIT),
    Case("seat-end", f"{P}/seats/{{seat}}/end/", method="post", payload={"end_date": "x"},
         ok=EDIT, ok_status=400),
    Case("seat-delete", f"{P}/seats/{{seat}}/delete/", ok=EDIT),
    Case("seat-delete", f"{P}/seats/{{seat}}/delete/", method="post", ok=EDIT, ok_status=302),
    # Subcommittees
    Case("subcommittees-seed", f"{P}/subcommittees/seed/", method="post", ok=EDIT,
         ok_status=302),
    Case("subcommittee-add", f"{P}/subcommittees/add/", ok=EDIT),
    Case("subcommittee-add", f"{P}/subcommittees/add/", method="post", payload={"name": ""},
         ok=EDIT, ok_status=400),
    Case("subcommittee-detail", f"{P}/subcommittees/{{sub}}/", ok=READ),
    Case("subcommittee-edit", f"{P}/subcommittees/{{sub}}/edit/", ok=EDIT),
    Case("subcommittee-edit", f"{P}/subcommittees/{{sub}}/edit/", method="post",
         payload={"name": "", "deadline": "x"}, ok=EDIT, ok_status=400),
    Case("subcommittee-member-add", f"{P}/subcommittees/{{sub}}/members/add/", method="post",
         payload={"member-name": "", "member-perspective": "x"}, ok=EDIT, ok_status=400),
    Case("subcommittee-member-remove", f"{P}/subcommittees/{{sub}}/members/{{member}}/remove/",
         ok=EDIT),
    Case("subcommittee-member-remove", f"{P}/subcommittees/{{sub}}/members/{{member}}/remove/",
         method="post", ok=EDIT, ok_status=302),
    Case("subcommittee-report-add", f"{P}/subcommittees/{{sub}}/reports/add/", method="post",
         payload={"report-title": "", "report-reported_on": "x"}, ok=EDIT, ok_status=400),
    # Service gaps
    Case("gap-list", f"{P}/gaps/", ok=READ),
    Case("gap-list", f"{P}/gaps/?format=csv", ok=READ),
    Case("gap-add", f"{P}/gaps/add/", ok=EDIT),
    Case("gap-add", f"{P}/gaps/add/", method="post", payload=BAD_GAP, ok=EDIT, ok_status=400),
    Case("gap-detail", f"{P}/gaps/{{gap}}/", ok=READ),
    Case("gap-edit", f"{P}/gaps/{{gap}}/edit/", ok=EDIT),
    Case("gap-edit", f"{P}/gaps/{{gap}}/edit/", method="post", payload=BAD_GAP, ok=EDIT,
         ok_status=400),
    Case("gap-delete", f"{P}/gaps/{{gap}}/delete/", ok=EDIT),
    Case("gap-delete", f"{P}/gaps/{{gap}}/delete/", method="post", ok=EDIT, ok_status=302),
    Case("gap-history", f"{P}/gaps/{{gap}}/history/", ok=COORD),
    # Meetings
    Case("meeting-list", f"{P}/meetings/", ok=READ),
    Case("meeting-list", f"{P}/meetings/?format=csv", ok=READ),
    Case("meeting-add", f"{P}/meetings/add/", ok=EDIT),
    Case("meeting-add", f"{P}/meetings/add/", method="post", payload=BAD_MEETING, ok=EDIT,
         ok_status=400),
    Case("meeting-ics", f"{P}/meetings/calendar.ics", ok=READ),
    Case("meeting-detail", f"{P}/meetings/{{meeting}}/", ok=READ),
    Case("meeting-edit", f"{P}/meetings/{{meeting}}/edit/", ok=EDIT),
    Case("meeting-edit", f"{P}/meetings/{{meeting}}/edit/", method="post", payload=BAD_MEETING,
         ok=EDIT, ok_status=400),
    Case("meeting-delete", f"{P}/meetings/{{meeting}}/delete/", ok=EDIT),
    Case("meeting-delete", f"{P}/meetings/{{meeting}}/delete/", method="post", ok=EDIT,
         ok_status=302),
    # A status that does not exist: the committee is told so on the meeting's page.
    Case("meeting-status", f"{P}/meetings/{{meeting}}/status/", method="post",
         payload={"status": "postponed"}, ok=EDIT, ok_status=302),
    Case("meeting-history", f"{P}/meetings/{{meeting}}/history/", ok=COORD),
    Case("meeting-agenda-add", f"{P}/meetings/{{meeting}}/agenda/", method="post",
         payload={"agenda-title": "", "agenda-minutes": "x"}, ok=EDIT, ok_status=400),
    Case("meeting-agenda-remove", f"{P}/meetings/{{meeting}}/agenda/{{agenda_item}}/remove/",
         ok=EDIT),
    Case("meeting-agenda-remove", f"{P}/meetings/{{meeting}}/agenda/{{agenda_item}}/remove/",
         method="post", ok=EDIT, ok_status=302),
    # Attendance and minutes: free text, so no invalid payload; a reader still gets 403.
    Case("meeting-attendance", f"{P}/meetings/{{meeting}}/attendance/", method="post",
         payload={"minutes": "Quorum reached."}, ok=EDIT, ok_status=302),
    Case("meeting-minutes", f"{P}/meetings/{{meeting}}/minutes/", method="post",
         payload={"minutes": "Quorum reached."}, ok=EDIT, ok_status=302),
    Case("meeting-decision-add", f"{P}/meetings/{{meeting}}/decisions/", method="post",
         payload={"decision-text": "", "decision-votes_for": "many"}, ok=EDIT, ok_status=400),
    Case("meeting-action-add", f"{P}/meetings/{{meeting}}/actions/", method="post",
         payload={"action-title": "", "action-owner": "x"}, ok=EDIT, ok_status=400),
    Case("meeting-agenda-pdf", f"{P}/meetings/{{meeting}}/agenda.pdf", ok=READ),
    Case("meeting-minutes-pdf", f"{P}/meetings/{{meeting}}/minutes.pdf", ok=READ),
    # Action items
    Case("action-list", f"{P}/actions/", ok=ALL),
    Case("action-list", f"{P}/actions/?format=csv", ok=ALL),
    Case("my-actions", f"{P}/actions/mine/", ok=ALL),
    Case("action-add", f"{P}/actions/add/", ok=EDIT),
    Case("action-add", f"{P}/actions/add/", method="post", payload=BAD_ACTION, ok=EDIT,
         ok_status=400),
    Case("action-detail", f"{P}/actions/{{item}}/", ok=READ, hidden=NOT_READERS),
    Case("action-detail", f"{P}/actions/{{own_item}}/", ok=READ | {Role.OFFICER},
         hidden=NOT_READERS - {Role.OFFICER}),
    Case("action-edit", f"{P}/actions/{{item}}/edit/", ok=EDIT, hidden=NOT_READERS),
    Case("action-edit", f"{P}/actions/{{item}}/edit/", method="post", payload=BAD_ACTION,
         ok=EDIT, hidden=NOT_READERS, ok_status=400),
    Case("action-edit", f"{P}/actions/{{own_item}}/edit/", ok=OWNER,
         hidden=NOT_READERS - {Role.OFFICER}),
    Case("action-edit", f"{P}/actions/{{own_item}}/edit/", method="post", payload=BAD_ACTION,
         ok=OWNER, hidden=NOT_READERS - {Role.OFFICER}, ok_status=400),
    # A status that does not exist: told so, back where they were.
    Case("action-status", f"{P}/actions/{{own_item}}/status/", method="post",
         payload={"status": "forgotten"}, ok=OWNER, hidden=NOT_READERS - {Role.OFFICER},
         ok_status=302),
    Case("action-delete", f"{P}/actions/{{item}}/delete/", ok=EDIT, hidden=NOT_READERS),
    Case("action-delete", f"{P}/actions/{{item}}/delete/", method="post", ok=EDIT,
         hidden=NOT_READERS, ok_status=302),
    Case("action-history", f"{P}/actions/{{item}}/history/", ok=COORD),
    # API: meetings
    Case("api-meeting-list", f"{A}/meetings/", ok=READ, api=True),
    Case("api-meeting-list", f"{A}/meetings/", method="post", payload=BAD_MEETING, ok=EDIT,
         ok_status=400, api=True),
    Case("api-meeting-detail", f"{A}/meetings/{{meeting}}/", ok=READ, api=True),
    Case("api-meeting-detail", f"{A}/meetings/{{meeting}}/", method="patch",
         payload={"starts_at": "0001-01-01T00:00:00Z"}, ok=EDIT, ok_status=400, api=True),
    Case("api-meeting-detail", f"{A}/meetings/{{meeting}}/", method="delete", ok=EDIT,
         ok_status=204, api=True),
    Case("api-meeting-agenda", f"{A}/meetings/{{meeting}}/agenda/", method="post",
         payload={"title": ""}, ok=EDIT, ok_status=400, api=True),
    Case("api-meeting-agenda-item", f"{A}/meetings/{{meeting}}/agenda/{{agenda_item}}/",
         method="delete", ok=EDIT, ok_status=204, api=True),
    Case("api-meeting-attendance", f"{A}/meetings/{{meeting}}/attendance/", method="post",
         payload={"seats": {}}, ok=EDIT, ok_status=400, api=True),
    Case("api-meeting-decisions", f"{A}/meetings/{{meeting}}/decisions/", method="post",
         payload={"text": ""}, ok=EDIT, ok_status=400, api=True),
    # API: action items
    Case("api-action-item-list", f"{A}/actions/", ok=ALL, api=True),
    Case("api-action-item-list", f"{A}/actions/", method="post", payload=BAD_ACTION, ok=EDIT,
         ok_status=400, api=True),
    Case("api-action-item-mine", f"{A}/actions/mine/", ok=ALL, api=True),
    Case("api-action-item-detail", f"{A}/actions/{{item}}/", ok=READ, hidden=NOT_READERS,
         api=True),
    Case("api-action-item-detail", f"{A}/actions/{{own_item}}/", method="patch",
         payload={"status": "forgotten"}, ok=OWNER, hidden=NOT_READERS - {Role.OFFICER},
         ok_status=400, api=True),
    Case("api-action-item-detail", f"{A}/actions/{{item}}/", method="delete", ok=EDIT,
         hidden=NOT_READERS, ok_status=204, api=True),
    # API: seats, subcommittees, gaps, composition
    Case("api-seat-list", f"{A}/seats/", ok=READ, api=True),
    Case("api-seat-list", f"{A}/seats/", method="post", payload=BAD_SEAT, ok=EDIT,
         ok_status=400, api=True),
    Case("api-seat-detail", f"{A}/seats/{{seat}}/", ok=READ, api=True),
    Case("api-seat-detail", f"{A}/seats/{{seat}}/", method="patch", payload=BAD_SEAT, ok=EDIT,
         ok_status=400, api=True),
    Case("api-seat-detail", f"{A}/seats/{{seat}}/", method="delete", ok=EDIT, ok_status=204,
         api=True),
    Case("api-subcommittee-list", f"{A}/subcommittees/", ok=READ, api=True),
    Case("api-subcommittee-list", f"{A}/subcommittees/", method="post", payload={"name": ""},
         ok=EDIT, ok_status=400, api=True),
    Case("api-subcommittee-detail", f"{A}/subcommittees/{{sub}}/", ok=READ, api=True),
    Case("api-subcommittee-detail", f"{A}/subcommittees/{{sub}}/", method="patch",
         payload={"name": ""}, ok=EDIT, ok_status=400, api=True),
    # Subcommittees are not deleted through the API, whoever asks.
    Case("api-subcommittee-detail", f"{A}/subcommittees/{{sub}}/", method="delete", ok=READ,
         ok_status=405, api=True),
    Case("api-subcommittee-members", f"{A}/subcommittees/{{sub}}/members/", method="post",
         payload={"name": "", "perspective": "x"}, ok=EDIT, ok_status=400, api=True),
    Case("api-subcommittee-member-remove", f"{A}/subcommittees/{{sub}}/members/{{member}}/",
         method="delete", ok=EDIT, ok_status=204, api=True),
    Case("api-subcommittee-reports", f"{A}/subcommittees/{{sub}}/reports/", method="post",
         payload={"title": ""}, ok=EDIT, ok_status=400, api=True),
    Case("api-gap-list", f"{A}/gaps/", ok=READ, api=True),
    Case("api-gap-list", f"{A}/gaps/", method="post", payload=BAD_GAP, ok=EDIT, ok_status=400,
         api=True),
    Case("api-gap-detail", f"{A}/gaps/{{gap}}/", ok=READ, api=True),
    Case("api-gap-detail", f"{A}/gaps/{{gap}}/", method="patch", payload=BAD_GAP, ok=EDIT,
         ok_status=400, api=True),
    Case("api-gap-detail", f"{A}/gaps/{{gap}}/", method="delete", ok=EDIT, ok_status=204,
         api=True),
    Case("api-committee-composition-list", f"{A}/composition/", ok=READ, api=True),
]  # fmt: skip
