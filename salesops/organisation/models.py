"""The organisation, its rule settings (every number of DOMAIN.md) and its own calendar days (R2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.core.versioning import Versioned


class Organisation(models.Model):
    """The one company this installation serves; ``setup_completed_at`` ends the first-run set-up."""

    name = models.CharField(_("company name"), max_length=100, default="")
    setup_completed_at = models.DateTimeField(_("set-up completed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.name or str(_("(unnamed organisation)"))

    @classmethod
    def load(cls) -> Organisation:
        """The one row, read without writing (a migration creates it; unsaved defaults if it is missing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def for_update(cls) -> Organisation:
        """The one row locked for a change, created here if a database lacks it."""
        return cls.objects.select_for_update().get_or_create(pk=1)[0]


def _days(default: int, maximum: int = 365) -> dict[str, Any]:
    return {"default": default, "validators": [MinValueValidator(1), MaxValueValidator(maximum)]}


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


# The times of day are given as functions: a fixed time as a field default makes Django's system check
# warn (fields.W161) whenever it runs within ten seconds of that time of day.
def default_workday_start() -> dt.time:
    return dt.time(8, 30)


def default_workday_end() -> dt.time:
    return dt.time(18, 0)


def default_brief_ready_at() -> dt.time:
    return dt.time(8, 20)


def default_meeting_at() -> dt.time:
    return dt.time(8, 30)


def default_plan_opens_at() -> dt.time:
    return dt.time(9, 0)


def default_plan_due_at() -> dt.time:
    return dt.time(9, 30)


class RuleSettings(Versioned):
    """Every number the rules name, editable by an admin, the manual's value as default.

    Read it through ``salesops.organisation.selectors.rule_settings()`` only; change it through
    ``salesops.organisation.services.rule_settings_update`` (validated, history kept).
    """

    # R11 follow-up records
    followup_log_hours = models.PositiveSmallIntegerField(
        _("hours to log a follow-up"),
        help_text=_("R11: a follow-up is logged within this many hours of the contact; later ones are marked late."),
        **_days(2, 72),
    )
    # R10 cadence per grade, in working days between follow-ups
    cadence_a_days = models.PositiveSmallIntegerField(
        _("A: working days between follow-ups"),
        help_text=_("R10: A customers are followed up once each working day."),
        **_days(1, 30),
    )
    a_contract_days = models.PositiveSmallIntegerField(
        _("A: days to push the contract"),
        help_text=_("R10: a contract is pushed within this many working days of a customer being graded A."),
        **_days(3, 60),
    )
    cadence_b_days = models.PositiveSmallIntegerField(
        _("B: working days between follow-ups"),
        help_text=_("R10: B customers are followed up 2-3 times a week."),
        **_days(2, 30),
    )
    b_visits_per_month = models.PositiveSmallIntegerField(
        _("B: on-site visits per month"),
        help_text=_("R10: B customers get at least this many on-site visits a month."),
        **_days(1, 20),
    )
    cadence_c_days = models.PositiveSmallIntegerField(
        _("C: working days between follow-ups"),
        help_text=_("R10: C customers are followed up once a week."),
        **_days(5, 60),
    )
    c_survey_months = models.PositiveSmallIntegerField(
        _("C: months between needs surveys"),
        help_text=_("R10: C customers get a needs survey every this many months (a quarter)."),
        **_days(3, 12),
    )
    # R15 public pool
    pool_days_a = models.PositiveSmallIntegerField(
        _("A: days without follow-up before the pool"),
        help_text=_("R15: an A customer not followed up for this many days returns to the public pool."),
        **_days(7),
    )
    pool_days_b = models.PositiveSmallIntegerField(
        _("B: days without follow-up before the pool"),
        help_text=_("R15: a B customer not followed up for this many days returns to the public pool."),
        **_days(15),
    )
    pool_days_c = models.PositiveSmallIntegerField(
        _("C: days without follow-up before the pool"),
        help_text=_("R15: a C customer not followed up for this many days returns to the public pool."),
        **_days(30),
    )
    pool_claim_cap = models.PositiveSmallIntegerField(
        _("pool claims per rep per month"),
        help_text=_("R15: the most customers one rep may claim from the public pool in a month."),
        **_days(20, 1000),
    )
    # R19 / R23 alerts
    lag_streak_days = models.PositiveSmallIntegerField(
        _("lag alert after working days under target"),
        help_text=_("R19: a rep under the daily visit target this many working days in a row alerts the lead."),
        **_days(3, 30),
    )
    anomaly_below_percent = models.PositiveSmallIntegerField(
        _("anomaly: percent below team average"),
        help_text=_(
            "R23: a member this many percent or more below the team average is flagged (20 means below 0.8 × average)."
        ),
        **_days(20, 100),
    )
    # R2 / R3 / R7 / R17 the working day
    workday_start = models.TimeField(
        _("workday starts"), default=default_workday_start, help_text=_("R2: the working day starts at this time.")
    )
    workday_end = models.TimeField(
        _("workday ends"), default=default_workday_end, help_text=_("R2: the working day ends at this time.")
    )
    brief_ready_at = models.TimeField(
        _("morning brief ready at"),
        default=default_brief_ready_at,
        help_text=_("R3: every team's morning brief is ready at this time, before the meeting."),
    )
    meeting_at = models.TimeField(
        _("morning meeting at"), default=default_meeting_at, help_text=_("R3: the morning meeting starts at this time.")
    )
    plan_opens_at = models.TimeField(
        _("daily plan opens at"),
        default=default_plan_opens_at,
        help_text=_("R7: reps submit the daily plan from this time."),
    )
    plan_due_at = models.TimeField(
        _("daily plan due at"),
        default=default_plan_due_at,
        help_text=_("R7: a daily plan not submitted by this time is flagged."),
    )
    summary_minutes_before_end = models.PositiveSmallIntegerField(
        _("daily summary due, minutes before the workday ends"),
        help_text=_("R17: the daily summary is due this many minutes before the workday ends."),
        **_days(30, 240),
    )
    # R13 / R14 / R18 after a deal, weekly review
    deal_followthrough_days = models.PositiveSmallIntegerField(
        _("days to archive, hand over and call after a deal"),
        help_text=_(
            "R13: after a deal the contract is archived, after-sales handed over and the satisfaction call logged "
            "within this many working days."
        ),
        **_days(3, 30),
    )
    repurchase_survey_days = models.PositiveSmallIntegerField(
        _("calendar days after a deal for the repurchase survey"),
        help_text=_("R14: the repurchase-needs survey task comes this many calendar days after a deal."),
        **_days(30),
    )
    proof_max_mb = models.PositiveSmallIntegerField(
        _("largest proof file (MB)"),
        help_text=_("R20: a task's proof (a photo, a screenshot, a signed scan) may be at most this many MB."),
        **_days(10, 50),
    )
    weekly_review_weekday = models.PositiveSmallIntegerField(
        _("weekly review day"),
        choices=[
            (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday")),
        ],
        default=4,
        help_text=_("R18: the weekly review meeting is held on this day of the week."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule settings")
        verbose_name_plural = _("rule settings")

    def __str__(self) -> str:
        return str(_("Rule settings"))

    @classmethod
    def for_update(cls) -> RuleSettings:
        """The one row locked for a change, created here if a database lacks it (reads use
        ``selectors.rule_settings()``, which never writes)."""
        return cls.objects.select_for_update().get_or_create(pk=1)[0]

    @property
    def summary_due_at(self) -> dt.time:
        """R17: the daily summary is due this many minutes before the workday ends (never before midnight)."""
        due = max(_minutes(self.workday_end) - self.summary_minutes_before_end, 0)
        return dt.time(due // 60, due % 60)

    def clean(self) -> None:
        """Times must make one working day in order (R2, R3, R7, R17); field validators check the numbers."""
        errors: dict[str, str] = {}
        times = (
            self.workday_start, self.workday_end, self.brief_ready_at, self.meeting_at, self.plan_opens_at,
            self.plan_due_at,
        )
        if not all(isinstance(value, dt.time) for value in times):
            return  # a missing or malformed time is already a field error
        if self.workday_start >= self.workday_end:
            errors["workday_end"] = str(_("The workday must end after it starts."))
        if self.brief_ready_at > self.meeting_at:
            errors["brief_ready_at"] = str(_("The brief must be ready before the meeting starts."))
        if self.plan_opens_at >= self.plan_due_at:
            errors["plan_due_at"] = str(_("The plan deadline must come after the plan window opens."))
        elif self.workday_start < self.workday_end and not (self.workday_start <= self.plan_due_at <= self.workday_end):
            errors["plan_due_at"] = str(_("The plan deadline must fall inside the workday."))
        minutes = self.summary_minutes_before_end
        if (
            self.workday_start < self.workday_end
            and isinstance(minutes, int)
            and _minutes(self.workday_end) - minutes <= _minutes(self.workday_start)
        ):
            errors["summary_minutes_before_end"] = str(_("The summary would be due before the workday starts."))
        if errors:
            raise ValidationError(errors)


def rule_setting_field(name: str) -> models.Field[Any, Any]:
    """The model field of one rule setting (its label, help text, validators and choices)."""
    field = RuleSettings._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


class CalendarDay(models.Model):
    """A company's own exception to the national calendar (R2): an extra day off or working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Company day off")
        WORKDAY = "workday", _("Extra working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("company calendar day")
        verbose_name_plural = _("company calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
