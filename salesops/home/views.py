"""The day's page: today for everyone, then the day's work of the user's role, built in ``home.days``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from salesops.accounts.models import Role
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.home import days
from salesops.organisation.selectors import work_calendar
from salesops.organisation.workcal import national_holiday_name


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """Today: the date and whether it is a working day, then the role's day (``home.days``)."""
    user = request.user
    today = local_today()
    calendar = work_calendar()
    context = {
        "today": today,
        "is_workday": calendar.is_workday(today),
        "holiday_name": national_holiday_name(today),
        "next_workday": calendar.next_workday(today),
        "workdays_left": calendar.workdays_left_in_month(today),
        "workdays_in_month": len(calendar.workdays_in_month(today.year, today.month)),
    }
    if user.is_admin:
        context.update(role="admin", **days.admin_day(), **days.director_day(user, today, calendar))
    elif user.role == Role.DIRECTOR:
        context.update(role="director", **days.director_day(user, today, calendar))
    elif user.role == Role.LEAD:
        context.update(role="lead", **days.lead_day(user, today, calendar))
    else:
        context.update(role="rep", **days.rep_day(user, today))
    return render(request, "home/home.html", context)
