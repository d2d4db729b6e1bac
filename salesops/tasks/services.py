"""Writes of tasks (R16) and their closing (R20).

Who assigns (R16): a lead to the people of their team, a director to the people of their teams, an admin
to anyone, anyone to themselves: ``by`` assigns to themselves or to someone they manage
(``core.scope.Scope.manages``). The system (``by=None``: the post-win tasks of R13 and R14) names the
assigner and is not checked. A customer or a deal outside the assigner's scope answers 404 (R1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.customers.models import Customer
from salesops.tasks import targets
from salesops.tasks.models import Task, TaskKind

#: A deadline further ahead than this is a typing mistake (a wrong year).
MAX_AHEAD = dt.timedelta(days=366 * 2)


def _save(task: Task, *, by: User | None, reason: str, fields: list[str] | None = None) -> None:
    """Save with a history row (R12) naming who did it and why."""
    task._history_user = by  # type: ignore[attr-defined]
    task._change_reason = reason  # type: ignore[attr-defined]
    task.save(update_fields=fields)


def can_assign(by: User, assignee: User) -> bool:
    """R16: oneself, or someone ``by`` manages (a lead's team, a director's teams, an admin's everyone)."""
    return assignee.pk == by.pk or scope_of(by).manages(assignee)


def _check_text(title: str, standard: str) -> None:
    problems = {}
    if not title.strip():
        problems["title"] = _("Give the task a title.")
    elif len(title.strip()) > Task._meta.get_field("title").max_length:  # type: ignore[operator]
        problems["title"] = _("The title is longer than 120 characters.")
    if not standard.strip():
        problems["standard"] = _("Say what counts as done (the completion standard).")
    if problems:
        raise Invalid(fields=problems)


def _check_target(measure: str, count: int | None) -> None:
    if not measure:
        if count is not None:
            raise Invalid(fields={"target_measure": _("Choose what the target counts.")})
        return
    if measure not in targets.MEASURES:
        raise Invalid(fields={"target_measure": _("This is not a target that can be counted.")})
    if count is None or count < 1:
        raise Invalid(fields={"target_count": _("Give the target as a whole number of at least 1.")})


def _check_assignee(by: User | None, assignee: User) -> None:
    if not assignee.is_active:
        raise Invalid(fields={"assignee": _("This person is no longer active.")})
    if by is None or can_assign(by, assignee):
        return
    if not User.objects.visible_to(by).filter(pk=assignee.pk).exists():
        raise NotFound(_("No such person."))
    raise PermissionDenied(_("You may assign tasks to yourself and to the people you manage."))


def _deal_in_scope(by: User | None, deal: Model) -> Any:
    """The deal as ``by`` may see it (the deals app sits above this one: its model through the field)."""
    model = Task._meta.get_field("deal").related_model
    rows: Any = model._default_manager.all()  # type: ignore[union-attr]
    if by is not None:
        rows = rows.visible_to(by)
    found = rows.filter(pk=deal.pk).first()
    if found is None:
        raise NotFound(_("No such deal."))
    return found


@transaction.atomic
def task_create(
    *,
    by: User | None,
    assignee: User,
    title: str,
    standard: str,
    deadline: dt.date,
    kind: str = TaskKind.GENERAL,
    content: str = "",
    customer: Customer | None = None,
    deal: Model | None = None,
    assigner: User | None = None,
    handover_contact: str = "",
    target_measure: str = "",
    target_count: int | None = None,
    target_since: dt.date | None = None,
) -> Task:
    """A new open task (R16). With ``by``: ``by`` assigns, to themselves or someone they manage, a
    deadline from today on. ``by=None``: the system creates it for ``assigner`` (required) unchecked."""
    if by is None and assigner is None:
        raise ValueError("A task the system creates names its assigner.")
    if kind not in TaskKind.values:
        raise Invalid(fields={"kind": _("Choose a kind of task.")})
    _check_text(title, standard)
    today = local_today()
    if by is not None and deadline < today:
        raise Invalid(fields={"deadline": _("The deadline cannot be in the past.")})
    if deadline > today + MAX_AHEAD:
        raise Invalid(fields={"deadline": _("The deadline is more than two years ahead; check the date.")})
    _check_target(target_measure, target_count)
    since = target_since or today
    if target_measure and since > deadline:
        raise Invalid(fields={"target_since": _("Counting must start on or before the deadline.")})
    _check_assignee(by, assignee)
    if customer is not None and by is not None and not Customer.objects.visible_to(by).filter(
        pk=customer.pk, is_active=True
    ).exists():
        raise NotFound(_("No such customer."))
    found_deal = _deal_in_scope(by, deal) if deal is not None else None
    task = Task(
        title=title.strip(),
        content=content.strip(),
        standard=standard.strip(),
        kind=kind,
        deadline=deadline,
        assignee=assignee,
        assignee_team_id=assignee.team_id,
        assigner=by if by is not None else assigner,
        customer=customer,
        deal=found_deal,
        handover_contact=handover_contact.strip(),
        target_measure=target_measure,
        target_count=target_count if target_measure else None,
        target_since=since if target_measure else None,
    )
    _save(task, by=by, reason=_("Assigned"))
    return task
