"""Late row lookup for long, ordered lists: a page's ids first, then only those rows.

A manager's customer list is "newest change first" over a few people out of the whole organisation. The
database walks the organisation's newest-first index and tests each entry's owner until a page is full:
thousands of entries for a small team. When the index also holds the columns of the filter (owner,
active flag), reading just the ids is answered from the index alone. The page's rows are then read by
primary key, through ``rows(ids)``: the list's own scoped queryset without its filters and search, which
the ids have already passed. The same two steps serve the API's pagination and the pages' paginator.
"""

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
