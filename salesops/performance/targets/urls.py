"""The month grid of targets."""

from django.urls import URLPattern, URLResolver, path

from salesops.performance.targets import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("targets/", views.targets_grid, name="targets-grid"),
]
