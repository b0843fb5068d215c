"""How every reader-facing text writes numbers, dates and lists of names.

Chart titles, slides, the 通报表 and the prose share these, so that a figure reads
the same wherever it appears. Pure functions of values; no pandas, no I/O.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from analysis import config

# At most this many names are listed in one sentence; the rest become "等N个单位".
MAX_NAMES = 5


def half_up(number: float, digits: int) -> Decimal:
    """`number` rounded to `digits` decimals the way a Chinese report (and Excel) rounds:
    四舍五入, half away from zero: 92.5 -> 93, 62.45 -> 62.5 (Python's round and format
    go to the even digit, and 37/40*100 is 92.49999999999999 in binary).

    The binary noise is removed first, at nine decimals.
    """
    exact = Decimal(f"{number:.9f}")
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """0.6823 -> '68.2%', 0.925 -> '92.5%' ('93%' with 0 digits); missing -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{half_up(value * 100, digits)}%"


def fmt_pct_whole(value: float | None) -> str:
    """A rate in whole percent for a chart's labels: 0.683 -> '68%'.

    Never 100% unless all, nor 0% unless none: 0.996 -> '99.6%', 0.9996 -> '99.9%',
    0.003 -> '0.3%', 0.0004 -> '0.1%' (one unit missing must not read as everyone).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    pct = value * 100
    whole = half_up(pct, 0)
    if whole >= 100 > pct:
        return f"{min(math.floor(pct * 10) / 10, 99.9):.1f}%"
    if whole <= 0 < pct:
        return f"{max(math.ceil(pct * 10) / 10, 0.1):.1f}%"
    return f"{whole}%"


def fmt_points(change: float | None, digits: int = 1) -> str:
    """A change of a rate in percentage points: 0.052 -> '提高5.2个百分点'."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "无可比数据"
    points = half_up(abs(change) * 100, digits)
    if points and change > 0:
        return f"提高{points}个百分点"
    if points and change < 0:
        return f"下降{points}个百分点"
    return "持平"


# From this count on, numbers are said in 万 (ten thousand).
WAN = 10_000


def fmt_count(value: float | int | None) -> str:
    """Whole numbers as a Chinese report writes them: 3456 -> '3456', 14517 -> '1.5万',
    152340 -> '15.2万'. One rule for the prose, the charts and the deck: every count of
    ten thousand or more is said in 万 (the tables keep exact numbers)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    n = int(half_up(float(value), 0))
    if abs(n) >= WAN:
        return f"{half_up(n / 10_000, 1)}万"
    return str(n)


def fmt_date(day: dt.date | None) -> str:
    """2019-09-30 -> '2019年9月30日'."""
    if day is None:
        return "—"
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_day_near(day: dt.date, ref: dt.date | None) -> str:
    """'1月10日' when `day` is in the year of `ref`, else with its year ('2020年1月10日'):
    a deadline in the next January is not read as one already passed."""
    if ref is not None and day.year == ref.year:
        return f"{day.month}月{day.day}日"
    return fmt_date(day)


# A name on a chart (a tick label, a title) is cut past this width, in half-width
# columns (a Chinese character is two): 32 characters, more than long real names
# (北京市房山区第35号超长名称示范街道联合总工会委员会, 27). A 300-character name typed
# by mistake would otherwise push the bars off the figure and shrink its title to nothing.
CHART_NAME_WIDTH = 64


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def short_name(name: str, width: int = CHART_NAME_WIDTH) -> str:
    """`name`, or its start and '…' when it is wider than `width` columns."""
    if len(name) * 2 <= width or sum(map(_width, name)) <= width:
        return name
    used, kept = 2, 0  # room for the ellipsis, drawn as wide as a Chinese character
    while used + _width(name[kept]) <= width:
        used += _width(name[kept])
        kept += 1
    return name[:kept].rstrip() + "…"


def fmt_names(names: list[str], limit: int = MAX_NAMES, width: int | None = None) -> str:
    """'甲、乙、丙' or, past `limit`, '甲、乙、丙、丁、戊等7个单位'; each name cut to
    `width` columns (`short_name`) when given."""
    names = [str(n) if width is None else short_name(str(n), width) for n in names]
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}个单位"


def kind_name(code: str) -> str:
    """The Chinese name of a kind code ('town' -> '乡镇')."""
    return config.KIND_NAMES.get(str(code), str(code))


def shown_pct(value: float | None) -> float:
    """A ratio as the percentage a reader sees (one decimal): 0.91666 -> 91.7; NaN when missing.

    Ranks, ties and thresholds are decided on this value, so that two units printed
    as 91.7% are never ranked apart and a unit printed as 50.0% is never called below 50%.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(half_up(float(value) * 100, 1))


# ASCII punctuation Markdown would read as syntax: links [..](..), emphasis, code, tables,
# and the ':' of a bare URL or the '.' after www that renderers turn into a link.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]()#!|~<>:]|(?<=www)\.", re.IGNORECASE)


def markdown_text(text: object) -> str:
    """`text` (names a unit or file supplied) as literal Markdown: HTML tags, Markdown
    links or emphasis and bare URLs in it are shown as typed, never rendered (notebooks,
    情况通报.html)."""
    return _MARKDOWN_SYNTAX.sub(r"\\\g<0>", html.escape(str(text), quote=False))
