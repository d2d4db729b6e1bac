"""task_create (R16): who may assign to whom, the system's post-win tasks, scope of the customer (R1),
bad input refused with nothing created, measured targets, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.customers.models import Customer
from salesops.tasks import services
from salesops.tasks.models import Task, TaskKind, TaskStatus


@pytest.mark.parametrize(
    ("by", "assignee"),
    [
        ("lead_a", "rep_a1"),  # a lead to their team
        ("director", "rep_b1"),  # a director to the people of their teams
        ("director", "lead_a"),  # ... their leads included
        ("rep_a1", "rep_a1"),  # anyone to themselves
        ("lead_a", "lead_a"),
        ("admin", "rep_c1"),
    ],
)
def test_who_may_assign(actors, make_task, by, assignee):
    task = make_task(by=getattr(actors, by), assignee=getattr(actors, assignee))
    assert task.assigner == getattr(actors, by)
    assert task.assignee == getattr(actors, assignee)
    assert task.status == TaskStatus.OPEN
    assert task.assignee_team_id == getattr(actors, assignee).team_id


@pytest.mark.parametrize(
    ("by", "assignee", "error"),
    [
        ("rep_a1", "rep_a2", PermissionDenied),  # a rep only to themselves
        ("lead_a", "lead_b", NotFound),  # another team is outside the lead's scope
        ("lead_a", "rep_b1", NotFound),
        ("director", "rep_c1", NotFound),  # team_c has no director
        ("rep_a2", "lead_a", PermissionDenied),  # nobody assigns upwards
    ],
)
def test_who_may_not_assign(actors, make_task, by, assignee, error):
    with pytest.raises(error):
        make_task(by=getattr(actors, by), assignee=getattr(actors, assignee))
    assert Task.objects.count() == 0


def test_the_system_assigns_for_the_named_assigner_without_checks(actors, clock):
    task = services.task_create(
        by=None, assigner=actors.lead_a, assignee=actors.rep_a1, title="合同归档", standard="上传签约扫描件",
        deadline=timezone.localdate() + dt.timedelta(days=3), kind=TaskKind.CONTRACT_ARCHIVE,
    )
    assert task.assigner == actors.lead_a
    assert task.kind == TaskKind.CONTRACT_ARCHIVE
    with pytest.raises(ValueError):
        services.task_create(by=None, assignee=actors.rep_a1, title="x", standard="y", deadline=task.deadline)


def test_a_customer_outside_the_assigners_scope_is_not_found(actors, make_task):
    other = Customer.objects.create(owner=actors.rep_b1, name="深圳华强电子有限公司")
    with pytest.raises(NotFound):
        make_task(by=actors.lead_a, assignee=actors.rep_a1, customer=other)
    assert Task.objects.count() == 0
    assert make_task(by=actors.lead_b, assignee=actors.rep_b1, customer=other).customer == other


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "长" * 121}, "title"),
        ({"standard": ""}, "standard"),
        ({"kind": "party"}, "kind"),
        ({"deadline": dt.date(2026, 3, 3)}, "deadline"),
        ({"deadline": dt.date(2030, 1, 1)}, "deadline"),
        ({"target_measure": "parties", "target_count": 3}, "target_measure"),
        ({"target_measure": "visits", "target_count": 0}, "target_count"),
        ({"target_measure": "visits"}, "target_count"),
        ({"target_count": 5}, "target_measure"),
        ({"target_measure": "visits", "target_count": 5, "target_since": dt.date(2026, 4, 1)}, "target_since"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(actors, make_task, fields, field):
    with pytest.raises(Invalid) as error:
        make_task(**fields)
    assert field in error.value.fields
    assert Task.objects.count() == 0


def test_an_inactive_assignee_is_refused(actors, make_task):
    actors.rep_a2.is_active = False
    actors.rep_a2.save()
    with pytest.raises(Invalid):
        make_task(assignee=actors.rep_a2)


def test_a_measured_target_counts_from_today_by_default_and_history_names_the_assigner(actors, make_task, clock):
    task = make_task(target_measure="new_a_customers", target_count=10)
    assert task.target_since == timezone.localdate()
    row = task.history.get()
    assert row.history_user == actors.lead_a
    assert row.history_change_reason


def test_a_deal_outside_the_assigners_scope_is_not_found(actors, make_task):
    from salesops.deals.models import Deal

    other = Customer.objects.create(owner=actors.rep_b1, name="深圳华强电子有限公司")
    deal = Deal.objects.create(customer=other, title="产线升级", amount="80000.00", probability=10, owner=actors.rep_b1)
    with pytest.raises(NotFound):
        make_task(by=actors.lead_a, assignee=actors.rep_a1, deal=deal)
    assert make_task(by=actors.lead_b, assignee=actors.rep_b1, deal=deal).deal == deal
