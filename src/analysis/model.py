"""Types shared by the ingest stages: files -> sheets -> activity tables -> ledger.

readers.py turns a file into a `Workbook` of `Sheet` grids (or raises
`FileRejected`); tables.py and templates/reader.py turn a `Sheet` into
`ActivityTable`s; clean.py and names.py interpret cell values; ledger.py gives
each row its state and ingest.py writes the contract's tables. Problems found in the input are `Issue` values, never
exceptions that unwind the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]
RowKind = Literal["data", "total", "note"]

# Fields of an activity table, in template order. The campaign definition's
# [columns] section gives each field's header synonyms.
TABLE_FIELDS: tuple[str, ...] = (
    "seq",
    "grassroots_unit",
    "date",
    "work_item",
    "form",
    "participants",
    "title",
    "note",
)
# Fields of the header block above a table ([header_fields] in the campaign).
HEADER_FIELDS: tuple[str, ...] = ("reporting_unit", "report_date", "contact", "phone", "round")


@dataclass(frozen=True)
class Issue:
    """One problem found in the input; a row of issues.csv."""

    file: str
    sheet: str
    row: int | None  # 1-based, as a spreadsheet program shows it; None for file-level
    column: str  # the column's header as written, or its letter; "" for row/file level
    severity: Severity
    code: str  # stable English identifier, e.g. "participants_unreadable"
    message: str  # Chinese: what is wrong and what to do
    # For unresolved names: the name as written and the closest roster names
    # ("、"-joined), so that the aliases table is built from data, not from prose.
    value: str = ""
    suggestions: str = ""


class RosterError(Exception):
    """The roster cannot be used at all; the message is one Chinese sentence.

    Defined here, not in roster.py, so that the command line can catch it without
    importing pandas on every start.
    """


class FileRejected(Exception):
    """A submission file cannot be used at all (empty, corrupt, encrypted, too large…)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Sheet:
    """A sheet as a grid of cell values; `rows[i][j]` is spreadsheet row i+1, column j+1.

    Values are what the file stores: str, int, float, bool, datetime/date/time or
    None; no formula is evaluated (cached values only). Merged ranges are
    0-based inclusive (first_row, first_col, last_row, last_col); only the
    top-left cell of a merged range holds its value, as in the file.
    """

    name: str
    rows: list[list[object]]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Cells whose font is struck through, (row, col) 0-based (styles.py); usually empty.
    struck: frozenset[tuple[int, int]] = frozenset()


@dataclass
class Workbook:
    path: Path
    format: str  # "xlsx", "xlsm", "xls", "ods", "csv"
    sheets: list[Sheet]
    issues: list[Issue] = field(default_factory=list)  # file-level warnings (encoding…)
    # Properties only some formats carry (template marker, defined names…).
    properties: dict[str, str] = field(default_factory=dict)


@dataclass
class HeaderBlock:
    """Values found in the block above a table (raw, uncleaned)."""

    reporting_unit: object = None
    report_date: object = None
    contact: object = None
    phone: object = None
    round: object = None


@dataclass
class TableRow:
    row: int  # 1-based spreadsheet row number
    kind: RowKind
    values: dict[str, object]  # TABLE_FIELDS name -> raw cell value (absent when no column)
    struck: bool = False  # every non-empty cell struck through: the unit deleted the row


@dataclass
class ActivityTable:
    """One activity table found in a sheet."""

    sheet: str
    header_row: int  # 1-based row of the (last) header row
    columns: dict[str, int]  # field -> 0-based column index
    column_labels: dict[str, str]  # field -> header text as written (for messages)
    header: HeaderBlock
    rows: list[TableRow]
    template: bool = False  # read from a marked submission template, by position
    issues: list[Issue] = field(default_factory=list)  # sheet/header-level notes
