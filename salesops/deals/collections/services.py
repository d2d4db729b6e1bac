"""Writes of collections 回款 (R13, R21): a contract's payment plan, receipts against its instalments.

Payment plan (``instalments_replace``): the whole plan is sent at once and replaces the active one. It
must sum exactly to the contract amount, each amount above zero, each due date between a year before
the signing and ten years after it. An instalment that has receipts cannot be dropped: the new plan
keeps it by naming its id (``PlanLine.instalment``), and may move its date or change its amount, never
below what was received. Lines without an id are new instalments; active instalments the plan does not
name are deactivated (kept with their history, never deleted). New instalments count for the deal's
owner and the owner's team (R21 collection rate); a kept one keeps its owner. The plan is part of the
contract: a replacement moves the contract's ``version`` on, and one based on an older copy is stale.

Receipts (``payment_record``): partial receipts are allowed, anything above what is still due on the
instalment is refused with that amount. The instalment row is locked while its ``received`` is read and
moved on, so two receipts at once cannot pass what is due together: the second is checked against the
first. A receipt counts for the contract's owner and the owner's team when it is recorded (R21
collections). A voided receipt (``payment_void``) stays, inactive, and no longer counts.

Who may act: the deal's owner, whoever manages the owner, an admin (``deals.manage_collections``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.money import MoneyError, parse_money, yuan_text
from salesops.core.versioning import version_check
from salesops.deals.models import Contract, Instalment, Payment

#: The most instalments one plan may have (monthly payments over ten years).
MAX_INSTALMENTS = 120
#: How far before its signing and after it an instalment may fall due.
EARLIEST = dt.timedelta(days=366)
LATEST = dt.timedelta(days=3653)


class PlanLine(NamedTuple):
    """One line of a payment plan: ``instalment`` names an existing instalment to keep (None: a new one)."""

    due_date: dt.date
    amount: Decimal
    instalment: int | None = None


def _contract(by: User, contract_id: int, *, lock: bool) -> Contract:
    """The contract in ``by``'s scope (R1, else 404) that ``by`` may act on (else 403)."""
    rows = Contract.objects.visible_to(by).select_related("deal")
    if lock:
        rows = rows.select_for_update(of=("self",))
    contract = rows.filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("No such contract."))
    if not by.has_perm("deals.manage_collections", contract):
        raise PermissionDenied(_("Only the deal's owner, their lead or director, or an admin may do this."))
    return contract


def _line(index: int, raw: Sequence[Any], contract: Contract) -> PlanLine:
    """A plan line checked: its amount above zero with two places, its date near the signing."""
    line = PlanLine(*raw)
    where = _("Instalment %(n)d") % {"n": index + 1}
    try:
        amount = parse_money(line.amount, positive=True)
    except MoneyError as exc:
        raise Invalid(fields={"plan": f"{where}: {exc.message}"}) from None
    due = line.due_date
    if not isinstance(due, dt.date) or not (contract.signed_at - EARLIEST <= due <= contract.signed_at + LATEST):
        raise Invalid(fields={"plan": _("%(where)s: the due date must be within a year before the signing "
                                        "(%(signed)s) and ten years after it.") % {
            "where": where, "signed": contract.signed_at.isoformat()}})
    return PlanLine(due, amount, line.instalment)


def _checked_plan(plan: Sequence[Sequence[Any]], contract: Contract, current: dict[int, Instalment]) -> list[PlanLine]:
    if not plan:
        raise Invalid(fields={"plan": _("Give at least one instalment.")})
    if len(plan) > MAX_INSTALMENTS:
        raise Invalid(fields={"plan": _("A plan has at most %(count)d instalments.") % {"count": MAX_INSTALMENTS}})
    lines = [_line(index, raw, contract) for index, raw in enumerate(plan)]
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if total != contract.amount:
        raise Invalid(fields={"plan": _(
            "The instalments add up to %(total)s but the contract amount is %(amount)s: they must be equal."
        ) % {"total": yuan_text(total), "amount": yuan_text(contract.amount)}})
    kept = [line.instalment for line in lines if line.instalment is not None]
    if len(kept) != len(set(kept)) or not set(kept) <= set(current):
        raise Invalid(fields={"plan": _("An instalment named in the plan is not one of this contract's.")})
    for line in lines:
        if line.instalment is not None and line.amount < current[line.instalment].received:
            raise Invalid(fields={"plan": _(
                "The instalment due %(due)s has received %(received)s: its amount cannot be less."
            ) % {"due": current[line.instalment].due_date.isoformat(),
                 "received": yuan_text(current[line.instalment].received)}})
    for instalment in current.values():
        if instalment.received and instalment.pk not in kept:
            raise Invalid(fields={"plan": _(
                "The instalment due %(due)s has received %(received)s: keep it in the plan."
            ) % {"due": instalment.due_date.isoformat(), "received": yuan_text(instalment.received)}})
    return lines


@transaction.atomic
def instalments_replace(
    *, by: User, contract_id: int, plan: Sequence[Sequence[Any]], version: int | None = None
) -> list[Instalment]:
    """Replace the payment plan of the contract (see the module docstring); returns the active plan."""
    contract = _contract(by, contract_id, lock=True)
    version_check(contract, version)
    current = {
        row.pk: row
        for row in Instalment.objects.select_for_update().filter(contract=contract, is_active=True).order_by("pk")
    }
    lines = _checked_plan(plan, contract, current)
    owner = contract.deal.owner
    kept = {line.instalment for line in lines}
    for instalment in current.values():
        if instalment.pk not in kept:
            instalment.is_active = False
            instalment.save(update_fields=["is_active"])
    result = []
    for position, line in enumerate(lines):
        if line.instalment is None:
            result.append(Instalment.objects.create(
                contract=contract, due_date=line.due_date, amount=line.amount, position=position,
                owner_id=owner.pk, owner_team_id=owner.team_id,
            ))
            continue
        row = current[line.instalment]
        if (row.due_date, row.amount, row.position) != (line.due_date, line.amount, position):
            if row.due_date != line.due_date:
                row.overdue_flagged_on = None  # a new date: overdue again (once) only after it
            row.due_date, row.amount, row.position = line.due_date, line.amount, position
            row.save(update_fields=["due_date", "amount", "position", "overdue_flagged_on"])
        result.append(row)
    contract.save(update_fields=[])  # the plan is part of the contract: its version moves on
    return result


@transaction.atomic
def payment_record(*, by: User, instalment_id: int, received_at: dt.date, amount: Decimal | str) -> Payment:
    """Record a receipt against an active instalment (see the module docstring)."""
    instalment = (
        Instalment.objects.visible_to(by).select_for_update(of=("self",))
        .filter(pk=instalment_id, is_active=True).first()
    )
    if instalment is None:
        raise NotFound(_("No such instalment."))
    contract = _contract(by, instalment.contract_id, lock=False)
    try:
        value = parse_money(amount, positive=True)
    except MoneyError as exc:
        raise Invalid(fields={"amount": exc.message}) from None
    if received_at > local_today():
        raise Invalid(fields={"received_at": _("A receipt cannot be recorded before the money came in.")})
    if received_at < contract.signed_at - EARLIEST:
        raise Invalid(fields={"received_at": _("The date is more than a year before the contract was signed.")})
    still_due = instalment.amount - instalment.received
    if still_due <= 0:
        raise Invalid(fields={"amount": _("This instalment is received in full.")})
    if value > still_due:
        raise Invalid(fields={"amount": _("At most %(due)s is still due on this instalment.") % {
            "due": yuan_text(still_due)}})
    owner = contract.deal.owner
    payment = Payment.objects.create(
        instalment=instalment, received_at=received_at, amount=value, owner=owner, owner_team_id=owner.team_id,
        recorded_by=by,
    )
    instalment.received += value
    instalment.save(update_fields=["received"])
    return payment


@transaction.atomic
def payment_void(*, by: User, payment_id: int) -> Payment:
    """Void a receipt entered by mistake: it stays, inactive, and its amount is due again."""
    found = Payment.objects.visible_to(by).filter(pk=payment_id).values_list("instalment_id", flat=True).first()
    if found is None:
        raise NotFound(_("No such receipt."))
    instalment = Instalment.objects.select_for_update().get(pk=found)
    _contract(by, instalment.contract_id, lock=False)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not payment.is_active:
        raise Conflict(_("This receipt is voided already."), code="voided")
    payment.is_active = False
    payment.save(update_fields=["is_active"])
    instalment.received -= payment.amount
    instalment.save(update_fields=["received"])
    return payment

