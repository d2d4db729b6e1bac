"""Pages of the pool (R15): the list with filters, claiming with htmx (clear messages for the cap and for
someone faster), and a lead's transfer form (R1 scope)."""

from __future__ import annotations

import pytest
from django.utils import translation

from salesops.customers.models import Customer, Grade, OwnershipEvent
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(actors):
    for person in actors.all_people().values():
        person.language = "en"
        person.save()
    with translation.override("en"):
        yield


def make_customer(name: str, owner=None, grade=Grade.B, industry="制造业") -> Customer:
    return Customer.objects.create(name=name, name_key=name, owner=owner, grade=grade, industry=industry)


def test_pool_lists_only_pool_customers_with_filters(actors, client, django_assert_max_num_queries):
    for n in range(25):
        make_customer(f"池客户{n:02d}", grade=Grade.A if n % 2 else Grade.C)
    make_customer("有主客户", owner=actors.rep_a2)
    client.force_login(actors.rep_a1)
    with django_assert_max_num_queries(15):
        body = client.get("/pool/").content.decode()
    assert "25 customers in the pool" in body
    assert "有主客户" not in body
    assert body.count('data-testid="claim-') == 20  # one page
    body = client.get("/pool/", {"grade": "A"}).content.decode()
    assert "12 customers in the pool" in body
    assert "池客户01" in body and "池客户02" not in body
    assert "13 customers in the pool" in client.get("/pool/", {"grade": "C", "industry": "制造业"}).content.decode()
    assert "0 customers in the pool" in client.get("/pool/", {"industry": "零售"}).content.decode()


def test_claim_with_htmx_returns_the_item_with_the_outcome(actors, client):
    customer = make_customer("星海贸易")
    client.force_login(actors.rep_a1)
    response = client.post(f"/pool/{customer.pk}/claim/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-testid="claim-done"' in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_a_claim_updates_the_claimed_count_at_once(actors, client):
    """R15: the htmx answer carries the "claimed N of the cap" line out of band, with the new count."""
    first, second = make_customer("星海贸易"), make_customer("云帆科技")
    client.force_login(actors.rep_a1)
    assert "You have claimed 0 of" in client.get("/pool/").content.decode()
    body = client.post(f"/pool/{first.pk}/claim/", headers={"HX-Request": "true"}).content.decode()
    cap = rule_settings().pool_claim_cap
    assert (f'<p class="muted" id="claims-used" data-testid="claims-used" hx-swap-oob="true" aria-live="polite">'
            f"You have claimed 1 of {cap} customers allowed this month.</p>") in body
    body = client.post(f"/pool/{second.pk}/claim/", headers={"HX-Request": "true"}).content.decode()
    assert f"You have claimed 2 of {cap} customers allowed this month." in body


def test_pool_rows_link_the_name_and_say_who_had_it_and_why_it_came_back(actors, client):
    from salesops.customers.pool.services import customer_claim, customer_release

    released = make_customer("星海贸易", owner=actors.rep_a2)
    customer_release(customer=released, by=actors.rep_a2, reason="客户暂无采购计划")
    entered = make_customer("云帆科技")
    twice = make_customer("远帆纺织", owner=actors.rep_a2)
    customer_release(customer=twice, by=actors.rep_a2, reason="第一次")
    customer_claim(customer=twice, by=actors.rep_b1)
    customer_release(customer=twice, by=actors.lead_b, reason="第二次")
    client.force_login(actors.rep_a1)
    body = client.get("/pool/").content.decode()
    for customer in (released, entered, twice):
        assert f'<a href="/customers/{customer.pk}/" data-testid="pool-name-{customer.pk}">' in body
    assert f"Previous owner: {actors.rep_a2.display_name} · Released to the pool: " in body
    assert f'<span data-testid="pool-reason-{released.pk}">客户暂无采购计划</span>' in body
    assert f'<span data-testid="pool-reason-{twice.pk}">第二次</span>' in body  # the latest return
    assert f"Previous owner: {actors.rep_b1.display_name}" in body
    assert f'data-testid="pool-return-{entered.pk}"' not in body  # entered into the pool: nobody had it


def test_someone_faster_is_said_clearly(actors, client):
    customer = make_customer("星海贸易")
    client.force_login(actors.lead_a)
    Customer.objects.filter(pk=customer.pk).update(owner=actors.rep_a2)
    response = client.post(f"/pool/{customer.pk}/claim/", headers={"HX-Request": "true"})
    assert "Someone else has just claimed this customer." in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a2.pk


def test_someone_faster_from_another_team_is_told_too_and_learns_nothing_of_the_winner(actors, client):
    """R15: the page says the claim was lost (not a 404) once the winner holds the customer; the item shows
    its name only, nothing the new owner may have added (R1)."""
    customer = make_customer("星海贸易", industry="物流")
    client.force_login(actors.rep_b1)
    client.post(f"/pool/{customer.pk}/claim/")  # rep_b1 claims it first
    Customer.objects.filter(pk=customer.pk).update(industry="新能源汽车零部件")  # and edits it
    client.force_login(actors.rep_c1)
    response = client.post(f"/pool/{customer.pk}/claim/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="claim-error"' in body and "Someone else has just claimed this customer." in body
    assert "星海贸易" in body
    assert "新能源汽车零部件" not in body and "王芳" not in body
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_b1.pk


def test_cap_reached_is_said_clearly_without_htmx_too(actors, client):
    settings = rule_settings()
    settings.pool_claim_cap = 1
    settings.save()
    first, second = make_customer("甲"), make_customer("乙")
    client.force_login(actors.rep_a1)
    client.post(f"/pool/{first.pk}/claim/")
    response = client.post(f"/pool/{second.pk}/claim/", follow=True)
    body = response.content.decode()
    assert "You have claimed 1 customers from the pool this month, the most allowed." in body
    assert "You have claimed 1 of 1 customers allowed this month." in body
    assert Customer.objects.get(pk=second.pk).owner_id is None


def test_release_is_a_form_with_a_reason_a_confirmation_and_a_result(actors, client):
    """R15: the customer page leads to a confirm page (not a 405); no reason, no release; then the pool."""
    customer = make_customer("甲", owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    url = f"/customers/{customer.pk}/release/"
    assert f'href="{url}"' in client.get(f"/customers/{customer.pk}/").content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Release 甲 to the public pool?" in confirm.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk  # asking changes nothing
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Give a reason: it is kept in the customer&#x27;s history." in refused.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk
    done = client.post(url, {"reason": "客户暂无采购计划"}, follow=True)
    assert done.redirect_chain == [(f"/customers/{customer.pk}/", 302)]
    assert "甲 is back in the public pool." in done.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id is None
    event = OwnershipEvent.objects.get(customer=customer, kind=OwnershipEvent.Kind.RELEASE)
    assert (event.from_user, event.by, event.reason) == (actors.rep_a1, actors.rep_a1, "客户暂无采购计划")
    again = client.post(url, {"reason": "再放一次"}, follow=True)
    assert "This customer is in the public pool already." in again.content.decode()
    assert OwnershipEvent.objects.filter(customer=customer, kind=OwnershipEvent.Kind.RELEASE).count() == 1


def test_release_is_offered_to_the_owner_and_their_managers_only(actors, client):
    customer = make_customer("甲", owner=actors.rep_a1)
    link = f'href="/customers/{customer.pk}/release/"'
    for person, offered in ((actors.lead_a, True), (actors.director, True), (actors.admin, True)):
        client.force_login(person)
        assert (link in client.get(f"/customers/{customer.pk}/").content.decode()) is offered, person
    client.force_login(actors.rep_a2)  # outside the scope: nothing to see, nothing to release (R1)
    assert client.get(f"/customers/{customer.pk}/release/").status_code == 404
    assert client.post(f"/customers/{customer.pk}/release/", {"reason": "x"}).status_code == 404
    pooled = make_customer("乙")
    client.force_login(actors.lead_a)
    assert link.replace(str(customer.pk), str(pooled.pk)) not in client.get(f"/customers/{pooled.pk}/").content.decode()
    client.force_login(actors.rep_a1)
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_transfer_form_for_a_lead(actors, client):
    first, second = make_customer("甲", owner=actors.rep_a1), make_customer("乙", owner=actors.rep_a1)
    theirs = make_customer("丙", owner=actors.rep_b1)
    client.force_login(actors.lead_a)
    body = client.get("/customers/transfer/").content.decode()
    assert "甲" in body and "乙" in body and "丙" not in body
    assert f'value="{actors.rep_b1.pk}"' not in body  # nobody of another team to choose
    response = client.post(
        "/customers/transfer/",
        {"customers": [first.pk, theirs.pk], "to_user": actors.rep_a2.pk, "reason": "交接"},
    )
    assert response.status_code == 404  # a customer out of scope (R1)
    assert Customer.objects.get(pk=first.pk).owner_id == actors.rep_a1.pk
    response = client.post(
        "/customers/transfer/", {"customers": [first.pk, second.pk], "to_user": actors.rep_b1.pk, "reason": "交接"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-to_user"' in response.content.decode()
    response = client.post(
        "/customers/transfer/", {"customers": [first.pk, second.pk], "to_user": actors.rep_a2.pk, "reason": "交接"},
        follow=True,
    )
    assert "2 customers now belong to" in response.content.decode()
    assert set(Customer.objects.filter(pk__in=[first.pk, second.pk]).values_list("owner_id", flat=True)) == {
        actors.rep_a2.pk
    }


def test_transfer_form_is_not_for_reps(actors, client):
    client.force_login(actors.rep_a1)
    assert client.get("/customers/transfer/").status_code == 403
