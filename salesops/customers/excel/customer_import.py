"""Customer import from a sheet (R26 with R8, R9, R12, R15), all or nothing.

``customers_import(file=..., by=user, dry_run=True)`` reads an xlsx, xls, ods or csv sheet (core.sheets:
recognised by content; csv in UTF-8, UTF-8 with BOM or GBK), checks every row as the customer services would
(company name, phone and credit code through ``salesops.customers.normalise``; duplicates against the
database AND within the file, R15) and reports each problem with its row and column. With ``dry_run=False``
it checks again and, only when no row has a problem, creates everything in ONE transaction: customers and
contacts with their history (R12, the rows ``bulk_create_with_history`` would write), tags, ownership
events, search terms and the cadence (R10).

A check that passes is kept (``kept_checks``, keyed by the person and the file's SHA-256): the import of
that same file then skips reading and checking the cells, and redoes only what may have changed in the
meantime, the duplicate lookups (R15) and who may own the rows (R1). When either finds a problem, or
nothing was kept, the import checks the whole sheet again and reports as the check does.

Everything is done in bulk (``bulk_load``; docs/performance-notes.md, "Sheet import in bulk"). The
follow-up sheet (客户跟进记录表) is imported by ``salesops.followups.excel`` with the same ``import_rows``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, User
from salesops.core.clock import local_today
from salesops.core.sheets import file_digest
from salesops.customers import duplicates, hooks
from salesops.customers.excel.bulk_load import (
    bulk_cache,
    copy_history,
    insert_rows,
    paused_gc,
    reserve_ids,
    write_sorted,
)
from salesops.customers.excel.import_rows import BATCH, ImportReport, RowIssue, check_cells, chunked, read_rows
from salesops.customers.excel.kept_checks import import_check_keep, import_check_take
from salesops.customers.models import (
    CompanySize,
    Contact,
    Customer,
    CustomerSearchTerm,
    Grade,
    ImportBatch,
    OwnershipEvent,
    Status,
    Tag,
)
from salesops.customers.normalise import NameKeys, credit_code_clean, name_keys, phone_key, search_words

POOL_WORDS = {"公海", "pool"}
CHECK_KIND = "customers"
CHECK_FORMAT = 3  # the kept rows' shape; a check kept by an older version is not used

# Column key → accepted headers (lower case compared); the first is the template's.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("客户名称", "公司名称", "name"),
    "contact": ("联系人", "contact"),
    "title": ("职务", "title"),
    "phone": ("电话/手机", "电话", "手机", "phone"),
    "wechat": ("微信", "wechat"),
    "email": ("邮箱", "email"),
    "industry": ("行业", "industry"),
    "company_size": ("企业规模", "company_size"),
    "decision_maker_role": ("决策人", "decision_maker_role"),
    "budget": ("预算", "budget"),
    "focus": ("关注点", "focus"),
    "tags": ("标签", "tags"),
    "grade": ("客户等级", "grade"),
    "grade_reason": ("评级原因", "grade_reason"),
    "address": ("地址", "address"),
    "credit_code": ("统一社会信用代码", "credit_code"),
    "owner": ("负责人", "owner"),
}
EXAMPLE_ROW = [
    "上海星辰精密制造有限公司", "刘强", "采购经理", "13812345678", "liuqiang_sh", "liuqiang@example.com", "制造业",
    "中小型", "采购经理", "50万", "性价比", "展会线索、老客户推荐", "B", "预算已批，三个月内采购",
    "上海市浦东新区张江路 88 号", "91310115MA1K3YJ12G", "",
]
SIZE_WORDS = {
    "微型": CompanySize.MICRO, "微型企业": CompanySize.MICRO, "小微企业": CompanySize.MICRO,
    "中小型": CompanySize.SMALL, "中小型企业": CompanySize.SMALL, "中小企业": CompanySize.SMALL,
    "大型": CompanySize.LARGE, "大型企业": CompanySize.LARGE,
    "集团": CompanySize.GROUP, "集团公司": CompanySize.GROUP, "集团企业": CompanySize.GROUP,
    **{value: value for value in CompanySize.values},
}
TEXT_LIMITS = {"industry": 40, "decision_maker_role": 40, "focus": 40, "address": 200, "grade_reason": 200,
               "contact": 50, "title": 50, "wechat": 50}
TAG_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
MONEY_RE = re.compile(r"^(\d+(?:\.\d+)?)(万|亿)?元?$")
UNITS = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
GRADES = frozenset(Grade.values)


def parse_money(text: str) -> Decimal:
    """50万 → 500000, 1,200,000 → 1200000, ¥3.5万元 → 35000; ValueError for anything else."""
    compact = re.sub(r"[\s,，¥￥]", "", text).upper().removesuffix("RMB").removesuffix("CNY")
    found = MONEY_RE.match(compact)
    if found is None:
        raise ValueError(text)
    try:
        amount = (Decimal(found.group(1)) * UNITS[found.group(2) or ""]).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if amount >= Decimal("1e12"):
        raise ValueError(text)
    return amount


def _field_message(exc: ValidationError) -> str:
    return " ".join(message for messages in exc.message_dict.values() for message in messages)


class _NameableOwners:
    """Who the importer may name in 负责人 (R1, R15): themselves; leads, directors and admins anyone active
    in their scope who holds customers (rep or lead); admins also the pool (公海)."""

    def __init__(self, by: User, cells: set[str]) -> None:
        self.by = by
        names = {cell for cell in cells if cell and cell.lower() not in POOL_WORDS}
        people = self.eligible(by).filter(Q(username__in=names) | Q(display_name__in=names))
        self.by_login = {user.username.lower(): user for user in people}
        self.by_name: dict[str, list[User]] = {}
        for user in people:
            self.by_name.setdefault(user.display_name, []).append(user)

    @staticmethod
    def eligible(by: User) -> QuerySet[User]:
        """The people ``by`` may name as owner, besides themselves (an empty cell)."""
        people = User.objects.filter(is_active=True)
        if by.role == Role.REP:
            return people.filter(pk=by.pk)
        return people.visible_to(by).filter(role__in=(Role.REP, Role.LEAD))

    @classmethod
    def still_allowed(cls, by: User, owner_ids: set[int | None]) -> bool:
        """Whether ``by`` may still give customers to each of ``owner_ids`` (None: the pool), as ``find`` decides."""
        if None in owner_ids and not by.is_admin:
            return False
        others = {pk for pk in owner_ids if pk is not None and pk != by.pk}
        found = sum(cls.eligible(by).filter(pk__in=part).count() for part in chunked(others))
        return by.is_active and found == len(others)

    def find(self, cell: str) -> User | None:
        if not cell:
            return self.by
        if cell.lower() in POOL_WORDS:
            if not self.by.is_admin:
                raise ValueError(_("Only an admin may import customers into the public pool."))
            return None
        user = self.by_login.get(cell.lower())
        if user is not None:
            return user
        named = self.by_name.get(cell, [])
        if len(named) > 1:
            raise ValueError(_("Several people are called %(name)s: enter the login name.") % {"name": cell})
        if not named:
            raise ValueError(_("%(name)s is not a rep or lead you may give customers to.") % {"name": cell})
        return named[0]


KEY_COLUMNS = (("name", "name_key"), ("phone", "phone_key"), ("credit_code", "credit_code"))


def _existing_duplicates(
    by: User, names: list[NameKeys], keys: dict[str, set[str]], *, near: bool = True
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Active customers that are the same company as a row's key, by (kind, key), and near matches of a
    row's name, by its exact key, each described as ``duplicates.describe`` lets ``by`` see them (R1):
    the same function and the same masking as an entry on the page or through the API (R15)."""
    found = duplicates.find_existing(names=names, phones=keys["phone"], credit_codes=keys["credit_code"], near=near)
    described = duplicates.describe((match for matches in found.values() for match in matches), by=by)
    same: dict[tuple[str, str], dict[str, Any]] = {}
    similar: dict[str, list[dict[str, Any]]] = {}
    for (kind, key), matches in found.items():
        exact = [match for match in matches if not match.near]
        if exact:
            same[(kind, key)] = described[exact[0].customer_id] | {"field": kind}
        near_ones = [described[match.customer_id] for match in matches if match.near]
        if near_ones:
            similar[key] = near_ones
    return same, similar


@transaction.atomic
def customers_import(
    *, file: IO[bytes], by: User, dry_run: bool, expected_digest: str | None = None, skip_duplicates: bool = False
) -> ImportReport:
    """Check a customer sheet and, unless ``dry_run``, create all of it or nothing (R26).

    File-level problems raise ``sheets.SheetError`` (413 too large, 415 not a sheet, 400 unreadable).
    ``expected_digest`` (from the check) makes the commit refuse any other file than the one checked.
    ``skip_duplicates`` leaves out the rows that are duplicates (R15: of a customer on record or of an
    earlier row) instead of refusing the sheet; they are listed in ``report.skipped``. A commit is recorded
    as an ``ImportBatch`` (``report.batch``).
    """
    with paused_gc(), bulk_cache():
        report = None if dry_run else _import_checked(file, by, expected_digest, skip_duplicates)
        return report or _import_sheet(file, by, dry_run, expected_digest, skip_duplicates)


def _import_sheet(
    file: IO[bytes], by: User, dry_run: bool, expected_digest: str | None, skip_duplicates: bool
) -> ImportReport:
    """Read and check every cell; keep a passed check; unless ``dry_run``, create the rows."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(file, report, COLUMNS, required=("name",))
    if expected_digest is not None and expected_digest != report.digest:
        report.errors.append(RowIssue(None, "", _("This is not the file that was checked. Check it again.")))
    if rows is None or report.errors:
        return report
    _check_customers(rows, report, by)
    if skip_duplicates:
        _skip_duplicate_rows(rows, report)
    report.valid_rows = len(report.rows)
    if report.ok and dry_run:
        content = _check_to_keep(report, skip_duplicates)
        import_check_keep(user=by, kind=CHECK_KIND, digest=report.digest, content=content)
    if report.ok and not dry_run:
        _commit(report, report.rows, by)
    if not report.ok:
        report.rows = []
    return report


def _skip_duplicate_rows(rows: list[tuple[int, dict[str, str]]], report: ImportReport) -> None:
    """Move every row found to be a duplicate (R15) from the problems to ``report.skipped``, once per row
    with all its reasons; its other problems go with it, since it is not imported."""
    reasons: dict[int, list[str]] = {}
    for issue in report.errors:
        if issue.duplicate_of is not None and issue.row is not None:
            reasons.setdefault(issue.row, []).append(issue.message)
    names = {number: values.get("name", "") for number, values in rows}
    report.errors = [issue for issue in report.errors if issue.row not in reasons]
    report.skipped = [{"row": row, "name": names.get(row, ""), "reason": " ".join(dict.fromkeys(messages))}
                      for row, messages in sorted(reasons.items())]


def _commit(report: ImportReport, rows: list[dict[str, Any]], by: User) -> None:
    """Create the rows and record the import (``ImportBatch``: the moment its customers carry, the report)."""
    now = timezone.now()
    report.created = _create_customers(rows, by, now)
    report.batch = ImportBatch.objects.create(user=by, at=now, created=report.created, skipped=report.skipped).pk
    report.committed = True


def _import_checked(
    file: IO[bytes], by: User, expected_digest: str | None, skip_duplicates: bool
) -> ImportReport | None:
    """Create the rows of this person's kept check of this very file, after redoing the checks that depend
    on the database; None (nothing done) when there is no such check or one of those checks fails."""
    digest = file_digest(file)
    if expected_digest is not None and expected_digest != digest:
        return None
    kept = import_check_take(user=by, kind=CHECK_KIND, digest=digest)
    if kept is None or kept.get("format") != CHECK_FORMAT or kept["skip_duplicates"] != skip_duplicates:
        return None
    rows = [dict(zip(kept["fields"], values, strict=True)) for values in kept["rows"]]
    for row in rows:
        row["budget"] = None if row["budget"] is None else Decimal(row["budget"])
    keys = {kind: {row[column] for row in rows if row[column]} for kind, column in KEY_COLUMNS}
    names = [NameKeys(row["name_key"], row["name_base_key"], frozenset()) for row in rows]
    if not _NameableOwners.still_allowed(by, {row["owner_id"] for row in rows}):
        return None
    if _existing_duplicates(by, names, keys, near=False)[0]:
        return None
    report = ImportReport(
        kind=kept["kind"], digest=digest, dry_run=False, total_rows=kept["total_rows"], valid_rows=len(rows),
        notes=kept["notes"], columns=kept["columns"], skipped=kept["skipped"],
    )
    _commit(report, rows, by)
    return report


def _check_to_keep(report: ImportReport, skip_duplicates: bool) -> dict[str, Any]:
    """What ``_import_checked`` needs of a passed check, in plain JSON values."""
    fields = list(report.rows[0]) if report.rows else []  # none left when every row was skipped
    rows = []
    for row in report.rows:
        values = list(row.values())
        budget = fields.index("budget")
        if values[budget] is not None:
            values[budget] = str(values[budget])
        rows.append(values)
    return {
        "format": CHECK_FORMAT, "kind": report.kind, "total_rows": report.total_rows, "notes": report.notes,
        "columns": report.columns, "fields": fields, "rows": rows, "skipped": report.skipped,
        "skip_duplicates": skip_duplicates,
    }


def _check_customers(rows: list[tuple[int, dict[str, str]]], report: ImportReport, by: User) -> None:
    for _number, values in rows:
        if "name" in values:
            values["name"] = " ".join(values["name"].split())
    owners = _NameableOwners(by, {values.get("owner", "") for _number, values in rows})
    keyed: list[tuple[int, dict[str, str], dict[str, str]]] = []
    keys: dict[str, set[str]] = {"name": set(), "phone": set(), "credit_code": set()}
    names: dict[str, NameKeys] = {}
    for number, values in rows:
        if not check_cells(number, values, report, phone_keys=("phone",)):
            continue
        own: dict[str, str] = {}
        if values.get("name"):
            name = name_keys(values["name"])
            names.setdefault(name.exact, name)
            own["name"] = name.exact
        for kind, clean in (("phone", phone_key), ("credit_code", credit_code_clean)):
            try:
                own[kind] = clean(values.get(kind, "")) if values.get(kind) else ""
            except ValidationError as exc:
                report.error(number, kind, _field_message(exc))
        for kind, key in own.items():
            if key:
                keys[kind].add(key)
        keyed.append((number, values, own))
    existing, similar = _existing_duplicates(by, list(names.values()), keys)
    first_row: dict[tuple[str, str], int] = {}
    for number, values, own in keyed:
        row = _check_row(number, values, report, owners)
        for kind, key in own.items():
            if not key:
                continue
            duplicate = existing.get((kind, key))
            if duplicate is not None:
                report.error(number, kind, duplicates.duplicate_message(duplicate), duplicate_of=duplicate)
                row = None
            elif (kind, key) in first_row:
                report.error(number, kind, _("The same customer is also on row %(row)s.") % {
                    "row": first_row[(kind, key)]}, duplicate_of={"row": first_row[(kind, key)]})
                row = None
            else:
                first_row[(kind, key)] = number
        if row is not None and own.get("name") in similar:
            report.warn(number, "name", _(
                "Customers with a similar name exist already; this row is imported as another company."
            ), candidates=similar[own["name"]])
        if row is not None and len(own) == 3:
            name = names[own["name"]]
            row.update(name_key=name.exact, name_base_key=name.base, phone_key=own["phone"],
                       credit_code=own["credit_code"])
            report.rows.append(row)


def _check_row(
    number: int, values: dict[str, str], report: ImportReport, owners: _NameableOwners
) -> dict[str, Any] | None:
    """The row's fields ready to create, or None after reporting its problems."""
    errors = len(report.errors)
    row: dict[str, Any] = {"row": number, "name": values.get("name", "")}
    if not row["name"]:
        report.error(number, "name", _("Enter the company name."))
    elif len(row["name"]) > 120:
        report.error(number, "name", _("A company name has at most 120 characters."))
    for key, limit in TEXT_LIMITS.items():
        row[key] = values.get(key, "").strip()
        if len(row[key]) > limit:
            report.error(number, key, _("At most %(n)s characters.") % {"n": limit})
    row["phone"] = values.get("phone", "")[:30]
    size = values.get("company_size", "")
    row["company_size"] = SIZE_WORDS.get(size, SIZE_WORDS.get(size.lower(), "")) if size else ""
    if size and not row["company_size"]:
        report.error(number, "company_size", _("Company size is one of 微型, 中小型, 大型, 集团."))
    row["budget"] = None
    if values.get("budget"):
        try:
            row["budget"] = parse_money(values["budget"])
        except ValueError:
            report.error(number, "budget", _("Write the budget in CNY, e.g. 500000, 1,200,000 or 50万."))
    grade = values.get("grade", "").upper().removesuffix("级").removesuffix("类")
    row["grade"] = grade or None
    if grade and grade not in GRADES:
        report.error(number, "grade", _("A grade is A, B or C."))
    row["email"] = values.get("email", "")
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            report.error(number, "email", _("Enter a valid email address."))
    if not row["contact"] and (row["title"] or row["wechat"] or row["email"]):
        report.error(number, "contact", _("Enter the contact's name for the title, WeChat or email of this row."))
    row["tags"] = [tag for tag in TAG_SEPARATORS.split(values.get("tags", "").strip()) if tag]
    if any(len(tag) > 30 for tag in row["tags"]):
        report.error(number, "tags", _("A tag has at most 30 characters."))
    try:
        owner = owners.find(values.get("owner", ""))
        row["owner_id"] = owner.pk if owner else None
    except ValueError as exc:
        report.error(number, "owner", str(exc))
    return row if len(report.errors) == errors else None


def _create_customers(rows: list[dict[str, Any]], by: User, now: dt.datetime) -> int:
    """Create the checked rows with their history (R12); the caller's transaction makes it all or nothing.

    New customers have no follow-ups, so their search words (R15) and cadence dates (R10, the same for
    every customer of a grade: ``hooks.cadence_rule``) are computed here with the functions the services
    use, and inserted with the rows: no update pass. The rows go in as plain values (``bulk_load``), not
    model instances. Every row carries ``now`` as its creation moment (``ImportBatch.at``).
    """
    today = local_today()
    cadence = hooks.cadence_rule()
    reason = _("Imported from a sheet.")
    due = {grade: (cadence.next_due(grade, today), cadence.contract_due(grade, today))
           for grade in (None, *Grade.values)}
    ids = reserve_ids(Customer, len(rows))
    owners = {row["owner_id"] for row in rows if row["owner_id"]}
    teams = dict(User.objects.filter(pk__in=owners).values_list("pk", "team_id"))  # R21: the owners' teams now
    customers: list[dict[str, Any]] = []
    words_of: list[tuple[int, int | None, tuple[str, ...]]] = []  # the search words (R15), per customer

    def build() -> Iterator[dict[str, Any]]:  # made while the previous ones are written
        for pk, row in zip(ids, rows, strict=True):
            grade = row["grade"]
            owner_id = row["owner_id"]
            words = search_words(row["name"], [row["phone"]], name_key=row["name_key"])
            words_of.append((pk, owner_id, words.terms))
            customer = {
                "id": pk, "name": row["name"], "name_key": row["name_key"], "name_base_key": row["name_base_key"],
                "phone": row["phone"],
                "phone_key": row["phone_key"],
                "search_key": words.shown,
                "credit_code": row["credit_code"], "address": row["address"], "industry": row["industry"],
                "company_size": row["company_size"], "decision_maker_role": row["decision_maker_role"],
                "budget": row["budget"], "focus": row["focus"], "grade": grade,
                "grade_reason": row["grade_reason"] if grade else "", "graded_at": now if grade else None,
                "intent_at": now if grade in (Grade.A, Grade.B) else None,
                "status": Status.INTENT if grade in (Grade.A, Grade.B) else Status.LEAD,
                "owner_id": owner_id, "pooled_at": None if owner_id else now, "created_by_id": by.pk,
                "created_owner_id": owner_id, "created_team_id": teams.get(owner_id),
                "intent_owner_id": owner_id if grade in (Grade.A, Grade.B) else None,
                "intent_team_id": teams.get(owner_id) if grade in (Grade.A, Grade.B) else None,
                "next_due_at": due[grade][0] if owner_id else None,
                "contract_due_at": due[grade][1] if owner_id else None,
                "created_at": now, "updated_at": now,
            }
            customers.append(customer)
            yield customer

    insert_rows(Customer, build(), now=now)
    copy_history(Customer, ids, by_id=by.pk, reason=reason, now=now)
    contacts = [
        {"customer_id": pk, "name": row["contact"], "title": row["title"], "phone": row["phone"],
         "phone_key": row["phone_key"], "wechat": row["wechat"], "email": row["email"], "is_primary": True}
        for pk, row in zip(ids, rows, strict=True) if row["contact"]
    ]
    contacts = [contact | {"id": pk} for pk, contact in zip(reserve_ids(Contact, len(contacts)), contacts, strict=True)]
    insert_rows(Contact, contacts, now=now)
    copy_history(Contact, [contact["id"] for contact in contacts], by_id=by.pk, reason=reason, now=now)
    _attach_tags(ids, rows, now)
    kind = OwnershipEvent.Kind.CREATE
    insert_rows(OwnershipEvent, ({"customer_id": customer["id"], "kind": kind, "to_user_id": customer["owner_id"],
                                  "by_id": by.pk, "reason": reason} for customer in customers), now=now)
    term_fields = [CustomerSearchTerm._meta.get_field(name) for name in ("customer", "owner", "term")]
    terms = ((pk, owner_id, term) for pk, owner_id, words in words_of for term in words)
    write_sorted(CustomerSearchTerm, term_fields, terms, by="term")  # type: ignore[arg-type]
    return len(customers)


def _attach_tags(ids: list[int], rows: list[dict[str, Any]], now: Any) -> None:
    names = {tag for row in rows for tag in row["tags"]}
    if not names:
        return
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True, batch_size=BATCH)
    tags: dict[str, int] = {}
    for part in chunked(names):
        tags.update(Tag.objects.filter(name__in=part).values_list("name", "pk"))
    links = ({"customer_id": pk, "tag_id": tags[name]}
             for pk, row in zip(ids, rows, strict=True) for name in dict.fromkeys(row["tags"]))
    insert_rows(Customer.tags.through, links, now=now)
