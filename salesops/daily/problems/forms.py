"""Forms of R5 problems and R6 success cases, phone first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesops.accounts.models import Team, User
from salesops.core.scope import scope_of
from salesops.daily.problems.models import ProblemCategory, ResourceKind


def teams_for(user: User) -> Any:
    """The teams ``user`` may write for: their own and those they manage."""
    scope = scope_of(user)
    if scope.everything:
        return Team.objects.active().order_by("name")
    return Team.objects.active().filter(Q(pk__in=scope.team_ids) | Q(pk=user.team_id)).order_by("name")


class TeamChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.username)


class _TeamForm(forms.Form):
    """A team field only for whoever may write for more than one team or has none of their own."""

    team = TeamChoice(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = teams_for(user)
        if user.team_id is not None and field.queryset.count() <= 1:
            del self.fields["team"]


class ProblemForm(_TeamForm):
    title = forms.CharField(label=_("Problem"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=ProblemCategory.choices)
    detail = forms.CharField(label=_("Detail"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))


class SuccessCaseForm(_TeamForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    story = forms.CharField(label=_("The story: what worked and why"), max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 6}))


class AssignForm(forms.Form):
    """R5: the owner is a person or a kind of resource."""

    owner_user = PersonChoice(label=_("A person"), queryset=User.objects.none(), required=False)
    owner_resource = forms.ChoiceField(label=_("Or a resource"), required=False,
                                       choices=[("", "—"), *ResourceKind.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.visible_to(user).filter(is_active=True).order_by("team__name", "display_name")


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
