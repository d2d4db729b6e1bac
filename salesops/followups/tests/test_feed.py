"""The private calendar feed: parses as iCalendar, only the owner's data (R1), a new secret kills the old."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from salesops.customers import services
from salesops.customers.models import Customer
from salesops.followups.feed import feed_regenerate
from salesops.followups.services import followup_create


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English wording of messages (the zh-Hans catalogue is checked elsewhere)."""
    settings.LANGUAGE_CODE = "en"



def events(response) -> dict[str, tuple]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): (event.decoded("dtstart"), str(event["summary"]), str(event["url"]))
        for event in calendar.walk("VEVENT")
    }


@override_settings(SITE_URL="https://crm.example.com")
def test_feed_lists_the_owners_due_customers_and_planned_follow_ups(actors, client):
    today = timezone.localdate()
    mine = services.customer_create(by=actors.rep_a1, name="甲公司", grade="A", grade_reason="预算到位")
    Customer.objects.filter(pk=mine.pk).update(next_due_at=today + dt.timedelta(days=2))
    far = services.customer_create(by=actors.rep_a1, name="远期公司")
    Customer.objects.filter(pk=far.pk).update(next_due_at=today + dt.timedelta(days=90))
    theirs = services.customer_create(by=actors.rep_a2, name="乙公司", grade="B", grade_reason="x")
    Customer.objects.filter(pk=theirs.pk).update(next_due_at=today + dt.timedelta(days=1))
    record = followup_create(by=actors.rep_a1, customer=mine, contacted_at=timezone.now() - dt.timedelta(minutes=5),
                             channel="phone", key_points="报价", next_step="上门演示",
                             next_followup_at=today + dt.timedelta(days=5))
    Customer.objects.filter(pk=mine.pk).update(next_due_at=today + dt.timedelta(days=2))
    feed = feed_regenerate(user=actors.rep_a1)
    assert len(feed.secret) >= 32
    response = client.get(f"/calendar/{feed.secret}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert events(response) == {
        f"due-{mine.pk}@crm.example.com": (today + dt.timedelta(days=2), "Follow up 甲公司 (A)",
                                           f"https://crm.example.com/customers/{mine.pk}/"),
        f"plan-{record.pk}@crm.example.com": (today + dt.timedelta(days=5), "Planned: 甲公司",
                                              f"https://crm.example.com/customers/{mine.pk}/"),
    }


def test_regenerating_stops_the_old_address_and_unknown_is_404(actors, client):
    old = feed_regenerate(user=actors.rep_a1).secret
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    new = feed_regenerate(user=actors.rep_a1).secret
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.get("/calendar/not-a-secret.ics").status_code == 404


def test_feed_of_an_inactive_person_is_404(actors, client):
    secret = feed_regenerate(user=actors.rep_a1).secret
    actors.rep_a1.is_active = False
    actors.rep_a1.save()
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


@override_settings(SITE_URL="https://crm.example.com")
def test_account_page_shows_the_absolute_address_and_makes_a_new_one(actors, client):
    client.force_login(actors.rep_a1)
    assert client.get("/account/calendar/").context["feed_url"] == ""
    assert client.post("/account/calendar/").status_code == 302
    first = client.get("/account/calendar/").context["feed_url"]
    assert first == f"https://crm.example.com/calendar/{actors.rep_a1.calendar_feed.secret}.ics"
    client.post("/account/calendar/")
    second = client.get("/account/calendar/").context["feed_url"]
    assert second != first and second.startswith("https://crm.example.com/calendar/")
