"""R15 "two claims at once: exactly one wins", for real: two threads, each on its own database connection,
released together by a barrier. Also the monthly cap and transfers under the same race."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from salesops.customers.models import Customer, Grade, OwnershipEvent
from salesops.customers.pool import services as pool
from salesops.organisation.selectors import rule_settings
from salesops.testing.races import race

# Threads need a database they can share: see the ``concurrent_db`` fixture in the root conftest.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("concurrent_db")]


def test_two_claims_at_the_same_moment_make_exactly_one_owner(actors):
    customer = Customer.objects.create(name="抢手客户", name_key="抢手客户", grade=Grade.A)
    copies = [Customer.objects.get(pk=customer.pk) for _ in range(2)]
    outcomes = race(
        lambda: pool.customer_claim(customer=copies[0], by=actors.rep_a1),
        lambda: pool.customer_claim(customer=copies[1], by=actors.rep_b1),
    )
    assert sorted(outcomes) == ["already_claimed", "ok"]
    winner = actors.rep_a1 if outcomes[0] == "ok" else actors.rep_b1
    assert Customer.objects.get(pk=customer.pk).owner_id == winner.pk
    events = OwnershipEvent.objects.filter(customer=customer)
    assert [(e.kind, e.to_user_id) for e in events] == [("claim", winner.pk)]


def test_two_claims_at_once_cannot_pass_the_monthly_cap(actors):
    settings = rule_settings()
    settings.pool_claim_cap = 1
    settings.save()
    first = Customer.objects.create(name="甲", name_key="甲")
    second = Customer.objects.create(name="乙", name_key="乙")
    outcomes = race(
        lambda: pool.customer_claim(customer=first, by=actors.rep_a1),
        lambda: pool.customer_claim(customer=second, by=actors.rep_a1),
    )
    assert sorted(outcomes) == ["claim_cap_reached", "ok"]
    assert Customer.objects.filter(owner=actors.rep_a1).count() == 1
    assert OwnershipEvent.objects.filter(kind="claim", to_user=actors.rep_a1).count() == 1


def test_two_transfers_of_the_same_customer_to_the_same_rep_move_it_once(actors):
    customer = Customer.objects.create(name="丙", name_key="丙", owner=actors.rep_a1)
    outcomes = race(
        lambda: pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason="交接"),
        lambda: pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.admin, reason="交接"),
    )
    assert sorted(outcomes) == ["already_owned", "ok"]
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a2.pk
    assert OwnershipEvent.objects.filter(customer=customer).count() == 1


def test_two_transfers_to_different_reps_queue_and_keep_a_true_chain(actors):
    """Both succeed one after the other; the second records the first's new owner as its "from" (the row was
    read under the lock, not from the caller's stale copy)."""
    customer = Customer.objects.create(name="丁", name_key="丁", owner=actors.rep_a1)
    outcomes = race(
        lambda: pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason="一"),
        lambda: pool.customer_transfer(customers=[customer], to_user=actors.lead_a, by=actors.admin, reason="二"),
    )
    assert outcomes == ["ok", "ok"]
    first, second = OwnershipEvent.objects.filter(customer=customer).order_by("id")
    assert first.from_user_id == actors.rep_a1.pk
    assert second.from_user_id == first.to_user_id
    assert Customer.objects.get(pk=customer.pk).owner_id == second.to_user_id


def test_every_loser_of_a_claim_race_over_the_api_hears_409(actors):
    """R15 through the API, six people of three teams: one 200, and 409 ``already_claimed`` for every other,
    whether it asked at the same moment (and waited on the lock) or a little after the winner committed
    (when the customer has already left its scope): never a 404."""
    customer = Customer.objects.create(name="众人争抢", name_key="众人争抢", grade=Grade.B)
    claimants = [actors.rep_a1, actors.rep_b1, actors.rep_c1, actors.rep_a2, actors.lead_b, actors.lead_c]
    late = {3, 4, 5}  # these ask once the winner has committed; the others at the common start
    answers: list[tuple[int, str]] = [(0, "") for _ in claimants]

    def claim(index: int) -> Callable[[], object]:
        def call() -> None:
            client = APIClient()
            client.force_authenticate(user=claimants[index])
            waited = 0.0
            while index in late and waited < 20 and Customer.objects.filter(pk=customer.pk, owner=None).exists():
                time.sleep(0.05)
                waited += 0.05
            response = client.post(f"/api/customers/{customer.pk}/claim/")
            answers[index] = (response.status_code, response.json().get("error", {}).get("code", ""))
        return call

    race(*(claim(i) for i in range(len(claimants))))
    assert sorted(answers) == [(200, ""), *[(409, "already_claimed")] * 5]
    winner = claimants[[status for status, _code in answers].index(200)]
    assert Customer.objects.get(pk=customer.pk).owner_id == winner.pk
    assert [(e.kind, e.to_user_id) for e in OwnershipEvent.objects.filter(customer=customer)] == [("claim", winner.pk)]
