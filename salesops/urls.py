"""URL map: pages, the Django admin, and the API under /api/ (API.md)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from salesops.accounts import api as accounts_api
from salesops.core import views as core_views
from salesops.core.api import Router
from salesops.customers import api as customers_api
from salesops.customers.excel import api as customers_sheets_api
from salesops.customers.pool import api as customers_pool_api
from salesops.daily.brief import api as brief_api
from salesops.daily.lag import api as lag_api
from salesops.daily.plans import api as plans_api
from salesops.daily.problems import api as problems_api
from salesops.daily.review import api as review_api
from salesops.daily.summaries import api as summaries_api
from salesops.daily.targets import api as daily_targets_api
from salesops.deals import api as deals_api
from salesops.deals.collections import api as collections_api
from salesops.followups import api as followups_api
from salesops.home import views as home_views
from salesops.jobs import api as jobs_api
from salesops.notifications import api as notifications_api
from salesops.organisation import api as organisation_api
from salesops.performance import api as performance_api
from salesops.performance import kpi_api
from salesops.performance.targets import api as targets_api
from salesops.tasks import api as tasks_api

router = Router()
router.register("auth/token", accounts_api.TokenViewSet, basename="api-token")
router.register("me/tokens", accounts_api.MyTokenViewSet, basename="api-me-token")
router.register("me", accounts_api.MeViewSet, basename="api-me")
router.register("teams", accounts_api.TeamViewSet, basename="api-team")
router.register("users", accounts_api.UserViewSet, basename="api-user")
router.register("notifications", notifications_api.NotificationViewSet, basename="api-notification")
router.register("jobs", jobs_api.JobViewSet, basename="api-job")
router.register("settings/rules", organisation_api.RuleSettingsViewSet, basename="api-rule-settings")
router.register("calendar/days", organisation_api.CalendarDayViewSet, basename="api-calendar-day")
router.register("calendar", organisation_api.WorkCalendarViewSet, basename="api-calendar")
router.register("customers", customers_sheets_api.CustomerSheetViewSet, basename="api-customer-sheet")
router.register("customers", customers_pool_api.CustomerOwnershipViewSet, basename="api-customer-owner")
router.register("customers", customers_api.CustomerViewSet, basename="api-customer")
router.register("users", customers_pool_api.PersonReassignViewSet, basename="api-user-customers")
router.register("followups/compliance", performance_api.ComplianceViewSet, basename="api-followup-compliance")
router.register("kpis", kpi_api.KpiViewSet, basename="api-kpi")
router.register("followups", followups_api.FollowUpViewSet, basename="api-followup")
router.register("contracts", collections_api.ContractPlanViewSet, basename="api-contract-plan")
router.register("instalments", collections_api.InstalmentViewSet, basename="api-instalment")
router.register("payments", collections_api.PaymentViewSet, basename="api-payment")
router.register("tasks", tasks_api.TaskViewSet, basename="api-task")
router.register("targets", targets_api.TargetViewSet, basename="api-target")
router.register("daily-targets", daily_targets_api.DailyTargetsViewSet, basename="api-daily-targets")
router.register("lag-alerts", lag_api.LagAlertViewSet, basename="api-lag-alert")
router.register("lag-talks", lag_api.LagTalkViewSet, basename="api-lag-talk")
router.register("deals", deals_api.DealViewSet, basename="api-deal")
router.register("contracts", deals_api.ContractViewSet, basename="api-contract")
router.register("stage-probabilities", deals_api.StageProbabilityViewSet, basename="api-stage-probability")
router.register("loss-reasons", deals_api.LossReasonViewSet, basename="api-loss-reason")
router.register("daily-plans", plans_api.DailyPlanViewSet, basename="api-daily-plan")
router.register("resource-requests", plans_api.ResourceRequestViewSet, basename="api-resource-request")
router.register("daily-summaries", summaries_api.DailySummaryViewSet, basename="api-daily-summary")
router.register("problems", problems_api.ProblemViewSet, basename="api-problem")
router.register("success-cases", problems_api.SuccessCaseViewSet, basename="api-success-case")
router.register("briefs", brief_api.BriefViewSet, basename="api-brief")
router.register("weekly-reviews", review_api.WeeklyReviewViewSet, basename="api-weekly-review")

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("day/", home_views.day_board, name="day-board"),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("salesops.accounts.urls")),
    path("", include("salesops.organisation.urls")),
    path("", include("salesops.customers.excel.urls")),
    path("", include("salesops.customers.pool.urls")),
    path("", include("salesops.customers.urls")),
    path("", include("salesops.followups.urls")),
    path("", include("salesops.deals.collections.urls")),
    path("", include("salesops.deals.urls")),
    path("", include("salesops.notifications.urls")),
    path("", include("salesops.performance.urls")),
    path("", include("salesops.performance.targets.urls")),
    path("", include("salesops.tasks.urls")),
    path("", include("salesops.daily.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
]

handler404 = "salesops.core.views.not_found"
handler500 = "salesops.core.views.server_error"
handler403 = "salesops.core.views.forbidden"
handler400 = "salesops.core.views.bad_request"
