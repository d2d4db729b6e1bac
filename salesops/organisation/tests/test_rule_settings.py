"""Rule settings: every number of DOMAIN.md is a validated, audited setting with the manual's default."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from salesops.organisation import services
from salesops.organisation.forms import RULE_GROUPS
from salesops.organisation.models import RuleSettings
from salesops.organisation.selectors import rule_setting_changes, rule_settings

pytestmark = pytest.mark.django_db
URL = "/api/settings/rules/"


def snapshot() -> dict[str, object]:
    settings = RuleSettings.objects.get(pk=1)
    return {name: getattr(settings, name) for name in services.RULE_SETTING_FIELDS}


def test_defaults_are_the_manuals_numbers(org):
    s = rule_settings()
    assert s.followup_log_hours == 2  # R11: within 2 hours
    assert s.cadence_a_days == 1  # R10: A once a day
    assert s.a_contract_days == 3  # R10: contract within 3 days
    assert s.cadence_b_days == 2  # R10: B 2-3 times a week
    assert s.b_visits_per_month == 1  # R10: one visit a month
    assert s.cadence_c_days == 5  # R10: C once a week
    assert s.c_survey_months == 3  # R10: a survey a quarter
    assert s.deal_followthrough_days == 3  # R13: within 3 days
    assert s.repurchase_survey_days == 30  # R14: one month after a deal
    assert s.lag_streak_days == 3  # R19: 3 working days in a row
    assert s.anomaly_below_percent == 20  # R23: 20 %
    assert s.proof_max_mb == 10  # R20: a phone photo or a scan, not a video
    assert s.workday_start == dt.time(8, 30)  # R2
    assert s.workday_end == dt.time(18, 0)  # R2
    assert s.brief_ready_at == dt.time(8, 20)  # R3
    assert s.meeting_at == dt.time(8, 30)  # R3
    assert s.plan_opens_at == dt.time(9, 0)  # R7
    assert s.plan_due_at == dt.time(9, 30)  # R7
    assert s.summary_minutes_before_end == 30  # R17
    assert s.summary_due_at == dt.time(17, 30)  # R17: 30 minutes before 18:00
    assert s.weekly_review_weekday == 4  # R18: Friday


def test_settings_page_groups_hold_every_setting_once():
    grouped = [name for _title, _rules, names in RULE_GROUPS for name in names]
    assert sorted(grouped) == sorted(services.RULE_SETTING_FIELDS)
    assert len(grouped) == len(set(grouped)) == 24


def test_update_saves_and_keeps_history(actors):
    rule_settings()
    updated = services.rule_settings_update(by=actors.admin, followup_log_hours=4, workday_end="18:30")
    assert (updated.followup_log_hours, updated.workday_end) == (4, dt.time(18, 30))
    assert updated.summary_due_at == dt.time(18, 0)
    stored = RuleSettings.objects.get(pk=1)
    assert (stored.followup_log_hours, stored.workday_end) == (4, dt.time(18, 30))
    latest = RuleSettings.history.latest()
    assert latest.history_user == actors.admin
    assert latest.history_type == "~"
    changes = {c.field: (c.old, c.new, c.by, c.by_id) for c in rule_setting_changes()}
    assert changes == {
        "followup_log_hours": ("2", "4", str(actors.admin), actors.admin.pk),
        "workday_end": ("18:00", "18:30", str(actors.admin), actors.admin.pk),
    }


def test_saving_the_same_values_writes_no_history(actors):
    rule_settings()
    before = RuleSettings.history.count()
    services.rule_settings_update(by=actors.admin, followup_log_hours=2, workday_start=dt.time(8, 30))
    assert RuleSettings.history.count() == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"followup_log_hours": 0}, "followup_log_hours"),
        ({"followup_log_hours": 73}, "followup_log_hours"),
        ({"anomaly_below_percent": 101}, "anomaly_below_percent"),
        ({"workday_start": "18:00", "workday_end": "08:30"}, "workday_end"),
        ({"workday_end": "08:00"}, "workday_end"),
        ({"brief_ready_at": "08:45"}, "brief_ready_at"),
        ({"plan_opens_at": "09:30"}, "plan_due_at"),
        ({"plan_due_at": "19:00", "plan_opens_at": "18:30"}, "plan_due_at"),
        ({"summary_minutes_before_end": 240, "workday_start": "15:00"}, "summary_minutes_before_end"),
        ({"weekly_review_weekday": 7}, "weekly_review_weekday"),
        ({"workday_start": "half past eight"}, "workday_start"),
        ({"no_such_setting": 1}, "no_such_setting"),
    ],
)
def test_invalid_values_change_nothing(actors, values, field):
    rule_settings()
    before, history = snapshot(), RuleSettings.history.count()
    # a valid change travels with the invalid one: all or nothing
    with pytest.raises(ValidationError) as caught:
        services.rule_settings_update(by=actors.admin, pool_claim_cap=50, **values)
    assert field in caught.value.message_dict
    assert snapshot() == before
    assert RuleSettings.history.count() == history


def test_workday_end_before_start_gets_a_clear_message(actors):
    rule_settings()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.rule_settings_update(by=actors.admin, workday_end="08:00")
    assert caught.value.message_dict == {"workday_end": ["The workday must end after it starts."]}


@pytest.mark.parametrize("who", ["rep_a1", "lead_a", "director"])
def test_only_an_admin_may_change_settings(actors, who):
    rule_settings()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.rule_settings_update(by=getattr(actors, who), followup_log_hours=5)
    assert snapshot() == before


# --- API ------------------------------------------------------------------------------------------------


def test_everyone_reads_the_rules(actors, api_as):
    body = api_as(actors.rep_a1).get(URL).json()
    assert body["followup_log_hours"] == 2
    assert body["workday_start"] == "08:30"
    assert body["workday_end"] == "18:00"
    assert body["brief_ready_at"] == "08:20"
    assert body["plan_due_at"] == "09:30"
    assert body["summary_due_at"] == "17:30"
    assert body["anomaly_below_percent"] == 20
    assert body["weekly_review_weekday"] == 4
    assert set(body) == {  # every number of DOMAIN.md an admin may change, the derived summary time, a stamp
        "followup_log_hours", "cadence_a_days", "a_contract_days", "cadence_b_days", "b_visits_per_month",
        "cadence_c_days", "c_survey_months", "pool_days_a", "pool_days_b", "pool_days_c", "pool_claim_cap",
        "lag_streak_days", "anomaly_below_percent", "workday_start", "workday_end", "brief_ready_at", "meeting_at",
        "plan_opens_at", "plan_due_at", "summary_minutes_before_end", "summary_due_at", "deal_followthrough_days",
        "repurchase_survey_days", "proof_max_mb", "weekly_review_weekday", "updated_at", "version",
    }
    assert api_as(None).get(URL).status_code == 401


def test_admin_patches_and_gets_the_derived_due_time(actors, api_as):
    response = api_as(actors.admin).patch(
        URL, {"workday_end": "17:30", "summary_minutes_before_end": 45, "lag_streak_days": 4, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["workday_end"], body["summary_due_at"], body["lag_streak_days"]) == ("17:30", "16:45", 4)
    stored = RuleSettings.objects.get(pk=1)
    assert (stored.workday_end, stored.summary_minutes_before_end, stored.lag_streak_days) == (
        dt.time(17, 30), 45, 4,
    )
    assert RuleSettings.history.latest().history_user == actors.admin


@pytest.mark.parametrize("who", ["rep_a1", "lead_a", "director"])
def test_non_admin_patch_is_403(actors, api_as, who):
    rule_settings()
    before = snapshot()
    response = api_as(getattr(actors, who)).patch(URL, {"followup_log_hours": 9}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"workday_start": "8:30"}, "workday_start"),
        ({"workday_start": "24:00"}, "workday_start"),
        ({"workday_start": 830}, "workday_start"),
        ({"followup_log_hours": "3"}, "followup_log_hours"),
        ({"followup_log_hours": True}, "followup_log_hours"),
        ({"followup_log_hours": 2.5}, "followup_log_hours"),
        ({"followup_log_hours": 0}, "followup_log_hours"),
        ({"weekly_review_weekday": "4"}, "weekly_review_weekday"),
        ({"weekly_review_weekday": 9}, "weekly_review_weekday"),
        ({"workday_end": "08:00"}, "workday_end"),
        ({"meeting_at": None}, "meeting_at"),
    ],
)
def test_bad_patches_are_400_and_change_nothing(actors, api_as, payload, field):
    rule_settings()
    before, history = snapshot(), RuleSettings.history.count()
    response = api_as(actors.admin).patch(URL, {**payload, "pool_claim_cap": 40, "version": 1}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert snapshot() == before
    assert RuleSettings.history.count() == history


def test_patch_must_be_json(actors, api_as):
    response = api_as(actors.admin).patch(URL, "followup_log_hours=3", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert RuleSettings.objects.get(pk=1).followup_log_hours == 2


@pytest.mark.django_db(transaction=True)
def test_changing_the_cadence_recomputes_due_dates_in_the_background(org, actors, monkeypatch):
    """R10: a cadence setting change re-runs the cadence job (forced) once the change is committed."""
    from salesops.jobs import tasks
    from salesops.organisation.services import rule_settings_update

    calls = []
    monkeypatch.setattr(tasks, "run_job_task", lambda name, day, force=False: calls.append((name, force)))
    rule_settings_update(by=actors.admin, followup_log_hours=3)
    assert calls == []
    rule_settings_update(by=actors.admin, cadence_b_days=3)
    assert calls == [("cadence", True)]
