"""Pages for Excel (R26): import with a check first, and the sheets to fill in.

The report of a check carries the SHA-256 digest of the checked file; the browser sends the same file again
with it, and the import refuses any other file (the same design as the people import of the set-up). For
customers the server also keeps the rows that passed the check (``kept_checks``), so the import does not
read and check the cells a second time; the browser holds nothing but the file and its digest.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl.styles import Font

from salesops.accounts.models import User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.filters import MAX_ID
from salesops.core.sheets import SHEET_ACCEPT, XLSX_CONTENT_TYPE, SheetError, attachment, xlsx_stream
from salesops.customers.excel.kinds import sheet_kind, sheet_kinds
from salesops.customers.models import ImportBatch


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), widget=forms.RadioSelect, initial="customers")
    file = forms.FileField(
        label=gettext_lazy("Sheet (xlsx, xls, ods or csv)"), widget=forms.FileInput(attrs={"accept": SHEET_ACCEPT})
    )
    skip_duplicates = forms.BooleanField(
        label=gettext_lazy("Skip rows of customers already on record (or twice in the sheet) and import the rest"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.kind, kind.label) for kind in sheet_kinds().values()]  # type: ignore[attr-defined]


@login_required
def import_page(request: AuthedHttpRequest) -> HttpResponse:
    """GET: the form; POST action=check: the report of a dry run; POST action=commit: the import."""
    user = request.user
    action = request.POST.get("action", "")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    problem = ""
    if form.is_bound and form.is_valid():
        kind = sheet_kind(form.cleaned_data["kind"])
        assert kind is not None  # a choice of the form
        digest = request.POST.get("digest", "") if action == "commit" else None
        if action == "commit" and not digest:
            problem = _("Check the file before importing it.")
        else:
            options = {"skip_duplicates": form.cleaned_data["skip_duplicates"]} if kind.skips_duplicates else {}
            try:
                report = kind.run(file=form.cleaned_data["file"], by=user, dry_run=action != "commit",
                                  expected_digest=digest, **options)
            except SheetError as exc:
                problem = exc.message
        if report is not None and report.committed:
            messages.success(request, _("Import done: %(n)s rows created.") % {"n": report.created})
            if report.batch is not None:
                return redirect(f"{reverse('customer-import')}?batch={report.batch}")
            return redirect("customer-import")
    context = {
        "form": form, "report": report, "problem": problem, "kinds": sheet_kinds().values(),
        "batch": _batch(user, request.GET.get("batch", "")) if request.method == "GET" else None,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "customers/excel/report.html", context)
    return render(request, "customers/excel/import.html", context, status=400 if problem else 200)


def _batch(user: User, value: str) -> ImportBatch | None:
    """The user's own import named in the query string (after an import: what it did, with links)."""
    if not value.isdigit() or int(value) > MAX_ID:
        return None
    return ImportBatch.objects.filter(pk=int(value), user=user).first()


@login_required
@require_GET
def import_skipped(request: AuthedHttpRequest, pk: int) -> StreamingHttpResponse:
    """The rows an import skipped as duplicates (R15), as a sheet; only for the person who imported."""
    batch = _batch(request.user, str(pk))
    if batch is None:
        raise Http404
    header = [_("Row"), _("Company name"), _("Why it was skipped")]
    rows = ([item["row"], item["name"], item["reason"]] for item in batch.skipped)
    response = StreamingHttpResponse(
        xlsx_stream(sheet=_("Skipped rows"), header=header, rows=rows, widths=[8, 40, 60]),
        content_type=XLSX_CONTENT_TYPE,
    )
    day = f"{timezone.localtime(batch.at):%Y-%m-%d}"
    with translation.override("en"):
        fallback = f"{_('skipped rows')}-{day}.xlsx"
    response["Content-Disposition"] = attachment(f"{_('skipped rows')}-{day}.xlsx", fallback)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The sheet to fill in: the Chinese headers and one example row, every column kept as text."""
    chosen = sheet_kind(kind)
    if chosen is None:
        raise Http404
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = chosen.title
    sheet.append([names[0] for names in chosen.columns.values()])
    sheet.append(chosen.example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=1, max_row=2):
        sheet.column_dimensions[column[0].column_letter].width = 18
        for cell in column:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
