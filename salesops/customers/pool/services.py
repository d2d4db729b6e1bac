"""Ownership and the public pool 公海 (R15): claim, release, transfer, reassignment and the nightly return.

Every change of owner goes through ``_move``: one UPDATE, the history rows (R12, with the tags as
``save()`` would copy them), one ``OwnershipEvent`` per customer and ``hooks.customers_changed`` (the
cadence recompute, R10), a fixed number of queries per batch whatever its size. Rows are locked
(``select_for_update``) before they are checked, so of two claims at the same moment exactly one wins and
the other gets 409; on SQLite the database's write lock (BEGIN IMMEDIATE) queues the second writer the
same way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesops.accounts.models import Role, User
from salesops.core.clock import day_start, local_today
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.filters import MAX_ID
from salesops.core.scope import scope_of
from salesops.customers import hooks
from salesops.customers.models import Customer, CustomerSearchTerm, Grade, OwnershipEvent
from salesops.notifications.services import notify
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.organisation.workcal import WorkCalendar

#: Who may claim from the pool and who may receive customers (R15: "any rep", and leads for themselves).
OWNER_ROLES = (Role.REP, Role.LEAD)
REASON_MAX = 200
#: Customers moved per round trip (keeps id lists under SQLite's parameter limit).
BATCH_SIZE = 500
#: The most customers one transfer moves (a whole filtered list at most; a leaver's all go by reassignment).
TRANSFER_MAX = 2000
#: How many customer names a pool-return notification lists before "and N more".
NAMES_LISTED = 10
ONE_DAY = dt.timedelta(days=1)


def _clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(fields={"reason": _("Give a reason: it is kept in the customer's history.")})
    if len(text) > REASON_MAX:
        raise Invalid(fields={"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX}})
    return text


def check_may_move(by: User) -> None:
    if not by.has_perm("customers.move_customers"):
        raise PermissionDenied(_("Only team leads, directors and admins may move customers between people."))


def receivers(by: User, *, owner_id: int | None = None) -> QuerySet[User]:
    """Who ``by`` may give customers to (R15): active reps and leads of a team among the people ``by``
    manages (R1, ``User.objects.managed_by``), never ``by`` themselves, nor ``owner_id`` (the current
    owner of the customer being moved)."""
    people = User.objects.managed_by(by).filter(is_active=True, role__in=OWNER_ROLES, team__isnull=False)
    return people.exclude(pk=owner_id) if owner_id is not None else people


def _check_receiver(to_user: User, by: User) -> None:
    if not receivers(by).filter(pk=to_user.pk).exists():
        raise Invalid(
            fields={"to_user": _("%(name)s is not an active sales rep or team lead of your teams.") % {"name": to_user}}
        )


#: A customer a notification names: its id and name.
Named = tuple[int, str]


def _listed(named: list[Named]) -> tuple[str, list[tuple[str, str]]]:
    """The names a notification lists (the first ``NAMES_LISTED``, "and N more") and each one's page."""
    listed = "、".join(name for _pk, name in named[:NAMES_LISTED])
    if len(named) > NAMES_LISTED:
        listed = _("%(names)s and %(count)d more") % {"names": listed, "count": len(named) - NAMES_LISTED}
    return listed, [(name, reverse("customer-detail", args=[pk])) for pk, name in named[:NAMES_LISTED]]


def _tell_new_owner(to_user: User, customers: list[Customer], by: User, reason: str) -> None:
    """The receiver of a transfer learns which customers are now theirs, with a link to the one customer
    or to their customer list (not when they moved them themselves)."""
    named = [(customer.pk, customer.name) for customer in customers]
    if to_user.pk == by.pk or not named:
        return
    if len(customers) == 1:
        url = reverse("customer-detail", args=[customers[0].pk])
    else:
        url = f"{reverse('customers')}?owner={to_user.pk}"
    with translation.override(to_user.language):
        count = len(named)
        listed, links = _listed(named)
        title = ngettext(
            "%(count)d customer is now yours", "%(count)d customers are now yours", count
        ) % {"count": count}
        body = _("%(by)s gave you: %(names)s. Reason: %(reason)s") % {"by": by, "names": listed, "reason": reason}
    notify(user=to_user, kind="customers_transferred", title=title, body=body, url=url, links=links)


def _record_history(customers: list[Customer], *, by: User | None, reason: str, when: dt.datetime) -> None:
    """History rows of R12 for changes made with one UPDATE, tags included as ``save()`` would copy them;
    the reason is kept whole (the history's reason column holds ``REASON_MAX`` characters)."""
    rows = Customer.history.bulk_history_create(  # type: ignore[attr-defined]
        customers, update=True, default_user=by, default_change_reason=reason, default_date=when
    )
    by_customer = {row.id: row for row in rows}
    through = Customer.tags.through
    tag_history = apps.get_model("customers", "HistoricalCustomer_tags")
    links = through.objects.filter(customer_id__in=list(by_customer)).values_list("id", "customer_id", "tag_id")
    tag_history.objects.bulk_create(
        [tag_history(id=link_id, history=by_customer[customer_id], customer_id=customer_id, tag_id=tag_id)
         for link_id, customer_id, tag_id in links]
    )


def _move(customers: list[Customer], *, to_user: User | None, kind: str, by: User | None, reason: str) -> None:
    """Give locked ``customers`` to ``to_user`` (None: the public pool) with history and ownership events."""
    if not customers:
        return
    now = timezone.now()
    ids = [customer.pk for customer in customers]
    events = [
        OwnershipEvent(customer=customer, kind=kind, from_user_id=customer.owner_id, to_user=to_user, by=by,
                       reason=reason)
        for customer in customers
    ]
    pooled_at = now if to_user is None else None
    Customer.objects.filter(pk__in=ids).update(owner=to_user, pooled_at=pooled_at, updated_at=now)
    CustomerSearchTerm.objects.filter(customer_id__in=ids).update(owner=to_user)  # search follows the owner
    for customer in customers:
        customer.owner = to_user
        customer.pooled_at = pooled_at
        customer.updated_at = now
    _record_history(customers, by=by, reason=reason or str(OwnershipEvent.Kind(kind).label), when=now)
    OwnershipEvent.objects.bulk_create(events)
    hooks.changed(ids, "owner")


def claims_this_month(*, user: User, today: dt.date | None = None) -> int:
    """How many customers ``user`` claimed from the pool this calendar month (organisation time)."""
    first = (today or local_today()).replace(day=1)
    return OwnershipEvent.objects.filter(
        kind=OwnershipEvent.Kind.CLAIM, to_user=user, at__gte=day_start(first)
    ).count()


def claim_target(*, pk: int, by: User) -> Customer:
    """The customer ``by`` asks to claim: an active one in their scope (R1; the pool is in everyone's), or
    one that left the pool by a claim since, so the loser of a race hears 409 ``already_claimed`` from
    ``customer_claim`` whether the winner committed before or after the loser looked (R15), never a 404.
    That a pool customer was claimed tells no more than the pool list itself (every rep sees the whole
    pool, and sees it go); anything else outside the scope is ``NotFound`` (R1)."""
    found = Customer.objects.visible_to(by).filter(pk=pk, is_active=True).first() if pk <= MAX_ID else None
    if found is not None:
        return found
    last_move = OwnershipEvent.objects.filter(customer_id=pk).order_by("-at", "-id").values_list("kind", flat=True)
    claimed = Customer.objects.filter(pk=pk, is_active=True).first() if pk <= MAX_ID else None
    if claimed is None or last_move.first() != OwnershipEvent.Kind.CLAIM:
        raise NotFound(_("No such customer."))
    return claimed


@transaction.atomic
def customer_claim(*, customer: Customer, by: User) -> Customer:
    """R15: a rep (or a lead, for themselves) takes a customer from the public pool, up to
    ``pool_claim_cap`` claims a calendar month. Of two claims at once exactly one wins; the other gets
    409 ``already_claimed``."""
    if not by.has_perm("customers.claim_customers"):
        raise PermissionDenied(_("Only sales reps and team leads may claim customers from the public pool."))
    # The claimant's row first, then the customer's: one person's claims queue (the cap cannot be passed by
    # two claims at once) and every claim takes its locks in the same order (no deadlock).
    list(User.objects.select_for_update().filter(pk=by.pk).order_by().values_list("pk", flat=True))
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if not locked.is_active:
        raise Invalid(_("This customer was merged or removed; it cannot be claimed."))
    if locked.owner_id == by.pk:
        raise Conflict(_("This customer is yours already."), code="already_yours")
    if locked.owner_id is not None:
        raise Conflict(_("Someone else has just claimed this customer."), code="already_claimed")
    today = local_today()
    cap = rule_settings().pool_claim_cap
    if claims_this_month(user=by, today=today) >= cap:
        next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        raise Conflict(
            _(
                "You have claimed %(cap)d customers from the pool this month, the most allowed. "
                "You can claim again from %(date)s."
            ) % {"cap": cap, "date": next_month.isoformat()},
            code="claim_cap_reached",
        )
    _move([locked], to_user=by, kind=OwnershipEvent.Kind.CLAIM, by=by, reason="")
    locked.refresh_from_db()
    return locked


@transaction.atomic
def customer_release(*, customer: Customer, by: User, reason: str) -> Customer:
    """R15: the owner (or their lead, director, an admin) returns a customer to the public pool, with a reason."""
    text = _clean_reason(reason)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.owner_id is None:
        raise Conflict(_("This customer is in the public pool already."), code="already_in_pool")
    if locked.owner_id != by.pk and not scope_of(by).manages(locked.owner):
        raise PermissionDenied(_("Only the owner, their team lead or director, or an admin may release a customer."))
    _move([locked], to_user=None, kind=OwnershipEvent.Kind.RELEASE, by=by, reason=text)
    locked.refresh_from_db()
    return locked


def _batches(ids: list[int]) -> Iterable[list[int]]:
    return (ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE))


@transaction.atomic
def customer_transfer(*, customers: Iterable[Customer], to_user: User, by: User, reason: str) -> list[Customer]:
    """R15: a lead (within the team), a director (within their teams) or an admin gives one or many
    customers (up to ``TRANSFER_MAX``, a whole filtered list) to an active rep or lead they manage; all or
    nothing. Pool customers may be assigned too. The reason is kept in the history and the ownership log
    (R12); the new owner is told."""
    check_may_move(by)
    text = _clean_reason(reason)
    _check_receiver(to_user, by)
    ids = sorted({customer.pk for customer in customers})
    if not ids:
        raise Invalid(fields={"customers": _("Choose at least one customer.")})
    if len(ids) > TRANSFER_MAX:
        raise Invalid(fields={"customers": _("Transfer at most %(max)d customers at a time.") % {"max": TRANSFER_MAX}})
    locked: list[Customer] = []
    visible: set[int] = set()
    for batch in _batches(ids):
        locked += Customer.objects.select_for_update().filter(pk__in=batch, is_active=True).order_by("pk")
        # Checked after the lock: a customer that left the caller's scope meanwhile is not theirs to move.
        visible.update(Customer.objects.visible_to(by).filter(pk__in=batch).values_list("pk", flat=True))
    if len(locked) != len(ids) or visible != set(ids):
        raise NotFound(_("Some of these customers are not in your scope."))
    theirs = [customer.name for customer in locked if customer.owner_id == to_user.pk]
    if theirs:
        raise Conflict(
            _("%(names)s already belong to %(name)s.") % {"names": "、".join(theirs[:NAMES_LISTED]), "name": to_user},
            code="already_owned",
        )
    for start in range(0, len(locked), BATCH_SIZE):
        _move(locked[start : start + BATCH_SIZE], to_user=to_user, kind=OwnershipEvent.Kind.TRANSFER, by=by,
              reason=text)
    _tell_new_owner(to_user, locked, by, text)
    return locked


def _check_may_move_all(from_user: User, by: User) -> None:
    check_may_move(by)
    if not scope_of(by).manages(from_user):
        raise PermissionDenied(_("You may reassign the customers of your teams' members only."))


def _move_all(from_user: User, *, to_user: User | None, kind: str, by: User, reason: str) -> list[Customer]:
    """Every active customer of ``from_user`` to ``to_user`` (None: the pool), a batch at a time."""
    moved: list[Customer] = []
    while True:
        batch = list(
            Customer.objects.select_for_update().filter(owner=from_user, is_active=True).order_by("pk")[:BATCH_SIZE]
        )
        if not batch:
            return moved
        _move(batch, to_user=to_user, kind=kind, by=by, reason=reason)
        moved += batch


@transaction.atomic
def customers_reassign_all(*, from_user: User, to_user: User, by: User, reason: str = "") -> int:
    """R15: when a rep leaves, all their active customers go to another rep or lead; returns how many."""
    _check_may_move_all(from_user, by)
    if from_user.pk == to_user.pk:
        raise Invalid(fields={"to_user": _("Choose someone other than the person whose customers move.")})
    _check_receiver(to_user, by)
    text = reason or _("Reassigned from %(name)s.") % {"name": from_user}
    moved = _move_all(from_user, to_user=to_user, kind=OwnershipEvent.Kind.TRANSFER, by=by, reason=text)
    _tell_new_owner(to_user, moved, by, text)
    return len(moved)


@transaction.atomic
def customers_release_all(*, from_user: User, by: User, reason: str = "") -> int:
    """R15: when a person leaves, all their active customers return to the public pool; returns how many."""
    _check_may_move_all(from_user, by)
    text = reason or _("Returned to the pool from %(name)s.") % {"name": from_user}
    return len(_move_all(from_user, to_user=None, kind=OwnershipEvent.Kind.RELEASE, by=by, reason=text))


def pool_cutoff(day: dt.date, days: int, calendar: WorkCalendar) -> dt.datetime:
    """R15 with R2's working days: on ``day``, a customer whose last follow-up (or claim, transfer or
    creation) came before this moment has gone more than ``days`` working days without one. It is the
    midnight starting the ``days + 1``-th working day counted back from ``day`` (``day`` included)."""
    return day_start(calendar.previous_workday(day + ONE_DAY, days + 1))


def _grade_groups() -> list[tuple[Q, int]]:
    settings = rule_settings()
    return [
        (Q(grade=Grade.A), settings.pool_days_a),
        (Q(grade=Grade.B), settings.pool_days_b),
        (Q(grade=Grade.C) | Q(grade__isnull=True), settings.pool_days_c),  # ungraded: as C
    ]


def _tell_former_owners(named_by_owner: dict[int, list[Named]]) -> None:
    url = reverse("pool")
    for owner in User.objects.filter(pk__in=list(named_by_owner), is_active=True):
        named = named_by_owner[owner.pk]
        count = len(named)
        with translation.override(owner.language):
            listed, links = _listed(named)
            title = ngettext(
                "%(count)d customer returned to the public pool",
                "%(count)d customers returned to the public pool",
                count,
            ) % {"count": count}
            body = _("Not followed up in time: %(names)s.") % {"names": listed}
        notify(user=owner, kind="pool_recycle", title=title, body=body, url=url, links=links)


@transaction.atomic
def pool_recycle(*, day: dt.date) -> dict[str, int]:
    """R15: owned customers not followed up for more than N working days (N per grade: ``pool_days_a/b/c``,
    ungraded as C) return to the public pool; a claim, transfer or creation counts like a follow-up, so a
    customer just taken over is not returned at once. Each former owner is told once, with how many.
    Idempotent per date: a second run finds nothing left to return."""
    calendar = work_calendar()
    named_by_owner: dict[int, list[Named]] = defaultdict(list)
    total = 0
    for grade_q, days in _grade_groups():
        cutoff = pool_cutoff(day, days, calendar)
        taken_over = OwnershipEvent.objects.filter(customer=OuterRef("pk"), to_user=OuterRef("owner"), at__gte=cutoff)
        stale = (
            Customer.objects.filter(grade_q, is_active=True, owner__isnull=False, created_at__lt=cutoff)
            .filter(Q(last_followup_at__isnull=True) | Q(last_followup_at__lt=cutoff))
            .exclude(Exists(taken_over))
            .order_by("pk")
        )
        reason = _("Not followed up for more than %(days)d working days.") % {"days": days}
        last_id = 0
        while True:
            batch = list(stale.filter(pk__gt=last_id).select_for_update()[:BATCH_SIZE])
            if not batch:
                break
            last_id = batch[-1].pk
            for customer in batch:
                assert customer.owner_id is not None
                named_by_owner[customer.owner_id].append((customer.pk, customer.name))
            _move(batch, to_user=None, kind=OwnershipEvent.Kind.RECYCLE, by=None, reason=reason)
            total += len(batch)
    _tell_former_owners(named_by_owner)
    return {"recycled": total, "owners_told": len(named_by_owner)}
