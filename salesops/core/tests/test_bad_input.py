"""Bad input is a 4xx, never a 500 (API.md "Errors"): periods and dates at the calendar's ends, JSON nested
thousands of levels deep, a body over the size limit (413) and a form with too many fields (400). The API
answers in its error shape, pages with the friendly page in the person's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.core.drf import MAX_JSON_DEPTH
from salesops.core.tests.test_api_errors import chinese, error_of, in_language, token_client
from salesops.core.tests.test_error_pages import assert_friendly
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.testing.actors import Actors

#: Periods and days a typing slip or a probe sends: valid words whose bounds lie past the calendar's ends.
EXTREME_PERIODS = ["9999-12", "9999-W52", "9999-Q4", "0001-01", "0001-W01", "0001-Q1", "9999-12-31", "0001-01-01"]
EXTREME_DAYS = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"]
EXTREME_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01T00:00:00-12:00", "9999-12-31T23:59:59+14:00"]


def deep_json(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.fixture
def customer(actors: Actors) -> Customer:
    return Customer.objects.create(owner=actors.rep_a1, name="苏州恒通精密机械有限公司", grade="A")


@pytest.fixture
def english_rep(actors: Actors) -> User:
    actors.rep_a1.language = "en"
    actors.rep_a1.save(update_fields=["language"])
    return actors.rep_a1


# --- periods and dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", EXTREME_PERIODS)
def test_a_period_at_the_calendar_ends_is_a_400(actors: Actors, period: str) -> None:
    response = token_client(actors.lead_a).get("/api/followups/compliance/", {"period": period})
    assert list(error_of(response, 400, "invalid")["fields"]) == ["period"]


@pytest.mark.parametrize("name", ["date_from", "date_to"])
@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_date_filter_at_the_calendar_ends_is_a_400(actors: Actors, name: str, day: str) -> None:
    response = token_client(actors.rep_a1).get("/api/followups/", {name: day})
    assert list(error_of(response, 400, "invalid")["fields"]) == [name]


@pytest.mark.parametrize("moment", EXTREME_MOMENTS)
def test_a_contact_time_at_the_calendar_ends_is_a_400_and_logs_nothing(
    actors: Actors, customer: Customer, moment: str
) -> None:
    body = {"customer": customer.pk, "contacted_at": moment, "channel": "phone", "key_points": "电话沟通"}
    response = token_client(actors.rep_a1).post("/api/followups/", body, format="json")
    error = error_of(response, 400, "invalid")
    assert list(error["fields"]) == ["contacted_at"]
    assert re.search(r"[\u4e00-\u9fff]", error["fields"]["contacted_at"][0])  # zh-Hans by default
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_next_follow_up_date_at_the_calendar_ends_is_a_400(actors: Actors, customer: Customer, day: str) -> None:
    body = {"customer": customer.pk, "contacted_at": "2026-03-04T10:00:00+08:00", "channel": "phone",
            "key_points": "电话沟通", "next_followup_at": day}
    response = token_client(actors.rep_a1).post("/api/followups/", body, format="json")
    assert list(error_of(response, 400, "invalid")["fields"]) == ["next_followup_at"]


def date_requests(customer: Customer) -> list[tuple[str, str, Any]]:
    """Every API call that takes a day, a moment or a period, with ``{}`` where the value goes."""
    return [
        ("get", "/api/followups/compliance/?scope=org&period={}", None),
        ("get", "/api/followups/?date_from={}", None),
        ("get", "/api/followups/?date_to={}", None),
        ("get", "/api/followups/export/?date_from={}", None),
        ("get", "/api/calendar/workdays/?start={}&end=2026-01-01", None),
        ("get", "/api/calendar/workdays/?start=2026-01-01&end={}", None),
        ("get", "/api/calendar/next-workday/?date={}&n=3", None),
        ("get", "/api/calendar/next-workday/?date={}&n=-3", None),
        ("get", "/api/calendar/?year={}", None),
        ("get", "/api/calendar/days/{}/", None),
        ("delete", "/api/calendar/days/{}/", None),
        ("post", "/api/calendar/days/", {"date": "{}", "kind": "off"}),
        ("post", "/api/jobs/cadence/run/", {"date": "{}"}),
        ("post", "/api/followups/", {"customer": customer.pk, "contacted_at": "{}", "channel": "visit",
                                     "key_points": "拜访"}),
        ("post", "/api/followups/", {"customer": customer.pk, "contacted_at": "2026-03-04T10:00:00+08:00",
                                     "channel": "visit", "key_points": "拜访", "next_followup_at": "{}"}),
    ]


def test_every_call_that_takes_a_date_answers_extremes_with_a_4xx(actors: Actors, customer: Customer) -> None:
    """A fuzz of the date- and period-taking calls with the calendar's ends and malformed words."""
    client = token_client(actors.admin)
    values = [*EXTREME_PERIODS, *EXTREME_MOMENTS, "2101-01", "1899-W01", "0000-00-00", "2026-02-30", "2026-W54",
              "20261-01-01", "-2026-01-01", "٢٠٢٦-٠١-٠١", "2026-01-01T25:00", ""]
    answers = []
    for method, template, body in date_requests(customer):
        for value in values:
            if body is None:
                response = getattr(client, method)(template.format(value))
            else:
                filled = {key: value if item == "{}" else item for key, item in body.items()}
                response = getattr(client, method)(template, filled, format="json")
            answers.append((response.status_code, method, template, value))
            assert response.status_code < 500, (method, template, value, response.content[:300])
            if response.status_code >= 400 and not template.startswith("/api/followups/export/"):
                assert set(response.json()) == {"error"}
    assert sum(code == 400 for code, *_rest in answers) > len(answers) // 2  # most really were refused


# --- JSON nested too deep ------------------------------------------------------------------------------------


def test_json_nested_5000_deep_is_a_400(actors: Actors) -> None:
    response = token_client(actors.rep_a1).post("/api/customers/", deep_json(5000), content_type="application/json")
    error = error_of(response, 400, "parse_error")
    assert error["message"] == chinese("The JSON body is nested too deeply (at most %(depth)d levels).") % {
        "depth": MAX_JSON_DEPTH}
    assert not Customer.objects.exists()


def test_json_deeper_than_the_limit_but_parseable_is_a_400(actors: Actors) -> None:
    body = json.dumps({"name": json.loads(deep_json(MAX_JSON_DEPTH))})  # one level more than allowed
    response = token_client(actors.rep_a1).post("/api/customers/", body, content_type="application/json")
    error_of(response, 400, "parse_error")


def test_json_within_the_limit_reaches_validation(actors: Actors) -> None:
    body = json.dumps({"name": json.loads(deep_json(MAX_JSON_DEPTH - 1))})  # exactly the limit
    response = token_client(actors.rep_a1).post("/api/customers/", body, content_type="application/json")
    assert "name" in error_of(response, 400, "invalid")["fields"]


def write_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch")
    ]


def filled(path: str, row: int) -> str:
    """A schema path with its parameters filled: a date, the cadence job's name, a deal stage, else the row id."""
    url = re.sub(r"\{[^}]*date[^}]*\}", "2026-03-04", path)
    url = re.sub(r"\{name\}", "cadence", url)
    url = re.sub(r"\{stage\}", "needs", url)
    return re.sub(r"\{[^}]+\}", str(row), url)


def test_every_write_operation_refuses_deep_json_in_the_error_shape(actors: Actors, customer: Customer) -> None:
    """Each POST/PUT/PATCH of /api/schema/ (ids filled with real rows) gets the 5,000-deep body as an admin."""
    client = token_client(actors.admin)
    operations = write_operations()
    assert len(operations) > 15
    parse_errors = 0
    for method, path in operations:
        row = {"users": actors.rep_a1.pk, "teams": actors.team_a.pk}.get(path.split("/")[2], customer.pk)
        url = filled(path, row)
        response = getattr(client, method)(url, deep_json(5000), content_type="application/json")
        assert response.status_code < 500, (method, url, response.content[:300])
        if response.status_code >= 400:  # a few calls read no body at all
            assert set(response.json()) == {"error"}, (method, url)
            parse_errors += response.json()["error"]["code"] == "parse_error"
    assert parse_errors > len(operations) // 3  # most read the body before anything else


def test_options_on_every_path_is_a_405_in_the_error_shape(actors: Actors, customer: Customer) -> None:
    """OPTIONS once built metadata from a serializer the action views do not have (a 500 on claim, release,
    transfer and reassign); every path of the schema now answers 405 in the error shape."""
    client = token_client(actors.admin)
    paths = {path for _method, path in write_operations()}
    assert any(path.endswith("/claim/") for path in paths)
    for path in sorted(paths):
        url = filled(path, customer.pk)
        response = client.options(url)
        assert response.status_code == 405, (url, response.content[:300])
        assert set(response.json()) == {"error"}, url


# --- a body over the size limit ------------------------------------------------------------------------------


def oversized_json() -> str:
    return json.dumps({"name": "恒" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1)})


def test_a_json_body_over_the_limit_is_a_413(actors: Actors) -> None:
    response = token_client(actors.rep_a1).post("/api/customers/", oversized_json(), content_type="application/json")
    error = error_of(response, 413, "too_large")
    assert error["message"] == chinese("The request is larger than %(size)g MB.") % {"size": 5}
    assert not Customer.objects.exists()


def test_a_form_body_over_the_limit_is_a_413_in_the_api_too(actors: Actors, api_as: Callable[..., APIClient]) -> None:
    body = urlencode({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = api_as(actors.rep_a1).post("/api/customers/", body, content_type="application/x-www-form-urlencoded")
    error_of(response, 413, "too_large")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_form_over_the_limit_gets_the_413_page_in_the_persons_language(
    actors: Actors, english_rep: User, language: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(english_rep if language == "en" else actors.rep_a2)
    body = urlencode({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = client.post("/customers/new/", body, content_type="application/x-www-form-urlencoded")
    assert_friendly(response, 413, language, "Too much to send at once", menu=True)
    assert in_language(language, "The request is larger than %(size)g MB.") % {"size": 5} in response.content.decode()
    assert not Customer.objects.exists()


# --- too many fields -----------------------------------------------------------------------------------------


def too_many_fields() -> str:
    return urlencode([(f"f{i}", "1") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)])


def test_a_form_with_too_many_fields_is_a_400_in_the_api(actors: Actors, api_as: Callable[..., APIClient]) -> None:
    client = api_as(actors.rep_a1)
    response = client.post("/api/customers/", too_many_fields(), content_type="application/x-www-form-urlencoded")
    error = error_of(response, 400, "too_many_fields")
    assert error["message"] == chinese("The request has more than %(count)d fields.") % {"count": 1000}
    assert not Customer.objects.exists()


def test_a_query_with_too_many_fields_is_a_400_in_the_api(actors: Actors) -> None:
    response = token_client(actors.rep_a1).get(f"/api/customers/?{too_many_fields()}")
    error_of(response, 400, "too_many_fields")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_form_with_too_many_fields_gets_the_400_page_in_the_persons_language(
    actors: Actors, english_rep: User, language: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(english_rep if language == "en" else actors.rep_a2)
    response = client.post("/customers/new/", too_many_fields(), content_type="application/x-www-form-urlencoded")
    assert_friendly(response, 400, language, "The request could not be handled", menu=True)
    assert in_language(language, "The request has more than %(count)d fields.") % {"count": 1000} in (
        response.content.decode())
    assert not Customer.objects.exists()
