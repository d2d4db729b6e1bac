"""Forms of the plan pages (R7): they check shapes only; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import version_field
from salesops.daily.plans.models import RequestKind
from salesops.daily.plans.services import MATERIALS_MAX

#: What one button of the plan page does: the list, the route, the materials.
EDIT_ACTIONS = ("add", "remove", "visit", "unvisit", "up", "down", "optimise", "materials")


class PlanEditForm(forms.Form):
    """One button of the plan page: ``op`` is the action and, for a customer's buttons, its id
    ("up:42"), so each list is one form whatever its length."""

    op = forms.CharField(max_length=40)
    materials = forms.CharField(label=_("Materials"), max_length=MATERIALS_MAX, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    version = version_field()

    def clean_op(self) -> tuple[str, int | None]:
        action, _sep, customer = self.cleaned_data["op"].partition(":")
        if action not in EDIT_ACTIONS or (customer and not (customer.isdigit() and 0 < len(customer) <= 18)):
            raise forms.ValidationError(_("This button does not exist."))
        return action, int(customer) if customer else None


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of resource"), choices=RequestKind.choices)
    detail = forms.CharField(label=_("What you need"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False)


class DayForm(forms.Form):
    """The team page's choice of team and day (bad values fall back to the defaults)."""

    team = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
