"""Exports for the meeting (slides, the 通报表 workbook, HTML) and the tables' Chinese face.

`display` is what notebooks and exports show of a tidy table: Chinese column
headers, kind and status codes as Chinese words, percentages formatted, and never
a contact name or phone number.
"""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.labels import (
    FIGURE_COLUMN_NAMES,
    FIGURE_VALUE_NAMES,
    KIND_NAMES,
    column_name,
    reason_text,
)

# Columns that hold personal data (config.PERSONAL_COLUMNS), dropped from what a reader sees.
PERSONAL_COLUMNS = config.PERSONAL_COLUMNS

# Headers and codes in words: the figure tables' face of the label catalogue.
COLUMN_LABELS: dict[str, str] = FIGURE_COLUMN_NAMES
PERCENT_COLUMNS: frozenset[str] = frozenset(
    {
        "unit_coverage",
        "member_coverage",
        "reporting_rate",
        "on_time_rate",
        "unit_coverage_prev",
        "unit_coverage_end",
        "participants_missing_share",
        "rejected_share",
    }
)
VALUE_LABELS: dict[str, dict[str, str]] = FIGURE_VALUE_NAMES


def _label(column: str) -> str:
    return column_name(column, COLUMN_LABELS)


def without_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without contact names and phone numbers."""
    return frame.drop(columns=[c for c in frame.columns if c in PERSONAL_COLUMNS])


def display(frame: pd.DataFrame, campaign=None, digits: int = 1) -> pd.DataFrame:
    """A tidy table as a reader sees it: Chinese headers and codes, percentages as text."""
    out = without_personal(frame).copy()
    for column in out.columns:
        if column == "kind":
            out[column] = out[column].map(lambda k: KIND_NAMES.get(k, "" if pd.isna(k) else k))
        elif column == "group" and "kind" in frame.columns and "level" in frame.columns:
            is_kind = frame["level"] == "kind"
            out.loc[is_kind, column] = frame.loc[is_kind, "kind"].map(KIND_NAMES)
        elif column in VALUE_LABELS:
            out[column] = out[column].map(lambda v, m=VALUE_LABELS[column]: m.get(v, v))
        elif column == "round" and campaign is not None:
            out[column] = out[column].map(campaign.round_names)
        elif column == "work_item" and campaign is not None:
            out[column] = out[column].map(
                lambda v: campaign.work_item_name(v) if isinstance(v, str) and v else v
            )
        elif column in PERCENT_COLUMNS:
            out[column] = out[column].map(
                lambda v: "—" if pd.isna(v) else f"{float(v) * 100:.{digits}f}%"
            )
        elif column in ("participants_per_100", "change"):
            out[column] = out[column].map(lambda v: "—" if pd.isna(v) else f"{float(v):.{digits}f}")
    if "reason" in out.columns:
        out["reason"] = out["reason"].map(lambda v: reason_text(v) if isinstance(v, str) else v)
    return out.rename(columns=_label)
