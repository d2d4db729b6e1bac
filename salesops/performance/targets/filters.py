"""The target list's filters, shared by the API and the grid: a scope, a period, a metric, a kind of period."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from salesops.core.filters import FilterSet
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.periods import Period, PeriodKind
from salesops.performance.targets.models import Target


class _WordField(forms.CharField):
    """A query-string word checked by ``parse`` (a 400 field error when it does not read)."""

    def __init__(self, *args: Any, parse: Any = None, **kwargs: Any) -> None:
        self.parse = parse
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return str(self.parse(text))
        except ValidationError as error:
            raise forms.ValidationError([m for messages in error.message_dict.values() for m in messages]) from None


def _metric(text: str) -> str:
    registry.get(text)
    return text


class _ScopeFilter(django_filters.CharFilter):
    field_class = _WordField


class TargetFilterSet(FilterSet):
    """scope (``user:<id>``, ``team:<id>``, ``org``), period (``2026-11``, ``2026-W48``, ``2026-Q4``), metric,
    period_kind (month, week, quarter)."""

    scope = _ScopeFilter(field_name="subject", label=_("scope"), parse=Subject.parse)
    period = _ScopeFilter(field_name="period", label=_("period"), parse=Period.parse)
    metric = _ScopeFilter(field_name="metric", label=_("metric"), parse=_metric)
    period_kind = django_filters.ChoiceFilter(
        field_name="period_kind", label=_("kind of period"),
        choices=[(kind.value, kind.value) for kind in (PeriodKind.MONTH, PeriodKind.WEEK, PeriodKind.QUARTER)],
    )

    class Meta:
        model = Target
        fields = ["scope", "period", "metric", "period_kind"]
