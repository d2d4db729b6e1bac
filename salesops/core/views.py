"""The shell's own pages: today's home, health, and error pages (JSON under /api/, HTML elsewhere)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core import errors
from salesops.core.api import error_body
from salesops.organisation.selectors import work_calendar
from salesops.organisation.workcal import local_today, national_holiday_name


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Today: the date, whether it is a working day, what is left of the month, and the user's teams."""
    today = local_today()
    calendar = work_calendar()
    teams = Team.objects.visible_to(request.user).active().select_related("lead", "director")
    context = {
        "today": today,
        "is_workday": calendar.is_workday(today),
        "holiday_name": national_holiday_name(today),
        "next_workday": calendar.next_workday(today),
        "workdays_left": calendar.workdays_left_in_month(today),
        "workdays_in_month": len(calendar.workdays_in_month(today.year, today.month)),
        "teams": teams,
        "people_count": User.objects.visible_to(request.user).filter(is_active=True).count(),
    }
    return render(request, "core/home.html", context)


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


def server_error(request: HttpRequest) -> HttpResponse:
    message = _("Something went wrong on our side; the error has been logged.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", message), status=500)
    return HttpResponse(f"<!doctype html><title>500</title><h1>500</h1><p>{message}</p>", status=500)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403; a service's refusal (``core.errors.PermissionDenied``) says why."""
    reason = str(exception) if isinstance(exception, errors.PermissionDenied) else ""
    return _error(request, 403, "permission_denied", reason or _("You do not have permission to do this."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", _("The request could not be understood."))
