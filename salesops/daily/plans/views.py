"""Plan pages (R7): the rep's plan of the day on a phone (pre-filled, the route reordered by buttons or
optimised, resource requests, submit), the lead's plans of the team for a day (approve, return, requests
to fulfil or decline), and the plan printed or as a sheet (R26). Every form posts to one service and comes
back to the page with the outcome as a message; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict
from salesops.core.sheets import XLSX_CONTENT_TYPE, attachment, xlsx_stream
from salesops.daily.plans import requests as request_services
from salesops.daily.plans import selectors, services, sheet
from salesops.daily.plans.forms import DayForm, DecisionForm, PlanEditForm, RequestForm
from salesops.daily.plans.models import DailyPlan, PlanStatus, RequestKind, ResourceRequest


def _plan(request: AuthedHttpRequest, pk: int) -> DailyPlan:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def _refusal(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _run(request: AuthedHttpRequest, act: Callable[[], str], back: str) -> HttpResponse:
    """Run one service call: its message on success, the refusal otherwise, back to ``back``."""
    try:
        messages.success(request, act())
    except (ValidationError, Conflict) as exc:
        messages.error(request, _refusal(exc))
    return redirect(back)


@login_required
@require_GET
def plan_today(request: AuthedHttpRequest) -> HttpResponse:
    """Today's plan of the person: their plan's page (its forms come back to the plan's own address), or
    the pre-filled new plan."""
    plan = selectors.plan_of_day(user=request.user, day=local_today())
    if plan is not None:
        return _detail(request, plan)
    return plan_create(request)


def _day_of(request: AuthedHttpRequest) -> dt.date:
    form = DayForm(request.GET)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    return day or local_today()


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedHttpRequest) -> HttpResponse:
    """R7: the new plan for a day (today unless ``?date=``) as it will be pre-filled; saving makes it."""
    day = _day_of(request)
    if request.method == "POST":
        try:
            plan = services.plan_create(by=request.user, day=day)
        except Conflict as exc:
            existing = exc.extra.get("plan")
            if existing:
                return redirect("plan-detail", existing)
            messages.error(request, _refusal(exc))
        except ValidationError as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Plan made. Order the route, add what you need, then submit."))
            return redirect("plan-detail", plan.pk)
    filled = selectors.prefill(user=request.user, day=day)
    return render(request, "daily/plans/new.html", {"day": day, "filled": filled, "today": local_today()})


@login_required
@require_GET
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The plan: its customers, the route with its distance, tasks, materials, requests; the person's
    buttons while it is with them, the lead's decision once it is submitted."""
    return _detail(request, _plan(request, pk))


def _detail(request: AuthedHttpRequest, plan: DailyPlan) -> HttpResponse:
    own = plan.user_id == request.user.pk
    stops = selectors.stops_of(plan)
    query = request.GET.get("q", "")[:50]
    return render(request, "daily/plans/detail.html", {
        "plan": plan,
        "stops": stops,
        "route": selectors.route_of(plan),
        "route_km": selectors.route_km_of(plan),
        "can_edit": own and plan.editable,
        "can_decide": plan.status == PlanStatus.SUBMITTED and services.may_decide(request.user, plan),
        "can_decide_requests": services.may_decide(request.user, plan),
        "own": own,
        "query": query,
        "choices": selectors.customer_choices(user=request.user, query=query,
                                              exclude=[row.customer_id for row in stops]) if own else [],
        "request_form": RequestForm(),
        "kinds": RequestKind,
    })


def _edited(plan: DailyPlan, action: str, customer: int | None) -> tuple[list[int], list[int]]:
    """The plan's customer list and route after one button of the page."""
    ids = [row.customer_id for row in selectors.stops_of(plan)]
    route = [row.customer_id for row in selectors.route_of(plan)]
    if customer is None:
        return ids, route
    if action == "add" and customer not in ids:
        ids.append(customer)
    elif action == "remove":
        ids = [pk for pk in ids if pk != customer]
        route = [pk for pk in route if pk != customer]
    elif action == "visit" and customer not in route:
        route.append(customer)
    elif action == "unvisit":
        route = [pk for pk in route if pk != customer]
    elif action in ("up", "down") and customer in route:
        at = route.index(customer)
        to = at - 1 if action == "up" else at + 1
        if 0 <= to < len(route):
            route[at], route[to] = route[to], route[at]
    return ids, route


@login_required
@require_POST
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One button of the plan page: add or remove a customer, put it on the route or take it off, move a
    stop up or down, optimise the route, save the materials."""
    plan = _plan(request, pk)
    back = reverse("plan-detail", args=[plan.pk])
    form = PlanEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    (action, customer), version = data["op"], data["version"]

    def act() -> str:
        if action == "optimise":
            found = services.plan_optimise_route(by=request.user, plan=plan, version=version)
            return _("Route ordered: %(before).1f km → %(after).1f km, %(saved).1f km shorter.") % {
                "before": found.before_km, "after": found.after_km, "saved": found.saved_km}
        if action == "materials":
            services.plan_update(by=request.user, plan=plan, version=version, materials=data["materials"])
            return _("Materials saved.")
        ids, route = _edited(plan, action, customer)
        services.plan_update(by=request.user, plan=plan, version=version, customers=ids, route=route)
        return _("Plan saved.")

    anchor = "#route" if action in ("visit", "unvisit", "up", "down", "optimise") else ""
    return _run(request, act, back + anchor)


@login_required
@require_POST
def request_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = RequestForm(request.POST)
    back = reverse("plan-detail", args=[plan.pk]) + "#requests"
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)

    def act() -> str:
        request_services.request_create(by=request.user, plan=plan, **form.cleaned_data)
        return _("Request sent to your lead.")

    return _run(request, act, back)


def _decision(request: AuthedHttpRequest) -> dict[str, Any]:
    form = DecisionForm(request.POST)
    return form.cleaned_data if form.is_valid() else {"comment": "", "version": None}


def _next(request: AuthedHttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else fallback


@login_required
@require_POST
def plan_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def act() -> str:
        done = services.plan_submit(by=request.user, plan=plan, version=_decision(request)["version"])
        return _("Plan submitted after the deadline (marked late).") if done.late else _("Plan submitted.")

    return _run(request, act, reverse("plan-detail", args=[plan.pk]))


@login_required
@require_POST
def plan_approve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def act() -> str:
        services.plan_approve(by=request.user, plan=plan, **_decision(request))
        return _("%(name)s's plan approved.") % {"name": plan.user.display_name}

    return _run(request, act, _next(request, reverse("plan-detail", args=[plan.pk])))


@login_required
@require_POST
def plan_return(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def act() -> str:
        services.plan_return(by=request.user, plan=plan, **_decision(request))
        return _("%(name)s's plan returned.") % {"name": plan.user.display_name}

    return _run(request, act, _next(request, reverse("plan-detail", args=[plan.pk])))


def _request_row(request: AuthedHttpRequest, pk: int) -> ResourceRequest:
    row = ResourceRequest.objects.visible_to(request.user).select_related("plan", "plan__user").filter(pk=pk).first()
    if row is None:
        raise Http404(_("No such request."))
    return row


@login_required
@require_POST
def request_fulfil(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    row = _request_row(request, pk)

    def act() -> str:
        request_services.request_fulfil(by=request.user, request=row, **_decision(request))
        return _("Request fulfilled.")

    return _run(request, act, _next(request, reverse("plan-detail", args=[row.plan_id]) + "#requests"))


@login_required
@require_POST
def request_decline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    row = _request_row(request, pk)

    def act() -> str:
        request_services.request_decline(by=request.user, request=row, **_decision(request))
        return _("Request declined.")

    return _run(request, act, _next(request, reverse("plan-detail", args=[row.plan_id]) + "#requests"))


@login_required
@permission_required("daily.view_team_plans", raise_exception=True)
@require_GET
def team_plans(request: AuthedHttpRequest) -> HttpResponse:
    """R7 for the lead: every member's plan of the day (``?team=``, ``?date=``) to approve or return, and
    the team's open requests to fulfil or decline; a chart of where the plans stand beside its table."""
    form = DayForm(request.GET)
    wanted = form.cleaned_data if form.is_valid() else {}
    teams = list(selectors.teams_for(user=request.user))
    team = next((team for team in teams if team.pk == wanted.get("team")), None)
    if wanted.get("team") and team is None:
        raise Http404(_("No such team."))
    team = team or next((team for team in teams if team.pk == request.user.team_id), None) or (
        teams[0] if teams else None)
    day = wanted.get("date") or local_today()
    board = selectors.team_day(user=request.user, team=team, day=day) if team is not None else None
    counts = sheet.status_counts(board) if board is not None else []
    return render(request, "daily/plans/team.html", {
        "teams": teams, "team": team, "day": day, "board": board, "counts": counts,
        "chart": sheet.status_chart(counts),
        "here": request.get_full_path(),
    })


@login_required
@require_GET
def plan_print(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """R26: the plan as it prints, with the same fields as on screen."""
    plan = _plan(request, pk)
    return render(request, "daily/plans/print.html", {
        "plan": plan, "stops": selectors.stops_of(plan), "route": selectors.route_of(plan),
        "route_km": selectors.route_km_of(plan),
    })


@login_required
@require_GET
def plan_sheet(request: AuthedHttpRequest, pk: int) -> StreamingHttpResponse:
    """R26: the plan as an xlsx sheet, the same fields as on screen (text cells safe from formulas)."""
    plan = _plan(request, pk)
    header, rows = sheet.plan_rows(plan)
    response = StreamingHttpResponse(xlsx_stream(sheet=_("Daily plan"), header=header, rows=rows),
                                     content_type=XLSX_CONTENT_TYPE)
    name = f"{_('Daily plan')}-{plan.user.display_name}-{plan.date.isoformat()}.xlsx"
    response["Content-Disposition"] = attachment(name, f"plan-{plan.date.isoformat()}.xlsx")
    return response
