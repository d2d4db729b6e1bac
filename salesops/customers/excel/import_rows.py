"""The steps every sheet import shares (R26): the report of what a check found (``ImportReport``, one
``RowIssue`` per problem with its row and column), reading the rows under known headers (``read_rows``),
refusing formulas and garbled cells (``check_cells``) and id lists cut to the database's parameter limit
(``chunked``). The customer import (``customer_import``) and the follow-up import use them alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from salesops.core.sheets import read_table

MAX_ROWS = 100_000
CHUNK = 900  # keys per IN (...) query: under SQLite's parameter limit
BATCH = 2000


@dataclass(frozen=True)
class RowIssue:
    """One problem: ``row`` as numbered in the sheet (None: the file), ``column`` as headed in it."""

    row: int | None
    column: str
    message: str
    duplicate_of: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] | None = None  # a warning's near matches (R15)

    def as_dict(self) -> dict[str, Any]:
        shown = {"row": self.row, "column": self.column, "message": self.message, "duplicate_of": self.duplicate_of}
        return shown if self.candidates is None else shown | {"candidates": self.candidates}


@dataclass
class ImportReport:
    """What a check found (dry run) or an import did; ``committed`` only when every row was created."""

    kind: str = ""
    digest: str = ""
    dry_run: bool = True
    total_rows: int = 0
    valid_rows: int = 0
    created: int = 0
    committed: bool = False
    errors: list[RowIssue] = field(default_factory=list)
    # what does not stop the import but the importer should know: near matches of a name (R15)
    warnings: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list, repr=False)
    #: Rows left out on purpose (duplicates, when asked to skip them): {"row", "name", "reason"} each.
    skipped: list[dict[str, Any]] = field(default_factory=list)
    #: The committed import's record (``customers.ImportBatch``): the link to its customers and its report.
    batch: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def duplicates(self) -> int:
        """Rows found to be duplicates, each counted once however many of its keys matched (R15)."""
        return len({issue.row for issue in self.errors if issue.duplicate_of is not None}) + len(self.skipped)

    def error(self, row: int | None, key: str, message: str, duplicate_of: dict[str, Any] | None = None) -> None:
        self.errors.append(RowIssue(row, self.columns.get(key, key), message, duplicate_of))

    def warn(self, row: int, key: str, message: str, candidates: list[dict[str, Any]]) -> None:
        self.warnings.append(RowIssue(row, self.columns.get(key, key), message, candidates=candidates))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "digest": self.digest, "dry_run": self.dry_run, "ok": self.ok,
            "committed": self.committed, "total_rows": self.total_rows, "valid_rows": self.valid_rows,
            "created": self.created, "duplicates": self.duplicates, "notes": self.notes,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings], "skipped": self.skipped, "batch": self.batch,
        }


def chunked(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_rows(
    file: IO[bytes], report: ImportReport, columns: dict[str, tuple[str, ...]], required: Iterable[str]
) -> list[tuple[int, dict[str, str]]] | None:
    """The sheet's rows as {column key: cell}; None (with errors on the header row) when a required
    column is missing. File-level problems raise ``sheets.SheetError``."""
    report.kind, table, report.digest = read_table(file, max_rows=MAX_ROWS)
    number, header = table[0]
    aliases = {alias.lower(): key for key, names in columns.items() for alias in names}
    indexes: dict[str, int] = {}
    for index, cell in enumerate(header):
        label = str(cell).strip().rstrip("*＊").strip()
        key = aliases.get(label.lower())
        if key is None:
            if label:
                report.notes.append(_("The column %(column)s is not known and is ignored.") % {"column": label})
        elif key in indexes:
            report.errors.append(RowIssue(number, label, _("The column %(column)s appears twice.") % {"column": label}))
        else:
            indexes[key] = index
            report.columns[key] = label
    for key, names in columns.items():
        report.columns.setdefault(key, names[0])
    if not indexes:
        report.errors.append(RowIssue(number, "", _(
            "None of the column headers is known. If they look garbled, the file was saved in another encoding: "
            "save it again as an Excel workbook or as CSV in UTF-8 or GBK."
        )))
    for key in required:
        if key not in indexes:
            report.errors.append(RowIssue(number, columns[key][0], _(
                "The required column %(column)s is missing."
            ) % {"column": columns[key][0]}))
    if report.errors:
        return None
    rows = [
        (row_number, {key: cells[index] if index < len(cells) else "" for key, index in indexes.items()})
        for row_number, cells in table[1:]
    ]
    report.total_rows = len(rows)
    if not rows:
        report.errors.append(RowIssue(None, "", _("The sheet has headers but no rows.")))
        return None
    return rows


def check_cells(number: int, values: dict[str, str], report: ImportReport, phone_keys: Iterable[str] = ()) -> bool:
    """R26: no formulas (a cell starting with = or @, or + / - before something else than a number), no
    unreadable characters. A refused cell is emptied so later checks do not report it twice."""
    clean = True
    for key, value in values.items():
        if not value:
            continue
        numeric_sign = value[0] in "+-" and len(value) > 1 and (value[1].isdigit() or value[1] == " ")
        if value[0] in "=@" or (value[0] in "+-" and not numeric_sign):
            report.error(number, key, _(
                "The cell holds a formula or starts with =, +, - or @; enter the value itself."
            ))
        elif "\ufffd" in value:
            report.error(number, key, _(
                "The cell has unreadable characters: save the file as an Excel workbook or as CSV in UTF-8 or GBK."
            ))
        elif value[0] in "+-" and key not in phone_keys:
            report.error(number, key, _("The cell starts with + or -; enter the value without the sign."))
        else:
            continue
        values[key] = ""
        clean = False
    return clean
