from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyConfig(AppConfig):
    name = "salesops.daily"
    verbose_name = _("The team's day")

    def ready(self) -> None:
        # The scheduled jobs of the sub-domains (jobs registry) and their permissions.
        from salesops.daily.brief import jobs as brief_jobs  # noqa: F401  (registers morning_brief)
        from salesops.daily.lag import jobs as lag_jobs  # noqa: F401  (lag_alerts)
        from salesops.daily.lag import rules as lag_rules  # noqa: F401  (the alerts page's permission)
        from salesops.daily.plans import jobs, rules  # noqa: F401  (plan_check, the team page's permission)
        from salesops.daily.summaries import jobs as summaries_jobs  # noqa: F401  (summary_check)
        from salesops.daily.summaries import rules as summaries_rules  # noqa: F401  (the team page's permission)
