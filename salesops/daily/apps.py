from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyConfig(AppConfig):
    name = "salesops.daily"
    verbose_name = _("The team's day")

    def ready(self) -> None:
        from salesops.daily.plans import jobs, rules  # noqa: F401  (plan_check, the team page's permission)
        from salesops.daily.summaries import jobs as summaries_jobs  # noqa: F401  (summary_check)
        from salesops.daily.summaries import rules as summaries_rules  # noqa: F401  (the team page's permission)
