"""No lost updates (API.md "Writes carry version", R12): two people editing one customer from the same
version: the first save wins, the second is refused as stale (API 409 ``stale``) and changes nothing; the
edit page then shows what the other person changed and keeps what the editor typed, so neither is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Contact, Customer
from salesops.testing.actors import Actors
from salesops.testing.pages import form_of

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(actors: Actors) -> Customer:
    return services.customer_create(by=actors.rep_a1, name="常州天目电机", address="常州市武进区", industry="制造业",
                                    tags=["展会线索"], contacts=[{"name": "吴经理", "title": "采购"}])


def test_the_second_save_from_the_same_version_is_409_stale_and_changes_nothing(
    actors: Actors, api_as: ApiAs, customer: Customer
) -> None:
    rep, lead = api_as(actors.rep_a1), api_as(actors.lead_a)
    read_by_rep, read_by_lead = rep.get(f"{URL}{customer.pk}/").json(), lead.get(f"{URL}{customer.pk}/").json()
    assert read_by_rep["version"] == read_by_lead["version"] == 1
    moved = rep.patch(f"{URL}{customer.pk}/", {"address": "常州市新北区", "version": read_by_rep["version"]},
                      format="json")
    assert (moved.status_code, moved.json()["version"]) == (200, 2)

    stale = lead.patch(f"{URL}{customer.pk}/", {"industry": "电机", "address": "常州市武进区",
                                                "version": read_by_lead["version"]}, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["version"], error["fields"]) == ("stale", 2, {})
    customer.refresh_from_db()
    assert (customer.address, customer.industry, customer.version) == ("常州市新北区", "制造业", 2)

    again = lead.patch(f"{URL}{customer.pk}/", {"industry": "电机", "version": 2}, format="json")
    assert (again.status_code, again.json()["version"]) == (200, 3)
    customer.refresh_from_db()
    assert (customer.address, customer.industry) == ("常州市新北区", "电机")  # both changes kept


def test_an_edit_without_the_version_is_refused(actors: Actors, api_as: ApiAs, customer: Customer) -> None:
    response = api_as(actors.rep_a1).patch(f"{URL}{customer.pk}/", {"industry": "电机"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["version"]
    customer.refresh_from_db()
    assert (customer.industry, customer.version) == ("制造业", 1)


def test_the_version_is_in_every_answer(actors: Actors, api_as: ApiAs, customer: Customer) -> None:
    client = api_as(actors.rep_a1)
    assert [row["version"] for row in client.get(URL).json()["results"]] == [1]
    detail = client.get(f"{URL}{customer.pk}/").json()
    assert (detail["version"], detail["contacts"][0]["version"]) == (1, 1)
    assert client.get(f"{URL}{customer.pk}/contacts/").json()[0]["version"] == 1


def test_a_stale_contact_edit_is_409_and_a_contact_edit_needs_its_version(
    actors: Actors, api_as: ApiAs, customer: Customer
) -> None:
    contact = Contact.objects.get(customer=customer)
    path = f"{URL}{customer.pk}/contacts/{contact.pk}/"
    rep, lead = api_as(actors.rep_a1), api_as(actors.lead_a)
    assert rep.patch(path, {"title": "采购总监", "version": 1}, format="json").json()["version"] == 2
    stale = lead.patch(path, {"phone": "13912345678", "version": 1}, format="json")
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale")
    missing = lead.patch(path, {"phone": "13912345678"}, format="json")
    assert (missing.status_code, list(missing.json()["error"]["fields"])) == (400, ["version"])
    contact.refresh_from_db()
    assert (contact.title, contact.phone, contact.version) == ("采购总监", "", 2)


def browser_of(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_edit_page_shows_the_other_change_and_keeps_what_was_typed(actors: Actors, customer: Customer) -> None:
    """The lead opens the edit page; the rep moves the address meanwhile; the lead saves the industry: the
    page refuses, names the rep's change, keeps the lead's industry and takes the rep's address, so the
    next save keeps both."""
    lead = browser_of(actors.lead_a)
    edit = f"/customers/{customer.pk}/edit/"
    typed = form_of(lead.get(edit).content.decode())
    assert (typed["version"], typed["address"], typed["tags"]) == ("1", "常州市武进区", "展会线索")

    services.customer_update(customer=customer, by=actors.rep_a1, version=1, address="常州市新北区")

    typed["industry"] = "电机"
    refused = lead.post(edit, typed)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert 'data-testid="stale"' in page and 'data-testid="stale-address"' in page
    assert "常州市武进区" in page and "常州市新北区" in page and "张伟" in page
    assert 'data-testid="stale-both"' not in page
    rebased = form_of(page)
    assert (rebased["version"], rebased["address"], rebased["industry"]) == ("2", "常州市新北区", "电机")
    customer.refresh_from_db()
    assert (customer.address, customer.industry, customer.version) == ("常州市新北区", "制造业", 2)

    assert lead.post(edit, rebased).status_code == 302
    customer.refresh_from_db()
    assert (customer.address, customer.industry, customer.version) == ("常州市新北区", "电机", 3)
    assert sorted(customer.tag_names) == ["展会线索"]


def test_a_field_both_changed_keeps_what_the_editor_typed_and_says_so(actors: Actors, customer: Customer) -> None:
    lead = browser_of(actors.lead_a)
    edit = f"/customers/{customer.pk}/edit/"
    typed: dict[str, Any] = form_of(lead.get(edit).content.decode())
    services.customer_update(customer=customer, by=actors.rep_a1, version=1, address="常州市新北区",
                             tags=["展会线索", "重点客户"])
    typed["address"] = "常州市天宁区"
    page = lead.post(edit, typed).content.decode()
    assert 'data-testid="stale-both"' in page and 'data-testid="stale-tags"' in page
    rebased = form_of(page)
    assert (rebased["address"], rebased["tags"], rebased["version"]) == ("常州市天宁区", "展会线索, 重点客户", "2")
    customer.refresh_from_db()
    assert customer.address == "常州市新北区"
