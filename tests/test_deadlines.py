"""Not yet due is not missing: the pending status before a round's deadline."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis import cli, deadlines
from analysis.roster import load_roster
from tests.test_ingest import act, raw, submission  # noqa: F401 - `raw` is a fixture

UNITS = pd.DataFrame(
    {
        "reporting_unit": [
            "长阳镇总工会",
            "琉璃河镇总工会",
            "区教委工会",
            "北京燕房物流有限公司工会",
        ],
        "kind": ["town", "town", "system", "direct"],
    }
)
# r1 deadline 2019-07-05, r2 deadline 2019-10-10, r3 starts 2019-10-01.
SUBMISSIONS = pd.DataFrame(
    [
        ("a1.xlsx", "长阳镇总工会", "r1", "2019-07-03", "current"),
        ("b1.xlsx", "琉璃河镇总工会", "r1", "2019-07-08", "current"),
        ("c1.xlsx", "区教委工会", "r1", "", "current"),
        ("a2old.xlsx", "长阳镇总工会", "r2", "2019-09-10", "superseded"),
        ("a2.xlsx", "长阳镇总工会", "r2", "2019-09-20", "current"),
        ("b2.xlsx", "琉璃河镇总工会", "r2", "2019-10-05", "current"),
    ],
    columns=["file", "reporting_unit", "round", "report_date", "state"],
)


def test_before_the_deadline_units_not_yet_reported_are_pending(campaign):
    status = deadlines.status_as_of(SUBMISSIONS, UNITS, campaign, dt.date(2019, 9, 30))
    # r3 has not started by 9-30: not listed. b2.xlsx is dated after 9-30: not arrived yet.
    assert status[["reporting_unit", "round", "status", "status_name"]].values.tolist() == [
        ["长阳镇总工会", "r1", "on_time", "按时报送"],
        ["琉璃河镇总工会", "r1", "late", "逾期报送"],
        ["区教委工会", "r1", "unknown_date", "已报送（未填日期）"],
        ["北京燕房物流有限公司工会", "r1", "missing", "未报送"],
        ["长阳镇总工会", "r2", "on_time", "按时报送"],
        ["琉璃河镇总工会", "r2", "pending", "未到截止日期"],
        ["区教委工会", "r2", "pending", "未到截止日期"],
        ["北京燕房物流有限公司工会", "r2", "pending", "未到截止日期"],
    ]
    assert status["submitted"].tolist() == [True, True, True, False, True, False, False, False]
    assert status["file"].iloc[4] == "a2.xlsx"
    assert deadlines.round_sentence(status, campaign, "r2", dt.date(2019, 9, 30)) == (
        "第二阶段截止10月10日，截至9月30日已报送1个"
    )
    assert deadlines.round_sentence(status, campaign, "r1", dt.date(2019, 9, 30)) == (
        "第一阶段截止7月5日，应报送4个，已报送3个，报送率75.0%，1个单位未报送"
    )
    counts = deadlines.status_counts(status).set_index("round")
    assert counts.loc["r2"].tolist() == [4, 1, 1, 0, 0, 0, 3]  # expected, submitted, by status
    assert counts.loc["r1"].tolist() == [4, 3, 1, 1, 1, 1, 0]


def test_on_the_deadline_day_the_round_is_due_and_the_next_is_pending(campaign):
    status = deadlines.status_as_of(SUBMISSIONS, UNITS, campaign, dt.date(2019, 10, 10))
    r2 = status[status["round"] == "r2"]
    assert r2["status"].tolist() == ["on_time", "on_time", "missing", "missing"]
    assert set(status.loc[status["round"] == "r3", "status"]) == {"pending"}
    assert deadlines.round_sentence(status, campaign, "r2", dt.date(2019, 10, 10)) == (
        "第二阶段截止10月10日，应报送4个，已报送2个，报送率50.0%，2个单位未报送"
    )


def test_without_as_of_the_latest_report_date_is_the_reference(campaign):
    # Latest 填报日期 is 2019-10-05: r3 has started, r2 not yet due.
    status = deadlines.status_as_of(SUBMISSIONS, UNITS, campaign)
    assert status.loc[status["round"] == "r2", "status"].tolist() == [
        "on_time", "on_time", "pending", "pending",
    ]  # fmt: skip
    assert status.loc[status["round"] == "r3", "status"].tolist() == ["pending"] * 4


def test_ingest_with_as_of_before_the_r2_deadline(raw, campaign):  # noqa: F811
    submission(raw, "长阳镇二期.xlsx", "长阳镇总工会", [act("长阳镇第一小学", "2019-08-01")],
               "2019-09-20", round_label="第二阶段")  # fmt: skip
    submission(raw, "琉璃河镇一期.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学", "2019-06-03")],
               "2019-07-01", round_label="第一阶段")  # fmt: skip
    out = raw.parent / "out"
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(out), "--quiet",
                     "--as-of", "2019-09-30"]) == 0  # fmt: skip
    submissions = pd.read_csv(out / "submissions.csv", encoding="utf-8-sig", dtype=str)
    roster = load_roster(raw / "roster")
    status = deadlines.status_as_of(submissions, roster, campaign, dt.date(2019, 9, 30))
    table = status.set_index(["round", "reporting_unit"])["status_name"]
    assert table["r2"].to_dict() == {
        "长阳镇总工会": "按时报送",
        "琉璃河镇总工会": "未到截止日期",
        "区教委工会": "未到截止日期",
        "北京燕房物流有限公司工会": "未到截止日期",
    }
    assert table["r1"].to_dict() == {
        "长阳镇总工会": "未报送",
        "琉璃河镇总工会": "按时报送",
        "区教委工会": "未报送",
        "北京燕房物流有限公司工会": "未报送",
    }
    assert deadlines.round_sentence(status, campaign, "r2", dt.date(2019, 9, 30)) == (
        "第二阶段截止10月10日，截至9月30日已报送1个"
    )
