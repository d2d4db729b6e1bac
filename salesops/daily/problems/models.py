"""Models of R5 problems 待解决问题 and R6 success cases 成功案例.

Both belong to a team: its members raise and read them at the morning meeting, whoever manages the team
(its lead, its director, an admin) assigns owners and resolves (R1 "manages"). A customer or deal they
name is shown only to those who see it (R1): ``selectors`` marks each row with that.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesops.core.scope import Scope, ScopedQuerySet
from salesops.core.versioning import Versioned


class ProblemCategory(models.TextChoices):
    """R5: the difficulties the manual names, and the usual others."""

    CUSTOMER_RESOURCES = "customer_resources", _("Not enough customer resources")
    PRODUCT_KNOWLEDGE = "product_knowledge", _("Product knowledge question")
    PRICING = "pricing", _("Pricing policy")
    TECHNICAL = "technical", _("Technical support")
    COMPETITION = "competition", _("Competitors")
    OTHER = "other", pgettext_lazy("problem category", "Other")


class ResourceKind(models.TextChoices):
    """R5: a problem's owner may be a kind of resource instead of a person (R7's request kinds among them)."""

    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    SAMPLES = "samples", _("Samples")
    CUSTOMER_CONTACT = "customer_contact", _("Customer contact information")
    TRAINING = "training", _("Product training")
    PRICING_APPROVAL = "pricing_approval", _("Pricing approval")


class ProblemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("problem status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class ProblemSource(models.TextChoices):
    """Where a problem was raised from."""

    BRIEF = "brief", _("Morning brief")
    SUMMARY = "summary", _("Daily summary")
    CUSTOMER = "customer", _("Customer page")
    OTHER = "other", pgettext_lazy("problem source", "Directly")


class TeamRowQuerySet(ScopedQuerySet):
    """R1 for a team's rows: seen by the team's members, lead and director, an admin; and by whoever wrote
    the row (after moving to another team) or owns it."""

    author_path = "raised_by"

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        teams = set(scope.team_ids)
        if scope.own_team_id:
            teams.add(scope.own_team_id)
        return Q(**{f"{through}team__in": sorted(teams)}) | Q(**{f"{through}{self.author_path}": scope.user_id})


class ProblemQuerySet(TeamRowQuerySet):
    def scope_q(self, scope: Scope, through: str = "") -> Q:
        return super().scope_q(scope, through) | Q(**{f"{through}owner_user": scope.user_id})


class SuccessCaseQuerySet(TeamRowQuerySet):
    author_path = "author"


class Problem(Versioned):
    """R5: a difficulty raised by anyone of the team; the lead assigns an owner (a person or a kind of
    resource); open → in progress → resolved with a resolution note. Open ones stay on every brief."""

    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=ProblemCategory.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="owned_problems",
    )
    owner_resource = models.CharField(_("resource"), max_length=20, choices=ResourceKind.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("raised from"), max_length=10, choices=ProblemSource.choices,
                              default=ProblemSource.OTHER)
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(
        user_db_constraint=False, history_change_reason_field=models.CharField(max_length=500, null=True)
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            # a team's problems by state (the brief's open ones, the list's open-first order)
            models.Index(fields=["team", "status", "created_at"], name="problem_team_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != ProblemStatus.RESOLVED


class SuccessCase(Versioned):
    """R6: a story worth sharing, linked to a customer or a deal (at least one) in the author's scope;
    shown in the brief and the weekly review."""

    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("title"), max_length=120)
    story = models.TextField(_("story"))
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(
        user_db_constraint=False, history_change_reason_field=models.CharField(max_length=500, null=True)
    )

    objects = SuccessCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("success case")
        verbose_name_plural = _("success cases")
        indexes = [models.Index(fields=["team", "created_at"], name="success_case_team_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | Q(deal__isnull=False), name="success_case_links_something"
            ),
        ]

    def __str__(self) -> str:
        return self.title
