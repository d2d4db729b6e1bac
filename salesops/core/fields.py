"""Strict DRF fields shared by every API: a value of the wrong JSON type is refused with a 400 field error,
never coerced ("4" is not 4, "yes" is not true), so what the OpenAPI schema calls invalid is invalid."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

#: The database's id range: a larger number is simply not there (never an overflow 500).
MAX_ID = 2**63 - 1
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
#: The years of the API's dates (``DATE_PATTERN`` spells the same range out).
MIN_YEAR, MAX_YEAR = 1900, 2100
DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DATE_SCHEMA = {"type": "string", "format": "date", "pattern": DATE_PATTERN, "example": "2026-02-14"}


def parse_date_text(value: Any) -> dt.date | None:
    """The date of a "YYYY-MM-DD" text between 1900-01-01 and 2100-12-31, else None."""
    match = re.search(DATE_PATTERN, value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(0))
    except ValueError:
        return None


def date_message() -> str:
    return _("Enter a date between 1900-01-01 and 2100-12-31 as YYYY-MM-DD.")


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "08:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day as "HH:MM" (24 hours), nothing else."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)

    def to_internal_value(self, value: Any) -> dt.time:
        # re.search with the schema's own pattern accepts exactly what a schema validator accepts
        match = re.search(TIME_PATTERN, value) if isinstance(value, str) else None
        if match is None:
            raise serializers.ValidationError(_("Enter a time as HH:MM, e.g. 08:30."), code="invalid")
        return dt.time(int(match.group(0)[:2]), int(match.group(0)[3:]))


@extend_schema_field(DATE_SCHEMA)
class StrictDateField(serializers.DateField):
    """A date as "YYYY-MM-DD" between 1900 and 2100."""

    def to_internal_value(self, value: Any) -> dt.date:
        day = parse_date_text(value)
        if day is None:
            raise serializers.ValidationError(date_message(), code="invalid")
        return day


class StrictDateTimeField(serializers.DateTimeField):
    """A moment in ISO 8601 (an offset is best; without one, the organisation's time zone) in the years
    1900 to 2100. DRF alone overflows (a 500) on a naive moment at the calendar's ends (``0001-01-01T00:00``)
    while it looks for the time zone's gaps."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        year = value[:4] if isinstance(value, str) else ""
        if not (year.isascii() and year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
            raise serializers.ValidationError(
                _("Enter a date and time between 1900 and 2100, e.g. 2026-11-26T09:30:00+08:00."), code="invalid"
            )
        return super().to_internal_value(value)  # type: ignore[no-any-return]


class StrictIntegerField(serializers.IntegerField):
    """An integer that must be a JSON number, not a string or a boolean."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class IdField(serializers.IntegerField):
    """A row id: a whole number from 1 to the database's largest id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false, not "yes", 1 or "true"."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            raise serializers.ValidationError(_("Enter true or false."), code="invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    """A choice whose JSON type must match the choices' (the weekday 4 is a number, not "4")."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(next(iter(self.choices)), int):
            if isinstance(data, float) and data.is_integer():
                data = int(data)
            valid = isinstance(data, int) and not isinstance(data, bool)
        else:
            valid = isinstance(data, str)
        if not valid:
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text that must be a JSON string (a number is not a note)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class KnownFieldsOnly(serializers.Serializer):  # type: ignore[type-arg]
    """Mixed in before a serializer: a body naming a field the serializer does not have is refused with a
    400 naming it, never silently ignored (a password sent to a person's update must not look accepted).
    Read-only fields the serializer shows (``id`` ...) may be sent back unchanged, as a client that edits
    what it read does. ``refused_fields`` gives a field its own message, e.g. where it is changed instead."""

    refused_fields: ClassVar[Mapping[str, str | Promise]] = {}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({
                    name: [str(self.refused_fields.get(name) or _("There is no field of this name here."))]
                    for name in unknown
                })
        return super().to_internal_value(data)


#: The ``version`` field's description in every API that edits a versioned row (``core.versioning``).
VERSION_HELP = gettext_lazy("The version read; an edit sends it back and is refused (409 stale) when someone "
                            "else saved in the meantime.")


def version_required(data: dict[str, Any]) -> int:
    """Pop the ``version`` an edit must carry (API.md: writes carry ``version``; ``core.versioning``) from
    validated data, else a 400 naming it."""
    if data.get("version") is None:
        raise serializers.ValidationError({"version": [_(
            "Send the version you read with your change, so that it cannot undo someone else's."
        )]})
    return int(data.pop("version"))


def version_if_sent(data: dict[str, Any]) -> int | None:
    """Pop the ``version`` of an edit where API.md's scripts may leave it out (the set-up flow's
    ``PATCH /api/teams/{id}/ {lead, director}``): a version sent is checked (409 ``stale``), none is not."""
    version = data.pop("version", None)
    return None if version is None else int(version)
