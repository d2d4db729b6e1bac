"""Writes on deals 商机 (R13, R14): create and edit with their lines, move through the stages, lose, reopen;
the stage probabilities and loss reasons an admin keeps. Winning is ``deals.winning``.

A deal is acted on by whoever sees it (R1: its owner, the people who manage the owner, an admin): a row
outside the caller's scope is ``NotFound``. Writes lock the row and check the ``version`` the editor read
(409 ``stale``); a won or lost deal changes only by a reopen, which only someone who manages its owner may
do, with a reason kept in the deal's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, User
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.money import CENT, MoneyError, parse_money
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update
from salesops.customers.models import Customer
from salesops.deals.models import Deal, DealLine, DealStatus, LossReason, Stage, StageProbability

#: The manual's default probabilities, for a database whose admin removed a stage's row.
DEFAULT_PROBABILITY = {Stage.CONTACT: 10, Stage.NEEDS: 30, Stage.PROPOSAL: 50, Stage.NEGOTIATION: 70}
QUANTITY_MAX = Decimal("9999999999.99")
TITLE_MAX = 120
PRODUCT_MAX = 120
NOTE_MAX = 500
MAX_LINES = 100


def stage_probability(stage: str) -> int:
    """The default win probability (%) of ``stage`` as the admin set it."""
    found = StageProbability.objects.filter(stage=stage).values_list("probability", flat=True).first()
    return found if found is not None else DEFAULT_PROBABILITY[Stage(stage)]


def closed_error(deal: Deal) -> Conflict:
    if deal.status == DealStatus.WON:
        return Conflict(_("This deal is won; it changes only when its lead reopens it."), code="deal_won")
    return Conflict(_("This deal is lost; it changes only when its lead reopens it."), code="deal_lost")


def locked_deal(deal: Deal, by: User, version: int | None) -> Deal:
    """The deal locked for this transaction, if the caller sees it (R1), checked against ``version``."""
    return locked_for_update(Deal.objects.visible_to(by), pk=deal.pk, expected=version)


def _open_locked(deal: Deal, by: User, version: int | None) -> Deal:
    row = locked_deal(deal, by, version)
    if row.status != DealStatus.OPEN:
        raise closed_error(row)
    return row


def _title(value: Any) -> str:
    title = " ".join(str(value or "").split())
    if not title:
        raise Invalid(fields={"title": _("Give the deal a title.")})
    if len(title) > TITLE_MAX:
        raise Invalid(fields={"title": _("A title has at most %(count)d characters.") % {"count": TITLE_MAX}})
    return title


def money_value(value: Any, field: str = "amount", *, positive: bool = False) -> Decimal:
    try:
        return parse_money(value, positive=positive)
    except MoneyError as exc:
        raise Invalid(fields={field: exc.message}) from None


def _probability(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise Invalid(fields={"probability": _("A probability is a whole number from 0 to 100.")})
    return value


def _stage(value: Any) -> str:
    if value not in Stage.values:
        raise Invalid(fields={"stage": _("Choose a stage from the list.")})
    return str(value)


def _expected_close(value: Any) -> dt.date | None:
    if value is not None and not isinstance(value, dt.date):
        raise Invalid(fields={"expected_close": _("Give the expected close as a date.")})
    return value


def _quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value).strip()) if not isinstance(value, bool | float) else Decimal("NaN")
    except InvalidOperation:
        quantity = Decimal("NaN")
    if not quantity.is_finite() or quantity <= 0 or quantity > QUANTITY_MAX or quantity != quantity.quantize(CENT):
        raise Invalid(fields={"lines": _("A quantity is a number above 0 with at most 2 decimals.")})
    return quantity.quantize(CENT)


def clean_lines(lines: Iterable[Mapping[str, Any]]) -> tuple[list[DealLine], Decimal]:
    """Line items as unsaved rows and the deal amount they make (the sum of quantity × unit price, to the fen)."""
    rows: list[DealLine] = []
    total = Decimal("0.00")
    for position, line in enumerate(lines):
        if position >= MAX_LINES:
            raise Invalid(fields={"lines": _("A deal has at most %(count)d lines.") % {"count": MAX_LINES}})
        product = " ".join(str(line.get("product") or "").split())
        if not product or len(product) > PRODUCT_MAX:
            raise Invalid(fields={"lines": _("Each line names its product (at most 120 characters).")})
        quantity = _quantity(line.get("quantity"))
        unit_price = money_value(line.get("unit_price"), "lines")
        rows.append(DealLine(product=product, quantity=quantity, unit_price=unit_price, position=position))
        total += (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    return rows, money_value(total)


def _owner_for(*, by: User, customer: Customer, owner: User | None) -> User:
    """The deal's owner: the customer's owner unless given; a rep enters deals for themselves only, a manager
    for someone they manage (R1)."""
    if owner is None:
        if customer.owner is None:
            raise Invalid(fields={"customer": _("Claim this customer from the pool before entering a deal.")})
        owner = customer.owner
    if not owner.is_active:
        raise Invalid(fields={"owner": _("The owner must be an active person.")})
    if owner.pk != by.pk and not scope_of(by).manages(owner):
        if by.role == Role.REP:
            raise Invalid(fields={"owner": _("A rep enters deals for themselves only.")})
        raise Invalid(fields={"owner": _("The owner must be someone in your teams.")})
    return owner


def deal_save(deal: Deal, by: User, reason: str = "") -> None:
    deal._history_user = by  # type: ignore[attr-defined]
    if reason:
        deal._change_reason = reason[:NOTE_MAX]  # type: ignore[attr-defined]
    deal.save()


def _replace_lines(deal: Deal, rows: list[DealLine]) -> None:
    deal.lines.filter(is_active=True).update(is_active=False)
    for row in rows:
        row.deal = deal
    DealLine.objects.bulk_create(rows)


def _amount_from(fields: Mapping[str, Any], lines: Iterable[Mapping[str, Any]] | None) -> tuple[
    list[DealLine] | None, Decimal | None
]:
    """The lines (when given) and the amount: the lines' sum, which an amount sent with them must equal."""
    if lines is None:
        return None, money_value(fields["amount"]) if "amount" in fields else None
    rows, total = clean_lines(lines)
    if not rows:
        return rows, money_value(fields["amount"]) if "amount" in fields else None
    if "amount" in fields and fields["amount"] is not None and money_value(fields["amount"]) != total:
        raise Invalid(fields={"amount": _("The amount is the sum of the lines: %(total)s.") % {"total": total}})
    return rows, total


@transaction.atomic
def deal_create(
    *,
    by: User,
    customer: Customer,
    title: str,
    amount: Decimal | str | int | None = None,
    stage: str = Stage.CONTACT,
    probability: int | None = None,
    expected_close: dt.date | None = None,
    owner: User | None = None,
    lines: Iterable[Mapping[str, Any]] | None = None,
) -> Deal:
    """A new open deal of a customer the caller sees (else ``NotFound``, R1), owned by the customer's owner
    unless given; with lines its amount is their sum; the stage's default probability unless given."""
    visible = Customer.objects.visible_to(by).filter(pk=customer.pk, is_active=True).select_related("owner").first()
    if visible is None:
        raise NotFound(_("No such customer."))
    fields: dict[str, Any] = {} if amount is None else {"amount": amount}
    rows, total = _amount_from(fields, lines)
    if total is None:
        raise Invalid(fields={"amount": _("Give the amount, or the lines it adds up from.")})
    stage = _stage(stage)
    deal = Deal(
        customer=visible,
        title=_title(title),
        amount=total,
        stage=stage,
        probability=stage_probability(stage) if probability is None else _probability(probability),
        expected_close=_expected_close(expected_close),
        owner=_owner_for(by=by, customer=visible, owner=owner),
        created_by=by,
    )
    deal_save(deal, by)
    if rows:
        _replace_lines(deal, rows)
    return deal


EDITABLE = ("title", "amount", "probability", "expected_close")


@transaction.atomic
def deal_update(
    *,
    deal: Deal,
    by: User,
    version: int | None = None,
    lines: Iterable[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Deal:
    """Change an open deal's title, amount (or lines), probability, expected close. The stage moves with
    ``deal_stage_change``, the owner with the customer (R15)."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise Invalid(fields={name: _("This field is not changed here.") for name in unknown})
    row = _open_locked(deal, by, version)
    rows, total = _amount_from(fields, lines)
    if "title" in fields:
        row.title = _title(fields["title"])
    if total is not None:
        row.amount = total
    if "probability" in fields:
        row.probability = _probability(fields["probability"])
    if "expected_close" in fields:
        row.expected_close = _expected_close(fields["expected_close"])
    deal_save(row, by)
    if rows is not None:
        _replace_lines(row, rows)
    return row


@transaction.atomic
def deal_stage_change(
    *, deal: Deal, by: User, stage: str, probability: int | None = None, version: int | None = None
) -> Deal:
    """Move an open deal to ``stage``, taking the stage's default probability unless one is given; a won
    or lost deal is refused (409)."""
    row = _open_locked(deal, by, version)
    stage = _stage(stage)
    if stage != row.stage:
        row.stage = stage
        row.probability = stage_probability(stage) if probability is None else _probability(probability)
    elif probability is not None:
        row.probability = _probability(probability)
    deal_save(row, by)
    return row


@transaction.atomic
def deal_lose(
    *, deal: Deal, by: User, reason: LossReason | int | None, note: str = "", version: int | None = None
) -> Deal:
    """R13: lose an open deal, with a reason from the admin's list and free text."""
    row = _open_locked(deal, by, version)
    reason_pk = reason.pk if isinstance(reason, LossReason) else reason
    found = LossReason.objects.filter(pk=reason_pk, is_active=True).first() if reason_pk else None
    if found is None:
        raise Invalid(fields={"reason": _("Choose why the deal was lost from the list.")})
    row.status = DealStatus.LOST
    row.lost_reason = found
    row.lost_note = str(note or "").strip()[:NOTE_MAX]
    row.closed_at = timezone.now()
    deal_save(row, by, f"{found.name} {row.lost_note}".strip())
    return row


@transaction.atomic
def deal_reopen(*, deal: Deal, by: User, reason: str, version: int | None = None) -> Deal:
    """R13: a won or lost deal back to open, only by someone who manages its owner (its lead, their director,
    an admin), with a reason kept in the history. Past figures drop it until it is won again (R21); its
    contract and post-win tasks stay and a second win reuses them."""
    row = locked_deal(deal, by, version)
    if row.status == DealStatus.OPEN:
        raise Conflict(_("This deal is open already."), code="deal_open")
    if not scope_of(by).manages(row.owner_id):
        raise PermissionDenied(_("Only the owner's lead reopens a deal."))
    text = " ".join(str(reason or "").split())[:NOTE_MAX]
    if not text:
        raise Invalid(fields={"reason": _("Say why the deal is reopened.")})
    row.status = DealStatus.OPEN
    row.signed_at = None
    row.won_by = None
    row.won_team = None
    row.is_repurchase = False
    row.lost_reason = None
    row.lost_note = ""
    row.closed_at = None
    deal_save(row, by, text)
    return row


@transaction.atomic
def stage_probability_set(*, by: User, stage: str, probability: int) -> StageProbability:
    """An admin sets a stage's default probability; deals already in the stage keep theirs."""
    if by.role != Role.ADMIN:
        raise PermissionDenied(_("Only an admin changes the stage probabilities."))
    row, _created = StageProbability.objects.select_for_update().get_or_create(
        stage=_stage(stage), defaults={"probability": _probability(probability)}
    )
    row.probability = _probability(probability)
    row._history_user = by  # type: ignore[attr-defined]
    row.save()
    return row
