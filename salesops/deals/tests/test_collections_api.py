"""The collections API (API.md): the plan PUT, instalments with their status, receipts; money as decimal
strings, bad input a 400 in the error shape with nothing changed, other people's rows 404 (R1)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import translation

from salesops.core.clock import local_today
from salesops.deals.models import Instalment, Payment
from salesops.testing.money_factories import make_contract, make_payment, make_plan

pytestmark = pytest.mark.django_db

SIGNED = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def contract(actors):
    return make_contract(actors.rep_a1, amount="100000.00", signed_at=SIGNED)


def put_plan(client, contract, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.put(f"/api/contracts/{contract.pk}/instalments/", text, content_type="application/json")


def test_put_replaces_the_plan_and_answers_it_with_money_as_strings(actors, api_as, contract):
    answer = put_plan(api_as(actors.rep_a1), contract, [
        {"due_date": "2026-04-01", "amount": "30000.00"}, {"due_date": "2026-06-01", "amount": 70000}])
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["contract"], body["version"], body["amount"]) == (contract.pk, 2, "100000.00")
    assert [(row["due_date"], row["amount"], row["received"], row["status"]) for row in body["instalments"]] == [
        ("2026-04-01", "30000.00", "0.00", "overdue"), ("2026-06-01", "70000.00", "0.00", "overdue")]
    assert api_as(actors.lead_a).get(f"/api/contracts/{contract.pk}/instalments/").json() == body


def test_put_with_a_stale_version_is_a_409_and_changes_nothing(actors, api_as, contract):
    put_plan(api_as(actors.rep_a1), contract, {"version": 1, "instalments": [
        {"due_date": "2026-04-01", "amount": "100000.00"}]})
    answer = put_plan(api_as(actors.lead_a), contract, {"version": 1, "instalments": [
        {"due_date": "2026-05-01", "amount": "100000.00"}]})
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "stale"
    assert list(Instalment.objects.filter(is_active=True).values_list("due_date", flat=True)) == [dt.date(2026, 4, 1)]


@pytest.mark.parametrize("plan", [
    [{"due_date": "2026-04-01", "amount": "90000.00"}],
    [{"due_date": "2026-04-01", "amount": "-100000.00"}],
    [{"due_date": "2026-04-01", "amount": "100000.001"}],
    [{"due_date": "2026-04-01", "amount": "十万"}],
    '[{"due_date": "2026-04-01", "amount": 1e400}]',
    [{"due_date": "2026-02-30", "amount": "100000.00"}],
    [{"due_date": "2026-04-01", "amount": "100000.00", "note": "?"}],
    [],
    {"instalments": "all"},
])
def test_a_bad_plan_is_a_400_and_changes_nothing(actors, api_as, contract, plan):
    make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])
    answer = put_plan(api_as(actors.rep_a1), contract, plan)
    assert answer.status_code == 400, answer.json()
    assert answer.json()["error"]["code"] == "invalid"
    assert Instalment.objects.filter(is_active=True).count() == 1
    contract.refresh_from_db()
    assert contract.version == 1


def test_a_plan_that_does_not_sum_says_so_in_the_users_language(actors, api_as, contract):
    actors.rep_a1.language = "zh-hans"
    actors.rep_a1.save()
    with translation.override("zh-hans"):
        answer = put_plan(api_as(actors.rep_a1), contract, [{"due_date": "2026-04-01", "amount": "90000.00"}])
    assert answer.json()["error"]["fields"]["plan"] == [
        "各期合计 ¥90,000.00，合同金额为 ¥100,000.00：两者必须相等。"]


def test_other_peoples_contracts_are_not_found(actors, api_as, contract):
    for user in (actors.rep_a2, actors.lead_b, actors.rep_c1):
        assert api_as(user).get(f"/api/contracts/{contract.pk}/instalments/").status_code == 404
        answer = put_plan(api_as(user), contract, [{"due_date": "2026-04-01", "amount": "100000.00"}])
        assert answer.status_code == 404
    assert not Instalment.objects.exists()


def test_instalments_list_with_status_and_filters(actors, api_as, contract):
    today = local_today()
    due, partial, received, overdue = make_plan(make_contract(actors.rep_a1, amount="400.00", signed_at=today), [
        (today + dt.timedelta(days=5), "100.00"), (today + dt.timedelta(days=6), "100.00"),
        (today - dt.timedelta(days=1), "100.00"), (today - dt.timedelta(days=2), "100.00")])
    make_payment(partial, "40.00", today)
    make_payment(received, "100.00", today)
    make_plan(make_contract(actors.rep_b1, amount="5.00", signed_at=today), [(today, "5.00")])
    client = api_as(actors.lead_a)

    def ids(query=""):
        answer = client.get(f"/api/instalments/{query}")
        assert answer.status_code == 200, answer.json()
        return {row["id"]: row["status"] for row in answer.json()["results"]}

    assert ids() == {due.pk: "due", partial.pk: "partial", received.pk: "received", overdue.pk: "overdue"}
    assert ids("?overdue=true") == {overdue.pk: "overdue"}
    assert set(ids("?overdue=false")) == {due.pk, partial.pk, received.pk}
    assert set(ids(f"?due_after={today.isoformat()}")) == {due.pk, partial.pk}
    assert set(ids(f"?due_before={(today - dt.timedelta(days=1)).isoformat()}")) == {received.pk, overdue.pk}
    assert set(ids("?status=partial")) == {partial.pk}
    assert set(ids(f"?owner={actors.rep_a1.pk}&team={actors.team_a.pk}")) == {due.pk, partial.pk, received.pk,
                                                                              overdue.pk}
    assert ids(f"?contract={contract.pk}") == {}
    assert client.get("/api/instalments/?overdue=maybe").status_code == 400
    row = client.get(f"/api/instalments/{partial.pk}/").json()
    assert (row["amount"], row["received"], row["outstanding"]) == ("100.00", "40.00", "60.00")
    assert api_as(actors.lead_b).get(f"/api/instalments/{partial.pk}/").status_code == 404


def test_receipts_partial_then_above_what_is_due_refused_with_that_amount(actors, api_as, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    client = api_as(actors.rep_a1)
    first = client.post("/api/payments/", {"instalment": instalment.pk, "received_at": "2026-04-01",
                                           "amount": "60000.00"}, format="json")
    assert first.status_code == 201, first.json()
    assert (first.json()["amount"], first.json()["owner"], first.json()["contract"]) == (
        "60000.00", actors.rep_a1.pk, contract.pk)
    over = client.post("/api/payments/", {"instalment": instalment.pk, "received_at": "2026-04-02",
                                          "amount": "40000.01"}, format="json")
    assert over.status_code == 400
    # in the recorder's language (zh-Hans here)
    assert over.json()["error"]["fields"] == {"amount": ["这一期尚欠 ¥40,000.00，回款不能超过此金额。"]}
    instalment.refresh_from_db()
    assert instalment.received == Decimal("60000.00")
    listed = client.get(f"/api/payments/?contract={contract.pk}").json()
    assert [row["amount"] for row in listed["results"]] == ["60000.00"]


@pytest.mark.parametrize("amount", ['"-1.00"', '"0"', '"0.001"', '"abc"', "1e400", "null", "true"])
def test_bad_receipt_amounts_are_a_400(actors, api_as, contract, amount):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    body = f'{{"instalment": {instalment.pk}, "received_at": "2026-04-01", "amount": {amount}}}'
    answer = api_as(actors.rep_a1).post("/api/payments/", body, content_type="application/json")
    assert answer.status_code == 400
    assert "amount" in answer.json()["error"]["fields"]
    assert not Payment.objects.exists()


def test_a_receipt_on_someone_elses_instalment_is_not_found(actors, api_as, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    answer = api_as(actors.rep_b1).post("/api/payments/", {"instalment": instalment.pk, "received_at": "2026-04-01",
                                                           "amount": "1.00"}, format="json")
    assert answer.status_code == 404
    assert not Payment.objects.exists()


def test_delete_voids_a_receipt(actors, api_as, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    payment = make_payment(instalment, "500.00", dt.date(2026, 4, 1))
    assert api_as(actors.lead_b).delete(f"/api/payments/{payment.pk}/").status_code == 404
    assert api_as(actors.lead_a).delete(f"/api/payments/{payment.pk}/").status_code == 204
    instalment.refresh_from_db()
    assert instalment.received == Decimal("0.00")
    assert Payment.objects.get(pk=payment.pk).is_active is False
    assert api_as(actors.lead_a).get("/api/payments/").json()["results"] == []
