"""Models of R4 daily targets: a team's target per metric for one day and its split per person.

``DayTargetSet`` is the team's day (its ``version`` refuses a stale save, 409); ``DayTarget`` one value: the
team's (``user`` empty) or one person's. A value taken out of the split is kept inactive, never deleted,
and every change stays in the history, so a past day corrected by the lead shows what it was.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.accounts.models import Team
from salesops.core.scope import Scope, ScopedQuerySet
from salesops.core.versioning import Versioned


class TeamDayQuerySet(ScopedQuerySet):
    """R1: a team's day targets are seen by whoever sees the team (its members, lead, director, an admin)."""

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        return Team.objects.scope_q(scope, f"{through}team__")


class DayTargetSet(Versioned):
    """One team's targets of one day (R4), saved as a whole by its lead."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("date"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = TeamDayQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "team"]
        verbose_name = _("daily targets")
        verbose_name_plural = _("daily targets")
        constraints = [models.UniqueConstraint(fields=["team", "day"], name="day_target_set_one_per_team_day")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.day}"


class DayTarget(models.Model):
    """One value of a team's day: the team's target of a metric (``user`` empty) or one person's share."""

    target_set = models.ForeignKey(DayTargetSet, on_delete=models.PROTECT, related_name="values")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("date"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="day_targets",
    )
    metric = models.CharField(_("metric"), max_length=40)
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = TeamDayQuerySet.as_manager()

    class Meta:
        ordering = ["day", "metric", "id"]
        verbose_name = _("daily target")
        verbose_name_plural = _("daily targets")
        constraints = [
            models.UniqueConstraint(fields=["team", "day", "metric"], condition=Q(user__isnull=True),
                                    name="day_target_one_team_value"),
            models.UniqueConstraint(fields=["team", "day", "metric", "user"], condition=Q(user__isnull=False),
                                    name="day_target_one_person_value"),
            models.CheckConstraint(condition=Q(value__gte=0), name="day_target_not_negative"),
        ]
        indexes = [
            # a person's targets of a metric over days (the lag streaks, R19; the brief's "met")
            models.Index(fields=["user", "metric", "day"], name="day_target_person"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}: {self.value}"
