"""The home page is each role's day (R10, R11, R1, R17): a rep's due counts, list, records, plan and summary;
a lead's team per person; a director's teams; an admin's set-up and jobs. Query counts stay flat as the data grows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from salesops.accounts.models import Role
from salesops.daily.plans import services as plans
from salesops.daily.summaries import services as summaries
from salesops.followups.cadence import due_label
from salesops.home.tests.conftest import WEDNESDAY, local
from salesops.jobs import registry
from salesops.jobs.models import JobRun
from salesops.tasks.models import Task
from salesops.testing.factories import make_team, make_user

DAY = dt.timedelta(days=1)


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("days", "english", "chinese"),
    [(-3, "3 days overdue", "逾期 3 天"), (-1, "1 day overdue", "逾期 1 天"), (0, "today", "今天"),
     (1, "tomorrow", "明天"), (4, "in 4 days", "4 天后")],
)
def test_due_label_reads_as_people_say_it(days, english, chinese):
    due = WEDNESDAY + dt.timedelta(days=days)
    with translation.override("en"):
        assert due_label(due, WEDNESDAY) == english
    with translation.override("zh-hans"):
        assert due_label(due, WEDNESDAY) == chinese


@pytest.fixture
def rep_week(actors, make_customer, make_followup, clock):
    rep = actors.rep_a1
    rows = {
        "overdue": make_customer(rep, WEDNESDAY - 3 * DAY, phone="0571-8888 6666"),
        "today": make_customer(rep, WEDNESDAY),
        "tomorrow": make_customer(rep, WEDNESDAY + DAY),
        "sunday": make_customer(rep, WEDNESDAY + 4 * DAY),
        "next_week": make_customer(rep, WEDNESDAY + 5 * DAY),
        "closed": make_customer(rep, WEDNESDAY - DAY, is_active=False),
        "colleague": make_customer(actors.rep_a2, WEDNESDAY - DAY),
    }
    rows["mine_today"] = make_followup(rep, rows["today"], local(WEDNESDAY, 9))
    rows["mine_yesterday"] = make_followup(rep, rows["tomorrow"], local(WEDNESDAY - DAY, 15))
    rows["colleague_today"] = make_followup(actors.rep_a2, rows["colleague"], local(WEDNESDAY, 11))
    return rows


def test_rep_home_is_the_day(client, actors, rep_week):
    client.force_login(actors.rep_a1)
    response = client.get("/")
    assert response.status_code == 200
    counts = response.context["counts"]
    # overdue: 03-01; today: 03-04; this week: 03-04, 03-05, 03-08 (not next Monday, not the closed one)
    assert (counts.overdue, counts.today, counts.week) == (1, 1, 3)
    due = response.context["due"]
    assert [item.customer.pk for item in due] == [rep_week[k].pk for k in ("overdue", "today", "tomorrow", "sunday")]
    assert [item.label for item in due] == ["逾期 3 天", "今天", "明天", "4 天后"]
    assert [item.overdue for item in due] == [True, False, False, False]
    assert [r.pk for r in response.context["records"]] == [rep_week["mine_today"].pk]
    page = html(response)
    assert 'href="tel:0571-88886666"' in page
    assert f'href="/customers/{rep_week["today"].pk}/followup/?next=/"' in page
    assert 'href="/today/?when=all"' in page and 'href="/today/?when=week"' in page  # the full list, a tap away
    assert "team-people" not in page and "job-health" not in page


def test_rep_home_in_english(client, actors, rep_week):
    actors.rep_a1.language = "en"
    actors.rep_a1.save(update_fields=["language"])
    client.force_login(actors.rep_a1)
    page = html(client.get("/"))
    for words in ("3 days overdue", "today", "tomorrow", "Log follow-up", "Call", "Due this week"):
        assert words in page


@pytest.fixture
def team_day(actors, make_customer, make_followup, clock):
    a1, a2, b1 = actors.rep_a1, actors.rep_a2, actors.rep_b1
    for due in (WEDNESDAY - DAY, WEDNESDAY, WEDNESDAY + DAY):
        make_customer(a1, due)
    overdue_a2 = make_customer(a2, WEDNESDAY - 2 * DAY)
    overdue_b1 = make_customer(b1, WEDNESDAY - 2 * DAY)
    return {
        "a1_today": make_followup(a1, make_customer(a1, None, grade=None), local(WEDNESDAY, 9)),
        "a2_late": make_followup(a2, overdue_a2, local(dt.date(2026, 3, 2), 9), late=True),
        "a1_late_february": make_followup(a1, overdue_a2, local(dt.date(2026, 2, 27), 9), late=True),
        "b1_late_today": make_followup(b1, overdue_b1, local(WEDNESDAY, 8), late=True),
    }


def test_lead_home_is_the_teams_day(client, actors, team_day):
    client.force_login(actors.lead_a)
    response = client.get("/")
    assert response.status_code == 200
    people = {f.user.username: f for f in response.context["people"]}
    assert set(people) == {"lead_a", "rep_a1", "rep_a2"}
    assert (people["rep_a1"].overdue, people["rep_a1"].compliance) == (1, 2 / 3)
    assert (people["rep_a2"].overdue, people["rep_a2"].compliance) == (1, 0.0)
    assert people["lead_a"].compliance is None  # no graded customers: no figure, not 0 % or 100 %
    assert [f.user.username for f in response.context["people"]][-1] == "lead_a"  # most overdue first
    (team,) = response.context["team_totals"]
    # team A: 4 graded customers, 2 overdue; 2 records this month (Feb's is not), 1 of them late
    assert (team.team, team.customers, team.overdue, team.compliance) == (actors.team_a, 4, 2, 0.5)
    assert (team.followups, team.late, team.late_share) == (2, 1, 0.5)
    assert {p.username for p in response.context["silent"]} == {"lead_a", "rep_a2"}
    assert [r.pk for r in response.context["late"]] == [team_day["a2_late"].pk]  # not team B's, not February's
    page = html(response)
    assert 'data-chart="home-chart"' in page and 'id="home-chart"' in page
    assert "66.7%" in page and "50.0%" in page


def test_lead_home_on_a_day_off_names_nobody_as_silent(client, actors, team_day, clock):
    clock.now = local(dt.date(2026, 3, 7), 16)  # a Saturday
    client.force_login(actors.lead_a)
    response = client.get("/")
    assert response.context["silent"] is None
    assert "今天是休息日。" in html(response)


def test_director_home_is_each_teams_day(client, actors, team_day):
    client.force_login(actors.director)
    response = client.get("/")
    rows = {row["figures"].team: row for row in response.context["teams"]}
    assert set(rows) == {actors.team_a, actors.team_b}  # not team C (R1)
    a, b = rows[actors.team_a]["figures"], rows[actors.team_b]["figures"]
    assert (a.overdue, a.compliance, a.late_share, a.silent, a.people) == (2, 0.5, 0.5, 2, 3)
    assert (b.overdue, b.compliance, b.late_share, b.silent, b.people) == (1, 0.0, 1.0, 1, 2)
    assert {p.username for p in rows[actors.team_a]["silent"]} == {"lead_a", "rep_a2"}
    assert [p.username for p in rows[actors.team_b]["silent"]] == ["lead_b"]
    chart = response.context["chart"]
    assert chart["yAxis"]["data"] == [actors.team_a.name, actors.team_b.name]
    assert chart["series"][0]["data"] == [50.0, 0.0] and chart["series"][1]["data"] == [2, 1]
    assert f'href="/team/overdue/?team={actors.team_a.pk}"' in html(response)


def test_admin_home_shows_the_set_up_and_the_jobs(client, actors, clock):
    empty = make_team(name="空团队")
    make_user(username="loner", role=Role.REP, team=None)
    names = [job.name for job in registry.all_jobs()]
    assert "cadence" in names and "housekeeping" in names
    for name in names:
        JobRun.objects.create(name=name, date=WEDNESDAY, status="failed" if name == "cadence" else "done")
    client.force_login(actors.admin)
    response = client.get("/")
    setup = response.context["setup"]
    assert (setup.teams_without_lead, setup.teams_without_reps) == (["空团队"], ["空团队"])
    assert setup.sellers_without_team == 1
    assert not setup.complete
    assert "<td>03:00</td>" in html(response)  # housekeeping's time
    assert (response.context["jobs_failed"], response.context["jobs_waiting"]) == (1, 0)
    assert {row.job.name for row in response.context["jobs"]} == set(names)
    JobRun.objects.filter(name="housekeeping").delete()  # due at 03:00, not run today: waiting
    response = client.get("/")
    assert response.context["jobs_waiting"] == 1
    waiting = [row.job.name for row in response.context["jobs"] if row.waiting]
    assert waiting == ["housekeeping"]
    JobRun.objects.filter(name="cadence").update(status="done")
    page = html(client.get("/"))
    # a job not run yet is a warning, not a failure: no red badge, no "0 failed"
    assert 'data-testid="jobs-waiting"' in page and 'data-testid="jobs-bad"' not in page
    assert "0 个失败" not in page and "0 failed" not in page
    assert {row["figures"].team for row in response.context["teams"]} == {
        actors.team_a, actors.team_b, actors.team_c, empty,
    }


def test_admin_set_up_is_complete_with_leads_and_reps_everywhere(client, actors, clock):
    client.force_login(actors.admin)
    setup = client.get("/").context["setup"]
    assert setup.complete and setup.teams == 3 and setup.teams_without_lead == []


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


# The admin's jobs list reads the rule settings once for each job whose time is a setting (plan_check,
# summary_check, morning_brief); the rep's day reads their open lag alerts (R19), and today's summary beside the rule
# settings (R17).
@pytest.mark.parametrize(("who", "most"), [("rep_a1", 11), ("lead_a", 15), ("director", 11), ("admin", 19)])
def test_home_is_a_fixed_number_of_queries(client, actors, make_customer, make_followup, clock, who, most):
    """Hot page: the count does not grow with customers, records or people."""
    user = getattr(actors, who)
    client.force_login(user)

    def add(n: int) -> None:
        for owner in (actors.rep_a1, actors.rep_a2, actors.rep_b1):
            for k in range(n):
                customer = make_customer(owner, WEDNESDAY + (k % 9 - 4) * DAY)
                make_followup(owner, customer, local(WEDNESDAY, 9), late=k % 2 == 0)
        for k in range(n):
            make_user(username=f"{who}_extra_{JobRun.objects.count()}_{k}_{n}", team=actors.team_a)

    add(2)
    small = queries(client)
    add(25)
    assert queries(client) == small <= most


def test_rep_day_has_the_plan_and_the_open_tasks(client, actors, rep_week):
    def make_task(assignee, deadline, title):  # rows straight to the table (the rules are tested in tasks)
        return Task.objects.create(assignee=assignee, assigner=actors.lead_a, deadline=deadline, title=title,
                                   standard="拍照")

    client.force_login(actors.rep_a1)
    page = html(client.get("/"))
    assert "今天还没有计划" in page and 'href="/plans/"' in page
    plan = plans.plan_create(by=actors.rep_a1, day=WEDNESDAY)
    late = make_task(assignee=actors.rep_a1, deadline=WEDNESDAY - 2 * DAY, title="寄样品")
    due = make_task(assignee=actors.rep_a1, deadline=WEDNESDAY, title="报价单")
    make_task(assignee=actors.rep_a1, deadline=WEDNESDAY + DAY, title="下周拜访")
    make_task(assignee=actors.rep_a2, deadline=WEDNESDAY, title="同事的任务")
    response = client.get("/")
    assert response.context["plan"] == plan
    assert [task.pk for task in response.context["tasks"]] == [late.pk, due.pk]  # overdue first, none later
    page = html(response)
    assert "草稿" in page and "同事的任务" not in page


def test_rep_day_has_the_summary_with_its_due_time(client, actors, rep_week):
    """R17: not written yet (due at 17:30 by default) links to writing it; written, it links to the summary;
    a teammate's summary changes nothing."""
    client.force_login(actors.rep_a1)
    summaries.summary_submit(by=actors.rep_a2, day=WEDNESDAY, done="同事的总结")
    response = client.get("/")
    assert response.context["summary_pk"] is None
    page = html(response)
    assert "尚未填写" in page and "17:30 前提交" in page and 'href="/summaries/today/"' in page
    written = summaries.summary_submit(by=actors.rep_a1, day=WEDNESDAY, done="拜访三家客户")
    response = client.get("/")
    assert response.context["summary_pk"] == written.pk
    page = html(response)
    assert "已提交" in page and f'href="/summaries/{written.pk}/"' in page and "17:30 前提交" not in page
