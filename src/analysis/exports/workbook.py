"""The 通报表 (.xlsx) a district office circulates: per-unit figures grouped by kind.

Sheet 1 (通报表): a title row, a note row, the header, the district total row, then for
each kind its units in the order of the one ranking (figures.rank_units; tied units show
"并列N", directly affiliated unions no rank) and a kind subtotal row. The name column
fits the longest name (or wraps beyond MAX_NAME_WIDTH); printed on A4 landscape, one
page wide, the header row repeated on every page.
The 覆盖率 cells of the units in the figures' LOW band are shaded light red, of the
HIGH band light green: the same sets the prose counts and chart 01 marks.
Numbers are stored as numbers (ratios as fractions with a percentage format), so
the figures read back equal the coverage table's. Sheet 2 lists the reporting
units that have not reported in the round, sheet 3 the grassroots unions not yet
reached. No contact name or phone number is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis import config, safety
from analysis.exports import without_personal
from analysis.figures import HIGH, HIGH_COVERAGE, LOW, LOW_COVERAGE, Figures
from analysis.formats import fmt_date
from analysis.model import Level, ReportStatus

if TYPE_CHECKING:
    from analysis.exports.materials import WorkbookParts

FONT_NAME = "宋体"
HEADER = (
    "序号", "报送单位", "类别", "基层工会数", "已覆盖", "覆盖率", "会员数", "覆盖会员",
    "会员覆盖率", "活动次数", "参加人次", "每百名会员参加人次", "类别内排名", "较上期变化",
    "本期报送状态",
)  # fmt: skip
# Source column of each header (None: computed here).
SOURCE = (
    None, "group", "kind", "units_total", "units_covered", "unit_coverage", "members_total",
    "members_covered", "member_coverage", "activities", "participants",
    "participants_per_100", "rank", "change", "status_name",
)  # fmt: skip
WIDTHS = (6, 26, 8, 11, 9, 9, 10, 10, 11, 10, 10, 12, 11, 13, 16)
FORMATS = {
    "unit_coverage": "0.0%",
    "member_coverage": "0.0%",
    "participants_per_100": "0.0",
    "change": '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"',
    "units_total": "0",
    "units_covered": "0",
    "members_total": "#,##0",
    "members_covered": "#,##0",
    "activities": "#,##0",
    "participants": "#,##0",
}
TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
# A rank shared with another unit of the kind reads "并列2" (the cell stays a number).
TIED_RANK_FORMAT = '"并列"0'
LIGHT_RED = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
LIGHT_GREEN = PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE")
HEADER_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
SUBTOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STATUS_SHORT = {
    ReportStatus.ON_TIME: "按时报送",
    ReportStatus.LATE: "逾期报送",
    ReportStatus.UNKNOWN_DATE: "已报送（未填日期）",
    ReportStatus.MISSING: "未报送",
    ReportStatus.PENDING: "未到截止日期",
}
BAND_FILLS = {LOW: LIGHT_RED, HIGH: LIGHT_GREEN}


def unit_table(figures: Figures) -> pd.DataFrame:
    """Sheet 1's rows as a tidy table: units, kind subtotals and the district total.

    Column `row_type` is unit / subtotal / total; the unit rows are figures.ranking's,
    in its order, with its `rank`, `tied` and `band`.
    """
    cov = figures.coverage
    status = figures.status[figures.status["round"] == figures.round_code]
    status_of = status.set_index("reporting_unit")["status"].map(STATUS_SHORT)
    ranking = figures.ranking.copy()
    ranking["status_name"] = ranking["group"].map(status_of).fillna("—")
    if "change" not in ranking.columns:
        ranking["change"] = float("nan")
    previous = None
    if figures.previous is not None:
        previous = figures.previous.set_index(["level", "group"])["unit_coverage"]
    # The change is the round's: at its end when it ended before the as-of date (the
    # units' rows have it from the ranking, the same pair).
    end = figures.round_end if figures.round_end is not None else cov
    end = end.set_index(["level", "group"])["unit_coverage"]

    def summary(level: str, group: str, kind: str, label: str, row_type: str) -> dict:
        row = cov[(cov["level"] == level) & (cov["group"] == group)].iloc[0].to_dict()
        change = float("nan")
        if previous is not None and (level, group) in previous.index:
            change = (end[(level, group)] - previous[(level, group)]) * 100
        subs = status if level == Level.DISTRICT else status[status["kind"] == kind]
        return {
            **row,
            "group": label,
            "kind": "" if level == Level.DISTRICT else config.KIND_NAMES.get(kind, kind),
            "rank": None,
            "tied": False,
            "band": "",
            "change": change,
            "status_name": f"已报{int(subs['submitted'].sum())}/{len(subs)}个",
            "row_type": row_type,
        }

    # The district total first, where such tables put it (and on the first printed page).
    parts = [
        pd.DataFrame([summary(Level.DISTRICT, config.DISTRICT_GROUP, "", "全区合计", "total")])
    ]
    kinds = [k for k in config.KINDS if k in set(ranking["kind"])]
    kinds += sorted(set(ranking["kind"]) - set(kinds))
    for kind in kinds:
        units = ranking[ranking["kind"] == kind]
        units = units.assign(kind=config.KIND_NAMES.get(kind, kind), row_type="unit")
        parts.append(units)
        label = f"{config.KIND_NAMES.get(kind, kind)}小计"
        parts.append(pd.DataFrame([summary(Level.KIND, kind, kind, label, "subtotal")]))
    table = pd.concat(parts, ignore_index=True)
    is_unit = table["row_type"] == "unit"
    table["seq"] = pd.array([None] * len(table), dtype="Int64")
    table.loc[is_unit, "seq"] = range(1, int(is_unit.sum()) + 1)
    return without_personal(table)


# Widest a name column grows to fit its longest name; longer names wrap within it.
MAX_NAME_WIDTH = 60


def text_width(values) -> int:
    """The column width (in Excel's character units) that shows every value uncut: a
    CJK (East Asian wide) character takes two units, others one; plus a margin."""
    from unicodedata import east_asian_width

    widest = 0
    for value in values:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        text = str(value)
        widest = max(widest, sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text))
    return widest + 3


def _fit_name_column(ws: Worksheet, column: int, values, minimum: int) -> None:
    """Column `column` wide enough for its longest value (up to MAX_NAME_WIDTH; beyond
    that its cells wrap): long names are never cut on screen or on paper."""
    width = max(minimum, text_width(values))
    ws.column_dimensions[get_column_letter(column)].width = min(width, MAX_NAME_WIDTH)
    if width > MAX_NAME_WIDTH:
        for (cell,) in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=column, max_col=column):
            cell.alignment = Alignment(
                horizontal=cell.alignment.horizontal, vertical="center", wrap_text=True
            )


def _style_header(ws: Worksheet, row: int, ncols: int) -> None:
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name=FONT_NAME, bold=True, size=11)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER


def _title_rows(ws: Worksheet, title: str, note: str, ncols: int) -> None:
    last = get_column_letter(ncols)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.merge_cells(f"A{NOTE_ROW}:{last}{NOTE_ROW}")
    ws.cell(row=TITLE_ROW, column=1, value=title).font = Font(name="黑体", bold=True, size=16)
    ws.cell(row=TITLE_ROW, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.cell(row=NOTE_ROW, column=1, value=note).font = Font(name=FONT_NAME, size=10)
    ws.cell(row=NOTE_ROW, column=1).alignment = Alignment(horizontal="right")


def _print_setup(ws: Worksheet, landscape: bool = True) -> None:
    """A4, fit to one page wide, header rows repeated, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def print_setup_added_sheets(book: Workbook) -> list[str]:
    """Give every sheet added to the 通报表 with its header in row 1 (the materials sheets)
    the same print setup as the others: A4, one page wide, landscape when it has more than
    four columns, its header row repeated. Returns the sheets it set up."""
    done = []
    for ws in book.worksheets:
        if (
            ws.sheet_properties.pageSetUpPr is not None
            and ws.sheet_properties.pageSetUpPr.fitToPage
        ):
            continue
        _print_setup(ws, landscape=ws.max_column > 4)
        ws.print_title_rows = "1:1"
        done.append(ws.title)
    return done


def _list_sheet(
    wb: Workbook, name: str, title: str, note: str, frame: pd.DataFrame, columns: dict[str, str],
    widths: list[int],
) -> Worksheet:  # fmt: skip
    """A simple numbered list sheet (未报送单位, 未覆盖基层工会)."""
    ws = wb.create_sheet(name)
    header = ["序号", *columns.values()]
    _title_rows(ws, title, note, len(header))
    for col, text in enumerate(header, start=1):
        ws.cell(row=HEADER_ROW, column=col, value=text)
    _style_header(ws, HEADER_ROW, len(header))
    frame = without_personal(frame)
    for i, record in enumerate(frame.loc[:, list(columns)].itertuples(index=False), start=1):
        values = [i, *[None if pd.isna(v) else v for v in record]]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=HEADER_ROW + i, column=col, value=value)
            cell.font = Font(name=FONT_NAME, size=11)
            cell.border = BORDER
    if frame.empty:
        ws.cell(row=HEADER_ROW + 1, column=1, value="（无）").font = Font(name=FONT_NAME)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for col, column in enumerate(columns, start=2):
        if frame[column].map(lambda v: isinstance(v, str)).any():
            _fit_name_column(ws, col, frame[column], widths[col - 1] if col <= len(widths) else 8)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(ws, landscape=False)
    return ws


def write_workbook(figures: Figures, path: Path, materials: WorkbookParts | None = None) -> Path:
    """Write the 通报表 workbook to `path`, with the materials' column and sheets when given
    (`exports.materials.workbook_parts`)."""
    table = unit_table(figures)
    wb = Workbook()
    ws = wb.active
    ws.title = "通报表"
    campaign = figures.campaign
    title = f"{campaign.name}{figures.round_name}情况通报表"
    demo = "（演示数据）" if figures.is_demo else ""
    note = f"{figures.dates_line}；数据来源：{figures.source}{demo}"
    # The lists of reports (not) received are at the report date, the unions at the as-of date.
    coverage_note = f"统计截至{fmt_date(figures.as_of)}；数据来源：{figures.source}{demo}"
    status_note = coverage_note
    if figures.report_date_differs:
        status_note = (
            f"报送情况截至{fmt_date(figures.report_date)}；数据来源：{figures.source}{demo}"
        )
    _title_rows(ws, title, note, len(HEADER))
    for col, text in enumerate(HEADER, start=1):
        ws.cell(row=HEADER_ROW, column=col, value=text)
    _style_header(ws, HEADER_ROW, len(HEADER))
    ws.row_dimensions[HEADER_ROW].height = 32

    first = HEADER_ROW + 1
    for i, record in enumerate(table.to_dict("records")):
        row = first + i
        bold = record["row_type"] != "unit"
        for col, source in enumerate(SOURCE, start=1):
            value = record["seq"] if source is None else record.get(source)
            if value is not None and not isinstance(value, str) and pd.isna(value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()  # numpy scalar -> Python number
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = Font(name=FONT_NAME, size=11, bold=bold)
            cell.border = BORDER
            if source in FORMATS:
                cell.number_format = FORMATS[source]
            if source == "rank" and record.get("tied") in (True,):
                cell.number_format = TIED_RANK_FORMAT
            if source == "unit_coverage" and record.get("band") in BAND_FILLS:
                cell.fill = BAND_FILLS[record["band"]]
            if source in ("group",):
                cell.alignment = Alignment(horizontal="left", vertical="center")
            else:
                cell.alignment = Alignment(horizontal="center", vertical="center")
            if bold:
                cell.fill = SUBTOTAL_FILL
    last = first + len(table) - 1
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _fit_name_column(ws, SOURCE.index("group") + 1, table["group"], WIDTHS[1])
    # The header and the district total stay in view while scrolling.
    ws.freeze_panes = f"C{first + 1}"
    foot = last + 2
    ws.cell(
        row=foot,
        column=1,
        value=(
            f"说明：覆盖率＝开展活动的基层工会数÷基层工会总数；类别内排名按覆盖率（保留一位小数）"
            f"由高到低，覆盖率相同者并列；直属基层工会各为一家，不排名、不标色。"
            f"覆盖率低于{LOW_COVERAGE:.0%}标浅红，达到{HIGH_COVERAGE:.0%}标浅绿；"
            f"较上期变化为{figures.change_basis()}覆盖率与上一阶段末相比的百分点变化。"
        ),
    ).font = Font(name=FONT_NAME, size=9)
    ws.merge_cells(start_row=foot, start_column=1, end_row=foot, end_column=len(HEADER))
    _print_setup(ws)

    # One round per sheet: the round is in the title, not repeated on every row.
    missing = figures.not_reported.assign(
        kind=lambda d: d["kind"].map(config.KIND_NAMES).fillna(d["kind"])
    )
    _list_sheet(
        wb,
        "未报送单位",
        f"{figures.round_name}未报送单位名单",
        status_note,
        missing,
        {"reporting_unit": "报送单位", "kind": "类别"},
        [6, 40, 12],
    )
    if figures.pending:
        # Not yet due is not missing: listed apart, under their own heading.
        pending = figures.not_yet_due.assign(
            kind=lambda d: d["kind"].map(config.KIND_NAMES).fillna(d["kind"])
        )
        _list_sheet(
            wb,
            "未到截止日期",
            f"{figures.round_name}尚未报送、未到截止日期（{figures.deadline_text}）的单位",
            status_note,
            pending,
            {"reporting_unit": "报送单位", "kind": "类别"},
            [6, 40, 12],
        )
    reached = figures.not_reached.assign(
        kind=lambda d: d["kind"].map(config.KIND_NAMES).fillna(d["kind"])
    )
    _list_sheet(
        wb,
        "未覆盖基层工会",
        "尚未开展活动的基层工会名单",
        coverage_note,
        reached,
        {"unit": "基层工会名称", "reporting_unit": "报送单位", "kind": "类别", "members": "会员数"},
        [6, 40, 26, 10, 10],
    )
    publicity_note = coverage_note
    if figures.later_round_begun or figures.report_date_differs:
        publicity_note = f"宣传成果{figures.publicity_when}；数据来源：{figures.source}{demo}"
    _publicity_sheet(wb, figures, publicity_note)
    if materials is not None:
        from analysis.exports.materials import add_to_workbook

        add_to_workbook(wb, materials)
        print_setup_added_sheets(wb)  # they print like the rest
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safety.protect_workbook(wb)
    wb.save(path)
    return path


def _publicity_sheet(wb: Workbook, figures: Figures, note: str) -> None:
    """Sheet 宣传成果 (work item 3's counts to date), only when units reported counts."""
    from analysis import publicity_figures as publicity

    frame = publicity.sheet_frame(
        publicity.briefing_figures(figures), figures.campaign, figures.round_code
    )
    if frame.empty:
        return
    ws = _list_sheet(
        wb, "宣传成果", f"{figures.round_name}宣传成果统计（截至本期累计）", note, frame,
        {c: c for c in frame.columns}, [6, 30, 10, *[12] * (len(frame.columns) - 2)],
    )  # fmt: skip
    # The counts left out of the totals, said under the table as the text and deck say them.
    left_out = publicity.implausible_note(
        getattr(figures, "publicity", None), figures.campaign, figures.round_code,
        publicity.figures_tables(figures),
    )  # fmt: skip
    if left_out:
        ws.cell(row=HEADER_ROW + len(frame) + 2, column=1, value=left_out).font = Font(
            name=FONT_NAME, size=10
        )
