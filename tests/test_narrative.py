"""The briefing's Chinese sentences, checked word for word on the hand-made district of
test_charts.small_figures (5 of 9 unions covered, round r2, as of 2019-09-30). Ties and
thresholds on a larger district: test_figures.py."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_charts import small_figures

from analysis import narrative
from analysis.figures import rank_units


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.6823, 1, "68.2%"), (0.6823, 0, "68%"), (1.0, 1, "100.0%"), (0.0, 1, "0.0%"),
     # 四舍五入, as Excel and a Chinese report round (37/40 is 92.49999999999999 in binary)
     (37 / 40, 0, "93%"), (37 / 40, 1, "92.5%"), (0.6245, 1, "62.5%"), (0.5 / 8, 0, "6%"),
     (None, 1, "—"), (float("nan"), 1, "—")],
)  # fmt: skip
def test_fmt_pct_formats_ratios_as_percentages(value, digits, expected):
    assert narrative.fmt_pct(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.6823, "68%"), (0.685, "69%"), (0.6849, "68%"), (1.0, "100%"), (0.0, "0%"),
     # one unit of 200 missing is not everyone, one of 300 reached is not nobody
     (199 / 200, "99.5%"), (0.9996, "99.9%"), (0.996, "99.6%"), (1 / 300, "0.4%"),
     (0.0004, "0.1%"), (0.0049, "0.5%"), (0.005, "1%"), (None, "—"), (float("nan"), "—")],
)  # fmt: skip
def test_fmt_pct_whole_never_rounds_to_all_or_none(value, expected):
    from analysis.formats import fmt_pct_whole

    assert fmt_pct_whole(value) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [(0.052, "提高5.2个百分点"), (-0.1, "下降10.0个百分点"), (0.0, "持平"), (0.00001, "持平"),
     (None, "无可比数据")],
)  # fmt: skip
def test_fmt_points_says_up_down_or_level(change, expected):
    assert narrative.fmt_points(change) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3456, "3456"),
        (9_999, "9999"),
        (10_000, "1.0万"),
        (14_517, "1.5万"),
        (99_999, "10.0万"),
        (152_340, "15.2万"),
        (12.6, "13"),
        (None, "—"),
    ],
)
def test_fmt_count_uses_wan_for_large_numbers(value, expected):
    # One rule everywhere (prose, charts, deck): ten thousand or more in 万.
    assert narrative.fmt_count(value) == expected


def test_fmt_date_is_chinese_without_leading_zeros():
    assert narrative.fmt_date(dt.date(2019, 9, 3)) == "2019年9月3日"


@pytest.mark.parametrize(
    ("names", "expected"),
    [(["甲"], "甲"), (["甲", "乙"], "甲、乙"),
     (["甲", "乙", "丙", "丁", "戊", "己", "庚"], "甲、乙、丙、丁、戊等7个单位")],
)  # fmt: skip
def test_fmt_names_lists_at_most_five(names, expected):
    assert narrative.fmt_names(names) == expected


def test_briefing_text_states_reach_reporting_leaders_and_change():
    assert narrative.briefing_text(small_figures()) == [
        "截至2019年9月30日，全区9家基层工会中已有5家开展学习宣传活动，覆盖率55.6%；"
        "覆盖会员220人，占会员总数的55.0%；累计开展活动10次，参加400人次。",
        "第二阶段应报送单位4个，已报送3个，报送率75.0%，按时报送率50.0%；尚未报送：区教委工会。",
        "分类别看，直属覆盖率最高（100.0%），系统最低（0.0%）。",
        "分单位看，长阳镇总工会覆盖率最高（75.0%）；1个单位覆盖率低于50%，"
        "其中区教委工会最低（0.0%）。",
        "直属基层工会1家，已开展活动1家，全部已开展。",
        "与第一阶段末相比，全区覆盖率提高33.3个百分点，新增覆盖基层工会3家，"
        "长阳镇总工会新增最多（2家）。",
    ]


def test_briefing_text_first_round_has_no_change_sentence():
    figures = small_figures(with_previous=False)
    figures.round_code = "r1"
    status = figures.status
    figures.not_reported = status[(status["round"] == "r1") & ~status["submitted"]]
    text = narrative.briefing_text(figures)
    assert not any(s.startswith("与") for s in text)
    assert text[1] == (
        "第一阶段应报送单位4个，已报送2个，报送率50.0%，按时报送率25.0%；"
        "尚未报送：区教委工会、北京燕房物流有限公司工会。"
    )


def test_reporting_sentence_when_everyone_reported():
    figures = small_figures()
    figures.not_reported = figures.not_reported.iloc[0:0]
    assert narrative.reporting_sentence(figures).endswith("；所有单位均已报送。")


def test_units_sentence_when_no_unit_lags():
    figures = small_figures()
    cov = figures.coverage
    figures.ranking = rank_units(cov[cov["group"] != "区教委工会"])
    assert narrative.units_sentence(figures) == (
        "分单位看，长阳镇总工会覆盖率最高（75.0%），所有单位覆盖率均达到50%以上。"
    )


@pytest.mark.parametrize(
    ("unit", "sentence"),
    [
        ("区教委工会", "分单位看，区教委工会覆盖率为0.0%，低于50%。"),  # 0 of 2
        ("长阳镇总工会", "分单位看，长阳镇总工会覆盖率为75.0%。"),  # 3 of 4
    ],
)
def test_one_ranked_unit_is_neither_highest_nor_lowest(unit, sentence):
    """A district of one ranked unit (the direct union is not ranked): its coverage said
    once, not "highest" and "lowest" of itself."""
    figures = small_figures()
    cov = figures.coverage
    figures.ranking = rank_units(cov[cov["group"].isin([unit, "北京燕房物流有限公司工会"])])
    assert narrative.units_sentence(figures) == sentence
    notes = [note for _, note in figures.findings() if "低于50%" in note]
    assert all("最低" not in note for note in notes)


@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1))
def test_fmt_points_sign_matches_the_change(now, before):
    text = narrative.fmt_points(now - before)
    points = round((now - before) * 100, 1)
    assert text.startswith("提高") == (points > 0)
    assert text.startswith("下降") == (points < 0)


def test_since_last_run_sentence_only_when_there_was_a_previous_run():
    from dataclasses import replace

    from test_charts import small_figures

    from analysis.history import FIRST_RUN_LINE
    from analysis.narrative import since_last_run_sentence

    figures = small_figures()
    assert since_last_run_sentence(figures) == ""
    assert since_last_run_sentence(replace(figures, changes=(FIRST_RUN_LINE,))) == ""
    line = "与上次运行（12月3日14:20）相比：新增文件1个，替换1个；2个单位的数字有变化。"
    changed = replace(figures, changes=(line, "新增：r2/长阳.xlsx（有效）"))
    assert since_last_run_sentence(changed) == line


def test_facts_about_reports_carry_the_status_date_and_coverage_the_as_of_date(tmp_path):
    """Coverage as of 09-30, reports counted to the latest received, 10-12: the sentences,
    notes and the Word 通报 about reports say 10-12; those about coverage 09-30."""
    from dataclasses import replace

    import pandas as pd
    from docx import Document

    from analysis.exports import materials, notice

    f = replace(small_figures(), status_date=dt.date(2019, 10, 12))
    text = narrative.briefing_text(f)
    assert text[0].startswith("截至2019年9月30日，全区9家基层工会中已有5家")
    assert text[1] == (
        "截至2019年10月12日，第二阶段应报送单位4个，已报送3个，报送率75.0%，"
        "按时报送率50.0%；尚未报送：区教委工会。"
    )
    assert f.dates_line == "统计截至2019年9月30日，报送情况截至2019年10月12日"
    assert f.status_note == "数据来源：各单位报送表；报送情况截至2019年10月12日"
    assert f.publicity_when == "截至2019年10月12日"
    received = pd.DataFrame({"state": ["current"] * 2, "material": ["photo", "summary"]})
    assert materials.sentences(received, f) == [
        "截至2019年10月12日，共收到信息图片1张、阶段性总结1份。"
    ]
    path = notice.write_notice(
        tmp_path / "通报.docx", title="通报", as_of=f.as_of, status_date=f.report_date,
        sentences=text, key_figures=pd.DataFrame({"指标": ["a"], "数值": ["1"]}),
        kinds=f.coverage, not_reported=f.not_reported,
    )  # fmt: skip
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert "（统计截至2019年9月30日，报送情况截至2019年10月12日）" in paragraphs
    assert "截至2019年10月12日，以下1个单位尚未报送：" in paragraphs
    # The same date twice: nothing is added.
    same = replace(f, status_date=f.as_of)
    assert narrative.briefing_text(same)[1].startswith("第二阶段应报送单位4个")
    assert same.dates_line == "统计截至2019年9月30日" and same.status_note == same.source_note
    assert materials.sentences(received, same) == ["共收到信息图片1张、阶段性总结1份。"]


def test_since_last_run_sentence_says_why_the_figures_moved():
    """A new as-of date explains the moved figures: the prose says so, as the notebook does."""
    from dataclasses import replace

    from analysis.narrative import since_last_run_sentence

    line = "与上次运行（12月4日04:40）相比：报送文件没有变化；77个单位的数字有变化。"
    changes = (
        line,
        "统计截止日期由2019-12-31改为2019-06-15，数字变化可能来自截止日期。",
        "名册已修改，数字的变化可能来自名册。",
        "发现的问题：错误 3 → 5 条（详见 issues.csv）。",
        "长阳镇总工会：覆盖率 75.0% → 50.0%",
    )
    assert since_last_run_sentence(replace(small_figures(), changes=changes)) == (
        line + "统计截止日期由2019年12月31日改为2019年6月15日，数字变化可能来自截止日期。"
        "名册已修改，数字的变化可能来自名册。"
    )
