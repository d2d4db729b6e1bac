"""``{% load money %}``: ``{{ amount|yuan }}`` → ¥800,000.00 (thousands separators, two decimals, no float)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from salesops.core.money import yuan_text

register = template.Library()


@register.filter
def yuan(value: Decimal | int | None) -> str:
    """An amount in CNY as "¥1,234,567.80"; an empty string for no amount."""
    return yuan_text(value)


@register.filter
def yuan_plain(value: Decimal | int | None) -> str:
    """The same without the ¥, for table cells under a "¥" heading: "1,234,567.80"."""
    return yuan_text(value, symbol=False)
