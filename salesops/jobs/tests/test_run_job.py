"""Running one job for one date: once per date, --force, failures recorded, the claim under
concurrency, the ``salesops run-job`` command, and the builtin housekeeping job."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
import threading
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from salesops.jobs import registry
from salesops.jobs.models import JobRun
from salesops.jobs.services import job_run
from salesops.jobs.tasks import run_job_task

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Saturday 2026-02-14 is a make-up working day (调休); Monday 2026-02-16 is in the Spring Festival holiday.
NOW = dt.datetime(2026, 2, 14, 10, 0, tzinfo=SHANGHAI)
TODAY = dt.date(2026, 2, 14)
HOLIDAY = dt.date(2026, 2, 16)


@pytest.fixture
def frozen(monkeypatch):
    """Now is 2026-02-14 10:00 in Shanghai for the services, the command and the tasks."""
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))
    return NOW


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("run-job", *args, stdout=out)
    return out.getvalue()


# --- the service -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_runs_once_per_date(add_job, frozen):
    job = add_job("alpha", workdays_only=False)

    first = job_run(name="alpha", day=TODAY)
    second = job_run(name="alpha", day=TODAY)

    assert (first.ran, second.ran) == (True, False)
    assert job.calls == [TODAY]
    run = JobRun.objects.get()
    assert (run.name, run.date, run.status, run.attempts) == ("alpha", TODAY, JobRun.Status.DONE, 1)
    assert run.result == {"day": "2026-02-14", "count": 1}
    assert run.started_at == NOW and run.finished_at == NOW
    assert second.run.pk == run.pk


@pytest.mark.django_db
def test_another_date_is_another_run(add_job, frozen):
    job = add_job("alpha", workdays_only=False)
    job_run(name="alpha", day=TODAY)
    job_run(name="alpha", day=TODAY - dt.timedelta(days=1))
    assert job.calls == [TODAY, TODAY - dt.timedelta(days=1)]
    assert JobRun.objects.filter(status=JobRun.Status.DONE).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("fail_first", [False, True])
def test_force_runs_a_done_or_failed_job_again(add_job, frozen, fail_first):
    job = add_job("alpha", workdays_only=False, fail=fail_first)
    job_run(name="alpha", day=TODAY)
    job.fail = False

    outcome = job_run(name="alpha", day=TODAY, force=True)

    assert outcome.ran is True
    assert job.calls == [TODAY, TODAY]
    run = JobRun.objects.get()
    assert (run.status, run.attempts, run.error) == (JobRun.Status.DONE, 2, "")
    assert run.result == {"day": "2026-02-14", "count": 2}


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_logged_not_raised(add_job, frozen, caplog):
    job = add_job("alpha", workdays_only=False, fail=True)

    with caplog.at_level(logging.ERROR, logger="salesops.jobs.services"):
        outcome = job_run(name="alpha", day=TODAY)

    assert outcome.ran is True
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED
    assert run.error == "RuntimeError: alpha broke on 2026-02-14"
    assert run.result is None
    assert run.finished_at == NOW
    assert [r.getMessage() for r in caplog.records] == ["Job alpha for 2026-02-14 failed"]
    assert caplog.records[0].exc_info is not None
    # A failed run is not retried without force.
    assert job_run(name="alpha", day=TODAY).ran is False
    assert job.calls == [TODAY]


@pytest.mark.django_db
def test_a_failing_job_leaves_no_partial_work(isolated_registry, frozen):
    def half_done(day: dt.date) -> None:
        Session.objects.create(session_key="x" * 32, session_data="", expire_date=NOW)
        raise ValueError("half way")

    registry.register("half", at=dt.time(8, 0), workdays_only=False, description="x")(half_done)
    job_run(name="half", day=TODAY)

    assert Session.objects.count() == 0
    assert JobRun.objects.get().error == "ValueError: half way"


@pytest.mark.django_db
def test_a_result_that_is_not_a_dict_fails_the_run(isolated_registry, frozen):
    listy = registry.register("listy", at=dt.time(8, 0), workdays_only=False, description="x")
    listy(lambda day: [1, 2])  # type: ignore[arg-type,return-value]
    job_run(name="listy", day=TODAY)
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED
    assert run.error == "TypeError: A job returns a dict or None, not list."


@pytest.mark.django_db
def test_a_running_job_is_not_run_again_even_with_force(add_job, frozen):
    job = add_job("alpha", workdays_only=False)
    JobRun.objects.create(
        name="alpha", date=TODAY, status=JobRun.Status.RUNNING, started_at=NOW - dt.timedelta(minutes=10), attempts=1
    )
    assert job_run(name="alpha", day=TODAY, force=True).ran is False
    assert job.calls == []
    assert JobRun.objects.get().status == JobRun.Status.RUNNING


@pytest.mark.django_db
@pytest.mark.parametrize("status", [JobRun.Status.RUNNING, JobRun.Status.QUEUED])
def test_an_abandoned_row_is_claimed_again(add_job, frozen, status):
    """A worker killed mid-run (or a lost message) leaves its row; after an hour it is run again."""
    job = add_job("alpha", workdays_only=False)
    JobRun.objects.create(
        name="alpha", date=TODAY, status=status, queued_at=NOW - dt.timedelta(minutes=61),
        started_at=NOW - dt.timedelta(minutes=61), attempts=1,
    )
    assert job_run(name="alpha", day=TODAY).ran is True
    assert job.calls == [TODAY]
    run = JobRun.objects.get()
    assert (run.status, run.attempts) == (JobRun.Status.DONE, 2)


@pytest.mark.django_db
def test_a_queued_row_is_run_by_the_first_caller(add_job, frozen):
    job = add_job("alpha", workdays_only=False)
    JobRun.objects.create(name="alpha", date=TODAY, status=JobRun.Status.QUEUED, queued_at=NOW)
    assert job_run(name="alpha", day=TODAY).ran is True
    assert job_run(name="alpha", day=TODAY).ran is False
    assert job.calls == [TODAY]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + dt.timedelta(days=1), "A job cannot run for a future date; today is 2026-02-14."),
        (TODAY - dt.timedelta(days=181), "A job can run for the last 180 days only."),
        (HOLIDAY - dt.timedelta(days=7), None),
    ],
)
def test_dates_outside_the_window_are_refused(add_job, frozen, day, message):
    job = add_job("alpha", workdays_only=False)
    if message is None:  # 2026-02-09, inside the window: runs
        assert job_run(name="alpha", day=day).ran is True
        return
    with pytest.raises(ValidationError) as info:
        job_run(name="alpha", day=day)
    assert info.value.message_dict == {"date": [message]}
    assert job.calls == []
    assert JobRun.objects.count() == 0


@pytest.mark.django_db
def test_working_days_jobs_refuse_a_holiday_and_run_on_a_makeup_saturday(add_job, monkeypatch):
    """R2: 2026-02-16 is a Spring Festival holiday; Saturday 2026-02-14 is a make-up working day."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 2, 16, 12, 0, tzinfo=SHANGHAI))
    job = add_job("plan", workdays_only=True)
    with pytest.raises(ValidationError) as info:
        job_run(name="plan", day=HOLIDAY)
    assert info.value.message_dict == {
        "date": ["The job plan runs on working days only, and 2026-02-16 is not a working day."]
    }
    assert JobRun.objects.count() == 0
    assert job_run(name="plan", day=TODAY).ran is True
    assert job.calls == [TODAY]


@pytest.mark.django_db
def test_unknown_job_is_an_error_and_writes_nothing(add_job, frozen):
    add_job("alpha")
    with pytest.raises(registry.UnknownJobError):
        job_run(name="nope", day=TODAY)
    assert JobRun.objects.count() == 0


# --- concurrency: exactly one runs --------------------------------------------------------------------------


def _race(callers):
    """Start every caller at the same moment in its own thread (own database connection)."""
    barrier = threading.Barrier(len(callers))
    outcomes, errors = [], []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


@pytest.mark.parametrize("queued", [False, True])
def test_many_callers_at_once_exactly_one_runs(concurrent_db, add_job, frozen, queued):
    """Whether the row is new or the scheduler queued it already, one caller claims it."""
    job = add_job("alpha", workdays_only=False, seconds=0.3)
    if queued:
        JobRun.objects.create(name="alpha", date=TODAY, status=JobRun.Status.QUEUED, queued_at=NOW)

    outcomes, errors = _race([lambda: job_run(name="alpha", day=TODAY)] * 6)

    assert errors == []
    assert sorted(outcome.ran for outcome in outcomes) == [False] * 5 + [True]
    assert job.calls == [TODAY]
    run = JobRun.objects.get()
    assert (run.status, run.attempts) == (JobRun.Status.DONE, 1)


def test_consumer_and_manual_run_at_once_exactly_one_runs(concurrent_db, add_job, frozen):
    job = add_job("alpha", workdays_only=False, seconds=0.3)

    _outcomes, errors = _race([lambda: run_job_task("alpha", TODAY), lambda: run_command("alpha")])

    assert errors == []
    assert job.calls == [TODAY]
    assert job.most_at_once == 1
    assert JobRun.objects.get().attempts == 1


def test_forced_reruns_at_once_never_overlap(concurrent_db, add_job, frozen):
    """Force re-runs a done job, but never while another run of it is going on: a forced caller that
    finds it running does nothing; one that comes after it finished runs it again."""
    job = add_job("alpha", workdays_only=False, seconds=0.3)
    job_run(name="alpha", day=TODAY)

    outcomes, errors = _race([lambda: job_run(name="alpha", day=TODAY, force=True)] * 4)

    assert errors == []
    reruns = sum(outcome.ran for outcome in outcomes)
    assert reruns >= 1
    assert job.most_at_once == 1
    assert len(job.calls) == 1 + reruns
    assert JobRun.objects.get().attempts == 1 + reruns


# --- the command ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_runs_for_today_then_says_it_already_ran(add_job, frozen):
    job = add_job("alpha", workdays_only=False)

    assert run_command("alpha") == 'alpha ran for 2026-02-14: Done.\n{"count": 1, "day": "2026-02-14"}\n'
    assert run_command("alpha") == (
        "alpha already ran for 2026-02-14 (Done); nothing done. Use --force to run it again.\n"
    )
    assert job.calls == [TODAY]


@pytest.mark.django_db
def test_command_runs_for_a_date_and_forces(add_job, frozen):
    job = add_job("alpha", workdays_only=False)
    assert run_command("alpha", "--date", "2026-02-10").startswith("alpha ran for 2026-02-10: Done.")
    assert run_command("alpha", "--date", "2026-02-10", "--force").startswith("alpha ran for 2026-02-10: Done.")
    assert job.calls == [dt.date(2026, 2, 10)] * 2
    assert JobRun.objects.get().attempts == 2


@pytest.mark.django_db
def test_command_says_when_a_job_is_running(add_job, frozen):
    add_job("alpha", workdays_only=False)
    JobRun.objects.create(name="alpha", date=TODAY, status=JobRun.Status.RUNNING, started_at=NOW, attempts=1)
    assert run_command("alpha") == "alpha is running for 2026-02-14 already; nothing done.\n"


@pytest.mark.django_db
def test_command_lists_jobs_in_time_order(add_job):
    add_job("late", at=dt.time(17, 30))
    add_job("early", at=dt.time(3, 0), workdays_only=False)
    assert run_command("--list") == (
        "early\t03:00\tevery day\tTest job early.\nlate\t17:30\tworking days\tTest job late.\n"
    )


@pytest.mark.django_db
def test_command_reports_a_failed_job_as_an_error(add_job, frozen):
    add_job("alpha", workdays_only=False, fail=True)
    with pytest.raises(CommandError, match=r"^alpha failed for 2026-02-14: RuntimeError: alpha broke on 2026-02-14$"):
        run_command("alpha")
    assert JobRun.objects.get().status == JobRun.Status.FAILED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "No job is named nope. The jobs are: alpha."),
        ([], "Name the job to run, or use --list to see the jobs."),
        (["alpha", "--date", "2026-02-30"], "2026-02-30 is not a date: give it as YYYY-MM-DD, e.g. 2026-02-14."),
        (["alpha", "--date", "14/02/2026"], "14/02/2026 is not a date: give it as YYYY-MM-DD, e.g. 2026-02-14."),
        (["alpha", "--date", "20260214"], "20260214 is not a date: give it as YYYY-MM-DD, e.g. 2026-02-14."),
        (["alpha", "--date", "2026-02-15"], "A job cannot run for a future date; today is 2026-02-14."),
        (["alpha", "--date", "2026-02-13", "--force"], None),
    ],
)
def test_command_bad_input_is_a_clear_error_and_changes_nothing(add_job, frozen, args, message):
    job = add_job("alpha", workdays_only=False)
    if message is None:  # the control case: the same command shape with a good date runs
        run_command(*args)
        assert job.calls == [dt.date(2026, 2, 13)]
        return
    with pytest.raises(CommandError) as info:
        run_command(*args)
    assert str(info.value) == message
    assert job.calls == []
    assert JobRun.objects.count() == 0


@pytest.mark.django_db
def test_command_refuses_a_holiday_for_a_working_days_job(add_job, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 2, 16, 9, 0, tzinfo=SHANGHAI))
    add_job("plan", workdays_only=True)
    with pytest.raises(CommandError, match="runs on working days only, and 2026-02-16 is not a working day"):
        run_command("plan")
    assert JobRun.objects.count() == 0


def _salesops(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SALESOPS_TESTING": "1", "DJANGO_SETTINGS_MODULE": "salesops.settings"}
    return subprocess.run(
        [sys.executable, "-m", "salesops.manage", "run-job", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )


def test_command_exit_codes():
    listed = _salesops("--list")
    assert listed.returncode == 0
    assert any(line.startswith("housekeeping\t03:00\t") for line in listed.stdout.splitlines())
    unknown = _salesops("no_such_job")
    assert unknown.returncode == 1
    assert "no_such_job" in unknown.stderr
    assert unknown.stdout == ""


# --- housekeeping -------------------------------------------------------------------------------------------


def _login_record(model, username, days_old):
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}
    row = model.objects.create(username=username, user_agent="ua", http_accept="*/*", path_info="/login/", **extra)
    model.objects.filter(pk=row.pk).update(attempt_time=NOW - dt.timedelta(days=days_old))


@pytest.mark.django_db
def test_housekeeping_deletes_what_is_old_and_keeps_the_rest(frozen):
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=NOW - dt.timedelta(seconds=1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=NOW + dt.timedelta(days=1))
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        _login_record(model, "old", 31)
        _login_record(model, "recent", 29)
    JobRun.objects.create(name="x", date=TODAY - dt.timedelta(days=181), status=JobRun.Status.DONE)
    JobRun.objects.create(name="x", date=TODAY - dt.timedelta(days=180), status=JobRun.Status.DONE)

    outcome = job_run(name="housekeeping", day=TODAY)

    assert outcome.run.status == JobRun.Status.DONE
    assert outcome.run.result == {
        "sessions": 1, "access_attempts": 1, "access_failures": 1, "access_logs": 1, "job_runs": 1,
    }
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("username", flat=True)) == ["recent"]
    assert sorted(JobRun.objects.values_list("name", "date")) == [
        ("housekeeping", TODAY), ("x", TODAY - dt.timedelta(days=180)),
    ]


@pytest.mark.django_db
def test_housekeeping_runs_on_holidays(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 2, 16, 3, 5, tzinfo=SHANGHAI))
    assert json.loads(run_command("housekeeping").splitlines()[1])["sessions"] == 0
    assert JobRun.objects.get().date == HOLIDAY
