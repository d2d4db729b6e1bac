"""What every page's shell needs: the organisation's name and the navigation the user may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.organisation.selectors import organisation

# (url name, label, permission or None). Later features add their entries here, and only what exists
# is listed; a user sees the entries their role may use.
NAVIGATION: list[tuple[str, Any, str | None]] = [
    ("home", _("Today"), None),
    ("day-board", _("Day board"), "daily.view_team_plans"),
    ("customers", _("Customers"), None),
    ("pool", _("Public pool"), None),
    ("customer-import", _("Import and export"), None),
    ("followup-today", _("Follow-ups due"), None),
    ("tasks-mine", _("My tasks"), None),
    ("tasks-approvals", _("Approval queue"), "tasks.view_approvals"),
    ("summary-mine", _("Daily summary"), None),
    ("summary-team", _("Team summaries"), "daily.view_team_summaries"),
    ("problems", _("Problems"), None),
    ("deal-board", _("Pipeline"), None),
    ("deals", _("Deals"), None),
    ("contracts", _("Contracts"), None),
    ("team-overdue", _("Overdue follow-ups"), "performance.view_team_figures"),
    ("targets-grid", _("Targets"), None),
    ("daily-targets", _("Daily targets"), None),
    ("lag-alerts", _("Lag alerts"), "daily.view_lag_alerts"),
    ("collections", _("Collection ledger"), None),
    ("customers-transfer", _("Transfer customers"), "customers.move_customers"),
    ("inbox", _("Notifications"), None),
    ("people", _("Teams and people"), None),
    ("workcal", _("Working calendar"), None),
    ("rule-settings", _("Rule settings"), "organisation.manage_settings"),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = [
        {"url": reverse(name), "label": label, "active": request.resolver_match is not None
         and request.resolver_match.url_name == name}
        for name, label, perm in NAVIGATION
        if perm is None or user.has_perm(perm)
    ]
    return {"nav_items": nav, "organisation_name": organisation().name}
