"""R21: every figure comes from the one engine, so the same number appears on the morning brief, the KPI
API and the weekly review: the team's day, week and month figures and the month's target."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.daily.brief.selectors import brief_of
from salesops.daily.review.selectors import weekly_review
from salesops.followups.services import followup_create
from salesops.performance.periods import Period
from salesops.testing.actors import Actors
from salesops.testing.money_factories import make_deal

FRIDAY = dt.date(2026, 11, 20)
MONDAY = dt.date(2026, 11, 23)
WEEK = Period.parse("2026-W47")


@pytest.mark.django_db
def test_the_brief_the_kpi_api_and_the_review_show_the_same_numbers(actors: Actors, api_as: Any) -> None:
    a = actors
    shop = Customer.objects.create(name="常州天宁精工有限公司", name_key="c", owner=a.rep_a1, grade="A")
    followup_create(by=a.rep_a1, customer=shop, contacted_at=timezone.make_aware(dt.datetime(2026, 11, 20, 10)),
                    channel="visit", key_points="拜访")
    followup_create(by=a.lead_a, customer=shop, contacted_at=timezone.make_aware(dt.datetime(2026, 11, 20, 15)),
                    channel="visit", key_points="陪访")
    make_deal(a.rep_a1, amount="120000.00", signed_at=FRIDAY)
    make_deal(a.rep_a2, amount="30000.50", signed_at=dt.date(2026, 11, 3))

    def kpis(period: str) -> dict[str, Any]:
        answer = api_as(a.lead_a).get("/api/kpis/", {"scope": f"team:{a.team_a.pk}", "period": period})
        assert answer.status_code == 200, answer.json()
        return answer.json()["metrics"]

    brief = brief_of(team=a.team_a, day=MONDAY, reader=a.lead_a).content
    review = weekly_review(team=a.team_a, week=WEEK)
    day, week, month = kpis(str(FRIDAY)), kpis(str(WEEK)), kpis("2026-11")

    for metric in ("visits", "sales_amount", "deals"):
        assert brief["yesterday"]["team"][metric] == day[metric]["actual"]
        assert review["team_metrics"][metric] == week[metric]["actual"]
        assert review["month"]["metrics"][metric]["actual"] == month[metric]["actual"]
        assert review["month"]["metrics"][metric]["target"] == month[metric]["target"]
    assert brief["yesterday"]["team"]["visits"] == 2
    assert review["month"]["metrics"]["sales_amount"]["actual"] == "150000.50"
