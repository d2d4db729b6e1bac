"""Job runs in the Django admin, read-only: runs are written by the scheduler and ``salesops run-job``."""

from __future__ import annotations

from django.contrib import admin

from salesops.core.admin import ReadOnlyAdminMixin
from salesops.jobs.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "date", "status", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "name"]
    search_fields = ["name", "error"]
    date_hierarchy = "date"
    ordering = ["-date", "name"]
    readonly_fields = [
        "name", "date", "status", "queued_at", "started_at", "finished_at", "attempts", "result", "error",
    ]
