from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo sits above every other app: it builds a program through their services,
    then runs each app's own demo step (see `core.registry.demo_steps`)."""

    name = "citkit.demo"
    label = "demo"
    verbose_name = "Demo programs"
