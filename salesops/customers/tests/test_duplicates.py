"""R15 duplicates in two tiers, and R1 in what a duplicate answer says.

The same company (normalised name, phone of the customer or a contact, credit code) → 409 ``duplicate``
with ``duplicate_of``; a near match of the name (a place in brackets or in front added or dropped) → 409
``possible_duplicate`` with ``candidates``, created when resent with ``confirm_new``, which the history
records. A customer outside the caller's scope is answered with its id, the matched field and the owner
masked, never its name: through the API, on the page form and in import reports."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import duplicates, services
from salesops.customers.excel.customer_import import COLUMNS
from salesops.customers.models import Customer
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]
CODE = "91350100M000100Y43"  # a valid unified social credit code


@pytest.fixture(autouse=True)
def _english_messages(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def post(client: APIClient, **body: Any) -> Any:
    return client.post(URL, body, format="json")


# --- The same company -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variant",
    ["华为技术股份有限公司", "华为技术有限责任公司", "华为 技术", "華為技術有限公司", "华为技术集团",
     "华为技术（集团）有限公司", "ＨＵＡＷＥＩ技术", "huawei技术 co., ltd."],
)
def test_same_company_in_another_form_is_a_duplicate(actors: Actors, api_as: ApiAs, variant: str) -> None:
    name = "Huawei技术有限公司" if variant[0] in "Ｈh" else "华为技术有限公司"
    existing = services.customer_create(by=actors.rep_a1, name=name)
    response = post(api_as(actors.rep_a1), name=variant)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert error["duplicate_of"] == {
        "id": existing.pk, "field": "name", "name": existing.name, "owner_name": "张伟", "visible": True,
    }
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_pool_duplicate_is_in_everyones_scope(actors: Actors, api_as: ApiAs) -> None:
    existing = services.customer_create(by=actors.lead_c, name="广州白云制药", owner=None)
    response = post(api_as(actors.rep_a1), name="广州白云制药有限公司")
    assert response.json()["error"]["duplicate_of"] == {
        "id": existing.pk, "field": "name", "name": "广州白云制药", "owner_name": None, "visible": True,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["+86 138 1234 5678", "0086-13812345678", "138-1234-5678"])
def test_same_phone_is_a_duplicate(actors: Actors, api_as: ApiAs, phone: str) -> None:
    existing = services.customer_create(by=actors.rep_a2, name="深圳前海贸易", phone="13812345678")
    response = post(api_as(actors.rep_a1), name="完全不同的名字", phone=phone)
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == existing.pk
    assert response.json()["error"]["duplicate_of"]["field"] == "phone"
    assert Customer.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["020-83758474转801", "020-83758474-801", "020-83758474 ext 801"])
@pytest.mark.parametrize("second", ["020-83758474", "020 8375 8474转802", "(020)83758474 x9"])
def test_a_phone_with_an_extension_is_accepted_and_compared_without_it(
    actors: Actors, api_as: ApiAs, first: str, second: str
) -> None:
    created = post(api_as(actors.rep_a1), name="广州越秀贸易", phone=first)
    assert created.status_code == 201
    assert created.json()["phone"] == first  # kept as typed
    response = post(api_as(actors.rep_a1), name="另一个名字", phone=second)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "duplicate")
    assert response.json()["error"]["duplicate_of"]["id"] == created.json()["id"]


@pytest.mark.django_db
def test_contact_phone_is_a_duplicate_too(actors: Actors, api_as: ApiAs) -> None:
    existing = services.customer_create(
        by=actors.rep_a2, name="常州天宁电子", contacts=[{"name": "郑工", "phone": "(0519)8888 6666"}]
    )
    response = post(api_as(actors.rep_a1), name="另一个名字", phone="0519-88886666")
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == existing.pk


@pytest.mark.django_db
def test_same_credit_code_is_a_duplicate(actors: Actors, api_as: ApiAs) -> None:
    existing = services.customer_create(by=actors.rep_a1, name="福建某公司", credit_code=CODE)
    response = post(api_as(actors.rep_a1), name="名字不同", credit_code=CODE.lower())
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == existing.pk
    assert response.json()["error"]["duplicate_of"]["field"] == "credit_code"


@pytest.mark.django_db
def test_different_companies_are_not_duplicates(actors: Actors, api_as: ApiAs) -> None:
    services.customer_create(by=actors.rep_a1, name="华为技术有限公司", phone="13812345678")
    response = post(api_as(actors.rep_a1), name="华为终端有限公司", phone="13812345679")
    assert response.status_code == 201
    assert Customer.objects.count() == 2


@pytest.mark.django_db
def test_merged_or_deactivated_customers_do_not_block(actors: Actors, api_as: ApiAs) -> None:
    old = services.customer_create(by=actors.rep_a1, name="旧客户有限公司")
    services.customer_deactivate(customer=old, by=actors.rep_a1)
    assert post(api_as(actors.rep_a1), name="旧客户").status_code == 201


@pytest.mark.django_db
def test_rename_into_a_duplicate_is_refused(actors: Actors, api_as: ApiAs) -> None:
    first = services.customer_create(by=actors.rep_a1, name="南京紫金电力")
    second = services.customer_create(by=actors.rep_a1, name="南京玄武电力")
    response = api_as(actors.rep_a1).patch(f"{URL}{second.pk}/", {"name": "南京紫金电力有限公司", "version": 1},
                                             format="json")
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == first.pk
    second.refresh_from_db()
    assert second.name == "南京玄武电力"
    # Saving a customer under its own name is not a duplicate of itself.
    same = api_as(actors.rep_a1).patch(f"{URL}{first.pk}/", {"name": "南京紫金电力有限公司", "version": 1},
                                         format="json")
    assert same.status_code == 200


# --- What an answer may say (R1) ----------------------------------------------------------------------

def _other_teams_customer(actors: Actors) -> Customer:
    return services.customer_create(
        by=actors.rep_b1, name="上海申通快运有限公司", phone="13900001111", credit_code=CODE,
        contacts=[{"name": "周经理", "phone": "021-5555 6666"}],
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "field"), [
    ({"name": "上海申通快运"}, "name"),
    ({"name": "别的名字", "phone": "139-0000-1111"}, "phone"),
    ({"name": "别的名字", "phone": "021-55556666转8"}, "phone"),  # the other customer's contact
    ({"name": "别的名字", "credit_code": CODE}, "credit_code"),
])
def test_another_teams_duplicate_gives_no_name(
    actors: Actors, api_as: ApiAs, typed: dict[str, str], field: str
) -> None:
    existing = _other_teams_customer(actors)
    response = post(api_as(actors.rep_a1), **typed)
    assert response.status_code == 409
    body = response.content.decode()
    assert "申通" not in body and "王芳" not in body and "周经理" not in body
    error = response.json()["error"]
    assert error["duplicate_of"] == {
        "id": existing.pk, "field": field, "owner_name": "王*", "owner_team": "华东二组", "visible": False,
    }
    assert "Ask your team lead" in error["message"]
    # The director sees team_b: the customer by name, the owner in full.
    seen = post(api_as(actors.director), **typed).json()["error"]
    assert (seen["duplicate_of"]["name"], seen["duplicate_of"]["owner_name"]) == (existing.name, "王芳")
    assert existing.name in seen["message"]


@pytest.mark.django_db
def test_another_teams_duplicate_in_chinese_names_whom_to_ask(actors: Actors, api_as: ApiAs, settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    _other_teams_customer(actors)
    message = post(api_as(actors.rep_a1), name="上海申通快运").json()["error"]["message"]
    assert "王*" in message and "华东二组" in message and "团队负责人" in message and "申通" not in message


@pytest.mark.django_db
def test_the_page_form_gives_no_name_of_another_teams_customer(actors: Actors, client: Client) -> None:
    existing = _other_teams_customer(actors)
    client.force_login(actors.rep_a1)
    response = client.post("/customers/new/", {"name": "别的名字", "phone": "13900001111", "status": "lead"})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="duplicate"' in html
    assert "王*" in html and "申通" not in html and "王芳" not in html
    assert f'href="/customers/{existing.pk}/"' not in html
    assert Customer.objects.count() == 1


def _sheet(rows: list[list[str]]) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([names[0] for names in COLUMNS.values()])
    for row in rows:
        sheet.append(row + [""] * (len(COLUMNS) - len(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("客户.xlsx", buffer.getvalue())


@pytest.mark.django_db
def test_the_import_report_gives_no_name_of_another_teams_customer(actors: Actors, api_as: ApiAs) -> None:
    existing = _other_teams_customer(actors)
    rows = [["上海申通快运"], ["别的名字", "", "", "13900001111"], ["第三个名字"] + [""] * 14 + [CODE]]
    response = api_as(actors.rep_a1).post("/api/customers/import/?dry_run=1", {"file": _sheet(rows)},
                                          format="multipart")
    body = response.content.decode()
    assert "申通" not in body and "王芳" not in body
    errors = response.json()["errors"]
    assert [(e["row"], e["duplicate_of"]) for e in errors] == [
        (row, {"id": existing.pk, "field": field, "owner_name": "王*", "owner_team": "华东二组", "visible": False})
        for row, field in ((2, "name"), (3, "phone"), (4, "credit_code"))
    ]
    # The same rows on the import page.
    client = Client()
    client.force_login(actors.rep_a1)
    page = client.post("/customers/import/", {"kind": "customers", "action": "check", "file": _sheet(rows)})
    assert "王*" in page.content.decode() and "申通" not in page.content.decode()


# --- Near matches -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("existing", "typed"), [
    ("星河科技有限公司", "星河科技（上海）有限公司"),  # a place in brackets added
    ("星河科技（上海）有限公司", "星河科技"),  # dropped
    ("星河科技（上海）", "上海星河科技有限公司"),  # the same place in front
    ("上海市星河科技有限公司", "星河科技(上海)"),
    ("星河科技（北京）", "星河科技"),
    ("广东省深圳市星河科技", "星河科技（深圳）"),
    ("星河科技（研发中心）", "星河科技"),
])
def test_a_near_match_is_a_possible_duplicate(actors: Actors, api_as: ApiAs, existing: str, typed: str) -> None:
    first = services.customer_create(by=actors.rep_a1, name=existing)
    response = post(api_as(actors.rep_a1), name=typed)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "possible_duplicate"
    assert error["candidates"] == [
        {"id": first.pk, "field": "name", "name": existing, "owner_name": "张伟", "visible": True},
    ]
    assert Customer.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("existing", "typed"), [
    ("星河科技（北京）有限公司", "星河科技（深圳）有限公司"),
    ("北京星河科技有限公司", "星河科技（深圳）"),
    ("北京星河科技", "深圳星河科技"),
    ("星河科技", "星海科技"),
])
def test_different_places_or_names_are_different_companies(
    actors: Actors, api_as: ApiAs, existing: str, typed: str
) -> None:
    services.customer_create(by=actors.rep_a1, name=existing)
    assert post(api_as(actors.rep_a1), name=typed).status_code == 201


@pytest.mark.django_db
def test_candidates_of_another_team_are_masked(actors: Actors, api_as: ApiAs) -> None:
    mine = services.customer_create(by=actors.rep_a1, name="星河科技（上海）")
    theirs = services.customer_create(by=actors.rep_b1, name="星河科技（北京）有限公司")
    response = post(api_as(actors.rep_a1), name="星河科技")
    assert "北京" not in response.content.decode() and "王芳" not in response.content.decode()
    assert response.json()["error"]["candidates"] == [
        {"id": mine.pk, "field": "name", "name": "星河科技（上海）", "owner_name": "张伟", "visible": True},
        {"id": theirs.pk, "field": "name", "owner_name": "王*", "owner_team": "华东二组", "visible": False},
    ]


@pytest.mark.django_db
def test_confirm_new_creates_and_the_history_says_so(actors: Actors, api_as: ApiAs) -> None:
    first = services.customer_create(by=actors.rep_b1, name="星河科技（上海）有限公司")
    client = api_as(actors.rep_a1)
    response = post(client, name="星河科技", grade="B", confirm_new=True)
    assert response.status_code == 201
    created = Customer.objects.get(pk=response.json()["id"])
    assert created.history.get().history_change_reason.startswith(
        f"Created although customers with a similar name exist (#{first.pk})"
    )
    # The lead of the team reads it on the customer's history.
    history = api_as(actors.lead_a).get(f"{URL}{created.pk}/history/").json()["results"]
    assert f"#{first.pk}" in history[-1]["reason"] and history[-1]["field"] == "created"
    # Without a near match nothing is noted; confirm_new never lets the same company in.
    plain = Customer.objects.get(pk=post(client, name="别的公司", confirm_new=True).json()["id"])
    assert plain.history.get().history_change_reason is None
    assert post(client, name="星河科技有限公司", confirm_new=True).json()["error"]["code"] == "duplicate"


@pytest.mark.django_db
def test_the_page_form_offers_to_create_anyway(actors: Actors, client: Client) -> None:
    first = services.customer_create(by=actors.rep_a1, name="星河科技（上海）")
    client.force_login(actors.rep_a1)
    warned = client.post("/customers/new/", {"name": "星河科技", "status": "lead"})
    html = warned.content.decode()
    assert warned.status_code == 400 and 'data-testid="possible-duplicate"' in html
    assert f'href="/customers/{first.pk}/"' in html and 'data-testid="confirm-new"' in html
    assert Customer.objects.count() == 1
    done = client.post("/customers/new/", {"name": "星河科技", "status": "lead", "confirm_new": "1"})
    assert done.status_code == 302 and Customer.objects.count() == 2


@pytest.mark.django_db
def test_an_imported_near_match_is_a_warning_with_masked_candidates(actors: Actors, api_as: ApiAs) -> None:
    theirs = services.customer_create(by=actors.rep_b1, name="星河科技（北京）有限公司")
    response = api_as(actors.rep_a1).post("/api/customers/import/", {"file": _sheet([["星河科技"]])},
                                          format="multipart")
    assert response.status_code == 201 and response.json()["created"] == 1
    assert "北京" not in response.content.decode()
    assert response.json()["warnings"][0]["candidates"] == [
        {"id": theirs.pk, "field": "name", "owner_name": "王*", "owner_team": "华东二组", "visible": False},
    ]


@pytest.mark.django_db
def test_the_check_reads_indexed_keys_in_a_few_queries(actors: Actors, django_assert_max_num_queries: Any) -> None:
    services.customer_create(by=actors.rep_a1, name="星河科技（上海）", phone="13812345678")
    with django_assert_max_num_queries(3):  # same keys, contacts' phones, near names
        assert duplicates.check_entry(by=actors.rep_a1, name="银河科技", phone="13912345678",
                                      credit_code=CODE) == []


@pytest.mark.django_db
def test_the_migration_fills_the_keys_of_the_rows_there_are(actors: Actors) -> None:
    """Rows written under the old keys (brackets dropped, extensions kept in the number) get the new ones,
    so the duplicate checks above find them."""
    from importlib import import_module

    from django.apps import apps

    from salesops.customers import selectors
    from salesops.customers.models import Contact, CustomerSearchTerm

    migration = import_module("salesops.customers.migrations.0011_name_base_key")
    old = Customer.objects.create(name="星河科技（上海）有限公司", name_key="星河科技", phone="020-83758474-801",
                                  phone_key="02083758474801", owner=actors.rep_a1)
    contact = Contact.objects.create(customer=old, name="周", phone="0755-1234567 转 8", phone_key="")
    services.index_terms([old.pk])
    CustomerSearchTerm.objects.filter(customer=old, term="星河科技上海").update(term="星河科技")  # the old word
    assert not selectors.search(Customer.objects.all(), "星河科技（上海）").exists()
    migration.fill_keys(apps, None)
    old.refresh_from_db()
    contact.refresh_from_db()
    assert (old.name_key, old.name_base_key, old.phone_key) == ("星河科技(上海)", "星河科技", "02083758474")
    assert contact.phone_key == "07551234567"
    # Found by its whole name again, as a customer entered now is.
    assert list(selectors.search(Customer.objects.all(), "星河科技（上海）")) == [old]
