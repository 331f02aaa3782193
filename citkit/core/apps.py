from django.utils.module_loading import autodiscover_modules

from citkit.core.registry import CitkitAppConfig


class CoreConfig(CitkitAppConfig):
    name = "citkit.core"
    label = "core"
    verbose_name = "Programs, roles and audit"
    navigation = "citkit.core.navigation.NAVIGATION"
    audited_models = ("Program", "Membership", "Invitation")

    def ready(self):
        # Each app's permission policies, plan measures and periodic jobs register
        # themselves when their module is imported: <app>/permissions.py,
        # <app>/measures.py, <app>/tasks.py (see core/schedules.py).
        autodiscover_modules("permissions", "measures", "tasks")
        # Signals: sign-in and sign-out track sessions (core/sessions.py); sign-in tells
        # of waiting invitations (core/invitations.py); tokens, calendar addresses and
        # sessions end when a password changes or an account is deactivated, however
        # it is saved (core/credentials.py).
        from citkit.core import credentials, invitations, sessions  # noqa: F401

        credentials.connect()
