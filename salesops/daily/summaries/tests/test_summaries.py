"""R17 daily summaries: one per person per day, never for a day to come, not-done items with their reasons,
the done items pre-filled from the day's records, late after the due time, edits with a version, R1 scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.core.errors import Conflict, Invalid
from salesops.customers.models import Customer
from salesops.daily.summaries import selectors, services
from salesops.daily.summaries.models import DailySummary
from salesops.daily.summaries.tests.conftest import Clock, local
from salesops.deals import services as deal_services
from salesops.deals import winning
from salesops.followups.services import followup_create
from salesops.followups.tests.conftest import PNG
from salesops.organisation.models import RuleSettings
from salesops.organisation.selectors import rule_settings
from salesops.tasks import services as task_services
from salesops.testing.actors import Actors

Api = Callable[[User | None], APIClient]
TODAY = dt.date(2026, 3, 4)
BODY = {"date": "2026-03-04", "done": "拜访两家客户", "not_done": [{"item": "回访恒通", "reason": "客户临时爽约"}],
        "tomorrow": "上午拜访华新"}


@pytest.mark.django_db
def test_a_rep_submits_the_summary_of_today(actors: Actors, api_as: Api, clock: Clock) -> None:
    answer = api_as(actors.rep_a1).post("/api/daily-summaries/", BODY, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["user"], body["team"], body["date"]) == (actors.rep_a1.pk, actors.team_a.pk, "2026-03-04")
    assert body["not_done"] == [{"item": "回访恒通", "reason": "客户临时爽约"}]
    assert body["tomorrow"] == "上午拜访华新" and body["late"] is False and body["version"] == 1


@pytest.mark.django_db
def test_a_second_summary_of_the_same_day_is_a_conflict(actors: Actors, api_as: Api, clock: Clock) -> None:
    api = api_as(actors.rep_a1)
    first = api.post("/api/daily-summaries/", BODY, format="json").json()
    answer = api.post("/api/daily-summaries/", {**BODY, "done": "另一份"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "duplicate" and answer.json()["error"]["duplicate_of"] == first["id"]
    assert DailySummary.objects.get().done == "拜访两家客户"


@pytest.mark.django_db
def test_a_summary_for_a_day_to_come_is_refused_and_nothing_is_saved(actors: Actors, api_as: Api,
                                                                       clock: Clock) -> None:
    answer = api_as(actors.rep_a1).post("/api/daily-summaries/", {**BODY, "date": "2026-03-05"}, format="json")
    assert answer.status_code == 400 and "date" in answer.json()["error"]["fields"]
    assert not DailySummary.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("not_done", [
    [{"item": "回访恒通", "reason": ""}],
    [{"item": "", "reason": "下雨"}],
    [{"item": "回访恒通"}],
    [{"item": "回访恒通", "reason": "忙", "owner": 3}],
    ["回访恒通"],
])
def test_an_item_not_done_needs_its_reason(actors: Actors, api_as: Api, clock: Clock, not_done: object) -> None:
    answer = api_as(actors.rep_a1).post("/api/daily-summaries/", {**BODY, "not_done": not_done}, format="json")
    assert answer.status_code == 400, answer.json()
    assert not DailySummary.objects.exists()


@pytest.mark.django_db
def test_an_empty_summary_is_refused(actors: Actors, clock: Clock) -> None:
    with pytest.raises(Invalid):
        services.summary_submit(by=actors.rep_a1, day=TODAY, done="  ", tomorrow="明天再说")


@pytest.mark.django_db
def test_a_summary_after_the_due_time_is_late(actors: Actors, clock: Clock) -> None:
    assert rule_settings().summary_due_at == dt.time(17, 30)
    clock.set(local(2026, 3, 4, 17, 29))
    assert services.summary_submit(by=actors.rep_a1, day=TODAY, done="整理客户").late is False
    clock.set(local(2026, 3, 4, 17, 31))
    assert services.summary_submit(by=actors.rep_a2, day=TODAY, done="整理客户").late is True
    clock.set(local(2026, 3, 5, 9, 0))
    assert services.summary_submit(by=actors.lead_a, day=TODAY, done="补写").late is True


@pytest.mark.django_db
def test_two_submits_at_once_leave_one_summary(actors: Actors, clock: Clock) -> None:
    services.summary_submit(by=actors.rep_a1, day=TODAY, done="第一份")
    with pytest.raises(Conflict):
        services.summary_submit(by=actors.rep_a1, day=TODAY, done="第二份")
    assert DailySummary.objects.filter(user=actors.rep_a1).count() == 1


@pytest.mark.django_db
def test_an_edit_with_a_stale_version_is_refused(actors: Actors, api_as: Api, clock: Clock) -> None:
    api = api_as(actors.rep_a1)
    summary = api.post("/api/daily-summaries/", BODY, format="json").json()
    path = f"/api/daily-summaries/{summary['id']}/"
    assert api.patch(path, {"tomorrow": "拜访三家", "version": 1}, format="json").status_code == 200
    stale = api.patch(path, {"tomorrow": "改回去", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    assert DailySummary.objects.get().tomorrow == "拜访三家"
    assert api.patch(path, {"tomorrow": "没有版本"}, format="json").status_code == 400


@pytest.mark.django_db
def test_the_lead_reads_but_does_not_change_a_reps_summary(actors: Actors, api_as: Api, clock: Clock) -> None:
    summary = api_as(actors.rep_a1).post("/api/daily-summaries/", BODY, format="json").json()
    path = f"/api/daily-summaries/{summary['id']}/"
    assert api_as(actors.lead_a).get(path).status_code == 200
    assert api_as(actors.director).get(path).status_code == 200
    assert api_as(actors.lead_a).patch(path, {"done": "改", "version": 1}, format="json").status_code == 403
    for outsider in (actors.rep_a2, actors.lead_b, actors.rep_c1):
        assert api_as(outsider).get(path).status_code == 404
    assert api_as(actors.rep_a1).post("/api/daily-summaries/", {**BODY, "user": actors.rep_a2.pk},
                                      format="json").status_code == 403


@pytest.mark.django_db
def test_the_list_filters_by_person_team_and_day(actors: Actors, api_as: Api, clock: Clock) -> None:
    services.summary_submit(by=actors.rep_a1, day=TODAY, done="甲")
    services.summary_submit(by=actors.rep_a2, day=TODAY - dt.timedelta(days=1), done="乙")
    services.summary_submit(by=actors.rep_b1, day=TODAY, done="丙")
    api = api_as(actors.director)

    def people(query: str) -> set[int]:
        return {row["user"] for row in api.get(f"/api/daily-summaries/?{query}").json()["results"]}

    assert people("") == {actors.rep_a1.pk, actors.rep_a2.pk, actors.rep_b1.pk}
    assert people(f"team={actors.team_a.pk}") == {actors.rep_a1.pk, actors.rep_a2.pk}
    assert people("date=2026-03-04") == {actors.rep_a1.pk, actors.rep_b1.pk}
    assert people(f"user={actors.rep_a2.pk}") == {actors.rep_a2.pk}
    assert api.get("/api/daily-summaries/?date=2026-13-01").status_code == 400
    assert {row["user"] for row in api_as(actors.rep_a1).get("/api/daily-summaries/").json()["results"]} == {
        actors.rep_a1.pk}


@pytest.mark.django_db
def test_done_items_are_prefilled_from_the_days_records(actors: Actors, api_as: Api, clock: Clock,
                                                         customer: Customer) -> None:
    rep = actors.rep_a1
    followup_create(by=rep, customer=customer, contacted_at=local(2026, 3, 4, 10, 0), channel="visit",
                    key_points="确认采购预算")
    followup_create(by=rep, customer=customer, contacted_at=local(2026, 3, 4, 14, 0), channel="phone",
                    key_points="约下周演示")
    followup_create(by=rep, customer=customer, contacted_at=local(2026, 3, 3, 14, 0), channel="phone",
                    key_points="昨天的")
    task = task_services.task_create(by=rep, assignee=rep, title="送样品", standard="签收单", deadline=TODAY)
    task_services.proof_add(by=rep, task=task, file=SimpleUploadedFile("p.png", PNG, content_type="image/png"))
    task_services.task_submit(by=rep, task=task)
    won = deal_services.deal_create(by=rep, customer=customer, title="数控机床二期", amount="80000.00")
    winning.deal_win(deal=won, by=rep, signed_at=TODAY, amount="80000.00")
    moved = deal_services.deal_create(by=rep, customer=customer, title="刀具年单", amount="1000.00")
    deal_services.deal_stage_change(deal=moved, by=rep, stage="proposal")
    answer = api_as(rep).get("/api/daily-summaries/prefill/?date=2026-03-04").json()
    kinds = [(item["kind"], item["ref"]) for item in answer["done_items"]]
    assert ("task", task.pk) in kinds and ("deal", won.pk) in kinds and ("deal", moved.pk) in kinds
    texts = " ".join(item["text"] for item in answer["done_items"])
    assert "确认采购预算" in texts and "约下周演示" in texts and "昨天的" not in texts
    assert [kind for kind, _ref in kinds].count("visit") == 1 and [kind for kind, _ref in kinds].count("followup") == 1
    assert answer["summary"] is None and answer["due_at"].startswith("2026-03-04T17:30")
    assert api_as(actors.rep_a2).get("/api/daily-summaries/prefill/?date=2026-03-04").json()["done_items"] == []
    assert api_as(rep).get("/api/daily-summaries/prefill/?date=03-04").status_code == 400


@pytest.mark.django_db
def test_the_prefill_reads_one_query_per_domain(actors: Actors, clock: Clock, customer: Customer,
                                                django_assert_num_queries: Callable[..., object]) -> None:
    for hour in (9, 10, 11):
        followup_create(by=actors.rep_a1, customer=customer, contacted_at=local(2026, 3, 4, hour, 0),
                        channel="visit", key_points=f"{hour}点拜访")
    with django_assert_num_queries(3):  # type: ignore[attr-defined]
        items = selectors.done_items_of(user=actors.rep_a1, day=TODAY)
    assert len(items) == 3


@pytest.mark.django_db
def test_summaries_of_and_tomorrow_of(actors: Actors, clock: Clock) -> None:
    friday, monday = dt.date(2026, 3, 6), dt.date(2026, 3, 9)
    clock.set(local(2026, 3, 9, 9, 0))
    services.summary_submit(by=actors.rep_a1, day=friday, done="周五", tomorrow="周一拜访恒通")
    services.summary_submit(by=actors.rep_a2, day=monday - dt.timedelta(days=1), done="周日加班", tomorrow="不算")
    assert selectors.tomorrow_of(user_id=actors.rep_a1.pk, day=monday) == "周一拜访恒通"
    assert selectors.tomorrow_of(user_id=actors.rep_a2.pk, day=monday) == ""
    assert selectors.tomorrow_of(user_id=actors.rep_a1.pk, day=dt.date(2026, 3, 10)) == ""
    # 调休: Saturday 2026-02-28 was a working day, so Monday 2026-03-02 reads its summary, not Friday's
    services.summary_submit(by=actors.rep_a2, day=dt.date(2026, 2, 27), done="周五", tomorrow="周六上班")
    services.summary_submit(by=actors.rep_a2, day=dt.date(2026, 2, 28), done="调休上班", tomorrow="周一回访")
    assert selectors.tomorrow_of(user_id=actors.rep_a2.pk, day=dt.date(2026, 3, 2)) == "周一回访"
    found = selectors.summaries_of(user_ids=[actors.rep_a1.pk, actors.rep_a2.pk], day=friday)
    assert list(found) == [actors.rep_a1.pk] and found[actors.rep_a1.pk].done == "周五"


@pytest.mark.django_db
def test_written_and_due_reads_the_summary_and_its_due_time_in_one_query(
        actors: Actors, clock: Clock, django_assert_num_queries: Callable[..., Any]) -> None:
    settings = rule_settings()
    settings.summary_minutes_before_end = 60
    settings.save()
    with django_assert_num_queries(1):
        assert selectors.written_and_due(user=actors.rep_a1, day=TODAY) == (None, local(2026, 3, 4, 17, 0))
    written = services.summary_submit(by=actors.rep_a1, day=TODAY, done="拜访两家客户")
    assert selectors.written_and_due(user=actors.rep_a1, day=TODAY) == (written.pk, local(2026, 3, 4, 17, 0))
    assert selectors.written_and_due(user=actors.rep_a2, day=TODAY)[0] is None
    RuleSettings.objects.all().delete()  # a database without the row reads the defaults (17:30)
    assert selectors.written_and_due(user=actors.rep_a1, day=TODAY) == (written.pk, local(2026, 3, 4, 17, 30))
