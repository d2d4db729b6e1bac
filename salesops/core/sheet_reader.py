"""Reads the first worksheet of a workbook (xlsx, xls, ods) with calamine, in a process of its own.

Run by :func:`salesops.core.sheets.read_table` as ``python -I sheet_reader.py MAX_ROWS MAX_COLUMNS MEMORY``
with the file's bytes on standard input. Calamine builds the sheet as one rectangle from its first to its
last cell, so a file of one kilobyte that names a cell in column XFD of row 1,048,576 asks for hundreds of
gigabytes, and the allocation failure aborts the process. Here it aborts only this child: its address
space is capped at MEMORY bytes, and the parent stops it after a time limit.

Standard output carries one ``marshal`` record: ``("rows", [(row number, [cell text, ...]), ...])`` for the
non-empty rows, ``("rows_over", height)``, ``("columns_over", width)`` or ``("unreadable", reason)``.
Cells come back as text: whole numbers without ``.0``, dates and times in ISO form (``2026-11-26``,
``2026-11-26 10:30``), a formula as its cached value.
"""

from __future__ import annotations

import datetime as dt
import io
import marshal
import resource
import sys

Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta
Record = tuple[str, int | str | list[tuple[int, list[str]]]]


def cell_text(value: Cell) -> str:
    """The text of one cell as the sheet shows it, without surrounding spaces."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.second or value.microsecond:
            return f"{value:%Y-%m-%d %H:%M:%S}"
        return f"{value:%Y-%m-%d}" if not (value.hour or value.minute) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"
    return str(value)


def read(data: bytes, max_rows: int, max_columns: int) -> Record:
    """The record for the first visible worksheet of ``data``."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            index for index, meta in enumerate(workbook.sheets_metadata)
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
        ]
        sheet = workbook.get_sheet_by_index(visible[0] if visible else 0)
    except (CalamineError, ValueError, IndexError) as exc:
        return "unreadable", f"{type(exc).__name__}: {exc}"[:300]
    if sheet.height > max_rows + 1:
        return "rows_over", sheet.height
    if sheet.width > max_columns:
        return "columns_over", sheet.width
    first_row = sheet.start[0] + 1 if sheet.start else 1
    table = []
    for offset, values in enumerate(sheet.to_python()):
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            table.append((first_row + offset, cells))
    return "rows", table


def main() -> None:
    max_rows, max_columns, memory = (int(arg) for arg in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    record = read(sys.stdin.buffer.read(), max_rows, max_columns)
    sys.stdout.buffer.write(marshal.dumps(record))


if __name__ == "__main__":
    main()
