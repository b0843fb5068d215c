"""Chinese message templates for the issue codes the ingest pipeline raises.

Each message says what is wrong and what the analyst can do. Placeholders are
filled by `message(code, **values)`; an unknown code gets a generic sentence that
still names the code, so a new code never crashes a run.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.model import Issue

MESSAGES: dict[str, str] = {
    # Files (readers.py: a file refused as a whole; keys other than the code say which limit)
    "empty": "文件“{file}”是空文件（0 字节），未读取；请重新导出后报送。",
    "corrupt": "文件“{file}”已损坏或不完整，无法打开{why}；请用 Excel 或 WPS 打开确认后重新保存并报送。",
    "not_a_spreadsheet": "文件“{file}”{kind}不是 Excel/WPS/CSV 表格，未读取；请按报送模板填写表格后重新报送。",
    "password_protected": "文件“{file}”设置了打开密码，无法读取；请取消密码后重新报送。",
    "zip_bomb": (
        "文件“{file}”内部压缩比异常（{ratio:.0f} 倍，上限 {limit} 倍），"
        "疑似恶意文件，未读取；请确认文件来源，用 Excel 重新保存后报送。"
    ),
    "zip_bomb_lying_size": "文件“{file}”内部数据与声明大小不符，疑似恶意文件，未读取；请确认文件来源。",
    "hostile_xml": (
        "文件“{file}”含有不允许的 XML 实体定义，疑似恶意文件，未读取；请确认文件来源，用 Excel 重新保存后报送。"
    ),
    "too_large": (
        "文件“{file}”大小 {size_mb:.1f} MB，超过上限 {limit_mb:.0f} MB，"
        "未读取；请删除图片或无关内容后重新报送。"
    ),
    "too_large_unpacked": (
        "文件“{file}”解压后约 {size_mb:.0f} MB，超过上限 "
        "{limit_mb:.0f} MB，未读取；请删除无关内容后重新报送。"
    ),
    "too_large_rows": (
        "文件“{file}”的工作表“{sheet}”有 {rows} 行，超过上限 {limit} 行，"
        "未读取；请删除多余的空行或无关数据后重新报送。"
    ),
    "too_large_cells": (
        "文件“{file}”的单元格范围过大（约 {cells} 个，上限 {limit} 个），"
        "未读取；请删除多余的行列或无关数据后重新报送。"
    ),
    "too_large_columns": (
        "文件“{file}”有一行多达 {columns} 列，超过 Excel 和 WPS 能打开的 {limit} 列，"
        "未读取；请用 Excel 或 WPS 打开确认、删除多余的内容后重新保存并报送。"
    ),
    "too_large_declared": (
        "文件“{file}”的工作表“{sheet}”声明的数据范围为 {rows} 行、约 {cells} 个单元格，"
        "超过上限，未读取；请把有用的内容复制到一个新的工作簿后重新报送。"
    ),
    "too_many_sheets": (
        "文件“{file}”有 {sheets} 个工作表，超过上限 {limit} 个，未读取；请删除无关工作表后重新报送。"
    ),
    # Parts of the file messages: what a file is, why it cannot be opened
    "not_a_spreadsheet_kind": "是{what}，",
    "kind_pdf": "PDF 文档",
    "kind_png": "PNG 图片",
    "kind_jpeg": "JPEG 图片",
    "kind_gif": "GIF 图片",
    "kind_rar": "RAR 压缩包",
    "kind_7z": "7z 压缩包",
    "kind_gzip": "gzip 压缩包",
    "kind_rtf": "RTF 文档",
    "kind_odt": "文字文档（ODT）",
    "kind_word": "Word 文档",
    "kind_powerpoint": "PowerPoint 演示文稿",
    "kind_archive": "压缩包",
    "detail_structure_incomplete": "文件结构不完整",
    "detail_zip_damaged": "压缩结构损坏",
    "detail_no_access": "无法访问",
    "detail_pixels": "{pixels:,} 像素，上限 {limit:,} 像素",
    # File-level warnings (readers.py)
    "formula_no_value": (
        "文件“{file}”的工作表“{sheet}”中，单元格 {ref} 是公式但没有保存计算结果，按空白处理；"
        "请在 Excel 中打开该文件、保存后重新报送。"
    ),
    "macro_ignored": (
        "文件“{file}”含有宏（VBA），宏未运行，只读取了表格中保存的数值；今后请另存为不含宏的 .xlsx 后报送。"
    ),
    "external_link_ignored": (
        "文件“{file}”引用了其他工作簿（外部链接），链接未打开，只读取了保存的数值；请核对相关数字后，"
        "把公式改为数值再报送。"
    ),
    # Files (ingest.py)
    "file_skipped_link": (
        "“{file}”是一个快捷方式（链接），它指向的文件已不存在，已跳过；请把报送文件本身放进来后重新运行。"
    ),
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
    "nil_report": (
        "文件“{file}”没有活动明细表，写明“{said}”：按该单位已报送本期、开展活动0次计入。"
        "如该单位实际开展了活动，请让其按模板填写活动明细后补报。"
    ),
    "no_activity_table_hidden": (
        "文件“{file}”中有内容的工作表都是隐藏的（{sheets}），其中的内容未读取，未计入统计；"
        "如需统计，请在 Excel/WPS 中右键工作表标签选“取消隐藏”并保存后重新运行，"
        "或让报送单位取消隐藏后重新报送。"
    ),
    "no_activity_table_hint": (
        "文件“{file}”中没有找到活动明细表：{hints}；未计入统计，"
        "请让报送单位按模板补齐表头（基层工会名称、活动日期、工作类别、活动形式、参加人数）后重新报送。"
    ),
    "header_hint": "工作表“{sheet}”第{row}行有“{found}”，缺少“{missing}”",
    "sheet_hidden_skipped": "{in_file}工作表“{sheet}”是隐藏的，其中的内容未读取；如需统计，请取消隐藏后重新运行。",
    "sheet_no_table": "{in_file}工作表“{sheet}”有内容，但没有找到活动明细表的表头，未读取；请核对该表是否应当统计。",
    "duplicate_file": "文件“{file}”与“{original}”内容完全相同，未重复计入。",
    "superseded": (
        "“{unit}”{round}的报送表“{file}”已被“{by}”替代，未计入统计（{why}）；如判断有误，"
        "请删除或移走不需要的文件后重新运行。"
    ),
    # Why a file is skipped or superseded (submissions.py): the {why} of the two above
    "skip_office_temp": "Office 打开文件时生成的临时文件",
    "skip_hidden": "隐藏文件",
    "skip_thumbs": "系统缩略图文件",
    "skip_desktop_ini": "系统配置文件",
    "skip_backup": "备份文件",
    "skip_shortcut": "快捷方式",
    "file_skip_backup": (
        "文件“{file}”是 Office/WPS 保存的备份文件（旧版本），已跳过；"
        "如它就是要统计的报送表，请把文件名末尾的“.bak”等去掉（改为 .xlsx）后重新运行。"
    ),
    "file_skip_shortcut": (
        "文件“{file}”是一个快捷方式，程序不读取它指向的文件，已跳过；"
        "请把报送文件本身复制到这里后重新运行。"
    ),
    "superseded_later_date": "后者填报日期更晚",
    "superseded_undated": "本表没有填写填报日期，后者填写了",
    "superseded_version_mark": "后者的文件名标明为更正或新版本",
    "superseded_name_order": "两份的填报日期相同或都没有填写，无法判断先后，暂按文件名顺序取后者",
    "superseded_by_round": "按阶段比较",
    "superseded_part": (
        "“{unit}”{round}的报送表“{file}”中的{what}已被后报的“{by}”替代，不再计入；"
        "本表的{other}仍计入统计。如判断有误，请删除或移走不需要的文件后重新运行。"
    ),
    "content_activities": "活动明细",
    "content_publicity": "宣传成果数量",
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
    "template_other_unit": (
        "文件“{file}”是“{value}”的报送模板，但表中各基层工会都属于“{unit}”，文件名也写的是“{unit}”："
        "按“{unit}”的报送计入，不替代“{value}”的报送表；请核对，并请“{unit}”今后使用自己的模板。"
    ),
    "reporting_unit_is_grassroots": (
        "文件“{file}”的填报单位“{value}”是基层工会，已按名册计入其上级“{unit}”的报送；"
        "它与“{unit}”自己报送的表各自计入、互不替代，请核对两者是否重复填报了同一活动。"
    ),
    "round_unrecognised": (
        "文件“{file}”的报送期次“{value}”无法识别，已改按{how}确定期次；请核对。"
    ),
    "round_how_folder": "所在文件夹名称",
    "round_how_dates": "活动日期",
    "round_how_other": "其他信息",
    "round_how_filename": "文件名",
    "sheet_other_unit": (
        "文件“{file}”的工作表“{sheet}”填报单位是“{value}”，与本文件的“{unit}”不同：一个文件只算一个单位的报送，"
        "整个文件按“{unit}”的报送计入（其中各活动仍计入各基层工会在名册中的上级），“{value}”不算已报送；"
        "请让“{value}”单独报送自己的表。"
    ),
    "round_from_filename": (
        "文件“{file}”没有填写报送期次，也没有可以判断期次的活动日期，已按文件名计入“{round}”；请核对。"
    ),
    "round_unknown": (
        "文件“{file}”无法确定报送期次（未填期次、文件夹名和文件名不含期次、活动日期也都无法识别），"
        "按时报送情况无法判断，其中的宣传成果数量也不计入按期统计；请在文件中填写报送期次。"
    ),
    "report_date_unreadable": (
        "文件“{file}”的填报日期“{value}”无法识别，按时报送情况无法判断；请核对填报日期。"
    ),
    # Rows
    "unit_unresolved": (
        "第{row}行的基层工会“{value}”在名册中找不到{suggest}，该行未计入统计；请核对名称，"
        "或在 aliases.csv 中添加“报送名称,名册名称”对应关系后重新运行。"
    ),
    "unit_ambiguous": (
        "第{row}行的基层工会“{value}”在名册中有{count}个：{candidates}，都不属于报送单位“{reporting}”，"
        "无法确定是哪一个，该行未计入统计；请报送单位写明全称（如“{example}”），"
        "或在 aliases.csv 中添加对应关系（名册名称写“{label}”）后重新运行。"
    ),
    "unit_candidate": "{parent}的“{unit}”",
    "unit_candidate_direct": "直属基层工会“{unit}”",
    "unit_other_parent": (
        "第{row}行的基层工会“{unit}”在名册中属于“{parent}”，不属于报送单位“{reporting}”；"
        "已计入“{parent}”，请核对。"
    ),
    "unit_direct_other": (
        "第{row}行的“{unit}”在名册中是直属区总工会的基层工会，自己报送，不属于报送单位“{reporting}”；"
        "已计入“{unit}”本身，请核对。"
    ),
    # Rows (ledger.py): each row sentence follows row_prefix ("第5行：") or names its place
    "place_sheet_row": "工作表“{sheet}”第{row}行",
    "place_row": "第{row}行",
    "located_file": "文件“{file}”",
    "located_file_of": "文件“{file}”的",
    "located_sheet": "工作表“{sheet}”",
    "cn_date": "{year}年{month}月{day}日",
    "cn_month_day": "{month}月{day}日",
    "date_window": "{start}至{end}",
    "participants_column_missing": (
        "{place}的活动表表头没有“参加人数”列，各活动的人数按缺失处理；请按模板补充该列。"
    ),
    "row_deleted": (
        "{place}的内容全部被划了删除线，视为填报单位已删除该行，未计入统计；"
        "如该行应当计入，请去掉删除线后重新报送。"
    ),
    "round_window": "{name}（{window}）",
    "date_out_of_window_counted": (
        "活动日期“{value}”不在本次活动时间（{window}）内，也不在所报的{rounds}内，疑似填错；"
        "该行已按报送期次计入活动数，但日期按未知处理，不计入按日期的统计；请核对更正。"
    ),
    "date_out_of_window_rejected": (
        "活动日期“{value}”不在本次活动时间（{window}）内，疑似填错；"
        "报送期次也无法确定，该行未计入统计；请核对更正。"
    ),
    "date_counted_in_round": "{text}已按报送期次计入活动数，但不计入按日期的统计。",
    "date_not_counted": "{text}该行未计入统计（报送期次也无法确定）。",
    "participants_total_blank": "参加人数合计一栏为空，已按分项之和{parts_sum}（{parts}）计入；请核对并补填合计。",
    "participants_total_unreadable": (
        "参加人数合计“{value}”不是数字，已按分项之和{total}（{parts}）计入；请核对并把合计改为数字。"
    ),
    "participants_parts_disagree": (
        "参加人数合计为{total}，而分项之和为{parts_sum}（{parts}），两者不一致，已按合计计入；请核对。"
    ),
    "rows_hidden": (
        "{in_file}工作表“{sheet}”的第{rows}行被隐藏了（可能是筛选或隐藏行），这些行仍照常读取并计入；"
        "如果这些行是要删除的，请填报单位直接删除或划删除线后重新报送。"
    ),
    "rows_and_more": "{rows}等{count}",
    "remark_says_void": (
        "备注“{value}”说明该行可能已作废或重复，但该行没有划删除线，仍已计入；"
        "请向填报单位核实，如确应删除请让其在表中删除该行或划删除线。"
    ),
    "work_item_inferred_from_title": (
        "工作类别未填写或无法识别，已根据活动内容“{value}”推断为“{item}”；请核对。"
    ),
    "duplicate_row": (
        "{place}与{original}是同一项活动（基层工会、活动日期、工作类别、活动形式和参加人数都相同），"
        "只计一次；如确是两次不同的活动，请在表中写明区别（如日期或人数）后重新报送。"
    ),
    "repeated_earlier_round": (
        "{place}与{round}已报送的文件“{file}”{original}是同一项活动（累计表重复列出），"
        "按首次报送的{round}计入，本次不再重复计算。"
    ),
    # The run (ingest.py): the terminal summary, a run's own errors
    "ingest_summary_files": (
        "读取报送文件 {read} 个：有效 {current} 个，被更正版本替代 {superseded} 个，"
        "重复文件 {duplicate} 个，无法使用 {rejected} 个{skipped}。"
    ),
    "ingest_summary_skipped": "（另跳过临时/隐藏文件 {skipped} 个）",
    "ingest_summary_rows": (
        "活动记录 {read} 行：计入 {accepted} 行，未计入 {rejected} 行，"
        "重复 {duplicate} 行，已替代 {superseded} 行。"
    ),
    "ingest_as_of": "统计截止日期 {date}：此后的活动不计入覆盖率。",
    "ingest_as_of_before_campaign": (
        "注意：统计截止日期 {date} 早于活动开始日期 {start}，所有活动都在截止日期之后，"
        "覆盖率都是 0；请检查 --as-of 是否写错。"
    ),
    "ingest_as_of_long_after_campaign": (
        "注意：统计截止日期 {date} 比活动结束（{end}）和最后一期报送截止（{deadline}）晚了一年以上，"
        "疑似年份写错；统计照常进行，请检查 --as-of 是否写错。"
    ),
    "ingest_summary_issues": (
        "发现问题 {total} 条（错误 {errors} 条，提示 {warnings} 条），详见 {issues_csv}。"
    ),
    "progress_reading": "读取报送表",
    "progress_unit": "个",
    "output_table_locked": (
        "结果文件 {file} 无法更新（{detail}）：它可能正在 Excel 或 WPS 中打开，请关闭后重新运行；"
        "本次没有更新任何结果文件，上一次的结果保持不变。"
    ),
    "output_unwritable": (
        "统计结果无法写入 {folder}（{detail}）：请关闭在 Excel 中打开的结果文件、"
        "确认磁盘空间后重新运行；上一次的结果保持不变。"
    ),
    "internal_error": "运行中有 {count} 处程序错误，详情已记入 {log}，请把该文件发给技术人员。",
    # Roster (roster.py): raised as RosterError or listed in issues.csv
    "roster_unreadable": "名册文件无法使用：{reason}；{todo}",
    "roster_todo_save": "请用 Excel 或 WPS 打开名册，另存为 .xlsx 文件后重新运行。",
    "roster_todo_password": "请取消名册的打开密码，保存后重新运行。",
    "roster_todo_format": "请把单位名册另存为 Excel（.xlsx）或 CSV 文件后重新运行。",
    "roster_todo_trim": "请删除名册中的图片、多余的行列和无关工作表，另存后重新运行。",
    "roster_no_sheet": "名册文件 {file} 中没有任何工作表，请检查文件内容。",
    "roster_not_found": "未找到名册：请把单位名册放到 {folder} 文件夹中。",
    "roster_file_missing": "未找到名册：名册文件 {path} 不存在，请检查路径是否写对。",
    "raw_dir_missing": (
        "未找到名册：原始数据目录 {folder} 不存在，请检查路径是否写对"
        "（应是放着 roster、submissions 两个文件夹的目录）。"
    ),
    "raw_dir_is_file": (
        "未找到名册：{folder} 是一个文件，不是文件夹；原始数据目录应是放着 roster、submissions"
        "两个文件夹的目录。"
    ),
    "roster_folder_empty": (
        "未找到名册：{folder} 中没有 Excel 或 CSV 文件；请把单位名册（.xlsx/.xls/.csv）放入该文件夹后重新运行。"
    ),
    "roster_folder_no_spreadsheet": (
        "未找到名册：{folder} 中只有{names}，不是 Excel 或 CSV 文件；"
        "请把单位名册（.xlsx/.xls/.csv）放入该文件夹后重新运行。{hint}"
    ),
    "roster_file_ignored": (
        "名册文件夹中的{names}不是 Excel 或 CSV 文件，未读取；名册用的是“{used}”。"
        "如果名单在这些文件里，请另存为 Excel 文件放入 roster 文件夹后重新运行。{hint}"
    ),
    "files_and_more": "{names}等{count}个文件",
    "roster_archive_hint": "压缩包请先解压，再把其中的名册放入 roster 文件夹。",
    "roster_several_files": (
        "名册文件夹中有{count}个文件，使用的是修改时间最新的“{used}”，"
        "{others}未使用；如用错了名册，请把不用的文件移出 roster 文件夹后重新运行。"
    ),
    "roster_where": "名册“{file}”",
    "roster_where_sheet": "名册“{file}”的工作表“{sheet}”",
    "roster_no_header": (
        "{where}前{rows}行中找不到表头：需要{needed}四列，"
        "请检查列名（可参照演示名册 data/demo/raw/roster/）后重新运行。"
    ),
    "roster_column_synonyms": "“{column}”（也可写作“{others}”）",
    "roster_columns_missing": (
        "{where}找不到完整的表头：第{row}行有{found}，但缺少{missing}列；"
        "请在该行补上这一列后重新运行。"
    ),
    "roster_kind_unknown": (
        "{at}第{row}行“{unit}”的类别“{value}”无法识别，应为 乡镇/街道/系统/燕山/开发区/直属 之一；"
        "该单位未计入统计，请修改名册。"
    ),
    "roster_kind_from_parent": (
        "{at}第{row}行“{unit}”的类别写的是“{value}”（本单位的性质，不是上级工会的类别），"
        "已按名册中上级工会“{parent}”其他各行的类别“{kind}”统计；如有误请把类别改为"
        " 乡镇/街道/系统/燕山/开发区/直属 之一。"
    ),
    "roster_kind_from_parent_name": (
        "{at}第{row}行“{unit}”的类别写的是“{value}”（本单位的性质，不是上级工会的类别），"
        "已按上级工会“{parent}”的名称确定为“{kind}”统计；如有误请把类别改为"
        " 乡镇/街道/系统/燕山/开发区/直属 之一。"
    ),
    "roster_kind_undecided": (
        "{at}第{row}行“{unit}”的类别写的是“{value}”（本单位的性质，不是上级工会的类别），"
        "按上级工会“{parent}”也无法确定是 乡镇/街道/系统/燕山/开发区 中的哪一类；"
        "该单位未计入统计，请把类别改为上级工会的类别（直属区总工会的写“直属”）。"
    ),
    "roster_members_unreadable": (
        "{at}第{row}行“{unit}”的会员人数“{value}”不是0或正整数；该单位未计入统计，请修改名册。"
    ),
    "roster_parent_missing": "{at}第{row}行“{unit}”没有填写上级工会；该单位未计入统计，请补充。",
    "roster_parent_is_district": (
        "{at}第{row}行“{unit}”的上级工会是“{parent}”，但类别写的是“{kind}”而不是“直属”；"
        "该单位未计入统计。如果它直属区总工会，请把类别改为“直属”；否则请填写它所属的{kind}工会。"
    ),
    "lone_figure": (
        "{place}只填了参加人数“{value}”，没有基层工会、日期等，按合计行处理，未计入；"
        "如果这是一项活动，请补全该行后重新报送。"
    ),
    "example_row": (
        "{place}写着“{value}”，是填表示例，未计入统计；如果这是真实开展的活动，"
        "请删去“示例”字样后重新报送。"
    ),
    "roster_name_blank": (
        "{at}第{row}行没有填写基层工会名称（上级工会“{parent}”，会员人数“{members}”），该行未计入统计；"
        "请补上名称；如果这是合计行，请在该行写明“合计”。"
    ),
    "roster_heading_alone": (
        "{at}第{row}行“{unit}”没有填写上级工会，按分段标题（其下各行的上级工会）处理，不是基层工会，"
        "但名册中没有属于它的基层工会；如果它本身是一个基层工会，请填写其上级工会和类别后重新运行。"
    ),
    "roster_row_struck": (
        "{at}第{row}行“{unit}”整行加了删除线，已按名册中删去的单位处理，不计入基层工会数和会员数；"
        "如果该单位仍然存在，请取消删除线后重新运行。"
    ),
    "roster_members_approximate": (
        "{at}第{row}行“{unit}”的会员人数写的是约数“{value}”，已按{members}人计入会员数；"
        "请在名册中填写确切人数后重新运行。"
    ),
    "roster_members_blank": "{at}第{row}行“{unit}”没有填写会员人数；该单位未计入统计，请补充。",
    "roster_duplicate_name": "{at}第{row}行“{unit}”与第{first}行重名；只保留第{first}行，请核对名册。",
    "roster_duplicate_spelling": (
        "{at}第{row}行“{unit}”与第{first}行“{first_unit}”是同一个基层工会（写法不同，上级工会相同）；"
        "只按第{first}行计入一次，请在名册中删去重复的一行。"
    ),
    "roster_parent_spelling": (
        "{at}第{row}行的上级工会写作“{written}”，与其他行的“{used}”是同一个单位，已按“{used}”统计；"
        "请在名册中统一写法。"
    ),
    "roster_direct_with_parent": (
        "{at}第{row}行“{unit}”的类别是“直属”，但上级工会写的是“{parent}”；已按直属区总工会的单位统计"
        "（由它自己报送）。如果它归“{parent}”管理，请把类别改为该工会的类别（乡镇、街道、系统等）。"
    ),
    "roster_sheet_skipped": (
        "名册“{file}”的工作表“{sheet}”中找不到名册的表头（基层工会名称、上级工会、类别、会员人数），"
        "未读取；如果其中也是名册，请补上表头后重新运行。"
    ),
    "roster_sheet_hidden": (
        "名册“{file}”的工作表“{sheet}”是隐藏的，其中有{count}行基层工会记录，未读取，"
        "这些基层工会不在覆盖率的统计范围内；如果它们也在名册中，请取消隐藏该工作表后重新运行。"
    ),
    "roster_unit_is_parent": (
        "{at}第{row}行的基层工会“{unit}”就是上级工会“{parent}”本身，不是其下的基层工会"
        "（会员人数{members}），该行未计入基层工会数和会员数，以免重复计算；如果这是该工会的标题行或小计行，"
        "无需处理；如果确有这样一个基层工会（如总工会机关的工会），请在名册中写明全称"
        "（如“{parent}机关工会”）后重新运行。"
    ),
    "roster_parent_above_only": (
        "{at}第{rows}行（{count}个基层工会）没有填写上级工会，已按上方第{head}行的“{parent}”计入；"
        "如果其中有不属于“{parent}”的单位，请在名册中补填其上级工会后重新运行。"
    ),
    "roster_kind_blank_from_parent": (
        "{at}第{rows}行（{count}个基层工会）没有填写类别，已按上级工会“{parent}”其他各行的类别“{kind}”统计；"
        "如有误请补填类别（乡镇/街道/系统/燕山/开发区/直属）后重新运行。"
    ),
    "roster_kind_blank_from_parent_name": (
        "{at}第{rows}行（{count}个基层工会）没有填写类别，已按上级工会“{parent}”的名称确定为“{kind}”统计；"
        "如有误请补填类别（乡镇/街道/系统/燕山/开发区/直属）后重新运行。"
    ),
    "roster_kind_blank_undecided": (
        "{at}第{row}行“{unit}”没有填写类别，按上级工会“{parent}”也无法确定是 乡镇/街道/系统/燕山/开发区 "
        "中的哪一类；该单位未计入统计，请补填类别（直属区总工会的写“直属”）后重新运行。"
    ),
    "roster_parent_above": (
        "{at}第{rows}行（{count}个基层工会）没有填写上级工会和类别，已按上方第{head}行的“{parent}”"
        "（{kind}）计入；如果其中有不属于“{parent}”的单位，请在名册中补填其上级工会和类别后重新运行。"
    ),
    "roster_unit_disbanded": (
        "{at}第{row}行“{unit}”的备注写着“{remark}”，已按撤销（注销、合并）的单位处理，"
        "不计入基层工会数和会员数；如果该单位仍然存在，请修改备注后重新运行。"
    ),
    "roster_unit_is_parent_kept": (
        "{at}第{row}行的基层工会“{unit}”与上级工会“{parent}”是同一个单位，而名册中“{parent}”之下"
        "没有其他基层工会；已把它作为“{parent}”唯一的基层工会（会员人数{members}）计入，"
        "请核对名册是否漏列了“{parent}”的基层工会。"
    ),
    "roster_columns_from_sheet": (
        "名册“{file}”的工作表“{sheet}”没有{missing}列，表中{count}个基层工会按工作表名称计入{what}；"
        "如有不同，请在该表中补上{missing}列后重新运行。"
    ),
    "roster_from_sheet_parent_kind": "“{parent}”（{kind}）",
    "roster_from_sheet_parent": "“{parent}”",
    "roster_from_sheet_kind": "类别“{kind}”",
    "roster_no_records": "{where}第{row}行表头之下没有可用的基层工会记录，无法统计。",
    "roster_no_rows": "表头下面没有数据行，请检查是否选错了工作表或文件。",
    "roster_more_problems": "（共{count}行有问题，以上为前3行）",
    "roster_kind_mixed": (
        "{at}第{row}行“{unit}”的类别“{kind}”与上级工会“{parent}”"
        "下其他单位的“{used}”不同，已按“{used}”统计；"
        "如有误请修改名册。"
    ),
    # Command line (cli.py): printed, not in issues.csv
    "cli_bad_arguments": "命令行参数有误：{detail}。运行 `{usage}` 查看用法。",
    "cli_arg_unrecognized": "不认识的参数 {words}",
    "cli_arg_missing_value": "参数 {option} 后面要写一个值",
    "cli_arg_required": "缺少参数 {options}",
    "cli_arg_no_command": "缺少命令，可用的命令：{choices}",
    "cli_arg_bad_command": "没有“{value}”这个命令，可用的命令：{choices}",
    "cli_arg_bad_choice": "参数 {option} 的值“{value}”不在可选范围内：{choices}",
    "cli_arg_bad_value": "参数 {option}：{detail}",
    "cli_arg_takes_no_value": "参数 {option} 不带值，只写 {option} 即可（去掉“={value}”）",
    "cli_arg_not_int": "参数 {option} 的值“{value}”不是整数",
    "cli_arg_not_number": "参数 {option} 的值“{value}”不是数字",
    "cli_bad_date": "日期“{value}”格式不对，应为 YYYY-MM-DD",
    "cli_no_such_date": "日期“{value}”不存在，请写一个真实的日期",
    "cli_os_error": "无法读写 {path}（{reason}）：请检查这个位置是否存在、是不是文件夹、有没有写入权限，然后重新运行。",
    "cli_input_locked": (
        "无法读取 {path}（{reason}）：它可能正在 Excel、WPS 或记事本中打开，或没有读取权限；"
        "请关闭该文件（或向管理员要读取权限）后重新运行。"
    ),
    "cli_campaign_missing": "找不到活动定义文件 {path}，请检查 --campaign 写的路径。",
    "output_inside_raw": (
        "统计表目录 {out} 就是原始数据目录 {raw}，或在它的名册、报送文件夹里面："
        "下次运行会把统计结果当作报送文件读取。请换一个 --out 目录（默认 data/processed）。"
    ),
    "demo_would_overwrite_answers": (
        "演示数据的答案文件写在 --out 目录的上一级 {folder}，那里已经有不是演示数据生成的 {files}："
        "演示数据不会覆盖它们。请把 --out 设为一个新建的空文件夹里的子文件夹（如 演示/raw）。"
    ),
    "demo_would_overwrite": (
        "{folder} 里已经有名册、报送文件或别名表，而且不是演示数据：演示数据不会覆盖它们。"
        "请换一个空目录作为 --out（默认 data/demo/raw）。"
    ),
    "templates_demo_roster": "（data/raw/roster 中还没有名册，用的是演示名册；放入正式名册后再运行即可。）",
    "cli_unknown_command": "未知命令：{command}",
    # ingest.log's own lines (the tracebacks in it are for developers)
    "log_run": "摄取运行 {stamp}",
    "log_no_errors": "没有内部错误。",
    "cli_interrupted": "已中断：上一次的统计结果保持不变。",
    # JupyterLab (lab.py): printed
    "lab_no_language_pack": (
        "未安装中文界面（jupyterlab-language-pack-zh-CN），JupyterLab 将以英文显示；"
        "运行 make venv 安装后重试。"
    ),
    "lab_opening": "JupyterLab 界面设为简体中文（{settings}），正在打开 {notebook} …",
    # Campaign definition (campaign.py): raised as CampaignError
    "campaign_bad_date": (
        "活动定义文件（{file}）中“{where}”不是有效日期：{value}；请写成 2019-07-01"
        "（不加引号），改正后重新运行。"
    ),
    "campaign_key_missing": (
        "活动定义文件（{file}）{where}缺少必填项 {key}{label}，请对照内置模板"
        "（analysis/campaign_default.toml）补充后重新运行。"
    ),
    "campaign_where_section": "[{section}] 中",
    "campaign_where_entry": "第{n}个 [[{table}]]（{label}）中",
    "campaign_where_output": "[publicity] 的第{n}种宣传成果（outputs）中",
    "campaign_label_rounds": "报送期次",
    "campaign_label_work_items": "工作类别",
    "campaign_bad_number": (
        "活动定义文件（{file}）中“{where}”应为整数（如 2019、200_000），现在是 {value}；请改正后重新运行。"
    ),
    "campaign_bad_decimal": (
        "活动定义文件（{file}）中“{where}”应为数字（如 1、0.5），现在是 {value}；请改正后重新运行。"
    ),
    "campaign_unknown_setting": (
        "活动定义文件（{file}）{where}有本工具不认识的设置 {key}{hint}；请对照内置模板"
        "（analysis/campaign_default.toml）检查拼写后重新运行。"
    ),
    "campaign_did_you_mean": "（是不是 {key}？）",
    "campaign_setting_ignored": (
        "活动定义文件（{file}）{where}的设置 {key} 本工具不使用，已忽略，其余设置照常使用；"
        "如果这是拼写错误，请对照内置模板（analysis/campaign_default.toml）改正后重新运行。"
    ),
    "campaign_day": "{year}年{month}月{day}日",
    "campaign_round_named": "“{name}”（{code}）",
    "campaign_limit_too_small": (
        "活动定义文件（{file}）中 [limits] 的 {key} 是 {value}，应为大于 0 的整数；"
        "请改正（或删去这一行，使用内置的限值）后重新运行。"
    ),
    "campaign_not_array": (
        "活动定义文件（{file}）中的{label}应写成一段或几段 [[{table}]]（两层方括号，每段一项），"
        "请对照内置模板（analysis/campaign_default.toml）改正后重新运行。"
    ),
    "campaign_window_reversed": (
        "活动定义文件（{file}）中{what}的开始日期{start}晚于结束日期{end}；"
        "请检查 start 和 end 是否写反，改正后重新运行。"
    ),
    "campaign_bad_code": (
        "活动定义文件（{file}）中{table}的代码 code = “{code}”不能使用：代码写进统计表，"
        "只能用英文字母、数字、“_”和“-”（如 r2），且不能是 other；"
        "中文名称请写在 name（以及期次的 labels）中，改正后重新运行。"
    ),
    "campaign_code_twice": (
        "活动定义文件（{file}）中有两项{table}的代码都是“{code}”；每项的 code 要不同，"
        "请改正后重新运行。"
    ),
    "campaign_round_outside": (
        "活动定义文件（{file}）中报送期次{what}的活动时间{start}—{end}超出了活动的起止日期"
        "{campaign_start}—{campaign_end}（[campaign] 的 start、end）；请改正其中之一后重新运行。"
    ),
    "campaign_deadline_early": (
        "活动定义文件（{file}）中报送期次{what}的截止日期{deadline}早于该期开始日期{start}；"
        "请检查 deadline 是否写错，改正后重新运行。"
    ),
    "campaign_label_twice": (
        "活动定义文件（{file}）中“{label}”同时是报送期次 {first} 和 {second} 的写法（name 或 labels），"
        "写“{label}”的报送表无法确定期次；请从其中一期删去后重新运行。"
    ),
    "campaign_rounds_overlap": (
        "活动定义文件（{file}）中报送期次“{first}”（{first_code}，到{first_end}）与“{second}”"
        "（{second_code}，从{second_start}起）的活动时间重叠，同一天的活动无法确定属于哪一期；请把后一期的 start 改到前一期 end 之后，"
        "改正后重新运行。"
    ),
    "campaign_bad_setting": (
        "活动定义文件（{file}）中有无法识别的设置：{detail}；请对照内置模板"
        "（analysis/campaign_default.toml）改正后重新运行。"
    ),
    "campaign_unreadable": (
        "活动定义文件 {file} 格式有误，无法读取：{where}{detail}；请用记事本打开，改正后重新运行。"
    ),
    "campaign_toml_at": "第{line}行第{column}列",
    "campaign_toml_at_end": "文件末尾",
    "campaign_toml_encoding": "文件的编码无法识别，请用记事本另存为 UTF-8 编码",
    # Activity table headers (tables.py)
    "column_named": "{letter}列“{label}”",
    "column_ambiguous": (
        "文件“{file}”的工作表“{sheet}”第{row}行的表头中有多列都可作为“{field}”"
        "（{names}），已使用{letter}列“{label}”；"
        "如不对，请修改表头使其只有一列。"
    ),
    "participants_summed": (
        "文件“{file}”的工作表“{sheet}”第{row}行的表头把参加人数分成几列"
        "（{parts}），没有合计列，"
        "已按各列之和计入；请核对。"
    ),
    "side_by_side_unread": (
        "文件“{file}”的工作表“{sheet}”第{row}行的表头像是把几张表格并排填写，"
        "但并排的各部分表头不一致，无法分开读取：{names}未读取，其中的活动没有计入；"
        "请把并排的表格分开填写（上下排列，或分别放在不同工作表中），表头与模板一致后重新报送。"
    ),
    "column_missing": (
        "文件“{file}”的工作表“{sheet}”第{row}行的表头中没有“{field}”列；"
        "该项按空白处理，请按报送模板补充此列。"
    ),
    # Names and aliases (names.py)
    "roster_name_repeated": (
        "名册“{file}”中“{unit}”在{count}个上级工会下各有一个（{parents}），按不同的基层工会分别计算；"
        "各上级工会报送的“{unit}”计入本单位的那一个，其他单位报送时须写明全称（如“{example}”），"
        "否则不予对应，也可在 aliases.csv 中指定（名册名称写“{label}”）。"
    ),
    "roster_name_ambiguous": (
        "名册“{file}”中“{names}”写法相近：报送表写出与名册完全一致的名称，"
        "或由其所属上级工会报送时才能区分，否则不予对应；请核对名册，必要时在 aliases.csv 中补充对应关系。"
    ),
    "aliases_unreadable": "别名表 {file} 无法使用：{problem}；本次未使用任何别名，请修改后重新运行。",
    "aliases_bad_columns": "列名应为“报送名称,名册名称”（或 alias,name）",
    "aliases_no_header": (
        "别名表 {file} 没有“报送名称,名册名称”表头行，已按每行“报送名称,名册名称”读取；"
        "如顺序不对，请在第一行加上表头“报送名称,名册名称”并调整各列后重新运行。"
    ),
    "aliases_bad_encoding": "文字编码无法识别",
    "alias_row_unreadable": (
        "别名表 {file} 第{row}行的引号没有配对，这一行没有使用；其余各行照常使用。请修改后重新运行。"
    ),
    "alias_row_incomplete": (
        "别名表 {file} 第{row}行只写了报送名称“{alias}”，没有写名册名称，这一行没有使用；"
        "请在第二列填写名册中的名称。"
    ),
    "alias_target_unknown": (
        "别名表 {file} 第{row}行把“{alias}”对应到“{name}”，但名册中没有“{name}”{suggestions}；"
        "该行未使用，请改为名册中的准确名称。"
    ),
    "alias_target_inexact": (
        "别名表 {file} 第{row}行的名册名称“{name}”与名册中的“{found}”写法不完全一致"
        "（全角半角、空格、括号或前后缀不同），已按“{found}”使用；请改为名册中的写法。"
    ),
    "alias_is_roster_name": (
        "别名表 {file} 第{row}行的报送名称“{alias}”本身就是名册中的名称：写“{alias}”的活动"
        "总是计入名册中的“{alias}”，这一行没有使用。如“{alias}”已并入或改名为“{name}”，"
        "请修改名册后重新运行。"
    ),
    "raw_entry_not_read": (
        "原始数据目录中的“{file}”没有读取：程序只读取 roster 文件夹中的名册、submissions 文件夹中的"
        "报送表（可分子文件夹）、名称对照表 aliases.csv 和活动定义 campaign.toml；"
        "如这是报送表或名册，请移到相应文件夹后重新运行。"
    ),
    "raw_name_lookalike": (
        "原始数据目录中的“{file}”没有读取：文件名应为 {wanted}（记事本或 Excel 另存时可能加上了"
        "扩展名）；如这是要用的文件，请改名为 {wanted} 后重新运行。"
    ),
    "aliases_file_ignored": (
        "原始数据目录中有两份名称对照表：使用了较新的“{used}”，“{file}”没有使用；"
        "请删除不用的一份，或把两份合并后重新运行。"
    ),
    "alias_conflict": (
        "别名表 {file} 第{row}行把“{alias}”对应到“{name}”，与前面的对应“{first}”"
        "矛盾；只使用前面那一行，请删除其中一行。"
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
    "date_day_missing": (
        "活动日期“{value}”只写到月份，按该月1日（活动开始的那个月按活动开始日）计入；请补全具体日期。"
    ),
    "unit_from_heading": (
        "基层工会名称为空，上方单独一行写着基层工会“{value}”，已按该基层工会的活动计入；"
        "请核对，最好在每一行填写基层工会名称。"
    ),
    "value_ditto": "{fields}写的是“同上”，已按上一行的{fields}计入；请核对，最好填写完整。",
    "date_part_of_month": (
        "活动日期“{value}”只写到上旬、中旬或下旬（月初、月底），按该旬第一天（1日、11日、21日）"
        "计入；请补全具体日期。"
    ),
    "date_decimal_ambiguous": (
        "活动日期“{value}”在单元格中存成了数字，末尾的 0 可能已丢失（6.30 会变成 6.3），"
        "已按{value}计入（月.日）；请核对，并把日期单元格改为日期或文本格式。"
    ),
    "date_several": "活动日期“{value}”写了几个日期，按第一个日期计入；如是几次活动，请按次分行填写。",
    "date_range": "活动日期“{value}”是一个时间段，按开始日期计入；如活动跨多日，请在备注中说明，或按天分行填写。",
    "date_out_of_window": "活动日期“{value}”不在本次活动时间范围内；请核对日期是否填错。",
    "work_item_inferred": "工作类别未填写或无法识别，已根据活动形式“{value}”推断；请核对。",
    "work_item_unknown": "工作类别“{value}”无法对应到通知中的五项工作，计入“其他”；请按通知中的工作类别填写。",
    "work_item_unknown_listed": (
        "工作类别“{value}”无法对应到通知中的工作类别（“{items}”），计入“其他”；请从中选择一项填写。"
    ),
    "work_item_missing": "工作类别未填写，也无法从活动形式判断，计入“其他”；请补填工作类别。",
    "work_item_ambiguous": "工作类别“{value}”同时对应多项工作，已按第一项计入；请只填写一项。",
    "form_unknown": "活动形式“{value}”无法对应到通知列出的活动形式，已照原文保留；如有误请更正。",
    "cell_generic": "单元格内容“{value}”有疑问（{code}），请核对。",
    "form_item_mismatch": "活动形式“{value}”通常属于另一项工作，已按所填工作类别计入；请核对。",
    "form_item_mismatch_named": (
        "活动形式“{value}”通常属于“{item}”，与所填工作类别不同，已按所填工作类别计入；请核对。"
    ),
    # Publicity counts (publicity.py), after row_prefix
    "row_prefix": "第{row}行：",
    "publicity_count_missing": "{output}数量为空，按“缺失”处理（不计为0）；如有数量请补填。",
    "publicity_count_approximate": "{output}数量“{value}”为约数，按所写数字{number}计入；如有准确数量请更正。",
    "publicity_count_range": "{output}数量“{value}”是一个范围，按“缺失”处理（不计为0）；请填写一个确定的数字。",
    "publicity_count_unreadable": "{output}数量“{value}”不是数字，按“缺失”处理（不计为0）；请填写具体数量。",
    "publicity_count_negative": "{output}数量“{value}”为负数，已照原数{number}列出；请核对更正。",
    "publicity_count_fractional": "{output}数量“{value}”不是整数，已照原数{number}列出；请核对更正。",
    "publicity_count_worked_out": "{output}数量“{value}”不是单独一个数字，按算出的{number}计入（“其中”后面的细分不再相加，“+”连接或分项列出的数相加）；请核对，最好只填一个数字。",
    "unit_in_seq_column": "基层工会名称“{value}”填在了“序号”列、名称列为空，已按该基层工会计入；请核对。",
    "cell_error_value": (
        "第{row}行的{field}是公式错误值“{value}”（公式没有算出结果），该行未计入统计；"
        "请在原表中改正公式或直接填写{field}后重新报送。"
    ),
    "no_activity": (
        "报送表“{file}”工作表“{sheet}”第{rows}行（共{count}行）只填了基层工会名称，没有活动日期、"
        "工作类别、活动形式或参加人数，未计为活动；如这些单位确有活动，请补填后重新报送。"
    ),
    "publicity_count_implausible": (
        "“{unit}”的{output}数量为{number}{measure}，远超该单位规模（会员{members}人，"
        "合理上限约{limit}{measure}），已照原数列出，但不计入汇总数；请核对是否多填了数位。"
    ),
    "publicity_output_unknown": "宣传项目“{value}”无法对应到通知列出的宣传形式，计入“其他”；如有误请更正。",
    # Submission templates read back (templates/reader.py) and written (templates/)
    "template_other_campaign": (
        "报送表“{file}”是为活动“{was}”生成的，与当前活动“{now}”不一致；"
        "已按当前活动读取，请确认单位是否用错了模板。"
    ),
    "template_altered": (
        "报送表“{file}”的锁定部分被改动（{changes}）。已尽量读取，请核对本表数据，"
        "并请该单位今后使用未改动的模板填报。"
    ),
    "template_sheet_renamed": "工作表“{was}”被改名为“{now}”",
    "template_header_moved": "活动表的列或表头行被移动或修改，已按表头重新识别各列",
    "template_header_unrecognised": "活动表的表头被修改且无法识别，已按模板原来的列位置读取",
    "template_label_moved": "表头“{label}”从{ref}单元格移到了别处",
    "template_label_changed": "表头“{label}”（{ref}单元格）被修改",
    "template_label_lost": (
        "表头“{label}”（{ref}单元格）被删除或修改，已按其他表头移动的位置读取其内容（{now}单元格）"
    ),
    "template_prefill_cleared": "预填的{label}被清空（应为“{expected}”）",
    "template_prefill_changed": "预填的{label}“{expected}”被改为“{written}”",
    "template_columns_missing": "缺少列：{columns}",
    "template_round_unknown": "报送期次“{round}”不存在，可选：{codes}。",
    "templates_removed": (
        "名册中已没有的单位的旧模板 {count} 个已从该文件夹删除（{names}），以免误发。"
    ),
    "templates_written": (
        "已为 {count} 个报送单位生成“{round}”报送模板，"
        "保存在 {folder}；打包文件 {zip}，"
        "报送清单 {checklist}（另有 .csv）。"
    ),
    "templates_roster_problems": (
        "名册中有 {count} 处问题（{roster}），有问题的单位可能未列入下拉列表，请核对名册。"
    ),
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
    "archive_member_repeated": (
        "压缩包“{archive}”中有 {count} 个同名文件“{member}”，只读取了排在最后的一个（解压时它会覆盖前面的），"
        "前面的未读取；如前面的也要统计，请让报送单位改名后重新打包发送。"
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
    "archive_member_method": (
        "压缩包“{archive}”中的“{member}”使用了本工具不支持的压缩方式（{method}），未读取；"
        "文件本身并未损坏，请解压后放入报送文件夹，或用“发送到→压缩(zipped)文件夹”重新压缩后放入。"
    ),
    "text_undecodable": (
        "文件“{file}”第{rows}行有文字无法识别（文件中混有不同编码的文字，或文件不完整），"
        "已显示为“\ufffd”，其余内容照常读取；请核对这些行（名称可能对不上名册），"
        "必要时让报送单位用 Excel 或 WPS 另存为 CSV 或 .xlsx 后重新报送。"
    ),
    "archive_split": (
        "“{archive}”是分卷压缩包的一卷，本工具无法直接读取；请把各卷放在同一文件夹中用解压软件"
        "（如 7-Zip、WinRAR）一起解压，再把解压出的文件放入报送文件夹（各卷可移出）。"
    ),
    "archive_rar": (
        "压缩包“{archive}”是 RAR 格式，本工具无法直接读取；请解压后放入报送文件夹（可放在以压缩包命名的文件夹中）。"
    ),
    "archive_unsupported": (
        "压缩包“{archive}”是 {format} 格式，本工具无法直接读取；请解压后放入报送文件夹"
        "（可放在以压缩包命名的文件夹中），或让报送单位改用 ZIP 格式重新发送。"
    ),
    "archive_empty_file": "压缩包“{archive}”是空文件（0 字节），未读取；请让报送单位重新发送。",
    "archive_empty": (
        "压缩包“{archive}”中没有可以读取的文件（是空的，或只有文件夹）；请让报送单位重新打包发送。"
    ),
    # Photos, summaries, videos (materials/)
    "detail_not_an_archive": "不是压缩包",
    "detail_while_unpacking": "（解压过程中）",
    "detail_zip_method_number": "编号 {number}",
    "detail_whole_archive": "（整个压缩包）",
    "detail_unpacked_mb": "解压后 {size_mb:.0f} MB",
    "detail_content_not_extension": "文件内容与扩展名不符",
    "detail_unreadable": "无法读取",
    "detail_identical": "内容完全相同",
    "detail_same_photo": "同一照片的压缩或缩放版本",
    "detail_reporting_unit": "报送单位",
    "detail_round": "报送期次",
    "file_skipped_in_archive": (
        "文件“{file}”是临时文件、隐藏文件或系统文件，已跳过；如确需读取，请解压并改名后重新运行。"
    ),
    "summary_total_gap": (
        "阶段性总结“{file}”中{gaps}（{where}，相差超过10%）；请与报送单位核实哪一个数字准确。"
    ),
    "summary_stated_vs_table": "{figure}写的是{stated}，报送表合计为{table}",
    "summary_stated_no_table": "{figure}写的是{stated}，但该单位本期没有可统计的报送表",
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
    "material_round_unknown": (
        "{what}“{file}”无法确定报送期次，已计入{unit}收到的资料，但不计入任何一期；请把它放进以期次命名的文件夹"
        "（如“长阳镇总工会/第一阶段”），或在文件名中写明期次后重新运行。"
    ),
    "material_duplicate": "{what}“{file}”与“{original}”是同一{what}（{how}），只计一次。",
}

# What tomllib's English error says, in Chinese (its message starts with the key).
TOML_PROBLEMS: dict[str, str] = {
    "Illegal character": "有不允许的字符（常见原因：引号没有配对，或文字中间换了行）",
    "Unclosed string": "引号没有配对",
    "Unterminated string": "引号没有配对",
    "Cannot overwrite a value": "同一项写了两次，或与前面的某一项重名",
    "Cannot declare": "同一个 [表] 写了两次",
    "Cannot mutate": "同一项写了两次，或与前面的某一项重名",
    "Expected newline or end of document after a statement": (
        "一行里写了多项，或值的写法不对（日期写成 2019-05-08，文字要加英文双引号）"
    ),
    "Expected ']' at the end of a table declaration": "[ ] 方括号没有配对",
    "Expected ']]' at the end of an array declaration": "[[ ]] 方括号没有配对",
    "Unclosed array": "列表的 [ ] 方括号没有配对",
    "Unclosed inline table": "{ } 花括号没有配对",
    "Invalid value": "值的写法不对（文字要加英文双引号，日期写成 2019-05-08，数字不加引号）",
    "Invalid statement": "这一行不是“名称 = 值”的写法（名称含中文时要加英文双引号）",
    "Invalid date or datetime": "日期不存在或写法不对（应为 2019-05-08）",
    "Invalid initial character for a key part": "名称的写法不对（名称含中文时要加英文双引号）",
}
TOML_PROBLEM_OTHER = "写法不符合活动定义文件（TOML）的格式"

# The Chinese name of each campaign.toml key a missing-key message names.
CAMPAIGN_KEY_LABELS: dict[str, str] = {
    "campaign": "[campaign] 活动信息",
    "rounds": "[[rounds]] 报送期次",
    "work_items": "[[work_items]] 工作类别",
    "code": "代码",
    "name": "名称",
    "start": "开始日期",
    "end": "结束日期",
    "deadline": "报送截止日期",
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
    filled = _Blank({k: _shown(v) for k, v in values.items()}, code=code)
    # "文件“X”的" before a sheet's name when the caller names the file
    filled.setdefault("in_file", f"文件“{values['file']}”的" if values.get("file") else "")
    return template.format_map(filled)


def _shown(value: object) -> object:
    """A placeholder's value as the analyst saw it in Excel (None blank, a logical TRUE/FALSE)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    return value


def message_text(key: str, /, **values: object) -> str:
    """The catalogue's sentence for `key` with every placeholder given (str.format).

    A file name listed with undecodable bytes (GBK on a UTF-8 system: surrogate
    escapes) is shown decoded (`filenames.shown_name`), so that no sentence holds text
    that cannot be written to a table or a terminal, whichever caller forgot to.
    """
    text = MESSAGES[key].format(**values)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        from analysis.filenames import shown_name

        return (
            MESSAGES[key]
            .format(
                **{
                    k: shown_name(str(v)) if isinstance(v, str | PurePath) else v
                    for k, v in values.items()
                }  # fmt: skip
            )
            .encode("utf-8", "replace")
            .decode("utf-8")
        )
    return text


def place_text(sheet: str, row: int) -> str:
    """'工作表“S”第5行' (or '第5行' for a CSV, which has no sheets)."""
    if sheet:
        return message_text("place_sheet_row", sheet=sheet, row=row)
    return message_text("place_row", row=row)


# Why a file could not be read or written, by errno, as the analyst should read it.
OS_REASONS = {
    "ENOENT": "文件夹或文件不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EROFS": "磁盘是只读的",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已满",
    "ENOTDIR": "路径中有一个同名的文件，而不是文件夹",
    "EISDIR": "这是一个文件夹，不是文件",
    "EEXIST": "已有同名的文件或文件夹",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "ENAMETOOLONG": "路径太长",
    "EINVAL": "路径不合法",
    "EIO": "磁盘读写出错",
}
WINDOWS_REASONS = {
    32: "文件正被其他程序占用（例如在 Excel 中打开）",
    33: "文件的一部分被其他程序锁定",
}


def error_detail(exc: BaseException) -> str:
    """Why a file could not be opened, in Chinese: never the exception's English name."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    name = type(exc).__name__.lower()
    if "zip" in name or type(exc).__module__ == "zlib":
        return message_text("detail_zip_damaged")
    return message_text("detail_structure_incomplete")


def os_reason(exc: OSError) -> str:
    """Why `exc` happened, in Chinese ('文件夹或文件不存在'); the system's words when not known."""
    import errno

    winerror = getattr(exc, "winerror", None)
    if winerror in WINDOWS_REASONS:
        return WINDOWS_REASONS[winerror]
    name = errno.errorcode.get(exc.errno or -1, "")
    return OS_REASONS.get(name) or exc.strerror or type(exc).__name__


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
    "reports_inside_raw": (
        "通报材料目录 {reports} 在原始数据目录 {raw} 里面：程序从不往原始数据目录写东西，"
        "下次运行还会把通报材料当作报送文件读取。请换一个 --reports 目录（默认 reports）。"
    ),
    "as_of_before_campaign": (
        "统计截止日期 {as_of} 早于“{name}”的开始日期 {start}，还没有可以通报的内容；"
        "请把 --as-of 改为 {start} 以后的日期，或去掉 --as-of（按已收到的报送统计）。"
    ),
    "round_not_started": (
        "报送期次“{round}”（{name}）从 {start} 开始，统计截止日期 {as_of} 时还没有开始，"
        "无法通报；请去掉 --round（自动取已有报送的最近一期），或把 --as-of 改为 {start} 以后的日期。"
    ),
    "notebook_failed": (
        "笔记本运行出错（其余材料已生成）：{failure}。如果在 JupyterLab 中改过这个笔记本，"
        "请打开它撤销修改（编辑 → 撤销）并保存后重新运行；没有改过的，请把这句话发给技术人员。"
    ),
    "notebook_failure": "{notebook}（{error}）",
    "notebook_failure_cell": "{notebook} 第{cell}个代码单元格（{error}）",
    "briefing_written": "通报材料已生成（用时 {seconds:.0f} 秒）：{folder}",
    "alias_fill_in": "（请填写名册中的名称）",
}


def briefing_line(key: str, **values: object) -> str:
    """One of BRIEFING_TEXTS with its placeholders filled."""
    return BRIEFING_TEXTS[key].format(**values)


def located_message(issue: Issue, words: dict[tuple[str, str], str] | None = None) -> str:
    """The issue's sentence naming its file, sheet and row, as the analyst forwards it to
    the unit: a row's message that says only "第5行：…" gets "文件“…”工作表“…”" before it.

    `words` memoises the words naming a file or a sheet across the issues of one table.
    """
    text, file = issue.message, issue.file
    if issue.row is None or not file or file in text:
        return text
    words = {} if words is None else words
    sheet = _located_words(words, "located_sheet", issue.sheet) if issue.sheet else ""
    if sheet and sheet in text:
        sheet = ""
    if text.startswith("工作表“"):
        return _located_words(words, "located_file_of", file) + text
    if not text.startswith("第"):
        text = MESSAGES["row_prefix"].format(row=issue.row) + text
    return _located_words(words, "located_file", file) + sheet + text


def _located_words(words: dict[tuple[str, str], str], key: str, name: str) -> str:
    found = words.get((key, name))
    if found is None:
        placeholder = "sheet" if key == "located_sheet" else "file"
        found = words[(key, name)] = message_text(key, **{placeholder: name})
    return found
