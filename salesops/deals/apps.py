from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "salesops.deals"
    verbose_name = _("Deals and collections")

    def ready(self) -> None:
        # Collections: who may act on a payment plan, and the instalments_overdue job; the contract archive
        # task's submit check and its approval's effect (contracts, R13).
        from salesops.deals import contracts
        from salesops.deals.collections import jobs, rules  # noqa: F401

        contracts.connect()
