from django.db import connections
from django.db.models.signals import post_migrate

from citkit.core.registry import CitkitAppConfig


def _search_index(sender, using="default", **kwargs):
    """Put back the SQLite search index's triggers if a migration rebuilt the table."""
    from django.db.migrations.recorder import MigrationRecorder

    from citkit.people import search

    connection = connections[using]
    if ("people", search.MIGRATION) in MigrationRecorder(connection).applied_migrations():
        search.ensure(connection)


class PeopleConfig(CitkitAppConfig):
    name = "citkit.people"
    label = "people"
    verbose_name = "People"
    page_urls = "citkit.people.urls"
    url_prefix = "people/"
    api_routes = "citkit.people.api.ROUTES"
    navigation = "citkit.people.navigation.NAVIGATION"
    audited_models = ("Person",)
    capabilities = "citkit.people.permissions.CAPABILITIES"
    home_panel = "citkit.people.home.panel"
    home_order = 20

    def ready(self):
        super().ready()
        post_migrate.connect(_search_index, sender=self, dispatch_uid="people-search-index")
