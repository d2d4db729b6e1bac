from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "salesops.followups"
    verbose_name = _("Follow-ups")

    def ready(self) -> None:
        # The cadence job, the hooks into customers and the follow-up sheet on the import page.
        from salesops.followups import jobs, receivers  # noqa: F401
