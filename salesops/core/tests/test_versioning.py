"""Optimistic concurrency (core.versioning): every save moves the version on; a stale one is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from salesops.core.errors import Conflict
from salesops.core.versioning import Versioned, version_check


class Note(Versioned):
    text = models.CharField(max_length=10)

    class Meta:
        app_label = "core"
        managed = False


def test_a_stale_version_is_a_conflict_naming_the_current_one() -> None:
    note = Note(text="a", version=3)
    version_check(note, 3)
    version_check(note, None)  # a writer that sends no version is not checked
    with pytest.raises(Conflict) as caught:
        version_check(note, 2)
    assert (caught.value.code, caught.value.extra) == ("stale", {"version": 3})


def test_every_save_of_a_saved_row_moves_the_version_on(monkeypatch: pytest.MonkeyPatch) -> None:
    saved: list[dict[str, Any]] = []
    monkeypatch.setattr(models.Model, "save", lambda self, *args, **kwargs: saved.append(kwargs))
    note = Note(text="a")
    note.save()
    assert note.version == 1  # a new row starts at 1
    note._state.adding = False
    note.save()
    note.save(update_fields=["text"])
    assert note.version == 3
    assert saved[-1]["update_fields"] == {"text", "version"}
