"""Two decisions at once (R7): one winner, the other a 409, for a plan and for a resource request."""

from __future__ import annotations

import pytest

from salesops.core.clock import local_today
from salesops.daily.plans import requests, services
from salesops.daily.plans.models import DailyPlan, PlanStatus, RequestStatus, ResourceRequest
from salesops.testing.actors import make_actors
from salesops.testing.races import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(concurrent_db, org):
    return make_actors()


def test_approve_and_return_at_once_one_wins(people):
    plan = services.plan_create(by=people.rep_a1, day=local_today())
    services.plan_submit(by=people.rep_a1, plan=plan)
    outcomes = race(lambda: services.plan_approve(by=people.lead_a, plan=plan),
                    lambda: services.plan_return(by=people.director, plan=plan, comment="重新安排"))
    assert sorted(outcomes) == ["ok", "plan_state"]
    assert DailyPlan.objects.get(pk=plan.pk).status in (PlanStatus.APPROVED, PlanStatus.RETURNED)


def test_fulfil_and_decline_at_once_one_wins(people):
    plan = services.plan_create(by=people.rep_a1, day=local_today())
    row = requests.request_create(by=people.rep_a1, plan=plan, kind="tech_support", detail="需要工程师上门演示")
    outcomes = race(lambda: requests.request_fulfil(by=people.lead_a, request=row, comment="周三安排"),
                    lambda: requests.request_decline(by=people.director, request=row, comment="本周没有工程师"))
    assert sorted(outcomes) == ["ok", "request_state"]
    assert ResourceRequest.objects.get(pk=row.pk).status in (RequestStatus.FULFILLED, RequestStatus.DECLINED)
