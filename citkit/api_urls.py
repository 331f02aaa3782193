"""The REST API: /api/programs/<program>/... with schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from citkit.core.api_views import AuditEntryViewSet, MembershipViewSet, ProgramViewSet
from citkit.partners.api import AgencyContactViewSet, AgencyViewSet
from citkit.people.api import PersonViewSet

P = r"programs/(?P<program>[-\w]+)"

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="api-program")
router.register(rf"{P}/agencies", AgencyViewSet, basename="api-agency")
router.register(
    rf"{P}/agencies/(?P<agency>\d+)/contacts", AgencyContactViewSet, basename="api-agency-contact"
)
router.register(rf"{P}/people", PersonViewSet, basename="api-person")
router.register(rf"{P}/members", MembershipViewSet, basename="api-member")
router.register(rf"{P}/audit", AuditEntryViewSet, basename="api-audit")
from citkit.committee.api_meetings import MeetingViewSet  # noqa: E402

router.register(rf"{P}/committee/meetings", MeetingViewSet, basename="api-meeting")
from citkit.committee.api_actions import ActionItemViewSet  # noqa: E402
from citkit.plan.api import PhaseViewSet, TaskViewSet  # noqa: E402

router.register(rf"{P}/committee/actions", ActionItemViewSet, basename="api-action-item")
router.register(rf"{P}/plan/tasks", TaskViewSet, basename="api-plan-task")
router.register(rf"{P}/plan/phases", PhaseViewSet, basename="api-plan-phase")
from citkit.committee import api_committee  # noqa: E402

router.register(rf"{P}/committee/seats", api_committee.SeatViewSet, basename="api-seat")
router.register(
    rf"{P}/committee/subcommittees",
    api_committee.SubcommitteeViewSet,
    basename="api-subcommittee",
)
router.register(rf"{P}/committee/gaps", api_committee.ServiceGapViewSet, basename="api-gap")
router.register(
    rf"{P}/committee/composition",
    api_committee.CompositionViewSet,
    basename="api-committee-composition",
)
from citkit.plan.views_dashboard import DashboardViewSet  # noqa: E402

router.register(rf"{P}/plan/dashboard", DashboardViewSet, basename="api-plan-dashboard")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
