"""Readable changes from django-simple-history (R12): who, when, which field, from what to what.

The one way history becomes change rows, for every page and endpoint that shows it (a customer's
history and timeline, the rule settings' log, and the records of the apps to come). Versions are
compared with the next older one field by field; values are shown as people read them (choice labels,
local times, names instead of ids where the caller gives them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

EMPTY = "—"


@dataclass(frozen=True)
class Change:
    """One readable change of one field; ``reason`` is the version's change reason where it explains it."""

    at: dt.datetime
    by: str
    by_id: int | None
    field: str
    label: str
    old: str
    new: str
    reason: str = ""


def shown(field: models.Field[Any, Any], value: Any) -> str:
    """A stored value as people read it: a choice's label, a local time, yes or no, "—" for nothing."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _author(record: Any) -> tuple[str, int | None]:
    return (str(record.history_user) if record.history_user else _("system"), record.history_user_id)


def history_changes(
    records: Sequence[Any],
    *,
    model: type[models.Model],
    excluded: Collection[str] = (),
    display: Mapping[str, Callable[[Any], str]] | None = None,
    reason_fields: Collection[str] = (),
    related: Mapping[str, Mapping[int, list[str]]] | None = None,
    created: Callable[[Any], str] | None = None,
) -> list[Change]:
    """The changes between consecutive ``records`` (historical rows of ``model``, newest first).

    ``excluded`` fields are never shown (derived figures, timestamps); ``display`` overrides how a field's
    value reads (e.g. a person's name for an id); ``reason_fields`` carry the version's change reason
    (a grade's "why", R8); ``related`` gives many-to-many names per historical row id and field (tags by
    name, compared as sets). When the oldest record is the creation, ``created(record)`` names the
    created row in a last "created" change, with the creation's reason (imported, confirmed against
    similar customers ...). Give one record more than the page shows: each version is
    compared with the one before it.
    """
    display = display or {}
    related = related or {}
    fields = [
        field for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in excluded
    ]
    changes: list[Change] = []
    for newer, older in pairwise(records):
        by, by_id = _author(newer)
        for field in fields:
            old, new = getattr(older, field.attname), getattr(newer, field.attname)
            if old == new:
                continue
            show = display.get(field.name) or (lambda value, field=field: shown(field, value))  # type: ignore[misc]
            reason = (newer.history_change_reason or "") if field.name in reason_fields else ""
            changes.append(Change(newer.history_date, by, by_id, field.name, str(field.verbose_name), show(old),
                                  show(new), reason))
        for name, names in related.items():
            old_names, new_names = sorted(names.get(older.pk, [])), sorted(names.get(newer.pk, []))
            if old_names != new_names:
                label = str(getattr(model._meta.get_field(name), "verbose_name", name))
                changes.append(Change(newer.history_date, by, by_id, name, label, "、".join(old_names) or EMPTY,
                                      "、".join(new_names) or EMPTY))
    first = records[-1] if records else None
    if created is not None and first is not None and first.history_type == "+":
        by, by_id = _author(first)
        changes.append(Change(first.history_date, by, by_id, "created", _("created"), EMPTY, created(first),
                              first.history_change_reason or ""))
    return changes


def record_at(row: models.Model, version: int) -> Any:
    """The history record of ``row`` (a ``core.versioning.Versioned`` model with simple-history) as it
    was at ``version``: the last one saved at or before it; None if unknown."""
    history = row.history  # type: ignore[attr-defined]
    return history.filter(version__lte=version).order_by("-history_date", "-history_id").first()


def changes_since(row: models.Model, *, version: int, excluded: Collection[str] = (), limit: int = 100) -> list[Change]:
    """What others changed on ``row`` after ``version`` (the one an editor read), newest first, field by
    field; related rows by name (a team's lead, a person's team). Saves that did not move the version on
    (a login) show nothing."""
    model = type(row)
    history = row.history.select_related("history_user").order_by("-history_date", "-history_id")  # type: ignore[attr-defined]
    kept = {field.name for field in history.model._meta.concrete_fields}
    excluded = {*excluded, *(field.name for field in model._meta.concrete_fields if field.name not in kept)}
    base = record_at(row, version)
    records = [*history.filter(version__gt=version)[:limit], *([base] if base is not None else [])]
    display: dict[str, Callable[[Any], str]] = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and field.editable and field.name not in excluded:
            ids = {getattr(record, field.attname) for record in records} - {None}
            names = {obj.pk: str(obj) for obj in field.related_model._default_manager.filter(pk__in=ids)}  # type: ignore[union-attr]
            display[field.name] = lambda pk, names=names: names.get(pk, f"#{pk}") if pk else EMPTY  # type: ignore[misc]
    return history_changes(records, model=model, excluded=excluded, display=display)
