"""The working calendar API (R2): reading for everyone, company days for admins only, bad input 400."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.accounts import services as account_services
from salesops.organisation.models import CalendarDay

pytestmark = pytest.mark.django_db
DAYS = "/api/calendar/days/"


def company_rows() -> list[tuple[str, str, str, bool]]:
    return [
        (d.date.isoformat(), d.kind, d.note, d.is_active) for d in CalendarDay.objects.order_by("date")
    ]


def test_february_2026_day_by_day(actors, api_as):
    response = api_as(actors.rep_a1).get("/api/calendar/", {"year": 2026, "month": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["month"], body["workdays"], body["makeup_days_published"]) == (2026, 2, 16, True)
    days = {d["date"]: d for d in body["days"]}
    assert len(days) == 28
    assert days["2026-02-14"] == {
        "date": "2026-02-14", "is_workday": True, "reason": "makeup_workday", "name": days["2026-02-14"]["name"],
    }
    assert "2026-02-20" in days["2026-02-14"]["name"]
    assert days["2026-02-16"] == {"date": "2026-02-16", "is_workday": False, "reason": "holiday", "name": "农历除夕"}
    assert days["2026-02-15"] == {"date": "2026-02-15", "is_workday": False, "reason": "weekend", "name": ""}
    assert days["2026-02-24"] == {"date": "2026-02-24", "is_workday": True, "reason": "workday", "name": ""}


def test_names_follow_the_callers_language(actors, api_as):
    account_services.user_set_language(user=actors.rep_a1, language="en")
    body = api_as(actors.rep_a1).get("/api/calendar/", {"year": 2026, "month": 10}).json()
    first = body["days"][0]
    assert (first["date"], first["name"], first["reason"]) == ("2026-10-01", "National Day", "holiday")
    assert body["workdays"] == 18


def test_whole_year_and_unpublished_2027(actors, api_as):
    body = api_as(actors.rep_a1).get("/api/calendar/", {"year": 2027}).json()
    assert body["month"] is None
    assert len(body["days"]) == 365
    assert body["makeup_days_published"] is False
    days = {d["date"]: d for d in body["days"]}
    assert (days["2027-02-06"]["is_workday"], days["2027-02-06"]["reason"]) == (False, "holiday")
    assert (days["2027-10-01"]["is_workday"], days["2027-10-01"]["reason"]) == (False, "holiday")
    assert body["workdays"] == sum(d["is_workday"] for d in body["days"])


@pytest.mark.parametrize(
    "query",
    [{}, {"year": 1899}, {"year": 2101}, {"year": "abc"}, {"year": 2026, "month": 13}, {"year": 2026, "month": 0}],
)
def test_calendar_bad_query_is_400(actors, api_as, query):
    response = api_as(actors.rep_a1).get("/api/calendar/", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_calendar_needs_login(org, api_as):
    assert api_as(None).get("/api/calendar/", {"year": 2026}).status_code == 401


def test_admin_adds_updates_lists_and_removes_company_days(actors, api_as):
    admin = api_as(actors.admin)
    created = admin.post(DAYS, {"date": "2027-03-06", "kind": "workday", "note": "调休上班"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json() == {"date": "2027-03-06", "kind": "workday", "note": "调休上班"}
    month = admin.get("/api/calendar/", {"year": 2027, "month": 3}).json()
    sixth = next(d for d in month["days"] if d["date"] == "2027-03-06")
    assert sixth == {"date": "2027-03-06", "is_workday": True, "reason": "company_workday", "name": "调休上班"}

    updated = admin.post(DAYS, {"date": "2027-03-06", "kind": "day_off", "note": "团建"}, format="json")
    assert updated.status_code == 200
    assert company_rows() == [("2027-03-06", "day_off", "团建", True)]

    admin.post(DAYS, {"date": "2026-03-10", "kind": "day_off"}, format="json")
    listed = api_as(actors.rep_a1).get(DAYS).json()
    assert listed["count"] == 2
    assert [d["date"] for d in listed["results"]] == ["2026-03-10", "2027-03-06"]
    assert api_as(actors.rep_a1).get(f"{DAYS}2026-03-10/").json() == {
        "date": "2026-03-10", "kind": "day_off", "note": "",
    }

    assert admin.delete(f"{DAYS}2027-03-06/").status_code == 204
    assert company_rows() == [("2026-03-10", "day_off", "", True), ("2027-03-06", "day_off", "团建", False)]
    assert admin.delete(f"{DAYS}2027-03-06/").status_code == 404
    assert api_as(actors.rep_a1).get(f"{DAYS}2027-03-06/").status_code == 404
    assert [d["date"] for d in admin.get(DAYS).json()["results"]] == ["2026-03-10"]
    history = CalendarDay.history.filter(date=dt.date(2027, 3, 6)).order_by("history_id")
    assert [(h.kind, h.is_active, h.history_user) for h in history] == [
        ("workday", True, actors.admin), ("day_off", True, actors.admin), ("day_off", False, actors.admin),
    ]

    # setting a removed date again brings it back
    again = admin.post(DAYS, {"date": "2027-03-06", "kind": "workday"}, format="json")
    assert again.status_code == 200
    assert company_rows()[1] == ("2027-03-06", "workday", "", True)


@pytest.mark.parametrize("who", ["rep_a1", "lead_a", "director"])
def test_only_admins_write_company_days(actors, api_as, who):
    CalendarDay.objects.create(date=dt.date(2026, 3, 10), kind="day_off")
    client = api_as(getattr(actors, who))
    response = client.post(DAYS, {"date": "2027-03-06", "kind": "workday"}, format="json")
    assert response.status_code == 403
    assert client.delete(f"{DAYS}2026-03-10/").status_code == 403
    assert company_rows() == [("2026-03-10", "day_off", "", True)]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date": "2026-02-30", "kind": "day_off"}, "date"),
        ({"date": "2026/03/10", "kind": "day_off"}, "date"),
        ({"date": "1899-12-31", "kind": "day_off"}, "date"),
        ({"date": "2026-3-10", "kind": "day_off"}, "date"),
        ({"kind": "day_off"}, "date"),
        ({"date": "2026-03-14", "kind": "holiday"}, "kind"),
        ({"date": "2026-03-14"}, "kind"),
        ({"date": "2026-03-14", "kind": "workday", "note": "x" * 101}, "note"),
        ({"date": "2026-03-14", "kind": "workday", "note": 5}, "note"),
        # an extra working day on a day that already works (a Tuesday, a make-up Saturday) changes nothing
        ({"date": "2026-03-10", "kind": "workday"}, "date"),
        ({"date": "2026-02-14", "kind": "workday"}, "date"),
    ],
)
def test_bad_company_days_are_400_and_change_nothing(actors, api_as, payload, field):
    response = api_as(actors.admin).post(DAYS, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert company_rows() == []


def test_extra_working_day_on_a_working_day_explains_itself(actors, api_as):
    response = api_as(actors.admin).post(
        DAYS, {"date": "2026-03-10", "kind": "workday"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["error"]["fields"]["date"] == [
        "2026-03-10 is already a working day in the national calendar; an extra working day is for a weekend or "
        "a holiday. To undo a company day off, remove it instead."
    ]


def test_company_day_off_on_a_national_day_off_is_allowed(actors, api_as):
    response = api_as(actors.admin).post(DAYS, {"date": "2026-10-03", "kind": "day_off", "note": "国庆"}, format="json")
    assert response.status_code == 201
    assert company_rows() == [("2026-10-03", "day_off", "国庆", True)]


def test_delete_with_a_bad_date_is_400(actors, api_as):
    assert api_as(actors.admin).delete(f"{DAYS}2026-13-01/").status_code == 400
    assert api_as(actors.admin).delete(f"{DAYS}tomorrow/").status_code == 400


def test_workdays_between_two_dates(actors, api_as):
    client = api_as(actors.rep_a1)
    body = client.get("/api/calendar/workdays/", {"start": "2026-02-01", "end": "2026-02-28"}).json()
    assert body == {"start": "2026-02-01", "end": "2026-02-28", "workdays": 16}
    assert client.get("/api/calendar/workdays/", {"start": "2026-10-01", "end": "2026-10-31"}).json()["workdays"] == 18
    same_day = client.get("/api/calendar/workdays/", {"start": "2026-02-16", "end": "2026-02-16"}).json()
    assert same_day["workdays"] == 0
    # five years at most: 2026-01-01 + 1829 days is still fine, one more is not
    ok = client.get("/api/calendar/workdays/", {"start": "2026-01-01", "end": "2031-01-04"})
    assert ok.status_code == 200
    too_long = client.get("/api/calendar/workdays/", {"start": "2026-01-01", "end": "2031-01-05"})
    assert too_long.status_code == 400
    assert "end" in too_long.json()["error"]["fields"]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-02-28", "end": "2026-02-01"},
        {"start": "2026-02-01"},
        {"end": "2026-02-01"},
        {"start": "2026-02-01", "end": "soon"},
        {"start": "1800-01-01", "end": "1800-01-02"},
    ],
)
def test_workdays_bad_ranges_are_400(actors, api_as, query):
    assert api_as(actors.rep_a1).get("/api/calendar/workdays/", query).status_code == 400


def test_next_workday_helper(actors, api_as):
    client = api_as(actors.rep_a1)

    def ask(**query: object) -> str:
        response = client.get("/api/calendar/next-workday/", query)
        assert response.status_code == 200, response.content
        return str(response.json()["workday"])

    assert client.get("/api/calendar/next-workday/", {"date": "2026-02-13"}).json() == {
        "date": "2026-02-13", "n": 1, "workday": "2026-02-14",
    }
    assert ask(date="2026-02-14") == "2026-02-24"
    assert ask(date="2026-02-13", n=3) == "2026-02-25"
    assert ask(date="2026-02-24", n=-1) == "2026-02-14"
    assert ask(date="2026-02-15", n=0) == "2026-02-24"
    assert ask(date="2026-02-14", n=0) == "2026-02-14"


def test_next_workday_sees_company_days(actors, api_as):
    api_as(actors.admin).post(DAYS, {"date": "2026-02-24", "kind": "day_off"}, format="json")
    body = api_as(actors.rep_a1).get("/api/calendar/next-workday/", {"date": "2026-02-14"}).json()
    assert body["workday"] == "2026-02-25"


@pytest.mark.parametrize(
    "query",
    [{}, {"date": "2026-02-30"}, {"date": "2026-02-13", "n": "x"}, {"date": "2026-02-13", "n": 1831},
     {"date": "2026-02-13", "n": "1.5"}],
)
def test_next_workday_bad_input_is_400(actors, api_as, query):
    assert api_as(actors.rep_a1).get("/api/calendar/next-workday/", query).status_code == 400
