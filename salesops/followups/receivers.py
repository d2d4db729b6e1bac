"""What followups does when a customer or the rules change (``customers.hooks``, ``organisation.signals``):
the cadence follows the grade, the owner, the rule settings and the working calendar (R10); a merge
brings the other customer's records along (R15); the customer page's timeline shows the follow-ups
(R11); the customer import stores the due dates the cadence rule gives; and the import and export page
offers the follow-up sheet (R26)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import local_today
from salesops.customers import hooks
from salesops.customers.excel.kinds import SheetKind, register_sheet
from salesops.customers.models import Customer
from salesops.followups import excel, selectors, services
from salesops.followups.cadence import SETTINGS_READ, GradeCadence, cadence_refresh
from salesops.jobs import tasks
from salesops.organisation.signals import calendar_changed, rule_settings_changed


@receiver(hooks.customers_changed, dispatch_uid="followups.cadence")
def refresh_cadence(*, customer_ids: list[int], **_kwargs: Any) -> None:
    cadence_refresh(customer_ids=customer_ids)


@receiver(hooks.customer_merged, dispatch_uid="followups.merge")
def move_followups(*, other: Customer, survivor: Customer, by: Any, reason: str, at: Any, **_kwargs: Any) -> None:
    services.followups_move(other=other, survivor=survivor, by=by, reason=reason, at=at)


@receiver(rule_settings_changed, dispatch_uid="followups.cadence_settings")
def recompute_for_new_settings(*, changed: frozenset[str], **_kwargs: Any) -> None:
    if changed & SETTINGS_READ:
        recompute_everyone()


@receiver(calendar_changed, dispatch_uid="followups.cadence_calendar")
def recompute_for_new_calendar(**_kwargs: Any) -> None:
    recompute_everyone()


def recompute_everyone() -> None:
    """Due dates count working days (R2) by the settings' numbers: after a change of either, the ``cadence``
    job recomputes every customer in the background, never on a page view."""
    tasks.run_job_task("cadence", local_today(), force=True)


hooks.register_timeline_source(selectors.customer_timeline_entries)
hooks.provide_cadence_rule(GradeCadence)
register_sheet(SheetKind(
    kind="followups", label=_("Follow-up records"), title="客户跟进记录表", run=excel.followups_import,
    columns=excel.COLUMNS, example=excel.EXAMPLE_ROW, template_label=_("Follow-up record template (xlsx)"),
    export_url_name="api-followup-export", export_label=_("Export follow-up records (xlsx)"),
))
