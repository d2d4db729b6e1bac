"""Filters shared by every app's FilterSet (one FilterSet serves the page and the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django_filters import DateFilter as BaseDateFilter
from django_filters import NumberFilter

from salesops.core.fields import date_message, parse_date_text

MAX_ID = 2**63 - 1


class IdFilter(NumberFilter):
    """A row id in a query string: a whole number within the database's id range, else a 400 field error."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedDateField(forms.DateField):
    """A "YYYY-MM-DD" date between 1900 and 2100, the API's dates (``core.fields.parse_date_text``)."""

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        day = parse_date_text(value.strip() if isinstance(value, str) else value)
        if day is None:
            raise forms.ValidationError(date_message(), code="invalid")
        return day


class DateFilter(BaseDateFilter):
    """A date in a query string, 1900-2100, else a 400 field error: a day at the calendar's ends
    (``9999-12-31``, ``0001-01-01``) has no midnight in every time zone, so bounds built from it would
    overflow (a 500) instead of matching nothing."""

    field_class = BoundedDateField
