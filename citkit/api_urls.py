"""The REST API: /api/programs/<program>/... with schema and docs.

Core's own routes are here; each feature app declares its routes (`api_routes`
in its AppConfig: route under the program, view set, basename).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from citkit.core.api_access import ROUTES as ACCESS_ROUTES
from citkit.core.api_jobs import JobViewSet
from citkit.core.api_views import (
    AuditEntryViewSet,
    InvitationViewSet,
    MembershipViewSet,
    MyInvitationViewSet,
    ProgramViewSet,
)
from citkit.core.registry import api_routes

P = r"programs/(?P<program>[-\w]+)"

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="api-program")
router.register(rf"{P}/members", MembershipViewSet, basename="api-member")
router.register(rf"{P}/invitations", InvitationViewSet, basename="api-invitation")
# The invitee's side: one's own invitations, to any program.
router.register("invitations", MyInvitationViewSet, basename="api-my-invitation")
router.register(rf"{P}/audit", AuditEntryViewSet, basename="api-audit")
for route, viewset, basename in ACCESS_ROUTES:
    router.register(rf"{P}/{route}", viewset, basename=basename)
router.register(rf"{P}/jobs", JobViewSet, basename="api-job")
for route, viewset, basename in api_routes():
    router.register(rf"{P}/{route}", viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view sends Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
