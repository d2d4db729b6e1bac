"""Models of R19 lag alerts and the lead's talks.

A ``LagAlert`` is one streak of a rep's working days under their daily visit target (R4 daily targets,
metric ``visits``) that reached the rule's length (``RuleSettings.lag_streak_days``): it names the first
and the latest day under target and how many such days it holds; the streak continuing extends it (no
second alert), a day at or above target ends it (``ended_on``). The alert stays open until a talk closes it.
A ``LagTalk`` is what the lead recorded after talking with the rep: the cause and the remedy from the
manual's lists with a note, and whether the matter is closed or followed up further.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesops.accounts.models import Team
from salesops.core.scope import ScopedQuerySet


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("lag alert status", "Open")
    CLOSED = "closed", pgettext_lazy("lag alert status", "Closed")


class LagCause(models.TextChoices):
    """R19 causes (the manual's examples first)."""

    NO_SHOW = "no_show", _("Customer cancelled at short notice")
    RESOURCES = "resources", _("Not enough resources")
    FEW_LEADS = "few_leads", _("Too few customers to visit")
    ROUTE = "route", _("Time lost on the road")
    OTHER_WORK = "other_work", _("Taken up by other work")
    OTHER = "other", _("Other")


class LagRemedy(models.TextChoices):
    """R19 remedies (the manual's examples first)."""

    ROUTE = "route", _("Adjust the visit route")
    RESOURCES = "resources", _("Request customer resources")
    ACCOMPANY = "accompany", _("Lead joins the visits")
    BOOKING = "booking", _("Book visits ahead by phone")
    COACHING = "coaching", _("Coaching")
    OTHER = "other", _("Other")


class LagAlertQuerySet(ScopedQuerySet):
    """R1: an alert goes with its rep (the rep, their lead, director, an admin)."""

    owner_path = "subject_user"


class LagAlert(models.Model):
    """One streak of working days under the daily visit target that reached the rule's length (R19)."""

    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="lag_alerts",
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("first day under target"))
    last_day = models.DateField(_("latest day under target"))
    days = models.PositiveSmallIntegerField(_("working days under target"))
    ended_on = models.DateField(_("streak ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    lead_told_at = models.DateTimeField(_("lead told at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = LagAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-last_day", "id"]
        verbose_name = _("lag alert")
        verbose_name_plural = _("lag alerts")
        constraints = [
            models.UniqueConstraint(fields=["subject_user", "started_on"], name="lag_alert_one_per_streak"),
        ]
        indexes = [models.Index(fields=["team", "status"], name="lag_alert_team_open")]

    def __str__(self) -> str:
        return f"{self.subject_user_id} {self.started_on}–{self.last_day}"


class LagTalkQuerySet(ScopedQuerySet):
    owner_path = "alert__subject_user"


class LagTalk(models.Model):
    """The lead's talk with the rep on an alert (R19): cause, remedy, a note; ``closed`` closes the alert."""

    alert = models.ForeignKey(LagAlert, verbose_name=_("alert"), on_delete=models.PROTECT, related_name="talks")
    cause = models.CharField(_("cause"), max_length=12, choices=LagCause.choices)
    remedy = models.CharField(_("remedy"), max_length=12, choices=LagRemedy.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = LagTalkQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.cause} / {self.remedy}"
