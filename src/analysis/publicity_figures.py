"""Publicity figures (work item 3): outputs per district, kind and reporting unit, per round.

Pure functions over publicity.csv (as the ingest writes it or as read back), and
the briefing's pieces built from them: the sentence ("全区共编发简报N期、…"), the
chart (outputs by type, stacked by kind, a finding as its title), the 通报表's
宣传成果 sheet. Kept apart from publicity.py (the reading) so that editing a figure
does not invalidate the ingest's parse cache. Decisions:

- A cumulative sheet's count replaces the union's running total for that output
  (the latest cumulative total, never a sum of cumulative totals); per-round counts
  add to it. A round's `count` is what its end's `to_date` adds to the previous one.
- The briefing's totals leave out counts warned as far beyond the unit's size, and
  the sentence and chart say how many and how much; publicity.csv keeps them as written.
- Counts of an unknown round, missing counts and rows not accepted are not counted.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.campaign import Campaign
from analysis.publicity import PUBLICITY_COLUMNS

FIGURE_COLUMNS = ["level", "kind", "group", "output", "round", "count", "to_date"]
DISTRICT = "全区"


IMPLAUSIBLE = "publicity_count_implausible"


def counted(publicity: pd.DataFrame, plausible_only: bool = False) -> pd.DataFrame:
    """The accepted counts with a number (what the figures add up), typed.

    Takes publicity.csv as written or as read back (text or typed columns alike).
    `plausible_only` leaves out counts warned as far beyond the unit's size.
    """
    if publicity is None or publicity.empty:
        return pd.DataFrame(columns=list(PUBLICITY_COLUMNS))
    frame = publicity.assign(
        count=pd.to_numeric(publicity["count"], errors="coerce"),
        cumulative=publicity["cumulative"].astype(str).str.lower().eq("true"),
        kind=publicity["kind"].fillna("").astype(str),
        grassroots_unit=publicity["grassroots_unit"].fillna("").astype(str),
        round=publicity["round"].fillna("").astype(str),
    )
    keep = (frame["state"] == "accepted") & frame["count"].notna()
    if plausible_only:
        keep &= ~frame["reason"].astype(str).str.contains(IMPLAUSIBLE)
    return frame[keep]


def publicity_by_round(
    publicity: pd.DataFrame, campaign: Campaign, plausible_only: bool = False
) -> pd.DataFrame:
    """Outputs per level (district, kind, reporting unit), output type and round.

    `to_date` is the total since the campaign began as of the round's end, `count`
    what the round added. For each union (or federation) and output, a cumulative
    sheet's figure replaces the running total (the latest cumulative total, never a
    sum of cumulative totals); per-round counts add to it. Counts of an unknown
    round are left out; with `plausible_only`, so are implausible counts (the
    briefing's totals, which say so). Columns: FIGURE_COLUMNS.
    """
    rows = counted(publicity, plausible_only)
    codes = [r.code for r in campaign.rounds]
    rows = rows[rows["round"].isin(codes)]
    if rows.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    key = ["reporting_unit", "kind", "grassroots_unit", "output"]

    def by_round(part: pd.DataFrame) -> pd.DataFrame:
        return part.groupby([*key, "round"])["count"].sum().unstack("round")

    per, cum = by_round(rows[~rows["cumulative"]]), by_round(rows[rows["cumulative"]])
    index = per.index.union(cum.index)
    per = per.reindex(index=index, columns=codes)
    cum = cum.reindex(index=index, columns=codes)
    covers = _federation_totals(rows, index, codes)
    running = pd.Series(0.0, index=index)
    parts = []
    for code in codes:
        before = running
        running = cum[code].where(cum[code].notna(), running + per[code].fillna(0.0))
        # A federation's own running total sent without its unions' breakdown (a long
        # table, “截至9月底累计 微信 10”) covers the unions it listed before: theirs end.
        running = running.where(~covers[code], 0.0)
        parts.append(pd.DataFrame({"round": code, "count": running - before, "to_date": running}))
    units = pd.concat(parts).reset_index()
    sums = {"count": ("count", "sum"), "to_date": ("to_date", "sum")}
    by_unit = units.groupby(["kind", "reporting_unit", "output", "round"], as_index=False).agg(
        **sums
    )
    by_kind = units.groupby(["kind", "output", "round"], as_index=False).agg(**sums)
    district = units.groupby(["output", "round"], as_index=False).agg(**sums)
    table = pd.concat(
        [
            district.assign(level="district", kind="", group=DISTRICT),
            by_kind.assign(level="kind", group=by_kind["kind"]),
            by_unit.assign(level="reporting_unit").rename(columns={"reporting_unit": "group"}),
        ],
        ignore_index=True,
    )
    from analysis import config

    order = {
        "level": {lv: i for i, lv in enumerate(("district", "kind", "reporting_unit"))},
        "kind": {k: i for i, k in enumerate(("", *config.KINDS))},
        "output": {c: i for i, c in enumerate(campaign.publicity.codes)},
        "round": {c: i for i, c in enumerate(codes)},
    }
    sort = [table[c].map(m).fillna(len(m)) for c, m in order.items()]
    table = table.assign(**{f"_{i}": s for i, s in enumerate(sort)})
    table = table.sort_values(["_0", "_1", "group", "_2", "_3"], kind="stable")
    return table[FIGURE_COLUMNS].reset_index(drop=True)


def _by_round(
    publicity: pd.DataFrame, campaign: Campaign, plausible_only: bool,
    tables: Mapping[bool, pd.DataFrame] | None,
) -> pd.DataFrame:  # fmt: skip
    """`publicity_by_round(publicity, campaign, plausible_only)`, taken from `tables` (both
    of them, keyed by `plausible_only`, as `figures_tables` gives them) when given."""
    if tables is not None and plausible_only in tables:
        return tables[plausible_only]
    return publicity_by_round(publicity, campaign, plausible_only)


def _federation_totals(rows: pd.DataFrame, index: pd.MultiIndex, codes: list[str]) -> pd.DataFrame:
    """{round: mask of `index`}: the unions' entries (reporting unit, kind, union, output)
    whose running totals a federation-level cumulative count of that round replaces —
    the reporting unit sent, for that output and round, a running total for itself and
    none for any of its unions."""
    masks = pd.DataFrame(False, index=index, columns=codes)
    cumulative = rows[rows["cumulative"]]
    if cumulative.empty:
        return masks
    union = cumulative["grassroots_unit"].astype(str) != ""
    own = cumulative.loc[~union, ["reporting_unit", "output", "round"]].drop_duplicates()
    listed = cumulative.loc[union, ["reporting_unit", "output", "round"]].drop_duplicates()
    whole = own.merge(listed, how="left", indicator=True).query("_merge == 'left_only'")
    if whole.empty:
        return masks
    entries = index.to_frame(index=False)
    for record in whole.itertuples(index=False):
        hit = (
            (entries["reporting_unit"] == record.reporting_unit)
            & (entries["output"] == record.output)
            & (entries["grassroots_unit"].astype(str) != "")
        )
        masks.loc[hit.to_numpy(), record.round] = True
    return masks


def at_round(table: pd.DataFrame, round_code: str, level: str = "district") -> pd.DataFrame:
    """The figures of one level at one round (rows of `publicity_by_round`)."""
    return table[(table["level"] == level) & (table["round"] == round_code)]


def _amount(value: float) -> str:
    from analysis.formats import fmt_count

    return fmt_count(value) if float(value).is_integer() else f"{value:g}"


def _phrases(table: pd.DataFrame, campaign: Campaign, round_code: str, limit: int = 0) -> list[str]:
    district = at_round(table, round_code)
    district = district[district["to_date"] > 0]
    if limit:
        district = district.sort_values("to_date", ascending=False, kind="stable").head(limit)
    return [
        campaign.publicity.phrase(o, _amount(n))
        for o, n in zip(district["output"], district["to_date"], strict=True)
    ]


def publicity_sentence(
    publicity: pd.DataFrame, campaign: Campaign, round_code: str, as_of=None,
    when: str | None = None, tables: Mapping[bool, pd.DataFrame] | None = None,
) -> str:  # fmt: skip
    """'截至…，全区共编发简报N期、刊发体会文章和评论N篇、微信推送N条…' ('' without counts).

    `when` says what the counts are counted to ('截至2020年2月3日', '截至第一阶段末'),
    else '截至<as_of>', else '截至<round>末'. Implausible counts are not in the totals;
    the sentence says how many and how much. `tables`: the publicity_by_round tables of
    `publicity` when the caller has them (`figures_tables`).
    """
    from analysis.formats import fmt_date

    table = _by_round(publicity, campaign, True, tables)
    phrases = _phrases(table, campaign, round_code)
    if not phrases:
        return ""
    rows = _to_round(publicity, campaign, round_code)
    units = rows["reporting_unit"].nunique()
    reasons = rows["reason"].astype(str)
    n_implausible, left_out = _left_out(publicity, campaign, round_code, tables)
    odd = int(reasons.str.contains("publicity_count_negative|publicity_count_fractional").sum())
    if when is None:
        when = (
            f"截至{fmt_date(as_of)}"
            if as_of
            else f"截至{campaign.rounds_by_code[round_code].name}末"
        )
    # How running totals were taken, only when some count is one.
    running = "，累计数取各单位最新累计值" if _says_cumulative(rows) else ""
    text = f"{when}，全区共{'、'.join(phrases)}（据{units}个单位报送的宣传成果统计{running}"
    if n_implausible:
        text += (
            f"；另有{n_implausible}个数量远超单位规模（合计{_amount(left_out)}），"
            "未计入上述合计，请核对"
        )
    if odd:
        text += f"；{odd}个数量为负数或非整数，已按原数计入，请核对"
    return text + "）。"


def _says_cumulative(rows: pd.DataFrame) -> bool:
    """Whether any of the counted rows is a running total (`cumulative` True)."""
    if "cumulative" not in rows.columns:
        return False
    flags = rows["cumulative"]
    return bool(flags.astype(str).str.lower().isin(("true", "1")).any())


def _to_round(publicity: pd.DataFrame, campaign: Campaign, round_code: str) -> pd.DataFrame:
    """The counted publicity rows of the rounds up to `round_code`."""
    rows = counted(publicity)
    codes = [r.code for r in campaign.rounds]
    return rows[rows["round"].isin(codes[: codes.index(round_code) + 1])]


def implausible_note(
    publicity: pd.DataFrame | None, campaign: Campaign, round_code: str,
    tables: Mapping[bool, pd.DataFrame] | None = None,
) -> str:  # fmt: skip
    """'注：另有3个数量远超单位规模（合计1.5万），未计入上表…' for the 宣传成果 sheet ('' if none).

    `tables` as for `publicity_sentence`."""
    if publicity is None or publicity.empty:
        return ""
    n_implausible, left_out = _left_out(publicity, campaign, round_code, tables)
    if not n_implausible:
        return ""
    return (
        f"注：另有{n_implausible}个数量远超单位规模（合计{_amount(left_out)}），"
        "未计入上表，请核对（见数据明细的问题清单）。"
    )


def _left_out(
    publicity: pd.DataFrame, campaign: Campaign, round_code: str,
    tables: Mapping[bool, pd.DataFrame] | None = None,
) -> tuple[int, float]:  # fmt: skip
    """(how many counts, how much) the plausibility rule leaves out of the district's totals
    to date at `round_code`: what the totals would add, as chart 07 hatches it, never a
    sum of running totals (500 by round one and 600 by round two are one count of 600).
    A count is one union's (or federation's) output whose figure to date was left out."""
    rows = _to_round(publicity, campaign, round_code)
    implausible = rows[rows["reason"].astype(str).str.contains(IMPLAUSIBLE)]
    if implausible.empty:
        return 0, 0.0
    every = at_round(_by_round(publicity, campaign, False, tables), round_code)
    clean = at_round(_by_round(publicity, campaign, True, tables), round_code)
    diff = every.set_index("output")["to_date"].sub(
        clean.set_index("output")["to_date"], fill_value=0.0
    )
    keys = ["reporting_unit", "grassroots_unit", "output"]
    n = len(implausible.drop_duplicates([k for k in keys if k in implausible.columns]))
    return n, float(diff[diff > 0].sum())


def publicity_finding(table: pd.DataFrame, campaign: Campaign, round_code: str) -> str:
    """The chart's headline: '全区共微信推送120条、编发简报40期，微信推送中乡镇占58%'.

    From the plausible counts (the briefing's totals).
    """
    from analysis.formats import fmt_pct_whole, kind_name

    phrases = _phrases(table, campaign, round_code, limit=2)
    if not phrases:
        return "暂无宣传成果统计数据"
    district = at_round(table, round_code)
    top = district.sort_values("to_date", ascending=False, kind="stable").iloc[0]
    kinds = at_round(table, round_code, "kind")
    kinds = kinds[kinds["output"] == top["output"]].sort_values(
        ["to_date", "kind"], ascending=[False, True], kind="stable"
    )
    text = f"全区共{'、'.join(phrases)}"
    if len(kinds) >= 2 and top["to_date"] > 0:
        lead = kinds.iloc[0]
        share = fmt_pct_whole(lead["to_date"] / top["to_date"])
        text += f"，{campaign.publicity.name(top['output'])}中{kind_name(lead['kind'])}占{share}"
    return text


def publicity_bars(table: pd.DataFrame, campaign: Campaign, round_code: str, ax=None,
                   title: str | None = None, doubtful: pd.Series | None = None):  # fmt: skip
    """Outputs by type (rows, largest first), stacked by kind, to date at the round; returns ax.

    `table` holds the plausible counts (`publicity_by_round(..., plausible_only=True)`);
    `doubtful` (by output) the implausible ones, named beside the bar, not in the totals.
    """
    import matplotlib.pyplot as plt

    from analysis import config, style
    from analysis.formats import kind_name

    ax = ax if ax is not None else plt.gca()
    district = at_round(table, round_code)
    district = district[district["to_date"] > 0].sort_values("to_date", ascending=False)
    outputs = district["output"].tolist()
    kinds = at_round(table, round_code, "kind")
    labels = [f"{campaign.publicity.name(o)}（{campaign.publicity.unit(o)}）" for o in outputs]
    left = pd.Series(0.0, index=outputs)
    for kind in config.KINDS:
        part = kinds[kinds["kind"] == kind].set_index("output")["to_date"]
        values = part.reindex(outputs).fillna(0.0).clip(lower=0)
        if not values.any():
            continue
        ax.barh(range(len(outputs)), values.to_numpy(), left=left.to_numpy(), height=0.6,
                color=style.KIND_COLORS.get(kind, style.COLORS["muted"]), label=kind_name(kind))  # fmt: skip
        left = left + values.to_numpy()
    top = float(left.max()) if len(left) else 0.0
    # Implausible counts would dwarf the others: named beside the total, not drawn.
    extra = (doubtful if doubtful is not None else pd.Series(dtype=float)).reindex(outputs)
    for i, (total, more) in enumerate(zip(left, extra.fillna(0.0), strict=True)):
        text = _amount(total) + (
            f"（另有{_amount(more)}远超单位规模，待核对，未计入）" if more else ""
        )
        ax.text(total + top * 0.01, i, text, va="center", fontsize=11)
    ax.set_yticks(range(len(outputs)), labels, fontsize=12)
    ax.set_ylim(len(outputs) - 0.5, -0.5)
    ax.set_xlim(0, top * (1.45 if extra.notna().any() else 1.12) if top > 0 else 1)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(f"截至{campaign.rounds_by_code[round_code].name}的数量（各按其计量单位）")
    if outputs:
        ax.legend(loc="lower right", frameon=False, fontsize=11, title="报送单位类别")
    if title is None:
        title = publicity_finding(table, campaign, round_code)
    if title:
        ax.set_title(title)
    return ax


def sheet_frame(table: pd.DataFrame, campaign: Campaign, round_code: str) -> pd.DataFrame:
    """The 通报表's publicity sheet: 全区, each kind, each reporting unit x output, to date.

    Columns 单位, 类别 and one per output type reported ('微信（条）'); '' without counts.
    """
    from analysis.formats import kind_name

    rows = table[table["round"] == round_code]
    if rows.empty or not (rows["to_date"] > 0).any():
        return pd.DataFrame()
    outputs = [o for o in campaign.publicity.codes if o in set(rows["output"])]
    wide = rows.pivot_table(
        index=["level", "kind", "group"], columns="output", values="to_date", sort=False
    ).reindex(columns=outputs)
    wide.columns = [
        f"{campaign.publicity.name(o)}（{campaign.publicity.unit(o)}）" for o in outputs
    ]
    wide = wide.reset_index()
    names = wide["group"].where(wide["level"] != "kind", wide["kind"].map(kind_name) + "合计")
    frame = pd.DataFrame(
        {"单位": names, "类别": wide["kind"].map(lambda k: kind_name(k) if k else "")}
    )
    for column in wide.columns[3:]:
        frame[column] = pd.Series(  # whole numbers stay whole; blank where none was reported
            [None if pd.isna(v) else _number(v) for v in wide[column]], dtype=object
        )
    return frame


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def figures_tables(figures) -> dict[bool, pd.DataFrame]:
    """{plausible_only: publicity_by_round(figures.publicity, ...)}, worked out once per
    figures model and kept in it (`Figures.publicity_tables`, saved with it): the
    sentence, chart 07, the 通报表 and notebook 03 each ask for them, in several processes
    of one `make briefing`. {} without publicity rows."""
    rows = getattr(figures, "publicity", None)
    if rows is None or rows.empty:
        return {}
    kept = getattr(figures, "publicity_tables", None)
    if kept is None:
        kept = figures.publicity_tables = {}
    for plausible_only in (False, True):
        if plausible_only not in kept:
            kept[plausible_only] = publicity_by_round(rows, figures.campaign, plausible_only)
    return kept


def briefing_figures(figures, plausible_only: bool = True) -> pd.DataFrame:
    """`publicity_by_round` of the figures model (its `publicity` rows), empty without them."""
    tables = figures_tables(figures)
    if not tables:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    return tables[plausible_only]


def doubtful_by_output(figures) -> pd.Series:
    """District totals to date that implausible counts would add, by output (the hatched part)."""
    every = at_round(briefing_figures(figures, False), figures.round_code)
    clean = at_round(briefing_figures(figures, True), figures.round_code)
    diff = every.set_index("output")["to_date"].sub(
        clean.set_index("output")["to_date"], fill_value=0.0
    )
    return diff[diff > 0]


def briefing_sentence(figures) -> str:
    """The briefing's publicity sentence ('' when no unit reported counts)."""
    rows = getattr(figures, "publicity", None)
    if rows is None or rows.empty:
        return ""
    # Counts from the reports received by the report date, to the round's end when a
    # later round had begun (its counts are not in them): Figures.publicity_when.
    return publicity_sentence(
        rows, figures.campaign, figures.round_code, when=figures.publicity_when,
        tables=figures_tables(figures),
    )  # fmt: skip


def render_chart(figures, out_dir) -> list:
    """The publicity chart as a briefing chart file (PNG + SVG); [] when no unit reported counts."""
    from pathlib import Path

    from analysis import charts, style

    table = briefing_figures(figures)
    if at_round(table, figures.round_code).query("to_date > 0").empty:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with style.house_style():
        title = publicity_finding(table, figures.campaign, figures.round_code)
        fig, (ax,) = charts._figure(title, figures.publicity_note)
        publicity_bars(table, figures.campaign, figures.round_code, ax=ax, title="",
                       doubtful=doubtful_by_output(figures))  # fmt: skip
        return [charts._save(fig, out_dir, "07_publicity", title)]
