"""Planner statistics: what the database knows of its own tables' shapes.

Without statistics SQLite guesses that an index on a column with three values (a grade) is as selective as
one on the owner and reads a third of all customers for one team's list; PostgreSQL's autovacuum analyses
eventually, but not right after a bulk load, and until it vacuums, its index-only scans (the per-rep
counts of R10 and R11) still read every table row. ``statistics_refresh`` runs after bulk loads (the
generator, with ``vacuum``) and nightly (the ``statistics`` job). SQLite samples at most
``SQLITE_ANALYSIS_LIMIT`` rows per index, so it stays well under a second at any size.
"""

from __future__ import annotations

from django.db import connection

SQLITE_ANALYSIS_LIMIT = 2000


def statistics_refresh(*, vacuum: bool = False) -> str:
    """Refresh the planner's statistics of every table; returns the database vendor it ran on.

    ``vacuum`` (PostgreSQL, outside any transaction) also records which pages hold only visible rows, so
    that index-only scans need no table read: what autovacuum does in time, done at once after a bulk load.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif vacuum and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return connection.vendor
