"""Pages of R4 daily targets."""

from django.urls import URLPattern, URLResolver, path

from salesops.daily.targets import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("daily/targets/", views.day_targets_page, name="daily-targets"),
]
