"""Page routes for Excel import (R26) and the sheets to fill in."""

from django.urls import URLPattern, URLResolver, path

from salesops.customers.excel import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("customers/import/", views.import_page, name="customer-import"),
    path("customers/import/template/<slug:kind>.xlsx", views.import_template, name="customer-import-template"),
    path("customers/import/<int:pk>/skipped.xlsx", views.import_skipped, name="customer-import-skipped"),
]
