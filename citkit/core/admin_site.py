"""The Django admin behind citkit's own sign-in, with a second factor.

The admin's own login form asks for a password only. Here it is not used: every
admin page needs a session that signed in through citkit's sign-in *and* passed the
second step (django-otp's verified flag, as `OTPAdminSite` checks it), and the
admin's login address sends people to citkit's pages for whichever step is missing.

Installed in INSTALLED_APPS in place of "django.contrib.admin", so `admin.site`
(and every `@admin.register`) is this site. This module is imported while Django
loads its apps, so it imports no models.
"""

from urllib.parse import urlencode

from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class CitkitAdminConfig(AdminConfig):
    default_site = "citkit.core.admin_site.VerifiedAdminSite"


def is_verified(user) -> bool:
    """Signed in with a second factor in this session (django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class VerifiedAdminSite(AdminSite):
    site_header = "citkit administration"
    site_title = "citkit administration"

    def has_permission(self, request):
        # As django_otp.admin.OTPAdminSite: staff, and verified by a device.
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login  # it imports User

            return redirect_to_login(next_url)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("The administration is for the deployment's administrators.")
        if not is_verified(user):
            return HttpResponseRedirect(
                f"{reverse('mfa-verify')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
            )
        return HttpResponseRedirect(next_url)
