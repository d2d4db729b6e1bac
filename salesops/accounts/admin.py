"""Management pages for people and teams. Every save goes through the accounts services' rules;
nobody is deleted: people are deactivated, teams closed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from salesops.accounts import services
from salesops.accounts.models import Team, User
from salesops.accounts.requests import person_of
from salesops.core.admin import VersionedAdminMixin
from salesops.core.forms import VersionedModelForm

admin.site.site_header = _("salesops management")
admin.site.site_title = _("salesops management")
admin.site.index_title = _("Management")


class UserRulesMixin(forms.ModelForm):  # type: ignore[type-arg]
    """Checks a person's role, team and mobile number with the same rules as the API (R1)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.check_role_team(data.get("role", ""), data.get("team"))
            data["phone"] = services.normalise_mobile(data.get("phone", ""))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


class UserAddForm(UserRulesMixin, UserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["username", "display_name", "role", "team", "phone", "email", "language"]


class UserChangeForm(UserRulesMixin, VersionedModelForm):
    class Meta:
        model = User
        fields = ["display_name", "role", "team", "phone", "email", "language"]


@admin.register(User)
class UserAdmin(VersionedAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):  # type: ignore[misc]
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ["display_name", "username", "role", "team", "phone", "is_active", "last_login"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["display_name", "username", "phone", "email"]
    ordering = ["team__name", "display_name"]
    actions = ["deactivate", "reactivate"]
    fieldsets = (
        # no "password": a model form would show the stored hash in a text box; passwords are reset on the
        # people pages (which also end the person's sessions and tokens)
        (None, {"fields": ("username", "version")}),
        (_("Personal details"), {"fields": ("display_name", "role", "team", "phone", "email", "language")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "display_name", "role", "team", "phone", "email", "language",
                           "password1", "password2")}),
    )
    readonly_fields = ["is_active", "last_login", "date_joined"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            data = form.cleaned_data
            services.user_update(
                user=obj, version=data["version"], team=data.get("team"),
                **{name: data[name] for name in ("display_name", "role", "phone", "email", "language")},
            )
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Deactivate the selected people who hold no customers or open work"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = 0
        for person in queryset:
            try:
                services.user_deactivate(user=person, by=person_of(request))
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{person}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("%(n)d people deactivated.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Reactivate the selected people"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            services.user_reactivate(user=person)
        self.message_user(request, _("%(n)d people reactivated.") % {"n": queryset.count()}, messages.SUCCESS)


class TeamForm(VersionedModelForm):
    class Meta:
        model = Team
        fields = ["name", "lead", "director"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.check_team_people(
                team=self.instance if self.instance.pk else None, lead=data.get("lead"), director=data.get("director")
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(Team)
class TeamAdmin(VersionedAdminMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    form = TeamForm
    list_display = ["name", "lead", "director", "member_count", "is_active"]
    list_filter = ["is_active", "director"]
    search_fields = ["name"]
    actions = ["close"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return (
            super()
            .get_queryset(request)
            .select_related("lead", "director")
            .annotate(active_members=Count("members", filter=Q(members__is_active=True)))
        )

    @admin.display(description=_("members"), ordering="active_members")
    def member_count(self, team: Any) -> int:
        return int(team.active_members)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.team_update(team=obj, name=data["name"], lead=data.get("lead"), director=data.get("director"),
                                 version=data["version"])
        else:
            team = services.team_create(name=data["name"], lead=data.get("lead"), director=data.get("director"))
            obj.pk = team.pk

    @admin.action(description=_("Close the selected teams"))
    def close(self, request: HttpRequest, queryset: QuerySet[Team]) -> None:
        for team in queryset:
            try:
                services.team_close(team=team)
            except ValidationError as exc:
                self.message_user(request, f"{team}: {' '.join(exc.messages)}", messages.ERROR)
