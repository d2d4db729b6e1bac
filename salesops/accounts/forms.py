from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from salesops.accounts.handover import MoveTo
from salesops.accounts.models import Role, User


class LoginForm(AuthenticationForm):
    """The login form with labels and errors in the user's language."""

    username = forms.CharField(
        label=_("Login name"), widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("The login name or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is deactivated. Ask an admin."),
    }


class DeactivateForm(forms.Form):
    """R15: where a leaver's customers and open work go; the service checks the choice."""

    move_to = forms.ChoiceField(
        label=_("Their customers and open work go"), choices=MoveTo.choices, widget=forms.RadioSelect, required=False
    )
    to_user = forms.ModelChoiceField(
        label=_("The person who takes them over"), queryset=User.objects.none(), required=False,
        empty_label=_("Choose a person"),
    )

    def __init__(self, *args: Any, person: User, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.visible_to(by).filter(is_active=True, role__in=[Role.REP, Role.LEAD], team__isnull=False)
        self.fields["to_user"].queryset = (  # type: ignore[attr-defined]
            people.exclude(pk=person.pk).select_related("team").order_by("team__name", "display_name")
        )
