"""A contract's collections page: its payment plan and receipts, with their forms."""

from django.urls import URLPattern, URLResolver, path

from salesops.deals.collections import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("contracts/<int:pk>/collections/", views.contract_collections, name="contract-collections"),
]
