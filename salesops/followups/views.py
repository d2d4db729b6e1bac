"""Pages: my follow-ups due today, the follow-up form (R11), and the team's overdue customers (R10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from salesops.accounts.models import User
from salesops.accounts.rules import is_manager
from salesops.customers.cadence import next_due_date
from salesops.customers.models import Customer
from salesops.followups import selectors, services
from salesops.followups.forms import FollowUpForm
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.organisation.workcal import local_today

PAGE_SIZE = 50
#: Overdue rows shown on the team page; the API lists them all, page by page.
OVERDUE_ROWS = 500


@login_required
def due_today(request: HttpRequest) -> HttpResponse:
    """R10: the rep's own customers due today or overdue, each with a one-tap "log follow-up"."""
    today = local_today()
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(selectors.due_today(user=user, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "followups/today.html", {"today": today, "page": page})


def _suggested_next(customer: Customer, today: dt.date) -> dt.date | None:
    """The date the cadence of the customer's grade (R10) sets when it is followed up today."""
    return next_due_date(
        grade=customer.grade, start=today, rep_date=None, settings=rule_settings(), calendar=work_calendar()
    )


def _add_errors(form: FollowUpForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def followup_form(request: HttpRequest, customer_id: int) -> HttpResponse:
    """R11: log a contact in well under a minute on a phone; the next date comes from the cadence (R10)."""
    user: User = request.user  # type: ignore[assignment]
    customer = Customer.objects.visible_to(user).select_related("owner").filter(pk=customer_id).first()
    if customer is None or not services.can_log_followup(user, customer):
        raise Http404(_("No such customer."))
    today = local_today()
    if request.method == "POST":
        form = FollowUpForm(request.POST, request.FILES, customer=customer)
        if form.is_valid():
            try:
                followup = services.followup_create(by=user, customer=customer, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                customer.refresh_from_db(fields=["next_due_at"])
                due = date_format(customer.next_due_at, "Y-m-d") if customer.next_due_at else _("none")
                text = _("Follow-up with %(name)s logged. Next follow-up due: %(date)s.") % {
                    "name": customer.name, "date": due,
                }
                if followup.late:
                    text += " " + _("It was logged late and counts as a late log.")
                messages.success(request, text)
                return redirect("followup-today")
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = FollowUpForm(
            customer=customer,
            initial={"contacted_at": now, "next_followup_at": _suggested_next(customer, today), "channel": "phone"},
        )
    context = {
        "customer": customer,
        "form": form,
        "log_hours": rule_settings().followup_log_hours,
        "has_location": customer.latitude is not None and customer.longitude is not None,
    }
    return render(request, "followups/form.html", context, status=400 if form.errors else 200)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _chart(figures: list[selectors.RepFigures]) -> dict[str, Any]:
    """ECharts option: cadence compliance per rep (R10), in percent."""
    return {
        "grid": {"left": 8, "right": 16, "top": 24, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "inverse": True, "data": [f.user.display_name for f in figures]},
        "series": [
            {
                "name": _("Cadence compliance"),
                "type": "bar",
                "data": [_percent(f.compliance) for f in figures],
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
            }
        ],
    }


@login_required
def team_overdue(request: HttpRequest) -> HttpResponse:
    """R10 for leads and directors: overdue customers of their team(s) per rep, with each rep's cadence
    compliance today and late-logging share (R11) this month."""
    user: User = request.user  # type: ignore[assignment]
    if not is_manager.test(user):
        raise PermissionDenied(_("Only team leads, directors and admins see the team's overdue customers."))
    today = local_today()
    month_start = today.replace(day=1)
    reps = list(selectors.team_reps(user=user))
    figures = selectors.rep_figures(users=reps, today=today, start=month_start, end=today)
    overdue = list(selectors.team_overdue(user=user, today=today)[: OVERDUE_ROWS + 1])
    per_owner: dict[int, list[Customer]] = {}
    for customer in overdue[:OVERDUE_ROWS]:
        per_owner.setdefault(customer.owner_id or 0, []).append(customer)
    ordered = sorted(figures, key=lambda f: (-len(per_owner.get(f.user.pk, [])), f.user.display_name))
    groups = [
        {
            "figures": f,
            "compliance": _percent(f.compliance),
            "late_share": _percent(f.late_share),
            "customers": per_owner.get(f.user.pk, []),
        }
        for f in ordered
    ]
    totals = selectors.total_figures(figures)
    context = {
        "today": today,
        "month_start": month_start,
        "groups": groups,
        "more": len(overdue) > OVERDUE_ROWS,
        "shown": OVERDUE_ROWS,
        "total_compliance": _percent(totals["compliance"]),
        "total_late_share": _percent(totals["late_share"]),
        "totals": totals,
        "chart": _chart(figures),
    }
    return render(request, "followups/team_overdue.html", context)
