"""Job runs in the Django admin, read-only: runs are written by the scheduler and ``salesops run-job``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from salesops.jobs.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "date", "status", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "name"]
    search_fields = ["name", "error"]
    date_hierarchy = "date"
    ordering = ["-date", "name"]
    readonly_fields = [
        "name", "date", "status", "queued_at", "started_at", "finished_at", "attempts", "result", "error",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
