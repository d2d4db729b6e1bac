"""R19 lag alerts: the manual's "3 working days in a row under the daily visit target" alerts the lead once
per streak; the streak goes on in the same alert and ends on a day at target; weekends, holidays and days
without a target break nothing and count nothing; the job is idempotent per date; the lead's talk."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.daily.lag import selectors, services
from salesops.daily.lag.models import AlertStatus, LagAlert
from salesops.jobs import registry
from salesops.notifications.models import Notification
from salesops.organisation.models import CalendarDay, RuleSettings

MON = dt.date(2026, 11, 23)


def days(start: dt.date, count: int) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(count)]


def run(day: dt.date, callbacks) -> dict:
    """The registered job for ``day``, its notifications sent as on commit."""
    with callbacks(execute=True):
        return registry.get("lag_alerts").function(day) or {}


def test_three_working_days_in_a_row_alert_the_lead_once(actors, day_of, django_capture_on_commit_callbacks):
    mon, tue, wed, thu, fri = days(MON, 5)
    for day, visits in ((mon, 1), (tue, 2), (wed, 0), (thu, 1), (fri, 3)):
        day_of(actors.rep_a1, day, 3, visits)
    day_of(actors.rep_a2, mon, 2, 2)  # at target: never alerted
    assert run(mon, django_capture_on_commit_callbacks)["alerted"] == 0
    assert run(tue, django_capture_on_commit_callbacks)["alerted"] == 0
    assert run(wed, django_capture_on_commit_callbacks)["alerted"] == 1
    alert = LagAlert.objects.get()
    assert (alert.subject_user, alert.team, alert.started_on, alert.last_day, alert.days) == (
        actors.rep_a1, actors.team_a, mon, wed, 3)
    told = Notification.objects.filter(kind="lag_streak")
    assert sorted(n.user.username for n in told) == ["director", "lead_a"]
    assert run(wed, django_capture_on_commit_callbacks)["alerted"] == 0  # again for the same date: nothing new
    assert run(thu, django_capture_on_commit_callbacks) == {"alerted": 0, "extended": 1, "ended": 0}
    assert LagAlert.objects.get().days == 4 and told.count() == 2
    assert run(fri, django_capture_on_commit_callbacks)["ended"] == 1
    alert.refresh_from_db()
    assert (alert.ended_on, alert.status) == (fri, AlertStatus.OPEN)  # open until the talk closes it
    assert list(selectors.open_lag_alerts(team_id=actors.team_a.pk)) == [alert]


def test_weekends_holidays_and_days_without_a_target_break_nothing(actors, day_of,
                                                                   django_capture_on_commit_callbacks):
    thu, fri, sat, _sun, mon, tue = days(dt.date(2026, 11, 26), 6)
    CalendarDay.objects.create(date=mon, kind=CalendarDay.Kind.DAY_OFF, note="司庆")
    day_of(actors.rep_a1, thu, 2, 0)
    day_of(actors.rep_a1, fri, None, 0)  # no target: counts nothing
    day_of(actors.rep_a1, sat, 2, 5)  # a weekend day at target breaks nothing either
    day_of(actors.rep_a1, mon, 2, 0)  # a company day off
    day_of(actors.rep_a1, tue, 2, 1)
    assert run(tue, django_capture_on_commit_callbacks)["alerted"] == 0  # thu and tue: 2 counting days
    wed = tue + dt.timedelta(days=1)
    day_of(actors.rep_a1, wed, 2, 0)
    assert run(wed, django_capture_on_commit_callbacks)["alerted"] == 1
    assert (LagAlert.objects.get().started_on, LagAlert.objects.get().days) == (thu, 3)


def test_a_makeup_working_saturday_counts_and_the_length_is_a_setting(actors, day_of,
                                                                      django_capture_on_commit_callbacks):
    RuleSettings.objects.update_or_create(pk=1, defaults={"lag_streak_days": 2})
    fri, sat = days(dt.date(2026, 11, 27), 2)
    CalendarDay.objects.create(date=sat, kind=CalendarDay.Kind.WORKDAY, note="调休")
    day_of(actors.rep_b1, fri, 1, 0)
    day_of(actors.rep_b1, sat, 1, 0)
    assert run(sat, django_capture_on_commit_callbacks)["alerted"] == 1
    assert sorted(Notification.objects.filter(kind="lag_streak").values_list("user__username", flat=True)) == [
        "director", "lead_b"]


def test_the_lead_records_the_talk_and_closes_it(actors, api_as):
    alert = LagAlert.objects.create(subject_user=actors.rep_a1, team=actors.team_a, started_on=MON,
                                    last_day=MON + dt.timedelta(days=2), days=3)
    body = {"alert": alert.pk, "cause": "no_show", "remedy": "route", "note": "周三客户改期"}
    assert api_as(actors.rep_a1).post("/api/lag-talks/", body, format="json").status_code == 403
    assert api_as(actors.lead_b).post("/api/lag-talks/", body, format="json").status_code == 404
    bad = api_as(actors.lead_a).post("/api/lag-talks/", {**body, "cause": "weather"}, format="json")
    assert bad.status_code == 400 and "cause" in bad.json()["error"]["fields"]
    first = api_as(actors.lead_a).post("/api/lag-talks/", body, format="json")
    assert first.status_code == 201 and first.json()["status"] == "open"
    closing = api_as(actors.lead_a).post("/api/lag-talks/", {**body, "remedy": "resources", "status": "closed"},
                                         format="json")
    assert closing.status_code == 201
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.closed_at is not None
    assert api_as(actors.lead_a).post("/api/lag-talks/", body, format="json").status_code == 400
    listed = api_as(actors.rep_a1).get("/api/lag-alerts/").json()["results"]
    assert [len(a["talks"]) for a in listed] == [2]
    assert not selectors.open_lag_alerts(team_id=actors.team_a.pk).exists()


def test_the_streak_and_the_talk_show_on_the_reps_home_and_the_leads_list(client, actors):
    alert = LagAlert.objects.create(subject_user=actors.rep_a1, team=actors.team_a, started_on=MON,
                                    last_day=MON + dt.timedelta(days=2), days=3)
    services.lag_talk_record(by=actors.lead_a, alert=alert, cause="resources", remedy="resources", note="补充线索")
    client.force_login(actors.rep_a1)
    home = client.get("/").content.decode()
    assert 'data-testid="home-lag"' in home and "补充线索" in home
    assert client.get("/daily/lag/").status_code == 403
    client.force_login(actors.lead_a)
    page = client.get("/daily/lag/").content.decode()
    assert f'data-testid="lag-alert-{alert.pk}"' in page
    answer = client.post(f"/daily/lag/{alert.pk}/talk/", {"cause": "no_show", "remedy": "route", "status": "closed"})
    assert answer.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED


@pytest.mark.parametrize("visits", [0, 3])
def test_a_day_off_runs_nothing(actors, day_of, django_capture_on_commit_callbacks, visits):
    sat = dt.date(2026, 11, 28)
    day_of(actors.rep_a1, sat, 3, visits)
    assert run(sat, django_capture_on_commit_callbacks) == {"alerted": 0, "extended": 0, "ended": 0}


def test_the_alerts_page_reads_as_many_queries_whatever_the_teams(client, actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(actors.admin)
    for rep in (actors.rep_a1, actors.rep_b1):
        LagAlert.objects.create(subject_user=rep, team_id=rep.team_id, started_on=MON, last_day=MON, days=3)
    client.get("/daily/lag/")
    with CaptureQueriesContext(connection) as few:
        client.get("/daily/lag/")
    LagAlert.objects.create(subject_user=actors.rep_c1, team=actors.team_c, started_on=MON, last_day=MON, days=3)
    with CaptureQueriesContext(connection) as more:
        client.get("/daily/lag/")
    assert len(few) == len(more) <= 15
