"""The plan_check job (R7): at the deadline every rep without a submitted plan is flagged to their lead as
``plan_missing``, once per person per day (a second run tells nobody again); a draft counts as missing;
it runs on working days only (R2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from salesops.daily.plans import services
from salesops.daily.plans.models import MissingPlan
from salesops.daily.plans.requests import MISSING_ALERT
from salesops.daily.plans.tests.conftest import DAY, local
from salesops.jobs import registry
from salesops.jobs.services import job_run
from salesops.notifications.models import Notification
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db


def test_missing_plans_are_flagged_to_the_lead_once(actors, make_plan, clock, django_capture_on_commit_callbacks):
    services.plan_submit(by=actors.rep_a1, plan=make_plan())
    make_plan(by=actors.rep_a2)  # a draft at the deadline is missing too
    clock.set(local(2026, 3, 4, 9, 30))
    job = registry.get("plan_check")
    with django_capture_on_commit_callbacks(execute=True):
        assert job.function(DAY) == {"missing": 3, "told": 3}  # rep_a2 to lead_a, rep_b1, rep_c1 to theirs
    notes = Notification.objects.filter(kind=MISSING_ALERT)
    assert sorted(note.user.username for note in notes) == ["lead_a", "lead_b", "lead_c"]
    note = notes.get(user=actors.lead_a)
    assert "李娜" in note.body and "张伟" not in note.body and "2026-03-04" in note.title
    assert note.links == [{"text": "李娜", "url": f"/plans/team/?team={actors.team_a.pk}&date=2026-03-04"}]
    with django_capture_on_commit_callbacks(execute=True):
        assert job.function(DAY) == {"missing": 0, "told": 0}
    assert notes.count() == 3 and MissingPlan.objects.filter(date=DAY).count() == 3


def test_a_team_without_a_lead_tells_its_director(actors, make_plan, clock, django_capture_on_commit_callbacks):
    actors.team_a.lead = None
    actors.team_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        registry.get("plan_check").function(DAY)
    note = Notification.objects.get(kind=MISSING_ALERT, user=actors.director)
    assert "张伟" in note.body and "李娜" in note.body


def test_the_job_runs_at_the_plan_deadline_on_working_days_only(actors, clock):
    job = registry.get("plan_check")
    assert job.workdays_only and job.time() == rule_settings().plan_due_at == dt.time(9, 30)
    clock.set(local(2026, 3, 9, 10, 0))
    with pytest.raises(ValidationError):
        job_run(name="plan_check", day=dt.date(2026, 3, 8))  # a Sunday
    assert job_run(name="plan_check", day=dt.date(2026, 3, 9)).ran
    assert not job_run(name="plan_check", day=dt.date(2026, 3, 9)).ran
