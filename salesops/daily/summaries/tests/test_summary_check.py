"""R17 ``summary_check``: at the due time of a working day, every rep without a summary is flagged to whoever
manages them, once per person per day; a day off is not checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from salesops.accounts import services as account_services
from salesops.daily.summaries import services
from salesops.daily.summaries.models import MissingSummary
from salesops.daily.summaries.tests.conftest import Clock, local
from salesops.jobs import registry
from salesops.jobs.services import job_run
from salesops.notifications.models import Notification
from salesops.organisation.models import RuleSettings
from salesops.testing.actors import Actors

TODAY = dt.date(2026, 3, 4)


def told(kind: str = services.MISSING_ALERT) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for note in Notification.objects.filter(kind=kind).select_related("user"):
        found.setdefault(note.user.username, []).extend(link["text"] for link in note.links)
    return found


@pytest.mark.django_db(transaction=True)
def test_missing_summaries_are_told_to_the_lead_once(actors: Actors, clock: Clock) -> None:
    clock.set(local(2026, 3, 4, 17, 30))
    services.summary_submit(by=actors.rep_a1, day=TODAY, done="拜访恒通")
    assert registry.get("summary_check").time() == dt.time(17, 30)
    outcome = job_run(name="summary_check", day=TODAY)
    assert outcome.ran and outcome.run.result == {"missing": 3, "told": 3}
    # rep_a2 to lead_a, rep_b1 to lead_b, rep_c1 to lead_c; rep_a1 wrote one; leads owe none
    assert told() == {"lead_a": ["李娜"], "lead_b": ["王芳"], "lead_c": ["刘洋"]}
    assert set(MissingSummary.objects.values_list("user__username", flat=True)) == {"rep_a2", "rep_b1", "rep_c1"}
    again = job_run(name="summary_check", day=TODAY, force=True)
    assert again.run.result == {"missing": 0, "told": 0}
    assert Notification.objects.filter(kind=services.MISSING_ALERT).count() == 3


@pytest.mark.django_db
def test_a_team_without_a_lead_tells_its_director(actors: Actors, clock: Clock,
                                                   django_capture_on_commit_callbacks: Any) -> None:
    account_services.team_update(team=actors.team_b, lead=None, director=actors.director)
    with django_capture_on_commit_callbacks(execute=True):
        services.summaries_flag_missing(day=TODAY)
    assert told()["director"] == ["王芳"]


@pytest.mark.django_db
def test_a_day_off_is_not_checked(actors: Actors, clock: Clock) -> None:
    with pytest.raises(ValidationError):
        job_run(name="summary_check", day=dt.date(2026, 3, 1))  # a Sunday
    assert not MissingSummary.objects.exists()
    # 调休: Saturday 2026-02-28 is a working day, so it is checked
    assert job_run(name="summary_check", day=dt.date(2026, 2, 28)).run.result == {"missing": 4, "told": 3}


@pytest.mark.django_db
def test_the_check_moves_with_the_rule_setting(actors: Actors) -> None:
    RuleSettings.objects.filter(pk=1).update(summary_minutes_before_end=60)
    assert registry.get("summary_check").time() == dt.time(17, 0)
