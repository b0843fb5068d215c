"""Figures about materials: counts per unit and round, reporting status with materials,
the 本期资料 column and materials sheet of the 通报表, the key sentence, and summary
totals beside the tables' own figures.

Pure functions: tidy tables in (materials.csv, submissions.csv, rows.csv, the
roster's reporting units), tidy tables out. Only `current` materials count: a
duplicate is the same photo again, a rejected file could not be read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.labels import MATERIAL_STATE_NAMES
from analysis.model import MaterialState, ReportStatus, RowState

MATERIAL_STATUS_NAMES = {
    "table_and_materials": "表格和资料均已报送",
    "table_only": "仅报送表格",
    "materials_only": "仅报送资料",
    "nothing": "均未报送",
    "not_yet_due": "未到截止日期",
}
STATE_NAMES = MATERIAL_STATE_NAMES
MATERIAL_NAMES = {"photo": "图片", "summary": "阶段性总结", "document": "其他文档", "video": "视频"}
# A summary's stated total further than this from the table's figure is flagged.
GAP_THRESHOLD = 0.10
TOTAL_NAMES = {"activities": "活动场次", "participants": "参加人次", "units": "覆盖基层工会"}


def up_to_round(materials: pd.DataFrame, campaign, round_code: str) -> pd.DataFrame:
    """Materials of `round_code` and the rounds before it, and those of unknown round.

    A briefing for round one does not show what came in for round three.
    """
    codes = [r.code for r in campaign.rounds]
    allowed = set(codes[: codes.index(round_code) + 1]) | {""}
    return materials.loc[materials["round"].fillna("").astype(str).isin(allowed)]


def _current(materials: pd.DataFrame) -> pd.DataFrame:
    return materials.loc[materials["state"].astype(str) == MaterialState.CURRENT]


def counts_by_unit_round(materials: pd.DataFrame) -> pd.DataFrame:
    """Per reporting unit and round: distinct photos, summaries, other documents, videos."""
    current = _current(materials)
    current = current.loc[current["reporting_unit"].fillna("").astype(str) != ""]
    columns = ["photo", "summary", "document", "video"]
    if current.empty:
        return pd.DataFrame(columns=["reporting_unit", "round", "photos", "summaries",
                                     "documents", "videos"])  # fmt: skip
    table = (
        pd.crosstab([current["reporting_unit"], current["round"].fillna("")], current["material"])
        .reindex(columns=columns, fill_value=0)
        .rename(
            columns={
                "photo": "photos",
                "summary": "summaries",
                "document": "documents",
                "video": "videos",
            }
        )  # fmt: skip
        .reset_index()
    )
    table.columns.name = None
    return table


def status_by_unit_round(status: pd.DataFrame, materials: pd.DataFrame) -> pd.DataFrame:
    """`reporting.reporting_status` rows with the materials told apart.

    material_status: table_and_materials, table_only, materials_only, nothing, or
    not_yet_due when nothing has come in before the round's deadline (status
    `pending`: not yet due is not missing); `material_status_name` its Chinese label;
    photos and summaries counted.
    """
    counts = counts_by_unit_round(materials)
    out = status.merge(counts, how="left", on=["reporting_unit", "round"])
    for column in ("photos", "summaries", "documents", "videos"):
        out[column] = out[column].fillna(0).astype("int64")
    has_materials = (out[["photos", "summaries", "documents", "videos"]].sum(axis=1) > 0).to_numpy()
    has_table = out["submitted"].astype(bool).to_numpy()
    pending = (out["status"] == ReportStatus.PENDING).to_numpy() if "status" in out else (
        np.zeros(len(out), dtype=bool))  # fmt: skip
    out["material_status"] = [
        "table_and_materials" if t and m else "table_only" if t else "materials_only" if m
        else "not_yet_due" if p else "nothing"
        for t, m, p in zip(has_table, has_materials, pending, strict=True)
    ]  # fmt: skip
    out["material_status_name"] = out["material_status"].map(MATERIAL_STATUS_NAMES)
    return out


NO_MATERIALS = "未收到"


def materials_column(materials: pd.DataFrame, round_code: str | None = None) -> pd.DataFrame:
    """The 通报表's 本期资料 column: per reporting unit, "图片3张、总结1份" or "未收到".

    "未收到", not "未报送": the column is about photos and documents of this round, and
    "未报送" reads as "did not report" beside the table's own reporting status.
    """
    counts = counts_by_unit_round(materials)
    if round_code is not None:
        counts = counts.loc[counts["round"] == round_code]
    totals = counts.groupby("reporting_unit")[["photos", "summaries", "documents", "videos"]].sum()
    labels = []
    for unit, row in totals.iterrows():
        parts = [f"{name}{int(row[col])}{unit_word}" for col, name, unit_word in (
            ("photos", "图片", "张"), ("summaries", "总结", "份"), ("documents", "其他文档", "份"),
            ("videos", "视频", "个")) if row[col]]  # fmt: skip
        labels.append((unit, "、".join(parts) or NO_MATERIALS))
    return pd.DataFrame(labels, columns=["reporting_unit", "本期资料"])


def column_for_units(
    units: pd.Series, materials: pd.DataFrame, round_code: str | None = None
) -> list[str]:
    """The 本期资料 cell for each reporting unit in `units` (NO_MATERIALS when none)."""
    labels = dict(materials_column(materials, round_code).itertuples(index=False, name=None))
    return [labels.get(u, NO_MATERIALS) for u in units]


def materials_sheet(materials: pd.DataFrame, campaign=None) -> pd.DataFrame:
    """The 通报表's sheet listing every material received, with Chinese headers."""
    names = campaign.round_names if campaign else str
    frame = materials.fillna("")
    return pd.DataFrame({
        "报送单位": frame["reporting_unit"].replace("", "（未能确定）"),
        "期次": frame["round"].map(lambda c: names(c) or "（未能确定）"),
        "类型": frame["material"].map(lambda m: MATERIAL_NAMES.get(m, m)),
        "文件": frame["file"],
        "拍摄或成文日期": frame["taken_date"],
        "状态": frame["state"].map(lambda s: STATE_NAMES.get(s, s)),
        "重复于": frame["duplicate_of"],
    })  # fmt: skip


def key_counts(materials: pd.DataFrame, round_code: str | None = None) -> dict[str, int]:
    """Distinct photos and summaries received (this round only when `round_code` is given)."""
    current = _current(materials)
    if round_code is not None:
        current = current.loc[current["round"] == round_code]
    return {
        "photos": int((current["material"] == "photo").sum()),
        "summaries": int((current["material"] == "summary").sum()),
        "videos": int((current["material"] == "video").sum()),
    }


def key_sentence(materials: pd.DataFrame, round_code: str | None = None) -> str:
    """ "共收到信息图片N张、阶段性总结N份" (and videos when there are any)."""
    n = key_counts(materials, round_code)
    text = f"共收到信息图片{n['photos']}张、阶段性总结{n['summaries']}份"
    if n["videos"]:
        text += f"、视频{n['videos']}个"
    return text + "。"


def table_figures(rows: pd.DataFrame) -> pd.DataFrame:
    """Per submitting unit and round, what its accepted rows give: activities, participants, unions.

    A union is (parent, name) (`counted_for`, `grassroots_unit`): two towns' 中心小学工会
    are two. Only the columns needed are taken from the ledger, and the unions are counted
    as distinct pairs rather than joined into new strings (200,000 rows of a scaled round).
    """
    key = ["reporting_unit", "round"]
    pair = ["counted_for", "grassroots_unit"] if "counted_for" in rows else ["grassroots_unit"]
    accepted = rows.loc[
        rows["state"].astype(str) == RowState.ACCEPTED, [*key, "participants", *pair]
    ]
    participants = pd.to_numeric(accepted["participants"], errors="coerce")
    figures = (
        accepted[key]
        .assign(participants=participants)
        .groupby(key)
        .agg(activities=("participants", "size"), participants=("participants", "sum"))
    )
    named = accepted.loc[accepted["grassroots_unit"].fillna("").astype(str) != "", [*key, *pair]]
    units = named.drop_duplicates().groupby(key).size()
    return (
        figures.assign(units=units.reindex(figures.index, fill_value=0))
        .reset_index()
        .astype({"participants": "int64", "units": "int64"})
    )


def stated_vs_tables(materials: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Each total a summary states beside what that unit's tables give for its round.

    One row per (summary, figure): stated, table, gap (stated/table - 1) and `flagged`
    when |gap| > 10% or the unit has no table for the round.
    """
    columns = ["file", "reporting_unit", "round", "figure", "figure_name", "stated", "table",
               "gap", "flagged"]  # fmt: skip
    summaries = _current(materials)
    summaries = summaries.loc[summaries["material"] == "summary"]
    figures = table_figures(rows).set_index(["reporting_unit", "round"])
    out = []
    for record in summaries.itertuples(index=False):
        for figure in ("activities", "participants", "units"):
            stated = pd.to_numeric(getattr(record, f"stated_{figure}", ""), errors="coerce")
            if pd.isna(stated):
                continue
            key = (record.reporting_unit, record.round)
            table = figures[figure].get(key) if key in figures.index else None
            gap = (stated / table - 1) if table else None
            flagged = gap is None or abs(gap) > GAP_THRESHOLD
            out.append([record.file, record.reporting_unit, record.round, figure,
                        TOTAL_NAMES[figure], int(stated), None if table is None else int(table),
                        gap, flagged])  # fmt: skip
    frame = pd.DataFrame(out, columns=columns)
    frame["table"] = frame["table"].astype("Int64")
    return frame


def terminal_line(materials: pd.DataFrame) -> str:
    """One line for the ingest's terminal summary: what materials came in and their states."""
    n = key_counts(materials)
    states = materials["state"].astype(str)
    unplaced = int(
        ((materials["reporting_unit"].fillna("") == "") & (states == MaterialState.CURRENT)).sum()
    )
    text = (
        f"收到资料 {len(materials)} 个：信息图片 {n['photos']} 张、阶段性总结 {n['summaries']} 份"
        + (f"、视频 {n['videos']} 个" if n["videos"] else "")
        + f"（重复 {int((states == 'duplicate').sum())} 个，无法读取 {int((states == 'rejected').sum())} 个"
        + (f"，未能确定归属 {unplaced} 个" if unplaced else "")
        + "），详见 materials.csv。"
    )
    return text
