"""Summary pages: today's form on a phone pre-filled from the day's records, not-done rows with reasons,
a link to raise a problem, the lead's team page with who is missing, print and xlsx; fixed query counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.customers.models import Customer
from salesops.daily.summaries import services
from salesops.daily.summaries.models import DailySummary
from salesops.daily.summaries.tests.conftest import Clock, local
from salesops.followups.services import followup_create
from salesops.testing.actors import Actors

TODAY = dt.date(2026, 3, 4)


def queries_of(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_form_is_prefilled_and_submits_with_a_reason(actors: Actors, client: Client, clock: Clock,
                                                         customer: Customer) -> None:
    record = followup_create(by=actors.rep_a1, customer=customer, contacted_at=local(2026, 3, 4, 10),
                             channel="visit", key_points="确认预算")
    client.force_login(actors.rep_a1)
    page = client.get(reverse("summary-mine")).content.decode()
    assert f'value="visit:{record.pk}" checked' in page and "确认预算" in page
    assert f"{reverse('problem-create')}?source=summary" in page
    more = client.post(reverse("summary-mine"), {"done_item": f"visit:{record.pk}", "not_done_item": "回访华新",
                                                 "not_done_reason": "", "add_row": "1"})
    # the row typed, the blank one, and the one asked for
    assert more.status_code == 200 and more.content.decode().count('name="not_done_item"') == 3
    refused = client.post(reverse("summary-mine"), {"not_done_item": "回访华新", "not_done_reason": ""})
    assert refused.status_code == 400 and "回访华新" in refused.content.decode()
    assert not DailySummary.objects.exists()
    answer = client.post(reverse("summary-mine"), {
        "done_item": f"visit:{record.pk}", "done": "整理报价单", "not_done_item": ["回访华新", ""],
        "not_done_reason": ["客户临时爽约", ""], "tomorrow": "上午拜访华新"})
    summary = DailySummary.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("summary-detail", args=[summary.pk])
    assert summary.not_done == [{"item": "回访华新", "reason": "客户临时爽约"}]
    assert summary.done_items == [{"kind": "visit", "ref": record.pk, "text": f"拜访了{customer.name}: 确认预算"}]
    again = client.get(reverse("summary-mine"))
    assert again.status_code == 302 and again["Location"] == reverse("summary-detail", args=[summary.pk])


@pytest.mark.django_db
def test_the_writer_corrects_and_a_stale_form_changes_nothing(actors: Actors, client: Client, clock: Clock) -> None:
    summary = services.summary_submit(by=actors.rep_a1, day=TODAY, done="拜访", tomorrow="回访")
    client.force_login(actors.rep_a1)
    edit = reverse("summary-edit", args=[summary.pk])
    assert client.post(edit, {"done": "拜访两家", "tomorrow": "回访", "version": "1"}).status_code == 302
    assert client.post(edit, {"done": "旧表单", "version": "1"}).status_code == 302
    assert DailySummary.objects.get().done == "拜访两家"
    client.force_login(actors.lead_a)
    assert client.get(edit).status_code == 404
    assert client.get(reverse("summary-detail", args=[summary.pk])).status_code == 200


@pytest.mark.django_db
def test_the_lead_sees_who_is_missing_and_gets_the_sheet(actors: Actors, client: Client, clock: Clock) -> None:
    services.summary_submit(by=actors.rep_a1, day=TODAY, done="拜访恒通",
                            not_done=[{"item": "=HYPERLINK(1)", "reason": "客户出差"}])
    client.force_login(actors.lead_a)
    page = client.get(reverse("summary-team") + "?date=2026-03-04").content.decode()
    missing = page.split('data-testid="missing"')[1].split("</strong>")[0]
    assert "李娜" in missing and "张伟" not in missing and "客户出差" in page
    sheet = client.get(reverse("summary-team-sheet") + "?date=2026-03-04")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))  # type: ignore[attr-defined]
    cells = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell]  # type: ignore[union-attr]
    assert "李娜" in cells and "客户出差" in cells and "=HYPERLINK(1)" not in cells
    assert client.get(reverse("summary-team") + f"?team={actors.team_b.pk}").status_code == 404
    client.force_login(actors.rep_a1)
    assert client.get(reverse("summary-team")).status_code == 403


@pytest.mark.django_db
def test_the_pages_read_a_fixed_number_of_queries(actors: Actors, client: Client, clock: Clock,
                                                  customer: Customer, settings: Any) -> None:
    client.force_login(actors.rep_a1)
    followup_create(by=actors.rep_a1, customer=customer, contacted_at=local(2026, 3, 4, 9), channel="visit",
                    key_points="一")
    client.force_login(actors.lead_a)
    team_page = reverse("summary-team") + "?date=2026-03-04"
    few = queries_of(client, team_page)
    client.force_login(actors.rep_a1)
    form_few = queries_of(client, reverse("summary-mine"))
    for hour in (10, 11, 12, 13):
        followup_create(by=actors.rep_a1, customer=customer, contacted_at=local(2026, 3, 4, hour), channel="phone",
                        key_points=f"{hour}")
    assert queries_of(client, reverse("summary-mine")) == form_few <= 12
    services.summary_submit(by=actors.rep_a1, day=TODAY, done="一")
    services.summary_submit(by=actors.rep_a2, day=TODAY, done="二")
    client.force_login(actors.lead_a)
    assert queries_of(client, team_page) == few <= 12
