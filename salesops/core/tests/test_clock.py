"""R2: "today" and a day's start are the organisation's (Asia/Shanghai), whatever time zone is active."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.core.clock import day_start, local_today

#: 17:30 UTC on 4 March is 01:30 on 5 March in Shanghai.
LATE_EVENING_UTC = dt.datetime(2026, 3, 4, 17, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("active", ["UTC", "America/Los_Angeles", "Asia/Shanghai"])
def test_today_is_the_organisations_date_whatever_time_zone_is_active(monkeypatch, active):
    monkeypatch.setattr(timezone, "now", lambda: LATE_EVENING_UTC)
    with timezone.override(active):
        assert local_today() == dt.date(2026, 3, 5)


def test_a_day_starts_at_midnight_in_the_organisations_time_zone():
    with timezone.override("UTC"):
        start = day_start(dt.date(2026, 3, 5))
    assert start == dt.datetime(2026, 3, 4, 16, 0, tzinfo=dt.UTC)
    assert timezone.localtime(start, timezone.get_default_timezone()).hour == 0
