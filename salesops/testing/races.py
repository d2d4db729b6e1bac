"""Races for real: jobs in threads, each on its own database connection, released at the same moment.

Used by the tests of "two at once: exactly one wins" (R13 wins, R15 claims, receipts); they need the
``concurrent_db`` fixture of the root conftest (a database the threads can share)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from django.utils import translation

from salesops.core.errors import DomainError


def race(*jobs: Callable[[], object]) -> list[str]:
    """Run the jobs in threads released together; each outcome is "ok", the domain error's code
    (``already_claimed``, ``stale``, ``invalid`` ...) or "error: ..." for anything else."""
    barrier = threading.Barrier(len(jobs))
    outcomes = ["" for _ in jobs]

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=10)
                job()
            outcomes[index] = "ok"
        except DomainError as exc:
            outcomes[index] = exc.code
        except Exception as exc:  # reported in the assertion on the outcomes
            outcomes[index] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
