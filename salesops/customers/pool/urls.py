"""Page routes of the public pool and of moving customers between people (R15)."""

from django.urls import path

from salesops.customers.pool import views

urlpatterns = [
    path("pool/", views.pool_list, name="pool"),
    path("pool/<int:pk>/claim/", views.pool_claim, name="pool-claim"),
    path("customers/transfer/", views.transfer_page, name="customers-transfer"),
    path("customers/<int:pk>/release/", views.customer_release_page, name="customer-release"),
]
