from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "salesops.tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from salesops.customers import hooks
        from salesops.tasks import jobs, rules, selectors  # noqa: F401  (the job, the permission)

        hooks.register_timeline_source(selectors.customer_timeline_entries)
