"""Problems (R5) and success cases (R6) for ``salesops demo`` and ``salesops generate``.

Demo: per team a handful of problems through the services, raised by its reps from a summary, a customer
page or the brief, in every state (open, owned by a person or a resource and in progress, resolved with a
note), and two success cases of the reps' won deals or customers.

Generator: per generated team ``PROBLEMS_PER_TEAM`` problems over the two years (the latest few still
open) and ``CASES_PER_TEAM`` success cases, by ``bulk_create`` without history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone

from salesops.accounts.models import User
from salesops.customers.demo_data import HISTORY_DAYS, raw_delete
from salesops.customers.models import Customer
from salesops.daily.problems import services
from salesops.daily.problems.models import (
    Problem,
    ProblemCategory,
    ProblemSource,
    ProblemStatus,
    ResourceKind,
    SuccessCase,
)
from salesops.deals.models import Deal, DealStatus
from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step

PROBLEMS = (
    ("本周新客户线索不够，陌拜效率低", ProblemCategory.CUSTOMER_RESOURCES, "希望市场部多给一些展会线索。"),
    ("客户问到新型号的防爆认证，答不上来", ProblemCategory.PRODUCT_KNOWLEDGE, "需要一份认证清单和说明。"),
    ("老客户要求年度框架价再降 5%", ProblemCategory.PRICING, "客户拿竞品报价压价。"),
    ("样机调试需要工程师到现场", ProblemCategory.TECHNICAL, "客户下周二方便。"),
    ("竞品在常州区域低价抢单", ProblemCategory.COMPETITION, "已经丢了两个项目。"),
)
RESOLUTIONS = ("市场部本周补充 20 条展会线索", "产品经理周四做一次认证培训", "总监批准阶梯价", "已安排工程师周二到场")
CASES = (
    ("样机试用促成大单", "先给客户两周样机试用，再邀请技术负责人参观工厂，最后以年度框架协议签约。"),
    ("老客户转介绍", "在售后回访时主动询问同行需求，客户介绍了两家上下游企业。"),
    ("用数据打消价格顾虑", "整理客户三年的能耗数据，算出新设备一年半回本，客户当场同意立项。"),
)
PROBLEMS_PER_TEAM = 60
CASES_PER_TEAM = 24


def demo_problems(ctx: DemoContext) -> None:
    """Problems in every state and success cases for each team (see the module docstring)."""
    rng = ctx.rng
    leads = {lead.team_id: lead for lead in ctx.leads}
    for team in ctx.progress(ctx.teams, desc="problems"):
        reps, lead = ctx.reps_of(team), leads.get(team.pk)
        if not reps or lead is None:
            continue
        for index, (title, category, detail) in enumerate(PROBLEMS):
            rep = reps[index % len(reps)]
            customer = Customer.objects.filter(owner=rep, is_active=True).order_by("pk").first()
            source = (ProblemSource.SUMMARY, ProblemSource.CUSTOMER, ProblemSource.BRIEF)[index % 3]
            problem = services.problem_raise(by=rep, title=title, category=category, detail=detail, source=source,
                                             customer=customer if source == ProblemSource.CUSTOMER else None)
            if index % 3 == 1:
                services.problem_assign(by=lead, problem=problem, owner_resource=rng.choice(ResourceKind.values))
                services.problem_start(by=lead, problem=problem)
            elif index % 3 == 2:
                services.problem_assign(by=lead, problem=problem, owner_user=lead)
                services.problem_resolve(by=lead, problem=problem, resolution=rng.choice(RESOLUTIONS))
        for rep, (title, story) in zip(reps, CASES[:2], strict=False):
            deal = Deal.objects.filter(owner=rep, status=DealStatus.WON, is_active=True).order_by("-signed_at").first()
            customer = Customer.objects.filter(owner=rep, is_active=True).order_by("pk").first()
            if deal is not None or customer is not None:
                services.success_case_create(by=rep, title=title, story=story, deal=deal,
                                             customer=None if deal is not None else customer)


def _problems(ctx: GeneratorContext) -> Iterator[Problem]:
    r, now = ctx.rng.random, timezone.now()
    for team_id in ctx.team_ids:
        reps, lead = ctx.reps_by_team[team_id], ctx.lead_by_team[team_id]
        for n in range(PROBLEMS_PER_TEAM):
            title, category, detail = PROBLEMS[int(r() * len(PROBLEMS))]
            days = (PROBLEMS_PER_TEAM - n) * HISTORY_DAYS // PROBLEMS_PER_TEAM
            raised = now - dt.timedelta(days=days, hours=int(r() * 8))
            still_open = n >= PROBLEMS_PER_TEAM - 4
            yield Problem(
                team_id=team_id, raised_by_id=reps[int(r() * len(reps))], title=title, category=category,
                detail=detail, source=ProblemSource.SUMMARY, owner_user_id=None if still_open else lead,
                status=ProblemStatus.OPEN if still_open else ProblemStatus.RESOLVED,
                resolution="" if still_open else RESOLUTIONS[int(r() * len(RESOLUTIONS))],
                resolved_at=None if still_open else raised + dt.timedelta(days=2), resolved_by_id=None if still_open
                else lead, created_at=raised, updated_at=raised,
            )


def _cases(ctx: GeneratorContext, first_customer: dict[int, int]) -> Iterator[SuccessCase]:
    r, now = ctx.rng.random, timezone.now()
    for team_id in ctx.team_ids:
        reps = [rep for rep in ctx.reps_by_team[team_id] if rep in first_customer]
        for n in range(CASES_PER_TEAM if reps else 0):
            rep = reps[int(r() * len(reps))]
            title, story = CASES[int(r() * len(CASES))]
            at = now - dt.timedelta(days=(CASES_PER_TEAM - n) * HISTORY_DAYS // CASES_PER_TEAM)
            yield SuccessCase(team_id=team_id, author_id=rep, title=title, story=story,
                              customer_id=first_customer[rep], created_at=at, updated_at=at)


def generate_problems(ctx: GeneratorContext) -> None:
    """Problems and success cases per generated team (see the module docstring)."""
    ctx.bulk_create(Problem, _problems(ctx), total=len(ctx.team_ids) * PROBLEMS_PER_TEAM)
    first_customer: dict[int, int] = {}
    for owner, customer in (Customer.objects.filter(owner__in=ctx.rep_ids, is_active=True)
                            .order_by("owner_id", "pk").values_list("owner_id", "pk")):
        first_customer.setdefault(owner, customer)
    ctx.bulk_create(SuccessCase, _cases(ctx, first_customer), total=len(ctx.team_ids) * CASES_PER_TEAM)


def wipe_problems(generated_users: QuerySet[User]) -> None:
    users = generated_users.values("pk")
    problems = Problem.objects.filter(Q(raised_by__in=users) | Q(owner_user__in=users) | Q(resolved_by__in=users))
    raw_delete(Problem.history.model.objects.filter(id__in=problems.values("pk")))
    raw_delete(problems)
    raw_delete(SuccessCase.history.model.objects.filter(author__in=users))
    raw_delete(SuccessCase.objects.filter(author__in=users))


register_demo_step("problems and success cases", demo_problems)
register_generator_step("problems and success cases", generate_problems, wipe=wipe_problems)
