"""The deal and contract lists' filters, one FilterSet each for the page and the API (API.md):
deals by ``owner team customer stage status expected_after expected_before q``; contracts by
``owner team customer archived signed_after signed_before q``. The rows are the caller's scope already
(``visible_to``): a filter narrows it, never widens it."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.filters import DateFilter, FilterSet, IdFilter, StrictBooleanFilter
from salesops.deals.models import Contract, Deal, DealStatus, Stage

Q_MAX = 60


class DealFilterSet(FilterSet):
    owner = IdFilter(field_name="owner_id", label=_("owner"))
    team = IdFilter(field_name="owner__team_id", label=_("team"))
    customer = IdFilter(field_name="customer_id", label=_("customer"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    status = django_filters.ChoiceFilter(choices=DealStatus.choices, label=_("status"))
    expected_after = DateFilter(field_name="expected_close", lookup_expr="gte", label=_("expected close from"))
    expected_before = DateFilter(field_name="expected_close", lookup_expr="lte", label=_("expected close to"))
    q = django_filters.CharFilter(method="by_text", max_length=Q_MAX, label=_("title or customer"))

    class Meta:
        model = Deal
        fields = ["owner", "team", "customer", "stage", "status", "expected_after", "expected_before", "q"]

    def by_text(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(title__icontains=text) | Q(customer__name__icontains=text))


class ContractFilterSet(FilterSet):
    owner = IdFilter(field_name="deal__owner_id", label=_("owner"))
    team = IdFilter(field_name="deal__owner__team_id", label=_("team"))
    customer = IdFilter(field_name="customer_id", label=_("customer"))
    archived = StrictBooleanFilter(field_name="archived", label=_("archived"))
    signed_after = DateFilter(field_name="signed_at", lookup_expr="gte", label=_("signed from"))
    signed_before = DateFilter(field_name="signed_at", lookup_expr="lte", label=_("signed to"))
    q = django_filters.CharFilter(method="by_text", max_length=Q_MAX, label=_("number or customer"))

    class Meta:
        model = Contract
        fields = ["owner", "team", "customer", "archived", "signed_after", "signed_before", "q"]

    def by_text(self, queryset: QuerySet[Contract], name: str, value: str) -> QuerySet[Contract]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(number__icontains=text) | Q(customer__name__icontains=text))
