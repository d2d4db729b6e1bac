"""The xlsx writer as Excel and WPS read it (R26): typed cells (text, number, money, date, date and time
in the organisation's time zone), the header bold, frozen and filtered, the columns sized, and a text
that would start a formula kept as text."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import xlsxwriter
from django.utils import timezone
from python_calamine import CalamineWorkbook

from salesops.core.sheets import xlsx_stream

MOMENT = dt.datetime(2026, 11, 29, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
ROWS: list[list[object]] = [
    ["上海星河科技有限公司", Decimal("500000.00"), dt.date(2026, 12, 1), MOMENT, 3, "=1+1"],
    ["-2", None, None, None, 2.5, "@SUM(A1)"],
]


def workbook() -> bytes:
    header = ["客户名称", "预算", "下次跟进日期", "跟进时间", "次数", "备注"]
    return b"".join(xlsx_stream(sheet="客户", header=header, rows=ROWS, widths=[36, 14, 14, 18, 8, 20]))


def width_of(sheet, column: int) -> float:
    """The width of a column from the sheet's <cols> ranges (equal neighbours share one range)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= column <= dimension.max:
            return dimension.width
    raise AssertionError(f"column {column} has no width")


def test_cells_read_back_with_their_types():
    rows = CalamineWorkbook.from_filelike(io.BytesIO(workbook())).get_sheet_by_index(0).to_python()
    local = timezone.localtime(MOMENT).replace(tzinfo=None)
    assert local.hour == 10
    assert rows[1] == ["上海星河科技有限公司", 500000.0, dt.date(2026, 12, 1), local, 3, "'=1+1"]
    assert rows[2] == ["'-2", "", "", "", 2.5, "'@SUM(A1)"]


def test_the_sheet_is_laid_out_for_people():
    book = openpyxl.load_workbook(io.BytesIO(workbook()))
    sheet = book.worksheets[0]
    assert sheet.title == "客户"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    assert all(sheet.cell(1, column).font.b for column in range(1, 7))
    assert [round(width_of(sheet, column)) for column in range(1, 7)] == [37, 15, 15, 19, 9, 21]
    assert (sheet["B2"].data_type, sheet["B2"].number_format) == ("n", "#,##0.00")
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert (sheet["F2"].data_type, sheet["A3"].data_type) == ("s", "s")  # never a formula


def test_an_empty_export_still_has_its_header_and_filter():
    content = b"".join(xlsx_stream(sheet="空", header=["客户名称", "负责人"], rows=[]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["客户名称", "负责人"]
    assert sheet.auto_filter.ref == "A1:B1"
    assert width_of(sheet, 1) >= 12  # as wide as its header, with room for the filter button


def sheet_data(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return xml[xml.index("<sheetData>") : xml.index("</sheetData>")]


def test_rows_are_the_xml_xlsxwriter_writes_for_the_same_cells():
    """The writer's own row XML against XlsxWriter's per-cell API on the same values: markup, a carriage
    return (_x000D_), a literal _xHHHH_ (escaped, else a reader would decode it), spaces at either end,
    booleans, numbers, money, dates and local times."""
    texts = ["a&b<c>d", "第一行\r\n第二行", "_x0041_ stays", "  两端空格  ", "tab\there", "'=1+1"]
    rows = [[text, True, 7, 2.5, Decimal("1234.50"), dt.date(2026, 12, 1), MOMENT] for text in texts]
    header = ["文本", "是否", "整数", "小数", "金额", "日期", "时间"]
    ours = b"".join(xlsx_stream(sheet="文本", header=header, rows=rows))
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("文本")
    bold, money = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "#,##0.00"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for column, title in enumerate(header):
        sheet.write_string(0, column, title, bold)
    local = timezone.localtime(MOMENT).replace(tzinfo=None)
    for number, (text, flag, whole, part, amount, day, _moment) in enumerate(rows, start=1):
        sheet.write_string(number, 0, text)
        sheet.write_boolean(number, 1, flag)
        sheet.write_number(number, 2, whole)
        sheet.write_number(number, 3, part)
        sheet.write_number(number, 4, float(str(amount)), money)
        sheet.write_datetime(number, 5, day, date)
        sheet.write_datetime(number, 6, local, moment)
    workbook.close()
    strip = re.compile(r' s="\d+"')  # style numbers depend on the order formats are made in
    # money is written as its decimal digits, never through a float; XlsxWriter writes the float's 1234.5
    assert sheet_data(ours).count("<v>1234.50</v>") == len(rows)
    assert strip.sub("", sheet_data(ours)).replace("<v>1234.50</v>", "<v>1234.5</v>") == strip.sub(
        "", sheet_data(out.getvalue())
    )


def test_characters_xml_cannot_carry_are_dropped():
    content = b"".join(xlsx_stream(sheet="文本", header=["文本"], rows=[["bad\x01char\ufffe"]]))
    assert CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()[1] == ["badchar"]


def test_a_text_longer_than_a_cell_holds_is_cut_to_the_limit():
    content = b"".join(xlsx_stream(sheet="长", header=["备注"], rows=[["字" * 40_000]]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "字" * 32_767
