"""The task list's filters, shared by the API and the pages."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import local_today
from salesops.core.filters import DateFilter, FilterSet, IdFilter, StrictBooleanFilter
from salesops.tasks.models import Task, TaskKind, TaskStatus


class TaskFilterSet(FilterSet):
    """status, kind, assignee, customer, deal, overdue (R20: past the deadline and still with the
    assignee), and a range of deadlines."""

    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices, label=_("kind"))
    assignee = IdFilter(field_name="assignee_id", label=_("assignee"))
    customer = IdFilter(field_name="customer_id", label=_("customer"))
    deal = IdFilter(field_name="deal_id", label=_("deal"))
    overdue = StrictBooleanFilter(method="filter_overdue", label=_("overdue"))
    due_after = DateFilter(field_name="deadline", lookup_expr="gte", label=_("due on or after"))
    due_before = DateFilter(field_name="deadline", lookup_expr="lte", label=_("due on or before"))

    class Meta:
        model = Task
        fields = ["status", "kind", "assignee", "customer", "deal"]

    def filter_overdue(self, queryset: QuerySet[Task], name: str, value: bool) -> QuerySet[Task]:
        late = Q(status__in=(TaskStatus.OPEN, TaskStatus.REJECTED), deadline__lt=local_today())
        return queryset.filter(late) if value else queryset.exclude(late)
