"""Excel over the API (R26): import with a dry run, export with the list's filters (API.md).

``POST /api/customers/import/?dry_run=1`` (multipart ``file``) → the report with its counts; without
``dry_run`` the same checks, then everything or nothing (201, or 400 with the problems in ``errors``). A
customer sheet the same person checked last is imported from its kept check (``customer_import``).
413 for a file over the size limit, 415 for a file that is not a sheet. ``GET /api/customers/export/
?format=xlsx&<list filters>`` streams the workbook. The follow-up sheet's endpoints (``followups.api``) are
actions built the same way (``import_response``, ``export_response``, ``IMPORT_SCHEMA``, ``EXPORT_SCHEMA``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import IO, Any

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts.models import User
from salesops.accounts.requests import person_of
from salesops.core.clock import local_today
from salesops.core.sheets import XLSX_CONTENT_TYPE, SheetError, attachment
from salesops.customers.excel import customer_export
from salesops.customers.excel.customer_import import customers_import
from salesops.customers.excel.import_rows import ImportReport


class FileTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class ImportRefused(exceptions.APIException):
    """400: the sheet has problems and nothing was imported; ``errors`` lists them with row and column."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "import_refused"

    def __init__(self, report: ImportReport) -> None:
        count = len(report.errors)
        super().__init__(_("%(n)s problems found: nothing was imported.") % {"n": count}, self.default_code)
        self.extra = {"report": report.as_dict()}


class JsonFirst(BaseContentNegotiation):
    """``?format=xlsx`` names the export's format, not DRF's renderer: errors are always JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        content_type = request.content_type or ""
        return next((p for p in parsers if content_type.startswith(p.media_type)), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


def sheet_error(exc: SheetError) -> exceptions.APIException:
    if exc.status == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        return FileTooLarge(exc.message)
    if exc.status == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE:
        return exceptions.UnsupportedMediaType(XLSX_CONTENT_TYPE, exc.message)
    return exceptions.ValidationError({"file": [exc.message]})


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


Importer = Callable[..., ImportReport]
Exporter = Callable[[User, Any], Iterator[bytes]]

IMPORT_SCHEMA: dict[str, Any] = {
    "parameters": [OpenApiParameter("dry_run", bool, description="Check only; create nothing.")],
    "request": {"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string",
                                                                                 "format": "binary"}}}},
    "responses": {200: dict, 201: dict},
}
CUSTOMER_IMPORT_SCHEMA: dict[str, Any] = IMPORT_SCHEMA | {"parameters": [
    *IMPORT_SCHEMA["parameters"],
    OpenApiParameter("skip_duplicates", bool, description=(
        "Leave out the rows of customers already on record (or twice in the sheet) and import the rest; "
        "the report lists them under skipped."
    )),
]}
EXPORT_SCHEMA: dict[str, Any] = {
    "parameters": [OpenApiParameter("format", str, enum=["xlsx"])],
    "responses": {(200, XLSX_CONTENT_TYPE): bytes},
}


def import_response(request: Request, importer: Importer) -> Response:
    """Run ``importer`` on the uploaded ``file``: the report of a check (200, ``?dry_run=1``) or of a
    committed import (201); a sheet with problems is refused whole (400 ``import_refused``)."""
    upload: IO[bytes] | None = request.FILES.get("file")  # type: ignore[assignment]
    if upload is None:
        raise exceptions.ValidationError({"file": [_("Choose a file to import.")]})
    dry_run = truthy(request.query_params.get("dry_run"))
    try:
        report = importer(file=upload, by=request.user, dry_run=dry_run)
    except SheetError as exc:
        raise sheet_error(exc) from exc
    if not dry_run and not report.committed:
        raise ImportRefused(report)
    return Response(report.as_dict(), status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)


def customers_file_name() -> str:
    return pgettext("file name", "customers")


def export_response(request: Request, export: Exporter, stem: Callable[[], str]) -> StreamingHttpResponse:
    """The workbook of a list as the caller sees it with the list's filters, streamed, named ``stem()``
    and the date in the caller's language (客户-2026-11-29.xlsx, customers-2026-11-29.xlsx)."""
    if request.query_params.get("format", "xlsx") != "xlsx":
        raise exceptions.ValidationError({"format": [_("The export format is xlsx.")]})
    try:
        chunks = export(person_of(request), request.query_params)
    except customer_export.FilterError as exc:
        raise exceptions.ValidationError(exc.errors) from exc
    response = StreamingHttpResponse(chunks, content_type=XLSX_CONTENT_TYPE)
    day = f"{local_today():%Y-%m-%d}"
    with translation.override("en"):
        fallback = f"{stem()}-{day}.xlsx"
    response["Content-Disposition"] = attachment(f"{stem()}-{day}.xlsx", fallback)
    response["Cache-Control"] = "private, no-store"
    return response


class CustomerSheetViewSet(viewsets.ViewSet):
    """The customer sheet (R26): ``import`` checks or imports one, ``export`` streams the list's rows."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = JsonFirst

    @extend_schema(operation_id="customers_import_create", **CUSTOMER_IMPORT_SCHEMA)
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_sheet(self, request: Request) -> Response:
        skip = truthy(request.query_params.get("skip_duplicates"))
        return import_response(request, partial(customers_import, skip_duplicates=skip))

    @extend_schema(operation_id="customers_export_retrieve", **EXPORT_SCHEMA)
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> StreamingHttpResponse:
        return export_response(request, customer_export.customers_export, customers_file_name)
