"""The template's fixed layout: sheet names, column and header labels, cells and rows.

No openpyxl here (reading a template back needs none); the cell styles are in cells.py.
"""

from __future__ import annotations

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

_DATE_FORMAT = "yyyy-mm-dd"
