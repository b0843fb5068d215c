"""The briefing's charts: one function per chart, each taking data and an optional `ax`.

Every chart function returns its Axes and, unless given `title=""`, sets a title
that states the finding, computed from the data (`*_finding` functions give the
same sentence without drawing). `render_all` draws each chart once on a 16:9
figure with the finding as its headline and the source note at the bottom, and
saves PNG and SVG from the same Figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import offset_copy

from analysis import config, style
from analysis.campaign import Campaign
from analysis.figures import (
    LOW,
    LOW_COVERAGE,
    UNRANKED_KINDS,
    Figures,
    kind_extremes,
    most_new,
    rank_units,
)
from analysis.formats import (
    CHART_NAME_WIDTH,
    fmt_count,
    fmt_day_near,
    fmt_names,
    fmt_pct,
    fmt_pct_whole,
    half_up,
    kind_name,
    short_name,
)
from analysis.model import Level, ReportStatus

PNG_DPI = 200
# Rows of bars one panel holds before a chart is split into side-by-side panels.
MAX_PANEL_ROWS = 26
STATUS_ORDER = tuple(ReportStatus)
# Chinese labels of the statuses (reporting.STATUS_NAMES, shortened for a legend).
STATUS_NAMES = {
    ReportStatus.ON_TIME: "按时报送",
    ReportStatus.LATE: "逾期报送",
    ReportStatus.UNKNOWN_DATE: "已报送（未填日期）",
    ReportStatus.MISSING: "未报送",
    ReportStatus.PENDING: "未到截止日期",
}
STATUS_COLORS = {
    ReportStatus.ON_TIME: style.COLORS["primary"],
    ReportStatus.LATE: style.COLORS["accent"],
    ReportStatus.UNKNOWN_DATE: "#BDBDBD",
    ReportStatus.MISSING: "#E6E6E6",
    # Hatched white (drawn with a grey edge): not missing, the round is still open.
    ReportStatus.PENDING: "#FFFFFF",
}
GREY = style.COLORS["muted"]
LIGHT_GREY = "#C8C8C8"


@dataclass(frozen=True)
class ChartFile:
    """A rendered chart: its key, the finding that titles it, and its files."""

    key: str
    title: str
    png: Path
    svg: Path | None  # None for the deck's own panels (PNG only)
    # Share of the image height taken by the headline band at the top (slides crop it).
    headline_fraction: float = 0.0


# ---------------------------------------------------------------- data helpers


def _level(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    return frame[frame["level"] == level]


def _kind_order(kind: pd.Series) -> pd.Series:
    order = {k: i for i, k in enumerate(config.KINDS)}
    return kind.map(order).fillna(len(order))


# While render_all or deck_panels draws (`_one_ranking`), the last ranked_units worked
# out: (coverage, collapse, ranking, result). Charts 01 and 03 and each of their panels
# ask for the same rows; outside a drawing nothing is kept (a table may change).
_LAST_RANKED: list[tuple] = []
_KEEP_RANKED: list[bool] = []


@contextmanager
def _one_ranking():
    """Within: ranked_units works out the rows once for the same table objects."""
    _KEEP_RANKED.append(True)
    try:
        yield
    finally:
        _KEEP_RANKED.pop()
        if not _KEEP_RANKED:
            _LAST_RANKED.clear()


def ranked_units(
    coverage: pd.DataFrame,
    collapse: int | None = None,
    ranking: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Reporting-unit rows in the order of the one ranking (figures.rank_units): the 通报表's.

    Adds `label` (what the chart shows) and `header` (the kind's heading). With
    `collapse`, an unranked kind (直属: units of one union each) with more than
    `collapse` units is shown as one row, its kind total, labelled with how many of its
    unions are at 100% and at 0%: forty 0%/100% bars say less than one bar.
    `ranking` is that ranking when the caller has it (Figures.ranking), else it is
    ranked here with the same function. While render_all or deck_panels draws, worked
    out once for the same tables (the same objects); each call gets its own copy.
    """
    if not _KEEP_RANKED:
        return _ranked_units(coverage, collapse, ranking)
    for last_coverage, last_collapse, last_ranking, result in _LAST_RANKED:
        if last_coverage is coverage and last_collapse == collapse and last_ranking is ranking:
            return result.copy()
    result = _ranked_units(coverage, collapse, ranking)
    _LAST_RANKED[:] = [(coverage, collapse, ranking, result)]
    return result.copy()


def _ranked_units(
    coverage: pd.DataFrame, collapse: int | None, ranking: pd.DataFrame | None
) -> pd.DataFrame:
    units = (ranking if ranking is not None else rank_units(coverage)).copy()
    units["level"] = Level.REPORTING_UNIT.value
    counts = units.groupby("kind")["group"].transform("size")
    units["label"] = units["group"]
    units["value_note"] = ""
    units["header"] = units["kind"].map(kind_name) + "（" + counts.astype(str) + "个）"
    if collapse is None:
        return units
    folded = sorted(
        set(units.loc[units["kind"].isin(UNRANKED_KINDS) & (counts > collapse), "kind"])
    )
    if not folded:
        return units
    kinds = _level(coverage, Level.KIND)
    totals = kinds[kinds["kind"].isin(folded)].assign(
        label=lambda d: d["kind"].map(config.KIND_LONG_NAMES).fillna(d["kind"]) + "合计",
        header=lambda d: d["kind"].map(kind_name) + "（" + d["units_total"].astype(str) + "家）",
        band="",
    )
    notes = {}
    for kind in folded:
        own = units[units["kind"] == kind]
        full = int((own["units_covered"] >= own["units_total"]).sum())
        none = int((own["units_covered"] == 0).sum())
        notes[kind] = f"（{full}家已开展，{none}家未开展）"
    totals["value_note"] = totals["kind"].map(notes)
    parts = [units[~units["kind"].isin(folded)], totals]
    merged = pd.concat(parts, ignore_index=True)
    merged = merged.assign(_k=_kind_order(merged["kind"])).sort_values("_k", kind="stable")
    return merged.drop(columns="_k").reset_index(drop=True)


# More single-union reporting units of one kind than this are drawn as one bar.
COLLAPSE_SINGLE = 5


def split_panels(kinds: list[str], max_rows: int = MAX_PANEL_ROWS) -> list[slice]:
    """Cut an ordered list of rows into balanced panels, at a kind boundary when close."""
    n = len(kinds)
    panels = max(1, math.ceil(n / max_rows))
    if panels == 1:
        return [slice(0, n)]
    boundaries = [i for i in range(1, n) if kinds[i] != kinds[i - 1]]
    cuts, start = [], 0
    for p in range(1, panels):
        ideal = round(n * p / panels)
        near = [b for b in boundaries if b > start and abs(b - ideal) <= max(3, n // 10)]
        cut = min(near, key=lambda b: abs(b - ideal)) if near else ideal
        cuts.append(cut)
        start = cut
    edges = [0, *cuts, n]
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _ax(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=style.SLIDE_FIGSIZE)
    return ax


def _drawable(labels: Iterable[str]) -> list[str]:
    """Tick labels from data, without the characters the chart font cannot draw, a
    name too long for the figure cut short (`formats.short_name`)."""
    return [style.drawable(short_name(str(label))) for label in labels]


def set_title(target: Axes | Figure, text: str, **kwargs) -> Text:
    """Title an Axes (its left title) or headline a Figure (its suptitle) with `text`.

    Every chart title goes through here: titles are built from data (unit names), so
    characters the chart font cannot draw are left out, and a title too long for the
    figure is wrapped onto two lines (or, failing that, made smaller) to fit its width.
    """
    text = style.drawable(text)
    if isinstance(target, Figure):
        title = target.suptitle(text, **kwargs)
    else:
        title = target.set_title(text, **kwargs)
    fit_width(title)
    return title


# Where a title breaks best: after a clause, then between listed names; and characters
# a line neither starts with (closing marks) nor ends with (opening marks).
_CLAUSE_ENDS = "，；：。"
_LIST_ENDS = "、"
_NO_LINE_START = "，；：。、）》”’％%"
_NO_LINE_END = "（《“‘"
# A break at a clause or between names is kept when the title then needs to shrink to
# no less than this share of its size; else the most even break is taken.
_KEEP_SENSE = 0.85
# The smallest size a title is made (points), however long.
_MIN_TITLE_SIZE = 7.0


def fit_width(text: Text) -> None:
    """Make `text` (one line, anchored in its figure) fit the figure's width, in place.

    Too wide: it is broken into two lines, after a clause (a Chinese comma) when both
    lines then fit, else after a listed name, else between any two characters, the
    lines as even as they can be; when two lines are still too wide it is made
    smaller until it fits. Measured with the chart font, so the result does not depend
    on which style is active when called.
    """
    fig = text.get_figure(root=True)
    if fig is None or not text.get_text():
        return
    renderer = fig._get_renderer()
    prop = text.get_fontproperties().copy()
    prop.set_family([style.cjk_family()])
    x = text.get_transform().transform(text.get_unitless_position())[0]
    margin = 0.01 * fig.bbox.width
    room = {
        "left": fig.bbox.x1 - x,
        "right": x - fig.bbox.x0,
        "center": 2 * min(x - fig.bbox.x0, fig.bbox.x1 - x),
    }[text.get_horizontalalignment()] - margin

    def width(s: str, size: float) -> float:
        prop.set_size(size)
        return max(renderer.get_text_width_height_descent(ln, prop, ismath=False)[0]
                   for ln in s.split("\n"))  # fmt: skip

    size = text.get_fontsize()
    best = text.get_text()
    if width(best, size) <= room:
        return
    if "\n" not in best:
        one = best
        breaks = [i for i in range(1, len(one)) if _breakable(one, i)]
        tiers = [
            [i for i in breaks if one[i - 1] in _CLAUSE_ENDS],
            [i for i in breaks if one[i - 1] in _LIST_ENDS],
            breaks,
        ]
        wrapped = [
            min((f"{one[:i]}\n{one[i:]}" for i in tier), key=lambda s: width(s, size))
            for tier in tiers
            if tier
        ]
        sensible = [s for s in wrapped if width(s, size) * _KEEP_SENSE <= room]
        if sensible or wrapped:
            best = sensible[0] if sensible else min(wrapped, key=lambda s: width(s, size))
    text.set_text(best)
    smaller = size
    while width(best, smaller) > room and smaller * 0.95 >= _MIN_TITLE_SIZE:
        smaller *= 0.95
    text.set_fontsize(smaller)


def _breakable(s: str, i: int) -> bool:
    """Whether a line may break between s[i-1] and s[i] (not inside a number or word)."""
    before, after = s[i - 1], s[i]
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


def _district(coverage: pd.DataFrame) -> pd.Series | None:
    d = _level(coverage, Level.DISTRICT)
    return None if d.empty else d.iloc[0]


def _per_100(frame: pd.DataFrame) -> pd.Series:
    if "participants_per_100" in frame.columns:
        return frame["participants_per_100"].astype(float)
    members = frame["members_total"].astype(float).where(lambda s: s > 0)
    return frame["participants"].astype(float) / members * 100


# ---------------------------------------------------------------- (a) unit coverage


def unit_coverage_finding(coverage: pd.DataFrame) -> str:
    """'全区基层工会覆盖率达68.2%，乡镇领先、系统偏低' (kinds at the same figure said together)."""
    d = _district(coverage)
    if d is None:
        return "暂无覆盖率数据"
    if not d["unit_coverage"] > 0:
        return "全区尚无基层工会开展活动（覆盖率0%）"
    text = f"全区基层工会覆盖率达{fmt_pct(d['unit_coverage'])}"
    extremes = kind_extremes(coverage)
    if extremes is not None:
        best, worst = extremes
        text += f"，{_kinds(best.names)}领先、{_kinds(worst.names)}偏低"
    return text


def _kinds(codes: tuple[str, ...]) -> str:
    return "、".join(kind_name(c) for c in codes)


def unit_coverage_bars(
    coverage: pd.DataFrame,
    ax: Axes | None = None,
    title: str | None = None,
    rows: slice | None = None,
    ranking: pd.DataFrame | None = None,
) -> Axes:
    """Unit coverage per reporting unit in the ranking's order, district average as a line.

    Bars of the units below LOW_COVERAGE (the set the prose counts and the 通报表
    shades) are light grey, the others deep red, an unranked kind's total blue; `rows`
    draws only a slice of the ranked units (one panel of a split chart).
    """
    ax = _ax(ax)
    units = ranked_units(coverage, collapse=COLLAPSE_SINGLE, ranking=ranking)
    low_count = int((units["band"] == LOW).sum())
    if rows is not None:
        units = units.iloc[rows]
    # Slots top to bottom: a header slot per kind, then its units.
    labels, values, ypos, headers, colors, notes = [], [], [], [], [], []
    y = 0.0
    for _, group in units.groupby(_kind_order(units["kind"]), sort=True):
        headers.append((y, group["header"].iloc[0]))
        y += 1
        for r in group.itertuples():
            labels.append(r.label)
            values.append(float(r.unit_coverage))
            ypos.append(y)
            notes.append(r.value_note or "")
            if r.value_note:  # an unranked kind's total: neither ranked nor banded
                colors.append(style.COLORS["secondary"])
            else:
                colors.append(LIGHT_GREY if r.band == LOW else style.COLORS["primary"])
            y += 1
    district = _district(coverage)
    average = float(district["unit_coverage"]) if district is not None else None
    ax.barh(ypos, values, height=0.72, color=colors)
    fontsize = 9 if len(ypos) <= 20 else 8
    for yy, v, note in zip(ypos, values, notes, strict=True):
        ax.text(
            v + 0.01,
            yy,
            fmt_pct_whole(v) + note,
            va="center",
            ha="left",
            fontsize=fontsize - 0.5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
        )
    for yy, text in headers:
        ax.text(
            -0.01,
            yy,
            style.drawable(text),
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=fontsize + 1,
            fontweight=style.bold_weight(),
            color=style.COLORS["secondary"],
        )
    ax.set_yticks(ypos, _drawable(labels), fontsize=fontsize)
    ax.set_ylim(y - 0.4, -0.6)
    ax.set_xlim(0, 1.3 if any(notes) else 1.12)
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if average is not None:
        ax.axvline(average, color=style.COLORS["text"], linestyle="--", linewidth=1)
        ax.text(
            average,
            -0.55,
            f" 全区平均{fmt_pct(average, 1)}",
            ha="left",
            va="bottom",
            fontsize=9,
            color=style.COLORS["text"],
        )
    ax.axvline(LOW_COVERAGE, color=GREY, linestyle=":", linewidth=1)
    ax.set_xlabel(
        f"基层工会覆盖率（浅灰：低于{fmt_pct(LOW_COVERAGE, 0)}，共{low_count}个单位）"
        if low_count
        else "基层工会覆盖率"
    )
    if title is None:
        title = unit_coverage_finding(coverage)
    if title:
        set_title(ax, title)
    return ax


# ---------------------------------------------------------------- (b) participation


def participation_finding(coverage: pd.DataFrame) -> str:
    """'全区每百名会员参加活动52人次，乡镇最高'."""
    d = _district(coverage)
    if d is None:
        return "暂无参加人次数据"
    per_100 = _per_100(pd.DataFrame([d])).iloc[0]
    if not per_100 > 0:  # no participant counted yet: no kind is "highest"
        return "尚无参加活动的人次"
    text = f"全区每百名会员参加活动{fmt_count(per_100)}人次"
    kinds = _level(coverage, "kind")
    kinds = kinds.assign(per_100=_per_100(kinds)).dropna(subset=["per_100"])
    if len(kinds) >= 2 and kinds["per_100"].nunique() > 1:
        best = kinds.sort_values(["per_100", "group"], ascending=[False, True]).iloc[0]
        text += f"，{kind_name(best['kind'])}最高（{fmt_count(best['per_100'])}人次）"
    return text


def participation_bars(
    coverage: pd.DataFrame, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Participants per 100 members for each kind, the district figure as a line."""
    ax = _ax(ax)
    kinds = _level(coverage, "kind")
    kinds = kinds.assign(per_100=_per_100(kinds), _k=_kind_order(kinds["kind"]))
    kinds = kinds.dropna(subset=["per_100"]).sort_values(["per_100", "_k"], ascending=[False, True])
    names = [
        f"{kind_name(k)}（{int(n)}家）"
        for k, n in zip(kinds["kind"], kinds["units_total"], strict=True)
    ]
    values = kinds["per_100"].tolist()
    top = max(values, default=0)
    colors = [style.COLORS["primary"] if i == 0 else GREY for i in range(len(values))]
    ax.barh(range(len(values)), values, height=0.6, color=colors)
    for i, (v, p) in enumerate(zip(values, kinds["participants"], strict=True)):
        ax.text(
            v + top * 0.01,
            i,
            f"{fmt_count(v)}人次（共{fmt_count(p)}人次）",
            va="center",
            fontsize=11,
            zorder=3,
            # a white box keeps the district-average line from striking through the label
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        )
    ax.set_yticks(range(len(values)), _drawable(names), fontsize=12)
    ax.set_ylim(len(values) - 0.5, -0.7)
    ax.set_xlim(0, top * 1.3 if top > 0 else 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # 人次: no 0.2 of a person
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    d = _district(coverage)
    if d is not None:
        avg = float(_per_100(pd.DataFrame([d])).iloc[0])
        if not math.isnan(avg):
            ax.axvline(avg, color=style.COLORS["text"], linestyle="--", linewidth=1, zorder=2)
            ax.text(avg, -0.65, f" 全区{fmt_count(avg)}人次", va="bottom", fontsize=10)
    ax.set_xlabel("每百名会员参加人次")
    if title is None:
        title = participation_finding(coverage)
    if title:
        set_title(ax, title)
    return ax


# ---------------------------------------------------------------- (c) work-item heatmap


def _item_codes(campaign: Campaign) -> list[str]:
    return [w.code for w in campaign.work_items]


def work_item_finding(by_item: pd.DataFrame, campaign: Campaign) -> str:
    """'“宣传”覆盖面最广（全区62%），“资料上报”最弱（18%）'."""
    d = _level(by_item, Level.DISTRICT)
    d = d[d["work_item"].isin(_item_codes(campaign))]
    if d.empty:
        return "暂无分项工作数据"
    d = d.sort_values(["unit_coverage", "work_item"], ascending=[False, True])
    best = d.iloc[0]
    if not best["unit_coverage"] > 0:  # nothing to rank: no item is "widest"
        return "各项工作尚无基层工会开展"
    # Ties as the tables and the prose show the figures (one decimal), named together,
    # in the campaign's order: “宣讲培训”“落实”并列最弱（0.0%）, never one at random;
    # 3.3%, 2.9% and 2.7% are no tie although the bars all read about 3%.
    shown = d["unit_coverage"].map(fmt_pct)
    if shown.nunique() == 1:
        return f"各项工作覆盖面相同（全区均为{shown.iloc[0]}）"
    order = {code: i for i, code in enumerate(_item_codes(campaign))}

    def named(value: str) -> tuple[str, bool]:
        codes = sorted(d.loc[shown == value, "work_item"], key=order.get)
        return "".join(f"“{campaign.work_item_short(c)}”" for c in codes), len(codes) > 1

    widest, tied = named(shown.iloc[0])
    text = f"{widest}{'并列' if tied else ''}覆盖面最广（全区{shown.iloc[0]}）"
    weakest, tied = named(shown.iloc[-1])
    return text + f"，{weakest}{'并列' if tied else ''}最弱（{shown.iloc[-1]}）"


def work_item_matrix(
    by_item: pd.DataFrame,
    coverage: pd.DataFrame,
    campaign: Campaign,
    ranking: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Unit coverage per reporting unit (rows, report order, labelled) and work item (columns).

    Rows are those of `ranked_units(coverage, collapse=COLLAPSE_SINGLE)`.
    """
    units = ranked_units(coverage, collapse=COLLAPSE_SINGLE, ranking=ranking)
    items = _item_codes(campaign)
    keys = pd.MultiIndex.from_frame(units[["level", "group"]])
    matrix = (
        by_item[by_item["level"].isin(["reporting_unit", "kind"])]
        .pivot_table(
            index=["level", "group"], columns="work_item", values="unit_coverage", aggfunc="first"
        )
        .reindex(index=keys, columns=items)
        .fillna(0.0)
    )
    matrix.index = pd.Index(units["label"], name="label")
    return matrix


def work_item_heatmap(
    by_item: pd.DataFrame,
    coverage: pd.DataFrame,
    campaign: Campaign,
    ax: Axes | None = None,
    title: str | None = None,
    rows: slice | None = None,
    ranking: pd.DataFrame | None = None,
) -> Axes:
    """Heatmap of unit coverage per reporting unit and work item, percentages in cells."""
    ax = _ax(ax)
    matrix = work_item_matrix(by_item, coverage, campaign, ranking)
    if rows is not None:
        matrix = matrix.iloc[rows]
    values = matrix.to_numpy(dtype=float)
    ax.imshow(values, cmap="Reds", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    fontsize = 9 if len(matrix) <= 20 else 8
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            ax.text(
                j,
                i,
                fmt_pct_whole(v),
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if v >= 0.55 else style.COLORS["text"],
            )
    items = [campaign.work_item_short(c) for c in matrix.columns]
    ax.set_xticks(range(values.shape[1]), _drawable(items))
    ax.xaxis.tick_top()
    ax.set_yticks(range(values.shape[0]), _drawable(matrix.index), fontsize=fontsize)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks([x - 0.5 for x in range(1, values.shape[1])], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, values.shape[0])], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    if title is None:
        title = work_item_finding(by_item, campaign)
    if title:
        set_title(ax, title, pad=28)
    return ax


# ---------------------------------------------------------------- (d) reporting status


def status_counts(
    status: pd.DataFrame, campaign: Campaign, round_code: str | None = None, by: str = "round"
) -> pd.DataFrame:
    """Reporting units per status (columns, in order) by round or by kind (rows).

    by="round": every round up to `round_code`; by="kind": the kinds, in `round_code` only.
    """
    codes = [r.code for r in campaign.rounds]
    if round_code is not None and round_code in codes:
        codes = codes[: codes.index(round_code) + 1]
    if by == "kind":
        status = status[status["round"] == (round_code or codes[-1])]
        present = set(status["kind"])
        codes = [k for k in config.KINDS if k in present] + sorted(present - set(config.KINDS))
    return (
        status.groupby([by, "status"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=codes, columns=list(STATUS_ORDER), fill_value=0)
        .fillna(0)
        .astype(int)
    )


def reporting_status_finding(
    status: pd.DataFrame, campaign: Campaign, round_code: str, as_of: dt.date | None = None
) -> str:
    """'第二阶段报送率92%，按时报送率85%，4个单位未报送'; before the round's deadline
    (units `pending`, `as_of` given) '第二阶段截止10月10日，截至9月30日已报送3个'."""
    counts = status_counts(status, campaign, round_code)
    if round_code not in counts.index or counts.loc[round_code].sum() == 0:
        return "暂无报送数据"
    row = counts.loc[round_code]
    expected = int(row.sum())
    submitted = expected - int(row[ReportStatus.MISSING]) - int(row[ReportStatus.PENDING])
    rnd = campaign.rounds_by_code[round_code]
    if as_of is not None and as_of < rnd.deadline:
        return (
            f"{rnd.name}截止{fmt_day_near(rnd.deadline, as_of)}，"
            f"截至{as_of.month}月{as_of.day}日已报送{submitted}个"
        )
    text = (
        f"{rnd.name}报送率{fmt_pct_whole(submitted / expected)}，"
        f"按时报送率{fmt_pct_whole(row['on_time'] / expected)}"
    )
    if row[ReportStatus.MISSING]:
        return text + f"，{int(row['missing'])}个单位未报送"
    return text + "，全部单位已报送"


def reporting_status_bars(
    status: pd.DataFrame,
    campaign: Campaign,
    round_code: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    by: str = "round",
    legend: bool = True,
) -> Axes:
    """Reporting units stacked by status (on time, late, date unknown, missing).

    by="round": one bar per round, widths are counts of units; by="kind": one bar per
    kind in `round_code`, widths are shares (kinds differ in size), labels are counts.
    """
    ax = _ax(ax)
    counts = status_counts(status, campaign, round_code, by=by)
    expected = counts.sum(axis=1)
    if by == "kind":
        names = [f"{kind_name(k)}（{int(n)}个）" for k, n in expected.items()]
        scale = expected.where(expected > 0, 1).astype(float)
    else:
        names = [campaign.rounds_by_code[c].name for c in counts.index]
        scale = pd.Series(1.0, index=counts.index)
    left = [0.0] * len(counts)
    total = float((expected / scale).max()) if len(counts) else 1.0
    total = total or 1.0
    for code in STATUS_ORDER:
        widths = (counts[code] / scale).tolist()
        ax.barh(
            range(len(counts)),
            widths,
            left=left,
            height=0.55,
            color=STATUS_COLORS[code],
            label=STATUS_NAMES[code],
            edgecolor=LIGHT_GREY if code == ReportStatus.PENDING else "white",
            hatch="//" if code == ReportStatus.PENDING else None,
        )
        for i, (w, x0, n) in enumerate(zip(widths, left, counts[code], strict=True)):
            if n and w / total >= 0.035:
                ax.text(
                    x0 + w / 2,
                    i,
                    str(int(n)),
                    ha="center",
                    va="center",
                    fontsize=12 if by == "round" else 11,
                    color="white" if code == ReportStatus.ON_TIME else style.COLORS["text"],
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    # Before a round's deadline a rate reads as failure: say how many have reported.
    # By kind every bar is the one round's, so one kind all in does not get a rate.
    round_open = bool(counts[ReportStatus.PENDING].any()) if by == "kind" else None
    for i, (_, row) in enumerate(counts.iterrows()):
        n = int(row.sum())
        if n:
            pending = int(row[ReportStatus.PENDING])
            sent = n - int(row[ReportStatus.MISSING]) - pending
            is_open = round_open if round_open is not None else bool(pending)
            label = f"已报送{sent}个" if is_open else f"报送率{fmt_pct_whole(sent / n)}"
            ax.text(left[i] + total * 0.01, i, label, va="center", fontsize=11)
    fontsize = 13 if by == "round" else 12
    ax.set_yticks(range(len(counts)), _drawable(names), fontsize=fontsize)
    ax.set_ylim(max(len(counts), 1) - 0.5, -0.5)
    if not int(expected.sum()):  # no round had started by the as-of date
        ax.text(0.5, 0.5, "统计截止日期前还没有开始的报送期次", transform=ax.transAxes,
                ha="center", va="center", fontsize=13, color=style.COLORS["text"])  # fmt: skip
    ax.set_xlim(0, total * 1.25)
    if by == "kind":
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("占本类别报送单位的比例")
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("报送单位数（个）")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if legend:
        shown = [c for c in STATUS_ORDER if c != ReportStatus.PENDING or counts[c].any()]
        handles, labels = ax.get_legend_handles_labels()
        keep = [STATUS_NAMES[c] for c in shown]
        pairs = [(h, lab) for h, lab in zip(handles, labels, strict=True) if lab in keep]
        ax.legend(
            [h for h, _ in pairs], [lab for _, lab in pairs],
            loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(pairs), fontsize=11,
        )  # fmt: skip
    if title is None:
        title = reporting_status_finding(status, campaign, round_code or campaign.rounds[-1].code)
    if title:
        set_title(ax, title)
    return ax


# ---------------------------------------------------------------- (e) cumulative curve


def coverage_curve_finding(curve: pd.DataFrame) -> str:
    """'覆盖率逐步攀升，截至9月30日全区达68.2%，乡镇领先'; no claim the data do not support."""
    d = _level(curve, Level.DISTRICT).sort_values("date")
    if d.empty:
        return "暂无覆盖率变化数据"
    first, last = d.iloc[0], d.iloc[-1]
    day = pd.Timestamp(last["date"])
    if not last["unit_coverage"] > 0:
        return f"截至{day.month}月{day.day}日尚无基层工会开展活动"
    rising = "覆盖率逐步攀升，" if last["unit_coverage"] > first["unit_coverage"] else ""
    text = f"{rising}截至{day.month}月{day.day}日全区达{fmt_pct(last['unit_coverage'])}"
    kinds = _level(curve, "kind")
    if not kinds.empty:
        final = kinds.sort_values("date").groupby("kind").tail(1)
        final = final.sort_values(["unit_coverage", "kind"], ascending=[False, True])
        if len(final) >= 2 and final.iloc[0]["unit_coverage"] > final.iloc[1]["unit_coverage"]:
            text += f"，{kind_name(final.iloc[0]['kind'])}领先"
    return text


def place_end_labels(
    values: list[float], gap: float = 0.045, low: float = 0.02, high: float = 1.0
) -> list[float]:
    """Heights for end labels at `values`, in their order: at least `gap` apart, inside
    [low, high], each as close to its value as that allows.

    Labels that would overlap form a stack centred on their values (a stack that would
    run above `high` is shifted down, not drawn above the axis); stacks that then
    overlap are merged and centred again.
    """

    def bottom(stack: list[float]) -> float:
        span = gap * (len(stack) - 1)
        centred = sum(stack) / len(stack) - span / 2
        return min(max(centred, low), high - span)

    stacks: list[list[float]] = []
    order = sorted(range(len(values)), key=lambda i: values[i])
    for i in order:
        stacks.append([values[i]])
        while len(stacks) > 1 and (
            bottom(stacks[-2]) + gap * len(stacks[-2]) > bottom(stacks[-1]) + 1e-9
        ):
            last = stacks.pop()
            stacks[-1].extend(last)
    placed = [bottom(stack) + gap * k for stack in stacks for k in range(len(stack))]
    heights = [0.0] * len(values)
    for i, y in zip(order, placed, strict=True):
        heights[i] = y
    return heights


# Top of the curve's y axis: 100%, and a little room above it for the end labels' tops.
CURVE_TOP = 1.06


def coverage_curve(
    curve: pd.DataFrame, campaign: Campaign, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Cumulative unit coverage per kind over the campaign, round boundaries marked.

    A kind without units (coverage NaN: not in this roster) is left out. Each line's
    last point is marked, so a line of one point (all activities in one week) shows.
    """
    ax = _ax(ax)
    curve = curve.assign(date=pd.to_datetime(curve["date"]))
    curve = curve[pd.to_numeric(curve["unit_coverage"], errors="coerce").notna()]
    kinds = _level(curve, "kind")
    ends = []
    # Not clipped: a mark at 0% or 100% shows whole.
    end_marker = {"marker": "o", "markevery": [-1], "markersize": 5, "clip_on": False}
    for kind, line in kinds.groupby("kind", sort=False):
        line = line.sort_values("date")
        color = style.KIND_COLORS.get(kind, GREY)
        ax.plot(
            line["date"], line["unit_coverage"], color=color, linewidth=1.6, alpha=0.9,
            **end_marker,
        )  # fmt: skip
        ends.append(
            (line["date"].iloc[-1], float(line["unit_coverage"].iloc[-1]), kind_name(kind), color)
        )
    district = _level(curve, Level.DISTRICT).sort_values("date")
    if not district.empty:
        ax.plot(
            district["date"],
            district["unit_coverage"],
            color=style.COLORS["text"],
            linewidth=3,
            **{**end_marker, "markersize": 7},
        )
        ends.append(
            (
                district["date"].iloc[-1],
                float(district["unit_coverage"].iloc[-1]),
                "全区",
                style.COLORS["text"],
            )
        )
    # End labels, nudged apart so they never overlap, kept inside 0-100% (clear of the
    # x axis), placed in data units 8 points right of the line's end: beside their values.
    heights = place_end_labels([value for _, value, _, _ in ends])
    beside = offset_copy(ax.transData, fig=ax.get_figure(), x=8, y=0, units="points")
    for (date, value, name, color), y in zip(ends, heights, strict=True):
        ax.annotate(
            style.drawable(f"{name} {fmt_pct_whole(value)}"),
            xy=(date, value),
            xytext=(mdates.date2num(date), y),
            textcoords=beside,
            va="center",
            fontsize=11,
            color=color,
            fontweight=style.bold_weight() if name == "全区" else "normal",
        )
    ylim_top = CURVE_TOP
    ax.set_ylim(0, ylim_top)
    for rnd in campaign.rounds:
        ax.axvline(pd.Timestamp(rnd.end), color=LIGHT_GREY, linestyle=":", linewidth=1)
        middle = pd.Timestamp(rnd.start) + (pd.Timestamp(rnd.end) - pd.Timestamp(rnd.start)) / 2
        ax.text(
            middle, ylim_top, style.drawable(rnd.name), ha="center", va="bottom", fontsize=10,
            color=GREY,
        )  # fmt: skip
    # To the campaign's end, or to the as-of date when that is later (the lines and their
    # end labels are drawn there: past the axis a label would not be drawn at all).
    first, last = (
        pd.Timestamp(campaign.start),
        max([pd.Timestamp(campaign.end), *(d for d, *_ in ends)]),
    )
    room = max(pd.Timedelta(days=20), (last - first) * 0.085)  # for the end labels
    ax.set_xlim(first, last + room)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{mdates.num2date(x).month}月"))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y")
    ax.set_ylabel("基层工会覆盖率（累计）")
    if title is None:
        title = coverage_curve_finding(curve)
    if title:
        set_title(ax, title, pad=22)
    return ax


# ---------------------------------------------------------------- (f) new since last round


def new_units(ranking: pd.DataFrame) -> pd.DataFrame:
    """Reporting units with `new`: unions newly covered since the previous round.

    Without a previous round (ranking has no units_covered_new) everything covered is new.
    """
    units = _level(ranking, "reporting_unit") if "level" in ranking.columns else ranking
    column = "units_covered_new" if "units_covered_new" in units.columns else "units_covered"
    new = pd.to_numeric(units[column], errors="coerce").fillna(0).astype(int)
    return units.assign(new=new).sort_values(["new", "group"], ascending=[False, True])


def new_coverage_finding(ranking: pd.DataFrame, round_name: str = "本期") -> str:
    """'第二阶段新增覆盖基层工会120家，长阳镇总工会新增最多（15家）' (ties said together)."""
    units = new_units(ranking)
    total = int(units["new"].sum())
    top = most_new(ranking)
    if total <= 0 or top is None:
        return f"{round_name}没有新增覆盖的基层工会"
    most = "并列新增最多" if top.tied else "新增最多"
    return f"{round_name}新增覆盖基层工会{total}家，{fmt_names(list(top.names), width=CHART_NAME_WIDTH)}{most}（{int(top.value)}家）"


def new_coverage_bars(
    ranking: pd.DataFrame,
    ax: Axes | None = None,
    title: str | None = None,
    top: int = 25,
    round_name: str = "本期",
) -> Axes:
    """Grassroots unions newly covered since the last round, per reporting unit, ranked.

    The label adds the change in unit coverage (percentage points) when known.
    """
    ax = _ax(ax)
    units = new_units(ranking)
    grew = units[units["new"] > 0]
    shown = grew.head(top)
    values = shown["new"].tolist()
    changes = shown["change"].tolist() if "change" in shown.columns else [None] * len(shown)
    ax.barh(range(len(values)), values, height=0.7, color=style.COLORS["primary"])
    fontsize = 10 if len(values) <= 15 else 9
    for i, (v, change) in enumerate(zip(values, changes, strict=True)):
        label = f"+{v}家"
        if change is not None and not pd.isna(change) and change > 0:
            points = half_up(change, 1)  # 12.5 as the 通报表 shows it, not 12; 50, not 50.0
            label += f"（覆盖率+{int(points) if points == int(points) else points}个百分点）"
        ax.text(v + max(values) * 0.01, i, label, va="center", fontsize=fontsize)
    ax.set_yticks(range(len(values)), _drawable(shown["group"]), fontsize=fontsize)
    ax.set_ylim(max(len(values), 1) - 0.5, -0.6)
    ax.set_xlim(0, max(values, default=1) * 1.45)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # 家: no half a union
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("新增覆盖基层工会（家）")
    notes = []
    if len(grew) > len(shown):
        notes.append(f"另有{len(grew) - len(shown)}个单位新增较少，未列出")
    if len(units) > len(grew):
        notes.append(f"{len(units) - len(grew)}个单位无新增")
    if not values:
        ax.text(
            0.5,
            0.5,
            style.drawable(f"{round_name}没有新增覆盖的基层工会"),
            transform=ax.transAxes,
            ha="center",
        )
    if notes:
        ax.text(
            0.99,
            0.02,
            "；".join(notes),
            transform=ax.transAxes,
            ha="right",
            fontsize=10,
            color=GREY,
        )
    if title is None:
        title = new_coverage_finding(ranking, round_name)
    if title:
        set_title(ax, title)
    return ax


# ---------------------------------------------------------------- rendering


def _figure(finding: str, note: str, panels: int = 1) -> tuple[Figure, list[Axes]]:
    """A 16:9 figure with the finding as headline and the source note at the bottom."""
    fig = plt.figure(figsize=style.SLIDE_FIGSIZE, layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0].tolist()
    set_title(
        fig,
        finding,
        x=0.01,
        ha="left",
        fontsize=20,
        fontweight=style.bold_weight(),
        color=style.COLORS["text"],
    )
    fig.supxlabel(style.drawable(note), x=0.01, ha="left", fontsize=9, color=GREY)
    return fig, axes


# zlib level of the PNGs: level 3 writes a chart in about 0.05 s less than the default 6
# (a quarter of its encoding time) for files about 4% larger.
PNG_COMPRESS_LEVEL = 3


def _write_png(fig: Figure, path: Path) -> None:
    """`fig` as a PNG of PNG_DPI at `path`, drawn once.

    What `savefig` writes, the same bytes, but `savefig` draws a figure with a layout
    engine twice: once with drawing switched off to solve the layout, then for real.
    The Agg canvas solves the constrained layout inside its one draw (as on screen).
    """
    import matplotlib.image as mimage
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    own_canvas, dpi = fig.canvas, fig.dpi
    canvas = own_canvas if isinstance(own_canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    try:
        fig.dpi = PNG_DPI
        canvas.draw()
        mimage.imsave(path, canvas.buffer_rgba(), format="png", origin="upper", dpi=PNG_DPI,
                      metadata={"Software": None},
                      pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})  # fmt: skip
    finally:
        fig.dpi = dpi
        if fig.canvas is not own_canvas:
            fig.set_canvas(own_canvas)


def _save(fig: Figure, out_dir: Path, key: str, title: str, svg: bool = True) -> ChartFile:
    """Save `fig` as PNG and (unless `svg` is False: the deck's own panels) SVG."""
    png, svg_path = out_dir / f"{key}.png", (out_dir / f"{key}.svg" if svg else None)
    # No tight bbox: it keeps the exact 16:9 size; constrained layout keeps text inside.
    # (No default layout either: set_layout_engine(None) below would take it.)
    standard = {"savefig.bbox": "standard", "figure.autolayout": False,
                "figure.constrained_layout.use": False}  # fmt: skip
    with plt.rc_context(standard):
        # Written aside and renamed: a notebook waiting for the PNG never reads half a file.
        partial = png.with_name(f".{png.name}.part")
        _write_png(fig, partial)
        partial.replace(png)
        if svg_path is not None:
            # The layout is settled: no engine, so that savefig neither solves it again
            # nor draws the figure once more beforehand to let an engine run.
            fig.set_layout_engine(None)
            fig.savefig(svg_path, metadata={"Date": None})
    headline = getattr(fig, "_suptitle", None)
    fraction = 0.0
    if headline is not None:
        box = headline.get_window_extent(fig.canvas.get_renderer())
        fraction = max(0.0, min(0.2, 1 - (box.y0 - 4) / fig.bbox.height))
    plt.close(fig)
    return ChartFile(
        key=key, title=title, png=png, svg=svg_path, headline_fraction=round(fraction, 4)
    )


def _panels(figures: Figures) -> list[slice]:
    units = ranked_units(figures.coverage, collapse=COLLAPSE_SINGLE, ranking=figures.ranking)
    return split_panels(units["kind"].tolist())


def _unit_coverage(figures: Figures) -> tuple[str, Figure]:
    title = unit_coverage_finding(figures.coverage)
    panels = _panels(figures)
    fig, axes = _figure(title, figures.source_note, len(panels))
    for ax, rows in zip(axes, panels, strict=True):
        unit_coverage_bars(figures.coverage, ax=ax, title="", rows=rows, ranking=figures.ranking)
    return title, fig


def _participation(figures: Figures) -> tuple[str, Figure]:
    title = participation_finding(figures.coverage)
    fig, (ax,) = _figure(title, figures.source_note)
    participation_bars(figures.coverage, ax=ax, title="")
    return title, fig


def _work_items(figures: Figures) -> tuple[str, Figure]:
    title = work_item_finding(figures.by_item, figures.campaign)
    panels = _panels(figures)
    fig, axes = _figure(title, figures.source_note, len(panels))
    for ax, rows in zip(axes, panels, strict=True):
        work_item_heatmap(
            figures.by_item, figures.coverage, figures.campaign, ax=ax, title="", rows=rows,
            ranking=figures.ranking,
        )  # fmt: skip
    return title, fig


def _reporting_status(figures: Figures) -> tuple[str, Figure]:
    title = figures.reporting_fact()
    fig, (by_round, by_kind) = _figure(title, figures.status_note, 2)
    reporting_status_bars(
        figures.status, figures.campaign, figures.round_code, ax=by_round, title=""
    )
    set_title(by_round, "各期报送情况", fontsize=14)
    reporting_status_bars(
        figures.status,
        figures.campaign,
        figures.round_code,
        ax=by_kind,
        title="",
        by="kind",
        legend=False,
    )
    set_title(by_kind, f"{figures.round_name}分类别报送情况", fontsize=14)
    return title, fig


def _coverage_curve(figures: Figures) -> tuple[str, Figure]:
    title = coverage_curve_finding(figures.curve)
    fig, (ax,) = _figure(title, figures.source_note)
    coverage_curve(figures.curve, figures.campaign, ax=ax, title="")
    return title, fig


def _new_round_name(figures: Figures) -> str:
    return figures.round_name if figures.previous is not None else "活动开展以来"


def _new_coverage(figures: Figures) -> tuple[str, Figure]:
    round_name = _new_round_name(figures)
    title = new_coverage_finding(figures.ranking, round_name)
    fig, (ax,) = _figure(title, figures.round_note)
    new_coverage_bars(figures.ranking, ax=ax, title="", round_name=round_name)
    return title, fig


# Each chart of the briefing: its file name and the function drawing its 16:9 figure.
CHARTS = {
    "01_unit_coverage": _unit_coverage,
    "02_participation": _participation,
    "03_work_items": _work_items,
    "04_reporting_status": _reporting_status,
    "05_coverage_curve": _coverage_curve,
    "06_new_coverage": _new_coverage,
}
CHART_KEYS = tuple(CHARTS)
# The finding that titles each chart, without drawing it (the notebook's alt text).
FINDINGS = {
    "01_unit_coverage": lambda f: unit_coverage_finding(f.coverage),
    "02_participation": lambda f: participation_finding(f.coverage),
    "03_work_items": lambda f: work_item_finding(f.by_item, f.campaign),
    "04_reporting_status": lambda f: f.reporting_fact(),
    "05_coverage_curve": lambda f: coverage_curve_finding(f.curve),
    "06_new_coverage": lambda f: new_coverage_finding(f.ranking, _new_round_name(f)),
}


def chart_title(figures: Figures, key: str) -> str:
    """The finding that titles chart `key` (the same sentence its headline says)."""
    return FINDINGS[key](figures)


def chart_png(figures: Figures, key: str, dpi: int = 100) -> bytes:
    """Chart `key` drawn now as PNG bytes (a notebook run without `make briefing`'s charts)."""
    import io

    buffer = io.BytesIO()
    # Fonts are looked up when drawing: save inside the house style too.
    with style.house_style(), plt.rc_context({"savefig.bbox": "standard"}):
        _, fig = CHARTS[key](figures)
        fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()


def chart_figure(figures: Figures, key: str) -> Figure:
    """One briefing chart as a 16:9 Figure in the house style, drawable anywhere.

    matplotlib resolves font families when it draws, so the CJK font is pinned on
    every text here: the figure renders correctly outside `style.house_style()` too.
    """
    with style.house_style():
        _, fig = CHARTS[key](figures)
        family = list(plt.rcParams["font.sans-serif"])
    for text in fig.findobj(Text):
        text.set_fontfamily(family)
    return fig


# The chart the deck draws one panel per slide (61 units do not read as two panels on
# a projected slide).
SPLIT_ON_SLIDES = "01_unit_coverage"


@_one_ranking()
def deck_panels(figures: Figures, out_dir: Path) -> list[ChartFile]:
    """Chart 01 drawn one panel per slide (each panel a full 16:9 figure, titled with the
    finding and "（1/2）"), PNG only; [] when it has one panel."""
    panels = _panels(figures)
    if len(panels) < 2:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    finding = unit_coverage_finding(figures.coverage)
    split: list[ChartFile] = []
    with style.house_style():
        for i, rows in enumerate(panels, start=1):
            title = f"{finding}（{i}/{len(panels)}）"
            fig, (ax,) = _figure(title, figures.source_note)
            unit_coverage_bars(
                figures.coverage, ax=ax, title="", rows=rows, ranking=figures.ranking
            )
            ax.tick_params(axis="y", labelsize=13)
            for text in ax.texts:  # values and kind labels, read from the back of the room
                text.set_fontsize(max(text.get_fontsize(), 12))
            split.append(_save(fig, out_dir, f"{SPLIT_ON_SLIDES}_{i}", title, svg=False))
    return split


def deck_charts(
    figures: Figures, charts: list[ChartFile], out_dir: Path,
    panels: list[ChartFile] | None = None,
) -> list[ChartFile]:  # fmt: skip
    """The charts for the deck: `charts`, with chart 01 replaced by its panels
    (`deck_panels`, drawn here unless given) when it has several."""
    split = deck_panels(figures, out_dir) if panels is None else panels
    if not split:
        return list(charts)
    out: list[ChartFile] = []
    for chart in charts:
        out.extend(split if chart.key == SPLIT_ON_SLIDES else [chart])
    return out


@_one_ranking()
def render_all(
    figures: Figures, out_dir: Path, keys: Iterable[str] | None = None
) -> list[ChartFile]:
    """Draw every chart (or those of `keys`, in CHARTS order) once; save PNG (200 dpi,
    12.8x7.2 in) and SVG from the same Figure."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(CHARTS if keys is None else keys)
    files: list[ChartFile] = []
    with style.house_style():
        for key, draw in CHARTS.items():
            if key not in wanted:
                continue
            title, fig = draw(figures)
            files.append(_save(fig, out_dir, key, title))
    return files
