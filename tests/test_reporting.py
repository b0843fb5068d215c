"""Reporting status, rates, lists, counts and data quality, checked by hand.

Roster (conftest.small_roster_rows): 琉璃河镇总工会 and 长阳镇总工会 (town), 区教委工会
(system), 北京燕房物流有限公司工会 (direct) are the four reporting units, in that order.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.coverage import accepted_activities
from analysis.reporting import (
    STATUS_NAMES,
    activity_counts,
    data_quality,
    not_reached,
    not_reported,
    not_yet_due,
    reporting_consistency,
    reporting_rates,
    reporting_status,
)
from analysis.roster import Roster, roster_from_grid

CY, LLH, JW, YF = "长阳镇总工会", "琉璃河镇总工会", "区教委工会", "北京燕房物流有限公司工会"
NaT = pd.NaT


@pytest.fixture
def roster(small_roster_rows) -> Roster:
    columns = {"unit": 1, "parent": 2, "kind": 3, "members": 4, "employees": 5, "code": 6}
    return roster_from_grid(small_roster_rows, 1, columns, source="名册.xlsx")


@pytest.fixture
def submissions() -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            ("r1/长阳.xlsx", CY, "town", "r1", "2019-07-04", "current"),
            ("r1/长阳-旧.xlsx", CY, "town", "r1", "2019-06-28", "superseded"),
            ("r1/琉璃河.xlsx", LLH, "town", "r1", "2019-07-08", "current"),  # after 07-05
            ("r1/教委.csv", JW, "system", "r1", None, "current"),  # no 填报日期
            ("r1/燕房.xlsx", YF, "direct", "r1", "2019-07-02", "rejected"),
            ("r1/燕房(1).xlsx", YF, "direct", "r1", "2019-07-02", "duplicate_file"),
            ("r1/某某.xlsx", "某某工会", "town", "r1", "2019-07-01", "current"),  # not in roster
            ("r2/教委.xlsx", JW, "system", "r2", "2019-08-01", "current"),
            ("r2/长阳.xlsx", CY, "town", "r2", "2019-09-20", "current"),
        ],
        columns=["file", "reporting_unit", "kind", "round", "report_date", "state"],
    )


def expected_status(records: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        records,
        columns=["reporting_unit", "kind", "round", "status", "on_time", "report_date", "file"],
    )
    frame.insert(4, "status_name", frame["status"].map(STATUS_NAMES))
    frame.insert(5, "submitted", ~frame["status"].isin(["missing", "pending"]))
    frame["on_time"] = frame["on_time"].astype("boolean")
    frame["report_date"] = pd.to_datetime(frame["report_date"])
    return frame


def test_reporting_status_as_of_mid_round_two(roster, submissions, campaign):
    # As of 08-15: r3 has not started; 长阳's r2 file (dated 09-20) had not arrived.
    # r2's deadline (10-10) is still ahead: who has not sent r2 is pending, not missing.
    status = reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 8, 15))
    expected = expected_status(
        [
            (LLH, "town", "r1", "late", False, "2019-07-08", "r1/琉璃河.xlsx"),
            (CY, "town", "r1", "on_time", True, "2019-07-04", "r1/长阳.xlsx"),
            (JW, "system", "r1", "unknown_date", None, None, "r1/教委.csv"),
            (YF, "direct", "r1", "missing", None, None, None),
            (LLH, "town", "r2", "pending", None, None, None),
            (CY, "town", "r2", "pending", None, None, None),
            (JW, "system", "r2", "on_time", True, "2019-08-01", "r2/教委.xlsx"),
            (YF, "direct", "r2", "pending", None, None, None),
        ]
    )
    assert_frame_equal(status, expected, check_dtype=False)


def test_reporting_status_before_the_campaign_expects_nothing(roster, submissions, campaign):
    """An as-of date before the first round starts: no report was due (it raised a TypeError)."""
    status = reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 5, 1))
    assert status.empty
    rates = reporting_rates(status)
    assert rates.empty or (rates["expected"] == 0).all()


def test_reporting_status_without_as_of_counts_every_arrived_file(roster, submissions, campaign):
    # latest 填报日期 09-20: r1 and r2 listed, r3 (from 10-01) not yet; 长阳's r2 file counts
    status = reporting_status(roster, submissions, campaign)
    assert len(status) == 4 * 2
    cy = status.loc[status["reporting_unit"] == CY].set_index("round")["status"]
    assert cy.to_dict() == {"r1": "on_time", "r2": "on_time"}
    everything = reporting_status(roster, submissions, campaign, as_of=dt.date(2020, 1, 31))
    assert len(everything) == 4 * 3


def test_reporting_status_earliest_current_submission_decides(roster, campaign):
    submissions = pd.DataFrame(
        {
            "file": ["b.xlsx", "a.xlsx"],
            "reporting_unit": [CY, CY],
            "round": ["r1", "r1"],
            "report_date": ["2019-07-08", "2019-07-04"],
            "state": ["current", "current"],
        }
    )
    status = reporting_status(roster, submissions, campaign).set_index(["reporting_unit", "round"])
    assert status.loc[(CY, "r1"), "status"] == "on_time"
    assert status.loc[(CY, "r1"), "file"] == "a.xlsx"


@pytest.mark.parametrize(
    ("report_date", "status", "on_time"),
    [
        ("2019-07-05", "on_time", True),  # on the deadline
        ("2019-07-06", "late", False),
        (None, "unknown_date", pd.NA),
    ],
)
def test_reporting_status_deadline_rule(roster, campaign, report_date, status, on_time):
    submissions = pd.DataFrame(
        {
            "file": ["a.xlsx"],
            "reporting_unit": [YF],
            "round": ["r1"],
            "report_date": [report_date],
            "state": ["current"],
        }
    )
    row = reporting_status(roster, submissions, campaign).iloc[3]
    assert (row["reporting_unit"], row["round"], row["status"]) == (YF, "r1", status)
    assert row["on_time"] is on_time or row["on_time"] == on_time


def test_reporting_rates_follow_dhis2_definitions(roster, submissions, campaign):
    status = reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 8, 15))
    rates = reporting_rates(status)
    got = rates.loc[rates["group"].isin(["全区", "town", "street"])].reset_index(drop=True)
    expected = pd.DataFrame.from_records(
        [
            ("r1", "district", "", "全区", 4, 3, 1, 1, 1, 1, 0, 0.75, 0.25),
            ("r1", "kind", "town", "town", 2, 2, 1, 1, 0, 0, 0, 1.0, 0.5),
            ("r1", "kind", "street", "street", 0, 0, 0, 0, 0, 0, 0, np.nan, np.nan),
            # r2 is due 10-10: the three without a report by 08-15 are pending, not missing
            ("r2", "district", "", "全区", 4, 1, 1, 0, 0, 0, 3, 0.25, 0.25),
            ("r2", "kind", "town", "town", 2, 0, 0, 0, 0, 0, 2, 0.0, 0.0),
            ("r2", "kind", "street", "street", 0, 0, 0, 0, 0, 0, 0, np.nan, np.nan),
        ],
        columns=[
            "round",
            "level",
            "kind",
            "group",
            "expected",
            "submitted",
            "on_time",
            "late",
            "unknown_date",
            "missing",
            "pending",
            "reporting_rate",
            "on_time_rate",
        ],  # fmt: skip
    )
    assert_frame_equal(got, expected, check_dtype=False)


def test_reporting_consistency_every_round_over_any_round(roster, submissions, campaign):
    status = reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 8, 15))
    table = reporting_consistency(status).set_index("group")
    # any round: 琉璃河, 长阳, 教委; every round (r1, r2): 教委 only
    assert table.loc["全区", ["units_every_round", "units_any_round"]].tolist() == [1, 3]
    assert table.loc["全区", "consistency"] == pytest.approx(1 / 3)
    assert np.isnan(table.loc["direct", "consistency"])


def test_not_reported_lists_units_without_current_submission(roster, submissions, campaign):
    status = reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 8, 15))
    # r2 is due 10-10: on 08-15 nobody has missed it; the three without a report are not yet due
    expected = pd.DataFrame({"reporting_unit": [LLH, CY, YF], "kind": ["town", "town", "direct"]})
    assert not_reported(status, "r2").empty
    assert_frame_equal(not_yet_due(status, "r2"), expected, check_dtype=False)
    assert not_reported(status, "r1")["reporting_unit"].tolist() == [YF]
    assert not_yet_due(status, "r1").empty
    # On 10-11 the deadline has passed: the same three are 未报送
    late = reporting_status(roster, submissions, campaign, as_of=dt.date(2019, 10, 11))
    assert not_reported(late, "r2")["reporting_unit"].tolist() == [LLH, YF]  # 长阳 sent 09-20
    assert not_yet_due(late, "r2").empty


# --------------------------------------------------------------------------- data quality


def test_data_quality_counts_reconcile_and_sort_by_rejections():
    rows = pd.DataFrame.from_records(
        [
            ("a.xlsx", "accepted", "ok", CY, 10.0),
            ("a.xlsx", "accepted", "participants_unreadable", CY, None),
            ("a.xlsx", "rejected", "unit_unresolved", CY, None),
            ("a.xlsx", "rejected", "total_row", CY, None),  # not a data error
            ("a0.xlsx", "superseded", "superseded", CY, 5.0),
            ("b.xlsx", "rejected", "unit_unresolved", JW, None),
            ("b.xlsx", "rejected", "date_unreadable", JW, None),
            ("b.xlsx", "rejected", "unit_unresolved", JW, None),
            ("c.csv", "accepted", "ok", None, 3.0),  # file whose 填报单位 was not resolved
        ],
        columns=["file", "state", "reason", "reporting_unit", "participants"],
    )
    issues = pd.DataFrame(
        {
            "file": ["a.xlsx", "b.xlsx", "b.xlsx", "b.xlsx"],
            "code": ["unit_unresolved", "unit_unresolved", "unit_unresolved", "date_unreadable"],
        }
    )
    submissions = pd.DataFrame(
        {
            "file": ["a.xlsx", "a0.xlsx", "b.xlsx", "c.csv", "d.xlsx"],
            "reporting_unit": [CY, CY, JW, None, YF],
            "state": ["current", "superseded", "current", "current", "current"],
        }
    )
    table = data_quality(rows, issues, submissions)
    expected = pd.DataFrame(
        {
            # ties (no rejections) by name: 北 (U+5317) before （ (U+FF08)
            "reporting_unit": [JW, CY, YF, "（未识别报送单位）"],
            "files_current": [1, 1, 1, 1],
            "rows_read": [3, 5, 0, 1],
            "rows_accepted": [0, 2, 0, 1],
            "rows_rejected": [3, 1, 0, 0],
            "rows_skipped": [0, 1, 0, 0],
            "rows_not_counted": [0, 1, 0, 0],
            "rows_with_warnings": [0, 1, 0, 0],
            "participants_missing": [0, 1, 0, 0],
            "rejected_unit_unresolved": [2, 1, 0, 0],
            "rejected_date_unreadable": [1, 0, 0, 0],
            "unresolved_names": [2, 1, 0, 0],
            "rejected_share": [1.0, 1 / 3, np.nan, 0.0],
        }
    )
    assert_frame_equal(table, expected, check_dtype=False)
    counts = table.set_index("reporting_unit")
    assert (
        counts["rows_read"]
        == counts[["rows_accepted", "rows_rejected", "rows_skipped", "rows_not_counted"]].sum(
            axis=1
        )
    ).all()


# --------------------------------------------------------------------------- lists and ranking


def test_not_reached_lists_uncovered_unions_by_unit_then_members(roster):
    activities = pd.DataFrame(
        {
            "grassroots_unit": ["长阳镇第一小学工会", "琉璃河镇中心小学工会", ""],
            "group": [CY, LLH, JW],
            "participants": [1.0, 2.0, 3.0],
        }
    )
    expected = pd.DataFrame(
        {
            "reporting_unit": [CY, CY, JW, JW, YF],
            "kind": ["town", "town", "system", "system", "direct"],
            "unit": [
                "北京长阳建材有限公司工会委员会",
                "长阳镇卫生院工会",
                "区教委机关工会",
                "房山区实验中学工会",
                "北京燕房物流有限公司工会",
            ],  # fmt: skip
            "members": [100, 60, 50, 20, 30],
        }
    )
    assert_frame_equal(not_reached(roster, activities), expected, check_dtype=False)


# --------------------------------------------------------------------------- activity counts


@pytest.fixture
def activities(roster) -> pd.DataFrame:
    rows = pd.DataFrame.from_records(
        [
            # unit, reporting unit, work item, form, date, participants
            ("长阳镇第一小学工会", CY, "study", "讨论会", "2019-06-03", 30),  # Mon, W23
            ("长阳镇卫生院工会", CY, "study", "讨论会", "2019-06-09", 20),  # Sun, W23
            ("", CY, "publicity", "微信", "2019-06-10", None),  # Mon, W24
            ("区教委机关工会", JW, "study", "报告会", "2019-06-12", 50),  # W24
            ("区教委机关工会", JW, None, None, None, 5),  # undated, no item, no form
        ],
        columns=["grassroots_unit", "reporting_unit", "work_item", "form", "date", "participants"],
    ).assign(file="a.xlsx", sheet="S", row=range(5), state="accepted", round="r1")
    return accepted_activities(rows, roster)


def test_activity_counts_by_work_item_in_campaign_order(activities, campaign):
    table = activity_counts(activities, "work_item", campaign.work_item_codes)
    district = table.loc[table["level"] == "district"]
    assert district["work_item"].tolist() == list(campaign.work_item_codes)
    assert district["activities"].tolist() == [3, 0, 1, 0, 0, 1]
    assert district["participants"].tolist() == [100, 0, 0, 0, 0, 5]
    assert district["participants_missing"].tolist() == [0, 0, 1, 0, 0, 0]
    town = table.loc[table["group"] == "town"].set_index("work_item")
    assert town.loc["study", ["activities", "participants"]].tolist() == [2, 50]
    assert table["group"].drop_duplicates().tolist() == ["全区", "town", "system"]


def test_activity_counts_by_form_most_frequent_first(activities):
    table = activity_counts(activities, "form")
    district = table.loc[table["level"] == "district"]
    assert district[["form", "activities"]].values.tolist() == [
        ["讨论会", 2],
        ["", 1],
        ["微信", 1],
        ["报告会", 1],
    ]


def test_activity_counts_by_iso_week_with_cumulative(activities):
    table = activity_counts(activities, "week")
    district = table.loc[table["level"] == "district"]
    assert district["week"].tolist() == ["2019-W23", "2019-W24"]
    assert district["week_start"].dt.strftime("%Y-%m-%d").tolist() == ["2019-06-03", "2019-06-10"]
    assert district["activities"].tolist() == [2, 2]  # the undated activity has no week
    assert district["activities_cumulative"].tolist() == [2, 4]
    assert district["participants_cumulative"].tolist() == [50, 100]
    system = table.loc[table["group"] == "system"]
    assert system[["week", "activities", "participants"]].values.tolist() == [["2019-W24", 1, 50]]


def test_activity_counts_rejects_unknown_dimension(activities):
    with pytest.raises(ValueError, match="by must be"):
        activity_counts(activities, "month")


def test_reporting_status_without_as_of_stops_at_latest_report_date(roster, campaign):
    # the latest 填报日期 is 07-04: r2 (from 07-01) has started, r3 has not
    submissions = pd.DataFrame(
        {
            "file": ["a.xlsx"],
            "reporting_unit": [CY],
            "round": ["r1"],
            "report_date": ["2019-07-04"],
            "state": ["current"],
        }
    )
    status = reporting_status(roster, submissions, campaign)
    assert status["round"].drop_duplicates().tolist() == ["r1", "r2"]
    assert status["submitted"].sum() == 1


def test_a_report_corrected_after_the_as_of_date_counts_as_of_that_date(
    roster, submissions, campaign
):
    """长阳 sent on 06-28 and its correction on 07-04: as of 07-01 the first report is its
    report, on time (it was listed as not reported, the correction not having arrived)."""
    subs = submissions.assign(superseded_by="")
    subs.loc[subs["file"] == "r1/长阳-旧.xlsx", "superseded_by"] = "r1/长阳.xlsx"
    status = reporting_status(roster, subs, campaign, as_of=dt.date(2019, 7, 1))
    cy = status[(status["reporting_unit"] == CY) & (status["round"] == "r1")].iloc[0]
    assert (cy["status"], cy["file"]) == ("on_time", "r1/长阳-旧.xlsx")
    later = reporting_status(roster, subs, campaign, as_of=dt.date(2019, 7, 10))
    cy = later[(later["reporting_unit"] == CY) & (later["round"] == "r1")].iloc[0]
    assert cy["file"] == "r1/长阳.xlsx"  # once the correction is in, it alone counts


def test_a_correction_sent_after_the_deadline_leaves_an_on_time_report_on_time(roster, campaign):
    """长阳 reported 第一阶段 on 07-01 (deadline 07-05) and corrected it on 07-08; 琉璃河
    first reported on 07-08. Only 长阳 was on time: 按时报送率 1/4, not 0/4."""
    subs = pd.DataFrame.from_records(
        [
            ("r1/长阳.xlsx", CY, "town", "r1", "2019-07-01", "superseded", "r1/长阳更正.xlsx"),
            ("r1/长阳更正.xlsx", CY, "town", "r1", "2019-07-08", "current", ""),
            ("r1/琉璃河.xlsx", LLH, "town", "r1", "2019-07-08", "current", ""),
        ],
        columns=[
            "file",
            "reporting_unit",
            "kind",
            "round",
            "report_date",
            "state",
            "superseded_by",
        ],
    )
    for as_of in (None, dt.date(2019, 7, 10)):
        status = reporting_status(roster, subs, campaign, as_of=as_of).set_index("reporting_unit")
        r1 = status[status["round"] == "r1"]
        assert r1["status"].to_dict() == {
            LLH: "late", CY: "on_time", JW: "missing", YF: "missing",
        }  # fmt: skip
        assert r1.loc[CY, "file"] == "r1/长阳更正.xlsx"  # the correction is what counts
        rates = reporting_rates(status.reset_index())
        district = rates[(rates["round"] == "r1") & (rates["level"] == "district")].iloc[0]
        assert (district["submitted"], district["on_time"]) == (2, 1)
        assert district["on_time_rate"] == pytest.approx(0.25)
