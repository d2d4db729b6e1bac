"""Writes of the organisation: the rule settings (every number of DOMAIN.md) and the company's own
calendar days (R2). Each service checks the actor's permission, validates everything before it writes
(all or nothing), and leaves the who/when/old/new to simple-history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core.versioning import version_check
from salesops.organisation import signals
from salesops.organisation.models import CalendarDay, RuleSettings
from salesops.organisation.workcal import WorkCalendar

if TYPE_CHECKING:
    from salesops.accounts.models import User

# Every field an admin may change, in the model's order (the API and the settings page offer exactly these).
RULE_SETTING_FIELDS: tuple[str, ...] = tuple(
    field.name
    for field in RuleSettings._meta.concrete_fields
    if field.editable and not field.primary_key
)
CALENDAR_FIRST_DAY = dt.date(1900, 1, 1)
CALENDAR_LAST_DAY = dt.date(2100, 12, 31)
NOTE_MAX_LENGTH = 100


@transaction.atomic
def rule_settings_update(*, by: User, version: int | None = None, **values: Any) -> RuleSettings:
    """Change some rule settings (R2-R23) at once, or none of them.

    Values go through the model fields (so "08:30" or 3 are fine), their validators (ranges) and
    ``RuleSettings.clean()`` (the times make one ordered working day). Any error raises a
    ``ValidationError`` keyed by field and nothing is saved. Saving with no real change writes no
    history row; otherwise simple-history records who changed what. ``version`` is the one the editor
    read: an older one is refused (``Conflict`` ``stale``, ``core.versioning``) and nothing changes.
    """
    if not by.has_perm("organisation.manage_settings"):
        raise PermissionDenied(_("Only an admin may change the rule settings."))
    unknown = sorted(set(values) - set(RULE_SETTING_FIELDS))
    if unknown:
        raise ValidationError({name: _("There is no rule setting of this name.") for name in unknown})
    settings = RuleSettings.for_update()
    version_check(settings, version)
    before = {name: getattr(settings, name) for name in RULE_SETTING_FIELDS}
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean()
    if all(getattr(settings, name) == old for name, old in before.items()):
        return settings
    settings._history_user = by  # type: ignore[attr-defined]
    settings.save()
    changed = frozenset(name for name in RULE_SETTING_FIELDS if getattr(settings, name) != before[name])
    transaction.on_commit(lambda: signals.rule_settings_changed.send(sender=RuleSettings, changed=changed))
    return settings


def _check_date(day: object) -> dt.date:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValidationError({"date": _("Enter a date as YYYY-MM-DD.")})
    if not CALENDAR_FIRST_DAY <= day <= CALENDAR_LAST_DAY:
        raise ValidationError({"date": _("Choose a date between 1900 and 2100.")})
    return day


def calendar_day_check(*, date: object, kind: object, note: object = "") -> tuple[dt.date, str, str]:
    """Validate a company day (R2) and return it cleaned: ``(date, kind, note)``.

    An *extra working day* must fall on a day the national calendar does not work (a weekend or a
    statutory holiday): on a working day it would change nothing, so it is an error, with a hint to
    remove a company day off instead when that was meant.

    A *company day off* on a day that is already off nationally is allowed on purpose: a company
    closure (e.g. a longer Spring Festival break) is entered day by day across weekends and holidays,
    and the entry pins the day off should the State Council later publish that weekend as a make-up
    working day (调休), as it does for years like 2027 whose schedule comes out late. The admin's note
    also names the day in the calendar.
    """
    day = _check_date(date)
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Choose a company day off or an extra working day.")})
    if not isinstance(note, str):
        raise ValidationError({"note": _("Enter the note as text.")})
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("Keep the note to 100 characters or fewer.")})
    if kind == CalendarDay.Kind.WORKDAY and WorkCalendar().is_workday(day):
        raise ValidationError(
            {
                "date": _(
                    "%(date)s is already a working day in the national calendar; an extra working day is for a "
                    "weekend or a holiday. To undo a company day off, remove it instead."
                )
                % {"date": day.isoformat()}
            }
        )
    return day, str(kind), note


@transaction.atomic
def calendar_day_set(*, date: dt.date, kind: str, note: str = "", by: User) -> CalendarDay:
    """Make ``date`` a company day off or an extra working day (R2); the company's word beats the national one.

    Setting a date that already has a company day (active or removed) updates and reactivates that
    row, so each date has one history. Rules: see ``calendar_day_check``.
    """
    if not by.has_perm("organisation.manage_calendar"):
        raise PermissionDenied(_("Only an admin may change the company calendar."))
    day, kind, note = calendar_day_check(date=date, kind=kind, note=note)
    entry = CalendarDay.objects.select_for_update().filter(date=day).first() or CalendarDay(date=day)
    if entry.pk is not None and entry.is_active and entry.kind == kind and entry.note == note:
        return entry
    entry.kind, entry.note, entry.is_active = kind, note, True
    entry._history_user = by  # type: ignore[attr-defined]
    entry.save()
    transaction.on_commit(lambda: signals.calendar_changed.send(sender=CalendarDay, date=day))
    return entry


@transaction.atomic
def calendar_day_remove(*, date: dt.date, by: User) -> CalendarDay:
    """Remove a company day (R2): the national calendar applies again. Soft: the row stays, inactive."""
    if not by.has_perm("organisation.manage_calendar"):
        raise PermissionDenied(_("Only an admin may change the company calendar."))
    day = _check_date(date)
    entry = CalendarDay.objects.select_for_update().filter(date=day, is_active=True).first()
    if entry is None:
        raise ValidationError({"date": _("There is no company day on %(date)s.") % {"date": day.isoformat()}})
    entry.is_active = False
    entry._history_user = by  # type: ignore[attr-defined]
    entry.save()
    transaction.on_commit(lambda: signals.calendar_changed.send(sender=CalendarDay, date=day))
    return entry
