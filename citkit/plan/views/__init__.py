"""Pages of the implementation plan: the plan itself (plan.py), a task and its
attachments (tasks.py), the readiness dashboard and status report (dashboard.py)."""
