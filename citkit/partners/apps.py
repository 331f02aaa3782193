from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "citkit.partners"
    label = "partners"
    verbose_name = "Partner agencies"
