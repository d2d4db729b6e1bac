"""Figure pages: the team's cadence compliance, late logs and overdue customers."""

from django.urls import URLPattern, URLResolver, path

from salesops.performance import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("team/overdue/", views.team_overdue, name="team-overdue"),
]
