"""Pages of the morning brief (R3)."""

from django.urls import path

from salesops.daily.brief import views

urlpatterns = [
    path("briefs/", views.brief_page, name="brief"),
    path("briefs/meeting/", views.brief_meeting, name="brief-meeting"),
    path("briefs/print/", views.brief_print, name="brief-print"),
    path("briefs/brief.xlsx", views.brief_export, name="brief-export"),
    path("briefs/generate/", views.brief_generate, name="brief-generate"),
]
