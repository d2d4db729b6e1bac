"""Filters of the instalment and receipt lists (API.md), shared by the API and the pages."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import local_today
from salesops.core.filters import DateFilter, FilterSet, IdFilter, StrictBooleanFilter
from salesops.deals.collections.selectors import overdue_q
from salesops.deals.models import Instalment, InstalmentStatus, Payment


class InstalmentFilterSet(FilterSet):
    """contract, owner, team (the owner's team when the instalment was planned), overdue, a due-date
    range and the status of today."""

    contract = IdFilter(field_name="contract_id", label=_("contract"))
    owner = IdFilter(field_name="owner_id", label=_("owner"))
    team = IdFilter(field_name="owner_team_id", label=_("team"))
    overdue = StrictBooleanFilter(method="filter_overdue", label=_("overdue"))
    due_after = DateFilter(field_name="due_date", lookup_expr="gte", label=_("due on or after"))
    due_before = DateFilter(field_name="due_date", lookup_expr="lte", label=_("due on or before"))
    status = django_filters.ChoiceFilter(choices=InstalmentStatus.choices, label=_("status"))

    class Meta:
        model = Instalment
        fields = ["contract", "owner", "team", "overdue", "due_after", "due_before", "status"]

    def filter_overdue(self, queryset: QuerySet[Instalment], name: str, value: bool | None) -> QuerySet[Instalment]:
        if value is None:
            return queryset
        condition = overdue_q(local_today())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class PaymentFilterSet(FilterSet):
    """instalment, contract, owner, team (both as they were at receipt) and a range of receipt dates."""

    instalment = IdFilter(field_name="instalment_id", label=_("instalment"))
    contract = IdFilter(field_name="instalment__contract_id", label=_("contract"))
    owner = IdFilter(field_name="owner_id", label=_("owner"))
    team = IdFilter(field_name="owner_team_id", label=_("team"))
    received_after = DateFilter(field_name="received_at", lookup_expr="gte", label=_("received on or after"))
    received_before = DateFilter(field_name="received_at", lookup_expr="lte", label=_("received on or before"))

    class Meta:
        model = Payment
        fields = ["instalment", "contract", "owner", "team", "received_after", "received_before"]
