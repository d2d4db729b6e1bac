"""Customer pages: list, new, detail, edit, contacts and soft delete."""

from django.urls import URLPattern, URLResolver, path

from salesops.customers import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("customers/", views.customer_list, name="customers"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("customers/<int:pk>/delete/", views.customer_deactivate, name="customer-deactivate"),
    path("customers/<int:pk>/contacts/", views.contact_create, name="customer-contact-create"),
    path(
        "customers/<int:pk>/contacts/<int:contact_id>/delete/", views.contact_deactivate,
        name="customer-contact-deactivate",
    ),
]
