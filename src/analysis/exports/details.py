"""数据明细.xlsx: the processed tables in Chinese, for the analyst to filter and check.

The CSVs under data/processed/ keep the contract's English codes (contract.md), so
that other programs can rely on them. This workbook shows the same tables with
Chinese headers and values: states (采用/重复/被替代/不采用; 有效/被更正版替代/重复文件/
无法使用), severities (错误/提示), kinds (乡镇/街道/…), rounds and work items by
their campaign names, 是/否 for yes/no, blank cells where a value is missing.
Each sheet has an autofilter, a frozen header and column widths fitted to its text.

Sheets: 覆盖情况 (coverage.csv), 报送文件 (submissions.csv), 活动明细 (rows.csv),
问题清单 (issues.csv). Contact names and phone numbers are not written.

Written with xlsxwriter in constant-memory mode: about 200,000 ledger rows take
a few seconds (`details_frames` builds the frames; `write_details` writes them).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, safety
from analysis.campaign import Campaign
from analysis.model import FileState, Level, RowState

ROW_STATE_NAMES: dict[str, str] = {
    RowState.ACCEPTED: "采用",
    RowState.DUPLICATE: "重复",
    RowState.SUPERSEDED: "被替代",
    RowState.REJECTED: "不采用",
}
FILE_STATE_NAMES: dict[str, str] = {
    FileState.CURRENT: "有效",
    FileState.SUPERSEDED: "被更正版替代",
    FileState.DUPLICATE_FILE: "重复文件",
    FileState.REJECTED: "无法使用",
}
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "提示"}
LEVEL_NAMES: dict[str, str] = {
    Level.DISTRICT: "全区",
    Level.KIND: "类别",
    Level.REPORTING_UNIT: "报送单位",
}
# Short Chinese names of the ledger's reasons and the issue codes (the issue's
# message says the rest); an unknown code is shown as written.
CODE_NAMES: dict[str, str] = {
    "ok": "正常",
    "total_row": "合计行",
    "note_row": "备注行",
    "participants_approximate": "人数为约数",
    "participants_range": "人数为范围",
    "participants_unreadable": "人数无法识别",
    "participants_missing": "人数缺失",
    "participants_column_missing": "缺少人数列",
    "unit_unresolved": "基层工会名称在名册中找不到",
    "unit_other_parent": "基层工会属于其他报送单位",
    "date_unreadable": "活动日期无法识别",
    "date_unreadable_round_known": "活动日期无法识别（已按期次计入）",
    "date_missing": "缺少活动日期",
    "date_out_of_window": "活动日期不在活动期间内",
    "form_unknown": "活动形式无法归类",
    "superseded": "被更正版替代",
    "duplicate_file": "重复文件",
    "file_skipped": "临时或隐藏文件，已跳过",
    "file_internal_error": "读取时程序出错",
    "file_locked": "文件被占用",
    "file_vanished": "文件已不存在",
    "file_unreadable": "文件无法读取",
    "not_a_spreadsheet": "不是表格文件",
    "corrupt": "文件已损坏",
    "empty": "空文件",
    "password_protected": "文件有密码",
    "too_large": "文件过大",
    "zip_bomb": "异常压缩文件",
    "hostile_xml": "文件内容异常",
    "macro_ignored": "宏已忽略",
    "external_link_ignored": "外部链接已忽略",
    "formula_no_value": "公式没有计算结果",
    "no_activity_table": "没有活动明细表",
    "sheet_hidden_skipped": "隐藏工作表未读取",
    "sheet_no_table": "工作表没有活动明细表",
    "reporting_unit_unresolved": "填报单位在名册中找不到",
    "reporting_unit_unknown": "无法确定填报单位",
    "reporting_unit_from_filename": "按文件名认定填报单位",
    "reporting_unit_is_grassroots": "填报单位是基层工会",
    "round_unrecognised": "报送期次无法识别",
    "round_unknown": "无法确定报送期次",
    "report_date_unreadable": "填报日期无法识别",
    "internal_error": "程序错误",
    "aliases_unreadable": "别名表无法使用",
    "roster_duplicate_name": "名册重名",
    "roster_kind_unknown": "名册类别无法识别",
    "roster_parent_missing": "名册缺少上级工会",
    "archive_corrupt": "压缩包已损坏",
    "archive_encrypted": "压缩包有密码",
    "archive_member_corrupt": "压缩包内文件已损坏",
    "archive_member_encrypted": "压缩包内文件有密码",
    "archive_member_link": "压缩包内是链接",
    "archive_member_unsafe": "压缩包内路径异常",
    "archive_nested_too_deep": "压缩包嵌套过深",
    "archive_rar": "RAR 压缩包需先解压",
    "archive_ratio": "压缩比异常",
    "archive_too_large": "压缩包解压后过大",
    "archive_too_many_members": "压缩包文件过多",
    "material_bomb": "资料压缩比异常",
    "material_corrupt": "资料已损坏",
    "material_duplicate": "重复资料",
    "material_empty": "空资料文件",
    "material_encrypted": "资料有密码",
    "material_image_too_large": "图片像素过大",
    "material_too_large": "资料文件过大",
    "material_unplaced": "资料无法确定归属",
    "summary_total_gap": "总结数字与报送表不符",
    "template_altered": "模板锁定部分被改动",
    "template_other_campaign": "模板属于其他活动",
    "column_ambiguous": "多列可作同一列",
    "column_missing": "缺少列",
    "participants_summed": "人数按分列相加",
    "date_day_missing": "日期只到月份",
    "date_range": "日期为时间段",
    "duplicate_row": "重复行",
    "form_item_mismatch": "活动形式与工作类别不符",
    "participants_absurd": "人数过大",
    "participants_negative": "人数为负数",
    "participants_not_integer": "人数不是整数",
    "participants_parts_disagree": "人数合计与分项不符",
    "participants_worked_out": "人数已算出",
    "remark_says_void": "备注说明可能作废",
    "repeated_earlier_round": "与前期重复报送",
    "row_deleted": "已划删除线",
    "work_item_ambiguous": "工作类别对应多项",
    "work_item_inferred": "工作类别为推断",
    "work_item_missing": "缺少工作类别",
    "work_item_unknown": "工作类别无法识别",
    "publicity_count_approximate": "宣传数量为约数",
    "publicity_count_fractional": "宣传数量不是整数",
    "publicity_count_implausible": "宣传数量过大",
    "publicity_count_missing": "宣传数量缺失",
    "publicity_count_negative": "宣传数量为负数",
    "publicity_count_range": "宣传数量为范围",
    "publicity_count_unreadable": "宣传数量无法识别",
    "publicity_output_unknown": "宣传形式无法归类",
    "alias_conflict": "别名对应矛盾",
    "alias_target_unknown": "别名指向的名称不在名册",
    "roster_kind_mixed": "名册类别不一致",
    "roster_members_unreadable": "名册会员人数无法识别",
    "roster_name_ambiguous": "名册名称相近",
    "roster_several_files": "名册文件夹中有多个文件",
}

SHEETS: tuple[str, ...] = ("覆盖情况", "报送文件", "活动明细", "问题清单")
PERCENT_COLUMNS = frozenset({"覆盖率", "会员覆盖率"})
DECIMAL_COLUMNS = frozenset({"每百名会员参加人次"})
DATE_COLUMNS = frozenset({"填报日期", "活动日期"})
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 2000  # rows looked at when fitting a column's width


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
    """'superseded:submissions/x.xlsx' -> '被“submissions/x.xlsx”替代'; codes joined by ';'."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return None
    text = str(value)
    for code, template in (
        ("superseded:", "被“{}”替代"),
        ("duplicate_file:", "与“{}”内容相同"),
    ):
        if text.startswith(code):
            return template.format(text[len(code) :])
    return "；".join(CODE_NAMES.get(part, part) for part in text.split(";"))


def coverage_frame(coverage: pd.DataFrame) -> pd.DataFrame:
    """coverage.csv in Chinese: one row per group, district first."""
    level = _text(_col(coverage, "level"))
    kind = _mapped(_col(coverage, "kind"), config.KIND_NAMES)
    group = _text(_col(coverage, "group")).copy()
    is_kind = level == "kind"
    group[is_kind] = _mapped(group[is_kind], config.KIND_LONG_NAMES)
    return pd.DataFrame(
        {
            "层级": _mapped(level, LEVEL_NAMES),
            "类别": kind,
            "单位": group,
            "基层工会数": _number(_col(coverage, "units_total")),
            "已覆盖": _number(_col(coverage, "units_covered")),
            "覆盖率": _number(_col(coverage, "unit_coverage")),
            "会员数": _number(_col(coverage, "members_total")),
            "覆盖会员": _number(_col(coverage, "members_covered")),
            "会员覆盖率": _number(_col(coverage, "member_coverage")),
            "活动次数": _number(_col(coverage, "activities")),
            "参加人次": _number(_col(coverage, "participants")),
            "每百名会员参加人次": _number(_col(coverage, "participants_per_100")),
        }
    ).reset_index(drop=True)


def _round_names(campaign: Campaign) -> dict[str, str]:
    return {r.code: r.name for r in campaign.rounds}


def submissions_frame(submissions: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """submissions.csv in Chinese (no contact name or phone)."""
    return pd.DataFrame(
        {
            "文件": _text(_col(submissions, "file")),
            "报送单位": _text(_col(submissions, "reporting_unit")),
            "类别": _mapped(_col(submissions, "kind"), config.KIND_NAMES),
            "期次": _mapped(_col(submissions, "round"), _round_names(campaign)),
            "填报日期": _dates(_col(submissions, "report_date")),
            "状态": _mapped(_col(submissions, "state"), FILE_STATE_NAMES),
            "按时报送": _yes_no(_col(submissions, "on_time")),
            "读取行数": _number(_col(submissions, "rows_read")),
            "计入行数": _number(_col(submissions, "rows_accepted")),
            "未计入行数": _number(_col(submissions, "rows_rejected")),
            "工作表": _text(_col(submissions, "sheets")),
            "被替代为": _text(_col(submissions, "superseded_by")),
            "与之重复": _text(_col(submissions, "duplicate_of")),
        }
    ).reset_index(drop=True)


def rows_frame(rows: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """rows.csv (the ledger) in Chinese: one row per data row read."""
    items = {c: campaign.work_item_short(c) for c in campaign.work_item_codes}
    return pd.DataFrame(
        {
            "文件": _text(_col(rows, "file")),
            "工作表": _text(_col(rows, "sheet")),
            "行号": _number(_col(rows, "row")),
            "状态": _mapped(_col(rows, "state"), ROW_STATE_NAMES),
            "原因": _text(_col(rows, "reason")).map(_reason),
            "基层工会": _text(_col(rows, "grassroots_unit")),
            "报送单位": _text(_col(rows, "reporting_unit")),
            "计入单位": _text(_col(rows, "counted_for")),
            "类别": _mapped(_col(rows, "kind"), config.KIND_NAMES),
            "期次": _mapped(_col(rows, "round"), _round_names(campaign)),
            "工作类别": _mapped(_col(rows, "work_item"), items),
            "活动形式": _text(_col(rows, "form")),
            "活动日期": _dates(_col(rows, "date")),
            "参加人次": _number(_col(rows, "participants")),
        }
    ).reset_index(drop=True)


def issues_frame(issues: pd.DataFrame) -> pd.DataFrame:
    """issues.csv in Chinese."""
    return pd.DataFrame(
        {
            "文件": _text(_col(issues, "file")),
            "工作表": _text(_col(issues, "sheet")),
            "行号": _number(_col(issues, "row")),
            "列": _text(_col(issues, "column")),
            "类型": _mapped(_col(issues, "severity"), SEVERITY_NAMES),
            "问题": _mapped(_col(issues, "code"), CODE_NAMES),
            "说明": _text(_col(issues, "message")),
            "原值": _text(_col(issues, "value")),
            "相近名称": _text(_col(issues, "suggestions")),
        }
    ).reset_index(drop=True)


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

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = details_frames(rows, submissions, issues, coverage, campaign)
    tmp = path.with_name(path.name + ".tmp")
    book = xlsxwriter.Workbook(
        str(tmp),
        {"constant_memory": True, "default_date_format": "yyyy-mm-dd", "strings_to_numbers": False,
         "strings_to_formulas": False, "strings_to_urls": False},
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
                    if safety.is_evaluable(value):
                        ws.write_string(i, j, value, formats["quoted"])
                    else:
                        ws.write_string(i, j, value)
                else:
                    ws.write_number(i, j, value)
    book.close()
    tmp.replace(path)
    return path
