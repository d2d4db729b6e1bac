"""The organisation's clock (R2): today's date and the moments days start, in the organisation's time zone
(``TIME_ZONE``, Asia/Shanghai by default) whatever time zone a request may have activated. Every "today"
and every day boundary in the code comes from here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_today() -> dt.date:
    """Today in the organisation's time zone."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def day_start(day: dt.date) -> dt.datetime:
    """The moment ``day`` starts (midnight) in the organisation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def week_end(day: dt.date) -> dt.date:
    """The Sunday of ``day``'s week (weeks run Monday to Sunday, ISO 8601): the last day "this week" covers."""
    return day + dt.timedelta(days=6 - day.weekday())
