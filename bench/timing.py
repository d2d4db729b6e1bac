"""Timing one endpoint in-process: server time per request, its SQL, and the same SQL run raw.

Import after ``django.setup()``. The ratio endpoint/raw SQL says how much of a request is spent
outside the database (ORM, serialisers, templates, middleware): a high ratio with few queries points
at Python work, a ratio near 1 at the SQL itself, many queries at an N+1.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from salesops.accounts.models import User


@dataclass
class Measurement:
    path: str
    status: int
    samples_ms: list[float] = field(default_factory=list)
    queries: int = 0
    raw_samples_ms: list[float] = field(default_factory=list)
    skipped_writes: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms) if self.samples_ms else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def raw_median_ms(self) -> float:
        return statistics.median(self.raw_samples_ms) if self.raw_samples_ms else 0.0

    @property
    def ratio(self) -> float | None:
        """Endpoint median over raw-SQL median; None when the request ran no query worth timing."""
        return self.median_ms / self.raw_median_ms if self.raw_median_ms > 0 else None

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("samples_ms")
        data.pop("raw_samples_ms")
        data.update(
            median_ms=round(self.median_ms, 3),
            p95_ms=round(self.p95_ms, 3),
            raw_sql_ms=round(self.raw_median_ms, 3),
            ratio=None if self.ratio is None else round(self.ratio, 2),
        )
        return data


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def client_for(user: User, *, host: str = "localhost") -> Client:
    """A test client logged in as ``user``, for a host the settings allow (``localhost`` when DEBUG is on)."""
    client = Client(SERVER_NAME=host)
    client.force_login(user)
    return client


def measure(
    client: Client,
    path: str | Callable[[], str],
    *,
    repeat: int,
    warmup: int,
    method: str = "GET",
    body: dict[str, Any] | None = None,
) -> Measurement:
    """Warm up, time ``repeat`` requests, capture one request's SQL and time its reads raw ``repeat`` times.

    A write (``method`` other than GET) sends ``body`` as JSON; each timed write creates its row. ``path``
    may be a function giving each request its own path (a write that can happen once per row: a win)."""
    payload = json.dumps(body or {})
    path_of = path if callable(path) else lambda: path

    def send() -> int:
        path = path_of()
        if method == "GET":
            response = client.get(path)
        else:
            response = client.generic(method, path, payload, content_type="application/json")
        if response.streaming:  # an export: the time is the whole body's, not the first chunk's
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return int(response.status_code)

    status = send()
    for _ in range(max(warmup - 1, 0)):
        send()
    result = Measurement(path=path if isinstance(path, str) else path_of(), status=status)
    if status == 404:
        return result
    for _ in range(repeat):
        started = time.perf_counter()
        send()
        result.samples_ms.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        send()
    statements = [query["sql"] for query in captured.captured_queries]
    result.queries = len(statements)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    result.skipped_writes = len(statements) - len(reads)
    result.raw_samples_ms = time_raw_sql(reads, repeat=repeat)
    return result


def time_raw_sql(statements: list[str], *, repeat: int) -> list[float]:
    """Run the captured read statements as plain SQL on the same connection, fetching every row."""
    if not statements:
        return []
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return samples
