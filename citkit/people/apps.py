from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "citkit.people"
    label = "people"
    verbose_name = "People"
