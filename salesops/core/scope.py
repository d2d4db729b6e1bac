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

    @property
    def nothing(self) -> bool:
        return self.user_id is None


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
    elif role == Role.DIRECTOR:
        directed = Team.objects.filter(director=user, is_active=True).values_list("pk", flat=True)
        scope = Scope(user_id=user.pk, team_ids=frozenset(directed), own_team_id=user.team_id)
    elif role == Role.LEAD:
        led = Team.objects.filter(lead=user, is_active=True).values_list("pk", flat=True)
        scope = Scope(user_id=user.pk, team_ids=frozenset(led), own_team_id=user.team_id)
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
        own = Q(**{self.owner_path: scope.user_id})
        if scope.team_ids:
            return own | Q(**{f"{self.owner_path}__team_id__in": scope.team_ids})
        return own
