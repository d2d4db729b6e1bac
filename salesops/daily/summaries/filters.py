"""The summary list's filters, shared by the API and the lead's page: person, team, a day or a range."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from salesops.core.filters import DateFilter, FilterSet, IdFilter, StrictBooleanFilter
from salesops.daily.summaries.models import DailySummary


class SummaryFilterSet(FilterSet):
    user = IdFilter(field_name="user_id", label=_("person"))
    team = IdFilter(field_name="team_id", label=_("team"))
    date = DateFilter(field_name="date", label=_("date"))
    date_after = DateFilter(field_name="date", lookup_expr="gte", label=_("on or after"))
    date_before = DateFilter(field_name="date", lookup_expr="lte", label=_("on or before"))
    late = StrictBooleanFilter(field_name="late", label=_("late"))

    class Meta:
        model = DailySummary
        fields = ["user", "team", "date", "late"]
