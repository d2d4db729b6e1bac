"""Late row lookup for long, ordered lists: a page's ids first, then only those rows.

A manager's customer list is "newest change first" over a few people out of the whole organisation. The
database walks the organisation's newest-first index and tests each entry's owner until a page is full:
thousands of entries for a small team. When the index also holds the columns of the filter (owner,
active flag), reading just the ids is answered from the index alone; the page's rows are then fetched by
primary key. The same two steps serve the API's pagination and the pages' paginator.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class LateRowPaginator(Paginator):
    """A ``Paginator`` of a queryset whose ``page()`` reads the page's ids, then the rows of those ids, in
    the queryset's own order (with its related rows and prefetches)."""

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = list(self.object_list.filter(pk__in=ids)) if ids else []
        return Page(rows, number, self)
