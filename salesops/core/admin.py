"""Shared pieces of the management pages."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Rows that only the product writes (records, job runs): the admin may look, never add, edit or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionedAdminMixin:
    """The management page of a ``core.versioning.Versioned`` row edited through a
    ``core.forms.VersionedModelForm``: ``version`` is that form's own hidden field (the model's is not
    editable), shown with the fields but never asked of the model form."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # fields=None (the admin asking which fields the form has) means the model form's editable ones
        fields = kwargs.pop("fields") if "fields" in kwargs else flatten_fieldsets(
            self.get_fieldsets(request, obj)  # type: ignore[attr-defined]
        )
        if fields is not None:
            fields = [name for name in fields if name != "version"]
        return super().get_form(request, obj, change=change, fields=fields, **kwargs)  # type: ignore[misc]
