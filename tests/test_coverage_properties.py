"""Invariants of the coverage tables over random rosters and activities (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.campaign import load_campaign
from analysis.coverage import coverage_by_item, coverage_table
from analysis.roster import Roster

CAMPAIGN = load_campaign()
ITEMS = list(CAMPAIGN.work_item_codes)
COUNTS = [
    "units_total",
    "units_covered",
    "members_total",
    "members_covered",
    "activities",
    "participants",
    "activities_federation",
    "participants_missing",
]


@st.composite
def districts(draw) -> tuple[Roster, pd.DataFrame]:
    """A random roster (some reporting units without unions) and random activities."""
    n_groups = draw(st.integers(1, 8))
    units, groups = [], []
    for g in range(n_groups):
        kind = draw(st.sampled_from(config.KINDS))
        name = f"单位{g}"
        members = draw(st.lists(st.integers(0, 500), max_size=5))
        if kind == "direct":  # a directly affiliated union is its own reporting unit
            members = [draw(st.integers(0, 500))]
        names = [name] if kind == "direct" else [f"{name}-基层{u}" for u in range(len(members))]
        units += [(unit, name, kind, m) for unit, m in zip(names, members, strict=True)]
        groups.append((name, kind, len(members), sum(members)))
    unit_frame = pd.DataFrame(units, columns=["unit", "reporting_unit", "kind", "members"])
    unit_frame["members"] = unit_frame["members"].astype(np.int64)
    reporting_units = pd.DataFrame(
        groups, columns=["reporting_unit", "kind", "units_total", "members_total"]
    )
    roster = Roster(units=unit_frame, reporting_units=reporting_units)

    names = [u[0] for u in units] + [""]  # "" = the federation's own activity
    n = draw(st.integers(0, 40))
    activities = pd.DataFrame(
        {
            "grassroots_unit": draw(st.lists(st.sampled_from(names), min_size=n, max_size=n)),
            "group": draw(
                # "名册外": a group not in the roster; counts only through a named union
                st.lists(
                    st.sampled_from([g[0] for g in groups] + ["名册外"]), min_size=n, max_size=n
                )
            ),
            "work_item": draw(st.lists(st.sampled_from([*ITEMS, None]), min_size=n, max_size=n)),
            "participants": draw(
                st.lists(
                    st.one_of(st.none(), st.integers(0, 1000)).map(
                        lambda v: np.nan if v is None else float(v)
                    ),
                    min_size=n,
                    max_size=n,
                )
            ),
        }
    )
    return roster, activities


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(districts())
def test_coverage_ratios_stay_between_zero_and_one(district):
    roster, activities = district
    table = coverage_table(roster, activities)
    for covered, total, ratio in [
        ("units_covered", "units_total", "unit_coverage"),
        ("members_covered", "members_total", "member_coverage"),
    ]:
        assert (table[covered] <= table[total]).all()
        assert (table[covered] >= 0).all()
        defined = table[total] > 0
        assert table.loc[defined, ratio].between(0, 1).all()
        assert table.loc[table["units_total"] == 0, "unit_coverage"].isna().all()


@SETTINGS
@given(districts())
def test_coverage_kind_rows_sum_their_units_and_district_sums_kinds(district):
    roster, activities = district
    table = coverage_table(roster, activities)
    units = table.loc[table["level"] == "reporting_unit"]
    kinds = table.loc[table["level"] == "kind"].set_index("kind")
    district_row = table.loc[table["level"] == "district"]
    assert len(district_row) == 1
    assert kinds.index.tolist() == list(config.KINDS)
    by_kind = units.groupby("kind")[COUNTS].sum().reindex(kinds.index, fill_value=0)
    assert (kinds[COUNTS] == by_kind).all().all()
    assert (district_row[COUNTS].iloc[0] == kinds[COUNTS].sum()).all()
    assert district_row["units_total"].iloc[0] == len(roster.units)
    placed = activities.loc[
        (activities["grassroots_unit"] != "") | (activities["group"] != "名册外")
    ]
    assert district_row["activities"].iloc[0] == len(placed)
    assert district_row["participants"].iloc[0] == placed["participants"].sum()


@SETTINGS
@given(districts())
def test_coverage_by_item_never_exceeds_overall_coverage(district):
    roster, activities = district
    overall = coverage_table(roster, activities).set_index(["level", "group"])
    by_item = coverage_by_item(roster, activities, CAMPAIGN)
    assert len(by_item) == len(overall) * len(ITEMS)
    per_item = by_item.merge(
        overall[["units_covered", "units_total"]].reset_index(),
        on=["level", "group"],
        suffixes=("", "_all"),
    )
    assert (per_item["units_covered"] <= per_item["units_covered_all"]).all()
    assert (per_item["units_total"] == per_item["units_total_all"]).all()
    sums = by_item.groupby(["level", "group"])[
        ["units_covered", "activities", "participants"]
    ].sum()
    sums = sums.reindex(overall.index)
    # every covered union is covered for at least one item; activities split across items
    assert (sums["units_covered"] >= overall["units_covered"]).all()
    assert (sums["activities"] == overall["activities"]).all()
    assert (sums["participants"] == overall["participants"]).all()
