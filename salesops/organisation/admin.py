"""The organisation in the Django admin, with simple-history's change log on every object.

Saves go through the services, so the admin obeys the same rules (and keeps the same history) as the
pages and the API. Nothing is deleted: a company day is removed by unticking "active".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from salesops.accounts.requests import person_of
from salesops.core.admin import VersionedAdminMixin
from salesops.core.forms import VersionedModelForm
from salesops.organisation import services
from salesops.organisation.models import CalendarDay, Organisation, RuleSettings


class SingleRowAdmin(SimpleHistoryAdmin):
    """The one row (pk 1, made by a migration) can be changed, never added nor deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(SingleRowAdmin):
    list_display = ["name", "setup_completed_at", "created_at"]
    readonly_fields = ["setup_completed_at", "created_at"]


class RuleSettingsAdminForm(VersionedModelForm):
    class Meta:
        model = RuleSettings
        fields = list(services.RULE_SETTING_FIELDS)


@admin.register(RuleSettings)
class RuleSettingsAdmin(VersionedAdminMixin, SingleRowAdmin):
    form = RuleSettingsAdminForm
    list_display = ["__str__", "workday_start", "workday_end", "followup_log_hours", "updated_at"]
    readonly_fields = ["updated_at"]

    def save_model(self, request: HttpRequest, obj: RuleSettings, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in services.RULE_SETTING_FIELDS if name in form.cleaned_data}
        services.rule_settings_update(by=person_of(request), version=form.cleaned_data["version"], **values)
        obj.refresh_from_db()


class CalendarDayAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Checks an active company day with the service's rules, so errors show in the form (R2)."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "note", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not data.get("is_active"):
            return data
        try:
            services.calendar_day_check(
                date=data.get("date", self.instance.date), kind=data.get("kind"), note=data.get("note", "")
            )
        except ValidationError as exc:
            self.add_error(None, exc.messages)
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    form = CalendarDayAdminForm
    list_display = ["date", "kind", "note", "is_active"]
    list_filter = ["kind", "is_active"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["date"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        by: Any = request.user
        if obj.is_active:
            obj.pk = services.calendar_day_set(date=obj.date, kind=obj.kind, note=obj.note, by=by).pk
        elif change and form.initial.get("is_active"):
            services.calendar_day_remove(date=obj.date, by=by)
        else:
            super().save_model(request, obj, form, change)
