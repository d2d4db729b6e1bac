"""The collection ledger page /collections/ and its sheet (R13, R21, R26): figures from the engine through
``performance.ledger``, the instalments behind them from ``deals.collections.selectors``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.sheets import XLSX_CONTENT_TYPE, attachment, xlsx_stream
from salesops.deals.collections import selectors
from salesops.deals.collections.filters import InstalmentFilterSet
from salesops.deals.models import Instalment, InstalmentStatus
from salesops.performance.ledger import Ledger, Line, chart, collection_ledger
from salesops.performance.periods import Period, PeriodKind, current

#: Instalments listed per page below the ledger (the rest are a page away, or in /api/instalments/).
PAGE_SIZE = 20


def _period(request: AuthedHttpRequest) -> tuple[Period, str]:
    """The period of ``?period=`` (a day, week, month or quarter), this month by default; a word that is
    not a period is named in a note and this month shown."""
    text = request.GET.get("period", "").strip()
    if text:
        try:
            return Period.parse(text), ""
        except ValidationError as error:
            return current(PeriodKind.MONTH), " ".join(error.messages)
    return current(PeriodKind.MONTH), ""


def _ledger(request: AuthedHttpRequest) -> tuple[Ledger, str]:
    period, note = _period(request)
    found = collection_ledger(user=request.user, period=period, today=local_today(),
                              team=request.GET.get("team", ""), person=request.GET.get("person", ""))
    return found, note


def _instalments(request: AuthedHttpRequest, ledger: Ledger) -> tuple[QuerySet[Instalment], InstalmentFilterSet]:
    """The instalments due in the period behind a person's or a team's ledger, narrowed by the list's filters
    (status, overdue); none for several teams or the organisation, whose lines lead to each team's list."""
    rows = selectors.instalments(user=request.user).filter(
        due_date__gte=ledger.period.first, due_date__lte=ledger.period.last)
    if ledger.person is None and ledger.team is None:
        rows = rows.none()
    if ledger.owner_ids is not None:
        rows = rows.filter(owner_id__in=ledger.owner_ids)
    if ledger.team_ids is not None:
        rows = rows.filter(owner_team_id__in=ledger.team_ids)
    wanted = {key: request.GET[key] for key in ("status", "overdue") if request.GET.get(key)}
    chosen = InstalmentFilterSet(wanted, queryset=rows)
    return (chosen.qs if chosen.is_valid() else rows), chosen


def _query(ledger: Ledger, **extra: str) -> str:
    """The query string of this ledger's page with ``extra`` replacing its words."""
    words = {"period": str(ledger.period)}
    if ledger.person is not None:
        words["person"] = str(ledger.person.pk)
    elif ledger.team is not None:
        words["team"] = str(ledger.team.pk)
    words.update(extra)
    return "&".join(f"{key}={value}" for key, value in words.items() if value)


@login_required
@require_GET
def collections_ledger(request: AuthedHttpRequest) -> HttpResponse:
    """Due, received, outstanding, overdue and collection rate of the period per line, with the chart
    beside the table, the instalments behind them, and the sheet."""
    ledger, note = _ledger(request)
    rows, chosen = _instalments(request, ledger)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(InstalmentStatus.choices)
    for row in page:
        row.status_label = labels.get(row.status, "")  # type: ignore[attr-defined]
    period = ledger.period
    context: dict[str, Any] = {
        "ledger": ledger,
        "note": note,
        "chart": chart(ledger),
        "page": page,
        "filters": chosen,
        "statuses": InstalmentStatus.choices,
        "status": request.GET.get("status", ""),
        "overdue": request.GET.get("overdue", ""),
        "this_query": _query(ledger),
        "previous": _query(ledger, period=str(period.previous())),
        "next": _query(ledger, period=str(period.next())),
        "month": _query(ledger, period=str(current(PeriodKind.MONTH, period.first))),
        "quarter": _query(ledger, period=str(current(PeriodKind.QUARTER, period.first))),
    }
    return render(request, "performance/collections_ledger.html", context)


def _sheet_row(line: Line) -> list[object]:
    rate = None if line.rate is None else round(line.rate * 100, 1)
    return [line.label, line.note, line.due, line.received, line.outstanding, line.overdue, rate, line.collections]


@login_required
@require_GET
def collections_ledger_export(request: AuthedHttpRequest) -> StreamingHttpResponse:
    """The ledger as an xlsx sheet: one row per line and the total, money as numbers with two decimals."""
    ledger, _note = _ledger(request)
    header = [_("Name"), _("Team"), pgettext("collections", "Due"), _("Received of it"), _("Outstanding"), _("Overdue"),
              _("Collection rate (%)"), _("Collections")]
    rows = [*(_sheet_row(line) for line in ledger.lines), _sheet_row(ledger.total)]
    response = StreamingHttpResponse(
        xlsx_stream(sheet=_("Collection ledger"), header=header, rows=rows, widths=[24, 16, 16, 16, 16, 16, 12, 16]),
        content_type=XLSX_CONTENT_TYPE,
    )
    name = _("collection ledger")
    with translation.override("en"):
        fallback = _("collection ledger")
    name, fallback = (f"{words}-{ledger.period}.xlsx" for words in (name, fallback))
    response["Content-Disposition"] = attachment(name, fallback)
    response["Cache-Control"] = "private, no-store"
    return response
