from citkit.core.registry import CitkitAppConfig


class PartnershipsConfig(CitkitAppConfig):
    name = "citkit.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships and MOU"
    page_urls = "citkit.partnerships.urls"
    url_prefix = "partnerships/"
    api_routes = "citkit.partnerships.api.ROUTES"
    navigation = "citkit.partnerships.navigation.NAVIGATION"
    audited_models = (
        "Service",
        "Location",
        "ServiceAtLocation",
        "Phone",
        "Contact",
        "Schedule",
        "ServiceArea",
        "Language",
        "Capacity",
        "Responsibility",
        "MouTemplate",
        "TemplateClause",
        "Mou",
        "MouVersion",
        "MouParty",
        "MouCommitment",
        "MouSignature",
        "MouReview",
    )
    capabilities = "citkit.partnerships.permissions.CAPABILITIES"
    demo_step = "citkit.partnerships.demo.load_partnerships_demo"
    demo_order = 25
    home_panel = "citkit.partnerships.home.panel"
    home_order = 15
