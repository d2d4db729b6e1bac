"""core.paging: a late-row page holds exactly the rows, in the order, that the plain paginator gives."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.accounts.models import User
from salesops.core.paging import IdsFirstPaginator
from salesops.testing.actors import Actors


@pytest.mark.django_db
@pytest.mark.parametrize(("per_page", "orphans"), [(1, 0), (2, 0), (3, 1), (4, 2), (50, 0)])
def test_every_page_equals_the_plain_paginators(actors: Actors, per_page: int, orphans: int) -> None:
    people = User.objects.select_related("team").order_by("role", "-username")
    plain, late = Paginator(people, per_page, orphans=orphans), IdsFirstPaginator(people, per_page, orphans=orphans)
    assert late.num_pages == plain.num_pages > 0
    for number in plain.page_range:
        expected, got = plain.page(number), late.page(number)
        assert list(got) == list(expected)
        assert [(row.team.name if row.team else None) for row in got] == [
            (row.team.name if row.team else None) for row in expected]
        assert (got.has_next(), got.start_index(), got.end_index()) == (
            expected.has_next(), expected.start_index(), expected.end_index())


@pytest.mark.django_db
def test_a_page_takes_two_queries_whatever_its_size_and_an_empty_list_one(actors: Actors) -> None:
    people = User.objects.select_related("team").order_by("username")
    for size in (1, 5):
        paginator = IdsFirstPaginator(people, size)
        paginator.count  # noqa: B018 (the count is its own query)
        with CaptureQueriesContext(connection) as queries:
            rows = list(paginator.page(1))
        assert len(rows) == size and len(queries) == 2  # the ids, then their rows with the teams
    empty = IdsFirstPaginator(people.none(), 5)
    with CaptureQueriesContext(connection) as queries:
        assert list(empty.get_page(1)) == []
    assert len(queries) <= 1


@pytest.mark.django_db
def test_rows_come_from_the_given_lookup_in_the_ids_order(actors: Actors) -> None:
    people = User.objects.order_by("username")
    asked: list[list[int]] = []

    def rows(ids: list[int]) -> list[User]:  # another queryset, in another order, missing one row
        asked.append(ids)
        return list(User.objects.filter(pk__in=ids).exclude(username="lead_a").order_by("-username"))

    page = IdsFirstPaginator(people, 4, rows=rows).page(1)
    first_four = list(people.values_list("pk", flat=True)[:4])
    assert asked == [first_four]
    assert [user.pk for user in page] == [pk for pk in first_four if pk != actors.lead_a.pk]


@pytest.mark.django_db
def test_a_capped_count_reads_at_most_one_row_past_the_cap_and_paging_on_still_gives_every_row(
    actors: Actors,
) -> None:
    """Eleven people, counted up to 4: the list says "more than 4", and following "next" from page to page
    gives exactly the plain paginator's rows in its order; the count reads a LIMIT subquery."""
    people = User.objects.order_by("username")
    everyone = list(people)
    assert len(everyone) > 5
    first = IdsFirstPaginator(people, 2, count_cap=4)
    with CaptureQueriesContext(connection) as queries:
        page = first.page(1)
    assert (first.count, first.capped, first.shown_count, page.has_next()) == (5, True, 4, True)
    assert "LIMIT 5" in queries[0]["sql"].upper()
    walked, number = list(page), 1
    while page.has_next():
        number = page.next_page_number()
        page = IdsFirstPaginator(people, 2, count_cap=4).page(number)  # a new request per page
        walked += list(page)
    assert walked == everyone
    last = IdsFirstPaginator(people, 2, count_cap=4)
    last.page(number)
    assert (last.capped, last.count) == (False, len(everyone))  # the last page counts exactly


@pytest.mark.django_db
def test_a_list_under_the_cap_counts_exactly(actors: Actors) -> None:
    people = User.objects.order_by("username")
    paginator = IdsFirstPaginator(people, 5, count_cap=1000)
    assert (paginator.get_page(1).paginator.count, paginator.capped) == (people.count(), False)
    assert paginator.shown_count == people.count()
