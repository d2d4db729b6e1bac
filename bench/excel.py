"""The Excel section of a run (R26): import and export 100,000 customers as the admin.

On the worker's generated database: a 100,000-row customer workbook is built in memory (Chinese company
names in cities the generator does not use, so no row is a duplicate of a generated customer; phones and
credit codes from number ranges the generator does not draw from; contacts, tags, grades, a few
generated reps as owners and some rows to the public pool), then timed:

- ``check``: ``customers_import(dry_run=True)``;
- ``commit``: ``customers_import(dry_run=False)`` of the file just checked, everything in one transaction
  (the import's usual path: the page always checks first, and the import takes the check's kept rows);
- ``one-shot import``: ``customers_import(dry_run=False)`` of a second sheet of as many new rows that was
  never checked (an API client that skips the dry run: the whole check, then the commit);
- ``export``: the customer export of exactly those rows (the list filtered by the tag every imported row
  carries: the owned part and the pool part), every byte of the workbook consumed;
- ``followup export``: the 客户跟进记录表 export of the about 100,000 most recent follow-ups (a date filter).
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterable, Iterator
from typing import Any

ROWS = 100_000
MARK_TAG = "批量导入测试"  # every row of the checked sheet carries it: the export filter that selects them
ONE_SHOT_TAG = "批量导入测试二"  # the rows of the sheet imported without a check
CITIES = ("北京", "天津", "南京", "成都", "武汉", "西安", "重庆", "青岛")  # none of them is a generator city
TAGS = ("展会线索", "老客户推荐", "官网咨询", "渠道合作", "重点行业", "招投标项目")
SEED = 2026
TARGETS = {"commit": 20.0, "export": 10.0}  # seconds for 100,000 rows on two cores (R26)


def run_excel(admin: Any, reps: list[Any]) -> dict[str, Any]:
    """Build the sheet, time check, commit and the exports; the numbers for the run's JSON."""
    from salesops.customers.excel import customer_export
    from salesops.customers.excel.customer_import import customers_import
    from salesops.followups import excel as followup_sheet

    started = time.perf_counter()
    owners = [rep.username for rep in reps]
    content = build_workbook(owners, rows=ROWS)
    unchecked = build_workbook(owners, rows=ROWS, first=ROWS, mark=ONE_SHOT_TAG)
    steps: list[dict[str, Any]] = []
    notes = [f"workbook: {ROWS} rows, {len(content) / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s"]

    seconds, report = _timed(lambda: customers_import(file=io.BytesIO(content), by=admin, dry_run=True))
    _require(report, "check")
    steps.append(_step("import check (dry run)", report.total_rows, seconds))
    seconds, report = _timed(lambda: customers_import(file=io.BytesIO(content), by=admin, dry_run=False))
    _require(report, "commit")
    steps.append(_step("import commit", report.created, seconds, TARGETS["commit"]))
    seconds, report = _timed(lambda: customers_import(file=io.BytesIO(unchecked), by=admin, dry_run=False))
    _require(report, "one-shot import")
    steps.append(_step("one-shot import (no check first)", report.created, seconds, TARGETS["commit"]))

    parts = [{"tag": MARK_TAG, "pool": "false"}, {"tag": MARK_TAG, "pool": "true"}]
    rows = sum(customer_export.filtered_customers(user=admin, params=params).count() for params in parts)
    seconds, size = _timed(lambda: sum(_consume(customer_export.customers_export(admin, params)) for params in parts))
    steps.append(_step("customer export", rows, seconds, TARGETS["export"]))
    notes.append(f"customer export: {size / 1e6:.1f} MB (owned and pool rows of the imported tag, two requests)")

    params = _recent_followups(admin, ROWS)
    rows = followup_sheet.filtered_followups(user=admin, params=params).count()
    seconds, size = _timed(lambda: _consume(followup_sheet.followups_export(admin, params)))
    steps.append(_step("follow-up export", rows, seconds))
    notes.append(f"follow-up export: {size / 1e6:.1f} MB (filter {params})")
    return {"rows": ROWS, "steps": steps, "notes": notes}


def _timed(func: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def _step(name: str, rows: int, seconds: float, target: float | None = None) -> dict[str, Any]:
    return {"step": name, "rows": rows, "seconds": round(seconds, 2), "rows_per_second": round(rows / seconds),
            "target_seconds": target}


def _require(report: Any, what: str) -> None:
    if not report.ok:
        first = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors[:5])
        raise RuntimeError(f"the benchmark sheet's {what} found {len(report.errors)} problems: {first}")


def _consume(chunks: Iterable[bytes]) -> int:
    return sum(len(chunk) for chunk in chunks)


def _recent_followups(admin: Any, rows: int) -> dict[str, str]:
    """``date_from`` so that the admin's follow-up list holds about ``rows`` records (whole days)."""
    from django.utils import timezone

    from salesops.followups.models import FollowUp

    visible = FollowUp.objects.visible_to(admin).filter(is_active=True).order_by("-contacted_at")
    edge = visible.values_list("contacted_at", flat=True)[rows - 1 : rows].first()
    if edge is None:
        return {}
    return {"date_from": timezone.localtime(edge).date().isoformat()}


def build_workbook(
    owners: list[str], *, rows: int, seed: int = SEED, first: int = 0, mark: str = MARK_TAG
) -> bytes:
    """A customer sheet with the import template's headers and ``rows`` rows that are all valid: the rows
    numbered from ``first`` (sheets with other numbers hold other companies), each tagged ``mark``."""
    from salesops.core.sheets import xlsx_stream
    from salesops.customers.excel.customer_import import COLUMNS

    header = [names[0] for names in COLUMNS.values()]
    lines = _rows(random.Random(seed), owners, range(first, first + rows), mark)
    return b"".join(xlsx_stream(sheet="客户", header=header, rows=lines))


def _rows(rng: random.Random, owners: list[str], numbers: range, mark: str) -> Iterator[list[object]]:
    from salesops.customers.demo_words import (
        BRAND_CHARS,
        CONTACT_TITLES,
        FOCUSES,
        ROLES,
        TRADE_LIST,
        grade_and_reason,
    )
    from salesops.customers.normalise import credit_code_check_char
    from salesops.demo.names import chinese_name

    brands = len(BRAND_CHARS)
    for index in numbers:
        n = index
        city = CITIES[n % len(CITIES)]
        n //= len(CITIES)
        trade, industry = TRADE_LIST[n % len(TRADE_LIST)]
        n //= len(TRADE_LIST)
        brand = BRAND_CHARS[n % brands] + BRAND_CHARS[n // brands % brands] + BRAND_CHARS[n // brands**2 % brands]
        grade, reason = grade_and_reason(rng)
        contact = chinese_name(rng) if rng.random() < 0.9 else ""
        phone = f"166{index:08d}" if index % 3 else f"010-{6000_0000 + index}"
        code = ""
        if rng.random() < 0.7:
            first17 = f"91110108{index:09d}"
            code = first17 + credit_code_check_char(first17)
        tags = [mark, *rng.sample(TAGS, rng.randrange(0, 3))]
        owner = "公海" if rng.random() < 0.05 else rng.choice(owners)
        yield [
            f"{city}{brand}{trade}有限公司", contact, rng.choice(CONTACT_TITLES) if contact else "", phone,
            f"wx_{index}" if contact and rng.random() < 0.5 else "",
            f"c{index}@example.com" if contact and rng.random() < 0.3 else "", industry,
            rng.choice(("微型", "中小型", "大型", "集团")), rng.choice(ROLES), f"{rng.choice((5, 20, 50, 120))}万",
            rng.choice(FOCUSES), "、".join(tags), grade or "", reason if grade else "",
            f"{city}市高新区创业路{rng.randrange(1, 3000)}号", code, owner,
        ]
