"""The Chinese names the analyst reads: column headers, and codes as words.

One catalogue for every output: the notebooks' tables (display.py), the figure tables
the briefing shows (exports.display), 数据明细.xlsx (exports/details.py), the 通报表 and
the notice (kind names), reporting's status names. It imports only model, so every
module can read it (config re-exports the kind names).

Where one output genuinely words a column or a reason differently (the figure tables'
headers, the short reasons in "未计入：…" headers), that output reads a small override
map on top of the shared names, never a second full copy.
"""

from __future__ import annotations

from analysis.model import FileState, Kind, Level, MaterialState, ReportStatus, RowState

# Kinds of reporting unit: the short name (tables, charts) and the long one (the notice).
KIND_NAMES: dict[str, str] = {
    Kind.TOWN: "乡镇",
    Kind.STREET: "街道",
    Kind.SYSTEM: "系统",
    Kind.YANSHAN: "燕山",
    Kind.ZONE: "开发区",
    Kind.DIRECT: "直属",
}
KIND_LONG_NAMES: dict[str, str] = {
    Kind.TOWN: "乡镇总工会",
    Kind.STREET: "街道总工会",
    Kind.SYSTEM: "委、局、公司工会",
    Kind.YANSHAN: "燕山总工会",
    Kind.ZONE: "开发区工会",
    Kind.DIRECT: "直属基层工会",
}
# A ledger row's state and a submitted file's state ("superseded" and "rejected" are
# both: 被替代/不采用 for a row, 被更正版替代/无法使用 for a file).
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
# A photo's or summary's state (materials.csv).
MATERIAL_STATE_NAMES: dict[str, str] = {
    MaterialState.CURRENT: "有效",
    MaterialState.DUPLICATE: "重复",
    MaterialState.REJECTED: "无法读取",
}
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "提示"}
LEVEL_NAMES: dict[str, str] = {
    Level.DISTRICT: "全区",
    Level.KIND: "类别",
    Level.REPORTING_UNIT: "报送单位",
}
# A reporting unit's status for a round (reporting.py, the status table and charts).
STATUS_NAMES: dict[str, str] = {
    ReportStatus.ON_TIME: "按时报送",
    ReportStatus.LATE: "逾期报送",
    ReportStatus.UNKNOWN_DATE: "已报送（未填日期）",
    ReportStatus.MISSING: "未报送",
    ReportStatus.PENDING: "未到截止日期",
}
# Short Chinese names of the ledger's reasons and the issue codes (the issue's
# message says the rest); an unknown code is shown as written.
CODE_NAMES: dict[str, str] = {
    "ok": "正常",
    "total_row": "合计行",
    "note_row": "说明行",
    "no_activity": "只填了名称、没有活动",
    "cell_error_value": "单元格为公式错误值",
    "unit_in_seq_column": "基层工会名称填在序号列",
    "participants_approximate": "人数为约数",
    "participants_range": "人数为范围",
    "participants_unreadable": "人数无法识别",
    "participants_missing": "人数缺失",
    "participants_column_missing": "缺少人数列",
    "unit_unresolved": "基层工会名称在名册中找不到",
    "unit_ambiguous": "基层工会名称对应名册中多个单位",
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
    "nil_report": "报告本期无活动",
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
    "aliases_no_header": "别名表没有表头",
    "roster_duplicate_name": "名册重名",
    "roster_kind_unknown": "名册类别无法识别",
    "roster_kind_from_parent": "名册类别按上级工会确定",
    "roster_parent_missing": "名册缺少上级工会",
    "archive_corrupt": "压缩包已损坏",
    "archive_encrypted": "压缩包有密码",
    "archive_member_corrupt": "压缩包内文件已损坏",
    "archive_member_encrypted": "压缩包内文件有密码",
    "archive_member_link": "压缩包内是链接",
    "archive_member_unsafe": "压缩包内路径异常",
    "archive_nested_too_deep": "压缩包嵌套过深",
    "archive_rar": "RAR 压缩包需先解压",
    "archive_unsupported": "压缩包格式需先解压",
    "archive_empty": "压缩包是空的",
    "archive_ratio": "压缩比异常",
    "archive_too_large": "压缩包解压后过大",
    "archive_too_many_members": "压缩包文件过多",
    "archive_member_repeated": "压缩包内有同名文件",
    "archive_member_method": "压缩方式不支持",
    "archive_split": "分卷压缩包需先解压",
    "text_undecodable": "有文字无法识别",
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
    "side_by_side_unread": "并排表格有列未读取",
    "date_day_missing": "日期只到月份",
    "date_part_of_month": "日期只到上中下旬",
    "value_ditto": "写“同上”，取上一行",
    "unit_from_heading": "基层工会取自上方标题行",
    "date_range": "日期为时间段",
    "date_several": "一格写了几个日期",
    "date_decimal_ambiguous": "日期存为数字，可能缺末尾的0",
    "duplicate_row": "重复行",
    "form_item_mismatch": "活动形式与工作类别不符",
    "participants_absurd": "人数过大",
    "participants_negative": "人数为负数",
    "participants_not_integer": "人数不是整数",
    "participants_parts_disagree": "人数合计与分项不符",
    "participants_total_blank": "人数合计为空，按分项相加",
    "participants_total_unreadable": "人数合计不是数字，按分项相加",
    "participants_worked_out": "人数已算出",
    "remark_says_void": "备注说明可能作废",
    "repeated_earlier_round": "与前期重复报送",
    "row_deleted": "已划删除线",
    "rows_hidden": "有隐藏的行",
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
    "publicity_count_worked_out": "宣传数量由文字算出",
    "publicity_output_unknown": "宣传形式无法归类",
    "alias_conflict": "别名对应矛盾",
    "alias_target_unknown": "别名指向的名称不在名册",
    "alias_row_unreadable": "别名表一行无法读取",
    "alias_row_incomplete": "别名表一行缺少名册名称",
    "alias_target_inexact": "别名表中的名册名称写法不一致",
    "alias_is_roster_name": "别名本身是名册名称",
    "aliases_file_ignored": "另一份别名表未使用",
    "raw_entry_not_read": "原始数据目录中未读取的文件",
    "campaign_setting_ignored": "活动定义中未使用的设置",
    "roster_kind_mixed": "名册类别不一致",
    "roster_members_unreadable": "名册会员人数无法识别",
    "roster_members_approximate": "名册会员人数为约数",
    "roster_row_struck": "名册中划掉的行",
    "roster_heading_alone": "名册分段标题下没有基层工会",
    "roster_name_ambiguous": "名册名称相近或同名",
    "roster_several_files": "名册文件夹中有多个文件",
    "roster_file_ignored": "名册文件夹中有非表格文件",
    "roster_parent_spelling": "名册上级工会写法不一",
    "roster_direct_with_parent": "名册直属单位另填了上级工会",
    "roster_name_blank": "名册缺基层工会名称",
    "example_row": "填表示例行",
    "template_other_unit": "用了别的单位的模板",
    "lone_figure": "只有人数的行按合计处理",
    "round_from_filename": "按文件名确定期次",
    "sheet_other_unit": "一个文件里有别的单位的表",
    "roster_sheet_skipped": "名册工作表未读取",
    "roster_sheet_hidden": "名册隐藏工作表未读取",
    "roster_unit_is_parent": "名册基层工会即上级工会",
    "roster_parent_above": "名册上级工会按上方填写",
    "roster_unit_disbanded": "名册单位已撤销",
    "roster_columns_from_sheet": "名册按工作表名称确定上级工会或类别",
}
# Why a row was not counted, in the figure tables' "未计入：…" headers and `reason`
# column: the issue code's name, shorter where the header would be too long.
REASON_SHORT_NAMES: dict[str, str] = {
    "unit_unresolved": "基层工会名称未识别",
    "unit_ambiguous": "基层工会名称不唯一",
    "reporting_unit_unresolved": "填报单位未识别",
    "reporting_unit_unknown": "填报单位不明",
    "date_unreadable": "日期无法识别",
    "date_missing": "缺少日期",
}
REASON_NAMES: dict[str, str] = {**CODE_NAMES, **REASON_SHORT_NAMES}
# Column headers: the contract's column names in words, as the notebooks' tables and
# 数据明细.xlsx show them.
COLUMN_NAMES: dict[str, str] = {
    "level": "层级",
    "kind": "类别",
    "group": "单位",
    "reporting_unit": "报送单位",
    "grassroots_unit": "基层工会",
    "counted_for": "计入单位",
    "units_total": "基层工会数",
    "units_covered": "已覆盖",
    "unit_coverage": "覆盖率",
    "members_total": "会员数",
    "members_covered": "覆盖会员",
    "member_coverage": "会员覆盖率",
    "activities": "活动次数",
    "participants": "参加人次",
    "participants_per_100": "每百名会员参加人次",
    "work_item": "工作类别",
    "form": "活动形式",
    "file": "文件",
    "sheet": "工作表",
    "sheets": "工作表",
    "superseded_by": "被替代为",
    "duplicate_of": "与之重复",
    "row": "行号",
    "column": "列",
    "state": "状态",
    "reason": "原因",
    "round": "期次",
    "report_date": "填报日期",
    "date": "活动日期",
    "on_time": "按时报送",
    "submitted": "已报送",
    "rows_read": "读取行数",
    "rows_accepted": "计入行数",
    "rows_rejected": "未计入行数",
    "severity": "类型",
    "code": "问题",
    "message": "说明",
    "value": "原值",
    "suggestions": "相近名称",
    "status_name": "报送状态",
    "reporting_rate": "报送率",
    "on_time_rate": "按时报送率",
    "expected": "应报送",
    "unit": "基层工会名称",
    "members": "会员数",
    "activities_federation": "本级活动次数",
    "participants_missing": "人数不详的活动",
    "participants_missing_share": "人数不详占比",
    "status": "报送状态",
    "late": "逾期",
    "unknown_date": "未填日期",
    "missing": "未报送",
    "pending": "未到截止日期",
    "rank": "类别内排名",
    "unit_coverage_prev": "上期覆盖率",
    "unit_coverage_end": "本期末覆盖率",
    "change": "较上期变化（百分点）",
    "rank_prev": "上期排名",
    "rank_change": "名次变化",
    "units_covered_new": "新增覆盖",
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
# The figure tables (exports.display: the briefing notebook's coverage, ranking, status
# and quality tables) word a few headers their own way.
FIGURE_COLUMN_OVERRIDES: dict[str, str] = {
    "grassroots_unit": "基层工会名称",
    "round": "报送期次",
    "on_time": "按时",
    "severity": "级别",
    "code": "问题代码",
    "date": "日期",
    "expected": "应报单位",
}
FIGURE_COLUMN_NAMES: dict[str, str] = {**COLUMN_NAMES, **FIGURE_COLUMN_OVERRIDES}
# Codes in words, per column, in the notebooks' tables (display.py; a `state` column is
# named by ROW_STATE_NAMES or FILE_STATE_NAMES, whichever table it is).
VALUE_NAMES: dict[str, dict[str, str]] = {
    "kind": KIND_NAMES,
    "level": LEVEL_NAMES,
    "severity": SEVERITY_NAMES,
    "code": CODE_NAMES,
}
# The figure tables (exports.display) name kinds, rounds and work items themselves and
# keep issue codes as codes (their header says 问题代码); a state is a row's unless it is
# only a file's.
FIGURE_VALUE_NAMES: dict[str, dict[str, str]] = {
    "level": LEVEL_NAMES,
    "state": {**FILE_STATE_NAMES, **ROW_STATE_NAMES},
    "severity": SEVERITY_NAMES,
    "status": STATUS_NAMES,
}


def column_name(column: str, names: dict[str, str] = COLUMN_NAMES) -> str:
    """A column's header in words: `names` (COLUMN_NAMES or FIGURE_COLUMN_NAMES), a
    quality table's `rejected_<reason>` as 未计入：<reason>, anything else as written."""
    if column in names:
        return names[column]
    if column.startswith("rejected_"):
        reason = column.removeprefix("rejected_")
        return f"未计入：{REASON_NAMES.get(reason, reason)}"
    return column


# Reasons that name a place or a file after the code ("superseded:submissions/a.xlsx").
_REASON_PLACES = (
    ("superseded:", "被“{}”替代"),
    ("duplicate_file:", "与“{}”内容相同"),
    ("earlier_round:", "与前期“{}”重复"),
)


def reason_text(value: str, names: dict[str, str] = REASON_NAMES) -> str:
    """A ledger `reason` in words: 'superseded:x.xlsx' -> '被“x.xlsx”替代',
    'duplicate_row:Sheet1!64' -> '与本文件工作表“Sheet1”第64行相同', codes joined by ';'
    each by `names` (a code not in it as it is)."""
    for code, template in _REASON_PLACES:
        if value.startswith(code):
            return template.format(value[len(code) :])
    if value.startswith("duplicate_row:"):  # duplicate_row:<sheet>!<row>, or <row> for a CSV
        sheet, _, row = value[len("duplicate_row:") :].rpartition("!")
        return f"与本文件工作表“{sheet}”第{row}行相同" if sheet else f"与本文件第{row}行相同"
    return "；".join(names.get(part, part) for part in value.split(";"))
