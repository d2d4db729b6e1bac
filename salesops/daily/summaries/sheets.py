"""R26: the daily summary 每日工作小结 as xlsx with the fields of the page: one person's, or a team's day."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from salesops.core.sheets import XLSX_CONTENT_TYPE, attachment, xlsx_stream
from salesops.daily.summaries.models import DailySummary, DoneKind
from salesops.daily.summaries.selectors import TeamDayRow

StrOrPromise = str | Promise


def _header() -> list[str]:
    return [_("Person"), _("Date"), _("Section"), _("Item"), _("Reason"), _("Submitted at"), _("Late")]


def summary_rows(summary: DailySummary, name: str) -> Iterator[list[object]]:
    """One row per item: each done item, the free text, each item not done with its reason, tomorrow's plan.
    Text cells go through the writer, which neutralises formulas (``core.sheets.safe_text``)."""
    first = [name, summary.date, "", "", "", summary.submitted_at, _("yes") if summary.late else _("no")]
    kinds = dict(DoneKind.choices)
    rows: list[tuple[str, str, str]] = []
    for item in summary.done_items:
        rows.append((_("Done"), f"{kinds.get(item.get('kind'), '')}: {item.get('text', '')}", ""))
    if summary.done:
        rows.append((_("Done"), summary.done, ""))
    for item in summary.not_done:
        rows.append((_("Not done"), str(item.get("item", "")), str(item.get("reason", ""))))
    if summary.tomorrow:
        rows.append((_("Tomorrow's plan"), summary.tomorrow, ""))
    for index, (section, text, reason) in enumerate(rows or [("", "", "")]):
        head = first if index == 0 else [name, summary.date, "", "", "", None, ""]
        yield [head[0], head[1], section, text, reason, head[5], head[6]]


def team_rows(rows: Iterable[TeamDayRow]) -> Iterator[list[object]]:
    for row in rows:
        if row.summary is None:
            yield [row.person.display_name, None, _("Missing"), "", "", None, ""]
        else:
            yield from summary_rows(row.summary, row.person.display_name)


def sheet_response(rows: Iterable[list[object]], name_words: str, fallback_words: StrOrPromise, tag: str
                   ) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        xlsx_stream(sheet=_("Daily summary"), header=_header(), rows=rows, widths=[12, 12, 14, 60, 40, 18, 8]),
        content_type=XLSX_CONTENT_TYPE,
    )
    with translation.override("en"):
        fallback = str(fallback_words)
    response["Content-Disposition"] = attachment(f"{name_words}-{tag}.xlsx", f"{fallback}-{tag}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response
