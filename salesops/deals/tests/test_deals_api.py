"""/api/deals/ and /api/contracts/ (API.md): shapes, filters, bad input in the error shape, 404 outside the
scope, 409 for a second win, a duplicate contract number, a stale version and a move of a closed deal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from salesops.deals.models import Contract, Deal, DealStatus, LossReason
from salesops.deals.tests.conftest import PDF
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db
SIGNED = "2026-09-30"


def test_create_list_and_filter(actors, api_as, customer_of, deal_of):
    customer = customer_of(actors.rep_a1, name="星河精密机械有限公司")
    answer = api_as(actors.rep_a1).post("/api/deals/", {
        "customer": customer.pk, "title": "二期产线", "stage": "proposal",
        "lines": [{"product": "机床", "quantity": "2", "unit_price": "400000.00"}]}, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["amount"], body["probability"], body["owner"], body["status"]) == ("800000.00", 50,
                                                                                   actors.rep_a1.pk, "open")
    assert body["lines"] == [{"product": "机床", "quantity": "2.00", "unit_price": "400000.00"}]
    deal_of(actors.rep_a2, title="别人的")
    deal_of(actors.rep_b1, title="乙组的")
    mine = api_as(actors.rep_a1).get("/api/deals/").json()
    assert [row["title"] for row in mine["results"]] == ["二期产线"]
    team = api_as(actors.lead_a).get("/api/deals/", {"stage": "contact"}).json()
    assert sorted(row["title"] for row in team["results"]) == ["别人的"]
    assert api_as(actors.lead_a).get("/api/deals/", {"q": "星河"}).json()["count"] == 1
    assert api_as(actors.director).get("/api/deals/", {"team": actors.team_b.pk}).json()["count"] == 1
    assert api_as(actors.lead_a).get("/api/deals/", {"stage": "won"}).status_code == 400


def test_a_customer_outside_the_scope_is_a_404(actors, api_as, customer_of):
    answer = api_as(actors.rep_a1).post("/api/deals/", {"customer": customer_of(actors.rep_b1).pk, "title": "x",
                                                        "amount": "1.00"}, format="json")
    assert answer.status_code == 404
    assert not Deal.objects.exists()


@pytest.mark.parametrize("amount", ["-1.00", "abc", "0.001", 1e400, "1e400", -5])
def test_bad_amounts_are_400_in_the_users_language(actors, api_as, customer_of, amount):
    customer = customer_of(actors.rep_a1)
    raw = json.dumps({"customer": customer.pk, "title": "x", "amount": 0}).replace('"amount": 0', f'"amount": '
                                                                                    f'{json.dumps(amount)}')
    if amount == 1e400:
        raw = raw.replace("Infinity", "1e400")
    answer = api_as(actors.rep_a1).post("/api/deals/", raw, content_type="application/json",
                                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid" and "amount" in answer.json()["error"]["fields"]
    assert not Deal.objects.exists()


def test_win_answers_the_deal_with_its_contract_and_tasks_and_a_second_win_is_409(actors, api_as, deal_of):
    deal = deal_of(actors.rep_a1)
    answer = api_as(actors.rep_a1).post(f"/api/deals/{deal.pk}/win/", {"signed_at": SIGNED, "amount": "90000.00"},
                                        format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "won" and body["contract"]["number"] == "HT-2026-00001"
    assert body["contract"]["amount"] == "90000.00"
    assert sorted(task["kind"] for task in body["tasks"]) == [
        "contract_archive", "handover", "repurchase_survey", "satisfaction_call"]
    again = api_as(actors.lead_a).post(f"/api/deals/{deal.pk}/win/", {"signed_at": SIGNED, "amount": "1.00"},
                                       format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "deal_won"


def test_a_duplicate_contract_number_is_409(actors, api_as, deal_of):
    first, second = deal_of(actors.rep_a1), deal_of(actors.rep_a1)
    client = api_as(actors.rep_a1)
    data = {"signed_at": SIGNED, "amount": "1.00", "contract_number": "HT-定制-01"}
    assert client.post(f"/api/deals/{first.pk}/win/", data, format="json").status_code == 200
    answer = client.post(f"/api/deals/{second.pk}/win/", data, format="json")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "duplicate_contract"
    assert Deal.objects.get(pk=second.pk).status == DealStatus.OPEN


def test_lose_then_a_stage_move_is_409_and_only_the_lead_reopens(actors, api_as, deal_of):
    deal = deal_of(actors.rep_a1)
    reason = LossReason.objects.get(name="价格过高")
    client = api_as(actors.rep_a1)
    assert client.post(f"/api/deals/{deal.pk}/lose/", {"reason": 99999}, format="json").status_code == 400
    lost = client.post(f"/api/deals/{deal.pk}/lose/", {"reason": reason.pk, "note": "预算砍掉"}, format="json")
    assert lost.status_code == 200 and lost.json()["status"] == "lost"
    moved = client.post(f"/api/deals/{deal.pk}/stage/", {"stage": "needs"}, format="json")
    assert moved.status_code == 409 and moved.json()["error"]["code"] == "deal_lost"
    assert client.post(f"/api/deals/{deal.pk}/reopen/", {"reason": "再谈"}, format="json").status_code == 403
    assert api_as(actors.lead_b).post(f"/api/deals/{deal.pk}/reopen/", {"reason": "再谈"},
                                      format="json").status_code == 404
    reopened = api_as(actors.lead_a).post(f"/api/deals/{deal.pk}/reopen/", {"reason": "客户追加预算"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    history = api_as(actors.rep_a1).get(f"/api/deals/{deal.pk}/history/").json()["results"]
    assert any(change["field"] == "status" and change["reason"] == "客户追加预算" for change in history)


def test_an_edit_needs_the_version_and_a_stale_one_is_409(actors, api_as, deal_of):
    deal = deal_of(actors.rep_a1)
    client = api_as(actors.rep_a1)
    assert client.patch(f"/api/deals/{deal.pk}/", {"title": "新"}, format="json").status_code == 400
    assert client.patch(f"/api/deals/{deal.pk}/", {"title": "新", "version": deal.version},
                        format="json").status_code == 200
    stale = client.patch(f"/api/deals/{deal.pk}/", {"title": "再新", "version": deal.version}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    refused = client.patch(f"/api/deals/{deal.pk}/", {"status": "won", "version": deal.version + 1}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()["error"]["fields"]


def test_stage_probabilities_are_read_by_all_and_changed_by_admins(actors, api_as):
    assert api_as(actors.rep_a1).get("/api/stage-probabilities/").json()[0] == {"stage": "contact",
                                                                                "probability": 10}
    assert api_as(actors.lead_a).patch("/api/stage-probabilities/needs/", {"probability": 40},
                                       format="json").status_code == 403
    assert api_as(actors.admin).patch("/api/stage-probabilities/needs/", {"probability": 101},
                                      format="json").status_code == 400
    changed = api_as(actors.admin).patch("/api/stage-probabilities/needs/", {"probability": 40}, format="json")
    assert changed.status_code == 200 and changed.json() == {"stage": "needs", "probability": 40}


@pytest.fixture
def contract(actors, deal_of, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from salesops.deals.winning import deal_win

    deal = deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=dt.date(2026, 9, 30), amount="8.00")
    return Contract.objects.get(deal=deal)


def test_contracts_are_scoped_and_filtered(actors, api_as, contract):
    assert api_as(actors.rep_a1).get("/api/contracts/").json()["count"] == 1
    assert api_as(actors.rep_a2).get("/api/contracts/").json()["count"] == 0
    assert api_as(actors.rep_a2).get(f"/api/contracts/{contract.pk}/").status_code == 404
    assert api_as(actors.lead_a).get("/api/contracts/", {"archived": "false"}).json()["count"] == 1
    assert api_as(actors.lead_a).get("/api/contracts/", {"archived": "maybe"}).status_code == 400


def test_the_signed_scan_archives_the_contract(actors, api_as, contract):
    client = api_as(actors.rep_a1)
    scan = SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")
    answer = client.post(f"/api/contracts/{contract.pk}/file/", {"file": scan}, format="multipart")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["archived"] and answer.json()["has_scan"]
    contract.refresh_from_db()
    assert contract.scan.name.startswith("contracts/") and contract.scan.name.endswith(".pdf")


def test_a_scan_of_the_wrong_kind_is_415_and_too_large_413(actors, api_as, contract):
    client = api_as(actors.rep_a1)
    page = SimpleUploadedFile("合同.pdf", b"<html><script>x</script></html>", content_type="application/pdf")
    assert client.post(f"/api/contracts/{contract.pk}/file/", {"file": page}, format="multipart").status_code == 415
    settings = rule_settings()
    settings.proof_max_mb = 1
    settings.save()
    big = SimpleUploadedFile("大.pdf", PDF + b"\x00" * (1024 * 1024), content_type="application/pdf")
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10 * 1024 * 1024):
        assert client.post(f"/api/contracts/{contract.pk}/file/", {"file": big}, format="multipart").status_code == 413
    contract.refresh_from_db()
    assert not contract.archived and not contract.scan
    other = SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")
    assert api_as(actors.rep_b1).post(f"/api/contracts/{contract.pk}/file/", {"file": other},
                                      format="multipart").status_code == 404
