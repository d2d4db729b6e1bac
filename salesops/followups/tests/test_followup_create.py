"""followup_create and its corrections (R11): late marks, contact time bounds, scope (R1), check-in
distance, photos checked by content, and the cadence moving with each follow-up (R10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.customers.models import Contact, Customer
from salesops.followups import services
from salesops.followups.models import FollowUp, VisitPhoto
from salesops.followups.tests.conftest import JPEG, PDF, PNG, WEBP, local
from salesops.organisation.models import RuleSettings


def create(by, customer, **fields) -> FollowUp:
    fields.setdefault("contacted_at", local(2026, 3, 4, 14, 0))
    fields.setdefault("channel", "phone")
    fields.setdefault("key_points", "客户询问交期和付款方式")
    return services.followup_create(by=by, customer=customer, **fields)


@pytest.fixture
def customer(actors, make_customer, clock) -> Customer:
    return make_customer(owner=actors.rep_a1)


@pytest.mark.parametrize(("minutes_after", "late"), [(120, False), (121, True), (5, False)])
def test_late_after_two_hours(actors, customer, clock, minutes_after, late):
    contacted = local(2026, 3, 4, 10, 0)
    clock.set(contacted + dt.timedelta(minutes=minutes_after))
    followup = create(actors.rep_a1, customer, contacted_at=contacted)
    assert followup.late is late
    assert FollowUp.objects.get(pk=followup.pk).late is late
    assert followup.logged_at == clock.now


def test_late_follows_the_setting(actors, customer, clock):
    RuleSettings.objects.update_or_create(pk=1, defaults={"followup_log_hours": 3})
    contacted = local(2026, 3, 4, 10, 0)
    clock.set(contacted + dt.timedelta(hours=2, minutes=1))
    assert create(actors.rep_a1, customer, contacted_at=contacted).late is False
    clock.set(contacted + dt.timedelta(hours=3))
    assert create(actors.rep_a1, customer, contacted_at=contacted).late is False
    clock.set(contacted + dt.timedelta(hours=3, minutes=1))
    assert create(actors.rep_a1, customer, contacted_at=contacted).late is True


@pytest.mark.parametrize("ahead", [dt.timedelta(minutes=6), dt.timedelta(days=1)])
def test_future_contact_time_is_refused_and_nothing_is_created(actors, customer, clock, ahead):
    with pytest.raises(Invalid) as error:
        create(actors.rep_a1, customer, contacted_at=clock.now + ahead)
    assert list(error.value.message_dict) == ["contacted_at"]
    assert FollowUp.objects.count() == 0
    customer.refresh_from_db()
    assert customer.next_due_at is None


def test_a_few_minutes_of_clock_skew_are_allowed(actors, customer, clock):
    followup = create(actors.rep_a1, customer, contacted_at=clock.now + dt.timedelta(minutes=4))
    assert followup.late is False


def test_absurdly_old_contact_time_is_refused(actors, customer, clock):
    with pytest.raises(Invalid) as error:
        create(actors.rep_a1, customer, contacted_at=clock.now - dt.timedelta(days=91))
    assert "contacted_at" in error.value.message_dict
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("who", ["rep_a2", "rep_b1", "lead_b", "lead_c", "rep_c1"])
def test_customer_outside_the_authors_reach_is_not_found(actors, customer, who):
    with pytest.raises(NotFound):
        create(getattr(actors, who), customer)
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("who", ["rep_a1", "lead_a", "director", "admin"])
def test_owner_and_owners_managers_may_log(actors, customer, who):
    followup = create(getattr(actors, who), customer)
    assert followup.author == getattr(actors, who)
    # R21: the record keeps its author's team of the moment (none for a director)
    assert FollowUp.objects.get(pk=followup.pk).author_team_id == getattr(actors, who).team_id


def test_pool_and_inactive_customers_take_no_followups(actors, make_customer, clock):
    pooled = make_customer(owner=None)
    gone = make_customer(owner=actors.rep_a1, is_active=False)
    for target in (pooled, gone):
        with pytest.raises(NotFound):
            create(actors.admin, target)
    assert FollowUp.objects.count() == 0


def test_next_date_must_come_after_the_contact(actors, customer):
    with pytest.raises(Invalid) as error:
        create(actors.rep_a1, customer, next_followup_at=dt.date(2026, 3, 4))
    assert list(error.value.message_dict) == ["next_followup_at"]
    assert FollowUp.objects.count() == 0


def test_contact_of_another_customer_is_refused(actors, customer, make_customer):
    other = make_customer(owner=actors.rep_a1, name="另一家")
    stranger = Contact.objects.create(customer=other, name="周经理")
    with pytest.raises(Invalid) as error:
        create(actors.rep_a1, customer, contact=stranger)
    assert list(error.value.message_dict) == ["contact"]
    assert FollowUp.objects.count() == 0


def test_checkin_distance_in_metres(actors, make_customer, clock):
    # Two points in Shanghai 1.68 km apart (spherical law of cosines, Earth radius 6,371 km: 1680.8 m).
    customer = make_customer(owner=actors.rep_a1, latitude=Decimal("31.240000"), longitude=Decimal("121.490000"))
    followup = create(
        actors.rep_a1, customer, channel="visit",
        checkin_latitude=Decimal("31.232000"), checkin_longitude=Decimal("121.475000"),
    )
    assert followup.checkin_distance_m == 1681
    assert services.haversine_m(0, 0, 0, 1) == 111195
    assert services.haversine_m(31.24, 121.49, 31.24, 121.49) == 0


def test_checkin_without_customer_position_keeps_the_point_without_distance(actors, customer):
    followup = create(actors.rep_a1, customer, checkin_latitude=Decimal("31.2"), checkin_longitude=Decimal("121.4"))
    assert (followup.checkin_latitude, followup.checkin_distance_m) == (Decimal("31.200000"), None)


@pytest.mark.parametrize(
    ("lat", "lon"), [(Decimal("31.2"), None), (Decimal("91"), Decimal("121")), (Decimal("31"), Decimal("-181"))]
)
def test_bad_checkin_is_refused(actors, customer, lat, lon):
    with pytest.raises(Invalid) as error:
        create(actors.rep_a1, customer, checkin_latitude=lat, checkin_longitude=lon)
    assert list(error.value.message_dict) == ["checkin_latitude"]
    assert FollowUp.objects.count() == 0


def test_photos_are_kept(actors, customer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photos = [
        SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"),
        SimpleUploadedFile("b.png", PNG, "image/png"),
        SimpleUploadedFile("c.webp", WEBP, "image/webp"),
    ]
    followup = create(actors.rep_a1, customer, channel="visit", photos=photos)
    assert VisitPhoto.objects.filter(followup=followup).count() == 3


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("scan.jpg", PDF, "image/jpeg"),  # a PDF named and typed as a JPEG
        SimpleUploadedFile("x.png", b"GIF89a" + b"\x00" * 20, "image/png"),
        SimpleUploadedFile("empty.jpg", b"", "image/jpeg"),
    ],
)
def test_photos_of_the_wrong_type_are_refused(actors, customer, upload):
    with pytest.raises(Invalid) as error:
        create(actors.rep_a1, customer, channel="visit", photos=[upload])
    assert list(error.value.message_dict) == ["photos"]
    assert (FollowUp.objects.count(), VisitPhoto.objects.count()) == (0, 0)


@override_settings(UPLOAD_MAX_BYTES=50)
def test_photos_over_the_size_limit_are_refused(actors, customer):
    with pytest.raises(Invalid):
        create(actors.rep_a1, customer, photos=[SimpleUploadedFile("big.png", PNG, "image/png")])
    assert FollowUp.objects.count() == 0


def test_the_cadence_moves_with_each_followup(actors, customer, clock):
    customer_row = Customer.objects.get(pk=customer.pk)
    assert customer_row.next_due_at is None  # never computed yet
    create(actors.rep_a1, customer, contacted_at=local(2026, 3, 4, 14))
    customer.refresh_from_db()
    assert customer.next_due_at == dt.date(2026, 3, 5)  # A: the next working day
    assert customer.last_followup_at == local(2026, 3, 4, 14)
    # Friday 03-06: the next working day is Monday 03-09.
    clock.set(local(2026, 3, 6, 15))
    create(actors.rep_a1, customer, contacted_at=local(2026, 3, 6, 14), channel="visit")
    customer.refresh_from_db()
    assert (customer.next_due_at, customer.last_visit_at) == (dt.date(2026, 3, 9), local(2026, 3, 6, 14))


def test_author_corrects_within_the_window_only(actors, customer, clock):
    followup = create(actors.rep_a1, customer)
    updated = services.followup_update(followup=followup, by=actors.rep_a1, key_points="改：客户要样品",
                                       next_followup_at=dt.date(2026, 3, 5))
    assert updated.key_points == "改：客户要样品"
    with pytest.raises(PermissionDenied):
        services.followup_update(followup=followup, by=actors.lead_a, key_points="组长改")
    with pytest.raises(Invalid):
        services.followup_update(followup=followup, by=actors.rep_a1, contacted_at=clock.now)
    clock.set(clock.now + dt.timedelta(hours=2, minutes=1))
    with pytest.raises(Invalid):
        services.followup_update(followup=followup, by=actors.rep_a1, key_points="太晚了")
    assert FollowUp.objects.get(pk=followup.pk).key_points == "改：客户要样品"


def test_withdrawing_moves_the_cadence_back(actors, customer, clock):
    create(actors.rep_a1, customer, contacted_at=local(2026, 3, 3, 10))
    second = create(actors.rep_a1, customer, contacted_at=local(2026, 3, 4, 10))
    customer.refresh_from_db()
    assert customer.next_due_at == dt.date(2026, 3, 5)
    services.followup_delete(followup=second, by=actors.rep_a1)
    customer.refresh_from_db()
    assert customer.next_due_at == dt.date(2026, 3, 4)
    assert FollowUp.objects.get(pk=second.pk).is_active is False
    with pytest.raises(NotFound):
        services.followup_delete(followup=second, by=actors.rep_a1)
