"""Notebook tables: 是/否, blanks, Chinese headers, no footer, no absolute paths."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import config, display


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>.*?</td>", html)]


def test_table_renders_yes_no_blanks_percent_and_chinese():
    frame = pd.DataFrame(
        {
            "reporting_unit": ["拱辰街道总工会", "长阳镇总工会"],
            "kind": ["street", "town"],
            "on_time": pd.array([True, pd.NA], dtype="boolean"),
            "submitted": [True, False],
            "unit_coverage": [0.5, np.nan],
            "participants": [12345.0, np.nan],
            "activities": [3, 0],
            "state": ["current", "superseded"],
        }
    )
    html = display.table(frame).to_html()
    assert _cells(html) == [
        "拱辰街道总工会", "街道", "是", "是", "50.0%", "12,345", "3", "有效",
        "长阳镇总工会", "乡镇", "", "否", "", "", "0", "被更正版替代",
    ]  # fmt: skip
    headers = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>.*?</th>", html)]
    assert headers == [
        "报送单位",
        "类别",
        "按时报送",
        "已报送",
        "覆盖率",
        "参加人次",
        "活动次数",
        "状态",
    ]
    for word in ("NaN", "nan", "True", "False", "<NA>", "None", "rows ×"):
        assert word not in html
    assert "white-space: nowrap" in html


def test_absolute_paths_are_shown_relative_or_by_name():
    inside = str(config.PROJ_ROOT / "data" / "processed" / "issues.csv")
    frame = pd.DataFrame({"file": [inside, "/home/someone/报送/长阳镇.xlsx", "submissions/a.xlsx"]})
    html = display.table(frame).to_html()
    assert _cells(html) == ["data/processed/issues.csv", "长阳镇.xlsx", "submissions/a.xlsx"]
    assert str(config.PROJ_ROOT) not in html and "/home/" not in html


def test_named_index_is_kept_and_plain_index_hidden():
    named = pd.DataFrame({"activities": [2]}, index=pd.Index(["全区"], name="单位"))
    assert "全区" in display.table(named).to_html()
    plain = pd.DataFrame({"activities": [7]})
    html = display.table(plain).to_html()
    assert _cells(html) == ["7"] and ">0<" not in html


def test_row_states_and_file_states_are_named_for_their_table():
    rows = pd.DataFrame({"state": ["accepted", "superseded", "rejected", "duplicate"]})
    assert _cells(display.table(rows).to_html()) == ["采用", "被替代", "不采用", "重复"]
    files = pd.DataFrame({"state": ["superseded"], "rows_read": [3]})
    assert _cells(display.table(files).to_html()) == ["被更正版替代", "3"]


def test_same_frame_renders_the_same_html():
    frame = pd.DataFrame({"kind": ["town"], "activities": [3]})
    assert display.table(frame).to_html() == display.table(frame.copy()).to_html()


def test_names_a_unit_typed_are_shown_as_text_not_markup():
    frame = pd.DataFrame({"grassroots_unit": ["<img src=x onerror=alert(2)>工会", "长阳镇工会"]})
    html = display.table(frame).to_html()
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;工会" in html
    assert "长阳镇工会" in html


def test_markdown_text_shows_links_tags_and_urls_as_typed():
    """Rendered as nbconvert renders the notebooks' Markdown into 情况通报.html (mistune,
    raw HTML passed through, bare URLs linked)."""
    import html

    import mistune

    from analysis.formats import markdown_text

    typed = "新增：r1/[点此查看](http://evil.example)<img src=x onerror=alert(1)>_a_*b* www.x.cn"
    render = mistune.create_markdown(escape=False, plugins=["url", "strikethrough", "table"])
    assert "<a " in render(typed) and "<img" in render(typed)  # what it did before
    rendered = render(markdown_text(typed))
    assert "<a " not in rendered and "<img" not in rendered and "<em>" not in rendered
    assert html.unescape(re.sub(r"</?p>|\n", "", rendered)) == typed


def test_percentages_round_half_up_as_the_prose_does():
    """1 of 16 is 6.25%: 6.3% everywhere (Python's format gave 6.2% in the notebooks)."""
    frame = pd.DataFrame({"unit_coverage": [0.0625], "participants_per_100": [12.25]})
    html = display.table(frame).to_html()
    assert "6.3%" in html and "6.2%" not in html
    assert "12.3" in html


def test_the_pending_column_has_a_chinese_header():
    from analysis.labels import COLUMN_NAMES

    assert COLUMN_NAMES["pending"] == "未到截止日期"
