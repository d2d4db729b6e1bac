"""The benchmark harness's timing (bench/timing.py) on a tiny database: samples, query count, raw SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.timing import client_for, measure, percentile
from salesops.testing.actors import Actors


def test_percentile_is_nearest_rank() -> None:
    assert percentile([float(n) for n in range(1, 51)], 95) == 48.0
    assert percentile([float(n) for n in range(20, 0, -1)], 95) == 19.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 95) == 0.0


def test_measure_times_an_endpoint_and_its_sql(actors: Actors) -> None:
    client = client_for(actors.lead_a, host="testserver")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/me/").status_code == 200
    result = measure(client, "/api/me/", repeat=3, warmup=1)
    assert result.status == 200
    assert len(result.samples_ms) == 3
    assert result.queries == len(captured.captured_queries)
    assert result.skipped_writes == 0
    assert len(result.raw_samples_ms) == 3
    assert result.median_ms <= result.p95_ms
    assert result.ratio == pytest.approx(result.median_ms / result.raw_median_ms)
    summary = result.summary()
    assert summary["status"] == 200 and summary["queries"] == result.queries
    assert "samples_ms" not in summary


def test_measure_skips_a_missing_endpoint(actors: Actors) -> None:
    result = measure(client_for(actors.rep_a1, host="testserver"), "/api/no-such-thing/", repeat=3, warmup=2)
    assert result.status == 404
    assert result.samples_ms == [] and result.raw_samples_ms == []
    assert result.ratio is None


@pytest.mark.django_db
def test_measure_sends_a_write_as_json(actors: Actors) -> None:
    """The follow-up create row of the benchmark is a real POST, not a GET of the list."""
    from salesops.accounts.models import Team

    client = client_for(actors.admin, host="testserver")
    result = measure(client, "/api/teams/", repeat=2, warmup=1, method="POST", body={"name": "基准测试组"})
    assert result.status == 201
    assert Team.objects.filter(name="基准测试组").count() == 1
    assert result.queries > 0


def test_measure_gives_each_request_its_own_path_when_asked(actors: Actors) -> None:
    """A write that happens once per row (a deal's win) names a fresh row in every request."""
    asked: list[str] = []
    paths = iter(["/api/me/"] * 20)

    def next_path() -> str:
        asked.append(next(paths))
        return asked[-1]

    result = measure(client_for(actors.lead_a, host="testserver"), next_path, repeat=3, warmup=2)
    assert result.status == 200 and len(result.samples_ms) == 3
    assert len(asked) == 2 + 3 + 1 + 1  # warm-ups, timed requests, the captured one and the recorded path
