"""The follow-up sheet 客户跟进记录表 in and out (R11, R26): the import, all or nothing, and the export.

Columns 客户名称, 跟进时间, 方式, 沟通要点, 客户反馈, 下一步计划, 下次跟进日期. Each row is matched by its
normalised company name to ONE active customer the importer may log follow-ups for (the owner, or a manager
whose scope covers the owner: ``followups.services.can_log_followup``, R1). The checks are those of
``followup_create``: the contact time is not in the future nor older than the follow-up rules allow, the next
date comes after the contact, key points are given. Records logged later than the rule's hours after the
contact are kept and marked late (R11). The cadence (R10) of every touched customer is recomputed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.utils import bulk_create_with_history

from salesops.accounts.models import User
from salesops.core.sheets import excel_date, xlsx_stream
from salesops.customers.excel.customer_export import CHUNK, FilterError
from salesops.customers.excel.import_rows import BATCH, ImportReport, RowIssue, check_cells, chunked, read_rows
from salesops.customers.models import Customer
from salesops.customers.normalise import company_key
from salesops.followups.cadence import cadence_refresh
from salesops.followups.filters import FollowUpFilterSet
from salesops.followups.models import Channel, FollowUp
from salesops.followups.services import (
    MAX_PLAN_AHEAD,
    can_log_followup,
    contact_time_error,
    first_visits_refresh,
    logged_late,
)
from salesops.organisation.selectors import rule_settings

COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": ("客户名称", "customer"),
    "contacted_at": ("跟进时间", "contacted_at"),
    "channel": ("方式", "跟进方式", "channel"),
    "key_points": ("沟通要点", "key_points"),
    "feedback": ("客户反馈", "feedback"),
    "next_step": ("下一步计划", "next_step"),
    "next_followup_at": ("下次跟进日期", "next_followup_at"),
}
REQUIRED = ("customer", "contacted_at", "channel", "key_points")
CHANNEL_WORDS = {
    "电话": Channel.PHONE, "微信": Channel.WECHAT, "拜访": Channel.VISIT, "上门拜访": Channel.VISIT,
    "面谈": Channel.VISIT, "邮件": Channel.EMAIL, "邮箱": Channel.EMAIL, "其他": Channel.OTHER,
    **{value: value for value in Channel.values},
}
FOLLOWUP_HEADER = [
    "客户名称", "跟进时间", "方式", "沟通要点", "客户反馈", "下一步计划", "下次跟进日期", "记录人", "补录",
]
EXAMPLE_ROW = [
    "上海星辰精密制造有限公司", "2026-11-26 10:30", "拜访", "确认了报价和交期", "对价格满意", "发送合同草稿",
    "2026-11-30",
]
DATE_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$"
)


def parse_moment(text: str) -> dt.datetime | None:
    """2026-11-26 10:30, 2026/11/26, 2026年11月26日 10:30 or an Excel day number, as local naive time."""
    text = text.strip()
    found = DATE_RE.match(text)
    if found is None:
        return excel_date(text) if text.replace(".", "", 1).isdigit() else None
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in found.groups())
    try:  # naive: the caller makes it aware in the organisation's time zone
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


@transaction.atomic
def followups_import(*, file: IO[bytes], by: User, dry_run: bool, expected_digest: str | None = None) -> ImportReport:
    """Check a follow-up sheet and, unless ``dry_run``, create every record or none (R11, R26)."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(file, report, COLUMNS, required=REQUIRED)
    if expected_digest is not None and expected_digest != report.digest:
        report.errors.append(RowIssue(None, "", _("This is not the file that was checked. Check it again.")))
    if rows is None or report.errors:
        return report
    customers = _loggable_customers(by, {company_key(values.get("customer", "")) for _number, values in rows})
    now = timezone.now()
    log_hours = rule_settings().followup_log_hours
    seen: dict[tuple[int, dt.datetime], int] = {}
    for number, values in rows:
        if not check_cells(number, values, report):
            continue
        record = _check_row(number, values, report, customers, now)
        if record is None:
            continue
        pair = (record["customer"].pk, record["contacted_at"])
        if pair in seen:
            report.error(number, "contacted_at", _("The same contact is also on row %(row)s.") % {
                "row": seen[pair]}, duplicate_of={"row": seen[pair]})
            continue
        seen[pair] = number
        record["late"] = logged_late(contacted_at=record["contacted_at"], logged_at=now, log_hours=log_hours)
        report.rows.append(record)
    _refuse_logged(report, seen)
    report.valid_rows = len(report.rows)
    if report.ok and not dry_run:
        records = [FollowUp(author=by, author_team_id=by.team_id, **{k: v for k, v in row.items() if k != "row"})
                   for row in report.rows]
        bulk_create_with_history(records, FollowUp, batch_size=BATCH, default_user=by,
                                 default_change_reason=_("Imported from a sheet."))
        customer_ids = {record.customer_id for record in records}
        first_visits_refresh(customer_ids=customer_ids)
        cadence_refresh(customer_ids=customer_ids)
        report.created = len(records)
        report.committed = True
    if not report.ok:
        report.rows = []
    return report


def _loggable_customers(by: User, keys: set[str]) -> dict[str, list[Customer]]:
    """Company key → the active customers with it that ``by`` may log follow-ups for."""
    found: dict[str, list[Customer]] = {}
    for part in chunked(key for key in keys if key):
        visible = Customer.objects.visible_to(by).filter(is_active=True, name_key__in=part).select_related("owner")
        for customer in visible:
            if can_log_followup(by, customer):
                found.setdefault(customer.name_key, []).append(customer)
    return found


def _check_row(
    number: int, values: dict[str, str], report: ImportReport, customers: dict[str, list[Customer]],
    now: dt.datetime,
) -> dict[str, Any] | None:
    errors = len(report.errors)
    name = values.get("customer", "")
    matches = customers.get(company_key(name), []) if name else []
    if not name:
        report.error(number, "customer", _("Enter the company name."))
    elif not matches:
        report.error(number, "customer", _("No customer called %(name)s that you may log follow-ups for.") % {
            "name": name})
    elif len(matches) > 1:
        report.error(number, "customer", _("Several customers are called %(name)s; log this one on its page.") % {
            "name": name})
    contacted = parse_moment(values.get("contacted_at", ""))
    contacted_at = timezone.make_aware(contacted) if contacted else None
    if contacted_at is None:
        report.error(number, "contacted_at", _("Write the contact time as 2026-11-26 10:30."))
    elif (problem := contact_time_error(contacted_at, now)) is not None:
        report.error(number, "contacted_at", problem)
    channel = CHANNEL_WORDS.get(values.get("channel", "").lower())
    if channel is None:
        report.error(number, "channel", _("The channel is one of 电话, 微信, 拜访, 邮件, 其他."))
    if not values.get("key_points"):
        report.error(number, "key_points", _("Write down the key points of the contact."))
    next_date = None
    if values.get("next_followup_at"):
        next_moment = parse_moment(values["next_followup_at"])
        next_date = next_moment.date() if next_moment else None
        if next_date is None:
            report.error(number, "next_followup_at", _("Write the next follow-up date as 2026-11-30."))
        elif contacted_at is not None and not (
            timezone.localtime(contacted_at).date() < next_date <= (contacted_at + MAX_PLAN_AHEAD).date()
        ):
            report.error(number, "next_followup_at", _(
                "The next follow-up date must come after the contact and within a year."))
    if len(report.errors) > errors:
        return None
    return {
        "row": number, "customer": matches[0], "contacted_at": contacted_at, "channel": channel,
        "key_points": values["key_points"], "feedback": values.get("feedback", ""),
        "next_step": values.get("next_step", ""), "next_followup_at": next_date,
    }


def _refuse_logged(report: ImportReport, seen: dict[tuple[int, dt.datetime], int]) -> None:
    """A contact already logged (same customer, same time) is a duplicate, not a second record."""
    if not seen:
        return
    earliest = min(moment for _customer, moment in seen)
    logged: set[tuple[int, dt.datetime]] = set()
    for part in chunked({customer for customer, _moment in seen}):
        logged.update(FollowUp.objects.filter(customer_id__in=part, is_active=True, contacted_at__gte=earliest)
                      .values_list("customer_id", "contacted_at"))
    for pair in logged & set(seen):
        report.error(seen[pair], "contacted_at", _("This contact is logged already."), duplicate_of={
            "customer": pair[0]})
    if logged & set(seen):
        report.rows = []


def filtered_followups(*, user: User, params: Any) -> QuerySet[FollowUp]:
    base = FollowUp.objects.visible_to(user).filter(is_active=True)
    filterset = FollowUpFilterSet(params, queryset=base)
    if not filterset.is_valid():
        raise FilterError(dict(filterset.errors))
    return filterset.qs


#: Column widths in character units (a CJK character takes two), in the order of FOLLOWUP_HEADER.
FOLLOWUP_WIDTHS = [36, 18, 8, 40, 30, 30, 14, 10, 8]
FOLLOWUP_FIELDS = (
    "customer__name", "contacted_at", "channel", "key_points", "feedback", "next_step", "next_followup_at",
    "author__display_name", "author__username", "late",
)


def followups_xlsx(queryset: QuerySet[FollowUp]) -> Iterator[bytes]:
    """The 客户跟进记录表 (R11): the columns of the paper form, the author and whether it was logged late."""
    rows = queryset.order_by("-contacted_at", "-id").values_list(*FOLLOWUP_FIELDS).iterator(chunk_size=CHUNK)
    return xlsx_stream(sheet=_("Follow-up records"), header=FOLLOWUP_HEADER, rows=_followup_rows(rows),
                       widths=FOLLOWUP_WIDTHS)


def _followup_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[object]]:
    channels = {value: str(label) for value, label in Channel.choices}
    yes = _("yes")
    for customer, at, channel, points, feedback, step, next_at, author_name, login, late in rows:
        yield [
            customer, at, channels.get(channel, channel), points, feedback, step, next_at, author_name or login,
            yes if late else "",
        ]


def file_name() -> str:
    """The export's file name before its date, in the user's language (跟进记录-2026-11-29.xlsx)."""
    return pgettext("file name", "follow-ups")


def followups_export(user: User, params: Any) -> Iterator[bytes]:
    return followups_xlsx(filtered_followups(user=user, params=params))
