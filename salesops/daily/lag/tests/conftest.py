"""Days of visits and visit targets for the lag tests (R19): a rep's daily target written as the lead's
save leaves it (R4), visits as follow-ups on the visit channel (what the engine counts, R21)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from salesops.accounts.models import User
from salesops.core.clock import day_start
from salesops.customers.models import Customer
from salesops.daily.targets.models import DayTarget, DayTargetSet
from salesops.followups.models import FollowUp


def set_visit_target(rep: User, day: dt.date, value: int) -> None:
    assert rep.team is not None
    day_set, _created = DayTargetSet.objects.get_or_create(team_id=rep.team_id, day=day,
                                                           defaults={"set_by_id": rep.team.lead_id})
    DayTarget.objects.update_or_create(target_set=day_set, team_id=rep.team_id, day=day, user=rep, metric="visits",
                                       defaults={"value": Decimal(value)})


def log_visits(rep: User, day: dt.date, count: int) -> None:
    name = f"{rep.display_name}拜访客户有限公司"
    customer = Customer.objects.filter(name=name).first() or Customer.objects.create(name=name, name_key=name,
                                                                                      owner=rep)
    FollowUp.objects.bulk_create(
        FollowUp(customer=customer, author=rep, author_team_id=rep.team_id, channel="visit", key_points="拜访",
                 contacted_at=day_start(day) + dt.timedelta(hours=10, minutes=index))
        for index in range(count)
    )


@pytest.fixture
def day_of() -> Callable[[User, dt.date, int | None, int], None]:
    """``day_of(rep, day, target, visits)``: the rep's visit target (None: none set) and visits of a day."""

    def make(rep: User, day: dt.date, target: int | None, visits: int) -> None:
        if target is not None:
            set_visit_target(rep, day, target)
        if visits:
            log_visits(rep, day, visits)

    return make
