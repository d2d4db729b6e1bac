"""Search finds any part (R15 search, API.md ``q``): any part of the name (字号 禾木 in 杭州禾木新材料科技有限公司),
pinyin initials of any part (hm), any run of four or more digits of a phone (the last four above all),
for customers typed in, imported, loaded as demo or generated (test_import, test_demo_data use the
oracle here), within the caller's scope (R1), on the API, the list page and the pool page; the data
migration gives existing customers the same words."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

import pytest
from django.apps import apps
from django.test import Client
from pypinyin import lazy_pinyin
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Customer, CustomerSearchTerm
from salesops.customers.normalise import company_key, name_word, phone_key
from salesops.customers.pool import services as pool_services
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]


def expected_terms(name: str, phones: Iterable[str]) -> set[str]:
    """The rule written out for a name of Chinese characters: every suffix of the company key and of its
    pinyin initials, the full pinyin, and every suffix of four digits or more of each phone."""
    key = name_word(company_key(name))
    syllables = lazy_pinyin(key)
    assert len(syllables) == len(key), "the oracle reads names of Chinese characters only"
    initials = "".join(syllable[0] for syllable in syllables)
    digits = [phone_key(phone) for phone in phones if phone]
    return (
        {key[i:] for i in range(len(key))} | {initials[i:] for i in range(len(initials))} | {"".join(syllables)}
        | {number[i:] for number in digits for i in range(len(number) - 3)}
    )


def stored_terms(customer: Customer) -> set[str]:
    terms = list(CustomerSearchTerm.objects.filter(customer=customer).values_list("term", flat=True))
    assert len(terms) == len(set(terms))
    return set(terms)


@pytest.fixture
def hemu(actors: Actors) -> Customer:
    return services.customer_create(
        by=actors.rep_a1, name="杭州禾木新材料科技有限公司", phone="0571-8765 4321",
        contacts=[{"name": "周经理", "phone": "139 1234 5678"}],
    )


@pytest.mark.django_db
def test_a_customer_typed_in_is_found_by_any_part(actors: Actors, api_as: ApiAs, hemu: Customer) -> None:
    other = services.customer_create(by=actors.rep_a1, name="苏州聚凯精密机械有限公司", phone="13600001111")
    client = api_as(actors.rep_a1)

    def found(q: str) -> set[int]:
        response = client.get(URL, {"q": q})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    for q in ("禾木", "禾木新材料", "新材料科技", "杭州禾木新材料科技有限公司", "ＨＭ", "hm", "mxcl", "hzhm",
              "hangzhou", "4321", "87654321", "0571-8765", "5678", "1234 5678", "+86 139 1234 5678"):
        assert found(q) == {hemu.pk}, q
    assert found("聚凯") == found("jk") == found("1111") == {other.pk}
    assert found("材") == {hemu.pk}
    assert found("州") == {hemu.pk, other.pk}
    assert found("有限公司") == set()  # the legal form is no part of a company's key
    assert found("木禾") == found("4320") == set()
    assert stored_terms(hemu) == expected_terms(hemu.name, [hemu.phone, "139 1234 5678"])


@pytest.mark.django_db
def test_edits_contacts_and_merges_keep_the_words(actors: Actors, hemu: Customer) -> None:
    services.customer_update(customer=hemu, by=actors.rep_a1, name="杭州禾苗新材料有限公司")
    assert stored_terms(hemu) == expected_terms("杭州禾苗新材料有限公司", [hemu.phone, "13912345678"])
    contact = hemu.contacts.get()
    services.contact_update(contact=contact, by=actors.rep_a1, phone="13700002222")
    assert stored_terms(hemu) == expected_terms("杭州禾苗新材料有限公司", [hemu.phone, "13700002222"])
    services.contact_deactivate(contact=contact, by=actors.rep_a1)
    assert stored_terms(hemu) == expected_terms("杭州禾苗新材料有限公司", [hemu.phone])
    twin = services.customer_create(
        by=actors.rep_a1, name="禾苗材料", contacts=[{"name": "钱工", "phone": "13511112222"}]
    )
    services.customer_merge(survivor=hemu, other=twin, by=actors.lead_a)
    assert stored_terms(hemu) == expected_terms("杭州禾苗新材料有限公司", [hemu.phone, "13511112222"])


@pytest.mark.django_db
def test_search_by_a_part_stays_in_the_scope(actors: Actors, api_as: ApiAs, hemu: Customer) -> None:
    """R1: the same part in another team's customer is never found, nor counted, by the rep or the lead."""
    theirs = services.customer_create(by=actors.rep_b1, name="宁波禾木贸易有限公司", phone="0574-2222 4321")
    pooled = services.customer_create(by=actors.rep_a2, name="温州禾木电器有限公司")
    pool_services.customer_release(customer=pooled, by=actors.rep_a2, reason="暂无需求")
    expected = {
        actors.rep_a1: {hemu.pk}, actors.rep_a2: set(), actors.lead_a: {hemu.pk}, actors.lead_b: {theirs.pk},
        actors.rep_c1: set(), actors.director: {hemu.pk, theirs.pk}, actors.admin: {hemu.pk, theirs.pk},
    }
    for user, ids in expected.items():
        for q in ("禾木", "hm", "4321"):
            body = api_as(user).get(URL, {"q": q}).json()
            assert {row["id"] for row in body["results"]} == ids and body["count"] == len(ids), (user, q)
        pool = api_as(user).get(URL, {"q": "禾木", "pool": "true"}).json()
        assert {row["id"] for row in pool["results"]} == {pooled.pk}


@pytest.mark.django_db
def test_the_list_and_pool_pages_search_any_part(client: Client, actors: Actors, hemu: Customer) -> None:
    pooled = services.customer_create(by=actors.rep_a2, name="温州禾木电器有限公司")
    pool_services.customer_release(customer=pooled, by=actors.rep_a2, reason="暂无需求")
    client.force_login(actors.rep_a1)
    listed = client.get("/customers/", {"q": "禾木"}).content.decode()
    assert hemu.name in listed and pooled.name not in listed
    assert 'href="/pool/?q=%E7%A6%BE%E6%9C%A8" data-testid="search-pool"' in listed  # the pool is a click away
    assert hemu.name in client.get("/customers/", {"q": "5678"}).content.decode()
    in_pool = client.get("/pool/", {"q": "木电"}).content.decode()
    assert pooled.name in in_pool and hemu.name not in in_pool


@pytest.mark.django_db
def test_the_data_migration_gives_existing_customers_every_word(actors: Actors, hemu: Customer) -> None:
    """Customers saved with the old words (whole words only, none at all for the demo) get them all."""
    bare = services.customer_create(by=actors.rep_a1, name="上海聚凯信息技术有限公司", owner=None)
    CustomerSearchTerm.objects.all().delete()
    CustomerSearchTerm.objects.create(customer=hemu, owner=actors.rep_a1, term="杭州禾木新材料科技")
    migration = importlib.import_module("salesops.customers.migrations.0014_search_words_any_part")
    migration.rebuild_words(apps, None)
    assert stored_terms(hemu) == expected_terms(hemu.name, [hemu.phone, "13912345678"])
    assert stored_terms(bare) == expected_terms(bare.name, [])
    assert set(CustomerSearchTerm.objects.filter(customer=bare).values_list("owner", flat=True)) == {None}
    assert set(CustomerSearchTerm.objects.filter(customer=hemu).values_list("owner", flat=True)) == {actors.rep_a1.pk}
