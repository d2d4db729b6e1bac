"""Data scope (R1) in one place.

``scope_of(user)`` says which teams and which own rows a user may see; ``ScopedQuerySet.visible_to``
applies it. Every list, detail, export, feed, notification and report goes through ``visible_to``;
anything outside it answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from salesops.accounts.models import User


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything (admin), whole teams (lead, director) or only own rows (rep)."""

    user_id: int | None
    everything: bool = False
    team_ids: frozenset[int] = frozenset()
    own_team_id: int | None = None
    #: The people of ``team_ids``, read with them: rows are then matched on their owner column against a
    #: plain list of ids, which every database answers from the owner index (a subquery or a join on the
    #: owner's team made PostgreSQL scan the whole table, and SQLite the whole owner index).
    member_ids: frozenset[int] = frozenset()

    @property
    def nothing(self) -> bool:
        return self.user_id is None

    @property
    def people(self) -> frozenset[int]:
        """Whose rows the scope holds unless it is ``everything``: oneself and one's teams' members."""
        return self.member_ids | {self.user_id} if self.user_id is not None else frozenset()


NO_SCOPE = Scope(user_id=None)


def scope_of(user: User | AnonymousUser) -> Scope:
    """The user's scope under R1, computed once per user object (one query for leads and directors)."""
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached: Scope | None = getattr(user, "_salesops_scope", None)
    if cached is not None:
        return cached
    from salesops.accounts.models import Role, Team

    role = user.role
    if user.is_superuser or role == Role.ADMIN:
        scope = Scope(user_id=user.pk, everything=True, own_team_id=user.team_id)
    elif role in (Role.DIRECTOR, Role.LEAD):
        teams = Team.objects.filter(is_active=True, **{"director" if role == Role.DIRECTOR else "lead": user})
        rows = list(teams.values_list("pk", "members__pk"))
        scope = Scope(
            user_id=user.pk,
            team_ids=frozenset(team_id for team_id, _member in rows),
            own_team_id=user.team_id,
            member_ids=frozenset(member for _team, member in rows if member is not None),
        )
    else:
        scope = Scope(user_id=user.pk, own_team_id=user.team_id)
    setattr(user, "_salesops_scope", scope)  # noqa: B010  (a per-request cache on the user object)
    return scope


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset whose rows belong to people; ``visible_to`` is the only way pages and the API read it.

    Subclasses say how a row reaches its owner (``owner_path``) or override ``scope_q`` when a row's
    visibility is not decided by one owner (teams, people, the public pool).
    """

    owner_path: str = "owner"

    def visible_to(self, user: User | AnonymousUser) -> Self:
        scope = scope_of(user)
        if scope.nothing:
            return self.none()
        if scope.everything:
            return self
        return self.filter(self.scope_q(scope))

    def scope_q(self, scope: Scope) -> Q:
        """Own rows, and for leads and directors the rows of their teams' members (``Scope.member_ids``)."""
        if scope.member_ids:
            return Q(**{f"{self.owner_path}__in": sorted(scope.people)})
        return Q(**{self.owner_path: scope.user_id})
