"""/api/followups/ (API.md): scope per actor (R1), create with `late` (R11), errors, filters, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import PDF, PNG, local
from salesops.organisation.selectors import rule_settings

URL = "/api/followups/"


@pytest.fixture
def book(actors, make_customer, clock):
    """One customer per rep with one follow-up by its owner."""
    rows = {}
    for name in ("rep_a1", "rep_a2", "rep_b1", "rep_c1"):
        rep = getattr(actors, name)
        customer = make_customer(owner=rep, name=f"{name}的客户")
        rows[name] = FollowUp.objects.create(
            customer=customer, author=rep, contacted_at=local(2026, 3, 3), channel="phone", key_points="初次电话"
        )
    return rows


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("rep_a1", {"rep_a1"}),
        ("lead_a", {"rep_a1", "rep_a2"}),
        ("lead_b", {"rep_b1"}),
        ("director", {"rep_a1", "rep_a2", "rep_b1"}),
        ("lead_c", {"rep_c1"}),
        ("admin", {"rep_a1", "rep_a2", "rep_b1", "rep_c1"}),
    ],
)
def test_list_is_scoped(actors, api_as, book, who, sees):
    response = api_as(getattr(actors, who)).get(URL)
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {book[name].pk for name in sees}
    for name in set(book) - sees:
        assert api_as(getattr(actors, who)).get(f"{URL}{book[name].pk}/").status_code == 404


def test_create_returns_late_and_moves_the_cadence(actors, api_as, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    body = {
        "customer": customer.pk, "contacted_at": "2026-03-04T13:00:00+08:00", "channel": "wechat",
        "key_points": "发了报价单", "feedback": "嫌贵", "next_step": "申请折扣", "next_followup_at": "2026-03-06",
    }
    response = api_as(actors.rep_a1).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["late"], data["channel"]) == (True, "wechat")
    assert (data["author"], data["customer"]) == (actors.rep_a1.pk, customer.pk)
    assert data["next_followup_at"] == "2026-03-06"
    customer.refresh_from_db()
    assert customer.next_due_at == dt.date(2026, 3, 5)


def test_multipart_create_with_photo(actors, api_as, make_customer, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    customer = make_customer(owner=actors.rep_a1)
    body = {
        "customer": customer.pk, "contacted_at": "2026-03-04T15:30:00+08:00", "channel": "visit",
        "key_points": "现场看了产线", "photos": [SimpleUploadedFile("line.png", PNG, "image/png")],
    }
    response = api_as(actors.rep_a1).post(URL, body, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["late"] is False
    assert len(response.json()["photos"]) == 1


def test_wrong_photo_type_is_a_415_field_error(actors, api_as, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    body = {
        "customer": customer.pk, "contacted_at": "2026-03-04T15:30:00+08:00", "channel": "visit",
        "key_points": "现场", "photos": [SimpleUploadedFile("scan.jpg", PDF, "image/jpeg")],
    }
    response = api_as(actors.rep_a1).post(URL, body, format="multipart")
    assert response.status_code == 415
    assert list(response.json()["error"]["fields"]) == ["photos"]
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("customer_id", ["other", "missing"])
def test_out_of_scope_or_missing_customer_is_404(actors, api_as, make_customer, clock, customer_id):
    other = make_customer(owner=actors.rep_b1)
    pk = other.pk if customer_id == "other" else other.pk + 1000
    body = {"customer": pk, "contacted_at": "2026-03-04T15:00:00+08:00", "channel": "phone", "key_points": "x"}
    response = api_as(actors.rep_a1).post(URL, body, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert FollowUp.objects.count() == 0


def test_future_contact_is_400_and_nothing_created(actors, api_as, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    body = {"customer": customer.pk, "contacted_at": "2026-03-05T09:00:00+08:00", "channel": "phone", "key_points": "x"}
    response = api_as(actors.rep_a1).post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contacted_at"]
    assert FollowUp.objects.count() == 0
    assert Customer.objects.get(pk=customer.pk).next_due_at is None


@pytest.mark.parametrize(
    ("params", "field"),
    [({"customer": "99999999999999999999"}, "customer"), ({"channel": "fax"}, "channel"),
     ({"date_from": "2026-13-01"}, "date_from")],
)
def test_bad_filters_are_400(actors, api_as, params, field):
    response = api_as(actors.admin).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_filters(actors, api_as, book, clock):
    customer = book["rep_a1"].customer
    late = FollowUp.objects.create(
        customer=customer, author=actors.rep_a1, contacted_at=local(2026, 3, 4, 9), channel="visit",
        key_points="拜访", late=True,
    )
    client = api_as(actors.lead_a)

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(customer=customer.pk) == {book["rep_a1"].pk, late.pk}
    assert ids(author=actors.rep_a2.pk) == {book["rep_a2"].pk}
    assert ids(channel="visit") == {late.pk}
    assert ids(late="true") == {late.pk}
    assert ids(date_from="2026-03-04") == {late.pk}
    assert ids(date_to="2026-03-03") == {book["rep_a1"].pk, book["rep_a2"].pk}


def test_patch_and_delete_follow_the_rules(actors, api_as, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    created = api_as(actors.rep_a1).post(
        URL, {"customer": customer.pk, "contacted_at": "2026-03-04T15:00:00+08:00", "channel": "phone",
              "key_points": "首次"}, format="json",
    ).json()
    detail = f"{URL}{created['id']}/"
    assert created["version"] == 1
    assert api_as(actors.lead_a).patch(detail, {"key_points": "改", "version": 1}, format="json").status_code == 403
    response = api_as(actors.rep_a1).patch(detail, {"key_points": "补充：要样品", "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["key_points"], response.json()["version"]) == ("补充：要样品", 2)
    assert api_as(actors.rep_b1).delete(detail).status_code == 404
    assert api_as(actors.rep_a1).delete(detail).status_code == 204
    assert api_as(actors.rep_a1).get(detail).status_code == 404
    assert FollowUp.objects.get(pk=created["id"]).is_active is False


def test_a_correction_from_an_older_version_is_409_stale(actors, api_as, make_customer, clock):
    """The author on two devices: the second correction read the record before the first was saved."""
    customer = make_customer(owner=actors.rep_a1)
    author = api_as(actors.rep_a1)
    created = author.post(URL, {"customer": customer.pk, "contacted_at": "2026-03-04T15:00:00+08:00",
                                "channel": "visit", "key_points": "首次拜访"}, format="json").json()
    detail = f"{URL}{created['id']}/"
    assert author.patch(detail, {"feedback": "要报价", "version": 1}, format="json").status_code == 200
    stale = author.patch(detail, {"next_step": "寄样品", "version": 1}, format="json")
    assert (stale.status_code, stale.json()["error"]["code"], stale.json()["error"]["version"]) == (409, "stale", 2)
    missing = author.patch(detail, {"next_step": "寄样品"}, format="json")
    assert (missing.status_code, list(missing.json()["error"]["fields"])) == (400, ["version"])
    record = FollowUp.objects.get(pk=created["id"])
    assert (record.feedback, record.next_step, record.version) == ("要报价", "", 2)


def test_list_and_create_use_a_fixed_number_of_queries(actors, api_as, make_customer, clock,
                                                       django_assert_max_num_queries):
    customers = [make_customer(owner=actors.rep_a1, name=f"客户{n}") for n in range(20)]
    for customer in customers:
        for day in (2, 3):
            FollowUp.objects.create(customer=customer, author=actors.rep_a1, contacted_at=local(2026, 3, day),
                                    channel="phone", key_points="电话")
    rule_settings()  # the settings row exists in a running system
    client = api_as(actors.lead_a)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.json()["results"]) == 40
    body = {"customer": customers[0].pk, "contacted_at": "2026-03-04T15:00:00+08:00", "channel": "phone",
            "key_points": "再次电话"}
    with django_assert_max_num_queries(15):
        assert api_as(actors.rep_a1).post(URL, body, format="json").status_code == 201
