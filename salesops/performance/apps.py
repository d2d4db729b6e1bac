from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "salesops.performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        # The metrics this app defines over the domains' rows, and its permissions.
        from salesops.performance import (  # noqa: F401
            collection_metrics,
            customer_metrics,
            deal_metrics,
            followup_metrics,
            rules,
        )
        from salesops.performance.targets import sheet  # noqa: F401  (the target sheet on the import page)
