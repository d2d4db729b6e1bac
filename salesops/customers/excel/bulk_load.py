"""Plain-row inserts and key lookups for the customer import (R26), with the history simple-history writes (R12).

A row is a dict of database values, written with ``executemany`` on SQLite and ``COPY`` on PostgreSQL
through the caller's transaction (all or nothing); the history records (R12) are copied by the database
from the inserted rows (``copy_history``); ids are reserved before the insert (``reserve_ids``). Why not
``bulk_create``: docs/performance-notes.md, "Sheet import in bulk".
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import CharField, F, Lookup, Q, Value

FLUSH_ROWS = 20_000
#: SQLite's page cache during a bulk load (KiB): the pages of the indexes that rows go into at random places
#: (the search words above all) stay in memory instead of being read again from the file.
BULK_CACHE_KIB = 512 * 1024
_CONVERTED = (models.DateTimeField, models.DateField, models.DecimalField, models.TimeField)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk load, then restore it as it was: it walked the
    load's millions of live objects again and again and freed nothing (docs/performance-notes.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def bulk_cache() -> Iterator[None]:
    """SQLite's page cache at ``BULK_CACHE_KIB`` for a bulk load, then as it was (nothing elsewhere): with
    the default 2 MB, inserting a 100,000-row sheet's search words re-read index pages from the file and
    took half as long again (docs/performance-notes.md)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, for rows this transaction inserts."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the sequence looked up once, not once per id; one array back
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, count])
            ids: list[int] = cursor.fetchone()[0]
            return ids
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {quoted}")  # noqa: S608 (model names)
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(top, found[0] if found else 0) + 1
    return list(range(start, start + count))


def key_chunk() -> int:
    """Keys per query: under SQLite's parameter limit; PostgreSQL takes them as one array (``any_of``), so a
    whole sheet's keys go in one query, which the database answers in one pass (an index search per key
    or, for many keys, one scan of the table with the keys hashed)."""
    return 1_000_000 if connection.vendor == "postgresql" else 900


def any_of(column: str, keys: list[str]) -> Q:
    """``column IN keys`` as a filter; on PostgreSQL ``column = ANY(%s)`` with one array parameter, which
    is parsed and planned in a fraction of the time of thousands of parameters."""
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": keys})
    from django.contrib.postgres.fields import ArrayField

    return Q(_AnyOf(F(column), Value(keys, output_field=ArrayField(CharField()))))


class _AnyOf(Lookup):  # type: ignore[type-arg]
    """``lhs = ANY(rhs)`` (PostgreSQL): the right-hand side is one array."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of ``field`` becomes a database value; None: as it is."""
    if field.choices and not isinstance(field, _CONVERTED):  # TextChoices members go out as their values
        return lambda value: value.value if isinstance(value, Enum) else value
    if not isinstance(field, _CONVERTED):
        return None
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if value not in seen:
            seen[value] = field.get_db_prep_save(value, connection)
        return seen[value]

    return convert


def defaults(model: type[models.Model], now: Any) -> dict[str, Any]:
    """Each concrete field's value when a row does not name it: ``now`` for auto_now(_add), else the default."""
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.attname] = now
        else:
            values[field.attname] = field.get_default() if field.has_default() else None
    return values


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], *, now: Any) -> int:
    """Insert ``rows`` (dicts by field attname) into ``model``'s table; a column a row does not name gets
    its ``defaults``. An auto primary key that the rows do not name is the database's. On PostgreSQL the
    rows stream into one COPY as they are produced, so the server writes while Python makes the next."""
    values = defaults(model, now)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if field is not pk or pk.attname in first]
    pick = itemgetter(*(field.attname for field in fields))
    special = [(index, convert) for index, field in enumerate(fields) if (convert := _converter(field))]

    def cells(row: dict[str, Any]) -> tuple[Any, ...]:
        picked: tuple[Any, ...] = pick(values | row)
        if not special:
            return picked
        changed = list(picked)
        for index, convert in special:
            changed[index] = convert(changed[index])
        return tuple(changed)

    return write_rows(model, fields, map(cells, chain([first], iterator)))


def write_rows(
    model: type[models.Model], fields: Sequence[models.Field[Any, Any]], rows: Iterable[Sequence[Any]]
) -> int:
    """Send ``rows`` (database values in the order of ``fields``) to ``model``'s table through the connection
    of the caller's transaction: one streamed COPY on PostgreSQL, ``executemany`` per ``FLUSH_ROWS`` on
    SQLite. The import and the generator (``customers.demo_load.RawLoader``) both write through it."""
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    return _send(connection.ops.quote_name(model._meta.db_table), columns, len(fields), rows)


def write_sorted(
    model: type[models.Model], fields: Sequence[models.Field[Any, Any]], rows: Iterable[Sequence[Any]], *, by: str
) -> int:
    """``write_rows`` in the byte order of the column ``by``: the rows go into a temporary table, then from it
    into ``model``'s table sorted by the database, so the indexes that start with ``by`` take their new
    entries page after page instead of at random places (a third less time for a sheet's search words;
    docs/performance-notes.md). The temporary table lives in the caller's transaction."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    staging = quote(f"{model._meta.db_table}_staging")
    columns = ", ".join(quote(str(field.column)) for field in fields)
    order = quote(by) + (' COLLATE "C"' if connection.vendor == "postgresql" else "")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the sort in memory, this transaction only
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {table} LIMIT 0")  # noqa: S608
        count = _send(staging, columns, len(fields), rows)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} ORDER BY {order}")  # noqa: S608
        cursor.execute(f"DROP TABLE {staging}")
    return count


def _send(table: str, columns: str, width: int, rows: Iterable[Sequence[Any]]) -> int:
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    count = 0
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * width)})"  # noqa: S608 (model names)
    iterator = iter(rows)
    while batch := list(islice(iterator, FLUSH_ROWS)):
        raw.executemany(sql, batch)
        count += len(batch)
    return count


def copy_history(model: type[models.Model], ids: list[int], *, by_id: int | None, reason: str, now: Any) -> int:
    """Write the "+" history record (R12) of the freshly inserted rows ``ids`` of ``model``, as
    ``bulk_create_with_history`` would: copied by the database from the rows themselves (INSERT ...
    SELECT), so no value goes through Python twice."""
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    history = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    source = {field.attname: field.column for field in model._meta.concrete_fields}
    tracked = [(history._meta.get_field(field.name).column, source[field.attname]) for field in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    columns = ", ".join(quote(column) for column in [*(target for target, _source in tracked), *extra])
    selected = ", ".join(quote(column) for _target, column in tracked)
    date = history._meta.get_field("history_date").get_db_prep_save(now, connection)
    pk = quote(model._meta.pk.column)
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}) SELECT {selected}, %s, %s, %s, %s "  # noqa: S608
        f"FROM {quote(model._meta.db_table)} WHERE "
    )
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter however many ids
            cursor.execute(insert + f"{pk} = ANY(%s) ORDER BY {pk}", [date, reason, "+", by_id, ids])
            return cursor.rowcount
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(insert + f"{pk} IN ({marks}) ORDER BY {pk}", [date, reason, "+", by_id, *part])
            count += cursor.rowcount
    return count
