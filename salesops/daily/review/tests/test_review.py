"""R18 the weekly review: the day it is held (Friday, or the week's last working day when Friday is off,
R2); per member tasks done and not done; the week's figures with the best per metric; problems raised and
resolved; the month's progress with the gap per metric from the KPI report; /api/weekly-reviews/ with its
bad input and scope (R1); the page, the printable page and the sheet."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.daily.problems.models import Problem, ProblemStatus
from salesops.daily.review.selectors import review_day, weekly_review
from salesops.followups.services import followup_create
from salesops.organisation.workcal import WorkCalendar
from salesops.performance.periods import Period
from salesops.tasks.models import Task, TaskStatus
from salesops.testing.actors import Actors
from salesops.testing.money_factories import make_deal

WEEK = Period.parse("2026-W47")  # Monday 16 to Sunday 22 November 2026
URL = "/api/weekly-reviews/"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.mark.django_db
def test_the_review_is_held_on_friday_or_the_last_working_day_before_a_friday_off() -> None:
    plain = WorkCalendar()
    assert review_day(WEEK, calendar=plain, weekday=4) == dt.date(2026, 11, 20)
    # National Day 2026: Friday 2 October is a holiday, the week's working days end on Wednesday 30 September
    national_day = Period.parse("2026-W40")
    assert not plain.is_workday(dt.date(2026, 10, 2))
    last = max(day for day in national_day.days() if plain.is_workday(day))
    assert review_day(national_day, calendar=plain, weekday=4) == last
    assert last < dt.date(2026, 10, 2)


@pytest.mark.django_db
def test_tasks_figures_highlights_and_problems_of_the_week(actors: Actors) -> None:
    a = actors
    shop = Customer.objects.create(name="无锡永盛机电有限公司", name_key="w", owner=a.rep_a1, grade="A")
    for day in (dt.date(2026, 11, 16), dt.date(2026, 11, 18)):
        followup_create(by=a.rep_a1, customer=shop, contacted_at=at(day), channel="visit", key_points="拜访")
    followup_create(by=a.rep_a1, customer=shop, contacted_at=at(dt.date(2026, 11, 23)), channel="visit",
                    key_points="下周的")
    make_deal(a.rep_a2, amount="80000.00", signed_at=dt.date(2026, 11, 19))
    done = Task.objects.create(title="签约归档", standard="扫描件", deadline=dt.date(2026, 11, 18), assignee=a.rep_a1,
                               assigner=a.lead_a, status=TaskStatus.DONE, decided_at=at(dt.date(2026, 11, 18)))
    late = Task.objects.create(title="满意度回访", standard="录音", deadline=dt.date(2026, 11, 19), assignee=a.rep_a2,
                               assigner=a.lead_a)
    Task.objects.create(title="下周任务", standard="-", deadline=dt.date(2026, 11, 25), assignee=a.rep_a2,
                        assigner=a.lead_a)
    raised = Problem.objects.create(team=a.team_a, raised_by=a.rep_a1, title="样品不足", category="other")
    Problem.objects.filter(pk=raised.pk).update(created_at=at(dt.date(2026, 11, 17)))
    solved = Problem.objects.create(team=a.team_a, raised_by=a.rep_a2, title="报价权限", category="pricing",
                                    status=ProblemStatus.RESOLVED, resolved_at=at(dt.date(2026, 11, 19)))
    Problem.objects.filter(pk=solved.pk).update(created_at=at(dt.date(2026, 11, 2)))

    review = weekly_review(team=a.team_a, week=WEEK)

    members = {row["user"]: row for row in review["members"]}
    assert [task["task"] for task in members[a.rep_a1.pk]["tasks_done"]] == [done.pk]
    assert [task["task"] for task in members[a.rep_a2.pk]["tasks_not_done"]] == [late.pk]
    assert members[a.rep_a1.pk]["metrics"]["visits"] == 2
    assert review["team_metrics"]["visits"] == 2 and review["team_metrics"]["sales_amount"] == "80000.00"
    assert review["highlights"]["visits"]["users"] == [a.rep_a1.pk]
    assert review["highlights"]["sales_amount"] == {"value": "80000.00", "users": [a.rep_a2.pk],
                                                    "names": [a.rep_a2.display_name]}
    assert "deals" in review["highlights"] and "collections" not in review["highlights"]  # nothing is no best
    assert [row["problem"] for row in review["problems"]["raised"]] == [raised.pk]
    assert [row["problem"] for row in review["problems"]["resolved"]] == [solved.pk]
    assert review["review_day"] == "2026-11-20" and review["month"]["period"] == "2026-11"


@pytest.mark.django_db
@pytest.mark.parametrize("week", ["2026-W54", "2025-W53", "2026-11", "W47", "2026-W00"])
def test_a_malformed_week_is_a_clear_400(actors: Actors, api_as: Any, week: str) -> None:
    answer = api_as(actors.lead_a).get(URL, {"team": actors.team_a.pk, "week": week})
    assert answer.status_code == 400
    assert "week" in answer.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "team", "status"), [
    ("lead_a", "team_a", 200), ("rep_a1", "team_a", 200), ("director", "team_b", 200),
    ("lead_a", "team_b", 404), ("rep_a1", "team_c", 404), ("director", "team_c", 404),
])
def test_a_team_outside_scope_is_not_found(actors: Actors, api_as: Any, who: str, team: str, status: int) -> None:
    answer = api_as(getattr(actors, who)).get(URL, {"team": getattr(actors, team).pk, "week": str(WEEK)})
    assert answer.status_code == status


@pytest.mark.django_db
def test_a_rep_sees_only_their_own_tasks(actors: Actors, api_as: Any) -> None:
    """R1: a teammate's tasks are neither listed nor counted for a rep."""
    Task.objects.create(title="同事的任务", standard="-", deadline=dt.date(2026, 11, 19), assignee=actors.rep_a2,
                        assigner=actors.lead_a)
    body = api_as(actors.rep_a1).get(URL, {"team": str(actors.team_a.pk), "week": str(WEEK)}).json()
    members = {row["user"]: row for row in body["members"]}
    assert members[actors.rep_a2.pk]["tasks_not_done"] is None
    assert "同事的任务" not in str(body)
    lead = api_as(actors.lead_a).get(URL, {"team": str(actors.team_a.pk), "week": str(WEEK)}).json()
    assert "同事的任务" in str(lead)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reviews/weekly/", "/reviews/weekly/print/"])
def test_the_pages_show_every_section(actors: Actors, path: str) -> None:
    client = Client()
    client.force_login(actors.lead_a)
    page = client.get(path, {"team": str(actors.team_a.pk), "week": str(WEEK)})
    assert page.status_code == 200
    for key in ("month", "figures", "highlights", "tasks", "problems", "cases"):
        assert f'data-testid="section-{key}"' in page.content.decode()
    other = client.get(path, {"team": str(actors.team_b.pk), "week": str(WEEK)})
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_sheet_has_a_sheet_per_section_safe_from_formulas(actors: Actors) -> None:
    Task.objects.create(title="=1+1 任务", standard="-", deadline=dt.date(2026, 11, 19), assignee=actors.rep_a1,
                        assigner=actors.lead_a)
    client = Client()
    client.force_login(actors.lead_a)
    answer: Any = client.get("/reviews/weekly/review.xlsx", {"team": str(actors.team_a.pk), "week": str(WEEK)})
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert len(book.sheetnames) == 6
    tasks = book.worksheets[3]
    cells = [cell.value for row in tasks.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'=1+1 任务" in cells
