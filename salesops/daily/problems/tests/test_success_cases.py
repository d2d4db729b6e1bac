"""R6 success cases: a story of a customer or a deal (at least one) in the author's scope, for the team;
shown to the team, the customer named only to those who see it (R1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.daily.problems import selectors, services
from salesops.daily.problems.models import SuccessCase
from salesops.deals.models import Deal
from salesops.testing.actors import Actors

Api = Callable[[User | None], APIClient]
STORY: dict[str, Any] = {"title": "大客户转化", "story": "先做样机试用，再谈年度框架协议。"}


@pytest.mark.django_db
def test_a_story_links_a_customer_or_a_deal(actors: Actors, api_as: Api, customer: Customer, deal: Deal) -> None:
    api = api_as(actors.rep_a1)
    assert api.post("/api/success-cases/", STORY, format="json").status_code == 400
    by_deal = api.post("/api/success-cases/", {**STORY, "deal": deal.pk}, format="json")
    assert by_deal.status_code == 201, by_deal.json()
    assert (by_deal.json()["customer"], by_deal.json()["deal_title"]) == (customer.pk, "数控机床二期")
    by_customer = api.post("/api/success-cases/", {**STORY, "customer": customer.pk}, format="json").json()
    assert by_customer["team"] == actors.team_a.pk and by_customer["deal"] is None


@pytest.mark.django_db
def test_a_customer_or_deal_outside_the_authors_scope_is_not_found(actors: Actors, api_as: Api, customer: Customer,
                                                                   deal: Deal) -> None:
    api = api_as(actors.rep_a2)
    assert api.post("/api/success-cases/", {**STORY, "customer": customer.pk}, format="json").status_code == 404
    assert api.post("/api/success-cases/", {**STORY, "deal": deal.pk}, format="json").status_code == 404
    assert not SuccessCase.objects.exists()


@pytest.mark.django_db
def test_the_team_reads_the_story_without_the_customers_name(actors: Actors, api_as: Api, customer: Customer
                                                             ) -> None:
    case = services.success_case_create(by=actors.rep_a1, customer=customer, **STORY)
    seen = api_as(actors.rep_a2).get(f"/api/success-cases/{case.pk}/")
    assert seen.status_code == 200 and seen.json()["story"] == STORY["story"]
    assert seen.json()["customer_name"] is None and "恒通" not in seen.content.decode()
    assert api_as(actors.rep_b1).get(f"/api/success-cases/{case.pk}/").status_code == 404
    assert api_as(actors.lead_a).get(f"/api/success-cases/{case.pk}/").json()["customer_name"] == customer.name


@pytest.mark.django_db
def test_the_author_corrects_with_the_version(actors: Actors, api_as: Api, customer: Customer) -> None:
    case = services.success_case_create(by=actors.rep_a1, customer=customer, **STORY)
    path = f"/api/success-cases/{case.pk}/"
    assert api_as(actors.rep_a1).patch(path, {"title": "改", "version": 1}, format="json").status_code == 200
    assert api_as(actors.rep_a1).patch(path, {"title": "旧", "version": 1}, format="json").status_code == 409
    assert api_as(actors.lead_a).patch(path, {"title": "组长改", "version": 2}, format="json").status_code == 403


@pytest.mark.django_db
def test_success_cases_since(actors: Actors, customer: Customer) -> None:
    case = services.success_case_create(by=actors.rep_a1, customer=customer, **STORY)
    SuccessCase.objects.filter(pk=case.pk).update(created_at=case.created_at - dt.timedelta(days=3))
    newer = services.success_case_create(by=actors.rep_a1, customer=customer, title="复购", story="回访促成复购")
    today = timezone.localdate(case.created_at)
    assert list(selectors.success_cases_since(team_id=actors.team_a.pk, since=today)) == [newer]
    assert list(selectors.success_cases_since(team_id=actors.team_a.pk, since=today - dt.timedelta(days=5))) == [
        newer, case]
    assert not selectors.success_cases_since(team_id=actors.team_b.pk, since=today - dt.timedelta(days=5)).exists()
