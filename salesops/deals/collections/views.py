"""A contract's collections page /contracts/<id>/collections/ (R13): its payment plan with each
instalment's status, the receipts, and the forms to replace the plan, record a receipt or void one.

The contract is read through ``visible_to`` (R1): outside the caller's scope it is not found. The forms
are shown to whoever may act (``deals.manage_collections``); every write goes through the services,
whose refusals are shown on the form that was sent.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict
from salesops.core.forms import add_errors
from salesops.core.money import ZERO, yuan_text
from salesops.deals.collections import selectors, services
from salesops.deals.collections.forms import PlanFormSet, ReceiptForm
from salesops.deals.collections.services import PlanLine
from salesops.deals.models import Contract, Instalment

#: Empty rows offered below the plan's instalments for new ones.
BLANK_ROWS = 2


def _plan_forms(rows: list[Instalment]) -> Any:
    initial: list[dict[str, Any]] = [
        {"instalment": row.pk, "due_date": row.due_date, "amount": row.amount} for row in rows
    ]
    return PlanFormSet(prefix="plan", initial=[*initial, *({} for _ in range(BLANK_ROWS))])


def _version(request: AuthedHttpRequest) -> int | None:
    text = request.POST.get("version", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _replace_plan(request: AuthedHttpRequest, contract: Contract, context: dict[str, Any]) -> HttpResponse | None:
    forms = PlanFormSet(request.POST, prefix="plan")
    context["plan_forms"] = forms
    if not forms.is_valid():
        return None
    plan = [
        PlanLine(form.cleaned_data["due_date"], form.cleaned_data["amount"], form.cleaned_data.get("instalment"))
        for form in forms
        if form.cleaned_data.get("due_date") is not None
    ]
    try:
        services.instalments_replace(by=request.user, contract_id=contract.pk, plan=plan, version=_version(request))
    except (ValidationError, Conflict) as error:
        context["plan_errors"] = [str(error)] if isinstance(error, Conflict) else error.messages
        return None
    messages.success(request, _("The payment plan of %(number)s is saved.") % {"number": contract.number})
    return redirect("contract-collections", pk=contract.pk)


def _record(request: AuthedHttpRequest, contract: Contract, context: dict[str, Any]) -> HttpResponse | None:
    form = ReceiptForm(request.POST)
    context["receipt_form"] = form
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        payment = services.payment_record(by=request.user, instalment_id=data["instalment"],
                                          received_at=data["received_at"], amount=data["amount"])
    except ValidationError as error:
        add_errors(form, error)
        return None
    messages.success(request, _("A receipt of %(amount)s is recorded.") % {"amount": yuan_text(payment.amount)})
    return redirect("contract-collections", pk=contract.pk)


def _void(request: AuthedHttpRequest, contract: Contract) -> HttpResponse:
    text = request.POST.get("payment", "")
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise Http404(_("No such receipt."))
    try:
        payment = services.payment_void(by=request.user, payment_id=int(text))
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The receipt of %(amount)s is voided.") % {"amount": yuan_text(payment.amount)})
    return redirect("contract-collections", pk=contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contract_collections(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The plan and the receipts of one contract, with the forms for whoever may act on them."""
    contract = selectors.contract_for(user=request.user, contract_id=pk)
    if contract is None:
        raise Http404(_("No such contract."))
    may_act = request.user.has_perm("deals.manage_collections", contract)
    rows = selectors.plan_of(contract=contract)
    context: dict[str, Any] = {"contract": contract, "may_act": may_act, "rows": rows}
    if request.method == "POST":
        if not may_act:
            raise Http404(_("No such contract."))
        action = request.POST.get("action", "")
        if action == "void":
            return _void(request, contract)
        handler = {"plan": _replace_plan, "receipt": _record}.get(action)
        answer = handler(request, contract, context) if handler else None
        if answer is not None:
            return answer
    context.setdefault("plan_forms", _plan_forms(rows))
    context.setdefault("receipt_form", ReceiptForm(initial={"received_at": local_today()}))
    receipts = list(selectors.payments(user=request.user).filter(instalment__contract=contract))
    context.update({
        "receipts": receipts,
        "planned": sum((row.amount for row in rows), ZERO),
        "received": sum((row.received for row in rows), ZERO),
        "today": local_today(),
    })
    status = 400 if request.method == "POST" else 200
    return render(request, "deals/collections/contract.html", context, status=status)
