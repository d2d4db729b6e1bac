"""Targets (R22): a value per subject (a person, a team, the organisation), period (a month ``2026-11``, an
ISO week ``2026-W48`` or a quarter ``2026-Q4``) and metric (an API word of the metric registry).

A subject is kept twice: as its API word in ``subject`` (``user:<id>``, ``team:<id>``, ``org``), which with
``period`` and ``metric`` is unique, and as the foreign key the scope (R1) and the joins read. The
period's first and last days are stored beside its word so that "the targets of the month holding this
day" is an index read. Nothing is deleted: a target cleared is kept inactive, with its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.core.scope import Scope, ScopedQuerySet
from salesops.core.versioning import Versioned


class SubjectKind(models.TextChoices):
    USER = "user", _("Person")
    TEAM = "team", _("Team")
    ORG = "org", _("Organisation")


class TargetQuerySet(ScopedQuerySet):
    """R1: a person's targets are seen where the person's rows are (oneself, one's teams' members); a
    team's by whoever sees the team (its members, its lead and director); the organisation's by an admin."""

    owner_path = "user"

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        teams = set(scope.team_ids) | ({scope.own_team_id} if scope.own_team_id else set())
        return (
            Q(**{f"{through}subject_kind": SubjectKind.USER}) & super().scope_q(scope, through)
        ) | Q(**{f"{through}subject_kind": SubjectKind.TEAM, f"{through}team_id__in": sorted(teams)})

    def active(self) -> TargetQuerySet:
        return self.filter(is_active=True)


class Target(Versioned):
    """One target value; ``version`` refuses a stale edit (409), ``history`` keeps every value it had."""

    subject = models.CharField(_("scope"), max_length=32)
    subject_kind = models.CharField(_("kind of scope"), max_length=4, choices=SubjectKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="targets",
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="targets",
    )
    period = models.CharField(_("period"), max_length=8)
    period_kind = models.CharField(_("kind of period"), max_length=8)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    metric = models.CharField(_("metric"), max_length=40)
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        user_db_constraint=False, history_change_reason_field=models.CharField(max_length=200, null=True)
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["period", "subject", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["subject", "period", "metric"], name="target_one_per_subject"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]
        indexes = [
            # the people's targets of a period (grids, the daily split's weights, the brief)
            models.Index(fields=["user", "period_kind", "starts_on"], name="target_user_period"),
            models.Index(fields=["team", "period_kind", "starts_on"], name="target_team_period"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.period} {self.metric}: {self.value}"
