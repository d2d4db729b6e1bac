from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "salesops.tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from salesops.tasks import rules, services  # noqa: F401  (the permission; the built-in submit checks)
