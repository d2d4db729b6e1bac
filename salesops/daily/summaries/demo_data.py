"""Daily summaries (R17) for ``salesops demo`` and ``salesops generate``.

Demo: each rep's summaries of the last working days through the service (done items pre-filled from
their records, now and then an item not done with its reason, tomorrow's plan), submitted around the due
time; of today's, a few reps have not written theirs yet, so the lead's page shows who is missing.

Generator: two years of working days per generated rep (about 500 each, half a million at L) as plain
rows through ``RawLoader`` (COPY / executemany), one in twenty-five missing and flagged instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from salesops.accounts.models import User
from salesops.customers.demo_data import HISTORY_DAYS, raw_delete
from salesops.customers.demo_load import RawLoader, Stamps
from salesops.daily.summaries import selectors, services
from salesops.daily.summaries.models import DailySummary, MissingSummary
from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step
from salesops.organisation.selectors import work_calendar

DEMO_DAYS = 5
DONE = ("整理客户资料，更新跟进记录", "准备下周的产品演示材料", "参加产品培训", "梳理本月重点客户名单",
        "和技术支持确认方案细节", "回复客户的报价咨询")
NOT_DONE = (("回访华新机电", "客户临时爽约，改约明天"), ("提交常州力达的报价单", "价格审批还没下来"),
            ("拜访南京远景", "客户负责人出差"), ("整理竞品对比资料", "资料不全，需要市场部支持"))
TOMORROW = ("上午拜访两家 B 类客户，下午电话回访", "跟进报价审批，约客户看样机", "整理本周小结，准备周五例会",
            "拜访新客户，推进方案报价")
MISSING_SHARE = 0.04


def demo_summaries(ctx: DemoContext) -> None:
    """Each rep's summaries of the last ``DEMO_DAYS`` working days and most of today's (see the docstring)."""
    rng, calendar = ctx.rng, work_calendar()
    days = [calendar.previous_workday(ctx.today, n) for n in range(DEMO_DAYS, 0, -1)]
    if calendar.is_workday(ctx.today):
        days.append(ctx.today)
    for rep in ctx.progress(ctx.reps, desc="daily summaries"):
        for day in days:
            if day == ctx.today and rng.random() < 0.3:
                continue  # not written yet: the lead's page shows them missing
            left = [dict(zip(("item", "reason"), rng.choice(NOT_DONE), strict=True))] if rng.random() < 0.4 else []
            items = [item.as_json() for item in selectors.done_items_of(user=rep, day=day)]
            summary = services.summary_submit(
                by=rep, day=day, done=rng.choice(DONE) if rng.random() < 0.7 or not items else "",
                done_items=items, not_done=left, tomorrow=rng.choice(TOMORROW))
            at = selectors.due_at(day) - dt.timedelta(minutes=rng.randint(5, 60))
            DailySummary.objects.filter(pk=summary.pk).update(submitted_at=at, late=False)


SUMMARY_FIELDS = ("user", "team", "date", "done", "done_items", "not_done", "tomorrow", "submitted_at", "late",
                  "is_active", "updated_at", "version")


def _rows(ctx: GeneratorContext, stamps: Stamps, workdays: list[int], missing: list[tuple[Any, ...]]
          ) -> Iterator[tuple[Any, ...]]:
    r = ctx.rng.random
    empty = "[]"
    items = [json.dumps([{"item": item, "reason": reason}], ensure_ascii=False) for item, reason in NOT_DONE]
    due = 17 * 60 + 30
    for team_id in ctx.team_ids:
        for rep in ctx.reps_by_team[team_id]:
            for days_ago in workdays:
                if r() < MISSING_SHARE:
                    missing.append((rep, team_id, stamps.date(days_ago), stamps.at(days_ago, due)))
                    continue
                minute = due - 60 + int(r() * 75)
                at = stamps.at(days_ago, minute)
                yield (
                    rep, team_id, stamps.date(days_ago), DONE[int(r() * len(DONE))], empty,
                    items[int(r() * len(items))] if r() < 0.35 else empty, TOMORROW[int(r() * len(TOMORROW))],
                    at, minute > due, True, at, 1,
                )


def generate_summaries(ctx: GeneratorContext) -> None:
    """Two years of summaries per generated rep, the missing ones flagged (see the module docstring)."""
    calendar = work_calendar()
    stamps = Stamps(ctx.today, HISTORY_DAYS + 10)
    workdays = [n for n in range(1, HISTORY_DAYS + 1) if calendar.is_workday(ctx.today - dt.timedelta(days=n))]
    missing: list[tuple[Any, ...]] = []
    loader = RawLoader(ctx, DailySummary, SUMMARY_FIELDS, label=DailySummary._meta.label)
    total = len(ctx.rep_ids) * len(workdays)
    with ctx.progress.bar(desc=str(DailySummary._meta.verbose_name_plural), total=total) as bar:
        for n, row in enumerate(_rows(ctx, stamps, workdays, missing), start=1):
            loader.add(row)
            if n % 10_000 == 0:
                bar.update(10_000)
    loader.finish()
    flags = RawLoader(ctx, MissingSummary, ("user", "team", "date", "flagged_at"), label=MissingSummary._meta.label)
    for row in missing:
        flags.add(row)
    flags.finish()


def wipe_summaries(generated_users: QuerySet[User]) -> None:
    users = generated_users.values("pk")
    raw_delete(MissingSummary.objects.filter(user__in=users))
    raw_delete(DailySummary.history.model.objects.filter(user__in=users))
    raw_delete(DailySummary.objects.filter(user__in=users))


register_demo_step("daily summaries", demo_summaries)
register_generator_step("daily summaries", generate_summaries, wipe=wipe_summaries)
