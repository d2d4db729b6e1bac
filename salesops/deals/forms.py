"""Page forms for deals and contracts: they check shapes only; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.money import MoneyFormField
from salesops.deals.models import LossReason, Stage

#: Line rows the deal form offers (empty rows are ignored).
LINE_ROWS = 5


class DealForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    amount = MoneyFormField(label=_("amount (CNY)"), required=False,
                            help_text=_("Leave empty when the lines below give it: the amount is their sum."))
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices, initial=Stage.CONTACT)
    probability = forms.IntegerField(label=_("probability (%)"), min_value=0, max_value=100, required=False,
                                     help_text=_("Empty: the stage's default."))
    expected_close = forms.DateField(label=_("expected close"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(LINE_ROWS):
            self.fields[f"product_{index}"] = forms.CharField(label=_("product"), max_length=120, required=False)
            self.fields[f"quantity_{index}"] = forms.DecimalField(label=_("quantity"), max_digits=12,
                                                                  decimal_places=2, required=False)
            self.fields[f"unit_price_{index}"] = MoneyFormField(label=_("unit price (CNY)"), required=False)
        if editing:
            del self.fields["stage"]

    def line_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"product_{i}"], self[f"quantity_{i}"], self[f"unit_price_{i}"]) for i in range(LINE_ROWS)]

    def lines(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"product": data[f"product_{i}"], "quantity": data[f"quantity_{i}"], "unit_price": data[f"unit_price_{i}"]}
            for i in range(LINE_ROWS)
            if data.get(f"product_{i}") or data.get(f"quantity_{i}") is not None or data.get(f"unit_price_{i}")
        ]


class WinForm(forms.Form):
    signed_at = forms.DateField(label=_("signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = MoneyFormField(label=_("final amount (CNY)"), positive=True)
    contract_number = forms.CharField(label=_("contract number"), max_length=40, required=False,
                                      help_text=_("Empty: the next number of the year (HT-2026-00001)."))


class LoseForm(forms.Form):
    reason = forms.ModelChoiceField(label=_("reason lost"), queryset=LossReason.objects.filter(is_active=True))
    note = forms.CharField(label=_("note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("why reopen"), max_length=500)


class ScanForm(forms.Form):
    file = forms.FileField(label=_("signed scan (PDF or photo)"))
