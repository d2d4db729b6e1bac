"""R26 with R15: an import may skip duplicate rows and import the rest; each duplicate row is counted once;
the skipped rows are a report to download; the imported customers are one link away."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from salesops.customers import services
from salesops.customers.excel.customer_import import customers_import
from salesops.customers.models import Customer, ImportBatch
from salesops.customers.tests.test_import import GOOD, HEADER, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(settings):
    settings.LANGUAGE_CODE = "en"


def blank(name: str, phone: str = "") -> list[str]:
    return [name, "", "", phone] + [""] * (len(HEADER) - 4)


def sheet_with_duplicates(actors) -> list[list[str]]:
    """Row 2 and 3 are new; row 4 is on record by name AND phone (one row, two keys); row 5 repeats row 2."""
    services.customer_create(by=actors.rep_b1, name="北京长城物流有限公司", phone="13700001111")
    return [*GOOD, blank("北京长城物流有限公司", "13700001111"), blank("上海星辰精密制造有限公司")]


def test_one_duplicate_row_counts_once_however_many_keys_match(actors):
    report = customers_import(file=xlsx(sheet_with_duplicates(actors)), by=actors.rep_a1, dry_run=True)
    assert {issue.row for issue in report.errors} == {4, 5}
    assert len([issue for issue in report.errors if issue.row == 4]) == 2  # name and phone both reported
    assert report.duplicates == 2
    assert report.as_dict()["duplicates"] == 2


def test_skipping_duplicates_imports_the_rest_and_lists_the_skipped(actors):
    rows = sheet_with_duplicates(actors)
    before = Customer.objects.count()
    report = customers_import(file=xlsx(rows), by=actors.rep_a1, dry_run=False, skip_duplicates=True)
    assert report.committed and report.ok
    assert (report.created, report.duplicates) == (2, 2)
    assert [(item["row"], item["name"]) for item in report.skipped] == [
        (4, "北京长城物流有限公司"), (5, "上海星辰精密制造有限公司"),
    ]
    assert "company name" in report.skipped[0]["reason"] and "phone" in report.skipped[0]["reason"]  # one row
    assert Customer.objects.count() == before + 2
    assert report.batch is not None
    batch = ImportBatch.objects.get(pk=report.batch)
    assert (batch.user, batch.created, len(batch.skipped)) == (actors.rep_a1, 2, 2)


def test_without_the_option_a_duplicate_still_refuses_the_whole_sheet(actors):
    rows = sheet_with_duplicates(actors)
    before = Customer.objects.count()
    report = customers_import(file=xlsx(rows), by=actors.rep_a1, dry_run=False)
    assert not report.committed and report.skipped == []
    assert Customer.objects.count() == before


def test_a_check_kept_without_skipping_is_not_used_by_an_import_that_skips_and_back(actors):
    """The kept check of a file is used only by an import with the same choice."""
    rows = sheet_with_duplicates(actors)
    content = xlsx(rows).read()

    def upload():
        from django.core.files.uploadedfile import SimpleUploadedFile
        return SimpleUploadedFile("客户.xlsx", content)

    checked = customers_import(file=upload(), by=actors.rep_a1, dry_run=True, skip_duplicates=True)
    assert checked.ok and len(checked.skipped) == 2
    refused = customers_import(file=upload(), by=actors.rep_a1, dry_run=False, expected_digest=checked.digest)
    assert not refused.committed  # asked not to skip: the duplicates refuse the sheet
    done = customers_import(file=upload(), by=actors.rep_a1, dry_run=False, expected_digest=checked.digest,
                            skip_duplicates=True)
    assert done.committed and done.created == 2 and len(done.skipped) == 2


def test_the_page_skips_then_links_the_imported_customers_and_the_report(actors, client):
    actors.rep_a1.language = "en"
    actors.rep_a1.save(update_fields=["language"])
    rows = sheet_with_duplicates(actors)
    content = xlsx(rows).read()
    client.force_login(actors.rep_a1)

    def post(action: str, **extra: str):
        from django.core.files.uploadedfile import SimpleUploadedFile
        data = {"kind": "customers", "action": action, "skip_duplicates": "on",
                "file": SimpleUploadedFile("客户.xlsx", content), **extra}
        return client.post("/customers/import/", data)

    check = post("check")
    assert 'data-testid="import-skipped"' in check.content.decode()
    done = post("commit", digest=check.context["report"].digest)
    batch = ImportBatch.objects.get(user=actors.rep_a1)
    assert done.status_code == 302 and done["Location"] == f"/customers/import/?batch={batch.pk}"
    page = client.get(done["Location"]).content.decode()
    assert f'href="/customers/?import_batch={batch.pk}"' in page
    assert f'href="/customers/import/{batch.pk}/skipped.xlsx"' in page

    listed = client.get(f"/customers/?import_batch={batch.pk}").content.decode()
    assert "上海星辰精密制造有限公司" in listed and "杭州云帆软件有限公司" in listed
    services.customer_create(by=actors.rep_a1, name="手工录入的客户")
    assert "手工录入的客户" in client.get("/customers/").content.decode()
    assert "手工录入的客户" not in client.get(f"/customers/?import_batch={batch.pk}").content.decode()

    report = client.get(f"/customers/import/{batch.pk}/skipped.xlsx")
    assert report.status_code == 200
    assert "filename*=UTF-8''skipped%20rows-" in report["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(0)
    table = sheet.to_python()
    assert table[0] == ["Row", "Company name", "Why it was skipped"]
    assert [(row[0], row[1]) for row in table[1:]] == [(4, "北京长城物流有限公司"), (5, "上海星辰精密制造有限公司")]


def test_an_import_batch_is_its_importers_only(actors, client):
    report = customers_import(file=xlsx(GOOD), by=actors.rep_a1, dry_run=False)
    client.force_login(actors.lead_a)  # sees rep_a1's customers, but the import is not theirs
    assert client.get(f"/customers/import/{report.batch}/skipped.xlsx").status_code == 404
    assert "上海星辰精密制造有限公司" not in client.get(f"/customers/?import_batch={report.batch}").content.decode()


def test_api_skips_duplicates_when_asked(actors, api_as):
    rows = sheet_with_duplicates(actors)
    response = api_as(actors.rep_a1).post(
        "/api/customers/import/?skip_duplicates=1", {"file": xlsx(rows)}, format="multipart"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["duplicates"], [item["row"] for item in body["skipped"]]) == (2, 2, [4, 5])
    listed = api_as(actors.rep_a1).get(f"/api/customers/?import_batch={body['batch']}").json()
    assert sorted(row["name"] for row in listed["results"]) == ["上海星辰精密制造有限公司", "杭州云帆软件有限公司"]
