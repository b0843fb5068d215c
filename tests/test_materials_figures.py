"""Materials figures, and the totals a stage summary states (table-driven over real phrasings)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.materials import figures
from analysis.materials.documents import stated_totals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("共开展活动35场次，参与职工1200余人次，覆盖基层工会28家。",
         {"activities": 35, "participants": 1200, "units": 28}),
        ("我镇累计组织各类学习宣传活动42场，参加人数达3,500人次。", {"activities": 42, "participants": 3500}),
        ("全系统共举办专题培训班、报告会等活动十二场次，参学职工八百余人次。",
         {"activities": 12, "participants": 800}),
        ("截至目前，共计开展宣讲活动１８场，职工参与达２６０人。", {"activities": 18, "participants": 260}),
        ("活动覆盖所属基层工会15个，受教育职工2000多人次。", {"units": 15, "participants": 2000}),
        ("共有 9 家基层工会参与，累计 560 人次参加。", {"units": 9, "participants": 560}),
        ("组织开展活动6场次。", {"activities": 6}),
        ("下一步，我们将继续做好宣传工作。", {}),
        ("2019年6月召开会议，学习市工会十四大精神。", {}),
    ],
)  # fmt: skip
def test_stated_totals(text, expected):
    assert stated_totals(text) == expected


def _materials(records):
    columns = ["file", "reporting_unit", "kind", "round", "material", "taken_date", "state",
               "duplicate_of", "stated_activities", "stated_participants", "stated_units"]  # fmt: skip
    return pd.DataFrame([r + [""] * (len(columns) - len(r)) for r in records], columns=columns)


MATERIALS = _materials([
    ["a/1.jpg", "长阳镇总工会", "town", "r1", "photo", "", "current", ""],
    ["a/2.jpg", "长阳镇总工会", "town", "r1", "photo", "", "current", ""],
    ["a/2c.jpg", "长阳镇总工会", "town", "r1", "photo", "", "duplicate", "a/2.jpg"],
    ["a/s.docx", "长阳镇总工会", "town", "r1", "summary", "", "current", "", "10", "500", "3"],
    ["b/1.jpg", "区教委工会", "system", "r1", "photo", "", "current", ""],
    ["b/bad.jpg", "区教委工会", "system", "r1", "photo", "", "rejected", ""],
    ["c/x.jpg", "", "", "", "photo", "", "current", ""],
    ["d/v.mp4", "琉璃河镇总工会", "town", "r2", "video", "", "current", ""],
])  # fmt: skip


def test_counts_by_unit_round_count_current_materials_only():
    table = figures.counts_by_unit_round(MATERIALS)
    assert table.values.tolist() == [
        ["区教委工会", "r1", 1, 0, 0, 0],
        ["琉璃河镇总工会", "r2", 0, 0, 0, 1],
        ["长阳镇总工会", "r1", 2, 1, 0, 0],
    ]


def test_key_sentence_counts_distinct_photos_and_summaries():
    assert figures.key_sentence(MATERIALS) == "共收到信息图片4张、阶段性总结1份、视频1个。"
    assert figures.key_sentence(MATERIALS, "r1") == "共收到信息图片3张、阶段性总结1份。"


def test_status_tells_tables_and_materials_apart():
    status = pd.DataFrame({
        "reporting_unit": ["长阳镇总工会", "区教委工会", "琉璃河镇总工会", "北京燕房物流有限公司工会"],
        "kind": ["town", "system", "town", "direct"], "round": ["r1", "r1", "r1", "r1"],
        "submitted": [True, False, True, False],
    })  # fmt: skip
    out = figures.status_by_unit_round(status, MATERIALS)
    assert out["material_status"].tolist() == [
        "table_and_materials",
        "materials_only",
        "table_only",
        "nothing",
    ]
    assert out["material_status_name"].tolist()[0] == "表格和资料均已报送"
    assert out["photos"].tolist() == [2, 1, 0, 0]
    # Before the deadline, nothing in yet is not "均未报送".
    waiting = status.assign(status=["on_time", "pending", "on_time", "pending"])
    out = figures.status_by_unit_round(waiting, MATERIALS)
    assert out["material_status_name"].tolist()[1:] == ["仅报送资料", "仅报送表格", "未到截止日期"]


def test_materials_column_text():
    column = figures.column_for_units(
        pd.Series(["长阳镇总工会", "琉璃河镇总工会", "区卫健委工会"]), MATERIALS
    )
    assert column == ["图片2张、总结1份", "视频1个", "未收到"]


def test_materials_sheet_lists_every_material_in_chinese(campaign):
    sheet = figures.materials_sheet(MATERIALS, campaign)
    assert len(sheet) == len(MATERIALS)
    assert sheet.iloc[2].tolist() == [
        "长阳镇总工会",
        "第一阶段",
        "图片",
        "a/2c.jpg",
        "",
        "重复",
        "a/2.jpg",
    ]
    assert sheet.iloc[6, :2].tolist() == ["（未能确定）", "（未能确定）"]


def test_stated_totals_beside_table_figures_flag_gaps_over_ten_percent():
    rows = pd.DataFrame({
        "file": ["t.xlsx"] * 4, "state": ["accepted", "accepted", "accepted", "rejected"],
        "reporting_unit": ["长阳镇总工会"] * 4, "round": ["r1"] * 4,
        "grassroots_unit": ["长阳镇第一小学工会", "长阳镇卫生院工会", "", "长阳镇第一小学工会"],
        "participants": [200, 260, None, 999],
    })  # fmt: skip
    table = figures.stated_vs_tables(MATERIALS, rows)
    # the table gives 3 activities, 460 person-times, 2 unions; the summary says 10, 500, 3
    assert table[["figure", "stated", "table", "flagged"]].values.tolist() == [
        ["activities", 10, 3, True], ["participants", 500, 460, False], ["units", 3, 2, True],
    ]  # fmt: skip
    assert table["gap"].round(4).tolist() == [round(10 / 3 - 1, 4), round(500 / 460 - 1, 4), 0.5]


def test_table_figures_count_a_repeated_name_once_per_parent():
    """区教委's rows name 中心小学工会 of two towns (counted_for tells them apart) and
    长阳镇's twice: 区教委 reached 2 unions, 长阳镇 1; a blank name is no union."""
    rows = pd.DataFrame({
        "file": ["t.xlsx"] * 6, "state": ["accepted"] * 5 + ["rejected"],
        "reporting_unit": ["区教委工会"] * 3 + ["长阳镇总工会"] * 3, "round": ["r1"] * 6,
        "grassroots_unit": ["中心小学工会", "中心小学工会", "", "中心小学工会", "中心小学工会",
                            "卫生院工会"],
        "counted_for": ["长阳镇总工会", "琉璃河镇总工会", "区教委工会", "长阳镇总工会",
                        "长阳镇总工会", "长阳镇总工会"],
        "participants": [10, 20, "约5人", 30, None, 99],
    })  # fmt: skip
    table = figures.table_figures(rows)
    assert table.values.tolist() == [
        ["区教委工会", "r1", 3, 30, 2],  # the unreadable 约5人 is no participant
        ["长阳镇总工会", "r1", 2, 30, 1],
    ]


def test_summary_gap_warning_names_the_figures(campaign):
    from analysis.materials.table import summary_gap_issues

    rows = pd.DataFrame({
        "file": ["t.xlsx"] * 3, "state": ["accepted"] * 3, "reporting_unit": ["长阳镇总工会"] * 3,
        "round": ["r1"] * 3, "grassroots_unit": ["长阳镇第一小学工会", "长阳镇卫生院工会", "北京长阳建材有限公司工会委员会"],
        "participants": [200, 200, 100],
    })  # fmt: skip
    issues = summary_gap_issues(MATERIALS, rows, campaign)
    assert [(i.file, i.severity, i.code) for i in issues] == [
        ("a/s.docx", "warning", "summary_total_gap")
    ]
    assert "活动场次写的是10，报送表合计为3" in issues[0].message
    assert (
        "参加人次" not in issues[0].message and "覆盖基层工会" not in issues[0].message
    )  # 500 and 3 agree


def test_terminal_line_counts_materials_and_states():
    assert figures.terminal_line(MATERIALS) == (
        "收到资料 8 个：信息图片 4 张、阶段性总结 1 份、视频 1 个（重复 1 个，无法读取 1 个，"
        "未能确定归属 1 个），详见 materials.csv。"
    )


def test_up_to_round_keeps_earlier_rounds_and_unplaced(campaign):
    assert figures.up_to_round(MATERIALS, campaign, "r1")["file"].tolist() == [
        "a/1.jpg", "a/2.jpg", "a/2c.jpg", "a/s.docx", "b/1.jpg", "b/bad.jpg", "c/x.jpg"]  # fmt: skip
    assert len(figures.up_to_round(MATERIALS, campaign, "r3")) == len(MATERIALS)
