"""Task forms for a phone: the new task (R16), a proof from the camera, submit, decide, reschedule (R20)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesops.accounts.models import User
from salesops.core.scope import scope_of
from salesops.tasks import targets
from salesops.tasks.models import ProofKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.username)


class TaskForm(forms.Form):
    """R16: the assignee is oneself or someone one manages; a measured target is optional."""

    title = forms.CharField(label=_("Title"), max_length=120)
    standard = forms.CharField(label=_("Completion standard"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label=_("Content"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    assignee = PersonChoice(label=_("Assignee"), queryset=User.objects.none(), empty_label=None)
    target_measure = forms.ChoiceField(label=_("Measured target"), required=False,
                                       choices=[("", _("None")), *targets.CHOICES])
    target_count = forms.IntegerField(label=_("Target count"), required=False, min_value=1, max_value=1_000_000)
    target_since = forms.DateField(label=_("Counted from"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            Q(pk=user.pk) | scope_of(user).managed_q("pk"), is_active=True
        ).order_by("team__name", "display_name", "pk")


class ProofForm(forms.Form):
    """R20: a photo straight from the phone's camera, or a screenshot or a scanned PDF."""

    file = forms.FileField(label=_("Proof file"), widget=forms.ClearableFileInput(
        attrs={"accept": "image/*,application/pdf", "capture": "environment"}))
    kind = forms.ChoiceField(label=_("Kind of proof"), choices=ProofKind.choices, initial=ProofKind.VISIT_PHOTO)


class SubmitForm(forms.Form):
    """What the post-win kinds add when handed in (R13): the score and comments of a satisfaction call,
    the after-sales contact of a handover."""

    score = forms.TypedChoiceField(label=_("Customer's score"), required=False, coerce=int, empty_value=None,
                                   choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]])
    comments = forms.CharField(label=_("What the customer said"), max_length=5000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    handover_contact = forms.CharField(label=_("After-sales contact"), max_length=80, required=False)


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("Why it goes back"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(forms.Form):
    checkpoint = forms.DateField(label=_("New checkpoint"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason for the delay"), max_length=500)
