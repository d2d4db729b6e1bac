"""One (database, scale) run in its own process: migrate, generate, time every endpoint as each actor, the
heavy scheduled jobs (bench/jobs.py), then (unless ``excel`` is off) the Excel import and export of 100,000
rows (bench/excel.py).

The process is configured by the environment the harness sets (DATABASE_URL, SALESOPS_DATA_DIR,
DEBUG=1), so it runs with the package's own settings, as ``salesops`` would.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def work(
    *, database: str, scale: str, result: Path, repeat: int, warmup: int, seed: int, excel: bool = True
) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from bench.endpoints import ENDPOINTS
    from bench.jobs import run_jobs
    from bench.timing import client_for, measure
    from salesops.accounts.models import Team, User
    from salesops.demo.generator import SCALES, generate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_seconds = time.perf_counter() - started
    generated = generate(scale=SCALES[scale], seed=seed)
    # A server process does not hold a generator's millions of leftover objects: collect them, and freeze
    # what stays (settings, URL patterns, templates) out of the collector's way, as a preloading server
    # does, so that a full collection in the middle of a timed request is the request's own cost only.
    gc.collect()
    gc.freeze()
    actors, params = pick_actors()
    clients = {name: client_for(user) for name, user in actors.items()}
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    combos = [(endpoint, actor) for endpoint in ENDPOINTS for actor in endpoint.actors]
    for endpoint, actor in tqdm(combos, desc=f"{database} {scale} endpoints", unit="endpoint", disable=None):
        path: str | Callable[[], str] = endpoint.path.format(**params[actor], open_deal="{open_deal}")
        if "{open_deal}" in endpoint.path:
            path = _fresh_open_deals(str(path), actors[actor], needed=warmup + repeat + 2)
        body = {key: value.format(**params[actor]) if isinstance(value, str) else value
                for key, value in endpoint.data.items()}
        try:
            measurement = measure(
                clients[actor], path, repeat=repeat, warmup=warmup, method=endpoint.method, body=body
            )
        except Exception as exc:
            notes.append(f"{endpoint.method} {endpoint.path} as {actor} failed: {type(exc).__name__}: {exc}")
            continue
        if measurement.status == 404:
            notes.append(f"GET {path} as {actor} answered 404: skipped.")
            continue
        rows.append({"endpoint": endpoint.name, "actor": actor, **measurement.summary()})
    jobs_section = run_jobs(notes)
    excel_section = _excel(actors["admin"], notes) if excel else None
    payload = {
        "database": database,
        "scale": scale,
        "vendor": connection.vendor,
        "server_version": _server_version(),
        "people": User.objects.count(),
        "teams": Team.objects.count(),
        "migrate_seconds": round(migrate_seconds, 2),
        "generate": {
            "seed": seed,
            "rows": generated.total_rows,
            "seconds": round(generated.seconds, 3),
            "rows_per_second": round(generated.rows_per_second),
            "steps": [{"step": name, "rows": count, "seconds": round(sec, 3)} for name, count, sec in generated.steps],
            "by_model": dict(generated.rows),
        },
        "actors": {name: user.username for name, user in actors.items()},
        "endpoints": rows,
        "jobs": jobs_section,
        "excel": excel_section,
        "notes": notes,
    }
    result.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")


def _fresh_open_deals(path: str, owner: Any, needed: int) -> Callable[[], str]:
    """``path`` with the next of ``owner``'s open deals at each call (each request wins a different one);
    deals are added on the owner's first customer, through the service, when the data holds too few."""
    from salesops.customers.models import Customer
    from salesops.deals import services
    from salesops.deals.models import Deal, DealStatus

    open_deals = Deal.objects.filter(owner=owner, status=DealStatus.OPEN)
    missing = needed - open_deals.count()
    if missing > 0:
        customer = Customer.objects.filter(owner=owner, is_active=True).order_by("id").first()
        if customer is None:
            raise RuntimeError(f"{owner} has no customer to add open deals on")
        for number in range(missing):
            services.deal_create(by=owner, customer=customer, title=f"基准商机 {number + 1}", amount="120000.00")
    deals = iter(open_deals.order_by("id").values_list("id", flat=True))
    return lambda: path.replace("{open_deal}", str(next(deals)))


def _excel(admin: Any, notes: list[str]) -> dict[str, Any] | None:
    """The Excel section after the endpoints (its import adds 100,000 customers); None with a note on failure."""
    from bench.excel import run_excel
    from salesops.accounts.models import Role, User

    reps = list(User.objects.filter(role=Role.REP, is_active=True, team__isnull=False).order_by("pk")[:5])
    print("excel: import and export of 100,000 rows", file=sys.stderr, flush=True)
    try:
        return run_excel(admin, reps)
    except Exception as exc:
        notes.append(f"excel benchmark failed: {type(exc).__name__}: {exc}")
        return None


def pick_actors() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The first generated rep, that rep's lead and director, and the admin; plus the path values of each."""
    from django.utils import timezone

    from salesops.accounts.models import Role, User

    rep = User.objects.filter(role=Role.REP, is_active=True, team__isnull=False).select_related("team").earliest("pk")
    assert rep.team is not None and rep.team.lead_id is not None and rep.team.director_id is not None
    actors = {
        "rep": rep,
        "lead": User.objects.get(pk=rep.team.lead_id),
        "director": User.objects.get(pk=rep.team.director_id),
        "admin": User.objects.filter(role=Role.ADMIN, is_active=True).earliest("pk"),
    }
    today = timezone.localdate()
    common = {f"{name}": user.pk for name, user in actors.items()} | {
        "today": today.isoformat(), "year": today.year, "month": f"{today.year:04d}-{today.month:02d}"}
    params = {name: common | {"team": user.team_id or rep.team_id} for name, user in actors.items()}
    return actors, params


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return str(cursor.fetchone()[0])
