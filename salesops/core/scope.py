"""Data scope (R1) and "manages" in one place.

A ``Scope`` says what one person may see and whom they manage; it is read once per user object from the
teams they lead or direct. Everything else derives from it here and nowhere else:

- ``ScopedQuerySet.visible_to(user)``: the rows a user may read. Every list, detail, export, feed,
  notification and report goes through it; anything outside it answers 404.
- ``Scope.manages(person)`` and ``Scope.managed_q(path)`` (behind ``User.objects.managed_by(user)``):
  R1's "manages": a lead manages the members of their team, a director the members and leads of their
  teams, an admin everyone; nobody manages themselves (a lead's own customers are moved by their
  director, a rep's by their lead). Approvals, transfers, targets and alerts go to the people who
  manage their subject.

Which teams a person leads or directs is a question about people and teams, which live in
``accounts``; core imports no app, so ``scope_of`` asks the user object (``User.read_scope``, a
``ScopedPerson``) and caches the answer on it. The rules on what a scope means stay here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@runtime_checkable
class ScopedPerson(Protocol):
    """A person who can tell their own scope (``accounts.models.User``)."""

    pk: Any
    is_active: bool

    @property
    def is_authenticated(self) -> bool: ...

    def read_scope(self) -> Scope: ...


class HasPk(Protocol):
    pk: Any


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything (admin), whole teams (lead, director) or only own rows (rep)."""

    user_id: int | None
    everything: bool = False
    team_ids: frozenset[int] = frozenset()
    own_team_id: int | None = None
    #: The people of ``team_ids``, read with them: rows are then matched on their owner column against a
    #: plain list of ids, which every database answers from the owner index.
    member_ids: frozenset[int] = frozenset()

    @property
    def sees_nothing(self) -> bool:
        """No active, logged-in user: no rows at all."""
        return self.user_id is None

    @property
    def people(self) -> frozenset[int]:
        """Whose rows the scope holds unless it is ``everything``: oneself and one's teams' members."""
        return self.member_ids | {self.user_id} if self.user_id is not None else frozenset()

    def manages(self, person: HasPk | int | None) -> bool:
        """R1: whether this scope's user manages ``person`` (a person or their id): their lead, their
        director, an admin."""
        person_id = person if isinstance(person, int) or person is None else person.pk
        if person_id is None or self.user_id is None or person_id == self.user_id:
            return False
        return self.everything or person_id in self.member_ids

    def managed_q(self, path: str = "pk") -> Q:
        """The rows whose ``path`` (a person's id) is someone this scope manages; the queryset form of
        ``manages`` (``User.objects.managed_by`` is ``managed_q("pk")``)."""
        if self.user_id is None:
            return Q(pk__in=[])
        if self.everything:
            return ~Q(**{path: self.user_id}) & Q(**{f"{path}__isnull": False})
        return Q(**{f"{path}__in": sorted(self.member_ids - {self.user_id})})


#: The scope of nobody (anonymous or inactive): sees nothing, manages nobody.
NO_SCOPE = Scope(user_id=None)


def scope_of(user: ScopedPerson | AnonymousUser) -> Scope:
    """The user's scope under R1, read once per user object (one query for leads and directors)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached: Scope | None = getattr(user, "_salesops_scope", None)
    if cached is not None:
        return cached
    assert isinstance(user, ScopedPerson)
    scope = user.read_scope()
    setattr(user, "_salesops_scope", scope)  # noqa: B010  (a per-request cache on the user object)
    return scope


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset whose rows belong to people; ``visible_to`` is the only way pages and the API read it.

    Subclasses say how a row reaches its owner (``owner_path``) or override ``scope_q`` when a row's
    visibility is not decided by one owner (teams, people, the public pool, follow-ups).
    """

    owner_path: str = "owner"

    def visible_to(self, user: Any) -> Self:
        """The rows ``user`` (a person or the anonymous user) may read; typed loosely so that an app's
        queryset may narrow it to its own ``User`` when it overrides this."""
        scope = scope_of(user)
        if scope.sees_nothing:
            return self.none()
        if scope.everything:
            return self
        return self.filter(self.scope_q(scope))

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        """Own rows, and for leads and directors the rows of their teams' members (``Scope.member_ids``).

        ``through`` (a relation path ending in ``__``) puts the same condition on rows of another table
        that hang off these: a follow-up is seen where its customer is (``customer__``)."""
        path = f"{through}{self.owner_path}"
        if scope.member_ids:
            return Q(**{f"{path}__in": sorted(scope.people)})
        return Q(**{path: scope.user_id})
