"""The lead's talk form (R19): cause and remedy from the lists, a note, whether the matter is closed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.daily.lag.models import AlertStatus, LagCause, LagRemedy


class LagTalkForm(forms.Form):
    cause = forms.ChoiceField(label=_("cause"), choices=LagCause.choices)
    remedy = forms.ChoiceField(label=_("remedy"), choices=LagRemedy.choices)
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    status = forms.ChoiceField(label=_("status"), choices=[
        (AlertStatus.OPEN, _("Follow up further")), (AlertStatus.CLOSED, _("Closed"))], initial=AlertStatus.OPEN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
