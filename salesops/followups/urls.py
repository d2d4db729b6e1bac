"""Follow-up pages: due today, the follow-up form, the team's overdue customers."""

from django.urls import URLPattern, URLResolver, path

from salesops.followups import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("today/", views.due_today, name="followup-today"),
    path("customers/<int:customer_id>/followup/", views.followup_form, name="followup-create"),
    path("team/overdue/", views.team_overdue, name="team-overdue"),
]
