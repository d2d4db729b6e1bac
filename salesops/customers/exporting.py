"""Exports as xlsx (R26): the customer list and the 客户跟进记录表, with the same fields as on screen.

The rows are exactly those of the page: the caller's scope (``visible_to``, R1) narrowed by the page's
FilterSet. They are read in chunks with their owner, primary contact and tags (a fixed number of queries
per chunk) and written as they come (sheets.xlsx_stream), so 100,000 rows stream in seconds with constant
memory. Every text cell that a spreadsheet would run as a formula is neutralised (sheets.safe_text).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.sheets import xlsx_stream
from salesops.customers.filters import CustomerFilterSet
from salesops.customers.models import Contact, Customer
from salesops.followups.filters import FollowUpFilterSet
from salesops.followups.models import FollowUp

CHUNK = 2000
CUSTOMER_HEADER = [
    "客户名称", "联系人", "职务", "电话/手机", "微信", "邮箱", "行业", "企业规模", "决策人", "预算", "关注点", "标签",
    "客户等级", "评级原因", "地址", "统一社会信用代码", "负责人", "下次跟进日期", "状态",
]
FOLLOWUP_HEADER = [
    "客户名称", "跟进时间", "方式", "沟通要点", "客户反馈", "下一步计划", "下次跟进日期", "记录人", "补录",
]


class FilterError(Exception):
    """The filters are not valid; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


def filtered_customers(*, user: User, params: Any) -> QuerySet[Customer]:
    """The customer list page's rows: scope first (R1), then the FilterSet; FilterError for bad filters."""
    base = Customer.objects.visible_to(user, pool=CustomerFilterSet.pool_part(params)).active()
    filterset = CustomerFilterSet(params, queryset=base)
    if not filterset.is_valid():
        raise FilterError(dict(filterset.errors))
    return filterset.qs


def filtered_followups(*, user: User, params: Any) -> QuerySet[FollowUp]:
    base = FollowUp.objects.visible_to(user).filter(is_active=True)
    filterset = FollowUpFilterSet(params, queryset=base)
    if not filterset.is_valid():
        raise FilterError(dict(filterset.errors))
    return filterset.qs


def customers_xlsx(queryset: QuerySet[Customer]) -> Iterator[bytes]:
    """The customer list with the import's headers, so an export can be edited and imported elsewhere."""
    primary = Prefetch("contacts", queryset=Contact.objects.filter(is_active=True, is_primary=True), to_attr="primary")
    rows = (
        queryset.select_related("owner").prefetch_related("tags", primary).order_by("pk").iterator(chunk_size=CHUNK)
    )
    return xlsx_stream(sheet=_("Customers"), header=CUSTOMER_HEADER, rows=map(_customer_row, rows))


def _customer_row(customer: Any) -> list[object]:
    contact: Contact | None = customer.primary[0] if customer.primary else None
    return [
        customer.name, contact.name if contact else "", contact.title if contact else "", customer.phone,
        contact.wechat if contact else "", contact.email if contact else "", customer.industry,
        customer.get_company_size_display() if customer.company_size else "", customer.decision_maker_role,
        customer.budget, customer.focus, "、".join(tag.name for tag in customer.tags.all()), customer.grade or "",
        customer.grade_reason, customer.address, customer.credit_code,
        customer.owner.username if customer.owner else "公海",
        customer.next_due_at.isoformat() if customer.next_due_at else "", customer.get_status_display(),
    ]


def followups_xlsx(queryset: QuerySet[FollowUp]) -> Iterator[bytes]:
    """The 客户跟进记录表 (R11): the columns of the paper form, the author and whether it was logged late."""
    rows = queryset.select_related("customer", "author").order_by("-contacted_at", "-id").iterator(chunk_size=CHUNK)
    return xlsx_stream(sheet=_("Follow-up records"), header=FOLLOWUP_HEADER, rows=map(_followup_row, rows))


def _followup_row(record: FollowUp) -> list[object]:
    return [
        record.customer.name, timezone.localtime(record.contacted_at).strftime("%Y-%m-%d %H:%M"),
        record.get_channel_display(), record.key_points, record.feedback, record.next_step,
        record.next_followup_at.isoformat() if record.next_followup_at else "", str(record.author),
        _("yes") if record.late else "",
    ]


def customers_export(user: User, params: Any) -> Iterator[bytes]:
    """The workbook of the customer list as ``user`` sees it with these filters (R1, R26)."""
    return customers_xlsx(filtered_customers(user=user, params=params))


def followups_export(user: User, params: Any) -> Iterator[bytes]:
    return followups_xlsx(filtered_followups(user=user, params=params))
