"""Filters shared by every app's FilterSet (one FilterSet serves the page and the API).

A query-string value a filter cannot read is a 400 field error (API) or a "filters ignored" note (pages),
never silently dropped: ``?overdue=maybe`` must not answer the whole unfiltered list as if it were the
overdue one. Every FilterSet derives from ``FilterSet`` here, whose booleans are ``StrictBooleanFilter``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import DateFilter as BaseDateFilter
from django_filters import NumberFilter

from salesops.core.fields import date_message, parse_date_text

MAX_ID = 2**63 - 1
TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})


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


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (also ``1`` or ``0``, any case); empty or absent is no filter; anything else
    is invalid."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValidationError(_("Enter true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what is neither (django-filter's own reads "maybe" as no filter)."""

    field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet: model booleans listed in ``Meta.fields`` get ``StrictBooleanFilter``."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.NullBooleanField: {"filter_class": StrictBooleanFilter},
    }
