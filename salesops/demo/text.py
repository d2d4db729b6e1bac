"""Plain-text tables for the console that stay aligned with Chinese characters (two columns wide each)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Columns a terminal uses for ``text``: wide and full-width characters (汉字, （）) take two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()) -> str:
    """Columns separated by two spaces, a dashed rule under the headers; ``right`` aligns those columns right."""
    cells = [[str(value) for value in row] for row in rows]
    widths = [display_width(header) for header in headers]
    for row in cells:
        widths = [max(width, display_width(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(_pad(value, widths[i], i in right) for i, value in enumerate(values)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(list(headers)), rule, *(line(row) for row in cells)])
