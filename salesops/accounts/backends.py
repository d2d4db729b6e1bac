"""Permission backend: a person with the admin role (R1) may do everything an admin page offers."""

from __future__ import annotations

from typing import Any

from salesops.accounts.models import Role


class AdminRoleBackend:
    """Grants every model permission to active users whose role is admin, without making them superusers.

    It authenticates nobody and has no ``get_user``, so logins and sessions stay with the other backends.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMIN)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMIN)
