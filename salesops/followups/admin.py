"""Management pages for follow-up records: read-only (R11 records are written through the services, so
``late`` and the cadence stay right); nothing is deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from salesops.followups.models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ["customer", "author", "contacted_at", "channel", "late", "checkin_distance_m", "is_active"]
    list_filter = ["channel", "late", "is_active", "is_survey"]
    search_fields = ["customer__name", "author__display_name", "key_points"]
    list_select_related = ["customer", "author"]
    date_hierarchy = "contacted_at"
    raw_id_fields = ["customer", "author", "contact"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
