"""The follow-up list's filters, shared by the API and the pages."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import day_start
from salesops.core.filters import DateFilter, FilterSet, IdFilter, StrictBooleanFilter
from salesops.followups.models import Channel, FollowUp


class FollowUpFilterSet(FilterSet):
    """customer, author, channel, late (R11), and a range of contact dates (organisation time zone)."""

    customer = IdFilter(field_name="customer_id", label=_("customer"))
    author = IdFilter(field_name="author_id", label=_("author"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    late = StrictBooleanFilter(label=_("logged late"))
    date_from = DateFilter(method="contacted_from", label=_("contacted on or after"))
    date_to = DateFilter(method="contacted_to", label=_("contacted on or before"))

    class Meta:
        model = FollowUp
        fields = ["customer", "author", "channel", "late"]

    def contacted_from(self, queryset: QuerySet[FollowUp], name: str, value: dt.date) -> QuerySet[FollowUp]:
        return queryset.filter(contacted_at__gte=day_start(value))

    def contacted_to(self, queryset: QuerySet[FollowUp], name: str, value: dt.date) -> QuerySet[FollowUp]:
        return queryset.filter(contacted_at__lt=day_start(value + dt.timedelta(days=1)))
