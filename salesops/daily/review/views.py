"""Pages of the weekly review (R18, R26): the page with charts beside the tables, the printable page and
the sheet, from one review (``selectors.weekly_review``) turned into sections once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.errors import Invalid, NotFound
from salesops.core.sheets import XLSX_CONTENT_TYPE, Sheet, attachment, xlsx_book_stream
from salesops.daily.brief.selectors import default_team, readable_team, readable_teams
from salesops.daily.review import selectors
from salesops.daily.review.display import sections
from salesops.performance.periods import PeriodKind, current


def _chosen(request: AuthedHttpRequest) -> dict[str, Any]:
    """The team (R1: another team is a 404) and ISO week asked for; a word that is no week is named in a
    note and this week shown."""
    team_id = request.GET.get("team", "")
    team = readable_team(user=request.user, team_id=team_id) if team_id else default_team(user=request.user)
    if team is None:
        raise NotFound(_("No team to show a review for."))
    note = ""
    try:
        week = selectors.review_week(request.GET.get("week", "").strip())
    except Invalid as error:
        week, note = current(PeriodKind.WEEK), " ".join(error.messages)
    content = selectors.for_reader(selectors.weekly_review(team=team, week=week), user=request.user, team=team)
    query = urlencode({"team": team.pk, "week": str(week)})
    return {
        "team": team, "week": week, "content": content, "sections": sections(content), "note": note,
        "query": query, "teams": readable_teams(user=request.user),
        "previous_query": urlencode({"team": team.pk, "week": str(week.previous())}),
        "next_query": urlencode({"team": team.pk, "week": str(week.next())}),
        "back": f"{reverse('weekly-review')}?{query}",
        "title": _("Weekly review · %(team)s · %(week)s") % {"team": team.name, "week": str(week)},
    }


@login_required
@require_GET
def review_page(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "daily/review/review.html", _chosen(request))


@login_required
@require_GET
def review_print(request: AuthedHttpRequest) -> HttpResponse:
    """The printable review (R26): every section's table on paper."""
    return render(request, "daily/print.html", _chosen(request))


@login_required
@require_GET
def review_export(request: AuthedHttpRequest) -> StreamingHttpResponse:
    """The review as a workbook (R26): one sheet per section with the page's fields, numbers as numbers."""
    chosen = _chosen(request)
    sheets = [Sheet(name=section.title, header=section.sheet_header or section.header,
                    rows=section.sheet_rows or section.rows) for section in chosen["sections"]]
    response = StreamingHttpResponse(xlsx_book_stream(sheets=sheets), content_type=XLSX_CONTENT_TYPE)
    week = str(chosen["week"])
    name = _("weekly review")
    with translation.override("en"):
        fallback = _("weekly review")
    response["Content-Disposition"] = attachment(f"{name}-{chosen['team'].name}-{week}.xlsx",
                                                 f"{fallback}-{chosen['team'].pk}-{week}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response
