"""The day's page: today for everyone, then the day's work of the user's role, built in ``home.days``; and
the lead's day board (``home.board``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from salesops.accounts.models import Role
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.home import board, days
from salesops.organisation.selectors import rule_settings, work_calendar
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


class TeamForm(forms.Form):
    """The board's team picker (a bad value falls back to the user's own or first team)."""

    team = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


@login_required
@permission_required("daily.view_team_plans", raise_exception=True)
@require_GET
def day_board(request: AuthedHttpRequest) -> HttpResponse:
    """The lead's day: what waits on them for one team today (``?team=`` among theirs; another team: 404)."""
    user = request.user
    form = TeamForm(request.GET)
    wanted = form.cleaned_data.get("team") if form.is_valid() else None
    teams = list(board.teams_of(user=user))
    team = next((team for team in teams if team.pk == wanted), None)
    if wanted and team is None:
        raise Http404(_("No such team."))
    team = team or next((team for team in teams if team.pk == user.team_id), None) or next(iter(teams), None)
    now = timezone.localtime()
    calendar = work_calendar()
    settings = rule_settings()
    day = board.board(user=user, team=team, now=now, is_workday=calendar.is_workday(now.date()),
                      settings=settings) if team is not None else None
    return render(request, "home/board.html", {
        "teams": teams, "team": team, "board": day, "today": now.date(), "settings": settings,
        "here": request.get_full_path(),
    })
