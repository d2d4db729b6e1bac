"""Customers (R8-R10, R12, R15): companies with contacts, grade, tags, owner, cadence and pool state."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.core.scope import Scope, ScopedQuerySet, scope_of
from salesops.core.versioning import Versioned
from salesops.customers.choices import CadenceStatus, CompanySize, Grade, Status
from salesops.customers.tagline import tag_line

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from salesops.accounts.models import User


class CustomerQuerySet(ScopedQuerySet):
    """R1 for customers: reps see their own and the public pool; leads and directors their teams' and the
    pool; admins all. Merged-away and deleted customers are never listed."""

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        return super().scope_q(scope, through) | Q(**{f"{through}owner__isnull": True})

    def visible_to(self, user: User | AnonymousUser, *, pool: bool | None = None) -> Self:
        """R1 scope, optionally split at the public pool (R15): ``pool=None`` the whole scope (owned rows and
        the pool), ``False`` the owned rows only, ``True`` the pool only. The split is part of the scope's
        own condition so that neither half makes the database walk the other."""
        if pool is None:
            return super().visible_to(user)
        scope = scope_of(user)
        if scope.sees_nothing:
            return self.none()
        if pool:
            return self.filter(owner__isnull=True)
        owned = self.filter(owner__isnull=False)
        return owned if scope.everything else owned.filter(super().scope_q(scope))

    def active(self) -> CustomerQuerySet:
        return self.filter(is_active=True)

    def with_cadence_status(self, today: dt.date) -> Self:
        """Adds ``cadence_status`` (``CadenceStatus.of`` in SQL), so a list never works it out row by row.
        The due date it reads is kept by followups (R10); the status of a date is the customer's own."""
        status = Case(
            When(next_due_at__isnull=True, then=Value(CadenceStatus.NONE.value)),
            When(next_due_at__lt=today, then=Value(CadenceStatus.OVERDUE.value)),
            When(next_due_at=today, then=Value(CadenceStatus.DUE_TODAY.value)),
            default=Value(CadenceStatus.OK.value),
            output_field=CharField(),
        )
        return self.annotate(cadence_status=status)


class Tag(models.Model):
    """A free tag (R9), shared by the organisation, e.g. 老客户推荐 or 展会线索."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Customer(Versioned):
    """A customer company: its structured tags (R9), grade (R8), owner or the public pool (R15) and where it
    stands on the follow-up cadence of its grade (R10). Every change keeps who, when, old and new (R12);
    an edit based on an older ``version`` is refused (``core.versioning``)."""

    name = models.CharField(_("company name"), max_length=120)
    name_key = models.CharField(_("normalised name"), max_length=120, editable=False)
    # The name without the places that qualify it: near matches (R15, ``normalise.name_keys``).
    name_base_key = models.CharField(_("name without places"), max_length=120, editable=False, default="")
    # The words themselves are searched through CustomerSearchTerm; this copy is shown and exported, never
    # looked up, so it has no index.
    search_key = models.CharField(_("search key"), max_length=400, editable=False, default="")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_key = models.CharField(_("normalised phone"), max_length=20, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # R9 structured tag dimensions
    industry = models.CharField(_("industry"), max_length=40, blank=True)
    company_size = models.CharField(_("company size"), max_length=10, choices=CompanySize.choices, blank=True)
    decision_maker_role = models.CharField(_("decision maker"), max_length=40, blank=True)
    budget = models.DecimalField(_("budget (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True)
    focus = models.CharField(_("focus"), max_length=40, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")
    # R8 grade
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, null=True, blank=True)
    grade_reason = models.CharField(_("reason for the grade"), max_length=200, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    intent_at = models.DateTimeField(_("reached intent at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LEAD)
    # R15 ownership
    owner = models.ForeignKey(  # indexed by the composite indexes of Meta, which lead with it
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="customers", db_index=False,
    )
    pooled_at = models.DateTimeField(_("returned to the pool at"), null=True, blank=True)
    # R10 cadence, recomputed when a follow-up, the grade or the rule settings change
    last_followup_at = models.DateTimeField(_("last follow-up"), null=True, blank=True)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    last_survey_at = models.DateTimeField(_("last needs survey"), null=True, blank=True)
    next_due_at = models.DateField(_("next follow-up due"), null=True, blank=True)
    contract_due_at = models.DateField(_("contract to push by"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Indexed although rarely looked up (docs/performance-notes.md, "The customer table's indexes").
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    # R21: who the customer counts for as a new customer (its owner when it was created, and that owner's
    # team then) and as a new intent customer (its owner when it first reached A or B, R8, and the team
    # then), set once where each event happens (``services``, the sheet import, the generators), so a later
    # transfer or move moves no past figure. Read by the KPI engine through the indexes of Meta.
    created_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False, editable=False, verbose_name=_("owner when created"),
    )
    created_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        editable=False, verbose_name=_("owner's team when created"),
    )
    intent_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False, editable=False, verbose_name=_("owner when it reached intent"),
    )
    intent_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        editable=False, verbose_name=_("owner's team when it reached intent"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # History rows (R12) name their author without a database constraint and index no copied column
    # (docs/performance-notes.md, "The customer table's indexes").
    # The reason of a version holds a whole transfer or release reason (R15: up to 200 characters).
    history = HistoricalRecords(
        excluded_fields=[
            "search_key", "name_key", "name_base_key", "phone_key",
            "created_owner", "created_team", "intent_owner", "intent_team",
        ],
        m2m_fields=[tags],
        user_db_constraint=False,
        no_db_index=["created_at", "created_by", "merged_into", "owner"],
        history_change_reason_field=models.CharField(max_length=200, null=True),
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # Why these and in this column order: docs/performance-notes.md, "The customer table's indexes".
        indexes = [
            # due today / overdue per owner (R10), and covering for the per-rep cadence counts
            models.Index(fields=["owner", "next_due_at", "is_active", "grade"], name="customer_owner_due"),
            # an owner's list (or the pool's: no owner), newest change first, in the index's own order
            models.Index(fields=["owner", "-updated_at", "-id", "is_active"], name="customer_owner_recent"),
            # the public pool (R15), newest change first: PostgreSQL reads no order out of "owner IS NULL"
            models.Index(fields=["-updated_at", "-id"], condition=Q(owner__isnull=True), name="customer_pool_recent"),
            # the organisation's list (admins), newest change first; a manager's page of ids (core.paging)
            models.Index(fields=["-updated_at", "-id", "owner", "is_active"], name="customer_recent"),
            # due and overdue lists in due order (filters.DUE_ORDER), for any scope, from the index alone
            models.Index(fields=["next_due_at", "id", "owner", "is_active"], name="customer_due"),
            # equality lookups only (duplicates R15, the industry filter): no pattern-matching twin
            models.Index(fields=["name_key"], name="customer_name_key"),
            models.Index(fields=["name_base_key"], name="customer_name_base_key"),
            models.Index(fields=["phone_key"], name="customer_phone_key"),
            models.Index(fields=["credit_code"], name="customer_credit_code"),
            models.Index(fields=["industry"], name="customer_industry"),
            # R21 new customers and new intent customers per person, per team and for the organisation
            models.Index(fields=["created_owner", "created_at", "is_active"], name="customer_created_owner"),
            models.Index(fields=["created_team", "created_at", "is_active"], name="customer_created_team"),
            models.Index(fields=["intent_owner", "intent_at", "is_active"], name="customer_intent_owner"),
            models.Index(fields=["intent_team", "intent_at", "is_active"], name="customer_intent_team"),
            models.Index(fields=["intent_at", "is_active"], name="customer_intent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_line(self) -> str:
        """R9: 制造业-中小型企业-决策人为采购经理-预算50万-关注性价比 from the structured dimensions."""
        return tag_line(self)

    @cached_property
    def tag_names(self) -> list[str]:
        """The free tags' names (R9) in tag order. A list sets them for a whole page in one query
        (``selectors.tag_names_attach``), which costs a fraction of a prefetch's manager per row."""
        return [tag.name for tag in self.tags.all()]


class Contact(Versioned):
    """A person at the customer (R12 keeps every change): name, title, phones, WeChat, role in the decision;
    an edit based on an older ``version`` is refused (``core.versioning``)."""

    class DecisionRole(models.TextChoices):
        DECIDER = "decider", _("Decision maker")
        INFLUENCER = "influencer", _("Influencer")
        USER = "user", _("User")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_key = models.CharField(max_length=20, blank=True, editable=False)
    wechat = models.CharField(_("WeChat"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    decision_role = models.CharField(
        _("role in the decision"), max_length=12, choices=DecisionRole.choices, default=DecisionRole.OTHER
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["phone_key"], user_db_constraint=False)  # as the customer's

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["phone_key"], name="contact_phone_key")]  # duplicates (R15): equality

    def __str__(self) -> str:
        return self.name


class OwnershipEvent(models.Model):
    """R15: every change of owner: claim from the pool, release, nightly return to the pool, transfer, merge."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Created")
        CLAIM = "claim", _("Claimed from the pool")
        RELEASE = "release", _("Released to the pool")
        RECYCLE = "recycle", _("Returned to the pool (no follow-up)")
        TRANSFER = "transfer", _("Transferred")
        MERGE = "merge", _("Merged")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="ownership_events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The people of a log entry, like the authors of history rows, have no database constraint (people are
    # never deleted; Django still protects them): a 100,000-row import writes as many entries.
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["to_user", "kind", "at"], name="ownership_claims")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CustomerSearchTerm(models.Model):
    """One word a customer is found by prefix (R15 search): a suffix of its company key, of its pinyin
    initials or of a phone key, or its full pinyin (``normalise.search_words``), so that a prefix search
    finds any part. Rebuilt whenever the name or a phone changes; not user data, so no history. ``owner``
    copies the customer's owner (None: the pool) so a search reads only the caller's people's words; R1
    is still decided on the customer rows (docs/performance-notes.md, "Search by any part")."""

    # Derived rows, written and deleted with their customer: no database constraint.
    customer = models.ForeignKey(  # looked up through the (customer, term) unique constraint's index
        Customer, on_delete=models.CASCADE, related_name="search_terms", db_constraint=False, db_index=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        db_index=False, related_name="+",
    )
    term = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "term"], name="customer_search_term_unique")]
        # prefix matches need the pattern operator class on PostgreSQL; SQLite ignores it. Owner and customer
        # come after the word so that a range of words gives its customers from the index alone, whichever
        # index the planner picks (a two-letter part matches thousands of words: docs/performance-notes.md,
        # "Search by any part").
        indexes = [
            models.Index(
                fields=["owner", "term", "customer"], name="search_term_owner_words",
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
            ),
            # everyone's words (admins' searches): one prefix index, not Django's plain one plus a pattern one
            models.Index(
                fields=["term", "owner", "customer"], name="search_term_words",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.term


class ImportCheck(models.Model):
    """The rows of a customer sheet that passed its check (dry run, R26), kept so that the import of the
    same file (same SHA-256 digest, same person) does not read and check every cell again: it redoes only
    what may have changed since, the duplicate lookups against the database (R15) and who may own the
    rows (R1). One per person and kind; replaced by the next check, deleted by the import that uses it and
    ignored (then purged) after ``excel.kept_checks.CHECK_KEPT``. Not user data: no history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)
    payload = models.BinaryField()  # zlib-compressed JSON, written and read only by the importer
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="import_check_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.digest[:12]}"


class ImportBatch(models.Model):
    """One committed import of a customer sheet (R26): who imported it and the moment every customer it
    created carries as ``created_at`` (with ``created_by``, how the list finds them: ``import_batch``), how
    many it created, and the rows it skipped as duplicates (R15), for the report to download. Seen by the
    person who imported it only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    created = models.PositiveIntegerField(default=0)
    #: [{"row": sheet row number, "name": company name, "reason": why it was skipped}]
    skipped = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M} +{self.created}"
