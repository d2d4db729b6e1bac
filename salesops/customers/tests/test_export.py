"""R26 export: the list's scope (R1) and filters, Chinese headers, formula injection neutralised."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from salesops.core.clock import local_today
from salesops.core.sheets import safe_text, xlsx_stream
from salesops.customers import services
from salesops.customers.excel.customer_export import CUSTOMER_HEADER
from salesops.customers.models import Customer


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English wording of messages (the zh-Hans catalogue is checked elsewhere)."""
    settings.LANGUAGE_CODE = "en"



def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def make_customers(actors):
    services.customer_create(by=actors.rep_a1, name="甲公司", grade="A", grade_reason="预算到位")
    services.customer_create(by=actors.rep_a1, name="乙公司", grade="C", grade_reason="长期")
    services.customer_create(by=actors.rep_a2, name="丙公司")
    services.customer_create(by=actors.rep_b1, name="丁公司")
    services.customer_create(by=actors.admin, owner=None, name="公海公司")


def test_rep_exports_only_own_and_pool_customers_with_chinese_headers(actors, api_as):
    """The export has the list's rows (R1, R26): owned by default, the pool with pool=true."""
    make_customers(actors)
    response = api_as(actors.rep_a1).get("/api/customers/export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = sheet_rows(response)
    assert list(rows[0]) == CUSTOMER_HEADER and rows[0][0] == "客户名称"
    assert sorted(row[0] for row in rows[1:]) == sorted(["甲公司", "乙公司"])
    pool = sheet_rows(api_as(actors.rep_a1).get("/api/customers/export/?format=xlsx&pool=true"))
    assert [row[0] for row in pool[1:]] == ["公海公司"]
    found = sheet_rows(api_as(actors.rep_a1).get("/api/customers/export/?format=xlsx&q=甲"))
    assert [row[0] for row in found[1:]] == ["甲公司"]
    lead = sheet_rows(api_as(actors.lead_a).get("/api/customers/export/?format=xlsx"))
    assert sorted(row[0] for row in lead[1:]) == sorted(["甲公司", "乙公司", "丙公司"])


def test_export_applies_the_list_filters(actors, api_as):
    make_customers(actors)
    rows = sheet_rows(api_as(actors.rep_a1).get("/api/customers/export/?format=xlsx&grade=A"))
    assert [(row[0], row[12], row[16]) for row in rows[1:]] == [("甲公司", "A", "张伟")]  # the owner's name
    pool = sheet_rows(api_as(actors.rep_a1).get("/api/customers/export/?format=xlsx&pool=true"))
    assert [(row[0], row[16]) for row in pool[1:]] == [("公海公司", "公海")]


def test_bad_filter_or_format_is_a_400(actors, api_as):
    client = api_as(actors.rep_a1)
    assert client.get("/api/customers/export/?format=xlsx&owner=99999999999999999999999").status_code == 400
    response = client.get("/api/customers/export/?format=pdf")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"format": ["The export format is xlsx."]}


def test_formula_injection_is_neutralised(actors, api_as):
    services.customer_create(by=actors.rep_a1, name="=HYPERLINK(\"http://evil\")", address="+1+cmd|' /C calc'!A0",
                             industry="@SUM(A1)")
    rows = sheet_rows(api_as(actors.rep_a1).get("/api/customers/export/?format=xlsx"))
    assert (rows[1][0], rows[1][14], rows[1][6]) == (
        "'=HYPERLINK(\"http://evil\")", "'+1+cmd|' /C calc'!A0", "'@SUM(A1)")
    assert [safe_text(text) for text in ("-2", "\tx", "\rx", "ok")] == ["'-2", "'\tx", "'\rx", "ok"]


def test_export_needs_login(api_as):
    assert api_as(None).get("/api/customers/export/?format=xlsx").status_code == 401


def test_stream_writes_a_valid_workbook_with_numbers_and_empty_cells():
    content = b"".join(xlsx_stream(sheet="表", header=["名称", "数"], rows=[["a&b<c", 3], [None, 2.5]]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [tuple(row) for row in sheet.iter_rows(values_only=True)] == [("名称", "数"), ("a&b<c", 3), (None, 2.5)]


def test_export_cells_are_typed_and_named_as_people_read_them(actors, api_as):
    """Owners by display name, the due date a date cell, the budget a money cell; read back by calamine."""
    customer = services.customer_create(by=actors.rep_a1, name="甲公司", grade="A", grade_reason="预算到位",
                                        budget="500000")
    Customer.objects.filter(pk=customer.pk).update(next_due_at=dt.date(2026, 12, 1))
    content = b"".join(api_as(actors.lead_a).get("/api/customers/export/?format=xlsx").streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    row = rows[1]
    assert (row[0], row[9], row[16], row[17]) == ("甲公司", 500000.0, "张伟", dt.date(2026, 12, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["R2"].is_date and sheet["R2"].number_format == "yyyy-mm-dd"
    assert sheet["J2"].number_format == "#,##0.00"


@pytest.mark.parametrize(("language", "name"), [("zh-hans", "客户"), ("en", "customers")])
def test_export_file_name_is_in_the_users_language(actors, client, language, name):
    """The list page's export link, with the user's session: the name in their stored language."""
    actors.rep_a1.language = language
    actors.rep_a1.save(update_fields=["language"])
    client.force_login(actors.rep_a1)
    response = client.get("/api/customers/export/?format=xlsx")
    day = f"{local_today():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"customers-{day}.xlsx\"; filename*=UTF-8''{quote(f'{name}-{day}.xlsx')}"
    )
