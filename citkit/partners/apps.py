from citkit.core.registry import CitkitAppConfig


class PartnersConfig(CitkitAppConfig):
    name = "citkit.partners"
    label = "partners"
    verbose_name = "Partner agencies"
    page_urls = "citkit.partners.urls"
    url_prefix = "agencies/"
    api_routes = "citkit.partners.api.ROUTES"
    navigation = "citkit.partners.navigation.NAVIGATION"
    audited_models = ("Agency", "AgencyContact")
    capabilities = "citkit.partners.permissions.CAPABILITIES"
    home_panel = "citkit.partners.home.panel"
    home_order = 10
