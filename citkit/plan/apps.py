from citkit.core.registry import CitkitAppConfig


class PlanConfig(CitkitAppConfig):
    name = "citkit.plan"
    label = "plan"
    verbose_name = "Implementation plan"
    page_urls = "citkit.plan.urls"
    url_prefix = "plan/"
    api_routes = "citkit.plan.api.ROUTES"
    navigation = "citkit.plan.navigation.NAVIGATION"
    audited_models = ("Phase", "Task", "TaskAttachment")
    demo_step = "citkit.plan.demo.load_plan_demo"
    demo_order = 40

    def ready(self):
        # Action items may concern a plan task: the plan says so to the committee.
        from citkit.plan import concerns  # noqa: F401
