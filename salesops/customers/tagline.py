"""The R9 tag line: 制造业-中小型企业-决策人为采购经理-预算50万-关注性价比."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from salesops.customers.models import Customer


def budget_words(amount: Decimal) -> str:
    """CNY in the way a Chinese sales team writes a budget: 500000 → 50万, 12000000 → 1200万, 8000 → 8000元."""
    if amount >= 10000:
        wan = (amount / 10000).normalize()
        return _("%(n)s wan") % {"n": f"{wan:f}"}
    return _("%(n)s yuan") % {"n": f"{amount.normalize():f}"}


def tag_line(customer: Customer) -> str:
    parts: list[str] = []
    if customer.industry:
        parts.append(customer.industry)
    if customer.company_size:
        parts.append(str(customer.get_company_size_display()))
    if customer.decision_maker_role:
        parts.append(_("decision maker: %(role)s") % {"role": customer.decision_maker_role})
    if customer.budget is not None:
        parts.append(_("budget %(amount)s") % {"amount": budget_words(customer.budget)})
    if customer.focus:
        parts.append(_("focus: %(focus)s") % {"focus": customer.focus})
    return "-".join(parts)
