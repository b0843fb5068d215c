"""数据明细.xlsx: the processed tables in Chinese, for the analyst to filter and check.

The CSVs under data/processed/ keep the contract's English codes (contract.md), so
that other programs can rely on them. This workbook shows the same tables with
Chinese headers and values: states (采用/重复/被替代/不采用; 有效/被更正版替代/重复文件/
无法使用), severities (错误/提示), kinds (乡镇/街道/…), rounds and work items by
their campaign names, 是/否 for yes/no, blank cells where a value is missing.
Each sheet has an autofilter, a frozen header and column widths fitted to its text.

Sheets: 覆盖情况 (coverage.csv), 报送文件 (submissions.csv), 活动明细 (rows.csv),
问题清单 (issues.csv). Contact names and phone numbers are not written.

Written with xlsxwriter, in constant-memory mode above IN_MEMORY_ROWS rows: about
200,000 ledger rows take a few seconds (`details_frames` builds the frames;
`write_details` writes them).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import safety
from analysis.campaign import Campaign
from analysis.labels import (
    CODE_NAMES,
    COLUMN_NAMES,
    FILE_STATE_NAMES,
    KIND_LONG_NAMES,
    KIND_NAMES,
    LEVEL_NAMES,
    ROW_STATE_NAMES,
    SEVERITY_NAMES,
    reason_text,
)

SHEETS: tuple[str, ...] = ("覆盖情况", "报送文件", "活动明细", "问题清单")
PERCENT_COLUMNS = frozenset({"覆盖率", "会员覆盖率"})
DECIMAL_COLUMNS = frozenset({"每百名会员参加人次"})
DATE_COLUMNS = frozenset({"填报日期", "活动日期"})
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 2000  # rows looked at when fitting a column's width
# Up to this many rows in all, the workbook is built in memory; above, streamed to disk.
IN_MEMORY_ROWS = 20_000


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or an all-missing one when the frame lacks it (an empty table may)."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _text(series: pd.Series) -> pd.Series:
    """Text with missing values as None (never 'nan')."""
    return series.astype(object).where(series.notna() & (series.astype(str) != ""), None)


def _mapped(series: pd.Series, names: dict[str, str]) -> pd.Series:
    return _text(series).map(lambda v: None if v is None else names.get(str(v), str(v)))


def _yes_no(series: pd.Series) -> pd.Series:
    def one(value: object) -> str | None:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "是", "yes"):
            return "是"
        if text in ("false", "0", "否", "no"):
            return "否"
        return None

    return series.astype(object).map(one)


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def _dates(series: pd.Series) -> pd.Series:
    days = pd.to_datetime(series, errors="coerce")
    return days.map(lambda d: None if pd.isna(d) else d.date()).astype(object)


def _reason(value: object) -> str | None:
    """A ledger reason in words (`labels.reason_text`, codes by their long names); None if blank."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return None
    return reason_text(str(value), CODE_NAMES)


def _chinese(columns: dict[str, pd.Series]) -> pd.DataFrame:
    """A sheet from its columns keyed by contract name, headed by the catalogue's names."""
    return pd.DataFrame({COLUMN_NAMES[c]: v for c, v in columns.items()}).reset_index(drop=True)


def coverage_frame(coverage: pd.DataFrame) -> pd.DataFrame:
    """coverage.csv in Chinese: one row per group, district first."""
    level = _text(_col(coverage, "level"))
    kind = _mapped(_col(coverage, "kind"), KIND_NAMES)
    group = _text(_col(coverage, "group")).copy()
    is_kind = level == "kind"
    group[is_kind] = _mapped(group[is_kind], KIND_LONG_NAMES)
    return _chinese(
        {
            "level": _mapped(level, LEVEL_NAMES),
            "kind": kind,
            "group": group,
            "units_total": _number(_col(coverage, "units_total")),
            "units_covered": _number(_col(coverage, "units_covered")),
            "unit_coverage": _number(_col(coverage, "unit_coverage")),
            "members_total": _number(_col(coverage, "members_total")),
            "members_covered": _number(_col(coverage, "members_covered")),
            "member_coverage": _number(_col(coverage, "member_coverage")),
            "activities": _number(_col(coverage, "activities")),
            "participants": _number(_col(coverage, "participants")),
            "participants_per_100": _number(_col(coverage, "participants_per_100")),
        }
    )


def _rounds(series: pd.Series, campaign: Campaign) -> pd.Series:
    """Round codes in words ('r1;r2' -> '第一阶段、第二阶段'; a code the campaign lacks as it is)."""
    return _text(series).map(lambda v: None if v is None else campaign.round_names(str(v)))


def submissions_frame(submissions: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """submissions.csv in Chinese (no contact name or phone)."""
    return _chinese(
        {
            "file": _text(_col(submissions, "file")),
            "reporting_unit": _text(_col(submissions, "reporting_unit")),
            "kind": _mapped(_col(submissions, "kind"), KIND_NAMES),
            "round": _rounds(_col(submissions, "round"), campaign),
            "report_date": _dates(_col(submissions, "report_date")),
            "state": _mapped(_col(submissions, "state"), FILE_STATE_NAMES),
            "on_time": _yes_no(_col(submissions, "on_time")),
            "rows_read": _number(_col(submissions, "rows_read")),
            "rows_accepted": _number(_col(submissions, "rows_accepted")),
            "rows_rejected": _number(_col(submissions, "rows_rejected")),
            "sheets": _text(_col(submissions, "sheets")),
            "superseded_by": _text(_col(submissions, "superseded_by")),
            "duplicate_of": _text(_col(submissions, "duplicate_of")),
        }
    )


def rows_frame(rows: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """rows.csv (the ledger) in Chinese: one row per data row read."""
    items = {c: campaign.work_item_short(c) for c in campaign.work_item_codes}
    return _chinese(
        {
            "file": _text(_col(rows, "file")),
            "sheet": _text(_col(rows, "sheet")),
            "row": _number(_col(rows, "row")),
            "state": _mapped(_col(rows, "state"), ROW_STATE_NAMES),
            "reason": _text(_col(rows, "reason")).map(_reason),
            "grassroots_unit": _text(_col(rows, "grassroots_unit")),
            "reporting_unit": _text(_col(rows, "reporting_unit")),
            "counted_for": _text(_col(rows, "counted_for")),
            "kind": _mapped(_col(rows, "kind"), KIND_NAMES),
            "round": _rounds(_col(rows, "round"), campaign),
            "work_item": _mapped(_col(rows, "work_item"), items),
            "form": _text(_col(rows, "form")),
            "date": _dates(_col(rows, "date")),
            "participants": _number(_col(rows, "participants")),
        }
    )


def issues_frame(issues: pd.DataFrame) -> pd.DataFrame:
    """issues.csv in Chinese."""
    return _chinese(
        {
            "file": _text(_col(issues, "file")),
            "sheet": _text(_col(issues, "sheet")),
            "row": _number(_col(issues, "row")),
            "column": _text(_col(issues, "column")),
            "severity": _mapped(_col(issues, "severity"), SEVERITY_NAMES),
            "code": _mapped(_col(issues, "code"), CODE_NAMES),
            "message": _text(_col(issues, "message")),
            "value": _text(_col(issues, "value")),
            "suggestions": _text(_col(issues, "suggestions")),
        }
    )


def details_frames(
    rows: pd.DataFrame,
    submissions: pd.DataFrame,
    issues: pd.DataFrame,
    coverage: pd.DataFrame,
    campaign: Campaign,
) -> dict[str, pd.DataFrame]:
    """The four sheets as Chinese frames, keyed by sheet name (SHEETS order)."""
    return {
        "覆盖情况": coverage_frame(coverage),
        "报送文件": submissions_frame(submissions, campaign),
        "活动明细": rows_frame(rows, campaign),
        "问题清单": issues_frame(issues),
    }


def display_width(text: object) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def _width(name: str, column: pd.Series) -> float:
    sample = column.iloc[:WIDTH_SAMPLE].dropna()
    if name in DATE_COLUMNS:
        longest = 10
    elif name in PERCENT_COLUMNS:
        longest = 7
    elif pd.api.types.is_numeric_dtype(column):
        longest = max((len(f"{v:,.0f}") for v in sample), default=1) + 1
    else:
        longest = max((display_width(v) for v in sample), default=1)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, display_width(name) + 2, longest + 1)))


def _cells(frame: pd.DataFrame):
    """Rows of Python values with None for every missing value (never NaN)."""
    values = frame.astype(object).where(frame.notna(), None)
    return values.itertuples(index=False, name=None)


def _escape_every_escape() -> None:
    """Make xlsxwriter store every typed `_xHHHH_` as text, overlapping ones included.

    Excel reads `_xHHHH_` in a cell's stored text as the character HHHH, so a writer
    stores a typed one with its underscore escaped (`_x005F_x0041_` for `_x0041_`).
    xlsxwriter finds them with a pattern whose matches do not overlap: in `_x005F_x0041_`
    typed by a unit it escapes the first and not the second, which shares its underscore,
    and Excel shows `_x005FA`. Its pattern (a module global it reads at each write) is
    made a lookahead, which escapes each such underscore (`safety.ooxml_escape`'s rule).
    """
    import re

    from xlsxwriter import xmlwriter

    if hasattr(xmlwriter, "re_control_chars_1"):
        xmlwriter.re_control_chars_1 = re.compile(r"(_(?=x[0-9a-fA-F]{4}_))")


def write_details(
    path: Path,
    rows: pd.DataFrame,
    submissions: pd.DataFrame,
    issues: pd.DataFrame,
    coverage: pd.DataFrame,
    campaign: Campaign,
) -> Path:
    """Write 数据明细.xlsx from the processed tables (as the CSVs hold them); returns `path`.

    `coverage` is coverage.csv (or the briefing's coverage table, which has the
    same columns); the other three are rows.csv, submissions.csv and issues.csv.
    """
    import xlsxwriter

    _escape_every_escape()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = details_frames(rows, submissions, issues, coverage, campaign)
    tmp = path.with_name(path.name + ".tmp")
    # Row by row to disk (constant memory) only when the tables are large: in memory a
    # repeated text is written once (shared strings), ~0.2 s less on the demo district.
    streamed = sum(len(frame) for frame in frames.values()) > IN_MEMORY_ROWS
    book = xlsxwriter.Workbook(
        str(tmp),
        {"constant_memory": streamed, "default_date_format": "yyyy-mm-dd",
         "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )  # fmt: skip
    font = {"font_name": "宋体", "font_size": 11}
    header = book.add_format(
        {**font, "bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True,
         "valign": "vcenter", "align": "center"}
    )  # fmt: skip
    formats = {
        "percent": book.add_format({**font, "num_format": "0.0%"}),
        "decimal": book.add_format({**font, "num_format": "0.0"}),
        "integer": book.add_format({**font, "num_format": "#,##0"}),
        "date": book.add_format({**font, "num_format": "yyyy-mm-dd"}),
        "text": book.add_format(font),
        # Text a unit typed that a spreadsheet would evaluate (=, +, -, @ …): Excel's
        # quote prefix keeps it text even when the analyst edits the cell.
        "quoted": book.add_format({**font, "quote_prefix": True}),
    }
    for name, frame in frames.items():
        ws = book.add_worksheet(name)
        for j, column in enumerate(frame.columns):
            if column in PERCENT_COLUMNS:
                fmt = formats["percent"]
            elif column in DECIMAL_COLUMNS:
                fmt = formats["decimal"]
            elif column in DATE_COLUMNS:
                fmt = formats["date"]
            elif pd.api.types.is_numeric_dtype(frame[column]):
                fmt = formats["integer"]
            else:
                fmt = formats["text"]
            ws.set_column(j, j, _width(column, frame[column]), fmt)
        ws.write_row(0, 0, list(frame.columns), header)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        for i, values in enumerate(_cells(frame), start=1):
            for j, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    moment = dt.datetime(value.year, value.month, value.day)
                    ws.write_datetime(i, j, moment, formats["date"])
                elif isinstance(value, str):
                    if len(value) > safety.EXCEL_CELL_UNITS // 2:  # cut with a mark, not silently
                        value = safety.excel_cell_text(value)
                    if safety.is_evaluable(value):
                        ws.write_string(i, j, value, formats["quoted"])
                    else:
                        ws.write_string(i, j, value)
                else:
                    ws.write_number(i, j, value)
    book.close()
    tmp.replace(path)
    return path
