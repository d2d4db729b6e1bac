"""R21's visits, new-customer visits, new customers and new intent customers, written through the services:
what each counts, who it counts for (as it was then: a later transfer or move changes no past figure),
team and organisation figures at their own level, and the first visit kept right when records change."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.accounts import services as accounts
from salesops.customers import services as customers
from salesops.customers.pool import services as pool
from salesops.followups import services as followups
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import local
from salesops.performance.engine import Subject, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period

pytestmark = pytest.mark.django_db
MARCH = Period.parse("2026-03")
NEW = ["visits", "new_customer_visits", "new_customers", "new_intent_customers"]


def visit(by, customer, when, channel="visit"):
    return followups.followup_create(by=by, customer=customer, contacted_at=when, channel=channel, key_points="拜访")


def of(subject, period=MARCH, names=NEW):
    return figures(subject=subject, period=period, metrics=names)


def test_visits_count_visit_follow_ups_for_their_author_and_the_team_then(actors, clock):
    customer = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司")
    visit(actors.rep_a1, customer, local(2026, 3, 2))
    visit(actors.lead_a, customer, local(2026, 3, 3))
    visit(actors.rep_a1, customer, local(2026, 3, 3, 11), channel="phone")
    assert of(Subject.person(actors.rep_a1.pk))["visits"] == 1
    assert of(Subject.person(actors.lead_a.pk))["visits"] == 1
    assert of(Subject.team(actors.team_a.pk))["visits"] == 2
    assert of(Subject.org())["visits"] == 2
    # rep_a1 moves to team B: March's visit stays with team A (R21: as it was then)
    accounts.user_update(user=actors.rep_a1, team=actors.team_b)
    assert of(Subject.team(actors.team_a.pk))["visits"] == 2
    assert of(Subject.team(actors.team_b.pk))["visits"] == 0


def test_a_customer_visited_by_rep_and_lead_is_one_new_customer_visit_for_the_team(actors, clock):
    customer = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司")
    first = visit(actors.rep_a1, customer, local(2026, 3, 2))
    second = visit(actors.lead_a, customer, local(2026, 3, 3))
    assert first.first_visit and not second.first_visit
    team = of(Subject.team(actors.team_a.pk))
    assert (team["visits"], team["new_customer_visits"]) == (2, 1)
    assert of(Subject.person(actors.rep_a1.pk))["new_customer_visits"] == 1
    assert of(Subject.person(actors.lead_a.pk))["new_customer_visits"] == 0
    # a customer followed up by both counts once for the team (R21), for each of them once
    names = ["followed_up_customers"]
    assert of(Subject.team(actors.team_a.pk), names=names)["followed_up_customers"] == 1
    each = figures_per(level=Level.PERSON, ids=[actors.rep_a1.pk, actors.lead_a.pk], period=MARCH, metrics=names)
    assert [each[pk]["followed_up_customers"] for pk in (actors.rep_a1.pk, actors.lead_a.pk)] == [1, 1]


def test_the_first_visit_moves_with_an_earlier_visit_a_withdrawal_and_a_corrected_channel(actors, clock):
    customer = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司")
    later = visit(actors.rep_a1, customer, local(2026, 3, 3))
    earlier = visit(actors.lead_a, customer, local(2026, 2, 20))  # logged late, for an earlier day
    later.refresh_from_db()
    assert earlier.first_visit and not later.first_visit
    assert of(Subject.person(actors.rep_a1.pk))["new_customer_visits"] == 0
    assert of(Subject.person(actors.lead_a.pk), Period.parse("2026-02"))["new_customer_visits"] == 1
    followups.followup_delete(followup=earlier, by=actors.lead_a)
    later.refresh_from_db()
    assert later.first_visit
    assert of(Subject.person(actors.rep_a1.pk))["new_customer_visits"] == 1
    corrected = followups.followup_update(followup=later, by=actors.rep_a1, channel="phone")
    assert not corrected.first_visit
    assert not FollowUp.objects.filter(first_visit=True).exists()
    assert of(Subject.org())["new_customer_visits"] == 0


def test_merging_two_customers_leaves_one_first_visit(actors, clock):
    survivor = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司")
    other = customers.customer_create(by=actors.rep_a1, name="杭州新辰电子科技有限公司")
    visit(actors.rep_a1, survivor, local(2026, 3, 3))
    earliest = visit(actors.rep_a1, other, local(2026, 3, 2))
    assert of(Subject.org())["new_customer_visits"] == 2
    customers.customer_merge(survivor=survivor, other=other, by=actors.lead_a)
    assert list(FollowUp.objects.filter(first_visit=True).values_list("pk", flat=True)) == [earliest.pk]
    assert of(Subject.org())["new_customer_visits"] == 1


def test_new_customers_count_for_the_owner_when_created_and_the_team_then(actors, clock):
    own = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司")
    given = customers.customer_create(by=actors.lead_a, owner=actors.rep_a2, name="杭州新辰电子科技有限公司")
    customers.customer_create(by=actors.lead_a, owner=None, name="南京华瑞包装材料有限公司")  # into the pool
    assert (own.created_owner_id, own.created_team_id) == (actors.rep_a1.pk, actors.team_a.pk)
    assert given.created_owner_id == actors.rep_a2.pk
    per = figures_per(level=Level.PERSON, ids=[actors.rep_a1.pk, actors.rep_a2.pk, actors.lead_a.pk],
                      period=MARCH, metrics=["new_customers"])
    assert [per[p.pk]["new_customers"] for p in (actors.rep_a1, actors.rep_a2, actors.lead_a)] == [1, 1, 0]
    assert of(Subject.team(actors.team_a.pk))["new_customers"] == 2
    assert of(Subject.org())["new_customers"] == 3
    # a later transfer to team B's rep and a move of rep_a1 change no past figure
    pool.customer_transfer(customers=[own], to_user=actors.rep_b1, by=actors.admin, reason="客户转交")
    accounts.user_update(user=actors.rep_a2, team=actors.team_b)
    assert of(Subject.person(actors.rep_a1.pk))["new_customers"] == 1
    assert of(Subject.team(actors.team_a.pk))["new_customers"] == 2
    assert of(Subject.team(actors.team_b.pk))["new_customers"] == 0
    assert of(Subject.org(), Period.parse("2026-02"))["new_customers"] == 0


def test_new_intent_customers_count_when_first_graded_a_or_b_for_the_owner_then(actors, clock):
    graded_on_entry = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司", grade="A")
    later = customers.customer_create(by=actors.rep_a2, name="杭州新辰电子科技有限公司", grade="C")
    assert of(Subject.team(actors.team_a.pk))["new_intent_customers"] == 1
    pool.customer_transfer(customers=[later], to_user=actors.rep_b1, by=actors.admin, reason="客户转交")
    clock.set(local(2026, 4, 2, 10))
    later.refresh_from_db()
    customers.customer_update(customer=later, by=actors.rep_b1, grade="B", grade_reason="预算已批")
    assert of(Subject.team(actors.team_b.pk), Period.parse("2026-04"))["new_intent_customers"] == 1
    assert of(Subject.person(actors.rep_a2.pk), Period.parse("2026-04"))["new_intent_customers"] == 0
    # regraded C and A again: intent was reached once, in March
    graded_on_entry.refresh_from_db()
    graded_on_entry = customers.customer_update(customer=graded_on_entry, by=actors.rep_a1, grade="C",
                                                grade_reason="暂缓")
    customers.customer_update(customer=graded_on_entry, by=actors.rep_a1, grade="A", grade_reason="重启")
    assert of(Subject.person(actors.rep_a1.pk), Period.parse("2026-04"))["new_intent_customers"] == 0
    assert of(Subject.person(actors.rep_a1.pk))["new_intent_customers"] == 1
    assert of(Subject.org(), Period.parse("2026-Q2"))["new_intent_customers"] == 1


def test_a_merge_keeps_the_earlier_intent_of_the_two(actors, clock):
    survivor = customers.customer_create(by=actors.rep_a1, name="苏州恒通精密机械有限公司", grade="C")
    other = customers.customer_create(by=actors.rep_a2, name="杭州新辰电子科技有限公司", grade="B")
    clock.set(clock.now + dt.timedelta(days=1))
    survivor = customers.customer_merge(survivor=survivor, other=other, by=actors.lead_a)
    assert (survivor.intent_owner_id, survivor.intent_team_id) == (actors.rep_a2.pk, actors.team_a.pk)
    assert of(Subject.org())["new_intent_customers"] == 1
    assert of(Subject.org())["new_customers"] == 1  # the merged-away record is inactive
