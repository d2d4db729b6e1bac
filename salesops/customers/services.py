"""Writes on customers and contacts (R8, R9, R12, R15). Every change keeps who, when, old and new through
simple-history (bulk paths too); duplicates are refused at entry; nothing is hard-deleted."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from salesops.accounts.models import Role, User
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update
from salesops.customers import hooks
from salesops.customers.duplicates import check_entry
from salesops.customers.models import (
    CompanySize,
    Contact,
    Customer,
    CustomerSearchTerm,
    Grade,
    OwnershipEvent,
    Status,
    Tag,
)
from salesops.customers.normalise import credit_code_clean, name_keys, phone_key, search_words

TEXT_FIELDS = {"address": 200, "industry": 40, "decision_maker_role": 40, "focus": 40}
INTENT_GRADES = (Grade.A, Grade.B)


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Checks and tidies the plain fields; raises ``Invalid`` naming each bad field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "name" in fields:
        name = " ".join(str(fields["name"] or "").split())
        if not name:
            errors["name"] = _("Enter the company name.")
        elif len(name) > 120:
            errors["name"] = _("A company name has at most 120 characters.")
        clean["name"] = name
    for field, limit in TEXT_FIELDS.items():
        if field in fields:
            clean[field] = str(fields[field] or "").strip()[:limit]
    for field, cleaner in (("phone", phone_key), ("credit_code", credit_code_clean)):
        if field in fields:
            raw = str(fields[field] or "").strip()
            try:
                normal = cleaner(raw)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
                continue
            clean[field] = normal if field == "credit_code" else raw[:30]
    if "company_size" in fields:
        size = fields["company_size"] or ""
        if size and size not in CompanySize.values:
            errors["company_size"] = _("Choose a company size from the list.")
        clean["company_size"] = size
    if "status" in fields:
        if fields["status"] not in Status.values:
            errors["status"] = _("Choose a status from the list.")
        clean["status"] = fields["status"]
    if "budget" in fields:
        try:
            budget = None if fields["budget"] in (None, "") else Decimal(str(fields["budget"]))
        except InvalidOperation:
            budget = Decimal(-1)
        if budget is not None and (not budget.is_finite() or budget < 0 or budget >= Decimal("1e12")):
            errors["budget"] = _("Enter a budget in CNY of 0 or more.")
        clean["budget"] = budget
    for field, bound in (("latitude", 90), ("longitude", 180)):
        if field in fields:
            try:
                value = None if fields[field] in (None, "") else Decimal(str(fields[field]))
            except InvalidOperation:
                value = Decimal(1000)
            if value is not None and (not value.is_finite() or abs(value) > bound):
                errors[field] = _("Enter degrees from -%(bound)d to %(bound)d.") % {"bound": bound}
            clean[field] = value
    if "grade" in fields:
        grade = fields["grade"] or None
        if grade is not None and grade not in Grade.values:
            errors["grade"] = _("A grade is A, B or C.")
        clean["grade"] = grade
    if "grade_reason" in fields:
        clean["grade_reason"] = str(fields["grade_reason"] or "").strip()[:200]
    if errors:
        raise Invalid(fields=errors)
    return clean


def customer_check(
    *, by: User, customer: Customer | None = None, confirm_new: bool = False, **fields: Any
) -> None:
    """Raise what ``customer_create`` or ``customer_update`` would raise for these fields, saving nothing
    (for forms that show the errors before they save)."""
    clean = _clean_fields(fields)
    if customer is not None and clean.get("grade") != customer.grade and not clean.get("grade_reason"):
        raise Invalid(fields={"grade_reason": _("Say why the grade changes.")})
    check_entry(by=by, name=clean.get("name", ""), phone=clean.get("phone", ""),
                credit_code=clean.get("credit_code", ""), exclude_id=customer.pk if customer else None,
                confirm_new=confirm_new, near=customer is None)


def _set_keys(customer: Customer) -> None:
    """The duplicate keys (R15) of the name and phone as they are now."""
    keys = name_keys(customer.name)
    customer.name_key, customer.name_base_key = keys.exact, keys.base
    customer.phone_key = phone_key(customer.phone)


def _tags_named(names: Iterable[str]) -> list[Tag]:
    """Free tags (R9) by name, created on first use."""
    wanted = list(dict.fromkeys(n.strip()[:30] for n in names if n and n.strip()))
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=wanted)}
    return [existing.get(name) or Tag.objects.get_or_create(name=name)[0] for name in wanted]


def _check_owner(*, owner: User | None, by: User) -> None:
    """A rep keeps what they enter (or leaves it in the pool); managers give it to someone in their scope."""
    if owner is None:
        return
    if not owner.is_active:
        raise Invalid(fields={"owner": _("The owner must be an active person.")})
    if owner.pk == by.pk or scope_of(by).manages(owner):
        return
    if by.role == Role.REP:
        raise Invalid(fields={"owner": _("A rep can only enter customers for themselves or the pool.")})
    raise Invalid(fields={"owner": _("The owner must be someone in your teams.")})


def _set_tags(customer: Customer, wanted: list[Tag]) -> None:
    """Replace the free tags with one history record (R12), not one for the removal and one for the addition."""
    current = set(customer.tags.values_list("pk", flat=True))
    to_remove = current - {t.pk for t in wanted}
    to_add = [t for t in wanted if t.pk not in current]
    if to_remove and to_add:
        customer.skip_history_when_saving = True  # type: ignore[attr-defined]
        customer.tags.remove(*to_remove)
        del customer.skip_history_when_saving  # type: ignore[attr-defined]
    elif to_remove:
        customer.tags.remove(*to_remove)
    if to_add:
        customer.tags.add(*to_add)


def check_may_edit(*, customer: Customer, by: User) -> None:
    """The owner edits a customer, and so do the people who manage the owner; a pool customer any lead,
    director or admin (``customers.change_customer``). Outside the scope it does not exist (R1)."""
    if not Customer.objects.visible_to(by).filter(pk=customer.pk).exists():
        raise NotFound(_("No such customer."))
    if not by.has_perm("customers.change_customer", customer):
        raise PermissionDenied(_("Only the owner or a manager may change this customer."))


def index_terms(customer_ids: Iterable[int]) -> None:
    """Rebuild the search words (``normalise.search_words``: the name, its pinyin, the phones of the customer
    and of its active contacts) of these customers, after any change to any of them."""
    ids = list(customer_ids)
    customers = Customer.objects.filter(pk__in=ids).only("id", "name", "phone", "owner_id")
    phones: dict[int, list[str]] = {}
    for customer_id, phone in Contact.objects.filter(customer_id__in=ids, is_active=True).exclude(
        phone=""
    ).values_list("customer_id", "phone"):
        phones.setdefault(customer_id, []).append(phone)
    terms: list[CustomerSearchTerm] = []
    keys: list[Customer] = []
    for customer in customers:
        words = search_words(customer.name, [customer.phone, *phones.get(customer.pk, [])])
        customer.search_key = words.shown
        keys.append(customer)
        terms.extend(CustomerSearchTerm(customer_id=customer.pk, owner_id=customer.owner_id, term=term)
                     for term in words.terms)
    Customer.objects.bulk_update(keys, ["search_key"])
    CustomerSearchTerm.objects.filter(customer_id__in=ids).delete()
    CustomerSearchTerm.objects.bulk_create(terms)


def _apply_grade(customer: Customer, grade: str | None, reason: str) -> None:
    """R8: a grade change records when and why; the first A or B marks when the customer reached intent."""
    if not reason:
        raise Invalid(fields={"grade_reason": _("Say why the grade changes.")})
    now = timezone.now()
    customer.grade = grade
    customer.grade_reason = reason
    customer.graded_at = now if grade else None
    if grade in INTENT_GRADES and customer.intent_at is None:
        # R21: a new intent customer counts for its owner at this moment and that owner's team then
        customer.intent_at = now
        customer.intent_owner = customer.owner
        customer.intent_team_id = customer.owner.team_id if customer.owner else None
    if grade in INTENT_GRADES and customer.status == Status.LEAD:
        customer.status = Status.INTENT
    customer._change_reason = reason  # type: ignore[attr-defined]


@transaction.atomic
def customer_create(
    *, by: User, owner: User | Any | None = ..., tags: Iterable[str] = (), contacts: Iterable[dict[str, Any]] = (),
    confirm_new: bool = False, **fields: Any,
) -> Customer:
    """A new customer, owned by its creator unless given to someone else or left in the pool (R15). The same
    company is refused; a near match of its name is refused unless ``confirm_new``, and then the new
    customer's history says which customers it was confirmed against."""
    fields.setdefault("name", "")
    clean = _clean_fields(fields)
    grade = clean.pop("grade", None)
    reason = clean.pop("grade_reason", "")
    new_owner: User | None = by if owner is ... else owner
    _check_owner(owner=new_owner, by=by)
    confirmed = check_entry(by=by, name=clean["name"], phone=clean.get("phone", ""),
                            credit_code=clean.get("credit_code", ""), confirm_new=confirm_new)
    customer = Customer(**clean, owner=new_owner, created_by=by, created_owner=new_owner,
                        created_team_id=new_owner.team_id if new_owner else None)  # R21 new customers
    _set_keys(customer)
    if new_owner is None:
        customer.pooled_at = timezone.now()
    if grade:
        _apply_grade(customer, grade, reason or _("Graded on entry."))
    if confirmed:
        note = _("Created although customers with a similar name exist (%(ids)s): confirmed as another company.") % {
            "ids": ", ".join(f"#{pk}" for pk in confirmed[:5])}
        earlier = getattr(customer, "_change_reason", "")
        customer._change_reason = f"{note} {earlier}".strip()[:100]  # type: ignore[attr-defined]
    customer._history_user = by  # type: ignore[attr-defined]
    customer.save()
    _set_tags(customer, _tags_named(tags))
    OwnershipEvent.objects.create(customer=customer, kind=OwnershipEvent.Kind.CREATE, to_user=new_owner, by=by)
    for contact in contacts:
        contact_create(customer=customer, by=by, **contact)
    index_terms([customer.pk])
    hooks.changed([customer.pk], "created")
    customer.refresh_from_db()
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, by: User, tags: Iterable[str] | None = None, version: int | None = None, **fields: Any
) -> Customer:
    """Change what the owner knows of a customer (R12); a grade change needs a reason (R8) and resets
    the cadence (R10). Ownership changes go through the pool services, not here. ``version`` is the one
    the editor read: an older one is refused (``Conflict`` ``stale``), so no edit silently undoes another."""
    check_may_edit(customer=customer, by=by)
    customer = locked_for_update(Customer.objects.all(), pk=customer.pk, expected=version)
    clean = _clean_fields(fields)
    grade_changes = "grade" in clean and clean["grade"] != customer.grade
    grade = clean.pop("grade", customer.grade)
    reason = clean.pop("grade_reason", "")
    if any(f in clean for f in ("name", "phone", "credit_code")):
        check_entry(
            by=by, name=clean.get("name", ""), phone=clean.get("phone", ""),
            credit_code=clean.get("credit_code", ""), exclude_id=customer.pk, near=False,
        )
    for field, value in clean.items():
        setattr(customer, field, value)
    if grade_changes:
        _apply_grade(customer, grade, reason)
    elif reason:
        customer.grade_reason = reason
    _set_keys(customer)
    customer._history_user = by  # type: ignore[attr-defined]
    customer.save()
    if tags is not None:
        _set_tags(customer, _tags_named(tags))
    index_terms([customer.pk])
    if grade_changes:
        hooks.changed([customer.pk], "grade")
    customer.refresh_from_db()
    return customer


@transaction.atomic
def customer_deactivate(*, customer: Customer, by: User) -> Customer:
    """Soft delete: the customer leaves every list, its history and follow-ups stay."""
    check_may_edit(customer=customer, by=by)
    customer.is_active = False
    customer._history_user = by  # type: ignore[attr-defined]
    customer.save(update_fields=["is_active", "updated_at"])
    return customer


def customer_mark_won(*, customer: Customer, by: User) -> Customer:
    """R13: a customer with a won deal is a won customer (the deal's win calls this inside its transaction,
    having checked the deal is the caller's to win). Locks the customer row, which also queues two wins of
    the same customer so that the second one sees the first (R14 repurchase)."""
    row = Customer.objects.select_for_update().get(pk=customer.pk)
    if row.status != Status.WON:
        row.status = Status.WON
        row._history_user = by  # type: ignore[attr-defined]
        row._change_reason = _("A deal was won.")  # type: ignore[attr-defined]
        row.save(update_fields=["status", "updated_at"])
    return row


def _clean_contact(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "name" in fields:
        clean["name"] = str(fields["name"] or "").strip()[:50]
        if not clean["name"]:
            errors["name"] = _("Enter the contact's name.")
    for field, limit in (("title", 50), ("wechat", 50), ("email", 254)):
        if field in fields:
            clean[field] = str(fields[field] or "").strip()[:limit]
    if "phone" in fields:
        clean["phone"] = str(fields["phone"] or "").strip()[:30]
        try:
            clean["phone_key"] = phone_key(clean["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.message_dict["phone"][0]
    if "decision_role" in fields:
        if fields["decision_role"] not in Contact.DecisionRole.values:
            errors["decision_role"] = _("Choose a role in the decision from the list.")
        clean["decision_role"] = fields["decision_role"]
    if "is_primary" in fields:
        clean["is_primary"] = bool(fields["is_primary"])
    if errors:
        raise Invalid(fields=errors)
    return clean


@transaction.atomic
def contact_create(*, customer: Customer, by: User, **fields: Any) -> Contact:
    check_may_edit(customer=customer, by=by)
    fields.setdefault("name", "")
    contact = Contact(customer=customer, **_clean_contact(fields))
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    index_terms([customer.pk])
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by: User, version: int | None = None, **fields: Any) -> Contact:
    """Change a contact (R12); ``version`` as for ``customer_update``."""
    check_may_edit(customer=contact.customer, by=by)
    contact = locked_for_update(Contact.objects.select_related("customer"), pk=contact.pk, expected=version)
    for field, value in _clean_contact(fields).items():
        setattr(contact, field, value)
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    index_terms([contact.customer_id])
    return contact


@transaction.atomic
def contact_deactivate(*, contact: Contact, by: User) -> Contact:
    check_may_edit(customer=contact.customer, by=by)
    contact.is_active = False
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save(update_fields=["is_active"])
    index_terms([contact.customer_id])
    return contact


@transaction.atomic
def customer_merge(*, survivor: Customer, other: Customer, by: User) -> Customer:
    """Two records of one company become one (R15): contacts, ownership events and tags move to the
    survivor, and so do the other apps' records (follow-ups, ...) through ``hooks.customer_merged``; blank
    fields of the survivor are filled from the other, and the other is kept, inactive, pointing at the
    survivor. Leads, directors and admins only, both customers in scope."""
    if not by.has_perm("customers.merge_customers"):
        raise PermissionDenied(_("Only team leads, directors and admins may merge customers."))
    visible = Customer.objects.visible_to(by)
    if visible.filter(pk__in=[survivor.pk, other.pk]).count() != len({survivor.pk, other.pk}):
        raise NotFound(_("No such customer."))
    if survivor.pk == other.pk:
        raise Invalid(fields={"other": _("A customer cannot be merged into itself.")})
    survivor, other = (Customer.objects.select_for_update().get(pk=c.pk) for c in (survivor, other))
    if not survivor.is_active or not other.is_active:
        raise Invalid(fields={"other": _("Only active customers can be merged.")})
    now = timezone.now()
    reason = _("Merged %(other)s (#%(id)d) into this customer.") % {"other": other.name, "id": other.pk}
    hooks.customer_merged.send(sender=Customer, survivor=survivor, other=other, by=by, reason=reason, at=now)
    contacts = list(Contact.objects.filter(customer=other))
    for contact in contacts:
        contact.customer_id = survivor.pk
    bulk_update_with_history(contacts, Contact, ["customer"], default_user=by, default_change_reason=reason,
                             default_date=now)
    OwnershipEvent.objects.filter(customer=other).update(customer=survivor)
    OwnershipEvent.objects.create(
        customer=survivor, kind=OwnershipEvent.Kind.MERGE, from_user=other.owner, to_user=survivor.owner, by=by,
        reason=reason[:200],
    )
    for field in ("phone", "credit_code", "address", "industry", "company_size", "decision_maker_role", "focus"):
        if not getattr(survivor, field) and getattr(other, field):
            setattr(survivor, field, getattr(other, field))
    for field in ("budget", "latitude", "longitude"):
        if getattr(survivor, field) is None and getattr(other, field) is not None:
            setattr(survivor, field, getattr(other, field))
    if other.intent_at is not None and (survivor.intent_at is None or other.intent_at < survivor.intent_at):
        # the company reached intent when either record first did (R8), credited as it was then (R21)
        survivor.intent_at, survivor.intent_owner_id, survivor.intent_team_id = (
            other.intent_at, other.intent_owner_id, other.intent_team_id)
    survivor.phone_key = phone_key(survivor.phone)
    survivor._history_user = by  # type: ignore[attr-defined]
    survivor._change_reason = reason  # type: ignore[attr-defined]
    survivor.save()
    other_tags = list(other.tags.all())
    if other_tags:
        survivor.tags.add(*other_tags)
    other.merged_into = survivor
    other.is_active = False
    other._history_user = by  # type: ignore[attr-defined]
    other._change_reason = reason  # type: ignore[attr-defined]
    other.save(update_fields=["merged_into", "is_active", "updated_at"])
    index_terms([survivor.pk, other.pk])
    hooks.changed([survivor.pk], "merged")
    survivor.refresh_from_db()
    return survivor
