"""Money is Decimal end to end: no amount passes through a binary float in the money code (the deals app
with its collections, the money figures of the KPI engine, the money helpers). A float conversion or a
FloatField there fails this test, with the file and line."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MONEY_PATHS = [
    ROOT / "salesops" / "deals",
    ROOT / "salesops" / "performance" / "deal_metrics.py",
    ROOT / "salesops" / "performance" / "collection_metrics.py",
    ROOT / "salesops" / "core" / "money.py",
    ROOT / "salesops" / "core" / "templatetags" / "money.py",
]
FLOAT = re.compile(r"\bfloat\(|FloatField")


def money_files() -> list[Path]:
    files: list[Path] = []
    for path in MONEY_PATHS:
        if path.is_dir():
            files += [p for p in path.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
        elif path.exists():
            files.append(path)
    return sorted(files)


def test_the_money_code_has_no_float_conversion():
    files = money_files()
    assert len(files) > 10
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if FLOAT.search(line.split("#", 1)[0])
    ]
    assert found == []


def test_the_check_finds_a_float_conversion():
    assert FLOAT.search("total = float(row.amount)")
    assert FLOAT.search("amount = models.FloatField()")
    assert not FLOAT.search('amount = Decimal("0.01")')
