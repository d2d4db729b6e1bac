"""Writes of R7 daily plans: create (pre-filled), edit, order the route, submit, approve, return.

The person writes their own plan while it is with them (a draft, or returned); whoever manages the
person (R1, ``core.scope.Scope.manages``: their lead, director, an admin) approves it or returns it with
a comment, never their own. A customer on a plan is one of the person's own active customers: any other
id answers 404 like an id nobody has, naming nothing (R1). Edits carry the version read (409 ``stale``).
Resource requests and the ``plan_check`` flags are in ``requests.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update
from salesops.customers.models import Customer
from salesops.daily.plans import selectors
from salesops.daily.plans.models import DailyPlan, PlanCustomer, PlanStatus, StopSource
from salesops.daily.plans.routes import RouteOrder
from salesops.notifications.services import notify
from salesops.organisation.selectors import rule_settings

#: The most customers one plan holds: more than a day's contacts is a mistake, and a bound for the route.
MAX_CUSTOMERS = 100
#: How far ahead a plan may be made.
MAX_AHEAD = dt.timedelta(days=31)
MATERIALS_MAX = 2000


def _save(plan: DailyPlan, *, by: User | None, reason: str) -> None:
    """Save with a history row (R12) naming who did it and why."""
    plan._history_user = by  # type: ignore[attr-defined]
    plan._change_reason = reason  # type: ignore[attr-defined]
    plan.save()


def _unique(ids: Sequence[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _own_customers(user: User, ids: Sequence[int]) -> dict[int, Customer]:
    """The person's own active customers among ``ids``; any other id is a 404 that names nothing (R1)."""
    found = Customer.objects.in_bulk([pk for pk in ids])
    own = {pk: c for pk, c in found.items() if c.owner_id == user.pk and c.is_active}
    if len(own) != len(set(ids)):
        raise NotFound(_("No such customer."))
    return own


def _check_materials(materials: str) -> str:
    if len(materials) > MATERIALS_MAX:
        raise Invalid(fields={"materials": _("Keep the materials under %(count)d characters.") % {
            "count": MATERIALS_MAX}})
    return materials.strip()


def _write_stops(plan: DailyPlan, rows: Sequence[tuple[int, str]], route: Sequence[int]) -> None:
    """Replace the plan's customers by ``rows`` (customer id, source) in order, the ``route`` ids numbered
    as visit stops; a route id not among the rows joins the list as added."""
    rows = list(rows)
    listed = {pk for pk, _source in rows}
    rows += [(pk, StopSource.ADDED) for pk in route if pk not in listed]
    if len(rows) > MAX_CUSTOMERS:
        raise Invalid(fields={"customers": _("A plan holds at most %(count)d customers.") % {"count": MAX_CUSTOMERS}})
    stop_of = {pk: number for number, pk in enumerate(route, start=1)}
    PlanCustomer.objects.filter(plan=plan).delete()
    PlanCustomer.objects.bulk_create([
        PlanCustomer(plan=plan, customer_id=pk, position=position, stop=stop_of.get(pk), source=source)
        for position, (pk, source) in enumerate(rows, start=1)
    ])


def _check_day(day: dt.date) -> None:
    today = local_today()
    if day < today:
        raise Invalid(fields={"date": _("A plan is made for today or a later day.")})
    if day > today + MAX_AHEAD:
        raise Invalid(fields={"date": _("A plan is made at most a month ahead.")})


@transaction.atomic
def plan_create(
    *,
    by: User,
    day: dt.date,
    customers: Sequence[int] | None = None,
    route: Sequence[int] = (),
    materials: str = "",
) -> DailyPlan:
    """``by``'s plan for ``day`` (today or later), one per person per day (a second: 409 ``duplicate``).
    Without ``customers`` it is pre-filled (``selectors.prefill``: the customers due under R10, the open
    tasks and their customers, what yesterday's summary planned); ``route`` orders visits among them."""
    _check_day(day)
    materials = _check_materials(materials)
    route_ids = _unique(route)
    filled = selectors.prefill(user=by, day=day)
    if customers is None:
        rows = [(customer.pk, source) for customer, source in filled.customers]
        _own_customers(by, route_ids)
    else:
        ids = _unique(customers)
        _own_customers(by, [*ids, *route_ids])
        rows = [(pk, StopSource.ADDED) for pk in ids]
    plan = DailyPlan(user=by, team_id=by.team_id, date=day, materials=materials, carried_over=filled.carried_over)
    try:
        with transaction.atomic():
            _save(plan, by=by, reason=_("Plan made"))
    except IntegrityError:
        existing = DailyPlan.objects.filter(user=by, date=day).values_list("pk", flat=True).first()
        raise Conflict(_("You already have a plan for this day."), code="duplicate",
                       extra={"plan": existing}) from None
    _write_stops(plan, rows, route_ids)
    plan.tasks.set(filled.tasks)
    return plan


def _locked_own(by: User, plan: DailyPlan, version: int | None) -> DailyPlan:
    """The plan as ``by`` may see it (404 otherwise), locked, checked against ``version``, ``by``'s own and
    still with them."""
    current = locked_for_update(DailyPlan.objects.visible_to(by), pk=plan.pk, expected=version)
    if current.user_id != by.pk:
        raise PermissionDenied(_("Only the person whose plan it is may change it."))
    if not current.editable:
        raise Conflict(_("The plan is submitted or approved; it can no longer be changed."), code="plan_state",
                       extra={"status": current.status})
    return current


@transaction.atomic
def plan_update(
    *,
    by: User,
    plan: DailyPlan,
    version: int | None = None,
    customers: Sequence[int] | None = None,
    route: Sequence[int] | None = None,
    materials: str | None = None,
) -> DailyPlan:
    """Change the plan's customers (the list replaced, each keeping why it was there), its route (visit
    order; a stop not on the list joins it) or its materials, while it is with its person."""
    current = _locked_own(by, plan, version)
    if materials is not None:
        current.materials = _check_materials(materials)
    if customers is not None or route is not None:
        existing = list(current.stops.order_by("position"))
        source_of = {row.customer_id: row.source for row in existing}
        ids = _unique(customers) if customers is not None else [row.customer_id for row in existing]
        route_ids = _unique(route) if route is not None else [
            row.customer_id for row in sorted(existing, key=lambda row: row.stop or 0)
            if row.stop is not None and row.customer_id in ids]
        new = [pk for pk in {*ids, *route_ids} if pk not in source_of]
        _own_customers(by, new)
        _write_stops(current, [(pk, source_of.get(pk, StopSource.ADDED)) for pk in ids], route_ids)
    _save(current, by=by, reason=_("Plan changed"))
    return current


@transaction.atomic
def plan_optimise_route(*, by: User, plan: DailyPlan, version: int | None = None) -> RouteOrder[int]:
    """R7: put the route's stops in a shorter order (nearest neighbour and 2-opt, ``routes.order_route``);
    the answer carries the distance before and after."""
    current = _locked_own(by, plan, version)
    found = selectors.route_order(selectors.listed(DailyPlan.objects.filter(pk=current.pk)).get())
    stop_of = {pk: number for number, pk in enumerate(found.keys, start=1)}
    rows = list(current.stops.all())
    for row in rows:
        row.stop = stop_of.get(row.customer_id)
    PlanCustomer.objects.bulk_update(rows, ["stop"])
    _save(current, by=by, reason=_("Route ordered: %(before).1f km → %(after).1f km") % {
        "before": found.before_km, "after": found.after_km})
    return found


def _deadline(day: dt.date) -> dt.datetime:
    """R7: the moment a plan for ``day`` is due (``plan_due_at`` on that day, the organisation's zone)."""
    return timezone.make_aware(dt.datetime.combine(day, rule_settings().plan_due_at),
                               timezone.get_default_timezone())


@transaction.atomic
def plan_submit(*, by: User, plan: DailyPlan, version: int | None = None) -> DailyPlan:
    """R7: hand the plan to the lead. The window is ``plan_opens_at``-``plan_due_at``: earlier is fine,
    later is accepted and marked late."""
    current = _locked_own(by, plan, version)
    now = timezone.now()
    current.status = PlanStatus.SUBMITTED
    current.submitted_at = now
    current.late = now > _deadline(current.date)
    _save(current, by=by, reason=_("Submitted late") if current.late else _("Submitted"))
    return current


def may_decide(by: User, plan: DailyPlan) -> bool:
    """R7: whoever manages the plan's person (R1); never the person themselves."""
    return scope_of(by).manages(plan.user_id)


def _decidable(by: User, plan: DailyPlan, version: int | None) -> DailyPlan:
    current = locked_for_update(DailyPlan.objects.visible_to(by), pk=plan.pk, expected=version)
    if by.pk == current.user_id:
        raise PermissionDenied(_("Nobody approves their own plan."))
    if not may_decide(by, current):
        raise PermissionDenied(_("Only the person's lead or director decides on a plan."))
    if current.status != PlanStatus.SUBMITTED:
        raise Conflict(_("The plan is not awaiting a decision: someone may have decided on it already."),
                       code="plan_state", extra={"status": current.status})
    return current


@transaction.atomic
def plan_approve(*, by: User, plan: DailyPlan, version: int | None = None, comment: str = "") -> DailyPlan:
    """R7: approved. Two decisions at once: the row lock lets one decide, the other finds it decided (409)."""
    current = _decidable(by, plan, version)
    current.status = PlanStatus.APPROVED
    current.decided_by, current.decided_at = by, timezone.now()
    current.comment = comment.strip()[:500]
    _save(current, by=by, reason=_("Approved"))
    return current


@transaction.atomic
def plan_return(*, by: User, plan: DailyPlan, comment: str, version: int | None = None) -> DailyPlan:
    """R7: returned to the person with a comment; they change it and submit again."""
    if not comment.strip():
        raise Invalid(fields={"comment": _("Say why the plan goes back.")})
    current = _decidable(by, plan, version)
    current.status = PlanStatus.RETURNED
    current.decided_by, current.decided_at = by, timezone.now()
    current.comment = comment.strip()[:500]
    _save(current, by=by, reason=_("Returned: %(comment)s") % {"comment": current.comment})
    notify(user=current.user, kind="plan_returned",
           title=_("Your plan for %(day)s was returned") % {"day": current.date.isoformat()},
           body=current.comment, url=reverse("plan-detail", args=[current.pk]))
    return current
