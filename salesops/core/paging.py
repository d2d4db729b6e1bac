"""Long, ordered lists read a page's ids first (from an index alone), then only those rows: two queries
a page whatever the list's filters. A broad list counts its rows only up to a cap: past it, the page says
"more than 1,000" instead of reading every match to count them. Why: docs/performance-notes.md,
"Customer lists"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

Rows = Callable[[list[Any]], Iterable[Any]]

#: Rows a list counts exactly; past it, a list says "more than" this many (``IdsFirstPaginator.capped``).
COUNT_CAP = 1000


class IdsFirstPaginator(Paginator):
    """A ``Paginator`` of a queryset whose ``page()`` reads the page's ids, then ``rows(ids)`` (by default
    the queryset itself narrowed to those ids), and keeps the ids' order.

    With ``count_cap``, ``count`` reads at most one row more than the cap or than the page asked for ends
    at, whichever is further (``SELECT COUNT(*)`` over a ``LIMIT`` subquery): a list of 30,000 matches
    costs what one of ``count_cap`` does. ``capped`` then says the list holds more than ``shown_count``
    rows; there is always a next page while it does, so paging on stays correct."""

    object_list: QuerySet[Any]

    def __init__(self, object_list: QuerySet[Any], per_page: int, orphans: int = 0,
                 allow_empty_first_page: bool = True, *, rows: Rows | None = None,
                 count_cap: int | None = None) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.rows = rows or (lambda ids: self.object_list.filter(pk__in=ids))
        self.count_cap = count_cap
        self.counted_to = count_cap  # moved on to the end of the page asked for (``validate_number``)

    def validate_number(self, number: Any) -> int:
        if self.counted_to is not None and "count" not in self.__dict__:
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 1
            self.counted_to = max(self.counted_to, wanted * self.per_page + self.orphans)
        return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        """The rows, or ``counted_to + 1`` when there are more (the order is irrelevant to a count)."""
        if self.counted_to is None:
            return super().count
        return self.object_list.order_by().values("pk")[: self.counted_to + 1].count()

    @property
    def capped(self) -> bool:
        """Whether the list holds more rows than it counted: more than ``shown_count``."""
        return self.counted_to is not None and self.count > self.counted_to

    @property
    def shown_count(self) -> int:
        """The rows to show as the list's size: exact, or the count it holds more than when ``capped``."""
        return self.counted_to if self.capped and self.counted_to is not None else self.count

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.rows(ids)} if ids else {}
        return Page([found[pk] for pk in ids if pk in found], number, self)
