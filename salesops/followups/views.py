"""Pages: my follow-ups due today, the follow-up form (R11), the team's overdue customers (R10) and the
private calendar feed with its page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today, week_end
from salesops.core.files import file_response
from salesops.core.forms import add_errors
from salesops.customers.choices import Grade
from salesops.customers.models import Customer
from salesops.followups import feed, selectors, services
from salesops.followups.cadence import next_due_date
from salesops.followups.forms import FollowUpForm
from salesops.followups.models import VisitPhoto
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.organisation.workcal import WorkCalendar

PAGE_SIZE = 50


#: The due page's views (``?when=``), "due" (overdue or due today) first and the default.
DUE_LABELS = {
    "due": gettext_lazy("Due or overdue"), "overdue": gettext_lazy("Overdue"), "today": gettext_lazy("Due today"),
    "week": gettext_lazy("Due this week"), "all": gettext_lazy("All"),
}


def _due_window(when: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The first and last due date of a view (None: open)."""
    return {
        "due": (None, today), "overdue": (None, today - dt.timedelta(days=1)), "today": (today, today),
        "week": (today, week_end(today)), "all": (None, None),
    }[when]


@login_required
def due_today(request: AuthedHttpRequest) -> HttpResponse:
    """R10: the full list of the rep's own customers by due date, filtered by when they are due and by
    grade, each with a one-tap "log follow-up"; the home page shows the day and links here."""
    today = local_today()
    user = request.user
    when = request.GET.get("when", "due")
    when = when if when in DUE_LABELS else "due"
    grade = request.GET.get("grade", "")
    grade = grade if grade in Grade.values else ""
    start, end = _due_window(when, today)
    customers = selectors.due_between(user=user, today=today, start=start, end=end, grade=grade)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "followups/today.html", {
        "today": today, "page": page, "when": when, "grade": grade,
        "windows": list(DUE_LABELS.items()), "grades": Grade.values,
        "query": urlencode({"when": when, "grade": grade} if grade else {"when": when}),
    })


def _suggested_next(customer: Customer, today: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """The date the cadence of the customer's grade (R10) sets when it is followed up today."""
    return next_due_date(
        grade=customer.grade, start=today, rep_date=None, settings=rule_settings(), calendar=calendar
    )


def quick_dates(today: dt.date, calendar: WorkCalendar) -> list[tuple[str, dt.date]]:
    """The three buttons beside the next follow-up date, each a different day: of tomorrow, in 3 days, next
    Monday, in a week and in two weeks, the first three that do not repeat a day already offered. Each is
    moved to the next working day when it falls on a day off (R2); a day off tomorrow reads "next working
    day". (On a Friday, tomorrow, in 3 days and next Monday are all Monday: one button, not three.)"""
    tomorrow = today + dt.timedelta(days=1)
    monday = today + dt.timedelta(days=7 - today.weekday())
    candidates = [
        (_("Tomorrow") if calendar.is_workday(tomorrow) else _("Next working day"), tomorrow),
        (_("In 3 days"), today + dt.timedelta(days=3)),
        (_("Next Monday"), monday),
        (_("In a week"), today + dt.timedelta(days=7)),
        (_("In two weeks"), today + dt.timedelta(days=14)),
    ]
    offered: list[tuple[str, dt.date]] = []
    for label, day in candidates:
        workday = calendar.workday_on_or_after(day)
        if all(workday != seen for _label, seen in offered):
            offered.append((label, workday))
    return offered[:3]


def _back_to(request: HttpRequest) -> str:
    """Where the form returns after saving: a page of this site named in ``next``, else the due page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("followup-today")


@login_required
@require_http_methods(["GET", "POST"])
def followup_form(request: AuthedHttpRequest, customer_id: int) -> HttpResponse:
    """R11: log a contact in a few taps on a phone: the last record's next step above the form, the next
    date from the cadence (R10) or one tap on a quick date, check-in and photos only for a visit."""
    user = request.user
    customer = Customer.objects.visible_to(user).select_related("owner").filter(pk=customer_id).first()
    if customer is None or not services.can_log_followup(user, customer):
        raise Http404(_("No such customer."))
    today = local_today()
    calendar = work_calendar()
    back = _back_to(request)
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
                return redirect(back)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = FollowUpForm(
            customer=customer,
            initial={
                "contacted_at": now, "next_followup_at": _suggested_next(customer, today, calendar), "channel": "phone",
            },
        )
    context = {
        "customer": customer,
        "form": form,
        "back": back,
        "last": selectors.last_followup(customer=customer, user=user),
        "quick_dates": quick_dates(today, calendar),
        "is_visit": form["channel"].value() == "visit",
        "log_hours": rule_settings().followup_log_hours,
        "has_location": customer.latitude is not None and customer.longitude is not None,
    }
    return render(request, "followups/form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def visit_photo(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """A visit photo, to exactly those who see its record (R1); anyone else gets 404, as for an id nobody
    has. Served as the kind it was stored as, with ``nosniff`` (``core.files``)."""
    photo = get_object_or_404(VisitPhoto.objects.visible_to(request.user).filter(followup__is_active=True), pk=pk)
    return file_response(photo.image, download_name=f"visit-{photo.pk}")


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
def calendar_page(request: AuthedHttpRequest) -> HttpResponse:
    """The person's feed address, and a button that makes a new one (the old one stops working)."""
    user = request.user
    if request.method == "POST":
        feed.feed_regenerate(user=user)
        messages.success(request, _("A new calendar address is ready; the old one no longer works."))
        return redirect("calendar-page")
    current = feed.feed_of(user)
    return render(request, "followups/calendar.html", {
        "feed_url": feed.feed_url(current) if current else "",
    })
