"""A yes/no filter takes true or false; anything else is a 400 in the API error shape like every other bad
filter, never read as "no filter" (``?overdue=maybe`` must not answer the whole list as the overdue one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import django_filters
import pytest
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.core.filters import FilterSet, StrictBooleanFilter
from salesops.customers.models import Customer
from salesops.testing.actors import Actors
from salesops.urls import router

ApiAs = Callable[[User | None], APIClient]


def project_filtersets() -> Iterator[type[django_filters.FilterSet]]:
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        found = pending.pop()
        pending.extend(found.__subclasses__())
        if found.__module__.startswith("salesops.") and found.__module__ != "salesops.core.filters":
            yield found


def boolean_filters_of_the_api() -> list[tuple[str, str]]:
    """(list URL, filter name) of every yes/no filter of every list on the API's router."""
    found: list[tuple[str, str]] = []
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None or not hasattr(viewset, "list"):
            continue
        found.extend((f"/api/{prefix}/", name) for name, field in filterset.base_filters.items()
                     if isinstance(field, django_filters.BooleanFilter))
    return sorted(found)


def test_every_filterset_is_strict_about_booleans() -> None:
    filtersets = list(project_filtersets())
    assert len(filtersets) >= 5  # customers, follow-ups, people, teams, notifications
    for filterset in filtersets:
        assert issubclass(filterset, FilterSet), filterset
        for name, field in filterset.base_filters.items():
            if isinstance(field, django_filters.BooleanFilter):
                assert isinstance(field, StrictBooleanFilter), (filterset, name)


def test_the_api_lists_with_yes_no_filters_are_all_checked() -> None:
    assert {
        ("/api/customers/", "overdue"), ("/api/customers/", "due_today"), ("/api/customers/", "pool"),
        ("/api/users/", "is_active"), ("/api/teams/", "is_active"), ("/api/followups/", "late"),
    } <= set(boolean_filters_of_the_api())


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), boolean_filters_of_the_api())
@pytest.mark.parametrize("value", ["maybe", "yes", "2", "truee"])
def test_an_unknown_yes_no_value_is_a_400_naming_the_filter(
    actors: Actors, api_as: ApiAs, url: str, name: str, value: str
) -> None:
    response = api_as(actors.admin).get(url, {name: value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", [name])
    assert error["fields"][name] == ["Enter true or false."]


@pytest.mark.django_db
def test_true_and_false_still_filter(actors: Actors, api_as: ApiAs) -> None:
    Customer.objects.create(name="公海客户", name_key="公海客户")
    Customer.objects.create(name="自有客户", name_key="自有客户", owner=actors.rep_a1)
    client = api_as(actors.admin)
    for word, names in (("true", ["公海客户"]), ("1", ["公海客户"]), ("False", ["自有客户"]), ("", ["自有客户"])):
        rows = client.get("/api/customers/", {"pool": word}).json()["results"]
        assert [row["name"] for row in rows] == names, word
    actors.rep_c1.is_active = False
    actors.rep_c1.save()
    rows = client.get("/api/users/", {"is_active": "false"}).json()["results"]
    assert [row["username"] for row in rows] == ["rep_c1"]
