"""Money in CNY: ``Decimal`` with two places from the database to the screen and back (API.md).

One definition of an amount serves every layer: ``MoneyField`` in models (NUMERIC(14, 2)), ``MoneyInput``
in DRF serializers (read from and written as a decimal string, "800000.00"), ``MoneyFormField`` in forms,
the ``yuan`` template filter (``core/templatetags/money.py``: "¥800,000.00") and ``money_cell`` for xlsx.
No amount passes through a binary floating-point number anywhere: a float cannot hold 0.10 exactly, and
sums of such amounts drift from the sum of their rows.

An amount is refused, with a message in the user's language, when it is not a number (text, NaN,
infinity), has more than two decimals (0.001), is negative (or zero where the caller asks for a positive
amount), or is larger than ``MONEY_MAX`` (1e400 and other absurd amounts).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MONEY_DIGITS = 14
MONEY_PLACES = 2
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
#: The largest amount the database holds: 999,999,999,999.99 (a trillion yuan less a cent).
MONEY_MAX = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES) - CENT

#: Characters people type around an amount that do not change it: ¥ and ￥, thousands separators, spaces.
_DECORATION = str.maketrans("", "", "¥￥, \u00a0\u3000")


class MoneyError(ValueError):
    """An amount that is not an amount; ``message`` says why, in the active language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


MESSAGES = {
    "invalid": _("Enter the amount as a number of yuan, e.g. 800000.00."),
    "places": _("Enter the amount to the fen: at most 2 decimals."),
    "negative": _("The amount cannot be negative."),
    "positive": _("The amount must be more than zero."),
    "too_large": _("The amount is too large: at most 999,999,999,999.99 yuan."),
}


def parse_money(value: object, *, positive: bool = False, decorated: bool = False) -> Decimal:
    """``value`` (a Decimal, an int or a string) as an amount with two places, else ``MoneyError``.

    ``decorated`` also accepts what people type on a form: "¥800,000" or "800 000.5". A float is refused:
    it is already not the amount its sender meant (the API reads JSON numbers as decimal strings)."""
    if isinstance(value, bool) or value is None or not isinstance(value, Decimal | int | str):
        raise MoneyError(MESSAGES["invalid"])
    text = str(value).strip()
    if decorated:
        text = text.translate(_DECORATION)
    if not text or len(text) > 40:
        raise MoneyError(MESSAGES["invalid"] if not text else MESSAGES["too_large"])
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyError(MESSAGES["invalid"]) from None
    if not amount.is_finite():
        raise MoneyError(MESSAGES["invalid"])
    if amount.is_signed() and amount != 0:
        raise MoneyError(MESSAGES["negative"])
    if abs(amount) > MONEY_MAX:
        raise MoneyError(MESSAGES["too_large"])
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError(MESSAGES["places"])
    if positive and amount == 0:
        raise MoneyError(MESSAGES["positive"])
    return amount.quantize(CENT) + ZERO  # + ZERO turns -0.00 into 0.00


def money(value: Decimal | int | str) -> Decimal:
    """A trusted amount (a database sum, a constant) with exactly two places, half up."""
    return (Decimal(value) if not isinstance(value, Decimal) else value).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_text(value: Decimal | int | None, *, symbol: bool = True) -> str:
    """"¥800,000.00": two places, thousands separators, the sign before the ¥; "" for no amount."""
    if value is None or value == "":
        return ""
    amount = money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{'¥' if symbol else ''}{abs(amount):,.2f}"


class MoneyField(models.DecimalField):  # type: ignore[type-arg]
    """A model column of CNY: NUMERIC(14, 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d{1,12}\.\d{2}$", "example": "800000.00"})
class MoneyInput(serializers.Field):  # type: ignore[type-arg]
    """A DRF field of CNY: read from a decimal string or a JSON number, written as "800000.00".

    ``positive=True`` refuses zero too. The schema shows it as a decimal string."""

    def __init__(self, *, positive: bool = False, **kwargs: Any) -> None:
        self.positive = positive
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, float):
            # JSON numbers arrive as floats from DRF's parser; their shortest repr is what the client typed
            # for every amount within MONEY_DIGITS, and anything longer is refused by parse_money. 1e400
            # arrives as infinity: too large, not "not a number".
            if math.isinf(data):
                raise serializers.ValidationError(str(MESSAGES["too_large"]), code="invalid")
            data = repr(data)
        try:
            return parse_money(data, positive=self.positive)
        except MoneyError as exc:
            raise serializers.ValidationError(str(exc.message), code="invalid") from None

    def to_representation(self, value: Any) -> str:
        return f"{money(value):.2f}"


class MoneyFormField(forms.CharField):
    """A form field of CNY that also takes "¥800,000.00"; the cleaned value is a Decimal with two places."""

    widget = forms.TextInput

    def __init__(self, *, positive: bool = False, **kwargs: Any) -> None:
        self.positive = positive
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_money(text, positive=self.positive, decorated=True)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc.message), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return f"{value:.2f}" if isinstance(value, Decimal) else value


