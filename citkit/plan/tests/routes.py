"""Every route of the implementation plan and the dashboard, every role (see
citkit.testing.matrix). Committee readers see the plan; coordinators and committee
members change it; every other role gets 403."""

from citkit.testing.matrix import COMMITTEE_EDITORS, COMMITTEE_READERS, COORD, Case

P = "/p/riverbend/plan"
A = "/api/programs/riverbend/plan"
BAD_TASK = {"title": "", "status": "nearly", "measure": "vibes"}
BAD_API_TASK = {"title": "", "status": "nearly", "owner": "nobody\x00"}

CASES = [
    Case("plan-home", f"{P}/", ok=COMMITTEE_READERS),
    Case("plan-seed", f"{P}/seed/", method="post", ok=COMMITTEE_EDITORS, ok_status=302),
    Case("task-add", f"{P}/tasks/add/", ok=COMMITTEE_EDITORS),
    Case("task-add", f"{P}/tasks/add/", method="post", payload=BAD_TASK, ok=COMMITTEE_EDITORS,
         ok_status=400),
    Case("task-detail", f"{P}/tasks/{{task}}/", ok=COMMITTEE_READERS),
    Case("task-edit", f"{P}/tasks/{{task}}/edit/", ok=COMMITTEE_EDITORS),
    Case("task-edit", f"{P}/tasks/{{task}}/edit/", method="post", payload=BAD_TASK,
         ok=COMMITTEE_EDITORS, ok_status=400),
    Case("task-status", f"{P}/tasks/{{task}}/status/", method="post",
         payload={"status": "nearly"}, ok=COMMITTEE_EDITORS, ok_status=400),
    # The dependency rule refuses "done" while the task waits: shown on the plan page.
    Case("task-status", f"{P}/tasks/{{waiting}}/status/", method="post",
         payload={"status": "done"}, ok=COMMITTEE_EDITORS, ok_status=400),
    # An unknown direction comes back as a message on the plan page.
    Case("task-move", f"{P}/tasks/{{task}}/move/", method="post",
         payload={"direction": "sideways"}, ok=COMMITTEE_EDITORS, ok_status=302),
    Case("task-retire", f"{P}/tasks/{{task}}/retire/", ok=COMMITTEE_EDITORS),
    Case("task-retire", f"{P}/tasks/{{task}}/retire/", method="post", payload={"retired": "1"},
         ok=COMMITTEE_EDITORS, ok_status=302),
    Case("task-history", f"{P}/tasks/{{task}}/history/", ok=COORD),
    Case("task-attachment-add", f"{P}/tasks/{{task}}/attachments/add/", method="post",
         payload={}, ok=COMMITTEE_EDITORS, ok_status=400),
    Case("task-attachment", f"{P}/tasks/{{task}}/attachments/{{attachment}}/",
         ok=COMMITTEE_READERS),
    Case("readiness-dashboard", f"{P}/dashboard/", ok=COMMITTEE_READERS),
    Case("status-report-pdf", f"{P}/dashboard/report.pdf", ok=COMMITTEE_READERS),
    Case("status-report-docx", f"{P}/dashboard/report.docx", ok=COMMITTEE_READERS),
    # API
    Case("api-plan-task-list", f"{A}/tasks/", ok=COMMITTEE_READERS, api=True),
    Case("api-plan-task-list", f"{A}/tasks/", method="post", payload=BAD_API_TASK,
         ok=COMMITTEE_EDITORS, ok_status=400, api=True),
    Case("api-plan-task-detail", f"{A}/tasks/{{task}}/", ok=COMMITTEE_READERS, api=True),
    Case("api-plan-task-detail", f"{A}/tasks/{{task}}/", method="patch",
         payload={"status": "nearly"}, ok=COMMITTEE_EDITORS, ok_status=400, api=True),
    Case("api-plan-task-detail", f"{A}/tasks/{{task}}/", method="put", payload=BAD_API_TASK,
         ok=COMMITTEE_EDITORS, ok_status=400, api=True),
    # Tasks are retired, not deleted.
    Case("api-plan-task-detail", f"{A}/tasks/{{task}}/", method="delete",
         ok=COMMITTEE_READERS, ok_status=405, api=True),
    Case("api-plan-task-depends-on", f"{A}/tasks/{{task}}/depends_on/", method="post",
         payload={"depends_on": ["x"]}, ok=COMMITTEE_EDITORS, ok_status=400, api=True),
    Case("api-plan-task-move", f"{A}/tasks/{{task}}/move/", method="post",
         payload={"direction": "left"}, ok=COMMITTEE_EDITORS, ok_status=400, api=True),
    Case("api-plan-task-retire", f"{A}/tasks/{{task}}/retire/", method="post",
         payload={"retired": "maybe"}, ok=COMMITTEE_EDITORS, ok_status=400, api=True),
    Case("api-plan-phase-list", f"{A}/phases/", ok=COMMITTEE_READERS, api=True),
    # Phases come from the roadmap: read-only.
    Case("api-plan-phase-list", f"{A}/phases/", method="post", payload={"name": ""},
         ok=COMMITTEE_READERS, ok_status=405, api=True),
    Case("api-plan-phase-detail", f"{A}/phases/{{phase}}/", ok=COMMITTEE_READERS, api=True),
    Case("api-plan-dashboard-list", f"{A}/dashboard/", ok=COMMITTEE_READERS, api=True),
]  # fmt: skip
