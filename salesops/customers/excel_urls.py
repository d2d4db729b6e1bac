"""Page routes for Excel import and export (R26) and the private calendar feed."""

from django.urls import URLPattern, URLResolver, path

from salesops.customers import excel_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("customers/import/", excel_views.import_page, name="customer-import"),
    path("customers/import/template/<slug:kind>.xlsx", excel_views.import_template, name="customer-import-template"),
    path("calendar/<str:secret>.ics", excel_views.calendar_feed, name="calendar-feed"),
    path("account/calendar/", excel_views.calendar_page, name="calendar-page"),
]
