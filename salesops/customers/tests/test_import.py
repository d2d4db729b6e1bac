"""R26 customer import: dry run first, all or nothing, every problem with its row and column."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from salesops.customers import services
from salesops.customers.excel.customer_import import COLUMNS, customers_import, parse_money
from salesops.customers.models import Contact, Customer, CustomerSearchTerm, OwnershipEvent, Status
from salesops.customers.tests.test_search import expected_terms
from salesops.followups.cadence import cadence_refresh


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English wording of messages (the zh-Hans catalogue is checked elsewhere)."""
    settings.LANGUAGE_CODE = "en"


HEADER = [names[0] for names in COLUMNS.values()]
GOOD = [
    ["上海星辰精密制造有限公司", "刘强", "采购经理", "13812345678", "liuqiang", "lq@example.com", "制造业", "中小型",
     "采购经理", "50万", "性价比", "展会线索、老客户推荐", "B", "预算已批", "上海市浦东新区", "91310115MA1K3YJ12G", ""],
    ["杭州云帆软件有限公司", "", "", "0571-8888 1234", "", "", "软件", "大型", "", "1,200,000", "", "", "", "", "", "",
     "rep_a1"],
]


def xlsx(rows: Sequence[Sequence[object]], header: list[str] = HEADER) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("客户.xlsx", buffer.getvalue())


def csv_file(rows: list[list[str]], encoding: str, header: list[str] = HEADER) -> SimpleUploadedFile:
    text = "\r\n".join(",".join(row) for row in [header, *rows]) + "\r\n"
    return SimpleUploadedFile("客户.csv", text.encode(encoding))


def second_pk(first: Customer) -> int:
    return Customer.objects.exclude(pk=first.pk).get().pk


def nothing_created() -> None:
    assert Customer.objects.count() == 0
    assert Contact.objects.count() == 0
    assert Customer.history.count() == 0


def test_dry_run_checks_and_creates_nothing(actors):
    report = customers_import(file=xlsx(GOOD), by=actors.rep_a1, dry_run=True)
    assert report.ok, report.errors
    assert (report.kind, report.total_rows, report.valid_rows, report.created) == ("xlsx", 2, 2, 0)
    nothing_created()


def test_commit_creates_customers_contacts_tags_and_history(actors):
    report = customers_import(file=xlsx(GOOD), by=actors.rep_a1, dry_run=False)
    assert (report.committed, report.created) == (True, 2)
    first = Customer.objects.get(name="上海星辰精密制造有限公司")
    assert (first.owner, first.budget, first.company_size, first.grade, first.status) == (
        actors.rep_a1, Decimal("500000.00"), "small", "B", Status.INTENT)
    assert first.credit_code == "91310115MA1K3YJ12G"
    assert first.intent_at is not None and first.next_due_at is not None  # R8 intent, R10 cadence
    assert cadence_refresh(customer_ids=[first.pk, second_pk(first)]) == 0  # the engine agrees with the import
    assert sorted(first.tags.values_list("name", flat=True)) == ["展会线索", "老客户推荐"]
    contact = first.contacts.get()
    assert (contact.name, contact.title, contact.wechat, contact.is_primary) == ("刘强", "采购经理", "liuqiang", True)
    second = Customer.objects.get(name="杭州云帆软件有限公司")
    assert (second.budget, second.phone_key, second.contacts.count()) == (Decimal("1200000.00"), "057188881234", 0)
    assert first.history.get().history_user == actors.rep_a1  # R12: who and when
    assert OwnershipEvent.objects.filter(kind="create", by=actors.rep_a1).count() == 2
    # R15 search by pinyin initials and phone works for imported customers
    terms = set(CustomerSearchTerm.objects.filter(customer=first).values_list("term", flat=True))
    assert {"星辰精密制造", "xcjmzz", "13812345678", "5678"} <= terms  # any part (R15 search)
    for customer in Customer.objects.all():  # every word, once, whichever database wrote them
        words = list(customer.search_terms.values_list("term", flat=True))
        assert sorted(words) == sorted(expected_terms(customer.name, [customer.phone]))


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_and_utf8_is_read(actors, encoding):
    rows = [["深圳华南电子有限公司", "王磊", "", "13900001111", "", "", "电子", "微型", "", "8000", "", "", "C", "", "",
             "", ""]]
    report = customers_import(file=csv_file(rows, encoding), by=actors.rep_a1, dry_run=False)
    assert report.committed, report.errors
    customer = Customer.objects.get()
    assert (customer.name, customer.industry, customer.company_size, customer.budget) == (
        "深圳华南电子有限公司", "电子", "micro", Decimal("8000.00"))


@pytest.mark.parametrize(("text", "amount"), [
    ("50万", "500000.00"), ("500000", "500000.00"), ("1,200,000", "1200000.00"), ("¥3.5万元", "35000.00"),
])
def test_budget_words(text, amount):
    assert parse_money(text) == Decimal(amount)


def errors_of(report):
    return [(issue.row, issue.column, issue.message) for issue in report.errors]


def row_with(**cells):
    row = ["某某科技有限公司"] + [""] * (len(HEADER) - 1)
    for key, value in cells.items():
        row[list(COLUMNS).index(key)] = value
    return row


@pytest.mark.parametrize(("cells", "column", "message"), [
    ({"phone": "abc-defg"}, "电话/手机", "A phone number has digits only, e.g. 13812345678 or 021-61234567."),
    ({"credit_code": "91310115MA1K3YJ12X"}, "统一社会信用代码",
     "This unified social credit code is not valid: its check character does not match."),
    ({"grade": "D"}, "客户等级", "A grade is A, B or C."),
    ({"budget": "很多"}, "预算", "Write the budget in CNY, e.g. 500000, 1,200,000 or 50万."),
    ({"company_size": "巨型"}, "企业规模", "Company size is one of 微型, 中小型, 大型, 集团."),
    ({"owner": "rep_a2"}, "负责人", "rep_a2 is not a rep or lead you may give customers to."),
    ({"owner": "公海"}, "负责人", "Only an admin may import customers into the public pool."),
    ({"wechat": "wx1"}, "联系人", "Enter the contact's name for the title, WeChat or email of this row."),
    ({"focus": "@HYPERLINK(\"http://x\")"}, "关注点",
     "The cell holds a formula or starts with =, +, - or @; enter the value itself."),
])
def test_bad_cell_is_reported_with_row_and_column_and_nothing_is_created(actors, cells, column, message):
    file = xlsx([GOOD[0], row_with(**cells)])
    report = customers_import(file=file, by=actors.rep_a1, dry_run=False)
    assert errors_of(report) == [(3, column, message)]
    assert report.committed is False
    nothing_created()


def test_duplicates_in_the_file_and_in_the_database(actors):
    existing = services.customer_create(by=actors.rep_b1, name="北京长城物流有限公司", phone="13700001111")
    rows = [
        row_with(phone="13812345678"),
        ["某某科技股份有限公司"] + [""] * (len(HEADER) - 1),  # same company key as row 2
        ["北京长城物流（集团）有限公司"] + [""] * (len(HEADER) - 1),
        ["另一家公司", "", "", "137 0000 1111"] + [""] * (len(HEADER) - 4),
    ]
    report = customers_import(file=xlsx(rows), by=actors.rep_a1, dry_run=True)
    assert report.duplicates == 3
    outside = ("A customer with this %s is already followed by 王* of 华东二组, outside your scope. Ask your team "
               "lead to settle who follows it up.")
    assert [(i.row, i.column, i.message) for i in report.errors] == [
        (3, "客户名称", "The same customer is also on row 2."),
        (4, "客户名称", outside % "company name"),
        (5, "电话/手机", outside % "phone"),
    ]
    # R1: out of scope, the id and the field only, the owner masked, never the name
    assert report.errors[1].duplicate_of == {"id": existing.pk, "field": "name", "visible": False,
                                             "owner_name": "王*", "owner_team": "华东二组"}
    mine = services.customer_create(by=actors.rep_a1, name="杭州西湖茶业")
    seen = customers_import(file=xlsx([["杭州西湖茶业有限公司"] + [""] * (len(HEADER) - 1)]), by=actors.rep_a1,
                            dry_run=True)
    assert [(i.message, i.duplicate_of) for i in seen.errors] == [(
        "This customer exists already: 杭州西湖茶业.",
        {"id": mine.pk, "field": "name", "name": "杭州西湖茶业", "visible": True, "owner_name": "张伟"},
    )]
    assert Customer.objects.count() == 2  # the two made here: the checks created nothing


def test_admin_imports_into_the_pool_and_a_lead_for_a_team_member(actors):
    pool = customers_import(file=xlsx([row_with(owner="公海")]), by=actors.admin, dry_run=False)
    assert pool.committed and Customer.objects.get().owner is None
    other = ["别的公司"] + [""] * (len(HEADER) - 2) + ["李娜"]  # display name of rep_a2
    lead = customers_import(file=xlsx([other]), by=actors.lead_a, dry_run=False)
    assert lead.committed and Customer.objects.get(name="别的公司").owner == actors.rep_a2
    outside = customers_import(file=xlsx([["第三家"] + [""] * (len(HEADER) - 2) + ["rep_b1"]]), by=actors.lead_a,
                               dry_run=False)
    assert errors_of(outside) == [(2, "负责人", "rep_b1 is not a rep or lead you may give customers to.")]


def test_missing_required_column_is_reported_on_the_header_row(actors):
    report = customers_import(file=xlsx([["刘强"]], header=["联系人"]), by=actors.rep_a1, dry_run=True)
    assert errors_of(report) == [(1, "客户名称", "The required column 客户名称 is missing.")]


def test_gbk_read_as_utf8_garbage_is_explained(actors):
    garbled = ",".join(HEADER).encode("gbk").decode("utf-8", errors="replace")
    file = SimpleUploadedFile("a.csv", (garbled + "\r\nx\r\n").encode("utf-8"))
    report = customers_import(file=file, by=actors.rep_a1, dry_run=True)
    assert "saved in another encoding" in report.errors[0].message
    row = ",".join(["上海\ufffd\ufffd公司"] + [""] * (len(HEADER) - 1))
    file = SimpleUploadedFile("b.csv", (",".join(HEADER) + "\r\n" + row + "\r\n").encode("utf-8"))
    report = customers_import(file=file, by=actors.rep_a1, dry_run=True)
    assert errors_of(report) == [(2, "客户名称", "The cell has unreadable characters: save the file as an Excel "
                                                  "workbook or as CSV in UTF-8 or GBK.")]


def test_api_dry_run_then_commit(actors, api_as):
    client = api_as(actors.rep_a1)
    dry = client.post("/api/customers/import/?dry_run=1", {"file": xlsx(GOOD)}, format="multipart")
    assert dry.status_code == 200
    assert {k: dry.json()[k] for k in ("ok", "total_rows", "valid_rows", "created", "errors")} == {
        "ok": True, "total_rows": 2, "valid_rows": 2, "created": 0, "errors": []}
    assert Customer.objects.count() == 0
    done = client.post("/api/customers/import/", {"file": xlsx(GOOD)}, format="multipart")
    assert (done.status_code, done.json()["created"]) == (201, 2)
    again = client.post("/api/customers/import/", {"file": xlsx(GOOD)}, format="multipart")
    assert again.status_code == 400
    body = again.json()["error"]
    assert body["code"] == "import_refused"
    assert [e["row"] for e in body["report"]["errors"]] == [2, 2, 2, 3, 3]
    assert Customer.objects.count() == 2


@pytest.mark.parametrize(("content", "status", "code"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, 415, "unsupported_media_type"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, 415, "unsupported_media_type"),
    (b"PK\x03\x04broken zip", 400, "invalid"),
    (b"", 400, "invalid"),
])
def test_api_refuses_files_that_are_not_sheets(actors, api_as, content, status, code):
    response = api_as(actors.rep_a1).post(
        "/api/customers/import/?dry_run=1", {"file": SimpleUploadedFile("x.xlsx", content)}, format="multipart"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    nothing_created()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_api_refuses_a_file_over_the_limit(actors, api_as):
    big = csv_file([[f"公司{n}"] + [""] * 16 for n in range(200)], "utf-8")
    response = api_as(actors.rep_a1).post("/api/customers/import/", {"file": big}, format="multipart")
    assert (response.status_code, response.json()["error"]["code"]) == (413, "too_large")
    nothing_created()


def test_page_checks_then_imports_the_same_file(actors, client):
    client.force_login(actors.rep_a1)
    content = xlsx(GOOD).read()

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("客户.xlsx", content)

    check = client.post("/customers/import/", {"kind": "customers", "action": "check", "file": upload()})
    assert check.status_code == 200 and Customer.objects.count() == 0
    digest = check.context["report"].digest
    wrong = client.post("/customers/import/", {"kind": "customers", "action": "commit", "digest": "0" * 64,
                                               "file": upload()})
    assert wrong.context["report"].errors[0].message == "这不是刚才检查过的文件，请重新检查。"  # the rep reads zh-Hans
    assert Customer.objects.count() == 0
    done = client.post("/customers/import/", {"kind": "customers", "action": "commit", "digest": digest,
                                              "file": upload()})
    assert done.status_code == 302 and Customer.objects.count() == 2


def test_template_download_has_the_headers_and_an_example(actors, client):
    client.force_login(actors.rep_a1)
    response = client.get("/customers/import/template/customers.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and rows[1][0] == "上海星辰精密制造有限公司"
    report = customers_import(file=SimpleUploadedFile("t.xlsx", response.content), by=actors.rep_a1, dry_run=True)
    assert report.ok, report.errors


def test_commit_writes_the_history_rows_bulk_create_with_history_writes(actors):
    """R12: every imported customer and contact has its "+" record by the importer with the reason, the
    record holds the row's values, and nothing else is written (the import inserts plain rows)."""
    report = customers_import(file=xlsx(GOOD), by=actors.admin, dry_run=False)
    assert report.committed
    for customer in Customer.objects.all():
        record = customer.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+", actors.admin, "Imported from a sheet.")
        assert (record.name, record.phone, record.budget, record.grade, record.owner_id, record.created_at) == (
            customer.name, customer.phone, customer.budget, customer.grade, customer.owner_id, customer.created_at)
        assert record.status == customer.status and customer.created_at == customer.updated_at
    contact = Contact.objects.get()
    assert (contact.history.get().history_type, contact.history.get().name) == ("+", "刘强")
    assert contact.decision_role == Contact._meta.get_field("decision_role").get_default()  # defaults filled
    event = OwnershipEvent.objects.get(customer__name="上海星辰精密制造有限公司")
    assert (event.kind, event.to_user, event.at) == ("create", actors.admin, event.customer.created_at)  # no owner
    # R15 search words: every imported customer has some, and each carries the customer's owner
    carried = set(CustomerSearchTerm.objects.values_list("customer_id", "owner_id"))
    assert carried == set(Customer.objects.values_list("pk", "owner_id"))
    # the ids were reserved: a customer created afterwards gets a new one
    later = services.customer_create(by=actors.admin, name="之后创建的公司")
    assert later.pk > max(Customer.objects.exclude(pk=later.pk).values_list("pk", flat=True))
