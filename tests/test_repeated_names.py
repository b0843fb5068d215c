"""One grassroots-union name under two parents: two unions (roster, names, coverage).

A real district has a 中心小学工会 under 长阳镇 and another under 琉璃河镇. Both are in
the roster and in every denominator; a row naming one counts for the one under its
reporting unit, a row from a third unit is ambiguous (rejected, never guessed) unless
written with the town before it (长阳镇中心小学工会) or named in aliases.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import coverage, reporting
from analysis.names import NameResolver, check_aliases
from analysis.roster import load_roster
from tests.conftest import ROSTER_HEADER, write_xlsx
from tests.test_ingest import act, csv, run, submission
from tests.test_names import make_roster

CY, LL, JW = "长阳镇总工会", "琉璃河镇总工会", "区教委工会"
ROWS = [
    [1, "中心小学工会", CY, "乡镇", 40, 45, "A1"],
    [2, "长阳镇卫生院工会", CY, "乡镇", 50, 55, "A2"],
    [3, "中心小学工会", LL, "乡镇", 60, 66, "B1"],
    [4, "琉璃河镇卫生院工会", LL, "乡镇", 25, 30, "B2"],
    [5, "区教委机关工会", JW, "系统", 30, 35, "C1"],
]


@pytest.fixture
def roster():
    return make_roster(ROWS)


@pytest.fixture
def raw_two(tmp_path) -> Path:
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", [ROSTER_HEADER, *ROWS])
    (raw / "submissions").mkdir(parents=True)
    return raw


def test_the_same_name_under_two_parents_is_two_unions_in_every_denominator(roster):
    units = roster.units.set_index(["reporting_unit", "unit"])["members"]
    assert units[CY, "中心小学工会"] == 40 and units[LL, "中心小学工会"] == 60
    totals = roster.reporting_units.set_index("reporting_unit")
    assert totals.loc[LL, ["units_total", "members_total"]].tolist() == [2, 85]
    assert roster.repeated == {"中心小学工会": (CY, LL)}
    assert "中心小学工会" not in roster.parent_of  # a name of two unions names neither
    assert not [i for i in roster.issues if i.code == "roster_duplicate_name"]


def test_the_same_name_twice_under_one_parent_stays_a_duplicate():
    roster = make_roster([ROWS[0], [2, "中心小学工会", CY, "乡镇", 40, 45, "A9"], ROWS[2]])
    (issue,) = [i for i in roster.issues if i.code == "roster_duplicate_name"]
    assert (issue.row, issue.severity) == (3, "error")
    assert roster.units["reporting_unit"].tolist() == [CY, LL]


def test_one_name_under_two_spellings_of_one_parent_stays_a_duplicate():
    """长阳镇工会 and 长阳镇总工会 in 上级工会 are one federation: the name under both is one
    union, counted once (an error names the copy), not a repeated name."""
    roster = make_roster([ROWS[0], [2, "中心小学工会", "长阳镇工会", "乡镇", 40, 45, ""], ROWS[1]])
    assert roster.repeated == {}
    assert roster.reporting_units["units_total"].tolist() == [2]
    assert [i.code for i in roster.issues if i.severity == "error"] == ["roster_duplicate_name"]


def test_a_row_naming_a_repeated_name_resolves_under_its_reporting_unit(roster):
    resolver = NameResolver(roster)
    for unit in (CY, LL):
        found = resolver.resolve("中心小学工会", unit)
        assert (found.unit, found.parent, found.how) == ("中心小学工会", unit, "exact")
        found = resolver.resolve("房山区中心小学", unit)  # normalised, loose: the same rule
        assert (found.unit, found.parent) == ("中心小学工会", unit)


def test_a_third_unit_naming_a_repeated_name_is_ambiguous_not_guessed(roster):
    found = NameResolver(roster).resolve("中心小学工会", JW)
    assert found.unit is None and found.parent is None
    assert found.candidates == (("中心小学工会", CY), ("中心小学工会", LL))
    assert found.suggestions[:2] == [
        "中心小学工会（长阳镇总工会）",
        "中心小学工会（琉璃河镇总工会）",
    ]


@pytest.mark.parametrize(
    ("written", "parent"),
    [
        ("长阳镇中心小学工会", CY),
        ("北京市房山区琉璃河镇中心小学工会", LL),  # 北京市房山区 stripped, the town kept
        ("琉璃河镇中心小学", LL),
        ("长阳镇总工会中心小学工会", CY),
        ("中心小学工会（长阳镇总工会）", CY),  # as suggestions and messages write it
        ("中心小学工会(琉璃河镇)", LL),
    ],
)
def test_the_town_written_before_a_repeated_name_tells_its_union(roster, written, parent):
    resolver = NameResolver(roster)
    for reporting_unit in (JW, CY, LL):  # the name says which, whoever reports it
        found = resolver.resolve(written, reporting_unit)
        assert (found.unit, found.parent) == ("中心小学工会", parent)


def test_an_alias_may_name_a_repeated_name_with_its_parent(roster):
    aliases = pd.DataFrame(
        {"alias": ["中心小学", "中心小学工会"], "name": ["中心小学工会（琉璃河镇总工会）"] * 2}
    )
    usable, issues = check_aliases(aliases, roster)
    assert issues == [] and len(usable) == 2
    resolver = NameResolver(roster, usable)
    for written in ("中心小学", "中心小学工会"):
        found = resolver.resolve(written, JW)
        assert (found.unit, found.parent) == ("中心小学工会", LL)
        # the reporting unit's own union of that name still comes first
        assert resolver.resolve(written, CY).parent == CY


def test_the_roster_warns_once_of_a_repeated_name(roster):
    (issue,) = NameResolver(roster).issues
    assert (issue.code, issue.severity) == ("roster_name_ambiguous", "warning")
    assert "“中心小学工会”在2个上级工会下各有一个（长阳镇总工会、琉璃河镇总工会）" in issue.message
    assert "长阳镇中心小学工会" in issue.message


def test_coverage_keys_a_union_by_its_parent_and_its_name(raw_two):
    """Hand-worked: 长阳镇 covers its 中心小学工会 (40) only; 琉璃河镇's (60) stays uncovered.

    长阳镇: 2 unions, 90 members; covered 中心小学工会 (40); 2 activities (its own, and
    区教委's written 长阳镇中心小学工会). 琉璃河镇: 2 unions, 85 members; covered 卫生院
    (25). 区教委: 1 of 1, 30 of 30. The district: 3 of 5 unions, 95 of 205 members; the
    区教委 row naming bare 中心小学工会 is rejected as ambiguous.
    """
    submission(raw_two, "长阳镇.xlsx", CY, [act("中心小学工会", participants=20)], "2019-06-28")
    submission(raw_two, "琉璃河镇.xlsx", LL, [act("琉璃河镇卫生院工会", participants=15)],
               "2019-06-28")  # fmt: skip
    submission(raw_two, "区教委.xlsx", JW, [
        act("中心小学工会", participants=99),
        act("长阳镇中心小学工会", participants=12),
        act("区教委机关工会", participants=10),
    ], "2019-06-28")  # fmt: skip
    result = run(raw_two)
    out = raw_two.parent / "out"
    cov = csv(out, "coverage").set_index("group")
    columns = ["units_total", "units_covered", "members_total", "members_covered", "activities",
               "participants"]  # fmt: skip
    assert cov.loc[CY, columns].astype(int).tolist() == [2, 1, 90, 40, 2, 32]
    assert cov.loc[LL, columns].astype(int).tolist() == [2, 1, 85, 25, 1, 15]
    assert cov.loc[JW, columns].astype(int).tolist() == [1, 1, 30, 30, 1, 10]
    assert cov.loc["town", columns].astype(int).tolist() == [4, 2, 175, 65, 3, 47]
    assert cov.loc["全区", columns].astype(int).tolist() == [5, 3, 205, 95, 4, 57]
    by_item = csv(out, "coverage_by_item").query("work_item == 'study'").set_index("group")
    assert by_item.loc[[CY, LL, "全区"], "units_covered"].astype(int).tolist() == [1, 1, 3]

    rows = csv(out, "rows").set_index(["file", "row"])
    own = rows.loc[("submissions/长阳镇.xlsx", "5")]
    assert (own["state"], own["grassroots_unit"], own["counted_for"]) == ("accepted",
                                                                          "中心小学工会", CY)  # fmt: skip
    third = rows.loc[("submissions/区教委.xlsx", "5")]
    assert (third["state"], third["reason"], third["grassroots_unit"]) == (
        "rejected", "unit_ambiguous", "")  # fmt: skip
    full = rows.loc[("submissions/区教委.xlsx", "6")]
    assert (full["state"], full["reason"], full["grassroots_unit"], full["counted_for"]) == (
        "accepted", "unit_other_parent", "中心小学工会", CY)  # fmt: skip

    issue = csv(out, "issues").query("code == 'unit_ambiguous'")
    assert len(issue) == 1
    issue = issue.iloc[0]
    assert (issue["severity"], issue["row"], issue["column"]) == ("error", "5", "B")
    assert (
        "第5行的基层工会“中心小学工会”在名册中有2个：长阳镇总工会的“中心小学工会”、"
        "琉璃河镇总工会的“中心小学工会”，都不属于报送单位“区教委工会”，无法确定是哪一个，"
        "该行未计入统计；请报送单位写明全称（如“长阳镇中心小学工会”），或在 aliases.csv 中"
        "添加对应关系（名册名称写“中心小学工会（长阳镇总工会）”）后重新运行。"
    ) in issue["message"]

    # The not-reached list holds 琉璃河镇's 中心小学工会, not 长阳镇's.
    roster = load_roster(raw_two / "roster")
    missing = reporting.not_reached(roster, coverage.accepted_activities(result.rows, roster))
    assert missing[["reporting_unit", "unit", "members"]].values.tolist() == [
        [LL, "中心小学工会", 60],  # report order: kind, then name
        [CY, "长阳镇卫生院工会", 50],
    ]


def test_the_activities_table_path_gives_the_same_coverage(raw_two, campaign):
    submission(raw_two, "长阳镇.xlsx", CY, [act("中心小学工会")], "2019-06-28")
    submission(raw_two, "区教委.xlsx", JW, [act("琉璃河镇中心小学工会")], "2019-06-28")
    result = run(raw_two)
    roster = load_roster(raw_two / "roster")
    activities = coverage.accepted_activities(result.rows, roster)
    slow = coverage.coverage_tables(roster, activities, campaign)
    fast = coverage.compute_tables(roster, result.rows, None, campaign)
    pd.testing.assert_frame_equal(slow["coverage"], fast["coverage"])
    pd.testing.assert_frame_equal(slow["coverage_by_item"], fast["coverage_by_item"])
    assert slow["coverage"].set_index("group").loc["全区", "units_covered"] == 2
    curve = coverage.cumulative_curve(roster, activities)
    assert curve.query("group == '全区'")["units_covered"].iloc[-1] == 2


def test_publicity_counts_of_a_repeated_name_follow_the_same_rule(raw_two):
    """长阳镇's 中心小学工会 counts; 区教委 naming bare 中心小学工会 is ambiguous; the
    plausibility check names the members of the union meant (长阳镇's 40, not 60)."""
    sheet = [["基层工会名称", "微信", "文章"], ["中心小学工会", 3, 150]]
    write_xlsx(raw_two / "submissions" / "长阳镇宣传.xlsx",
               [["填报单位：长阳镇总工会", None, "报送期次：第一阶段"], *sheet], sheet="宣传统计")  # fmt: skip
    write_xlsx(raw_two / "submissions" / "区教委宣传.xlsx",
               [["填报单位：区教委工会", None, "报送期次：第一阶段"], *sheet], sheet="宣传统计")  # fmt: skip
    run(raw_two)
    out = raw_two.parent / "out"
    table = csv(out, "publicity")
    got = table[["reporting_unit", "grassroots_unit", "output", "state", "reason"]]
    assert got.values.tolist() == [
        [JW, "", "wechat", "rejected", "unit_ambiguous"],
        [JW, "", "articles", "rejected", "unit_ambiguous"],
        [CY, "中心小学工会", "wechat", "accepted", "ok"],
        [CY, "中心小学工会", "articles", "accepted", "publicity_count_implausible"],
    ]
    issues = csv(out, "issues").query("code == 'unit_ambiguous'")
    # One problem, one issue: the row's union cell (A), not once per count of the row.
    assert issues["column"].tolist() == ["A"]
    assert "长阳镇总工会的“中心小学工会”" in issues["message"].iloc[0]
    (implausible,) = csv(out, "issues").query("code == 'publicity_count_implausible'")["message"]
    assert "会员40人" in implausible


def test_the_briefing_figures_and_the_workbook_tell_the_two_unions_apart(raw_two, campaign):
    from openpyxl import load_workbook

    from analysis import figures
    from analysis.exports.workbook import write_workbook

    submission(raw_two, "长阳镇.xlsx", CY, [act("中心小学工会")], "2019-06-28")
    run(raw_two)
    roster = load_roster(raw_two / "roster")
    fig = figures.compute(campaign, roster, figures.read_tables(raw_two.parent / "out"))
    missing = list(zip(fig.not_reached["reporting_unit"], fig.not_reached["unit"], strict=True))
    assert (LL, "中心小学工会") in missing and (CY, "中心小学工会") not in missing
    ranking = fig.ranking.set_index("group")
    assert ranking.loc[CY, "units_covered"] == 1 and ranking.loc[LL, "units_covered"] == 0
    book = load_workbook(write_workbook(fig, raw_two.parent / "通报表.xlsx"))
    rows = [
        [c for c in r if c is not None] for r in book["未覆盖基层工会"].iter_rows(values_only=True)
    ]
    assert any("中心小学工会" in r and LL in r for r in rows)
    assert not any("中心小学工会" in r and CY in r for r in rows)


def test_a_direct_union_named_as_a_town_union_is_not_taken_for_a_third_units_row(tmp_path):
    """长阳镇卫生院工会 is both a union under 长阳镇 and a directly affiliated union (its
    own reporting unit): two unions. A third unit writing the name cannot say which, so
    the row is ambiguous, never counted for the direct union because its name is a
    reporting unit's; 长阳镇's row is its own union, the direct union's 本级 is itself.

    By hand: 长阳镇 1 of 2 unions, 60 of 100 members, 1 activity, 20; the direct union
    1 of 1, 250 of 250, 1 activity, 30; 区教委 1 of 1, 50 of 50, 1, 10 (its row naming
    长阳镇卫生院工会 rejected); the district 3 of 4, 360 of 400, 3 activities, 60.
    """
    wsy = "长阳镇卫生院工会"
    rows = [
        [1, wsy, CY, "乡镇", 60, 66, "A1"],
        [2, "长阳镇第一小学工会", CY, "乡镇", 40, 45, "A2"],
        [3, wsy, "", "直属", 250, 260, "D1"],
        [4, "区教委机关工会", JW, "系统", 50, 55, "C1"],
    ]
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", [ROSTER_HEADER, *rows])
    submission(raw, "区教委.xlsx", JW, [act(wsy, participants=99), act("区教委机关工会", participants=10)],
               "2019-06-28")  # fmt: skip
    submission(raw, "长阳镇.xlsx", CY, [act(wsy, participants=20)], "2019-06-28")
    submission(raw, "卫生院.xlsx", wsy, [act("本级", participants=30)], "2019-06-28")
    sheet = [["基层工会名称", "微信", "文章"], [wsy, 3, 5]]
    write_xlsx(raw / "submissions" / "区教委宣传.xlsx",
               [["填报单位：区教委工会", None, "报送期次：第一阶段"], *sheet], sheet="宣传统计")  # fmt: skip
    run(raw)
    out = tmp_path / "out"
    ledger = csv(out, "rows").set_index(["file", "row"])
    third = ledger.loc[("submissions/区教委.xlsx", "5")]
    assert (third["state"], third["reason"], third["grassroots_unit"]) == (
        "rejected", "unit_ambiguous", "")  # fmt: skip
    own = ledger.loc[("submissions/长阳镇.xlsx", "5")]
    assert (own["state"], own["grassroots_unit"], own["counted_for"]) == ("accepted", wsy, CY)
    direct = ledger.loc[("submissions/卫生院.xlsx", "5")]
    assert (direct["state"], direct["grassroots_unit"], direct["counted_for"]) == (
        "accepted", wsy, wsy)  # fmt: skip

    cov = csv(out, "coverage").set_index(["level", "group"])
    columns = ["units_total", "units_covered", "members_total", "members_covered", "activities",
               "participants"]  # fmt: skip
    assert cov.loc[("reporting_unit", CY), columns].astype(int).tolist() == [2, 1, 100, 60, 1, 20]
    assert cov.loc[("reporting_unit", wsy), columns].astype(int).tolist() == [1, 1, 250, 250, 1, 30]
    assert cov.loc[("reporting_unit", JW), columns].astype(int).tolist() == [1, 1, 50, 50, 1, 10]
    assert cov.loc[("district", "全区"), columns].astype(int).tolist() == [4, 3, 400, 360, 3, 60]

    counts = csv(out, "publicity")[["state", "reason"]].values.tolist()
    assert counts == [["rejected", "unit_ambiguous"]] * 2
    issue = csv(out, "issues").query(
        "code == 'unit_ambiguous' and file == 'submissions/区教委.xlsx'"
    )
    message = issue["message"].iloc[0]
    # the direct union is named as such, and the example tells the town's union apart
    assert "长阳镇总工会的“长阳镇卫生院工会”、直属基层工会“长阳镇卫生院工会”" in message
    assert "写明全称（如“长阳镇卫生院工会（长阳镇总工会）”）" in message
    assert "名册名称写“长阳镇卫生院工会（长阳镇总工会）”" in message


def test_a_photo_folder_naming_a_repeated_union_is_placed_as_a_row_would_be(roster, campaign):
    """琉璃河镇/中心小学工会 is 琉璃河镇's own union, whatever an alias says (as a row of
    琉璃河镇's would be); 区教委/中心小学工会 is the alias's union, else 区教委's (the
    name alone names neither); a direct union of that name is no reason to pick it."""
    from analysis.materials.attribution import place

    def unit(rel: str, resolver: NameResolver) -> str:
        return place(rel, resolver, campaign).reporting_unit

    aliases = pd.DataFrame({"alias": ["中心小学工会"], "name": ["中心小学工会（长阳镇总工会）"]})
    aliased = NameResolver(roster, aliases)
    assert unit("submissions/r1/琉璃河镇/中心小学工会/活动.jpg", aliased) == LL
    assert unit("submissions/r1/区教委/中心小学工会/活动.jpg", aliased) == CY
    assert unit("submissions/r1/照片/中心小学工会/活动.jpg", aliased) == CY
    assert unit("submissions/r1/区教委/中心小学工会/活动.jpg", NameResolver(roster)) == JW

    direct = NameResolver(make_roster([*ROWS, [6, "中心小学工会", "", "直属", 20, 20, "D1"]]))
    assert unit("submissions/r1/区教委/中心小学工会/活动.jpg", direct) == JW
    assert unit("submissions/r1/琉璃河镇/中心小学工会/活动.jpg", direct) == LL
    assert unit("submissions/r1/照片/中心小学工会/活动.jpg", direct) == ""
    assert unit("submissions/r1/长阳镇中心小学工会/活动.jpg", direct) == CY


def test_a_publicity_sheet_named_for_a_repeated_union_of_a_third_unit_is_ambiguous(raw_two):
    """A sheet of counts named 中心小学工会 (no union column) in 区教委's file: the counts
    are some 中心小学工会's, which cannot be told, so they are not used (never taken for
    区教委's own); a sheet named 琉璃河镇中心小学工会 is 琉璃河镇's union."""
    for sheet, label in (("中心小学工会", "第一阶段"), ("琉璃河镇中心小学工会", "第二阶段")):
        write_xlsx(raw_two / "submissions" / f"区教委{label}.xlsx",
                   [[f"填报单位：{JW}", None, f"报送期次：{label}"], ["微信（条）", "文章（篇）"], [3, 5]],
                   sheet=sheet)  # fmt: skip
    run(raw_two)
    out = raw_two.parent / "out"
    table = csv(out, "publicity")[["sheet", "grassroots_unit", "state", "reason"]]
    assert table.values.tolist() == [
        ["中心小学工会", "", "rejected", "unit_ambiguous"],
        ["中心小学工会", "", "rejected", "unit_ambiguous"],
        ["琉璃河镇中心小学工会", "中心小学工会", "accepted", "ok"],
        ["琉璃河镇中心小学工会", "中心小学工会", "accepted", "ok"],
    ]
    issues = csv(out, "issues").query("code == 'unit_ambiguous'")
    assert len(issues) == 2 and set(issues["sheet"]) == {"中心小学工会"}
    assert (
        "长阳镇总工会的“中心小学工会”、琉璃河镇总工会的“中心小学工会”" in issues["message"].iloc[0]
    )


def test_rows_under_a_heading_naming_a_repeated_union_of_a_third_unit_are_ambiguous(raw_two):
    """区教委's table has 中心小学工会 alone on a row, then two activities with the union
    blank: they are some 中心小学工会's (not 区教委's 本级), which cannot be told, so both
    are rejected as ambiguous; under 长阳镇's own such heading they are its union's."""
    for unit, label in ((JW, "第一阶段"), (CY, "第一阶段")):
        write_xlsx(raw_two / "submissions" / f"{unit}.xlsx", [
            [f"填报单位：{unit}", None, f"报送期次：{label}"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            ["中心小学工会"],
            [1, None, "2019-06-03", "切实抓好学习", "讨论会", 20],
            [2, None, "2019-06-04", "切实抓好学习", "报告会", 30],
        ])  # fmt: skip
    run(raw_two)
    out = raw_two.parent / "out"
    rows = csv(out, "rows").query("row in ['4', '5']")
    got = rows[["reporting_unit", "state", "reason", "grassroots_unit", "counted_for"]]
    assert got.values.tolist() == [
        [JW, "rejected", "unit_ambiguous", "", JW],
        [JW, "rejected", "unit_ambiguous", "", JW],
        [CY, "accepted", "unit_from_heading", "中心小学工会", CY],
        [CY, "accepted", "unit_from_heading", "中心小学工会", CY],
    ]
    cov = csv(out, "coverage").set_index("group")
    assert cov.loc[JW, ["activities", "participants"]].astype(int).tolist() == [0, 0]
    assert cov.loc[CY, ["units_covered", "activities", "participants"]].astype(int).tolist() == [
        1, 2, 50]  # fmt: skip


def test_a_rerun_after_the_aliases_change_reads_a_heading_afresh(raw_two):
    """The union a heading gives the rows below depends on aliases.csv (区教委's
    中心小学工会 heading is 琉璃河镇's by the alias, ambiguous without it): a re-run from the
    cache after the alias is added, or removed, gives what a full run gives. (The
    heading's union was written into the parse the cache keeps, so a re-run kept it.)"""
    aliases = raw_two / "aliases.csv"
    alias = "报送名称,名册名称\n中心小学工会,中心小学工会（琉璃河镇总工会）\n"
    write_xlsx(raw_two / "submissions" / "区教委.xlsx", [
        [f"填报单位：{JW}", None, "报送期次：第一阶段"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        ["中心小学工会"],
        [1, None, "2019-06-03", "切实抓好学习", "讨论会", 20],
    ])  # fmt: skip
    out, full = raw_two.parent / "out", raw_two.parent / "full"
    for step, (aliased, reason) in enumerate([
        (False, "unit_ambiguous"),
        (True, "unit_other_parent;unit_from_heading"),
        (False, "unit_ambiguous"),
    ]):  # fmt: skip
        if aliased:
            aliases.write_text(alias, "utf-8")
        else:
            aliases.unlink(missing_ok=True)
        run(raw_two)  # from the cache after the first
        run(raw_two, full / str(step), full=True)
        for table in ("rows", "issues", "coverage"):
            pd.testing.assert_frame_equal(csv(out, table), csv(full / str(step), table))
        assert csv(out, "rows").query("row == '4'")["reason"].tolist() == [reason]


@pytest.mark.parametrize("aliased", [False, True])
def test_a_repeated_union_writing_its_bare_name_in_its_parents_folder_sent_its_own(
    raw_two, aliased
):
    """填报单位 中心小学工会 (two towns have one) in a file under 琉璃河镇/: the folder says
    whose, so it is 琉璃河镇's 中心小学工会's own file, as if it had written its full name:
    its 本级 covers that union (60 members), beside 琉璃河镇's own file. It is in the
    roster, so no warning says it is not. An alias naming 长阳镇's for a third unit's rows
    does not change whose file this is (as for a row of 琉璃河镇's)."""
    if aliased:
        (raw_two / "aliases.csv").write_text(
            "报送名称,名册名称\n中心小学工会,中心小学工会（长阳镇总工会）\n", "utf-8"
        )
    submission(raw_two, "琉璃河镇/中心小学报送表.xlsx", "中心小学工会", [act("本级", participants=20)],
               "2019-06-28")  # fmt: skip
    submission(raw_two, "琉璃河镇.xlsx", LL, [act("本级", participants=5)], "2019-06-28")
    run(raw_two)
    out = raw_two.parent / "out"
    rows = csv(out, "rows").set_index("file")
    own = rows.loc["submissions/琉璃河镇/中心小学报送表.xlsx"]
    assert (own["state"], own["grassroots_unit"], own["counted_for"]) == (
        "accepted", "中心小学工会", LL)  # fmt: skip
    cov = csv(out, "coverage").set_index("group")
    columns = ["units_covered", "members_covered", "activities", "participants"]
    assert cov.loc[LL, columns].astype(int).tolist() == [1, 60, 2, 25]
    assert cov.loc[CY, columns].astype(int).tolist() == [0, 0, 0, 0]
    codes = csv(out, "issues").query("file == 'submissions/琉璃河镇/中心小学报送表.xlsx'")["code"]
    assert "reporting_unit_is_grassroots" in set(codes)
    assert "reporting_unit_from_filename" not in set(codes)
