"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from salesops.core.errors import Conflict
from salesops.core.history import changes_since, record_at
from salesops.core.versioning import Versioned, version_check


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal (``core.errors.Invalid``, or a model's ``ValidationError``) shown on the form:
    each field's messages at that field when the form has it, everything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)


def version_field() -> forms.IntegerField:
    """The version the editor read (``core.versioning``), carried by the edit form in a hidden input."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


def same_value(first: Any, second: Any) -> bool:
    """Two values of a field alike as an editor sees them: nothing, "" and [] alike, lists as sets, a row
    as its id."""
    first, second = getattr(first, "pk", first), getattr(second, "pk", second)
    if isinstance(first, list | tuple) or isinstance(second, list | tuple):
        return sorted(first or []) == sorted(second or [])
    if first in (None, "") or second in (None, ""):
        return first in (None, "") and second in (None, "")
    if isinstance(first, Decimal) or isinstance(second, Decimal):
        return Decimal(str(first)) == Decimal(str(second))
    return str(first).strip() == str(second).strip()


def rebase(form: forms.BaseForm, *, base: Mapping[str, Any], current: Mapping[str, Any], version: int,
           as_text: Mapping[str, Any] | None = None) -> list[str]:
    """After a stale save: what the editor typed, on top of the current row. A field the editor left as it
    was at ``base`` (the version they read) takes the current value, so the other person's change is kept;
    a field the editor changed keeps what they typed. Returns the fields both changed (to point out); the
    form then carries ``version``, the current one, for the next save. ``as_text`` turns a field's current
    value into the form's text where ``str`` does not."""
    data = form.data.copy()  # type: ignore[attr-defined]
    both: list[str] = []
    for name, now in current.items():
        if name not in form.fields or name not in base:
            continue
        typed, was = form.cleaned_data.get(name), base[name]
        if not same_value(now, was):
            if same_value(typed, was):
                text = (as_text or {}).get(name)
                data[name] = text(now) if text else ("" if now is None else str(now))
            elif not same_value(typed, now):
                both.append(name)
    data["version"] = str(version)
    form.data = data
    return both


def row_values(row: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The values of a row, or of one of its history records, as its edit form holds them (ids for rows)."""
    fields = {field.name: field.attname for field in type(row)._meta.concrete_fields}
    return {name: getattr(row, fields[name]) for name in names if name in fields}


def show_stale(form: forms.BaseForm, *, row: Versioned, read: int, excluded: Collection[str] = ()) -> None:
    """Someone else saved ``row`` after the editor read version ``read``: the form says above its fields what
    they changed (R12, from the history), and is rebased on the current row (``rebase``), keeping what
    the editor typed, so that saving again keeps both."""
    model_fields = {field.name for field in type(row)._meta.concrete_fields}
    names = [name for name in form.fields if name in model_fields and name != "version"]
    current = row_values(row, names)
    record = record_at(row, read)
    both = rebase(form, base=row_values(record, names) if record is not None else current, current=current,
                  version=row.version)
    form.add_error(None, _("Someone else saved this while you were editing it. Their changes:"))
    for change in changes_since(row, version=read, excluded=excluded):
        form.add_error(None, _("%(by)s changed %(label)s from %(old)s to %(new)s.") % {
            "by": change.by, "label": change.label, "old": change.old, "new": change.new})
    if both:
        labels = "、".join(str(form.fields[name].label) for name in both)
        form.add_error(None, _("You changed these too; the form keeps what you typed: %(fields)s.") % {
            "fields": labels})
    form.add_error(None, _("The form below holds their changes and yours. Check it and save again."))


class VersionedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A management form of a ``Versioned`` row: it carries the version read, and a save based on an older
    one is refused in the form (``show_stale``) with the row locked for the rest of the save, so the
    service the admin then calls sees the same row."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["version"].required = False  # a new row has none yet
        else:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        read = data.get("version")
        if self.instance.pk is not None and read is not None:
            row = type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
            try:
                version_check(row, read)
            except Conflict:
                show_stale(self, row=row, read=read)
        return data
