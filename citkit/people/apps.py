from citkit.core.registry import CitkitAppConfig


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
