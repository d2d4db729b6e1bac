from django.urls import path

from salesops.organisation import views

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("settings/rules/", views.rule_settings_page, name="rule-settings"),
    path("settings/calendar/", views.calendar_page, name="workcal"),
]
