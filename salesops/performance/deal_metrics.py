"""The figures of won deals (R21), registered with the engine.

- Sales amount 销售额: the sum of the deals signed in the period (their final amount).
- Deals 成交量: their count.
- Conversion rate 客户转化率: customers who signed in the period / customers followed up in the period
  (each customer once at every level; ``followup_metrics.CUSTOMERS_FOLLOWED_UP`` is the denominator).
- Repurchase rate 老客户复购率: customers whose first deal was signed before the period and who signed again
  in it / customers whose first deal was signed before the period.

Attribution (R21): a won deal counts for ``won_by`` in ``won_team`` (its owner and team when it was won) on
its ``signed_at``; a later transfer moves no past figure. The repurchase rate's customers are credited to
whoever won their earlier deals (the people who hold the relationship), so its numerator is part of its
denominator at every level and the rate never passes 100 %. A reopened deal is no longer won and drops out
until it is won again. Amounts stay Decimal from the SQL sum to the figure.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from salesops.deals.models import Deal, DealStatus
from salesops.performance.followup_metrics import CUSTOMERS_FOLLOWED_UP
from salesops.performance.metrics import Frame, Measure, Metric, Source, Unit, register, share

WON = Source(
    name="deals.won",
    rows=lambda frame: Deal.objects.filter(
        status=DealStatus.WON, signed_at__gte=frame.period.first, signed_at__lte=frame.period.last
    ),
    person="won_by",
    team="won_team",
)
WON_BEFORE = Source(
    name="deals.won_before",
    rows=lambda frame: Deal.objects.filter(status=DealStatus.WON, signed_at__lt=frame.period.first),
    person="won_by",
    team="won_team",
)


def _signed_again(frame: Frame) -> Count:
    """Customers (of the earlier deals) with a deal signed in the period."""
    again = Deal.objects.filter(
        status=DealStatus.WON, signed_at__gte=frame.period.first, signed_at__lte=frame.period.last
    ).values("customer_id")
    return Count("customer", distinct=True, filter=Q(customer__in=again))


SALES = Measure(WON, Sum("amount"))
DEALS = Measure(WON, Count("*"))
SIGNED_CUSTOMERS = Measure(WON, Count("customer", distinct=True))
EARLIER_CUSTOMERS = Measure(WON_BEFORE, Count("customer", distinct=True))
REPURCHASED_CUSTOMERS = Measure(WON_BEFORE, _signed_again)

WON_ATTRIBUTION = _("The deal's owner when it was won, and that person's team then.")

SALES_AMOUNT = register(Metric(
    name="sales_amount", unit=Unit.AMOUNT, label=_("Sales amount"),
    definition=_("Sum of the deals signed in the period."),
    attribution=WON_ATTRIBUTION, measures=(SALES,),
))
DEAL_COUNT = register(Metric(
    name="deals", unit=Unit.COUNT, label=_("Deals"),
    definition=_("Deals signed in the period."),
    attribution=WON_ATTRIBUTION, measures=(DEALS,),
))
CONVERSION_RATE = register(Metric(
    name="conversion_rate", unit=Unit.RATE, label=_("Conversion rate"),
    definition=_("Customers who signed in the period / customers followed up in the period."),
    attribution=_("Signing customers: the deal's owner when it was won; followed-up customers: the author of "
                  "the follow-up."),
    measures=(SIGNED_CUSTOMERS, CUSTOMERS_FOLLOWED_UP), combine=share,
))
REPURCHASE_RATE = register(Metric(
    name="repurchase_rate", unit=Unit.RATE, label=_("Repurchase rate"),
    definition=_("Customers whose first deal was before the period and who signed again in it / customers "
                 "whose first deal was before the period."),
    attribution=_("Whoever won the customer's earlier deals, and their team then."),
    measures=(REPURCHASED_CUSTOMERS, EARLIER_CUSTOMERS), combine=share,
))
