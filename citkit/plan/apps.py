from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "citkit.plan"
    label = "plan"
    verbose_name = "Implementation plan"

    def ready(self):
        # Measures register themselves when their module is imported.
        from citkit.plan import measures  # noqa: F401
