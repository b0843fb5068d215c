"""Types shared by the ingest stages: files -> sheets -> activity tables -> ledger.

readers.py turns a file into a `Workbook` of `Sheet` grids (or raises
`FileRejected`); tables.py and templates/reader.py turn a `Sheet` into
`ActivityTable`s; clean.py and names.py interpret cell values; ledger.py gives
each row its state and ingest.py writes the contract's tables. Problems found in the input are `Issue` values, never
exceptions that unwind the run.
"""

from __future__ import annotations

import bisect
import functools
import gc
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import repeat
from pathlib import Path
from typing import Any, Literal, TypeVar

Severity = Literal["error", "warning"]
RowKind = Literal["data", "total", "note"]
_F = TypeVar("_F", bound=Callable[..., Any])

# What `zipfile` raises on a damaged or unusual zip (a workbook, a document, an archive):
# besides BadZipFile, NotImplementedError for a version or compression it does not know
# (a flipped byte in a header says "version 11.9"), RuntimeError for a member marked
# encrypted, struct.error and zlib.error for cut headers and bad deflate data. Every
# reader of a zip the unit sent catches all of them: a damaged file, never a crash.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError,
    ValueError, NotImplementedError, RuntimeError,
)  # fmt: skip


# States and codes are StrEnums: a member equals (and hashes as) its string, so the
# tables keep plain text and `frame["state"] == RowState.ACCEPTED` works as before.


class RowState(StrEnum):
    """`state` of a rows.csv row (every row read ends in exactly one)."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"


class FileState(StrEnum):
    """`state` of a submissions.csv row."""

    CURRENT = "current"
    SUPERSEDED = "superseded"
    DUPLICATE_FILE = "duplicate_file"
    REJECTED = "rejected"


class ReportStatus(StrEnum):
    """A reporting unit's status in a round (reporting.reporting_status), in display order."""

    ON_TIME = "on_time"
    LATE = "late"
    UNKNOWN_DATE = "unknown_date"
    MISSING = "missing"
    PENDING = "pending"  # nothing yet, and the round's deadline is after the reference date


class MaterialState(StrEnum):
    """`state` of a materials.csv row (photos, summaries, videos)."""

    CURRENT = "current"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class Level(StrEnum):
    """`level` of a coverage row."""

    DISTRICT = "district"
    KIND = "kind"
    REPORTING_UNIT = "reporting_unit"


class Kind(StrEnum):
    """Kinds of reporting unit (config.KINDS gives the report order)."""

    TOWN = "town"
    STREET = "street"
    SYSTEM = "system"
    YANSHAN = "yanshan"
    ZONE = "zone"
    DIRECT = "direct"  # a grassroots union reporting directly: its own unit of one union


class IssueCode(StrEnum):
    """Stable `code` of an issues.csv row (and `reason` of a rows.csv row).

    Every code the package emits is listed (tests/test_messages.py walks the source), and
    each has its Chinese sentence in messages.MESSAGES.
    """

    # files
    EMPTY = "empty"
    CORRUPT = "corrupt"
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
    PASSWORD_PROTECTED = "password_protected"
    TOO_LARGE = "too_large"
    ZIP_BOMB = "zip_bomb"
    HOSTILE_XML = "hostile_xml"
    FILE_SKIPPED = "file_skipped"
    FILE_INTERNAL_ERROR = "file_internal_error"
    FILE_LOCKED = "file_locked"
    FILE_VANISHED = "file_vanished"
    FILE_UNREADABLE = "file_unreadable"
    NO_ACTIVITY_TABLE = "no_activity_table"
    NIL_REPORT = "nil_report"
    SHEET_HIDDEN_SKIPPED = "sheet_hidden_skipped"
    SHEET_NO_TABLE = "sheet_no_table"
    DUPLICATE_FILE = "duplicate_file"
    SUPERSEDED = "superseded"
    MACRO_IGNORED = "macro_ignored"
    EXTERNAL_LINK_IGNORED = "external_link_ignored"
    INTERNAL_ERROR = "internal_error"
    # reporting unit, round, report date
    REPORTING_UNIT_UNRESOLVED = "reporting_unit_unresolved"
    REPORTING_UNIT_UNKNOWN = "reporting_unit_unknown"
    REPORTING_UNIT_FROM_FILENAME = "reporting_unit_from_filename"
    REPORTING_UNIT_IS_GRASSROOTS = "reporting_unit_is_grassroots"
    ROUND_UNRECOGNISED = "round_unrecognised"
    ROUND_UNKNOWN = "round_unknown"
    REPORT_DATE_UNREADABLE = "report_date_unreadable"
    # rows
    TOTAL_ROW = "total_row"
    NOTE_ROW = "note_row"
    NO_ACTIVITY = "no_activity"
    CELL_ERROR_VALUE = "cell_error_value"
    UNIT_IN_SEQ_COLUMN = "unit_in_seq_column"
    UNIT_UNRESOLVED = "unit_unresolved"
    UNIT_AMBIGUOUS = "unit_ambiguous"
    UNIT_OTHER_PARENT = "unit_other_parent"
    DATE_UNREADABLE = "date_unreadable"
    DATE_MISSING = "date_missing"
    PARTICIPANTS_APPROXIMATE = "participants_approximate"
    PARTICIPANTS_RANGE = "participants_range"
    PARTICIPANTS_UNREADABLE = "participants_unreadable"
    # roster and aliases
    ALIASES_UNREADABLE = "aliases_unreadable"
    ALIASES_NO_HEADER = "aliases_no_header"
    ROSTER_DUPLICATE_NAME = "roster_duplicate_name"
    ROSTER_KIND_UNKNOWN = "roster_kind_unknown"
    ROSTER_KIND_FROM_PARENT = "roster_kind_from_parent"
    ROSTER_PARENT_MISSING = "roster_parent_missing"
    # files: sheet-level warnings, archives, photos and summaries
    ARCHIVE_CORRUPT = "archive_corrupt"
    ARCHIVE_ENCRYPTED = "archive_encrypted"
    ARCHIVE_MEMBER_CORRUPT = "archive_member_corrupt"
    ARCHIVE_MEMBER_ENCRYPTED = "archive_member_encrypted"
    ARCHIVE_MEMBER_LINK = "archive_member_link"
    ARCHIVE_MEMBER_UNSAFE = "archive_member_unsafe"
    ARCHIVE_NESTED_TOO_DEEP = "archive_nested_too_deep"
    ARCHIVE_RAR = "archive_rar"
    ARCHIVE_UNSUPPORTED = "archive_unsupported"
    ARCHIVE_EMPTY = "archive_empty"
    ARCHIVE_RATIO = "archive_ratio"
    ARCHIVE_TOO_LARGE = "archive_too_large"
    ARCHIVE_TOO_MANY_MEMBERS = "archive_too_many_members"
    ARCHIVE_MEMBER_REPEATED = "archive_member_repeated"
    ARCHIVE_MEMBER_METHOD = "archive_member_method"
    ARCHIVE_SPLIT = "archive_split"
    TEXT_UNDECODABLE = "text_undecodable"
    FORMULA_NO_VALUE = "formula_no_value"
    MATERIAL_BOMB = "material_bomb"
    MATERIAL_CORRUPT = "material_corrupt"
    MATERIAL_DUPLICATE = "material_duplicate"
    MATERIAL_EMPTY = "material_empty"
    MATERIAL_ENCRYPTED = "material_encrypted"
    MATERIAL_IMAGE_TOO_LARGE = "material_image_too_large"
    MATERIAL_TOO_LARGE = "material_too_large"
    MATERIAL_UNPLACED = "material_unplaced"
    SUMMARY_TOTAL_GAP = "summary_total_gap"
    TEMPLATE_ALTERED = "template_altered"
    TEMPLATE_OTHER_CAMPAIGN = "template_other_campaign"
    # activity table headers
    COLUMN_AMBIGUOUS = "column_ambiguous"
    COLUMN_MISSING = "column_missing"
    PARTICIPANTS_COLUMN_MISSING = "participants_column_missing"
    PARTICIPANTS_SUMMED = "participants_summed"
    SIDE_BY_SIDE_UNREAD = "side_by_side_unread"
    # rows: cell values, duplicates and deletions
    DATE_DAY_MISSING = "date_day_missing"
    DATE_PART_OF_MONTH = "date_part_of_month"
    VALUE_DITTO = "value_ditto"
    UNIT_FROM_HEADING = "unit_from_heading"
    DATE_OUT_OF_WINDOW = "date_out_of_window"
    DATE_RANGE = "date_range"
    DATE_SEVERAL = "date_several"
    DATE_DECIMAL_AMBIGUOUS = "date_decimal_ambiguous"
    DUPLICATE_ROW = "duplicate_row"
    FORM_ITEM_MISMATCH = "form_item_mismatch"
    FORM_UNKNOWN = "form_unknown"
    PARTICIPANTS_ABSURD = "participants_absurd"
    PARTICIPANTS_MISSING = "participants_missing"
    PARTICIPANTS_NEGATIVE = "participants_negative"
    PARTICIPANTS_NOT_INTEGER = "participants_not_integer"
    PARTICIPANTS_PARTS_DISAGREE = "participants_parts_disagree"
    PARTICIPANTS_TOTAL_BLANK = "participants_total_blank"
    PARTICIPANTS_TOTAL_UNREADABLE = "participants_total_unreadable"
    PARTICIPANTS_WORKED_OUT = "participants_worked_out"
    REMARK_SAYS_VOID = "remark_says_void"
    REPEATED_EARLIER_ROUND = "repeated_earlier_round"
    ROW_DELETED = "row_deleted"
    ROWS_HIDDEN = "rows_hidden"
    WORK_ITEM_AMBIGUOUS = "work_item_ambiguous"
    WORK_ITEM_INFERRED = "work_item_inferred"
    WORK_ITEM_MISSING = "work_item_missing"
    WORK_ITEM_UNKNOWN = "work_item_unknown"
    # publicity counts (work item 3)
    PUBLICITY_COUNT_APPROXIMATE = "publicity_count_approximate"
    PUBLICITY_COUNT_FRACTIONAL = "publicity_count_fractional"
    PUBLICITY_COUNT_IMPLAUSIBLE = "publicity_count_implausible"
    PUBLICITY_COUNT_MISSING = "publicity_count_missing"
    PUBLICITY_COUNT_NEGATIVE = "publicity_count_negative"
    PUBLICITY_COUNT_RANGE = "publicity_count_range"
    PUBLICITY_COUNT_UNREADABLE = "publicity_count_unreadable"
    PUBLICITY_COUNT_WORKED_OUT = "publicity_count_worked_out"
    PUBLICITY_OUTPUT_UNKNOWN = "publicity_output_unknown"
    # roster and aliases (more)
    ALIAS_CONFLICT = "alias_conflict"
    ALIAS_TARGET_UNKNOWN = "alias_target_unknown"
    ALIAS_ROW_UNREADABLE = "alias_row_unreadable"
    ALIAS_ROW_INCOMPLETE = "alias_row_incomplete"
    ALIAS_TARGET_INEXACT = "alias_target_inexact"
    ALIAS_IS_ROSTER_NAME = "alias_is_roster_name"
    ALIASES_FILE_IGNORED = "aliases_file_ignored"
    RAW_ENTRY_NOT_READ = "raw_entry_not_read"
    CAMPAIGN_SETTING_IGNORED = "campaign_setting_ignored"
    ROSTER_KIND_MIXED = "roster_kind_mixed"
    ROSTER_MEMBERS_UNREADABLE = "roster_members_unreadable"
    ROSTER_MEMBERS_APPROXIMATE = "roster_members_approximate"
    ROSTER_ROW_STRUCK = "roster_row_struck"
    ROSTER_HEADING_ALONE = "roster_heading_alone"
    ROSTER_NAME_AMBIGUOUS = "roster_name_ambiguous"
    ROSTER_SEVERAL_FILES = "roster_several_files"
    ROSTER_FILE_IGNORED = "roster_file_ignored"
    ROSTER_PARENT_SPELLING = "roster_parent_spelling"
    ROSTER_DIRECT_WITH_PARENT = "roster_direct_with_parent"
    ROSTER_NAME_BLANK = "roster_name_blank"
    EXAMPLE_ROW = "example_row"
    TEMPLATE_OTHER_UNIT = "template_other_unit"
    LONE_FIGURE = "lone_figure"
    ROUND_FROM_FILENAME = "round_from_filename"
    SHEET_OTHER_UNIT = "sheet_other_unit"
    ROSTER_SHEET_SKIPPED = "roster_sheet_skipped"
    ROSTER_SHEET_HIDDEN = "roster_sheet_hidden"
    ROSTER_UNIT_IS_PARENT = "roster_unit_is_parent"
    ROSTER_PARENT_ABOVE = "roster_parent_above"
    ROSTER_UNIT_DISBANDED = "roster_unit_disbanded"
    ROSTER_COLUMNS_FROM_SHEET = "roster_columns_from_sheet"


class UsageError(Exception):
    """Bad command-line arguments or options; the message is Chinese.

    Here, not in cli.py, so that the demo generator can raise it without importing
    the command line (which imports the generator).
    """


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


class IssueRows(Sequence):
    """A file's row issues as its cached interpretation keeps them: each one's fields (in
    `Issue`'s order) and its sentence naming its file, sheet and row
    (`messages.located_message`), read back without an `Issue` object each.

    A re-run restores some 15,000 row issues of files it does not read again: only the
    issues table looks at them (`ledger._issues_table` takes the fields as they are). An
    `Issue` is made only when one is asked for.
    """

    def __init__(self, records: list[tuple], located: list[str]):
        self.records = records
        self.located = located

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [Issue(*r) for r in self.records[k]]
        return Issue(*self.records[k])

    def __iter__(self):
        return (Issue(*r) for r in self.records)


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
    format: str  # "xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "html", "xml2003"
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
    # The text of the rows above the sheet's first table ("石楼镇总工会…统计表"): where
    # a file without 填报单位 may still name its unit.
    title: object = None


@dataclass
class TableRow:
    row: int  # 1-based spreadsheet row number
    kind: RowKind
    values: dict[str, object]  # TABLE_FIELDS name -> raw cell value (absent when no column)
    struck: bool = False  # every non-empty cell struck through: the unit deleted the row


@dataclass
class RowRun:
    """Consecutive plain data rows of a table (`tables._plain_rows`), held as columns.

    The scaled round's tables are 99% such rows: one tuple per field instead of a dict
    and a `TableRow` per row is less to build, to turn back into columns in the ledger
    and to pickle into the cache. Row k of the run is spreadsheet row `first + k`,
    of kind "data", its values `{field: column[k]}` in the columns' order.
    """

    first: int  # 1-based row number of its first row
    columns: dict[str, tuple]  # field -> the rows' cells, top to bottom (one per row)
    struck: tuple[int, ...] = ()  # offsets (ascending) of the rows struck through

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), ()))

    def row(self, k: int) -> TableRow:
        """Row k of the run as a `TableRow` (a new one at each call)."""
        values = {f: cells[k] for f, cells in self.columns.items()}
        return TableRow(self.first + k, "data", values, struck=k in self.struck)


class TableRows(Sequence):
    """A table's rows in sheet order: `TableRow`s, and `RowRun`s standing for many rows.

    Reads as a list of `TableRow`s (iteration, len, index, ==). A row of a run is built
    when it is read, anew each time: a change made to it is lost, so what changes a
    table's rows goes through `append` and `set_last_kind`. Columnar readers
    (`numbers`, `data_column`, `ledger._Cells`) take a run's cells without a row each.
    """

    __slots__ = ("parts", "size", "_starts")

    def __init__(self, rows=()):
        self.parts: list[TableRow | RowRun] = list(rows)
        self.size = sum(len(p) if p.__class__ is RowRun else 1 for p in self.parts)
        self._starts: list[int] | None = None  # each part's first position (`__getitem__`)

    @classmethod
    def of(cls, rows) -> TableRows:
        """`rows` as TableRows (a list of TableRow put into one)."""
        return rows if isinstance(rows, TableRows) else cls(rows)

    def append(self, row: TableRow) -> None:
        self.parts.append(row)
        self.size += 1
        self._starts = None

    def extend(self, rows: list[TableRow]) -> None:
        self.parts.extend(rows)
        self.size += len(rows)
        self._starts = None

    def add_run(self, run: RowRun) -> None:
        self.parts.append(run)
        self.size += len(run)
        self._starts = None

    def __len__(self) -> int:
        return self.size

    def __iter__(self):
        for part in self.parts:
            if part.__class__ is RowRun:
                yield from map(part.row, range(len(part)))
            else:
                yield part

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("table row index out of range")
        if self._starts is None:
            starts, at = [], 0
            for part in self.parts:
                starts.append(at)
                at += len(part) if part.__class__ is RowRun else 1
            self._starts = starts
        k = bisect.bisect_right(self._starts, index) - 1
        part = self.parts[k]
        return part.row(index - self._starts[k]) if part.__class__ is RowRun else part

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TableRows | list):
            return list(self) == list(other)
        return NotImplemented

    def __add__(self, other) -> list[TableRow]:
        return [*self, *other]

    def __repr__(self) -> str:
        return f"TableRows({list(self)!r})"

    def set_last_kind(self, kind: RowKind) -> None:
        """Make the last row one of `kind` (a run's last row leaves the run for it)."""
        last = self.parts[-1]
        if last.__class__ is RowRun:
            self.size -= len(last)
            self.parts.pop()
            n = len(last) - 1
            row = last.row(n)
            if n:
                columns = {f: cells[:n] for f, cells in last.columns.items()}
                self.add_run(RowRun(last.first, columns, tuple(k for k in last.struck if k < n)))
            self.append(row)
            last = row
        last.kind = kind

    def numbers(self) -> list[int]:
        """Every row's 1-based row number, in order."""
        numbers: list[int] = []
        for part in self.parts:
            if part.__class__ is RowRun:
                numbers.extend(range(part.first, part.first + len(part)))
            else:
                numbers.append(part.row)
        return numbers

    def data_column(self, field: str) -> list:
        """The `field` cells of the data rows (struck-through rows included), in order."""
        cells: list = []
        for part in self.parts:
            if part.__class__ is RowRun:
                column = part.columns.get(field)
                cells.extend(column if column is not None else repeat(None, len(part)))
            elif part.kind == "data":
                cells.append(part.values.get(field))
        return cells


@dataclass
class ActivityTable:
    """One activity table found in a sheet."""

    sheet: str
    header_row: int  # 1-based row of the (last) header row
    columns: dict[str, int]  # field -> 0-based column index
    column_labels: dict[str, str]  # field -> header text as written (for messages)
    header: HeaderBlock
    rows: TableRows  # given as a list of TableRow, made TableRows
    template: bool = False  # read from a marked submission template, by position
    issues: list[Issue] = field(default_factory=list)  # sheet/header-level notes

    def __post_init__(self) -> None:
        self.rows = TableRows.of(self.rows)


# The ledger's columns (rows.csv): the contract's first, then ours.
ROWS_COLUMNS = (
    "file", "sheet", "row", "state", "reason", "grassroots_unit", "reporting_unit",
    "work_item", "date", "participants",
    "kind", "round", "form", "counted_for", "template",
)  # fmt: skip


def gc_paused(func: _F) -> _F:
    """`func` run with the cyclic garbage collector off, as it was before afterwards.

    A parse allocates hundreds of thousands of small lists, dicts and rows that die
    with the file or soon after; counted by the collector, they trigger full
    collections that walk every live grid for nothing (scaled round: 0.6 s of
    collection during the parse stage, 0.3 s with the readers and the table finder
    paused). No cycle is made there that must be freed before the file is done.
    """

    @functools.wraps(func)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return paused  # type: ignore[return-value]
