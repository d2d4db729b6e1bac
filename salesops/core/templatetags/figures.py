"""``{% load figures %}``: ``{{ share|percent }}`` → 66.7% (a share 0.667 as a percentage), "—" for no figure."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share (0..1) as a percentage with one decimal; "—" when there is no figure (None)."""
    if value is None or value == "":
        return "—"
    return f"{number_format(round(float(value) * 100, 1), decimal_pos=1)}%"
