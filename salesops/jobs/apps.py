from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "salesops.jobs"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        from salesops.jobs import builtin, tasks  # noqa: F401  (registers jobs and the Huey schedule)
