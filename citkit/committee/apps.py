from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "citkit.committee"
    label = "committee"
    verbose_name = "Steering committee"
