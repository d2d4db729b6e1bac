from django.urls import path

from salesops.organisation import setup_views, views

urlpatterns = [
    path("setup/", setup_views.setup, name="setup"),
    path("settings/rules/", views.rule_settings_page, name="rule-settings"),
    path("settings/calendar/", views.calendar_page, name="workcal"),
]
