"""Sheets in and out, fast enough for 100,000 rows (R26).

Reading: the format is recognised by content, never by the file name (an xlsx workbook is a zip archive
holding ``[Content_Types].xml``; a csv file is text in UTF-8, UTF-8 with BOM or GBK/GB18030). The first
worksheet of an xlsx is read straight from its XML with precompiled expressions: openpyxl needs several
times longer for a sheet of 100,000 rows, which the import must check in seconds. A cell holding a
formula is returned as :class:`Formula`, so the import can refuse it.

Writing: :func:`xlsx_stream` yields the bytes of a one-sheet workbook while the rows are produced (inline
strings, no shared-string table), so an export of any length needs constant memory and starts at once.
Every text cell that a spreadsheet would run as a formula (= + - @, tab, CR) is neutralised with a
leading apostrophe (:func:`safe_text`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (OLE compound file)

__all__ = [
    "XLSX_CONTENT_TYPE", "Formula", "SheetError", "Table", "file_digest", "read_table", "safe_text", "xlsx_stream",
]

MAX_COLUMNS = 50
# A zip bomb guard. The sheet is read in blocks, so only the shared strings are held whole in memory;
# 100,000 rows of inline strings unpack to about 120 MB.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# One token per row start or cell; the cell's attributes and body are read separately.
_TOKEN = re.compile(
    rb'<(row)\b([^>]*?)/?>|<c(?:\s+(?:r="([A-Z]+)\d*"|t="(\w+)"|[\w:]+="[^"]*"))*\s*'
    rb"(?:/>|>(?:<v>([^<]+)</v>|<is><t(?:\s[^>]*)?>([^<]*)</t></is>|(.*?))</c>)",
    re.S,
)
_COLUMNS = {
    (chr(64 + i // 26) if i >= 26 else "").encode() + chr(65 + i % 26).encode(): i for i in range(MAX_COLUMNS)
}
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_TEXT = re.compile(rb"<t\b[^>]*>([^<]*)</t>|<t\b[^>]*/>")
_SHARED = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_FIRST_SHEET = re.compile(rb'<sheet\b[^>]*?r:id="([^"]+)"')
_RELATION = re.compile(rb"<Relationship\b[^>]*>")


class Formula(str):
    """A cell that held a formula (its text is the formula); imports refuse it."""


class SheetError(Exception):
    """The file as a whole cannot be read: ``status`` is 413 (too large), 415 (not a sheet) or 400."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


Table = list[tuple[int, list[str]]]


def read_table(file: IO[bytes], *, max_rows: int) -> tuple[str, Table, str]:
    """(kind, rows, sha256) of the first sheet: non-empty rows with their sheet row numbers; the first
    row holds the headers. Raises :class:`SheetError` with a message for the user."""
    data = _read_bytes(file)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _limit(_xlsx_rows(data, max_rows), max_rows), digest
    if data.startswith(OLE_MAGIC):
        raise SheetError(_("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or CSV."), 415)
    text = _decode(data)
    if text is None:
        raise SheetError(_("The file is neither an Excel workbook (.xlsx) nor a CSV text file."), 415)
    return "csv", _limit(_csv_rows(text, max_rows), max_rows), digest


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
        raise SheetError(_("The sheet has more than %(max)s rows; split it into several files.") % {"max": max_rows})
    return table


def _csv_rows(text: str, max_rows: int) -> Table:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    table: Table = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            cells = [value.strip() for value in values[:MAX_COLUMNS]]
            if any(cells):
                table.append((number, cells))
                if len(table) > max_rows + 1:
                    break
    except csv.Error as exc:
        raise SheetError(_("The CSV file cannot be read: check its quotes and separators.")) from exc
    return table


def _broken() -> SheetError:
    return SheetError(_("The Excel file is damaged and cannot be read. Save it again from Excel as .xlsx."))


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8")) if b"&" in raw else raw.decode("utf-8")


def _first_sheet_path(archive: zipfile.ZipFile, names: set[str]) -> str:
    workbook = archive.read("xl/workbook.xml")
    found = _FIRST_SHEET.search(workbook)
    if found is None:
        raise _broken()
    relations = archive.read("xl/_rels/workbook.xml.rels")
    for tag in _RELATION.findall(relations):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', tag))
        if attrs.get(b"Id") == found.group(1):
            target = attrs.get(b"Target", b"").decode()
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path in names:
                return path
    raise _broken()


def _xlsx_rows(data: bytes, max_rows: int) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _broken() from exc
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise SheetError(_("The file is a zip archive, not an Excel workbook (.xlsx)."), 415)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise SheetError(_("The workbook is too large once unpacked."), 413)
    try:
        with archive:
            shared = _shared_strings(archive, names)
            return _sheet_rows(archive, _first_sheet_path(archive, names), shared, max_rows)
    except SheetError:
        raise
    except (KeyError, IndexError, ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _broken() from exc


def _shared_strings(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    if archive.getinfo("xl/sharedStrings.xml").file_size > MAX_SHARED_STRINGS_BYTES:
        raise SheetError(_("The workbook is too large once unpacked."), 413)
    data = archive.read("xl/sharedStrings.xml")
    return ["".join(_xml_text(t) for t in _TEXT.findall(body or b"")) for body in _SHARED.findall(data)]


def _sheet_rows(archive: zipfile.ZipFile, path: str, shared: list[str], max_rows: int) -> Table:
    """One pass of one expression over the sheet XML, read in blocks; rows keep their sheet numbers."""
    table: Table = []
    row: list[str] = []
    number = 0
    with archive.open(path) as stream:
        tail = b""
        while len(table) <= max_rows + 1:
            block = stream.read(1 << 20)
            chunk = tail + block
            # Cut after the last complete cell; what follows waits for the next block.
            cut = max(chunk.rfind(b"</c>") + 4, 0) if block else len(chunk)
            for is_row, row_attrs, ref, kind, value, text, other in _TOKEN.findall(chunk[:cut]):
                if is_row:
                    if any(row):
                        table.append((number, row))
                    row = []
                    found = _ROW_NUMBER.search(row_attrs)
                    number = int(found.group(1)) if found else number + 1
                    continue
                index = _COLUMNS.get(ref, MAX_COLUMNS) if ref else len(row)
                if index >= MAX_COLUMNS:
                    continue
                if value:
                    cell = shared[int(value)] if kind == b"s" else _number_text(_xml_text(value))
                elif text:
                    cell = _xml_text(text)
                elif other:
                    cell = _cell_value(other, shared)
                else:
                    cell = ""
                if index > len(row):
                    row.extend([""] * (index - len(row)))
                if index == len(row):
                    row.append(cell.strip())
                else:
                    row[index] = cell.strip()
            tail = chunk[cut:]
            if not block:
                break
    if any(row):
        table.append((number, row))
    return table


def _cell_value(body: bytes, shared: list[str]) -> str:
    """A formula (refused by the imports) or rich text in several runs."""
    if b"<f" in body:
        return Formula("=" + _xml_text(re.sub(rb"<[^>]*>", b"", body.split(b"</f>")[0])))
    return "".join(_xml_text(t) for t in _TEXT.findall(body))


def _number_text(text: str) -> str:
    """12345.0 → 12345; other numbers as written (Excel stores dates as day numbers: see excel_date)."""
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        return text[:-2]
    return text


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


def _cell(value: object) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, str):
        if value[0] in FORMULA_START:
            value = "'" + value
        if "&" in value or "<" in value or ">" in value:
            value = html.escape(value, quote=False)
        return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        # Decimals are money (core.money): a number cell shown with thousands separators and two decimals.
        return f'<c s="2"><v>{value:f}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return _cell(str(value))


def _row(values: Iterable[object]) -> str:
    """One row; characters XML cannot carry are dropped from the row as a whole (the markup has none)."""
    text = "<row>" + "".join(map(_cell, values)) + "</row>"
    return XML_UNSAFE.sub("", text) if XML_UNSAFE.search(text) else text


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>'
    '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="3"><xf xfId="0"/><xf fontId="1" applyFont="1" xfId="0"/>'
    '<xf numFmtId="164" applyNumberFormat="1" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are collected and handed out between rows."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        chunk = bytes(data)  # type: ignore[call-overload]
        self.parts.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_stream(
    *, sheet: str, header: list[str], rows: Iterable[Iterable[object]], batch: int = 2000
) -> Iterator[bytes]:
    """The bytes of a workbook with one sheet: the bold ``header`` row, then ``rows``, produced as they come."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    for name, text in (
        ("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/styles.xml", _STYLES),
        ("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
         'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats'
         f'.org/officeDocument/2006/relationships"><sheets><sheet name="{html.escape(sheet[:31])}" sheetId="1" '
         'r:id="rId1"/></sheets></workbook>'),
    ):
        archive.writestr(name, text)
    with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
        head = "".join(f'<c s="1" t="inlineStr"><is><t>{html.escape(h, quote=False)}</t></is></c>' for h in header)
        part.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + f"<row>{head}</row>".encode()
        )
        buffer: list[str] = []
        for row in rows:
            buffer.append(_row(row))
            if len(buffer) >= batch:
                part.write("".join(buffer).encode())
                buffer.clear()
                yield sink.take()
        part.write("".join(buffer).encode() + b"</sheetData></worksheet>")
    archive.close()
    yield sink.take()
