"""A contract's collections page: the plan and receipts, with forms that go through the services (R13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from salesops.accounts.models import User
from salesops.deals.models import Instalment, Payment
from salesops.testing.money_factories import make_contract, make_payment, make_plan

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def english(actors):
    User.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture
def contract(actors):
    return make_contract(actors.rep_a1, amount="100000.00", signed_at=dt.date(2026, 3, 2))


def page(contract):
    return f"/contracts/{contract.pk}/collections/"


def test_the_page_shows_the_plan_and_the_receipts(client, actors, contract):
    first, later = make_plan(contract, [(dt.date(2026, 4, 1), "40000.00"), (dt.date(2030, 1, 1), "60000.00")])
    make_payment(first, "15000.00", dt.date(2026, 4, 2))
    client.force_login(actors.lead_a)
    text = client.get(page(contract)).content.decode()
    assert "¥100,000.00" in text and "¥15,000.00" in text
    assert f'data-testid="instalment-{first.pk}"' in text and f'data-testid="instalment-{later.pk}"' in text
    assert 'data-testid="receipt-form"' in text and 'data-testid="plan-form"' in text


def test_a_receipt_from_the_form_then_one_above_what_is_due(client, actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    client.force_login(actors.rep_a1)
    sent = {"action": "receipt", "instalment": instalment.pk, "received_at": "2026-04-02", "amount": "¥60,000"}
    assert client.post(page(contract), sent).status_code == 302
    over = client.post(page(contract), {**sent, "amount": "40000.01"})
    assert over.status_code == 400
    assert "At most ¥40,000.00 is still due on this instalment." in over.content.decode()
    instalment.refresh_from_db()
    assert instalment.received == D("60000.00")


def test_the_plan_form_replaces_the_plan_and_refuses_one_that_does_not_sum(client, actors, contract):
    kept = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    make_payment(kept, "1000.00", dt.date(2026, 4, 1))
    client.force_login(actors.rep_a1)
    rows = {
        "action": "plan", "version": "1", "plan-TOTAL_FORMS": "3", "plan-INITIAL_FORMS": "0",
        "plan-0-instalment": str(kept.pk), "plan-0-due_date": "2026-04-01", "plan-0-amount": "30000",
        "plan-1-due_date": "2026-07-01", "plan-1-amount": "60000.00",
        "plan-2-due_date": "", "plan-2-amount": "",
    }
    refused = client.post(page(contract), rows)
    assert refused.status_code == 400
    assert "must be equal" in refused.content.decode()
    assert client.post(page(contract), {**rows, "plan-1-amount": "70000.00"}).status_code == 302
    plan = Instalment.objects.filter(contract=contract, is_active=True).order_by("position")
    assert [(row.pk == kept.pk, row.amount) for row in plan] == [(True, D("30000.00")), (False, D("70000.00"))]
    stale = client.post(page(contract), {**rows, "plan-1-amount": "70000.00"})
    assert stale.status_code == 400
    assert "Someone else changed this" in stale.content.decode()


def test_void_from_the_page(client, actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    payment = make_payment(instalment, "500.00", dt.date(2026, 4, 1))
    client.force_login(actors.lead_a)
    assert client.post(page(contract), {"action": "void", "payment": payment.pk}).status_code == 302
    assert Payment.objects.get(pk=payment.pk).is_active is False


@pytest.mark.parametrize("name", ["rep_a2", "lead_b", "rep_c1"])
def test_other_peoples_contracts_are_not_found(client, actors, contract, name):
    make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])
    client.force_login(getattr(actors, name))
    assert client.get(page(contract)).status_code == 404
    assert client.post(page(contract), {"action": "void", "payment": "1"}).status_code == 404


def test_the_contract_page_shows_its_plan_and_links_the_receipts(client, actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    make_payment(instalment, "30000.00", dt.date(2026, 4, 1))
    client.force_login(actors.rep_a1)
    text = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="plan-block"' in text and "¥30,000.00" in text and "Overdue" in text
    assert f'href="/contracts/{contract.pk}/collections/"' in text
