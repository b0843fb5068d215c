"""Exports for the meeting (slides, the 通报表 workbook, HTML) and the tables' Chinese face.

`display` is what notebooks and exports show of a tidy table: Chinese column
headers, kind and status codes as Chinese words, percentages formatted, and never
a contact name or phone number.
"""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.model import FileState, Level, ReportStatus, RowState

# Columns that hold personal data (config.PERSONAL_COLUMNS), dropped from what a reader sees.
PERSONAL_COLUMNS = config.PERSONAL_COLUMNS

COLUMN_LABELS: dict[str, str] = {
    "level": "层级",
    "kind": "类别",
    "group": "单位",
    "reporting_unit": "报送单位",
    "unit": "基层工会名称",
    "grassroots_unit": "基层工会名称",
    "members": "会员数",
    "units_total": "基层工会数",
    "units_covered": "已覆盖",
    "unit_coverage": "覆盖率",
    "members_total": "会员数",
    "members_covered": "覆盖会员",
    "member_coverage": "会员覆盖率",
    "activities": "活动次数",
    "participants": "参加人次",
    "participants_per_100": "每百名会员参加人次",
    "activities_federation": "本级活动次数",
    "participants_missing": "人数不详的活动",
    "participants_missing_share": "人数不详占比",
    "work_item": "工作类别",
    "form": "活动形式",
    "round": "报送期次",
    "status": "报送状态",
    "status_name": "报送状态",
    "submitted": "已报送",
    "on_time": "按时",
    "report_date": "填报日期",
    "file": "文件",
    "sheet": "工作表",
    "row": "行号",
    "column": "列",
    "severity": "级别",
    "code": "问题代码",
    "message": "说明",
    "state": "状态",
    "reason": "原因",
    "date": "日期",
    "expected": "应报单位",
    "reporting_rate": "报送率",
    "on_time_rate": "按时报送率",
    "late": "逾期",
    "unknown_date": "未填日期",
    "missing": "未报送",
    "rank": "类别内排名",
    "unit_coverage_prev": "上期覆盖率",
    "change": "较上期变化（百分点）",
    "rank_prev": "上期排名",
    "rank_change": "名次变化",
    "units_covered_new": "新增覆盖",
    "rows_read": "读取行数",
    "rows_accepted": "计入行数",
    "rows_rejected": "未计入行数",
    "rows_skipped": "合计/说明行",
    "rows_not_counted": "重复或已替代行数",
    "rows_with_warnings": "有提示的行数",
    "files_current": "有效文件数",
    "unresolved_names": "未识别名称数",
    "rejected_share": "未计入占比",
    "count": "次数",
    "written": "报送表中的写法",
    "suggestion": "建议对应的名册名称",
}
PERCENT_COLUMNS: frozenset[str] = frozenset(
    {
        "unit_coverage",
        "member_coverage",
        "reporting_rate",
        "on_time_rate",
        "unit_coverage_prev",
        "participants_missing_share",
        "rejected_share",
    }
)
VALUE_LABELS: dict[str, dict[str, str]] = {
    "level": {Level.DISTRICT: "全区", Level.KIND: "类别", Level.REPORTING_UNIT: "报送单位"},
    "state": {
        RowState.ACCEPTED: "计入",
        RowState.DUPLICATE: "重复",
        RowState.SUPERSEDED: "已被更正版替代",
        RowState.REJECTED: "未计入",
        FileState.CURRENT: "有效",
        FileState.DUPLICATE_FILE: "重复文件",
    },
    "severity": {"error": "错误", "warning": "提示"},
    "status": {
        ReportStatus.ON_TIME: "按时报送",
        ReportStatus.LATE: "逾期报送",
        ReportStatus.UNKNOWN_DATE: "已报送（未填日期）",
        ReportStatus.MISSING: "未报送",
        ReportStatus.PENDING: "未到截止日期",
    },
}


# Why a row was not counted (rows.csv `reason`), in words.
REASON_NAMES: dict[str, str] = {
    "unit_unresolved": "基层工会名称未识别",
    "reporting_unit_unresolved": "填报单位未识别",
    "reporting_unit_unknown": "填报单位不明",
    "date_unreadable": "日期无法识别",
    "date_missing": "缺少日期",
    "total_row": "合计行",
    "note_row": "说明行",
    "file_unreadable": "文件无法读取",
    "superseded": "已被更正版替代",
    "duplicate_file": "重复文件",
}


def _label(column: str) -> str:
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    if column.startswith("rejected_"):
        reason = column.removeprefix("rejected_")
        return f"未计入：{REASON_NAMES.get(reason, reason)}"
    return column


def without_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without contact names and phone numbers."""
    return frame.drop(columns=[c for c in frame.columns if c in PERSONAL_COLUMNS])


def display(frame: pd.DataFrame, campaign=None, digits: int = 1) -> pd.DataFrame:
    """A tidy table as a reader sees it: Chinese headers and codes, percentages as text."""
    out = without_personal(frame).copy()
    for column in out.columns:
        if column == "kind":
            out[column] = out[column].map(
                lambda k: config.KIND_NAMES.get(k, "" if pd.isna(k) else k)
            )
        elif column == "group" and "kind" in frame.columns and "level" in frame.columns:
            is_kind = frame["level"] == "kind"
            out.loc[is_kind, column] = frame.loc[is_kind, "kind"].map(config.KIND_NAMES)
        elif column in VALUE_LABELS:
            out[column] = out[column].map(lambda v, m=VALUE_LABELS[column]: m.get(v, v))
        elif column == "round" and campaign is not None:
            names = {r.code: r.name for r in campaign.rounds}
            out[column] = out[column].map(lambda v, m=names: m.get(v, v))
        elif column == "work_item" and campaign is not None:
            out[column] = out[column].map(
                lambda v: campaign.work_item_name(v) if isinstance(v, str) and v else v
            )
        elif column in PERCENT_COLUMNS:
            out[column] = out[column].map(
                lambda v: "—" if pd.isna(v) else f"{float(v) * 100:.{digits}f}%"
            )
        elif column in ("participants_per_100", "change"):
            out[column] = out[column].map(lambda v: "—" if pd.isna(v) else f"{float(v):.{digits}f}")
    if "reason" in out.columns:
        out["reason"] = out["reason"].map(lambda v: REASON_NAMES.get(v, v))
    return out.rename(columns=_label)
