"""The customer list as xlsx (R26), with the same fields as on screen.

Owners by their display name (as the follow-up sheet names its authors), the next follow-up date as a
date cell. The rows are exactly those of the page: the caller's scope (``visible_to``, R1) narrowed by the page's
FilterSet. They are read in chunks with their owner, primary contact and tags (a fixed number of queries
per chunk) and written as they come (sheets.xlsx_stream), so 100,000 rows stream in seconds with constant
memory. Every text cell that a spreadsheet would run as a formula is neutralised (sheets.safe_text).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.sheets import xlsx_stream
from salesops.customers.filters import CustomerFilterSet
from salesops.customers.models import CompanySize, Contact, Customer, Status

CHUNK = 2000
CUSTOMER_HEADER = [
    "客户名称", "联系人", "职务", "电话/手机", "微信", "邮箱", "行业", "企业规模", "决策人", "预算", "关注点", "标签",
    "客户等级", "评级原因", "地址", "统一社会信用代码", "负责人", "下次跟进日期", "状态",
]


class FilterError(Exception):
    """The filters are not valid; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


def filtered_customers(*, user: User, params: Any) -> QuerySet[Customer]:
    """The customer list page's rows: scope first (R1), then the FilterSet; FilterError for bad filters."""
    base = Customer.objects.visible_to(user, pool=CustomerFilterSet.wants_pool(params)).active()
    filterset = CustomerFilterSet(params, queryset=base, user=user)
    if not filterset.is_valid():
        raise FilterError(dict(filterset.errors))
    return filterset.qs


CUSTOMER_FIELDS = (
    "pk", "name", "phone", "industry", "company_size", "decision_maker_role", "budget", "focus", "grade",
    "grade_reason", "address", "credit_code", "owner__display_name", "owner__username", "next_due_at", "status",
)
#: Column widths in character units (a CJK character takes two), in the order of CUSTOMER_HEADER.
CUSTOMER_WIDTHS = [36, 10, 12, 16, 14, 22, 12, 12, 12, 14, 14, 20, 10, 24, 36, 22, 10, 14, 10]


def customers_xlsx(queryset: QuerySet[Customer]) -> Iterator[bytes]:
    """The customer list with the import's headers, so an export can be edited and imported elsewhere."""
    rows = queryset.order_by("pk").values_list(*CUSTOMER_FIELDS).iterator(chunk_size=CHUNK)
    return xlsx_stream(sheet=_("Customers"), header=CUSTOMER_HEADER, rows=_customer_rows(rows), widths=CUSTOMER_WIDTHS)


def _customer_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[object]]:
    """The sheet rows, a chunk at a time: the chunk's primary contacts and tags in one query each."""
    sizes = {value: str(label) for value, label in CompanySize.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    no_contact = ("", "", "", "")
    while chunk := list(islice(rows, CHUNK)):
        ids = [row[0] for row in chunk]
        contacts: dict[int, tuple[str, str, str, str]] = {}
        primary = Contact.objects.filter(customer_id__in=ids, is_active=True, is_primary=True)
        for customer_id, *contact in primary.values_list("customer_id", "name", "title", "wechat", "email"):
            contacts.setdefault(customer_id, tuple(contact))  # type: ignore[arg-type]
        tags: dict[int, list[str]] = {}
        links = Customer.tags.through.objects.filter(customer_id__in=ids).order_by("tag__name", "tag_id")
        for customer_id, tag in links.values_list("customer_id", "tag__name"):
            tags.setdefault(customer_id, []).append(tag)
        for (pk, name, phone, industry, size, role, budget, focus, grade, reason, address, code, owner_name, login,
             due, status) in chunk:
            contact_name, title, wechat, email = contacts.get(pk, no_contact)
            yield [
                name, contact_name, title, phone, wechat, email, industry, sizes.get(size, size) if size else "",
                role, budget, focus, "、".join(tags.get(pk, ())), grade or "", reason, address, code,
                (owner_name or login) if login else "公海", due, statuses.get(status, status),
            ]


def customers_export(user: User, params: Any) -> Iterator[bytes]:
    """The workbook of the customer list as ``user`` sees it with these filters (R1, R26)."""
    return customers_xlsx(filtered_customers(user=user, params=params))
