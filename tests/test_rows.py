"""Rows as offices really edit them, end to end in every format they arrive in.

The LibreOffice-made fixtures come from tests/fixtures/make_rows_fixtures.py (the
numbers below are that script's cells, worked out by hand); the other cases are
built in the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import ingest
from tests.conftest import FIXTURES, unlocated, write_xlsx

FORMATS = ("xlsx", "xls", "ods")


def run(raw: Path) -> dict[str, pd.DataFrame]:
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False, full=True)
    return {
        name: pd.read_csv(
            out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        for name in ("rows", "issues", "submissions", "publicity")
    }


def with_fixture(raw: Path, stem: str, fmt: str) -> str:
    shutil.copy(FIXTURES / f"{stem}.{fmt}", raw / "submissions" / f"长阳镇总工会_{stem}.{fmt}")
    return f"submissions/长阳镇总工会_{stem}.{fmt}"


def ledger(rows: pd.DataFrame) -> list[tuple]:
    return list(rows[["sheet", "row", "state", "reason", "participants"]].itertuples(index=False))


# ----------------------------------------------------------------- issue 17: split figures


@pytest.mark.parametrize("fmt", FORMATS)
def test_split_participants_total_column_and_sum_of_parts(raw, fmt):
    with_fixture(raw, "rows_split", fmt)
    t = run(raw)
    assert ledger(t["rows"]) == [
        # 会员人数 | 非会员人数 | 合计: the 合计 column is the figure.
        ("分项", "4", "accepted", "ok", "21"),
        ("分项", "5", "accepted", "participants_parts_disagree", "16"),  # 10 + 5 = 15 ≠ 16
        ("分项", "6", "accepted", "ok", "8"),  # 8 + blank = 8
        # 参加人数 merged over 男 | 女, no total: the sum of the parts.
        ("男女", "5", "accepted", "ok", "28"),  # 12 + 16
        ("男女", "6", "accepted", "ok", "5"),  # 5 + blank
    ]
    issues = t["issues"].set_index("code")
    disagree = issues.loc["participants_parts_disagree"]
    assert (disagree["sheet"], disagree["row"], disagree["column"]) == ("分项", "5", "H")
    assert "合计为16" in disagree["message"] and "分项之和为15" in disagree["message"]
    assert "会员人数10+非会员人数5" in disagree["message"]
    summed = issues.loc["participants_summed"]
    assert (summed["sheet"], summed["row"]) == ("男女", "4")
    assert "F列“参加人数男”、G列“参加人数女”" in summed["message"]
    assert "已按各列之和计入" in summed["message"]


def test_split_participants_in_csv(raw):
    text = (
        "填报单位：长阳镇总工会\n"
        "序号,基层工会名称,活动日期,工作类别,活动形式,会员人数,非会员人数,合计\n"
        "1,长阳镇第一小学工会,2019-06-03,切实抓好学习,座谈会,14,7,21\n"
        "2,长阳镇卫生院工会,2019-06-10,加强宣讲培训,宣讲,10,5,16\n"
    )
    (raw / "submissions" / "长阳镇总工会.csv").write_text(text, encoding="utf-8")
    t = run(raw)
    assert list(t["rows"]["participants"]) == ["21", "16"]
    assert list(t["rows"]["reason"]) == ["ok", "participants_parts_disagree"]


def test_a_csv_table_note_names_the_file_and_row_not_a_sheet(raw):
    """A CSV has no sheets: a note on its header names the file and the row, not the
    reader's own name for its one grid (the file's stem)."""
    (raw / "submissions" / "长阳镇.csv").write_text(
        "填报单位：长阳镇总工会\n"
        "序号,基层工会名称,活动日期,工作类别,活动形式,男,女\n"
        "1,长阳镇卫生院工会,2019-06-03,切实抓好学习,讨论会,3,4\n",
        encoding="utf-8",
    )
    issues = run(raw)["issues"]
    note = issues.set_index("code").loc["participants_summed"]
    assert (note["sheet"], note["row"]) == ("", "2")
    assert note["message"].startswith("文件“submissions/长阳镇.csv”第2行的表头把参加人数分成几列")
    assert "工作表" not in note["message"]


def test_two_candidate_columns_without_rule_are_named_once(raw):
    grid = [
        ["填报单位：长阳镇总工会"],
        ["基层工会名称", "活动日期", "活动时间", "工作类别", "活动形式", "参加人数"],
        ["长阳镇第一小学工会", "2019-06-03", "上午", "切实抓好学习", "座谈会", 20],
        ["长阳镇卫生院工会", "2019-06-04", "下午", "切实抓好学习", "座谈会", 30],
    ]
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", grid, sheet="活动情况")
    t = run(raw)
    notes = t["issues"][t["issues"]["code"] == "column_ambiguous"]
    assert len(notes) == 1  # once per table, not per row
    note = notes.iloc[0]
    assert (note["row"], note["column"]) == ("2", "B")
    assert (
        "B列“活动日期”、C列“活动时间”" in note["message"]
        and "已使用B列“活动日期”" in note["message"]
    )
    assert list(t["rows"]["date"]) == ["2019-06-03", "2019-06-04"]


# ----------------------------------------------------- issue 13.1 / 13.2: deleted and repeated


@pytest.mark.parametrize("fmt", FORMATS)
def test_struck_rows_void_remarks_and_pasted_copies(raw, fmt):
    file = with_fixture(raw, "rows_struck", fmt)
    t = run(raw)
    assert ledger(t["rows"]) == [
        ("活动情况", "4", "accepted", "ok", "20"),
        ("活动情况", "5", "rejected", "row_deleted", ""),  # every cell struck through
        ("活动情况", "6", "accepted", "ok", "31"),  # one struck cell is no deletion
        ("活动情况", "7", "accepted", "ok", "12"),  # a fill colour decides nothing
        ("活动情况", "8", "accepted", "remark_says_void", "40"),
        ("活动情况", "9", "duplicate", "duplicate_row:活动情况!4", "20"),  # row 4 pasted again
    ]
    issues = t["issues"].set_index("code")
    deleted = issues.loc["row_deleted"]
    assert (deleted["severity"], deleted["sheet"], deleted["row"]) == ("error", "活动情况", "5")
    assert deleted["message"].startswith(
        f"文件“submissions/长阳镇总工会_rows_struck.{fmt}”的工作表“活动情况”第5行的内容全部被划了删除线"
    )
    assert "未计入统计" in deleted["message"] and "去掉删除线" in deleted["message"]
    void = issues.loc["remark_says_void"]
    assert (void["severity"], void["row"], void["column"]) == ("warning", "8", "G")
    assert "备注“此条作废”" in void["message"] and "仍已计入" in void["message"]
    copy = issues.loc["duplicate_row"]
    assert (copy["severity"], copy["row"]) == ("warning", "9")
    assert "与工作表“活动情况”第4行是同一项活动" in copy["message"]
    sub = t["submissions"].set_index("file").loc[file]
    assert (sub["rows_read"], sub["rows_accepted"], sub["rows_rejected"]) == ("6", "4", "1")


def test_same_day_same_union_different_form_or_participants_both_count(raw):
    grid = [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 20],
        [2, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "报告会", 20],
        [3, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 21],
        [4, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 20],
    ]
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", grid, sheet="活动情况")
    t = run(raw)
    assert list(t["rows"]["state"]) == ["accepted", "accepted", "accepted", "duplicate"]
    assert t["rows"]["reason"].iloc[3] == "duplicate_row:活动情况!3"


def test_pasted_copy_in_csv_names_the_row(raw):
    text = (
        "序号,基层工会名称,活动日期,工作类别,活动形式,参加人数\n"
        "1,长阳镇第一小学工会,2019-06-03,切实抓好学习,座谈会,20\n"
        "2,长阳镇第一小学工会,2019-06-03,切实抓好学习,座谈会,20\n"
    )
    (raw / "submissions" / "长阳镇总工会.csv").write_text(text, encoding="utf-8")
    t = run(raw)
    assert list(t["rows"]["state"]) == ["accepted", "duplicate"]
    assert t["rows"]["reason"].iloc[1] == "duplicate_row:2"


# ------------------------------------------------------------- issue 13.2: cumulative tables


def _submission(raw: Path, name: str, rows: list[list[object]], round_label: str, day: str) -> None:
    grid = [
        ["填报单位：长阳镇总工会", None, f"报送期次：{round_label}", None, f"填报日期：{day}"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        *[[k + 1, *r] for k, r in enumerate(rows)],
    ]
    write_xlsx(raw / "submissions" / name, grid, sheet="活动情况")


R1_ROWS = [
    ["长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 20],
    ["长阳镇卫生院工会", "2019-06-10", "加强宣讲培训", "宣讲", 30],
]


def test_cumulative_later_round_counts_each_activity_once(raw):
    _submission(raw, "长阳镇总工会_r1.xlsx", R1_ROWS, "第一阶段", "2019-07-03")
    cumulative = [*R1_ROWS, ["长阳镇卫生院工会", "2019-08-01", "加强宣讲培训", "宣讲", 25]]
    _submission(raw, "长阳镇总工会_截至9月底累计.xlsx", cumulative, "第二阶段", "2019-10-08")
    for _ in range(2):  # a cached re-run decides the same (the comparison runs every time)
        out = raw.parent / "out"
        ingest.run(raw, out, progress=False)
        rows = pd.read_csv(out / "rows.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        issues = pd.read_csv(
            out / "issues.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        later = rows[rows["file"] == "submissions/长阳镇总工会_截至9月底累计.xlsx"]
        assert list(later["state"]) == ["duplicate", "duplicate", "accepted"]
        assert set(later["reason"].iloc[:2]) == {"earlier_round:submissions/长阳镇总工会_r1.xlsx"}
        assert list(rows.loc[rows["state"] == "accepted", "round"]) == ["r1", "r1", "r2"]
        notes = issues[issues["code"] == "repeated_earlier_round"]
        assert list(notes["row"]) == ["3", "4"]
        assert notes["message"].iloc[0] == (
            "文件“submissions/长阳镇总工会_截至9月底累计.xlsx”的"
            "工作表“活动情况”第3行与第一阶段已报送的文件“submissions/长阳镇总工会_r1.xlsx”"
            "工作表“活动情况”第3行是同一项活动（累计表重复列出），按首次报送的第一阶段计入，本次不再重复计算。"
        )
        subs = pd.read_csv(out / "submissions.csv", encoding="utf-8-sig", dtype=str)
        assert list(subs["rows_accepted"]) == ["2", "1"]


# ------------------------------------------------------------------ issue 13.6: stray dates


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_stray_date_is_counted_in_its_round_but_undated(raw, kind):
    body = [
        ["长阳镇第一小学工会", "2029.3.15", "切实抓好学习", "座谈会", 20],
        ["长阳镇卫生院工会", "2019-06-10", "加强宣讲培训", "宣讲", 30],
    ]
    if kind == "xlsx":
        _submission(raw, "长阳镇总工会_r1.xlsx", body, "第一阶段", "2019-07-03")
        row = "3"
    else:
        lines = ["报送期次：第一阶段", "序号,基层工会名称,活动日期,工作类别,活动形式,参加人数"]
        lines += [",".join(str(v) for v in [k + 1, *r]) for k, r in enumerate(body)]
        (raw / "submissions" / "长阳镇总工会.csv").write_text("\n".join(lines), encoding="utf-8")
        row = "3"
    t = run(raw)
    first = t["rows"].iloc[0]
    assert (first["state"], first["reason"], first["date"], first["round"]) == (
        "accepted",
        "date_out_of_window",
        "",
        "r1",
    )
    note = t["issues"].set_index("code").loc["date_out_of_window"]
    assert (note["row"], note["column"], note["severity"]) == (row, "C", "warning")
    assert unlocated(note["message"]) == (
        f"第{row}行：活动日期“2029.3.15”不在本次活动时间（2019年5月8日至2019年12月31日）内，"
        "也不在所报的第一阶段（2019年5月8日至2019年6月30日）内，疑似填错；"
        "该行已按报送期次计入活动数，但日期按未知处理，不计入按日期的统计；请核对更正。"
    )


def test_default_as_of_never_after_the_last_deadline(campaign):
    from analysis.briefing import default_as_of

    rows = pd.DataFrame({"state": ["accepted", "accepted"], "date": ["2019-06-03", "2029-03-15"]})
    assert str(default_as_of(campaign, rows, "r1")) == "2020-01-10"  # r3's deadline
    rows = pd.DataFrame({"state": ["accepted"], "date": ["2019-06-03"]})
    assert str(default_as_of(campaign, rows, "r1")) == "2019-06-03"


# ------------------------------------------------------------ issue 13.5: values as written


@pytest.mark.parametrize(
    ("written", "count", "code"),
    [
        ("12+8", 20, "participants_worked_out"),
        ("12 + 8 + 3", 23, "participants_worked_out"),
        ("全体会员（28人）", 28, "participants_worked_out"),
        ("5（人）", 5, None),  # read as written: only the unit is bracketed
        ("50人（线上）", 50, "participants_worked_out"),  # a note after the number
        ("120人次（含线上）", 120, "participants_worked_out"),
        ("约50人（线上）", 50, "participants_worked_out"),  # an estimate with a note: said
        ("50人(其中线上20人)", 50, "participants_worked_out"),  # the whole, then “of which”
        ("男12人，女16人", 28, "participants_worked_out"),
        ("职工12人、干部8人", 20, "participants_worked_out"),
        ("共50人，其中女30人", 50, "participants_worked_out"),  # a subset, never added
        ("约50人，其中党员20", 50, "participants_approximate"),
        ("其中女30人", None, "participants_unreadable"),  # no whole before it
        ("全体职工", None, "participants_unreadable"),
    ],
)
def test_participants_worked_out(written, count, code):
    from analysis.clean import parse_participants

    assert parse_participants(written) == (count, code)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("六月十八日", "2019-06-18"),  # no year: the campaign's year
        ("二〇一九年六月三日", "2019-06-03"),
        ("二零一九年十月一日", "2019-10-01"),
        ("十二月三十一日", "2019-12-31"),
    ],
)
def test_chinese_numeral_dates(campaign, written, day):
    from analysis.clean import parse_date

    assert parse_date(written, campaign) == (pd.Timestamp(day).date(), None)


VALUE_ROWS = [
    ["长阳镇第一小学工会", "六月十八日", "切实抓好学习", "座谈会", "12+8"],
    ["长阳镇卫生院工会", "二〇一九年六月三日", "加强宣讲培训", "宣讲", "全体会员（28人）"],
    ["长阳镇卫生院工会", "2019-06-04", "加强宣讲培训", "宣讲", "5（人）"],
    ["工会本级", "2019-06-05", "切实抓好学习", "报告会", "男12人，女16人"],
    ["机关 本级", "2019-06-06", "切实抓好学习", "报告会", 9],
]  # as in make_rows_fixtures.py, sheet 写法 (header on row 3, data from row 4)
VALUES_EXPECTED = [
    ("accepted", "长阳镇第一小学工会", "长阳镇总工会", "2019-06-18", "20"),
    ("accepted", "长阳镇卫生院工会", "长阳镇总工会", "2019-06-03", "28"),
    ("accepted", "长阳镇卫生院工会", "长阳镇总工会", "2019-06-04", "5"),
    ("accepted", "", "长阳镇总工会", "2019-06-05", "28"),  # the federation itself
    ("accepted", "", "长阳镇总工会", "2019-06-06", "9"),
]


def _check_values(t: dict[str, pd.DataFrame], first_row: int) -> None:
    rows = t["rows"]
    got = rows[["state", "grassroots_unit", "counted_for", "date", "participants"]]
    assert [tuple(r) for r in got.itertuples(index=False)][:5] == VALUES_EXPECTED
    issues = t["issues"]
    worked = issues[issues["code"] == "participants_worked_out"]
    assert list(worked["row"]) == [str(first_row + k) for k in (0, 1, 3)]
    assert set(worked["column"]) == {"F"}
    assert unlocated(worked["message"].iloc[0]) == (
        f"第{first_row}行：参加人数“12+8”不是一个数字，已算出人数计入（各部分相加或取括号内人数）；请核对。"
    )
    # A federation marker is never an unresolved name with roster suggestions.
    assert not (issues["code"] == "unit_unresolved").any()


def test_values_as_written_in_csv(raw):
    lines = ["报送期次：第一阶段", "序号,基层工会名称,活动日期,工作类别,活动形式,参加人数"]
    lines += [",".join(f'"{v}"' for v in [k + 1, *r]) for k, r in enumerate(VALUE_ROWS)]
    (raw / "submissions" / "长阳镇总工会.csv").write_text("\n".join(lines), encoding="utf-8")
    _check_values(run(raw), 3)


# ------------------------------------------------- issue 13.4: the work item from free text


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_and_work_item_from_content_in_every_format(raw, fmt):
    with_fixture(raw, "rows_values", fmt)
    t = run(raw)
    _check_values(t, 4)
    content = t["rows"][t["rows"]["sheet"] == "内容"]
    assert list(zip(content["row"], content["work_item"], content["reason"], strict=True)) == [
        ("4", "study", "work_item_inferred"),  # 理论中心组学习十四大精神
        ("5", "training", "work_item_inferred"),  # 十四大精神宣讲
        ("6", "publicity", "work_item_inferred"),  # 制作宣传栏展板
        ("7", "implementation", "work_item_inferred"),  # 开展技能竞赛弘扬劳模精神
        ("8", "reporting", "work_item_inferred"),  # 报送第一阶段工作总结
        ("9", "other", "work_item_missing"),  # 组织职工观看电影: no synonym
    ]
    issues = t["issues"]
    inferred = issues[(issues["code"] == "work_item_inferred") & (issues["sheet"] == "内容")]
    assert unlocated(inferred["message"].iloc[0]) == (
        "第4行：工作类别未填写或无法识别，已根据活动内容“理论中心组学习十四大精神”推断为“学习”；请核对。"
    )
    assert set(inferred["column"]) == {"D"}


# --------------------------------------------------------- issue 13.7: header-block footers

FOOTER = "填表人：李明　审核人：张华　联系电话：010-69312345"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_footer_gives_contact_and_phone(raw, kind):
    grid = [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "座谈会", 30],
        [FOOTER],
    ]
    if kind == "xlsx":
        write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", grid, sheet="活动情况")
    else:
        text = "\n".join(",".join(str(v) for v in r) for r in grid)
        (raw / "submissions" / "长阳镇总工会.csv").write_text(text, encoding="utf-8")
    t = run(raw)
    sub = t["submissions"].iloc[0]
    assert (sub["contact"], sub["phone"]) == ("李明", "010-69312345")
    assert list(t["rows"]["state"]) == ["accepted", "rejected"]  # the footer is a note row


# ------------------------------------------------------------ issue 13.3: one sheet per round


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_sheet_per_round(raw, fmt, campaign):
    from analysis.reporting import reporting_status
    from analysis.roster import load_roster

    file = with_fixture(raw, "rows_rounds", fmt)
    t = run(raw)
    got = t["rows"][["sheet", "row", "state", "round"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        ("第一阶段", "4", "accepted", "r1"),
        ("第一阶段", "5", "accepted", "r1"),
        ("第二阶段", "4", "accepted", "r2"),
        ("第二阶段", "5", "accepted", "r2"),
    ]  # the hidden sheet r3 is not read
    sub = t["submissions"].set_index("file").loc[file]
    # One row per file: its rounds joined; on time only when on time for every round
    # (填报日期 2019-07-20 is after r1's deadline 2019-07-05, before r2's 2019-10-10).
    assert (sub["round"], sub["on_time"], sub["rows_accepted"]) == ("r1;r2", "False", "4")
    # Reporting status is judged round by round.
    roster = load_roster(raw / "roster")
    status = reporting_status(roster, t["submissions"], campaign).set_index(
        ["reporting_unit", "round"]
    )
    assert status.loc[("长阳镇总工会", "r1"), "status"] == "late"
    assert status.loc[("长阳镇总工会", "r2"), "status"] == "on_time"


def test_sheet_per_round_workbook_superseded_round_by_round(raw):
    with_fixture(raw, "rows_rounds", "xlsx")
    _submission(raw, "长阳镇总工会_第一阶段更正.xlsx", R1_ROWS[:1], "第一阶段", "2019-07-25")
    t = run(raw)
    rows = t["rows"][["file", "sheet", "state", "reason", "round"]]
    newer = "submissions/长阳镇总工会_第一阶段更正.xlsx"
    assert [tuple(r) for r in rows.itertuples(index=False)] == [
        *[
            (
                "submissions/长阳镇总工会_rows_rounds.xlsx",
                "第一阶段",
                "superseded",
                f"superseded:{newer}",
                "r1",
            )
        ]
        * 2,
        *[("submissions/长阳镇总工会_rows_rounds.xlsx", "第二阶段", "accepted", "ok", "r2")] * 2,
        (newer, "活动情况", "accepted", "ok", "r1"),
    ]
    subs = t["submissions"].set_index("file")
    assert subs.loc["submissions/长阳镇总工会_rows_rounds.xlsx", "state"] == "current"
    assert subs.loc["submissions/长阳镇总工会_rows_rounds.xlsx", "rows_accepted"] == "2"
    notes = t["issues"][t["issues"]["code"] == "superseded"]
    assert len(notes) == 1 and "第一阶段" in notes["message"].iloc[0]


def test_date_without_year_takes_its_rounds_year(raw, campaign):
    """A campaign whose third round lies in the next year: 三月五日 in r3 is 2020-03-05."""
    import dataclasses
    import datetime as dt

    r1, r2, r3 = campaign.rounds
    later = dataclasses.replace(
        r3, start=dt.date(2020, 1, 1), end=dt.date(2020, 3, 31), deadline=dt.date(2020, 4, 10)
    )
    shifted = dataclasses.replace(campaign, rounds=(r1, r2, later), end=dt.date(2020, 3, 31))
    body = [
        ["长阳镇第一小学工会", "三月五日", "切实抓好学习", "座谈会", 20],
        ["长阳镇卫生院工会", "3月6日", "加强宣讲培训", "宣讲", 30],
    ]
    _submission(raw, "长阳镇总工会_r3.xlsx", body, "第三阶段", "2020-04-01")
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False, full=True, campaign=shifted)
    rows = pd.read_csv(out / "rows.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(rows["date"]) == ["2020-03-05", "2020-03-06"]
    assert list(rows["reason"]) == ["ok", "ok"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_stray_date_and_footer_in_every_format(raw, fmt):
    file = with_fixture(raw, "rows_footer", fmt)
    t = run(raw)
    got = t["rows"][["row", "state", "reason", "date", "round"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        ("4", "accepted", "date_out_of_window", "", "r1"),  # counted in r1, undated
        ("5", "accepted", "ok", "2019-06-10", "r1"),
        ("6", "rejected", "note_row", "", "r1"),  # the footer line
    ]
    note = t["issues"].set_index("code").loc["date_out_of_window"]
    assert (note["row"], note["column"]) == ("4", "C")
    assert (
        "2019年5月8日至2019年12月31日" in note["message"] and "已按报送期次计入" in note["message"]
    )
    sub = t["submissions"].set_index("file").loc[file]
    assert (sub["contact"], sub["phone"]) == ("李明", "010-69312345")


@pytest.mark.parametrize("fmt", FORMATS)
def test_struck_cells_read_from_styles(fmt):
    from analysis import styles

    data = (FIXTURES / f"rows_struck.{fmt}").read_bytes()
    struck = styles.struck_cells(fmt, data)
    row5 = {(4, j) for j in range(7)}  # A5:G5 (G5 is empty; LibreOffice's ods drops its style)
    assert set(struck) == {"活动情况"}
    assert {(4, j) for j in range(6)} | {(5, 1)} <= struck["活动情况"] <= row5 | {(5, 1)}
    # No struck style at all: nothing is looked at.
    assert styles.struck_cells(fmt, (FIXTURES / f"rows_split.{fmt}").read_bytes()) == {}
    assert styles.struck_cells(fmt, b"not a workbook") == {}


def test_a_blank_total_beside_split_parts_is_their_sum_with_a_warning(raw):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", None, None],
        [None, None, None, None, None, "职工", "干部", "合计"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 8, 2, None],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 5, 1, 6],
    ]:
        sheet.append(line)
    sheet.merge_cells("F2:H2")
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    assert [r[-1] for r in ledger(t["rows"])] == ["10", "6"]
    issues = t["issues"].set_index("code")
    blank = issues.loc["participants_total_blank"]
    assert (
        blank["row"] == "4"
        and "合计一栏为空，已按分项之和10（参加人数职工8+参加人数干部2）计入" in blank["message"]
    )


def test_section_headings_give_the_rows_below_their_work_item(raw):
    """No 工作类别 column: the table is divided by merged headings '一、切实抓好学习'…"""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "活动形式", "参加人数", "备注"],
        ["一、切实抓好学习"],
        [1, "长阳镇卫生院工会", "2019-06-03", "集体研读", 20, None],
        ["二、精心组织宣传"],
        [2, "长阳镇第一小学工会", "2019-06-04", "制作学习园地", 30, None],
        [
            3,
            "本级",
            "2019-06-05",
            "座谈会",
            10,
            None,
        ],  # 座谈会: its own item wins? no column: the section's
        ["（三）狠抓工作落实"],
        [4, "长阳镇卫生院工会", "2019-06-06", "岗位练兵", 15, None],
    ]:
        sheet.append(line)
    for row in (3, 5, 8):
        sheet.merge_cells(f"A{row}:F{row}")
    book.save(raw / "submissions" / "长阳镇.xlsx")
    rows = run(raw)["rows"]
    data = rows.loc[rows["state"] == "accepted", ["row", "work_item"]].values.tolist()
    assert data == [["4", "study"], ["6", "publicity"], ["7", "publicity"], ["9", "implementation"]]
    # The headings are notes, not rows lost or counted.
    assert set(rows.loc[rows["row"].isin(["3", "5", "8"]), "reason"]) == {"note_row"}


@pytest.mark.parametrize(
    ("study", "training"),
    [
        (["第一部分 切实抓好学习"], [None, "第二部分：加强宣讲培训"]),
        (["第一项：抓好学习"], ["第二项 宣讲培训"]),
        (["一是切实抓好学习"], [None, "二是加强宣讲培训"]),
        ([None, "第1部分、切实抓好学习"], ["第2部分，加强宣讲培训"]),
    ],
)
def test_sections_numbered_in_words_are_section_headings(raw, study, training):
    """第一部分 X, 第二部分：X, 第三项 X, 一是X (in the 序号 or the union column) head the
    rows below as 一、X does: a note, not an activity or a union that held none, and the
    rows below without a 工作类别 of their own take its work item (not the one their form
    suggests: 座谈会 under 宣讲培训 is training, said in a warning)."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            study,
            [1, "长阳镇卫生院工会", "2019-06-03", None, "讨论会", 20],
            [2, "长阳镇第一小学工会", "2019-06-04", "精心组织宣传", "制作展板", 25],
            training,
            [3, "长阳镇第一小学工会", "2019-06-05", None, "座谈会", 30],
            [4, None, "2019-06-06", None, "宣讲", 10],
        ],
    )
    t = run(raw)
    got = t["rows"][["row", "state", "reason", "grassroots_unit", "work_item"]]
    assert got.values.tolist() == [
        ["3", "rejected", "note_row", "", ""],
        ["4", "accepted", "ok", "长阳镇卫生院工会", "study"],
        ["5", "accepted", "ok", "长阳镇第一小学工会", "publicity"],  # its own item
        ["6", "rejected", "note_row", "", ""],
        ["7", "accepted", "form_item_mismatch", "长阳镇第一小学工会", "training"],
        ["8", "accepted", "ok", "", "training"],
    ]
    assert set(t["issues"]["code"]) == {"form_item_mismatch"}


@pytest.mark.parametrize("merged", [True, False])
@pytest.mark.parametrize(
    ("first", "second"),
    [("二、做好相关资料上报", "（三）精心组织宣传"), ("第二部分：资料上报", "三是宣传")],
)
def test_a_section_heading_under_a_figure_column_that_comes_first_is_no_sub_label(
    raw, merged, first, second
):
    """参加人数 as the first column: the heading 二、做好相关资料上报 (第二部分：资料上报)
    typed (or merged across) in that column right under the header is a section, not a
    sub-label of 参加人数 that left the rows below in no section."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会"],
        ["参加人数", "活动形式", "活动日期", "基层工会名称"],
        [first],
        [12, "讨论会", "2019-06-03", "长阳镇卫生院工会"],
        [second],
        [8, "讨论会", "2019-06-04", "长阳镇第一小学工会"],
    ]:
        sheet.append(line)
    if merged:
        sheet.merge_cells("A3:D3")
        sheet.merge_cells("A5:D5")
    book.save(raw / "submissions" / "长阳镇.xlsx")
    rows = run(raw)["rows"]
    assert rows[["row", "state", "work_item", "participants"]].values.tolist() == [
        ["3", "rejected", "", ""],
        ["4", "accepted", "reporting", "12"],
        ["5", "rejected", "", ""],
        ["6", "accepted", "publicity", "8"],
    ]


def test_rows_naming_a_union_and_no_activity_are_not_activities(raw):
    """A list pre-filled with every union: the rows without an activity ('/', '无', blank,
    0 participants, 备注 未开展) are rejected as no_activity, named in one warning."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20, None],
        [2, "长阳镇第一小学工会", None, None, None, None, None],
        [3, "北京长阳建材有限公司工会委员会", "/", "／", "—", "/", None],
        [4, "长阳镇第一小学工会", None, None, None, 0, "本期未开展"],
        [5, "长阳镇卫生院工会", "无", None, "无", "无", None],
        [6, "长阳镇第一小学工会", None, "切实抓好学习", None, None, None],  # an item: an activity
        [7, "长阳镇卫生院工会", None, None, None, 12, None],  # participants: an activity
    ])  # fmt: skip
    t = run(raw)
    rows = t["rows"]
    assert rows[["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"],
        ["4", "rejected", "no_activity"],
        ["5", "rejected", "no_activity"],
        ["6", "rejected", "no_activity"],
        ["7", "rejected", "no_activity"],
        ["8", "accepted", "date_missing;participants_missing"],
        ["9", "accepted", "date_missing;work_item_missing"],
    ]
    said = t["issues"].loc[t["issues"]["code"] == "no_activity"]
    assert said[["sheet", "row", "severity"]].values.tolist() == [["Sheet1", "4", "warning"]]
    assert "第4、5、6、7行（共4行）只填了基层工会名称" in said["message"].iloc[0]
    covered = rows.loc[rows["state"] == "accepted", "grassroots_unit"]
    assert set(covered) == {"长阳镇卫生院工会", "长阳镇第一小学工会"}  # not the 建材 company


@pytest.mark.parametrize(
    "label", ["汇总", "累计", "本期累计", "总和", "累计：", "共3项", "共 3 次", "合计（人次）"]
)
def test_total_rows_however_labelled_are_not_activities(raw, label):
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 10],
        [label, None, None, None, None, 30],
        [3, "累计学习时长工会", "2019-06-05", "切实抓好学习", "讨论会", 5],  # a name, not a label
    ])  # fmt: skip
    rows = run(raw)["rows"]
    assert rows[["row", "reason"]].values.tolist()[:3] == [
        ["3", "ok"], ["4", "ok"], ["5", "total_row"]
    ]  # fmt: skip
    assert rows.iloc[3]["reason"] == "unit_unresolved"  # read as a row, not as a total


@pytest.mark.parametrize(
    "line",
    [
        [None, "共2个单位", None, None, None, 30],
        ["合计（2个单位）", None, None, None, None, 30],
        [None, "小计：2家", None, None, None, 30],
        [None, "共2家", None, None, None, 30],
        ["2个单位", None, None, None, None, 30],
        [None, "（2家基层工会）", None, None, None, 30],
        [None, "共有两家单位", "6月", None, None, 30],
        [None, "共计12家基层工会", None, None, None, None],
    ],
)
def test_a_total_labelled_by_a_count_of_units_is_a_total(raw, line):
    """共2个单位, 合计（3个单位）, 小计：5家, a bare 2个单位…: a total row (not an activity
    of a union named so, refused with suggestions), wherever the label was typed; a
    union whose name holds a number and 家 (三家店工会) is still a name."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 10],
        line,
        [3, "三家店工会", "2019-06-05", "切实抓好学习", "讨论会", 5],  # a name, not a label
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"], ["4", "accepted", "ok"], ["5", "rejected", "total_row"],
        ["6", "rejected", "unit_unresolved"],
    ]  # fmt: skip
    assert set(t["issues"].query("row == '5'")["code"]) <= {"lone_figure"}


@pytest.mark.parametrize(
    ("written", "union"),
    [("长阳镇总工会（本级）", ""), ("长阳镇总工会本级", ""), ("本级（长阳镇总工会）", ""),
     ("本级：长阳镇总工会", ""), ("/", ""), ("—", ""), ("本级", ""),
     ("长阳镇卫生院工会（本级）", "长阳镇卫生院工会")],
)  # fmt: skip
def test_self_markers_around_the_name_are_the_federations_own_activity(raw, written, union):
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, written, "2019-06-03", "切实抓好学习", "讨论会", 20],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["state", "reason", "grassroots_unit"]].values.tolist() == [
        ["accepted", "ok", union]
    ]
    assert "unit_unresolved" not in set(t["issues"]["code"])


def test_a_form_under_a_work_item_header_a_half_and_a_bare_total(raw):
    """活动类型 (taken as 工作类别) holding a form: the warning names it; 30.5 is rounded
    half up, as the message says; a bare 合计 row with no figure is a total."""
    (raw / "submissions" / "长阳镇总工会.csv").write_bytes(
        "序号,基层工会名称,活动日期,活动类型,参加人数\n"
        "1,长阳镇卫生院工会,2019-06-03,座谈会,30.5\n"
        "2,长阳镇第一小学工会,2019-06-04,座谈会,12.5\n"
        "合计,,,,\n".encode("gbk")
    )
    t = run(raw)
    assert t["rows"][["row", "reason", "participants"]].values.tolist() == [
        ["2", "participants_not_integer;work_item_inferred", "31"],
        ["3", "participants_not_integer;work_item_inferred", "13"],
        ["4", "total_row", ""],
    ]
    inferred = t["issues"].loc[t["issues"]["code"] == "work_item_inferred", "message"]
    assert all("已根据活动形式“座谈会”推断" in m for m in inferred) and len(inferred) == 2


@pytest.mark.parametrize(
    ("header", "sub"),
    [(["应到人数", "实到人数"], None), (["计划参加人数", "实际参加人数"], None),
     (["参加人数（计划）", "参加人数（实际）"], None), (["参加人数", None], ["计划", "实际"]),
     (["参加人数", None], ["应到", "实到"])],
)  # fmt: skip
def test_planned_and_actual_attendance_are_alternatives_not_parts(raw, header, sub):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"])
    sheet.append(["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", *header])
    if sub:
        sheet.append([None] * 5 + sub)
        sheet.merge_cells("F2:G2")
    sheet.append([1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 47, 40])
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    assert t["rows"]["participants"].tolist() == ["40"]  # the actual figure, not 87
    warned = t["issues"].loc[t["issues"]["code"] == "column_ambiguous", "message"]
    assert len(warned) == 1 and "已使用G列" in warned.iloc[0]


def test_excel_error_values_are_named_not_read_as_blank(raw):
    """A VLOOKUP's #N/A in the name cell was read as blank (calamine), so as the
    federation's own activity; #DIV/0! in 参加人数 as 'missing'. Both are named now."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "#N/A", "2019-06-03", "切实抓好学习", "讨论会", 20],
        [2, "长阳镇卫生院工会", "2019-06-04", "切实抓好学习", "讨论会", "#DIV/0!"],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "rejected", "cell_error_value"],
        ["4", "accepted", "participants_unreadable"],
    ]
    messages = t["issues"].set_index("code")["message"]
    assert "基层工会名称是公式错误值“#N/A”" in messages["cell_error_value"]
    assert "“#DIV/0!”" in messages["participants_unreadable"]


def test_error_cells_are_found_in_the_sheet_xml():
    from analysis.readers import _error_cells

    xml = (b'<sheetData><row r="3"><c r="B3" s="2" t="e"><f>VLOOKUP(1,Z:Z,1,0)</f>'
           b'<v>#N/A</v></c><c r="C3" t="s"><v>4</v></c><c r="AA12" t="e"><v>#REF!</v></c>'
           b"</row></sheetData>")  # fmt: skip
    assert _error_cells(xml) == {(2, 1): "#N/A", (11, 26): "#REF!"}


def test_a_table_without_a_name_column_is_the_units_own_activities(raw):
    """A directly affiliated union's own table (no 基层工会名称 column) was refused whole:
    its rows are the union itself (本级), with one warning that the column is missing."""
    write_xlsx(raw / "submissions" / "燕房物流.xlsx", [
        ["填报单位：北京燕房物流有限公司工会", None, None, "填报日期：2019-06-28"],
        ["序号", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "2019-06-03", "切实抓好学习", "座谈会", 12],
        [2, "2019-06-10", "加强宣讲培训", "宣讲", 15],
    ])  # fmt: skip
    write_xlsx(raw / "submissions" / "长阳镇_日期和人数.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["活动日期", "参加人数", "备注"],  # the date and one more: not an activity table
        ["2019-06-03", 12, None],
    ])  # fmt: skip
    t = run(raw)
    rows = t["rows"]
    own = rows.loc[rows["file"].str.contains("燕房物流")]
    assert own[["row", "state", "grassroots_unit", "participants"]].values.tolist() == [
        ["3", "accepted", "北京燕房物流有限公司工会", "12"],
        ["4", "accepted", "北京燕房物流有限公司工会", "15"],
    ]
    missing = t["issues"].loc[t["issues"]["code"] == "column_missing", "message"]
    assert missing.str.contains("没有“基层工会名称”列").sum() == 1
    refused = t["issues"].loc[t["issues"]["code"] == "no_activity_table", "file"].tolist()
    assert refused == ["submissions/长阳镇_日期和人数.xlsx"]


def test_a_union_named_in_the_seq_column_is_that_union(raw):
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        ["长阳镇卫生院工会", None, "2019-06-03", "切实抓好学习", "讨论会", 20],
        ["（二）", None, "2019-06-04", "切实抓好学习", "讨论会", 10],  # a number: 本级
        ["第一期活动", None, "2019-06-05", "切实抓好学习", "讨论会", 5],  # not a union: 本级
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "reason", "grassroots_unit"]].values.tolist() == [
        ["3", "unit_in_seq_column", "长阳镇卫生院工会"], ["4", "ok", ""], ["5", "ok", ""],
    ]  # fmt: skip
    moved = t["issues"].loc[t["issues"]["code"] == "unit_in_seq_column"]
    assert moved[["row", "column", "severity"]].values.tolist() == [["3", "A", "warning"]]


def test_a_three_level_header_reads_its_participants_total(raw):
    """A group row, then 参加人数（人次） merged over 会员 | 非会员 | 合计: the middle row
    holds two cells of its own (the rest are merged), and was skipped as a header start."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["填报单位：长阳镇总工会"])
    sheet.append(
        ["序号", "基层工会名称", "学习宣传活动开展情况", None, None, None, None, None, "备注"]
    )
    sheet.append([None, None, "活动基本信息", None, None, "参加人数（人次）", None, None, None])
    sheet.append([None, None, "日期", "类别", "形式", "会员", "非会员", "合计", None])
    for cells in ("C2:H2", "C3:E3", "F3:H3", "A2:A4", "B2:B4", "I2:I4"):
        sheet.merge_cells(cells)
    sheet.append([1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "座谈会", 20, 5, 25, None])
    sheet.append([2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "座谈会", 8, 2, 11, None])
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    assert t["rows"][["row", "reason", "participants"]].values.tolist() == [
        ["5", "ok", "25"], ["6", "participants_parts_disagree", "11"],  # 8 + 2 = 10 ≠ 11
    ]  # fmt: skip
    assert "column_missing" not in set(t["issues"]["code"])


def test_logical_cells_are_named_as_excel_shows_them(raw):
    """TRUE typed where a name or a number belongs: the message and value say TRUE, not True."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "工作类别", "活动日期", "活动形式", "参加人数"],
        [1, "长阳镇第一小学工会", "学习", "2019-05-10", "座谈", True],
        [2, True, "学习", "2019-05-11", "座谈", 20],
    ])  # fmt: skip
    t = run(raw)
    issues = t["issues"].set_index("code")
    assert "参加人数“TRUE”不是数字" in issues.loc["participants_unreadable", "message"]
    assert issues.loc["unit_unresolved", "value"] == "TRUE"
    assert "基层工会“TRUE”" in issues.loc["unit_unresolved", "message"]
    assert ledger(t["rows"]) == [
        ("Sheet1", "3", "accepted", "participants_unreadable", ""),
        ("Sheet1", "4", "rejected", "unit_unresolved", "20"),
    ]


# ------------------------------------- split headers as offices type them (no merged cells)

_HEAD = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式"]


def _row(*figures) -> list:
    return [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", *figures]


def test_unmerged_parent_over_parts_spans_them_like_a_merge_in_csv(raw):
    """参加人数 typed over 男 | 女 | 合计 with blank cells beside it (every CSV export):
    the three columns are its parts and total, as if the label were merged across them."""
    (raw / "submissions" / "长阳镇总工会.csv").write_text(
        "填报单位：长阳镇总工会\n"
        "序号,基层工会名称,活动日期,工作类别,活动形式,参加人数,,\n"
        ",,,,,男,女,合计\n"
        "1,长阳镇第一小学工会,2019-06-03,切实抓好学习,座谈会,14,7,21\n"
        "2,长阳镇卫生院工会,2019-06-10,加强宣讲培训,宣讲,10,5,16\n",
        encoding="utf-8",
    )
    t = run(raw)
    assert list(t["rows"]["participants"]) == ["21", "16"]  # the 合计 column, not 男 (14, 10)
    disagree = t["issues"][t["issues"]["code"] == "participants_parts_disagree"]
    assert list(disagree["row"]) == ["5"]  # 10 + 5 = 15 ≠ 16
    assert "分项之和为15" in disagree["message"].iloc[0]


def test_unmerged_parent_over_parts_without_total_sums_them(raw):
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        _HEAD + ["参加人数", None, "备注"],
        [None] * 5 + ["男", "女"],
        _row(12, 16),
        _row(5, 6, "第二场"),
    ])  # fmt: skip
    t = run(raw)
    assert list(t["rows"]["participants"]) == ["28", "11"]
    assert "participants_summed" in set(t["issues"]["code"])


def test_a_parent_without_a_label_below_spans_nothing(raw):
    """活动形式 on the header row with nothing under it is a one-row label: the blank cell
    to its right over 男 is not 活动形式's part."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", None, "参加人数"],
        [None, None, None, None, None, "主讲人", None],
        [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", "张三", 30],
    ])  # fmt: skip
    t = run(raw)
    assert list(t["rows"]["participants"]) == ["30"]
    assert list(t["rows"]["form"]) == ["讨论会"]  # 座谈会, the campaign's canonical 讨论会


@pytest.mark.parametrize(
    ("labels", "figures", "expected"),
    [
        (["男性人数", "女性人数", "总人数"], (12, 8, 20), "20"),
        (["党员人数", "群众人数", "总人次"], (12, 8, 20), "20"),
        (["总人数", "党员人数", "群众人数"], (20, 12, 8), "20"),
        (["会员人数", "非会员人数", "合计（人）"], (12, 8, 21), "21"),
        (["会员人数", "非会员人数", "合计数"], (12, 8, 21), "21"),
    ],
)
def test_total_column_spellings(raw, labels, expected, figures):
    """总人数 / 总人次 name the whole figure, as 合计 does; 合计（人） and 合计数 are a bare 合计."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx",
               [["填报单位：长阳镇总工会"], _HEAD + labels, _row(*figures)])  # fmt: skip
    t = run(raw)
    assert list(t["rows"]["participants"]) == [expected]
    codes = set(t["issues"]["code"])
    assert "participants_summed" not in codes
    assert ("participants_parts_disagree" in codes) == (expected == "21")  # 12 + 8 ≠ 21


def test_name_split_into_parent_and_union_reads_the_union(raw):
    """所属工会 | 基层工会: the union that held the activity, not the one above it."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "所属工会", "基层工会", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇总工会", "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 20],
        [2, "长阳镇总工会", "长阳镇卫生院工会", "2019-06-04", "切实抓好学习", "座谈会", 21],
    ])  # fmt: skip
    t = run(raw)
    assert list(t["rows"]["grassroots_unit"]) == ["长阳镇第一小学工会", "长阳镇卫生院工会"]
    ambiguous = t["issues"][t["issues"]["code"] == "column_ambiguous"]
    assert list(ambiguous["column"]) == ["C"]  # the warning names the column used


@pytest.mark.parametrize("remark", ["取消", "活动取消，未开展", "（已删）", "未举办", "此行不算"])
def test_void_remarks_in_other_words(raw, remark):
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        _HEAD + ["参加人数", "备注"],
        _row(20, remark),
    ])  # fmt: skip
    t = run(raw)
    assert ledger(t["rows"]) == [("Sheet1", "3", "accepted", "remark_says_void", "20")]


# ------------------------------------------------------------------------ hidden rows


def test_hidden_rows_are_counted_and_named_in_one_warning(raw):
    from openpyxl import load_workbook

    path = write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        _HEAD + ["参加人数"],
        _row(20), _row(21), _row(22), [None] * 6, _row(23),
    ])  # fmt: skip
    wb = load_workbook(path)
    for r in (4, 6, 7):  # row 6 is blank: not named
        wb.active.row_dimensions[r].hidden = True
    wb.save(path)
    t = run(raw)
    assert (
        list(t["rows"]["state"]).count("accepted") + list(t["rows"]["state"]).count("duplicate")
        == 4
    )  # every row read, none lost
    hidden = t["issues"][t["issues"]["code"] == "rows_hidden"]
    assert list(hidden["row"]) == ["4"]
    assert "第4、7行被隐藏" in hidden["message"].iloc[0]
    assert hidden["severity"].iloc[0] == "warning"


def test_hidden_rows_of_an_ods_sheet_are_named(raw):
    """LibreOffice's table:visibility="collapse" rows (the fixture's row 6, patched in)."""
    import zipfile

    source = FIXTURES / "rows_split.ods"
    target = raw / "submissions" / "长阳镇总工会_rows_split.ods"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "content.xml":
                text = data.decode()
                at = 0
                for _ in range(6):  # the sixth row element
                    at = text.index("<table:table-row ", at + 1)
                text = (
                    text[:at]
                    + '<table:table-row table:visibility="collapse" '
                    + text[at + len("<table:table-row ") :]
                )
                data = text.encode()
            zout.writestr(info, data)
    t = run(raw)
    hidden = t["issues"][t["issues"]["code"] == "rows_hidden"]
    assert list(hidden["row"]) == ["6"]
    assert set(t["rows"]["row"]) >= {"6"}  # still read


# ------------------------------------------------------------ a date split into 年 | 月 | 日


@pytest.mark.parametrize("merged", [True, False])
def test_a_date_split_into_year_month_day_is_read_whole(raw, merged):
    """活动日期 over 年 | 月 | 日 (merged, or typed over blank cells): 2019-06-03, not “2019”."""
    from openpyxl import load_workbook

    path = write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", None, None, "工作类别", "活动形式", "参加人数"],
        [None, None, "年", "月", "日", None, None, None],
        [1, "长阳镇第一小学工会", 2019, 6, 3, "切实抓好学习", "座谈会", 20],
        [2, "长阳镇卫生院工会", "2019", "7", "15", "加强宣讲培训", "宣讲", 10],
        [3, "长阳镇卫生院工会", 2019, "七", None, "加强宣讲培训", "宣讲", 12],
    ])  # fmt: skip
    if merged:
        wb = load_workbook(path)
        for cells in ("A2:A3", "B2:B3", "C2:E2", "F2:F3", "G2:G3", "H2:H3"):
            wb.active.merge_cells(cells)
        wb.save(path)
    t = run(raw)
    rows = t["rows"]
    assert list(zip(rows["date"], rows["reason"], strict=True)) == [
        ("2019-06-03", "ok"),
        ("2019-07-15", "ok"),
        ("", "date_unreadable"),  # 七月, no day: named as the parts read
    ]
    unreadable = t["issues"][t["issues"]["code"] == "date_unreadable"]
    assert "“2019年七月日”" in unreadable["message"].iloc[0]
    assert unreadable["column"].iloc[0] == "C"
    assert "column_ambiguous" not in set(t["issues"]["code"])


def test_a_date_split_into_month_and_day_takes_the_rounds_year(raw):
    write_xlsx(raw / "submissions" / "长阳镇总工会_第一阶段.xlsx", [
        ["填报单位：长阳镇总工会", None, "报送期次：第一阶段"],
        ["序号", "基层工会名称", "活动时间（月）", "活动时间（日）", "工作类别", "参加人数"],
        [1, "长阳镇第一小学工会", 6, 3, "切实抓好学习", 20],
    ])  # fmt: skip
    t = run(raw)
    assert list(t["rows"]["date"]) == ["2019-06-03"]


# ------------------------------------------------- sheets named for a month or a quarter


@pytest.mark.parametrize(
    ("first", "second"), [("第1阶段", "第2阶段"), ("二季度", "三季度"), ("6月", "7月份")]
)
def test_sheets_named_for_periods_are_read_per_round(raw, first, second):
    """One sheet per period: each sheet in the round its period falls in (r1 May 8 – Jun 30,
    r2 Jul – Sep), not the whole workbook in the round most of its dates are in."""
    from openpyxl import Workbook

    head = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"]
    wb = Workbook()
    sheets = [(wb.active, first), (wb.create_sheet(), second)]
    body = {
        first: [[1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 20],
                [2, "长阳镇卫生院工会", "2019-06-05", "切实抓好学习", "座谈会", 15]],
        second: [[1, "长阳镇卫生院工会", "2019-07-15", "加强宣讲培训", "宣讲", 10]],
    }  # fmt: skip
    for ws, name in sheets:
        ws.title = name
        for row in [["填报单位：长阳镇总工会"], ["填报日期：2019年10月8日"], head, *body[name]]:
            ws.append(row)
    wb.save(raw / "submissions" / "长阳镇总工会.xlsx")
    t = run(raw)
    assert list(t["submissions"]["round"]) == ["r1;r2"]
    rows = pd.read_parquet(raw.parent / "out" / "rows.parquet")
    assert list(zip(rows["sheet"], rows["round"], strict=True)) == [
        (first, "r1"),
        (first, "r1"),
        (second, "r2"),
    ]


def test_round_of_a_month_or_quarter_is_the_round_holding_most_of_it(campaign):
    from analysis.submissions import round_of_period

    named = {t: round_of_period(t, campaign) for t in (
        "5月", "6月", "7月份", "十月", "2019年12月", "二季度", "第三季度", "Q4", "一季度",
        "13月", "7月报送", "活动情况",
    )}  # fmt: skip
    assert named == {
        "5月": "r1", "6月": "r1", "7月份": "r2", "十月": "r3", "2019年12月": "r3",
        "二季度": "r1", "第三季度": "r2", "Q4": "r3",
        "一季度": None, "13月": None, "7月报送": None, "活动情况": None,
    }  # fmt: skip


def test_a_total_cell_holding_text_beside_numeric_parts_takes_their_sum(raw):
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        _HEAD + ["党员人数", "群众人数", "合计"],
        _row(12, 8, "见附件"),
        _row("若干", 8, "见附件"),  # a part unreadable too: nothing to sum
    ])  # fmt: skip
    t = run(raw)
    assert ledger(t["rows"]) == [
        ("Sheet1", "3", "accepted", "participants_total_unreadable", "20"),
        ("Sheet1", "4", "accepted", "participants_unreadable", ""),
    ]
    issue = t["issues"][t["issues"]["code"] == "participants_total_unreadable"]
    assert unlocated(issue["message"].iloc[0]) == (
        "第3行：参加人数合计“见附件”不是数字，已按分项之和20（党员人数12+群众人数8）计入；"
        "请核对并把合计改为数字。"
    )


def test_hidden_rows_of_an_xls_sheet_are_named(raw):
    """A legacy .xls (xlwt writes the ROW record's hidden bit, as Excel does)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("活动情况")
    rows = [["填报单位：长阳镇总工会"], _HEAD + ["参加人数"], _row(20), _row(21), _row(22)]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    sheet.row(3).hidden = True  # spreadsheet row 4
    book.save(str(raw / "submissions" / "长阳镇总工会.xls"))
    t = run(raw)
    hidden = t["issues"][t["issues"]["code"] == "rows_hidden"]
    assert list(hidden["row"]) == ["4"] and "第4行被隐藏" in hidden["message"].iloc[0]
    assert len(t["rows"]) == 3  # every row still read


def test_an_xls_without_hidden_rows_is_not_opened_twice(monkeypatch):
    """The ROW records are searched first; xlrd opens the file only when one is hidden."""
    import io

    import xlrd
    import xlwt

    from analysis import styles

    book = xlwt.Workbook()
    book.add_sheet("活动情况").write(0, 0, "填报单位：长阳镇总工会")
    buffer = io.BytesIO()
    book.save(buffer)

    def refuse(*_args, **_kwargs):
        raise AssertionError("opened with xlrd")

    monkeypatch.setattr(xlrd, "open_workbook", refuse)
    assert styles.xls_hidden_rows(buffer.getvalue()) == {}


def test_xls_hidden_row_search_is_the_plain_rule():
    """One search finds a ROW record whose fHidden bit (0x20 of grbit) is set, as a
    loop over every ROW record and its byte 12 would, near the stream's end too."""
    import random

    from analysis import styles

    head = b"\x08\x02\x10\x00"
    rng = random.Random(7)
    for _ in range(2000):
        parts = []
        for _ in range(rng.randint(0, 4)):
            body = bytes(rng.choice((0, 0x20, 0x40, 0x2F, 0xE0, 0x08)) for _ in range(16))
            parts.append(rng.choice((head, b"\x08\x02", b"")) + body[: rng.randint(10, 16)])
        stream = b"".join(parts)
        plain = any(
            len(stream) >= at + 4 + 14 and stream[at + 4 + 12] & 0x20
            for at in range(len(stream))
            if stream.startswith(head, at)
        )
        assert bool(styles._HIDDEN_ROW_RECORD.search(stream)) == plain, stream


@pytest.mark.parametrize(
    ("head", "where"),
    [
        (["男", "女", "参加人数合计"], "left"),
        (["参加人数", "男职工", "女职工"], "right"),
        (["男性（人）", "女性（人）", "参加人数"], "left"),
    ],
)
def test_bare_men_and_women_beside_the_figure_check_it(raw, head, where):
    """男 | 女 typed beside 参加人数 with no parent label: the figure is read and the two
    columns check it; a blank figure is their sum (with a warning), as under a parent."""

    def cells(men, women, total):
        return [men, women, total] if where == "left" else [total, men, women]

    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        [*_HEAD, *head],
        _row(*cells(14, 7, 21)),
        _row(*cells(10, 5, 16)),  # 10 + 5 = 15 ≠ 16: 16 is read, with a warning
        _row(*cells(3, 4, None)),  # no figure: 3 + 4
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "reason", "participants"]].values.tolist() == [
        ["3", "ok", "21"],
        ["4", "participants_parts_disagree", "16"],
        ["5", "participants_total_blank", "7"],
    ]
    disagree = t["issues"][t["issues"]["code"] == "participants_parts_disagree"]
    assert "分项之和为15" in disagree["message"].iloc[0]


@pytest.mark.parametrize(
    "head",
    [
        ["参加人数", "其中男", "女"],  # a breakdown (其中) is no part
        ["男", "参加人数", "女"],  # not side by side
        ["女", "参加人数", "备注"],  # one sex only
    ],
)
def test_columns_that_are_no_pair_beside_the_figure_check_nothing(raw, head):
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        [*_HEAD, *head],
        _row(*[{"参加人数": 16}.get(h, 1) for h in head]),
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["reason", "participants"]].values.tolist() == [["ok", "16"]]


def test_example_rows_are_rejected_with_an_error_naming_them(raw):
    """The template's example (备注 示例，请勿照抄, on an instructions sheet renamed 说明
    so that it is read) and an office's own 样例 row in 序号: not activities."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "工作类别", "活动日期", "活动形式", "参加人数", "备注"],
        [1, "长阳镇第一小学工会", "学习", "2019-05-28", "座谈", 35, "示例，请勿照抄"],
        ["样例", "长阳镇卫生院工会", "学习", "2019-05-29", "座谈", 12, None],
        [2, "长阳镇卫生院工会", "学习", "2019-06-03", "座谈", 20, "示范课"],
    ])  # fmt: skip
    t = run(raw)
    assert ledger(t["rows"]) == [
        ("Sheet1", "3", "rejected", "example_row", ""),
        ("Sheet1", "4", "rejected", "example_row", ""),
        ("Sheet1", "5", "accepted", "ok", "20"),
    ]
    examples = t["issues"][t["issues"]["code"] == "example_row"]
    assert list(examples["row"]) == ["3", "4"] and set(examples["severity"]) == {"error"}
    assert "写着“示例，请勿照抄”，是填表示例，未计入统计" in examples["message"].iloc[0]


def test_every_row_message_names_its_file_sheet_and_row(raw):
    """The analyst forwards a message to the unit: it says which file, sheet and row."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "工作类别", "活动日期", "活动形式", "参加人数"],
        [1, "长阳镇第一小学工会", "学习", "2019-05-10", "座谈", "若干"],
        [2, "没有这个工会", "学习", "2019-05-11", "座谈", 20],
    ], sheet="活动")  # fmt: skip
    (raw / "submissions" / "琉璃河.csv").write_text(
        "填报单位：琉璃河镇总工会\n基层工会名称,活动日期,参加人数\n琉璃河镇中心小学工会,2019-05-12,很多\n",
        encoding="utf-8",
    )
    issues = run(raw)["issues"]
    rows = issues[issues["row"] != ""].set_index("code")
    assert rows.loc["unit_unresolved", "message"].startswith(
        "文件“submissions/长阳镇总工会.xlsx”工作表“活动”第4行的基层工会“没有这个工会”"
    )
    unreadable = issues[issues["code"] == "participants_unreadable"].set_index("file")["message"]
    assert unreadable["submissions/长阳镇总工会.xlsx"].startswith(
        "文件“submissions/长阳镇总工会.xlsx”工作表“活动”第3行：参加人数“若干”"
    )
    assert unreadable["submissions/琉璃河.csv"].startswith("文件“submissions/琉璃河.csv”第3行：")


def test_a_dated_named_row_is_an_activity_whatever_its_title_says(raw):
    """共3场宣讲 as a title, 共2次 as a form: the row names a union and a date, so it is
    an activity, not a 合计 row; a figure alone under 参加人数 is a sum, even a wrong one."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位（盖章）：长阳镇总工会        2019年6月20日"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "活动名称", "参加人数"],
        [1, "长阳镇第一小学工会", "2019-06-03", "加强宣讲培训", "宣讲", "共3场宣讲", 30],
        [2, "长阳镇卫生院工会", "2019-06-04", "切实抓好学习", "共2次", "专题学习", 12],
        [None, None, None, None, None, None, 80],  # 30 + 12 = 42: a sum added wrong
    ])  # fmt: skip
    t = run(raw)
    assert ledger(t["rows"]) == [
        ("Sheet1", "3", "accepted", "ok", "30"),
        ("Sheet1", "4", "accepted", "form_unknown", "12"),
        ("Sheet1", "5", "rejected", "total_row", ""),
    ]
    sub = t["submissions"].iloc[0]
    assert (sub["reporting_unit"], sub["report_date"]) == ("长阳镇总工会", "2019-06-20")
    lone = t["issues"][t["issues"]["code"] == "lone_figure"]
    assert lone["row"].tolist() == ["5"] and "只填了参加人数“80”" in lone["message"].iloc[0]


def test_a_header_block_line_under_the_table_is_read_as_the_header_block(raw):
    write_xlsx(raw / "submissions" / "报送表.xlsx", [
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 30],
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019年6月20日"],
    ])  # fmt: skip
    t = run(raw)
    assert ledger(t["rows"]) == [
        ("Sheet1", "2", "accepted", "ok", "30"),
        ("Sheet1", "3", "rejected", "note_row", ""),
    ]
    assert t["submissions"]["reporting_unit"].tolist() == ["长阳镇总工会"]


def test_a_direct_union_reported_by_a_town_is_said_to_report_for_itself(raw):
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "北京燕房物流有限公司工会", "2019-06-03", "切实抓好学习", "座谈会", 30],
    ])  # fmt: skip
    issues = run(raw)["issues"]
    (said,) = issues.loc[issues["code"] == "unit_other_parent", "message"]
    assert "“北京燕房物流有限公司工会”在名册中是直属区总工会的基层工会，自己报送" in said
    assert "属于“北京燕房物流有限公司工会”" not in said


def test_a_sheet_whose_own_header_names_another_unit_is_said(raw):
    """One workbook, one sheet per town, each its own 填报单位: the file is one report
    (the first's); a warning names the sheet of the other unit, which is not reported."""
    from openpyxl import Workbook

    book = Workbook()
    for k, (town, union) in enumerate((("长阳镇", "长阳镇第一小学工会"),
                                      ("琉璃河镇", "琉璃河镇中心小学工会"))):  # fmt: skip
        sheet = book.active if k == 0 else book.create_sheet()
        sheet.title = town
        sheet.append([f"填报单位：{town}总工会"])
        sheet.append(["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"])
        sheet.append([1, union, "2019-06-03", "切实抓好学习", "座谈会", 30])
    book.save(raw / "submissions" / "各镇汇总.xlsx")
    t = run(raw)
    assert t["submissions"]["reporting_unit"].tolist() == ["长阳镇总工会"]
    (said,) = t["issues"].loc[t["issues"]["code"] == "sheet_other_unit", "message"]
    assert "工作表“琉璃河镇”填报单位是“琉璃河镇总工会”，与本文件的“长阳镇总工会”不同" in said


def test_a_first_row_of_text_only_under_the_header_is_data_not_a_second_header(raw):
    """No 序号; the first row's date and 参加人数 are words (某天 | 若干): it was taken for a
    sub-header row and lost from the ledger without a trace."""
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["活动日期", "参加人数", "基层工会名称", "工作类别", "活动形式"],
        ["某天", "若干", "长阳镇第一小学工会", "切实抓好学习", "座谈会"],
        ["2019-06-04", 12, "长阳镇卫生院工会", "切实抓好学习", "座谈会"],
    ])  # fmt: skip
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "date_unreadable;participants_unreadable"],
        ["4", "accepted", "ok"],
    ]
    assert t["submissions"][["rows_read", "rows_accepted"]].values.tolist() == [["2", "2"]]


def test_of_which_under_a_merged_figure_is_no_part_of_it(raw):
    """参加人数 merged over 合计 | 其中：女职工, and over 职工 | 其他 | 其中：党员: the 其中
    column is a breakdown, never added (a blank 合计 stays missing, not the 其中 figure)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", None],
        [None, None, None, None, None, "合计", "其中：女职工"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", None, 2],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 12, 5],
    ]:
        sheet.append(line)
    for cells in ("F2:G2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3"):
        sheet.merge_cells(cells)
    other = book.create_sheet("三项")
    for line in [
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", None, None],
        [None, None, None, None, None, "职工", "其他", "其中：党员"],
        [1, "长阳镇卫生院工会", "2019-06-10", "切实抓好学习", "报告会", 8, 2, 5],
    ]:
        other.append(line)
    other.merge_cells("F1:H1")
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    assert t["rows"][["sheet", "row", "reason", "participants"]].values.tolist() == [
        ["Sheet", "4", "participants_missing", ""],  # not the 2 women
        ["Sheet", "5", "ok", "12"],  # no disagreement with 5 women
        ["三项", "3", "ok", "10"],  # 8 + 2, the 5 party members are among them
    ]
    assert "participants_parts_disagree" not in set(t["issues"]["code"])


@pytest.mark.parametrize(
    "labels, figures",
    [
        # No column says 参加人数: the parts are the figure, summed (blank parts as 0).
        (["线上", "线下"], [[8, 2], [None, 12]]),
        (["男", "女"], [[8, 2], [None, 12]]),
        (["党员", "群众"], [[8, 2], [None, 12]]),
        (["职工", "会员", "其他"], [[8, 1, 1], [12, None, 0]]),
        # With a bare total beside them, the total is the figure (a blank one their sum).
        (["现场", "直播", "合计"], [[8, 2, 10], [None, 12, None]]),
        (["党员（人）", "群众（人）", "合计（人）"], [[8, 2, 10], [4, 8, None]]),
        # A part headed by itself beside parts named as 人数 is one more part.
        (["职工人数", "会员人数", "其他人员"], [[7, 2, 1], [10, 2, None]]),
    ],
)
def test_a_figure_split_into_parts_under_a_one_row_header(raw, labels, figures):
    rows = [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", *labels],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", *figures[0]],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", *figures[1]],
    ]
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", rows)
    t = run(raw)
    assert t["rows"]["participants"].tolist() == ["10", "12"]
    codes = set(t["issues"]["code"])
    assert "column_missing" not in codes
    assert codes & {"participants_summed", "participants_total_blank"}


@pytest.mark.parametrize(
    "header, figures, participants",
    [
        # A unit's own table: no union column, and no column names the figure.
        (
            ["序号", "活动日期", "工作类别", "线上", "线下", "合计"],
            [[12, 8, 20], [5, None, None]],
            ["20", "5"],
        ),
        (["活动日期", "活动形式", "男职工", "女职工"], [[3, 4], [None, 9]], ["7", "9"]),
        # A union column, a date and the parts: the parts make the third field.
        (["基层工会名称", "活动日期", "党员（人）", "群众（人）"], [[1, 2], [6, 6]], ["3", "12"]),
    ],
)
def test_a_header_whose_figure_exists_only_as_parts(raw, header, figures, participants):
    """Two fields named and the figure only as parts headed alone (线上 | 线下 | 合计): a
    table, not `no_activity_table`; the parts read as under any other header."""
    values = {
        "序号": (1, 2),
        "活动日期": ("2019-06-03", "2019-06-04"),
        "工作类别": ("切实抓好学习", "切实抓好学习"),
        "活动形式": ("讨论会", "讨论会"),
        "基层工会名称": ("长阳镇卫生院工会", "长阳镇第一小学工会"),
    }
    width = len(header) - len(figures[0])
    rows = [header] + [
        [values[label][k] for label in header[:width]] + figures[k] for k in range(2)
    ]
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", [["填报单位：长阳镇总工会"], *rows])
    t = run(raw)
    assert t["rows"][["row", "participants"]].values.tolist() == [
        ["3", participants[0]],
        ["4", participants[1]],
    ]
    codes = set(t["issues"]["code"])
    assert "no_activity_table" not in codes
    assert codes & {"participants_summed", "participants_total_blank"}


def test_parts_under_a_parent_that_names_no_field(raw):
    """分类 merged over 线上 | 线下 (a parent that names no field) in a unit's own table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["活动日期", "工作类别", "分类", None],
        [None, None, "线上", "线下"],
        ["2019-06-03", "切实抓好学习", 8, 2],
        ["2019-06-04", "宣讲", 12, None],
    ]:
        sheet.append(line)
    for cells in ("A1:A2", "B1:B2", "C1:D1"):
        sheet.merge_cells(cells)
    book.save(raw / "submissions" / "长阳镇总工会.xlsx")
    t = run(raw)
    assert t["rows"][["row", "participants", "work_item"]].values.tolist() == [
        ["3", "10", "study"],
        ["4", "12", "training"],
    ]


def test_a_group_row_over_a_two_row_header_with_split_figures(raw):
    """活动开展情况 merged over 活动日期 … 参加人数, and 参加人数 merged over 一线职工 | 管理人员:
    three header rows; the third is the figure's parts, not a new header without it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "活动开展情况", None, None, None, None],
        [None, None, "活动日期", "工作类别", "活动形式", "参加人数", None],
        [None, None, None, None, None, "一线职工", "管理人员"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 8, 2],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 12, None],
    ]:
        sheet.append(line)
    for cells in ("A2:A4", "B2:B4", "C2:G2", "C3:C4", "D3:D4", "E3:E4", "F3:G3"):
        sheet.merge_cells(cells)
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    assert t["rows"][["row", "participants"]].values.tolist() == [["5", "10"], ["6", "12"]]
    codes = set(t["issues"]["code"])
    assert "column_missing" not in codes and "participants_summed" in codes


@pytest.mark.parametrize(
    "group, merged",
    [
        (False, ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3")),  # 序号 … merged down
        (False, ()),  # typed: 其中 alone over 女职工, nothing merged
        (True, ("A2:G2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4")),  # and a group row
        (True, ("A2:G2",)),
    ],
)
def test_a_breakdown_heading_over_one_column_is_a_header_row(raw, group, merged):
    """参加人数 | 其中 over 女职工 alone (其中 over one column, so not merged): the row of
    女职工 is the header's, not a new header without 参加人数 (the cells merged down over
    both rows make it look like one) nor a note row; the figure is 参加人数."""
    from openpyxl import Workbook

    header = [
        ["序号", "基层工会名称", "活动日期", "活动形式", "备注", "参加人数", "其中"],
        [None, None, None, None, None, None, "女职工"],
    ]
    lines = [
        ["填报单位：长阳镇总工会"],
        *([["活动开展情况"] + [None] * 6] if group else []),
        *header,
        [1, "长阳镇卫生院工会", "2019-06-03", "讨论会", None, 20, 12],
        [2, "长阳镇第一小学工会", "2019-06-04", "讨论会", None, 9, None],
    ]
    book = Workbook()
    sheet = book.active
    for line in lines:
        sheet.append(line)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    first = 4 + group
    assert t["rows"][["row", "state", "participants"]].values.tolist() == [
        [str(first), "accepted", "20"],
        [str(first + 1), "accepted", "9"],
    ]
    codes = set(t["issues"]["code"])
    assert not codes & {"column_missing", "participants_column_missing", "participants_summed"}


@pytest.mark.parametrize("parent", ["人员类别", "人员类型", "参加人员类别"])
def test_parts_under_a_parent_holding_another_fields_word(raw, parent):
    """人员类别 merged over 线上 | 线下 | 合计 in a table without 工作类别: 类别 inside the
    parent does not make the parts a work item column; they are the figure's."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会"],
        ["基层工会名称", "活动日期", "活动形式", parent, None, None],
        [None, None, None, "线上（人）", "线下（人）", "合计"],
        ["长阳镇卫生院工会", "2019-06-03", "讨论会", 8, 2, 10],
        ["长阳镇第一小学工会", "2019-06-04", "宣讲", 12, None, None],
    ]:
        sheet.append(line)
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:F2"):
        sheet.merge_cells(cells)
    book.save(raw / "submissions" / "长阳镇总工会.xlsx")
    t = run(raw)
    assert t["rows"][["row", "participants", "work_item"]].values.tolist() == [
        ["4", "10", "study"],
        ["5", "12", "training"],
    ]
    codes = set(t["issues"]["code"])
    assert "participants_column_missing" not in codes and "participants_total_blank" in codes


@pytest.mark.parametrize(
    "top, below, figures",
    [
        # 参加人数 typed alone over 应到 | 实到, every other label in the row below.
        (
            [None, None, None, "参加人数", None],
            ["基层工会名称", "活动日期", "活动形式", "应到", "实到"],
            ([30, 28], [12, 10]),
        ),
        # … and over 现场 | 直播 with 备注 beside them: 备注 is no part.
        (
            [None, None, None, "人数", None, None],
            ["基层工会名称", "活动日期", "活动形式", "现场", "直播", "备注"],
            ([20, 8, "见照片"], [10, None, "已报送"]),
        ),
        # 人员类别 over 党员 | 群众 (类别 is a work item's word), no 工作类别 column.
        (
            ["基层工会名称", "活动日期", "活动形式", "人员类别", None],
            [None, None, None, "党员", "群众"],
            ([20, 8], [10, None]),
        ),
    ],
)
def test_a_typed_parent_over_a_split_figure_in_a_csv(raw, top, below, figures):
    """CSV two-row headers typed by hand: the parent over the figure's columns is found
    however few labels its row holds, spans only the figure's columns, and a parent
    holding another field's word does not hide the parts."""

    def line(cells):
        return ",".join("" if v is None else str(v) for v in cells)

    first = ["长阳镇卫生院工会", "2019-06-03", "讨论会", *figures[0]]
    second = ["长阳镇第一小学工会", "2019-06-04", "宣讲", *figures[1]]
    text = "\n".join(["填报单位：长阳镇总工会", line(top), line(below), line(first), line(second)])
    (raw / "submissions" / "长阳镇总工会.csv").write_text(text + "\n", encoding="utf-8")
    t = run(raw)
    expected = {"应到": ["28", "10"], "现场": ["28", "10"], "党员": ["28", "10"]}
    key = next(k for k in expected if k in below)
    assert t["rows"][["row", "state", "participants"]].values.tolist() == [
        ["4", "accepted", expected[key][0]],
        ["5", "accepted", expected[key][1]],
    ]
    codes = set(t["issues"]["code"])
    assert not codes & {"participants_column_missing", "participants_unreadable"}


def _two_rows_of_parts(raw, labels, first, second):
    """长阳镇's sheet: the usual activity columns, then `labels`; two rows, their figures
    `first` and `second` under `labels`."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", *labels],
            [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", *first],
            [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", *second],
        ],
    )


@pytest.mark.parametrize(
    "labels, first, second, figures, code",
    [
        # No total: “—” online is no one online, not an unreadable figure.
        (["线上", "线下"], ["—", 20], ["无", "/"], ["20", ""], "participants_summed"),
        # With a total: the parts (12 + nothing) are checked against it.
        (
            ["男", "女", "合计"],
            [12, "无", 15],
            ["—", 7, None],
            ["15", "7"],
            "participants_parts_disagree",
        ),
    ],
)
def test_a_part_holding_a_placeholder_is_an_empty_part(raw, labels, first, second, figures, code):
    """“—”, “无”, “/” in one part of a split figure say that part is nothing, as a blank
    part does (the placeholders of `[row_rules] no_activity`); all parts so: missing."""
    _two_rows_of_parts(raw, labels, first, second)
    t = run(raw)
    assert t["rows"][["row", "state", "participants"]].values.tolist() == [
        ["3", "accepted", figures[0]],
        ["4", "accepted", figures[1]],
    ]
    assert code in set(t["issues"]["code"])


@pytest.mark.parametrize(
    "labels",
    [["线上", "线下", "总人数"], ["党员（人）", "群众（人）", "总人次"], ["总人数", "男", "女"]],
)
def test_a_whole_figure_beside_parts_headed_alone_is_their_total(raw, labels):
    """总人数 names the figure (so it is the participants column), and the parts beside it
    are headed by themselves: they are its parts, as beside a bare 合计 — a blank 总人数
    is their sum (8 + 2), not a missing figure; a 总人数 that is not their sum is used."""
    total_first = labels[0].startswith("总")
    first, second = ([None, 8, 2], [12, 5, 6]) if total_first else ([8, 2, None], [5, 6, 12])
    _two_rows_of_parts(raw, labels, first, second)
    t = run(raw)
    assert t["rows"][["participants", "reason"]].values.tolist() == [
        ["10", "participants_total_blank"],
        ["12", "participants_parts_disagree"],  # 5 + 6 = 11: the total is used, and told
    ]


@pytest.mark.parametrize(
    ("labels", "first", "second", "figures"),
    [
        # 会员人数 alone names the figure, but it is one part among 职工 | 其他 | 合计.
        (["职工", "会员人数", "其他", "合计"], [34, 2, 1, 37], [28, None, 13, None], ["37", "41"]),
        (["职工人数", "会员", "其他"], [7, 2, 1], [10, 2, None], ["10", "12"]),
        # The parts named as figures with a part headed alone between or beside them, and
        # 总人数: a blank 总人数 is the sum of every part (100 + 45 + 1, 3 + blank).
        (
            ["职工人数", "会员", "其他人数", "总人数"],
            [28, 23, 2, 53],
            [100, 45, 1, None],
            ["53", "146"],
        ),
        (["线上", "线下人数", "总人数"], [3, None, None], [5, 6, 11], ["3", "11"]),
        (["党员人数", "群众", "总人数"], [None, 37, 37], [33, 4, None], ["37", "37"]),
    ],
)
def test_a_part_named_as_a_figure_among_parts_headed_alone_is_one_part(
    raw, labels, first, second, figures
):
    """Only one of the parts says 人数: it is not the whole figure. The 合计 is (a blank
    one the parts' sum, 28 + 13), or without one the parts are summed (7 + 2 + 1)."""
    _two_rows_of_parts(raw, labels, first, second)
    t = run(raw)
    assert t["rows"]["participants"].tolist() == figures
    assert set(t["issues"]["code"]) & {"participants_summed", "participants_total_blank"}


def test_parts_named_as_figures_before_the_name_column_with_a_total_after_a_bare_part(raw):
    """职工人数 | 会员人数 | 其他 | 合计, the union's column further right: one table (the
    second 人数 column is no second table's start), and the 合计 after 其他 is the figure,
    a blank one the sum of all three parts (3 + blank + blank), not 'no total column'."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            [
                "序号",
                "工作类别",
                "活动日期",
                "职工人数",
                "会员人数",
                "其他",
                "合计",
                "基层工会名称",
            ],
            [1, "切实抓好学习", "2019-06-03", 10, 20, 5, 36, "长阳镇卫生院工会"],
            [2, "切实抓好学习", "2019-06-04", 3, None, None, None, "长阳镇第一小学工会"],
        ],
    )
    t = run(raw)
    got = t["rows"][["row", "grassroots_unit", "date", "participants", "reason"]]
    assert got.values.tolist() == [
        ["3", "长阳镇卫生院工会", "2019-06-03", "36", "participants_parts_disagree"],  # 35 ≠ 36
        ["4", "长阳镇第一小学工会", "2019-06-04", "3", "participants_total_blank"],
    ]
    assert "participants_summed" not in set(t["issues"]["code"])


@pytest.mark.parametrize(
    ("head", "first", "second"),
    [
        (["职工人数", "会员", "其他人数", "合计"], [12, 1, 20, 33], [21, None, None, None]),
        (["线上", "线下人数", "总人数"], [12, 1, 33], [21, None, None]),  # 总人数 beside 线下人数
    ],
)
def test_parts_named_as_figures_around_a_bare_part_before_the_name_column(raw, head, first, second):
    """职工人数 | 会员 | 其他人数 | 合计 | 基层工会名称 | 工作类别: the two columns naming 人数
    with 会员 between them are one figure's parts, not two tables side by side."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "活动日期", "活动形式", *head, "基层工会名称", "工作类别"],
            [1, "2019-06-03", "讨论会", *first, "长阳镇卫生院工会", "切实抓好学习"],
            [2, "2019-06-04", "讨论会", *second, "长阳镇第一小学工会", "切实抓好学习"],
        ],
    )
    got = run(raw)["rows"][["row", "grassroots_unit", "date", "participants"]]
    assert got.values.tolist() == [
        ["3", "长阳镇卫生院工会", "2019-06-03", "33"],
        ["4", "长阳镇第一小学工会", "2019-06-04", "21"],
    ]


@pytest.mark.parametrize("merged", [True, False])
def test_parts_under_one_figure_before_the_name_column_are_one_table(raw, merged):
    """活动日期 | 活动形式 | 参加人数 (over 党员 | 群众) | 工作类别 | 基层工会名称: the two
    columns under 参加人数 are its parts, not where a second table beside the first begins
    (which read every row twice: once without its union, once without its date)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会"],
        ["活动日期", "活动形式", "参加人数", None, "工作类别", "基层工会名称"],
        [None, None, "党员", "群众"],
        ["2019-06-03", "讨论会", 18, 23, "切实抓好学习", "长阳镇卫生院工会"],
        ["2019-06-04", "讨论会", 20, None, "切实抓好学习", "长阳镇第一小学工会"],
    ]:
        sheet.append(line)
    if merged:
        sheet.merge_cells("C2:D2")
    book.save(raw / "submissions" / "长阳镇.xlsx")
    t = run(raw)
    got = t["rows"][["row", "state", "grassroots_unit", "date", "participants"]]
    assert got.values.tolist() == [
        ["4", "accepted", "长阳镇卫生院工会", "2019-06-03", "41"],  # 18 + 23
        ["5", "accepted", "长阳镇第一小学工会", "2019-06-04", "20"],  # 20 + blank
    ]
    assert "column_missing" not in set(t["issues"]["code"])


def test_parts_total_and_of_which_under_a_typed_figure_before_the_name_column(raw):
    """The same in a CSV: 参加人数（人） typed over 党员 | 群众 | 合计（人） | 其中：女职工,
    the union's column further right; a blank 合计 is the parts' sum (4 + 10), the 其中
    column no part of it."""
    (raw / "submissions" / "长阳镇.csv").write_text(
        "填报单位：长阳镇总工会\n"
        "序号,活动名称,活动形式,参加人数（人）,,,,日期,工作类别,基层工会名称\n"
        ",,,党员,群众,合计（人）,其中：女职工\n"
        "1,专题学习,讨论会,4,10,,2,2019/6/2,切实抓好学习,长阳镇卫生院工会\n"
        "2,专题学习,讨论会,5,6,11,3,2019/6/5,切实抓好学习,长阳镇第一小学工会\n",
        encoding="utf-8",
    )
    t = run(raw)
    got = t["rows"][["row", "grassroots_unit", "date", "participants"]]
    assert got.values.tolist() == [
        ["4", "长阳镇卫生院工会", "2019-06-02", "14"],
        ["5", "长阳镇第一小学工会", "2019-06-05", "11"],
    ]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("6月上旬", "2019-06-01"),
        ("2019年6月中旬", "2019-06-11"),
        ("六月下旬", "2019-06-21"),
        ("9月底", "2019-09-21"),
        ("5月上旬", "2019-05-08"),  # the campaign starts on May 8
    ],
)
def test_a_part_of_a_month_reads_as_its_first_day(campaign, written, day):
    from analysis.clean import parse_date

    assert parse_date(written, campaign) == (pd.Timestamp(day).date(), "date_part_of_month")


def test_a_file_dated_by_parts_of_months_is_counted_in_their_round(raw):
    """No 报送期次 and every date a 旬: the rows are activities of round r1, not rejected."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, "长阳镇卫生院工会", "6月上旬", "切实抓好学习", "讨论会", 8],
            [2, "长阳镇第一小学工会", "6月中旬", "切实抓好学习", "讨论会", 12],
        ],
    )
    t = run(raw)
    assert t["rows"][["state", "date", "participants"]].values.tolist() == [
        ["accepted", "2019-06-01", "8"],
        ["accepted", "2019-06-11", "12"],
    ]
    assert t["submissions"]["round"].tolist() == ["r1"]
    assert set(t["issues"]["code"]) == {"date_part_of_month"}


def test_a_ditto_mark_takes_the_value_of_the_row_above(raw):
    """同上 / 〃 in a name, date or form cell means the row above's value, as a merged cell
    would; a warning names the fields. Without a row above it stays as written."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 8],
            [2, "同上", "2019-06-04", "加强宣讲培训", "宣讲", 12],
            [3, "〃", "同上", "同上", "〃", 30],
        ],
    )
    t = run(raw)
    rows = t["rows"][["row", "state", "grassroots_unit", "work_item", "date", "participants"]]
    assert rows.values.tolist() == [
        ["3", "accepted", "长阳镇卫生院工会", "study", "2019-06-03", "8"],
        ["4", "accepted", "长阳镇卫生院工会", "training", "2019-06-04", "12"],
        ["5", "accepted", "长阳镇卫生院工会", "training", "2019-06-04", "30"],
    ]
    ditto = t["issues"][t["issues"]["code"] == "value_ditto"]
    assert ditto["row"].tolist() == ["4", "5"] and ditto["column"].tolist() == ["B", "B"]
    assert "基层工会名称、活动日期、工作类别、活动形式写的是“同上”" in ditto["message"].iloc[1]
    assert "unit_unresolved" not in set(t["issues"]["code"])


def test_a_unions_subtotal_row_is_a_total_not_an_unknown_union(raw):
    """长阳镇卫生院工会小计 under that union's rows: a total row, not a union to resolve."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 8],
            [None, "长阳镇卫生院工会小计", None, None, None, 8],
            [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 12],
            [None, "长阳镇第一小学工会 小计：", None, None, None, 12],
            [None, "总 计", None, None, None, 20],
        ],
    )
    t = run(raw)
    assert t["rows"][["row", "state", "reason", "participants"]].values.tolist() == [
        ["3", "accepted", "ok", "8"],
        ["4", "rejected", "total_row", ""],
        ["5", "accepted", "ok", "12"],
        ["6", "rejected", "total_row", ""],
        ["7", "rejected", "total_row", ""],
    ]
    assert t["issues"].empty


def test_a_sign_off_under_the_table_is_no_activity(raw):
    """单位（盖章） with the date in another column, 主要负责人签字：…: notes, never an
    activity of the federation itself nor an unknown union; 填表日期 is still read."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 8],
            ["单位（盖章）", None, None, None, "2019年6月28日"],
            [None, "主要负责人签字：", None, "填表日期：2019.6.28"],
        ],
    )
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"],
        ["4", "rejected", "note_row"],
        ["5", "rejected", "note_row"],
    ]
    assert t["issues"].empty
    assert t["submissions"]["report_date"].tolist() == ["2019-06-28"]


def test_a_seal_line_whose_date_fell_under_the_date_or_figure_column_is_a_sign_off(raw):
    """单位（盖章） with its date under 活动日期, or under 参加人数, and 主要负责人签字：
    with a date cell: sign-offs, not activities of the federation (or of a union named
    in a heading above); an activity titled 职工签名承诺 is still one."""
    import datetime

    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "参加人数", "工作类别", "基层工会名称", "活动日期", "活动形式"],
            ["长阳镇卫生院工会"],
            [1, 20, "切实抓好学习", None, "2019-06-03", "讨论会"],
            ["职工签名承诺", 30, "切实抓好学习", "长阳镇第一小学工会", "2019-06-05", "讨论会"],
            ["单位（盖章）", None, None, None, "2019-06-28"],
            ["单位（盖章）", "2019年6月28日"],
            ["主要负责人签字：", datetime.datetime(2019, 6, 28)],
        ],
    )
    t = run(raw)
    got = t["rows"][["row", "state", "reason", "grassroots_unit", "participants"]]
    assert got.values.tolist() == [
        ["3", "rejected", "note_row", "", ""],
        ["4", "accepted", "unit_from_heading", "长阳镇卫生院工会", "20"],
        ["5", "accepted", "ok", "长阳镇第一小学工会", "30"],
        ["6", "rejected", "note_row", "", ""],
        ["7", "rejected", "note_row", "", ""],
        ["8", "rejected", "note_row", "", ""],
    ]


@pytest.mark.parametrize(
    "lines",
    [
        [["单位（盖章）", None, None, None, "二〇一九年六月二十八日"]],  # under 活动日期
        [["单位（盖章）", "二○一九年六月廿八日"]],  # under 参加人数, ○ and 廿
        [[None, None, None, "长阳镇总工会（公章）", "二零一九年六月二十八日"]],
        [[None, None, None, "二〇一九年六月二十八日", "（盖章）"]],  # the date first
        [["（盖章）二○一九年六月廿八日"]],  # seal and date in one cell
        [["负责人签字：", None, None, None, "二Ｏ一九年六月二十八日"]],
    ],
)
def test_a_seal_line_dated_in_chinese_numerals_is_a_sign_off(raw, lines):
    """单位（盖章） | 二〇一九年六月二十八日, whichever columns the seal and the date fell
    into and however the numerals are typed: a sign-off like the digit-date form, not an
    activity of the federation (nor of the union named in a heading above it)."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会", None, None, None, None, "填报日期：2019-06-28"],
            ["序号", "参加人数", "工作类别", "基层工会名称", "活动日期", "活动形式"],
            ["长阳镇卫生院工会"],
            [1, 20, "切实抓好学习", None, "2019-06-03", "讨论会"],
            [2, 30, "切实抓好学习", "长阳镇第一小学工会", "2019-06-05", "讨论会"],
            *lines,
            [3, 40, "加强宣讲培训", "长阳镇第一小学工会", "2019-06-06", "宣讲"],
        ],
    )
    t = run(raw)
    got = t["rows"][["row", "state", "reason", "grassroots_unit", "participants"]]
    assert got.values.tolist() == [
        ["3", "rejected", "note_row", "", ""],
        ["4", "accepted", "unit_from_heading", "长阳镇卫生院工会", "20"],
        ["5", "accepted", "ok", "长阳镇第一小学工会", "30"],
        ["6", "rejected", "note_row", "", ""],
        ["7", "accepted", "ok", "长阳镇第一小学工会", "40"],
    ]
    assert set(t["issues"]["code"]) <= {"unit_from_heading"}


@pytest.mark.parametrize(
    "line",
    ["统计人：张三", "统计人: 张三  电话：13800000000", "经办人：李四", "制表：王五",
     "审核：赵六", "统计员：孙七", "联系电话：69360000", "分管领导：周八"],
)  # fmt: skip
def test_a_role_and_a_name_under_the_table_is_a_sign_off(raw, line):
    """统计人：张三 in the name column under the table, no date, no figure: a note, not an
    activity of an unknown union with an error; in a row with a figure and a date it is
    read as an activity (and its union refused) as before."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 8],
            [None, line],
            [2, line, "2019-06-04", "切实抓好学习", "讨论会", 9],
        ],
    )
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"],
        ["4", "rejected", "note_row"],
        ["5", "rejected", "unit_unresolved"],
    ]


def test_a_union_named_alone_above_its_activities_holds_them(raw):
    """长阳镇卫生院工会 alone in a row, its activities below with the name column blank:
    they are that union's (warned), not the federation's own; 二、机关本级 above rows
    without a name keeps them 本级, and a heading stops at rows naming their own union."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            ["长阳镇卫生院工会"],
            [1, None, "2019-06-03", "切实抓好学习", "讨论会", 8],
            [2, None, "2019-06-04", "加强宣讲培训", "宣讲", 12],
            ["一、基层工会"],
            [3, "长阳镇第一小学工会", "2019-06-05", "切实抓好学习", "讨论会", 5],
            [4, None, "2019-06-06", "切实抓好学习", "报告会", 40],
            ["二、机关本级"],
            [5, None, "2019-06-07", "切实抓好学习", "报告会", 30],
        ],
    )
    t = run(raw)
    got = t["rows"][["row", "state", "reason", "grassroots_unit", "participants"]]
    assert got.values.tolist() == [
        ["3", "rejected", "note_row", "", ""],
        ["4", "accepted", "unit_from_heading", "长阳镇卫生院工会", "8"],
        ["5", "accepted", "unit_from_heading", "长阳镇卫生院工会", "12"],
        ["6", "rejected", "note_row", "", ""],
        ["7", "accepted", "ok", "长阳镇第一小学工会", "5"],
        ["8", "accepted", "ok", "", "40"],
        ["9", "rejected", "note_row", "", ""],
        ["10", "accepted", "ok", "", "30"],
    ]
    warned = t["issues"][t["issues"]["code"] == "unit_from_heading"]
    assert warned["row"].tolist() == ["4", "5"]
    assert "上方单独一行写着基层工会“长阳镇卫生院工会”" in warned["message"].iloc[0]
    coverage = pd.read_csv(raw.parent / "out" / "coverage.csv", encoding="utf-8-sig", dtype=str)
    assert coverage.set_index("group").loc["长阳镇总工会", "units_covered"] == "2"


def test_a_sign_off_word_or_a_colon_in_a_row_with_a_figure_is_an_activity(raw):
    """Only a row without a figure is a sign-off: a union typed with a colon after its
    name (长阳镇卫生院工会：) is that union, and a 签名 in the title is an activity."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["基层工会名称", "活动名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            ["长阳镇卫生院工会：", "学习", "2019-06-03", "切实抓好学习", "讨论会", 8],
            ["长阳镇卫生院工会", "职工签名承诺", "2019-06-04", "切实抓好学习", "讨论会", 9],
            ["单位（盖章）", None, None, None, "2019年6月28日"],
        ],
    )
    t = run(raw)
    rows = t["rows"][["row", "state", "reason", "grassroots_unit", "participants"]]
    assert rows.values.tolist() == [
        ["3", "accepted", "ok", "长阳镇卫生院工会", "8"],
        ["4", "accepted", "ok", "长阳镇卫生院工会", "9"],
        ["5", "rejected", "note_row", "", ""],
    ]


@pytest.mark.parametrize(
    "line",
    [
        ["主要负责人签名：张三", None, "2019-06-28"],  # the date under 活动日期
        ["填报人签名：", None, "2019年6月28日"],
        ["工会主席签名：张三", None, None, None, None, "2019年6月28日"],  # under 参加人数
        ["分管领导（签名）", None, "2019-06-28"],
        [None, "党支部书记签名： 李四", "2019-06-28"],  # in the title column
        ["2019-06-28", "单位签名"],  # the date first
    ],
)
def test_a_roles_signature_line_and_a_date_is_a_sign_off(raw, line):
    """A role's signature line (负责人/填报人/主席/领导/书记/单位 … 签名, a name after
    its colon or none) and a date, nothing else: a sign-off like 单位（盖章） | date, not
    an activity of the federation dated the day it was signed."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["基层工会名称", "活动名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            ["长阳镇卫生院工会", "学习", "2019-06-03", "切实抓好学习", "讨论会", 8],
            line,
        ],
    )
    t = run(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"],
        ["4", "rejected", "note_row"],
    ]


@pytest.mark.parametrize("title", ["职工签名承诺", "签名活动", "万人签名", "签名承诺：安全生产"])
def test_signature_words_in_an_activitys_title_are_no_sign_off(raw, title):
    """签名 inside an activity's title, with its date (and with or without a figure), is
    an activity of the federation, not a sign-off: the words are no role's signature."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["基层工会名称", "活动名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [None, title, "2019-06-04"],
            [None, title, "2019-06-05", "切实抓好学习", "签名", 300],
        ],
    )
    t = run(raw)
    assert t["rows"][["row", "state", "date"]].values.tolist() == [
        ["3", "accepted", "2019-06-04"],
        ["4", "accepted", "2019-06-05"],
    ]


def test_a_sign_off_word_in_a_dated_activity_is_no_sign_off(raw):
    """职工签名承诺活动 with a union and a date is an activity even with its figure blank
    (told as a missing figure), not a sign-off line dropped as a note."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会"],
            ["活动名称", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            ["职工签名承诺活动", "长阳镇卫生院工会", "2019-06-04", "切实抓好学习", "讨论会", None],
        ],
    )
    t = run(raw)
    assert t["rows"][["row", "reason"]].values.tolist()[0][1] != "note_row"
    assert t["rows"]["grassroots_unit"].tolist() == ["长阳镇卫生院工会"]


def test_a_missing_participants_column_is_told_once_other_missing_columns_still_are(raw):
    """A table of rows without 参加人数 gets one warning for it (participants_column_missing,
    which says the figures are missing), not also column_missing for the same column; a
    table also without 基层工会名称 still gets column_missing for that column."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["填报单位：长阳镇总工会", None, "报送期次：第一阶段"],
            ["活动日期", "活动名称", "活动形式", "工作类别"],  # row 2: no union, no participants
            ["2019-06-03", "学习会", "讨论会", "切实抓好学习"],
            [None],
            ["基层工会名称", "活动日期", "工作类别", "活动形式"],  # row 5: no participants
            ["长阳镇第一小学工会", "2019-06-05", "加强宣讲培训", "宣讲"],
        ],
        sheet="活动明细",
    )
    t = run(raw)
    told = t["issues"].query("code in ('column_missing', 'participants_column_missing')")
    got = [(r, code, "参加人数" in m, "基层工会名称" in m)
           for r, code, m in told[["row", "code", "message"]].values.tolist()]  # fmt: skip
    assert sorted(got) == [
        ("2", "column_missing", False, True),
        ("2", "participants_column_missing", True, False),
        ("5", "participants_column_missing", True, False),
    ]


def test_a_table_without_a_participants_column_is_told_on_its_header_row(raw):
    """participants_column_missing names the sheet and the header row, in issues.csv's
    `row` and in its message, for each such table (a second table lower in the sheet, a
    header under title rows, a CSV without sheets)."""
    write_xlsx(
        raw / "submissions" / "长阳镇.xlsx",
        [
            ["长阳镇总工会活动情况统计表"],
            ["填报单位：长阳镇总工会", None, "报送期次：第一阶段"],
            [None],
            ["活动日期", "基层工会名称", "活动形式", "工作类别"],  # row 4
            ["2019-06-03", "长阳镇卫生院工会", "讨论会", "切实抓好学习"],
            [None],
            ["宣讲活动"],
            ["基层工会名称", "活动日期", "工作类别"],  # row 8: a second table
            ["长阳镇第一小学工会", "2019-06-05", "加强宣讲培训"],
        ],
        sheet="活动明细",
    )
    (raw / "submissions" / "r2").mkdir()
    (raw / "submissions" / "r2" / "长阳镇总工会.csv").write_text(
        "基层工会名称,活动日期,工作类别,活动形式\n长阳镇卫生院工会,2019-07-04,切实抓好学习,讨论会\n",
        encoding="utf-8",
    )
    t = run(raw)
    missing = t["issues"].query("code == 'participants_column_missing'")
    got = missing[["file", "sheet", "row", "column", "severity"]].values.tolist()
    assert got == [
        ["submissions/r2/长阳镇总工会.csv", "", "1", "", "warning"],
        ["submissions/长阳镇.xlsx", "活动明细", "4", "", "warning"],
        ["submissions/长阳镇.xlsx", "活动明细", "8", "", "warning"],
    ]
    messages = missing["message"].tolist()
    assert messages[0].startswith("文件“submissions/r2/长阳镇总工会.csv”第1行的活动表表头")
    assert "工作表“" not in messages[0]  # a CSV has no sheet
    assert messages[1].startswith("文件“submissions/长阳镇.xlsx”的工作表“活动明细”第4行")
    assert "工作表“活动明细”第8行" in messages[2]
    assert all("没有“参加人数”列" in m for m in messages)
    # Its activities count, their participants missing (not zero).
    accepted = t["rows"].query("state == 'accepted'")
    assert len(accepted) == 3 and set(accepted["participants"]) == {""}
