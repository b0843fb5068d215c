"""The Chinese prose of the briefing, generated from the figures.

Also the number and date formats every reader-facing text shares (chart titles,
slides, the 通报表), so that a figure reads the same wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import pandas as pd

from analysis import config

if TYPE_CHECKING:
    from analysis.briefing import BriefingData

# Below this unit coverage a reporting unit is named as lagging.
LOW_COVERAGE = 0.5
# At most this many names are listed in one sentence; the rest become "等N个".
MAX_NAMES = 5


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """0.6823 -> '68.2%'; missing -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"


def fmt_points(change: float | None, digits: int = 1) -> str:
    """A change of a rate in percentage points: 0.052 -> '提高5.2个百分点'."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "无可比数据"
    points = round(change * 100, digits)
    if points > 0:
        return f"提高{points:.{digits}f}个百分点"
    if points < 0:
        return f"下降{-points:.{digits}f}个百分点"
    return "持平"


def fmt_count(value: float | int | None) -> str:
    """Whole numbers as a Chinese report writes them: 3456 -> '3456', 152340 -> '15.2万'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    n = int(round(float(value)))
    if abs(n) >= 100_000:
        return f"{n / 10_000:.1f}万"
    return str(n)


def fmt_date(day: dt.date | None) -> str:
    """2019-09-30 -> '2019年9月30日'."""
    if day is None:
        return "—"
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_names(names: list[str], limit: int = MAX_NAMES) -> str:
    """'甲、乙、丙' or, past `limit`, '甲、乙、丙、丁、戊等7个单位'."""
    names = [str(n) for n in names]
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}个单位"


def kind_name(code: str) -> str:
    """The Chinese name of a kind code ('town' -> '乡镇')."""
    return config.KIND_NAMES.get(str(code), str(code))


def _row(frame: pd.DataFrame | None, **where: object) -> pd.Series | None:
    """The first row of `frame` matching all `where` columns, or None."""
    if frame is None or frame.empty:
        return None
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        if col not in frame.columns:
            return None
        mask &= frame[col] == value
    hits = frame[mask]
    return None if hits.empty else hits.iloc[0]


def reach_sentence(figures: BriefingData) -> str:
    """How far the campaign has reached: units, members, activities, participants."""
    d = _row(figures.coverage, level="district")
    if d is None:
        return "暂无覆盖率数据。"
    return (
        f"截至{fmt_date(figures.as_of)}，全区{int(d['units_total'])}家基层工会中"
        f"已有{int(d['units_covered'])}家开展学习宣传活动，覆盖率{fmt_pct(d['unit_coverage'])}；"
        f"覆盖会员{fmt_count(d['members_covered'])}人，占会员总数的{fmt_pct(d['member_coverage'])}；"
        f"累计开展活动{fmt_count(d['activities'])}次，参加{fmt_count(d['participants'])}人次。"
    )


def reporting_sentence(figures: BriefingData) -> str:
    """The selected round's reporting rate, on-time rate and who has not reported."""
    r = _row(figures.rates, round=figures.round_code, level="district")
    round_name = figures.round_name
    if r is None:
        return f"{round_name}暂无报送数据。"
    text = (
        f"{round_name}应报送单位{int(r['expected'])}个，已报送{int(r['submitted'])}个，"
        f"报送率{fmt_pct(r['reporting_rate'])}，按时报送率{fmt_pct(r['on_time_rate'])}"
    )
    missing = figures.not_reported
    names = [] if missing is None or missing.empty else list(missing["reporting_unit"])
    if names:
        return text + f"；尚未报送：{fmt_names(names)}。"
    return text + "；所有单位均已报送。"


def kinds_sentence(figures: BriefingData) -> str:
    """Which kind of reporting unit leads and which lags in unit coverage."""
    kinds = figures.coverage[figures.coverage["level"] == "kind"]
    kinds = kinds[kinds["units_total"] > 0]
    if len(kinds) < 2:
        return ""
    ordered = kinds.sort_values(["unit_coverage", "group"], ascending=[False, True])
    best, worst = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"分类别看，{kind_name(best['kind'])}覆盖率最高（{fmt_pct(best['unit_coverage'])}），"
        f"{kind_name(worst['kind'])}最低（{fmt_pct(worst['unit_coverage'])}）。"
    )


def units_sentence(figures: BriefingData) -> str:
    """Which reporting unit leads, and how many lag below LOW_COVERAGE."""
    units = figures.coverage[figures.coverage["level"] == "reporting_unit"]
    units = units[(units["units_total"] > 0) & (units["kind"] != "direct")]
    if units.empty:
        return ""
    ordered = units.sort_values(["unit_coverage", "group"], ascending=[False, True])
    best = ordered.iloc[0]
    text = f"分单位看，{best['group']}覆盖率最高（{fmt_pct(best['unit_coverage'])}）"
    low = ordered[ordered["unit_coverage"] < LOW_COVERAGE].sort_values(
        ["unit_coverage", "group"], ascending=[True, True]
    )
    if low.empty:
        return text + f"，所有单位覆盖率均达到{fmt_pct(LOW_COVERAGE, 0)}以上。"
    worst = low.iloc[0]
    return (
        text + f"；{len(low)}个单位覆盖率低于{fmt_pct(LOW_COVERAGE, 0)}，"
        f"其中{worst['group']}最低（{fmt_pct(worst['unit_coverage'])}）。"
    )


def change_sentence(figures: BriefingData) -> str:
    """What changed since the end of the previous round."""
    prev_round = figures.previous_round
    now = _row(figures.coverage, level="district")
    before = _row(figures.previous, level="district")
    if prev_round is None or now is None or before is None:
        return ""
    new_units = int(now["units_covered"]) - int(before["units_covered"])
    text = (
        f"与{prev_round.name}末相比，全区覆盖率{fmt_points(now['unit_coverage'] - before['unit_coverage'])}，"
        f"新增覆盖基层工会{new_units}家"
    )
    ranking = figures.ranking
    if new_units > 0 and ranking is not None and "units_covered_new" in ranking.columns:
        new = pd.to_numeric(ranking["units_covered_new"], errors="coerce").fillna(0)
        top = ranking.assign(new=new).sort_values(["new", "group"], ascending=[False, True])
        if top["new"].iloc[0] > 0:
            text += f"，{top['group'].iloc[0]}新增最多（{int(top['new'].iloc[0])}家）"
    return text + "。"


def briefing_text(figures: BriefingData) -> list[str]:
    """A few Chinese sentences: reach, reporting, who leads and lags, what changed."""
    sentences = [
        reach_sentence(figures),
        reporting_sentence(figures),
        kinds_sentence(figures),
        units_sentence(figures),
        change_sentence(figures),
        _publicity_sentence(figures),
    ]
    return [s for s in sentences if s]


def _publicity_sentence(figures: BriefingData) -> str:
    """Work item 3's outputs ('全区共编发简报N期、…'); '' when no unit reported counts."""
    from analysis.publicity_figures import briefing_sentence

    return briefing_sentence(figures)
