"""The R9 tag line: 制造业-中小型企业-决策人为采购经理-预算50万-关注性价比.

A list shows one tag line per row, so the translated words are looked up once per language
(``_words``), not once per row: a ``get_company_size_display()`` per row hashes every lazy choice label,
and each ``gettext`` goes through the active language's thread-local, which together cost a list of 50
customers about as much as its SQL.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Protocol

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from salesops.customers.choices import CompanySize


class TaggedCompany(Protocol):
    """The structured dimensions the tag line reads (a Customer has them)."""

    industry: str
    company_size: str
    decision_maker_role: str
    budget: Decimal | None
    focus: str


class _Words(NamedTuple):
    sizes: dict[str, str]
    decision_maker: str
    budget: str
    focus: str
    wan: str
    yuan: str
    counts_in_wan: bool


@lru_cache(maxsize=len(settings.LANGUAGES) + 1)
def _words(language: str) -> _Words:
    with translation.override(language):
        return _Words(
            sizes={value: str(label) for value, label in CompanySize.choices},
            decision_maker=_("decision maker: %(role)s"),
            budget=_("budget %(amount)s"),
            focus=_("focus: %(focus)s"),
            wan=_("%(n)s wan"),
            yuan=_("%(n)s yuan"),
            # 万 is how Chinese counts money; other languages read the whole amount.
            counts_in_wan=language.startswith("zh"),
        )


def _current() -> _Words:
    return _words(translation.get_language() or settings.LANGUAGE_CODE)


def budget_words(amount: Decimal, words: _Words | None = None) -> str:
    """CNY in the way a Chinese sales team writes a budget: 500000 → 50万, 12000000 → 1200万, 8000 → 8000元;
    in English the whole amount with separators (1,500,000 yuan)."""
    words = words or _current()
    if not words.counts_in_wan:
        return words.yuan % {"n": f"{amount.normalize():,f}"}
    if amount >= 10000:
        return words.wan % {"n": f"{(amount / 10000).normalize():f}"}
    return words.yuan % {"n": f"{amount.normalize():f}"}


def tag_line(customer: TaggedCompany) -> str:
    words = _current()
    parts: list[str] = []
    if customer.industry:
        parts.append(customer.industry)
    if customer.company_size:
        parts.append(words.sizes.get(customer.company_size, customer.company_size))
    if customer.decision_maker_role:
        parts.append(words.decision_maker % {"role": customer.decision_maker_role})
    if customer.budget is not None:
        parts.append(words.budget % {"amount": budget_words(customer.budget, words)})
    if customer.focus:
        parts.append(words.focus % {"focus": customer.focus})
    return "-".join(parts)
