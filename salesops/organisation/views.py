"""Pages: the rule settings (every number of DOMAIN.md) and the working calendar (R2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_AP
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict
from salesops.core.forms import show_stale
from salesops.organisation import selectors, services
from salesops.organisation.forms import RULE_GROUPS, CalendarDayForm, CalendarDayRemoveForm, RuleSettingsForm
from salesops.organisation.models import RuleSettings, rule_setting_field
from salesops.organisation.workcal import (
    DayInfo,
    Reason,
    WorkCalendar,
    makeup_days_published,
    national_holidays,
)

# Column headings of the month grids, Monday first (zh: 一 二 三 四 五 六 日).
WEEKDAY_HEADINGS = [
    pgettext_lazy("calendar column", "Mon"),
    pgettext_lazy("calendar column", "Tue"),
    pgettext_lazy("calendar column", "Wed"),
    pgettext_lazy("calendar column", "Thu"),
    pgettext_lazy("calendar column", "Fri"),
    pgettext_lazy("calendar column", "Sat"),
    pgettext_lazy("calendar column", "Sun"),
]


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's errors next to the form's fields (or above the form when no field fits)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _shown(settings: RuleSettings, name: str) -> str:
    value = getattr(settings, name)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    display = getattr(settings, f"get_{name}_display", None)
    return str(display()) if display else str(value)


@login_required
@require_http_methods(["GET", "POST"])
def rule_settings_page(request: AuthedHttpRequest) -> HttpResponse:
    """Everyone reads the rule numbers; an admin edits them, grouped by rule, with recent changes."""
    can_edit = request.user.has_perm("organisation.manage_settings")
    settings = selectors.rule_settings()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only an admin may change the rule settings."))
        form = RuleSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.rule_settings_update(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            except Conflict:
                show_stale(form, row=RuleSettings.objects.get(pk=1), read=form.cleaned_data["version"],
                           excluded={"updated_at"})
            else:
                messages.success(request, _("The rule settings are saved."))
                return redirect("rule-settings")
    else:
        initial = model_to_dict(settings, fields=services.RULE_SETTING_FIELDS)
        form = RuleSettingsForm(initial={**initial, "version": settings.version})
    groups = [
        {
            "title": title,
            "rules": rules,
            "fields": [form[name] for name in names],
            "values": [
                {
                    "label": rule_setting_field(name).verbose_name,
                    "value": _shown(settings, name),
                    "help": rule_setting_field(name).help_text,
                }
                for name in names
            ],
        }
        for title, rules, names in RULE_GROUPS
    ]
    context = {
        "can_edit": can_edit,
        "form": form,
        "groups": groups,
        "settings": settings,
        "summary_due_at": settings.summary_due_at.strftime("%H:%M"),
        "changes": selectors.rule_setting_changes(limit=20),
    }
    return render(request, "organisation/rules.html", context, status=400 if form.errors else 200)


def _year_from(request: HttpRequest, today: dt.date) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return today.year
    if raw.isdigit() and 1900 <= int(raw) <= 2100:
        return int(raw)
    messages.error(request, _("Choose a year between 1900 and 2100."))
    return today.year


def _month_grid(days: list[DayInfo]) -> list[list[DayInfo | None]]:
    """A month's days in weeks from Monday, with None before the 1st and after the last day."""
    cells: list[DayInfo | None] = [None] * days[0].date.weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def _chart(year: int, per_month: list[int]) -> dict[str, Any]:
    """ECharts option: working days per month of ``year``."""
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 32, "right": 8, "top": 24, "bottom": 32},
        "xAxis": {"type": "category", "data": [str(MONTHS_AP[m]) for m in range(1, 13)]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": _("Working days in %(year)s") % {"year": year},
                "type": "bar",
                "data": per_month,
                "label": {"show": True, "position": "top"},
                "itemStyle": {"color": "#c62828"},
            }
        ],
    }


def _handle_calendar_post(request: AuthedHttpRequest) -> tuple[CalendarDayForm, HttpResponse | None]:
    """Add or remove a company day; a redirect on success, else the form with its errors."""
    if not request.user.has_perm("organisation.manage_calendar"):
        raise PermissionDenied(_("Only an admin may change the company calendar."))
    if request.POST.get("action") == "remove":
        remove = CalendarDayRemoveForm(request.POST)
        form = CalendarDayForm()
        if not remove.is_valid():
            messages.error(request, _("Enter a date as YYYY-MM-DD."))
            return form, None
        day = remove.cleaned_data["date"]
        try:
            services.calendar_day_remove(date=day, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return form, None
        messages.success(request, _("The company day on %(date)s is removed.") % {"date": day.isoformat()})
        return form, redirect(f"{reverse('workcal')}?year={day.year}")
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            entry = services.calendar_day_set(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            saved = {"date": entry.date.isoformat(), "kind": entry.get_kind_display()}
            messages.success(request, _("%(date)s is saved as: %(kind)s.") % saved)
            return form, redirect(f"{reverse('workcal')}?year={entry.date.year}")
    return form, None


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: AuthedHttpRequest) -> HttpResponse:
    """A year of the working calendar (R2): working days per month, holidays, 调休 and the company's own days."""
    today = local_today()
    form = CalendarDayForm()
    status = 200
    if request.method == "POST":
        form, done = _handle_calendar_post(request)
        if done is not None:
            return done
        status = 400
    year = _year_from(request, today)
    cal: WorkCalendar = selectors.work_calendar()
    per_month = cal.workdays_per_month(year)
    months = [
        {"name": MONTHS[m], "weeks": _month_grid(cal.month(year, m)), "workdays": per_month[m - 1]}
        for m in range(1, 13)
    ]
    holidays = [{"info": cal.info(day), "national_name": name} for day, name in national_holidays(year)]
    context = {
        "year": year,
        "previous_year": year - 1 if year > 1900 else None,
        "next_year": year + 1 if year < 2100 else None,
        "today": today,
        "total_workdays": sum(per_month),
        "chart": _chart(year, per_month),
        "months": months,
        "weekdays": WEEKDAY_HEADINGS,
        "holidays": holidays,
        "makeup_days": cal.makeup_workdays(year),
        "published": makeup_days_published(year),
        "company_days": selectors.company_days(year=year),
        "can_edit": request.user.has_perm("organisation.manage_calendar"),
        "form": form,
        "reasons": Reason,
    }
    return render(request, "organisation/calendar.html", context, status=status)
