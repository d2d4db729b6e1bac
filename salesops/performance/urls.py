"""Figure pages: the team's cadence compliance, late logs and overdue customers; the collection ledger; the
metrics' definitions."""

from django.urls import URLPattern, URLResolver, path

from salesops.performance import ledger_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("team/overdue/", views.team_overdue, name="team-overdue"),
    path("collections/", ledger_views.collections_ledger, name="collections"),
    path("collections/ledger.xlsx", ledger_views.collections_ledger_export, name="collections-export"),
    path("help/metrics/", views.metrics_help, name="metrics-help"),
]
