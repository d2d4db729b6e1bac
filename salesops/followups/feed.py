"""The private calendar feed (API.md ``/calendar/<secret>.ics``): due follow-ups and planned visits.

Events are all-day dates (no time zone to get wrong): the next-due date of every customer the person owns
(R10) with its name and grade, and the next follow-up date the person planned on their latest record of
each customer they still own (R11). Only the next ``FEED_DAYS`` days; UIDs stay the same when a date
moves, so calendar apps update the event instead of adding another. Scope (R1): the owner's own
customers and records only, read through ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.customers.models import Customer
from salesops.followups.models import CalendarFeed, FollowUp, new_feed_secret

FEED_DAYS = 60


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret for the user's feed (created on first use); the old address stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.secret = new_feed_secret()
        feed.save(update_fields=["secret", "created_at"])
    return feed


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("calendar-feed", args=[feed.secret])


def feed_user(secret: str) -> User | None:
    """The active owner of the feed with this secret, or None (the view answers 404)."""
    feed = CalendarFeed.objects.filter(secret=secret).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_ics(user: User, today: dt.date | None = None) -> bytes:
    """The iCalendar document of the user's next ``FEED_DAYS`` days."""
    today = today or local_today()
    until = today + dt.timedelta(days=FEED_DAYS)
    host = urlsplit(settings.SITE_URL).hostname or "salesops"
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//salesops//calendar feed//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Follow-ups of %(name)s") % {"name": user.display_name})
    calendar.add("x-wr-timezone", str(settings.TIME_ZONE))
    due = (
        Customer.objects.visible_to(user).active().filter(owner=user, next_due_at__gte=today, next_due_at__lt=until)
        .only("id", "name", "grade", "next_due_at").order_by("next_due_at", "pk")
    )
    for customer in due:
        assert customer.next_due_at is not None
        grade = customer.grade or _("not graded")
        calendar.add_component(_event(
            uid=f"due-{customer.pk}@{host}", day=customer.next_due_at, stamp=stamp,
            summary=_("Follow up %(name)s (%(grade)s)") % {"name": customer.name, "grade": grade},
            url=settings.SITE_URL + reverse("customer-detail", args=[customer.pk]),
        ))
    planned = (
        FollowUp.objects.visible_to(user)
        .filter(author=user, is_active=True, customer__owner=user, customer__is_active=True)
        .order_by("customer_id", "-contacted_at", "-id").select_related("customer")
        .only("id", "customer__id", "customer__name", "customer__grade", "next_followup_at", "channel", "next_step")
    )
    latest: dict[int, FollowUp] = {}
    for record in planned.filter(contacted_at__gte=timezone.now() - dt.timedelta(days=366)).iterator():
        latest.setdefault(record.customer_id, record)
    for record in latest.values():
        day = record.next_followup_at
        if day is None or not today <= day < until:
            continue
        calendar.add_component(_event(
            uid=f"plan-{record.pk}@{host}", day=day, stamp=stamp,
            summary=_("Planned: %(name)s") % {"name": record.customer.name}, description=record.next_step,
            url=settings.SITE_URL + reverse("customer-detail", args=[record.customer_id]),
        ))
    return calendar.to_ical()


def _event(*, uid: str, day: dt.date, stamp: dt.datetime, summary: str, url: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", "\n".join(part for part in (description, url) if part))
    event.add("transp", "TRANSPARENT")
    return event
