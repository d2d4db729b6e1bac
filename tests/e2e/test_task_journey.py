"""Closing a task with proof (R20): a rep on a phone (375×812) takes a visit photo for the task and
hands it in; the lead, at a desk, sees the photo in the approval queue and approves it: the task is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.tasks import services
from salesops.tasks.demo_data import sample_png
from salesops.tasks.models import Task, TaskProof, TaskStatus
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

PHONE = {"locale": "zh-CN", "viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESK = {"locale": "zh-CN", "viewport": {"width": 1440, "height": 900}}


def log_in(page: Page, live_server: LiveServer, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_rep_hands_in_a_visit_photo_and_the_lead_approves_it_from_the_queue(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
    settings: object, tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    task = services.task_create(by=actors.lead_a, assignee=actors.rep_a1, title="拜访苏州恒通并确认二期需求",
                                standard="拍摄拜访照片", deadline=timezone.localdate() + dt.timedelta(days=1))
    photo = tmp_path / "门头.png"
    photo.write_bytes(sample_png())

    phone = new_page(**PHONE)
    log_in(phone, live_server, actors.rep_a1.username, "/tasks/")
    phone.get_by_test_id(f"task-{task.pk}").get_by_role("link", name=task.title).click()
    expect(phone).to_have_url(f"{live_server.url}/tasks/{task.pk}/")
    expect(phone.get_by_test_id("task-submit")).to_be_disabled()
    file_input = phone.locator("#id_file")
    assert file_input.get_attribute("capture") == "environment"
    file_input.set_input_files(str(photo))
    phone.get_by_test_id("proof-upload").click()
    expect(phone.locator(".messages")).to_contain_text("凭证已上传")
    expect(phone.get_by_test_id("proofs").locator("img")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_test_id("task-submit").click()
    expect(phone.locator(".messages")).to_contain_text("已提交审批")
    expect(phone.get_by_test_id("task-state")).to_have_text("待审核")
    proof = TaskProof.objects.get(task=task)
    assert proof.file.name.endswith(".png") and "门头" not in proof.file.name

    desk = new_page(**DESK)
    log_in(desk, live_server, actors.lead_a.username, "/tasks/approvals/")
    item = desk.get_by_test_id(f"task-{task.pk}")
    image = item.locator(f"img[src='/tasks/proofs/{proof.pk}/']")
    expect(image).to_be_visible()
    loaded = desk.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert loaded.json_value() is True
    assert desk.evaluate("(img) => img.naturalWidth", image.element_handle()) == 96  # the photo itself
    item.get_by_test_id(f"approve-{task.pk}").click()
    expect(desk.locator(".messages")).to_contain_text("已通过")
    expect(desk.get_by_test_id("queue-empty")).to_be_visible()
    done = Task.objects.get(pk=task.pk)
    assert (done.status, done.decided_by) == (TaskStatus.DONE, actors.lead_a)
    browser_log.assert_clean()
