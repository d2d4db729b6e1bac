"""Page routes of the public pool and of moving customers between people (R15)."""

from django.urls import path

from salesops.customers import pool_views

urlpatterns = [
    path("pool/", pool_views.pool_list, name="pool"),
    path("pool/<int:pk>/claim/", pool_views.pool_claim, name="pool-claim"),
    path("customers/transfer/", pool_views.transfer_page, name="customers-transfer"),
    path("customers/<int:pk>/release/", pool_views.customer_release_page, name="customer-release"),
]
