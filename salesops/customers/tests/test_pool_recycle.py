"""R15 return to the pool: more than N working days (R2) without a follow-up, N per grade, against
hand-computed dates in March 2026 (no holidays or make-up days that month); each former owner told once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from salesops.customers.models import Customer, Grade, OwnershipEvent
from salesops.customers.pool import services as pool
from salesops.jobs import registry
from salesops.notifications.models import Notification
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def settings_7_10_12(org):
    settings = rule_settings()
    settings.pool_days_a, settings.pool_days_b, settings.pool_days_c = 7, 10, 12
    settings.save()
    return settings


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


LONG_AGO = at(dt.date(2026, 1, 5))


def customer(name, owner, grade, *, followed=None, created=LONG_AGO) -> Customer:
    row = Customer.objects.create(name=name, name_key=name, owner=owner, grade=grade)
    Customer.objects.filter(pk=row.pk).update(
        created_at=created, last_followup_at=followed
    )
    return row


def owners() -> dict[str, int | None]:
    return dict(Customer.objects.values_list("name", "owner_id"))


def test_each_grade_returns_after_its_own_number_of_working_days(actors, settings_7_10_12,
                                                                  django_capture_on_commit_callbacks, monkeypatch):
    rep = actors.rep_a1
    # A, 7 working days: Mar 6 is 8 working days before Mar 18 (9-13, 16-18), Mar 9 is 7, Mar 10 is 6
    customer("A8", rep, Grade.A, followed=at(dt.date(2026, 3, 6), 17))
    customer("A7", rep, Grade.A, followed=at(dt.date(2026, 3, 9), 8))
    customer("A6", rep, Grade.A, followed=at(dt.date(2026, 3, 10)))
    # B, 10 working days: Mar 3 is 11 before Mar 18, Mar 4 is 10
    customer("B11", rep, Grade.B, followed=at(dt.date(2026, 3, 3)))
    customer("B10", rep, Grade.B, followed=at(dt.date(2026, 3, 4)))
    # C, 12 working days: Feb 27 (Fri) is 13 before Mar 18, Mar 2 is 12; ungraded counts as C
    customer("C13", rep, Grade.C, followed=at(dt.date(2026, 2, 27)))
    customer("C12", rep, Grade.C, followed=at(dt.date(2026, 3, 2)))
    customer("N13", rep, None, followed=None, created=at(dt.date(2026, 2, 27)))
    customer("N12", rep, None, followed=None, created=at(dt.date(2026, 3, 2)))
    customer("pool", None, Grade.A)
    night = timezone.make_aware(dt.datetime(2026, 3, 18, 2, 0))
    monkeypatch.setattr(timezone, "now", lambda: night)
    with django_capture_on_commit_callbacks(execute=True):
        result = pool.pool_recycle(day=DAY)
    assert result == {"recycled": 4, "owners_told": 1}
    assert owners() == {
        "A8": None, "A7": rep.pk, "A6": rep.pk, "B11": None, "B10": rep.pk, "C13": None, "C12": rep.pk,
        "N13": None, "N12": rep.pk, "pool": None,
    }
    events = OwnershipEvent.objects.filter(kind="recycle")
    assert sorted(e.customer.name for e in events) == ["A8", "B11", "C13", "N13"]
    assert {(e.from_user_id, e.to_user_id, e.by_id) for e in events} == {(rep.pk, None, None)}
    # exactly the recycled customers are marked as back in the pool, at the time of the run
    pooled = dict(Customer.objects.filter(pooled_at__isnull=False).values_list("name", "pooled_at"))
    assert pooled == {"A8": night, "B11": night, "C13": night, "N13": night}


def test_a_customer_just_claimed_or_transferred_is_not_returned(actors, settings_7_10_12):
    claimed = customer("claimed", actors.rep_a1, Grade.A, followed=at(dt.date(2026, 2, 2)))
    moved_away = customer("moved", actors.rep_a1, Grade.A, followed=at(dt.date(2026, 2, 2)))
    OwnershipEvent.objects.create(customer=claimed, kind="claim", to_user=actors.rep_a1)
    OwnershipEvent.objects.create(customer=moved_away, kind="transfer", to_user=actors.rep_a2)
    OwnershipEvent.objects.filter(customer__in=[claimed, moved_away]).update(at=at(dt.date(2026, 3, 16)))
    assert pool.pool_recycle(day=DAY) == {"recycled": 1, "owners_told": 1}
    assert owners() == {"claimed": actors.rep_a1.pk, "moved": None}


def test_each_former_owner_is_told_once_with_the_count(actors, settings_7_10_12, django_capture_on_commit_callbacks):
    for person in (actors.rep_a1, actors.rep_a2):
        person.language = "en"
        person.save()
    for n in range(12):
        customer(f"甲{n:02d}", actors.rep_a1, Grade.A, followed=at(dt.date(2026, 3, 2)))
    customer("乙", actors.rep_a2, Grade.B, followed=at(dt.date(2026, 2, 2)))
    customer("丙", actors.rep_b1, Grade.A, followed=at(dt.date(2026, 3, 17)))
    with django_capture_on_commit_callbacks(execute=True):
        pool.pool_recycle(day=DAY)
    told = {n.user_id: n for n in Notification.objects.all()}
    assert set(told) == {actors.rep_a1.pk, actors.rep_a2.pk}
    first = told[actors.rep_a1.pk]
    assert (first.kind, first.url) == ("pool_recycle", "/pool/")
    assert first.title == "12 customers returned to the public pool"
    listed = "、".join(f"甲{n:02d}" for n in range(10))
    assert first.body == f"Not followed up in time: {listed} and 2 more."
    named = Customer.objects.filter(name__in=[f"甲{n:02d}" for n in range(10)]).order_by("pk")
    assert first.links == [{"text": c.name, "url": f"/customers/{c.pk}/"} for c in named]  # each name, its page
    second = told[actors.rep_a2.pk]
    assert (second.title, second.body) == ("1 customer returned to the public pool", "Not followed up in time: 乙.")
    # idempotent per date: nothing more to return, nobody told again
    with django_capture_on_commit_callbacks(execute=True):
        assert pool.pool_recycle(day=DAY) == {"recycled": 0, "owners_told": 0}
    assert Notification.objects.count() == 2


def test_the_cutoff_skips_days_off(org):
    """Over the 2026 Spring Festival (Feb 15-23 off, Feb 14 and 28 worked) the count is of working days."""
    from salesops.organisation.selectors import work_calendar

    # 3 working days back from Wed Feb 25, Feb 25 included: 25, 24, then Feb 14 (make-up Saturday)
    assert pool.pool_cutoff(dt.date(2026, 2, 25), 2, work_calendar()) == at(dt.date(2026, 2, 14), 0)


def test_the_pool_recycle_job_is_registered_for_working_days(org):
    job = registry.get("pool_recycle")
    assert job.workdays_only is True
    assert job.function(DAY) == {"recycled": 0, "owners_told": 0}
