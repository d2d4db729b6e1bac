"""Filters of the problem and success-case lists, shared by the API and the pages."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import day_start
from salesops.core.filters import DateFilter, FilterSet, IdFilter
from salesops.daily.problems.models import Problem, ProblemCategory, ProblemSource, ProblemStatus, SuccessCase


class ProblemFilterSet(FilterSet):
    team = IdFilter(field_name="team_id", label=_("team"))
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices, label=_("status"))
    category = django_filters.ChoiceFilter(choices=ProblemCategory.choices, label=_("category"))
    source = django_filters.ChoiceFilter(choices=ProblemSource.choices, label=_("raised from"))
    customer = IdFilter(field_name="customer_id", label=_("customer"))
    raised_by = IdFilter(field_name="raised_by_id", label=_("raised by"))
    owner_user = IdFilter(field_name="owner_user_id", label=_("owner"))

    class Meta:
        model = Problem
        fields = ["team", "status", "category", "source", "customer", "raised_by", "owner_user"]


class SuccessCaseFilterSet(FilterSet):
    team = IdFilter(field_name="team_id", label=_("team"))
    author = IdFilter(field_name="author_id", label=_("author"))
    customer = IdFilter(field_name="customer_id", label=_("customer"))
    deal = IdFilter(field_name="deal_id", label=_("deal"))
    since = DateFilter(method="filter_since", label=_("written on or after"))

    class Meta:
        model = SuccessCase
        fields = ["team", "author", "customer", "deal"]

    def filter_since(self, queryset: QuerySet[SuccessCase], name: str, value: object) -> QuerySet[SuccessCase]:
        return queryset.filter(created_at__gte=day_start(value))  # type: ignore[arg-type]
