"""The Chinese prose of the briefing, read from the figures model.

Every set it names (the highest, the lowest, the units below 50%, the directly
affiliated unions at 0%) is the one `figures.Figures` computed, so the prose, the
通报表's shading and chart 01 say the same. The number and date formats live in
formats.py (re-exported here for callers that import them from this module).
"""

from __future__ import annotations

from analysis.figures import HIGH_COVERAGE, LOW_COVERAGE, Figures, Standing
from analysis.formats import (
    MAX_NAMES,
    fmt_count,
    fmt_date,
    fmt_names,
    fmt_pct,
    fmt_points,
    kind_name,
)

__all__ = [
    "LOW_COVERAGE",
    "MAX_NAMES",
    "fmt_count",
    "fmt_date",
    "fmt_names",
    "fmt_pct",
    "fmt_points",
    "kind_name",
    "briefing_text",
]


def reach_sentence(figures: Figures) -> str:
    """How far the campaign has reached: units, members, activities, participants."""
    d = figures.district()
    if d is None:
        return "暂无覆盖率数据。"
    return (
        f"截至{fmt_date(figures.as_of)}，全区{int(d['units_total'])}家基层工会中"
        f"已有{int(d['units_covered'])}家开展学习宣传活动，覆盖率{fmt_pct(d['unit_coverage'])}；"
        f"覆盖会员{fmt_count(d['members_covered'])}人，占会员总数的{fmt_pct(d['member_coverage'])}；"
        f"累计开展活动{fmt_count(d['activities'])}次，参加{fmt_count(d['participants'])}人次。"
    )


def reporting_sentence(figures: Figures) -> str:
    """The selected round's reporting rate, on-time rate and who has not reported."""
    r = figures.rate(figures.round_code)
    round_name = figures.round_name
    if r is None:
        return f"{round_name}暂无报送数据。"
    if figures.before_deadline:
        # Not yet due is not missing: no rate, no list of 未报送 (the others have time).
        pending = figures.pending
        tail = f"，其余{len(pending)}个单位未到截止日期" if pending else "，所有单位均已报送"
        return figures.reporting_fact() + tail + "。"
    # Reports are counted to the report date; said when it is not the as-of date the
    # reach sentence begins with.
    when = f"截至{fmt_date(figures.report_date)}，" if figures.report_date_differs else ""
    text = (
        f"{when}{round_name}应报送单位{int(r['expected'])}个，已报送{int(r['submitted'])}个，"
        f"报送率{fmt_pct(r['reporting_rate'])}，按时报送率{fmt_pct(r['on_time_rate'])}"
    )
    missing = figures.not_reported
    names = [] if missing is None or missing.empty else list(missing["reporting_unit"])
    if names:
        return text + f"；尚未报送：{fmt_names(names)}。"
    return text + "；所有单位均已报送。"


def _who(standing: Standing, what: str, kinds: bool = False, noun: str = "覆盖率") -> str:
    """'供电公司工会覆盖率最高（91.7%）' or '供电公司工会、区民政局工会并列最高（91.7%）'."""
    names = [kind_name(n) for n in standing.names] if kinds else list(standing.names)
    value = fmt_pct(standing.value)
    if standing.tied:
        return f"{fmt_names(names)}并列{what}（{value}）"
    return f"{names[0]}{noun}{what}（{value}）"


def kinds_sentence(figures: Figures) -> str:
    """Which kind of reporting unit leads and which lags in unit coverage."""
    extremes = figures.kinds
    if extremes is None:
        return ""
    best, worst = extremes
    return (
        f"分类别看，{_who(best, '最高', kinds=True)}，{_who(worst, '最低', kinds=True, noun='')}。"
    )


def units_sentence(figures: Figures) -> str:
    """Which reporting units lead, how many reach HIGH_COVERAGE, how many lag below
    LOW_COVERAGE and which is lowest (the 通报表's green and red cells, chart 01's grey bars).

    Directly affiliated unions are not ranked: `direct_sentence` counts them.
    """
    best, worst = figures.highest, figures.lowest
    if best is None:
        return ""
    low = figures.below_low
    if best.tied and worst is not None and best.names == worst.names:
        # Every ranked unit at the same figure (before any activity, say): no leader.
        text = f"分单位看，各单位覆盖率均为{fmt_pct(best.value)}"
        if low:
            text += f"，{len(low)}个单位均低于{fmt_pct(LOW_COVERAGE, 0)}"
        return text + "。"
    if worst is not None and best.names == worst.names:  # one ranked unit: no highest
        text = f"分单位看，{best.names[0]}覆盖率为{fmt_pct(best.value)}"
        if low:
            return text + f"，低于{fmt_pct(LOW_COVERAGE, 0)}。"
        if figures.at_high:
            return text + f"，达到{fmt_pct(HIGH_COVERAGE, 0)}。"
        return text + "。"
    text = f"分单位看，{_who(best, '最高')}"
    high = figures.at_high
    if high:
        text += f"，{len(high)}个单位达到{fmt_pct(HIGH_COVERAGE, 0)}"
    if not low:
        return text + f"，所有单位覆盖率均达到{fmt_pct(LOW_COVERAGE, 0)}以上。"
    text += f"；{len(low)}个单位覆盖率低于{fmt_pct(LOW_COVERAGE, 0)}"
    if worst is not None:
        text += f"，其中{_who(worst, '最低', noun='')}"
    return text + "。"


def direct_sentence(figures: Figures) -> str:
    """The directly affiliated unions as a group: how many have held an activity."""
    d = figures.direct
    if d is None:
        return ""
    text = f"直属基层工会{d.total}家，已开展活动{d.covered}家"
    if d.uncovered:
        return text + f"，尚未开展{d.uncovered}家：{fmt_names(list(d.not_covered))}。"
    return text + "，全部已开展。"


def change_sentence(figures: Figures) -> str:
    """What changed over the round: from the end of the previous round to the as-of date,
    or to the round's own end when a later round had begun (`Figures.round_cut`)."""
    prev_round = figures.previous_round
    now = figures.district(round_end=True)
    before = figures.district(previous=True)
    if prev_round is None or now is None or before is None:
        return ""
    new_units = int(now["units_covered"]) - int(before["units_covered"])
    points = fmt_points(now["unit_coverage"] - before["unit_coverage"])
    if figures.round_cut is not None:
        text = (
            f"{figures.round_name}（截至{fmt_date(figures.round_cut)}）与{prev_round.name}末相比，"
            f"全区覆盖率{points}，新增覆盖基层工会{new_units}家"
        )
    else:
        text = f"与{prev_round.name}末相比，全区覆盖率{points}，新增覆盖基层工会{new_units}家"
    top = figures.most_new
    if new_units > 0 and top is not None:
        most = "并列新增最多" if top.tied else "新增最多"
        text += f"，{fmt_names(list(top.names))}{most}（{int(top.value)}家）"
    return text + "。"


# How the change report's summary line begins when there was a previous run to compare.
SINCE_LAST_RUN = "与上次运行"


def since_last_run_sentence(figures: Figures) -> str:
    """'与上次运行（12月3日14:20）相比：新增文件1个…' ('' on a first or unrecorded run),
    with what explains the figures' moves when the change report gives it ('统计截止日期
    由2019年12月31日改为2019年6月15日，数字变化可能来自截止日期。'), dates as leaders read them."""
    import re

    from analysis.history import explanations

    if not figures.changes or not figures.changes[0].startswith(SINCE_LAST_RUN):
        return ""
    text = "".join([figures.changes[0], *explanations(figures.changes)])
    return re.sub(
        r"(\d{4})-(\d{2})-(\d{2})",
        lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日",
        text,
    )


def briefing_text(figures: Figures) -> list[str]:
    """A few Chinese sentences: reach, reporting, who leads and lags, the direct unions,
    what changed."""
    sentences = [
        reach_sentence(figures),
        reporting_sentence(figures),
        kinds_sentence(figures),
        units_sentence(figures),
        direct_sentence(figures),
        change_sentence(figures),
        _publicity_sentence(figures),
    ]
    return [s for s in sentences if s]


def _publicity_sentence(figures: Figures) -> str:
    """Work item 3's outputs ('全区共编发简报N期、…'); '' when no unit reported counts."""
    from analysis.publicity_figures import briefing_sentence

    return briefing_sentence(figures)
