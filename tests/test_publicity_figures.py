"""Publicity figures: per round and cumulative, the sentence, chart, sheet and briefing."""

from __future__ import annotations

import pandas as pd
from conftest import write_xlsx

SMALL = "长阳镇第一小学工会"
CLINIC = "长阳镇卫生院工会"


def _pub(*records: tuple) -> pd.DataFrame:
    """publicity.csv rows as read back: (unit, kind, union, output, round, count, cumulative,
    state, reason)."""
    columns = ["reporting_unit", "kind", "grassroots_unit", "output", "round", "count",
               "cumulative", "state", "reason"]  # fmt: skip
    frame = pd.DataFrame(records, columns=columns).astype(str)
    return frame.assign(file="f.xlsx", sheet="宣传", row="2")


TOWN, SYSTEM = "长阳镇总工会", "区教委工会"
FIGURE_ROWS = _pub(
    # 长阳镇, union 第一小学: per round 3 in r1; a cumulative sheet in r2 (6 + 4 articles
    # named twice, 文章 and 评论); per round 2 in r3.
    (TOWN, "town", SMALL, "wechat", "r1", "3", "False", "accepted", "ok"),
    (TOWN, "town", SMALL, "wechat", "r2", "6", "True", "accepted", "ok"),
    (TOWN, "town", SMALL, "wechat", "r2", "4", "True", "accepted", "ok"),
    (TOWN, "town", SMALL, "wechat", "r3", "2", "False", "accepted", "ok"),
    # 区教委 itself: cumulative 5 in r1, 8 in r2, nothing in r3: 8, never 5 + 8.
    (SYSTEM, "system", "", "wechat", "r1", "5", "True", "accepted", "ok"),
    (SYSTEM, "system", "", "wechat", "r2", "8", "True", "accepted", "ok"),
    (SYSTEM, "system", "", "briefs", "r2", "4", "False", "accepted", "ok"),
    # Not counted: missing, total row, a superseded file, an unknown round.
    (SYSTEM, "system", "", "briefs", "r2", "", "False", "accepted", "publicity_count_unreadable"),
    (SYSTEM, "system", "", "briefs", "r2", "", "False", "rejected", "total_row"),
    (SYSTEM, "system", "", "briefs", "r2", "90", "False", "superseded", "superseded:g.xlsx"),
    (SYSTEM, "system", "", "briefs", "", "7", "False", "accepted", "ok"),
    # Implausible: listed as written, left out of the briefing's totals (which say so).
    (TOWN, "town", CLINIC, "briefs", "r2", "5000", "False", "accepted",
     "publicity_count_implausible"),
)  # fmt: skip


def test_publicity_by_round_takes_latest_cumulative_total_never_their_sum(campaign):
    from analysis.publicity_figures import publicity_by_round

    table = publicity_by_round(FIGURE_ROWS, campaign, plausible_only=True)
    wechat = table[table["output"] == "wechat"].set_index(["level", "group", "round"])
    got = {k: (v["count"], v["to_date"]) for k, v in wechat.iterrows()}
    assert got == {
        ("district", "全区", "r1"): (8, 8),
        ("district", "全区", "r2"): (10, 18),
        ("district", "全区", "r3"): (2, 20),
        ("kind", "town", "r1"): (3, 3),
        ("kind", "town", "r2"): (7, 10),
        ("kind", "town", "r3"): (2, 12),
        ("kind", "system", "r1"): (5, 5),
        ("kind", "system", "r2"): (3, 8),
        ("kind", "system", "r3"): (0, 8),
        ("reporting_unit", TOWN, "r1"): (3, 3),
        ("reporting_unit", TOWN, "r2"): (7, 10),
        ("reporting_unit", TOWN, "r3"): (2, 12),
        ("reporting_unit", SYSTEM, "r1"): (5, 5),
        ("reporting_unit", SYSTEM, "r2"): (3, 8),
        ("reporting_unit", SYSTEM, "r3"): (0, 8),
    }
    briefs = table[(table["output"] == "briefs") & (table["level"] == "district")]
    assert briefs[["round", "count", "to_date"]].values.tolist() == [
        ["r1", 0, 0], ["r2", 4, 4], ["r3", 0, 4],
    ]  # fmt: skip
    every = publicity_by_round(FIGURE_ROWS, campaign)
    briefs = every[(every["output"] == "briefs") & (every["level"] == "district")]
    assert briefs["to_date"].tolist() == [0, 5004, 5004]


def test_publicity_sentence_names_every_output_and_what_was_left_out(campaign):
    import datetime as dt

    from analysis.publicity_figures import publicity_sentence

    assert publicity_sentence(FIGURE_ROWS, campaign, "r2", dt.date(2019, 9, 30)) == (
        "截至2019年9月30日，全区共编发简报4期、微信推送18条（据2个单位报送的宣传成果统计，"
        "累计数取各单位最新累计值；另有1个数量远超单位规模（合计5000），未计入上述合计，请核对）。"
    )
    assert publicity_sentence(FIGURE_ROWS, campaign, "r1").startswith(
        "截至第一阶段末，全区共微信推送8条（据2个单位"
    )
    assert publicity_sentence(FIGURE_ROWS.iloc[:0], campaign, "r2") == ""


def test_the_publicity_sheet_says_what_it_left_out(campaign, tmp_path):
    from types import SimpleNamespace

    from openpyxl import Workbook

    from analysis.exports import workbook
    from analysis.publicity_figures import implausible_note

    assert implausible_note(FIGURE_ROWS, campaign, "r1") == ""  # the 5000 is in r2
    note = implausible_note(FIGURE_ROWS, campaign, "r2")
    assert note == (
        "注：另有1个数量远超单位规模（合计5000），未计入上表，请核对（见数据明细的问题清单）。"
    )
    figures = SimpleNamespace(publicity=FIGURE_ROWS, campaign=campaign, round_code="r2",
                              round_name="第二阶段")  # fmt: skip
    wb = Workbook()
    workbook._publicity_sheet(wb, figures, "说明")
    texts = [c.value for row in wb["宣传成果"].iter_rows() for c in row if c.value]
    assert texts[-1] == note  # under the table, after its last row


def test_the_briefing_works_out_its_publicity_tables_once_and_saves_them(campaign, tmp_path):
    from types import SimpleNamespace

    from analysis import publicity_figures as publicity
    from analysis.figures import load_saved, save

    figures = SimpleNamespace(publicity=FIGURE_ROWS, campaign=campaign, round_code="r2",
                              publicity_when="截至2019年9月30日")  # fmt: skip
    tables = publicity.figures_tables(figures)
    for plausible_only in (False, True):
        expected = publicity.publicity_by_round(FIGURE_ROWS, campaign, plausible_only)
        pd.testing.assert_frame_equal(tables[plausible_only], expected)
        assert publicity.briefing_figures(figures, plausible_only) is tables[plausible_only]
    assert publicity.figures_tables(figures) is tables  # kept, not worked out again
    # The sentence and the sheet's note read the same figures with or without them.
    assert publicity.briefing_sentence(figures) == publicity.publicity_sentence(
        FIGURE_ROWS, campaign, "r2", when="截至2019年9月30日"
    )
    assert publicity.implausible_note(FIGURE_ROWS, campaign, "r2", tables) == (
        publicity.implausible_note(FIGURE_ROWS, campaign, "r2")
    )
    # Saved with the figures, for the processes that read them back.
    loaded = load_saved(save(figures, tmp_path / "figures.pkl"))["figures"]
    pd.testing.assert_frame_equal(loaded.publicity_tables[True], tables[True])
    assert publicity.figures_tables(SimpleNamespace(publicity=None)) == {}


def test_publicity_tables_are_not_carried_over_by_dataclasses_replace():
    # A copy with other publicity rows (dataclasses.replace) starts without tables.
    import dataclasses

    from analysis.figures import Figures

    assert "publicity_tables" not in {f.name for f in dataclasses.fields(Figures) if f.init}


def test_publicity_finding_and_chart(campaign):
    import matplotlib.pyplot as plt

    from analysis.publicity_figures import publicity_bars, publicity_by_round, publicity_finding

    table = publicity_by_round(FIGURE_ROWS, campaign, plausible_only=True)
    # 微信 18: 长阳镇 10 of them (56%).
    assert (
        publicity_finding(table, campaign, "r2")
        == "全区共微信推送18条、编发简报4期，微信中乡镇占56%"
    )
    fig, ax = plt.subplots()
    doubtful = pd.Series({"briefs": 5000.0})
    assert publicity_bars(table, campaign, "r2", ax=ax, doubtful=doubtful) is ax
    assert ax.get_title() == publicity_finding(table, campaign, "r2")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["微信（条）", "简报信息（期）"]
    widths = sorted((p.get_width(), p.get_facecolor()[:3]) for p in ax.patches)
    assert [w for w, _ in widths if w] == [4, 8, 10]  # 区教委 4 briefs and 8 posts, 长阳镇 10
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["18", "4（另有5000远超单位规模，待核对，未计入）"]
    plt.close(fig)


def test_sheet_frame_is_district_kinds_and_units_to_date(campaign):
    from analysis.publicity_figures import publicity_by_round, sheet_frame

    table = publicity_by_round(FIGURE_ROWS, campaign, plausible_only=True)
    frame = sheet_frame(table, campaign, "r3")
    assert list(frame.columns) == ["单位", "类别", "简报信息（期）", "微信（条）"]
    assert frame.values.tolist() == [
        ["全区", "", 4, 20],
        ["乡镇合计", "乡镇", None, 12],  # no brief reported: blank, not 0
        ["系统合计", "系统", 4, 8],
        [TOWN, "乡镇", None, 12],
        [SYSTEM, "系统", 4, 8],
    ]
    assert sheet_frame(table.iloc[:0], campaign, "r3").empty


def test_briefing_shows_publicity_chart_slide_sheet_and_sentence(
    tmp_path, small_roster_rows, monkeypatch
):
    from openpyxl import Workbook, load_workbook
    from pptx import Presentation

    from analysis import briefing, charts

    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "活动"
    for row in (
        ["填报单位：长阳镇总工会", None, None, "报送期次：第一阶段"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, SMALL, "2019-06-03", "切实抓好学习", "讨论会", 30],
    ):
        ws.append(row)
    counts = wb.create_sheet("宣传成果统计")
    for row in (["基层工会名称", "简报（期）", "微信（条）"], [SMALL, 2, 9], [CLINIC, 1, 3]):
        counts.append(row)
    (raw / "submissions").mkdir(parents=True)
    wb.save(raw / "submissions" / "长阳镇.xlsx")
    monkeypatch.setattr(briefing, "execute_notebooks", lambda folder, parameters: [])
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    assert briefing.run(raw, tmp_path / "out", tmp_path / "reports") == 0
    folder = next((tmp_path / "reports").iterdir())
    assert (folder / "charts" / "07_publicity.png").exists()
    deck = Presentation(str(folder / "情况通报.pptx"))
    assert len(deck.slides) == 3 + 7
    title = "全区共微信推送12条、编发简报3期"
    assert deck.slides[-1].shapes.title.text_frame.text == title
    sheet = load_workbook(folder / "通报表.xlsx")["宣传成果"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=6)]
    assert values == [
        ["序号", "单位", "类别", "简报信息（期）", "微信（条）"],
        [1, "全区", None, 3, 12],
        [2, "乡镇合计", "乡镇", 3, 12],
        [3, "长阳镇总工会", "乡镇", 3, 12],
    ]
    text = (folder / "情况通报.txt").read_text("utf-8")
    assert "全区共编发简报3期、微信推送12条（据1个单位报送的宣传成果统计" in text


def test_what_is_left_out_is_what_the_totals_would_add_never_a_sum_of_running_totals(campaign):
    """Implausible running totals 500 (by r1) and 600 (by r2) of one union: one count of 600
    left out, as chart 07 hatches it (the note said 2 counts, 1,100)."""
    from analysis.publicity_figures import implausible_note, publicity_sentence

    rows = _pub(
        (TOWN, "town", SMALL, "wechat", "r1", "500", "True", "accepted",
         "publicity_count_implausible"),
        (TOWN, "town", SMALL, "wechat", "r2", "600", "True", "accepted",
         "publicity_count_implausible"),
        (TOWN, "town", CLINIC, "wechat", "r2", "10", "True", "accepted", "ok"),
    )  # fmt: skip
    assert implausible_note(rows, campaign, "r2") == (
        "注：另有1个数量远超单位规模（合计600），未计入上表，请核对（见数据明细的问题清单）。"
    )
    assert "另有1个数量远超单位规模（合计600）" in publicity_sentence(rows, campaign, "r2")
    assert implausible_note(rows, campaign, "r1").startswith(
        "注：另有1个数量远超单位规模（合计500）"
    )


def test_a_federations_own_running_total_replaces_the_unions_it_listed_before(campaign):
    """r1: per union, 3 + 4 WeChat posts; r2: the town's own running total 10 (a long table
    without unions, “截至9月底累计”): 10 to date, never 3 + 4 + 10."""
    from analysis.publicity_figures import at_round, publicity_by_round

    rows = _pub(
        (TOWN, "town", SMALL, "wechat", "r1", "3", "False", "accepted", "ok"),
        (TOWN, "town", CLINIC, "wechat", "r1", "4", "False", "accepted", "ok"),
        (TOWN, "town", "", "wechat", "r2", "10", "True", "accepted", "ok"),
        (TOWN, "town", SMALL, "wechat", "r3", "2", "False", "accepted", "ok"),
        # 区教委 lists its union's running total beside its own: both stand.
        (SYSTEM, "system", "", "wechat", "r2", "5", "True", "accepted", "ok"),
        (SYSTEM, "system", "区教委机关工会", "wechat", "r1", "1", "False", "accepted", "ok"),
        (SYSTEM, "system", "区教委机关工会", "wechat", "r2", "6", "True", "accepted", "ok"),
    )  # fmt: skip
    table = publicity_by_round(rows, campaign)
    town = table[(table["level"] == "reporting_unit") & (table["group"] == TOWN)]
    assert town[["round", "count", "to_date"]].values.tolist() == [
        ["r1", 7, 7], ["r2", 3, 10], ["r3", 2, 12],
    ]  # fmt: skip
    system = table[(table["level"] == "reporting_unit") & (table["group"] == SYSTEM)]
    assert system["to_date"].tolist() == [1, 11, 11]
    assert at_round(table, "r2")["to_date"].tolist() == [21]


def test_publicity_sentence_says_how_running_totals_were_taken_only_when_there_are_some(campaign):
    from analysis.publicity_figures import publicity_sentence

    per_round = FIGURE_ROWS[FIGURE_ROWS["cumulative"] == "False"].iloc[:1]  # 长阳镇's 3 in r1
    assert publicity_sentence(per_round, campaign, "r1") == (
        "截至第一阶段末，全区共微信推送3条（据1个单位报送的宣传成果统计）。"
    )
    assert "累计数取各单位最新累计值" in publicity_sentence(FIGURE_ROWS, campaign, "r1")
