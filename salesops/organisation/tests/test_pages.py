"""The rule settings and working calendar pages (R2 and every number of DOMAIN.md)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from salesops.accounts import services as account_services
from salesops.organisation import services
from salesops.organisation.models import CalendarDay, RuleSettings
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db
RULES = "/settings/rules/"
CAL = "/settings/calendar/"


def form_data(**changes: object) -> dict[str, object]:
    """The settings form as the browser posts it: every current value, then the changes."""
    s = rule_settings()
    data: dict[str, object] = {"version": s.version}
    for name in services.RULE_SETTING_FIELDS:
        value = getattr(s, name)
        data[name] = value.strftime("%H:%M") if isinstance(value, dt.time) else value
    data.update(changes)
    return data


def stored() -> dict[str, object]:
    s = RuleSettings.objects.get(pk=1)
    return {name: getattr(s, name) for name in services.RULE_SETTING_FIELDS}


def chart(body: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', body, re.S)
    assert match, f"no chart data {chart_id}"
    return json.loads(match.group(1))


def test_pages_need_login(org, client):
    for url in (RULES, CAL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_admin_sees_the_form_grouped_by_rule(actors, client):
    account_services.user_set_language(user=actors.admin, language="en")
    client.force_login(actors.admin)
    response = client.get(RULES)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="rule-settings-form"' in body
    for name in services.RULE_SETTING_FIELDS:
        assert f'name="{name}"' in body
    assert 'value="08:30"' in body
    for rules in ("R2 · R3 · R7", "R10", "R11", "R15", "R13 · R14", "R17 · R18", "R19 · R23"):
        assert rules in body
    help_text = str(RuleSettings._meta.get_field("followup_log_hours").help_text)
    assert help_text.startswith("R11") and help_text in body
    assert "17:30" in body  # the derived summary deadline (R17)
    assert "<script>" not in body and 'style="' not in body


def test_admin_saves_and_the_change_is_listed(actors, client):
    client.force_login(actors.admin)
    response = client.post(RULES, form_data(followup_log_hours=3, meeting_at="08:45", brief_ready_at="08:30"))
    assert response.status_code == 302
    assert response["Location"] == RULES
    after = stored()
    assert (after["followup_log_hours"], after["meeting_at"], after["brief_ready_at"]) == (
        3, dt.time(8, 45), dt.time(8, 30),
    )
    page = client.get(RULES).content.decode()
    assert 'class="msg-success"' in page
    changes = page[page.index('data-testid="changes"'):]
    assert "2 → 3" in changes
    assert "08:30 → 08:45" in changes
    assert actors.admin.display_name in changes


def test_invalid_post_shows_errors_next_to_fields_and_saves_nothing(actors, client):
    account_services.user_set_language(user=actors.admin, language="en")
    client.force_login(actors.admin)
    rule_settings()
    before, history = stored(), RuleSettings.history.count()
    response = client.post(RULES, form_data(workday_end="08:00", followup_log_hours=99, pool_claim_cap=30))
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'data-testid="error-workday_end">The workday must end after it starts\.<', body)
    assert re.search(r'data-testid="error-followup_log_hours">Ensure this value is less than or equal to 72\.<', body)
    assert "Nothing was saved" in body
    assert stored() == before
    assert RuleSettings.history.count() == history
    assert client.post(RULES, form_data(meeting_at="soon")).status_code == 400
    assert stored() == before


def test_rep_gets_a_read_only_view_and_cannot_post(actors, client):
    client.force_login(actors.rep_a1)
    response = client.get(RULES)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="read-only"' in body
    assert "<form method=\"post\" class=\"settings-form\"" not in body
    assert "09:30" in body and "18:00" in body
    before = stored()
    assert client.post(RULES, form_data(followup_log_hours=5)).status_code == 403
    assert stored() == before


def test_calendar_page_for_a_rep(actors, client):
    client.force_login(actors.rep_a1)
    response = client.get(CAL, {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    option = chart(body, "workdays-chart")
    data = option["series"][0]["data"]
    assert len(data) == 12
    assert (data[1], data[9]) == (16, 18)  # Feb and Oct 2026, counted by hand
    assert 'data-chart="workdays-chart"' in body
    holidays = body[body.index('data-testid="holidays"'):body.index('data-testid="makeup-days"')]
    assert "农历除夕" in holidays and "国庆节" in holidays
    makeup = body[body.index('data-testid="makeup-days"'):body.index('data-testid="company-days"')]
    assert makeup.count("<tr>") == 7  # header + 6 make-up working days of 2026
    assert "2026-02-14" in makeup and "2026-10-10" in makeup
    assert 'data-testid="not-published"' not in body
    assert 'data-testid="company-day-form"' not in body
    assert "<script>" not in body and 'style="' not in body


def test_calendar_defaults_to_this_year_and_refuses_odd_years(actors, client):
    client.force_login(actors.rep_a1)
    this_year = timezone.localdate().year
    assert f"?year={this_year + 1}" in client.get(CAL).content.decode()
    body = client.get(CAL, {"year": "99999"}).content.decode()
    assert f"?year={this_year + 1}" in body
    assert 'class="msg-error"' in body


def test_unpublished_year_shows_the_notice(actors, client):
    client.force_login(actors.admin)
    body = client.get(CAL, {"year": 2027}).content.decode()
    assert 'data-testid="not-published"' in body
    holidays = body[body.index('data-testid="holidays"'):body.index('data-testid="makeup-days"')]
    assert "2027-02-06" in holidays and "春节" in holidays
    assert "2027-10-01" in holidays


def test_admin_adds_and_removes_a_company_day(actors, client):
    client.force_login(actors.admin)
    total_2027 = sum(chart(client.get(CAL, {"year": 2027}).content.decode(), "workdays-chart")["series"][0]["data"])
    new_day = {"action": "set", "date": "2027-03-06", "kind": "workday", "note": "补班"}
    response = client.post(f"{CAL}?year=2027", new_day)
    assert response.status_code == 302
    assert response["Location"] == f"{CAL}?year=2027"
    assert list(CalendarDay.objects.values_list("date", "kind", "note", "is_active")) == [
        (dt.date(2027, 3, 6), "workday", "补班", True),
    ]
    body = client.get(CAL, {"year": 2027}).content.decode()
    company = body[body.index('data-testid="company-days"'):]
    assert "补班" in company and 'data-testid="remove-2027-03-06"' in company
    assert sum(chart(body, "workdays-chart")["series"][0]["data"]) == total_2027 + 1

    response = client.post(f"{CAL}?year=2027", {"action": "remove", "date": "2027-03-06"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 3, 6)).is_active is False


def test_admin_company_day_errors_are_shown(actors, client):
    client.force_login(actors.admin)
    response = client.post(CAL, {"action": "set", "date": "2026-03-10", "kind": "workday", "note": ""})
    assert response.status_code == 400
    assert 'data-testid="error-date"' in response.content.decode()
    response = client.post(CAL, {"action": "set", "date": "not a date", "kind": "day_off"})
    assert response.status_code == 400
    response = client.post(CAL, {"action": "remove", "date": "2026-03-10"})
    assert response.status_code == 400
    assert 'class="msg-error"' in response.content.decode()
    assert CalendarDay.objects.count() == 0


def test_rep_cannot_change_the_calendar(actors, client):
    client.force_login(actors.rep_a1)
    response = client.post(CAL, {"action": "set", "date": "2027-03-06", "kind": "workday"})
    assert response.status_code == 403
    CalendarDay.objects.create(date=dt.date(2026, 3, 10), kind="day_off")
    assert client.post(CAL, {"action": "remove", "date": "2026-03-10"}).status_code == 403
    assert list(CalendarDay.objects.values_list("date", "is_active")) == [(dt.date(2026, 3, 10), True)]


def test_django_admin_lists_the_organisation_models(actors, client):
    client.force_login(actors.admin)
    for url in (
        "/admin/organisation/rulesettings/",
        "/admin/organisation/organisation/",
        "/admin/organisation/calendarday/",
        "/admin/organisation/rulesettings/1/change/",
        "/admin/organisation/rulesettings/1/history/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/organisation/rulesettings/add/").status_code == 403
    data = form_data(followup_log_hours=6)
    response = client.post("/admin/organisation/rulesettings/1/change/", data)
    assert response.status_code == 302
    assert RuleSettings.objects.get(pk=1).followup_log_hours == 6
    assert RuleSettings.history.latest().history_user == actors.admin
    refused = client.post(
        "/admin/organisation/calendarday/add/", {"date": "2026-03-10", "kind": "workday", "note": "", "is_active": "on"}
    )
    assert refused.status_code == 200
    assert CalendarDay.objects.count() == 0
