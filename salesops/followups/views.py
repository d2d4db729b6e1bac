"""Pages: my follow-ups due today, the follow-up form (R11), the team's overdue customers (R10) and the
private calendar feed with its page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from salesops.accounts.models import Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import PermissionDenied
from salesops.core.forms import add_errors
from salesops.customers.models import Customer
from salesops.followups import feed, selectors, services
from salesops.followups.cadence import next_due_date
from salesops.followups.forms import FollowUpForm
from salesops.followups.models import VisitPhoto
from salesops.organisation.selectors import rule_settings, work_calendar

PAGE_SIZE = 50
#: Overdue customers shown per person on the team page; the rest are one link away in the customer list.
OVERDUE_PER_PERSON = 5


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
                add_errors(form, exc)
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


PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@login_required
@require_GET
def visit_photo(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """A visit photo, to exactly those who see its record (R1); anyone else gets 404."""
    photo = get_object_or_404(VisitPhoto.objects.visible_to(request.user).filter(followup__is_active=True), pk=pk)
    kind = photo.image.name.rpartition(".")[2].lower()
    response = FileResponse(photo.image.open("rb"), content_type=PHOTO_TYPES.get(kind, "application/octet-stream"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


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


def _chosen_team(request: HttpRequest, teams: list[Team]) -> Team | None:
    """The team picked with ``?team=<id>`` among the caller's teams; None for all of them (or a bad value)."""
    wanted = request.GET.get("team", "")
    return next((team for team in teams if str(team.pk) == wanted), None)


@login_required
def team_overdue(request: HttpRequest) -> HttpResponse:
    """R10 for leads and directors: each person's cadence compliance today, late-logging share (R11) this
    month and overdue customers. One team shows each person's longest-overdue customers; several teams
    (a director, an admin) show one line per person, and a team can be picked to see its customers."""
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("followups.view_team_overdue"):
        raise PermissionDenied(_("Only team leads, directors and admins see the team's overdue customers."))
    today = local_today()
    month_start = today.replace(day=1)
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    team = _chosen_team(request, teams)
    people = selectors.team_reps(user=user)
    reps = list(people.filter(team=team) if team else people)
    figures = selectors.rep_figures(users=reps, today=today, start=month_start, end=today)
    detailed = len({rep.team_id for rep in reps}) <= 1
    per_owner: dict[int, list[Customer]] = {}
    if detailed and reps:
        top = selectors.team_overdue(user=user, today=today, owner_ids=[rep.pk for rep in reps],
                                     per_owner=OVERDUE_PER_PERSON)
        for customer in top:
            per_owner.setdefault(customer.owner_id or 0, []).append(customer)
    ordered = sorted(figures, key=lambda f: (-f.overdue, f.user.display_name))
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
        "teams": teams if len(teams) > 1 else [],
        "team": team,
        "detailed": detailed,
        "groups": groups,
        "total_compliance": _percent(totals["compliance"]),
        "total_late_share": _percent(totals["late_share"]),
        "totals": totals,
        "chart": _chart(figures),
    }
    return render(request, "followups/team_overdue.html", context)


@require_GET
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The .ics feed: the secret is the credential (calendar apps do not log in); unknown → 404."""
    user = feed.feed_user(secret)
    if user is None:
        raise Http404
    response = HttpResponse(feed.feed_ics(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The person's feed address, and a button that makes a new one (the old one stops working)."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        feed.feed_regenerate(user=user)
        messages.success(request, _("A new calendar address is ready; the old one no longer works."))
        return redirect("calendar-page")
    current = feed.feed_of(user)
    return render(request, "followups/calendar.html", {
        "feed_url": feed.feed_url(current) if current else "",
    })
