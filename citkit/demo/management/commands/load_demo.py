"""`manage.py load_demo [--if-empty]`: the fictional Riverbend and Lakeshore County programs."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citkit.core.audit import audit_context
from citkit.core.models import Role
from citkit.demo.builder import demo_logins_present, load_demo
from citkit.demo.logins import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo programs (Riverbend County, Lakeshore County) with one login per role. "
        "A program that already exists is left as it is, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the database holds no program at all (used by `make run`).",
        )
        parser.add_argument(
            "--address",
            default="",
            help="Where the site is served, for the sign-in address printed at the end "
            f"(default {DEFAULT_ADDRESS}; `make run` passes its HOST and PORT).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with CITKIT_ENV=production (the demo logins share a published "
            "password; use only for a public demo site).",
        )

    def handle(self, *args, if_empty: bool, allow_production: bool, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Not loading the demo: CITKIT_ENV=production, and every demo login has the "
                "published password. Use --allow-production for a public demo site."
            )
        started = time.monotonic()
        try:
            with audit_context(source="command", label="command load_demo"):
                result = load_demo(if_empty=if_empty)
        except ValidationError as exc:
            # E.g. a program of another slug already uses a demo program's name.
            raise CommandError(f"The demo was not loaded, nothing was written: {exc}") from exc
        seconds = time.monotonic() - started

        if if_empty and not result.loaded and result.skipped:
            self.stdout.write("The database already holds programs; the demo was not loaded.")
        for name in result.loaded:
            counts = result.counts[name]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {name}: {counts['agencies']} partner agencies, "
                    f"{counts['contacts']} contacts, {counts['people']} people, "
                    f"{counts['memberships']} memberships."
                )
            )
        if not if_empty:
            for name in result.skipped:
                self.stdout.write(f"{name} already exists; left as it is.")
        if result.loaded:
            self.stdout.write(
                f"Created {len(result.accounts)} demo accounts in {seconds:.1f} s; "
                "every change is in the audit trail as “command load_demo”."
            )
        if demo_logins_present():
            self.stdout.write(logins_table(options.get("address") or DEFAULT_ADDRESS))


DEFAULT_ADDRESS = "http://127.0.0.1:8000"


def logins_table(address: str = DEFAULT_ADDRESS) -> str:
    roles = dict(Role.choices)
    rows = [("user", "role", "sees")]
    rows += [(login.username, roles[login.role], login.sees) for login in DEMO_LOGINS]
    width_user = max(len(r[0]) for r in rows)
    width_role = max(len(r[1]) for r in rows)
    lines = [
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD}), "
        f"at {address.rstrip('/')}/accounts/login/",
    ]
    for user, role, sees in rows:
        lines.append(f"  {user:<{width_user}}  {role:<{width_role}}  {sees}")
    return "\n".join(lines)
