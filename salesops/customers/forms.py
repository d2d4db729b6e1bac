"""Page forms for customers and contacts: they check shapes only; the rules are the services'."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from salesops.accounts.models import Role, User
from salesops.core.forms import rebase, version_field
from salesops.customers.models import CompanySize, Contact, Grade, Status

TAG_SPLIT_RE = re.compile(r"[,，、;；\n]+")


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("company name"), max_length=120)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=40, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    # R7: where the customer is, for ordering a day's visit route (WGS-84 degrees)
    latitude = forms.DecimalField(label=_("latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                  required=False, help_text=_("e.g. 31.299000 (north)"))
    longitude = forms.DecimalField(label=_("longitude"), max_digits=9, decimal_places=6, min_value=-180,
                                   max_value=180, required=False, help_text=_("e.g. 120.585300 (east)"))
    industry = forms.CharField(label=_("industry"), max_length=40, required=False)
    company_size = forms.ChoiceField(label=_("company size"), choices=[("", "—"), *CompanySize.choices],
                                     required=False)
    decision_maker_role = forms.CharField(label=_("decision maker"), max_length=40, required=False)
    budget = forms.DecimalField(label=_("budget (CNY)"), max_digits=14, decimal_places=2, min_value=0,
                                required=False)
    focus = forms.CharField(label=_("focus"), max_length=40, required=False)
    tags = forms.CharField(label=_("tags"), max_length=500, required=False,
                           help_text=_("Separate tags with commas."))
    grade = forms.ChoiceField(label=_("grade"), choices=[("", _("Not graded")), *Grade.choices], required=False)
    grade_reason = forms.CharField(label=_("reason for the grade"), max_length=200, required=False,
                                   help_text=_("Needed when the grade changes."))
    status = forms.ChoiceField(label=_("status"), choices=Status.choices, initial=Status.LEAD)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False,
                                   empty_label=_("Public pool"))
    # R15: sent by the "create anyway" button after a possible duplicate; never shown as a field
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)
    #: the version the editor read (``core.versioning``): a save based on an older one is refused
    version = version_field()

    def __init__(self, *args: Any, user: User, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]
        if creating and user.role != Role.REP:
            owners = User.objects.visible_to(user).filter(is_active=True).order_by("display_name")
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
            self.fields["owner"].initial = user.pk
        else:
            del self.fields["owner"]
        if not creating:
            del self.fields["confirm_new"]

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in TAG_SPLIT_RE.split(self.cleaned_data.get("tags") or "") if t.strip()]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["grade"] = data.get("grade") or None
        return data

    def rebase(self, *, base: dict[str, Any], current: dict[str, Any], version: int) -> list[str]:
        """After a stale save: what the editor typed on top of the current customer (``core.forms.rebase``)."""
        return rebase(self, base=base, current=current, version=version, as_text={"tags": ", ".join})

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)



class ContactForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "wechat", "email", "decision_role", "is_primary"]

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
