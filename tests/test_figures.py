"""The figures model: one ranking with ties, the direct unions as a group, thresholds
computed once, and every output (chart 01, the 通报表, the prose, the deck) saying the
same thing. The district is written out below; every expected value is counted by hand.

Reporting units and their grassroots unions (covered = has an accepted activity):

    town    琉璃河镇总工会  4 unions, 3 covered  75.0%   } tied: 并列第一 among towns,
    town    长阳镇总工会    4 unions, 3 covered  75.0%   } and 并列最高 overall
    town    窦店镇总工会    3 unions, 1 covered  33.3%   below 50%
    system  区教委工会      2 unions, 1 covered  50.0%   not below 50% (the boundary)
    system  区卫健委工会    3 unions, 0 covered   0.0%   below 50%, the lowest
    direct  six unions, each its own reporting unit: 4 at 100%, 2 at 0%

District: 22 unions, 12 covered (54.5%). Round r2 is reported; the previous round r1
ended with only 长阳镇's first union covered.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from analysis import charts, coverage, figures, style
from analysis.exports import slides, workbook
from analysis.figures import HIGH, LOW, rank_units
from analysis.formats import shown_pct
from analysis.narrative import briefing_text
from analysis.roster import roster_from_grid

LL, CY, DD = "琉璃河镇总工会", "长阳镇总工会", "窦店镇总工会"
JW, WJ = "区教委工会", "区卫健委工会"
DIRECT_COVERED = ["北京甲公司工会", "北京乙公司工会", "北京丙公司工会", "北京丁公司工会"]
DIRECT_NOT = ["北京己公司工会", "北京戊公司工会"]  # in name order (己 U+5DF1, 戊 U+620A)
# (reporting unit, kind, unions, covered)
UNITS = [(LL, "乡镇", 4, 3), (CY, "乡镇", 4, 3), (DD, "乡镇", 3, 1), (JW, "系统", 2, 1),
         (WJ, "系统", 3, 0)]  # fmt: skip


def _district():
    """(roster, ledger rows, submissions) of the module docstring's district."""
    grid = [["基层工会名称", "上级工会", "类别", "会员人数"]]
    rows = []
    for parent, kind, total, covered in UNITS:
        for i in range(total):
            name = f"{parent.removesuffix('总工会').removesuffix('工会')}第{i + 1}工会"
            grid.append([name, parent, kind, 10])
            if i < covered:
                # 长阳镇's first union was covered in round 1, everything else in round 2
                early = parent == CY and i == 0
                rows.append((name, parent, "2019-06-10" if early else "2019-08-01"))
    for name in DIRECT_COVERED + DIRECT_NOT:
        grid.append([name, "", "直属", 10])
        if name in DIRECT_COVERED:
            rows.append((name, name, "2019-08-01"))
    roster = roster_from_grid(grid, 0, {"unit": 0, "parent": 1, "kind": 2, "members": 3}, "名册")
    ledger = pd.DataFrame(
        {
            "file": [f"{unit}.xlsx" for _, unit, _ in rows],
            "sheet": "Sheet1",
            "row": range(2, len(rows) + 2),
            "state": "accepted",
            "reason": "ok",
            "grassroots_unit": [name for name, _, _ in rows],
            "reporting_unit": [unit for _, unit, _ in rows],
            "work_item": "study",
            "date": [day for _, _, day in rows],
            "participants": 20.0,
            "round": ["r1" if day < "2019-07-01" else "r2" for _, _, day in rows],
            "form": "讨论会",
            "counted_for": "",
        }
    )
    submissions = (
        ledger.drop_duplicates("file")
        .loc[:, ["file", "reporting_unit", "round"]]
        .assign(report_date="2019-10-08", state="current", kind="")
    )
    return roster, ledger, submissions


@pytest.fixture(scope="module")
def district_figures(campaign) -> figures.Figures:
    roster, rows, submissions = _district()
    tables = {
        "rows": rows,
        "submissions": submissions,
        **coverage.compute_tables(roster, rows, submissions, campaign),
    }
    return figures.compute(campaign, roster, tables)


REPORT_ORDER = [LL, CY, DD, JW, WJ, *sorted(DIRECT_COVERED), *sorted(DIRECT_NOT)]


def test_ranking_ties_share_a_rank_and_direct_unions_are_not_ranked(district_figures):
    r = district_figures.ranking
    assert r["group"].tolist() == REPORT_ORDER
    assert r["rank"].tolist()[:5] == [1, 1, 3, 1, 2]
    assert r["rank"].iloc[5:].isna().all()
    assert r["tied"].tolist()[:5] == [True, True, False, False, False]
    assert r["band"].tolist() == ["", "", LOW, "", LOW] + [""] * 6
    # Previous round: only 长阳镇 had a union covered (25%); the others tied at 0%.
    assert r["rank_prev"].tolist()[:5] == [2, 1, 2, 1, 1]
    assert r["rank_change"].tolist()[:5] == [1, 0, -1, 0, -1]
    assert r["units_covered_new"].tolist()[:5] == [3, 2, 1, 1, 0]


def test_facts_name_ties_thresholds_and_the_direct_group(district_figures):
    f = district_figures
    assert f.round_code == "r2" and f.as_of == dt.date(2019, 8, 1)
    assert (f.highest.names, f.highest.value) == ((LL, CY), 0.75)
    assert (f.lowest.names, f.lowest.value) == ((WJ,), 0.0)
    assert f.below_low == [DD, WJ] and f.at_high == []
    assert (f.direct.total, f.direct.covered, f.direct.not_covered) == (6, 4, tuple(DIRECT_NOT))
    assert (f.most_new.names, f.most_new.value) == ((LL,), 3)


def test_chart_prose_workbook_and_deck_say_the_same(district_figures, tmp_path, monkeypatch):
    f = district_figures
    # Chart 01: the ranking's order, the six direct unions folded into one bar.
    with style.house_style():
        ax = charts.unit_coverage_bars(f.coverage, ranking=f.ranking)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [LL, CY, DD, JW, WJ, "直属基层工会合计"]
    grey = pd.Series([p.get_facecolor() for p in ax.patches]).map(
        lambda c: c == charts.plt.matplotlib.colors.to_rgba(charts.LIGHT_GREY)
    )
    assert [label for label, g in zip(labels, grey, strict=True) if g] == f.below_low
    assert "67%（4家已开展，2家未开展）" in [t.get_text() for t in ax.texts]
    assert ax.get_xlabel() == "基层工会覆盖率（浅灰：低于50%，共2个单位）"
    charts.plt.close("all")

    # The prose: the same tie, the same two units below 50%, the same direct group.
    text = briefing_text(f)
    assert text[2] == "分类别看，直属覆盖率最高（66.7%），系统最低（20.0%）。"
    assert text[3] == (
        "分单位看，琉璃河镇总工会、长阳镇总工会并列最高（75.0%）；"
        "2个单位覆盖率低于50%，其中区卫健委工会最低（0.0%）。"
    )
    assert (
        text[4] == "直属基层工会6家，已开展活动4家，尚未开展2家：北京己公司工会、北京戊公司工会。"
    )
    assert text[5] == (
        "与第一阶段末相比，全区覆盖率提高50.0个百分点，新增覆盖基层工会11家，"
        "琉璃河镇总工会新增最多（3家）。"
    )

    # The 通报表: the same order, tied ranks read 并列1, red cells = the units below 50%.
    path = workbook.write_workbook(f, tmp_path / "通报表.xlsx")
    ws = load_workbook(path)["通报表"]
    units = [r for r in ws.iter_rows(min_row=4) if isinstance(r[0].value, int)]
    assert [r[1].value for r in units] == REPORT_ORDER
    assert [r[12].value for r in units] == [1, 1, 3, 1, 2] + [None] * 6
    assert [r[12].number_format for r in units[:3]] == [workbook.TIED_RANK_FORMAT] * 2 + ["General"]
    red = [
        r[1].value
        for r in units
        if r[5].fill.fill_type and r[5].fill.start_color.rgb.endswith("FFC7CE")
    ]
    assert red == f.below_low
    assert not ws.conditional_formatting  # shading is the figures' set, not a rule of its own

    # The deck: the main-points slide shows the figures' findings (the same two units
    # below 50%, the lowest named), chart 01's finding as a title.
    monkeypatch.setattr(charts, "PNG_DPI", 30)
    files = charts.render_all(f, tmp_path / "charts")
    deck = Presentation(str(slides.write_deck(f, files, tmp_path / "deck.pptx", text)))
    boxes = [s.text_frame.text for s in deck.slides[2].shapes if s.has_text_frame][1:]
    assert list(zip(boxes[::2], boxes[1::2], strict=True)) == f.findings()
    assert ("2个", "单位覆盖率低于50%，区卫健委工会最低") in f.findings()
    assert deck.slides[3].shapes.title.text_frame.text == files[0].title
    assert files[0].title == "全区基层工会覆盖率达54.5%，直属领先、系统偏低"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(11 / 12, 91.7), (0.9174, 91.7), (0.49996, 50.0), (0.4994, 49.9), (float("nan"), np.nan)],
)
def test_shown_pct_is_the_printed_percentage(value, shown):
    assert shown_pct(value) == pytest.approx(shown, nan_ok=True)


def _coverage(records: list[tuple]) -> pd.DataFrame:
    """Reporting-unit coverage rows from (kind, group, units_total, units_covered, members_covered)."""
    frame = pd.DataFrame.from_records(
        records, columns=["kind", "group", "units_total", "units_covered", "members_covered"]
    )
    return frame.assign(
        level="reporting_unit",
        unit_coverage=lambda d: (d["units_covered"] / d["units_total"]).where(d["units_total"] > 0),
        members_total=100,
        member_coverage=lambda d: d["members_covered"] / 100,
        activities=1,
        participants=1,
    )


def test_rank_units_ties_on_the_printed_figure_and_puts_empty_units_last():
    table = _coverage(
        [
            ("town", "甲镇", 12, 11, 10),  # 91.67% -> 91.7%
            ("town", "乙镇", 1090, 1000, 90),  # 91.74% -> 91.7%: printed the same, tied
            ("town", "丙镇", 0, 0, 0),  # no unions: last, no band
            ("town", "丁镇", 10, 10, 5),
            ("system", "乙局", 4, 2, 30),  # 50.0%: not below 50%
            ("system", "甲局", 10000, 4999, 30),  # 49.99% -> 50.0%: printed 50.0%, tied
        ]
    )
    ranked = rank_units(table)
    assert ranked[["group", "rank", "tied", "band"]].values.tolist() == [
        ["丁镇", 1, False, HIGH],
        ["乙镇", 2, True, HIGH],  # ties listed by name: 乙 U+4E59 before 甲 U+7532
        ["甲镇", 2, True, HIGH],
        ["丙镇", 4, False, ""],
        ["乙局", 1, True, ""],
        ["甲局", 1, True, ""],
    ]


def test_rank_change_only_where_the_rank_changed():
    previous = _coverage([("town", "甲镇", 10, 1, 0), ("town", "乙镇", 10, 1, 0),
                          ("town", "丙镇", 10, 3, 0)])  # fmt: skip
    current = _coverage([("town", "甲镇", 10, 6, 0), ("town", "乙镇", 10, 4, 0),
                         ("town", "丙镇", 10, 4, 0)])  # fmt: skip
    ranked = rank_units(current, previous).set_index("group")
    # before: 丙 1, 甲 and 乙 tied 2; now: 甲 1, 乙 and 丙 tied 2
    assert ranked["rank_prev"].to_dict() == {"甲镇": 2, "乙镇": 2, "丙镇": 1}
    assert ranked["rank_change"].to_dict() == {"甲镇": 1, "乙镇": 0, "丙镇": -1}
    assert ranked.loc["甲镇", "change"] == pytest.approx(50.0)
    assert ranked["units_covered_new"].to_dict() == {"甲镇": 5, "乙镇": 3, "丙镇": 1}


def test_saved_figures_read_back_equal(district_figures, tmp_path):
    path = figures.save(district_figures, tmp_path / "figures.pkl")
    back = figures.load_saved(path)["figures"]
    pd.testing.assert_frame_equal(back.ranking, district_figures.ranking)
    assert back.below_low == district_figures.below_low


def test_compute_fills_in_coverage_only_when_the_ingest_wrote_none(district_figures, campaign):
    roster, rows, submissions = _district()
    alone = figures.compute(campaign, roster, {"rows": rows, "submissions": submissions})
    pd.testing.assert_frame_equal(alone.coverage, district_figures.coverage)
    assert alone.below_low == [DD, WJ]


# --------------------------------------------------------------------------- not yet due

# Round r2 is due 2019-10-10. Reports received (填报日期): 琉璃河镇 09-20, 窦店镇 09-25,
# 北京甲公司工会 09-28, 区教委 10-08. Eleven reporting units (5 + 6 direct).
R2_REPORTS = [(LL, "2019-09-20"), (DD, "2019-09-25"), ("北京甲公司工会", "2019-09-28"),
              (JW, "2019-10-08")]  # fmt: skip


def _figures_as_of(campaign, day: str) -> figures.Figures:
    roster, rows, _ = _district()
    submissions = pd.DataFrame(
        {
            "file": [f"r2/{unit}.xlsx" for unit, _ in R2_REPORTS],
            "reporting_unit": [unit for unit, _ in R2_REPORTS],
            "round": "r2",
            "report_date": [d for _, d in R2_REPORTS],
            "state": "current",
            "kind": "",
        }
    )
    as_of = dt.date.fromisoformat(day)
    tables = {
        "rows": rows,
        "submissions": submissions,
        **coverage.compute_tables(roster, rows, submissions, campaign, as_of),
    }
    return figures.compute(campaign, roster, tables, as_of=as_of, round_code="r2")


def test_before_the_deadline_units_without_a_report_are_not_yet_due(campaign):
    f = _figures_as_of(campaign, "2019-09-30")
    # By 09-30: 3 reports arrived (区教委's is dated 10-08), 8 units still have time.
    r2 = f.status[f.status["round"] == "r2"]
    assert r2["status"].value_counts().to_dict() == {"pending": 8, "on_time": 3}
    assert f.before_deadline and f.not_reported.empty
    assert len(f.pending) == 8 and LL not in f.pending and JW in f.pending
    fact = "第二阶段截止10月10日，截至9月30日已报送3个"
    assert f.reporting_fact() == fact
    assert charts.chart_title(f, "04_reporting_status") == fact
    sentences = briefing_text(f)
    assert sentences[1] == fact + "，其余8个单位未到截止日期。"
    assert not any("报送率" in s or "未报送" in s for s in sentences)
    rows = {label: (value, note) for label, value, note in f.key_figures()}
    assert rows["本期已报送"] == ("3个", "截止10月10日，8个单位未到截止日期")
    assert rows["未报送单位"] == ("—", "未到截止日期")
    assert rows["开展活动"][0] == "12次"
    # r1 (due 07-05) is past: nobody sent it, all 11 are 未报送 there.
    assert (f.status.loc[f.status["round"] == "r1", "status"] == "missing").all()


def test_a_deadline_in_the_next_year_is_written_with_its_year(campaign):
    """第三阶段 is due 2020-01-10: as of 2019-10-20 the prose must not say 截止1月10日,
    which reads as a day already past."""
    roster, rows, _ = _district()
    submissions = pd.DataFrame(
        {"file": ["r3/a.xlsx"], "reporting_unit": [CY], "round": ["r3"],
         "report_date": ["2019-10-15"], "state": ["current"], "kind": [""]}
    )  # fmt: skip
    as_of = dt.date(2019, 10, 20)
    tables = {
        "rows": rows,
        "submissions": submissions,
        **coverage.compute_tables(roster, rows, submissions, campaign, as_of),
    }
    f = figures.compute(campaign, roster, tables, as_of=as_of, round_code="r3")
    assert f.before_deadline
    assert f.reporting_fact() == "第三阶段（总结）截止2020年1月10日，截至10月20日已报送1个"
    rows_ = {label: note for label, _, note in f.key_figures()}
    assert rows_["本期已报送"].startswith("截止2020年1月10日，")
    assert f.not_yet_due_sentence().startswith("第三阶段（总结）截止2020年1月10日，截至10月20日")


def test_after_the_deadline_units_without_a_report_are_not_reported(campaign):
    f = _figures_as_of(campaign, "2019-10-11")
    assert not f.before_deadline and f.pending == []
    # 4 of 11 reported (区教委's 10-08 report counts now); 7 have not.
    direct = ["北京丁公司工会", "北京丙公司工会", "北京乙公司工会", *DIRECT_NOT]  # by name
    assert f.not_reported["reporting_unit"].tolist() == [CY, WJ, *direct]
    assert f.reporting_fact() == "第二阶段报送率36.4%，按时报送率36.4%，7个单位未报送"
    assert briefing_text(f)[1].startswith(
        "第二阶段应报送单位11个，已报送4个，报送率36.4%，按时报送率36.4%；尚未报送："
    )
    rows = {label: (value, note) for label, value, note in f.key_figures()}
    assert rows["本期报送率"][0] == "36.4%" and rows["未报送单位"] == ("7个", "")


def test_not_yet_due_units_are_listed_apart_in_the_workbook(campaign, tmp_path):
    f = _figures_as_of(campaign, "2019-09-30")
    path = workbook.write_workbook(f, tmp_path / "通报表.xlsx")
    wb = load_workbook(path)
    missing = wb["未报送单位"]
    assert [c.value for c in missing[3]] == ["序号", "报送单位", "类别"]  # no round column
    assert missing.cell(row=4, column=1).value == "（无）"
    pending = wb["未到截止日期"]
    assert pending.cell(row=1, column=1).value.startswith(
        "第二阶段尚未报送、未到截止日期（10月10日）"
    )
    names = [pending.cell(row=r, column=2).value for r in range(4, 12)]
    assert names == f.pending and len(names) == 8 and JW in names
    assert (
        f.not_yet_due_sentence()
        == "第二阶段截止10月10日，截至9月30日尚有8个单位未报送，均未到截止日期。"
    )
    after = workbook.write_workbook(_figures_as_of(campaign, "2019-10-11"), tmp_path / "b.xlsx")
    assert "未到截止日期" not in load_workbook(after).sheetnames


def test_findings_are_few_short_sentences_each_with_its_number(campaign):
    f = _figures_as_of(campaign, "2019-09-30")
    # 12 of 22 unions covered; r1 ended with one (长阳镇's first), so 11 new, +50.0 points;
    # 窦店镇 (33.3%) and 区卫健委 (0%) below 50%; 12 activities of 20 participants each.
    assert f.findings() == [
        ("54.5%", "基层工会覆盖率：22家中12家已开展活动"),
        ("3个", "单位已报送第二阶段（10月10日截止）"),
        ("11家", "新增覆盖，覆盖率较第一阶段末提高50.0个百分点"),
        ("2个", f"单位覆盖率低于50%，{WJ}最低"),
        ("240人次", "参加活动，累计开展活动12次"),
    ]
    after = _figures_as_of(campaign, "2019-10-11").findings()
    assert after[1] == (
        "36.4%",
        "第二阶段报送率，7个单位未报送",
    )  # one decimal, as on the key-figures slide


def test_publicity_counts_of_files_dated_after_the_as_of_date_are_left_out():
    from analysis.figures import arrived_by

    publicity = pd.DataFrame({"file": ["a.xlsx", "b.xlsx", "c.xlsx"], "count": [3, 5, 7]})
    submissions = pd.DataFrame(
        {"file": ["a.xlsx", "b.xlsx", "c.xlsx"], "report_date": ["2019-07-02", "2020-01-05", None]}
    )
    kept = arrived_by(publicity, submissions, dt.date(2019, 10, 5))
    assert kept["file"].tolist() == ["a.xlsx", "c.xlsx"]  # undated: as the reporting status
    assert arrived_by(publicity, submissions, None) is publicity


def _figures_with_round3(campaign, round_code: str, as_of: str | None) -> figures.Figures:
    """The district with one more activity, in round 3 (窦店镇's second union, 10-15)."""
    roster, rows, submissions = _district()
    extra = rows.iloc[[0]].assign(
        file="r3/窦店镇总工会.xlsx", grassroots_unit="窦店镇第2工会", reporting_unit=DD,
        date="2019-10-15", round="r3",
    )  # fmt: skip
    rows = pd.concat([rows, extra], ignore_index=True)
    day = None if as_of is None else dt.date.fromisoformat(as_of)
    tables = {
        "rows": rows,
        "submissions": submissions,
        **coverage.compute_tables(roster, rows, submissions, campaign, day),
    }
    return figures.compute(campaign, roster, tables, as_of=day, round_code=round_code)


@pytest.mark.parametrize("as_of", [None, "2019-10-20"])
def test_a_past_rounds_new_coverage_is_cut_at_its_end(campaign, as_of):
    """Round 2 asked for after round 3 began: its new coverage is coverage at 09-30 (12
    of 22 unions) minus coverage at 06-30 (1), not at the as-of date (13: 窦店镇's
    second union came in round 3). Every 'new in round 2' / 较上期 says that pair."""
    f = _figures_with_round3(campaign, "r2", as_of)
    assert f.round_cut == dt.date(2019, 9, 30)
    assert int(f.district()["units_covered"]) == 13  # the headline stays at the as-of date
    assert int(f.ranking["units_covered_new"].sum()) == 11
    by_unit = f.ranking.set_index("group")
    assert (by_unit.loc[DD, "units_covered"], by_unit.loc[DD, "units_covered_new"]) == (2, 1)
    title = "第二阶段新增覆盖基层工会11家，琉璃河镇总工会新增最多（3家）"
    assert charts.chart_title(f, "06_new_coverage") == title
    assert (
        "11家",
        "第二阶段新增覆盖，第二阶段末覆盖率较第一阶段末提高50.0个百分点",
    ) in f.findings()
    assert briefing_text(f)[5] == (
        "第二阶段（截至2019年9月30日）与第一阶段末相比，全区覆盖率提高50.0个百分点，"
        "新增覆盖基层工会11家，琉璃河镇总工会新增最多（3家）。"
    )
    rows = {label: (value, note) for label, value, note in f.key_figures()}
    assert rows["基层工会覆盖率"] == ("59.1%", "第二阶段末较上期提高50.0个百分点")
    assert rows["开展活动"] == ("13次", "第二阶段末较上期增加11次")  # 12 + 窦店镇 10-15
    assert "统计截至2019年9月30日（第二阶段末）" in f.round_note


def test_the_first_rounds_new_coverage_is_cut_at_its_end_too(campaign):
    """Round 1 asked for after round 2 began: new in round 1 is coverage at 06-30 (1 union),
    not everything covered by the as-of date (13, with rounds 2 and 3)."""
    f = _figures_with_round3(campaign, "r1", "2019-10-20")
    assert f.round_cut == dt.date(2019, 6, 30)
    assert int(f.ranking["units_covered_new"].sum()) == 1
    assert charts.chart_title(f, "06_new_coverage").startswith("活动开展以来新增覆盖基层工会1家")


def test_the_latest_rounds_new_coverage_runs_to_the_as_of_date(campaign):
    """Round 2 while it is the latest begun (as of 09-30): no cut, the wording is as before."""
    f = _figures_with_round3(campaign, "r2", "2019-09-30")
    assert f.round_cut is None and f.round_end is None
    assert int(f.ranking["units_covered_new"].sum()) == 11
    assert f.key_figures()[0] == ("基层工会覆盖率", "54.5%", "较上期提高50.0个百分点")
    assert briefing_text(f)[5].startswith("与第一阶段末相比，全区覆盖率提高50.0个百分点")


def test_publicity_of_a_past_round_says_the_rounds_end(campaign):
    """Round 1's totals asked for after round 3 began hold round 1's counts: '截至第一阶段末',
    not the as-of date; the latest round's say the report date."""
    f = _figures_with_round3(campaign, "r1", "2019-12-31")
    assert f.later_round_begun and f.publicity_when == "截至第一阶段末"
    g = _figures_with_round3(campaign, "r3", None)
    assert g.status_date == dt.date(2019, 10, 8) and g.as_of == dt.date(2019, 10, 15)
    assert not g.later_round_begun and g.publicity_when == "截至2019年10月8日"


def test_with_no_dated_report_the_briefing_date_decides_what_is_due(campaign):
    """Nothing received yet, no --as-of: the briefing is dated by the activities (06-10
    and 08-01, so 08-01), round 1 (due 07-05) is past and round 2 (due 10-10) is not:
    its units are 未到截止日期, not 未报送, as they are with --as-of 08-01."""
    roster, rows, _ = _district()
    submissions = pd.DataFrame(
        columns=["file", "reporting_unit", "round", "report_date", "state", "kind"]
    )
    tables = {
        "rows": rows,
        "submissions": submissions,
        **coverage.compute_tables(roster, rows, submissions, campaign),
    }
    f = figures.compute(campaign, roster, tables, round_code="r2")
    assert f.as_of == dt.date(2019, 8, 1) and f.report_date == f.as_of
    r2 = f.status[f.status["round"] == "r2"]
    assert set(r2["status"]) == {"pending"} and len(r2) == 11
    assert f.not_reported.empty and len(f.pending) == 11
    assert (f.status.loc[f.status["round"] == "r1", "status"] == "missing").all()
    assert not any("报送率" in s for s in briefing_text(f))
