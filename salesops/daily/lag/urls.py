"""Pages of R19 lag alerts."""

from django.urls import URLPattern, URLResolver, path

from salesops.daily.lag import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("daily/lag/", views.lag_alerts_page, name="lag-alerts"),
    path("daily/lag/<int:pk>/talk/", views.lag_talk_page, name="lag-talk"),
]
