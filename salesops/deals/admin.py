"""Management pages an admin keeps for deals: each stage's default probability (saved through the deal
services, with history) and the list of loss reasons (withdrawn, never deleted)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from salesops.accounts.requests import person_of
from salesops.deals import services
from salesops.deals.models import LossReason, StageProbability


@admin.register(StageProbability)
class StageProbabilityAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("stage", "probability")
    fields = ("stage", "probability")
    readonly_fields = ("stage",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: StageProbability, form: Any, change: bool) -> None:
        services.stage_probability_set(by=person_of(request), stage=obj.stage, probability=obj.probability)


@admin.register(LossReason)
class LossReasonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    fields = ("name", "position", "is_active")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
