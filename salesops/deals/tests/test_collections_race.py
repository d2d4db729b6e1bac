"""Two receipts at the same moment cannot pass what is due together (R13): the instalment row is locked
while its ``received`` is read, so the second receipt is checked against the first. Threads on their own
connections, released together by a barrier (PostgreSQL, or the SQLite file of the test settings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from salesops.deals.collections import services
from salesops.deals.models import Instalment, Payment
from salesops.testing.money_factories import make_contract, make_plan
from salesops.testing.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("concurrent_db")]


def test_two_receipts_at_once_cannot_overpay_an_instalment(actors):
    contract = make_contract(actors.rep_a1, amount="10000.00")
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "10000.00")])[0]

    def receive(by):
        return lambda: services.payment_record(by=by, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 2),
                                               amount="6000.00")

    outcomes = race(receive(actors.rep_a1), receive(actors.lead_a))
    assert sorted(outcomes) == ["invalid", "ok"]
    instalment.refresh_from_db()
    assert instalment.received == Decimal("6000.00")
    assert Payment.objects.filter(instalment=instalment, is_active=True).count() == 1


def test_a_plan_change_and_a_receipt_at_once_leave_the_receipt_on_an_active_instalment(actors):
    contract = make_contract(actors.rep_a1, amount="10000.00")
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "10000.00")])[0]
    outcomes = race(
        lambda: services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk,
                                        received_at=dt.date(2026, 4, 2), amount="1000.00"),
        lambda: services.instalments_replace(by=actors.lead_a, contract_id=contract.pk,
                                             plan=[(dt.date(2026, 5, 1), Decimal("10000.00"))]),
    )
    instalment.refresh_from_db()
    # Either the receipt came first and the plan (which drops the instalment) is refused, or the plan came
    # first and the receipt finds no active instalment: never a receipt on a dropped instalment.
    assert sorted(outcomes) in (["invalid", "ok"], ["not_found", "ok"])
    assert not Payment.objects.filter(instalment__is_active=False).exists()
    assert Instalment.objects.filter(contract=contract, is_active=True).count() == 1
