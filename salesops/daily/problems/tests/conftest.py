"""Fixtures for the problem and success-case tests: a customer of rep_a1's and a deal on it."""

from __future__ import annotations

import pytest

from salesops.customers import services as customer_services
from salesops.customers.models import Customer
from salesops.deals import services as deal_services
from salesops.deals.models import Deal
from salesops.testing.actors import Actors


@pytest.fixture
def customer(actors: Actors) -> Customer:
    return customer_services.customer_create(by=actors.rep_a1, owner=actors.rep_a1, name="苏州恒通精密机械有限公司")


@pytest.fixture
def deal(actors: Actors, customer: Customer) -> Deal:
    return deal_services.deal_create(by=actors.rep_a1, customer=customer, title="数控机床二期", amount="80000.00")
