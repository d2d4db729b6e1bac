"""Benchmark harness: ``python bench/run.py [--scales S,M] [--databases sqlite,postgres] [--repeat 50]``.

For each database and scale: a fresh database, ``migrate``, ``generate``, then every endpoint of
bench/endpoints.py timed in-process (Django's test client) as a rep, a lead, a director and the admin,
then the Excel import and export of 100,000 rows (bench/excel.py; ``--no-excel`` skips it).
Each (database, scale) runs in its own process configured only through the environment, as in
production: ``DATABASE_URL``, ``SALESOPS_DATA_DIR`` and ``DEBUG=1``. Results go to the terminal, to
bench/results/<timestamp>.json and to bench/results/latest.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
WORK_DIR = ROOT / "var" / "bench"
SCALES = ("S", "M", "L")
DATABASES = ("sqlite", "postgres")
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_DB = "salesops_bench"


def _csv(choices: tuple[str, ...]) -> Any:
    def parse(value: str) -> list[str]:
        items = [item.strip() for item in value.split(",") if item.strip()]
        wrong = [item for item in items if item not in choices]
        if not items or wrong:
            raise argparse.ArgumentTypeError(f"choose from {','.join(choices)} (got {value!r})")
        return items

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scales", type=_csv(SCALES), default=["S", "M"], help="Comma-separated: S,M,L (default S,M).")
    parser.add_argument(
        "--databases", type=_csv(DATABASES), default=list(DATABASES), help="Comma-separated: sqlite,postgres."
    )
    parser.add_argument("--repeat", type=int, default=50, help="Timed requests per endpoint and actor (default 50).")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first (default 5).")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the generated data (default 1).")
    parser.add_argument("--postgres", default=POSTGRES_SERVER, help=f"PostgreSQL server (default {POSTGRES_SERVER}).")
    parser.add_argument("--keep", action="store_true", help=f"Keep the {POSTGRES_DB} database afterwards.")
    parser.add_argument(
        "--no-excel", dest="excel", action="store_false", help="Skip the Excel import/export of 100,000 rows."
    )
    parser.add_argument("--worker", nargs=3, metavar=("DATABASE", "SCALE", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 1:
        parser.error("--repeat and --warmup must be at least 1")
    return args


# --- The parent: fresh databases, one worker process per (database, scale), the report ---------------


def loud(message: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n" + "\n".join(f"!!! {line}" for line in message.splitlines()) + f"\n{bar}\n", file=sys.stderr)


def postgres_admin(server: str) -> Any:
    """A connection to the server's ``postgres`` database, for CREATE/DROP DATABASE (autocommit)."""
    import psycopg

    return psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True, connect_timeout=5)


def recreate_postgres(server: str, *, drop_only: bool = False) -> None:
    from psycopg import sql

    with postgres_admin(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(POSTGRES_DB)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(POSTGRES_DB)))


def fresh_database(database: str, scale: str, server: str) -> tuple[str, Path]:
    """An empty database and data folder for one run; returns (DATABASE_URL, SALESOPS_DATA_DIR)."""
    data_dir = WORK_DIR / f"{database}-{scale}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    if database == "sqlite":
        return f"sqlite:///{data_dir / 'salesops.sqlite3'}", data_dir
    recreate_postgres(server)
    return server.rstrip("/") + f"/{POSTGRES_DB}", data_dir


def run_one(database: str, scale: str, args: argparse.Namespace) -> dict[str, Any]:
    url, data_dir = fresh_database(database, scale, args.postgres)
    env = {**os.environ, "DATABASE_URL": url, "SALESOPS_DATA_DIR": str(data_dir), "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", database, scale, str(result_path),
        "--repeat", str(args.repeat), "--warmup", str(args.warmup), "--seed", str(args.seed),
        *([] if args.excel else ["--no-excel"]),
    ]
    try:
        completed = subprocess.run(command, env=env, cwd=ROOT, check=False)
        if completed.returncode != 0:
            return {"database": database, "scale": scale, "error": f"worker exited with {completed.returncode}"}
        result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
        return result
    finally:
        result_path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if args.worker:
        from bench.worker import work

        database, scale, result = args.worker
        work(
            database=database, scale=scale, result=Path(result), repeat=args.repeat, warmup=args.warmup, seed=args.seed,
            excel=args.excel,
        )
        return 0
    from bench.report import render_markdown, render_text

    started = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "settings": {"repeat": args.repeat, "warmup": args.warmup, "seed": args.seed, "excel": args.excel},
        "notes": [],
        "runs": [],
    }
    databases = list(args.databases)
    if "postgres" in databases:
        try:
            postgres_admin(args.postgres).close()
        except Exception as exc:
            message = f"PostgreSQL is unreachable at {args.postgres}: {exc}".strip()
            loud(f"{message}\nSkipping PostgreSQL; the benchmark continues with SQLite only.")
            report["notes"].append(message + " PostgreSQL was skipped.")
            databases.remove("postgres")
    plan = [(database, scale) for database in databases for scale in args.scales]
    for number, (database, scale) in enumerate(plan, start=1):
        print(f"[{number}/{len(plan)}] {database} {scale}: fresh database, migrate, generate, time endpoints",
              file=sys.stderr, flush=True)
        run_started = time.perf_counter()
        run = run_one(database, scale, args)
        run["wall_seconds"] = round(time.perf_counter() - run_started, 1)
        report["runs"].append(run)
        if "error" in run:
            loud(f"{database} {scale}: {run['error']}")
    if "postgres" in databases and not args.keep:
        recreate_postgres(args.postgres, drop_only=True)
    report["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (RESULTS_DIR / "latest.md").write_text(render_markdown(report), encoding="utf-8")
    print(render_text(report))
    print(f"\nWritten: bench/results/{stamp}.json and bench/results/latest.md")
    return 1 if any("error" in run for run in report["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
