"""A rep drags a deal to won on the pipeline board (R13), records the signed date and final amount in the
dialog, then closes the contract archive task with the signed scan: the lead approves it and the contract
is archived. The board at 375 px and 1440 px, in Chinese and in English, is left in test-artifacts/deals/."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.customers.models import Customer
from salesops.deals import services
from salesops.deals.models import Contract, Deal, DealStatus, Stage
from salesops.tasks.models import Task, TaskKind, TaskStatus
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log_in(page: Page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url(f"{base}{then}")


def test_a_rep_drags_a_deal_to_won_and_the_signed_scan_closes_the_archive_task(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
    artifacts_dir: Path, settings: object, tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    rep, base = actors.rep_a1, live_server.url
    customer = Customer.objects.create(name="苏州恒瑞精密机械有限公司", name_key="苏州恒瑞精密机械", owner=rep)
    deal = services.deal_create(by=rep, customer=customer, title="二期产线扩建", amount="860000.00",
                                stage=Stage.NEGOTIATION)
    services.deal_create(by=rep, customer=customer, title="备品备件框架", amount="52000.00", stage=Stage.NEEDS)

    page = new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    log_in(page, base, rep.username, "/deals/board/")
    card = page.get_by_test_id(f"deal-{deal.pk}")
    expect(page.get_by_test_id("column-negotiation").get_by_test_id("total")).to_have_text("¥860,000.00")
    card.drag_to(page.get_by_test_id("drop-won"))
    dialog = page.get_by_test_id("win-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=amount]")).to_have_value("860000.00")
    dialog.locator("input[name=amount]").fill("850,000")
    dialog.get_by_test_id("confirm-win").click()
    expect(page).to_have_url(f"{base}/deals/board/")
    expect(page.get_by_test_id(f"deal-{deal.pk}")).to_have_count(0)
    won = Deal.objects.get(pk=deal.pk)
    assert (won.status, won.amount) == (DealStatus.WON, Decimal("850000.00"))
    contract = Contract.objects.get(deal=deal)
    task = Task.objects.get(deal=deal, kind=TaskKind.CONTRACT_ARCHIVE)

    page.goto(f"{base}/tasks/{task.pk}/")
    proof = tmp_path / "签约扫描件.pdf"
    proof.write_bytes(PDF)
    page.get_by_test_id("proof-form").locator("input[type=file]").set_input_files(str(proof))
    page.get_by_test_id("proof-form").locator("select").select_option("signed_scan")
    page.get_by_test_id("proof-upload").click()
    page.get_by_test_id("task-submit").click()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.SUBMITTED

    lead = new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    log_in(lead, base, actors.lead_a.username, f"/tasks/{task.pk}/")
    lead.get_by_test_id("approve").click()
    expect(lead.get_by_test_id("task-state")).to_have_text("已完成")
    contract.refresh_from_db()
    assert contract.archived and contract.scan
    lead.goto(f"{base}/contracts/{contract.pk}/")
    expect(lead.get_by_test_id("archived")).to_contain_text("是")
    browser_log.assert_clean()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1440])
def test_the_board_fits_the_screen_in_both_languages(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
    artifacts_dir: Path, language: str, width: int,
) -> None:
    lead = actors.lead_a
    lead.language = language
    lead.save()
    for index, (owner, stage) in enumerate([(actors.rep_a1, Stage.CONTACT), (actors.rep_a2, Stage.NEEDS),
                                            (actors.rep_a1, Stage.PROPOSAL), (actors.rep_a2, Stage.NEGOTIATION)]):
        customer = Customer.objects.create(name=f"杭州远帆纺织{index}有限公司", name_key=f"远帆{index}", owner=owner)
        services.deal_create(by=owner, customer=customer, title=f"年度设备采购{index}", amount="128000.00",
                             stage=stage)
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, live_server.url, lead.username, "/deals/board/")
    expect(page.get_by_test_id("board-sum")).to_contain_text("¥512,000.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = artifacts_dir / "deals"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"board-{language}-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/deals/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(shots / f"list-{language}-{width}.png"), full_page=True)
    browser_log.assert_clean()
