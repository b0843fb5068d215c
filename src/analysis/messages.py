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
    # Cell values (clean.py): each sentence quotes the cell as {value}
    "participants_missing": "参加人数为空，按“人数缺失”处理（不计为0）；如有人数请补填。",
    "participants_approximate": "参加人数“{value}”为约数，按所写数字计入；如有准确人数请更正。",
    "participants_range": "参加人数“{value}”是一个范围，无法确定人数，按“人数缺失”处理；请填写一个确定的数字。",
    "participants_unreadable": "参加人数“{value}”不是数字，按“人数缺失”处理；请填写具体人数。",
    "participants_negative": "参加人数“{value}”为负数，按“人数缺失”处理；请更正。",
    "participants_absurd": "参加人数“{value}”超过 100000，疑似填写错误，按“人数缺失”处理；请核对。",
    "participants_not_integer": "参加人数“{value}”不是整数，已四舍五入；请核对。",
    "participants_worked_out": "参加人数“{value}”不是一个数字，已算出人数计入（各部分相加或取括号内人数）；请核对。",
    "date_missing": "活动日期为空；请补填活动日期。",
    "date_unreadable": "活动日期“{value}”无法识别；请按“2019年6月3日”或“2019-06-03”的格式填写。",
    "date_day_missing": "活动日期“{value}”只写到月份，按该月1日计入；请补全具体日期。",
    "date_range": "活动日期“{value}”是一个时间段，按开始日期计入。",
    "date_out_of_window": "活动日期“{value}”不在本次活动时间范围内；请核对日期是否填错。",
    "work_item_inferred": "工作类别未填写或无法识别，已根据活动形式“{value}”推断；请核对。",
    "work_item_unknown": "工作类别“{value}”无法对应到通知中的五项工作，计入“其他”；请按通知中的工作类别填写。",
    "work_item_missing": "工作类别和活动形式均未填写，计入“其他”；请补填工作类别。",
    "work_item_ambiguous": "工作类别“{value}”同时对应多项工作，已按第一项计入；请只填写一项。",
    "form_unknown": "活动形式“{value}”无法对应到通知列出的活动形式，已照原文保留；如有误请更正。",
    "cell_generic": "单元格内容“{value}”有疑问（{code}），请核对。",
    "form_item_mismatch": "活动形式“{value}”通常属于另一项工作，已按所填工作类别计入；请核对。",
    # Publicity counts (publicity.py), after "第{row}行："
    "publicity_count_missing": "{output}数量为空，按“缺失”处理（不计为0）；如有数量请补填。",
    "publicity_count_approximate": "{output}数量“{value}”为约数，按所写数字{number}计入；如有准确数量请更正。",
    "publicity_count_range": "{output}数量“{value}”是一个范围，按“缺失”处理（不计为0）；请填写一个确定的数字。",
    "publicity_count_unreadable": "{output}数量“{value}”不是数字，按“缺失”处理（不计为0）；请填写具体数量。",
    "publicity_count_negative": "{output}数量“{value}”为负数，已照原数{number}列出；请核对更正。",
    "publicity_count_fractional": "{output}数量“{value}”不是整数，已照原数{number}列出；请核对更正。",
    "publicity_count_implausible": (
        "“{unit}”的{output}数量为{number}{measure}，远超该单位规模（会员{members}人，"
        "合理上限约{limit}{measure}），已照原数计入；请核对是否多填了数位。"
    ),
    "publicity_output_unknown": "宣传项目“{value}”无法对应到通知列出的宣传形式，计入“其他”；如有误请更正。",
    # Archives (archives.py)
    "archive_member_unsafe": (
        "压缩包“{archive}”中的“{member}”路径指向压缩包以外（含“..”或绝对路径），疑似恶意文件，未读取；"
        "压缩包中其余文件照常读取。请确认来源，解压后只放入需要的文件。"
    ),
    "archive_member_link": (
        "压缩包“{archive}”中的“{member}”是链接（快捷方式），不是文件，未读取；请放入文件本身。"
    ),
    "archive_member_encrypted": (
        "压缩包“{archive}”中的“{member}”设置了密码，无法读取；请让报送单位取消密码后重新发送，"
        "或解压后放入报送文件夹。"
    ),
    "archive_encrypted": (
        "压缩包“{archive}”设置了密码，无法读取；请让报送单位取消密码后重新发送，或解压后放入报送文件夹。"
    ),
    "archive_too_many_members": (
        "压缩包“{archive}”中有 {count} 个文件，超过上限 {limit} 个，只读取了前 {limit} 个；"
        "请解压后分批放入报送文件夹。"
    ),
    "archive_too_large": (
        "压缩包“{archive}”解压后超过 {limit_mb} MB 的上限（疑似“压缩炸弹”），从“{member}”起未读取；"
        "请确认文件来源，解压后只放入需要的文件。"
    ),
    "archive_ratio": (
        "压缩包“{archive}”中的“{member}”压缩比异常（超过 {limit} 倍），疑似恶意文件，未读取；请确认文件来源。"
    ),
    "archive_nested_too_deep": (
        "压缩包“{archive}”是压缩包里的压缩包里的压缩包，超过一层嵌套，未读取；请解压后放入报送文件夹。"
    ),
    "archive_corrupt": (
        "压缩包“{archive}”已损坏或不完整，无法打开（{detail}）；请让报送单位重新发送。"
    ),
    "archive_member_corrupt": (
        "压缩包“{archive}”中的“{member}”已损坏，无法解压（{detail}）；压缩包中其余文件照常读取，"
        "请让报送单位重新发送该文件。"
    ),
    "archive_rar": (
        "压缩包“{archive}”是 RAR 格式，本工具无法直接读取；请解压后放入报送文件夹（可放在以压缩包命名的文件夹中）。"
    ),
    # Photos, summaries, videos (materials/)
    "material_empty": "文件“{file}”是空文件（0 字节），未读取；请让报送单位重新发送该{what}。",
    "material_corrupt": "{what}“{file}”已损坏或不完整，无法打开（{detail}），未计入；请让报送单位重新发送。",
    "material_image_too_large": (
        "图片“{file}”像素数过大（{detail}），疑似恶意文件（“解压炸弹”），未读取；请确认来源，必要时请报送单位重新拍摄或压缩后发送。"
    ),
    "material_bomb": (
        "{what}“{file}”内部压缩比异常（{detail}），疑似恶意文件（“压缩炸弹”），未读取；请确认来源后让报送单位重新发送。"
    ),
    "material_encrypted": "{what}“{file}”设置了密码，无法读取内容；请让报送单位取消密码后重新发送。",
    "material_too_large": (
        "{what}“{file}”有 {size_mb} MB，超过 {limit_mb} MB，只登记、未读取内容（未检查是否重复）；"
        "如需使用，请另行拷贝查看。"
    ),
    "material_unplaced": (
        "{what}“{file}”无法确定{missing}，已列入资料清单但未计入任何单位；请把它放进以报送单位或期次命名的文件夹"
        "（如“长阳镇总工会/第一阶段”），或在文件名中写明后重新运行。"
    ),
    "material_duplicate": "{what}“{file}”与“{original}”是同一{what}（{how}），只计一次。",
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


def message_text(key: str, /, **values: object) -> str:
    """The catalogue's sentence for `key` with every placeholder given (str.format)."""
    return MESSAGES[key].format(**values)


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
