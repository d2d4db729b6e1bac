from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesops.customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        # Registers the pool_recycle job, and a leaver's customers as open work (R15).
        from salesops.customers.pool import handover, jobs  # noqa: F401
