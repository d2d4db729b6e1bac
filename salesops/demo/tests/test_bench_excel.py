"""The benchmark's Excel section (bench/excel.py, R26): its sheet is valid and the report shows its table."""

from __future__ import annotations

import io

from bench.excel import MARK_TAG, build_workbook, run_excel
from bench.report import render_markdown, render_text
from salesops.customers.excel import customer_export
from salesops.customers.excel.customer_import import customers_import
from salesops.testing.actors import Actors


def test_the_benchmark_sheet_imports_without_a_problem(actors: Actors) -> None:
    content = build_workbook([actors.rep_a1.username, actors.rep_b1.username], rows=300)
    report = customers_import(file=io.BytesIO(content), by=actors.admin, dry_run=False)
    assert report.ok, report.errors[:3]
    assert report.created == 300
    parts = [{"tag": MARK_TAG, "pool": "false"}, {"tag": MARK_TAG, "pool": "true"}]
    counts = [customer_export.filtered_customers(user=actors.admin, params=params).count() for params in parts]
    assert sum(counts) == 300 and all(counts)  # the export filter selects exactly the imported rows


def test_run_excel_records_every_step_and_the_report_shows_them(actors: Actors, monkeypatch) -> None:
    monkeypatch.setattr("bench.excel.ROWS", 200)
    section = run_excel(actors.admin, [actors.rep_a1])
    assert [step["step"] for step in section["steps"]] == [
        "import check (dry run)", "import commit", "one-shot import (no check first)", "customer export",
        "follow-up export"]
    assert [step["rows"] for step in section["steps"][:4]] == [200, 200, 200, 200]  # the export: the first sheet
    run = {"database": "sqlite", "scale": "S", "server_version": "3", "people": 1, "teams": 1, "notes": [],
           "migrate_seconds": 1.0, "endpoints": [], "excel": section,
           "generate": {"rows": 1, "seconds": 1.0, "rows_per_second": 1}}
    report = {"started_at": "t", "finished_at": "t", "notes": [], "runs": [run],
              "settings": {"repeat": 1, "warmup": 1, "seed": 1},
              "machine": {"python": "3", "platform": "p", "cpus": 2, "load_average": [0, 0, 0]}}
    assert "| import commit | 200 |" in render_markdown(report)
    assert "customer export" in render_text(report)
