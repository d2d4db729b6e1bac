"""The figures of collections 回款 (R21), registered with the engine.

- Collections 回款额 (``collections``): the receipts of the period, summed; a receipt counts for the
  contract's owner and the owner's team when it was recorded (``Payment.owner``/``owner_team``), so a
  later transfer moves no past figure. Voided receipts do not count.
- Collection rate 回款率 (``collection_rate``): for the instalments that fall due in the period, what has
  been received on them / what was due on them; counted for the instalment's owner and team
  (``Instalment.owner``/``owner_team``). No instalment due → no figure (None), never 0 % or 100 %.
- Its parts, which the collection ledger shows beside it: ``amount_due``, ``due_received``,
  ``outstanding`` (due less received) and ``overdue_amount`` (the outstanding part of instalments whose
  due date has passed on the day the figure is read).

Team and organisation figures are computed over their own rows (a team's instalments, all of them), not
summed from people. Only active instalments and receipts count (a replaced plan's rows do not).
"""

from __future__ import annotations

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesops.deals.models import Instalment, Payment
from salesops.performance.metrics import Frame, Measure, Metric, Source, Unit, register, share

RECEIPTS = Source(
    name="deals.receipts",
    rows=lambda frame: Payment.objects.filter(
        is_active=True, received_at__gte=frame.period.first, received_at__lte=frame.period.last
    ),
    person="owner",
    team="owner_team",
)
DUE = Source(
    name="deals.instalments_due",
    rows=lambda frame: Instalment.objects.filter(
        is_active=True, due_date__gte=frame.period.first, due_date__lte=frame.period.last
    ),
    person="owner",
    team="owner_team",
)


def _overdue(frame: Frame) -> Sum:
    return Sum(F("amount") - F("received"), filter=Q(due_date__lt=frame.today))


RECEIVED_IN_PERIOD = Measure(RECEIPTS, Sum("amount"))
DUE_AMOUNT = Measure(DUE, Sum("amount"))
DUE_RECEIVED = Measure(DUE, Sum("received"))
OUTSTANDING = Measure(DUE, Sum(F("amount") - F("received")))
OVERDUE = Measure(DUE, _overdue)

RECEIPT_ATTRIBUTION = _("The contract's owner when the money was received, and that person's team then.")
DUE_ATTRIBUTION = _("The owner of the instalment's contract when the plan was made, and that person's team then.")

COLLECTIONS = register(Metric(
    name="collections", unit=Unit.AMOUNT, label=_("Collections"),
    definition=_("Money received in the period (receipts against instalments)."),
    attribution=RECEIPT_ATTRIBUTION, measures=(RECEIVED_IN_PERIOD,),
))
COLLECTION_RATE = register(Metric(
    name="collection_rate", unit=Unit.RATE, label=_("Collection rate"),
    definition=_("Received / due, for the instalments due in the period (R21)."),
    attribution=DUE_ATTRIBUTION, measures=(DUE_RECEIVED, DUE_AMOUNT), combine=share,
))
AMOUNT_DUE = register(Metric(
    name="amount_due", unit=Unit.AMOUNT, label=pgettext_lazy("collections", "Due"),
    definition=_("The amounts of the instalments due in the period."),
    attribution=DUE_ATTRIBUTION, measures=(DUE_AMOUNT,),
))
DUE_RECEIVED_METRIC = register(Metric(
    name="due_received", unit=Unit.AMOUNT, label=_("Received of it"),
    definition=_("What has been received on the instalments due in the period."),
    attribution=DUE_ATTRIBUTION, measures=(DUE_RECEIVED,),
))
OUTSTANDING_AMOUNT = register(Metric(
    name="outstanding", unit=Unit.AMOUNT, label=_("Outstanding"),
    definition=_("What is still to be received on the instalments due in the period."),
    attribution=DUE_ATTRIBUTION, measures=(OUTSTANDING,),
))
OVERDUE_AMOUNT = register(Metric(
    name="overdue_amount", unit=Unit.AMOUNT, label=_("Overdue"),
    definition=_("The outstanding part of the instalments due in the period whose due date has passed."),
    attribution=DUE_ATTRIBUTION, measures=(OVERDUE,), snapshot=True,
))
