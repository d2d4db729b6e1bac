"""The follow-up cadence of each grade (R10): when a customer is next due, and where it stands today.

``cadence_refresh`` stores on each customer what the lists filter and sort on (``next_due_at``,
``contract_due_at`` and the last follow-up, visit and needs survey), in a fixed number of queries per
batch (docs/performance-notes.md, "Cadence refresh"). It runs after every follow-up, grade or owner
change and, for everyone, from the ``cadence`` job (nightly, and after a change of the rule settings or
the calendar).

The rule, with the numbers from ``rule_settings()``:

- A customer is followed up every ``cadence_a_days`` working days, B every ``cadence_b_days``, C every
  ``cadence_c_days``: ``next_due_at`` is that many working days after the last follow-up's date, or
  after the date it was graded (created, when it has no grade date) when it was never followed up.
  A next follow-up date the rep set on the latest follow-up wins when it is earlier (moved to a working
  day when it falls on a day off).
- A customer claimed from the pool after its last follow-up is counted from the claim (a whole interval
  for the new owner). A transferred one keeps its due date, but never before the day of the transfer: an
  overdue customer is due that day for its new owner (R15).
- An A customer's contract is pushed within ``a_contract_days`` working days of being graded A
  (``contract_due_at``).
- Ungraded customers, customers in the public pool and inactive ones have no due date: nobody owes
  them a follow-up.

``next_due_at`` only moves when a follow-up, the customer or the rules change; whether it is due today
or overdue depends on the day and is worked out by the database (``CustomerQuerySet.with_cadence_status``)
or by ``CadenceStatus.of``, never stored. Customers asks for the recompute through its hooks
(``customers.hooks``: ``followups.receivers`` connects them), and its bulk writers use ``GradeCadence``.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesops.core.clock import day_start
from salesops.customers.models import Customer, Grade, OwnershipEvent
from salesops.followups.models import Channel, FollowUp
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.organisation.workcal import WorkCalendar

if TYPE_CHECKING:
    from salesops.organisation.models import RuleSettings

#: Customers read and written per round trip; keeps the id list under SQLite's parameter limit.
BATCH_SIZE = 1000
#: The rule settings the stored dates depend on; a change of any recomputes everyone (``receivers``).
SETTINGS_READ = frozenset({"cadence_a_days", "cadence_b_days", "cadence_c_days", "a_contract_days"})
STORED_FIELDS = ["last_followup_at", "last_visit_at", "last_survey_at", "next_due_at", "contract_due_at"]


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def grade_interval(grade: str | None, settings: RuleSettings) -> int | None:
    """Working days between follow-ups for a grade (R10); None for an ungraded customer."""
    return {
        Grade.A: settings.cadence_a_days,
        Grade.B: settings.cadence_b_days,
        Grade.C: settings.cadence_c_days,
    }.get(grade)  # type: ignore[call-overload]


def next_due_date(
    *,
    grade: str | None,
    start: dt.date,
    rep_date: dt.date | None,
    settings: RuleSettings,
    calendar: WorkCalendar,
) -> dt.date | None:
    """R10: ``start`` (the last follow-up's date, else the grade or creation date) plus the grade's
    working days; the rep's own next follow-up date wins when it is earlier, but never before ``start``."""
    interval = grade_interval(grade, settings)
    if interval is None:
        return None
    due = calendar.next_workday(start, interval)
    if rep_date is not None and rep_date > start:
        due = min(due, calendar.workday_on_or_after(rep_date))
    return due


def contract_due_date(
    *, grade: str | None, graded_on: dt.date | None, settings: RuleSettings, calendar: WorkCalendar
) -> dt.date | None:
    """R10: an A customer's contract is pushed within ``a_contract_days`` working days of its grading."""
    if grade != Grade.A or graded_on is None:
        return None
    return calendar.next_workday(graded_on, settings.a_contract_days)


class GradeCadence:
    """The rule above for the current settings and calendar, as ``customers.hooks.CadenceRule``: for the
    writers that store a new customer's dates with its row (the sheet import, the demo generator)."""

    def __init__(self) -> None:
        self.settings = rule_settings()
        self.calendar = work_calendar()

    def interval(self, grade: str | None) -> int | None:
        return grade_interval(grade, self.settings)

    def next_due(self, grade: str | None, start: dt.date) -> dt.date | None:
        return next_due_date(grade=grade, start=start, rep_date=None, settings=self.settings, calendar=self.calendar)

    def contract_due(self, grade: str | None, graded_on: dt.date) -> dt.date | None:
        return contract_due_date(grade=grade, graded_on=graded_on, settings=self.settings, calendar=self.calendar)


def _latest_followup_value(field: str, **conditions: Any) -> Subquery:
    rows = FollowUp.objects.filter(customer=OuterRef("pk"), is_active=True, **conditions)
    return Subquery(rows.order_by("-contacted_at", "-id").values(field)[:1])


def _taken_over(field: str) -> Subquery:
    """When (``at``) and how (``kind``) the current owner took the customer over: the latest claim from
    the pool or transfer to them (R15)."""
    kinds = [OwnershipEvent.Kind.CLAIM, OwnershipEvent.Kind.TRANSFER]
    rows = OwnershipEvent.objects.filter(customer=OuterRef("pk"), kind__in=kinds, to_user=OuterRef("owner_id"))
    return Subquery(rows.order_by("-at", "-id").values(field)[:1])


def _with_latest_followups(queryset: QuerySet[Customer]) -> QuerySet[Customer]:
    return queryset.annotate(
        latest_followup=_latest_followup_value("contacted_at"),
        latest_rep_date=_latest_followup_value("next_followup_at"),
        latest_visit=_latest_followup_value("contacted_at", channel=Channel.VISIT),
        latest_survey=_latest_followup_value("contacted_at", is_survey=True),
        owned_since=_taken_over("at"),
        owned_how=_taken_over("kind"),
    )


def _recompute(customer: Any, settings: RuleSettings, calendar: WorkCalendar) -> bool:
    """Set the cadence fields of one annotated customer; True when any of them changed."""
    before = [getattr(customer, name) for name in STORED_FIELDS]
    customer.last_followup_at = customer.latest_followup
    customer.last_visit_at = customer.latest_visit
    customer.last_survey_at = customer.latest_survey
    if customer.is_active and customer.owner_id is not None:
        followed, owned = customer.latest_followup, customer.owned_since
        claimed = owned is not None and customer.owned_how == OwnershipEvent.Kind.CLAIM
        if claimed and (followed is None or followed < owned):
            # Claimed from the pool after the last follow-up: the new owner gets a whole interval, so a
            # customer taken from the pool is not overdue the moment it is claimed.
            start, rep_date = _local_date(owned), None
        elif followed is not None:
            start, rep_date = _local_date(followed), customer.latest_rep_date
        else:
            start, rep_date = _local_date(customer.graded_at or customer.created_at), None
        due = next_due_date(grade=customer.grade, start=start, rep_date=rep_date, settings=settings, calendar=calendar)
        if due is not None and owned is not None and not claimed:
            # Transferred: the cadence carries on where it stood, and one that was overdue is due on the day
            # of the handover for the new owner (due, not overdue against them, not a whole interval away).
            due = max(due, calendar.workday_on_or_after(_local_date(owned)))
        customer.next_due_at = due
        graded_on = _local_date(customer.graded_at) if customer.graded_at else None
        customer.contract_due_at = contract_due_date(
            grade=customer.grade, graded_on=graded_on, settings=settings, calendar=calendar
        )
    else:
        customer.next_due_at = None
        customer.contract_due_at = None
    return before != [getattr(customer, name) for name in STORED_FIELDS]


def cadence_refresh(*, customer_ids: Iterable[int]) -> int:
    """Recompute the cadence fields (R10) of these customers; returns how many rows changed.

    Two queries for the rule settings and the calendar, then two per ``BATCH_SIZE`` customers (read,
    ``bulk_update``), whatever their follow-ups. ``bulk_update`` leaves ``updated_at`` and the history
    alone on purpose: these are derived figures, not a person's change of the customer (R12).
    """
    ids = sorted(set(customer_ids))
    if not ids:
        return 0
    settings = rule_settings()
    calendar = work_calendar()
    changed_total = 0
    for offset in range(0, len(ids), BATCH_SIZE):
        batch = ids[offset : offset + BATCH_SIZE]
        fields = ["id", "grade", "graded_at", "created_at", "owner_id", "is_active", *STORED_FIELDS]
        customers = list(_with_latest_followups(Customer.objects.filter(pk__in=batch)).only(*fields))
        changed = [c for c in customers if _recompute(c, settings, calendar)]
        if changed:
            Customer.objects.bulk_update(changed, STORED_FIELDS)
        changed_total += len(changed)
    return changed_total


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class CadenceFlags:
    """R10's other duties besides the follow-up interval: B's on-site visits, C's needs survey."""

    visit_due: bool
    survey_due: bool
    contract_due_at: dt.date | None


def cadence_flags(customer: Customer, today: dt.date) -> CadenceFlags:
    """R10 for one customer on ``today``: a B customer owes ``b_visits_per_month`` visits this calendar
    month (one query only when more than one visit a month is asked); a C customer owes a needs survey
    when none was logged in the last ``c_survey_months`` months."""
    settings = rule_settings()
    visit_due = survey_due = False
    if customer.is_active and customer.owner_id is not None:
        if customer.grade == Grade.B:
            month_start = today.replace(day=1)
            last_visit = customer.last_visit_at
            visits = 0 if last_visit is None or _local_date(last_visit) < month_start else 1
            if visits and settings.b_visits_per_month > 1:
                visits = _visits_since(customer, month_start)
            visit_due = visits < settings.b_visits_per_month
        if customer.grade == Grade.C:
            last_survey = customer.last_survey_at
            since = _months_before(today, settings.c_survey_months)
            survey_due = last_survey is None or _local_date(last_survey) <= since
    return CadenceFlags(visit_due=visit_due, survey_due=survey_due, contract_due_at=customer.contract_due_at)


def _visits_since(customer: Customer, first_day: dt.date) -> int:
    start = day_start(first_day)
    return FollowUp.objects.filter(
        customer=customer, is_active=True, channel=Channel.VISIT, contacted_at__gte=start
    ).count()


def due_label(due: dt.date, today: dt.date) -> str:
    """How far a due date is from today, in calendar days."""
    days = (due - today).days
    if days < 0:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
