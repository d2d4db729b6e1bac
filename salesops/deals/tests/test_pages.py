"""Deal pages: the board's columns (count, total, weighted total equal to their cards), moving a card with
htmx or by the keyboard form, winning and losing through the dialogs' forms, the list's totals, the deal
form from the customer page, the contract page with its scan (served only in scope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from salesops.deals.models import Contract, Deal, DealStatus, LossReason, Stage
from salesops.deals.tests.conftest import PDF
from salesops.deals.winning import deal_win

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_board_columns_add_up(actors, deal_of):
    deal_of(actors.rep_a1, amount="100000.00", stage=Stage.PROPOSAL)  # 50 %: 50,000.00
    deal_of(actors.rep_a1, amount="33.33", stage=Stage.PROPOSAL)  # 50 %: 16.665
    deal_of(actors.rep_a2, amount="2000.00", stage=Stage.NEEDS)  # 30 %: 600.00
    deal_of(actors.rep_b1, amount="999.00")
    page = browser(actors.lead_a).get("/deals/board/")
    assert page.status_code == 200
    proposal = page.context["board"].columns[2]
    assert (proposal.count, proposal.total, proposal.weighted) == (2, Decimal("100033.33"), Decimal("50016.67"))
    assert page.context["board"].total == Decimal("102033.33")
    assert page.context["board"].count == 3  # team A only: rep_b1's deal is not on it
    text = page.content.decode()
    assert "¥100,033.33" in text and "¥50,016.67" in text
    mine = browser(actors.rep_a1).get("/deals/board/").context["board"]
    assert mine.count == 2


def test_a_drop_posts_the_stage_and_swaps_the_board(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    answer = browser(actors.rep_a1).post(f"/deals/{deal.pk}/stage/", {"stage": "negotiation", "version": deal.version},
                                         HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert answer.templates[0].name == "deals/_board.html"
    assert Deal.objects.get(pk=deal.pk).stage == Stage.NEGOTIATION
    stale = browser(actors.rep_a1).post(f"/deals/{deal.pk}/stage/", {"stage": "needs", "version": deal.version},
                                        HTTP_HX_REQUEST="true")
    assert 'class="msg-error"' in stale.content.decode()  # the stale move is refused on the board
    assert Deal.objects.get(pk=deal.pk).stage == Stage.NEGOTIATION


def test_the_keyboard_form_moves_a_card_and_goes_back_to_the_board(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    answer = browser(actors.rep_a1).post(f"/deals/{deal.pk}/stage/", {"stage": "needs", "next": "/deals/board/"})
    assert (answer.status_code, answer["Location"]) == (302, "/deals/board/")
    assert Deal.objects.get(pk=deal.pk).probability == 30
    elsewhere = browser(actors.rep_a1).post(f"/deals/{deal.pk}/stage/", {"stage": "needs", "next": "https://x.example/"})
    assert elsewhere["Location"] == f"/deals/{deal.pk}/"


def test_win_and_lose_through_the_dialogs(actors, deal_of):
    won, lost = deal_of(actors.rep_a1), deal_of(actors.rep_a1)
    client = browser(actors.rep_a1)
    client.post(f"/deals/{won.pk}/win/", {"signed_at": "2026-09-30", "amount": "¥12,000.50"})
    assert Deal.objects.get(pk=won.pk).amount == Decimal("12000.50")
    assert Contract.objects.get(deal=won).number == "HT-2026-00001"
    refused = client.post(f"/deals/{lost.pk}/win/", {"signed_at": "2026-09-30", "amount": "0.001"}, follow=True)
    assert Deal.objects.get(pk=lost.pk).status == DealStatus.OPEN
    assert refused.status_code == 200
    client.post(f"/deals/{lost.pk}/lose/", {"reason": LossReason.objects.get(name="价格过高").pk, "note": "贵"})
    assert Deal.objects.get(pk=lost.pk).status == DealStatus.LOST


def test_pages_outside_the_scope_are_404(actors, deal_of):
    deal = deal_of(actors.rep_b1)
    client = browser(actors.rep_a1)
    for path in (f"/deals/{deal.pk}/", f"/deals/{deal.pk}/edit/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/deals/{deal.pk}/stage/", {"stage": "needs"}).status_code == 404
    assert Deal.objects.get(pk=deal.pk).stage == Stage.CONTACT


def test_a_new_deal_from_the_customer_page(actors, customer_of):
    customer = customer_of(actors.rep_a1)
    client = browser(actors.rep_a1)
    assert f"/deals/new/?customer={customer.pk}" in client.get(f"/customers/{customer.pk}/").content.decode()
    answer = client.post(f"/deals/new/?customer={customer.pk}", {
        "title": "新产线", "stage": "needs", "product_0": "机床", "quantity_0": "3", "unit_price_0": "1,000.10"})
    deal = Deal.objects.get(customer=customer)
    assert answer["Location"] == f"/deals/{deal.pk}/"
    assert (deal.amount, deal.probability) == (Decimal("3000.30"), 30)
    bad = client.post(f"/deals/new/?customer={customer.pk}", {"title": "x", "stage": "needs", "amount": "-1"})
    assert bad.status_code == 200 and Deal.objects.filter(customer=customer).count() == 1
    assert client.get(f"/deals/new/?customer={customer_of(actors.rep_b1).pk}").status_code == 404


def test_the_list_total_is_the_sum_of_its_rows(actors, deal_of):
    deal_of(actors.rep_a1, amount="0.10")
    deal_of(actors.rep_a1, amount="0.20")
    page = browser(actors.rep_a1).get("/deals/")
    assert page.context["page_total"] == Decimal("0.30")
    html = page.content.decode()
    # above the table too, where a phone shows it without scrolling the table sideways
    assert html.index('data-testid="page-total-top"') < html.index('data-testid="deal-list"')
    assert html.count("¥0.30") == 2


def test_the_contract_page_takes_the_scan_and_serves_it_in_scope_only(actors, deal_of, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    deal = deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=dt.date(2026, 9, 30), amount="1.00")
    contract = Contract.objects.get(deal=deal)
    client = browser(actors.rep_a1)
    bad = client.post(f"/contracts/{contract.pk}/", {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")})
    assert bad.status_code == 400 and not Contract.objects.get(pk=contract.pk).archived
    client.post(f"/contracts/{contract.pk}/", {"file": SimpleUploadedFile("合同.pdf", PDF)})
    assert Contract.objects.get(pk=contract.pk).archived
    scan = client.get(f"/contracts/{contract.pk}/scan/")
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    assert browser(actors.rep_a2).get(f"/contracts/{contract.pk}/scan/").status_code == 404
    assert browser(actors.lead_a).get(f"/contracts/{contract.pk}/scan/").status_code == 200
