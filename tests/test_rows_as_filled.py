"""Activity tables as grassroots offices fill them: layouts and spellings that were read
wrongly (each test builds its small table and states the figures worked out by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis import ingest
from tests.conftest import write_xlsx


def run(raw: Path) -> dict[str, pd.DataFrame]:
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False, full=True)
    return {
        name: pd.read_csv(
            out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        for name in ("rows", "issues", "coverage")
    }


def unit_row(t: dict[str, pd.DataFrame], unit: str) -> dict:
    cov = t["coverage"]
    return cov.loc[(cov["level"] == "reporting_unit") & (cov["group"] == unit)].iloc[0].to_dict()


def test_planned_and_actual_columns_do_not_start_a_table_beside(raw):
    """计划人数 | 实到人数 followed by 类型 | 活动内容 is one table whose figure is the
    actual one: each row once (2 activities, 45 + 30 = 75), not a second table made of
    实到人数, 类型 and 活动内容 counting every row again."""
    write_xlsx(raw / "submissions" / "区教委.xlsx", [
        ["填报单位", "区教委工会", None, "填报日期", "2020-01-06"],
        ["备注", "方式", "活动时间", "所在工会", "计划人数", "实到人数", "类型", "活动内容"],
        [None, "对标", dt.datetime(2019, 11, 5), "房山区实验中学工会", 50, 45, "贯彻落实", "学习"],
        [None, "宣讲", "2019-11-19", "区教委机关工会", 32, 30, "宣讲培训", "交流"],
    ])  # fmt: skip
    t = run(raw)
    rows = t["rows"]
    assert rows[["row", "state", "grassroots_unit", "date", "participants"]].values.tolist() == [
        ["3", "accepted", "房山区实验中学工会", "2019-11-05", "45"],
        ["4", "accepted", "区教委机关工会", "2019-11-19", "30"],
    ]
    unit = unit_row(t, "区教委工会")
    assert (unit["activities"], unit["participants"], unit["units_covered"]) == ("2", "75", "2")


def test_pre_filled_union_rows_under_a_section_heading_are_no_activity(raw):
    """Under 一是狠抓工作落实 a union's row with only 未开展/无 is still no activity: the
    heading's work item is not something the row says was done. One activity (12)."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-07-02"],
        ["所在工会", "活动日期", "类别", "参与人数（人）"],
        ["一是狠抓工作落实", None, None, None],
        ["长阳镇卫生院工会", "2019.6.11", None, 12],
        ["长阳镇第一小学工会", "未开展", None, "未开展"],
        ["北京长阳建材有限公司工会", "无", None, None],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "state", "reason", "work_item"]].values.tolist() == [
        ["3", "rejected", "note_row", ""],
        ["4", "accepted", "ok", "implementation"],
        ["5", "rejected", "no_activity", ""],
        ["6", "rejected", "no_activity", ""],
    ]
    unit = unit_row(t, "长阳镇总工会")
    assert (unit["activities"], unit["participants"], unit["units_covered"]) == ("1", "12", "1")


def test_committee_suffix_after_a_union_federation(raw, small_roster_rows):
    """葫芦垡村工会联合会委员会 is the roster's 长阳镇葫芦垡村工会联合会 (委员会 dropped as
    after 工会, 北京市房山区 dropped as always)."""
    write_xlsx(raw / "roster" / "名册.xlsx", [
        *small_roster_rows, [8, "长阳镇葫芦垡村工会联合会", "长阳镇总工会", "乡镇", 25, 30, "A4"]
    ])  # fmt: skip
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-07-02"],
        ["基层工会名称", "活动日期", "工作类别", "参加人数"],
        ["北京市房山区长阳镇葫芦垡村工会联合会委员会", "2019-06-11", "学习", 20],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["state", "grassroots_unit"]].values.tolist() == [
        ["accepted", "长阳镇葫芦垡村工会联合会"]
    ]
    assert unit_row(t, "长阳镇总工会")["units_covered"] == "1"


def test_a_lone_figure_under_participants_in_a_csv_is_a_total(raw):
    """In a CSV every cell is text: the bare 37 under 参加人数 (column A) is the rows'
    unlabelled sum (total_row), as in a workbook, not a note; 17 + 20 = 37 counted once."""
    (raw / "submissions" / "医院.csv").write_text(
        "填报单位,北京燕房物流有限公司工会,,填报日期,2019年10月6日\n"
        "参加人数,活动形式,活动时间,工作类别,基层工会\n"
        "17,研讨,2019-9-3,学习,本级\n"
        "20,宣讲,2019-9-4,宣讲培训,本级\n"
        "37,,,,\n",
        encoding="utf-8",
    )
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"],
        ["4", "accepted", "ok"],
        ["5", "rejected", "total_row"],
    ]
    assert unit_row(t, "北京燕房物流有限公司工会")["participants"] == "37"


def test_work_item_inferred_without_an_item_column_names_the_form_column(raw):
    """No 工作类别 column: the item inferred from 活动形式 (column C) is warned at C."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-07-02"],
        ["基层工会名称", "活动日期", "活动方式", "参加人数"],
        ["长阳镇卫生院工会", "2019-06-11", "劳动竞赛", 20],
    ])  # fmt: skip
    t = run(raw)
    said = t["issues"].loc[t["issues"]["code"] == "work_item_inferred"]
    assert said[["row", "column"]].values.tolist() == [["3", "C"]]
    assert t["rows"]["work_item"].tolist() == ["implementation"]


def test_a_figure_written_with_gongji_in_a_leading_column_is_no_total(raw):
    """参加人数 as column A holding 共计69人次: the row names a union and a date, so it is an
    activity of 69 (as 共3场宣讲 in its title would be); the bare 共计99人次 row with
    nothing else is the total. Activities 2, participants 69 + 30 = 99."""
    (raw / "submissions" / "区教委.csv").write_text(
        "填报单位：区教委工会,,,填报日期：2019-07-02\n"
        "参加人数,基层工会名称,活动日期,工作类别\n"
        "共计69人次,房山区实验中学工会,2019年05月28日,学习\n"
        "30,区教委机关工会,2019年05月29日,学习\n"
        "共计99人次,,,\n",
        encoding="utf-8",
    )
    t = run(raw)
    assert t["rows"][["row", "state", "reason", "participants"]].values.tolist() == [
        ["3", "accepted", "ok", "69"],
        ["4", "accepted", "ok", "30"],
        ["5", "rejected", "total_row", ""],
    ]
    unit = unit_row(t, "区教委工会")
    assert (unit["activities"], unit["participants"], unit["units_covered"]) == ("2", "99", "2")


def test_a_figure_written_with_gongji_in_a_table_without_union_column(raw):
    """A direct union's table without a union column: 共计59人次 under 参加人数 (column A)
    on a dated row is its 本级 activity of 59; the undated 共计72人 row is the total.
    Activities 2, participants 59 + 13 = 72."""
    write_xlsx(raw / "submissions" / "燕房.xlsx", [
        ["报送单位", None, "北京燕房物流有限公司工会", None, "填报时间", "2020.1.1"],
        ["参加人数（人）", "举办时间", "工作类别"],
        ["共计59人次", "2019年10月11日", "宣传"],
        ["13人", "20191223", "落实"],
        ["共计72人", None, None],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "state", "reason", "participants"]].values.tolist() == [
        ["3", "accepted", "ok", "59"],
        ["4", "accepted", "ok", "13"],
        ["5", "rejected", "total_row", ""],
    ]
    unit = unit_row(t, "北京燕房物流有限公司工会")
    assert (unit["activities"], unit["participants"]) == ("2", "72")


def test_date_in_year_month_day_columns_written_with_their_units(raw):
    """年 | 月 | 日 cells written 2019年 | 6月 | 13日 (or 6月 | 14 without a year) are one
    date; a pre-filled row with only 无 under 年 is no activity, not an unreadable date."""
    path = write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-07-02"],
        ["基层工会名称", "活动日期", None, None, "工作类别", "参加人数"],
        [None, "年", "月", "日", None, None],
        ["长阳镇卫生院工会", "2019年", "6月", "13日", "学习", 13],
        ["长阳镇卫生院工会", None, "6月", 14, "学习", 14],
        ["长阳镇卫生院工会", 2019, "6", 12, "学习", 12],
        ["长阳镇第一小学工会", "无", None, None, None, None],
    ])  # fmt: skip
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    ws.merge_cells("B2:D2")
    for c in "AEF":
        ws.merge_cells(f"{c}2:{c}3")
    wb.save(path)
    t = run(raw)
    assert t["rows"][["row", "state", "reason", "date"]].values.tolist() == [
        ["4", "accepted", "ok", "2019-06-13"],
        ["5", "accepted", "ok", "2019-06-14"],
        ["6", "accepted", "ok", "2019-06-12"],
        ["7", "rejected", "no_activity", ""],
    ]


def test_union_above_beside_the_union_does_not_start_a_second_table(raw):
    """序号 | 活动名称 | 方式 | 活动日期 | 所属工会 | 基层工会 | 参加人数 | 工作类别: the
    activity is the 基层工会's, read once (1 activity, 17), not once more as a table
    made of 基层工会, 参加人数 and 工作类别 beside an undated 本级 one."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-07-02"],
        ["序号", "活动名称", "方式", "活动日期", "所属工会", "基层工会", "参加人数", "工作类别"],
        [1, "学习", "知识竞赛", "2019-06-11", "长阳镇总工会", "长阳镇卫生院工会", 17, "宣讲培训"],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][
        ["row", "state", "grassroots_unit", "date", "participants"]
    ].values.tolist() == [["3", "accepted", "长阳镇卫生院工会", "2019-06-11", "17"]]
    unit = unit_row(t, "长阳镇总工会")
    assert (unit["activities"], unit["participants"], unit["units_covered"]) == ("1", "17", "1")
