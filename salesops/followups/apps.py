from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "salesops.followups"
    verbose_name = _("Follow-ups")

    def ready(self) -> None:
        from salesops.followups import jobs  # noqa: F401  (registers the cadence job)
