"""Writes of follow-up records 客户跟进记录表 (R11): create, correct, withdraw.

Who may log: the customer's owner, or someone whose scope covers the owner (their lead, director, an
admin). A customer outside the caller's scope, in the public pool or inactive answers 404 (R1), as if
it did not exist. Every write recomputes the customer's cadence (R10) in the same transaction.

Corrections: only the author, and only within the logging window (``followup_log_hours`` after the
record was logged). The contact time is never corrected: ``late`` (R11) is measured from it, so moving
it would undo a late mark. A correction after the window is a new follow-up record.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from salesops.accounts.models import User
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.core.files import PHOTOS, accept_upload
from salesops.core.versioning import version_check
from salesops.customers.models import Contact, Customer
from salesops.followups.cadence import cadence_refresh
from salesops.followups.models import Channel, FollowUp, VisitPhoto
from salesops.organisation.selectors import rule_settings

#: Clock skew tolerated between a phone and the server before a contact time counts as "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)
#: The oldest contact one may still log: older ones are typing mistakes (a wrong year), not late logs.
MAX_AGE = dt.timedelta(days=90)
#: A next follow-up date further ahead than this is a typing mistake too.
MAX_PLAN_AHEAD = dt.timedelta(days=366)
MAX_PHOTOS = 9
#: Customers whose first visits are recomputed per round trip (under SQLite's parameter limit).
FIRST_VISIT_BATCH = 400
EARTH_RADIUS_M = 6_371_000
EDITABLE_FIELDS = ("channel", "key_points", "feedback", "next_step", "next_followup_at", "is_survey", "contact")


def haversine_m(lat1: Decimal | float, lon1: Decimal | float, lat2: Decimal | float, lon2: Decimal | float) -> int:
    """Great-circle distance in whole metres between two WGS-84 points."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def _check_photos(photos: Sequence[UploadedFile]) -> list[File[Any]]:
    """The photos, each checked by content and size (``core.files``: JPEG, PNG or WebP), ready to store
    under a name the server chooses; the name the phone sent is not trusted for anything."""
    if len(photos) > MAX_PHOTOS:
        raise Invalid(fields={"photos": _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}})
    return [accept_upload(photo, allowed=PHOTOS, field="photos") for photo in photos]


def can_log_followup(by: User, customer: Customer) -> bool:
    """R11 with R1: an active customer's owner, or someone who manages the owner (``followups.log_followup``)."""
    return customer.is_active and by.has_perm("followups.log_followup", customer)


def _locked_customer(by: User, customer: Customer) -> Customer:
    """The customer, row-locked so two follow-ups of it recompute the cadence one after the other."""
    locked = (
        Customer.objects.visible_to(by).select_for_update(of=("self",)).select_related("owner")
        .filter(pk=customer.pk).first()
    )
    if locked is None or not can_log_followup(by, locked):
        raise NotFound(_("No such customer."))
    return locked


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def contact_time_error(contacted_at: dt.datetime, now: dt.datetime) -> str | None:
    """R11: why a contact time cannot be logged (in the future, or so old it is a typing mistake), or None.
    The one check that the form, the API and the follow-up sheet import all use."""
    if contacted_at > now + CLOCK_SKEW:
        return _("The contact time cannot be in the future.")
    if contacted_at < now - MAX_AGE:
        return _("The contact time is more than %(days)d days ago; check the date.") % {"days": MAX_AGE.days}
    return None


def logged_late(*, contacted_at: dt.datetime, logged_at: dt.datetime, log_hours: int) -> bool:
    """R11: a record logged more than the rule's hours after the contact is late (kept, and marked so)."""
    return logged_at - contacted_at > dt.timedelta(hours=log_hours)


def _check_contact_time(contacted_at: dt.datetime, now: dt.datetime) -> None:
    message = contact_time_error(contacted_at, now)
    if message is not None:
        raise Invalid(fields={"contacted_at": message})


def _check_next_date(next_followup_at: dt.date | None, contacted_at: dt.datetime) -> None:
    if next_followup_at is None:
        return
    contact_day = timezone.localtime(contacted_at).date()
    if next_followup_at <= contact_day:
        raise Invalid(fields={"next_followup_at": _("The next follow-up date must come after the contact.")})
    if next_followup_at > contact_day + MAX_PLAN_AHEAD:
        raise Invalid(fields={"next_followup_at": _("The next follow-up date is more than a year ahead.")})


def _check_fields(fields: dict[str, Any], customer: Customer) -> None:
    if "channel" in fields and fields["channel"] not in Channel.values:
        raise Invalid(fields={"channel": _("Choose a channel: phone, WeChat, visit, email or other.")})
    if "key_points" in fields and not str(fields["key_points"] or "").strip():
        raise Invalid(fields={"key_points": _("Write down the key points of the contact.")})
    contact = fields.get("contact")
    if contact is not None and (contact.customer_id != customer.pk or not contact.is_active):
        raise Invalid(fields={"contact": _("This contact does not belong to the customer.")})


def _checkin(
    customer: Customer, latitude: Decimal | None, longitude: Decimal | None
) -> tuple[Decimal | None, Decimal | None, int | None]:
    """The check-in point (both coordinates or neither) and its distance from the customer in metres."""
    if (latitude is None) != (longitude is None):
        raise Invalid(fields={"checkin_latitude": _("A check-in needs both latitude and longitude.")})
    if latitude is None or longitude is None:
        return None, None, None
    latitude = Decimal(str(latitude)).quantize(Decimal("0.000001"))
    longitude = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Invalid(fields={"checkin_latitude": _("The check-in location is not a valid position.")})
    distance = None
    if customer.latitude is not None and customer.longitude is not None:
        distance = haversine_m(latitude, longitude, customer.latitude, customer.longitude)
    return latitude, longitude, distance


@transaction.atomic
def followup_create(
    *,
    by: User,
    customer: Customer,
    contacted_at: dt.datetime,
    channel: str,
    key_points: str,
    feedback: str = "",
    next_step: str = "",
    next_followup_at: dt.date | None = None,
    is_survey: bool = False,
    contact: Contact | None = None,
    checkin_latitude: Decimal | None = None,
    checkin_longitude: Decimal | None = None,
    photos: Sequence[UploadedFile] = (),
) -> FollowUp:
    """Log one contact (R11). ``late`` when logged more than ``followup_log_hours`` after the contact:
    the record is kept but marked, and counts against the author. Then the cadence moves (R10)."""
    customer = _locked_customer(by, customer)
    now = timezone.now()
    contacted_at = _aware(contacted_at)
    _check_contact_time(contacted_at, now)
    _check_next_date(next_followup_at, contacted_at)
    _check_fields({"channel": channel, "key_points": key_points, "contact": contact}, customer)
    latitude, longitude, distance = _checkin(customer, checkin_latitude, checkin_longitude)
    checked = _check_photos(photos)
    log_hours = rule_settings().followup_log_hours
    followup = FollowUp.objects.create(
        customer=customer,
        author=by,
        contact=contact,
        contacted_at=contacted_at,
        channel=channel,
        key_points=key_points.strip(),
        feedback=feedback.strip(),
        next_step=next_step.strip(),
        next_followup_at=next_followup_at,
        is_survey=is_survey,
        late=logged_late(contacted_at=contacted_at, logged_at=now, log_hours=log_hours),
        checkin_latitude=latitude,
        checkin_longitude=longitude,
        checkin_distance_m=distance,
    )
    for photo in checked:
        VisitPhoto.objects.create(followup=followup, image=photo)
    if channel == Channel.VISIT:
        first_visits_refresh(customer_ids=[customer.pk])
        followup.refresh_from_db(fields=["first_visit"])
    cadence_refresh(customer_ids=[customer.pk])
    return followup


def first_visits_refresh(*, customer_ids: Iterable[int]) -> None:
    """Mark each customer's first visit ever (R21 new-customer visits): its earliest active visit by contact
    time (then id) has ``first_visit``, no other record of it does. A visit logged late for an earlier day,
    a corrected channel, a withdrawn visit or a merge (R15) can move it, so every such write calls this.
    Three queries per ``FIRST_VISIT_BATCH`` customers, touching only the rows whose mark changes."""
    ids = sorted(set(customer_ids))
    for offset in range(0, len(ids), FIRST_VISIT_BATCH):
        batch = ids[offset : offset + FIRST_VISIT_BATCH]
        visits = FollowUp.objects.filter(customer_id__in=batch, channel=Channel.VISIT, is_active=True)
        first: dict[int, int] = {}
        for customer_id, pk in visits.order_by("customer_id", "contacted_at", "id").values_list("customer_id", "pk"):
            first.setdefault(customer_id, pk)
        firsts = list(first.values())
        FollowUp.objects.filter(customer_id__in=batch, first_visit=True).exclude(pk__in=firsts).update(
            first_visit=False)
        FollowUp.objects.filter(pk__in=firsts, first_visit=False).update(first_visit=True)


def _editable(followup: FollowUp, by: User, version: int | None = None) -> FollowUp:
    locked = FollowUp.objects.visible_to(by).select_for_update(of=("self",)).filter(pk=followup.pk, is_active=True)
    current = locked.first()
    if current is None:
        raise NotFound(_("No such follow-up record."))
    if current.author_id != by.pk:
        raise PermissionDenied(_("Only the author may change a follow-up record."))
    version_check(current, version)
    window = dt.timedelta(hours=rule_settings().followup_log_hours)
    if timezone.now() - current.logged_at > window:
        raise Invalid(
            _("A follow-up record can be changed within %(hours)d hours of logging it; log a new one instead.")
            % {"hours": int(window.total_seconds() // 3600)}
        )
    return current


@transaction.atomic
def followup_update(*, followup: FollowUp, by: User, version: int | None = None, **fields: Any) -> FollowUp:
    """Correct a follow-up (author only, within the logging window); the contact time stays as logged.
    ``version`` is the one the author read (two devices): an older one is refused as stale."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(fields={name: _("This field cannot be changed.") for name in sorted(unknown)})
    current = _editable(followup, by, version)
    customer = Customer.objects.get(pk=current.customer_id)
    _check_fields(fields, customer)
    if "next_followup_at" in fields:
        _check_next_date(fields["next_followup_at"], current.contacted_at)
    channel_changes = "channel" in fields and fields["channel"] != current.channel
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) and name != "channel" else value)
    current.save()
    if channel_changes:
        first_visits_refresh(customer_ids=[current.customer_id])
        current.refresh_from_db(fields=["first_visit"])
    cadence_refresh(customer_ids=[current.customer_id])
    return current


def followups_move(*, other: Customer, survivor: Customer, by: User, reason: str, at: dt.datetime) -> int:
    """R15 merge: every follow-up record of ``other`` now belongs to ``survivor``, with a history row each
    (R12) by ``by`` at ``at``; called inside the merge's transaction. Returns how many moved."""
    followups = list(FollowUp.objects.filter(customer=other))
    for followup in followups:
        followup.customer_id = survivor.pk
    bulk_update_with_history(followups, FollowUp, ["customer"], default_user=by, default_change_reason=reason,
                             default_date=at)
    first_visits_refresh(customer_ids=[survivor.pk])  # one company, one first visit
    return len(followups)


@transaction.atomic
def followup_delete(*, followup: FollowUp, by: User) -> FollowUp:
    """Withdraw a follow-up logged by mistake (author only, within the logging window): it is kept,
    inactive, and no longer counts for the cadence (R10)."""
    current = _editable(followup, by)
    current.is_active = False
    current.save(update_fields=["is_active"])
    if current.channel == Channel.VISIT:
        first_visits_refresh(customer_ids=[current.customer_id])
        current.refresh_from_db(fields=["first_visit"])
    cadence_refresh(customer_ids=[current.customer_id])
    return current
