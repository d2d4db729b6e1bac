"""Pages of the team's day; each sub-domain keeps its own URL list."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
