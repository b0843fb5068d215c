"""The label catalogue: every code the tables write has a Chinese name, and every
output reads the same names (display, exports, 数据明细, reporting, config)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import config, display, exports, history, labels, reporting
from analysis.exports import details
from analysis.materials import figures as material_figures
from analysis.model import (
    FileState,
    IssueCode,
    Kind,
    Level,
    MaterialState,
    ReportStatus,
    RowState,
)

CJK = re.compile(r"[\u4e00-\u9fff]")

CATALOGUES = [
    (RowState, labels.ROW_STATE_NAMES),
    (FileState, labels.FILE_STATE_NAMES),
    (ReportStatus, labels.STATUS_NAMES),
    (Level, labels.LEVEL_NAMES),
    (Kind, labels.KIND_NAMES),
    (Kind, labels.KIND_LONG_NAMES),
    (IssueCode, labels.CODE_NAMES),
    (MaterialState, labels.MATERIAL_STATE_NAMES),
]


@pytest.mark.parametrize(("enum", "names"), CATALOGUES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_code_of_the_model_has_a_chinese_name(enum, names):
    missing = [code.value for code in enum if code not in names]
    assert missing == []
    not_chinese = {code.value: names[code] for code in enum if not CJK.search(names[code])}
    assert not_chinese == {}


def test_every_reason_a_row_can_have_is_named_in_the_reason_headers():
    # A quality table's rejected_<reason> column: the short name where there is one,
    # else the issue code's name; never the English code.
    assert labels.column_name("rejected_unit_unresolved") == "未计入：基层工会名称未识别"
    assert labels.column_name("rejected_note_row") == "未计入：说明行"
    assert labels.column_name("rejected_form_unknown") == "未计入：活动形式无法归类"
    assert [c.value for c in IssueCode if not CJK.search(labels.REASON_NAMES[c])] == []


def test_one_copy_every_module_reads():
    assert details.CODE_NAMES is labels.CODE_NAMES
    assert details.ROW_STATE_NAMES is display.ROW_STATE_NAMES is labels.ROW_STATE_NAMES
    assert details.FILE_STATE_NAMES is display.FILE_STATE_NAMES is labels.FILE_STATE_NAMES
    assert reporting.STATUS_NAMES is labels.STATUS_NAMES
    assert config.KIND_NAMES is labels.KIND_NAMES
    assert config.KIND_LONG_NAMES is labels.KIND_LONG_NAMES
    assert exports.COLUMN_LABELS is labels.FIGURE_COLUMN_NAMES
    assert display.VALUE_NAMES is labels.VALUE_NAMES
    assert history.FILE_STATE_NAMES is labels.FILE_STATE_NAMES
    assert history.FIGURE_NAMES == {
        "unit_coverage": "覆盖率",
        "member_coverage": "会员覆盖率",
        "activities": "活动次数",
        "participants": "参加人次",
        "units_total": "基层工会数",
        "members_total": "会员数",
    }
    assert material_figures.STATE_NAMES is labels.MATERIAL_STATE_NAMES


def test_figure_tables_differ_only_where_the_override_map_says():
    differ = {
        k: (labels.COLUMN_NAMES[k], v)
        for k, v in labels.FIGURE_COLUMN_NAMES.items()
        if labels.COLUMN_NAMES[k] != v
    }
    assert differ == {
        "grassroots_unit": ("基层工会", "基层工会名称"),
        "round": ("期次", "报送期次"),
        "on_time": ("按时报送", "按时"),
        "severity": ("类型", "级别"),
        "code": ("问题", "问题代码"),
        "date": ("活动日期", "日期"),
        "expected": ("应报送", "应报单位"),
    }


def test_notebook_quality_table_headers_are_all_chinese():
    # The per-reporting-unit quality table of 01_ingest: its headers used to show
    # files_current, rows_skipped, rejected_unit_unresolved… in English.
    frame = pd.DataFrame(
        {
            "reporting_unit": ["拱辰街道总工会"],
            "files_current": [1],
            "rows_read": [10],
            "rows_skipped": [2],
            "rows_not_counted": [1],
            "rows_with_warnings": [3],
            "rejected_unit_unresolved": [1],
            "unresolved_names": [1],
        }
    )
    html = display.table(frame).to_html()
    headers = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>.*?</th>", html)]
    assert headers == [
        "报送单位", "有效文件数", "读取行数", "合计/说明行", "重复或已替代行数",
        "有提示的行数", "未计入：基层工会名称未识别", "未识别名称数",
    ]  # fmt: skip


def test_figure_table_row_states_use_the_ledger_words():
    # exports.display used to call an accepted row 计入 and a rejected one 未计入,
    # 数据明细 and the notebooks 采用 / 不采用.
    shown = exports.display(pd.DataFrame({"state": ["accepted", "rejected", "current"]}))
    assert list(shown["状态"]) == ["采用", "不采用", "有效"]


def test_notebook_shows_every_share_as_a_percentage():
    # rejected_share (2 of 369 rows) was shown as "0.0" in 01_ingest's quality table.
    frame = pd.DataFrame({"rejected_share": [2 / 369], "participants_missing_share": [0.25]})
    html = display.table(frame).to_html()
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>.*?</td>", html)]
    assert cells == ["0.5%", "25.0%"]
