"""Factories of deals, contracts, payment plans and receipts for tests (R13, R21 money).

Rows are written straight to the tables: the win service and its rules are tested with the deals app,
so a test about collections starts from a contract as a win leaves it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal

from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.deals.models import Contract, Deal, DealStatus, Instalment, Payment

_numbers = itertools.count(1)


def make_deal(
    owner: User, *, amount: Decimal | str = "100000.00", signed_at: dt.date = dt.date(2026, 3, 2),
    customer: Customer | None = None, title: str = "",
) -> Deal:
    """A deal of ``owner`` won on ``signed_at`` for ``amount`` (the customer made when not given)."""
    number = next(_numbers)
    if customer is None:
        name = f"{owner.display_name}的客户{number}号有限公司"
        customer = Customer.objects.create(name=name, name_key=name, owner=owner)
    return Deal.objects.create(
        customer=customer, title=title or f"合同商机{number}", amount=Decimal(amount), probability=100,
        status=DealStatus.WON, owner=owner, signed_at=signed_at, won_by=owner, won_team_id=owner.team_id,
        created_by=owner,
    )


def make_contract(
    owner: User, *, amount: Decimal | str = "100000.00", signed_at: dt.date = dt.date(2026, 3, 2),
    customer: Customer | None = None, number: str = "",
) -> Contract:
    """The contract of a deal of ``owner`` won for ``amount``, without a payment plan."""
    deal = make_deal(owner, amount=amount, signed_at=signed_at, customer=customer)
    return Contract.objects.create(
        deal=deal, customer=deal.customer, number=number or f"HT-{signed_at.year}-T{deal.pk:05d}",
        signed_at=signed_at, amount=deal.amount,
    )


def make_plan(contract: Contract, plan: Sequence[tuple[dt.date, Decimal | str]]) -> list[Instalment]:
    """Instalments of ``contract`` as given, owned by the deal's owner and their team (no sum check)."""
    owner = contract.deal.owner
    return [
        Instalment.objects.create(
            contract=contract, due_date=due, amount=Decimal(amount), position=index, owner=owner,
            owner_team_id=owner.team_id,
        )
        for index, (due, amount) in enumerate(plan)
    ]


def make_payment(instalment: Instalment, amount: Decimal | str, received_at: dt.date, by: User | None = None
                 ) -> Payment:
    """A receipt written straight to the table, with the instalment's ``received`` kept."""
    owner = instalment.owner
    payment = Payment.objects.create(
        instalment=instalment, received_at=received_at, amount=Decimal(amount), owner=owner,
        owner_team_id=instalment.owner_team_id, recorded_by=by or owner,
    )
    instalment.received += Decimal(amount)
    instalment.save(update_fields=["received"])
    return payment
