"""Pages of the team's day; each sub-domain keeps its own URL list."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("salesops.daily.plans.urls")),
    path("", include("salesops.daily.summaries.urls")),
    path("", include("salesops.daily.problems.urls")),
    path("", include("salesops.daily.targets.urls")),
    path("", include("salesops.daily.lag.urls")),
    path("", include("salesops.daily.brief.urls")),
    path("", include("salesops.daily.review.urls")),
]
