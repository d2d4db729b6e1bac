"""Fixtures for the deal tests: customers of the named actors and a deal factory."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.deals import services
from salesops.deals.models import Deal
from salesops.testing.actors import Actors

PDF = b"%PDF-1.7\n" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def customer_of(actors: Actors) -> Callable[..., Customer]:
    """``customer_of(owner, name=...)``: an active customer owned by ``owner`` (None: in the pool)."""
    counter = iter(range(1, 10_000))

    def make(owner: User | None, name: str = "") -> Customer:
        name = name or f"测试客户{next(counter)}有限公司"
        return Customer.objects.create(name=name, name_key=name, owner=owner)

    return make


@pytest.fixture
def deal_of(actors: Actors, customer_of: Callable[..., Customer]) -> Callable[..., Deal]:
    """``deal_of(owner, amount="100000.00", customer=None, **fields)``: an open deal the owner entered."""

    def make(owner: User, amount: str = "100000.00", customer: Customer | None = None, **fields: Any) -> Deal:
        return services.deal_create(
            by=owner, customer=customer or customer_of(owner), title=fields.pop("title", "年度采购"),
            amount=Decimal(amount), **fields,
        )

    return make
