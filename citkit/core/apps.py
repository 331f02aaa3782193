from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "citkit.core"
    label = "core"
    verbose_name = "Programs, roles and audit"
