"""R1 for follow-up records: a customer's records are seen by whoever sees the customer, whoever wrote them
and whenever; each author also sees what they wrote. The API list and detail, the customer's timeline and
the follow-up export agree, and a visit photo is served to exactly those who see its record."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from salesops.customers.models import Customer
from salesops.customers.pool import services as pool
from salesops.followups import services
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import PNG, local
from salesops.testing.actors import Actors

URL = "/api/followups/"


def log(author, customer, text, **fields) -> FollowUp:
    return services.followup_create(
        by=author, customer=customer, contacted_at=local(2026, 3, 4, 10), channel="phone", key_points=text,
        **fields,
    )


@pytest.fixture
def lead_on_rep_customer(actors: Actors, make_customer, clock) -> tuple[Customer, FollowUp, FollowUp]:
    """rep_a1's customer with a record by rep_a1 and one by their lead."""
    customer = make_customer(owner=actors.rep_a1, name="苏州恒通精密机械有限公司")
    own = log(actors.rep_a1, customer, "电话确认需求")
    by_lead = log(actors.lead_a, customer, "组长陪同拜访，谈了价格")
    return customer, own, by_lead


def listed(api_as, user, **params) -> set[int]:
    response = api_as(user).get(URL, params)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def exported_points(api_as, user) -> set[str]:
    response = api_as(user).get(f"{URL}export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}


def timeline_text(client, user, customer: Customer) -> str:
    client.force_login(user)
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_rep_sees_the_record_their_lead_logged_on_their_customer(actors, api_as, client, lead_on_rep_customer):
    customer, own, by_lead = lead_on_rep_customer
    assert listed(api_as, actors.rep_a1) == {own.pk, by_lead.pk}
    assert api_as(actors.rep_a1).get(f"{URL}{by_lead.pk}/").status_code == 200
    assert "组长陪同拜访，谈了价格" in timeline_text(client, actors.rep_a1, customer)
    assert exported_points(api_as, actors.rep_a1) == {"电话确认需求", "组长陪同拜访，谈了价格"}


def test_a_teammate_and_another_team_see_none_of_them(actors, api_as, lead_on_rep_customer):
    _customer, own, by_lead = lead_on_rep_customer
    for outsider in (actors.rep_a2, actors.rep_b1, actors.lead_b):
        assert listed(api_as, outsider) == set()
        assert api_as(outsider).get(f"{URL}{by_lead.pk}/").status_code == 404
        assert api_as(outsider).get(f"{URL}{own.pk}/").status_code == 404
    assert exported_points(api_as, actors.rep_b1) == set()


def test_after_a_transfer_the_new_owner_sees_every_earlier_record(actors, api_as, client, lead_on_rep_customer):
    customer, own, by_lead = lead_on_rep_customer
    pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason="张伟调岗")
    assert listed(api_as, actors.rep_a2) == {own.pk, by_lead.pk}
    assert listed(api_as, actors.rep_a2, customer=customer.pk) == {own.pk, by_lead.pk}
    page = timeline_text(client, actors.rep_a2, customer)
    assert "电话确认需求" in page and "组长陪同拜访，谈了价格" in page
    assert exported_points(api_as, actors.rep_a2) == {"电话确认需求", "组长陪同拜访，谈了价格"}
    # The former owner keeps what they wrote, and no longer sees the lead's record on a customer not theirs.
    assert listed(api_as, actors.rep_a1) == {own.pk}
    assert api_as(actors.rep_a1).get(f"{URL}{by_lead.pk}/").status_code == 404


def test_an_author_keeps_seeing_what_they_wrote_on_another_teams_customer(actors, api_as, make_customer, clock):
    """A director logs on a customer of team A; once it moves to team C, the director (not over C) still
    sees their own record, and team C's owner sees it as a record of their customer."""
    customer = make_customer(owner=actors.rep_a1)
    mine = log(actors.director, customer, "总监电话")
    pool.customer_transfer(customers=[customer], to_user=actors.rep_c1, by=actors.admin, reason="划给华南")
    assert mine.pk in listed(api_as, actors.director)
    assert listed(api_as, actors.rep_c1) == {mine.pk}
    assert listed(api_as, actors.lead_a) == set()


def test_records_of_a_pool_customer_are_seen_by_whoever_sees_the_pool(actors, api_as, lead_on_rep_customer):
    customer, own, by_lead = lead_on_rep_customer
    pool.customer_release(customer=customer, by=actors.rep_a1, reason="暂无需求")
    assert listed(api_as, actors.rep_b1) == {own.pk, by_lead.pk}
    assert listed(api_as, actors.rep_a1) == {own.pk, by_lead.pk}


def test_a_visit_photo_is_served_to_those_who_see_its_record(actors, api_as, client, make_customer, clock, settings,
                                                            tmp_path):
    settings.MEDIA_ROOT = tmp_path
    customer = make_customer(owner=actors.rep_a1)
    record = log(actors.lead_a, customer, "现场看了产线", photos=[SimpleUploadedFile("产线.png", PNG, "image/png")])
    photo_url = api_as(actors.lead_a).get(f"{URL}{record.pk}/").json()["photos"][0]
    stored = record.photos.get().image.name
    assert "产线" not in stored and stored.endswith(".png")  # a name the server chose
    for viewer in (actors.rep_a1, actors.lead_a, actors.director, actors.admin):
        client.force_login(viewer)
        response = client.get(photo_url)
        assert response.status_code == 200, viewer
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
    for outsider in (actors.rep_a2, actors.rep_b1, actors.lead_b):
        client.force_login(outsider)
        assert client.get(photo_url).status_code == 404
    client.logout()
    assert client.get(photo_url).status_code == 302  # to the login page
