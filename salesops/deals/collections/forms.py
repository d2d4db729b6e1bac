"""The forms of a contract's collections page: its payment plan (a row per instalment) and a receipt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.filters import BoundedDateField
from salesops.core.money import MoneyFormField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanLineForm(forms.Form):
    """One instalment of the plan; an empty row is left out, a row with ``instalment`` keeps that one."""

    instalment = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    due_date = BoundedDateField(label=_("Due on"), widget=DATE_INPUT, required=False)
    amount = MoneyFormField(label=_("Amount (CNY)"), positive=True, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("due_date") is None) != (data.get("amount") is None) and not self.errors:
            raise forms.ValidationError(_("Give both the due date and the amount, or leave the row empty."))
        return data


PlanFormSet = forms.formset_factory(PlanLineForm, extra=0, max_num=120, absolute_max=120, validate_max=True)


class ReceiptForm(forms.Form):
    """A receipt against one instalment of the contract."""

    instalment = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    received_at = BoundedDateField(label=_("Received on"), widget=DATE_INPUT)
    amount = MoneyFormField(label=_("Amount (CNY)"), positive=True)
