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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
