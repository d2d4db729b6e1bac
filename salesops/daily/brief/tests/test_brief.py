"""R3 the morning brief: yesterday is the previous working day (R2); yesterday's figures per person and
team from the engine against yesterday's daily targets (R4); praised and missed with the reasons of the
daily summaries (R17); every A customer's latest follow-up; open problems (R5) and new success cases (R6);
tasks due today and overdue (R20); today's targets and split; read within scope (R1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.daily.brief.content import brief_yesterday, briefs_content, key_customers, met
from salesops.daily.brief.selectors import brief_day, brief_of, for_reader
from salesops.daily.problems.models import Problem, ProblemStatus, SuccessCase
from salesops.daily.summaries.models import DailySummary
from salesops.daily.targets.services import day_targets_save
from salesops.followups.services import followup_create
from salesops.performance.selectors import members
from salesops.tasks.models import Task, TaskStatus
from salesops.testing.actors import Actors
from salesops.testing.money_factories import make_deal

MONDAY = dt.date(2026, 11, 23)
FRIDAY = dt.date(2026, 11, 20)
SATURDAY = dt.date(2026, 11, 21)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def customer(owner, name: str, grade: str | None = "A") -> Customer:
    return Customer.objects.create(name=name, name_key=name, owner=owner, grade=grade)


def visit(by, whom: Customer, day: dt.date, points: str = "拜访") -> None:
    followup_create(by=by, customer=whom, contacted_at=at(day), channel="visit", key_points=points)


def targets(actors: Actors, day: dt.date, rep_a1: int, rep_a2: int) -> None:
    a = actors
    day_targets_save(by=a.lead_a, team=a.team_a, day=day, team_values={"visits": rep_a1 + rep_a2},
                     members={a.rep_a1.pk: {"visits": rep_a1}, a.rep_a2.pk: {"visits": rep_a2}})


@pytest.mark.django_db
def test_yesterday_is_the_previous_working_day() -> None:
    """R2: Monday's brief looks back at Friday, never at the weekend."""
    assert brief_day(MONDAY.isoformat(), today=MONDAY) == MONDAY
    assert brief_yesterday(MONDAY) == FRIDAY


@pytest.mark.django_db
def test_figures_against_targets_praise_and_missed_reasons(actors: Actors) -> None:
    a = actors
    mine = customer(a.rep_a1, "杭州远帆纺织有限公司")
    theirs = customer(a.rep_a2, "苏州恒通机械有限公司")
    for _ in range(2):
        visit(a.rep_a1, mine, FRIDAY)
    visit(a.rep_a2, theirs, FRIDAY)
    visit(a.rep_a2, theirs, SATURDAY)  # a weekend day is no one's yesterday
    make_deal(a.rep_a1, amount="50000.00", signed_at=FRIDAY)
    targets(a, FRIDAY, rep_a1=2, rep_a2=3)
    DailySummary.objects.create(user=a.rep_a2, team=a.team_a, date=FRIDAY, submitted_at=at(FRIDAY, 18),
                                not_done=[{"item": "拜访苏州恒通", "reason": "客户临时爽约"}])

    brief = briefs_content(teams=[a.team_a], day=MONDAY)[a.team_a.pk]

    assert brief["yesterday"]["date"] == FRIDAY.isoformat()
    rows = {row["user"]: row for row in brief["yesterday"]["members"]}
    assert rows[a.rep_a1.pk]["metrics"]["visits"] == 2
    assert rows[a.rep_a1.pk]["metrics"]["sales_amount"] == "50000.00"
    assert rows[a.rep_a2.pk]["metrics"]["visits"] == 1
    assert brief["yesterday"]["team"]["visits"] == 3
    assert brief["yesterday"]["targets"] == {"visits": 5}
    assert rows[a.rep_a1.pk]["met"] is True and rows[a.rep_a2.pk]["met"] is False
    assert rows[a.lead_a.pk]["met"] is None  # no target: neither praised nor missed
    assert brief["praised"] == [a.rep_a1.pk]
    assert brief["missed"] == [{"user": a.rep_a2.pk, "display_name": a.rep_a2.display_name, "summary_submitted": True,
                                "reasons": [{"item": "拜访苏州恒通", "reason": "客户临时爽约"}]}]


def test_met_means_every_metric_with_a_target() -> None:
    assert met({"visits": 3, "sales_amount": Decimal("10.00")}, {"visits": 3, "sales_amount": Decimal("10.00")})
    assert met({"visits": 4, "sales_amount": Decimal("9.99")}, {"visits": 3, "sales_amount": Decimal("10.00")}) is False
    assert met({"visits": 0}, {"deals": 0}) is True
    assert met({"visits": 9}, {}) is None


@pytest.mark.django_db
def test_a_missed_rep_without_a_summary_is_named_so(actors: Actors) -> None:
    targets(actors, FRIDAY, rep_a1=1, rep_a2=1)
    brief = briefs_content(teams=[actors.team_a], day=MONDAY)[actors.team_a.pk]
    assert {entry["user"]: entry["summary_submitted"] for entry in brief["missed"]} == {
        actors.rep_a1.pk: False, actors.rep_a2.pk: False}


@pytest.mark.django_db
def test_every_a_customer_with_its_latest_followup_in_one_query(actors: Actors) -> None:
    a = actors
    followed = customer(a.rep_a1, "上海明德电子有限公司")
    customer(a.rep_a2, "宁波海川贸易有限公司")
    customer(a.rep_a1, "B级客户有限公司", grade="B")
    customer(a.rep_b1, "别组客户有限公司")
    followup_create(by=a.rep_a1, customer=followed, contacted_at=at(FRIDAY, 9), channel="phone", key_points="报价")
    followup_create(by=a.rep_a1, customer=followed, contacted_at=at(FRIDAY, 15), channel="visit", key_points="签约意向",
                    next_step="送合同")

    team_a_people = {a.team_a.pk: list(members(team_ids=[a.team_a.pk]))}
    with CaptureQueriesContext(connection) as queries:
        found = key_customers(people=team_a_people)
    assert len(queries) == 1
    rows = found[a.team_a.pk]
    assert [row["name"] for row in rows] == ["宁波海川贸易有限公司", "上海明德电子有限公司"]  # never followed up first
    assert rows[0]["latest_followup"] is None
    assert rows[1]["latest_followup"]["key_points"] == "签约意向"
    assert rows[1]["latest_followup"]["next_step"] == "送合同"
    assert rows[1]["owner"] == a.rep_a1.pk
    for extra in range(5):
        customer(a.rep_a2, f"追加A客户{extra}有限公司")
    team_a_people = {a.team_a.pk: list(members(team_ids=[a.team_a.pk]))}
    with CaptureQueriesContext(connection) as queries:
        assert len(key_customers(people=team_a_people)[a.team_a.pk]) == 7
    assert len(queries) == 1


@pytest.mark.django_db
def test_problems_success_cases_tasks_and_todays_split(actors: Actors) -> None:
    a = actors
    won = customer(a.rep_a1, "深圳华强电子有限公司")
    open_one = Problem.objects.create(team=a.team_a, raised_by=a.rep_a1, title="客户资源不足",
                                      category="customer_resources")
    Problem.objects.create(team=a.team_a, raised_by=a.rep_a2, title="已解决", category="other",
                           status=ProblemStatus.RESOLVED)
    Problem.objects.create(team=a.team_b, raised_by=a.rep_b1, title="别组问题", category="other")
    old = SuccessCase.objects.create(team=a.team_a, author=a.rep_a1, title="旧案例", story="很久以前", customer=won)
    SuccessCase.objects.filter(pk=old.pk).update(created_at=at(FRIDAY - dt.timedelta(days=7)))
    SuccessCase.objects.create(team=a.team_a, author=a.rep_a1, title="三天签约", story="先拜访后报价", customer=won)
    due = Task.objects.create(title="送样品", standard="签收单", deadline=MONDAY, assignee=a.rep_a1, assigner=a.lead_a)
    late = Task.objects.create(title="回访", standard="录音", deadline=FRIDAY, assignee=a.rep_a2, assigner=a.lead_a)
    Task.objects.create(title="已完成", standard="-", deadline=FRIDAY, assignee=a.rep_a2, assigner=a.lead_a,
                        status=TaskStatus.DONE)
    Task.objects.create(title="下周", standard="-", deadline=MONDAY + dt.timedelta(days=3), assignee=a.rep_a1,
                        assigner=a.lead_a)
    targets(a, MONDAY, rep_a1=3, rep_a2=2)

    brief = briefs_content(teams=[a.team_a], day=MONDAY)[a.team_a.pk]

    assert [row["problem"] for row in brief["problems"]] == [open_one.pk]
    assert [row["title"] for row in brief["success_cases"]] == ["三天签约"]
    assert brief["success_cases"][0]["customer_name"] == "深圳华强电子有限公司"
    assert [row["task"] for row in brief["tasks"]["due_today"]] == [due.pk]
    assert [row["task"] for row in brief["tasks"]["overdue"]] == [late.pk]
    assert brief["today"] == {"date": MONDAY.isoformat(), "team": {"visits": 5},
                              "members": {str(a.rep_a1.pk): {"visits": 3}, str(a.rep_a2.pk): {"visits": 2}}}


@pytest.mark.django_db
def test_a_rep_reads_the_teams_brief_without_what_is_outside_their_scope(actors: Actors) -> None:
    """R1: a rep reads their team's brief, but of the rows that belong to people only their own."""
    a = actors
    customer(a.rep_a1, "我的A客户有限公司")
    customer(a.rep_a2, "同事的A客户有限公司")
    Task.objects.create(title="同事的任务", standard="-", deadline=MONDAY, assignee=a.rep_a2, assigner=a.lead_a)
    Problem.objects.create(team=a.team_a, raised_by=a.rep_a2, title="需要支持", category="other",
                           customer=Customer.objects.get(name="同事的A客户有限公司"))
    targets(a, FRIDAY, rep_a1=1, rep_a2=1)
    DailySummary.objects.create(user=a.rep_a2, team=a.team_a, date=FRIDAY, submitted_at=at(FRIDAY, 18),
                                not_done=[{"item": "拜访同事的A客户", "reason": "改期"}])
    content = brief_of(team=a.team_a, day=MONDAY, reader=a.lead_a).content

    mine = for_reader(content, user=a.rep_a1, team=a.team_a)

    assert [row["name"] for row in mine["key_customers"]] == ["我的A客户有限公司"]
    assert mine["tasks"]["due_today"] == []
    assert mine["problems"][0]["title"] == "需要支持" and mine["problems"][0]["customer_name"] == ""
    assert {entry["user"]: entry["reasons"] for entry in mine["missed"]}[a.rep_a2.pk] == []
    assert "同事的A客户" not in str(mine)
    assert len(content["key_customers"]) == 2  # the lead reads it all


@pytest.mark.django_db
def test_lag_streaks_with_the_latest_talk_show_in_the_brief(actors: Actors) -> None:
    """R19: the streak and the lead's talk show in the next brief; a rep reads only their own."""
    from salesops.daily.lag.models import LagAlert, LagTalk

    a = actors
    alert = LagAlert.objects.create(subject_user=a.rep_a2, team=a.team_a, started_on=dt.date(2026, 11, 18),
                                    last_day=FRIDAY, days=3)
    LagTalk.objects.create(alert=alert, cause="no_show", remedy="route", note="周二起调整路线", by=a.lead_a)
    LagAlert.objects.create(subject_user=a.rep_b1, team=a.team_b, started_on=dt.date(2026, 11, 18),
                            last_day=FRIDAY, days=3)

    brief = briefs_content(teams=[a.team_a], day=MONDAY)[a.team_a.pk]

    (row,) = brief["lag_alerts"]
    assert (row["user"], row["days"], row["started_on"]) == (a.rep_a2.pk, 3, "2026-11-18")
    assert row["talk"]["cause"] == "no_show" and row["talk"]["note"] == "周二起调整路线"
    assert for_reader(brief, user=a.rep_a1, team=a.team_a)["lag_alerts"] == []
    assert for_reader(brief, user=a.rep_a2, team=a.team_a)["lag_alerts"] == [row]
