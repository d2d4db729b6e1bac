"""Pages of R17 daily summaries."""

from django.urls import URLPattern, URLResolver, path

from salesops.daily.summaries import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("summaries/today/", views.summary_today, name="summary-mine"),
    path("summaries/team/", views.team_summaries, name="summary-team"),
    path("summaries/team/sheet/", views.team_summaries_sheet, name="summary-team-sheet"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary-detail"),
    path("summaries/<int:pk>/edit/", views.summary_edit, name="summary-edit"),
    path("summaries/<int:pk>/sheet/", views.summary_sheet, name="summary-sheet"),
]
