"""R4's suggested split: what is left of the month's targets over the working days left (the day
included, R2), weighted by the people's month targets, in shares that add up exactly (largest remainder)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesops.daily.targets.suggestion import CENT, WHOLE, split_exactly, suggested_split
from salesops.organisation.models import CalendarDay
from salesops.performance.engine import Subject
from salesops.performance.periods import Period
from salesops.performance.targets import services as targets
from salesops.testing.money_factories import make_deal

DAY = dt.date(2026, 11, 26)  # a Thursday: the 26th, 27th and 30th are the working days left
MONTH = Period.parse("2026-11")


def _target(by, subject, metric, value):
    targets.target_set(by=by, subject=subject, period=MONTH, metric=metric, value=value)


def test_what_is_left_over_the_working_days_left_weighted_by_month_targets(actors):
    _target(actors.lead_a, Subject.team(actors.team_a.pk), "deals", 20)
    _target(actors.lead_a, Subject.person(actors.rep_a1.pk), "deals", 12)
    _target(actors.lead_a, Subject.person(actors.rep_a2.pk), "deals", 8)
    for _ in range(5):
        make_deal(actors.rep_a1, signed_at=dt.date(2026, 11, 10))
    make_deal(actors.rep_a2, signed_at=dt.date(2026, 11, 25))
    make_deal(actors.rep_a2, signed_at=DAY)  # the day itself is still to be done
    found = suggested_split(team_id=actors.team_a.pk, day=DAY)
    # 20 - 6 done = 14 left over 3 working days: 4.67, rounded up to 5; shares 12:8:0 of 5 = 3, 2, 0
    assert found.team == {"deals": 5}
    assert found.members == {actors.rep_a1.pk: {"deals": 3}, actors.rep_a2.pk: {"deals": 2},
                             actors.lead_a.pk: {"deals": 0}}


def test_money_to_the_cent_adds_up_and_a_holiday_counts_no_day(actors):
    CalendarDay.objects.create(date=dt.date(2026, 11, 27), kind=CalendarDay.Kind.DAY_OFF, note="司庆")
    _target(actors.lead_a, Subject.team(actors.team_a.pk), "sales_amount", "100000")
    for person, value in ((actors.rep_a1, "50000"), (actors.rep_a2, "25000"), (actors.lead_a, "25000")):
        _target(actors.admin, Subject.person(person.pk), "sales_amount", value)
    found = suggested_split(team_id=actors.team_a.pk, day=DAY)
    assert found.team == {"sales_amount": Decimal("50000.00")}  # two working days left: the 26th and the 30th
    shares = [found.members[p.pk]["sales_amount"] for p in (actors.rep_a1, actors.rep_a2, actors.lead_a)]
    assert shares == [Decimal("25000.00"), Decimal("12500.00"), Decimal("12500.00")]


def test_without_month_targets_nothing_is_suggested_and_people_targets_stand_in(actors):
    assert suggested_split(team_id=actors.team_a.pk, day=DAY).team == {}
    _target(actors.lead_a, Subject.person(actors.rep_a1.pk), "deals", 7)
    _target(actors.lead_a, Subject.person(actors.rep_a2.pk), "deals", 2)
    found = suggested_split(team_id=actors.team_a.pk, day=DAY)
    assert found.team == {"deals": 3} and sum(s["deals"] for s in found.members.values()) == 3


def test_an_uneven_split_by_largest_remainder():
    assert split_exactly(Decimal(5), [Decimal(1)] * 3, WHOLE) == [2, 2, 1]
    assert split_exactly(Decimal("0.10"), [Decimal(1)] * 3, CENT) == [Decimal("0.04"), Decimal("0.03"),
                                                                       Decimal("0.03")]
    assert split_exactly(Decimal(7), [Decimal(0), Decimal(0)], WHOLE) == [4, 3]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
    cents=st.booleans(),
)
def test_shares_always_add_up_and_stay_within_one_unit_of_their_quota(units, weights, cents):
    unit = CENT if cents else WHOLE
    total = units * unit
    chosen = [Decimal(w) for w in weights]
    shares = split_exactly(total, chosen, unit)
    assert sum(shares, Decimal(0)) == total
    whole = sum(chosen) or len(chosen)
    for share, weight in zip(shares, chosen if sum(chosen) else [Decimal(1)] * len(chosen), strict=True):
        assert share % unit == 0 and abs(share - total * weight / whole) < unit
