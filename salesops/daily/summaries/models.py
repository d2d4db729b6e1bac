"""Models of R17 daily summaries 每日工作小结: what a person did, did not do (with reasons) and plans for
tomorrow, one per person per working day, and the record that a missing one was flagged to the lead.

A summary belongs to its writer for scope (R1): the writer, whoever manages them (lead, director) and an
admin see it. ``team`` is the writer's team when it was written, so a later move leaves the past in place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.core.scope import ScopedQuerySet
from salesops.core.versioning import Versioned


class DoneKind(models.TextChoices):
    """Where a done item came from: the day's records (pre-filled) or typed by the writer."""

    FOLLOWUP = "followup", _("Follow-up")
    VISIT = "visit", _("Visit")
    TASK = "task", _("Task")
    DEAL = "deal", _("Deal")
    OTHER = "other", _("Other")


class SummaryQuerySet(ScopedQuerySet):
    """R1: a summary is seen where its writer is seen (oneself, the lead, the director, an admin)."""

    owner_path = "user"


class DailySummary(Versioned):
    """R17: one person's summary of one day. ``done`` is the free text; ``done_items`` the structured items
    ([{kind, ref, text}], pre-filled from the day's follow-ups, visits, tasks and deals); ``not_done`` the
    items left with their reasons ([{item, reason}]); ``tomorrow`` the plan, which seeds the next working
    day's plan. ``late``: submitted after the due time (RuleSettings.summary_due_at) of its day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="daily_summaries",
        db_index=False,
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        editable=False,
    )
    date = models.DateField(_("date"))
    done = models.TextField(_("done"), blank=True)
    done_items = models.JSONField(_("done items"), default=list, blank=True)
    not_done = models.JSONField(_("not done"), default=list, blank=True)
    tomorrow = models.TextField(_("tomorrow's plan"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        user_db_constraint=False, history_change_reason_field=models.CharField(max_length=500, null=True)
    )

    objects = SummaryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "user_id"]
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [
            # R17: one summary per person per day; a second one is refused (409)
            models.UniqueConstraint(fields=["user", "date"], name="summary_one_per_day"),
        ]
        indexes = [
            # a team's summaries of a day (the lead's page, the brief's reasons)
            models.Index(fields=["team", "date"], name="summary_team_day"),
            # the day's summaries of everyone (summary_check)
            models.Index(fields=["date", "user"], name="summary_day_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date.isoformat()}"


class MissingSummary(models.Model):
    """R17: a summary missing at its due time, flagged to whoever manages the person, once per person per
    day (``summary_check`` writes it; a second run finds it and tells nobody again)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "user_id"]
        verbose_name = _("missing daily summary")
        verbose_name_plural = _("missing daily summaries")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="summary_missing_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date.isoformat()}"
