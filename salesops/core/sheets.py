"""Sheets in and out, fast enough for 100,000 rows (R26).

Reading: the format is recognised by content (an xlsx workbook is a zip archive holding
``xl/workbook.xml``, an ods spreadsheet one whose ``mimetype`` says so, an old .xls an OLE compound file,
a csv file text in UTF-8, UTF-8 with BOM or GBK/GB18030), and a file whose name says another format is
refused. Workbooks are read by calamine (python-calamine) in a child process under a memory and a time
limit (``sheet_reader``), after the zip archive's unpacked sizes are checked against what 100,000 real
rows need; csv files by the standard library. A formula cell gives its cached value.

Writing: :func:`xlsx_stream` writes a one-sheet workbook with XlsxWriter in constant-memory mode (inline
strings, rows flushed to a temporary file as they come), so an export of any length needs constant memory;
dates and money are typed cells, the header is frozen with a filter. Every text cell that a spreadsheet
would run as a formula (= + - @, tab, CR) is neutralised with a leading apostrophe (:func:`safe_text`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import marshal
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO
from urllib.parse import quote

import xlsxwriter
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from salesops.core import sheet_reader

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (OLE compound file)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

__all__ = [
    "SHEET_ACCEPT", "XLSX_CONTENT_TYPE", "SheetError", "Table", "attachment", "file_digest", "read_table",
    "safe_text", "xlsx_stream",
]

MAX_COLUMNS = 50
# Unpacked-size limits, checked on the zip's own list before the reader opens it. 100,000 rows of the
# customer template (17 columns of real data) unpack to: xlsx with inline strings 112 MB in one sheet;
# xlsx from LibreOffice or Excel a 73 MB sheet and 31 MB of shared strings; ods a 202 MB content.xml.
# Each limit leaves room for longer cells or a few more columns, and refuses a bomb (600 KB unpacking to
# 250 MB of shared strings) before a byte of it is inflated.
MAX_CELLS_PART_BYTES = 256 * 1024 * 1024  # one worksheet (xl/worksheets/*.xml) or an ods content.xml
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # xl/sharedStrings.xml: held whole in memory while reading
MAX_OTHER_PART_BYTES = 16 * 1024 * 1024  # any other XML part: styles, workbook, relationships
MAX_UNPACKED_BYTES = 320 * 1024 * 1024  # all members together
# The reader's process: a real 100,000-row ods needs 400 to 500 MB of address space and a few seconds.
READER_MEMORY_BYTES = 1024 * 1024 * 1024
READER_SECONDS = 60
EXTENSIONS = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",), "csv": (".csv", ".txt", ".tsv")}
# What a file input offers to choose: every extension and type that ``read_table`` reads.
SHEET_ACCEPT = ",".join((
    *(suffix for suffixes in EXTENSIONS.values() for suffix in suffixes),
    XLSX_CONTENT_TYPE, "application/vnd.ms-excel", ODS_MIMETYPE.decode(), "text/csv", "text/plain",
))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What a text cell's XML must escape (besides dropping XML_UNSAFE): markup, a CR (_x000D_ in xlsx) and a
# literal _xHHHH_, which a reader would take for such an escape; written as XlsxWriter writes them.
XML_SPECIAL = re.compile(r"[&<>\r]|_x[0-9a-fA-F]{4}_")
CELL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
MAX_TEXT = 32767  # characters (UTF-16 units) a cell holds
LONG_TEXT = MAX_TEXT // 2  # a text this long may hold more UTF-16 units than a cell does
#: Characters a sheet's name may not hold (Excel refuses the workbook otherwise).
SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
EDGE_SPACE = re.compile(r"^\s|\s$")  # spaces at either end are kept with xml:space="preserve"
# A text that goes into its cell as it is: nothing to drop, escape, neutralise or preserve (most cells).
PLAIN_TEXT_NOT = re.compile(r"[\x00-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^[=+\-@\s]|\s$")


class SheetError(Exception):
    """The file as a whole cannot be read: ``status`` is 413 (too large), 415 (not a sheet) or 400."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


Table = list[tuple[int, list[str]]]


def read_table(file: IO[bytes], *, max_rows: int) -> tuple[str, Table, str]:
    """(kind, rows, sha256) of the first sheet: non-empty rows with their sheet row numbers; the first
    row holds the headers. ``kind`` is xlsx, xls, ods or csv. Raises :class:`SheetError` with a message
    for the user."""
    data = _read_bytes(file)
    digest = hashlib.sha256(data).hexdigest()
    kind, text = _kind_of(data)
    _check_name(getattr(file, "name", None), kind)
    if text is not None:
        return kind, _limit(_csv_rows(text, max_rows), max_rows), digest
    return kind, _limit(_workbook_rows(data, max_rows), max_rows), digest


def file_digest(file: IO[bytes]) -> str:
    """The SHA-256 of the upload, as ``read_table`` gives it, without reading the sheet (same size limits)."""
    return hashlib.sha256(_read_bytes(file)).hexdigest()


def _read_bytes(file: IO[bytes]) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    too_large = _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise SheetError(too_large, 413)
    if hasattr(file, "seek"):
        file.seek(0)
    data = bytes(file.read(limit + 1))
    if len(data) > limit:
        raise SheetError(too_large, 413)
    if not data:
        raise SheetError(_("The file is empty."))
    return data


def _not_a_sheet() -> SheetError:
    return SheetError(_("The file is not a spreadsheet: save it as an Excel workbook (.xlsx, .xls), an "
                        "OpenDocument spreadsheet (.ods) or a CSV file in UTF-8 or GBK."), 415)


def _broken() -> SheetError:
    return SheetError(_("The spreadsheet is damaged and cannot be read. Open it in Excel or WPS and save it again."))


def _too_large_unpacked() -> SheetError:
    return SheetError(_("The workbook is too large once unpacked: at most 100,000 rows of ordinary cells fit. "
                        "Split it into several files."), 413)


def _kind_of(data: bytes) -> tuple[str, str | None]:
    """The format by content, and the text of a csv file; a zip archive has its sizes checked here."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data), None
    if data.startswith(OLE_MAGIC):
        return "xls", None
    text = _decode(data)
    if text is None:
        raise _not_a_sheet()
    return "csv", text


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            sizes = {info.filename: info.file_size for info in infos}
            if "mimetype" in sizes and sizes["mimetype"] < 100 and archive.read("mimetype").strip() == ODS_MIMETYPE:
                kind = "ods"
            elif "xl/workbook.xml" in sizes:
                kind = "xlsx"
            else:
                raise _not_a_sheet()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError,
            NotImplementedError) as exc:
        raise _broken() from exc
    if sum(sizes.values()) > MAX_UNPACKED_BYTES or any(size > _part_limit(kind, name) for name, size in sizes.items()):
        raise _too_large_unpacked()
    return kind


def _part_limit(kind: str, name: str) -> float:
    """The unpacked size allowed for one member of an xlsx or ods archive (only XML parts are parsed)."""
    if kind == "ods" and name == "content.xml":
        return MAX_CELLS_PART_BYTES
    if kind == "xlsx" and name.startswith("xl/worksheets/") and "/_rels/" not in name:
        return MAX_CELLS_PART_BYTES
    if kind == "xlsx" and name == "xl/sharedStrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    if name.endswith((".xml", ".rels")):
        return MAX_OTHER_PART_BYTES
    return float("inf")


_KIND_WORDS = {
    "xlsx": lambda: _("an Excel workbook (.xlsx)"), "xls": lambda: _("an old Excel workbook (.xls)"),
    "ods": lambda: _("an OpenDocument spreadsheet (.ods)"), "csv": lambda: _("text (CSV)"),
}


def _check_name(name: object, kind: str) -> None:
    """A file named .xls that holds an xlsx workbook, text or anything else is refused: the name and the
    content must agree (a name without an extension leaves the content to decide)."""
    suffix = Path(name).suffix.lower() if isinstance(name, str) else ""
    if suffix and suffix not in EXTENSIONS[kind]:
        raise SheetError(_("The file is named %(suffix)s but holds %(kind)s. Save it again from Excel or WPS "
                           "in the format its name says.") % {"suffix": suffix, "kind": _KIND_WORDS[kind]()}, 415)


def _workbook_rows(data: bytes, max_rows: int) -> Table:
    """The first visible worksheet, read by ``sheet_reader`` in a process of its own (see there why)."""
    command = [sys.executable, "-I", sheet_reader.__file__, str(max_rows), str(MAX_COLUMNS), str(READER_MEMORY_BYTES)]
    environment = {"PATH": os.environ.get("PATH", ""), "RUST_BACKTRACE": "0"}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
            command, input=data, capture_output=True, timeout=READER_SECONDS, env=environment, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise SheetError(_("The workbook takes too long to read. Split it into several files."), 413) from exc
    if done.returncode != 0 or not done.stdout:
        if b"memory allocation" in done.stderr or b"MemoryError" in done.stderr:
            raise _too_large_unpacked()
        raise _broken()
    try:
        what, value = marshal.loads(done.stdout)  # noqa: S302 - written by our own child process
    except (ValueError, EOFError, TypeError) as exc:
        raise _broken() from exc
    if what == "rows_over":
        raise _too_many_rows(max_rows)
    if what == "columns_over":
        raise _too_many_columns()
    if what != "rows":
        raise _broken()
    return value


def _too_many_rows(max_rows: int) -> SheetError:
    return SheetError(_("The sheet has more than %(max)s rows; split it into several files.") % {"max": max_rows}, 413)


def _too_many_columns() -> SheetError:
    return SheetError(_("The sheet has more than %(max)s columns; keep the template's columns only.") % {
        "max": MAX_COLUMNS}, 413)


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) first, then GBK/GB18030. Text that only decodes into control
    characters is not a csv file. UTF-8 bytes are never valid GBK read as garbage the other way round,
    because UTF-8 is tried first and is strict."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if CONTROL_CHARS.search(text) else text
    return None


def _limit(table: Table, max_rows: int) -> Table:
    if not table:
        raise SheetError(_("The sheet is empty."))
    if len(table) > max_rows + 1:
        raise _too_many_rows(max_rows)
    return table


def _csv_rows(text: str, max_rows: int) -> Table:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    table: Table = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            cells = [value.strip() for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise _too_many_columns()
            if cells:
                table.append((number, cells))
                if len(table) > max_rows + 1:
                    break
    except csv.Error as exc:
        raise SheetError(_("The CSV file cannot be read: check its quotes and separators.")) from exc
    return table


def excel_date(text: str) -> dt.datetime | None:
    """An Excel day number (45987.5) as a naive local date and time; None when ``text`` is not one."""
    try:
        serial = float(text)
    except ValueError:
        return None
    if not 1 <= serial < 2958466:
        return None
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as written: a leading = + - @ tab or CR would start a formula (CSV/DDE
    injection), so such a cell gets a leading apostrophe; characters XML cannot carry are dropped."""
    value = XML_UNSAFE.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


#: Display formats of the typed cells: money (core.money) with thousands separators and two decimals.
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Bytes handed to the response per chunk once the workbook is written.
CHUNK_BYTES = 256 * 1024
MIN_WIDTH, MAX_WIDTH = 8, 60


def text_width(text: str) -> float:
    """How wide ``text`` shows in a spreadsheet's character units: CJK characters take two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def column_widths(header: list[str], widths: Iterable[float] | None) -> list[float]:
    """The widths asked for, else each header's own width with room for the filter button."""
    if widths is not None:
        return [min(max(width, MIN_WIDTH), MAX_WIDTH) for width in widths]
    return [min(max(text_width(title) + 4, MIN_WIDTH), MAX_WIDTH) for title in header]


class _Writer:
    """One sheet of an XlsxWriter workbook in constant-memory mode, whose rows this class writes itself.

    XlsxWriter lays out the package (styles, column widths, the frozen header, the filter, the sheet's
    dimension); its per-cell path (a cell object per value, then one XML element per cell written through
    several layers) cost about 5 microseconds of CPU a cell, 10 s of a 100,000-row export of 19 columns.
    Here each row is one string of the same XML (inline strings, numbers with the sheet's number formats,
    escaped as XlsxWriter escapes them), appended to the worksheet's row file, which XlsxWriter copies
    into the sheet when the workbook closes. What this takes of XlsxWriter beyond its documented API: the
    row file (``fh`` in constant-memory mode), a format's style index and the dimension check;
    core/tests/test_sheets_write.py holds its rows to the XML XlsxWriter writes for the same cells."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet: str, header: list[str]) -> None:
        self.sheet = workbook.add_worksheet(XML_UNSAFE.sub("", sheet)[:31] or "Sheet1")
        assert self.sheet.constant_memory, "rows are appended to the row file of constant-memory mode"
        style = {name: f' s="{workbook.add_format(options)._get_xf_index()}"' for name, options in (
            ("money", {"num_format": MONEY_FORMAT}), ("date", {"num_format": DATE_FORMAT}),
            ("moment", {"num_format": DATETIME_FORMAT}), ("bold", {"bold": True}),
        )}
        self.money, self.date, self.moment, self.bold = style["money"], style["date"], style["moment"], style["bold"]
        self.letters = [xl_col_to_name(column) for column in range(max(len(header), 1))]
        self.columns = len(header)
        self.last = 0
        self._write(1, "".join(self._text(letter, 1, title, self.bold) for letter, title in zip(
            self.letters, header, strict=False)))

    def _write(self, number: int, cells: str) -> None:
        if cells:
            self.sheet.fh.write(f'<row r="{number}">{cells}</row>')

    @staticmethod
    def _text(letter: str, number: int, value: str, style: str = "") -> str:
        value = safe_text(value)
        if len(value) >= LONG_TEXT and len(value.encode("utf-16-le")) > 2 * MAX_TEXT:
            value = value.encode("utf-16-le")[: 2 * MAX_TEXT].decode("utf-16-le", "ignore")
        if XML_SPECIAL.search(value):
            value = CELL_ESCAPE.sub(r"_x005F\1", value).replace("\r", "_x000D_")
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if EDGE_SPACE.search(value) else ""
        return f'<c r="{letter}{number}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'

    def row(self, values: Iterable[object]) -> None:
        """The next row: each value in a cell of its type; None and '' leave the cell empty."""
        self.last += 1
        number = self.last + 1
        letters = self.letters
        cells: list[str] = []
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if column >= len(letters):
                letters.extend(xl_col_to_name(more) for more in range(len(letters), column + 1))
            if type(value) is str and len(value) < LONG_TEXT and not PLAIN_TEXT_NOT.search(value):
                cells.append(f'<c r="{letters[column]}{number}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif type(value) is str:
                cells.append(self._text(letters[column], number, value))
            else:
                cells.append(self._typed(letters[column], number, value))
        self._write(number, "".join(cells))

    def _typed(self, letter: str, number: int, value: object) -> str:
        ref = f'r="{letter}{number}"'
        if isinstance(value, bool):
            return f"<c {ref} t=\"b\"><v>{int(value)}</v></c>"
        if isinstance(value, Decimal):
            # the amount's own decimal digits ("1234.50"): no binary float between the Decimal and the cell
            return f"<c {ref}{self.money}><v>{value:f}</v></c>"
        if isinstance(value, int | float):
            return f"<c {ref}><v>{value:.16G}</v></c>"
        if isinstance(value, dt.datetime):
            moment = timezone.localtime(value) if timezone.is_aware(value) else value
            return f"<c {ref}{self.moment}><v>{_excel_serial(moment.replace(tzinfo=None)):.16G}</v></c>"
        if isinstance(value, dt.date):
            return f"<c {ref}{self.date}><v>{_excel_serial(value):.16G}</v></c>"
        return self._text(letter, number, str(value))

    def finish(self) -> None:
        """The dimension, frozen header and filter over every written row."""
        last_column = max(self.columns - 1, 0)
        self.sheet._check_dimensions(0, 0)
        self.sheet._check_dimensions(self.last, last_column)
        self.sheet.freeze_panes(1, 0)
        self.sheet.autofilter(0, 0, self.last, last_column)


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _excel_serial(value: dt.date) -> float:
    """A date or a naive date and time as a spreadsheet's serial number (days since 1899-12-30)."""
    if not isinstance(value, dt.datetime):
        return float((value - _EXCEL_EPOCH.date()).days)
    delta = value - _EXCEL_EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


def attachment(name: str, fallback: str) -> str:
    """A Content-Disposition value for a download named ``name`` in the user's language (RFC 6266 with
    RFC 5987's ``filename*``, which Excel's and WPS's browsers read) and ``fallback`` in ASCII for the rest."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", fallback)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def xlsx_stream(
    *, sheet: str, header: list[str], rows: Iterable[Iterable[object]], widths: Iterable[float] | None = None,
) -> Iterator[bytes]:
    """The bytes of a workbook with one sheet as people open it in Excel and WPS: the bold ``header`` row
    frozen with a filter on it, the columns ``widths`` wide (else as wide as their header), then ``rows``
    with each value in a cell of its type (text, number, money, date, date and time; an aware datetime in
    local time). Written by XlsxWriter in constant-memory mode, so the rows never sit in memory together;
    the workbook is assembled in a temporary file, then handed out in chunks."""
    return xlsx_book_stream(sheets=[Sheet(name=sheet, header=header, rows=rows, widths=widths)])


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its name (cut to Excel's 31 characters, without the characters a sheet
    name may not hold), its header and its rows, as ``xlsx_stream`` writes them."""

    name: str
    header: list[str]
    rows: Iterable[Iterable[object]]
    widths: Iterable[float] | None = None


def _sheet_name(name: str, taken: set[str]) -> str:
    base = SHEET_NAME_UNSAFE.sub(" ", XML_UNSAFE.sub("", name)).strip(" '")[:31] or "Sheet"
    chosen, number = base, 1
    while chosen.casefold() in taken:
        number += 1
        chosen = f"{base[:31 - len(str(number)) - 1]} {number}"
    taken.add(chosen.casefold())
    return chosen


def xlsx_book_stream(*, sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """A workbook of several sheets, each written as ``xlsx_stream`` writes its one (a form of several
    tables, R26: the morning brief, the weekly review)."""
    with tempfile.TemporaryDirectory(prefix="xlsx-") as folder, tempfile.TemporaryFile() as out:
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": folder})
        taken: set[str] = set()
        for part in sheets:
            writer = _Writer(workbook, _sheet_name(part.name, taken), part.header)
            for column, width in enumerate(column_widths(part.header, part.widths)):
                writer.sheet.set_column(column, column, width)
            for row in part.rows:
                writer.row(row)
            writer.finish()
        workbook.close()
        out.seek(0)
        while chunk := out.read(CHUNK_BYTES):
            yield chunk
