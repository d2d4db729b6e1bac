"""Filters of daily plans and resource requests, shared by the API and the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from salesops.core.filters import DateFilter, FilterSet, IdFilter
from salesops.daily.plans.models import DailyPlan, PlanStatus, RequestKind, RequestStatus, ResourceRequest


class DailyPlanFilterSet(FilterSet):
    """user, team (the person's team when the plan was made), date (or a range), status."""

    user = IdFilter(field_name="user_id", label=_("person"))
    team = IdFilter(field_name="team_id", label=_("team"))
    date = DateFilter(field_name="date", label=_("date"))
    date_after = DateFilter(field_name="date", lookup_expr="gte", label=_("on or after"))
    date_before = DateFilter(field_name="date", lookup_expr="lte", label=_("on or before"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))

    class Meta:
        model = DailyPlan
        fields = ["user", "team", "date", "status"]


class ResourceRequestFilterSet(FilterSet):
    """status, kind, the plan, its person, its team and date."""

    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, label=_("kind"))
    plan = IdFilter(field_name="plan_id", label=_("plan"))
    user = IdFilter(field_name="plan__user_id", label=_("person"))
    team = IdFilter(field_name="plan__team_id", label=_("team"))
    date = DateFilter(field_name="plan__date", label=_("date"))

    class Meta:
        model = ResourceRequest
        fields = ["status", "kind", "plan", "user", "team", "date"]
