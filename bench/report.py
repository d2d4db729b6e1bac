"""The harness's report: a table per (database, scale) for the terminal and the same as Markdown."""

from __future__ import annotations

from typing import Any

from salesops.demo.text import format_table

HEADERS = ["endpoint", "actor", "status", "median ms", "p95 ms", "queries", "raw SQL ms", "ratio"]
RIGHT = (2, 3, 4, 5, 6, 7)


def _rows(run: dict[str, Any]) -> list[list[str]]:
    return [
        [
            row["endpoint"],
            row["actor"],
            str(row["status"]),
            f"{row['median_ms']:.2f}",
            f"{row['p95_ms']:.2f}",
            str(row["queries"]),
            f"{row['raw_sql_ms']:.2f}",
            "—" if row["ratio"] is None else f"{row['ratio']:.1f}",
        ]
        for row in run["endpoints"]
    ]


def _title(run: dict[str, Any]) -> str:
    if "error" in run:
        return f"{run['database']} · scale {run['scale']}: FAILED ({run['error']})"
    return (
        f"{run['database']} {run['server_version']} · scale {run['scale']} · {run['people']} people, "
        f"{run['teams']} teams"
    )


def _generator_line(run: dict[str, Any]) -> str:
    gen = run["generate"]
    return (
        f"generate: {gen['rows']} rows in {gen['seconds']:.2f} s ({gen['rows_per_second']} rows/s); "
        f"migrate {run['migrate_seconds']:.1f} s; whole run {run.get('wall_seconds', 0)} s"
    )


def _speed_rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [run["database"], run["scale"], str(run["generate"]["rows"]), f"{run['generate']['seconds']:.2f}",
         str(run["generate"]["rows_per_second"])]
        for run in report["runs"]
        if "error" not in run
    ]


EXCEL_HEADERS = ["step", "rows", "seconds", "rows/s", "target s"]


def _excel_rows(run: dict[str, Any]) -> list[list[str]]:
    """The Excel section (bench/excel.py): import check, import commit and exports of 100,000 rows."""
    excel = run.get("excel") or {}
    return [
        [step["step"], str(step["rows"]), f"{step['seconds']:.2f}", str(step["rows_per_second"]),
         "—" if step.get("target_seconds") is None else f"≤ {step['target_seconds']:g}"]
        for step in excel.get("steps", [])
    ]


JOB_HEADERS = ["job", "date", "seconds", "queries", "target s"]


def _job_rows(run: dict[str, Any]) -> list[list[str]]:
    """The jobs section (bench/jobs.py): each heavy job run once for the latest working day."""
    return [
        [row["job"], row["date"], f"{row['seconds']:.2f}", str(row["queries"]),
         "—" if row.get("target_seconds") is None else f"≤ {row['target_seconds']:g}"]
        for row in run.get("jobs") or []
    ]


def render_text(report: dict[str, Any]) -> str:
    out: list[str] = []
    for note in report["notes"]:
        out += [f"NOTE: {note}"]
    for run in report["runs"]:
        out += ["", f"== {_title(run)} =="]
        if "error" in run:
            continue
        out += [_generator_line(run), format_table(HEADERS, _rows(run), right=RIGHT)]
        if _job_rows(run):
            out += ["", "Jobs:", format_table(JOB_HEADERS, _job_rows(run), right=(2, 3, 4))]
        if _excel_rows(run):
            out += ["", "Excel (admin):", format_table(EXCEL_HEADERS, _excel_rows(run), right=(1, 2, 3, 4))]
            out += [f"  excel: {note}" for note in run["excel"]["notes"]]
        out += [f"  note: {note}" for note in run["notes"]]
    out += ["", "== generator speed ==", format_table(["database", "scale", "rows", "seconds", "rows/s"],
                                                      _speed_rows(report), right=(2, 3, 4))]
    return "\n".join(out)


def _markdown_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render_markdown(report: dict[str, Any]) -> str:
    settings = report["settings"]
    out = [
        "# Benchmark results",
        "",
        f"Started {report['started_at']}, finished {report['finished_at']}; {settings['repeat']} timed requests "
        f"after {settings['warmup']} warm-up ones per endpoint and actor; seed {settings['seed']}; "
        f"Python {report['machine']['python']} on {report['machine']['platform']} ({report['machine']['cpus']} CPUs, "
        f"load average {' / '.join(map(str, report['machine']['load_average']))} at the start).",
        "",
        "Times are server times in-process (Django test client, DEBUG=1); *raw SQL* re-runs the request's own "
        "SELECT statements through the database cursor; *ratio* = median endpoint time / raw SQL time.",
    ]
    out += [f"\n> **Note:** {note}" for note in report["notes"]]
    for run in report["runs"]:
        out += ["", f"## {_title(run)}", ""]
        if "error" in run:
            continue
        out += [_generator_line(run), "", *_markdown_table(HEADERS, _rows(run))]
        if _job_rows(run):
            out += ["", "### Jobs", "", *_markdown_table(JOB_HEADERS, _job_rows(run))]
        if _excel_rows(run):
            out += ["", "### Excel import and export (admin)", "", *_markdown_table(EXCEL_HEADERS, _excel_rows(run))]
            out += ["", *(f"- {note}" for note in run["excel"]["notes"])]
        if run["notes"]:
            out += ["", *(f"- {note}" for note in run["notes"])]
    out += ["", "## Generator speed", "",
            *_markdown_table(["database", "scale", "rows", "seconds", "rows/s"], _speed_rows(report)), ""]
    return "\n".join(out)
