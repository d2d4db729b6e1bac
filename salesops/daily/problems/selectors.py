"""Reads of R5 problems and R6 success cases: a team's open problems and recent cases (the brief and the
review read these), the lists a person may see (R1), and whether each row's customer or deal is theirs to
see (a teammate's customer is named only to those who see it)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from salesops.accounts.models import User
from salesops.core.clock import day_start
from salesops.core.history import EMPTY, Change, history_changes
from salesops.customers.models import Customer
from salesops.daily.problems.models import Problem, ProblemStatus, SuccessCase
from salesops.deals.models import Deal

R = TypeVar("R", Problem, SuccessCase)

OPEN = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)


def open_problems(*, team_id: int) -> QuerySet[Problem]:
    """R5: the team's problems not yet resolved, oldest first: they stay on every brief until resolved."""
    return (
        Problem.objects.filter(team_id=team_id, is_active=True, status__in=OPEN)
        .select_related("raised_by", "owner_user", "customer").order_by("created_at", "id")
    )


def success_cases_since(*, team_id: int, since: dt.date) -> QuerySet[SuccessCase]:
    """R6: the team's success cases written on or after ``since``, newest first (the brief, the review)."""
    return (
        SuccessCase.objects.filter(team_id=team_id, is_active=True, created_at__gte=day_start(since))
        .select_related("author", "customer", "deal").order_by("-created_at", "-id")
    )


def with_links_seen(rows: QuerySet[R], user: User) -> QuerySet[R]:
    """Mark each row with ``customer_seen`` (and ``deal_seen`` for cases): whether ``user`` sees the row's
    customer or deal (R1), read in the same query; pages and the API name them only then."""
    rows = rows.annotate(customer_seen=Exists(Customer.objects.visible_to(user).filter(pk=OuterRef("customer_id"))))
    if rows.model is SuccessCase:
        rows = rows.annotate(deal_seen=Exists(Deal.objects.visible_to(user).filter(pk=OuterRef("deal_id"))))
    return rows


def problem_list(*, user: User) -> QuerySet[Problem]:
    """The problems ``user`` may see (R1: their teams', theirs), open ones first, then the latest resolved."""
    order = Case(When(status=ProblemStatus.RESOLVED, then=Value(1)), default=Value(0), output_field=IntegerField())
    return with_links_seen(
        Problem.objects.visible_to(user).filter(is_active=True)
        .select_related("team", "raised_by", "owner_user", "customer", "resolved_by")
        .annotate(done_last=order).order_by("done_last", "-created_at", "-id"),
        user,
    )


def problem_detail(*, user: User, pk: int) -> Problem | None:
    return problem_list(user=user).filter(pk=pk).first()


def success_case_list(*, user: User) -> QuerySet[SuccessCase]:
    """The success cases ``user`` may see (R1: their teams', their own), newest first."""
    return with_links_seen(
        SuccessCase.objects.visible_to(user).filter(is_active=True)
        .select_related("team", "author", "customer", "deal").order_by("-created_at", "-id"),
        user,
    )


def problem_changes(*, problem: Problem, limit: int = 50) -> list[Change]:
    """R5: the problem's history (who assigned, started, resolved, changed what), newest first; people by
    name, a customer by its number only (its name is the customer page's, R1)."""
    records = list(problem.history.select_related("history_user").order_by("-history_date", "-history_id")[
        : limit + 1])
    people = {user.pk: str(user) for user in User.objects.filter(pk__in={r.owner_user_id for r in records} - {None})}
    return history_changes(
        records, model=Problem, excluded={"updated_at", "created_at", "is_active", "started_at", "resolved_at",
                                          "resolved_by", "team", "raised_by", "source"},
        reason_fields={"status"},
        display={
            "owner_user": lambda pk: people.get(pk, f"#{pk}") if pk else EMPTY,
            "customer": lambda pk: f"#{pk}" if pk else EMPTY,
        },
        created=lambda record: record.title,
    )[:limit]


def link_name(row: Any, field: str) -> str | None:
    """The name of a row's customer or deal when the viewer sees it (``with_links_seen``), else None."""
    linked = getattr(row, field)
    if linked is None or not getattr(row, f"{field}_seen", False):
        return None
    return str(linked.name if field == "customer" else linked.title)
