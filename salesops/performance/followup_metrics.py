"""The figures of the cadence and the follow-up records (R10, R11, R21), registered with the engine.

- Cadence compliance 跟进达标率 (R10): the share of active, graded customers that are not overdue on the
  day it is read (``next_due_at`` that day or later, or none). A snapshot: a customer counts for its
  owner now and for the owner's team now. No graded customer → no figure (None), never 0 % or 100 %.
- Late-logging share (R11): the active follow-ups of the period logged late / all of them.
- Customers followed up (R21, the denominator of the conversion rate): distinct customers with an
  active follow-up in the period; a customer followed up by a rep and by their lead counts once for
  the team and the organisation.
- Visits 拜访量 (R21): the active visit follow-ups of the period; new-customer visits: those that are
  the customer's first visit ever (``FollowUp.first_visit``, kept by the follow-up services), so a
  customer counts at most once, at every level, over all time.

Follow-ups count for their author and for the author's team when they were written
(``FollowUp.author_team``), so a later move of the author moves no past figure (R21). Every measure of
the records reads indexed columns only: PostgreSQL answers them from the covering indexes on (author,
team or nothing, contact time, active, late, channel, first visit, customer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from salesops.customers.models import Customer
from salesops.followups.models import Channel, FollowUp
from salesops.performance.metrics import Frame, Measure, Metric, Source, Unit, register, share

CADENCE = Source(
    name="followups.cadence",
    rows=lambda frame: Customer.objects.filter(is_active=True, grade__isnull=False, owner__isnull=False),
    person="owner",
    team="owner__team",
)
FOLLOWUPS = Source(
    name="followups.records",
    rows=lambda frame: FollowUp.objects.filter(
        is_active=True, contacted_at__gte=frame.start, contacted_at__lt=frame.end
    ),
    person="author",
    team="author_team",
)


def _overdue(frame: Frame) -> Count:
    return Count("next_due_at", filter=Q(next_due_at__lt=frame.today))


GRADED = Measure(CADENCE, Count("*"))
OVERDUE = Measure(CADENCE, _overdue)
RECORDS = Measure(FOLLOWUPS, Count("*"))
LATE = Measure(FOLLOWUPS, Count("late", filter=Q(late=True)))
CUSTOMERS_FOLLOWED_UP = Measure(FOLLOWUPS, Count("customer", distinct=True))
VISITS = Measure(FOLLOWUPS, Count("channel", filter=Q(channel=Channel.VISIT)))
FIRST_VISITS = Measure(FOLLOWUPS, Count("first_visit", filter=Q(channel=Channel.VISIT, first_visit=True)))


def on_cadence_share(values: Sequence[Any]) -> float | None:
    """Compliance from (graded customers, of them overdue): the share not overdue; None without any."""
    graded, overdue = values
    return share([graded - overdue, graded])


FOLLOWUP_ATTRIBUTION = _("The author of the follow-up, and the author's team when it was written.")
CADENCE_ATTRIBUTION = _("The customer's owner today, and the owner's team today.")

GRADED_CUSTOMERS = register(Metric(
    name="graded_customers", unit=Unit.COUNT, label=_("Graded customers"),
    definition=_("Active customers with a grade, on the day the figure is read."),
    attribution=CADENCE_ATTRIBUTION, measures=(GRADED,), snapshot=True,
))
OVERDUE_CUSTOMERS = register(Metric(
    name="overdue_customers", unit=Unit.COUNT, label=_("Overdue customers"),
    definition=_("Active graded customers whose next follow-up date has passed."),
    attribution=CADENCE_ATTRIBUTION, measures=(OVERDUE,), snapshot=True,
))
COMPLIANCE = register(Metric(
    name="compliance", unit=Unit.RATE, label=_("Cadence compliance"),
    definition=_("Share of the active graded customers that are not overdue (R10)."),
    attribution=CADENCE_ATTRIBUTION, measures=(GRADED, OVERDUE), combine=on_cadence_share, snapshot=True,
))
FOLLOWUP_COUNT = register(Metric(
    name="followups", unit=Unit.COUNT, label=_("Follow-ups"),
    definition=_("Follow-up records with a contact time in the period."),
    attribution=FOLLOWUP_ATTRIBUTION, measures=(RECORDS,),
))
LATE_FOLLOWUPS = register(Metric(
    name="late_followups", unit=Unit.COUNT, label=_("Late follow-ups"),
    definition=_("Follow-ups of the period logged later than the rule allows (R11)."),
    attribution=FOLLOWUP_ATTRIBUTION, measures=(LATE,),
))
LATE_SHARE = register(Metric(
    name="late_share", unit=Unit.RATE, label=_("Late-logging share"),
    definition=_("Late follow-ups of the period / all follow-ups of the period (R11)."),
    attribution=FOLLOWUP_ATTRIBUTION, measures=(LATE, RECORDS), combine=share,
))
FOLLOWED_UP_CUSTOMERS = register(Metric(
    name="followed_up_customers", unit=Unit.COUNT, label=_("Customers followed up"),
    definition=_("Customers with a follow-up in the period, each once (R21)."),
    attribution=FOLLOWUP_ATTRIBUTION, measures=(CUSTOMERS_FOLLOWED_UP,),
))
VISIT_COUNT = register(Metric(
    name="visits", unit=Unit.COUNT, label=_("Visits"),
    definition=_("Follow-ups of the period on the visit channel (R21)."),
    attribution=FOLLOWUP_ATTRIBUTION, measures=(VISITS,),
))
NEW_CUSTOMER_VISITS = register(Metric(
    name="new_customer_visits", unit=Unit.COUNT, label=_("New-customer visits"),
    definition=_("Visits of the period that were the customer's first visit ever: each customer at most once."),
    attribution=FOLLOWUP_ATTRIBUTION, measures=(FIRST_VISITS,),
))
