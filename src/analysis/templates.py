"""Pre-filled submission templates (报送表) per reporting unit, and reading them back.

A template is an .xlsx written with openpyxl: a locked header block (填报单位,
报送期次 pre-filled; 填报日期, 联系人, 联系电话 left open), an activity sheet whose
input rows carry drop-downs and range checks, an instructions sheet, a hidden
list sheet the drop-downs point at, and a veryHidden `_meta` sheet holding a
machine-readable marker (template version, campaign, unit, round, layout).

Sheet protection has no password on purpose: it guards against accidents (typing
over a label, dragging a column), not against a unit that means to change the
form. Reading back uses the marker's layout, so a template is read by position,
with no header search; a template whose protected parts were changed is still
read (by matching its header) and gets a `template_altered` warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl import load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation

from analysis import config
from analysis.campaign import OTHER_WORK_ITEM_NAME, Campaign, CampaignError, Round, load_campaign
from analysis.model import (
    HEADER_FIELDS,
    TABLE_FIELDS,
    ActivityTable,
    HeaderBlock,
    Issue,
    Sheet,
    TableRow,
    Workbook,
)
from analysis.roster import Roster, load_roster

TEMPLATE_MARKER = "fangshan-analysis/submission-template"
TEMPLATE_VERSION = 1

ACTIVITY_SHEET = "活动情况"
INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "_lists"
META_SHEET = "_meta"
# Sheets that belong to the template itself; none of them holds submitted data.
TEMPLATE_SHEETS: tuple[str, ...] = (ACTIVITY_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET)

# Column headers of the activity table, in model.TABLE_FIELDS order.
COLUMN_LABELS: dict[str, str] = {
    "seq": "序号",
    "grassroots_unit": "基层工会名称",
    "date": "活动日期",
    "work_item": "工作类别",
    "form": "活动形式",
    "participants": "参加人数",
    "title": "活动名称",
    "note": "备注",
}
COLUMN_WIDTHS: dict[str, float] = {
    "seq": 7,
    "grassroots_unit": 34,
    "date": 14,
    "work_item": 18,
    "form": 16,
    "participants": 11,
    "title": 36,
    "note": 24,
}
HEADER_LABELS: dict[str, str] = {
    "reporting_unit": "填报单位",
    "round": "报送期次",
    "report_date": "填报日期",
    "contact": "联系人",
    "phone": "联系电话",
}
# Header block: field -> (label cell, value cell). Row 2 is pre-filled and locked;
# row 3 is for the unit to fill.
HEADER_CELLS: dict[str, tuple[str, str]] = {
    "reporting_unit": ("A2", "B2"),
    "round": ("E2", "F2"),
    "report_date": ("A3", "B3"),
    "contact": ("C3", "D3"),
    "phone": ("E3", "F3"),
}
HEADER_MERGES = ("B2:D2", "F2:H2", "F3:H3")
PREFILLED_HEADER = ("reporting_unit", "round")
TITLE_ROW = 1
HEADER_ROW = 5
FIRST_DATA_ROW = 6
INPUT_ROWS = 500
SELF_LABEL = "本级"  # used when the campaign's [row_markers] self list is empty
MAX_PARTICIPANTS = 100_000

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
_INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_UNLOCKED = Protection(locked=False)
_DATE_FORMAT = "yyyy-mm-dd"
_FILENAME_BAD = re.compile(r'[\\/:*?"<>|\r\n\t]')


# ---------------------------------------------------------------------------
# Writing templates


@dataclass
class TemplateRun:
    """What `run` wrote; its str() is the Chinese summary the command line prints."""

    round_name: str
    out_dir: Path
    files: list[Path]
    zip_path: Path
    checklist_xlsx: Path
    checklist_csv: Path
    roster_source: str = ""
    issues: list[Issue] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"已为 {len(self.files)} 个报送单位生成“{self.round_name}”报送模板，"
            f"保存在 {self.out_dir}；打包文件 {self.zip_path.name}，"
            f"报送清单 {self.checklist_xlsx.name}（另有 .csv）。"
            + (
                f"名册中有 {len(self.issues)} 处问题（{self.roster_source}），"
                "有问题的单位可能未列入下拉列表，请核对名册。"
                if self.issues
                else ""
            )
        )


def safe_filename(text: str) -> str:
    """`text` with characters Windows forbids in file names replaced by '_'."""
    return _FILENAME_BAD.sub("_", text).strip().strip(".") or "_"


def template_filename(unit: str, round_: Round) -> str:
    """`<unit name>_<round name>_报送表.xlsx`."""
    return safe_filename(f"{unit}_{round_.name}_报送表") + ".xlsx"


def _round(campaign: Campaign, round_code: str | None) -> Round:
    if round_code is None:
        return campaign.rounds[0]
    for r in campaign.rounds:
        if round_code == r.code or round_code in r.labels or round_code == r.name:
            return r
    codes = "、".join(r.code for r in campaign.rounds)
    raise CampaignError(f"报送期次“{round_code}”不存在，可选：{codes}。")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def work_item_choices(campaign: Campaign) -> list[str]:
    """The 工作类别 drop-down: the campaign's work item names, then 其他."""
    return _unique([w.name for w in campaign.work_items] + [OTHER_WORK_ITEM_NAME])


def form_choices(campaign: Campaign) -> list[str]:
    """The 活动形式 drop-down: every canonical form of every item, then 其他."""
    return _unique([f for w in campaign.work_items for f in w.form_names] + [OTHER_WORK_ITEM_NAME])


def self_label(campaign: Campaign) -> str:
    """How a federation names its own activities (本级): the campaign's first `self` marker."""
    return next(iter(campaign.row_markers.get("self", ())), SELF_LABEL)


def union_choices(roster: Roster, unit: str, self_name: str = SELF_LABEL) -> list[str]:
    """The 基层工会名称 drop-down: the unit's grassroots unions in roster order, then 本级."""
    names = roster.units.loc[roster.units["reporting_unit"] == unit, "unit"]
    return _unique(list(names) + [self_name])


def _zh_date(day: dt.date) -> str:
    """2019年7月5日 (strftime's %-m is not portable to Windows)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _date_formula(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _list_range(col: int, n: int) -> str:
    letter = get_column_letter(col)
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${n + 1}"


def _column_letter(fld: str) -> str:
    return get_column_letter(TABLE_FIELDS.index(fld) + 1)


def _write_lists(wb: XlsxWorkbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet with one list per column; returns list name -> range formula."""
    ws = wb.create_sheet(LISTS_SHEET)
    ranges = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=col, value=name)
        for i, value in enumerate(values, start=2):
            ws.cell(row=i, column=col, value=value)
        ranges[name] = _list_range(col, len(values))
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return ranges


def _write_meta(wb: XlsxWorkbook, entries: list[tuple[str, str]]) -> None:
    ws = wb.create_sheet(META_SHEET)
    for key, value in entries:
        ws.append([key, value])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _meta_entries(campaign: Campaign, unit: str, kind: str, round_: Round) -> list[tuple[str, str]]:
    last = FIRST_DATA_ROW + INPUT_ROWS - 1
    return [
        ("marker", TEMPLATE_MARKER),
        ("template_version", str(TEMPLATE_VERSION)),
        ("campaign", campaign.code),
        ("unit", unit),
        ("kind", kind),
        ("round", round_.code),
        ("round_name", round_.name),
        ("sheet", ACTIVITY_SHEET),
        ("header_row", str(HEADER_ROW)),
        ("first_data_row", str(FIRST_DATA_ROW)),
        ("last_data_row", str(last)),
        ("columns", ",".join(TABLE_FIELDS)),
        ("column_labels", ",".join(COLUMN_LABELS[f] for f in TABLE_FIELDS)),
        ("header_cells", ",".join(f"{f}:{HEADER_CELLS[f][1]}" for f in HEADER_FIELDS)),
        ("header_label_cells", ",".join(f"{f}:{HEADER_CELLS[f][0]}" for f in HEADER_FIELDS)),
        ("header_labels", ",".join(f"{f}:{HEADER_LABELS[f]}" for f in HEADER_FIELDS)),
        ("template_sheets", ",".join(TEMPLATE_SHEETS)),
    ]


def _validations(
    round_: Round, ranges: dict[str, str], department: str, self_name: str
) -> list[DataValidation]:
    """The input checks of the activity sheet, each with a Chinese prompt and a stop error."""
    start, end = f"{round_.start:%Y-%m-%d}", f"{round_.end:%Y-%m-%d}"
    first, last = _date_formula(round_.start), _date_formula(round_.end)
    top = str(MAX_PARTICIPANTS)
    last_row = FIRST_DATA_ROW + INPUT_ROWS - 1
    # (field, type, operator, formula1, formula2, prompt, error message)
    # fmt: off
    specs = [
        ("seq", "whole", "between", "1", top, "填写序号（正整数），可不填。",
         "序号应为正整数，如 1、2、3。"),
        ("grassroots_unit", "list", None, ranges["unions"], None,
         f"从下拉列表中选择开展活动的基层工会；本单位自己开展的活动选“{self_name}”。",
         f"请从下拉列表中选择本单位所属的基层工会，或选“{self_name}”。"
         f"名册中没有的单位请在备注中说明并联系{department}。"),
        ("date", "date", "between", first, last,
         f"填写活动举办日期，格式如 {start}，应在 {start} 至 {end} 之间。",
         f"请填写 {start} 至 {end} 之间的日期，格式如 {start}。"),
        ("work_item", "list", None, ranges["work_items"], None,
         "从下拉列表中选择活动所属的工作类别。",
         "请从下拉列表中选择工作类别；不属于任何一类的选“其他”。"),
        ("form", "list", None, ranges["forms"], None, "从下拉列表中选择活动形式。",
         "请从下拉列表中选择活动形式；列表中没有的选“其他”，并在备注中说明。"),
        ("participants", "whole", "between", "0", top,
         f"填写参加人数（人次），只填数字，如 50；范围 0 至 {top}。",
         f"参加人数只能填写 0 至 {top} 之间的整数，不要写“人”“约”等文字。"),
        ("report_date", "date", "greaterThanOrEqual", first, None,
         f"填写本表的填报日期，格式如 {end}。", f"请填写 {start} 之后的日期，格式如 {end}。"),
    ]
    # fmt: on
    out = []
    for fld, kind, operator, formula1, formula2, prompt, error in specs:
        if fld in COLUMN_LABELS:
            title, letter = COLUMN_LABELS[fld], _column_letter(fld)
            sqref = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        else:
            title, sqref = HEADER_LABELS[fld], HEADER_CELLS[fld][1]
        dv = DataValidation(
            type=kind, operator=operator, formula1=formula1, formula2=formula2,
            allow_blank=True, showInputMessage=True, showErrorMessage=True, errorStyle="stop",
            promptTitle=title, prompt=prompt, errorTitle=f"{title}有误", error=error,
        )  # fmt: skip
        dv.add(sqref)
        out.append(dv)
    return out


def _write_activity_sheet(
    wb: XlsxWorkbook, campaign: Campaign, unit: str, round_: Round, ranges: dict[str, str]
) -> None:
    ws = wb.active
    ws.title = ACTIVITY_SHEET
    ncols = len(TABLE_FIELDS)
    last_col = get_column_letter(ncols)
    last_row = FIRST_DATA_ROW + INPUT_ROWS - 1

    ws.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    title = ws.cell(row=TITLE_ROW, column=1, value=f"{campaign.short_name}活动情况报送表")
    title.font = Font(size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 30

    for rng in HEADER_MERGES:
        ws.merge_cells(rng)
    prefilled = {"reporting_unit": unit, "round": round_.name}
    for fld, (label_ref, value_ref) in HEADER_CELLS.items():
        label = ws[label_ref]
        label.value = HEADER_LABELS[fld]
        label.font = Font(bold=True)
        label.fill = _LOCKED_FILL
        label.alignment = Alignment(horizontal="right", vertical="center")
        cell = ws[value_ref]
        cell.alignment = Alignment(horizontal="left", vertical="center")
        if fld in PREFILLED_HEADER:
            cell.value = prefilled[fld]
            cell.fill = _LOCKED_FILL
        else:
            cell.protection = _UNLOCKED
            cell.fill = _INPUT_FILL
    ws[HEADER_CELLS["report_date"][1]].number_format = _DATE_FORMAT
    ws[HEADER_CELLS["phone"][1]].number_format = "@"  # keep leading zeros and dashes
    ws.cell(
        row=HEADER_ROW - 1,
        column=1,
        value=f"请在黄色单元格中填写，活动日期应在{_zh_date(round_.start)}至"
        f"{_zh_date(round_.end)}之间；灰色单元格已锁定。填写方法见“{INSTRUCTIONS_SHEET}”。",
    ).font = Font(size=9, color="595959")

    for col, fld in enumerate(TABLE_FIELDS, start=1):
        head = ws.cell(row=HEADER_ROW, column=col, value=COLUMN_LABELS[fld])
        head.font = Font(bold=True)
        head.fill = _HEAD_FILL
        head.border = _BORDER
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = COLUMN_WIDTHS[fld]
    first = [ws.cell(row=FIRST_DATA_ROW, column=col) for col in range(1, ncols + 1)]
    for cell in first:
        cell.protection = _UNLOCKED
    first[TABLE_FIELDS.index("date")].number_format = _DATE_FORMAT
    # Copying the style array is much faster than setting styles cell by cell (openpyxl
    # hashes every style object on assignment); 500 rows x 8 columns took ~1.5 s.
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, max_row=last_row, max_col=ncols):
        for cell, model in zip(row, first, strict=True):
            cell._style = copy(model._style)

    # Rows get their grid lines once something is typed in them, so that printing a
    # filled template gives its rows and not 500 empty bordered ones.
    ws.conditional_formatting.add(
        f"A{FIRST_DATA_ROW}:{last_col}{last_row}",
        FormulaRule(
            formula=[f"COUNTA($A{FIRST_DATA_ROW}:${last_col}{FIRST_DATA_ROW})>0"], border=_BORDER
        ),
    )
    department = campaign.department or config.DISTRICT_FEDERATION
    for dv in _validations(round_, ranges, department, self_label(campaign)):
        ws.add_data_validation(dv)

    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    ws.protection.sheet = True
    # Let units widen columns and rows; everything else that moves cells stays off.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _write_instructions(
    wb: XlsxWorkbook, campaign: Campaign, unit: str, round_: Round, example_union: str
) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    item = campaign.work_items[0]
    department = campaign.department or config.DISTRICT_FEDERATION
    lines = [
        f"{campaign.short_name}活动情况报送表 填表说明",
        "",
        f"1. 本表为“{unit}”“{round_.name}”专用，填报单位和报送期次已预先填好，请勿修改；"
        "其他单位或其他期次请使用各自的报送表。",
        f"2. 在“{ACTIVITY_SHEET}”表第3行填写填报日期、联系人和联系电话。",
        f"3. 每项活动填一行，从第{FIRST_DATA_ROW}行起依次向下填写，中间不要留空行，不要填写合计行。"
        f"本表最多可填写 {INPUT_ROWS} 项活动，超过时请联系{department}。",
        "4. 基层工会名称：从下拉列表中选择开展活动的基层工会；"
        f"本单位自己开展的活动选“{self_label(campaign)}”。"
        f"名册中找不到的单位，请在备注中写明全称并联系{department}。",
        f"5. 活动日期：填写活动举办的日期，格式如 {round_.start:%Y-%m-%d}，"
        f"应在 {round_.start:%Y-%m-%d} 至 {round_.end:%Y-%m-%d} 之间。",
        "6. 工作类别、活动形式：从下拉列表中选择；列表中没有的选“其他”，并在备注中说明。",
        "7. 参加人数：只填阿拉伯数字（人次），如 50；不要写“约”“人”“若干”等文字。",
        "8. 请勿增删、移动列，勿修改表头，勿重命名工作表；需要补充的情况写在备注中。",
        f"9. 报送截止日期：{_zh_date(round_.deadline)}。填好后保存为 .xlsx 文件，"
        f"报送{department}。如需更正，重新报送完整的报送表即可，以最后一次为准。",
        "",
        "填写示例：",
    ]
    for i, line in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=line)
    ws["A1"].font = Font(size=14, bold=True)
    head_row = len(lines) + 1
    example = {
        "seq": 1,
        "grassroots_unit": example_union,
        "date": round_.start + dt.timedelta(days=min(20, (round_.end - round_.start).days)),
        "work_item": item.name,
        "form": item.form_names[0] if item.form_names else OTHER_WORK_ITEM_NAME,
        "participants": 35,
        "title": f"{campaign.short_name}专题学习会",
        "note": "示例，请勿照抄",
    }
    for col, fld in enumerate(TABLE_FIELDS, start=1):
        head = ws.cell(row=head_row, column=col, value=COLUMN_LABELS[fld])
        head.font = Font(bold=True)
        head.fill = _HEAD_FILL
        head.border = _BORDER
        cell = ws.cell(row=head_row + 1, column=col, value=example[fld])
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = COLUMN_WIDTHS[fld]
    ws.cell(row=head_row + 1, column=TABLE_FIELDS.index("date") + 1).number_format = _DATE_FORMAT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True


def write_template(
    path: Path, campaign: Campaign, unit: str, kind: str, round_: Round, unions: list[str]
) -> Path:
    """Write one unit's template for one round to `path`."""
    wb = XlsxWorkbook()
    ranges = _write_lists(
        wb,
        {
            "unions": unions,
            "work_items": work_item_choices(campaign),
            "forms": form_choices(campaign),
        },
    )
    _write_activity_sheet(wb, campaign, unit, round_, ranges)
    example_union = unions[0]  # a grassroots union when the unit has any, else 本级
    _write_instructions(wb, campaign, unit, round_, example_union)
    _write_meta(wb, _meta_entries(campaign, unit, kind, round_))
    wb.move_sheet(INSTRUCTIONS_SHEET, offset=-1)  # second, after 活动情况
    wb.active = 0
    props = wb.properties
    props.title = f"{unit} {round_.name} 报送表"
    props.subject = campaign.name
    props.creator = campaign.organiser or config.DISTRICT_FEDERATION
    props.keywords = f"{TEMPLATE_MARKER};v{TEMPLATE_VERSION};{campaign.code};{round_.code}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_templates(
    roster: Roster, campaign: Campaign, round_code: str, out_dir: Path
) -> list[Path]:
    """One template per reporting unit for `round_code`, plus the zip and checklist beside them."""
    round_ = _round(campaign, round_code)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ru in roster.reporting_units.itertuples(index=False):  # tens of units, not rows of data
        path = out_dir / template_filename(ru.reporting_unit, round_)
        write_template(
            path,
            campaign,
            ru.reporting_unit,
            ru.kind,
            round_,
            union_choices(roster, ru.reporting_unit, self_label(campaign)),
        )
        paths.append(path)
    write_bundle(paths, round_, out_dir)
    write_checklist(roster, paths, round_, out_dir)
    return paths


def bundle_path(round_: Round, out_dir: Path) -> Path:
    return Path(out_dir) / (safe_filename(f"{round_.name}_报送模板") + ".zip")


def checklist_paths(round_: Round, out_dir: Path) -> tuple[Path, Path]:
    stem = safe_filename(f"{round_.name}_报送清单")
    return Path(out_dir) / f"{stem}.xlsx", Path(out_dir) / f"{stem}.csv"


def write_bundle(paths: list[Path], round_: Round, out_dir: Path) -> Path:
    """A zip of the round's templates (UTF-8 names, which Windows' Explorer shows correctly)."""
    zip_path = bundle_path(round_, out_dir)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    return zip_path


CHECKLIST_COLUMNS = ("报送单位", "类别", "文件名", "联系人", "是否已交")


def write_checklist(
    roster: Roster, paths: list[Path], round_: Round, out_dir: Path
) -> tuple[Path, Path]:
    """The sending checklist (报送单位, 类别, 文件名, 联系人, 是否已交) as .xlsx and .csv."""
    xlsx_path, csv_path = checklist_paths(round_, out_dir)
    rows = [
        [ru.reporting_unit, config.KIND_NAMES.get(ru.kind, ru.kind), p.name, "", ""]
        for ru, p in zip(roster.reporting_units.itertuples(index=False), paths, strict=True)
    ]
    wb = XlsxWorkbook()
    ws = wb.active
    ws.title = "报送清单"
    ws.append([f"{round_.name}报送清单（截止日期 {round_.deadline:%Y-%m-%d}）"])
    ws["A1"].font = Font(size=14, bold=True)
    ws.append(list(CHECKLIST_COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
    for row in rows:
        ws.append(row)
    for col, width in zip("ABCDE", (30, 10, 48, 14, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(xlsx_path)
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens it right
        writer = csv.writer(fh)
        writer.writerow(CHECKLIST_COLUMNS)
        writer.writerows(rows)
    return xlsx_path, csv_path


def default_roster_path() -> Path:
    """data/raw/roster when the analyst has put a roster there, else the demo roster."""
    if config.has_real_roster(config.RAW_DATA_DIR):
        return config.RAW_DATA_DIR / config.ROSTER_SUBDIR
    return config.DEMO_RAW_DIR / config.ROSTER_SUBDIR


def run(
    roster: Path | None = None,
    round_code: str | None = None,
    out_dir: Path | None = None,
    campaign_path: Path | None = None,
) -> TemplateRun:
    """`python -m analysis template`: templates for every reporting unit of one round."""
    campaign = load_campaign(campaign_path)
    round_ = _round(campaign, round_code)
    loaded = load_roster(Path(roster) if roster is not None else default_roster_path())
    out = Path(out_dir) if out_dir is not None else config.REPORTS_DIR / "templates" / round_.code
    paths = write_templates(loaded, campaign, round_.code, out)
    xlsx_path, csv_path = checklist_paths(round_, out)
    return TemplateRun(
        round_.name,
        out,
        paths,
        bundle_path(round_, out),
        xlsx_path,
        csv_path,
        loaded.source,
        list(loaded.issues),
    )


# ---------------------------------------------------------------------------
# Reading templates back


def _cell_ref(ref: str) -> tuple[int, int]:
    """'B3' -> (row index, column index), both 0-based."""
    letters, row = coordinate_from_string(ref)
    return row - 1, column_index_from_string(letters) - 1


def _pairs(text: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in str(text).split(",") if ":" in part)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def detect(workbook: Workbook) -> dict | None:
    """The template marker in the workbook's `_meta` sheet, parsed; None when it is not a template."""
    meta = next((s for s in workbook.sheets if s.name == META_SHEET), None)
    if meta is None:
        return None
    raw = {_text(r[0]): _text(r[1]) for r in meta.rows if len(r) >= 2 and _text(r[0])}
    if raw.get("marker") != TEMPLATE_MARKER:
        return None
    try:
        marker = {
            "marker": raw["marker"],
            "template_version": int(raw["template_version"]),
            "campaign": raw["campaign"],
            "unit": raw["unit"],
            "kind": raw.get("kind", ""),
            "round": raw["round"],
            "round_name": raw.get("round_name", raw["round"]),
            "sheet": raw["sheet"],
            "header_row": int(raw["header_row"]),
            "first_data_row": int(raw["first_data_row"]),
            "last_data_row": int(raw["last_data_row"]),
            "columns": raw["columns"].split(","),
            "column_labels": raw["column_labels"].split(","),
            "header_cells": _pairs(raw["header_cells"]),
            "header_label_cells": _pairs(raw.get("header_label_cells", "")),
            "header_labels": _pairs(raw.get("header_labels", "")),
            "template_sheets": [s for s in raw.get("template_sheets", "").split(",") if s],
        }
    except (KeyError, ValueError):
        return None
    if len(marker["columns"]) != len(marker["column_labels"]):
        return None
    return marker


def _norm(value: object) -> str:
    return re.sub(r"[\s\u3000（）()\[\]【】*:：]", "", _text(value))


def _at(rows: list[list[object]], r: int, c: int) -> object:
    """The cell at 0-based (r, c); None when outside the grid or empty ("" from calamine)."""
    value = rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else None
    return None if value == "" else value


def _match_header(
    rows: list[list[object]], labels: dict[str, str], campaign: Campaign, limit: int = 30
) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and field columns of a moved table: template labels, then synonyms."""
    best: tuple[int, dict[str, int]] | None = None
    for r in range(min(limit, len(rows))):
        cells = [_norm(v) for v in rows[r]]
        found: dict[str, int] = {}
        for fld, label in labels.items():
            for name in (label, *campaign.columns.get(fld, ())):
                if _norm(name) in cells and cells.index(_norm(name)) not in found.values():
                    found[fld] = cells.index(_norm(name))
                    break
        if len(found) >= 3 and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


def _row_kind(values: dict[str, object], campaign: Campaign) -> str:
    texts = [_text(v) for k, v in values.items() if k in ("seq", "grassroots_unit", "title")]
    first = next((t for t in texts if t), "")
    if any(first.startswith(m) or first == m for m in campaign.row_markers.get("total", ())):
        return "total"
    if any(first.startswith(m) for m in campaign.row_markers.get("note", ())):
        return "note"
    return "data"


def _find_activity_sheet(workbook: Workbook, marker: dict) -> Sheet | None:
    by_name = {s.name: s for s in workbook.sheets}
    if marker["sheet"] in by_name:
        return by_name[marker["sheet"]]
    skip = set(marker["template_sheets"]) | {META_SHEET, LISTS_SHEET}
    candidates = [s for s in workbook.sheets if s.name not in skip and not s.hidden]
    return candidates[0] if candidates else None


def _find_label(rows: list[list[object]], label: str, above: int) -> tuple[int, int] | None:
    """Where `label` stands in the rows above the table (0-based), if anywhere."""
    target = _norm(label)
    for r in range(min(above, len(rows))):
        for c, value in enumerate(rows[r]):
            if _norm(value) == target:
                return r, c
    return None


def _read_header_block(
    rows: list[list[object]], marker: dict, header_index: int
) -> tuple[HeaderBlock, list[str]]:
    """Header values from their known cells; a label found elsewhere gives its right neighbour."""
    values: dict[str, object] = {}
    altered: list[str] = []
    for fld in HEADER_FIELDS:
        ref = marker["header_cells"].get(fld)
        values[fld] = _at(rows, *_cell_ref(ref)) if ref else None
        label_ref, label = marker["header_label_cells"].get(fld), marker["header_labels"].get(fld)
        if not (label_ref and label) or _norm(_at(rows, *_cell_ref(label_ref))) == _norm(label):
            continue
        moved = _find_label(rows, label, header_index)
        if moved is not None:
            values[fld] = _at(rows, moved[0], moved[1] + 1)
            altered.append(f"表头“{label}”从{label_ref}单元格移到了别处")
        else:
            altered.append(f"表头“{label}”（{label_ref}单元格）被修改")
    for fld, expected in (("reporting_unit", marker["unit"]), ("round", marker["round_name"])):
        written = _text(values.get(fld))
        if not written:
            values[fld] = expected  # a cleared locked cell: the marker still knows
            altered.append(f"预填的{HEADER_LABELS[fld]}被清空（应为“{expected}”）")
        elif _norm(written) != _norm(expected):
            altered.append(f"预填的{HEADER_LABELS[fld]}“{expected}”被改为“{written}”")
    return HeaderBlock(**values), altered


def read_tables(
    workbook: Workbook, marker: dict, campaign: Campaign, file: str
) -> list[ActivityTable]:
    """The activity table of a detected template, read by the marker's positions.

    An empty list means the activity sheet is gone; read the workbook generically then.
    """
    sheet = _find_activity_sheet(workbook, marker)
    if sheet is None:
        return []
    rows = sheet.rows
    issues: list[Issue] = []
    altered: list[str] = []

    def warn(code: str, message: str, row: int | None = None, column: str = "") -> None:
        issues.append(Issue(file, sheet.name, row, column, "warning", code, message))

    if sheet.name != marker["sheet"]:
        altered.append(f"工作表“{marker['sheet']}”被改名为“{sheet.name}”")
    if marker["campaign"] != campaign.code:
        warn(
            "template_other_campaign",
            f"该报送表是为活动“{marker['campaign']}”生成的，与当前活动“{campaign.code}”不一致；"
            "已按当前活动读取，请确认单位是否用错了模板。",
        )

    # Table columns: by position when the header row is as written, else by matching it.
    fields = marker["columns"]
    labels = dict(zip(fields, marker["column_labels"], strict=True))
    header_index = marker["header_row"] - 1
    columns = {fld: j for j, fld in enumerate(fields)}
    written = [_norm(_at(rows, header_index, j)) for j in range(len(fields))]
    table_moved = written != [_norm(labels[f]) for f in fields]
    if table_moved:
        match = _match_header(rows, labels, campaign)
        if match is not None:
            header_index, columns = match
            altered.append("活动表的列或表头行被移动或修改，已按表头重新识别各列")
        else:
            altered.append("活动表的表头被修改且无法识别，已按模板原来的列位置读取")
    column_labels = {f: _text(_at(rows, header_index, j)) or labels[f] for f, j in columns.items()}
    missing = [labels[f] for f in fields if f not in columns]
    if missing:
        altered.append(f"缺少列：{'、'.join(missing)}")

    header, header_altered = _read_header_block(rows, marker, header_index)
    altered = header_altered + altered

    if altered:
        warn(
            "template_altered",
            f"报送表的锁定部分被改动（{'；'.join(altered)}）。已尽量读取，请核对本表数据，"
            "并请该单位今后使用未改动的模板填报。",
            row=header_index + 1 if table_moved or missing else None,
        )

    table_rows = []
    for i in range(header_index + 1, len(rows)):
        values = {f: _at(rows, i, j) for f, j in columns.items()}
        if all(_text(v) == "" for f, v in values.items() if f != "seq"):
            continue  # untouched input row (a lone 序号 is not an activity)
        table_rows.append(TableRow(row=i + 1, kind=_row_kind(values, campaign), values=values))
    return [
        ActivityTable(
            sheet=sheet.name,
            header_row=header_index + 1,
            columns=columns,
            column_labels=column_labels,
            header=header,
            rows=table_rows,
            template=True,
            issues=issues,
        )
    ]


# ---------------------------------------------------------------------------
# Filling a template (the demo generator's hook)

_FIELD_BY_LABEL = {
    **{v: k for k, v in COLUMN_LABELS.items()},
    **{v: k for k, v in HEADER_LABELS.items()},
}


def _field(key: str) -> str:
    return _FIELD_BY_LABEL.get(key, key)


def fill_template(path: Path, rows: list[dict], header: dict) -> None:
    """Fill a generated template's input cells in place, as a unit would type them.

    rows: one dict per activity, keyed by TABLE_FIELDS names or Chinese column
        headers ("grassroots_unit" or "基层工会名称"); values go into the cells as
        given (a date object becomes a date cell, "约50人" stays text).
    header: report_date / contact / phone (or 填报日期 / 联系人 / 联系电话); the
        pre-filled, locked 填报单位 and 报送期次 are never written.
    """
    wb = load_workbook(path)
    meta = wb[META_SHEET]
    raw = {_text(r[0]): _text(r[1]) for r in meta.iter_rows(values_only=True) if r and r[0]}
    ws = wb[raw["sheet"]]
    fields = raw["columns"].split(",")
    header_cells = _pairs(raw["header_cells"])
    for key, value in header.items():
        fld = _field(key)
        if fld in PREFILLED_HEADER or fld not in header_cells:
            continue
        ws[header_cells[fld]].value = value
    first = int(raw["first_data_row"])
    for i, record in enumerate(rows):
        for key, value in record.items():
            fld = _field(key)
            if fld not in fields:
                raise KeyError(f"unknown template column {key!r}")
            cell = ws.cell(row=first + i, column=fields.index(fld) + 1, value=value)
            if isinstance(value, dt.date):
                cell.number_format = _DATE_FORMAT
            cell.protection = _UNLOCKED
    wb.save(path)
