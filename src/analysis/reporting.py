"""Report-side views: who reported and when, rates, the lists leaders ask for, activity
counts and data quality (the ranking is figures.rank_units). Pure functions, tidy in, tidy out, no I/O.

Reporting status follows DHIS2's definitions (pitfalls.md): expected reports are every
reporting unit in the roster for every round that has started by `as_of`; only
submissions in state ``current`` count; a report is on time when its 填报日期 is on or
before the round's deadline. A submission whose 填报日期 is after `as_of` had not
arrived yet and is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.campaign import OTHER_WORK_ITEM, Campaign
from analysis.coverage import _Groups, _kind_order, _ratio
from analysis.labels import STATUS_NAMES
from analysis.model import FileState, IssueCode, Level, ReportStatus, RowState
from analysis.roster import Roster

STATUSES: tuple[str, ...] = tuple(ReportStatus)
UNKNOWN_REPORTING_UNIT = "（未识别报送单位）"
# Rejected rows that are not data errors: totals and notes under the table.
NOT_DATA_REASONS: frozenset[str] = frozenset({IssueCode.TOTAL_ROW, IssueCode.NOTE_ROW})


def _with_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`frame` with any of `columns` it lacks added as missing (an empty table may have none)."""
    absent = [c for c in columns if c not in frame]
    return frame.assign(**dict.fromkeys(absent, pd.NA)) if absent else frame


# --------------------------------------------------------------------------- reporting


def reporting_status(
    roster: Roster,
    submissions: pd.DataFrame,
    campaign: Campaign,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per reporting unit x round that has started by `as_of`.

    Without `as_of`, the rounds that had started by the latest 填报日期 received (all
    rounds when no submission is dated), so that a run in the middle of the campaign
    does not list next round's reports as missing, and re-running gives the same table.
    status: on_time, late, unknown_date (submitted without a 填报日期), missing, or
    pending when nothing has come in yet and the round's deadline is after the reference
    date (`as_of`, else the latest 填报日期): not yet due is not missing;
    `status_name` is its Chinese label. When a unit has several current submissions in
    a round the earliest dated one is listed; whether it was on time is decided by the
    earliest 填报日期 of the unit's current or superseded files in the round (a
    correction sent after the deadline does not make an on-time report late). on_time
    is True/False for dated submissions and NA otherwise.
    """
    submissions = _with_columns(
        submissions, ("file", "reporting_unit", "round", "report_date", "state", "superseded_by")
    )
    current = submissions["state"].astype(str) == FileState.CURRENT
    if as_of is not None:
        # As of a date, a file later corrected by one that came after it was still the
        # unit's report (sent on 07-01, corrected on 07-08: reported on time by 07-06).
        dates = pd.to_datetime(submissions["report_date"], errors="coerce")
        newer = submissions["superseded_by"].map(dict(zip(submissions["file"], dates, strict=True)))
        current |= (submissions["state"].astype(str) == FileState.SUPERSEDED) & (
            pd.to_datetime(newer, errors="coerce") > pd.Timestamp(as_of)
        )
    subs = submissions.loc[current].copy()
    rounds_text = subs["round"].astype(str)
    if rounds_text.str.contains(";", regex=False).any():  # a workbook of one sheet per round
        subs = subs.assign(round=rounds_text.str.split(";")).explode("round")
    subs["report_date"] = pd.to_datetime(subs["report_date"], errors="coerce").dt.normalize()
    latest = subs["report_date"].max()
    until = pd.Timestamp(as_of) if as_of is not None else latest
    rounds = [r for r in campaign.rounds if pd.isna(until) or pd.Timestamp(r.start) <= until]
    units = roster.reporting_units[["reporting_unit", "kind"]]
    # object dtype even when no round has started yet (an empty list gives float64).
    expected = pd.DataFrame({"round": pd.Series([r.code for r in rounds], dtype=object)}).merge(
        units, how="cross"
    )
    if as_of is not None:
        subs = subs.loc[~(subs["report_date"] > pd.Timestamp(as_of))]
    first = (
        subs.sort_values(["report_date", "file"], na_position="last", kind="stable")
        .drop_duplicates(["reporting_unit", "round"])
        .loc[:, ["reporting_unit", "round", "report_date", "file"]]
    )
    status = expected.merge(first, how="left", on=["reporting_unit", "round"], indicator=True)
    submitted = (status.pop("_merge") == "both").to_numpy()
    # Datetimes even when no round has started yet (an empty map gives objects).
    deadline = pd.to_datetime(
        status["round"].map({r.code: pd.Timestamp(r.deadline) for r in rounds})
    )
    # Whether the unit reported on time is decided by when it first reported: a report
    # sent on 07-01 and corrected on 07-08 was on time (the 07-05 deadline was met).
    reported = _first_reported(submissions, as_of)
    when = pd.Series(
        list(zip(status["reporting_unit"], status["round"], strict=True)), index=status.index
    ).map(reported)
    when = pd.to_datetime(when.where(when.notna(), status["report_date"]), errors="coerce")
    dated = (when.notna() & submitted).to_numpy()
    timely = (when <= deadline).to_numpy()
    not_due = np.zeros(len(status), dtype=bool) if pd.isna(until) else (deadline > until).to_numpy()
    status["status"] = np.select(
        [~submitted & not_due, ~submitted, ~dated, timely],
        [
            ReportStatus.PENDING,
            ReportStatus.MISSING,
            ReportStatus.UNKNOWN_DATE,
            ReportStatus.ON_TIME,
        ],
        default=ReportStatus.LATE,
    ).astype(object)
    status["status_name"] = status["status"].map(STATUS_NAMES)
    status["submitted"] = submitted
    status["on_time"] = pd.array(np.where(dated, timely, False), dtype="boolean")
    status.loc[~dated, "on_time"] = pd.NA
    columns = ["reporting_unit", "kind", "round", "status", "status_name", "submitted", "on_time"]
    return status.loc[:, [*columns, "report_date", "file"]]


def _first_reported(submissions: pd.DataFrame, as_of: dt.date | None) -> dict:
    """(reporting unit, round) -> the earliest 填报日期 (up to `as_of`) of its current or
    superseded files: when the unit first reported the round, corrections aside."""
    sent = submissions.loc[
        submissions["state"].astype(str).isin([FileState.CURRENT, FileState.SUPERSEDED]),
        ["reporting_unit", "round", "report_date"],
    ]
    sent = sent.assign(
        round=sent["round"].astype(str).str.split(";"),
        report_date=pd.to_datetime(sent["report_date"], errors="coerce").dt.normalize(),
    ).explode("round")
    sent = sent.loc[sent["report_date"].notna()]
    if as_of is not None:
        sent = sent.loc[sent["report_date"] <= pd.Timestamp(as_of)]
    return sent.groupby(["reporting_unit", "round"])["report_date"].min().to_dict()


def reporting_rates(status: pd.DataFrame) -> pd.DataFrame:
    """Per round, for the district and every kind: expected, submitted, on_time, rates.

    reporting_rate = min(submitted / expected, 1); on_time_rate = on_time / expected
    (DHIS2); NaN when nothing was expected.
    """
    kinds = _kind_order(status["kind"].unique())
    frame = status.assign(
        kind=pd.Categorical(status["kind"], categories=kinds),
        expected=1,
        submitted=status["submitted"].astype(np.int64),
        **{s: (status["status"] == s).astype(np.int64) for s in STATUSES},
    )
    sums = ["expected", "submitted", *STATUSES]
    rounds = list(dict.fromkeys(status["round"]))
    by_kind = frame.groupby(["round", "kind"], observed=False)[sums].sum().reset_index()
    by_kind = by_kind.assign(level="kind", kind=by_kind["kind"].astype(str))
    by_kind["group"] = by_kind["kind"]
    district = frame.groupby("round")[sums].sum().reset_index()
    district = district.assign(level="district", kind="", group=config.DISTRICT_GROUP)
    table = pd.concat([district, by_kind], ignore_index=True)
    table = table.assign(
        _r=table["round"].map({r: i for i, r in enumerate(rounds)}),
        _l=table["level"].ne(Level.DISTRICT),
        _k=table["kind"].map({k: i for i, k in enumerate(["", *kinds])}),
    ).sort_values(["_r", "_l", "_k"], kind="stable")
    table["reporting_rate"] = np.minimum(_ratio(table["submitted"], table["expected"]), 1.0)
    table["on_time_rate"] = _ratio(table["on_time"], table["expected"])
    columns = ["round", "level", "kind", "group", *sums, "reporting_rate", "on_time_rate"]
    return table.loc[:, columns].reset_index(drop=True)


def reporting_consistency(status: pd.DataFrame) -> pd.DataFrame:
    """DHIS2 consistency per kind and district: units reporting in every round listed /
    units reporting in any."""
    per_unit = status.groupby(["kind", "reporting_unit"], sort=False)["submitted"].agg(
        ["all", "any"]
    )
    per_unit = per_unit.reset_index()
    kinds = _kind_order(per_unit["kind"].unique())
    per_unit["kind"] = pd.Categorical(per_unit["kind"], categories=kinds)
    agg = {"units_every_round": ("all", "sum"), "units_any_round": ("any", "sum")}
    by_kind = per_unit.groupby("kind", observed=False).agg(**agg).reset_index()
    by_kind = by_kind.assign(level="kind", kind=by_kind["kind"].astype(str))
    by_kind["group"] = by_kind["kind"]
    district = pd.DataFrame(
        {
            "level": ["district"],
            "kind": [""],
            "group": [config.DISTRICT_GROUP],
            "units_every_round": [int(per_unit["all"].sum())],
            "units_any_round": [int(per_unit["any"].sum())],
        }
    )
    table = pd.concat([district, by_kind], ignore_index=True)
    table[["units_every_round", "units_any_round"]] = table[
        ["units_every_round", "units_any_round"]
    ].astype(np.int64)
    table["consistency"] = _ratio(table["units_every_round"], table["units_any_round"])
    return table.loc[
        :, ["level", "kind", "group", "units_every_round", "units_any_round", "consistency"]
    ]


def not_reported(status: pd.DataFrame, round_code: str) -> pd.DataFrame:
    """Reporting units that have not reported `round_code` although it is due (report
    order); units whose deadline has not come yet are `not_yet_due`."""
    rows = status.loc[(status["round"] == round_code) & (status["status"] == ReportStatus.MISSING)]
    return rows.loc[:, ["reporting_unit", "kind"]].reset_index(drop=True)


def not_yet_due(status: pd.DataFrame, round_code: str) -> pd.DataFrame:
    """Reporting units without a report in `round_code` whose deadline has not come yet."""
    rows = status.loc[(status["round"] == round_code) & (status["status"] == ReportStatus.PENDING)]
    return rows.loc[:, ["reporting_unit", "kind"]].reset_index(drop=True)


# --------------------------------------------------------------------------- data quality


def data_quality(
    rows: pd.DataFrame, issues: pd.DataFrame, submissions: pd.DataFrame
) -> pd.DataFrame:
    """Per reporting unit: rows read, accepted, rejected (and why), unresolved names.

    rows_read = rows_accepted + rows_rejected + rows_skipped (totals and notes, not
    errors) + rows_not_counted (superseded or duplicate files), so the counts reconcile.
    One `rejected_<reason>` column per rejection reason. Sorted by rows_rejected, most
    first.
    """
    rows = _with_columns(rows, ("file", "state", "reason", "reporting_unit", "participants"))
    issues = _with_columns(issues, ("file", "code"))
    submissions = _with_columns(submissions, ("file", "reporting_unit", "state"))
    unit = rows["reporting_unit"].fillna("").astype(str).replace("", UNKNOWN_REPORTING_UNIT)
    state = rows["state"].astype(str)
    reason = rows["reason"].fillna("").astype(str)
    skipped = (state == RowState.REJECTED) & reason.isin(NOT_DATA_REASONS)
    rejected = (state == RowState.REJECTED) & ~skipped
    accepted = state == RowState.ACCEPTED
    frame = pd.DataFrame(
        {
            "reporting_unit": unit,
            "rows_read": 1,
            "rows_accepted": accepted,
            "rows_rejected": rejected,
            "rows_skipped": skipped,
            "rows_not_counted": state.isin([RowState.SUPERSEDED, RowState.DUPLICATE]),
            "rows_with_warnings": accepted & ~reason.isin(["", "ok"]),
            "participants_missing": accepted
            & pd.to_numeric(rows["participants"], errors="coerce").isna(),
        }
    )
    table = frame.groupby("reporting_unit").sum().astype(np.int64)
    by_reason = (
        pd.crosstab(unit[rejected], reason[rejected])
        if rejected.any()
        else pd.DataFrame(index=table.index)
    )
    by_reason = by_reason[by_reason.sum().sort_values(ascending=False, kind="stable").index]
    by_reason.columns = [f"rejected_{c}" for c in by_reason.columns]
    table = table.join(by_reason).fillna(0)

    files = submissions.loc[submissions["state"].astype(str) == FileState.CURRENT]
    files_current = files.groupby(files["reporting_unit"].fillna(UNKNOWN_REPORTING_UNIT)).size()
    table = table.reindex(table.index.union(files_current.index))
    table["files_current"] = files_current
    owner = pd.concat(
        [
            submissions[["file", "reporting_unit"]],
            pd.DataFrame({"file": rows["file"], "reporting_unit": unit}),
        ]
    ).dropna(subset=["file"])
    owner = (
        owner.drop_duplicates("file")
        .set_index("file")["reporting_unit"]
        .fillna(UNKNOWN_REPORTING_UNIT)
    )
    unresolved = issues.loc[issues["code"].astype(str).str.contains("unresolved", regex=False)]
    table["unresolved_names"] = unresolved["file"].map(owner).value_counts()
    table = table.fillna(0)
    counts = [c for c in table.columns]
    table[counts] = table[counts].astype(np.int64)
    table["rejected_share"] = _ratio(
        table["rows_rejected"], table["rows_accepted"] + table["rows_rejected"]
    )
    table = table.reset_index().rename(columns={"index": "reporting_unit"})
    table = table.sort_values(
        ["rows_rejected", "reporting_unit"], ascending=[False, True], kind="stable"
    )
    first = ["reporting_unit", "files_current", "rows_read", "rows_accepted", "rows_rejected"]
    rest = [c for c in table.columns if c not in first]
    return table.loc[:, [*first, *rest]].reset_index(drop=True)


# --------------------------------------------------------------------------- counts and lists


def activity_counts(
    activities: pd.DataFrame, by: str, categories: Sequence[str] | None = None
) -> pd.DataFrame:
    """Activities and participants per kind and district by `work_item`, `form` or `week`.

    `week` is the ISO week ("2019-W23") with its Monday as `week_start`, in date order,
    with cumulative columns; undated activities have no week and are left out of it. A
    missing form is "", a missing work item `other`. `categories` fixes the order of the
    `by` values and adds zero rows for absent ones; otherwise the most frequent come first.
    """
    if by not in ("work_item", "form", "week"):
        raise ValueError(f"by must be work_item, form or week, not {by!r}")
    act = activities.loc[activities["kind"].notna()]
    participants = pd.to_numeric(act["participants"], errors="coerce").to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "kind": act["kind"].astype(str).to_numpy(),
            "participants": participants,
            "participants_missing": np.isnan(participants),
        }
    )
    if by == "week":
        dates = pd.Series(pd.to_datetime(act["date"], errors="coerce").to_numpy())
        iso = dates.dt.isocalendar()
        frame["week"] = (
            iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
        )
        frame["week_start"] = (
            dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
        ).dt.normalize()
        frame = frame.loc[frame["week"].notna()]
        keys = ["week", "week_start"]
    else:
        default = OTHER_WORK_ITEM if by == "work_item" else ""
        frame[by] = act[by].fillna(default).astype(str).to_numpy()
        keys = [by]
    agg = {
        "activities": ("participants", "size"),
        "participants": ("participants", "sum"),
        "participants_missing": ("participants_missing", "sum"),
    }
    by_kind = frame.groupby(["kind", *keys]).agg(**agg).reset_index()
    by_kind = by_kind.assign(level="kind", group=by_kind["kind"])
    district = frame.groupby(keys).agg(**agg).reset_index()
    district = district.assign(level="district", kind="", group=config.DISTRICT_GROUP)
    table = pd.concat([district, by_kind], ignore_index=True)
    if categories is not None and by != "week":
        groups = table[["level", "kind", "group"]].drop_duplicates()
        full = groups.merge(pd.DataFrame({by: list(categories)}), how="cross")
        table = full.merge(table, how="left", on=["level", "kind", "group", by])
        table[list(agg)] = table[list(agg)].fillna(0)
    for column in agg:
        table[column] = table[column].round().astype(np.int64)
    kind_order = {k: i for i, k in enumerate(["", *_kind_order(table["kind"].unique())])}
    table = table.assign(_l=table["level"].ne(Level.DISTRICT), _k=table["kind"].map(kind_order))
    if by == "week":
        sort, ascending = ["_l", "_k", "week_start"], [True, True, True]
    elif categories is not None:
        table["_c"] = table[by].map({c: i for i, c in enumerate(categories)})
        sort, ascending = ["_l", "_k", "_c"], [True, True, True]
    else:
        sort, ascending = ["_l", "_k", "activities", by], [True, True, False, True]
    table = table.sort_values(sort, ascending=ascending, kind="stable")
    columns = [
        "level",
        "kind",
        "group",
        *keys,
        "activities",
        "participants",
        "participants_missing",
    ]
    if by == "week":
        grouped = table.groupby(["level", "group"], sort=False)
        table["activities_cumulative"] = grouped["activities"].cumsum()
        table["participants_cumulative"] = grouped["participants"].cumsum()
        columns += ["activities_cumulative", "participants_cumulative"]
    return table.loc[:, columns].reset_index(drop=True)


# --------------------------------------------------------------------------- lists


def not_reached(roster: Roster, activities: pd.DataFrame) -> pd.DataFrame:
    """Grassroots unions with no accepted activity: reporting_unit, kind, unit, members.

    Sorted by reporting unit (report order: kind, then name), then members, largest first.
    """
    g = _Groups.of(roster)
    unit_code = g.unit_codes(activities)
    covered = np.zeros(len(g.units), dtype=bool)
    covered[unit_code[unit_code >= 0]] = True
    units = roster.units.loc[~covered, ["reporting_unit", "kind", "unit", "members"]]
    units = units.assign(_g=g.unit_group[~covered])
    units = units.sort_values(
        ["_g", "members", "unit"], ascending=[True, False, True], kind="stable"
    )
    return units.drop(columns="_g").reset_index(drop=True)
