"""Planner statistics: what the database knows of its own tables' shapes.

``statistics_refresh`` runs after bulk loads (the generator, with ``vacuum``) and nightly (the
``statistics`` job): without it the planners misjudge the customer indexes right after a load
(docs/performance-notes.md, "Planner statistics").
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
