"""Notifications: ``notify`` through the transports after commit, the inbox API (the caller's only, R1)
and the /inbox/ page with the unread count."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from salesops.notifications import transports
from salesops.notifications.models import Notification
from salesops.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def send(user, title: str, **kwargs) -> None:
    notify(user=user, kind="test", title=title, **kwargs)


def test_notify_stores_the_message_after_commit_only(actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(actors.rep_a1, "三个客户回到公海", body="详情", url="/pool/")
    assert len(callbacks) == 1
    stored = Notification.objects.get()
    assert (stored.user_id, stored.kind, stored.title, stored.body, stored.url, stored.read_at) == (
        actors.rep_a1.pk, "test", "三个客户回到公海", "详情", "/pool/", None)


def test_a_rolled_back_change_tells_nobody(actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send(actors.rep_a1, "never")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not Notification.objects.exists()


def test_every_transport_gets_the_message_and_a_failing_one_stops_no_other(
    actors, monkeypatch, django_capture_on_commit_callbacks
):
    received: list[transports.Message] = []

    def broken(message: transports.Message) -> None:
        raise ConnectionError("mail server down")

    monkeypatch.setattr(transports, "transports", {})
    transports.register_transport("broken", broken)
    transports.register_transport("inapp", transports.inapp)
    transports.register_transport("spy", received.append)
    with pytest.raises(ValueError):
        transports.register_transport("spy", received.append)
    monkeypatch.setattr("salesops.notifications.services.transports", transports.transports)
    with django_capture_on_commit_callbacks(execute=True):
        send(actors.rep_a1, "hello")
    assert [m.title for m in received] == ["hello"]
    assert Notification.objects.get().title == "hello"


def test_inbox_api_shows_only_the_callers(actors, api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(actors.rep_a1, "mine 1")
        send(actors.rep_a1, "mine 2")
        send(actors.rep_a2, "not mine")
        send(actors.admin, "admin's")
    mine = list(Notification.objects.filter(user=actors.rep_a1).order_by("id"))
    response = api_as(actors.rep_a1).get("/api/notifications/")
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["mine 2", "mine 1"]
    # an admin's inbox is theirs only, too
    assert [row["title"] for row in api_as(actors.admin).get("/api/notifications/").json()["results"]] == ["admin's"]
    other = Notification.objects.get(user=actors.rep_a2)
    assert api_as(actors.rep_a1).post(f"/api/notifications/{other.pk}/read/").status_code == 404
    assert api_as(actors.admin).post(f"/api/notifications/{other.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None
    response = api_as(actors.rep_a1).post(f"/api/notifications/{mine[0].pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert [r["title"] for r in api_as(actors.rep_a1).get("/api/notifications/", {"unread": "true"}).json()[
        "results"]] == ["mine 2"]
    assert [r["title"] for r in api_as(actors.rep_a1).get("/api/notifications/", {"unread": "false"}).json()[
        "results"]] == ["mine 1"]
    assert api_as(actors.rep_a1).get("/api/notifications/", {"unread": "maybe"}).status_code == 400
    assert api_as(actors.rep_a1).post("/api/notifications/read-all/").json() == {"marked": 1}
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # rep_a2's and the admin's
    assert api_as(None).get("/api/notifications/").status_code == 401


def test_marking_read_twice_keeps_the_first_time(actors, api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(actors.rep_a1, "one")
    item = Notification.objects.get()
    first = api_as(actors.rep_a1).post(f"/api/notifications/{item.pk}/read/").json()["read_at"]
    second = api_as(actors.rep_a1).post(f"/api/notifications/{item.pk}/read/").json()["read_at"]
    assert first == second
    assert api_as(actors.rep_a1).post("/api/notifications/99999999999999999999999/read/").status_code == 404


def test_inbox_page_with_unread_count(actors, client, django_capture_on_commit_callbacks):
    actors.rep_a1.language = "en"
    actors.rep_a1.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(actors.rep_a1, "first", url="/pool/")
        send(actors.rep_a1, "second")
        send(actors.rep_a2, "someone else's")
    client.force_login(actors.rep_a1)
    body = client.get("/inbox/").content.decode()
    assert "2 unread notifications" in body
    assert "first" in body and "second" in body and "someone else&#x27;s" not in body and "someone else" not in body
    first = Notification.objects.get(title="first")
    response = client.post(f"/inbox/{first.pk}/read/", {"open": "1"})
    assert response["Location"] == "/pool/"
    assert "1 unread notification" in client.get("/inbox/").content.decode()
    other = Notification.objects.get(title="someone else's")
    assert client.post(f"/inbox/{other.pk}/read/").status_code == 404
    client.post("/inbox/read-all/")
    assert "0 unread notifications" in client.get("/inbox/").content.decode()
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_the_names_a_notification_gives_are_links_in_the_inbox_and_the_api(
    actors, client, api_as, django_capture_on_commit_callbacks
):
    from salesops.customers.pool.services import customer_transfer
    from salesops.customers.services import customer_create

    first = customer_create(by=actors.rep_a1, name="杭州禾木新材料科技有限公司")
    second = customer_create(by=actors.rep_a1, name="苏州聚凯精密机械有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        customer_transfer(customers=[first, second], to_user=actors.rep_a2, by=actors.lead_a, reason="调整")
    item = Notification.objects.get(user=actors.rep_a2)
    links = [{"text": c.name, "url": f"/customers/{c.pk}/"} for c in (first, second)]
    assert item.links == links
    assert api_as(actors.rep_a2).get("/api/notifications/").json()["results"][0]["links"] == links
    client.force_login(actors.rep_a2)
    body = client.get("/inbox/").content.decode()
    for customer in (first, second):
        assert f'<li><a href="/customers/{customer.pk}/">{customer.name}</a></li>' in body
        assert client.get(f"/customers/{customer.pk}/").status_code == 200  # the new owner may open it
