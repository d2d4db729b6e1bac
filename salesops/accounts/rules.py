"""Action permissions (django-rules): who may act, as distinct from which rows they see (R1 scope).

The role predicates and ``manages`` (R1, ``core.scope.Scope.manages``) live here; each app names its own
permissions in its ``rules.py`` from them, and its services check them with ``by.has_perm(...)``, raising
``core.errors.PermissionDenied``. A deactivated person passes none.
"""

from __future__ import annotations

from typing import Any

import rules

from salesops.accounts.models import Role
from salesops.core.scope import scope_of


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_admin(user: Any) -> bool:
    return _active(user) and bool(user.is_superuser or user.role == Role.ADMIN)


@rules.predicate
def is_director(user: Any) -> bool:
    return _active(user) and user.role == Role.DIRECTOR


@rules.predicate
def is_lead(user: Any) -> bool:
    return _active(user) and user.role == Role.LEAD


@rules.predicate
def is_rep(user: Any) -> bool:
    return _active(user) and user.role == Role.REP


is_manager = is_admin | is_director | is_lead


@rules.predicate
def manages(user: Any, person: Any) -> bool:
    """R1: ``user`` is ``person``'s lead, their director, or an admin."""
    return scope_of(user).manages(person)


rules.add_perm("accounts.manage_people", is_admin)
rules.add_perm("accounts.manage_teams", is_admin)
