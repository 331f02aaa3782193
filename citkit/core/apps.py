from django.utils.module_loading import autodiscover_modules

from citkit.core.registry import CitkitAppConfig


class CoreConfig(CitkitAppConfig):
    name = "citkit.core"
    label = "core"
    verbose_name = "Programs, roles and audit"
    navigation = "citkit.core.navigation.NAVIGATION"
    audited_models = ("Program", "Membership")

    def ready(self):
        # Each app's permission policies and plan measures register themselves
        # when their module is imported: <app>/permissions.py, <app>/measures.py.
        autodiscover_modules("permissions", "measures")
