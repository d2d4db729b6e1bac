"""A workbook of several sheets (R26: a form of several tables, such as the morning brief): each sheet is
written as the one-sheet export writes it, named as Excel allows, safe from formula injection."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from salesops.core.sheets import Sheet, xlsx_book_stream


def test_each_sheet_keeps_its_header_rows_and_a_name_excel_accepts() -> None:
    data = b"".join(xlsx_book_stream(sheets=[
        Sheet(name="重点客户（A类）: 最新跟进", header=["客户", "金额"], rows=[["=cmd()", Decimal("12.50")]]),
        Sheet(name="重点客户（A类）: 最新跟进", header=["人员"], rows=[["张伟"]]),
        Sheet(name="x" * 40 + "[a]/b?", header=["列"], rows=[]),
    ]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["重点客户（A类）  最新跟进", "重点客户（A类）  最新跟进 2", "x" * 31]
    first = book.worksheets[0]
    assert [cell.value for cell in first[1]] == ["客户", "金额"]
    assert first["A2"].value == "'=cmd()"
    assert first["B2"].value == 12.5 and first["B2"].number_format == "#,##0.00"
    assert book.worksheets[1]["A2"].value == "张伟"
    assert book.worksheets[2].max_row == 1
