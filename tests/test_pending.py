"""Not yet due is not missing: the pending status before a round's deadline, end to end.

The rule lives in reporting.reporting_status (status `pending`, 未到截止日期); the figures
model's sentence and lists are tested in test_figures.py.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis import cli, reporting
from analysis.roster import load_roster
from tests.test_ingest import act, submission


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
    status = reporting.reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 9, 30))
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
