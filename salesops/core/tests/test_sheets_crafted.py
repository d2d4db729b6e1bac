"""Crafted files against the sheet reader (R26, security): each one is refused with a 4xx in the API's
error shape (413 too large, 415 not a sheet, 400 damaged) and changes nothing.

"In time" is proven without a stopwatch: the zip checks refuse before the reader's process starts (the
tests make starting it fail), and everything that reaches the reader runs under a reader time limit of a
few seconds, past which the answer would be "takes too long" instead of the one each test expects."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.core import sheets
from salesops.customers.models import Customer

FIXTURES = Path(__file__).parent / "sheets"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DAMAGED = "The spreadsheet is damaged and cannot be read. Open it in Excel or WPS and save it again."
UNPACKED = ("The workbook is too large once unpacked: at most 100,000 rows of ordinary cells fit. "
            "Split it into several files.")
NOT_A_SHEET = ("The file is not a spreadsheet: save it as an Excel workbook (.xlsx, .xls), an OpenDocument "
               "spreadsheet (.ods) or a CSV file in UTF-8 or GBK.")


@pytest.fixture(autouse=True)
def _english_and_a_short_reader_limit(settings, monkeypatch):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(sheets, "READER_SECONDS", 5)


@pytest.fixture
def no_reader(monkeypatch):
    """Starting the reader's process fails the test: the file must be refused before."""
    def refuse(*args, **kwargs):
        raise AssertionError("the reader was started")
    monkeypatch.setattr(sheets.subprocess, "run", refuse)


def post(api_as, actors, name: str, content: bytes):
    response = api_as(actors.rep_a1).post(
        "/api/customers/import/?dry_run=1", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert Customer.objects.count() == 0
    body = response.json()["error"]
    return response.status_code, body["code"], body.get("fields", {}).get("file", [body["message"]])[0]


def libreoffice_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / "libreoffice.xlsx") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook(replace: dict[str, str] | None = None) -> bytes:
    """The workbook LibreOffice made (shared strings, styles) with some parts replaced."""
    parts: dict[str, bytes | str] = {**libreoffice_parts(), **(replace or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in parts.items():
            archive.writestr(name, value)
    return buffer.getvalue()


def sheet(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def test_the_error_shape_is_read_correctly(api_as, actors):
    """Guards the helper: a good workbook is no error, so ``post`` would fail on its missing error."""
    response = api_as(actors.rep_a1).post(
        "/api/customers/import/?dry_run=1", {"file": SimpleUploadedFile("a.xlsx", workbook())}, format="multipart")
    assert response.status_code == 200


def test_a_cell_with_dozens_of_repeated_attributes_is_refused(api_as, actors):
    """Made the old expressions' match time double per attribute: minutes for one upload."""
    content = workbook({"xl/worksheets/sheet1.xml": sheet('<row r="1"><c' + ' r="A1"' * 40 + ' t="s"><v>0</v></row>')})
    assert post(api_as, actors, "a.xlsx", content) == (400, "invalid", DAMAGED)


def test_twenty_thousand_shared_string_openings_are_refused(api_as, actors):
    content = workbook({"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">' + "<si>" * 20_000})
    assert post(api_as, actors, "a.xlsx", content) == (400, "invalid", DAMAGED)


def test_a_zip_bomb_is_refused_before_a_byte_is_unpacked(api_as, actors, no_reader):
    content = (FIXTURES / "zip-bomb.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 240_000_000
    assert len(content) < 700_000
    assert post(api_as, actors, "a.xlsx", content) == (413, "too_large", UNPACKED)


def lie_about_size(content: bytes, name: str, size: int) -> bytes:
    """``content`` with the unpacked size of ``name`` set to ``size`` in its local header and central directory."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        struct.pack_into("<I", data, archive.getinfo(name).header_offset + 22, size)
    start = 0
    while (start := content.find(b"PK\x01\x02", start)) >= 0:
        if content[start + 46:].startswith(name.encode()):
            struct.pack_into("<I", data, start + 24, size)
        start += 4
    return bytes(data)


def test_a_zip_that_lies_about_its_unpacked_sizes_is_refused(api_as, actors):
    """The central directory and the local header say 1 KB; the part unpacks to 20 MB."""
    content = workbook({"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * 1_200_000})
    lying = lie_about_size(content, "xl/sharedStrings.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 1000
    assert post(api_as, actors, "a.xlsx", lying) == (400, "invalid", DAMAGED)


def test_a_cell_at_the_far_corner_of_the_sheet_is_refused(api_as, actors):
    """Calamine allocates the rectangle from A1 to XFD1048576 (hundreds of GB) and aborts: only its own
    process, which runs under a memory limit."""
    content = workbook({"xl/worksheets/sheet1.xml": sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>')})
    assert post(api_as, actors, "a.xlsx", content) == (413, "too_large", UNPACKED)


def test_nested_entities_are_refused(api_as, actors):
    content = workbook({"xl/worksheets/sheet1.xml": (
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'))})
    assert post(api_as, actors, "a.xlsx", content) == (400, "invalid", DAMAGED)


def test_a_truncated_zip_is_refused(api_as, actors, no_reader):
    content = workbook()
    assert post(api_as, actors, "a.xlsx", content[: len(content) // 2]) == (400, "invalid", DAMAGED)


@pytest.mark.parametrize("parts", [
    {"notes.txt": "客户名称"},
    {"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"},
])
def test_a_zip_without_a_workbook_is_refused(api_as, actors, no_reader, parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    assert post(api_as, actors, "a.xlsx", buffer.getvalue()) == (415, "unsupported_media_type", NOT_A_SHEET)


@pytest.mark.parametrize(("name", "content", "holds"), [
    ("客户.xls", "xlsx", "an Excel workbook (.xlsx)"),
    ("客户.xlsx", "libreoffice.xls", "an old Excel workbook (.xls)"),
    ("客户.xlsx", "libreoffice.ods", "an OpenDocument spreadsheet (.ods)"),
    ("客户.xls", "html", "text (CSV)"),
    ("客户.png", "csv", "text (CSV)"),
])
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(api_as, actors, no_reader, name, content, holds):
    data = {"xlsx": workbook(), "html": "<table><tr><td>客户名称</td></tr></table>".encode(),
            "csv": "客户名称\r\n星河科技\r\n".encode()}.get(content) or (FIXTURES / content).read_bytes()
    suffix = name[name.rindex("."):]
    assert post(api_as, actors, name, data) == (415, "unsupported_media_type", (
        f"The file is named {suffix} but holds {holds}. Save it again from Excel or WPS in the format its name says."))


@pytest.mark.parametrize("content", [
    "客户名称,电话\r\n星河科技,13812345678\r\n".encode("utf-16"),
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
])
def test_text_in_an_unknown_encoding_and_binary_files_are_refused(api_as, actors, no_reader, content):
    assert post(api_as, actors, "客户.csv", content) == (415, "unsupported_media_type", NOT_A_SHEET)


def test_too_many_rows_are_refused_in_a_workbook_and_in_csv(api_as, actors, monkeypatch):
    monkeypatch.setattr("salesops.customers.excel.import_rows.MAX_ROWS", 5)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 8))
    message = "The sheet has more than 5 rows; split it into several files."
    assert post(api_as, actors, "a.xlsx", workbook({"xl/worksheets/sheet1.xml": sheet(rows)})) == (
        413, "too_large", message)
    assert post(api_as, actors, "a.csv", "".join(f"{n}\r\n" for n in range(7)).encode()) == (413, "too_large", message)


def test_too_many_columns_are_refused_in_a_workbook_and_in_csv(api_as, actors):
    message = "The sheet has more than 50 columns; keep the template's columns only."
    cells = '<row r="1"><c r="A1"><v>1</v></c><c r="AZ1"><v>2</v></c></row>'
    far = workbook({"xl/worksheets/sheet1.xml": sheet(cells)})
    assert post(api_as, actors, "a.xlsx", far) == (413, "too_large", message)
    assert post(api_as, actors, "a.csv", ("a," * 50 + "b\r\n").encode()) == (413, "too_large", message)
    trailing = SimpleUploadedFile("a.csv", ("a" + "," * 80 + "\r\n").encode())
    assert sheets.read_table(trailing, max_rows=5)[1] == [(1, ["a"])]  # empty cells at the end do not count


@pytest.mark.parametrize(("limit", "part"), [
    ("MAX_UNPACKED_BYTES", "xl/worksheets/sheet1.xml"),
    ("MAX_CELLS_PART_BYTES", "xl/worksheets/sheet1.xml"),
    ("MAX_SHARED_STRINGS_BYTES", "xl/sharedStrings.xml"),
    ("MAX_OTHER_PART_BYTES", "xl/styles.xml"),
])
def test_each_unpacked_size_limit_holds(api_as, actors, no_reader, monkeypatch, limit, part):
    """Each limit, lowered to 100 KB, refuses a part (or a whole) of 200 KB that the others let through."""
    monkeypatch.setattr(sheets, limit, 100_000)
    filler = "<!--" + "x" * 200_000 + "-->"
    text = libreoffice_parts()[part].decode()
    content = workbook({part: text + filler})
    assert post(api_as, actors, "a.xlsx", content) == (413, "too_large", UNPACKED)


def test_a_reader_past_its_time_limit_is_stopped(api_as, actors, monkeypatch):
    monkeypatch.setattr(sheets, "READER_SECONDS", 0.001)
    assert post(api_as, actors, "a.xlsx", workbook()) == (
        413, "too_large", "The workbook takes too long to read. Split it into several files.")


def test_an_empty_file_is_refused(api_as, actors, no_reader):
    assert post(api_as, actors, "a.csv", b"") == (400, "invalid", "The file is empty.")


def test_the_reader_runs_under_a_memory_limit(api_as, actors, monkeypatch):
    """A sheet within the row and column limits whose cells span 100,000 × 50 (two cells, 120 MB of
    rectangle once read): refused under a 64 MB limit, so the limit is what stops larger ones."""
    monkeypatch.setattr(sheets, "READER_SECONDS", 60)  # five million cells take a few seconds to hand over
    content = workbook({"xl/worksheets/sheet1.xml": sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        '<row r="100000"><c r="AX100000" t="inlineStr"><is><t>b</t></is></c></row>')})
    table = sheets.read_table(SimpleUploadedFile("a.xlsx", content), max_rows=100_000)[1]
    assert [(number, cells[-1]) for number, cells in table] == [(1, "a"), (100_000, "b")]
    monkeypatch.setattr(sheets, "READER_MEMORY_BYTES", 64 * 1024 * 1024)
    assert post(api_as, actors, "a.xlsx", content) == (413, "too_large", UNPACKED)


def test_a_workbook_without_cells_is_refused(api_as, actors):
    assert post(api_as, actors, "a.xlsx", workbook({"xl/worksheets/sheet1.xml": sheet("")})) == (
        400, "invalid", "The sheet is empty.")
