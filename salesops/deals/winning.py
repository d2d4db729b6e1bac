"""Winning a deal (R13, R14): the signed date and final amount, the contract with its number, the customer
marked won, the repurchase mark, and the post-win tasks (``deals.followthrough``).

One winner: the deal row is locked and must still be open, so of two wins at once (or a win sent twice)
the second finds it won and gets 409 ``deal_won``. The customer row is locked next (by the customers
service), so two deals of one customer won at once are marked in order and the later one is the
repurchase (R14). A contract number is unique: a given one already taken is 409 ``duplicate_contract``;
otherwise the next of the signing year's sequence, taken under the sequence row's lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid
from salesops.customers.services import customer_mark_won
from salesops.deals.followthrough import followthrough_tasks
from salesops.deals.models import Contract, ContractSequence, Deal, DealStatus
from salesops.deals.services import closed_error, deal_save, locked_deal, money_value

NUMBER_MAX = 40


def contract_number_format(year: int, serial: int) -> str:
    """R13: HT-<year>-<5 digits> (HT-2026-00001)."""
    return f"HT-{year}-{serial:05d}"


def _next_number(year: int) -> str:
    """The next free number of ``year``'s sequence, under the sequence row's lock (numbers someone typed in
    by hand are skipped)."""
    try:
        with transaction.atomic():
            ContractSequence.objects.get_or_create(year=year)
    except IntegrityError:  # another win created the year's row at the same moment: it exists now
        pass
    sequence = ContractSequence.objects.select_for_update().get(year=year)
    while True:
        sequence.last += 1
        number = contract_number_format(year, sequence.last)
        if not Contract.objects.filter(number=number).exists():
            break
    sequence.save(update_fields=["last"])
    return number


def _duplicate(number: str) -> Conflict:
    return Conflict(
        _("The contract number %(number)s is taken already.") % {"number": number}, code="duplicate_contract"
    )


def _given_number(value: str) -> str:
    number = " ".join(str(value).split())
    if not number or len(number) > NUMBER_MAX:
        raise Invalid(fields={"contract_number": _("A contract number has 1 to 40 characters.")})
    return number


def _signed_at(value: dt.date | None) -> dt.date:
    if not isinstance(value, dt.date):
        raise Invalid(fields={"signed_at": _("Give the date the contract was signed.")})
    if value > local_today():
        raise Invalid(fields={"signed_at": _("The signing date cannot be in the future.")})
    return value


def _contract(deal: Deal, number: str | None) -> Contract:
    """The deal's contract: a new one, or (won again after a reopen) the one it had, brought up to date."""
    contract = Contract.objects.select_for_update().filter(deal=deal).first()
    if number is not None and Contract.objects.filter(number=number).exclude(deal=deal).exists():
        raise _duplicate(number)
    if contract is None:
        contract = Contract(deal=deal, customer_id=deal.customer_id)
    if number is not None:
        contract.number = number
    elif not contract.number:
        contract.number = _next_number(deal.signed_at.year)  # type: ignore[union-attr]
    contract.signed_at = deal.signed_at  # type: ignore[assignment]
    contract.amount = deal.amount
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:  # the same number given at the same moment by another win
        raise _duplicate(contract.number) from None
    return contract


@transaction.atomic
def deal_win(
    *,
    deal: Deal,
    by: User,
    signed_at: dt.date | None,
    amount: Decimal | str | int | None,
    contract_number: str | None = None,
    version: int | None = None,
) -> Deal:
    """R13: win an open deal the caller sees: signed date (not in the future) and final amount (above 0),
    the contract, the customer marked won, R14's repurchase mark, then the post-win tasks."""
    signed = _signed_at(signed_at)
    final = money_value(amount, positive=True)
    number = None if contract_number in (None, "") else _given_number(str(contract_number))
    row = locked_deal(deal, by, version)
    if row.status != DealStatus.OPEN:
        raise closed_error(row)
    owner = User.objects.select_related("team__lead").get(pk=row.owner_id)
    customer = customer_mark_won(customer=row.customer, by=by)
    row.status = DealStatus.WON
    row.signed_at = signed
    row.amount = final
    row.won_by = owner
    row.won_team = owner.team
    row.closed_at = timezone.now()
    row.is_repurchase = Deal.objects.filter(customer=customer, status=DealStatus.WON).exclude(pk=row.pk).exists()
    deal_save(row, by, _("Won: signed on %(date)s.") % {"date": signed.isoformat()})
    contract = _contract(row, number)
    followthrough_tasks(deal=row, owner=owner, contract=contract)
    return row
