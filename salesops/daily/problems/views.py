"""Pages of R5 problems and R6 success cases: the team's problems (open first) with their states, one
problem with its history and the manager's actions, the raise and share forms (reachable from a summary,
a customer page and the brief, pre-filled by ``?customer=``, ``?deal=``, ``?source=``, ``?next=``), and the
success cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.errors import Conflict
from salesops.core.forms import add_errors
from salesops.customers.models import Customer
from salesops.daily.problems import selectors, services
from salesops.daily.problems.filters import ProblemFilterSet, SuccessCaseFilterSet
from salesops.daily.problems.forms import AssignForm, ProblemForm, ResolveForm, SuccessCaseForm, teams_for
from salesops.daily.problems.models import Problem, ProblemSource, ProblemStatus
from salesops.deals.models import Deal

PAGE_SIZE = 30


def _next(request: AuthedHttpRequest, fallback: str) -> str:
    """Where to go back to: ``next`` when it is an address of this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _linked(request: AuthedHttpRequest, name: str, rows: QuerySet[Any]) -> Any:
    """The customer or deal of ``?customer=`` / ``?deal=`` (also posted back), in the viewer's scope (404 else)."""
    text = request.POST.get(name) or request.GET.get(name) or ""
    if not text:
        return None
    found = rows.filter(pk=int(text)).first() if text.isdigit() and len(text) < 19 else None
    if found is None:
        raise Http404(_("Not found."))
    return found


def _source(request: AuthedHttpRequest) -> str:
    source = request.POST.get("source") or request.GET.get("source") or ProblemSource.OTHER
    return source if source in ProblemSource.values else ProblemSource.OTHER


def _listed(request: AuthedHttpRequest, filterset_class: Any, rows: QuerySet[Any]) -> tuple[Any, Any, str]:
    filterset = filterset_class(request.GET, queryset=rows)
    if not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
        filterset = filterset_class({}, queryset=rows)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return filterset, page, query.urlencode()


@login_required
@require_GET
def problem_list(request: AuthedHttpRequest) -> HttpResponse:
    """R5: the problems of the viewer's teams, open ones first (oldest first among them is the brief's
    order; here the newest), then the resolved."""
    filterset, page, query = _listed(request, ProblemFilterSet, selectors.problem_list(user=request.user))
    return render(request, "daily/problems/list.html", {
        "page": page, "filter": filterset, "query": query, "teams": teams_for(request.user),
        "statuses": ProblemStatus.choices, "open_statuses": selectors.OPEN,
    })


def _problem(request: AuthedHttpRequest, pk: int) -> Problem:
    found = selectors.problem_detail(user=request.user, pk=pk)
    if found is None:
        raise Http404(_("No such problem."))
    return found


@login_required
@require_GET
def problem_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    user = request.user
    manages = services.manages_team(user, problem.team_id)
    return render(request, "daily/problems/detail.html", {
        "problem": problem, "customer_name": selectors.link_name(problem, "customer"),
        "changes": selectors.problem_changes(problem=problem, limit=30),
        "can_assign": manages and problem.is_open,
        "can_start": problem.status == ProblemStatus.OPEN and (manages or user.pk == problem.owner_user_id),
        "can_resolve": manages and problem.is_open,
        "assign_form": AssignForm(user=user, initial={"owner_user": problem.owner_user_id,
                                                      "owner_resource": problem.owner_resource}),
        "resolve_form": ResolveForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request: AuthedHttpRequest) -> HttpResponse:
    """R5: raise a problem; ``?customer=`` (or ``?deal=``, whose customer it names) ties it to a customer in
    scope, ``?source=`` says where it came from (brief, summary, customer), ``?next=`` where to go back."""
    user = request.user
    deal = _linked(request, "deal", Deal.objects.visible_to(user).filter(is_active=True).select_related("customer"))
    customer = _linked(request, "customer", Customer.objects.visible_to(user).filter(is_active=True))
    customer = customer or (deal.customer if deal is not None else None)
    source = _source(request)
    back = _next(request, "")
    form = ProblemForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_raise(
                by=user, title=form.cleaned_data["title"], category=form.cleaned_data["category"],
                detail=form.cleaned_data["detail"], customer=customer, source=source,
                team=form.cleaned_data.get("team"))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Problem raised: %(title)s") % {"title": problem.title})
            return redirect(back or reverse("problem-detail", args=[problem.pk]))
    return render(request, "daily/problems/form.html", {
        "form": form, "customer": customer, "deal": deal, "source": source, "next": back,
        "source_label": ProblemSource(source).label,
    }, status=400 if form.errors else 200)


def _act(request: AuthedHttpRequest, pk: int, act: Callable[[Problem], str]) -> HttpResponse:
    """Run one state change from a posted form: its message on success, the refusal otherwise (a bad field,
    a state that no longer allows it), back on the problem's page."""
    problem = _problem(request, pk)
    try:
        messages.success(request, act(problem))
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect(_next(request, reverse("problem-detail", args=[problem.pk])))


def _version(request: AuthedHttpRequest) -> int | None:
    text = request.POST.get("version", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@login_required
@require_POST
def problem_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(problem: Problem) -> str:
        form = AssignForm(request.POST, user=request.user)
        if not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        services.problem_assign(by=request.user, problem=problem, owner_user=form.cleaned_data["owner_user"],
                                owner_resource=form.cleaned_data["owner_resource"], version=_version(request))
        return _("Owner set.")

    return _act(request, pk, act)


@login_required
@require_POST
def problem_start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(problem: Problem) -> str:
        services.problem_start(by=request.user, problem=problem, version=_version(request))
        return _("Problem in progress.")

    return _act(request, pk, act)


@login_required
@require_POST
def problem_resolve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(problem: Problem) -> str:
        services.problem_resolve(by=request.user, problem=problem, resolution=request.POST.get("resolution", ""),
                                 version=_version(request))
        return _("Problem resolved.")

    return _act(request, pk, act)


@login_required
@require_GET
def success_case_list(request: AuthedHttpRequest) -> HttpResponse:
    """R6: the success cases of the viewer's teams, newest first."""
    filterset, page, query = _listed(request, SuccessCaseFilterSet, selectors.success_case_list(user=request.user))
    rows = [(case, selectors.link_name(case, "customer"), selectors.link_name(case, "deal")) for case in page]
    return render(request, "daily/problems/cases.html", {
        "page": page, "rows": rows, "filter": filterset, "query": query, "teams": teams_for(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def success_case_create(request: AuthedHttpRequest) -> HttpResponse:
    """R6: share a success story of a customer or a deal in scope (``?customer=``, ``?deal=``)."""
    user = request.user
    deal = _linked(request, "deal", Deal.objects.visible_to(user).filter(is_active=True).select_related("customer"))
    customer = _linked(request, "customer", Customer.objects.visible_to(user).filter(is_active=True))
    back = _next(request, "")
    form = SuccessCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.success_case_create(
                by=user, title=form.cleaned_data["title"], story=form.cleaned_data["story"], customer=customer,
                deal=deal, team=form.cleaned_data.get("team"))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Success case shared: %(title)s") % {"title": case.title})
            return redirect(back or reverse("success-cases"))
    deals = [] if deal is not None or customer is None else list(
        Deal.objects.visible_to(user).filter(customer=customer, is_active=True).order_by("-updated_at")[:20])
    return render(request, "daily/problems/case_form.html", {
        "form": form, "customer": customer or (deal.customer if deal is not None else None), "deal": deal,
        "deals": deals, "next": back, "source": _source(request),
    }, status=400 if form.errors else 200)
