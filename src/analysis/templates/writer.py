"""Writing one unit's template workbook: lists, drop-downs, protection, instructions, marker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from copy import copy
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from analysis import config, safety
from analysis.campaign import OTHER_WORK_ITEM_NAME, Campaign, CampaignError, Round
from analysis.filenames import MAX_NAME_CHARS, windows_name
from analysis.messages import message_text
from analysis.model import (
    HEADER_FIELDS,
    TABLE_FIELDS,
)
from analysis.roster import Roster
from analysis.templates.cells import BORDER, HEAD_FILL, INPUT_FILL, LOCKED_FILL, UNLOCKED
from analysis.templates.layout import (
    _DATE_FORMAT,
    ACTIVITY_SHEET,
    COLUMN_LABELS,
    COLUMN_WIDTHS,
    FIRST_DATA_ROW,
    HEADER_CELLS,
    HEADER_LABELS,
    HEADER_MERGES,
    HEADER_ROW,
    INPUT_ROWS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    MAX_PARTICIPANTS,
    META_SHEET,
    PREFILLED_HEADER,
    SELF_LABEL,
    TEMPLATE_MARKER,
    TEMPLATE_SHEETS,
    TEMPLATE_VERSION,
    TITLE_ROW,
)


def safe_filename(text: str) -> str:
    """`text` as a name Windows accepts (see `filenames.windows_name`); the caller adds a suffix."""
    return windows_name(text, MAX_NAME_CHARS - len(".xlsx"))


def template_filename(unit: str, round_: Round) -> str:
    """`<unit name>_<round name>_报送表.xlsx`."""
    return safe_filename(f"{unit}_{round_.name}_报送表") + ".xlsx"


class RoundUnknown(CampaignError):
    """A round code, label or name that the campaign does not have (a bad argument)."""


def _round(campaign: Campaign, round_code: str | None) -> Round:
    if round_code is None:
        return campaign.rounds[0]
    typed = round_code.strip()
    for r in campaign.rounds:
        if typed.lower() == r.code.lower() or typed in r.labels or typed == r.name:
            return r
    codes = "、".join(r.code for r in campaign.rounds)
    raise RoundUnknown(message_text("template_round_unknown", round=round_code, codes=codes))


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
        label.fill = LOCKED_FILL
        label.alignment = Alignment(horizontal="right", vertical="center")
        cell = ws[value_ref]
        cell.alignment = Alignment(horizontal="left", vertical="center")
        if fld in PREFILLED_HEADER:
            cell.value = prefilled[fld]
            cell.fill = LOCKED_FILL
        else:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
    ws[HEADER_CELLS["report_date"][1]].number_format = _DATE_FORMAT
    ws[HEADER_CELLS["phone"][1]].number_format = "@"  # keep leading zeros and dashes
    ws.cell(
        row=HEADER_ROW - 1,
        column=1,
        value=f"请在黄色单元格和下方表格中填写，活动日期应在{_zh_date(round_.start)}至"
        f"{_zh_date(round_.end)}之间；灰色单元格已锁定。填写方法见“{INSTRUCTIONS_SHEET}”。",
    ).font = Font(size=9, color="595959")

    for col, fld in enumerate(TABLE_FIELDS, start=1):
        head = ws.cell(row=HEADER_ROW, column=col, value=COLUMN_LABELS[fld])
        head.font = Font(bold=True)
        head.fill = HEAD_FILL
        head.border = BORDER
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = COLUMN_WIDTHS[fld]
    first = [ws.cell(row=FIRST_DATA_ROW, column=col) for col in range(1, ncols + 1)]
    for cell in first:
        cell.protection = UNLOCKED
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
            formula=[f"COUNTA($A{FIRST_DATA_ROW}:${last_col}{FIRST_DATA_ROW})>0"], border=BORDER
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
        head.fill = HEAD_FILL
        head.border = BORDER
        cell = ws.cell(row=head_row + 1, column=col, value=example[fld])
        cell.border = BORDER
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
    # Sheets cannot be unhidden, renamed, added or deleted by accident (no password:
    # 审阅 → 保护工作簿 turns it off); the lists sheet stays out of sight.
    wb.security = WorkbookProtection(lockStructure=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    safety.protect_workbook(wb)
    wb.save(path)
    return path
