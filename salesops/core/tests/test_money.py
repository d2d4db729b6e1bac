"""Money (core.money): every layer takes and gives CNY as Decimal with two places and refuses the rest."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from salesops.core.money import MONEY_MAX, MoneyError, MoneyFormField, MoneyInput, parse_money, yuan_text
from salesops.core.sheets import xlsx_stream

BAD = {
    "-1": "negative",
    "-0.01": "negative",
    "abc": "invalid",
    "": "invalid",
    "NaN": "invalid",
    "nan": "invalid",
    "Infinity": "invalid",
    "0.001": "places",
    "12.345": "places",
    "1e400": "too_large",
    "1000000000000": "too_large",
}


class AmountSerializer(serializers.Serializer[Any]):
    amount = MoneyInput()
    price = MoneyInput(positive=True, required=False)


class AmountForm(forms.Form):
    amount = MoneyFormField()


@pytest.mark.parametrize(("text", "expected"), [("800000", "800000.00"), ("0.1", "0.10"), ("12.30", "12.30"),
                                                ("0", "0.00"), ("-0", "0.00"), (" 5 ", "5.00")])
def test_parse_money_gives_two_places(text: str, expected: str) -> None:
    assert str(parse_money(text)) == expected


@pytest.mark.parametrize(("text", "reason"), list(BAD.items()))
def test_parse_money_refuses_what_is_not_an_amount(text: str, reason: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(text)
    from salesops.core.money import MESSAGES

    assert caught.value.message == MESSAGES[reason]


def test_parse_money_refuses_floats_bools_and_none() -> None:
    for value in (0.1, True, None, [1]):
        with pytest.raises(MoneyError):
            parse_money(value)


def test_positive_refuses_zero_and_max_is_accepted() -> None:
    with pytest.raises(MoneyError):
        parse_money("0.00", positive=True)
    assert parse_money(str(MONEY_MAX)) == Decimal("999999999999.99")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"amount": "-5"}, "金额不能为负数。"),
        ({"amount": "abc"}, "请以元为单位填写数字金额，例如 800000.00。"),
        ({"amount": "0.001"}, "金额精确到分：最多两位小数。"),
        ({"amount": "1e400"}, "金额过大：最多 999,999,999,999.99 元。"),
        ({"amount": float("inf")}, "金额过大：最多 999,999,999,999.99 元。"),
        ({"amount": float("nan")}, "请以元为单位填写数字金额，例如 800000.00。"),
        ({"amount": "NaN"}, "请以元为单位填写数字金额，例如 800000.00。"),
        ({"amount": 0.001}, "金额精确到分：最多两位小数。"),
        ({"amount": True}, "请以元为单位填写数字金额，例如 800000.00。"),
        ({"amount": "5", "price": "0"}, "金额必须大于零。"),
    ],
)
def test_api_field_refuses_with_a_message_in_the_users_language(payload: dict[str, Any], message: str) -> None:
    with translation.override("zh-hans"):
        data = AmountSerializer(data=payload)
        assert not data.is_valid()
        assert [str(m) for m in next(iter(data.errors.values()))] == [message]


def test_api_field_reads_json_numbers_exactly_and_writes_strings() -> None:
    data = AmountSerializer(data={"amount": 800000.1, "price": 12})
    assert data.is_valid(), data.errors
    assert data.validated_data == {"amount": Decimal("800000.10"), "price": Decimal("12.00")}
    assert AmountSerializer({"amount": Decimal("800000"), "price": Decimal("0.5")}).data == {
        "amount": "800000.00", "price": "0.50",
    }


@given(st.decimals(min_value=0, max_value=MONEY_MAX, places=2, allow_nan=False, allow_infinity=False))
def test_every_amount_round_trips_through_the_api_field(amount: Decimal) -> None:
    field = MoneyInput()
    assert field.to_internal_value(field.to_representation(amount)) == amount


def test_form_field_takes_what_people_type() -> None:
    form = AmountForm(data={"amount": "¥800,000.5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("800000.50")
    with translation.override("en"):
        form = AmountForm(data={"amount": "1e400"})
        assert not form.is_valid()
        assert form.errors["amount"] == ["The amount is too large: at most 999,999,999,999.99 yuan."]


def test_yuan_filter_has_separators_and_two_places() -> None:
    html = Template("{% load money %}{{ a|yuan }}|{{ b|yuan }}|{{ c|yuan_plain }}|{{ d|yuan }}").render(
        Context({"a": Decimal("1234567.8"), "b": Decimal("-50"), "c": 800000, "d": None})
    )
    assert html == "¥1,234,567.80|-¥50.00|800,000.00|"
    assert yuan_text(Decimal("0.005")) == "¥0.01"


def test_xlsx_money_cells_are_numbers_with_two_decimals() -> None:
    data = b"".join(xlsx_stream(sheet="回款", header=["金额", "备注"],
                                rows=[[Decimal("800000.00"), "=HYPERLINK(\"x\")"], [Decimal("0.10"), "ok"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    assert (cell.value, sheet["A3"].value) == (800000, 0.1)
    assert sheet["B2"].value == "'=HYPERLINK(\"x\")"
