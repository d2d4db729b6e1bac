"""Which jobs are due when, in the organisation's time zone (Asia/Shanghai) and working calendar (R2),
and the consumer's every-minute tick that enqueues them (Huey runs tasks inline under tests)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_ENQUEUED

from salesops.jobs.models import JobRun
from salesops.jobs.services import job_queue, jobs_due
from salesops.jobs.tasks import schedule_tick
from salesops.organisation.models import CalendarDay
from salesops.organisation.selectors import rule_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
MAKEUP_SATURDAY = dt.date(2026, 2, 14)  # 调休: a working Saturday
HOLIDAY = dt.date(2026, 2, 16)  # Spring Festival holiday, a Monday
SUNDAY = dt.date(2026, 2, 8)


def shanghai(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)


def due(now: dt.datetime) -> list[str]:
    return [job.name for job in jobs_due(now=now)]


pytestmark = pytest.mark.django_db


def test_due_from_its_time_in_shanghai_not_utc(add_job):
    add_job("brief", at=dt.time(8, 20))
    # 08:19 in Shanghai is 00:19 UTC: not yet.
    assert due(dt.datetime(2026, 2, 13, 0, 19, tzinfo=UTC)) == []
    assert due(shanghai(dt.date(2026, 2, 13), 8, 19, 59)) == []
    # From 08:20:00 on it is due.
    assert due(shanghai(dt.date(2026, 2, 13), 8, 20)) == ["brief"]
    assert due(dt.datetime(2026, 2, 13, 0, 21, tzinfo=UTC)) == ["brief"]


def test_the_active_time_zone_does_not_matter(add_job):
    add_job("brief", at=dt.time(8, 20))
    with timezone.override("UTC"):
        assert due(dt.datetime(2026, 2, 13, 0, 19, tzinfo=UTC)) == []
        assert due(dt.datetime(2026, 2, 13, 0, 21, tzinfo=UTC)) == ["brief"]


def test_date_is_the_shanghai_date(add_job):
    """23:30 UTC on the 12th is 07:30 on the 13th in Shanghai: a 07:00 job is due for the 13th."""
    add_job("early", at=dt.time(7, 0))
    now = dt.datetime(2026, 2, 12, 23, 30, tzinfo=UTC)
    JobRun.objects.create(name="early", date=dt.date(2026, 2, 12), status=JobRun.Status.DONE)
    assert due(now) == ["early"]
    JobRun.objects.create(name="early", date=dt.date(2026, 2, 13), status=JobRun.Status.DONE)
    assert due(now) == []


def test_working_days_only_follows_the_china_calendar(add_job):
    """R2: not due on the Spring Festival holiday or a Sunday, due on the make-up working Saturday."""
    add_job("plan", at=dt.time(9, 30))
    add_job("daily", at=dt.time(9, 30), workdays_only=False)
    assert due(shanghai(HOLIDAY, 9, 31)) == ["daily"]
    assert due(shanghai(SUNDAY, 9, 31)) == ["daily"]
    assert due(shanghai(MAKEUP_SATURDAY, 9, 31)) == ["daily", "plan"]


def test_company_days_override_the_national_calendar(add_job):
    add_job("plan", at=dt.time(9, 30))
    CalendarDay.objects.create(date=HOLIDAY, kind=CalendarDay.Kind.WORKDAY)
    CalendarDay.objects.create(date=MAKEUP_SATURDAY, kind=CalendarDay.Kind.DAY_OFF)
    assert due(shanghai(HOLIDAY, 9, 31)) == ["plan"]
    assert due(shanghai(MAKEUP_SATURDAY, 9, 31)) == []


def test_not_due_once_it_ran_today_whatever_the_outcome(add_job):
    add_job("brief", at=dt.time(8, 20))
    now = shanghai(MAKEUP_SATURDAY, 8, 25)
    for status in (JobRun.Status.DONE, JobRun.Status.FAILED):
        JobRun.objects.update_or_create(name="brief", date=MAKEUP_SATURDAY, defaults={"status": status})
        assert due(now) == []


def test_queued_or_running_is_not_due_until_abandoned(add_job):
    """A row queued or running for more than an hour is abandoned (lost message, killed worker)."""
    add_job("brief", at=dt.time(8, 20))
    now = shanghai(MAKEUP_SATURDAY, 10, 0)
    run = JobRun.objects.create(
        name="brief", date=MAKEUP_SATURDAY, status=JobRun.Status.QUEUED, queued_at=now - dt.timedelta(minutes=59)
    )
    assert due(now) == []
    run.queued_at = now - dt.timedelta(minutes=61)
    run.save()
    assert due(now) == ["brief"]
    run.status, run.started_at = JobRun.Status.RUNNING, now - dt.timedelta(minutes=59)
    run.save()
    assert due(now) == []
    run.started_at = now - dt.timedelta(minutes=61)
    run.save()
    assert due(now) == ["brief"]


def test_catches_up_today_but_not_earlier_days(add_job):
    """A consumer that was down from Friday to Saturday 15:00 runs Saturday's 08:20 job, not Friday's."""
    add_job("brief", at=dt.time(8, 20))
    add_job("evening", at=dt.time(17, 30))
    now = shanghai(MAKEUP_SATURDAY, 15, 0)
    assert due(now) == ["brief"]
    assert not JobRun.objects.filter(date__lt=MAKEUP_SATURDAY).exists()


def test_time_from_a_rule_setting_moves_the_schedule(add_job):
    """R7: the plan check runs at plan_due_at (09:30 by default); an admin's change moves it."""
    add_job("plan_check", at=lambda: rule_settings().plan_due_at)
    now = shanghai(MAKEUP_SATURDAY, 9, 40)
    assert due(now) == ["plan_check"]
    settings = rule_settings()
    settings.plan_due_at = dt.time(9, 45)
    settings.save()
    assert due(now) == []


def test_due_jobs_come_in_time_order(add_job):
    add_job("b_late", at=dt.time(9, 30), workdays_only=False)
    add_job("c_early", at=dt.time(3, 0), workdays_only=False)
    add_job("a_late", at=dt.time(9, 30), workdays_only=False)
    assert due(shanghai(SUNDAY, 12, 0)) == ["c_early", "a_late", "b_late"]


# --- queueing and the tick ------------------------------------------------------------------------------------


def test_job_queue_hands_a_date_over_once(add_job, monkeypatch):
    add_job("brief")
    now = shanghai(MAKEUP_SATURDAY, 8, 21)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert job_queue(name="brief", day=MAKEUP_SATURDAY) is True
    assert job_queue(name="brief", day=MAKEUP_SATURDAY) is False
    run = JobRun.objects.get()
    assert (run.status, run.queued_at, run.attempts) == (JobRun.Status.QUEUED, now, 0)
    # An hour later the message is taken as lost and handed over again.
    later = now + dt.timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert job_queue(name="brief", day=MAKEUP_SATURDAY) is True
    assert JobRun.objects.get().queued_at == later


@pytest.fixture
def clock(monkeypatch):
    """``clock(now)`` sets what timezone.now() returns for the tick, the services and the tasks."""

    def set_now(now: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: now.astimezone(UTC))

    return set_now


@pytest.fixture
def enqueued():
    """The (task name, args) Huey was handed, in order."""
    seen: list[tuple[str, tuple]] = []

    def receiver(signal, task, *args, **kwargs):
        seen.append((task.name, tuple(task.args)))

    HUEY.signal(SIGNAL_ENQUEUED)(receiver)
    yield seen
    HUEY.disconnect_signal(receiver, SIGNAL_ENQUEUED)


def test_tick_enqueues_a_task_per_due_job(add_job, clock, enqueued):
    assert HUEY.immediate is True
    add_job("brief", at=dt.time(8, 20))
    add_job("plan", at=dt.time(9, 30))
    clock(shanghai(MAKEUP_SATURDAY, 8, 21))
    schedule_tick()
    schedule_tick()
    assert enqueued == [
        ("schedule_tick", ()),
        ("run_job_task", ("brief", MAKEUP_SATURDAY)),
        ("schedule_tick", ()),
    ]


def test_tick_runs_each_due_job_once_per_date(add_job, clock):
    brief = add_job("brief", at=dt.time(8, 20))
    plan = add_job("plan", at=dt.time(9, 30))
    housekeeping = add_job("housekeeping", at=dt.time(3, 0), workdays_only=False)

    clock(shanghai(MAKEUP_SATURDAY, 8, 19))
    schedule_tick()
    assert (brief.calls, plan.calls) == ([], [])
    assert housekeeping.calls == [MAKEUP_SATURDAY]  # caught up: its 03:00 passed while nobody ticked

    clock(shanghai(MAKEUP_SATURDAY, 8, 21))
    schedule_tick()
    schedule_tick()
    assert brief.calls == [MAKEUP_SATURDAY]
    assert plan.calls == []

    clock(shanghai(MAKEUP_SATURDAY, 9, 30))
    schedule_tick()
    assert plan.calls == [MAKEUP_SATURDAY]
    assert brief.calls == [MAKEUP_SATURDAY]
    assert housekeeping.calls == [MAKEUP_SATURDAY]
    runs = {run.name: (run.date, run.status, run.attempts) for run in JobRun.objects.all()}
    assert runs == {
        "brief": (MAKEUP_SATURDAY, JobRun.Status.DONE, 1),
        "plan": (MAKEUP_SATURDAY, JobRun.Status.DONE, 1),
        "housekeeping": (MAKEUP_SATURDAY, JobRun.Status.DONE, 1),
    }


def test_tick_skips_working_days_jobs_on_a_holiday(add_job, clock):
    plan = add_job("plan", at=dt.time(9, 30))
    daily = add_job("daily", at=dt.time(3, 0), workdays_only=False)
    clock(shanghai(HOLIDAY, 18, 0))
    schedule_tick()
    assert plan.calls == []
    assert daily.calls == [HOLIDAY]
    assert list(JobRun.objects.values_list("name", flat=True)) == ["daily"]


def test_tick_records_a_failure_and_goes_on(add_job, clock):
    broken = add_job("broken", at=dt.time(3, 0), workdays_only=False, fail=True)
    fine = add_job("fine", at=dt.time(4, 0), workdays_only=False)
    clock(shanghai(SUNDAY, 5, 0))
    schedule_tick()
    schedule_tick()
    assert broken.calls == [SUNDAY]  # failed once, not retried by the schedule
    assert fine.calls == [SUNDAY]
    assert JobRun.objects.get(name="broken").status == JobRun.Status.FAILED
    assert JobRun.objects.get(name="fine").status == JobRun.Status.DONE


def test_tick_does_not_run_a_job_run_by_hand_today(add_job, clock):
    brief = add_job("brief", at=dt.time(8, 20))
    JobRun.objects.create(name="brief", date=MAKEUP_SATURDAY, status=JobRun.Status.DONE)
    clock(shanghai(MAKEUP_SATURDAY, 8, 21))
    schedule_tick()
    assert brief.calls == []
