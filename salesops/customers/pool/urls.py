"""Page routes of the public pool and of moving customers between people (R15)."""

from django.urls import path

from salesops.customers.pool import transfer_views, views

urlpatterns = [
    path("pool/", views.pool_list, name="pool"),
    path("pool/<int:pk>/claim/", views.pool_claim, name="pool-claim"),
    path("customers/transfer/", transfer_views.transfer_page, name="customers-transfer"),
    path("customers/<int:pk>/transfer/", transfer_views.customer_transfer_page, name="customer-transfer"),
    path("customers/<int:pk>/release/", views.customer_release_page, name="customer-release"),
]
