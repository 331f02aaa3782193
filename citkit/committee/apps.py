from citkit.core.registry import CitkitAppConfig


class CommitteeConfig(CitkitAppConfig):
    name = "citkit.committee"
    label = "committee"
    verbose_name = "Steering committee"
    page_urls = "citkit.committee.urls"
    url_prefix = "committee/"
    api_routes = "citkit.committee.api.ROUTES"
    navigation = "citkit.committee.navigation.NAVIGATION"
    audited_models = (
        "Seat",
        "Subcommittee",
        "SubcommitteeMember",
        "SubcommitteeReport",
        "Meeting",
        "AgendaItem",
        "Attendance",
        "Decision",
        "ActionItem",
        "ServiceGap",
    )
    capabilities = "citkit.committee.permissions.CAPABILITIES"
    demo_step = "citkit.committee.demo.load_committee_demo"
    demo_order = 30
