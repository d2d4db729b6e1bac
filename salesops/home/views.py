"""The day's page: today for everyone; each role's own day is built here from the domains' selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from salesops.accounts.models import Team, User
from salesops.core.clock import local_today
from salesops.organisation.selectors import work_calendar
from salesops.organisation.workcal import national_holiday_name


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
    return render(request, "home/home.html", context)
