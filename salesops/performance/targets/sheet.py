"""Targets in and out as a sheet (R22, R26): the import, a dry run first and then all rows or none, with
a report per row; and the export of the targets the caller sees. The import and export page of customers
offers the sheet (``customers.excel.kinds``), so the template and the page are the ones every sheet uses.

Columns 对象, 周期, 指标, 目标值. 对象 names the subject: ``user:<id>``, ``team:<id>`` or ``org`` as in the
API, or a person's user name, a team's name, 公司 for the organisation. 指标 is the metric's API word or
its name as the pages show it. Each row is checked by the rules of ``services.target_set``: the caller
manages the subject, a month, ISO week or quarter, a known metric, a value of at least 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from salesops.accounts.models import Team, User
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.core.sheets import xlsx_stream
from salesops.customers.excel.customer_export import FilterError
from salesops.customers.excel.import_rows import ImportReport, RowIssue, check_cells, read_rows
from salesops.customers.excel.kinds import SheetKind, register_sheet
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.periods import Period
from salesops.performance.targets import selectors, services
from salesops.performance.targets.filters import TargetFilterSet

COLUMNS: dict[str, tuple[str, ...]] = {
    "scope": ("对象", "scope", "范围"),
    "period": ("周期", "period"),
    "metric": ("指标", "metric"),
    "value": ("目标值", "value", "目标"),
}
REQUIRED = ("scope", "period", "metric", "value")
EXAMPLE_ROW = ["zhangwei", "2026-11", "sales_amount", "500000"]
ORG_WORDS = {"org", "公司", "全公司", "organisation"}


def _not_yours() -> str:
    """One message whether the subject is unseen or seen but not managed: nothing leaks (R1)."""
    return _("No person or team of this name whose targets you set.")


def _metric_words() -> dict[str, str]:
    """Each metric by its API word and its names in Chinese and English."""
    words = {name: name for name in registry.names()}
    for metric in registry.registered():
        for language in ("zh-hans", "en"):
            with translation.override(language):
                words.setdefault(str(metric.label).strip().lower(), metric.name)
    return words


class _Subjects:
    """Names in the 对象 column → subjects, among the people and teams the importer sees (R1)."""

    def __init__(self, by: User) -> None:
        self.people = {u.username.lower(): u.pk for u in User.objects.visible_to(by).filter(is_active=True)}
        self.teams = {t.name.lower(): t.pk for t in Team.objects.visible_to(by).filter(is_active=True)}

    def find(self, text: str) -> Subject | None:
        word = text.strip().lower()
        if word in ORG_WORDS:
            return Subject.org()
        if word in self.people:
            return Subject.person(self.people[word])
        if word in self.teams:
            return Subject.team(self.teams[word])
        try:
            return Subject.parse(word)
        except ValidationError:
            return None


def _check_row(number: int, values: dict[str, str], report: ImportReport, by: User, subjects: _Subjects,
               metrics: dict[str, str]) -> dict[str, Any] | None:
    errors = len(report.errors)
    subject = subjects.find(values.get("scope", ""))
    if subject is None:
        report.error(number, "scope", _not_yours())
    try:
        period = Period.parse(values.get("period", "").strip())
        services.check_period(period)
    except (ValidationError, Invalid):
        report.error(number, "period", _("A target is for a month (2026-11), an ISO week (2026-W48) or a "
                                         "quarter (2026-Q4)."))
    metric = metrics.get(values.get("metric", "").strip().lower())
    if metric is None:
        report.error(number, "metric", _("%(name)s is not a metric.") % {"name": values.get("metric", "")[:40]})
    else:
        try:
            value = services.check_value(registry.get(metric), values.get("value", "").replace(",", ""))
        except Invalid as error:
            report.error(number, "value", " ".join(m for ms in error.fields.values() for m in ms))
    if subject is not None:
        try:
            services.resolve_subject(by=by, subject=subject)
        except (NotFound, PermissionDenied):
            report.error(number, "scope", _not_yours())
    if len(report.errors) > errors:
        return None
    return {"row": number, "subject": subject, "period": period, "metric": metric, "value": value}


def targets_import(*, file: IO[bytes], by: User, dry_run: bool, expected_digest: str | None = None) -> ImportReport:
    """Check a target sheet and, unless ``dry_run``, set every target or none."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(file, report, COLUMNS, required=REQUIRED)
    if expected_digest is not None and expected_digest != report.digest:
        report.errors.append(RowIssue(None, "", _("This is not the file that was checked. Check it again.")))
    if rows is None or report.errors:
        return report
    subjects, metrics = _Subjects(by), _metric_words()
    seen: dict[tuple[str, str, str], int] = {}
    for number, values in rows:
        if not check_cells(number, values, report):
            continue
        row = _check_row(number, values, report, by, subjects, metrics)
        if row is None:
            continue
        key = (str(row["subject"]), str(row["period"]), row["metric"])
        if key in seen:
            report.error(number, "metric", _("The same target is also on row %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = number
        report.rows.append(row)
    report.valid_rows = len(report.rows)
    if report.ok and not dry_run:
        with transaction.atomic():
            for row in report.rows:
                services.target_set(by=by, subject=row["subject"], period=row["period"], metric=row["metric"],
                                    value=row["value"])
        report.created, report.committed = len(report.rows), True
    report.rows = [] if not report.ok else report.rows
    return report


def targets_export(user: User, params: Any) -> Iterator[bytes]:
    """The targets ``user`` sees (R1) with the list's filters, in the import's columns."""
    found = TargetFilterSet(params, queryset=selectors.targets_of(user=user).order_by("period", "subject", "metric"))
    if not found.is_valid():
        raise FilterError(found.errors)
    rows = ([t.subject, t.period, t.metric, t.value] for t in found.qs.iterator(chunk_size=2000))
    return xlsx_stream(sheet=_("Targets"), header=[names[0] for names in COLUMNS.values()], rows=rows)


register_sheet(SheetKind(
    kind="targets", label=_lazy("Targets"), title="目标", run=targets_import, columns=COLUMNS, example=EXAMPLE_ROW,
    template_label=_lazy("Target template (xlsx)"), export_url_name="api-target-export",
    export_label=_lazy("Export targets (xlsx)"),
))
