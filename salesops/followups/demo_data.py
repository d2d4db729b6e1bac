"""Follow-up records 客户跟进记录表 for ``salesops demo`` and ``salesops generate`` (R10, R11).

Demo: 3-15 follow-ups per demo customer over the last 60 days, by its (last) owner, in natural
Chinese; about one in twelve is logged later than ``followup_log_hours`` after the contact and so
marked late (R11). The last follow-up of an owned, graded customer is placed so that about 30 % are
due today and 25 % overdue (R10); ``cadence_refresh`` then stores every customer's dates, so the
due-today list, the overdue list and the team overdue page have content.

Generator: ``followups_per_customer`` per customer on average (a pair of customers shares twice the
average, so the total is exact), over the customer's life, matching the figures the ``customers`` step
stored on it: the latest follow-up at ``last_followup_at`` (its next follow-up date is ``next_due_at``),
a visit at ``last_visit_at`` and no later one, a needs survey at ``last_survey_at`` and no later one.
Rows go in with ``RawLoader`` (COPY / executemany) and write no history rows: generated follow-ups
were never edited. Each customer's earliest visit carries ``first_visit`` (R21), as the services keep it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from decimal import Decimal
from itertools import product
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from salesops.accounts.models import User
from salesops.customers.demo_data import HISTORY_DAYS, Cadence, generated_customers, raw_delete
from salesops.customers.demo_load import RawLoader, Stamps
from salesops.customers.excel.bulk_load import bulk_cache
from salesops.customers.models import Contact, Customer
from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step
from salesops.followups.models import Channel, FollowUp, VisitPhoto
from salesops.followups.services import first_visits_refresh, logged_late

TOPICS = (
    "确认二期产线改造的设备需求", "了解明年的采购计划和预算", "介绍新款产品的性能参数", "讨论报价和付款方式",
    "确认交付周期和安装安排", "跟进样品试用情况", "解答售后服务条款的疑问", "沟通技术方案的修改意见",
    "确认合同条款细节", "了解竞品的报价和服务", "商量年度框架协议", "确认验收标准",
)
MATERIALS = ("产品资料", "报价单", "技术方案", "成功案例", "合同草稿", "资质文件")
WHO = ("采购经理", "技术总监", "总经理", "生产总监", "设备科长")
KEY_POINTS: dict[str, tuple[str, ...]] = {
    Channel.PHONE: tuple(f"电话沟通，{topic}" for topic in TOPICS),
    Channel.WECHAT: tuple(f"微信发送{m}，{topic}" for m, topic in product(MATERIALS, TOPICS)),
    Channel.VISIT: tuple(f"上门拜访{who}，{topic}" for who, topic in product(WHO, TOPICS)),
    Channel.EMAIL: tuple(f"邮件发送{m}，请客户确认" for m in MATERIALS),
    Channel.OTHER: tuple(f"展会现场交流，{topic}" for topic in TOPICS),
}
FEEDBACK = (
    "对价格比较敏感，希望再优惠5%", "技术方案基本认可，需要内部评审", "预算已批，等总经理签字",
    "暂时没有采购计划，明年再看", "对交付周期有顾虑，希望四周内到货", "希望先安排样品试用", "对售后响应速度很满意",
    "正在和另外两家供应商比较", "需要补充资质文件", "负责人出差，下周再定", "认可产品质量，关心付款账期",
    "希望提供同行业的成功案例", "",
)
NEXT_STEPS = (
    "下周二前发送修改后的报价单", "安排技术工程师上门演示", "准备合同草稿交法务审核", "寄送样品并跟进试用反馈",
    "约总经理见面沟通合作细节", "整理竞品对比资料发给客户", "月底前再次电话跟进", "邀请客户参观公司展厅",
    "申请特价审批", "补充资质文件后再联系",
)
# Channel mix of ordinary follow-ups: phone 40 %, WeChat 30 %, visit 15 %, e-mail 10 %, other 5 %.
CHANNEL_CUTS = ((0.40, Channel.PHONE), (0.70, Channel.WECHAT), (0.85, Channel.VISIT), (0.95, Channel.EMAIL),
                (1.0, Channel.OTHER))
LATE_SHARE = 0.08


def _channel(draw: float) -> str:
    return next(channel for cut, channel in CHANNEL_CUTS if draw < cut)


def _logged_after(rng: random.Random, log_minutes: int) -> int:
    """Minutes between the contact and its logging: mostly within the hour, sometimes late (R11)."""
    if rng.random() < LATE_SHARE:
        return log_minutes + rng.randint(30, 300)
    return rng.randint(3, min(90, log_minutes))


def _checkin(rng: random.Random, lat: Decimal | None, lon: Decimal | None) -> tuple[str | None, str | None, int | None]:
    """Where a visit was checked in: 20-400 m from the customer's address (R11 proof of the visit)."""
    if lat is None or lon is None:
        return None, None, None
    d_lat, d_lon = rng.uniform(-0.0025, 0.0025), rng.uniform(-0.0025, 0.0025)
    metres = math.hypot(d_lat * 111_000, d_lon * 111_000 * math.cos(math.radians(float(lat))))
    return f"{float(lat) + d_lat:.6f}", f"{float(lon) + d_lon:.6f}", max(20, round(metres))


# --- Demo ------------------------------------------------------------------------------------------


def demo_followups(ctx: DemoContext) -> None:
    """3-15 follow-ups per demo customer over the last 60 days, then ``cadence_refresh`` once."""
    from salesops.followups.cadence import cadence_refresh

    rng, cadence, now = ctx.rng, Cadence(ctx.today), timezone.localtime()
    log_minutes = cadence.settings.followup_log_hours * 60
    customers = list(Customer.objects.filter(created_by__in=ctx.reps).order_by("pk"))
    primary = dict(Contact.objects.filter(customer__in=customers, is_primary=True).values_list("customer_id", "pk"))
    by_author: dict[int, list[FollowUp]] = {}
    teams = dict(User.objects.filter(pk__in={c.created_by_id for c in customers}).values_list("pk", "team_id"))
    for customer in ctx.progress(customers, desc="follow-ups", total=len(customers)):
        assert customer.created_by_id is not None
        if customer.owner_id is None and customer.pooled_at is not None:
            idle = (ctx.today - timezone.localtime(customer.pooled_at).date()).days
            last = min(idle + cadence.pool_days(customer.grade) + rng.randint(0, 5), 59)
        else:
            last = (ctx.today - cadence.last_contact(rng, customer.grade)).days
        earlier = range(last + 1, 61)
        days = [*sorted(rng.sample(earlier, min(rng.randint(2, 14), len(earlier))), reverse=True), last]
        for n, days_ago in enumerate(days):
            is_last = n == len(days) - 1
            minute = rng.randint(540, 1050)
            contacted = now.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0)
            contacted -= dt.timedelta(days=days_ago)
            channel = _channel(rng.random())
            lat, lon, metres = _checkin(rng, customer.latitude, customer.longitude) if channel == Channel.VISIT else (
                None, None, None)
            followup = FollowUp(
                customer=customer, author_id=customer.created_by_id, author_team_id=teams[customer.created_by_id],
                contact_id=primary.get(customer.pk),
                contacted_at=contacted, channel=channel, key_points=rng.choice(KEY_POINTS[channel]),
                feedback=rng.choice(FEEDBACK), next_step=rng.choice(NEXT_STEPS),
                next_followup_at=None if is_last else contacted.date() + dt.timedelta(days=rng.randint(2, 7)),
                is_survey=channel == Channel.VISIT and rng.random() < 0.3,
                checkin_latitude=None if lat is None else Decimal(lat),
                checkin_longitude=None if lon is None else Decimal(lon), checkin_distance_m=metres,
            )
            delay = _logged_after(rng, log_minutes)
            followup.contacted_at = min(contacted, now - dt.timedelta(minutes=delay + 1))  # never in the future
            followup.logged_at = followup.contacted_at + dt.timedelta(minutes=delay)
            followup.late = logged_late(contacted_at=followup.contacted_at, logged_at=followup.logged_at,
                                        log_hours=cadence.settings.followup_log_hours)
            by_author.setdefault(customer.created_by_id, []).append(followup)
    authors = {user.pk: user for user in User.objects.filter(pk__in=by_author)}
    for author_id, followups in by_author.items():
        logged = [followup.logged_at for followup in followups]
        created = bulk_create_with_history(followups, FollowUp, default_user=authors[author_id])
        for followup, moment in zip(created, logged, strict=True):
            followup.logged_at = moment  # bulk_create stamps "now" on the auto_now_add field
        FollowUp.objects.bulk_update(created, ["logged_at"])
    first_visits_refresh(customer_ids=[customer.pk for customer in customers])
    cadence_refresh(customer_ids=[customer.pk for customer in customers])


# --- Generator -------------------------------------------------------------------------------------

FOLLOWUP_FIELDS = (
    "customer", "author", "author_team", "contact", "contacted_at", "channel", "key_points", "feedback", "next_step",
    "next_followup_at", "is_survey", "logged_at", "late", "checkin_latitude", "checkin_longitude",
    "checkin_distance_m", "is_active", "first_visit",
)
REPS_PER_READ = 20


def _day_and_minute(moment: dt.datetime | None, today: dt.date, offset: dt.timedelta) -> tuple[int, int] | None:
    """Days ago and local minute of a stored time, with the zone's offset taken once (``Stamps``):
    spares a time-zone lookup per row."""
    if moment is None:
        return None
    local = moment.astimezone(dt.UTC).replace(tzinfo=None) + offset
    return (today - local.date()).days, local.hour * 60 + local.minute


class _Maker:
    """The follow-up rows of one generated customer, consistent with its stored cadence figures."""

    def __init__(self, rng: random.Random, stamps: Stamps, log_minutes: int) -> None:
        self.rng, self.stamps, self.log_minutes = rng, stamps, log_minutes
        self.offset = dt.timedelta(minutes=stamps.offset_minutes)

    def rows(
        self, customer: tuple[Any, ...], count: int, contact: int | None, team: int | None
    ) -> Iterator[tuple[Any, ...]]:
        pk, author, created_at, last_at, visit_at, survey_at, due, lat, lon = customer
        today, rng, r, stamps = self.stamps.today, self.rng, self.rng.random, self.stamps
        when = self.offset
        created, last = _day_and_minute(created_at, today, when), _day_and_minute(last_at, today, when)
        assert created is not None and last is not None
        visit, survey = _day_and_minute(visit_at, today, when), _day_and_minute(survey_at, today, when)
        fixed: list[tuple[tuple[int, int], str | None, bool]] = [(last, None, False)]
        if visit == last:
            fixed[0] = (last, Channel.VISIT, False)
        elif visit is not None:
            fixed.append((visit, Channel.VISIT, False))
        if survey is not None:
            fixed.append((survey, Channel.PHONE, True))
        span = created[0] - last[0]
        made: list[tuple[Any, ...]] = []
        for n in range(count):
            if n < len(fixed):
                (day, minute), channel, is_survey = fixed[n]
            else:
                day = last[0] + 1 + int(r() * span) if span > 0 else last[0]
                minute = 540 + int(r() * 500) if day > last[0] else 480 + int(r() * (last[1] - 480))
                channel = _channel(r())
                if channel == Channel.VISIT and (visit is None or day <= visit[0]):
                    channel = Channel.PHONE
                is_survey = survey is not None and day > survey[0] and r() < 0.05
            if channel is None:
                channel = Channel.WECHAT if r() < 0.5 else Channel.PHONE
            logged = min(minute + _logged_after(rng, self.log_minutes), 1439)
            plan = (due.isoformat() if due else None) if n == 0 else stamps.date(max(day - 2 - int(r() * 6), 0))
            check = _checkin(rng, lat, lon) if channel == Channel.VISIT else (None, None, None)
            points = KEY_POINTS[channel]
            made.append((
                pk, author, team, contact if r() < 0.8 else None, stamps.at(day, minute), channel,
                points[int(r() * len(points))], FEEDBACK[int(r() * len(FEEDBACK))],
                NEXT_STEPS[int(r() * len(NEXT_STEPS))], plan, is_survey, stamps.at(day, logged),
                logged - minute > self.log_minutes, *check, True,
            ))
        # the customer's first visit ever (R21): the earliest contact time, the first written on a tie
        visits = [n for n, row in enumerate(made) if row[5] == Channel.VISIT]
        first = min(visits, key=lambda n: (made[n][4], n)) if visits else None
        for n, row in enumerate(made):
            yield (*row, n == first)


def generate_followups(ctx: GeneratorContext) -> None:
    """The follow-ups step under SQLite's bulk-load page cache (``bulk_load.bulk_cache``)."""
    with bulk_cache():
        _generate_followups(ctx)


def _generate_followups(ctx: GeneratorContext) -> None:
    """``followups_per_customer`` follow-ups per generated customer on average; see the module docstring."""
    rng, per = ctx.rng, ctx.scale.followups_per_customer
    maker = _Maker(rng, Stamps(ctx.today, HISTORY_DAYS + 10), Cadence(ctx.today).settings.followup_log_hours * 60)
    loader = RawLoader(ctx, FollowUp, FOLLOWUP_FIELDS, label=FollowUp._meta.label)
    spread = max(per - 3, 0)  # every customer gets at least three (last, visit, survey may all be needed)
    carry, position = 0, 0
    total = len(ctx.rep_ids) * ctx.scale.customers_per_rep * per
    with ctx.progress.bar(desc=str(FollowUp._meta.verbose_name_plural), total=total) as bar:
        for start in range(0, len(ctx.rep_ids), REPS_PER_READ):
            reps = ctx.rep_ids[start : start + REPS_PER_READ]
            primary = dict(
                Contact.objects.filter(customer__created_by_id__in=reps, is_primary=True)
                .values_list("customer_id", "pk")
            )
            teams = dict(User.objects.filter(pk__in=reps).values_list("pk", "team_id"))
            customers = Customer.objects.filter(created_by_id__in=reps).order_by("pk").values_list(
                "pk", "created_by_id", "created_at", "last_followup_at", "last_visit_at", "last_survey_at",
                "next_due_at", "latitude", "longitude",
            )
            written = 0
            for customer in customers.iterator(chunk_size=5000):
                if position % 2 == 0:
                    carry = rng.randint(0, spread)
                count = per + carry if position % 2 == 0 else per - carry
                position += 1
                for row in maker.rows(customer, count, primary.get(customer[0]), teams.get(customer[1])):
                    loader.add(row)
                written += count
            bar.update(written)
    loader.finish()


def wipe_followups(generated_users: QuerySet[User]) -> None:
    """Remove the follow-ups of generated people and of generated customers, with their photos' rows
    and history (runs before the customers' wipe, which needs them gone)."""
    users = generated_users.values("pk")
    followups = FollowUp.objects.filter(author__in=users) | FollowUp.objects.filter(
        customer__in=generated_customers(generated_users).values("pk")
    )
    raw_delete(VisitPhoto.objects.filter(followup__in=followups.values("pk")))
    raw_delete(FollowUp.history.model.objects.filter(id__in=followups.values("pk")))
    raw_delete(followups)


register_demo_step("followups", demo_followups)
register_generator_step("followups", generate_followups, wipe=wipe_followups)
