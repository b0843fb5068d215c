"""The ingest pipeline end to end on small RAW folders built in each test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import cli, csv_writer, ingest, reporting, submissions
from analysis import roster as roster_module
from analysis.model import ActivityTable, HeaderBlock, Issue, TableRow
from analysis.names import NameResolver
from tests.conftest import write_xlsx
from tests.test_names import make_roster

TABLE_HEADER = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]
FIELDS = ["seq", "grassroots_unit", "date", "work_item", "form", "participants", "note"]


def submission(
    raw: Path,
    name: str,
    unit: str | None,
    rows: list[list[object]],
    report_date: object = None,
    round_label: str | None = None,
    total: bool = False,
) -> Path:
    """A submission workbook in the usual layout: title, header block, table, optional 合计."""
    grid: list[list[object]] = [["学习宣传市工会十四大精神活动情况统计表"]]
    grid.append(["填报单位：", unit or "", "", "填报日期：", report_date or ""])
    grid.append(["联系人：", "王芳", "", "联系电话：", "13800000000"])
    if round_label:
        grid.append(["报送期次：", round_label])
    grid.append(TABLE_HEADER)
    grid += [[i + 1, *r] for i, r in enumerate(rows)]
    if total:
        grid.append(["合计", "", "", "", "", sum(r[4] for r in rows if isinstance(r[4], int)), ""])
    return write_xlsx(raw / "submissions" / name, grid, sheet="活动情况")


def act(unit: str, day: object = "2019-06-03", participants: object = 20) -> list[object]:
    return [unit, day, "切实抓好学习", "讨论会", participants, ""]


def run(raw: Path, out: Path | None = None, **kw) -> ingest.IngestResult:
    return ingest.run(raw, out or raw.parent / "out", progress=False, **kw)


def csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------- rows


def test_run_writes_ledger_with_one_state_per_row(raw):
    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会",
        [act("本级", participants=30), act("长阳镇卫生院"), act("长阳镇第九中学工会"),
         act("", participants="若干")],
        report_date="2019-06-28", total=True,
    )  # fmt: skip
    result = run(raw)
    rows = csv(raw.parent / "out", "rows")
    assert list(rows.columns[:10]) == [
        "file", "sheet", "row", "state", "reason", "grassroots_unit", "reporting_unit",
        "work_item", "date", "participants",
    ]  # fmt: skip
    # Title, 填报单位, 联系人, header: data starts on spreadsheet row 5.
    assert rows[["row", "state", "reason", "grassroots_unit", "counted_for", "participants"]].values.tolist() == [
        ["5", "accepted", "ok", "", "长阳镇总工会", "30"],
        ["6", "accepted", "ok", "长阳镇卫生院工会", "长阳镇总工会", "20"],
        ["7", "rejected", "unit_unresolved", "", "长阳镇总工会", "20"],
        ["8", "accepted", "participants_unreadable", "", "长阳镇总工会", ""],
        ["9", "rejected", "total_row", "", "", ""],
    ]  # fmt: skip
    assert set(rows["file"]) == {"submissions/长阳镇.xlsx"}
    assert (result.count("rows", "accepted"), result.count("rows", "rejected")) == (3, 2)
    sub = csv(raw.parent / "out", "submissions").iloc[0]
    assert (sub["reporting_unit"], sub["kind"], sub["round"], sub["state"]) == (
        "长阳镇总工会", "town", "r1", "current",
    )  # fmt: skip
    assert (sub["rows_read"], sub["rows_accepted"], sub["rows_rejected"]) == ("5", "3", "2")
    assert (sub["contact"], sub["on_time"]) == ("王芳", "True")
    issues = csv(raw.parent / "out", "issues")
    unresolved = issues[issues["code"] == "unit_unresolved"].iloc[0]
    assert (unresolved["row"], unresolved["severity"], unresolved["column"]) == (
        "7",
        "error",
        "B",
    )
    assert "长阳镇第一小学工会" in unresolved["message"]  # a suggestion, shown …
    assert "长阳镇第一小学工会" not in set(rows["grassroots_unit"])  # … never applied
    # the name as written and the suggestions are data too, for the aliases table
    assert unresolved["value"] == "长阳镇第九中学工会"
    assert unresolved["suggestions"].split("、")[0] == "长阳镇第一小学工会"
    assert list(issues.columns[:7]) == [
        "file",
        "sheet",
        "row",
        "column",
        "severity",
        "code",
        "message",
    ]


def test_union_of_another_federation_counts_for_its_roster_parent(raw):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    run(raw)
    row = csv(raw.parent / "out", "rows").iloc[0]
    assert (row["state"], row["reason"]) == ("accepted", "unit_other_parent")
    assert (row["reporting_unit"], row["counted_for"], row["kind"]) == (
        "长阳镇总工会",
        "琉璃河镇总工会",
        "town",
    )
    issue = csv(raw.parent / "out", "issues").query("code == 'unit_other_parent'").iloc[0]
    assert issue["severity"] == "warning" and "琉璃河镇总工会" in issue["message"]


def test_self_row_of_direct_union_is_the_union_itself(raw):
    submission(
        raw, "燕房物流.xlsx", "北京燕房物流有限公司工会", [act("本级"), act("")], "2019-06-28"
    )
    run(raw)
    rows = csv(raw.parent / "out", "rows")
    assert rows["grassroots_unit"].tolist() == ["北京燕房物流有限公司工会"] * 2
    assert rows["kind"].tolist() == ["direct"] * 2


def test_own_name_in_union_column_is_federation_level(raw):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇总工会")], "2019-06-28")
    run(raw)
    row = csv(raw.parent / "out", "rows").iloc[0]
    assert (row["state"], row["grassroots_unit"], row["counted_for"]) == (
        "accepted",
        "",
        "长阳镇总工会",
    )


def test_unreadable_date_is_kept_when_round_known_and_rejected_otherwise(raw):
    submission(
        raw, "r1/长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院", day="某天")], "2019-06-28"
    )
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会", day="某天")])
    run(raw)
    rows = csv(raw.parent / "out", "rows").set_index("file")
    assert rows.loc["submissions/r1/长阳镇.xlsx", ["state", "reason", "date"]].tolist() == [
        "accepted", "date_unreadable", "",
    ]  # fmt: skip
    assert rows.loc["submissions/琉璃河镇.xlsx", ["state", "reason"]].tolist() == [
        "rejected",
        "date_unreadable",
    ]


def test_aliases_resolve_names_and_bad_alias_is_an_issue(raw):
    (raw / "aliases.csv").write_text(
        "报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n乱写,没有这个工会\n", encoding="utf-8"
    )
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳一小")], "2019-06-28")
    run(raw)
    assert csv(raw.parent / "out", "rows")["grassroots_unit"].tolist() == ["长阳镇第一小学工会"]
    issue = csv(raw.parent / "out", "issues").query("code == 'alias_target_unknown'").iloc[0]
    assert (issue["file"], issue["row"]) == ("aliases.csv", "3")


def test_an_alias_table_kept_in_excel_is_read_and_the_older_copy_named(raw):
    """The analyst opens aliases.csv in Excel and saves it as aliases.xlsx (Sheet1, a
    title row, a 备注 column): it was not read at all. The newer of two tables is used,
    the other named in a warning."""
    import os

    (raw / "aliases.csv").write_text("报送名称,名册名称\n一小,长阳镇第一小学工会\n", "utf-8")
    os.utime(raw / "aliases.csv", (1_500_000_000, 1_500_000_000))
    write_xlsx(raw / "aliases.xlsx", [
        ["名称对照表（2019年7月更新）"], ["报送名称", "名册名称", "备注"],
        ["长阳一小", "长阳镇第一小学工会", "第二阶段新增"], [], ["卫生院", "长阳镇卫生院工会（ ）"],
    ])  # fmt: skip
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳一小"), act("卫生院"), act("一小")],
               "2019-06-28")  # fmt: skip
    run(raw)
    out = raw.parent / "out"
    assert csv(out, "rows")["grassroots_unit"].tolist() == ["长阳镇第一小学工会", "", ""]
    issues = csv(out, "issues").set_index("code")
    assert issues.loc["aliases_file_ignored", ["file", "severity"]].tolist() == [
        "aliases.csv", "warning"
    ]  # fmt: skip
    assert (
        "使用了较新的“aliases.xlsx”，“aliases.csv”没有使用"
        in issues.loc["aliases_file_ignored", "message"]
    )
    unknown = issues.loc["alias_target_unknown"]
    assert (unknown["file"], unknown["row"]) == ("aliases.xlsx", "5")


def test_files_at_the_top_of_the_raw_folder_that_no_run_reads_are_named(raw):
    """A workbook dropped beside submissions/, campaign.toml saved by Notepad as
    campaign.toml.txt: each was left out without a word (folders are RAW's own affair)."""
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    (raw / "submissions" / "长阳镇.xlsx").rename(raw / "长阳镇.xlsx")
    (raw / "第二阶段").mkdir()
    (raw / "campaign.toml.txt").write_text("[campaign]\n", "utf-8")
    (raw / "README.md").write_text("说明", "utf-8")
    (raw / "Thumbs.db").write_bytes(b"x")
    (raw / "aliases.csv").write_text("报送名称,名册名称\n", "utf-8")
    run(raw)
    issues = csv(raw.parent / "out", "issues").query("code == 'raw_entry_not_read'")
    assert issues["file"].tolist() == ["campaign.toml.txt", "长阳镇.xlsx"]
    assert set(issues["severity"]) == {"warning"}
    messages = issues.set_index("file")["message"]
    assert "文件名应为 campaign.toml" in messages["campaign.toml.txt"]
    assert "如这是报送表或名册，请移到相应文件夹后重新运行" in messages["长阳镇.xlsx"]


def test_a_note_in_campaign_toml_is_a_warning_and_the_run_goes_on(raw):
    """`description = "…"` in the analyst's campaign.toml stopped the whole run; it is
    now left out with a warning on campaign.toml, and the submissions are read."""
    from analysis.campaign import default_campaign_text

    text = default_campaign_text().replace(
        "[campaign]\n", '[campaign]\ndescription = "第二批"\n', 1
    )
    (raw / "campaign.toml").write_text(text, "utf-8")
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    run(raw)
    out = raw.parent / "out"
    assert csv(out, "rows")["state"].tolist() == ["accepted"]
    (issue,) = csv(out, "issues").query("code == 'campaign_setting_ignored'").itertuples()
    assert (issue.file, issue.severity) == ("campaign.toml", "warning")
    assert "设置 description 本工具不使用，已忽略，其余设置照常使用" in issue.message


# --------------------------------------------------------------------------- submissions


def test_resubmission_with_later_report_date_supersedes(raw):
    # The corrected file sorts first by name, so the date must decide.
    submission(raw, "a长阳镇更正.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-07-02")
    submission(
        raw, "b长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院"), act("本级")], "2019-06-28"
    )
    result = run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")
    assert subs.loc["submissions/a长阳镇更正.xlsx", "state"] == "current"
    assert subs.loc["submissions/b长阳镇.xlsx", ["state", "superseded_by", "rows_accepted"]].tolist() == [
        "superseded", "submissions/a长阳镇更正.xlsx", "0",
    ]  # fmt: skip
    rows = csv(raw.parent / "out", "rows")
    old = rows[rows["file"] == "submissions/b长阳镇.xlsx"]
    assert old["state"].tolist() == ["superseded", "superseded"]
    assert set(old["reason"]) == {"superseded:submissions/a长阳镇更正.xlsx"}
    assert result.count("rows", "accepted") == 1
    assert result.reconcile()["balanced"].all()


def test_a_grassroots_unions_own_file_does_not_replace_its_federations_report(raw):
    """长阳镇总工会 reports 2 activities (07-01); its 卫生院工会 sends its own sheet of 1
    (07-02), 填报单位 itself: both count for 长阳镇, neither replaces the other. The
    union's own correction (07-03) replaces only the union's earlier sheet."""
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学"), act("本级")],
               "2019-07-01")  # fmt: skip
    submission(raw, "卫生院.xlsx", "长阳镇卫生院工会", [act("长阳镇卫生院")], "2019-07-02")
    submission(raw, "卫生院更正.xlsx", "长阳镇卫生院工会", [act("长阳镇卫生院", participants=9)],
               "2019-07-03")  # fmt: skip
    result = run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")
    assert subs["state"].to_dict() == {
        "submissions/长阳镇.xlsx": "current",
        "submissions/卫生院.xlsx": "superseded",
        "submissions/卫生院更正.xlsx": "current",
    }
    assert subs.loc["submissions/卫生院.xlsx", "superseded_by"] == "submissions/卫生院更正.xlsx"
    assert set(subs["reporting_unit"]) == {"长阳镇总工会"}
    assert result.count("rows", "accepted") == 3
    issues = csv(raw.parent / "out", "issues")
    told = issues[issues["code"] == "reporting_unit_is_grassroots"]
    assert told["file"].tolist() == ["submissions/卫生院更正.xlsx"]  # the replaced one says so
    assert "互不替代" in told["message"].iloc[0]


def test_a_grassroots_unions_own_file_counts_its_benji_rows_and_counts_for_itself(raw):
    """卫生院工会's own sheet: a blank or 本级 union cell is the union itself (covered),
    not 长阳镇's own activity; so are its publicity counts."""
    submission(raw, "卫生院.xlsx", "长阳镇卫生院工会", [act("本级"), act("", participants=9)],
               "2019-07-02")  # fmt: skip
    run(raw)
    rows = csv(raw.parent / "out", "rows")
    assert rows["grassroots_unit"].tolist() == ["长阳镇卫生院工会", "长阳镇卫生院工会"]
    coverage = csv(raw.parent / "out", "coverage").set_index("group")
    assert coverage.loc["长阳镇总工会", ["units_covered", "activities"]].tolist() == ["1", "2"]


@pytest.mark.parametrize(
    ("dates", "why"),
    [
        ((None, "2019-06-28"), "本表没有填写填报日期，后者填写了"),
        (("2019-06-28", "2019-07-02"), "后者填报日期更晚"),
        (
            ("2019-06-28", "2019-06-28"),
            "两份的填报日期相同或都没有填写，无法判断先后，暂按文件名顺序取后者",
        ),
        ((None, None), "两份的填报日期相同或都没有填写，无法判断先后，暂按文件名顺序取后者"),
    ],
)
def test_a_superseded_file_is_told_why_without_calling_the_other_newer(raw, dates, why):
    submission(raw, "a长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], dates[0])
    submission(
        raw, "b长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院", participants=25)], dates[1]
    )
    run(raw)
    issues = csv(raw.parent / "out", "issues")
    (message,) = issues.loc[issues["code"] == "superseded", "message"]
    assert "已被“submissions/b长阳镇.xlsx”替代" in message and f"（{why}）" in message


@pytest.mark.parametrize(
    ("names", "current"),
    [
        (("长阳镇.xlsx", "长阳镇（更正）.xlsx"), "长阳镇（更正）.xlsx"),
        (("长阳镇最终版.xlsx", "长阳镇v2.xlsx"), "长阳镇最终版.xlsx"),
        (("长阳镇第3版.xlsx", "长阳镇v2.xlsx"), "长阳镇第3版.xlsx"),
        (("长阳镇1.xlsx", "长阳镇2.xlsx"), "长阳镇2.xlsx"),  # no mark: name order
        (("长阳镇更正.xlsx", "长阳镇再次更正.xlsx"), "长阳镇再次更正.xlsx"),  # 更正 of a 更正
        (("长阳镇二次修改.xlsx", "长阳镇修改.xlsx"), "长阳镇二次修改.xlsx"),
        (("长阳镇10.xlsx", "长阳镇9.xlsx"), "长阳镇10.xlsx"),  # numbers by value
        (("长阳镇更正2.xlsx", "长阳镇更正.xlsx"), "长阳镇更正2.xlsx"),
    ],
)
def test_same_report_date_version_mark_then_name_decides(raw, names, current):
    for i, name in enumerate(names):
        submission(
            raw, name, "长阳镇总工会", [act("长阳镇卫生院", participants=10 + i)], "2019-06-28"
        )
    run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")["state"]
    assert subs[f"submissions/{current}"] == "current"
    assert sorted(subs) == ["current", "superseded"]


def test_byte_identical_copy_is_duplicate_file(raw):
    first = submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    # Sorted by path, the copy in a sub-folder comes after the original.
    (raw / "submissions" / "长阳镇总工会").mkdir()
    (raw / "submissions" / "长阳镇总工会" / "长阳镇(1).xlsx").write_bytes(first.read_bytes())
    result = run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")
    dup = subs.loc["submissions/长阳镇总工会/长阳镇(1).xlsx"]
    assert (dup["state"], dup["duplicate_of"]) == ("duplicate_file", "submissions/长阳镇.xlsx")
    rows = csv(raw.parent / "out", "rows").set_index("file")
    assert rows.loc["submissions/长阳镇总工会/长阳镇(1).xlsx", "state"] == "duplicate"
    assert (
        rows.loc["submissions/长阳镇总工会/长阳镇(1).xlsx", "reason"]
        == "duplicate_file:submissions/长阳镇.xlsx"
    )
    assert result.count("rows", "accepted") == 1
    issues = csv(raw.parent / "out", "issues")
    assert issues.query("file == 'submissions/长阳镇总工会/长阳镇(1).xlsx'")["code"].tolist() == [
        "duplicate_file"
    ]


@pytest.mark.parametrize(
    ("path", "round_label", "days", "expected"),
    [
        ("长阳镇.xlsx", "第二阶段", ["2019-06-03"], "r2"),  # 报送期次 wins over dates
        ("长阳镇.xlsx", "第2期", ["2019-06-03"], "r2"),
        ("长阳镇.xlsx", "7-9月", ["2019-06-03"], "r2"),  # the months it covers
        ("长阳镇.xlsx", "三季度", ["2019-06-03"], "r2"),  # Jul..Sep: 第二阶段
        ("长阳镇.xlsx", "二", ["2019-06-03"], "r2"),  # a bare ordinal, as "2"
        ("长阳镇.xlsx", "阶段二", ["2019-06-03"], "r2"),
        ("长阳镇.xlsx", "第2轮", ["2019-06-03"], "r2"),
        ("第三阶段/长阳镇.xlsx", None, ["2019-06-03"], "r3"),  # folder wins over dates
        ("2019/r2/长阳镇.xlsx", None, ["2019-06-03"], "r2"),
        ("长阳镇.xlsx", None, ["2019-06-03", "2019-07-03", "2019-07-09"], "r2"),  # most dates
        ("长阳镇.xlsx", None, ["2019-06-03", "2019-07-03"], "r1"),  # tie: earlier round
        ("长阳镇.xlsx", None, ["某天"], ""),  # unknown
    ],
)
def test_round_from_label_then_folder_then_dates(raw, path, round_label, days, expected):
    submission(
        raw,
        path,
        "长阳镇总工会",
        [act("长阳镇卫生院", day=d) for d in days],
        round_label=round_label,
    )
    run(raw)
    assert csv(raw.parent / "out", "submissions")["round"].tolist() == [expected]


@pytest.mark.parametrize(
    ("report_date", "on_time"),
    [("2019-07-05", "True"), ("2019年7月6日", "False"), (None, "")],
)
def test_on_time_against_round_deadline(raw, report_date, on_time):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], report_date, "第一阶段")
    run(raw)
    assert csv(raw.parent / "out", "submissions")["on_time"].tolist() == [on_time]


@pytest.mark.parametrize(
    ("report_date", "round_label", "expected", "on_time"),
    [
        ("1月8日", "第三阶段", "2020-01-08", "True"),  # after the round began: next January
        ("1月12日", "第三阶段", "2020-01-12", "False"),  # deadline 2020-01-10
        ("1.8", "第二阶段", "2020-01-08", "False"),  # deadline 2019-10-10
        ("12月30日", "第三阶段", "2019-12-30", "True"),  # already after the round began
        ("2019年1月8日", "第三阶段", "2019-01-08", "True"),  # its own year is kept
    ],
)
def test_report_date_without_a_year_falls_after_its_round_began(
    raw, report_date, round_label, expected, on_time
):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院", day="2019-11-03")],
               report_date, round_label)  # fmt: skip
    run(raw)
    subs = csv(raw.parent / "out", "submissions")
    assert subs[["report_date", "on_time"]].values.tolist() == [[expected, on_time]]


def test_a_unit_saying_it_held_no_activity_has_reported(raw, campaign):
    """琉璃河 sends its header block and “本期无活动” (no table): reported on time, with no
    activity rows, not rejected and not on the 未报送 list. A sheet of unreadable rows
    is still rejected."""
    write_xlsx(raw / "submissions" / "琉璃河镇.xlsx", [
        ["学习宣传市工会十四大精神活动情况统计表"],
        ["填报单位：", "琉璃河镇总工会", "", "填报日期：", "2019-07-02"],
        ["报送期次：", "第一阶段"],
        ["本期无活动。"],
    ])  # fmt: skip
    write_xlsx(raw / "submissions" / "区教委.xlsx", [["区教委工会"], ["随便写的一行字"]])
    run(raw)
    out = raw.parent / "out"
    subs = csv(out, "submissions").set_index("file")
    nil = subs.loc["submissions/琉璃河镇.xlsx"]
    assert nil[["reporting_unit", "round", "report_date", "state", "on_time", "rows_read"]].tolist() == [
        "琉璃河镇总工会", "r1", "2019-07-02", "current", "True", "0",
    ]  # fmt: skip
    assert subs.loc["submissions/区教委.xlsx", "state"] == "rejected"
    issues = csv(out, "issues")
    said = issues.loc[issues["file"] == "submissions/琉璃河镇.xlsx", "code"].tolist()
    assert said == ["nil_report"]
    roster = roster_module.load_roster(raw / "roster")
    status = reporting.reporting_status(
        roster, pd.read_csv(out / "submissions.csv"), campaign, as_of=dt.date(2019, 7, 10)
    ).set_index(["reporting_unit", "round"])["status"]
    assert status[("琉璃河镇总工会", "r1")] == "on_time"
    assert status[("区教委工会", "r1")] == "missing"


def test_bare_csv_takes_unit_from_file_name(raw):
    text = "\n".join([",".join(TABLE_HEADER), "1,长阳镇卫生院,2019-06-03,学习,讨论会,12,"])
    (raw / "submissions" / "长阳镇-第一阶段.csv").write_text(text, encoding="gbk")
    run(raw)
    sub = csv(raw.parent / "out", "submissions").iloc[0]
    assert (sub["reporting_unit"], sub["state"], sub["rows_accepted"]) == (
        "长阳镇总工会",
        "current",
        "1",
    )
    row = csv(raw.parent / "out", "rows").iloc[0]
    assert (row["sheet"], row["row"], row["grassroots_unit"]) == ("", "2", "长阳镇卫生院工会")


def test_unknown_reporting_unit_rejects_file_with_suggestions(raw):
    submission(raw, "报表.xlsx", "长阳总工会会", [act("长阳镇卫生院")], "2019-06-28")
    result = run(raw)
    sub = csv(raw.parent / "out", "submissions").iloc[0]
    assert sub["state"] == "rejected" and "长阳镇总工会" in sub["message"]
    assert csv(raw.parent / "out", "rows")[["state", "reason"]].values.tolist() == [
        ["rejected", "reporting_unit_unresolved"]
    ]
    assert result.reconcile()["balanced"].all()


def test_bad_files_are_rejected_and_the_run_goes_on(raw):
    folder = raw / "submissions"
    (folder / "总结.pdf").write_bytes(b"%PDF-1.4 not a table")
    (folder / "空.xlsx").write_bytes(b"")
    (folder / "空2.xlsx").write_bytes(b"")  # identical bytes, but rejected, not a duplicate
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    result = run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")["state"]
    assert subs.to_dict() == {
        "submissions/坏.xlsx": "rejected",
        "submissions/空.xlsx": "rejected",
        "submissions/空2.xlsx": "rejected",
        "submissions/长阳镇.xlsx": "current",
    }
    issues = csv(raw.parent / "out", "issues")
    bad = [
        "submissions/坏.xlsx",
        "submissions/总结.pdf",
        "submissions/空.xlsx",
        "submissions/空2.xlsx",
    ]
    errors = issues[issues["file"].isin(bad)]
    assert len(errors) == 4 and set(errors["severity"]) == {"error"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in errors["message"])
    assert result.count("rows", "accepted") == 1
    # A PDF is a material (a stage summary by its name), not a submission; it cannot be read.
    listed = csv(raw.parent / "out", "materials")
    assert listed[["file", "material", "state"]].values.tolist() == [
        ["submissions/总结.pdf", "summary", "rejected"]
    ]


def test_unexpected_error_becomes_rejected_file_and_log(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    real = ingest.read_workbook

    def flaky(path, campaign, display_name):
        if "琉璃河" in display_name:
            raise RuntimeError("boom in parser")
        return real(path, campaign, display_name)

    monkeypatch.setattr(ingest, "read_workbook", flaky)
    out = raw.parent / "out"
    run(raw, out)
    subs = csv(out, "submissions").set_index("file")["state"]
    assert (
        subs["submissions/琉璃河镇.xlsx"] == "rejected"
        and subs["submissions/长阳镇.xlsx"] == "current"
    )
    messages = csv(out, "issues")["message"]
    assert not messages.str.contains("Traceback|boom").any()
    assert "RuntimeError: boom in parser" in (out / "ingest.log").read_text("utf-8")
    # A failure is not cached: once fixed, the file is read.
    monkeypatch.setattr(ingest, "read_workbook", real)
    run(raw, out)
    assert (
        csv(out, "submissions").set_index("file")["state"]["submissions/琉璃河镇.xlsx"] == "current"
    )


@pytest.mark.parametrize(
    ("error", "code", "keyword"),
    [
        (FileNotFoundError(2, "No such file or directory"), "file_vanished", "不存在"),
        (PermissionError(13, "Permission denied"), "file_locked", "关闭"),
    ],
)
def test_file_that_cannot_be_opened_is_rejected(raw, monkeypatch, error, code, keyword):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    real = ingest._sha256

    def failing(path):
        if "琉璃河" in path.name:
            raise error
        return real(path)

    monkeypatch.setattr(ingest, "_sha256", failing)
    run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")
    assert subs.loc["submissions/琉璃河镇.xlsx", ["state", "duplicate_of"]].tolist() == [
        "rejected",
        "",
    ]
    assert subs.loc["submissions/长阳镇.xlsx", "state"] == "current"
    issue = csv(raw.parent / "out", "issues").query("file == 'submissions/琉璃河镇.xlsx'")
    assert issue["code"].tolist() == [code] and keyword in issue["message"].iloc[0]


def test_lock_and_hidden_files_are_skipped_and_noted(raw):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    (raw / "submissions" / "~$长阳镇.xlsx").write_bytes(b"lock")
    (raw / "submissions" / ".DS_Store").write_bytes(b"x")
    result = run(raw)
    assert result.files_read == 1 and result.files_skipped == 2
    skipped = csv(raw.parent / "out", "issues").query("code == 'file_skipped'")
    assert sorted(skipped["file"]) == ["submissions/.DS_Store", "submissions/~$长阳镇.xlsx"]


def test_backups_temporary_files_and_shortcuts_an_office_pc_leaves_are_skipped(raw):
    """A WPS/Office backup (报送表.xlsx.bak: an earlier version) was read as a submission
    beside the current one; Word's ~WRL0001.tmp and a Windows shortcut were "not a
    spreadsheet, ask the unit to resend". Each is a warning saying what it is, also
    inside a zip."""
    import zipfile

    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    sub = raw / "submissions"
    submission(raw, "旧.xlsx", "长阳镇总工会", [act("长阳镇第一小学")], "2019-06-20")
    (sub / "旧.xlsx").rename(sub / "长阳镇.xlsx.bak")
    (sub / "~WRL0001.tmp").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    (sub / "报送表 - 快捷方式.lnk").write_bytes(b"L\0\0\0\x01\x14\x02\0" + bytes(200))
    with zipfile.ZipFile(sub / "材料.zip", "w") as archive:
        archive.writestr("琉璃河镇/报送表.xlsx.bak", (sub / "长阳镇.xlsx.bak").read_bytes())
    result = run(raw)
    out = raw.parent / "out"
    assert csv(out, "submissions")["file"].tolist() == ["submissions/长阳镇.xlsx"]
    assert result.files_skipped == 3
    issues = csv(out, "issues").set_index("file")
    assert set(issues["severity"]) == {"warning"}
    assert issues.loc["submissions/长阳镇.xlsx.bak", "message"].startswith(
        "文件“submissions/长阳镇.xlsx.bak”是 Office/WPS 保存的备份文件（旧版本），已跳过；"
    )
    assert (
        "（Office 打开文件时生成的临时文件）" in issues.loc["submissions/~WRL0001.tmp", "message"]
    )
    assert (
        "是一个快捷方式，程序不读取它指向的文件"
        in issues.loc["submissions/报送表 - 快捷方式.lnk", "message"]
    )
    assert "备份文件" in issues.loc["submissions/材料.zip/琉璃河镇/报送表.xlsx.bak", "message"]
    assert csv(out, "coverage").set_index("group").loc["长阳镇总工会", "activities"] == "1"


# --------------------------------------------------------------------------- reconciliation


def test_rows_reconcile_per_file_and_overall(raw):
    submission(
        raw,
        "a.xlsx",
        "长阳镇总工会",
        [act("长阳镇卫生院"), act("无名工会")],
        "2019-06-28",
        total=True,
    )
    submission(raw, "b.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-20")
    (raw / "submissions" / "c.xlsx").write_bytes((raw / "submissions" / "a.xlsx").read_bytes())
    submission(raw, "d.xlsx", "区教委工会", [act("区教委机关工会"), act("实验中学")], "2019-06-28")
    result = run(raw)
    table = result.reconcile().set_index("file")
    assert table.loc["submissions/a.xlsx", ["rows_read", "accepted", "rejected"]].tolist() == [
        3,
        1,
        2,
    ]
    assert table.loc["submissions/b.xlsx", ["rows_read", "superseded"]].tolist() == [1, 1]
    assert table.loc["submissions/c.xlsx", ["rows_read", "duplicate"]].tolist() == [3, 3]
    assert table.loc["submissions/d.xlsx", ["rows_read", "accepted"]].tolist() == [2, 2]
    assert table["balanced"].all()
    assert result.rows_read == 9 == sum(result.count("rows", s) for s in ingest.ROW_STATES)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["长阳镇卫生院", "本级", "", "无名工会", "琉璃河镇中心小学工会", "长阳镇总工会"]
            ),
            st.sampled_from(["2019-06-03", "某天", None, 43620]),
            st.sampled_from(["data", "data", "total", "note"]),
            st.sampled_from([12, "约50人", "若干", None]),
        ),
        max_size=12,
    ),
    st.sampled_from(["", "r1"]),
)
def test_every_row_gets_exactly_one_state(campaign, small_roster_rows, spec, round_code):
    roster = make_roster(small_roster_rows[2:])
    interpreter = ingest._Interpreter(roster, NameResolver(roster), campaign)
    table = ActivityTable(
        "活动情况", 4, {f: j for j, f in enumerate(FIELDS)}, {}, HeaderBlock("长阳镇总工会", round=round_code),
        [TableRow(5 + i, kind, {"grassroots_unit": u, "date": d, "participants": p})
         for i, (u, d, kind, p) in enumerate(spec)],
    )  # fmt: skip
    sub = ingest._Submission(
        "submissions/x.xlsx", "0", ingest.ParsedFile("submissions/x.xlsx", [table])
    )
    interpreter.interpret(sub)
    columns = sub.row_columns(ingest.ROWS_COLUMNS)
    records = [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]
    assert len(records) == len(spec)
    assert all(r["state"] in ("accepted", "rejected", "duplicate") and r["reason"] for r in records)
    # A rejected data row has an error issue for its reason; an error issue means the row
    # was rejected (a row may have several errors, the first is its reason).
    errors = {(i.row, i.code) for i in sub.row_issues if i.severity == "error"}
    rejected = {
        (r["row"], r["reason"])
        for r in records
        if r["state"] == "rejected" and r["reason"] not in ("total_row", "note_row", "no_activity")
    }
    assert rejected <= errors
    assert {row for row, _ in errors} == {row for row, _ in rejected}
    # Rows naming no activity are said once for the table, by a warning naming them.
    empty = [r["row"] for r in records if r["reason"] == "no_activity"]
    said = [i for i in sub.file_issues if i.code == "no_activity"]
    assert bool(empty) == bool(said)
    assert all(f"第{'、'.join(map(str, empty))}行" in i.message for i in said)
    assert all(isinstance(i, Issue) for i in sub.row_issues)


# --------------------------------------------------------------------------- cache and writes


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".csv", ".parquet")
    }


def test_incremental_run_equals_full_run_and_does_not_reparse(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院"), act("无名")], "2019-06-28")
    submission(raw, "r2/区教委.xlsx", "区教委工会", [act("区教委机关工会", day="2019-07-03")])
    calls: list[str] = []
    real = ingest.read_workbook

    def counting(path, campaign, display_name):
        calls.append(display_name)
        return real(path, campaign, display_name)

    monkeypatch.setattr(ingest, "read_workbook", counting)
    out = raw.parent / "out"
    first = run(raw, out, full=True)
    full = _snapshot(out)
    assert len(calls) == 2 and first.files_parsed == 2
    second = run(raw, out)
    assert len(calls) == 2 and second.files_parsed == 0  # everything from the cache
    assert _snapshot(out) == full  # byte for byte, CSV and Parquet
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    third = run(raw, out)
    assert calls[2:] == ["submissions/琉璃河镇.xlsx"] and third.files_parsed == 1
    incremental = _snapshot(out)
    run(raw, out, full=True)
    assert _snapshot(out) == incremental


def _counting(monkeypatch) -> tuple[list[str], list[str]]:
    """Record every parse (file read) and every interpretation, by file."""
    parses: list[str] = []
    interpretations: list[str] = []
    real_read, real_interpret = ingest.read_workbook, ingest._Interpreter.interpret

    def read(path, campaign, display_name):
        parses.append(display_name)
        return real_read(path, campaign, display_name)

    def interpret(self, sub):
        interpretations.append(sub.file)
        return real_interpret(self, sub)

    monkeypatch.setattr(ingest, "read_workbook", read)
    monkeypatch.setattr(ingest._Interpreter, "interpret", interpret)
    return parses, interpretations


def test_rerun_restores_interpretation_without_reinterpreting(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院"), act("无名")], "2019-06-28")
    submission(raw, "长阳镇更正.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-29")
    parses, interpretations = _counting(monkeypatch)
    out = raw.parent / "out"
    run(raw, out, full=True)
    full = _snapshot(out)
    assert len(parses) == 2 and len(interpretations) == 2
    again = run(raw, out)
    assert len(parses) == 2 and len(interpretations) == 2  # neither parsed nor interpreted
    assert _snapshot(out) == full
    # Supersession is still decided across files: the earlier file's rows stay superseded.
    assert again.count("rows", "superseded") == 2 and again.count("rows", "accepted") == 1
    assert again.issues["code"].tolist().count("unit_unresolved") == 0  # dropped with the file


def test_roster_change_reinterprets_from_cached_parse(raw, monkeypatch, small_roster_rows):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院"), act("长阳镇新建小学")],
               "2019-06-28")  # fmt: skip
    parses, interpretations = _counting(monkeypatch)
    out = raw.parent / "out"
    first = run(raw, out)
    assert first.count("rows", "accepted") == 1  # 长阳镇新建小学 is not in the roster yet
    write_xlsx(
        raw / "roster" / "名册.xlsx",
        [*small_roster_rows, [8, "长阳镇新建小学工会", "长阳镇总工会", "乡镇", 10, 10, "A4"]],
    )
    second = run(raw, out)
    assert parses == ["submissions/长阳镇.xlsx"]  # the parse came from the cache
    assert interpretations == ["submissions/长阳镇.xlsx"] * 2  # but the rows were read again
    assert second.count("rows", "accepted") == 2
    cached = _snapshot(out)
    run(raw, out, full=True)
    assert _snapshot(out) == cached


def test_aliases_change_reinterprets_from_cached_parse(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳一小")], "2019-06-28")
    parses, interpretations = _counting(monkeypatch)
    out = raw.parent / "out"
    assert run(raw, out).count("rows", "rejected") == 1
    (raw / "aliases.csv").write_text("报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n", "utf-8")
    second = run(raw, out)
    assert len(parses) == 1 and len(interpretations) == 2
    assert second.rows["grassroots_unit"].tolist() == ["长阳镇第一小学工会"]


def _forget_last_run(out: Path) -> None:
    """Remove the record of the last run, so that an unchanged re-run goes through the cache."""
    (out / ".cache" / "run.json").unlink()


def test_roster_read_from_cache_and_damaged_entry_is_a_miss(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    out = raw.parent / "out"
    run(raw, out)
    full = _snapshot(out)
    (entry,) = (out / ".cache").glob("roster-*.pkl")
    loads: list[Path] = []
    real = roster_module.load_roster
    monkeypatch.setattr(roster_module, "load_roster", lambda p: loads.append(p) or real(p))
    _forget_last_run(out)
    run(raw, out)
    assert loads == [] and _snapshot(out) == full  # the roster came from the cache
    entry.write_bytes(b"not a pickle")
    _forget_last_run(out)
    run(raw, out)
    assert loads == [raw / "roster" / "名册.xlsx"] and _snapshot(out) == full
    run(raw, out, full=True)  # --full reads the roster again too
    assert len(loads) == 2


def test_moved_copy_interpreted_under_its_own_name(raw, monkeypatch):
    # The same bytes under a round folder: its round and file columns come from the new path.
    path = submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院", day=None)])
    parses, _ = _counting(monkeypatch)
    out = raw.parent / "out"
    run(raw, out)
    (raw / "submissions" / "r2").mkdir()
    path.rename(raw / "submissions" / "r2" / "长阳镇.xlsx")
    moved = run(raw, out)
    assert len(parses) == 1  # same content: not parsed again
    assert moved.submissions[["file", "round"]].values.tolist() == [
        ["submissions/r2/长阳镇.xlsx", "r2"]
    ]
    assert moved.rows["file"].tolist() == ["submissions/r2/长阳镇.xlsx"]
    cached = _snapshot(out)
    run(raw, out, full=True)
    assert _snapshot(out) == cached


def test_byte_identical_copies_restored_from_cache_stay_duplicates(raw, monkeypatch):
    path = submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    (raw / "submissions" / "长阳镇(1).xlsx").write_bytes(path.read_bytes())
    parses, interpretations = _counting(monkeypatch)
    out = raw.parent / "out"
    run(raw, out)
    assert len(parses) == 1 and len(interpretations) == 2  # one parse, one reading per name
    again = run(raw, out)
    assert len(parses) == 1 and len(interpretations) == 2
    assert again.submissions["state"].tolist() == ["current", "duplicate_file"]
    assert again.rows["state"].tolist() == ["accepted", "duplicate"]


_CSV_TEXT = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("ab ,\"\r\n，“中文\t'")), max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_CSV_TEXT, st.one_of(st.none(), st.integers(-(2**40), 2**40)), _CSV_TEXT),
        max_size=8,
    ),  # fmt: skip
    st.integers(1, 3),
)
def test_csv_writer_bytes_equal_to_pandas_to_csv(records, width):
    # The fast writer writes what DataFrame.to_csv writes for any text, except that a
    # field holding a CR is quoted (Python 3.11's csv writer leaves it bare): the
    # reference below is minimal quoting on comma, quote, LF and CR.
    frame = pd.DataFrame(records, columns=["text", "number", "other"]).iloc[:, :width]
    frame["text"] = frame["text"].astype("str")
    if width > 1:
        frame["number"] = frame["number"].astype("Int64")
    if width > 2:
        frame["other"] = frame["other"].astype("str")

    def field(value) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        text = str(value)
        if any(c in text for c in ',"\n\r'):
            return '"' + text.replace('"', '""') + '"'
        return text

    def line(row) -> str:
        text = ",".join(field(v) for v in row)
        return text if text or len(row) > 1 else '""'  # csv's lone empty field

    lines = [",".join(frame.columns)] + [
        line(row) for row in frame.astype(object).itertuples(index=False)
    ]
    expected = ("\n".join(lines) + "\n").encode("utf-8-sig")
    written = csv_writer._csv_bytes_arrow(frame)
    assert written is None or written == expected
    if width > 1:  # text and integers: the fast path is taken
        assert written == expected
    if not frame.astype(str).apply(lambda c: c.str.contains("\r")).any().any():
        assert expected == frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("plain", b"plain,1"),
        ("a,b", b'"a,b",1'),
        ('say "hi"', b'"say ""hi""",1'),
        ("two\nlines", b'"two\nlines",1'),
        ("cr\r=1+2", b'"cr\r=1+2",1'),  # a lone CR ends a line in every reader
        (" spaced ", b" spaced ,1"),
        ("", b",1"),
        (None, b",1"),
        ("中文，全角", "中文，全角,1".encode()),
    ],
)
def test_csv_writer_quotes_only_where_needed(value, line, tmp_path):
    frame = pd.DataFrame({"text": pd.array([value], dtype="str"), "n": pd.array([1], "Int64")})
    csv_writer._write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == b"\xef\xbb\xbftext,n\n" + line + b"\n"


def test_csv_writer_quotes_a_cr_in_a_table_of_floats_too(tmp_path):
    """The `to_csv` path (floats): a text holding a CR keeps its row whole when read back."""
    frame = pd.DataFrame({"group": ["长阳镇\r=1+2", "拱辰"], "share": [0.5, 1.0]})
    csv_writer._write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    assert back["group"].tolist() == ["长阳镇\r=1+2", "拱辰"]
    assert back["share"].tolist() == [0.5, 1.0]
    plain = pd.DataFrame({"group": ["长阳镇", "拱辰"], "share": [0.5, 1.0]})
    csv_writer._write_csv(plain, tmp_path / "p.csv")  # no CR: minimal quoting as before
    assert (tmp_path / "p.csv").read_bytes() == "\ufeffgroup,share\n长阳镇,0.5\n拱辰,1.0\n".encode()


def test_csv_writer_falls_back_for_floats_and_booleans(tmp_path):
    frame = pd.DataFrame({"share": [1.0, 0.5], "flag": pd.array([True, None], dtype="boolean")})
    assert csv_writer._csv_bytes_arrow(frame) is None
    csv_writer._write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == b"\xef\xbb\xbfshare,flag\n1.0,True\n0.5,\n"


@pytest.mark.parametrize(
    ("pieces", "integer"),
    [
        ([["a", None], ["b"]], False),
        ([[None, None], [None]], False),  # all null: object, as pandas infers it
        ([[], []], False),
        ([[1, None], [3]], True),
        ([["a", 1], ["b"]], False),  # mixed Python types: left to pandas
        ([[1, None], []], True),
        # one-value text pieces (dictionary-encoded) between plain and null ones
        ([["x", "x", "x"], ["a", None], ["y", "y"], ["z"], [None]], False),
        ([["x", "x"], ["x"], [1, 2]], False),  # then a number: left to pandas
    ],
)
def test_ledger_column_from_cached_arrays_equals_python_values(pieces, integer):
    # Cached pieces are Arrow arrays, fresh ones lists; either way the column is what
    # pandas makes of the Python values.
    from analysis import ledger
    from analysis.submissions import _arrow_or_list

    flat = [v for p in pieces for v in p]
    expected = pd.Series(pd.array(flat, dtype="Int64") if integer else pd.Series(flat).array)
    mixed = [_arrow_or_list(p) if i % 2 == 0 else p for i, p in enumerate(pieces)]
    for given_pieces in (pieces, mixed, [_arrow_or_list(p) for p in pieces]):
        pd.testing.assert_series_equal(
            pd.Series(ledger._ledger_column(given_pieces, integer)), expected
        )


def test_failed_write_leaves_previous_outputs(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    out = raw.parent / "out"
    run(raw, out)
    before = _snapshot(out)
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    real = ingest._write_csv
    written: list[Path] = []

    def failing(frame, path):
        written.append(path)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real(frame, path)

    monkeypatch.setattr(ingest, "_write_csv", failing)
    with pytest.raises(ingest.OutputError, match="上一次的结果保持不变"):
        run(raw, out)
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if ".tmp" in p.name]


def test_temporary_cache_files_of_a_killed_run_are_removed_by_the_next(raw):
    """A run killed while writing a cache entry, the run record or the materials' facts
    leaves its temporary file (named with its process id) in OUT's caches; no later run
    writes that name again, so each run removes those of processes that are gone."""
    import subprocess
    import sys

    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    out = raw.parent / "out"
    run(raw, out)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    (out / ".materials-cache").mkdir(exist_ok=True)
    left = [
        out / ".cache" / f"{'0' * 40}-xlsx-e1429d2108c4361d-0ba15db158ae721c.tmp{gone}",
        out / ".cache" / f".run.json.tmp{gone}",
        out / ".cache" / f".rows.csv.json.tmp{gone}",
        out / ".materials-cache" / f"facts.tmp{gone}",
    ]
    for path in left:
        path.write_bytes(b"half")
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    run(raw, out)
    assert [p.name for p in left if p.exists()] == []
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]


def test_a_run_is_recorded_only_once_nothing_of_it_is_left_to_remove(raw, monkeypatch):
    """The record (OUT/.cache/run.json) lets the next run with the same inputs do
    nothing: had a run been killed after writing it but before the last run's tables
    set aside were removed, those would stay in OUT for as long as nothing changed."""
    from analysis import run_manifest

    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    out = raw.parent / "out"
    run(raw, out)
    seen: list[list[str]] = []
    real = run_manifest.record

    def recording(out_dir, *args, **kw):
        seen.append(sorted(p.name for p in Path(out_dir).rglob("*") if ".tmp" in p.name))
        return real(out_dir, *args, **kw)

    monkeypatch.setattr(ingest.run_manifest, "record", recording)
    real_remove = ingest._remove_in_thread

    def slow_disk(paths):  # removing a large table can take a while (ext4 `discard`)
        import threading
        import time

        thread = threading.Thread(target=lambda: (time.sleep(0.5), real_remove(paths).join()))
        thread.start()
        return thread

    monkeypatch.setattr(ingest, "_remove_in_thread", slow_disk)
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    run(raw, out)
    assert seen == [[]]


def test_a_table_open_in_excel_leaves_every_table_as_it_was_and_is_named(raw, monkeypatch):
    """On Windows a table open in Excel can be neither renamed nor replaced: the tables
    before it in the write order were already replaced, so the folder held some tables
    of each run while the message said the previous results were kept, without saying
    which file to close."""
    import errno
    import os

    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    out = raw.parent / "out"
    run(raw, out)
    before = _snapshot(out)
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    locked = out / "coverage.csv"
    real_rename, real_replace = os.rename, os.replace

    def refusing(real):
        def move(source, target):
            if locked in (Path(source), Path(target)):
                raise PermissionError(errno.EACCES, "Permission denied", str(source))
            real(source, target)

        return move

    monkeypatch.setattr(ingest.os, "rename", refusing(real_rename))
    monkeypatch.setattr(ingest.os, "replace", refusing(real_replace))
    with pytest.raises(ingest.OutputError) as err:
        run(raw, out)
    assert str(err.value) == (
        f"结果文件 {locked} 无法更新（没有权限）：它可能正在 Excel 或 WPS 中打开，请关闭后重新运行；"
        "本次没有更新任何结果文件，上一次的结果保持不变。"
    )
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if ".tmp" in p.name]


# --------------------------------------------------------------------------- CLI


def test_cli_ingest_exit_zero_and_summary(raw, capsys):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    (raw / "submissions" / "坏.xlsx").write_bytes(b"garbage")
    out = raw.parent / "out"
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr()
    assert "读取报送文件 2 个" in printed.out and "issues.csv" in printed.out
    assert "Traceback" not in printed.err


def test_cli_ingest_without_roster_exits_one(tmp_path, capsys):
    assert (
        cli.main(["ingest", "--raw", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    )
    err = capsys.readouterr().err
    assert "名册" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_ingest_unwritable_out_exits_one(raw, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise ingest.OutputError("统计结果无法写入：测试。")

    monkeypatch.setattr(ingest, "write_tables", refuse)
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(raw.parent / "out"), "--quiet"]) == 1
    assert capsys.readouterr().err.strip() == "统计结果无法写入：测试。"


def test_as_of_keeps_every_row_but_cuts_coverage(raw):
    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会",
        [act("长阳镇卫生院", day="2019-06-03"), act("长阳镇第一小学工会", day="2019-06-20")],
        "2019-06-28",
    )  # fmt: skip
    result = run(raw, as_of=dt.date(2019, 6, 10))
    assert result.count("rows", "accepted") == 2
    assert set(result.coverage) == {"coverage", "coverage_by_item"}  # never silently missing
    cov = csv(raw.parent / "out", "coverage").set_index("group")
    assert cov.loc["长阳镇总工会", "units_covered"] == "1"
    assert cov.loc["长阳镇总工会", "activities"] == "1"


# --------------------------------------------------------------------------- demo district


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    from analysis import demo

    raw = tmp_path_factory.mktemp("demo") / "raw"
    demo.generate(raw, seed=20190529)
    return raw, ingest.run(raw, raw.parent / "out", progress=False)


@pytest.mark.slow
def test_demo_rows_reconcile_per_file_and_overall(demo_run):
    raw, result = demo_run
    table = result.reconcile()
    assert table["balanced"].all()
    assert len(table) == result.files_read == len(result.submissions)
    assert table["rows_read"].sum() == result.rows_read
    assert sum(result.count("rows", s) for s in ingest.ROW_STATES) == result.rows_read
    # Every file under submissions/ is a submission row, a material, an archive holding
    # them (its members are named ARCHIVE/MEMBER), or a noted skip: nothing unaccounted for.
    on_disk = {
        p.relative_to(raw).as_posix() for p in (raw / "submissions").rglob("*") if p.is_file()
    }
    named = set(result.submissions["file"]) | set(result.materials["file"])

    def on_disk_path(name: str) -> str:
        parts = name.split("/")
        for i, part in enumerate(parts):
            if part.lower().endswith((".zip", ".7z", ".rar")):
                return "/".join(parts[: i + 1])
        return name

    accounted = {on_disk_path(n) for n in named}
    assert accounted <= on_disk
    assert len(on_disk - accounted) == result.files_skipped


@pytest.mark.slow
def test_demo_accepted_rows_match_ground_truth(demo_run):
    """Backtest against the generator's truth.csv (rows that must be accepted, with values)."""
    raw, result = demo_run
    truth = pd.read_csv(raw.parent / "truth.csv", dtype=str, keep_default_na=False)
    # The generator may draw the same activity twice in one file; by the rule for repeated
    # activities (same union, date, item, form, participants) the later copy is a duplicate.
    key = ["file", "grassroots_unit", "counted_for", "date", "work_item", "form", "participants"]
    repeated = truth[truth.duplicated(key)]
    got = csv(result.out_dir, "rows").set_index(["file", "sheet", "row"])
    for r in repeated.itertuples(index=False):
        assert got.loc[(r.file, r.sheet, r.row), "state"] == "duplicate"
    truth = truth.drop(repeated.index)
    rows = csv(result.out_dir, "rows").query("state == 'accepted'")  # as the analyst reads it
    merged = truth.merge(rows, on=["file", "sheet", "row"], how="left", suffixes=("", "_got"))
    assert merged["state"].eq("accepted").all(), merged.loc[
        merged["state"].ne("accepted"), ["file", "row"]
    ]
    for column in (
        "reporting_unit",
        "grassroots_unit",
        "counted_for",
        "work_item",
        "date",
        "round",
        "kind",
    ):
        assert (merged[column] == merged[f"{column}_got"]).all(), column
    # Accepted beyond the truth: only undated rows of a known round (our documented rule).
    keys = set(zip(truth["file"], truth["sheet"], truth["row"], strict=True))
    extra = rows[
        [k not in keys for k in zip(rows["file"], rows["sheet"], rows["row"], strict=True)]
    ]
    assert set(extra["reason"]) <= {"date_unreadable", "date_missing"}


def test_filled_template_is_read_by_position(raw, campaign):
    from analysis.templates.fill import fill_template
    from analysis.templates.writer import write_template

    path = raw / "submissions" / "长阳镇总工会_第二阶段.xlsx"
    write_template(
        path, campaign, "长阳镇总工会", "town", campaign.rounds_by_code["r2"], ["长阳镇卫生院工会"]
    )
    fill_template(
        path,
        [
            {"grassroots_unit": "长阳镇卫生院工会", "date": dt.date(2019, 7, 3),
             "work_item": "加强宣讲培训", "form": "宣讲", "participants": 40},
            {"grassroots_unit": "本级", "date": dt.date(2019, 7, 9),
             "work_item": "精心组织宣传", "form": "微信", "participants": "约50人"},
        ],
        {"report_date": dt.date(2019, 10, 11), "contact": "李明", "phone": "13900000000"},
    )  # fmt: skip
    run(raw)
    sub = csv(raw.parent / "out", "submissions").iloc[0]
    assert (sub["reporting_unit"], sub["round"], sub["template"]) == ("长阳镇总工会", "r2", "v1")
    assert (sub["report_date"], sub["on_time"]) == ("2019-10-11", "False")  # deadline 2019-10-10
    rows = csv(raw.parent / "out", "rows")
    assert rows[
        ["state", "grassroots_unit", "work_item", "participants", "template"]
    ].values.tolist() == [
        ["accepted", "长阳镇卫生院工会", "training", "40", "v1"],
        ["accepted", "", "publicity", "50", "v1"],
    ]


def test_sheets_every_visible_table_read_hidden_and_tableless_noted(raw):
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "学习"
    second, counts, hidden = (
        wb.create_sheet("宣传"),
        wb.create_sheet("宣传数量"),
        wb.create_sheet("旧表"),
    )
    for ws, unit in (
        (first, "长阳镇卫生院"),
        (second, "长阳镇第一小学工会"),
        (hidden, "长阳镇卫生院"),
    ):
        ws.append(["填报单位：", "长阳镇总工会", "", "填报日期：", "2019-06-28"])
        ws.append(TABLE_HEADER)
        ws.append([1, *act(unit)])
    counts.append(["类别", "篇数"])
    counts.append(["微信", 12])
    wb.create_sheet("说明").append(["本表由工会办公室填写。"])
    hidden.sheet_state = "hidden"
    wb.save(raw / "submissions" / "长阳镇.xlsx")
    run(raw)
    rows = csv(raw.parent / "out", "rows")
    assert rows[["sheet", "row", "grassroots_unit"]].values.tolist() == [
        ["学习", "3", "长阳镇卫生院工会"],
        ["宣传", "3", "长阳镇第一小学工会"],
    ]
    assert csv(raw.parent / "out", "submissions")["sheets"].tolist() == ["学习;宣传"]
    notes = csv(raw.parent / "out", "issues").set_index("sheet")["code"]
    assert notes["说明"] == "sheet_no_table" and notes["旧表"] == "sheet_hidden_skipped"
    said = csv(raw.parent / "out", "issues").set_index("sheet")["message"]
    assert said["说明"] == (  # the sheet's file is named: issues.csv is read row by row
        "文件“submissions/长阳镇.xlsx”的工作表“说明”有内容，但没有找到活动明细表的表头，未读取；"
        "请核对该表是否应当统计。"
    )
    assert said["旧表"] == (
        "文件“submissions/长阳镇.xlsx”的工作表“旧表”是隐藏的，其中的内容未读取；"
        "如需统计，请取消隐藏后重新运行。"
    )
    # A sheet of publicity counts is read (publicity.csv), not skipped.
    assert "宣传数量" not in notes.index
    publicity = csv(raw.parent / "out", "publicity")
    assert publicity[["sheet", "row", "output", "count", "state"]].values.tolist() == [
        ["宣传数量", "2", "wechat", "12", "accepted"]
    ]


def test_workbook_without_any_table_is_rejected_once(raw):
    write_xlsx(
        raw / "submissions" / "长阳镇总结.xlsx", [["工作总结"], ["今年我们开展了很多活动。"]]
    )
    run(raw)
    sub = csv(raw.parent / "out", "submissions").iloc[0]
    assert (sub["state"], sub["rows_read"]) == ("rejected", "0")
    issues = csv(raw.parent / "out", "issues")
    assert issues[["severity", "code"]].values.tolist() == [["error", "no_activity_table"]]


def test_workbook_whose_every_sheet_with_data_is_hidden_says_so_once(raw):
    """Not “fill in the template”: the table is there, hidden (a workbook needs one
    visible sheet, so the visible one is empty)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Sheet1"
    for name in ("活动情况", "宣传"):
        sheet = wb.create_sheet(name)
        sheet.append(["基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"])
        sheet.append(["长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20])
        sheet.sheet_state = "hidden" if name == "活动情况" else "veryHidden"
    wb.save(raw / "submissions" / "长阳镇总工会.xlsx")
    run(raw)
    sub = csv(raw.parent / "out", "submissions").iloc[0]
    assert (sub["state"], sub["rows_read"]) == ("rejected", "0")
    issues = csv(raw.parent / "out", "issues")
    assert issues[["severity", "code", "message"]].values.tolist() == [
        ["error", "no_activity_table",
         "文件“submissions/长阳镇总工会.xlsx”中有内容的工作表都是隐藏的（“活动情况”、“宣传”），"
         "其中的内容未读取，未计入统计；如需统计，请在 Excel/WPS 中右键工作表标签选“取消隐藏”"
         "并保存后重新运行，或让报送单位取消隐藏后重新报送。"]
    ]  # fmt: skip


def test_rejected_workbook_names_the_header_row_it_found_and_what_it_lacks(raw):
    # Row 3 has two of the activity columns; the others are missing.
    write_xlsx(
        raw / "submissions" / "长阳镇活动.xlsx",
        [
            ["活动情况"],
            ["填报单位：", "长阳镇总工会"],
            ["基层工会名称", "活动日期", "说明"],
            ["长阳镇卫生院工会", "2019-06-03", "学习"],
        ],  # fmt: skip
        sheet="活动",
    )
    run(raw)
    issues = csv(raw.parent / "out", "issues")
    assert issues[["code", "message"]].values.tolist() == [
        ["no_activity_table",
         "文件“submissions/长阳镇活动.xlsx”中没有找到活动明细表：工作表“活动”第3行有"
         "“基层工会名称”“活动日期”，缺少“工作类别”“活动形式”“参加人数”；未计入统计，"
         "请让报送单位按模板补齐表头（基层工会名称、活动日期、工作类别、活动形式、参加人数）后重新报送。"]
    ]  # fmt: skip


def test_unknown_work_item_lists_the_five_work_items(raw):
    row = ["长阳镇卫生院", "2019-06-03", "年度考核", "其他形式", 20, ""]
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [row], report_date="2019-06-28",
               round_label="第一阶段")  # fmt: skip
    run(raw)
    issues = csv(raw.parent / "out", "issues").set_index("code")
    assert issues.loc["work_item_unknown", "message"] == (
        "文件“submissions/长阳镇.xlsx”工作表“活动情况”"
        "第6行：工作类别“年度考核”无法对应到通知中的工作类别（“切实抓好学习”“加强宣讲培训”"
        "“精心组织宣传”“狠抓工作落实”“做好相关资料上报”），计入“其他”；请从中选择一项填写。"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("r2", "r2"),
        ("R2", "r2"),  # case and width do not matter
        ("ｒ２", "r2"),
        ("第二阶段", "r2"),
        ("第 二 期", "r2"),
        ("2019年第二阶段报送", "r2"),
        ("第三阶段（总结）", "r3"),
        ("总结材料", "r3"),
        ("第一阶段（5月8日-6月30日）", "r1"),
        ("dr23", None),  # "r2" inside a word is not a round
        ("第一阶段和第二阶段", None),  # two rounds named: no guess
        ("", None),
        (None, None),
    ],
)
def test_round_from_text(campaign, text, expected):
    assert submissions.round_from_text(text, campaign) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("长阳镇工会简报第12期配图", None),  # not "2期"
        ("工会信息第13期配图", None),  # not "3期"
        ("工作动态第十一期配图", None),  # not "一期"
        ("第十二期", None),
        ("第21期", None),
        ("第11阶段", None),
        ("简报第2期", None),  # the 2nd issue of a 简报, not round 2
        ("工作动态二期", None),
        ("2019年第2期报送", "r2"),
        ("二〇一九年二期", "r2"),
        ("第2阶段照片", "r2"),
    ],
)
def test_an_issue_number_is_not_a_round(campaign, text, expected):
    assert submissions.round_from_text(text, campaign) == expected


def test_every_round_label_still_names_its_round(campaign):
    for rnd in campaign.rounds:
        for label in (rnd.code, rnd.name, *rnd.labels):
            for text in (label, f"长阳镇总工会{label}报送材料", f"2019年{label}"):
                assert submissions.round_from_text(text, campaign) == rnd.code, text


@pytest.mark.parametrize(
    ("name", "rank"),
    [
        ("长阳镇.xlsx", 0),
        ("长阳镇（更正）.xlsx", 1),
        ("长阳镇修改后.xlsx", 1),
        ("长阳镇v2.xlsx", 3),
        ("长阳镇第二版.xlsx", 3),
        ("长阳镇3版.xlsx", 4),
        ("长阳镇最终版.xlsx", 1000),
    ],
)
def test_version_rank_orders_corrections(name, rank):
    assert submissions._version_rank(f"submissions/{name}") == rank


# --------------------------------------------------------------------------- unchanged re-run


def _stamps(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix in (".csv", ".parquet")}


def test_unchanged_rerun_recomputes_and_rewrites_nothing(raw, monkeypatch):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院"), act("无名")], "2019-06-28")
    out = raw.parent / "out"
    first = run(raw, out)
    stamps, tables = _stamps(out), _snapshot(out)
    parses, interpretations = _counting(monkeypatch)
    monkeypatch.setattr(ingest, "write_tables", lambda *a, **k: pytest.fail("tables rewritten"))
    again = run(raw, out)
    assert parses == [] and interpretations == []
    assert _stamps(out) == stamps and _snapshot(out) == tables
    # The same result as the run that wrote the tables, read back from their Parquet.
    assert again.files_parsed == 0 and again.summary_zh() == first.summary_zh()
    for name in ("rows", "submissions", "issues"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name))
    assert again.coverage.keys() == first.coverage.keys()
    for name, frame in first.coverage.items():
        pd.testing.assert_frame_equal(again.coverage[name], frame)


@pytest.mark.parametrize(
    "change",
    ["new_submission", "aliases", "roster", "as_of", "campaign", "table_edited", "full"],
)
def test_rerun_after_any_change_recomputes(raw, change, campaign):
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳一小")], "2019-06-28")
    out = raw.parent / "out"
    run(raw, out)
    kw: dict = {}
    expect_rejected = 1  # 长阳一小 is not in the roster
    if change == "new_submission":
        submission(raw, "r2/区教委.xlsx", "区教委工会", [act("区教委机关工会", day="2019-07-03")])
    elif change == "aliases":
        (raw / "aliases.csv").write_text(
            "报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n", "utf-8"
        )
        expect_rejected = 0
    elif change == "roster":
        rows = [["名册"], ["序号", "基层工会名称", "上级工会", "类别", "会员人数", "职工人数"],
                [1, "长阳一小", "长阳镇总工会", "乡镇", 40, 45]]  # fmt: skip
        write_xlsx(raw / "roster" / "名册.xlsx", rows)
        expect_rejected = 0
    elif change == "as_of":
        kw["as_of"] = dt.date(2019, 6, 1)
    elif change == "campaign":
        kw["campaign"] = campaign
    elif change == "table_edited":
        (out / "rows.csv").write_text("edited", encoding="utf-8")
    elif change == "full":
        kw["full"] = True
    stamps = _stamps(out)
    again = run(raw, out, **kw)
    assert _stamps(out)["rows.csv"] != stamps["rows.csv"]  # written again
    assert again.count("rows", "rejected") == expect_rejected
    assert csv(out, "rows")["state"].tolist().count("rejected") == expect_rejected


def test_cli_unchanged_rerun_prints_last_summary_without_importing_pandas(raw, tmp_path):
    import subprocess
    import sys

    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    out = tmp_path / "out"
    code = (
        "import sys\nfrom analysis import cli\n"
        f"status = cli.main(['ingest', '--raw', {str(raw)!r}, '--out', {str(out)!r}, '--quiet'])\n"
        "print('pandas' in sys.modules, status)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    summary, change, loaded = first.stdout.rstrip("\n").rsplit("\n", 2)
    assert loaded == "True 0" and "活动记录 1 行：计入 1 行" in summary
    assert change == "这是第一次运行，没有上次的结果可以比较。"
    again, unchanged, loaded = second.stdout.rstrip("\n").rsplit("\n", 2)
    assert (again, loaded) == (summary, "False 0")
    assert unchanged.startswith("与上次运行（") and unchanged.endswith("都没有变化。")


def test_run_freezes_what_it_holds_for_the_collector_and_gives_it_back(raw, monkeypatch):
    """The interpretations are frozen for the cyclic collector during the run (gc.freeze),
    unfrozen at its end; a caller's own frozen objects are neither added to nor thawed."""
    import gc

    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], "2019-06-28")
    seen: list[int] = []
    real = ingest._issues_table  # built once every interpretation is held

    def spy(issues):
        seen.append(gc.get_freeze_count())
        return real(issues)

    monkeypatch.setattr(ingest, "_issues_table", spy)
    assert gc.get_freeze_count() == 0
    run(raw, full=True)
    assert seen[-1] > 0 and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        theirs = gc.get_freeze_count()
        run(raw, full=True)
        # Not frozen by the run (no more than the caller's, some freed meanwhile), not thawed.
        assert 0 < seen[-1] <= theirs and 0 < gc.get_freeze_count() <= theirs
    finally:
        gc.unfreeze()


def test_the_cut_off_date_is_told_and_one_before_the_campaign_is_warned(raw, tmp_path, campaign):
    import datetime as dt

    assert ingest.run(raw, tmp_path / "a", progress=False).notes == []
    within = ingest.run(raw, tmp_path / "b", as_of=campaign.start, progress=False)
    assert within.notes == [f"统计截止日期 {campaign.start.isoformat()}：此后的活动不计入覆盖率。"]
    early = ingest.run(raw, tmp_path / "c", as_of=dt.date(1990, 1, 1), progress=False)
    assert len(early.notes) == 2 and "早于活动开始日期" in early.notes[1]
    assert early.summary_zh().endswith(early.notes[1])
    # A year after the last deadline (2020-01-10) is still a date one may mean; 2091 is not.
    late = ingest.run(raw, tmp_path / "d", as_of=dt.date(2021, 1, 10), progress=False)
    assert len(late.notes) == 1
    typo = ingest.run(raw, tmp_path / "e", as_of=dt.date(2091, 9, 30), progress=False)
    assert typo.notes[1] == (
        "注意：统计截止日期 2091-09-30 比活动结束（2019-12-31）和最后一期报送截止（2020-01-10）"
        "晚了一年以上，疑似年份写错；统计照常进行，请检查 --as-of 是否写错。"
    )


def test_a_shortcut_to_a_file_that_is_gone_is_noted_not_dropped(raw, tmp_path):
    (raw / "submissions" / "长阳镇报送.xlsx").symlink_to(tmp_path / "已删除.xlsx")
    result = ingest.run(raw, tmp_path / "out", progress=False)
    skipped = result.issues[result.issues["code"] == "file_skipped"]
    assert skipped["file"].tolist() == ["submissions/长阳镇报送.xlsx"]
    assert "快捷方式" in skipped["message"].iloc[0] and result.files_skipped == 1


def test_a_file_without_填报单位_takes_its_unit_from_the_title_row(raw):
    write_xlsx(
        raw / "submissions" / "活动情况统计表.xlsx",
        [["长阳镇总工会学习宣传贯彻市工会十四大精神活动情况统计表"], TABLE_HEADER,
         [1, "长阳镇卫生院", "2019-06-03", "切实抓好学习", "讨论会", 30, ""]],
    )  # fmt: skip
    run(raw)
    subs = csv(raw.parent / "out", "submissions")
    assert subs[["reporting_unit", "state", "rows_accepted"]].values.tolist() == [
        ["长阳镇总工会", "current", "1"]
    ]


@pytest.mark.parametrize("written", ["镇总工会", "本镇总工会", "总工会"])
def test_the_federation_named_generically_is_its_own_activity(raw, written):
    """'镇总工会' in a town federation's table is the federation itself, as 本级 and its
    full name are: counted in activities, not in coverage, and no unresolved name."""
    submission(raw, "长阳镇.xlsx", "长阳镇总工会",
               [act("长阳镇总工会", participants=20), act(written, participants=40)], "2019-06-28")  # fmt: skip
    t = run(raw)
    rows = csv(raw.parent / "out", "rows")
    assert rows["state"].tolist() == ["accepted", "accepted"]
    assert "unit_unresolved" not in set(t.issues["code"])
    coverage = csv(raw.parent / "out", "coverage").set_index("group")
    assert coverage.loc["长阳镇总工会", ["activities", "participants", "units_covered"]].tolist() == [
        "2", "60", "0",
    ]  # fmt: skip


def test_an_unresolved_reporting_unit_is_not_guessed_from_its_own_line(raw):
    """填报单位“琉璃河镇人民政府” in a file whose name names no unit: refused with the closest
    roster name suggested, not counted for 琉璃河镇总工会 “by the file name”."""
    (raw / "submissions" / "第一阶段报送表.csv").write_text(
        "填报单位：琉璃河镇人民政府\n基层工会名称,活动日期,工作类别,活动形式,参加人数\n"
        "琉璃河镇中心小学工会,2019-06-03,切实抓好学习,讨论会,20\n",
        encoding="utf-8",
    )
    result = run(raw, full=True)
    assert result.submissions["state"].tolist() == ["rejected"]
    issue = result.issues[result.issues["code"] == "reporting_unit_unresolved"]
    assert issue["suggestions"].tolist() == ["琉璃河镇总工会"]


def test_a_grassroots_unions_own_publicity_counts_are_its_own(raw):
    """Its running total is the union's, not 长阳镇's own (which would replace the
    town's breakdown of every union)."""
    from tests.conftest import write_xlsx

    write_xlsx(raw / "submissions" / "卫生院宣传.xlsx", [
        ["填报单位：长阳镇卫生院工会", None, "报送期次：第一阶段"],
        ["项目", "数量"],
        ["简报", 3],
        ["微信", 8],
    ])  # fmt: skip
    run(raw)
    publicity = csv(raw.parent / "out", "publicity")
    assert publicity[["reporting_unit", "grassroots_unit", "output", "count"]].values.tolist() == [
        ["长阳镇总工会", "长阳镇卫生院工会", "briefs", "3"],
        ["长阳镇总工会", "长阳镇卫生院工会", "wechat", "8"],
    ]


def test_a_file_without_round_or_dates_takes_the_round_its_name_gives(raw):
    """Publicity counts only, no 报送期次, no folder: 第二阶段 in the file's name places
    them (said in a warning); without it, the warning says they are in no round's total."""
    from tests.conftest import write_xlsx

    for name in ("长阳镇总工会第二阶段宣传成果.xlsx", "区教委工会宣传成果.xlsx"):
        unit = name.split("宣传")[0].removesuffix("第二阶段")
        write_xlsx(raw / "submissions" / name,
                   [[f"填报单位：{unit}"], ["项目", "数量"], ["简报", 3]])  # fmt: skip
    run(raw)
    subs = csv(raw.parent / "out", "submissions").set_index("file")["round"]
    assert subs.to_dict() == {
        "submissions/长阳镇总工会第二阶段宣传成果.xlsx": "r2",
        "submissions/区教委工会宣传成果.xlsx": "",
    }
    issues = csv(raw.parent / "out", "issues").set_index("code")["message"]
    assert "已按文件名计入“第二阶段”" in issues["round_from_filename"]
    assert "宣传成果数量也不计入按期统计" in issues["round_unknown"]
