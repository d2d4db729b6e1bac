"""The team's day in the R1 scope matrix's world: per owner a daily summary (R17), a problem about the
owner's customer (R5) and a success case of it (R6), each with a marker; and who sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.customers.models import Customer
from salesops.daily.problems import services as problem_services
from salesops.daily.summaries import services as summary_services

#: The team of each owner of the world (the pool has none).
TEAM_OF = {"rep_a1": "team_a", "rep_a2": "team_a", "lead_a": "team_a", "rep_b1": "team_b", "rep_c1": "team_c",
           "inactive": "team_a"}


def daily_rows_of(world: Any, markers: dict[str, dict[str, list[str]]], owner: str, label: str, user: User,
                  customer: Customer) -> None:
    """The owner's summary of today, a problem about their customer raised from the customer page, and a
    success case of that customer; markers that only their viewers may find."""
    summary = summary_services.summary_submit(by=user, day=local_today(), done=f"{label}小结完成事项",
                                              not_done=[{"item": f"{label}未完成", "reason": "客户出差"}])
    problem = problem_services.problem_raise(by=user, title=f"{label}问题", category="customer_resources",
                                             customer=customer, source="customer")
    case = problem_services.success_case_create(by=user, title=f"{label}案例", story="样机试用后签约",
                                                customer=customer)
    world.summary[owner], world.problem[owner], world.success_case[owner] = summary.pk, problem.pk, case.pk
    markers["summary"][owner] = [summary.done]
    markers["problem"][owner] = [problem.title]
    markers["success_case"][owner] = [case.title]


def yesterday() -> str:
    return (local_today() - dt.timedelta(days=1)).isoformat()
