"""Optimistic concurrency: a ``version`` on a row, and a write based on an older copy refused as stale.

A client reads a row with its ``version`` and sends that number back with its change. The service locks
the row (``select_for_update``), compares (``version_check``) and saves; every save of a ``Versioned``
row moves the version on by one. Two people editing the same row: the first write wins, the second
carries a version that is no longer current and gets ``Conflict`` with the code ``stale`` (API: 409),
changing nothing. A writer that sends no version (a job, a service acting on a fresh row it has just
locked) is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.core.errors import Conflict, NotFound

V = TypeVar("V", bound="Versioned")

STALE_MESSAGE = _("Someone else changed this in the meantime. Reload it and make your change again.")


class Versioned(models.Model):
    """An abstract model with a ``version`` that every ``save()`` moves on by one."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.moves_version(kwargs.get("update_fields")):
            self.version += 1
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "version"}
        super().save(*args, **kwargs)

    def moves_version(self, update_fields: Iterable[str] | None) -> bool:
        """Whether a save of a saved row with these ``update_fields`` (None: every field) moves the
        version on; a model whose row is also written by machinery no editor sees (a login's time) says
        no for those writes, so they never make an open edit stale."""
        return True


def version_check(row: Versioned, expected: int | None) -> None:
    """Refuse a write based on an older copy of ``row``: ``Conflict(code="stale")`` naming the current
    version. ``expected=None`` (the writer sent no version) is not checked."""
    if expected is not None and expected != row.version:
        raise Conflict(STALE_MESSAGE, code="stale", extra={"version": row.version})


def locked_for_update(
    queryset: QuerySet[V], *, pk: int, expected: int | None = None, of: Iterable[str] = ("self",)
) -> V:
    """The row ``pk`` of ``queryset`` (already scoped by the caller), locked for the rest of the
    transaction and checked against ``expected``; ``NotFound`` when the queryset does not hold it."""
    row = queryset.select_for_update(of=tuple(of)).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("Not found."))
    version_check(row, expected)
    return row
