"""The words of a customer record (API.md "Words"): grade (R8), status, company size, and where it stands
on its cadence (R10). Apart from the models so that the tag line (R9) can read them without the models."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Grade(models.TextChoices):
    """R8: A = can close within 30 days, B = 1-3 months, C = long-term nurture; null = not graded."""

    A = "A", _("A · high intent")
    B = "B", _("B · medium intent")
    C = "C", _("C · long-term nurture")


class Status(models.TextChoices):
    LEAD = "lead", pgettext_lazy("customer status", "Lead")
    INTENT = "intent", _("Intent")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Micro business")
    SMALL = "small", _("Small and medium enterprise")
    LARGE = "large", _("Large enterprise")
    GROUP = "group", _("Group company")


class CadenceStatus(models.TextChoices):
    """R10: where a customer stands against its grade's follow-up cadence (relative to today)."""

    OK = "ok", _("On cadence")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    NONE = "none", _("No cadence")

    @classmethod
    def of(cls, next_due_at: dt.date | None, today: dt.date) -> str:
        """Where a customer due on ``next_due_at`` stands on ``today``; ``none``: it has no cadence."""
        if next_due_at is None:
            return cls.NONE.value
        if next_due_at < today:
            return cls.OVERDUE.value
        return cls.DUE_TODAY.value if next_due_at == today else cls.OK.value
