"""Reads of customers: the scoped list and detail querysets, search by any part and the readable history (R12)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection
from django.db.models import F, Model, Prefetch, Q, QuerySet

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.history import EMPTY, Change, history_changes
from salesops.core.scope import scope_of
from salesops.customers.hooks import TimelineEntry, timeline_sources
from salesops.customers.models import Contact, Customer, CustomerSearchTerm, OwnershipEvent
from salesops.customers.normalise import query_prefix

#: Matching words from which a search counts as broad (read in the list's order, ``search``); counting
#: that many reads that many index entries at most.
BROAD_SEARCH_WORDS = 5000

# Derived cadence figures are rewritten in bulk by the cadence refresh without a history record (R10), so
# a version-to-version diff would pin their moves on whoever saved next: they are not shown as changes.
HISTORY_EXCLUDED = {
    "updated_at", "created_at", "created_by", "last_followup_at", "last_visit_at", "last_survey_at",
    "next_due_at", "contract_due_at",
}


def prefix_q(field: str, prefix: str) -> Q:
    """A prefix match that an index on ``field`` can answer: ``LIKE 'x%'`` on PostgreSQL, a range of the
    column on SQLite, whose ``LIKE`` ignores case and so skips the index."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


def search(
    queryset: QuerySet[Customer], text: str, *, owners: Collection[int] | None = None, pool: bool = False
) -> QuerySet[Customer]:
    """Customers found by any part of the name or of its pinyin initials, by any run of four or more
    digits of a phone, or by the start of the full pinyin (R15 search); '' finds all. The words are
    every suffix (``normalise.search_words``), so one prefix range of the index finds a part anywhere.

    ``owners`` (the people whose customers the list shows) or ``pool`` narrow the words read to theirs
    (the (owner, word, customer) index); without either, every matching word is read."""
    prefix = query_prefix(text)
    if not prefix:
        return queryset
    terms = CustomerSearchTerm.objects.filter(prefix_q("term", prefix))
    if pool:
        terms = terms.filter(owner__isnull=True)
    elif owners is not None:
        terms = terms.filter(owner_id__in=sorted(owners))
    if connection.vendor == "sqlite" and terms[:BROAD_SEARCH_WORDS].count() == BROAD_SEARCH_WORDS:
        # a broad search: walk the list in its order testing each customer against the matches, rather
        # than read every match and sort them (docs/performance-notes.md, "Broad searches")
        return queryset.alias(search_pk=F("pk") + 0).filter(search_pk__in=terms.values("customer_id"))
    return queryset.filter(pk__in=terms.values("customer_id"))


def search_owners(user: User) -> frozenset[int] | None:
    """The people whose customers ``user``'s list holds (R1): theirs, their teams'; None for everyone."""
    scope = scope_of(user)
    return None if scope.everything else scope.people


def customer_list(*, user: User, pool: bool | None = None) -> QuerySet[Customer]:
    """Active customers in the user's scope (R1) with owner and the cadence status (R10); ``pool`` as in
    ``CustomerQuerySet.visible_to``. A page of them gets its tags from ``tag_names_attach``, so a list
    takes a fixed number of queries whatever the page size."""
    queryset = Customer.objects.visible_to(user, pool=pool).active().select_related("owner")
    return queryset.with_cadence_status(local_today()).order_by("-updated_at", "-id")


def tag_names_attach(customers: Sequence[Customer]) -> None:
    """Set ``tag_names`` (R9) of every customer of a page with one query of plain values."""
    names: dict[int, list[str]] = {customer.pk: [] for customer in customers}
    links = Customer.tags.through.objects.filter(customer_id__in=list(names)).order_by("tag__name", "tag_id")
    for customer_id, name in links.values_list("customer_id", "tag__name"):
        names[customer_id].append(name)
    for customer in customers:
        customer.__dict__["tag_names"] = names[customer.pk]  # the cached_property's slot


def pool_returns_attach(customers: Sequence[Customer]) -> None:
    """Set ``pool_return`` of each customer of a pool page: the latest move into the pool (a release or a
    return for want of follow-up, R15) with the previous owner and the reason, in one query; None if the
    customer was entered into the pool."""
    latest: dict[int, OwnershipEvent] = {}
    events = OwnershipEvent.objects.filter(
        customer_id__in=[customer.pk for customer in customers], to_user__isnull=True, from_user__isnull=False
    ).select_related("from_user").order_by("customer_id", "-at", "-id")
    for event in events:
        latest.setdefault(event.customer_id, event)
    for customer in customers:
        customer.pool_return = latest.get(customer.pk)  # type: ignore[attr-defined]


def customer_page_rows(*, user: User, pool: bool | None, ids: Collection[int]) -> list[Customer]:
    """The rows of a list page by id (``core.paging``): the list's scoped queryset (R1 on every query),
    without the filters and search that chose the ids, with their tags."""
    rows = list(customer_list(user=user, pool=pool).filter(pk__in=list(ids)))
    tag_names_attach(rows)
    return rows


def customer_detail(*, user: User) -> QuerySet[Customer]:
    """The list's queryset plus the tags and the active contacts (two more queries)."""
    return customer_list(user=user).prefetch_related(
        "tags", Prefetch("contacts", queryset=Contact.objects.filter(is_active=True), to_attr="active_contacts")
    )


#: The fields of the customer form, as ``customer_values`` gives them (tags as a list of names).
EDITED_FIELDS = ("name", "phone", "credit_code", "address", "latitude", "longitude", "industry", "company_size",
                 "decision_maker_role", "budget", "focus", "grade", "status")


def customer_values(customer: Any, tags: list[str]) -> dict[str, Any]:
    """What the customer form shows of a customer or of one of its history records."""
    return {**{name: getattr(customer, name) for name in EDITED_FIELDS}, "tags": sorted(tags)}


def _base_record(customer: Customer, version: int) -> Any:
    """The history record of the customer as it was at ``version`` (the last one saved at or before it)."""
    return customer.history.filter(version__lte=version).order_by("-history_date", "-history_id").first()


def customer_values_at(*, customer: Customer, version: int) -> dict[str, Any] | None:
    """The form's values of the customer at ``version`` (from its history, R12); None if unknown."""
    record = _base_record(customer, version)
    if record is None:
        return None
    tag_model: type[Model] = Customer.history.model.tags.model  # type: ignore[attr-defined]
    names = tag_model.objects.filter(history=record.pk).values_list("tag__name", flat=True)  # type: ignore[attr-defined]
    return customer_values(record, [str(name) for name in names])


def customer_changes(*, customer: Customer, limit: int = 100, since_version: int | None = None) -> list[Change]:
    """The customer's changes (R12) from simple-history, newest first, field by field (tags by name, the
    owner by name with the transfer's or release's reason, a grade with its reason), in three queries
    whatever the number of versions; with ``since_version``, only those made after that version (what
    someone else saved meanwhile)."""
    history = customer.history.select_related("history_user").order_by("-history_date", "-history_id")
    if since_version is not None:
        base = _base_record(customer, since_version)
        later = history.filter(version__gt=since_version)
        records = [*later[:limit], *([base] if base is not None else [])]
        limit = len(records)  # no "created" row: the creation is not a change since
    else:
        records = list(history[: limit + 1])
    tag_model: type[Model] = Customer.history.model.tags.model  # type: ignore[attr-defined]
    tag_rows = tag_model.objects.filter(history__in=[r.pk for r in records]).values_list(  # type: ignore[attr-defined]
        "history_id", "tag__name"
    )
    tags: dict[int, list[str]] = {}
    for history_id, name in tag_rows:
        tags.setdefault(history_id, []).append(name)
    owner_ids = {r.owner_id for r in records if r.owner_id}
    owners = {u.pk: str(u) for u in User.objects.filter(pk__in=owner_ids)}
    return history_changes(
        records, model=Customer, excluded=HISTORY_EXCLUDED, reason_fields={"grade", "owner"}, related={"tags": tags},
        display={
            "owner": lambda pk: owners.get(pk, f"#{pk}") if pk else EMPTY,
            "merged_into": lambda pk: f"#{pk}" if pk else EMPTY,
        },
        created=(lambda record: record.name) if len(records) <= limit and since_version is None else None,
    )


CHANGE_TEMPLATE = "customers/_timeline_change.html"


def customer_timeline(*, customer: Customer, user: User, limit: int = 50) -> list[TimelineEntry]:
    """The record's changes (R12) and what the other apps add (``hooks.register_timeline_source``: the
    follow-ups, R11), each read within the user's scope (R1), newest first."""
    entries = [TimelineEntry(at=c.at, template=CHANGE_TEMPLATE, item=c) for c in customer_changes(customer=customer)]
    for source in timeline_sources():
        entries += source(customer, user, limit)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
