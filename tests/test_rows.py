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
from tests.conftest import FIXTURES, write_xlsx

FORMATS = ("xlsx", "xls", "ods")


@pytest.fixture
def raw(tmp_path, small_roster_rows) -> Path:
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    (raw / "submissions").mkdir(parents=True)
    return raw


def run(raw: Path) -> dict[str, pd.DataFrame]:
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False, full=True)
    return {
        name: pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for name in ("rows", "issues", "submissions")
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
    assert "B列“活动日期”、C列“活动时间”" in note["message"] and "已使用B列“活动日期”" in note["message"]
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
    assert deleted["message"].startswith("工作表“活动情况”第5行的内容全部被划了删除线")
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
