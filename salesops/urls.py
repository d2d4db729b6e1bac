"""URL map: pages, the Django admin, and the API under /api/ (API.md)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from salesops.accounts import api as accounts_api
from salesops.core import views as core_views
from salesops.customers import api as customers_api
from salesops.customers.excel import api as customers_excel_api
from salesops.customers.pool import api as customers_pool_api
from salesops.followups import api as followups_api
from salesops.home import views as home_views
from salesops.jobs import api as jobs_api
from salesops.notifications import api as notifications_api
from salesops.organisation import api as organisation_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", accounts_api.TeamViewSet, basename="team")
router.register("users", accounts_api.UserViewSet, basename="user")

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    *organisation_api.api_urlpatterns,
    *jobs_api.api_urlpatterns,
    *customers_excel_api.api_urlpatterns,
    *customers_pool_api.api_urlpatterns,
    *customers_api.api_urlpatterns,
    *followups_api.api_urlpatterns,
    *notifications_api.api_urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("salesops.accounts.urls")),
    path("", include("salesops.organisation.urls")),
    path("", include("salesops.customers.excel.urls")),
    path("", include("salesops.customers.pool.urls")),
    path("", include("salesops.customers.urls")),
    path("", include("salesops.followups.urls")),
    path("", include("salesops.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
]

handler404 = "salesops.core.views.not_found"
handler500 = "salesops.core.views.server_error"
handler403 = "salesops.core.views.forbidden"
handler400 = "salesops.core.views.bad_request"
