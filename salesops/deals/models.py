"""Deals 商机 through to cash (R13, R14, R21 money): the pipeline, contracts with their signed scan, payment
plans of instalments and the receipts against them.

Scope (R1): a deal, its contract, instalments and receipts are seen where the deal's owner is seen.
Attribution (R21): a won deal counts for ``won_by`` in ``won_team`` (its owner and team when it was won),
a receipt for ``owner`` in ``owner_team`` (its contract's owner and team when it was received); a later
transfer moves no past figure. Money is ``MoneyField`` (Decimal, two places) everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesops.core.files import StoredName, private_storage
from salesops.core.money import MoneyField
from salesops.core.scope import ScopedQuerySet
from salesops.core.versioning import Versioned


class Stage(models.TextChoices):
    CONTACT = "contact", _("Initial contact")
    NEEDS = "needs", _("Needs confirmed")
    PROPOSAL = "proposal", _("Proposal and quote")
    NEGOTIATION = "negotiation", _("Negotiation")


class DealStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("deal status", "Open")
    WON = "won", pgettext_lazy("deal status", "Won")
    LOST = "lost", pgettext_lazy("deal status", "Lost")


class InstalmentStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("instalment status", "Due")
    PARTIAL = "partial", _("Partly received")
    RECEIVED = "received", _("Received")
    OVERDUE = "overdue", _("Overdue")


class StageProbability(models.Model):
    """The default win probability of a stage, which an admin may change; a deal takes it when it enters
    the stage unless a probability is given."""

    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, unique=True)
    probability = models.PositiveSmallIntegerField(_("probability (%)"))
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("stage probability")
        verbose_name_plural = _("stage probabilities")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.probability}%"


class LossReason(models.Model):
    """The reasons a deal is lost, a list an admin keeps (withdrawn, never deleted)."""

    name = models.CharField(_("reason"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("loss reason")
        verbose_name_plural = _("loss reasons")

    def __str__(self) -> str:
        return self.name


class DealQuerySet(ScopedQuerySet):
    """R1: a deal is seen where its owner is seen."""

    owner_path = "owner"


class Deal(Versioned):
    """A deal 商机 of a customer: amount, stage and probability, expected close; won (R13) or lost."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="deals"
    )
    title = models.CharField(_("title"), max_length=120)
    amount = MoneyField(_("amount (CNY)"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.CONTACT)
    probability = models.PositiveSmallIntegerField(_("probability (%)"))
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=DealStatus.choices, default=DealStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="deals",
        db_index=False,
    )
    # R13 / R21: when it was won, by whom and in which team, for how much
    signed_at = models.DateField(_("signed on"), null=True, blank=True)
    won_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    won_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    #: R14: a won deal of a customer that already had a won deal.
    is_repurchase = models.BooleanField(_("repurchase"), default=False, editable=False)
    lost_reason = models.ForeignKey(
        LossReason, verbose_name=_("reason lost"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lost_note = models.CharField(_("note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        user_db_constraint=False, history_change_reason_field=models.CharField(max_length=500, null=True)
    )

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            # an owner's board and list
            models.Index(fields=["owner", "status", "stage"], name="deal_owner_board"),
            # R21 sales amount and deals per person / team / org for a period
            models.Index(fields=["status", "signed_at", "won_by"], name="deal_won_by"),
            models.Index(fields=["status", "signed_at", "won_team"], name="deal_won_team"),
            models.Index(fields=["customer", "status"], name="deal_customer"),
            # the list in its order (newest change first): a page is read off the index, not sorted
            models.Index(fields=["-updated_at", "-id"], name="deal_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class DealLine(models.Model):
    """A line of a deal: product, quantity, unit price; when a deal has lines its amount is their sum.
    Lines an edit replaces are withdrawn (``is_active``), never deleted."""

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="lines")
    product = models.CharField(_("product"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit_price = MoneyField(_("unit price (CNY)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("deal line")
        verbose_name_plural = _("deal lines")

    def __str__(self) -> str:
        return self.product


class ContractSequence(models.Model):
    """R13: the last contract number given in a year (HT-2026-00001 ...), locked while a number is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ContractQuerySet(ScopedQuerySet):
    """R1: a contract is seen where its deal's owner is seen."""

    owner_path = "deal__owner"


class Contract(Versioned):
    """R13: the contract a won deal creates; archived once its signed scan is attached (the archive task)."""

    deal = models.OneToOneField(Deal, verbose_name=_("deal"), on_delete=models.PROTECT, related_name="contract")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    signed_at = models.DateField(_("signed on"))
    amount = MoneyField(_("amount (CNY)"))
    scan = models.FileField(
        _("signed scan"), storage=private_storage, upload_to=StoredName("contracts"), max_length=120, blank=True
    )
    archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        # the list in its order: a page is read off the index, not sorted
        indexes = [models.Index(fields=["-signed_at", "-id"], name="contract_recent")]

    def __str__(self) -> str:
        return self.number


class InstalmentQuerySet(ScopedQuerySet):
    """R1: an instalment is seen where its contract's deal's owner is seen."""

    owner_path = "contract__deal__owner"


class Instalment(Versioned):
    """One due payment of a contract's plan; the plan sums to the contract amount. ``received`` is the sum
    of its active receipts, kept by the receipt service under the row's lock."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="instalments"
    )
    due_date = models.DateField(_("due on"))
    amount = MoneyField(_("amount (CNY)"))
    received = MoneyField(_("received (CNY)"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    #: R21: the contract's owner and team when the instalment fell due are its collection-rate subject.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    owner_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    overdue_flagged_on = models.DateField(_("flagged overdue on"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = InstalmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "position", "id"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        indexes = [
            # R21 collection rate and the ledger per person / team / org for a period: covering (the sums'
            # columns in the index), so a month of a large organisation is summed without reading the table.
            models.Index(fields=["is_active", "due_date", "owner", "amount", "received"], name="instalment_due_owner"),
            models.Index(
                fields=["is_active", "due_date", "owner_team", "amount", "received"], name="instalment_due_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_date} {self.amount}"


class PaymentQuerySet(ScopedQuerySet):
    """R1: a receipt is seen where its contract's deal's owner is seen."""

    owner_path = "instalment__contract__deal__owner"


class Payment(models.Model):
    """A receipt 回款 against an instalment (partial allowed, never above what is still due)."""

    instalment = models.ForeignKey(
        Instalment, verbose_name=_("instalment"), on_delete=models.PROTECT, related_name="payments"
    )
    received_at = models.DateField(_("received on"))
    amount = MoneyField(_("amount (CNY)"))
    #: R21: the contract's owner and team when the money came in.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    owner_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        indexes = [
            # R21 collections per person / team / org for a period, covering like the instalments' ones.
            models.Index(fields=["is_active", "received_at", "owner", "amount"], name="payment_received_owner"),
            models.Index(fields=["is_active", "received_at", "owner_team", "amount"], name="payment_received_team"),
            # the list in its order (newest receipt first)
            models.Index(fields=["-received_at", "-id"], name="payment_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.received_at} {self.amount}"
