"""R11, R26: the follow-up sheet 客户跟进记录表, imported all or nothing and exported within the scope (R1)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from python_calamine import CalamineWorkbook

from salesops.core.clock import local_today
from salesops.customers import services
from salesops.followups.excel import FOLLOWUP_HEADER, followups_import
from salesops.followups.models import FollowUp
from salesops.followups.services import followup_create


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English wording of messages (the zh-Hans catalogue is checked elsewhere)."""
    settings.LANGUAGE_CODE = "en"


IMPORT_HEADER = ["客户名称", "跟进时间", "方式", "沟通要点", "客户反馈", "下一步计划", "下次跟进日期"]


def xlsx(rows: Sequence[Sequence[object]], header: list[str]) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("跟进记录.xlsx", buffer.getvalue())


def errors_of(report):
    return [(issue.row, issue.column, issue.message) for issue in report.errors]


def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_followups_import_matches_customers_by_name_and_marks_late(actors):
    mine = services.customer_create(by=actors.rep_a1, name="上海星辰精密制造有限公司", grade="B", grade_reason="x")
    services.customer_create(by=actors.rep_b1, name="北京长城物流有限公司")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    rows = [
        ["上海市星辰精密制造股份有限公司", f"{yesterday:%Y-%m-%d} 10:30", "拜访", "报价", "满意", "发合同",
         (yesterday + dt.timedelta(days=3)).isoformat()],
    ]
    report = followups_import(file=xlsx(rows, IMPORT_HEADER), by=actors.rep_a1, dry_run=False)
    assert report.committed, report.errors
    record = FollowUp.objects.get()
    assert (record.customer, record.author, record.channel, record.late) == (mine, actors.rep_a1, "visit", True)
    assert record.author_team == actors.team_a  # R21: the importer's team when it was written
    mine.refresh_from_db()
    assert mine.last_visit_at == record.contacted_at  # R10 recomputed
    outside = [["北京长城物流有限公司", f"{yesterday:%Y-%m-%d} 10:30", "电话", "问候", "", "", ""]]
    refused = followups_import(file=xlsx(outside, IMPORT_HEADER), by=actors.rep_a1, dry_run=False)
    assert errors_of(refused) == [
        (2, "客户名称", "No customer called 北京长城物流有限公司 that you may log follow-ups for."),
    ]
    again = followups_import(file=xlsx(rows, IMPORT_HEADER), by=actors.rep_a1, dry_run=False)
    assert errors_of(again) == [(2, "跟进时间", "This contact is logged already.")]
    assert FollowUp.objects.count() == 1


@pytest.mark.parametrize(("minutes_after", "late"), [(120, False), (121, True)])
def test_the_import_marks_late_by_the_forms_rule(actors, clock, minutes_after, late):
    """R11 has one implementation (followups.services.logged_late): a sheet row is late exactly when the
    same contact logged through the form would be (two hours by default)."""
    contacted = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))
    clock.set(contacted - dt.timedelta(hours=1))
    services.customer_create(by=actors.rep_a1, name="上海星辰精密制造有限公司", grade="B", grade_reason="x")
    clock.set(contacted + dt.timedelta(minutes=minutes_after))
    rows = [["上海星辰精密制造有限公司", "2026-03-04 10:00", "电话", "报价", "", "", ""]]
    report = followups_import(file=xlsx(rows, IMPORT_HEADER), by=actors.rep_a1, dry_run=False)
    assert report.committed, report.errors
    assert FollowUp.objects.get().late is late


def test_followup_export_is_scoped(actors, api_as):
    mine = services.customer_create(by=actors.rep_a1, name="甲公司")
    theirs = services.customer_create(by=actors.rep_b1, name="丁公司")
    contacted = timezone.now() - dt.timedelta(hours=1)
    followup_create(by=actors.rep_a1, customer=mine, contacted_at=contacted, channel="phone", key_points="=1+1")
    followup_create(by=actors.rep_b1, customer=theirs, contacted_at=contacted, channel="visit", key_points="拜访")
    rows = sheet_rows(api_as(actors.rep_a1).get("/api/followups/export/?format=xlsx"))
    assert list(rows[0]) == FOLLOWUP_HEADER
    assert [(row[0], row[3]) for row in rows[1:]] == [("甲公司", "'=1+1")]


def test_followup_export_has_date_cells_and_the_authors_name(actors, client):
    mine = services.customer_create(by=actors.rep_a1, name="甲公司")
    contacted = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    next_day = timezone.localdate() + dt.timedelta(days=3)
    followup_create(by=actors.rep_a1, customer=mine, contacted_at=contacted, channel="phone", key_points="报价",
                    next_followup_at=next_day)
    actors.rep_a1.language = "zh-hans"
    actors.rep_a1.save(update_fields=["language"])
    client.force_login(actors.rep_a1)
    response = client.get("/api/followups/export/?format=xlsx")
    assert "filename*=UTF-8''" + quote(f"跟进记录-{local_today():%Y-%m-%d}.xlsx") in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    local = timezone.localtime(contacted).replace(tzinfo=None)
    assert (rows[1][0], rows[1][1], rows[1][6], rows[1][7]) == ("甲公司", local, next_day, "张伟")
