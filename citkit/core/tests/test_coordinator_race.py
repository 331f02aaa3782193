"""Two coordinators demoting each other at the same moment leave one coordinator.

Each demotion reads "is there another coordinator?" and then writes. Without a
lock both read "yes" and both write, and the program has nobody to manage it.
The test makes the race certain: each demotion waits, after its check, until
the other has checked too (or until it is clear the other is held back by the
lock). PostgreSQL only: SQLite lets one writer in at a time, so it cannot race.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from citkit.core import services
from citkit.core.models import Membership, Role
from citkit.testing.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has a single writer")
def test_two_coordinators_demoting_each_other_at_once_leave_one(monkeypatch):
    program = ProgramFactory(slug="race")
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    ann_m = Membership.objects.create(user=ann, program=program, role=Role.COORDINATOR)
    bob_m = Membership.objects.create(user=bob, program=program, role=Role.COORDINATOR)

    both_checked = threading.Barrier(2, timeout=3)
    check = services._keep_a_coordinator

    def check_then_wait(membership, *, leaving):
        check(membership, leaving=leaving)
        # A broken barrier means the other demotion waits for our lock: as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait()

    monkeypatch.setattr(services, "_keep_a_coordinator", check_then_wait)
    outcomes: dict[str, str] = {}

    def demote(actor, membership, name):
        try:
            actor = type(actor).objects.get(pk=actor.pk)
            membership = Membership.objects.get(pk=membership.pk)
            services.membership_update(actor=actor, membership=membership, role=Role.OFFICER)
            outcomes[name] = "demoted"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(ann, bob_m, "bob")),
        threading.Thread(target=demote, args=(bob, ann_m, "ann")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes.values()) == ["demoted", "refused"]
    assert Membership.objects.filter(program=program, role=Role.COORDINATOR).count() == 1
