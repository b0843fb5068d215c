"""Chinese message templates for the issue codes the ingest pipeline raises.

Each message says what is wrong and what the analyst can do. Placeholders are
filled by `message(code, **values)`; an unknown code gets a generic sentence that
still names the code, so a new code never crashes a run.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Files
    "file_skipped": "文件“{file}”是临时文件或隐藏文件（{why}），已跳过；如确需读取，请改名后重新运行。",
    "file_internal_error": (
        "读取文件“{file}”时程序出错，该文件未计入统计；请用 Excel 或 WPS 打开后另存为 .xlsx 再试，"
        "仍不行请把文件和 ingest.log 发给技术人员。"
    ),
    "file_locked": (
        "文件“{file}”正被其他程序占用，无法读取（{detail}），未计入统计；请在 Excel 或 WPS 中关闭该文件后重新运行。"
    ),
    "file_vanished": (
        "文件“{file}”在读取时已不存在（可能刚被移动或删除），未计入统计；请确认文件仍在报送文件夹中后重新运行。"
    ),
    "file_unreadable": (
        "文件“{file}”无法读取（{detail}），未计入统计；请确认文件可以正常打开后重新运行。"
    ),
    "no_activity_table": (
        "文件“{file}”中没有找到活动明细表（需要“基层工会名称”“活动日期”等表头），未计入统计；"
        "请让报送单位按模板填写后重新报送。"
    ),
    "sheet_hidden_skipped": "工作表“{sheet}”是隐藏的，其中的内容未读取；如需统计，请取消隐藏后重新运行。",
    "sheet_no_table": "工作表“{sheet}”有内容，但没有找到活动明细表的表头，未读取；请核对该表是否应当统计。",
    "duplicate_file": "文件“{file}”与“{original}”内容完全相同，未重复计入。",
    "superseded": (
        "“{unit}”{round}的报送表“{file}”已被更新的“{by}”替代，未计入统计（{why}）；如判断有误，"
        "请删除或移走不需要的文件后重新运行。"
    ),
    # Reporting unit and round
    "reporting_unit_unresolved": (
        "文件“{file}”的填报单位“{value}”在名册的报送单位中找不到{suggest}，整个文件未计入统计；"
        "请核对填报单位名称，或在 aliases.csv 中添加对应关系后重新运行。"
    ),
    "reporting_unit_unknown": (
        "文件“{file}”没有填写填报单位，文件名和所在文件夹也不含名册中的报送单位名称，整个文件未计入统计；"
        "请在文件中填写填报单位，或把文件改名为“单位名称-期次”后重新运行。"
    ),
    "reporting_unit_from_filename": (
        "文件“{file}”的填报单位“{value}”在名册中找不到，已按文件名认定为“{unit}”；请核对。"
    ),
    "reporting_unit_is_grassroots": (
        "文件“{file}”的填报单位“{value}”是基层工会，已按名册计入其上级“{unit}”的报送；请核对。"
    ),
    "round_unrecognised": (
        "文件“{file}”的报送期次“{value}”无法识别，已改按{how}确定期次；请核对。"
    ),
    "round_unknown": (
        "文件“{file}”无法确定报送期次（未填期次、文件夹名不含期次、活动日期也都无法识别），"
        "按时报送情况无法判断；请在文件中填写报送期次。"
    ),
    "report_date_unreadable": (
        "文件“{file}”的填报日期“{value}”无法识别，按时报送情况无法判断；请核对填报日期。"
    ),
    # Rows
    "unit_unresolved": (
        "第{row}行的基层工会“{value}”在名册中找不到{suggest}，该行未计入统计；请核对名称，"
        "或在 aliases.csv 中添加“报送名称,名册名称”对应关系后重新运行。"
    ),
    "unit_other_parent": (
        "第{row}行的基层工会“{unit}”在名册中属于“{parent}”，不属于报送单位“{reporting}”；"
        "已计入“{parent}”，请核对。"
    ),
    "date_unreadable": (
        "第{row}行的活动日期“{value}”无法识别，该行未计入统计（报送期次也无法确定）；"
        "请按“2019-06-03”的格式填写日期。"
    ),
    "date_unreadable_round_known": (
        "第{row}行的活动日期“{value}”无法识别；已按所属报送期次计入活动数，但不计入按日期的统计，"
        "请按“2019-06-03”的格式填写日期。"
    ),
    "participants_unreadable": (
        "第{row}行的参加人数“{value}”无法识别为数字；活动已计入，人数按缺失处理（不按 0 计），请核对。"
    ),
}

GENERIC_ROW = "第{row}行“{column}”的值“{value}”有疑问（{code}）；该行{effect}，请核对。"
GENERIC_FILE = "文件“{file}”有问题（{code}）；请核对。"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def message(code: str, **values: object) -> str:
    """The Chinese sentence for `code`, placeholders filled (missing ones left blank)."""
    template = MESSAGES.get(code)
    if template is None:
        template = GENERIC_ROW if values.get("row") not in (None, "") else GENERIC_FILE
    filled = _Blank({k: "" if v is None else v for k, v in values.items()}, code=code)
    return template.format_map(filled)


def suggestion_text(suggestions: list[str]) -> str:
    """'（最接近的名称：A、B、C）' or '' when there is none."""
    return f"（最接近的名称：{'、'.join(suggestions)}）" if suggestions else ""


# Lines the briefing command prints for the analyst (not issues: no file, sheet or row).
BRIEFING_TEXTS: dict[str, str] = {
    "demo_data": (
        "使用内置演示数据（{raw_dir}）：data/raw/roster/ 中还没有名册。"
        "放入名册和报送表后再运行即可生成正式通报。"
    ),
    "analyst_data": "使用分析人员的数据：{raw_dir}",
    "round_not_in_campaign": "报送期次“{round}”不存在，应为 {codes} 之一。",
    "notebook_failed": "笔记本运行出错（其余材料已生成）：{failure}",
    "briefing_written": "通报材料已生成（用时 {seconds:.0f} 秒）：{folder}",
    "alias_fill_in": "（请填写名册中的名称）",
}


def briefing_line(key: str, **values: object) -> str:
    """One of BRIEFING_TEXTS with its placeholders filled."""
    return BRIEFING_TEXTS[key].format(**values)
