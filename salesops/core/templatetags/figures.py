"""``{% load figures %}``: ``{{ share|percent }}`` → 66.7% (a share 0.667 as a percentage), "—" for no figure;
``{{ ratio|achievement }}`` → 80.0 % (R22), "无目标" without a target."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share (0..1) as a percentage with one decimal; "—" when there is no figure (None)."""
    if value is None or value == "":
        return "—"
    return f"{number_format(round(float(value) * 100, 1), decimal_pos=1)}%"


@register.filter
def achievement(value: float | None) -> str:
    """R22 达成率 as the manual writes it: 0.8 → "80.0 %"; "No target" (无目标) without one (None)."""
    if value is None or value == "":
        return _("No target")
    return f"{number_format(round(float(value) * 100, 1), decimal_pos=1)} %"
