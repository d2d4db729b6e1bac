"""Pages of the morning brief (R3, R26): the desk page, the meeting view for a projector, the printable
page and the sheet, all from one brief (``selectors.brief_of``) turned into sections once
(``display.sections``); the lead's "generate again"."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Invalid, NotFound
from salesops.core.sheets import XLSX_CONTENT_TYPE, Sheet, attachment, xlsx_book_stream
from salesops.daily.brief import selectors, services
from salesops.daily.brief.display import Section, moment_text, sections
from salesops.organisation.selectors import work_calendar


def _day(text: str) -> tuple[dt.date, str]:
    """The brief's day of ``?date=``; a word that is no working day up to today is named in a note and
    the latest working day shown instead."""
    try:
        return selectors.brief_day(text), ""
    except Invalid as error:
        return selectors.latest_brief_day(), " ".join(error.messages)


def _chosen(request: AuthedHttpRequest) -> dict[str, Any]:
    """The team and day asked for (R1: another team is a 404) and the brief with its sections."""
    team_id = request.GET.get("team", "")
    team = selectors.readable_team(user=request.user, team_id=team_id) if team_id else selectors.default_team(
        user=request.user)
    if team is None:
        raise NotFound(_("No team to show a brief for."))
    day, note = _day(request.GET.get("date", "").strip())
    brief = selectors.brief_of(team=team, day=day, reader=request.user)
    calendar = work_calendar()
    query = urlencode({"team": team.pk, "date": day.isoformat()})
    after = calendar.next_workday(day)
    return {
        "brief": brief,
        "content": brief.content,
        "sections": sections(brief.content),
        "generated_at": moment_text(brief.content.get("generated_at")),
        "note": note,
        "query": query,
        "previous_query": urlencode({"team": team.pk, "date": calendar.previous_workday(day).isoformat()}),
        "next_query": urlencode({"team": team.pk, "date": after.isoformat()}) if after <= local_today() else "",
        "teams": selectors.readable_teams(user=request.user),
        "may_generate": selectors.manages_team(user=request.user, team=team),
        "back": f"{reverse('brief')}?{query}",
    }


@login_required
@require_GET
def brief_page(request: AuthedHttpRequest) -> HttpResponse:
    """The desk page: every section with its table (and chart), links to raise a problem or a success
    case, the meeting view, the printable page and the sheet."""
    return render(request, "daily/brief/brief.html", _chosen(request))


@login_required
@require_GET
def brief_meeting(request: AuthedHttpRequest) -> HttpResponse:
    """The meeting view for a projector: large type, one section per screen, paged with the arrow keys,
    PageUp/PageDown and space (what a clicker sends)."""
    return render(request, "daily/brief/meeting.html", _chosen(request))


@login_required
@require_GET
def brief_print(request: AuthedHttpRequest) -> HttpResponse:
    """The printable brief (R26): every section's table on paper, no navigation."""
    chosen = _chosen(request)
    brief = chosen["brief"]
    title = _("Morning brief · %(team)s · %(day)s") % {"team": brief.team.name, "day": brief.day.isoformat()}
    return render(request, "daily/print.html", {**chosen, "title": title})


def _sheet(section: Section) -> Sheet:
    rows = section.sheet_rows or section.rows
    return Sheet(name=section.title, header=section.sheet_header or section.header, rows=rows)


@login_required
@require_GET
def brief_export(request: AuthedHttpRequest) -> StreamingHttpResponse:
    """The brief as a workbook (R26): one sheet per section with the fields of the page, numbers as numbers
    (a figure's actual, target and achievement apart), text safe from formula injection."""
    chosen = _chosen(request)
    response = StreamingHttpResponse(
        xlsx_book_stream(sheets=[_sheet(section) for section in chosen["sections"]]), content_type=XLSX_CONTENT_TYPE
    )
    day = chosen["brief"].day.isoformat()
    name = _("morning brief")
    with translation.override("en"):
        fallback = _("morning brief")
    response["Content-Disposition"] = attachment(f"{name}-{chosen['brief'].team.name}-{day}.xlsx",
                                                 f"{fallback}-{chosen['brief'].team.pk}-{day}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def brief_generate(request: AuthedHttpRequest) -> HttpResponse:
    """The lead generates the brief again, with the figures and summaries as they stand now."""
    team = selectors.readable_team(user=request.user, team_id=request.POST.get("team"))
    day, note = _day(request.POST.get("date", "").strip())
    if note:
        messages.error(request, note)
    else:
        services.brief_generate(team=team, day=day, by=request.user)
        messages.success(request, _("The brief was generated again."))
    return redirect(f"{reverse('brief')}?{urlencode({'team': team.pk, 'date': day.isoformat()})}")
