"""The figures of customers won for the books (R8, R21), registered with the engine.

- New customers 新客户数量 (``new_customers``): the customers created in the period.
- New intent customers 新增意向客户 (``new_intent_customers``): the customers that reached intent in the
  period (R8: first graded A or B, ``Customer.intent_at``; a later regrade sets no new date).

Attribution (R21): a new customer counts for its owner when it was created and that owner's team then
(``created_owner``/``created_team``); a new intent customer for its owner when it reached intent and the
team then (``intent_owner``/``intent_team``), recorded where each event happens, so a later transfer,
release to the pool or move of the owner moves no past figure. A customer entered straight into the pool
counts for the organisation only. Merged-away and deleted customers (inactive) do not count: the survivor
of a merge carries the earlier intent of the two (``customers.services.customer_merge``). Each customer is
one row, so every level counts each customer once.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from salesops.customers.models import Customer
from salesops.performance.metrics import Measure, Metric, Source, Unit, register

CREATED = Source(
    name="customers.created",
    rows=lambda frame: Customer.objects.filter(is_active=True, created_at__gte=frame.start, created_at__lt=frame.end),
    person="created_owner",
    team="created_team",
)
REACHED_INTENT = Source(
    name="customers.reached_intent",
    rows=lambda frame: Customer.objects.filter(is_active=True, intent_at__gte=frame.start, intent_at__lt=frame.end),
    person="intent_owner",
    team="intent_team",
)

NEW_CUSTOMERS = register(Metric(
    name="new_customers", unit=Unit.COUNT, label=_("New customers"),
    definition=_("Customers created in the period."),
    attribution=_("The customer's owner when it was created, and that owner's team then."),
    measures=(Measure(CREATED, Count("*")),),
))
NEW_INTENT_CUSTOMERS = register(Metric(
    name="new_intent_customers", unit=Unit.COUNT, label=_("New intent customers"),
    definition=_("Customers first graded A or B (intent, R8) in the period."),
    attribution=_("The customer's owner when it reached intent, and that owner's team then."),
    measures=(Measure(REACHED_INTENT, Count("*")),),
))
