from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "salesops.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from salesops.core import schema  # noqa: F401  (registers the API token's schema extension)
