"""Fast loading of generated rows through ``excel.bulk_load.write_rows`` (``executemany`` on SQLite, ``COPY``
on PostgreSQL), buffered ``FLUSH_ROWS`` at a time.

The ORM's ``bulk_create`` builds a model instance and an INSERT per batch; for millions of follow-ups
that alone takes longer than the benchmark's budget. ``RawLoader`` takes plain tuples of database
values (strings for dates and times, UTC), so generation is the only Python work per row. It writes
no history rows (generated rows were never edited, R12 records edits) and sends no signals.

Rows carry explicit ids (``next_id``) so later steps can refer to them without reading them back;
``finish`` moves the table's id sequence past them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from salesops.customers.excel.bulk_load import FLUSH_ROWS, write_rows
from salesops.demo.registry import GeneratorContext


def next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


class RawLoader:
    """Buffered inserts into ``model``'s table; the columns not named get their field default."""

    def __init__(self, ctx: GeneratorContext, model: type[models.Model], fields: Sequence[str], *, label: str) -> None:
        self.ctx = ctx
        self.model = model
        self.label = label
        meta = model._meta
        named = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in fields]
        rest = [f for f in meta.concrete_fields if f not in named and not (f.primary_key and f.name not in fields)]
        self.extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.fields = [*named, *rest]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row + self.extra if self.extra else row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.ctx.counts[self.label] += write_rows(self.model, self.fields, self.rows)
        self.rows = []

    def finish(self) -> None:
        """Write what is buffered and move the id sequence past the explicit ids (PostgreSQL)."""
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


def utc_offset_minutes() -> int:
    """The configured time zone's offset from UTC now (Asia/Shanghai: always +8 h, no summer time)."""
    offset = timezone.localtime().utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


class Stamps:
    """Date and UTC time strings as the database stores them, built from day offsets and local minutes.

    A timestamp is a precomputed date string plus a precomputed ``HH:MM:00`` string per local minute of
    the day: no datetime object and no time-zone lookup per row (the zone's offset is taken once).
    """

    def __init__(self, today: dt.date, days: int) -> None:
        self.today = today
        self.offset_minutes = utc_offset_minutes()
        self.days = [(today - dt.timedelta(days=n)) for n in range(-1, days + 2)]
        self.iso = [day.isoformat() for day in self.days]
        suffix = "+00" if connection.vendor == "postgresql" else ""
        self.utc: list[tuple[int, str]] = []
        for minute in range(1440):
            shift, utc = divmod(minute - self.offset_minutes, 1440)
            self.utc.append((shift + 1, f"{utc // 60:02d}:{utc % 60:02d}:00{suffix}"))

    def day(self, days_ago: int) -> dt.date:
        return self.days[days_ago + 1]

    def date(self, days_ago: int) -> str:
        return self.iso[days_ago + 1]

    def at(self, days_ago: int, local_minute: int) -> str:
        """The timestamp of ``local_minute`` (0-1439) of the local day ``days_ago``."""
        shift, clock = self.utc[local_minute]
        return f"{self.iso[days_ago + 2 - shift]} {clock}"

    def offset(self, day: dt.date) -> int:
        return (self.today - day).days
