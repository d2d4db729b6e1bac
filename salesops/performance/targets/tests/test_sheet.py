"""The target sheet (R22, R26): a dry run reports each row and sets nothing, the import sets every row or
none, subjects by user name, team name or API word, metrics by word or name; the template and the export."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from salesops.performance import metrics as registry
from salesops.performance.targets.models import Target


def xlsx(*rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["对象", "周期", "指标", "目标值"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("目标.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_a_dry_run_then_the_import(actors, api_as):
    with translation.override("zh-hans"):
        deals = str(registry.get("deals").label)  # a metric by its name as the pages show it
    rows = [("rep_a1", "2026-11", "sales_amount", "300000"), ("华东一组", "2026-Q4", deals, "30"),
            (f"user:{actors.rep_a2.pk}", "2026-W48", "deals", "2")]
    client = api_as(actors.lead_a)
    checked = client.post("/api/targets/import/?dry_run=1", {"file": xlsx(*rows)}, format="multipart")
    assert checked.status_code == 200, checked.json()
    assert (checked.json()["valid_rows"], checked.json()["ok"]) == (3, True)
    assert not Target.objects.exists()
    done = client.post("/api/targets/import/", {"file": xlsx(*rows)}, format="multipart")
    assert done.status_code == 201 and done.json()["created"] == 3
    assert sorted(Target.objects.values_list("period", "metric")) == [
        ("2026-11", "sales_amount"), ("2026-Q4", "deals"), ("2026-W48", "deals")]


def test_one_bad_row_refuses_the_sheet_with_a_report_per_row(actors, api_as):
    rows = [("rep_a1", "2026-11", "deals", "3"), ("rep_b1", "2026-11", "deals", "3"),
            ("rep_a2", "2026-13", "deals", "1"), ("lead_a", "2026-11", "mood", "1"),
            ("rep_a1", "2026-11", "deals", "4"), ("rep_a2", "2026-11", "deals", "-1")]
    answer = api_as(actors.lead_a).post("/api/targets/import/", {"file": xlsx(*rows)}, format="multipart")
    assert answer.status_code == 400
    errors = {(e["row"], e["column"]) for e in answer.json()["error"]["report"]["errors"]}
    assert {(3, "对象"), (4, "周期"), (5, "指标"), (6, "指标"), (7, "目标值")} <= errors
    assert not Target.objects.exists()


def test_the_template_and_the_export(actors, client, api_as):
    client.force_login(actors.lead_a)
    template = client.get("/customers/import/template/targets.xlsx")
    assert template.status_code == 200
    header = [c.value for c in next(openpyxl.load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert header == ["对象", "周期", "指标", "目标值"]
    api_as(actors.lead_a).post("/api/targets/", {"scope": f"user:{actors.rep_a1.pk}", "period": "2026-11",
                                                 "metric": "deals", "value": 5}, format="json")
    export = api_as(actors.lead_a).get("/api/targets/export/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:3] == (f"user:{actors.rep_a1.pk}", "2026-11", "deals")
    assert api_as(actors.lead_b).get("/api/targets/export/").status_code == 200
