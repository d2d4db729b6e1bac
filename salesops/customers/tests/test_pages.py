"""Customer pages: list with saved views and filters, detail with tag line, contacts and a timeline of
changes and follow-ups (R11, R12), new / edit forms refusing duplicates (R15), scope 404s (R1), and a
fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from salesops.customers import services
from salesops.customers.models import Contact, Customer
from salesops.followups.models import Channel, FollowUp
from salesops.testing.actors import Actors


def logged_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_list_shows_saved_views_and_filters(client: Client, actors: Actors) -> None:
    due = services.customer_create(by=actors.rep_a1, name="今天到期的客户", grade="C", grade_reason="长期培养")
    services.customer_create(by=actors.rep_a1, name="另一个客户")
    Customer.objects.filter(pk=due.pk).update(next_due_at=timezone.localdate())
    page = logged_in(client, actors.rep_a1).get("/customers/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="saved-views"' in html
    assert f'href="?owner={actors.rep_a1.pk}"' in html
    assert 'href="?due_today=true"' in html and 'href="?overdue=true"' in html
    assert 'href="?grade=A"' in html and 'href="?pool=true"' in html
    filtered = client.get("/customers/", {"due_today": "true"}).content.decode()
    assert "今天到期的客户" in filtered and "另一个客户" not in filtered
    searched = client.get("/customers/", {"q": "lyg"}).content.decode()
    assert "另一个客户" in searched and "今天到期的客户" not in searched
    bad = client.get("/customers/", {"owner": "99999999999999999999999"})
    assert bad.status_code == 200
    assert "另一个客户" in bad.content.decode()


@pytest.mark.django_db
def test_list_filter_boxes_are_named_like_the_rest_of_the_page(client: Client, actors: Actors) -> None:
    """The industry and tag boxes read as labels in English (capitalised like the others), in Chinese too."""
    client = logged_in(client, actors.rep_a1)
    chinese = client.get("/customers/").content.decode()
    actors.rep_a1.language = "en"
    actors.rep_a1.save(update_fields=["language"])
    english = client.get("/customers/").content.decode()
    assert 'placeholder="Industry"' in english and 'placeholder="Tags"' in english
    assert 'placeholder="行业"' in chinese and 'placeholder="标签"' in chinese


@pytest.mark.django_db
def test_list_query_count_is_fixed(client: Client, actors: Actors, django_assert_max_num_queries: Any) -> None:
    for i in range(40):
        services.customer_create(by=actors.rep_a1, name=f"列表客户{i}", tags=["重点", f"标签{i}"], industry="制造业")
    logged_in(client, actors.lead_a)
    with django_assert_max_num_queries(15):
        page = client.get("/customers/")
    assert page.content.decode().count('class="card customer-item"') == 40


@pytest.mark.django_db
def test_detail_shows_everything_with_a_timeline(
    client: Client, actors: Actors, django_assert_max_num_queries: Any
) -> None:
    customer = services.customer_create(
        by=actors.rep_a1, name="厦门鹭岛食品", industry="食品", budget="800000", tags=["展会线索"],
        contacts=[{"name": "蔡经理", "phone": "13600001234", "title": "采购经理"}],
    )
    services.customer_update(customer=customer, by=actors.rep_a1, grade="A", grade_reason="本月签约")
    FollowUp.objects.create(customer=customer, author=actors.rep_a1, channel=Channel.VISIT, key_points="现场演示",
                            contacted_at=timezone.now() - dt.timedelta(hours=1))
    FollowUp.objects.create(customer=customer, author=actors.rep_a2, channel=Channel.PHONE, key_points="别人的记录",
                            contacted_at=timezone.now() - dt.timedelta(hours=2))
    logged_in(client, actors.rep_a1)
    with django_assert_max_num_queries(15):
        page = client.get(f"/customers/{customer.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="tag-line"' in html and "食品" in html
    assert "蔡经理" in html and "采购经理" in html
    assert 'data-testid="grade-reason">本月签约<' in html
    assert "现场演示" in html
    assert "别人的记录" in html  # R1: every record on one's own customer, whoever wrote it
    assert 'data-field="grade"' in html and 'data-field="created"' in html
    # Newest first: the grade change, the creation, then the visit logged for an hour ago.
    assert html.index('data-field="grade"') < html.index('data-field="created"') < html.index("现场演示")
    assert 'data-testid="edit"' in html


@pytest.mark.django_db
def test_out_of_scope_pages_are_404(client: Client, actors: Actors) -> None:
    other = services.customer_create(by=actors.rep_b1, name="乙组客户")
    logged_in(client, actors.rep_a1)
    assert client.get(f"/customers/{other.pk}/").status_code == 404
    assert client.get(f"/customers/{other.pk}/edit/").status_code == 404
    assert client.post(f"/customers/{other.pk}/delete/").status_code == 404
    assert client.post(f"/customers/{other.pk}/contacts/", {"name": "外人"}).status_code == 404
    assert client.get("/customers/99999999999999999999999/").status_code == 404
    assert "乙组客户" not in client.get("/customers/").content.decode()
    other.refresh_from_db()
    assert other.is_active and other.contacts.count() == 0


@pytest.mark.django_db
def test_new_customer_form_creates_and_refuses_duplicates(client: Client, actors: Actors) -> None:
    logged_in(client, actors.rep_a1)
    assert client.get("/customers/new/").status_code == 200
    response = client.post("/customers/new/", {"name": "泉州石狮纺织有限公司", "phone": "0595-8888 1234",
                                               "tags": "展会线索，重点", "status": "lead"})
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.owner == actors.rep_a1
    assert sorted(customer.tags.values_list("name", flat=True)) == ["展会线索", "重点"]
    again = client.post("/customers/new/", {"name": "泉州石狮纺织", "status": "lead"})
    assert again.status_code == 400
    assert 'data-testid="duplicate"' in again.content.decode()
    assert f'href="/customers/{customer.pk}/"' in again.content.decode()
    client.force_login(actors.rep_b1)
    hidden = client.post("/customers/new/", {"name": "泉州石狮纺织", "status": "lead"}).content.decode()
    assert "张*" in hidden and f'href="/customers/{customer.pk}/"' not in hidden
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_form_shows_field_errors_and_saves_nothing(client: Client, actors: Actors) -> None:
    logged_in(client, actors.rep_a1)
    response = client.post("/customers/new/", {"name": "错误数据公司", "phone": "abcdefg",
                                               "credit_code": "91350100M000100Y44", "status": "lead"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-phone"' in html and 'data-testid="error-credit_code"' in html
    assert Customer.objects.count() == 0


@pytest.mark.django_db
def test_edit_changes_grade_with_reason(client: Client, actors: Actors) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="漳州水仙花卉")
    logged_in(client, actors.rep_a1)
    form = {"name": "漳州水仙花卉", "grade": "B", "status": "lead", "version": customer.version}
    refused = client.post(f"/customers/{customer.pk}/edit/", form)
    assert refused.status_code == 400
    assert 'data-testid="error-grade_reason"' in refused.content.decode()
    done = client.post(f"/customers/{customer.pk}/edit/", {**form, "grade_reason": "三个月内采购"})
    assert done.status_code == 302
    customer.refresh_from_db()
    assert (customer.grade, customer.grade_reason) == ("B", "三个月内采购")


@pytest.mark.django_db
def test_contacts_and_delete_from_the_detail_page(client: Client, actors: Actors) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="莆田鞋业")
    logged_in(client, actors.rep_a1)
    client.post(f"/customers/{customer.pk}/contacts/", {"name": "林总", "phone": "13512345678",
                                                        "decision_role": "decider"})
    contact = Contact.objects.get()
    assert (contact.name, contact.phone_key) == ("林总", "13512345678")
    client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/delete/")
    contact.refresh_from_db()
    assert contact.is_active is False
    assert client.post(f"/customers/{customer.pk}/delete/").status_code == 302
    customer.refresh_from_db()
    assert customer.is_active is False


@pytest.mark.django_db
def test_rep_cannot_edit_a_pool_customer_page(client: Client, actors: Actors) -> None:
    pooled = services.customer_create(by=actors.lead_a, name="公海客户甲", owner=None)
    logged_in(client, actors.rep_a1)
    assert client.get(f"/customers/{pooled.pk}/").status_code == 200
    assert client.get(f"/customers/{pooled.pk}/edit/").status_code == 403
