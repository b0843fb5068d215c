"""Tables as the analyst should see them in a notebook: Chinese, no NaN, no True/False.

`table(frame)` returns a pandas Styler that renders

- yes/no values as 是/否 and missing values as blank cells (never NaN, None, <NA>);
- the contract's English column names and codes in Chinese (states, kinds, levels,
  severities), through the same names as 数据明细.xlsx;
- ratios as percentages, whole numbers without ".0", other numbers to one decimal;
- absolute paths as paths relative to the project (or the file name alone), so no
  machine's folder layout is shown or printed;
- cells that do not wrap (so "街道" is never one character per line), and no
  "N rows × M columns" footer, no index unless it carries names.

Notebooks call `show(frame)` (or just return `table(frame)` as a cell's last value).
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from analysis import config
from analysis.exports import PERCENT_COLUMNS
from analysis.formats import fmt_pct, half_up
from analysis.labels import (  # noqa: F401 - COLUMN_NAMES: display's names, as before
    COLUMN_NAMES,
    FILE_STATE_NAMES,
    ROW_STATE_NAMES,
    VALUE_NAMES,
    column_name,
)

# Shares shown as percentages: the figure tables' (exports.PERCENT_COLUMNS) and consistency.
RATIO_COLUMNS = PERCENT_COLUMNS | {"consistency"}
TABLE_STYLES = [
    {"selector": "th, td", "props": "white-space: nowrap; padding: 2px 8px;"},
    {"selector": "th", "props": "text-align: center;"},
    {"selector": "td", "props": "text-align: right;"},
    {"selector": "td.text", "props": "text-align: left;"},
]
_ABSOLUTE = re.compile(r"^(/|[A-Za-z]:[\\/]|\\\\)")


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def relative_path(value: object, root: Path = config.PROJ_ROOT) -> str:
    """An absolute path shown relative to the project root, else by its file name."""
    text = str(value)
    try:
        return PurePath(text).relative_to(root).as_posix()
    except ValueError:
        return PurePath(text.replace("\\", "/")).name


def _cell(value: object, column: str, states: dict[str, str] = ROW_STATE_NAMES) -> str:
    """One cell's text (the formatter every column uses); `states` names the state codes."""
    if _missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, PurePath):
        return relative_path(value)
    if isinstance(value, str):
        if _ABSOLUTE.match(value):
            return relative_path(value)
        if column == "state":
            return states.get(value, value)
        return VALUE_NAMES.get(column, {}).get(value, value)
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        number = float(value)
        if column in RATIO_COLUMNS:
            return fmt_pct(number)  # 四舍五入, as the prose and the 通报表 round
        if number.is_integer():
            return f"{int(number):,}" if abs(number) >= 10_000 else str(int(number))
        return str(half_up(number, 1))
    return str(value)


def table(frame: pd.DataFrame, chinese: bool = True):
    """`frame` as a Styler for a notebook (see the module docstring)."""
    frame = frame.copy()
    named_index = any(n is not None for n in frame.index.names)
    codes = list(frame.columns)
    text_columns = [
        c for c in codes if frame[c].map(lambda v: isinstance(v, str) or _missing(v)).all()
    ]
    # "superseded" is 被替代 for a ledger row and 被更正版替代 for a file.
    file_states = "rows_read" in codes or (
        "state" in codes and frame["state"].isin(["current", "duplicate_file"]).any()
    )
    states = FILE_STATE_NAMES if file_states else ROW_STATE_NAMES
    formatters = {c: (lambda v, c=c: _cell(v, str(c), states)) for c in codes}
    # A stable id (not pandas' random one), so a re-run gives the same HTML (nbval).
    digest = hashlib.sha256(frame.to_csv().encode("utf-8")).hexdigest()[:8]
    # escape: a name a unit typed (<img …>, a link) is shown as text, never as markup.
    styler = frame.style.set_uuid(digest).format(formatters, na_rep="", escape="html")
    styler = styler.format_index(
        lambda v: "" if _missing(v) else _cell(v, ""), axis=0, escape="html"
    )
    if chinese:
        styler = styler.relabel_index([column_name(str(c)) for c in codes], axis="columns")
    if not named_index:
        styler = styler.hide(axis="index")
    styler = styler.set_table_styles(TABLE_STYLES)
    if text_columns:
        styler = styler.set_td_classes(
            pd.DataFrame(
                [["text" if c in text_columns else "" for c in codes]] * len(frame),
                index=frame.index,
                columns=frame.columns,
            )
        )
    return styler


def show(frame: pd.DataFrame, chinese: bool = True) -> None:
    """Display `frame` with `table` (in a notebook; prints plain text elsewhere)."""
    try:
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython ships with the notebook stack
        print(frame.to_string())
        return
    display(HTML(table(frame, chinese).to_html()))
