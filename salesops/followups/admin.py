"""Management pages for follow-up records: read-only (R11 records are written through the services, so
``late`` and the cadence stay right); nothing is deleted."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesops.core.admin import ReadOnlyAdminMixin
from salesops.followups.models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ["customer", "author", "contacted_at", "channel", "late", "checkin_distance_m", "is_active"]
    list_filter = ["channel", "late", "is_active", "is_survey"]
    search_fields = ["customer__name", "author__display_name", "key_points"]
    list_select_related = ["customer", "author"]
    date_hierarchy = "contacted_at"
    raw_id_fields = ["customer", "author", "contact"]
