"""Reads of the organisation: the rule settings accessor and the working calendar."""

from __future__ import annotations

from salesops.organisation.models import CalendarDay, Organisation, RuleSettings
from salesops.organisation.workcal import WorkCalendar


def rule_settings() -> RuleSettings:
    """The one accessor for every number in DOMAIN.md (R2-R23); defaults are the manual's values."""
    settings, _created = RuleSettings.objects.get_or_create(pk=1)
    return settings


def work_calendar() -> WorkCalendar:
    """The working calendar (R2) with the company's own days loaded in one query."""
    rows = CalendarDay.objects.filter(is_active=True).values_list("date", "kind")
    return WorkCalendar({day: kind == CalendarDay.Kind.WORKDAY for day, kind in rows})


def organisation() -> Organisation:
    return Organisation.load()


def setup_needed() -> bool:
    return Organisation.objects.filter(pk=1, setup_completed_at__isnull=False).exists() is False
