"""Reads of the organisation: the rule settings accessor, the working calendar and the settings' history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet

from salesops.organisation.models import CalendarDay, Organisation, RuleSettings, rule_setting_field
from salesops.organisation.workcal import WorkCalendar


def rule_settings() -> RuleSettings:
    """The one accessor for every number in DOMAIN.md (R2-R23); defaults are the manual's values."""
    settings, _created = RuleSettings.objects.get_or_create(pk=1)
    return settings


def work_calendar() -> WorkCalendar:
    """The working calendar (R2) with the company's own days and their notes loaded in one query."""
    rows = CalendarDay.objects.filter(is_active=True).values_list("date", "kind", "note")
    company_days: dict[dt.date, bool] = {}
    notes: dict[dt.date, str] = {}
    for day, kind, note in rows:
        company_days[day] = kind == CalendarDay.Kind.WORKDAY
        notes[day] = note
    return WorkCalendar(company_days, notes)


def company_days(*, year: int | None = None) -> QuerySet[CalendarDay]:
    """The company's active own days (R2), oldest first; one year's when ``year`` is given."""
    days = CalendarDay.objects.filter(is_active=True).order_by("date")
    if year is not None:
        days = days.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    return days


@dataclass(frozen=True)
class SettingChange:
    """One field of one saved version of the rule settings: who changed it, when, from what to what."""

    changed_at: dt.datetime
    by: Any
    field: str
    label: str
    old: str
    new: str


def _shown(field: str, value: Any) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    choices = dict(rule_setting_field(field).flatchoices)
    return str(choices.get(value, value))


def rule_setting_changes(*, limit: int = 20) -> list[SettingChange]:
    """The latest changes to the rule settings from simple-history, newest first, field by field."""
    history = RuleSettings.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(history[: limit + 1])
    changes: list[SettingChange] = []
    for newer, older in pairwise(records):
        delta = newer.diff_against(older, excluded_fields=["updated_at"])
        for change in delta.changes:
            label = str(rule_setting_field(change.field).verbose_name)
            changes.append(
                SettingChange(
                    changed_at=newer.history_date,
                    by=newer.history_user,
                    field=change.field,
                    label=label,
                    old=_shown(change.field, change.old),
                    new=_shown(change.field, change.new),
                )
            )
    return changes[:limit]


def organisation() -> Organisation:
    return Organisation.load()


def setup_needed() -> bool:
    return Organisation.objects.filter(pk=1, setup_completed_at__isnull=False).exists() is False
