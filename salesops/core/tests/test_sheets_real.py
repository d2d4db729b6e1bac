"""Real-world sheets read by ``core.sheets.read_table`` (R26): files made by LibreOffice (xlsx with shared
strings and rich text runs, xls, ods), by openpyxl, by our own export (inline strings), by the OpenXML SDK
(a namespace prefix on every element), and csv in UTF-8, UTF-8 with BOM and GBK. The fixtures in
``sheets/`` were made once by ``sheets/make_fixtures.py``."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.core.sheets import read_table, xlsx_stream

FIXTURES = Path(__file__).parent / "sheets"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# What every office program shows for sheets/source.xlsx once it has calculated the formula in E3.
SHOWN = [
    (1, ["客户名称", "电话/手机", "跟进时间", "下次跟进日期", "预算", "关注点"]),
    (2, ["上海星河科技有限公司", "13812345678", "2026-11-26 10:30", "2026-12-03", "500000", "价格"]),
    (3, ["北京长城物流有限公司", "010-61234567", "2026-11-27 09:00", "2027-01-15", "50000", "交期与售后"]),
    (4, ["深圳华南电子有限公司", "020-83758474转801", "2026-11-28 14:05:09", "2026-12-31", "3.5"]),
    (6, ["", "", "", "", "", "", "备注在最后一列之外"]),
]


def fixture(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


@pytest.mark.parametrize(("name", "kind"), [
    ("libreoffice.xlsx", "xlsx"), ("libreoffice.xls", "xls"), ("libreoffice.ods", "ods"),
])
def test_libreoffice_files_read_as_the_office_program_shows_them(name, kind):
    assert read_table(fixture(name), max_rows=10)[:2] == (kind, SHOWN)


def test_the_libreoffice_xlsx_holds_what_the_reader_must_understand():
    """Guards the fixture: dates are day numbers with date styles, text is shared, rich text has runs,
    and the formula carries its cached value."""
    with zipfile.ZipFile(FIXTURES / "libreoffice.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        shared = archive.read("xl/sharedStrings.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert '<c r="D4" s="5" t="n"><v>46387</v></c>' in sheet
    assert 'formatCode="yyyy\\年m\\月d\\日"' in styles
    assert '<f aca="false">1000*50</f><v>50000</v>' in sheet
    assert '<c r="A2" s="1" t="s">' in sheet
    assert "<r><rPr>" in shared and ">交期</t></r>" in shared


def test_an_openpyxl_formula_without_a_cached_value_reads_as_empty():
    """openpyxl writes formulas without results; what a spreadsheet would show is unknown until it
    calculates, so the cell is empty (an office program always saves the result: see above)."""
    kind, table, _digest = read_table(fixture("source.xlsx"), max_rows=10)
    assert kind == "xlsx"
    assert table[2] == (3, ["北京长城物流有限公司", "010-61234567", "2026-11-27 09:00", "2027-01-15", "", "交期与售后"])
    assert [row for row in table if row[0] != 3] == [row for row in SHOWN if row[0] != 3]


def test_openpyxl_cells_of_every_type():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["a", "b", None, "d"])
    sheet["A3"] = 13800138000
    sheet["B3"] = -2.25
    sheet["C3"] = True
    sheet["D3"] = dt.time(8, 30)
    sheet["E3"] = "  spaced  "
    sheet["D5"] = "x&y<z"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer, max_rows=10)[1] == [
        (1, ["a", "b", "", "d"]), (3, ["13800138000", "-2.25", "TRUE", "08:30", "spaced"]), (5, ["", "", "", "x&y<z"]),
    ]


def test_our_own_export_reads_back_inline_strings_and_all():
    content = b"".join(xlsx_stream(sheet="客户", header=["名称", "预算"], rows=[
        ["上海<星河>&科技", 500000], ["=HYPERLINK(1)", 3.5], [None, 0],
    ]))
    assert read_table(SimpleUploadedFile("客户.xlsx", content), max_rows=10)[:2] == ("xlsx", [
        (1, ["名称", "预算"]), (2, ["上海<星河>&科技", "500000"]), (3, ["'=HYPERLINK(1)", "3.5"]), (4, ["", "0"]),
    ])


def openxml_sdk_workbook(sheet_data: str, shared: str) -> bytes:
    """A workbook as .NET's OpenXML SDK writes it: every SpreadsheetML element with the prefix ``x:``."""
    buffer = io.BytesIO()
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}"><Relationship Id="R1" '
        f'Type="{relation}/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{relation}"><x:sheets>'
        '<x:sheet name="客户" sheetId="1" r:id="R2"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}">'
        f'<Relationship Id="R2" Type="{relation}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        f'<Relationship Id="R3" Type="{relation}/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{sheet_data}</x:sheetData>'
        "</x:worksheet>",
        "xl/sharedStrings.xml": f'<x:sst xmlns:x="{MAIN}">{shared}</x:sst>',
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_sheet_with_a_namespace_prefix_rich_text_and_inline_strings():
    content = openxml_sdk_workbook(
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>预算</x:t></x:is>'
        '</x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2"><x:v>500000</x:v></x:c>'
        '<x:c r="C2" t="inlineStr"><x:is><x:r><x:rPr><x:b/></x:rPr><x:t>交期</x:t></x:r><x:r>'
        '<x:t xml:space="preserve"> 与 售后</x:t></x:r></x:is></x:c><x:c r="D2" t="str"><x:f>A2</x:f>'
        "<x:v>星河科技</x:v></x:c></x:row>",
        "<x:si><x:t>客户名称</x:t></x:si><x:si><x:r><x:t>星河</x:t></x:r><x:r><x:rPr><x:i/></x:rPr><x:t>科技</x:t>"
        "</x:r></x:si>",
    )
    assert read_table(SimpleUploadedFile("客户.xlsx", content), max_rows=10)[:2] == ("xlsx", [
        (1, ["客户名称", "预算"]), (2, ["星河科技", "500000", "交期 与 售后", "星河科技"]),
    ])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_gbk(encoding):
    text = "客户名称,电话/手机,预算\r\n\r\n深圳华南电子有限公司, 020-83758474转801 ,\"1,200,000\"\r\n"
    content = text.encode(encoding)
    assert read_table(SimpleUploadedFile("客户.csv", content), max_rows=10)[:2] == ("csv", [
        (1, ["客户名称", "电话/手机", "预算"]), (3, ["深圳华南电子有限公司", "020-83758474转801", "1,200,000"]),
    ])


def test_tab_separated_text_is_read_too():
    content = "客户名称\t电话\n星河科技\t13812345678\n".encode("gbk")
    assert read_table(SimpleUploadedFile("客户.txt", content), max_rows=10)[1] == [
        (1, ["客户名称", "电话"]), (2, ["星河科技", "13812345678"])]


def test_the_first_visible_worksheet_is_read():
    workbook = openpyxl.Workbook()
    workbook.active.append(["隐藏"])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("客户").append(["客户名称"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer, max_rows=10)[1] == [(1, ["客户名称"])]
