"""The sheets the import and export page offers (R26): the customer sheet, and those the apps above
customers register (followups: the 客户跟进记录表), so this page names none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from salesops.customers.excel import customer_import
from salesops.customers.excel.import_rows import ImportReport


@dataclass(frozen=True)
class SheetKind:
    """One kind of sheet: how it is imported, its columns and example row for the template, its export."""

    kind: str
    label: str | Promise
    title: str  # the template's sheet name
    run: Callable[..., ImportReport]  # (*, file, by, dry_run, expected_digest) → the report
    columns: dict[str, tuple[str, ...]]
    example: list[str]
    template_label: str | Promise
    export_url_name: str
    export_label: str | Promise
    #: Whether ``run`` takes ``skip_duplicates`` (import the rest, list the duplicates skipped).
    skips_duplicates: bool = False


_kinds: dict[str, SheetKind] = {}


def register_sheet(kind: SheetKind) -> None:
    _kinds[kind.kind] = kind


def sheet_kinds() -> dict[str, SheetKind]:
    """The registered kinds in registration order (the customer sheet first)."""
    return dict(_kinds)


def sheet_kind(kind: str) -> SheetKind | None:
    return _kinds.get(kind)


register_sheet(SheetKind(
    kind="customers", label=_("Customers"), title="客户", run=customer_import.customers_import,
    columns=customer_import.COLUMNS, example=customer_import.EXAMPLE_ROW,
    template_label=_("Customer template (xlsx)"), export_url_name="api-customer-sheet-export",
    export_label=_("Export customers (xlsx)"), skips_duplicates=True,
))
