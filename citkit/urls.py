"""URLs: accounts, program pages under /p/<program>/, the API under /api/.

Each feature app declares where its pages go (`page_urls`, `url_prefix` in its
AppConfig); this file mounts them all.
"""

from django.contrib import admin
from django.urls import include, path

from citkit.core.registry import page_urls
from citkit.core.views import accounts, health, programs

urlpatterns = [
    path("", programs.home, name="home"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/", include("citkit.core.urls_accounts")),
    path("p/<slug:program>/", include("citkit.core.urls")),
    *(path(f"p/<slug:program>/{prefix}", include(module)) for prefix, module in page_urls()),
    path("api/", include("citkit.api_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler400 = "citkit.core.views.errors.bad_request"
handler403 = "citkit.core.views.errors.permission_denied"
handler404 = "citkit.core.views.errors.page_not_found"
handler500 = "citkit.core.views.errors.server_error"
