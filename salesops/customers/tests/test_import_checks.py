"""R26: the import of a checked file reuses its check and redoes only what may have changed since: the
duplicates in the database (R15) and who may own the rows (R1). Whatever it takes, the result is the one a
full check would give."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import translation

from salesops.customers.excel import customer_import
from salesops.customers.excel.bulk_load import paused_gc
from salesops.customers.excel.customer_import import customers_import
from salesops.customers.excel.kept_checks import CHECK_KEPT
from salesops.customers.models import Contact, Customer, CustomerSearchTerm, ImportCheck, OwnershipEvent
from salesops.customers.normalise import company_key
from salesops.customers.tests.test_import import GOOD, HEADER, xlsx

POOL_ROW = [
    "广州珠江物流有限公司", "周敏", "经理", "020-8888 6666", "", "", "物流", "集团", "", "¥3.5万元", "", "渠道合作",
    "C", "价格敏感", "", "", "公海",
]


@pytest.fixture(autouse=True)
def _english_messages(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cells_read(monkeypatch) -> list[int]:
    """How many times a sheet's cells were read (``read_rows``)."""
    calls: list[int] = []
    read = customer_import.read_rows

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return read(*args, **kwargs)

    monkeypatch.setattr(customer_import, "read_rows", counted)
    return calls


def messages(report) -> list[tuple[int | None, str, str]]:
    return [(issue.row, issue.column, issue.message) for issue in report.errors]


def test_the_import_of_a_checked_file_does_not_read_its_cells_again(actors, cells_read):
    upload = xlsx(GOOD)
    check = customers_import(file=upload, by=actors.rep_a1, dry_run=True)
    assert check.ok and len(cells_read) == 1
    assert ImportCheck.objects.filter(user=actors.rep_a1, digest=check.digest).count() == 1
    report = customers_import(file=upload, by=actors.rep_a1, dry_run=False)
    assert (report.committed, report.created, report.total_rows, report.digest) == (True, 2, 2, check.digest)
    assert len(cells_read) == 1  # the import took the kept rows
    assert not ImportCheck.objects.exists()  # and used them up
    assert Customer.objects.filter(owner=actors.rep_a1).count() == 2


def _snapshot() -> list[tuple[Any, ...]]:
    """Everything an import writes, without ids and times."""
    skipped = {"id", "created_at", "updated_at", "graded_at", "intent_at", "pooled_at"}
    fields = [f.attname for f in Customer._meta.concrete_fields if f.attname not in skipped]
    rows = []
    for customer in Customer.objects.order_by("name"):
        rows.append((
            tuple(getattr(customer, name) for name in fields),
            sorted(customer.tags.values_list("name", flat=True)),
            sorted(CustomerSearchTerm.objects.filter(customer=customer).values_list("term", "owner_id")),
            sorted(Contact.objects.filter(customer=customer).values_list("name", "title", "phone", "phone_key",
                                                                         "wechat", "email", "is_primary")),
            list(OwnershipEvent.objects.filter(customer=customer).values_list("kind", "to_user_id", "by_id")),
            list(customer.history.values_list("history_type", "history_user_id", "history_change_reason")),
        ))
    return rows


def test_kept_rows_make_exactly_what_a_full_check_makes(actors, cells_read):
    upload = xlsx([*GOOD, POOL_ROW])
    with transaction.atomic():
        full = customers_import(file=upload, by=actors.admin, dry_run=False)
        assert full.committed and len(cells_read) == 1
        expected = _snapshot()
        transaction.set_rollback(True)
    assert not Customer.objects.exists()
    assert customers_import(file=upload, by=actors.admin, dry_run=True).ok
    kept = customers_import(file=upload, by=actors.admin, dry_run=False)
    assert kept.committed and len(cells_read) == 2  # the check read the cells; the import did not
    assert (kept.total_rows, kept.valid_rows, kept.created) == (full.total_rows, full.valid_rows, full.created)
    assert _snapshot() == expected
    assert len(expected) == 3 and Customer.objects.get(name="广州珠江物流有限公司").owner is None


def test_a_customer_created_after_the_check_is_still_found_as_a_duplicate(actors, cells_read):
    upload = xlsx(GOOD)
    assert customers_import(file=upload, by=actors.rep_a1, dry_run=True).ok
    name = "上海星辰精密制造股份有限公司"  # the same company key as row 2
    existing = Customer.objects.create(name=name, name_key=company_key(name), owner=actors.rep_a1)
    report = customers_import(file=upload, by=actors.rep_a1, dry_run=False)
    assert not report.committed
    assert messages(report) == [(2, "客户名称", f"This customer exists already: {name}.")]
    assert report.errors[0].duplicate_of == {"id": existing.pk, "field": "name", "name": name, "visible": True,
                                             "owner_name": "张伟"}
    assert len(cells_read) == 2  # the duplicate sent the import back to a full check, which reports it
    assert list(Customer.objects.values_list("pk", flat=True)) == [existing.pk]


def test_an_owner_who_left_after_the_check_is_refused(actors):
    upload = xlsx(GOOD)  # row 3 names rep_a1
    assert customers_import(file=upload, by=actors.lead_a, dry_run=True).ok
    actors.rep_a1.is_active = False
    actors.rep_a1.save()
    report = customers_import(file=upload, by=actors.lead_a, dry_run=False)
    assert messages(report) == [(3, "负责人", "rep_a1 is not a rep or lead you may give customers to.")]
    assert not Customer.objects.exists()


def test_a_check_is_used_only_by_the_person_who_made_it(actors, cells_read):
    upload = xlsx(GOOD)  # row 3 names rep_a1: the admin may, rep_a2 may not
    assert customers_import(file=upload, by=actors.admin, dry_run=True).ok
    report = customers_import(file=upload, by=actors.rep_a2, dry_run=False)
    assert messages(report) == [(3, "负责人", "rep_a1 is not a rep or lead you may give customers to.")]
    assert len(cells_read) == 2 and not Customer.objects.exists()
    assert ImportCheck.objects.filter(user=actors.admin).exists()  # the admin's check is still there


def test_a_check_older_than_a_day_is_not_used_and_is_purged(actors, cells_read):
    upload = xlsx(GOOD)
    assert customers_import(file=upload, by=actors.rep_a1, dry_run=True).ok
    ImportCheck.objects.update(created_at=ImportCheck.objects.get().created_at - CHECK_KEPT)
    report = customers_import(file=upload, by=actors.rep_a1, dry_run=False)
    assert report.committed and len(cells_read) == 2  # checked again in full
    assert ImportCheck.objects.filter(user=actors.rep_a1).exists()
    customers_import(file=xlsx([["新公司"] + [""] * (len(HEADER) - 1)]), by=actors.rep_a2, dry_run=True)
    assert list(ImportCheck.objects.values_list("user", flat=True)) == [actors.rep_a2.pk]  # the old one purged


def test_a_failed_check_keeps_nothing_and_a_new_check_replaces_the_last(actors):
    assert not customers_import(file=xlsx([["", "刘强"]]), by=actors.rep_a1, dry_run=True).ok
    assert not ImportCheck.objects.exists()
    first = customers_import(file=xlsx(GOOD[:1]), by=actors.rep_a1, dry_run=True)
    second = customers_import(file=xlsx(GOOD[1:]), by=actors.rep_a1, dry_run=True)
    assert list(ImportCheck.objects.values_list("digest", flat=True)) == [second.digest] != [first.digest]


def test_the_page_still_refuses_another_file_than_the_one_checked(actors, client):
    client.force_login(actors.rep_a1)
    checked = xlsx(GOOD)
    check = client.post("/customers/import/", {"kind": "customers", "action": "check", "file": checked})
    other = xlsx(GOOD[:1])
    wrong = client.post("/customers/import/", {"kind": "customers", "action": "commit",
                                               "digest": check.context["report"].digest, "file": other})
    assert wrong.context["report"].errors[0].message == "这不是刚才检查过的文件，请重新检查。"
    assert not Customer.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("concurrent_db")
def test_two_imports_of_one_checked_file_at_once_create_it_once(actors):
    checked = xlsx(GOOD)
    content = checked.read()
    assert customers_import(file=checked, by=actors.rep_a1, dry_run=True).ok
    barrier = threading.Barrier(2)
    outcomes: list[str] = ["", ""]

    def run(index: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=10)
                upload = SimpleUploadedFile("客户.xlsx", content)
                report = customers_import(file=upload, by=actors.rep_a1, dry_run=False)
            outcomes[index] = "created" if report.committed else "refused"
        except Exception as exc:  # reported in the assertion on the outcomes
            outcomes[index] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["created", "refused"]
    assert Customer.objects.count() == 2
    assert not ImportCheck.objects.exists()


def test_the_collector_is_paused_during_an_import_and_restored_after(actors, monkeypatch):
    seen: list[bool] = []
    check = customer_import._check_customers

    def watching(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        check(*args, **kwargs)

    monkeypatch.setattr(customer_import, "_check_customers", watching)
    assert gc.isenabled()
    customers_import(file=xlsx(GOOD), by=actors.rep_a1, dry_run=True)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
