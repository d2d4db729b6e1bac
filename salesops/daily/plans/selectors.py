"""Reads of R7 daily plans: what a new plan is pre-filled with, a person's plan of a day, a team's plans of
a day, open resource requests, and one plan as its page shows it. Every read for a person goes through
``visible_to`` (R1); the contract reads (``plans_of``, ``open_requests``) take ids the caller has scoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet

from salesops.accounts.models import Role, Team, User
from salesops.customers.models import Customer
from salesops.daily.plans.models import DailyPlan, PlanCustomer, RequestStatus, ResourceRequest, StopSource
from salesops.daily.plans.routes import RouteOrder, Stop, order_route, route_km
from salesops.daily.summaries.selectors import tomorrow_of
from salesops.followups.selectors import due_today
from salesops.tasks.models import Task
from salesops.tasks.selectors import open_tasks_on

#: The most customers and tasks a new plan is pre-filled with (the longest overdue first): a day's work;
#: the rest stay on the due list.
PREFILL_CUSTOMERS = 40
PREFILL_TASKS = 30


@dataclass
class Prefill:
    """What a new plan of ``user`` for ``day`` starts with (R7, R10, R20, R17)."""

    customers: list[tuple[Customer, str]] = field(default_factory=list)  # (customer, StopSource)
    tasks: list[Task] = field(default_factory=list)
    carried_over: str = ""
    more_due: bool = False  # more customers are due than the plan took


def prefill(*, user: User, day: dt.date) -> Prefill:
    """The customers due on ``day`` or overdue (R10), the open tasks due by ``day`` (R20) and the customers
    they name, and what the previous working day's summary planned for ``day`` (R17)."""
    due = list(due_today(user=user, today=day).only("pk", "name", "grade", "next_due_at", "latitude", "longitude",
                                                     "owner_id")[:PREFILL_CUSTOMERS + 1])
    found = Prefill(more_due=len(due) > PREFILL_CUSTOMERS, carried_over=tomorrow_of(user_id=user.pk, day=day))
    found.customers = [(customer, StopSource.DUE) for customer in due[:PREFILL_CUSTOMERS]]
    found.tasks = list(open_tasks_on(user=user, day=day).select_related("customer").order_by("deadline", "id")
                       [:PREFILL_TASKS])
    taken = {customer.pk for customer, _source in found.customers}
    for task in found.tasks:
        customer = task.customer
        if customer is not None and customer.pk not in taken and customer.owner_id == user.pk and customer.is_active:
            found.customers.append((customer, StopSource.TASK))
            taken.add(customer.pk)
    return found


def plans_of(*, team_id: int, day: dt.date) -> dict[int, DailyPlan]:
    """The plans of ``team_id`` (the team when each plan was made) for ``day``, by person id."""
    return {plan.user_id: plan for plan in DailyPlan.objects.filter(team_id=team_id, date=day)}


def plan_on(*, user_id: int, day: dt.date) -> DailyPlan | None:
    """``user_id``'s plan for ``day`` alone, without its customers and requests (a status and a link)."""
    return DailyPlan.objects.filter(user_id=user_id, date=day).first()


def open_requests(*, team_ids: Iterable[int]) -> QuerySet[ResourceRequest]:
    """The resource requests still open on plans of ``team_ids``, oldest first, with their plan and person."""
    return (
        ResourceRequest.objects.filter(status=RequestStatus.OPEN, plan__team_id__in=list(team_ids))
        .select_related("plan", "plan__user").order_by("created_at", "id")
    )


def listed(rows: QuerySet[DailyPlan]) -> QuerySet[DailyPlan]:
    """A list row: the plan with its person, its customers in order and its requests, in a fixed number of
    queries."""
    return rows.select_related("user", "team", "decided_by").prefetch_related(
        Prefetch("stops", queryset=PlanCustomer.objects.select_related("customer").order_by("position")),
        Prefetch("requests", queryset=ResourceRequest.objects.select_related("decided_by").order_by("created_at",
                                                                                                    "id")),
        Prefetch("tasks", queryset=Task.objects.order_by("deadline", "id")),
    )


def plan_list(*, user: User) -> QuerySet[DailyPlan]:
    """Every plan ``user`` may see (R1), for the API and its filters."""
    return listed(DailyPlan.objects.visible_to(user))


def plan_detail(*, user: User, pk: int) -> DailyPlan | None:
    return plan_list(user=user).filter(pk=pk).first()


def plan_of_day(*, user: User, day: dt.date) -> DailyPlan | None:
    """``user``'s own plan for ``day``, as its page shows it."""
    return listed(DailyPlan.objects.filter(user=user, date=day)).first()


def stops_of(plan: DailyPlan) -> list[PlanCustomer]:
    """The plan's customers in list order (prefetched by ``listed``)."""
    return list(plan.stops.all())


def route_of(plan: DailyPlan) -> list[PlanCustomer]:
    """The visit route: the plan's customers with a stop number, in visit order."""
    return sorted((row for row in stops_of(plan) if row.stop is not None), key=lambda row: row.stop or 0)


def _as_stop(row: PlanCustomer) -> Stop[int]:
    customer = row.customer
    lat, lon = customer.latitude, customer.longitude
    return Stop(customer.pk, None if lat is None else float(lat), None if lon is None else float(lon))


def route_km_of(plan: DailyPlan) -> float:
    """The travel along the plan's route between the stops that have coordinates (km)."""
    return route_km([_as_stop(row) for row in route_of(plan)])


def route_order(plan: DailyPlan) -> RouteOrder[int]:
    """A shorter order of the plan's route (R7), with the distance before and after."""
    return order_route([_as_stop(row) for row in route_of(plan)])


@dataclass(frozen=True)
class TeamDay:
    """A team's plans of a day as the lead's page shows them: every member with their plan (or none)."""

    team: Team
    day: dt.date
    rows: list[tuple[User, DailyPlan | None]]
    requests: list[ResourceRequest]

    @property
    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {"none": 0}
        for _person, plan in self.rows:
            key = plan.status if plan is not None else "none"
            found[key] = found.get(key, 0) + 1
        return found


def teams_for(*, user: User) -> QuerySet[Team]:
    """The teams whose plans ``user`` reads on the team page (R1): their own, the ones they lead or direct."""
    return Team.objects.visible_to(user).filter(is_active=True).order_by("name")


def team_day(*, user: User, team: Team, day: dt.date) -> TeamDay:
    """Every active rep and the lead of ``team`` with their plan for ``day`` (in ``user``'s scope, R1): its
    customers' names, visits first in route order; and the team's open requests."""
    people = list(
        User.objects.visible_to(user).filter(team=team, is_active=True, role__in=[Role.REP, Role.LEAD])
        .order_by("display_name", "id")
    )
    stops = PlanCustomer.objects.select_related("customer").only(
        "plan_id", "customer_id", "position", "stop", "customer__name").order_by(
        F("stop").asc(nulls_last=True), "position")
    plans = {plan.user_id: plan for plan in DailyPlan.objects.visible_to(user).filter(
        date=day, user__in=[person.pk for person in people]).prefetch_related(Prefetch("stops", queryset=stops))}
    requests = list(ResourceRequest.objects.visible_to(user).filter(
        status=RequestStatus.OPEN, plan__team=team).select_related("plan", "plan__user").order_by("created_at", "id"))
    return TeamDay(team=team, day=day, rows=[(person, plans.get(person.pk)) for person in people], requests=requests)


def customer_choices(*, user: User, query: str, exclude: Iterable[int], limit: int = 8) -> list[Customer]:
    """``user``'s own active customers whose name holds ``query`` (the plan page's "add a customer")."""
    if not query.strip():
        return []
    return list(
        Customer.objects.filter(owner=user, is_active=True, name__icontains=query.strip())
        .exclude(pk__in=list(exclude)).only("pk", "name", "grade").order_by("name", "id")[:limit]
    )
