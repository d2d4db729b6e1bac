"""Writes of tasks (R16) and their closing (R20).

Who assigns (R16): a lead to the people of their team, a director to the people of their teams, an admin
to anyone, anyone to themselves: ``by`` assigns to themselves or to someone they manage
(``core.scope.Scope.manages``). The system (``by=None``: the post-win tasks of R13 and R14) names the
assigner and is not checked. A customer or a deal outside the assigner's scope answers 404 (R1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied, TooLarge
from salesops.core.files import DOCUMENTS, accept_upload
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update
from salesops.customers.models import Customer
from salesops.followups.models import Channel
from salesops.followups.services import followup_create
from salesops.notifications.services import notify
from salesops.organisation.selectors import rule_settings
from salesops.tasks import hooks, targets
from salesops.tasks.models import ProofKind, Task, TaskCheckpoint, TaskKind, TaskProof, TaskStatus

#: The alert rule word of a late task (API.md, alerts).
OVERDUE_ALERT = "task_overdue"
EDITABLE_FIELDS = ("title", "content", "standard", "deadline", "customer")
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


def _locked(by: User, task: Task, version: int | None = None) -> Task:
    """The task as ``by`` may see it (404 otherwise, R1), row-locked and checked against ``version``."""
    return locked_for_update(Task.objects.visible_to(by).filter(is_active=True), pk=task.pk, expected=version)


def may_approve(by: User, task: Task) -> bool:
    """R20: the assigner, or anyone who manages the assignee (the team's lead, the director, an admin);
    never the assignee."""
    if by.pk == task.assignee_id:
        return False
    return by.pk == task.assigner_id or scope_of(by).manages(task.assignee_id)


def _check_assignee_acts(by: User, task: Task) -> None:
    if by.pk != task.assignee_id:
        raise PermissionDenied(_("Only the person the task is assigned to may do this."))


def _check_with_assignee(task: Task) -> None:
    if task.status not in (TaskStatus.OPEN, TaskStatus.REJECTED):
        raise Conflict(_("The task is no longer with its assignee (awaiting approval or done)."), code="task_state",
                       extra={"status": task.status})


@transaction.atomic
def task_update(*, by: User, task: Task, version: int | None = None, **fields: Any) -> Task:
    """Change what a task asks for (the assigner, or someone who manages the assignee) while it is not
    done; ``version`` the one read (409 ``stale`` when someone saved since)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(fields={name: _("This field cannot be changed.") for name in sorted(unknown)})
    current = _locked(by, task, version)
    if not (by.pk == current.assigner_id or scope_of(by).manages(current.assignee_id)):
        raise PermissionDenied(_("Only the person who assigned the task may change it."))
    if current.status == TaskStatus.DONE:
        raise Conflict(_("A done task is not changed."), code="task_state", extra={"status": current.status})
    _check_text(fields.get("title", current.title), fields.get("standard", current.standard))
    if "deadline" in fields and fields["deadline"] != current.deadline:
        today = local_today()
        if fields["deadline"] < today:
            raise Invalid(fields={"deadline": _("The deadline cannot be in the past.")})
        if fields["deadline"] > today + MAX_AHEAD:
            raise Invalid(fields={"deadline": _("The deadline is more than two years ahead; check the date.")})
    if fields.get("customer") is not None and not Customer.objects.visible_to(by).filter(
        pk=fields["customer"].pk, is_active=True
    ).exists():
        raise NotFound(_("No such customer."))
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    _save(current, by=by, reason=_("Changed"))
    return current


@transaction.atomic
def proof_add(*, by: User, task: Task, file: File[Any], kind: str = ProofKind.OTHER) -> TaskProof:
    """R20: a proof of the work (an image or a PDF by content, at most ``proof_max_mb``: 413 above, 415 of
    another kind), added by the assignee while the task is with them; stored under a server-chosen name."""
    current = _locked(by, task)
    _check_assignee_acts(by, current)
    _check_with_assignee(current)
    if kind not in ProofKind.values:
        raise Invalid(fields={"kind": _("Choose the kind of proof.")})
    limit = rule_settings().proof_max_mb
    if (file.size or 0) > limit * 1024 * 1024:
        raise TooLarge(fields={"file": _("%(name)s is larger than %(size)d MB.") % {
            "name": (file.name or "")[:80], "size": limit}})
    checked = accept_upload(file, allowed=DOCUMENTS, field="file")
    proof = TaskProof(task=current, kind=kind, size=file.size or 0, uploaded_by=by)
    proof.file.save(checked.name or "upload", checked, save=False)
    proof.save()
    _save(current, by=by, reason=_("Proof added: %(kind)s") % {"kind": proof.get_kind_display()},
          fields=["updated_at"])
    return proof


@transaction.atomic
def proof_withdraw(*, by: User, proof: TaskProof) -> TaskProof:
    """Take back a proof added by mistake (the assignee, before submitting): kept, inactive."""
    current = _locked(by, proof.task)
    _check_assignee_acts(by, current)
    _check_with_assignee(current)
    TaskProof.objects.filter(pk=proof.pk, task=current).update(is_active=False)
    proof.is_active = False
    _save(current, by=by, reason=_("Proof withdrawn: %(kind)s") % {"kind": proof.get_kind_display()},
          fields=["updated_at"])
    return proof


def _satisfaction(by: User, task: Task, score: int | None, comments: str) -> None:
    """R13: the satisfaction call's score (1-5) and comments, logged as a phone follow-up of the customer."""
    problems = {}
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        problems["score"] = _("Give the customer's score from 1 to 5.")
    if not comments.strip():
        problems["comments"] = _("Write down what the customer said.")
    if task.customer_id is None:
        problems["customer"] = _("The task names no customer to log the call for.")
    if problems:
        raise Invalid(fields=problems)
    assert task.customer is not None
    task.followup = followup_create(by=by, customer=task.customer, contacted_at=timezone.now(),
                                    channel=Channel.PHONE, key_points=comments.strip())
    task.satisfaction_score = score


@transaction.atomic
def task_submit(
    *,
    by: User,
    task: Task,
    version: int | None = None,
    score: int | None = None,
    comments: str = "",
    handover_contact: str | None = None,
) -> Task:
    """R20: the assignee hands the task in for approval, with at least one proof; a handover names the
    after-sales contact, a satisfaction call carries the score and comments (R13); the checks the apps
    above registered for the kind (``hooks.task_submit_checks``) run last."""
    current = _locked(by, task, version)
    _check_assignee_acts(by, current)
    _check_with_assignee(current)
    if not current.proofs.filter(is_active=True).exists():
        raise Invalid(fields={"proofs": _("Add at least one proof (a photo, a screenshot or a scan) first.")})
    if current.kind == TaskKind.HANDOVER:
        contact = (handover_contact if handover_contact is not None else current.handover_contact).strip()
        if not contact:
            raise Invalid(fields={"handover_contact": _("Name the after-sales contact the customer was handed to.")})
        current.handover_contact = contact[:80]
    if current.kind == TaskKind.SATISFACTION_CALL:
        _satisfaction(by, current, score, comments)
    hooks.run_submit_checks(current)
    current.status = TaskStatus.SUBMITTED
    current.submitted_at = timezone.now()
    _save(current, by=by, reason=_("Submitted for approval"))
    return current


def _decidable(by: User, task: Task, version: int | None) -> Task:
    current = _locked(by, task, version)
    if by.pk == current.assignee_id:
        raise PermissionDenied(_("Nobody approves their own task."))
    if not may_approve(by, current):
        raise PermissionDenied(_("Only the person who assigned the task or the assignee's lead may decide on it."))
    if current.status != TaskStatus.SUBMITTED:
        raise Conflict(_("The task is not awaiting approval: someone may have decided on it already."),
                       code="task_state", extra={"status": current.status})
    return current


@transaction.atomic
def task_approve(*, by: User, task: Task, version: int | None = None, comment: str = "") -> Task:
    """R20: approved → done. Two approvers at once: the row lock lets one decide, the other finds the task
    no longer awaiting approval (409). ``hooks.task_done`` is sent once this commits."""
    current = _decidable(by, task, version)
    current.status = TaskStatus.DONE
    current.decided_at = timezone.now()
    current.decided_by = by
    current.decision_comment = comment.strip()[:500]
    _save(current, by=by, reason=_("Approved"))
    proofs = list(current.proofs.filter(is_active=True))
    transaction.on_commit(lambda: hooks.task_done.send(sender=Task, task=current, proofs=proofs))
    return current


@transaction.atomic
def task_reject(*, by: User, task: Task, comment: str, version: int | None = None) -> Task:
    """R20: rejected with a comment → back to the assignee, who adds proof and submits again."""
    if not comment.strip():
        raise Invalid(fields={"comment": _("Say why the task is sent back.")})
    current = _decidable(by, task, version)
    current.status = TaskStatus.REJECTED
    current.decided_at = timezone.now()
    current.decided_by = by
    current.decision_comment = comment.strip()[:500]
    _save(current, by=by, reason=_("Sent back: %(comment)s") % {"comment": current.decision_comment})
    return current


@transaction.atomic
def task_reschedule(
    *, by: User, task: Task, checkpoint: dt.date, reason: str, version: int | None = None
) -> TaskCheckpoint:
    """R20 rollover: a late task (past its deadline, not done, not awaiting approval) gets a new checkpoint
    from today on and a reason, from its assignee; every checkpoint is kept (``TaskCheckpoint``)."""
    current = _locked(by, task, version)
    _check_assignee_acts(by, current)
    _check_with_assignee(current)
    today = local_today()
    if current.deadline >= today:
        raise Conflict(_("The task is not late; its deadline has not passed."), code="task_state",
                       extra={"status": current.status})
    problems = {}
    if checkpoint < today:
        problems["checkpoint"] = _("The new checkpoint must be today or later.")
    elif checkpoint > today + MAX_AHEAD:
        problems["checkpoint"] = _("The deadline is more than two years ahead; check the date.")
    if not reason.strip():
        problems["reason"] = _("Say why the task is late.")
    if problems:
        raise Invalid(fields=problems)
    row = TaskCheckpoint.objects.create(task=current, previous_deadline=current.deadline, checkpoint=checkpoint,
                                        reason=reason.strip()[:500], by=by)
    current.deadline = checkpoint
    _save(current, by=by, reason=_("New checkpoint: %(reason)s") % {"reason": row.reason})
    return row


def tasks_flag_overdue(*, day: dt.date, batch_size: int = 500) -> dict[str, int]:
    """R20: every task past its deadline on ``day`` and still with its assignee is flagged ``task_overdue``
    to the assignee and the assigner, once per task per day (``overdue_flagged_on``): a second run for the
    same day tells nobody again. Each batch commits on its own, with its notifications."""
    flagged = told = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                Task.objects.select_for_update(of=("self",))
                .filter(is_active=True, status__in=(TaskStatus.OPEN, TaskStatus.REJECTED), deadline__lt=day,
                        pk__gt=last_id)
                .exclude(overdue_flagged_on__gte=day)
                .select_related("assignee", "assigner")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for task in batch:
                told += _tell_overdue(task, day)
            Task.objects.filter(pk__in=[task.pk for task in batch]).update(overdue_flagged_on=day)
        flagged += len(batch)
        last_id = batch[-1].pk
    return {"flagged": flagged, "told": told}


def _tell_overdue(task: Task, day: dt.date) -> int:
    days = (day - task.deadline).days
    title = _("Task overdue: %(title)s") % {"title": task.title}
    body = _("Deadline %(deadline)s, %(days)d days ago; assigned to %(name)s.") % {
        "deadline": task.deadline.isoformat(), "days": days, "name": task.assignee.display_name}
    url = reverse("task-detail", args=[task.pk])
    people = [task.assignee] + ([task.assigner] if task.assigner_id != task.assignee_id else [])
    for person in people:
        if person.is_active:
            notify(user=person, kind=OVERDUE_ALERT, title=title, body=body, url=url)
    return sum(1 for person in people if person.is_active)
