"""Long, ordered lists read a page's ids first (from an index alone), then only those rows: two queries
a page whatever the list's filters. Why: docs/performance-notes.md, "Customer lists"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

Rows = Callable[[list[Any]], Iterable[Any]]


class IdsFirstPaginator(Paginator):
    """A ``Paginator`` of a queryset whose ``page()`` reads the page's ids, then ``rows(ids)`` (by default
    the queryset itself narrowed to those ids), and keeps the ids' order."""

    object_list: QuerySet[Any]

    def __init__(self, object_list: QuerySet[Any], per_page: int, orphans: int = 0,
                 allow_empty_first_page: bool = True, *, rows: Rows | None = None) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.rows = rows or (lambda ids: self.object_list.filter(pk__in=ids))

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.rows(ids)} if ids else {}
        return Page([found[pk] for pk in ids if pk in found], number, self)
