"""Forms of the settings pages. They only parse input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import version_field
from salesops.organisation.models import CalendarDay, RuleSettings, rule_setting_field
from salesops.organisation.services import CALENDAR_FIRST_DAY, CALENDAR_LAST_DAY, NOTE_MAX_LENGTH, RULE_SETTING_FIELDS

# The settings page's sections: (title, rule ids, fields). Together they hold every rule setting once.
RULE_GROUPS: list[tuple[Any, str, list[str]]] = [
    (
        _("Working day, morning brief and daily plan"),
        "R2 · R3 · R7",
        ["workday_start", "workday_end", "brief_ready_at", "meeting_at", "plan_opens_at", "plan_due_at"],
    ),
    (
        _("Follow-up cadence per grade"),
        "R10",
        ["cadence_a_days", "a_contract_days", "cadence_b_days", "b_visits_per_month", "cadence_c_days",
         "c_survey_months"],
    ),
    (_("Follow-up records"), "R11", ["followup_log_hours"]),
    (_("Public pool"), "R15", ["pool_days_a", "pool_days_b", "pool_days_c", "pool_claim_cap"]),
    (_("After a deal"), "R13 · R14", ["deal_followthrough_days", "repurchase_survey_days"]),
    (_("Daily summary and weekly review"), "R17 · R18", ["summary_minutes_before_end", "weekly_review_weekday"]),
    (_("Alerts"), "R19 · R23", ["lag_streak_days", "anomaly_below_percent"]),
    (_("Task proof"), "R20", ["proof_max_mb"]),
]

_TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 60})


class RuleSettingsForm(forms.Form):
    """Every rule setting with the model's label, help text and ranges (as HTML hints), and the version
    the admin read (``core.versioning``)."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(RuleSettings, fields=RULE_SETTING_FIELDS)
        for name in RULE_SETTING_FIELDS:
            field = model_fields[name]
            assert field is not None
            if isinstance(field, forms.TimeField):
                field.widget = _TIME_WIDGET
                field.input_formats = ["%H:%M", "%H:%M:%S"]
            elif isinstance(field, forms.IntegerField):
                for validator in rule_setting_field(name).validators:
                    code = getattr(validator, "code", "")
                    if code in ("min_value", "max_value"):
                        field.widget.attrs[code[:3]] = getattr(validator, "limit_value", None)
            self.fields[name] = field


class CalendarDayForm(forms.Form):
    """A company day off or extra working day (R2)."""

    date = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": CALENDAR_FIRST_DAY.isoformat(), "max": CALENDAR_LAST_DAY.isoformat()},
        ),
        input_formats=["%Y-%m-%d"],
    )
    kind = forms.ChoiceField(label=_("kind"), choices=CalendarDay.Kind.choices)
    note = forms.CharField(label=_("note"), max_length=NOTE_MAX_LENGTH, required=False)


class CalendarDayRemoveForm(forms.Form):
    date = forms.DateField(input_formats=["%Y-%m-%d"])
