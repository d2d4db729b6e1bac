"""Duplicates at entry (R15), in two tiers, and what the person entering may learn of them (R1).

- The same company: the same normalised name (``normalise.name_keys(...).exact``: width, case, spaces,
  script and legal form folded), phone number (the customer's or a contact's, extension left out) or
  unified social credit code → refused, 409 ``duplicate`` with ``duplicate_of``.
- A near match: the same name once the places that qualify it are left out (星河科技 and 星河科技（上海）,
  上海星河科技 and 星河科技（上海）), unless both name places and none in common (星河科技（北京） and
  星河科技（深圳） are two companies) → 409 ``possible_duplicate`` with ``candidates``; created when the
  person confirms (``confirm_new``), which the new customer's history records.

A customer outside the caller's scope (R1, ``Customer.objects.visible_to``) is described by its id, the
field that matched and its owner masked (张* of 华东二组), never its name, so that a rep who types any phone
number or credit code learns only that someone else follows that company and whom to ask (API.md).

Every entry path calls this module: the services (API, pages) one entry at a time, the sheet import for
a whole file at once (``find_existing``). Lookups use the indexed key columns only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.errors import Conflict
from salesops.customers.excel.bulk_load import any_of, key_chunk
from salesops.customers.excel.import_rows import chunked
from salesops.customers.models import Contact, Customer
from salesops.customers.normalise import NameKeys, credit_code_clean, name_keys, phone_key

#: The fields that identify a company, in the order a match on them is reported.
FIELDS = ("credit_code", "name", "phone")
MAX_CANDIDATES = 10
_NEAR_ROWS = 50  # rows read per base key: a common base (贸易) must not read the whole table


@dataclass(frozen=True)
class Match:
    """An active customer that an entry matches: on ``field`` (the entry's field: name, phone or
    credit_code), as the same company (``near`` False) or a near match of its name (``near`` True)."""

    customer_id: int
    name: str
    owner_id: int | None
    field: str
    near: bool = False


def mask_name(name: str) -> str:
    """张伟 → 张*: enough to ask a colleague, not enough to learn who owns a customer one cannot see."""
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def find_existing(
    *, names: Iterable[NameKeys] = (), phones: Iterable[str] = (), credit_codes: Iterable[str] = (),
    exclude_id: int | None = None, near: bool = True,
) -> dict[tuple[str, str], list[Match]]:
    """Active customers holding any of the keys, by (field, key) → matches (the key of a name is its
    ``exact`` key). Near matches of each name are listed under ("name", exact) after the same-name ones,
    at most ``MAX_CANDIDATES``. Phones and credit codes are keys already (``phone_key``,
    ``credit_code_clean``). One pass over the table per chunk of keys, and one over the contacts."""
    wanted = {
        "name": {keys.exact for keys in names if keys.exact},
        "phone": {phone for phone in phones if phone},
        "credit_code": {code for code in credit_codes if code},
    }
    bases: dict[str, list[NameKeys]] = {}
    for keys in names:
        if near and keys.base:
            bases.setdefault(keys.base, []).append(keys)
    found: dict[tuple[str, str], list[Match]] = {}
    active = Customer.objects.filter(is_active=True)
    if exclude_id is not None:
        active = active.exclude(pk=exclude_id)
    size = key_chunk()
    columns = {"name": "name_key", "phone": "phone_key", "credit_code": "credit_code"}
    parts = {field: list(chunked(wanted[field], max(1, size // 3))) for field in columns}
    for index in range(max(len(chunks) for chunks in parts.values())):
        condition = Q()
        for field, chunks in parts.items():
            if index < len(chunks):
                condition |= any_of(columns[field], chunks[index])
        rows = active.filter(condition).order_by("pk")
        for pk, name, owner_id, name_key, phone, code in rows.values_list(
            "pk", "name", "owner_id", "name_key", "phone_key", "credit_code"
        ):
            for field, value in (("name", name_key), ("phone", phone), ("credit_code", code)):
                if value and value in wanted[field]:
                    found.setdefault((field, value), []).append(Match(pk, name, owner_id, field))
    for part in chunked(wanted["phone"], size):
        contacts = Contact.objects.filter(any_of("phone_key", part), is_active=True, customer__is_active=True)
        if exclude_id is not None:
            contacts = contacts.exclude(customer_id=exclude_id)
        for key, pk, name, owner_id in contacts.order_by("customer_id").values_list(
            "phone_key", "customer_id", "customer__name", "customer__owner_id"
        ):
            matches = found.setdefault(("phone", key), [])
            if all(match.customer_id != pk for match in matches):
                matches.append(Match(pk, name, owner_id, "phone"))
    for part in chunked(bases, size):
        rows = active.filter(any_of("name_base_key", part)).order_by("pk")
        for pk, name, base in rows.values_list("pk", "name", "name_base_key")[: _NEAR_ROWS * len(part)]:
            theirs = name_keys(name)
            for keys in bases.get(base, []):
                matches = found.setdefault(("name", keys.exact), [])
                if keys.near(theirs) and sum(match.near for match in matches) < MAX_CANDIDATES:
                    matches.append(Match(pk, name, None, "name", near=True))
    _owners_of_near(found)
    return found


def _owners_of_near(found: dict[tuple[str, str], list[Match]]) -> None:
    """Near matches are read without their owner (most are dropped); the kept ones get it here."""
    ids = {match.customer_id for matches in found.values() for match in matches if match.near}
    if not ids:
        return
    owners = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "owner_id"))
    for key, matches in found.items():
        found[key] = [
            Match(m.customer_id, m.name, owners.get(m.customer_id), m.field, True) if m.near else m for m in matches
        ]


def describe(matches: Iterable[Match], *, by: User) -> dict[int, dict[str, Any]]:
    """What ``by`` may learn of each matched customer, by id: in scope its id, name and owner; outside
    its id, the field that matched and the owner masked with the owner's team (R1, API.md)."""
    matches = list(matches)
    ids = {match.customer_id for match in matches}
    visible: set[int] = set()
    for part in chunked(ids, key_chunk()):
        visible.update(Customer.objects.visible_to(by).filter(pk__in=part).values_list("pk", flat=True))
    owner_ids = {match.owner_id for match in matches if match.owner_id is not None}
    owners: dict[int, User] = {}
    for part in chunked(owner_ids, key_chunk()):
        owners.update((user.pk, user) for user in User.objects.filter(pk__in=part).select_related("team"))
    described: dict[int, dict[str, Any]] = {}
    for match in matches:
        owner = owners.get(match.owner_id) if match.owner_id is not None else None
        if match.customer_id in visible:
            described[match.customer_id] = {
                "id": match.customer_id, "field": match.field, "name": match.name, "visible": True,
                "owner_name": str(owner) if owner else None,
            }
        else:
            described[match.customer_id] = {
                "id": match.customer_id, "field": match.field, "visible": False,
                "owner_name": mask_name(str(owner)) if owner else None,
                "owner_team": owner.team.name if owner and owner.team else None,
            }
    return described


def duplicate_message(description: dict[str, Any]) -> str:
    """The sentence for a person: the customer's name in scope; outside it the field, the masked owner and
    whom to ask."""
    if description["visible"]:
        return _("This customer exists already: %(name)s.") % {"name": description["name"]}
    field = {
        "name": _("company name"), "phone": _("phone"), "credit_code": _("unified social credit code"),
    }[description["field"]]
    return _(
        "A customer with this %(field)s is already followed by %(owner)s of %(team)s, outside your scope. "
        "Ask your team lead to settle who follows it up."
    ) % {"field": field, "owner": description["owner_name"] or "—", "team": description["owner_team"] or "—"}


def check_entry(
    *, by: User, name: str = "", phone: str = "", credit_code: str = "", exclude_id: int | None = None,
    confirm_new: bool = False, near: bool = True,
) -> list[int]:
    """Refuse an entry (a new customer, or a change of its name, phone or credit code) that is the same
    company as an active customer (``Conflict`` ``duplicate``), or warn of near matches of its name
    (``Conflict`` ``possible_duplicate``) unless ``confirm_new``. Returns the ids of the near matches
    confirmed, for the history. The fields are as the services cleaned them."""
    keys = name_keys(name) if name else None
    phone_normal = phone_key(phone) if phone else ""
    code = credit_code_clean(credit_code) if credit_code else ""
    found = find_existing(
        names=[keys] if keys else [], phones=[phone_normal], credit_codes=[code], exclude_id=exclude_id, near=near,
    )
    entered = {"name": keys.exact if keys else "", "phone": phone_normal, "credit_code": code}
    for field in FIELDS:
        same = [m for m in found.get((field, entered[field]), []) if not m.near] if entered[field] else []
        if same:
            description = describe(same[:1], by=by)[same[0].customer_id]
            raise Conflict(duplicate_message(description), code="duplicate", extra={"duplicate_of": description})
    candidates = [m for m in found.get(("name", entered["name"]), []) if m.near]
    if not candidates or confirm_new:
        return [m.customer_id for m in candidates]
    described = describe(candidates, by=by)
    raise Conflict(
        _("A customer with a similar name exists already. Check the list; if this is another company, "
          "create it anyway."),
        code="possible_duplicate",
        extra={"candidates": [described[m.customer_id] for m in candidates]},
    )
