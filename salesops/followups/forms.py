"""The follow-up form 客户跟进记录表 (R11), built for a phone: big channel buttons, defaults filled in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.customers.models import Contact, Customer
from salesops.followups.models import Channel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one file input; their content is checked by the service, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class FollowUpForm(forms.Form):
    """The fields in the order a phone shows them: what is typed most first; the contact person only when
    the customer has contacts, and no "---------" in its list."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect)
    contacted_at = forms.DateTimeField(
        label=_("Contact time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    key_points = forms.CharField(
        label=_("Key points"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    feedback = forms.CharField(
        label=_("Customer feedback"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"), queryset=Contact.objects.none(), required=False, empty_label=_("Not specified")
    )
    next_step = forms.CharField(
        label=_("Next step"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_followup_at = forms.DateField(
        label=_("Next follow-up date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_survey = forms.BooleanField(label=_("This was a needs survey"), required=False)
    checkin_latitude = forms.DecimalField(max_digits=12, decimal_places=8, required=False, widget=forms.HiddenInput)
    checkin_longitude = forms.DecimalField(max_digits=12, decimal_places=8, required=False, widget=forms.HiddenInput)
    photos = MultipleImageField(label=_("Visit photos"), required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact_field = self.fields["contact"]
        assert isinstance(contact_field, forms.ModelChoiceField)
        contact_field.queryset = Contact.objects.filter(customer=customer, is_active=True)
        if not contact_field.queryset.exists():
            del self.fields["contact"]
