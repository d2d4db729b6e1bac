"""R10 cadence engine: next due dates per grade on the working calendar (R2), the contract date of A
customers, B's monthly visit and C's quarterly survey, the status of a date, and the nightly job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from salesops.customers.models import CadenceStatus, Customer
from salesops.followups import cadence
from salesops.followups.models import Channel, FollowUp
from salesops.jobs.services import job_run
from salesops.organisation.models import CalendarDay, RuleSettings
from salesops.organisation.selectors import rule_settings
from salesops.organisation.workcal import WorkCalendar

CALENDAR = WorkCalendar()
DEFAULTS = RuleSettings()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def due(grade: str | None, start: dt.date, rep_date: dt.date | None = None, rules: RuleSettings = DEFAULTS,
        calendar: WorkCalendar = CALENDAR) -> dt.date | None:
    return cadence.next_due_date(grade=grade, start=start, rep_date=rep_date, settings=rules, calendar=calendar)


# --- the rule on the calendar (no database) -------------------------------------------------------------

def test_a_customer_followed_up_before_spring_festival_is_due_on_the_working_saturday():
    # 2026-02-14 is a Saturday made a working day (调休) for the Spring Festival.
    assert due("A", dt.date(2026, 2, 13)) == dt.date(2026, 2, 14)


def test_a_customer_followed_up_before_national_day_is_due_after_the_break():
    # National Day 2026: 10-01 to 10-07 off, 10-08 (Thursday) is the first working day.
    assert due("A", dt.date(2026, 9, 30)) == dt.date(2026, 10, 8)


def test_a_company_day_off_moves_the_due_date_on():
    calendar = WorkCalendar({dt.date(2026, 10, 8): False})
    assert due("A", dt.date(2026, 9, 30), calendar=calendar) == dt.date(2026, 10, 9)


def test_default_intervals_per_grade_over_a_plain_week():
    monday = dt.date(2026, 3, 2)
    assert due("A", monday) == dt.date(2026, 3, 3)
    assert due("B", monday) == dt.date(2026, 3, 4)
    assert due("C", monday) == dt.date(2026, 3, 9)
    assert due(None, monday) is None


def test_the_reps_earlier_date_wins_and_moves_off_a_day_off():
    friday = dt.date(2026, 3, 6)
    # C is due 5 working days later (Friday 03-13); the rep planned Sunday 03-08 → Monday 03-09.
    assert due("C", friday, rep_date=dt.date(2026, 3, 8)) == dt.date(2026, 3, 9)
    # A later rep date does not push the cadence back.
    assert due("C", friday, rep_date=dt.date(2026, 3, 30)) == dt.date(2026, 3, 13)


def test_changed_settings_change_the_interval():
    rules = RuleSettings(cadence_b_days=3)
    assert due("B", dt.date(2026, 3, 2), rules=rules) == dt.date(2026, 3, 5)


days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=days, grade=st.sampled_from(["A", "B", "C"]), rep_date=st.none() | days,
       intervals=st.lists(st.integers(min_value=1, max_value=30), min_size=3, max_size=3))
def test_next_due_is_a_working_day_after_the_start(start, grade, rep_date, intervals):
    a, b, c = sorted(intervals)
    rules = RuleSettings(cadence_a_days=a, cadence_b_days=b, cadence_c_days=c)
    result = due(grade, start, rep_date=rep_date, rules=rules)
    interval = {"A": a, "B": b, "C": c}[grade]
    # counted day by day: the grade's number of working days after the start, or the rep's own date
    # (moved to a working day) when that is after the start and earlier
    plain, counted = start, 0
    while counted < interval:
        plain += dt.timedelta(days=1)
        counted += CALENDAR.is_workday(plain)
    expected = plain
    if rep_date is not None and rep_date > start:
        own = rep_date
        while not CALENDAR.is_workday(own):
            own += dt.timedelta(days=1)
        expected = min(plain, own)
    assert result == expected


@settings(max_examples=200, deadline=None)
@given(start=days, intervals=st.lists(st.integers(min_value=1, max_value=30), min_size=3, max_size=3))
def test_a_is_never_due_later_than_b_nor_b_than_c(start, intervals):
    a, b, c = sorted(intervals)
    rules = RuleSettings(cadence_a_days=a, cadence_b_days=b, cadence_c_days=c)
    due_a, due_b, due_c = (due(g, start, rules=rules) for g in "ABC")
    assert due_a is not None and due_b is not None and due_c is not None
    assert due_a <= due_b <= due_c
    assert CALENDAR.workdays_between(start + dt.timedelta(days=1), due_a) == a


@pytest.mark.parametrize(
    ("next_due", "status"),
    [(None, "none"), (dt.date(2026, 3, 1), "overdue"), (dt.date(2026, 3, 2), "due_today"), (dt.date(2026, 3, 3), "ok")],
)
def test_status_of_a_due_date(next_due, status):
    assert CadenceStatus.of(next_due, dt.date(2026, 3, 2)) == status


# --- refresh against the database --------------------------------------------------------------------------

@pytest.fixture
def customer(actors) -> Customer:
    return Customer.objects.create(
        name="上海澄明机械有限公司", owner=actors.rep_a1, grade="A", graded_at=at(dt.date(2026, 3, 2), 9)
    )


def log(customer: Customer, author, day: dt.date, **fields) -> FollowUp:
    fields.setdefault("channel", Channel.PHONE)
    return FollowUp.objects.create(
        customer=customer, author=author, contacted_at=at(day), key_points="谈了报价", **fields
    )


def test_never_followed_up_is_due_from_the_grading_and_a_contract_date_is_set(customer):
    assert cadence.cadence_refresh(customer_ids=[customer.pk]) == 1
    customer.refresh_from_db()
    assert customer.next_due_at == dt.date(2026, 3, 3)
    assert customer.contract_due_at == dt.date(2026, 3, 5)  # 3 working days after Monday 03-02
    assert customer.last_followup_at is None


def test_refresh_reads_the_latest_followup_visit_and_survey(customer, actors):
    log(customer, actors.rep_a1, dt.date(2026, 3, 4), channel=Channel.VISIT)
    log(customer, actors.rep_a1, dt.date(2026, 3, 5), is_survey=True)
    latest = log(customer, actors.rep_a1, dt.date(2026, 3, 6), next_followup_at=dt.date(2026, 3, 20))
    log(customer, actors.rep_a1, dt.date(2026, 3, 7), is_active=False)  # withdrawn: does not count
    cadence.cadence_refresh(customer_ids=[customer.pk])
    customer.refresh_from_db()
    assert customer.last_followup_at == latest.contacted_at
    assert customer.last_visit_at == at(dt.date(2026, 3, 4))
    assert customer.last_survey_at == at(dt.date(2026, 3, 5))
    assert customer.next_due_at == dt.date(2026, 3, 9)  # Friday's follow-up → Monday


def test_grade_change_and_pool_are_picked_up(customer, actors):
    log(customer, actors.rep_a1, dt.date(2026, 3, 2))
    Customer.objects.filter(pk=customer.pk).update(grade="C")
    cadence.cadence_refresh(customer_ids=[customer.pk])
    customer.refresh_from_db()
    assert (customer.next_due_at, customer.contract_due_at) == (dt.date(2026, 3, 9), None)
    Customer.objects.filter(pk=customer.pk).update(owner=None)
    cadence.cadence_refresh(customer_ids=[customer.pk])
    customer.refresh_from_db()
    assert customer.next_due_at is None
    assert customer.last_followup_at == at(dt.date(2026, 3, 2))


def test_refresh_is_a_fixed_number_of_queries(actors, django_assert_num_queries):
    customers = [
        Customer.objects.create(
            name=f"客户{n}", owner=actors.rep_a1, grade="ABC"[n % 3], graded_at=at(dt.date(2026, 3, 2))
        )
        for n in range(30)
    ]
    for c in customers:
        log(c, actors.rep_a1, dt.date(2026, 3, 3))
        log(c, actors.rep_a1, dt.date(2026, 3, 4), channel=Channel.VISIT)
    rule_settings()
    # the settings, the calendar days, one read, one bulk update
    with django_assert_num_queries(4):
        assert cadence.cadence_refresh(customer_ids=[c.pk for c in customers]) == 30
    with django_assert_num_queries(3):  # nothing changed: nothing written
        assert cadence.cadence_refresh(customer_ids=[c.pk for c in customers]) == 0


def test_annotation_matches_the_python_rule(actors):
    today = dt.date(2026, 3, 10)
    dates = [None, dt.date(2026, 3, 9), today, dt.date(2026, 3, 11)]
    for n, day in enumerate(dates):
        Customer.objects.create(name=f"客户{n}", owner=actors.rep_a1, grade="A", next_due_at=day)
    annotated = Customer.objects.order_by("pk").with_cadence_status(today)
    rows = annotated.values_list("next_due_at", "cadence_status")
    assert list(rows) == [(day, CadenceStatus.of(day, today)) for day in dates]
    assert [status for _day, status in rows] == ["none", "overdue", "due_today", "ok"]


def test_b_visit_due_until_visited_this_month(actors):
    b = Customer.objects.create(name="B客户", owner=actors.rep_a1, grade="B")
    today = dt.date(2026, 3, 20)
    assert cadence.cadence_flags(b, today).visit_due is True
    log(b, actors.rep_a1, dt.date(2026, 2, 27), channel=Channel.VISIT)
    cadence.cadence_refresh(customer_ids=[b.pk])
    b.refresh_from_db()
    assert cadence.cadence_flags(b, today).visit_due is True  # last month's visit does not count
    log(b, actors.rep_a1, dt.date(2026, 3, 3), channel=Channel.VISIT)
    cadence.cadence_refresh(customer_ids=[b.pk])
    b.refresh_from_db()
    assert cadence.cadence_flags(b, today).visit_due is False
    RuleSettings.objects.filter(pk=1).update(b_visits_per_month=2)
    assert cadence.cadence_flags(b, today).visit_due is True


def test_c_survey_due_after_a_quarter(actors):
    c = Customer.objects.create(name="C客户", owner=actors.rep_a1, grade="C")
    assert cadence.cadence_flags(c, dt.date(2026, 3, 20)).survey_due is True
    log(c, actors.rep_a1, dt.date(2026, 1, 15), is_survey=True)
    cadence.cadence_refresh(customer_ids=[c.pk])
    c.refresh_from_db()
    assert cadence.cadence_flags(c, dt.date(2026, 4, 14)).survey_due is False
    assert cadence.cadence_flags(c, dt.date(2026, 4, 15)).survey_due is True
    flags = cadence.cadence_flags(c, dt.date(2026, 3, 20))
    assert (flags.visit_due, flags.survey_due) == (False, False)  # B's visit rule is not C's


def test_cadence_job_recomputes_everyone_after_a_rule_change_and_is_idempotent(actors):
    today = timezone.localdate()
    start = today - dt.timedelta(days=20)
    customers = [Customer.objects.create(name=f"客户{n}", owner=actors.rep_b1, grade="C") for n in range(3)]
    for c in customers:
        log(c, actors.rep_b1, start)
    inactive = Customer.objects.create(name="停用客户", owner=actors.rep_b1, grade="C", is_active=False)
    outcome = job_run(name="cadence", day=today)
    assert outcome.run.result == {"customers": 3, "changed": 3}
    calendar = WorkCalendar()
    assert {c.next_due_at for c in Customer.objects.filter(is_active=True)} == {calendar.next_workday(start, 5)}
    assert Customer.objects.get(pk=inactive.pk).next_due_at is None

    RuleSettings.objects.filter(pk=1).update(cadence_c_days=2)
    day_off = calendar.next_workday(start, 1)
    CalendarDay.objects.create(date=day_off, kind=CalendarDay.Kind.DAY_OFF)
    rerun = job_run(name="cadence", day=today, force=True)
    assert rerun.run.result == {"customers": 3, "changed": 3}
    expected = WorkCalendar({day_off: False}).next_workday(start, 2)
    assert expected == calendar.next_workday(start, 3)  # the company day off pushes it one working day on
    assert {c.next_due_at for c in Customer.objects.filter(is_active=True)} == {expected}
    again = job_run(name="cadence", day=today, force=True)
    assert again.run.result == {"customers": 3, "changed": 0}


@pytest.mark.django_db
def test_a_change_of_the_company_calendar_recomputes_every_due_date_in_the_background(
    actors, monkeypatch, django_capture_on_commit_callbacks
):
    """R2 + R10: a company day set or removed re-runs the cadence job (forced) once committed."""
    from salesops.jobs import tasks
    from salesops.organisation.services import calendar_day_remove, calendar_day_set

    calls = []
    monkeypatch.setattr(tasks, "run_job_task", lambda name, day, force=False: calls.append((name, force)))
    with django_capture_on_commit_callbacks(execute=False) as pending:
        calendar_day_set(date=dt.date(2026, 3, 6), kind=CalendarDay.Kind.DAY_OFF, by=actors.admin)
    assert calls == []  # nothing before the commit
    for callback in pending:
        callback()
    assert calls == [("cadence", True)]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_remove(date=dt.date(2026, 3, 6), by=actors.admin)
    assert calls == [("cadence", True), ("cadence", True)]
