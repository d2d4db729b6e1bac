"""The world of the R1 scope matrix: the named actors and one object of each kind per owner, each
carrying a marker (a name no other row contains), so that a body can be searched for what it must not
show (``salesops.testing.scope_matrix`` makes the calls; ``core/tests/test_scope_matrix.py`` declares them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone
from knox.models import AuthToken

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.customers import services as customer_services
from salesops.customers.models import Customer, ImportBatch
from salesops.daily.plans import requests as plan_requests
from salesops.daily.plans import services as plan_services
from salesops.deals import services as deal_services
from salesops.deals import winning
from salesops.followups import feed
from salesops.followups.models import FollowUp, VisitPhoto
from salesops.jobs import registry
from salesops.notifications.models import Notification
from salesops.organisation.models import CalendarDay, Organisation
from salesops.tasks import services as task_services
from salesops.testing.actors import make_actors
from salesops.testing.factories import make_user
from salesops.testing.money_factories import make_contract, make_payment, make_plan
from salesops.testing.scope_daily import daily_rows_of

# --- the world: actors and one object of each kind per owner -----------------------------------------------------

#: An id no row has (inside the id range, so the answer is a plain 404).
MISSING_ID = 987_654_321
#: A customer name nobody has (what a sheet names for the "missing" target).
#: The kinds of object that carry a marker (their scopes: ``scope_matrix.MARKER_SCOPE``).
MARKER_KINDS = ("customer", "followup", "task", "notification", "api_token", "deal", "contract", "plan", "summary",
                "problem", "success_case")
MISSING_NAME = "无此客户有限公司"
#: Owners of customers in the world; "pool" is the public pool (no owner).
OWNERS = ("rep_a1", "rep_a2", "lead_a", "rep_b1", "rep_c1", "pool")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LABEL = {"rep_a1": "甲壹", "rep_a2": "甲贰", "lead_a": "甲长", "rep_b1": "乙壹", "rep_c1": "丙壹", "pool": "公海"}


@dataclass
class World:
    """Primary keys by target name; ``"missing"`` is a key of every map (an id or a secret nobody has)."""

    people: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    customer: dict[str, int] = field(default_factory=dict)
    spare: dict[str, int] = field(default_factory=dict)  # a second customer of the same owner (merge)
    contact: dict[str, int] = field(default_factory=dict)
    followup: dict[str, int] = field(default_factory=dict)
    photo: dict[str, int] = field(default_factory=dict)  # a visit photo of the follow-up
    task: dict[str, int] = field(default_factory=dict)  # a task the owner gave themselves, submitted with proof
    proof: dict[str, int] = field(default_factory=dict)  # the proof of that task
    notification: dict[str, int] = field(default_factory=dict)
    import_batch: dict[str, int] = field(default_factory=dict)  # a customer import of each person
    contract: dict[str, int] = field(default_factory=dict)  # a contract of the owner's customer
    instalment: dict[str, int] = field(default_factory=dict)  # its one instalment, overdue, partly received
    payment: dict[str, int] = field(default_factory=dict)  # the receipt against it
    deal: dict[str, int] = field(default_factory=dict)  # an open deal of the owner's customer
    won_deal: dict[str, int] = field(default_factory=dict)  # a won deal of the same customer
    plan: dict[str, int] = field(default_factory=dict)  # today's plan, submitted, visiting the main customer
    draft_plan: dict[str, int] = field(default_factory=dict)  # tomorrow's plan, a draft
    resource_request: dict[str, int] = field(default_factory=dict)  # an open request of today's plan
    summary: dict[str, int] = field(default_factory=dict)  # the owner's daily summary of today (R17)
    problem: dict[str, int] = field(default_factory=dict)  # a problem about the owner's customer (R5)
    success_case: dict[str, int] = field(default_factory=dict)  # a success case of that customer (R6)
    feed: dict[str, str] = field(default_factory=dict)
    token: dict[str, str] = field(default_factory=dict)  # a working API token of "inactive" (refused)
    api_token: dict[str, str] = field(default_factory=dict)  # the key (first characters) of a person's token
    #: kind → owner → strings only that owner's rows contain (customer names, follow-up key points ...).
    markers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    calendar_day: str = ""
    job: str = ""




def _task_of(world: World, markers: dict[str, dict[str, list[str]]], owner: str, user: User) -> None:
    """A task ``user`` gave themselves (R16), submitted with a visit photo (R20): their managers decide it."""
    task = task_services.task_create(by=user, assignee=user, title=f"{LABEL[owner]}任务", standard="拜访照片",
                                     deadline=local_today() + dt.timedelta(days=3))
    proof = task_services.proof_add(by=user, task=task, file=ContentFile(PNG, name="proof.png"))
    task_services.task_submit(by=user, task=task)
    world.task[owner], world.proof[owner] = task.pk, proof.pk
    markers["task"][owner] = [task.title]


def _plans_of(world: World, markers: dict[str, dict[str, list[str]]], owner: str, user: User,
              customer: Customer) -> None:
    """Today's plan visiting ``customer``, submitted with an open request (R7), and tomorrow's draft."""
    today = local_today()
    plan = plan_services.plan_create(by=user, day=today, customers=[customer.pk], route=[customer.pk])
    request = plan_requests.request_create(by=user, plan=plan, kind="samples", detail=f"{LABEL[owner]}样品申请")
    plan_services.plan_submit(by=user, plan=plan)
    draft = plan_services.plan_create(by=user, day=today + dt.timedelta(days=1), customers=[customer.pk])
    world.plan[owner], world.draft_plan[owner], world.resource_request[owner] = plan.pk, draft.pk, request.pk
    markers["plan"][owner] = [request.detail]


def build_world() -> World:
    """The organisation, the actors, and per owner a customer (due today, with a contact and a follow-up
    with a visit photo), a spare customer, a notification and a calendar feed for each person. Files go
    to ``MEDIA_ROOT``: the caller points it at a temporary directory."""
    organisation = Organisation.load()
    organisation.name = "星辰科技有限公司"
    organisation.setup_completed_at = timezone.now()
    organisation.save()
    actors = make_actors()
    gone = make_user(username="inactive", display_name="离职员工", team=actors.team_a)
    gone.is_active = False
    gone.save()
    people = {**actors.all_people(), "inactive": gone}
    world = World(
        people={name: user.pk for name, user in people.items()} | {"missing": MISSING_ID},
        teams={name: getattr(actors, name).pk for name in ("team_a", "team_b", "team_c")} | {"missing": MISSING_ID},
    )
    today = local_today()
    markers: dict[str, dict[str, list[str]]] = {kind: {} for kind in MARKER_KINDS}
    for owner in OWNERS:
        label = LABEL[owner]
        user = people.get(owner)
        main = customer_services.customer_create(
            by=user or actors.admin, owner=user, name=f"{label}精密机械有限公司", contacts=[{"name": f"{label}经理"}],
        )
        spare = customer_services.customer_create(by=user or actors.admin, owner=user, name=f"{label}物流有限公司")
        Customer.objects.filter(pk=main.pk).update(next_due_at=today)
        world.customer[owner], world.spare[owner] = main.pk, spare.pk
        world.contact[owner] = main.contacts.get().pk
        markers["customer"][owner] = [main.name, spare.name]
        if user is not None:
            record = FollowUp.objects.create(
                customer=main, author=user, contacted_at=timezone.now() - dt.timedelta(hours=1), channel="phone",
                key_points=f"{label}跟进要点", next_followup_at=today + dt.timedelta(days=1),
            )
            world.followup[owner] = record.pk
            world.photo[owner] = VisitPhoto.objects.create(followup=record, image=ContentFile(PNG, name="visit.png")).pk
            markers["followup"][owner] = [record.key_points]
            _contract_of(world, main, user, today)
            _task_of(world, markers, owner, user)
            deal = deal_services.deal_create(by=user, customer=main, title=f"{label}商机", amount="1000.00")
            won = deal_services.deal_create(by=user, customer=main, title=f"{label}成交商机", amount="2000.00")
            winning.deal_win(deal=won, by=user, signed_at=today, amount="2000.00", contract_number=f"HT-{label}")
            world.deal[owner], world.won_deal[owner] = deal.pk, won.pk
            markers["deal"][owner] = [deal.title, won.title]
            markers["contract"][owner] = [f"HT-{label}"]
            _plans_of(world, markers, owner, user, main)
            daily_rows_of(world, markers, owner, label, user, main)
    for name, user in people.items():
        note = Notification.objects.create(user=user, kind="matrix", title=f"{user.display_name}的提醒")
        world.notification[name] = note.pk
        markers["notification"][name] = [note.title]
        world.feed[name] = feed.feed_regenerate(user=user).secret
        world.import_batch[name] = ImportBatch.objects.create(
            user=user, at=timezone.now(), skipped=[{"row": 2, "name": f"{user.display_name}的重复行", "reason": "重复"}]
        ).pk
        if name != "inactive":
            world.api_token[name] = AuthToken.objects.create(user=user)[0].token_key
            markers["api_token"][name] = [world.api_token[name]]
    world.token["inactive"] = AuthToken.objects.create(user=gone)[1]
    world.api_token["missing"] = "f" * 15
    for mapping in (world.customer, world.spare, world.contact, world.followup, world.photo, world.notification,
                    world.import_batch, world.contract, world.instalment, world.payment, world.task, world.proof,
                    world.deal, world.won_deal, world.plan, world.draft_plan, world.resource_request, world.summary,
                    world.problem, world.success_case):
        mapping["missing"] = MISSING_ID
    world.feed["missing"] = "x" * 43
    world.markers = markers
    day = CalendarDay.objects.create(date=dt.date(today.year, 12, 20), kind=CalendarDay.Kind.WORKDAY, note="调休")
    world.calendar_day = day.date.isoformat()
    world.job = registry.all_jobs()[0].name
    return world


def _contract_of(world: World, customer: Customer, owner: User, today: dt.date) -> None:
    """A contract of ¥100,000 on the owner's customer, one instalment overdue and partly received."""
    contract = make_contract(owner, customer=customer, amount="100000.00", signed_at=today - dt.timedelta(days=30))
    instalment = make_plan(contract, [(today - dt.timedelta(days=10), "100000.00")])[0]
    world.contract[owner.username] = contract.pk
    world.instalment[owner.username] = instalment.pk
    world.payment[owner.username] = make_payment(instalment, "1000.00", today - dt.timedelta(days=5)).pk
