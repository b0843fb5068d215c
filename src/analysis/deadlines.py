"""Not yet due is not missing: reporting status that knows a round's deadline.

`reporting.reporting_status` calls every unit without a current submission in a
round that has started "missing" (未报送). Before the round's deadline that is
wrong: the unit still has time. `status_as_of` gives each reporting unit x round
one of

- ``on_time``  按时报送 (dated on or before the deadline),
- ``late``     逾期报送 (dated after the deadline),
- ``unknown_date`` 已报送（未填日期）(current submission without a 填报日期),
- ``missing``  未报送 (nothing by `as_of`, and the deadline has passed),
- ``pending``  未到截止日期 (nothing by `as_of`, and `as_of` is before the deadline),

and `round_sentence` says what the briefing should say about one round, e.g.
"第二阶段截止10月10日，截至9月30日已报送3个" before the deadline. Pure functions, no I/O.

Rules shared with `reporting.reporting_status` (DHIS2, pitfalls.md): the rounds
listed are those started by the reference date (`as_of`, else the latest 填报日期
received); only submissions in state ``current`` count, and one dated after `as_of`
had not arrived yet; when a unit has several, the earliest dated one decides.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.campaign import Campaign
from analysis.model import STATUS_PENDING, FileState, ReportStatus

STATUS_NAMES: dict[str, str] = {
    ReportStatus.ON_TIME: "按时报送",
    ReportStatus.LATE: "逾期报送",
    ReportStatus.UNKNOWN_DATE: "已报送（未填日期）",
    ReportStatus.MISSING: "未报送",
    STATUS_PENDING: "未到截止日期",
}
STATUS_COLUMNS: tuple[str, ...] = (
    "reporting_unit", "kind", "round", "deadline", "status", "status_name",
    "submitted", "report_date", "file",
)  # fmt: skip


def _reporting_units(units) -> pd.DataFrame:
    """`reporting_unit, kind` from a Roster or from a frame holding those columns."""
    frame = getattr(units, "reporting_units", units)
    return frame.loc[:, ["reporting_unit", "kind"]].reset_index(drop=True)


def status_as_of(
    submissions: pd.DataFrame,
    reporting_units,
    campaign: Campaign,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per reporting unit x round started by the reference date (STATUS_COLUMNS).

    `submissions` is submissions.csv (file, reporting_unit, round, report_date, state);
    `reporting_units` the roster's reporting units (a Roster or a frame with
    reporting_unit and kind). The reference date is `as_of`, else the latest
    填报日期 received (so a mid-campaign run does not call the open round missing).
    `submitted` is True for on_time, late and unknown_date.
    """
    subs = submissions.loc[submissions["state"].astype(str) == FileState.CURRENT].copy()
    subs["report_date"] = pd.to_datetime(subs["report_date"], errors="coerce").dt.normalize()
    reference = pd.Timestamp(as_of) if as_of is not None else subs["report_date"].max()
    rounds = [
        r for r in campaign.rounds if pd.isna(reference) or pd.Timestamp(r.start) <= reference
    ]
    if as_of is not None:
        subs = subs.loc[~(subs["report_date"] > reference)]
    first = (
        subs.sort_values(["report_date", "file"], na_position="last", kind="stable")
        .drop_duplicates(["reporting_unit", "round"])
        .loc[:, ["reporting_unit", "round", "report_date", "file"]]
    )
    expected = pd.DataFrame(
        {"round": [r.code for r in rounds], "deadline": [pd.Timestamp(r.deadline) for r in rounds]}
    ).merge(_reporting_units(reporting_units), how="cross")
    status = expected.merge(first, how="left", on=["reporting_unit", "round"], indicator=True)
    submitted = (status.pop("_merge") == "both").to_numpy()
    dated = status["report_date"].notna().to_numpy()
    timely = (status["report_date"] <= status["deadline"]).to_numpy()
    not_due = (
        np.zeros(len(status), dtype=bool)
        if pd.isna(reference)
        else (status["deadline"] > reference).to_numpy()
    )
    status["status"] = np.select(
        [~submitted & not_due, ~submitted, ~dated, timely],
        [STATUS_PENDING, ReportStatus.MISSING, ReportStatus.UNKNOWN_DATE, ReportStatus.ON_TIME],
        default=ReportStatus.LATE,
    )
    status["status_name"] = status["status"].map(STATUS_NAMES)
    status["submitted"] = submitted
    status["deadline"] = status["deadline"].dt.date
    return status.loc[:, list(STATUS_COLUMNS)]


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Per round: expected, submitted and the count of each status (one column each)."""
    counts = pd.crosstab(status["round"], status["status"]).reindex(
        columns=list(STATUS_NAMES), fill_value=0
    )
    order = list(dict.fromkeys(status["round"]))
    counts = counts.reindex(order, fill_value=0)
    counts.insert(0, "submitted", status.groupby("round")["submitted"].sum().reindex(order))
    counts.insert(0, "expected", status.groupby("round").size().reindex(order))
    return counts.astype("int64").reset_index().rename_axis(columns=None)


def _month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def round_sentence(
    status: pd.DataFrame, campaign: Campaign, round_code: str, as_of: dt.date
) -> str:
    """What to say about one round's reporting as of a date.

    Before the deadline: "第二阶段截止10月10日，截至9月30日已报送N个" (no rate, no
    list of 未报送: the others still have time). From the deadline on: the rate and
    the number not reported, "第二阶段截止10月10日，应报送M个，已报送N个，报送率X%，K个单位未报送".
    """
    rnd = campaign.rounds_by_code[round_code]
    rows = status.loc[status["round"] == round_code]
    submitted = int(rows["submitted"].sum())
    head = f"{rnd.name}截止{_month_day(rnd.deadline)}"
    if as_of < rnd.deadline:
        return f"{head}，截至{_month_day(as_of)}已报送{submitted}个"
    expected = len(rows)
    missing = int((rows["status"] == ReportStatus.MISSING).sum())
    rate = f"{submitted / expected * 100:.1f}%" if expected else "—"
    tail = f"，{missing}个单位未报送" if missing else "，所有单位均已报送"
    return f"{head}，应报送{expected}个，已报送{submitted}个，报送率{rate}{tail}"
