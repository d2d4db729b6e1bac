"""The customer and follow-up imports take the old Excel format (.xls) and OpenDocument (.ods) that WPS,
older Excel and LibreOffice save, as well as xlsx and csv (R26). The files were made by LibreOffice
(``core/tests/sheets/make_fixtures.py``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.customers import services
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp

SHEETS = Path(__file__).resolve().parents[2] / "core" / "tests" / "sheets"


@pytest.fixture(autouse=True)
def _english_messages(settings):
    settings.LANGUAGE_CODE = "en"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SHEETS / name).read_bytes())


def test_customers_import_from_an_xls_file(actors, api_as):
    response = api_as(actors.rep_a1).post("/api/customers/import/", {"file": upload("customers.xls")},
                                          format="multipart")
    assert response.status_code == 201, response.json()
    assert (response.json()["kind"], response.json()["created"]) == ("xls", 2)
    star = Customer.objects.get(name="上海星辰精密制造有限公司")
    assert (star.phone, star.budget, star.grade) == ("13812345678", Decimal("500000.00"), "B")
    assert star.owner == actors.rep_a1
    assert Customer.objects.get(name="杭州云帆软件有限公司").budget == Decimal("1200000.00")


def test_followups_import_reads_the_date_cell_of_an_ods_file(actors, api_as):
    """The contact in the file is on 2020-05-06 10:30: read as that date, it is too old to log."""
    services.customer_create(by=actors.rep_a1, name="上海星辰精密制造有限公司", phone="13812345678")
    response = api_as(actors.rep_a1).post("/api/followups/import/?dry_run=1", {"file": upload("followups.ods")},
                                          format="multipart")
    assert response.status_code == 200
    report = response.json()
    assert report["kind"] == "ods"
    assert [(error["row"], error["column"], error["message"][:30]) for error in report["errors"]] == [
        (2, "跟进时间", "The contact time is more than ")]
    assert FollowUp.objects.count() == 0


def test_the_import_page_offers_every_sheet_format_the_import_reads(actors, client):
    client.force_login(actors.rep_a1)
    page = client.get("/customers/import/").content.decode()
    accept = page.split('accept="', 1)[1].split('"', 1)[0].split(",")
    assert {".xlsx", ".xls", ".ods", ".csv", "application/vnd.ms-excel"} <= set(accept)
    assert "OpenDocument 表格（.ods）" in page  # the rep reads the page in Chinese
