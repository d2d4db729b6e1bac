from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesops.customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from salesops.customers.pool import jobs  # noqa: F401  (registers the pool_recycle job)
