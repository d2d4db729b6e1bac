"""R15: a person who leaves never strands their customers and open work. Deactivation moves them to a
person the admin names, to the team's lead or to the public pool, through the pool's services (ownership
log, history, the receiver told), or is refused with a clear message; the service, the API and the people
page alike. Other apps' open work joins through ``accounts.handover``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from salesops.accounts import handover, services
from salesops.accounts.models import User
from salesops.core.errors import Invalid, PermissionDenied
from salesops.customers.models import Customer, OwnershipEvent
from salesops.notifications.models import Notification
from salesops.testing.actors import Actors


@pytest.fixture
def rep_customers(actors: Actors) -> list[Customer]:
    return [Customer.objects.create(name=f"离职交接客户{i}", owner=actors.rep_a1, grade="B") for i in range(3)]


def owners(customers: list[Customer]) -> set[int | None]:
    return set(Customer.objects.filter(pk__in=[c.pk for c in customers]).values_list("owner_id", flat=True))


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_someone_who_still_owns_customers_is_not_deactivated_without_a_receiver(actors, rep_customers):
    with pytest.raises(Invalid) as refused:
        services.user_deactivate(user=actors.rep_a1, by=actors.admin)
    assert list(refused.value.fields) == ["move_to"]
    assert "3" in refused.value.fields["move_to"][0]
    assert fresh(actors.rep_a1).is_active
    assert owners(rep_customers) == {actors.rep_a1.pk}


def test_to_a_named_person_through_the_transfer_service(actors, rep_customers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = services.user_deactivate(user=actors.rep_a1, by=actors.admin, move_to="user", to_user=actors.rep_a2)
    assert done.moved == {"customers": 3}
    assert not fresh(actors.rep_a1).is_active
    assert owners(rep_customers) == {actors.rep_a2.pk}
    events = OwnershipEvent.objects.filter(customer__in=rep_customers)
    assert {(e.kind, e.from_user_id, e.to_user_id, e.by_id) for e in events} == {
        ("transfer", actors.rep_a1.pk, actors.rep_a2.pk, actors.admin.pk)
    }
    assert all(actors.rep_a1.display_name in e.reason for e in events)
    history = Customer.history.filter(id=rep_customers[0].pk).order_by("-history_date").first()
    assert (history.owner_id, history.history_user_id) == (actors.rep_a2.pk, actors.admin.pk)
    told = Notification.objects.get(user=actors.rep_a2, kind="customers_transferred")
    assert "离职交接客户0" in told.body


def test_to_the_teams_lead(actors, rep_customers):
    done = services.user_deactivate(user=actors.rep_a1, by=actors.admin, move_to="lead")
    assert done.moved == {"customers": 3}
    assert owners(rep_customers) == {actors.lead_a.pk}


def test_to_the_public_pool(actors, rep_customers):
    services.user_deactivate(user=actors.rep_a1, by=actors.admin, move_to="pool")
    assert owners(rep_customers) == {None}
    assert Customer.objects.filter(pk__in=[c.pk for c in rep_customers], pooled_at__isnull=False).count() == 3
    kinds = set(OwnershipEvent.objects.filter(customer__in=rep_customers).values_list("kind", "from_user_id"))
    assert kinds == {("release", actors.rep_a1.pk)}


def test_a_leaving_lead_cannot_hand_over_to_the_lead(actors):
    customer = Customer.objects.create(name="组长的客户", owner=actors.lead_a)
    with pytest.raises(Invalid) as refused:
        services.user_deactivate(user=actors.lead_a, by=actors.admin, move_to="lead")
    assert list(refused.value.fields) == ["move_to"]
    services.user_deactivate(user=actors.lead_a, by=actors.admin, move_to="user", to_user=actors.rep_a1)
    assert owners([customer]) == {actors.rep_a1.pk}


@pytest.mark.parametrize("receiver", ["director", "rep_a1", "inactive"])
def test_a_receiver_who_cannot_own_customers_is_refused_and_nothing_changes(actors, rep_customers, receiver):
    if receiver == "inactive":
        services.user_deactivate(user=actors.rep_b1, by=actors.admin)
    target = fresh(actors.rep_b1) if receiver == "inactive" else getattr(actors, receiver)
    with pytest.raises(Invalid) as refused:
        services.user_deactivate(user=actors.rep_a1, by=actors.admin, move_to="user", to_user=target)
    assert list(refused.value.fields) == ["to_user"]
    assert fresh(actors.rep_a1).is_active
    assert owners(rep_customers) == {actors.rep_a1.pk}
    assert not OwnershipEvent.objects.filter(customer__in=rep_customers).exists()


def test_only_an_admin_deactivates(actors, rep_customers):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=actors.rep_a1, by=actors.lead_a, move_to="lead")
    assert fresh(actors.rep_a1).is_active


def test_someone_with_nothing_to_hand_over_needs_no_receiver(actors):
    done = services.user_deactivate(user=actors.rep_c1, by=actors.admin)
    assert (done.moved, fresh(actors.rep_c1).is_active) == ({}, False)


def test_customers_stranded_on_someone_deactivated_earlier_can_still_be_moved(actors, rep_customers):
    """Data from before this rule: an inactive owner. Deactivating them again moves what they hold."""
    User.objects.filter(pk=actors.rep_a1.pk).update(is_active=False)
    services.user_deactivate(user=fresh(actors.rep_a1), by=actors.admin, move_to="lead")
    assert owners(rep_customers) == {actors.lead_a.pk}


@pytest.fixture
def tasks_registered(actors: Actors) -> Iterator[list[handover.Handover]]:
    """Another app's open work (as tasks will register it): two open items held by rep_a1."""
    moves: list[handover.Handover] = []

    def move(given: handover.Handover) -> int:
        moves.append(given)
        return 2

    work = handover.OpenWork(
        name="tasks",
        count=lambda person: 2 if person.pk == actors.rep_a1.pk and not moves else 0,
        move=move,
        describe=lambda n: f"{n} 项任务",
    )
    before = dict(handover._registry)
    handover.register_open_work(work)
    yield moves
    handover._registry.clear()
    handover._registry.update(before)


def test_other_apps_open_work_blocks_and_moves_through_the_registry(actors, tasks_registered):
    with pytest.raises(Invalid) as refused:
        services.user_deactivate(user=actors.rep_a1, by=actors.admin)
    assert "2 项任务" in refused.value.fields["move_to"][0]
    done = services.user_deactivate(user=actors.rep_a1, by=actors.admin, move_to="pool")
    assert done.moved == {"customers": 0, "tasks": 2}
    (given,) = tasks_registered
    # Work with no pool of its own (a task) goes to the fallback: the leaver's team lead.
    assert (given.person, given.to_user, given.fallback, given.by) == (
        actors.rep_a1, None, actors.lead_a, actors.admin
    )


URL = "/api/users/{}/deactivate/"


def test_api_refuses_without_a_receiver_and_moves_with_one(actors, api_as, rep_customers):
    admin = api_as(actors.admin)
    refused = admin.post(URL.format(actors.rep_a1.pk), {}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["move_to"]
    assert fresh(actors.rep_a1).is_active
    response = admin.post(URL.format(actors.rep_a1.pk), {"move_to": "user", "to_user": actors.rep_a2.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["is_active"], response.json()["moved"]) == (False, {"customers": 3})
    assert owners(rep_customers) == {actors.rep_a2.pk}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"move_to": "elsewhere"}, "move_to"),
        ({"move_to": "user"}, "to_user"),
        ({"move_to": "user", "to_user": 99999999999999999999}, "to_user"),
        ({"move_to": "user", "to_user": 987654321}, "to_user"),
    ],
)
def test_api_bad_choices_are_field_errors(actors, api_as, rep_customers, body, field):
    response = api_as(actors.admin).post(URL.format(actors.rep_a1.pk), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert fresh(actors.rep_a1).is_active


def test_api_is_for_admins(actors, api_as, rep_customers):
    response = api_as(actors.lead_a).post(URL.format(actors.rep_a1.pk), {"move_to": "lead"}, format="json")
    assert response.status_code == 403
    assert fresh(actors.rep_a1).is_active


def test_the_schema_documents_the_choice(actors, api_as):
    schema = api_as(actors.admin).get("/api/schema/", {"format": "json"}).json()
    body = schema["components"]["schemas"]["DeactivateRequest"]["properties"]
    assert set(body) == {"move_to", "to_user"}
    assert "moved" in schema["components"]["schemas"]["DeactivatedUser"]["properties"]


def test_people_page_deactivates_with_the_chosen_receiver(actors, client: Client, rep_customers):
    client.force_login(actors.admin)
    url = f"/people/{actors.rep_a1.pk}/deactivate/"
    page = client.get(url)
    assert page.status_code == 200
    assert "3" in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert 'data-testid="error-move_to"' in refused.content.decode()
    assert fresh(actors.rep_a1).is_active
    done = client.post(url, {"move_to": "pool"})
    assert done.status_code == 302
    assert owners(rep_customers) == {None}
    assert not fresh(actors.rep_a1).is_active
    listing = client.get("/people/", {"q": "rep_a2"}).content.decode()
    assert f'href="/people/{actors.rep_a2.pk}/deactivate/"' in listing


def test_people_page_deactivation_is_for_admins(actors, client: Client):
    client.force_login(actors.lead_a)
    assert client.get(f"/people/{actors.rep_a1.pk}/deactivate/").status_code == 403
    assert 'deactivate-' not in client.get("/people/", {"q": "rep"}).content.decode()
