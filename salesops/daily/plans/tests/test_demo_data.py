"""Demo and benchmark plans (R7): recent plans and today's through the services in the demo; the
generator's plan per rep per working day of two years with distinct customers, and its wipe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F

from salesops.accounts.models import Role, User
from salesops.customers import demo_data as customer_demo_data
from salesops.daily.plans import demo_data
from salesops.daily.plans.models import DailyPlan, PlanCustomer, PlanStatus, RequestStatus, ResourceRequest
from salesops.demo import registry
from salesops.demo.generator import SCALES, generate, wipe_generated
from salesops.demo.people import load_demo
from salesops.organisation.selectors import work_calendar

pytestmark = pytest.mark.django_db


def test_demo_plans_recent_and_today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert load_demo(progress=False)
    reps = list(User.objects.filter(role=Role.REP))
    today = DailyPlan.objects.filter(date=dt.date.today())
    assert 0 < today.count() < len(reps)
    assert today.filter(status=PlanStatus.SUBMITTED).exists() and today.filter(status=PlanStatus.APPROVED).exists()
    assert ResourceRequest.objects.filter(plan__in=today, status=RequestStatus.OPEN).exists()
    assert PlanCustomer.objects.filter(plan__in=today, stop__isnull=False).exists()
    for rep in reps:
        past = DailyPlan.objects.filter(user=rep, date__lt=dt.date.today())
        assert past.count() == demo_data.DEMO_DAYS and not past.exclude(status=PlanStatus.APPROVED).exists()
    assert ResourceRequest.objects.filter(status=RequestStatus.DECLINED).exclude(comment="").exists()


@pytest.fixture
def plans_and_customers(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = {
        "customers": registry.GeneratorStep("customers", customer_demo_data.generate_customers,
                                            customer_demo_data.wipe_customers),
        "daily plans": registry.GeneratorStep("daily plans", demo_data.generate_plans, demo_data.wipe_plans),
    }
    monkeypatch.setattr(registry, "_generator_steps", steps)


def test_generator_makes_two_years_of_plans_per_rep_and_wipes_them(plans_and_customers):
    scale, today = SCALES["S"], dt.date(2026, 3, 11)
    report = generate(scale=scale, seed=3, today=today, progress=False)
    calendar = work_calendar()
    days = 1 + sum(calendar.is_workday(today - dt.timedelta(days=n)) for n in range(1, demo_data.DAYS + 1))
    assert DailyPlan.objects.count() == report.rows["daily.DailyPlan"] == scale.reps * days
    assert DailyPlan.objects.filter(date=today, status=PlanStatus.SUBMITTED).count() == scale.reps
    assert PlanCustomer.objects.count() == DailyPlan.objects.count() * demo_data.STOPS
    assert not PlanCustomer.objects.exclude(customer__owner=F("plan__user")).exists()
    per_plan = PlanCustomer.objects.values("plan").annotate(n=Count("customer", distinct=True)).filter(n__lt=4)
    assert not per_plan.exists()
    assert ResourceRequest.objects.filter(status=RequestStatus.OPEN, plan__date=today).exists()
    wipe_generated()
    assert not DailyPlan.objects.exists() and not PlanCustomer.objects.exists()
