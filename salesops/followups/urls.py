"""Follow-up pages: due today, the follow-up form, visit photos, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from salesops.followups import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("today/", views.due_today, name="followup-today"),
    path("customers/<int:customer_id>/followup/", views.followup_form, name="followup-create"),
    path("followups/photos/<int:pk>/", views.visit_photo, name="visit-photo"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar-feed"),
    path("account/calendar/", views.calendar_page, name="calendar-page"),
]
