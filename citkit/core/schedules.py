"""Periodic jobs declared in code, next to the job, and run by the worker without cron.

    @periodic("FREQ=DAILY;BYHOUR=12;BYMINUTE=0")
    @task()
    def send_due_reminders() -> None: ...

The rule is an RFC 5545 recurrence rule (read by python-dateutil), in UTC. Each
minute the worker's scheduler asks every schedule for its latest period start at
or before now and tries to insert a `ScheduledRun(name, period)` row. The unique
constraint on that pair lets exactly one worker win, however many run, so each
period's job is queued once; a worker that was down runs the missed period once
when it comes back (not every period it missed).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from citkit.core.models import ScheduledRun

logger = logging.getLogger(__name__)

# How far back the rule is unrolled to find the latest period: enough for weekly rules.
LOOKBACK = datetime.timedelta(days=15)


@dataclass(frozen=True)
class Schedule:
    name: str
    rule: str
    task: Task

    def latest_period(self, now: datetime.datetime) -> datetime.datetime | None:
        """The start of the period `now` falls in: the rule's last occurrence at or before now."""
        start = (now - LOOKBACK).replace(hour=0, minute=0, second=0, microsecond=0)
        rule = rrulestr(self.rule, dtstart=start)
        return rule.before(now, inc=True)


_SCHEDULES: dict[str, Schedule] = {}


def periodic(rule: str, *, name: str | None = None):
    """Register a django-tasks task (no arguments) to run once per period of `rule`."""
    rrulestr(rule, dtstart=timezone.now())  # a bad rule fails at import, not at 3 a.m.

    def register(task_obj: Task) -> Task:
        key = name or task_obj.module_path
        _SCHEDULES[key] = Schedule(name=key, rule=rule, task=task_obj)
        return task_obj

    return register


def schedules() -> list[Schedule]:
    return sorted(_SCHEDULES.values(), key=lambda s: s.name)


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Queue every schedule whose current period has not run yet; returns their names."""
    now = now or timezone.now()
    queued = []
    for schedule in schedules():
        period = schedule.latest_period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=schedule.name, period=period)
                result = schedule.task.enqueue()
                run.task_id = str(result.id)[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker queued this period first
        logger.info("Queued %s for the period starting %s", schedule.name, period.isoformat())
        queued.append(schedule.name)
    return queued
