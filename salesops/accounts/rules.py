"""Action permissions (django-rules): who may act, as distinct from which rows they see (R1 scope)."""

from __future__ import annotations

from typing import Any

import rules

from salesops.accounts.models import Role


@rules.predicate
def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


@rules.predicate
def is_director(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.DIRECTOR)


@rules.predicate
def is_lead(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.LEAD)


is_manager = is_admin | is_director | is_lead

rules.add_perm("accounts.manage_people", is_admin)
rules.add_perm("accounts.manage_teams", is_admin)
rules.add_perm("accounts.view_people", rules.is_authenticated)
rules.add_perm("organisation.manage_settings", is_admin)
rules.add_perm("organisation.manage_calendar", is_admin)
rules.add_perm("organisation.run_setup", is_admin)
rules.add_perm("jobs.run_jobs", is_admin)
rules.add_perm("followups.view_team_overdue", is_manager)
rules.add_perm("customers.merge_customers", is_manager)
rules.add_perm("customers.move_customers", is_manager)
