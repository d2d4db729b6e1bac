"""The customer list's filters (API.md: grade owner team tag industry overdue pool q, plus due_today and
status), one FilterSet for the page, the API and the export.

Which part of the scope a list reads is ``CustomerFilterSet.wants_pool``: the owned customers by default,
the public pool with ``pool=true`` (R15). A rep's default list is their own customers, as in the manual,
not their own drowned in the whole pool; the pool is its own view, with its own search.

Pass ``request`` (or ``user``) so that a search knows whose customers it looks through."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import local_today
from salesops.core.filters import FilterSet, IdFilter, StrictBooleanFilter
from salesops.customers.models import Customer, Grade, ImportBatch, Status, Tag
from salesops.customers.selectors import search, search_owners

NOT_GRADED = "none"
# Due and overdue lists are work queues: the longest due first, then the oldest customer (the order of
# the customer_due index: docs/performance-notes.md, "Customer lists").
DUE_ORDER = ("next_due_at", "id")


class CustomerFilterSet(FilterSet):
    grade = django_filters.ChoiceFilter(
        choices=[*Grade.choices, (NOT_GRADED, _("Not graded"))], method="by_grade", label=_("grade")
    )
    owner = IdFilter(field_name="owner_id", label=_("owner"))
    team = IdFilter(field_name="owner__team_id", label=_("team"))
    tag = django_filters.CharFilter(method="by_tag", label=_("tag"))
    industry = django_filters.CharFilter(field_name="industry", label=_("industry"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"))
    overdue = StrictBooleanFilter(method="by_overdue", label=_("overdue"))
    due_today = StrictBooleanFilter(method="by_due_today", label=_("due today"))
    pool = StrictBooleanFilter(field_name="owner", lookup_expr="isnull", label=_("in the public pool"))
    q = django_filters.CharFilter(method="by_search", label=_("name, phone or pinyin initials"))
    import_batch = IdFilter(method="by_import_batch", label=_("imported in"))

    class Meta:
        model = Customer
        fields = [
            "grade", "owner", "team", "tag", "industry", "status", "overdue", "due_today", "pool", "q", "import_batch",
        ]

    def __init__(
        self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: str | None = None,
        user: Any = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        #: whose list this is: a search reads only their people's words (``selectors.search``)
        self.user = user if user is not None else getattr(request, "user", None)

    @classmethod
    def wants_pool(cls, data: Any) -> bool:
        """The ``pool`` argument of ``Customer.objects.visible_to`` for these query parameters."""
        field = cls.base_filters["pool"].field
        try:
            pool = field.clean(field.widget.value_from_datadict(data, {}, "pool"))
        except ValidationError:  # the FilterSet reports the bad value; read the default part meanwhile
            pool = None
        return bool(pool)

    def by_grade(self, queryset: QuerySet[Customer], name: str, value: str) -> QuerySet[Customer]:
        return queryset.filter(grade__isnull=True) if value == NOT_GRADED else queryset.filter(grade=value)

    def by_tag(self, queryset: QuerySet[Customer], name: str, value: str) -> QuerySet[Customer]:
        """R9 free tags by name (or id); a tag nobody uses finds nothing."""
        tags = Tag.objects.filter(pk=int(value)) if value.isdigit() and len(value) < 18 else Tag.objects.filter(
            name=value.strip()
        )
        return queryset.filter(tags__in=tags.values("pk"))

    def by_overdue(self, queryset: QuerySet[Customer], name: str, value: bool | None) -> QuerySet[Customer]:
        """R10: the next follow-up was due before today; the longest overdue first (a work queue)."""
        if value is None:
            return queryset
        today = local_today()
        if not value:
            return queryset.exclude(next_due_at__lt=today)
        return queryset.filter(next_due_at__lt=today).order_by(*DUE_ORDER)

    def by_due_today(self, queryset: QuerySet[Customer], name: str, value: bool | None) -> QuerySet[Customer]:
        """R10: due today, in the work-queue order of the overdue list."""
        if value is None:
            return queryset
        today = local_today()
        return queryset.filter(next_due_at=today).order_by(*DUE_ORDER) if value else queryset.exclude(
            next_due_at=today
        )

    def by_import_batch(self, queryset: QuerySet[Customer], name: str, value: int | None) -> QuerySet[Customer]:
        """The customers one import created (R26): its author's, carrying its moment; only the person who
        imported may name the batch (anyone else finds nothing)."""
        if value is None:
            return queryset
        user_id = getattr(self.user, "pk", None)
        batch = ImportBatch.objects.filter(pk=value, user_id=user_id).first() if user_id else None
        if batch is None:
            return queryset.none()
        return queryset.filter(created_by_id=batch.user_id, created_at=batch.at)

    def by_search(self, queryset: QuerySet[Customer], name: str, value: str) -> QuerySet[Customer]:
        pool = self.wants_pool(self.data)
        owners = search_owners(self.user) if self.user is not None and not pool else None
        return search(queryset, value, owners=owners, pool=pool)
