"""Tasks (R16) closed with proof that the assigner approves (R20), rescheduled with a reason when late.

A task belongs to its assignee for scope (R1): whoever sees the assignee sees the task, and the assigner
always sees what they assigned. ``deal`` names a row of the deals app by its label only: a deal's post-win
tasks (R13, R14) point at it, while this app imports nothing from the app above it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesops.core.files import StoredName, private_storage
from salesops.core.scope import Scope, ScopedQuerySet
from salesops.core.versioning import Versioned


class TaskKind(models.TextChoices):
    GENERAL = "general", _("General")
    CONTRACT_ARCHIVE = "contract_archive", _("Contract archive")
    HANDOVER = "handover", _("After-sales handover")
    SATISFACTION_CALL = "satisfaction_call", _("Satisfaction call")
    REPURCHASE_SURVEY = "repurchase_survey", _("Repurchase survey")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    SUBMITTED = "submitted", _("Awaiting approval")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")


class ProofKind(models.TextChoices):
    """R20: the kinds of proof the manual names, and anything else."""

    SIGNED_SCAN = "signed_scan", _("Signed scan")
    VISIT_PHOTO = "visit_photo", _("Visit photo")
    FEEDBACK_SCREENSHOT = "feedback_screenshot", _("Customer feedback screenshot")
    OTHER = "other", _("Other")


class TaskQuerySet(ScopedQuerySet):
    """R1: a task is seen where its assignee is seen, and by the person who assigned it."""

    owner_path = "assignee"

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        return super().scope_q(scope, through) | Q(**{f"{through}assigner": scope.user_id})


class Task(Versioned):
    """R16: what to do, the standard it is done to, by when, for whom and from whom; optionally a target
    measured from the data (``target_measure`` counted from ``target_since`` to the deadline)."""

    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"), blank=True)
    standard = models.TextField(_("completion standard"))
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.GENERAL)
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    deadline = models.DateField(_("deadline"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,
    )
    #: R21: the assignee's team when the task was assigned (or last reassigned).
    assignee_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    assigner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigner"), on_delete=models.PROTECT, related_name="assigned_tasks"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    # R16 a measurable target read from the data, never typed in
    target_measure = models.CharField(_("measured target"), max_length=40, blank=True)
    target_count = models.PositiveIntegerField(_("target count"), null=True, blank=True)
    target_since = models.DateField(_("counted from"), null=True, blank=True)
    # R13 the post-win tasks' own results
    handover_contact = models.CharField(_("after-sales contact"), max_length=80, blank=True)
    satisfaction_score = models.PositiveSmallIntegerField(_("satisfaction score (1-5)"), null=True, blank=True)
    followup = models.ForeignKey(
        "followups.FollowUp",
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # R20 the decision
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_comment = models.CharField(_("comment"), max_length=500, blank=True)
    overdue_flagged_on = models.DateField(_("flagged overdue on"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        user_db_constraint=False, history_change_reason_field=models.CharField(max_length=500, null=True)
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # a person's open tasks by deadline (my tasks, the day's plan, the overdue job)
            models.Index(fields=["assignee", "status", "deadline"], name="task_assignee_open"),
            # the approval queue of an assigner
            models.Index(fields=["assigner", "status", "submitted_at"], name="task_assigner_queue"),
            # the admin's queue: every task awaiting approval, oldest first (a small partial index)
            models.Index(fields=["submitted_at"], condition=Q(status="submitted"), name="task_awaiting"),
            # No (status, deadline) index: with it the planner reads every late task of the organisation
            # for a person's overdue list instead of that person's rows (docs/performance-notes.md).
        ]
        constraints = [
            # one post-win task of each kind per deal (R13, R14): a retried win creates no second set
            models.UniqueConstraint(
                fields=["deal", "kind"],
                condition=~Q(kind="general") & Q(deal__isnull=False),
                name="task_one_followthrough_per_deal",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskProof(models.Model):
    """R20: a file proving the work (an image or a PDF, checked by content, stored under a name the server
    chose, served only through the task's scope). Withdrawn, never deleted."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="proofs")
    kind = models.CharField(_("kind of proof"), max_length=24, choices=ProofKind.choices, default=ProofKind.OTHER)
    file = models.FileField(_("file"), storage=private_storage, upload_to=StoredName("proofs"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.get_kind_display()}"


class TaskCheckpoint(models.Model):
    """R20: every move of a late task's deadline, with the reason; the task's checkpoints in order."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="checkpoints")
    previous_deadline = models.DateField(_("previous deadline"))
    checkpoint = models.DateField(_("new checkpoint"))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.previous_deadline} → {self.checkpoint}"
