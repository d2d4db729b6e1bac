"""Daily plans for ``salesops demo`` and ``salesops generate`` (R7).

Demo: per rep, the plans of the last five working days (approved, one returned and approved again, some
submitted late), each with three to five of the rep's customers, the visits among them as a route, and a
resource request on some, fulfilled or declined with the lead's comment; written as rows (the services
make plans for today onwards only). Today: every other rep has made, ordered and submitted a plan through
the services with a request waiting for the lead, every fourth has it approved; the rest have none yet.

Generator: a plan per generated rep for every working day of the last two years and for today (about
500,000 at L), four of the rep's customers each with three visits in a route, a resource request on every
eighth; plain rows through ``RawLoader`` with explicit ids, no history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from salesops.accounts.models import User
from salesops.customers.demo_data import raw_delete
from salesops.customers.demo_load import RawLoader, Stamps, next_id
from salesops.customers.excel.bulk_load import bulk_cache
from salesops.customers.models import Customer
from salesops.daily.plans import requests, services
from salesops.daily.plans.models import (
    DailyPlan,
    MissingPlan,
    PlanCustomer,
    PlanStatus,
    RequestKind,
    RequestStatus,
    ResourceRequest,
    StopSource,
)
from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step
from salesops.organisation.selectors import work_calendar

MATERIALS = ("产品手册、报价单", "样品两套、演示平板", "合同模板、公司介绍", "宣传册、名片", "技术白皮书")
ASKS = (
    (RequestKind.TECH_SUPPORT, "下午拜访需要工程师一起做产品演示"),
    (RequestKind.SAMPLES, "客户要试用样品，申请两套"),
    (RequestKind.CONTACT_INFO, "需要客户采购部新负责人的联系方式"),
)
ANSWERS = {RequestStatus.FULFILLED: ("已安排，下午两点出发", "样品已寄出", "已发到你的微信"),
           RequestStatus.DECLINED: ("本周工程师已排满，下周再约", "样品库存不足", "暂时没有这个联系人")}
RETURNS = ("拜访太集中在下午，请调整路线", "请补充 A 类客户的跟进")
DEMO_DAYS = 5


# --- Demo --------------------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _past_plan(ctx: DemoContext, rep: User, lead: User, day: dt.date, customers: list[Customer], n: int) -> None:
    rng = ctx.rng
    late = rng.random() < 0.2
    submitted = _at(day, 9, 35 + rng.randrange(20)) if late else _at(day, 9, rng.randrange(28))
    returned = n == 1
    plan = DailyPlan.objects.create(
        user=rep, team_id=rep.team_id, date=day, status=PlanStatus.APPROVED, materials=rng.choice(MATERIALS),
        submitted_at=submitted, late=late, decided_by=lead, decided_at=submitted + dt.timedelta(minutes=20),
        comment=RETURNS[n % len(RETURNS)] if returned else "",
    )
    chosen = rng.sample(customers, k=min(len(customers), rng.randint(3, 5)))
    visits = chosen[: max(len(chosen) - 2, 1)]
    PlanCustomer.objects.bulk_create([
        PlanCustomer(plan=plan, customer=customer, position=position,
                     stop=visits.index(customer) + 1 if customer in visits else None, source=StopSource.DUE)
        for position, customer in enumerate(chosen, start=1)])
    if rng.random() < 0.4:
        kind, detail = rng.choice(ASKS)
        status = RequestStatus.FULFILLED if rng.random() < 0.75 else RequestStatus.DECLINED
        ResourceRequest.objects.create(plan=plan, kind=kind, detail=detail, status=status,
                                       comment=rng.choice(ANSWERS[status]), decided_by=lead,
                                       decided_at=submitted + dt.timedelta(minutes=30))


def _todays_plan(ctx: DemoContext, rep: User, lead: User, customers: list[Customer], n: int) -> None:
    """Pre-filled, with visits to five customers that have a location (some added when few are due)."""
    plan = services.plan_create(by=rep, day=ctx.today, materials=ctx.rng.choice(MATERIALS))
    listed = [row.customer_id for row in plan.stops.order_by("position")]
    placed = [c.pk for c in Customer.objects.filter(pk__in=listed, latitude__isnull=False)]
    placed += [c.pk for c in customers if c.latitude is not None and c.pk not in placed][: max(5 - len(placed), 0)]
    plan = services.plan_update(by=rep, plan=plan, customers=listed + [pk for pk in placed if pk not in listed],
                                route=placed[:5])
    services.plan_optimise_route(by=rep, plan=plan)
    kind, detail = ASKS[n % len(ASKS)]
    requests.request_create(by=rep, plan=plan, kind=kind, detail=detail)
    plan = services.plan_submit(by=rep, plan=plan)
    if n % 4 == 0:
        services.plan_approve(by=lead, plan=plan, comment="路线合理，按计划执行")


def demo_plans(ctx: DemoContext) -> None:
    """Recent plans of every rep and today's plans of half of them (see the module docstring)."""
    calendar = work_calendar()
    days = [calendar.previous_workday(ctx.today, n) for n in range(DEMO_DAYS, 0, -1)]
    leads = {lead.team_id: lead for lead in ctx.leads}
    for n, rep in enumerate(ctx.progress(ctx.reps, desc="daily plans", total=len(ctx.reps))):
        lead = leads.get(rep.team_id)
        customers = list(Customer.objects.filter(owner=rep, is_active=True).order_by("pk")[:12])
        if lead is None or not customers:
            continue
        for k, day in enumerate(days):
            _past_plan(ctx, rep, lead, day, customers, k)
        if n % 2 == 0:
            _todays_plan(ctx, rep, lead, customers, n)


# --- Generator ---------------------------------------------------------------------------------------------

PLAN_FIELDS = ("id", "user", "team", "date", "status", "materials", "carried_over", "submitted_at", "late",
               "decided_by", "decided_at", "comment", "created_at", "updated_at", "version")
STOP_FIELDS = ("plan", "customer", "position", "stop", "source")
REQUEST_FIELDS = ("plan", "kind", "detail", "status", "comment", "decided_by", "decided_at", "created_at",
                  "version")
DAYS = 730
STOPS, VISITS = 4, 3
REQUEST_EVERY = 8
REPS_PER_READ = 50


def _days(ctx: GeneratorContext) -> list[int]:
    """Days back from today with a plan: every working day of the last two years, and today."""
    calendar = work_calendar()
    return [0] + [back for back in range(1, DAYS + 1) if calendar.is_workday(ctx.today - dt.timedelta(days=back))]


class _Writer:
    def __init__(self, ctx: GeneratorContext) -> None:
        self.rng: random.Random = ctx.rng
        self.stamps = Stamps(ctx.today, DAYS + 2)
        self.plans = RawLoader(ctx, DailyPlan, PLAN_FIELDS, label=DailyPlan._meta.label)
        self.stops = RawLoader(ctx, PlanCustomer, STOP_FIELDS, label=PlanCustomer._meta.label)
        self.requests = RawLoader(ctx, ResourceRequest, REQUEST_FIELDS, label=ResourceRequest._meta.label)
        self.plan_id = next_id(DailyPlan)

    def rep(self, rep: int, team: int, lead: int, customers: list[int], days: list[int]) -> None:
        r, stamps = self.rng.random, self.stamps
        for back in days:
            late = r() < 0.15
            minute = 575 + int(r() * 30) if late else 540 + int(r() * 29)
            submitted = stamps.at(back, minute)
            if back == 0:
                status, decided, decider = PlanStatus.SUBMITTED, None, None
            else:
                status, decided, decider = PlanStatus.APPROVED, stamps.at(back, minute + 25), lead
            self.plans.add((self.plan_id, rep, team, stamps.date(back), status, MATERIALS[int(r() * len(MATERIALS))],
                            "", submitted, late, decider, decided, "", stamps.at(back, 530), decided or submitted, 1))
            first = int(r() * len(customers)) if customers else 0
            for position in range(1, min(STOPS, len(customers)) + 1):  # distinct: consecutive in the list
                customer = customers[(first + position) % len(customers)]
                self.stops.add((self.plan_id, customer, position, position if position <= VISITS else None,
                                StopSource.DUE))
            if int(r() * REQUEST_EVERY) == 0:
                kind, detail = ASKS[int(r() * len(ASKS))]
                answered = back > 0
                self.requests.add((self.plan_id, kind, detail,
                                   RequestStatus.FULFILLED if answered else RequestStatus.OPEN,
                                   ANSWERS[RequestStatus.FULFILLED][0] if answered else "",
                                   lead if answered else None, decided, submitted, 1))
            self.plan_id += 1

    def finish(self) -> None:
        for loader in (self.plans, self.stops, self.requests):
            loader.finish()


def _customers_by_owner(rows: Iterator[tuple[Any, ...]]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for owner, pk in rows:
        found.setdefault(owner, []).append(pk)
    return found


def generate_plans(ctx: GeneratorContext) -> None:
    """The plans step under SQLite's bulk-load page cache (``bulk_load.bulk_cache``)."""
    with bulk_cache():
        _generate_plans(ctx)


def _generate_plans(ctx: GeneratorContext) -> None:
    """A plan per generated rep per working day of two years (see the module docstring)."""
    days = _days(ctx)
    writer = _Writer(ctx)
    team_of = {rep: team for team, reps in ctx.reps_by_team.items() for rep in reps}
    with ctx.progress.bar(desc=str(DailyPlan._meta.verbose_name_plural), total=len(ctx.rep_ids) * len(days)) as bar:
        for start in range(0, len(ctx.rep_ids), REPS_PER_READ):
            reps = ctx.rep_ids[start:start + REPS_PER_READ]
            owned = _customers_by_owner(Customer.objects.filter(owner_id__in=reps, is_active=True).order_by("pk")
                                      .values_list("owner_id", "pk").iterator(chunk_size=5000))
            for rep in reps:
                team = team_of[rep]
                writer.rep(rep, team, ctx.lead_by_team[team], owned.get(rep, [])[:40], days)
                bar.update(len(days))
    writer.finish()


def wipe_plans(generated_users: QuerySet[User]) -> None:
    """Remove the plans of generated people with their customers, requests, flags and history."""
    plans = DailyPlan.objects.filter(user__in=generated_users.values("pk")).values("pk")
    raw_delete(ResourceRequest.objects.filter(plan__in=plans))
    raw_delete(PlanCustomer.objects.filter(plan__in=plans))
    raw_delete(DailyPlan.tasks.through.objects.filter(dailyplan__in=plans))
    raw_delete(DailyPlan.history.model.objects.filter(id__in=plans))
    raw_delete(DailyPlan.objects.filter(pk__in=plans))
    raw_delete(MissingPlan.objects.filter(user__in=generated_users.values("pk")))


register_demo_step("daily plans", demo_plans)
register_generator_step("daily plans", generate_plans, wipe=wipe_plans)
