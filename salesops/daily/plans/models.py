"""Models of R7 daily plans 当日工作计划: the customers to contact, the visit route, materials, resource
requests, and the record of a plan missing at the deadline.

A plan belongs to its person for scope (R1): whoever sees the person sees their plans, and a resource
request is seen with its plan. ``team`` is the person's team when the plan was made (R21: a later move
of the person moves no past plan between teams' pages).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesops.core.scope import ScopedQuerySet
from salesops.core.versioning import Versioned


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("plan status", "Submitted")
    APPROVED = "approved", pgettext_lazy("plan status", "Approved")
    RETURNED = "returned", pgettext_lazy("plan status", "Returned")


class StopSource(models.TextChoices):
    """Why a customer is on the plan: due under R10, named by an open task (R20), or added by the person."""

    DUE = "due", pgettext_lazy("plan source", "Due")
    TASK = "task", pgettext_lazy("plan source", "Task")
    ADDED = "added", pgettext_lazy("plan source", "Added")


class RequestKind(models.TextChoices):
    """R7: the resources the manual names."""

    TECH_SUPPORT = "tech_support", _("Technical support")
    SAMPLES = "samples", _("Sample request")
    CONTACT_INFO = "contact_info", _("Customer contact information")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("request status", "Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    DECLINED = "declined", _("Declined")


class DailyPlanQuerySet(ScopedQuerySet):
    """R1: a plan is seen where its person is seen."""

    owner_path = "user"


class DailyPlan(Versioned):
    """R7: one person's plan for one day, submitted in the plan window, approved or returned by whoever
    manages the person (R1). ``carried_over`` is what the previous working day's summary planned for this
    day (R17); ``late`` marks a plan submitted after the deadline (``RuleSettings.plan_due_at``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="daily_plans",
        db_index=False,  # the (user, date) constraint's index leads with it
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,  # the (team, date) index leads with it
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    materials = models.TextField(_("materials"), blank=True)
    carried_over = models.TextField(_("planned the day before"), blank=True)
    tasks = models.ManyToManyField("tasks.Task", verbose_name=_("tasks"), blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("submitted late"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.CharField(_("lead's comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        user_db_constraint=False, no_db_index=["user", "team", "decided_by"],
        history_change_reason_field=models.CharField(max_length=500, null=True),
        excluded_fields=["tasks"],
    )

    objects = DailyPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("daily plan")
        verbose_name_plural = _("daily plans")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="daily_plan_one_per_day"),
        ]
        indexes = [
            # a team's plans of a day (the lead's page, the brief, plan_check)
            models.Index(fields=["team", "date", "status"], name="daily_plan_team_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date}"

    @property
    def editable(self) -> bool:
        """The person changes a plan while it is with them: a draft, or returned with a comment."""
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanCustomer(models.Model):
    """A customer to contact on the plan (``position`` orders the list); ``stop`` is its place in the visit
    route (1, 2, ...) or null for a contact that is not a visit (a call, a message)."""

    plan = models.ForeignKey(DailyPlan, on_delete=models.CASCADE, related_name="stops")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    stop = models.PositiveSmallIntegerField(_("stop in the route"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=StopSource.choices, default=StopSource.ADDED)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("customer of a plan")
        verbose_name_plural = _("customers of plans")
        constraints = [
            models.UniqueConstraint(fields=["plan", "customer"], name="plan_customer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.customer_id}"


class ResourceRequestQuerySet(ScopedQuerySet):
    """R1: a request is seen with its plan, where the plan's person is seen."""

    owner_path = "plan__user"


class ResourceRequest(Versioned):
    """R7: a resource the person asks for with the plan (技术支持, 样品申请, 客户对接人信息), fulfilled or
    declined with a comment by whoever manages the person."""

    plan = models.ForeignKey(DailyPlan, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    detail = models.CharField(_("detail"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    comment = models.CharField(_("lead's comment"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ResourceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        indexes = [
            # the open requests of a lead's teams (their page, the day's board)
            models.Index(fields=["status", "plan"], condition=models.Q(status="open"), name="resource_request_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail[:40]}"


class MissingPlan(models.Model):
    """R7: a person without a submitted plan at the deadline, flagged to their lead once (``plan_check``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("missing plan")
        verbose_name_plural = _("missing plans")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="missing_plan_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date}"
