"""Coverage figures against numbers worked out by hand on a seven-union district.

The roster (conftest.small_roster_rows):
    长阳镇总工会 (town): 长阳镇第一小学工会 40, 长阳镇卫生院工会 60,
        北京长阳建材有限公司工会委员会 100                       -> 3 unions, 200 members
    琉璃河镇总工会 (town): 琉璃河镇中心小学工会 30                -> 1 union, 30 members
    区教委工会 (system): 区教委机关工会 50, 房山区实验中学工会 20  -> 2 unions, 70 members
    北京燕房物流有限公司工会 (direct, its own reporting unit) 30 -> 1 union, 30 members
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.coverage import (
    accepted_activities,
    compute_tables,
    coverage_by_item,
    coverage_by_round,
    coverage_table,
    cumulative_curve,
)
from analysis.roster import Roster, roster_from_grid

CY, LLH, JW, YF = "长阳镇总工会", "琉璃河镇总工会", "区教委工会", "北京燕房物流有限公司工会"
CY1, CY2 = "长阳镇第一小学工会", "长阳镇卫生院工会"
LLH1, JW1, JW2 = "琉璃河镇中心小学工会", "区教委机关工会", "房山区实验中学工会"
NaN = np.nan


@pytest.fixture
def roster(small_roster_rows) -> Roster:
    columns = {"unit": 1, "parent": 2, "kind": 3, "members": 4, "employees": 5, "code": 6}
    return roster_from_grid(small_roster_rows, 1, columns, source="名册.xlsx")


def ledger_row(file, row, state, reason, unit, reporting_unit, item, date, people, round_code):
    counted_for = {CY1: CY, CY2: CY, LLH1: LLH, JW1: JW, JW2: JW, YF: YF}.get(unit, reporting_unit)
    return {
        "file": file,
        "sheet": "活动",
        "row": row,
        "state": state,
        "reason": reason,
        "grassroots_unit": unit,
        "reporting_unit": reporting_unit,
        "work_item": item,
        "date": date,
        "participants": people,
        "kind": None,
        "round": round_code,
        "form": "讨论会",
        "counted_for": counted_for,
        "template": False,
    }


@pytest.fixture
def rows() -> pd.DataFrame:
    """The ledger: what each row is there to test is in its comment."""
    r = ledger_row
    return pd.DataFrame(
        [
            r("r1/长阳.xlsx", 5, "accepted", "ok", CY1, CY, "study", "2019-06-03", 30, "r1"),
            # a second activity of the same union: 2 activities, still 1 union covered
            r("r1/长阳.xlsx", 6, "accepted", "ok", CY1, CY, "training", "2019-06-20", 25, "r1"),
            # the federation itself (本级): activities and participants, not coverage
            r("r1/长阳.xlsx", 7, "accepted", "ok", "", CY, "publicity", "2019-06-10", 100, "r1"),
            # a union of 琉璃河 reported by 长阳, participants unreadable (missing, not 0)
            r(
                "r1/长阳.xlsx",
                8,
                "accepted",
                "participants_unreadable",
                LLH1,
                CY,
                "study",
                "2019-06-15",
                None,
                "r1",
            ),
            r(
                "r1/长阳.xlsx",
                9,
                "rejected",
                "unit_unresolved",
                "",
                CY,
                "study",
                "2019-06-16",
                9,
                "r1",
            ),
            r("r1/长阳.xlsx", 10, "rejected", "total_row", "", CY, None, None, 155, "r1"),
            # an earlier file replaced by a corrected one, and a byte-identical copy
            r(
                "r1/长阳-旧.xlsx",
                5,
                "superseded",
                "superseded",
                CY2,
                CY,
                "study",
                "2019-06-01",
                50,
                "r1",
            ),
            r(
                "r1/长阳(1).xlsx",
                5,
                "duplicate",
                "duplicate_file",
                CY2,
                CY,
                "study",
                "2019-06-01",
                50,
                "r1",
            ),
            r(
                "r2/教委.xlsx",
                5,
                "accepted",
                "ok",
                JW1,
                JW,
                "implementation",
                "2019-07-15",
                40,
                "r2",
            ),
            r("r2/教委.xlsx", 6, "accepted", "ok", JW2, JW, "publicity", "2019-08-01", 20, "r2"),
            # a directly affiliated union: its 本级 is itself
            r("r2/燕房.xlsx", 5, "accepted", "ok", YF, YF, "reporting", "2019-09-10", 15, "r2"),
        ]
    )


COLUMNS = [
    "level", "kind", "group", "units_total", "units_covered", "unit_coverage",
    "members_total", "members_covered", "member_coverage", "activities", "participants",
    "activities_federation", "participants_missing",
]  # fmt: skip


def expected_coverage(records: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame["unit_coverage"] = frame["unit_coverage"].astype(float)
    frame["member_coverage"] = frame["member_coverage"].astype(float)
    for c in COLUMNS[3:]:
        if c not in ("unit_coverage", "member_coverage"):
            frame[c] = frame[c].astype(np.int64)
    return frame


def test_coverage_table_full_campaign_matches_hand_count(roster, rows):
    table = coverage_table(roster, accepted_activities(rows, roster))
    expected = expected_coverage(
        [
            ("district", "", "全区", 7, 5, 5 / 7, 330, 170, 170 / 330, 7, 230, 1, 1),
            ("kind", "town", "town", 4, 2, 2 / 4, 230, 70, 70 / 230, 4, 155, 1, 1),
            ("kind", "street", "street", 0, 0, NaN, 0, 0, NaN, 0, 0, 0, 0),
            ("kind", "system", "system", 2, 2, 1.0, 70, 70, 1.0, 2, 60, 0, 0),
            ("kind", "yanshan", "yanshan", 0, 0, NaN, 0, 0, NaN, 0, 0, 0, 0),
            ("kind", "zone", "zone", 0, 0, NaN, 0, 0, NaN, 0, 0, 0, 0),
            ("kind", "direct", "direct", 1, 1, 1.0, 30, 30, 1.0, 1, 15, 0, 0),
            ("reporting_unit", "town", LLH, 1, 1, 1.0, 30, 30, 1.0, 1, 0, 0, 1),
            ("reporting_unit", "town", CY, 3, 1, 1 / 3, 200, 40, 40 / 200, 3, 155, 1, 0),
            ("reporting_unit", "system", JW, 2, 2, 1.0, 70, 70, 1.0, 2, 60, 0, 0),
            ("reporting_unit", "direct", YF, 1, 1, 1.0, 30, 30, 1.0, 1, 15, 0, 0),
        ]
    )
    assert_frame_equal(table[COLUMNS], expected, check_dtype=False)
    assert table[COLUMNS[3:]].dtypes.map(lambda d: d.kind).tolist() == [
        "i", "i", "f", "i", "i", "f", "i", "i", "i", "i",
    ]  # fmt: skip


def test_coverage_table_extra_ratios_have_hand_values(roster, rows):
    table = coverage_table(roster, accepted_activities(rows, roster)).set_index("group")
    assert table.loc["全区", "participants_per_100"] == pytest.approx(230 * 100 / 330)
    assert table.loc[CY, "participants_per_100"] == pytest.approx(155 * 100 / 200)
    assert table.loc["全区", "participants_missing_share"] == pytest.approx(1 / 7)
    assert table.loc[LLH, "participants_missing_share"] == pytest.approx(1.0)
    assert np.isnan(table.loc["street", "participants_per_100"])
    assert np.isnan(table.loc["street", "participants_missing_share"])


def test_coverage_table_as_of_cuts_round_two_in_half(roster, rows):
    # 2019-07-31: 区教委机关 (07-15) counts; 实验中学 (08-01) and 燕房 (09-10) not yet.
    activities = accepted_activities(rows, roster, as_of=dt.date(2019, 7, 31))
    table = coverage_table(roster, activities)
    expected = expected_coverage(
        [
            ("district", "", "全区", 7, 3, 3 / 7, 330, 120, 120 / 330, 5, 195, 1, 1),
            ("kind", "town", "town", 4, 2, 2 / 4, 230, 70, 70 / 230, 4, 155, 1, 1),
            ("kind", "street", "street", 0, 0, NaN, 0, 0, NaN, 0, 0, 0, 0),
            ("kind", "system", "system", 2, 1, 1 / 2, 70, 50, 50 / 70, 1, 40, 0, 0),
            ("kind", "yanshan", "yanshan", 0, 0, NaN, 0, 0, NaN, 0, 0, 0, 0),
            ("kind", "zone", "zone", 0, 0, NaN, 0, 0, NaN, 0, 0, 0, 0),
            ("kind", "direct", "direct", 1, 0, 0.0, 30, 0, 0.0, 0, 0, 0, 0),
            ("reporting_unit", "town", LLH, 1, 1, 1.0, 30, 30, 1.0, 1, 0, 0, 1),
            ("reporting_unit", "town", CY, 3, 1, 1 / 3, 200, 40, 40 / 200, 3, 155, 1, 0),
            ("reporting_unit", "system", JW, 2, 1, 1 / 2, 70, 50, 50 / 70, 1, 40, 0, 0),
            ("reporting_unit", "direct", YF, 1, 0, 0.0, 30, 0, 0.0, 0, 0, 0, 0),
        ]
    )
    assert_frame_equal(table[COLUMNS], expected, check_dtype=False)


def test_accepted_activities_count_for_roster_parent_not_reporter(roster, rows):
    activities = accepted_activities(rows, roster)
    assert len(activities) == 7  # rejected, superseded and duplicate rows left out
    wrong_federation = activities.loc[activities["grassroots_unit"] == LLH1].iloc[0]
    assert wrong_federation["reporting_unit"] == CY
    assert wrong_federation["group"] == LLH
    assert wrong_federation["kind"] == "town"
    assert np.isnan(wrong_federation["participants"])
    assert activities["federation_level"].tolist() == [
        False,
        False,
        True,
        False,
        False,
        False,
        False,
    ]


def test_accepted_activities_ignore_a_wrong_counted_for(roster, rows):
    # counted_for disagrees with the roster: the roster parent wins
    rows.loc[rows["grassroots_unit"] == JW1, "counted_for"] = CY
    table = coverage_table(roster, accepted_activities(rows, roster)).set_index("group")
    assert table.loc[JW, "units_covered"] == 2
    assert table.loc[CY, "activities"] == 3


@pytest.mark.parametrize(
    ("round_code", "as_of", "counted"),
    [
        ("r2", dt.date(2019, 6, 30), False),  # r2 not started
        ("r2", dt.date(2019, 7, 1), True),  # r2 started that day
        ("r1", dt.date(2019, 6, 1), True),
        (None, dt.date(2019, 12, 31), False),  # no round: cannot be placed in time
    ],
)
def test_undated_activity_counts_from_its_round_start(roster, campaign, round_code, as_of, counted):
    rows = pd.DataFrame(
        [ledger_row("x.xlsx", 5, "accepted", "ok", JW1, JW, "study", None, 10, round_code)]
    )
    activities = accepted_activities(rows, roster, as_of=as_of, campaign=campaign)
    assert len(activities) == int(counted)


def test_undated_activity_counts_without_as_of(roster):
    rows = pd.DataFrame(
        [ledger_row("x.xlsx", 5, "accepted", "ok", JW1, JW, "study", None, 10, None)]
    )
    table = coverage_table(roster, accepted_activities(rows, roster)).set_index("group")
    assert table.loc[JW, "units_covered"] == 1


def test_coverage_reporting_unit_without_unions_has_empty_ratio():
    units = pd.DataFrame(
        {
            "unit": ["甲工会"],
            "reporting_unit": ["甲镇总工会"],
            "kind": ["town"],
            "members": [10],
            "employees": pd.array([None], dtype="Int64"),
            "code": [""],
            "row": [2],
        }
    )
    reporting_units = pd.DataFrame(
        {
            "reporting_unit": ["甲镇总工会", "乙镇总工会"],
            "kind": ["town", "town"],
            "units_total": [1, 0],
            "members_total": [10, 0],
        }
    )
    roster = Roster(units=units, reporting_units=reporting_units)
    activities = pd.DataFrame(
        {
            "grassroots_unit": ["", "甲工会"],
            "group": ["乙镇总工会", "甲镇总工会"],
            "participants": [8.0, 2.0],
        }
    )
    table = coverage_table(roster, activities).set_index("group")
    assert table.loc["乙镇总工会", "units_total"] == 0
    assert np.isnan(table.loc["乙镇总工会", "unit_coverage"])
    assert np.isnan(table.loc["乙镇总工会", "member_coverage"])
    assert table.loc["乙镇总工会", "activities"] == 1
    assert table.loc["town", "unit_coverage"] == 1.0
    assert table.loc["town", "participants"] == 10


def test_coverage_by_item_district_rows_match_hand_count(roster, rows, campaign):
    table = coverage_by_item(roster, accepted_activities(rows, roster), campaign)
    district = table.loc[table["level"] == "district"].reset_index(drop=True)
    expected = pd.DataFrame(
        {
            "level": "district",
            "kind": "",
            "group": "全区",
            "work_item": ["study", "training", "publicity", "implementation", "reporting", "other"],
            "units_covered": [2, 1, 1, 1, 1, 0],
            "unit_coverage": [2 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 0.0],
            "activities": [2, 1, 2, 1, 1, 0],
            "participants": [30, 25, 120, 40, 15, 0],
        }
    )
    assert_frame_equal(district.iloc[:, :8], expected, check_dtype=False)


@pytest.mark.parametrize(
    ("group", "work_item", "units_covered", "unit_coverage", "activities", "participants"),
    [
        (CY, "study", 1, 1 / 3, 1, 30),
        (CY, "publicity", 0, 0.0, 1, 100),  # the federation's own activity
        (LLH, "study", 1, 1.0, 1, 0),  # participants unreadable
        ("town", "study", 2, 2 / 4, 2, 30),
        ("street", "study", 0, NaN, 0, 0),
        (YF, "reporting", 1, 1.0, 1, 15),
        (JW, "other", 0, 0.0, 0, 0),
    ],
)
def test_coverage_by_item_cells_match_hand_count(
    roster, rows, campaign, group, work_item, units_covered, unit_coverage, activities, participants
):
    table = coverage_by_item(roster, accepted_activities(rows, roster), campaign)
    cell = table.set_index(["group", "work_item"]).loc[(group, work_item)]
    assert cell["units_covered"] == units_covered
    assert cell["activities"] == activities
    assert cell["participants"] == participants
    if np.isnan(unit_coverage):
        assert np.isnan(cell["unit_coverage"])
    else:
        assert cell["unit_coverage"] == pytest.approx(unit_coverage)


def test_coverage_by_item_has_every_group_times_every_item(roster, rows, campaign):
    table = coverage_by_item(roster, accepted_activities(rows, roster), campaign)
    groups = coverage_table(roster, accepted_activities(rows, roster))["group"].tolist()
    assert len(table) == len(groups) * 6
    assert table["group"].drop_duplicates().tolist() == groups
    assert table["work_item"].tolist()[:6] == list(campaign.work_item_codes)


def test_unknown_work_item_counts_as_other(roster, campaign):
    rows = pd.DataFrame(
        [ledger_row("x.xlsx", 5, "accepted", "ok", JW1, JW, None, "2019-06-01", 10, "r1")]
    )
    table = coverage_by_item(roster, accepted_activities(rows, roster), campaign)
    cell = table.set_index(["group", "work_item"]).loc[(JW, "other")]
    assert (cell["units_covered"], cell["activities"]) == (1, 1)


def test_compute_tables_drops_rows_of_files_not_current(roster, rows, campaign):
    # the ledger says accepted, but submissions.csv says the file was superseded
    submissions = pd.DataFrame(
        {
            "file": ["r1/长阳.xlsx", "r2/教委.xlsx", "r2/燕房.xlsx"],
            "state": ["current", "superseded", "current"],
        }
    )
    tables = compute_tables(roster, rows, submissions, campaign)
    coverage = tables["coverage"].set_index("group")
    assert coverage.loc[JW, "activities"] == 0
    assert coverage.loc["全区", "activities"] == 5
    assert set(tables) == {"coverage", "coverage_by_item"}
    assert list(tables["coverage_by_item"].columns[:8]) == [
        "level", "kind", "group", "work_item", "units_covered", "unit_coverage", "activities",
        "participants",
    ]  # fmt: skip


def test_compute_tables_as_of_matches_accepted_activities_cut(roster, rows, campaign):
    as_of = dt.date(2019, 7, 31)
    tables = compute_tables(roster, rows, None, campaign, as_of=as_of)
    direct = coverage_table(roster, accepted_activities(rows, roster, as_of, campaign))
    assert_frame_equal(tables["coverage"], direct)


@pytest.mark.parametrize("as_of", [None, dt.date(2019, 7, 31)])
@pytest.mark.parametrize("dtype", [object, "str"])
def test_compute_tables_counts_as_the_activities_table_does(roster, rows, campaign, as_of, dtype):
    # compute_tables counts on codes of the ledger's columns; coverage_table and
    # coverage_by_item count on accepted_activities: the same figures, both ways, for the
    # ledger as built in memory (object) and as read back from Parquet (Arrow strings).
    text = [c for c in rows if c not in ("row", "participants", "template")]
    ledger = rows.astype({c: dtype for c in text})
    submissions = pd.DataFrame({"file": ["r2/教委.xlsx"], "state": ["superseded"]})
    tables = compute_tables(roster, ledger, submissions, campaign, as_of=as_of)
    current = ledger.loc[ledger["file"] != "r2/教委.xlsx"]
    activities = accepted_activities(current, roster, as_of, campaign)
    assert_frame_equal(tables["coverage"], coverage_table(roster, activities))
    assert_frame_equal(tables["coverage_by_item"], coverage_by_item(roster, activities, campaign))


def test_compute_tables_blank_counted_for_and_padded_union_name(roster, campaign):
    r = ledger_row
    rows = pd.DataFrame(
        [
            # a padded union name is the roster's union: 长阳 covered once, 2 activities
            r("a.xlsx", 5, "accepted", "ok", f" {CY1} ", CY, "study", "2019-06-03", 10, "r1"),
            r("a.xlsx", 6, "accepted", "ok", CY1, CY, "nonsense", "2019-06-04", 20, "r1"),
            # federation level with a blank counted_for: counts for its reporting unit
            r("b.xlsx", 5, "accepted", "ok", "", JW, "study", "2019-06-05", 7, "r1"),
            r("b.xlsx", 6, "rejected", "bad", JW1, JW, "study", "2019-06-05", 9, "r1"),
        ]
    )
    rows.loc[2, "counted_for"] = ""
    tables = compute_tables(roster, rows, None, campaign)
    coverage = tables["coverage"].set_index("group")
    assert coverage.loc[CY, ["units_covered", "activities", "participants"]].tolist() == [1, 2, 30]
    assert coverage.loc[JW, ["units_covered", "activities", "activities_federation"]].tolist() == [
        0,
        1,
        1,
    ]
    by_item = tables["coverage_by_item"].set_index(["group", "work_item"])
    # an unknown work item counts as "other"
    assert by_item.loc[(CY, "other"), ["units_covered", "activities"]].tolist() == [1, 1]
    assert by_item.loc[(CY, "study"), "participants"] == 10


def test_coverage_by_round_is_cumulative_with_change(roster, rows, campaign):
    table = coverage_by_round(roster, rows, campaign)
    district = table.loc[table["level"] == "district"].set_index("round")
    assert district["units_covered"].tolist() == [2, 5, 5]
    assert district["activities"].tolist() == [4, 7, 7]
    assert district["units_covered_new"].tolist()[1:] == [3, 0]
    assert pd.isna(district.loc["r1", "units_covered_new"])
    assert district.loc["r2", "unit_coverage_change"] == pytest.approx((5 / 7 - 2 / 7) * 100)


def test_cumulative_curve_counts_each_union_at_its_first_activity(roster, rows):
    activities = accepted_activities(rows, roster)
    curve = cumulative_curve(roster, activities, freq="M")
    district = curve.loc[curve["level"] == "district"]
    # first activities: 第一小学 06-03, 琉璃河 06-15, 机关 07-15, 实验中学 08-01, 燕房 09-10
    assert district["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-06-30", "2019-07-31", "2019-08-31", "2019-09-30",
    ]  # fmt: skip
    assert district["units_covered"].tolist() == [2, 3, 4, 5]
    assert district["unit_coverage"].tolist() == pytest.approx([2 / 7, 3 / 7, 4 / 7, 5 / 7])
    system = curve.loc[curve["group"] == "system", "units_covered"].tolist()
    assert system == [0, 1, 2, 2]


def test_cumulative_curve_weekly_kind_sums_equal_units(roster, rows):
    curve = cumulative_curve(roster, accepted_activities(rows, roster), freq="W")
    units = (
        curve.loc[curve["level"] == "reporting_unit"]
        .groupby(["date", "kind"])["units_covered"]
        .sum()
    )
    kinds = curve.loc[curve["level"] == "kind"].set_index(["date", "kind"])["units_covered"]
    assert (kinds.loc[units.index] == units).all()
    assert (curve.loc[curve["level"] == "district", "units_covered"].diff().dropna() >= 0).all()


def test_activity_of_a_group_outside_the_roster_is_left_out(roster, campaign):
    activities = pd.DataFrame(
        {
            "grassroots_unit": ["", JW1, ""],
            "group": ["名册外工会", "名册外工会", JW],
            "work_item": ["study", "training", "reporting"],
            "participants": [5.0, 7.0, 11.0],
        }
    )
    tables = {
        "coverage": coverage_table(roster, activities),
        "coverage_by_item": coverage_by_item(roster, activities, campaign),
    }
    coverage = tables["coverage"].set_index("group")
    # the named union still counts for its roster parent; the unplaceable one is dropped
    assert coverage.loc["全区", ["activities", "participants"]].tolist() == [2, 18]
    assert coverage.loc[JW, ["units_covered", "activities_federation"]].tolist() == [1, 1]
    by_item = tables["coverage_by_item"].set_index(["group", "work_item"])
    assert by_item.loc[("全区", "study"), "activities"] == 0
    assert by_item.loc[(JW, "training"), ["units_covered", "activities"]].tolist() == [1, 1]
    assert by_item.loc[(JW, "reporting"), ["units_covered", "activities"]].tolist() == [0, 1]


def test_coverage_scale_bench_district_counts_every_activity():
    from benchmarks.coverage_scale import SCALES, measure

    result = measure("district")
    assert result["check_activities"] == SCALES["district"].activities
    assert 0 < result["check_units_covered"] <= SCALES["district"].units
    assert result["rows_out"][1] == result["rows_out"][0] * 6
    assert result["coverage_s"] > 0 and result["peak_rss_mb"] > 0


@pytest.mark.parametrize("rows", [pd.DataFrame(), pd.DataFrame(columns=["file", "state"])])
def test_compute_tables_on_an_empty_ledger_gives_zero_coverage(roster, campaign, rows):
    tables = compute_tables(roster, rows, pd.DataFrame(), campaign)
    coverage = tables["coverage"].set_index("group")
    assert coverage.loc["全区", ["units_total", "units_covered", "activities"]].tolist() == [
        7,
        0,
        0,
    ]
    assert coverage.loc["全区", "unit_coverage"] == 0.0
    assert len(tables["coverage_by_item"]) == len(coverage) * 6
