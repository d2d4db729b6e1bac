"""Deal pages: the pipeline board per rep and per team (R13: stage moves by drag and drop or by keyboard,
won and lost through dialogs), the filterable list, a deal's detail (lines, history, contract, post-win
tasks), the new and edit forms, and a contract's page with its signed scan. Rows only via ``visible_to``
(R1): anything outside the scope is a 404. Every write calls one service; its refusal is shown on the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesops.accounts.models import Role, Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, DomainError
from salesops.core.files import file_response
from salesops.core.filters import MAX_ID
from salesops.core.forms import add_errors
from salesops.core.money import money
from salesops.core.scope import scope_of
from salesops.customers.models import Customer
from salesops.deals import contracts, selectors, services, winning
from salesops.deals.collections import selectors as collections_selectors
from salesops.deals.filters import ContractFilterSet, DealFilterSet
from salesops.deals.forms import DealForm, LoseForm, ReopenForm, ScanForm, WinForm
from salesops.deals.models import Contract, Deal, DealStatus, Stage

PAGE_SIZE = 50


def _visible(queryset: QuerySet[Any], pk: int) -> Any:
    row = queryset.filter(pk=pk).first() if pk <= MAX_ID else None
    if row is None:
        raise Http404
    return row


def _back(request: AuthedHttpRequest, deal: Deal) -> HttpResponseRedirect:
    """Back to where the action was started (the board, the list), else the deal's page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = ""
    return HttpResponseRedirect(target or reverse("deal-detail", args=[deal.pk]))


def _board_rows(request: AuthedHttpRequest) -> tuple[DealFilterSet, dict[str, Any]]:
    """Whose board: ``?owner=`` a person, ``?team=`` a team; by default a rep's own, a lead's team, the
    first of a director's or admin's teams."""
    user = request.user
    data = request.GET.copy()
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    if not data.get("owner") and not data.get("team"):
        if user.role == Role.REP:
            data["owner"] = str(user.pk)
        elif user.team_id:
            data["team"] = str(user.team_id)
        elif teams:  # a director or an admin: the first of their teams
            data["team"] = str(teams[0].pk)
    filterset = DealFilterSet(data, queryset=selectors.deal_list(user=user))
    if not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
        filterset = DealFilterSet({}, queryset=selectors.deal_list(user=user))
    team = filterset.form.cleaned_data.get("team")
    people = User.objects.visible_to(user).filter(is_active=True, role__in=[Role.REP, Role.LEAD])
    people = people.filter(team_id=team or user.team_id).order_by("display_name")
    return filterset, {
        "teams": teams,
        "people": people,
        "owner": filterset.form.cleaned_data.get("owner"),
        "team": team,
    }


@login_required
def deal_board(request: AuthedHttpRequest) -> HttpResponse:
    filterset, context = _board_rows(request)
    board = selectors.board(rows=filterset.qs)
    query = request.GET.copy()
    context.update({
        "board": board, "stages": Stage.choices, "query": query.urlencode(), "base": reverse("deals"),
        "win_form": WinForm(initial={"signed_at": local_today()}), "lose_form": LoseForm(),
    })
    partial = bool(request.headers.get("HX-Request"))
    context["partial"] = partial
    return render(request, "deals/_board.html" if partial else "deals/board.html", context)


@login_required
def deal_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    filterset = DealFilterSet(request.GET, queryset=selectors.deal_list(user=user))
    if not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
        filterset = DealFilterSet({}, queryset=selectors.deal_list(user=user))
    page = Paginator(filterset.qs.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "deals/list.html", {
        "page": page, "filter": filterset, "query": query.urlencode(),
        "page_total": money(sum((deal.amount for deal in page), start=money(0))),
        "teams": Team.objects.visible_to(user).active().order_by("name") if user.role != Role.REP else [],
    })


@login_required
def deal_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    deal = _visible(selectors.deal_detail(user=user), pk)
    return render(request, "deals/detail.html", {
        "deal": deal,
        "lines": deal.active_lines,  # type: ignore[attr-defined]
        "tasks": deal.active_tasks,  # type: ignore[attr-defined]
        "contract": getattr(deal, "contract", None),
        "changes": selectors.deal_changes(deal=deal, limit=30),
        "can_reopen": deal.status != DealStatus.OPEN and scope_of(user).manages(deal.owner_id),
        "win_form": WinForm(initial={"signed_at": local_today(), "amount": deal.amount}),
        "lose_form": LoseForm(),
        "reopen_form": ReopenForm(),
        "stages": Stage.choices,
    })


def _deal_form(request: AuthedHttpRequest, deal: Deal | None, customer: Customer) -> HttpResponse:
    initial: dict[str, Any] = {}
    if deal is not None:
        initial = {"title": deal.title, "amount": deal.amount, "probability": deal.probability,
                   "expected_close": deal.expected_close, "version": deal.version}
        for index, line in enumerate(deal.lines.filter(is_active=True)[:5]):
            initial.update({f"product_{index}": line.product, f"quantity_{index}": line.quantity,
                            f"unit_price_{index}": line.unit_price})
    form = DealForm(request.POST or None, initial=initial, editing=deal is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = form.lines()
        fields = {"title": data["title"], "expected_close": data["expected_close"]}
        if data["amount"] is not None:
            fields["amount"] = data["amount"]
        if data["probability"] is not None:
            fields["probability"] = data["probability"]
        try:
            if deal is None:
                saved = services.deal_create(by=request.user, customer=customer, stage=data["stage"],
                                             lines=lines or None, **fields)
            else:
                saved = services.deal_update(deal=deal, by=request.user, version=data["version"],
                                             lines=lines, **fields)
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Deal saved."))
            return HttpResponseRedirect(reverse("deal-detail", args=[saved.pk]))
    return render(request, "deals/form.html", {"form": form, "deal": deal, "customer": customer})


@login_required
def deal_create(request: AuthedHttpRequest) -> HttpResponse:
    raw = request.GET.get("customer") or request.POST.get("customer") or ""
    if not raw.isdigit():
        raise Http404
    customer = _visible(Customer.objects.visible_to(request.user).filter(is_active=True), int(raw))
    return _deal_form(request, None, customer)


@login_required
def deal_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deal = _visible(selectors.deal_list(user=request.user), pk)
    if deal.status != DealStatus.OPEN:
        messages.error(request, services.closed_error(deal).message)
        return HttpResponseRedirect(reverse("deal-detail", args=[deal.pk]))
    return _deal_form(request, deal, deal.customer)


def _act(request: AuthedHttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    """Run one action on a visible deal; its refusal is a message on the page it came from."""
    deal = _visible(selectors.deal_list(user=request.user), pk)
    try:
        act(deal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DomainError as error:
        if not isinstance(error, Conflict):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    if request.headers.get("HX-Request"):
        return deal_board(request)
    return _back(request, deal)


@login_required
@require_POST
def deal_stage(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    stage = request.POST.get("stage", "")
    version = request.POST.get("version", "")
    return _act(request, pk, lambda deal: services.deal_stage_change(
        deal=deal, by=request.user, stage=stage, version=int(version) if version.isdigit() else None,
    ), _("Stage changed."))


@login_required
@require_POST
def deal_win(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    form = WinForm(request.POST)

    def win(deal: Deal) -> None:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        data = form.cleaned_data
        winning.deal_win(deal=deal, by=request.user, signed_at=data["signed_at"], amount=data["amount"],
                         contract_number=data["contract_number"] or None)

    return _act(request, pk, win, _("Deal won: the contract and the follow-through tasks are ready."))


@login_required
@require_POST
def deal_lose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    form = LoseForm(request.POST)

    def lose(deal: Deal) -> None:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        services.deal_lose(deal=deal, by=request.user, reason=form.cleaned_data["reason"],
                           note=form.cleaned_data["note"])

    return _act(request, pk, lose, _("Deal marked lost."))


@login_required
@require_POST
def deal_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(request, pk, lambda deal: services.deal_reopen(deal=deal, by=request.user, reason=reason),
                _("Deal reopened."))


@login_required
def contract_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    filterset = ContractFilterSet(request.GET, queryset=selectors.contract_list(user=user))
    if not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
        filterset = ContractFilterSet({}, queryset=selectors.contract_list(user=user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "deals/contracts.html", {
        "page": page, "filter": filterset, "query": query.urlencode(),
        "page_total": money(sum((contract.amount for contract in page), start=money(0))),
    })


@login_required
def contract_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract: Contract = _visible(selectors.contract_list(user=request.user), pk)
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contracts.contract_attach_scan(contract=contract, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Signed scan attached: the contract is archived."))
            return HttpResponseRedirect(reverse("contract-detail", args=[contract.pk]))
    context = {"contract": contract, "form": form, "plan": collections_selectors.plan_of(contract=contract)}
    return render(request, "deals/contract.html", context, status=400 if form.errors else 200)


@login_required
def contract_scan(request: AuthedHttpRequest, pk: int) -> FileResponse:
    contract: Contract = _visible(selectors.contract_list(user=request.user), pk)
    if not contract.scan:
        raise Http404
    return file_response(contract.scan, download_name=f"contract-{contract.pk}")
