"""Follow-up records 客户跟进记录表 (R11): what was said, what comes next, logged on time or marked late."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.core.files import StoredName, private_storage
from salesops.core.scope import Scope, ScopedQuerySet
from salesops.core.versioning import Versioned
from salesops.customers.models import Customer


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


class FollowUpQuerySet(ScopedQuerySet):
    """R1: a customer's records are seen by whoever sees the customer, whoever wrote them and whenever
    (a rep sees the record their lead logged on the rep's customer, and a new owner the records from
    before a transfer); each author also sees what they wrote. Timeline, API, exports and the calendar
    feed all read records through this."""

    owner_path = "author"

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        own = Q(**{f"{through}{self.owner_path}": scope.user_id})
        return own | Customer.objects.all().scope_q(scope, through=f"{through}customer__")


class FollowUp(Versioned):
    """One contact with a customer (R11). ``late`` is set when it was logged more than the rule's hours
    (2 by default) after the contact: kept, but counted against the rep. A correction based on an older
    ``version`` is refused (``core.versioning``)."""

    # No single-column indexes on these two: the composite indexes below lead with them and serve every
    # lookup; a lone one only tempted PostgreSQL away from the covering index for the per-rep counts.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="followups", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups", db_index=False
    )
    #: R21: the author's team when the record was written; team figures count the record there, so a
    #: later move of its author to another team moves no past figure.
    author_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        editable=False, verbose_name=_("author's team"),
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    contacted_at = models.DateTimeField(_("contact time"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    key_points = models.TextField(_("key points"))
    feedback = models.TextField(_("customer feedback"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    next_followup_at = models.DateField(_("next follow-up date"), null=True, blank=True)
    is_survey = models.BooleanField(_("needs survey"), default=False)
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    late = models.BooleanField(_("logged late"), default=False)
    checkin_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    checkin_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    checkin_distance_m = models.PositiveIntegerField(_("distance from the customer (m)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: R21 new-customer visits: this is the customer's earliest active visit (by contact time, then id).
    #: Derived, kept by ``services.first_visits_refresh`` after every write that may move it (log, correct,
    #: withdraw, import, merge), so it is no one's edit and has no history.
    first_visit = models.BooleanField(_("first visit of the customer"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["first_visit"])

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_at", "-id"]
        verbose_name = _("follow-up record")
        verbose_name_plural = _("follow-up records")
        indexes = [
            models.Index(fields=["customer", "-contacted_at"], name="followup_customer_recent"),
            # an author's records by time, covering the per-rep figures (R11 late logging, R21 visits, new
            # customer visits, customers followed up)
            models.Index(fields=["author", "-contacted_at", "is_active", "late", "channel", "first_visit", "customer"],
                         name="followup_author_figures"),
            # the same for a team's records (R21: team figures over the team's rows)
            models.Index(
                fields=["author_team", "-contacted_at", "is_active", "late", "channel", "first_visit", "customer"],
                name="followup_team_figures",
            ),
            # the same for the organisation's records
            models.Index(fields=["contacted_at", "is_active", "late", "channel", "first_visit", "customer"],
                         name="followup_figures"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.contacted_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new record takes its author's team of the moment (R21); bulk writers set it themselves."""
        if self._state.adding and self.author_team_id is None and self.author_id is not None:
            self.author_team_id = self.author.team_id
        super().save(*args, **kwargs)


class VisitPhotoQuerySet(ScopedQuerySet):
    """R1: a visit photo is seen by exactly those who see its follow-up record."""

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        return FollowUp.objects.all().scope_q(scope, through=f"{through}followup__")


class VisitPhoto(models.Model):
    """A photo taken on a visit (R11, R20 proof): checked as a JPEG, PNG or WebP by content and size,
    stored privately under a name the server chooses and served only through ``visible_to`` (the
    ``visit_photo`` page), all by ``core.files``."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(storage=private_storage, upload_to=StoredName("visits"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = VisitPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.image.name


def new_feed_secret() -> str:
    """43 url-safe characters (256 random bits): the whole credential of a calendar feed."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed ``/calendar/<secret>.ics`` of due follow-ups and planned visits
    (R10, R11). Calendar apps cannot log in, so the secret in the address is the credential; making a new
    one (``followups.feed.feed_regenerate``) stops the old address at once. The feed shows only the
    owner's own data within their scope (R1)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    secret = models.CharField(max_length=64, unique=True, default=new_feed_secret, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} calendar"
