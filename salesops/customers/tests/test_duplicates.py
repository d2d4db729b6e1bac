"""R15: duplicates refused at entry by normalised company name, phone and credit code: 409 with
``duplicate_of``; the owner's name is masked when the caller cannot see that customer (R1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Customer
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]


def post(client: APIClient, **body: Any) -> Any:
    return client.post(URL, body, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variant",
    ["华为技术（深圳）有限公司", "华为技术股份有限公司", "ＨＵＡＷＥＩ技术", "华为 技术", "华为技术(上海)公司"],
)
def test_same_company_in_another_form_is_a_duplicate(actors: Actors, api_as: ApiAs, variant: str) -> None:
    existing = services.customer_create(by=actors.rep_a1, name="华为技术有限公司" if "ＨＵＡＷＥＩ" not in variant
                                        else "Huawei技术有限公司")
    response = post(api_as(actors.rep_a1), name=variant)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert error["duplicate_of"] == {"id": existing.pk, "name": existing.name, "owner_name": "张伟", "visible": True}
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_out_of_scope_duplicate_masks_the_owner(actors: Actors, api_as: ApiAs) -> None:
    existing = services.customer_create(by=actors.rep_b1, name="上海申通快运有限公司")
    response = post(api_as(actors.rep_a1), name="上海申通快运")
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"] == {
        "id": existing.pk, "name": "上海申通快运有限公司", "owner_name": "王*", "visible": False,
    }
    # The director sees team_b: the owner's name in full.
    seen = post(api_as(actors.director), name="上海申通快运")
    assert seen.json()["error"]["duplicate_of"]["owner_name"] == "王芳"


@pytest.mark.django_db
def test_pool_duplicate_has_no_owner(actors: Actors, api_as: ApiAs) -> None:
    existing = services.customer_create(by=actors.lead_c, name="广州白云制药", owner=None)
    response = post(api_as(actors.rep_a1), name="广州白云制药有限公司")
    assert response.json()["error"]["duplicate_of"] == {
        "id": existing.pk, "name": "广州白云制药", "owner_name": None, "visible": True,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["+86 138 1234 5678", "0086-13812345678", "138-1234-5678"])
def test_same_phone_is_a_duplicate(actors: Actors, api_as: ApiAs, phone: str) -> None:
    existing = services.customer_create(by=actors.rep_c1, name="深圳前海贸易", phone="13812345678")
    response = post(api_as(actors.rep_a1), name="完全不同的名字", phone=phone)
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == existing.pk
    assert response.json()["error"]["duplicate_of"]["owner_name"] == "刘*"
    assert Customer.objects.count() == 1


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
    existing = services.customer_create(by=actors.rep_b1, name="福建某公司", credit_code="91350100M000100Y43")
    response = post(api_as(actors.rep_a1), name="名字不同", credit_code="91350100m000100y43")
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == existing.pk


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
    response = api_as(actors.rep_a1).patch(f"{URL}{second.pk}/", {"name": "南京紫金电力有限公司"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["duplicate_of"]["id"] == first.pk
    second.refresh_from_db()
    assert second.name == "南京玄武电力"
    # Saving a customer under its own name is not a duplicate of itself.
    same = api_as(actors.rep_a1).patch(f"{URL}{first.pk}/", {"name": "南京紫金电力有限公司"}, format="json")
    assert same.status_code == 200
