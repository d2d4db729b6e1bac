"""Pages of R17 daily summaries: the rep's summary of today on a phone (done items pre-filled, items not
done with reasons, tomorrow's plan), a summary to read, print (R26) or correct, and the lead's summaries
of the team for a day with who is missing; each as xlsx too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from salesops.accounts.models import Team
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict
from salesops.core.fields import parse_date_text
from salesops.core.scope import scope_of
from salesops.daily.summaries import selectors, services, sheets
from salesops.daily.summaries.models import DailySummary

#: Blank rows of items not done a form shows below those filled in.
BLANK_ROWS = 1


def _day(request: AuthedHttpRequest) -> dt.date:
    """The day of ``?date=`` (today when absent); a malformed one is a 404 like any address nobody has."""
    text = request.GET.get("date") or request.POST.get("date")
    if not text:
        return local_today()
    day = parse_date_text(text)
    if day is None:
        raise Http404(_("No such day."))
    return day


def _not_done_rows(request: AuthedHttpRequest) -> list[dict[str, str]]:
    items, reasons = request.POST.getlist("not_done_item"), request.POST.getlist("not_done_reason")
    return [{"item": item, "reason": reason} for item, reason in zip(items, reasons, strict=False)
            if item.strip() or reason.strip()]


def _form_context(*, day: dt.date, done_items: list[selectors.DoneItem], chosen: set[str], done: str,
                  not_done: list[dict[str, str]], tomorrow: str, extra_rows: int = BLANK_ROWS) -> dict[str, Any]:
    return {
        "day": day, "done_items": done_items, "chosen": chosen, "done": done, "tomorrow": tomorrow,
        "not_done": not_done + [{"item": "", "reason": ""}] * extra_rows, "due_at": selectors.due_at(day),
    }


def _problem_link(next_url: str) -> str:
    return f"{reverse('problem-create')}?{urlencode({'source': 'summary', 'next': next_url})}"


@login_required
@require_http_methods(["GET", "POST"])
def summary_today(request: AuthedHttpRequest) -> HttpResponse:
    """R17 on a phone: today's summary (or a recent day's, ``?date=``). The day's follow-ups, visits, tasks
    and deals are ticked done items already; add what else was done, what was not and why, tomorrow's plan.
    A summary already written opens to read and correct."""
    user, day = request.user, _day(request)
    written = selectors.summary_of(user=user, day=day)
    if written is not None:
        return redirect("summary-detail", written.pk)
    items = selectors.done_items_of(user=user, day=day)
    here = reverse("summary-mine") + (f"?date={day.isoformat()}" if day != local_today() else "")
    context = {"problem_link": _problem_link(here), "errors": {}}
    if request.method == "POST":
        chosen = set(request.POST.getlist("done_item"))
        not_done = _not_done_rows(request)
        done, tomorrow = request.POST.get("done", ""), request.POST.get("tomorrow", "")
        if "add_row" not in request.POST:
            try:
                summary = services.summary_submit(
                    by=user, day=day, done=done, done_items=[item.as_json() for item in items if item.key in chosen],
                    not_done=not_done, tomorrow=tomorrow)
            except ValidationError as exc:
                context["errors"] = getattr(exc, "fields", {}) or {"done": exc.messages}
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect(here)
            else:
                messages.success(request, _("Summary submitted."))
                return redirect("summary-detail", summary.pk)
        context |= _form_context(day=day, done_items=items, chosen=chosen, done=done, not_done=not_done,
                                 tomorrow=tomorrow, extra_rows=BLANK_ROWS + ("add_row" in request.POST))
        return render(request, "daily/summaries/form.html", context, status=400 if context["errors"] else 200)
    context |= _form_context(day=day, done_items=items, chosen={item.key for item in items}, done="", not_done=[],
                             tomorrow="")
    return render(request, "daily/summaries/form.html", context)


def _summary(request: AuthedHttpRequest, pk: int) -> DailySummary:
    found = selectors.summary_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such summary."))
    return found


@login_required
@require_GET
def summary_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A summary to read and print (R26: the same fields as the form)."""
    summary = _summary(request, pk)
    mine = summary.user_id == request.user.pk
    return render(request, "daily/summaries/detail.html", {
        "summary": summary, "mine": mine,
        "problem_link": _problem_link(reverse("summary-detail", args=[pk])) if mine else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The writer corrects their summary; the version read guards against a change made meanwhile."""
    summary = _summary(request, pk)
    if summary.user_id != request.user.pk:
        raise Http404(_("No such summary."))
    items = [selectors.DoneItem(item["kind"], item.get("ref"), item["text"]) for item in summary.done_items]
    context: dict[str, Any] = {"summary": summary, "errors": {}, "version": summary.version,
                               "problem_link": _problem_link(reverse("summary-detail", args=[pk]))}
    if request.method == "POST":
        chosen = set(request.POST.getlist("done_item"))
        not_done = _not_done_rows(request)
        done, tomorrow = request.POST.get("done", ""), request.POST.get("tomorrow", "")
        version = request.POST.get("version", "")
        if "add_row" not in request.POST:
            try:
                services.summary_update(
                    by=request.user, summary=summary, version=int(version) if version.isdigit() else None,
                    done=done, done_items=[item.as_json() for item in items if item.key in chosen],
                    not_done=not_done, tomorrow=tomorrow)
            except ValidationError as exc:
                context["errors"] = getattr(exc, "fields", {}) or {"done": exc.messages}
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect("summary-edit", pk)
            else:
                messages.success(request, _("Summary saved."))
                return redirect("summary-detail", pk)
        context |= _form_context(day=summary.date, done_items=items, chosen=chosen, done=done, not_done=not_done,
                                 tomorrow=tomorrow, extra_rows=BLANK_ROWS + ("add_row" in request.POST))
        context["version"] = version
        return render(request, "daily/summaries/form.html", context, status=400 if context["errors"] else 200)
    context |= _form_context(day=summary.date, done_items=items, chosen={item.key for item in items},
                             done=summary.done, not_done=list(summary.not_done), tomorrow=summary.tomorrow)
    return render(request, "daily/summaries/form.html", context)


@login_required
@require_GET
def summary_sheet(request: AuthedHttpRequest, pk: int) -> StreamingHttpResponse:
    """R26: one summary as xlsx."""
    summary = _summary(request, pk)
    return sheets.sheet_response(sheets.summary_rows(summary, summary.user.display_name), _("daily summary"),
                                 gettext_lazy("daily summary"), f"{summary.date.isoformat()}-{summary.user_id}")


def _team(request: AuthedHttpRequest) -> Team:
    """The team of ``?team=`` among those the viewer manages (R1), else their first one."""
    scope = scope_of(request.user)
    managed = Team.objects.active() if scope.everything else Team.objects.active().filter(pk__in=scope.team_ids)
    text = request.GET.get("team", "")
    if text:
        found = managed.filter(pk=int(text)).first() if text.isdigit() and len(text) < 19 else None
    else:
        found = managed.order_by("name").first()
    if found is None:
        raise Http404(_("No such team."))
    return found


@login_required
@permission_required("daily.view_team_summaries", raise_exception=True)
@require_GET
def team_summaries(request: AuthedHttpRequest) -> HttpResponse:
    """R17 for the lead: the team's summaries of a day, who is missing (and whether they were flagged),
    the items not done with their reasons; the day before and after a click away."""
    team, day = _team(request), _day(request)
    scope = scope_of(request.user)
    teams = Team.objects.active().order_by("name") if scope.everything else Team.objects.active().filter(
        pk__in=scope.team_ids).order_by("name")
    return render(request, "daily/summaries/team.html", {
        "board": selectors.team_day(team=team, day=day), "team": team, "day": day, "teams": teams,
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "is_today": day == local_today(), "due_at": selectors.due_at(day),
    })


@login_required
@permission_required("daily.view_team_summaries", raise_exception=True)
@require_GET
def team_summaries_sheet(request: AuthedHttpRequest) -> StreamingHttpResponse:
    """R26: the team's summaries of a day as xlsx (the missing ones named)."""
    team, day = _team(request), _day(request)
    board = selectors.team_day(team=team, day=day)
    return sheets.sheet_response(sheets.team_rows(board.rows), _("daily summaries"), gettext_lazy("daily summaries"),
                                 f"{day.isoformat()}-{team.pk}")

