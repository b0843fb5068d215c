"""The figures model: every figure the briefing shows, worked out once.

Charts, the slide deck, the 通报表, the HTML page, the prose and the notebooks only
read a `Figures` value; none of them ranks, sorts by coverage or applies a threshold
on its own. `compute` builds it from the ingest's tables (in memory, or read back
from the Parquet files the ingest wrote) and recomputes nothing the ingest already
computed: the coverage and work-item tables are the ingest's.

The rules (docs/figures.md):

- Ranks, ties and thresholds are decided on the coverage as printed (one decimal of
  a percent, `formats.shown_pct`): two units printed 91.7% share a rank.
- Reporting units are ranked within their kind by unit coverage; equal coverage
  shares the rank (competition ranking: 1, 1, 3), ties listed by name.
- Directly affiliated unions (kind `direct`) are each a reporting unit of one union:
  0% or 100%. They are not ranked against each other; they are counted as a group
  (how many at 100%, how many at 0%) and listed without a rank.
- Bands: a ranked unit below LOW_COVERAGE is `low`, at or above HIGH_COVERAGE `high`.
  The prose's counts, the 通报表's shading and chart 01's colours are these bands.
- Highest and lowest are the ranked units (all kinds but `direct`) at the top and
  bottom coverage; several at the same figure are said as a tie.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, coverage, reporting
from analysis.campaign import Campaign, Round
from analysis.formats import fmt_count, fmt_date, fmt_day_near, fmt_pct, fmt_points, shown_pct
from analysis.model import FileState, Kind, Level, RowState
from analysis.roster import Roster

SOURCE = "各单位报送表"
# Below this unit coverage a ranked reporting unit is named as lagging (shaded red).
LOW_COVERAGE = 0.5
# At or above this unit coverage a ranked reporting unit is shaded green.
HIGH_COVERAGE = 0.8
LOW, HIGH = "low", "high"
# Kinds whose reporting units are single unions: counted as a group, never ranked.
UNRANKED_KINDS: frozenset[str] = frozenset({Kind.DIRECT})
# Columns of the ranking table, in order (the previous-round ones only with a previous round).
RANKING_COLUMNS: tuple[str, ...] = (
    "kind",
    "group",
    "rank",
    "tied",
    "band",
    *coverage.COVERAGE_COLUMNS[3:],
    "participants_per_100",
)
PREVIOUS_COLUMNS: tuple[str, ...] = (
    "unit_coverage_prev",
    "change",
    "rank_prev",
    "rank_change",
    "units_covered_new",
)


# --------------------------------------------------------------------------- ranking


def rank_units(
    table: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    round_end: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The one ranking of reporting units, in report order (the 通报表's and chart 01's).

    `table` is a coverage table (its reporting_unit rows are used). Rows: kinds in
    config.KINDS order; within a kind by coverage as printed (highest first, a unit
    without unions last), ties by name. Columns: RANKING_COLUMNS: `rank` (Int64, NA for
    unranked kinds), `tied` (another unit of the kind has the same rank), `band`
    (LOW / HIGH / ""). With `previous` (the coverage table at the previous round's
    end) also PREVIOUS_COLUMNS: `change` in percentage points, `rank_change` positive
    when the unit moved up, NA when either rank is NA.

    The change over the round compares `previous` with `round_end` (the coverage table
    at the round's end, when the round ended before `table`'s date and a later round
    has begun), else with `table` itself; `unit_coverage_end` then says that figure.
    """
    units = table.loc[table["level"] == Level.REPORTING_UNIT].copy()
    units["kind"] = units["kind"].astype(str)
    if "participants_per_100" not in units:
        members = units["members_total"].astype(float).where(lambda s: s > 0)
        units["participants_per_100"] = units["participants"].astype(float) / members * 100
    shown = units["unit_coverage"].map(shown_pct).astype(float)
    ranked = ~units["kind"].isin(UNRANKED_KINDS)
    rank = shown.groupby(units["kind"]).rank(method="min", ascending=False, na_option="bottom")
    units["rank"] = pd.array(np.where(ranked, rank, np.nan), dtype="Float64").astype("Int64")
    same = units.assign(_rank=units["rank"]).groupby(["kind", "_rank"])["group"].transform("size")
    units["tied"] = (ranked & (same > 1)).astype(bool)
    band = np.select(
        [ranked & (shown < LOW_COVERAGE * 100), ranked & (shown >= HIGH_COVERAGE * 100)],
        [LOW, HIGH],
        default="",
    )
    units["band"] = band
    order = {k: i for i, k in enumerate(coverage._kind_order(units["kind"].unique()))}
    units = units.assign(_k=units["kind"].map(order), _s=shown.fillna(-1.0)).sort_values(
        ["_k", "_s", "group"], ascending=[True, False, True], kind="stable"
    )
    columns = list(RANKING_COLUMNS)
    if previous is not None:
        prev = rank_units(previous).set_index("group")
        now = units.set_index("group")
        if round_end is not None:
            now = rank_units(round_end).set_index("group")
            units["unit_coverage_end"] = units["group"].map(now["unit_coverage"])
            columns.append("unit_coverage_end")
        units["unit_coverage_prev"] = units["group"].map(prev["unit_coverage"])
        coverage_now = units["group"].map(now["unit_coverage"]).astype(float)
        units["change"] = (coverage_now - units["unit_coverage_prev"]) * 100
        units["rank_prev"] = units["group"].map(prev["rank"]).astype("Int64")
        units["rank_change"] = units["rank_prev"] - units["group"].map(now["rank"]).astype("Int64")
        units["units_covered_new"] = (
            units["group"].map(now["units_covered"]) - units["group"].map(prev["units_covered"])
        ).astype("Int64")
        columns += PREVIOUS_COLUMNS
    elif round_end is not None:  # the first round, when a later one has begun: new at its end
        now = rank_units(round_end).set_index("group")
        units["unit_coverage_end"] = units["group"].map(now["unit_coverage"])
        units["units_covered_new"] = units["group"].map(now["units_covered"]).astype("Int64")
        columns += ["unit_coverage_end", "units_covered_new"]
    return units.loc[:, columns].reset_index(drop=True)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Standing:
    """Reporting units sharing one figure (the highest, the lowest…): names and value."""

    names: tuple[str, ...]
    value: float

    @property
    def tied(self) -> bool:
        return len(self.names) > 1


@dataclass(frozen=True)
class DirectGroup:
    """The directly affiliated unions as a group: how many, at 100%, at 0%."""

    total: int
    covered: int  # at 100%: the union has an accepted activity
    not_covered: tuple[str, ...]  # at 0%, by name

    @property
    def uncovered(self) -> int:
        return len(self.not_covered)


def _extreme(frame: pd.DataFrame, column: str, highest: bool) -> Standing | None:
    """The rows of `frame` at the top (or bottom) of `column`, compared as printed."""
    values = frame[column].map(shown_pct) if column == "unit_coverage" else frame[column]
    values = values.astype(float)
    if values.dropna().empty:
        return None
    best = values.max() if highest else values.min()
    names = frame.loc[values == best, "group"].astype(str).sort_values(kind="stable")
    raw = frame.loc[values == best, column].astype(float).iloc[0]
    return Standing(tuple(names), float(raw))


def kind_extremes(table: pd.DataFrame) -> tuple[Standing, Standing] | None:
    """(leading kinds, lagging kinds) by unit coverage; None when fewer than two kinds
    have unions or all are level."""
    kinds = table[(table["level"] == Level.KIND) & (table["units_total"] > 0)]
    kinds = kinds.assign(group=kinds["kind"].astype(str))
    if len(kinds) < 2:
        return None
    best, worst = _extreme(kinds, "unit_coverage", True), _extreme(kinds, "unit_coverage", False)
    if best is None or worst is None or shown_pct(best.value) == shown_pct(worst.value):
        return None
    return best, worst


def most_new(ranking: pd.DataFrame) -> Standing | None:
    """The reporting units with the most unions newly covered (value: how many), or None."""
    column = "units_covered_new" if "units_covered_new" in ranking.columns else "units_covered"
    frame = ranking.assign(new=pd.to_numeric(ranking[column], errors="coerce").fillna(0))
    top = _extreme(frame, "new", True)
    return top if top is not None and top.value > 0 else None


# --------------------------------------------------------------------------- the model


@dataclass
class Figures:
    """Every figure the briefing shows, for one as-of date and round.

    coverage, by_item: the ingest's coverage tables (levels district/kind/reporting_unit);
    previous: coverage as of the previous round's end (None for the first round);
    ranking: rank_units(coverage, previous); status, rates, not_reported, not_reached,
    curve: as reporting.py and coverage.py return them.
    """

    campaign: Campaign
    round_code: str
    as_of: dt.date
    coverage: pd.DataFrame
    ranking: pd.DataFrame
    by_item: pd.DataFrame
    curve: pd.DataFrame
    status: pd.DataFrame
    rates: pd.DataFrame
    not_reported: pd.DataFrame
    not_reached: pd.DataFrame
    previous: pd.DataFrame | None = None
    is_demo: bool = False
    source: str = SOURCE
    # The ingest's summary for the analyst (IngestResult.summary_zh), shown by notebook 01.
    summary: str = ""
    # Where `make briefing` draws this run's charts (the notebook shows those PNGs).
    charts_dir: Path | None = None
    # Ingest tables the notebooks show (files read, problems); not used by the exports.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    # publicity.csv as the ingest wrote it (work item 3's counts); None when absent.
    publicity: pd.DataFrame | None = None
    # Units without a report in the round whose deadline is after the as-of date
    # (未到截止日期): not in `not_reported`, listed apart.
    not_yet_due: pd.DataFrame | None = None
    # What changed since the previous run (history.change_lines: the summary first, then
    # one line per file or unit); () when the run was not recorded.
    changes: tuple[str, ...] = ()
    # The date the reporting status is taken at: the as-of date given, else the latest
    # 填报日期 received (reporting.reporting_status); None: the as-of date.
    status_date: dt.date | None = None
    # Coverage at the round's end (`round_cut`) when the round ended before the as-of
    # date and a later round had begun by then: the current side of every 'new in
    # this round' / 较上期 figure (the previous side is `previous`). None: `coverage`.
    round_end: pd.DataFrame | None = None
    round_cut: dt.date | None = None
    # publicity_figures.publicity_by_round of `publicity` by `plausible_only`, worked out
    # once (publicity_figures.figures_tables; `make briefing` before it saves the figures):
    # the sentence, chart 07, the 通报表 and notebook 03 read them in four processes.
    publicity_tables: dict[bool, pd.DataFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def round(self) -> Round:
        return self.campaign.rounds_by_code[self.round_code]

    @property
    def round_name(self) -> str:
        return self.round.name

    @property
    def previous_round(self) -> Round | None:
        return self.campaign.previous_round(self.round_code)

    @property
    def before_deadline(self) -> bool:
        """The round's deadline had not come by the reference date, and some units have
        not sent it yet (status `pending`): they still have time, so no rate and no
        未报送 list. Decided by the status table, so the prose never contradicts it."""
        return self.round_counts()["pending"] > 0

    @property
    def pending(self) -> list[str]:
        """Reporting units not yet due in the round (未到截止日期), in report order."""
        frame = self.not_yet_due
        return [] if frame is None or frame.empty else frame["reporting_unit"].tolist()

    def round_counts(self, round_code: str | None = None) -> dict[str, int]:
        """The round's reporting units: expected, submitted, missing, pending (district)."""
        r = self.rate(round_code or self.round_code)
        if r is None:
            return {"expected": 0, "submitted": 0, "missing": 0, "pending": 0}
        return {
            k: int(r[k]) if k in r.index and not pd.isna(r[k]) else 0
            for k in ("expected", "submitted", "missing", "pending")
        }

    def reporting_fact(self) -> str:
        """The round's reporting in one phrase, the same in prose, chart 04 and the deck.

        Before the deadline: '第二阶段截止10月10日，截至9月30日已报送N个' (no rate, no
        未报送: the others still have time); from the deadline on: '第二阶段报送率X%，
        按时报送率Y%，K个单位未报送' (or '全部单位已报送').
        """
        c = self.round_counts()
        rnd = self.round
        if self.before_deadline:
            return (
                f"{rnd.name}截止{self.deadline_text}，"
                f"截至{_month_day(self.report_date)}已报送{c['submitted']}个"
            )
        r = self.rate(self.round_code)
        if r is None or not c["expected"]:
            return "暂无报送数据"
        text = (
            f"{rnd.name}报送率{fmt_pct(c['submitted'] / c['expected'])}，"
            f"按时报送率{fmt_pct(int(r['on_time']) / c['expected'])}"
        )
        return text + (f"，{c['missing']}个单位未报送" if c["missing"] else "，全部单位已报送")

    @property
    def deadline_text(self) -> str:
        """The round's deadline as the prose writes it: '10月10日', with its year when that
        is not the year of the report date ('2020年1月10日')."""
        return fmt_day_near(self.round.deadline, self.report_date)

    def not_yet_due_sentence(self) -> str:
        """'第二阶段截止10月10日，截至9月30日尚有80个单位未报送，均未到截止日期。' ('' after it)."""
        if not self.before_deadline:
            return ""
        return (
            f"{self.round_name}截止{self.deadline_text}，"
            f"截至{_month_day(self.report_date)}尚有"
            f"{len(self.pending)}个单位未报送，均未到截止日期。"
        )

    # ----------------------------------------------------------------- dates

    @property
    def report_date(self) -> dt.date:
        """The date every fact about reports received is stated at (who has or has not
        reported, rates, publicity counts, materials): the status date, else the as-of
        date. Coverage facts are stated at `as_of`."""
        return self.status_date or self.as_of

    @property
    def report_date_differs(self) -> bool:
        return self.report_date != self.as_of

    @property
    def dates_line(self) -> str:
        """'统计截至2019年12月31日' (coverage), with '，报送情况截至2020年2月3日' when the
        reports are counted to another date."""
        text = f"统计截至{fmt_date(self.as_of)}"
        if self.report_date_differs:
            text += f"，报送情况截至{fmt_date(self.report_date)}"
        return text

    def _note(self, dates: str) -> str:
        demo = "（演示数据）" if self.is_demo else ""
        return f"数据来源：{self.source}{demo}；{dates}"

    @property
    def source_note(self) -> str:
        """The small print under every coverage chart."""
        return self._note(f"统计截至{fmt_date(self.as_of)}")

    @property
    def status_note(self) -> str:
        """The small print under what states reports received (chart 04, the 未报送 lists,
        the photos): the source note at the report date."""
        if not self.report_date_differs:
            return self.source_note
        return self._note(f"报送情况截至{fmt_date(self.report_date)}")

    @property
    def dates_note(self) -> str:
        """The small print under what states both (the key figures, the 通报表)."""
        return self._note(self.dates_line)

    @property
    def round_note(self) -> str:
        """The small print under the round's new coverage (chart 06): at the round's end
        when it ended before the as-of date (`round_cut`)."""
        if self.round_cut is None:
            return self.source_note
        return self._note(f"统计截至{fmt_date(self.round_cut)}（{self.round_name}末）")

    @property
    def later_round_begun(self) -> bool:
        """A round after the briefing's had begun by the as-of date."""
        codes = [r.code for r in self.campaign.rounds]
        later = self.campaign.rounds[codes.index(self.round_code) + 1 :]
        return any(r.start <= self.as_of for r in later)

    @property
    def publicity_when(self) -> str:
        """What the publicity and materials totals are counted to: '截至2020年2月3日' (the report date)
        for the latest round begun, '截至第一阶段末' for an earlier one (the later
        rounds' counts are left out)."""
        if self.later_round_begun:
            return f"截至{self.round_name}末"
        return f"截至{fmt_date(self.report_date)}"

    @property
    def publicity_note(self) -> str:
        """The small print under the publicity chart and sheet."""
        if not self.later_round_begun and not self.report_date_differs:
            return self.source_note
        return self._note(f"宣传成果{self.publicity_when}")

    def change_basis(self) -> str:
        """Whose coverage a change over the round takes: '' (the as-of date's), or
        '第二阶段末（9月30日）' when the round ended before the as-of date."""
        if self.round_cut is None:
            return ""
        return f"{self.round_name}末（{_month_day(self.round_cut)}）"

    def change_prefix(self) -> str:
        """How a change over the round begins: '较上期', or '第二阶段末较上期' when the round
        ended before the as-of date (the change is the round's, not to the as-of date)."""
        return f"{self.round_name}末较上期" if self.round_cut is not None else "较上期"

    # ----------------------------------------------------------------- unit facts

    def _ranked(self) -> pd.DataFrame:
        r = self.ranking
        return r[r["rank"].notna() & (r["units_total"] > 0)]

    @property
    def highest(self) -> Standing | None:
        """The ranked reporting units with the highest unit coverage (all kinds but direct)."""
        return _extreme(self._ranked(), "unit_coverage", True)

    @property
    def lowest(self) -> Standing | None:
        """The ranked reporting units with the lowest unit coverage."""
        return _extreme(self._ranked(), "unit_coverage", False)

    def band(self, band: str) -> pd.DataFrame:
        """The ranking rows in `band` (LOW or HIGH), in report order."""
        return self.ranking[self.ranking["band"] == band]

    @property
    def below_low(self) -> list[str]:
        """Ranked units below LOW_COVERAGE: the set the prose counts and the 通报表 shades."""
        return self.band(LOW)["group"].tolist()

    @property
    def at_high(self) -> list[str]:
        """Ranked units at or above HIGH_COVERAGE (shaded green)."""
        return self.band(HIGH)["group"].tolist()

    @property
    def direct(self) -> DirectGroup | None:
        """The directly affiliated unions as a group, or None when the roster has none."""
        d = self.ranking[
            self.ranking["kind"].isin(UNRANKED_KINDS) & (self.ranking["units_total"] > 0)
        ]
        if d.empty:
            return None
        covered = d["units_covered"] >= d["units_total"]
        names = d.loc[d["units_covered"] == 0, "group"].astype(str).sort_values(kind="stable")
        return DirectGroup(len(d), int(covered.sum()), tuple(names))

    @property
    def kinds(self) -> tuple[Standing, Standing] | None:
        """(leading kinds, lagging kinds) by unit coverage."""
        return kind_extremes(self.coverage)

    @property
    def most_new(self) -> Standing | None:
        """The reporting units with the most unions newly covered in this round."""
        return most_new(self.ranking)

    def district(self, previous: bool = False, round_end: bool = False) -> pd.Series | None:
        """The district row of the coverage table (or of the previous round's; or, with
        `round_end`, of the table at the round's end: the current side of a change)."""
        table = self.previous if previous else self.coverage
        if round_end and not previous and self.round_end is not None:
            table = self.round_end
        if table is None:
            return None
        rows = table[table["level"] == Level.DISTRICT]
        return None if rows.empty else rows.iloc[0]

    def rate(self, round_code: str | None) -> pd.Series | None:
        """The district's reporting-rate row for `round_code`."""
        if round_code is None or self.rates is None or self.rates.empty:
            return None
        rows = self.rates[
            (self.rates["round"] == round_code) & (self.rates["level"] == Level.DISTRICT)
        ]
        return None if rows.empty else rows.iloc[0]

    def findings(self) -> list[tuple[str, str]]:
        """3-5 findings for the deck's main-points slide: (the number, said large; a short
        sentence around it). Coverage; reporting; the change since the previous round;
        the units below LOW_COVERAGE (or all above it); participation."""
        d = self.district()
        if d is None:
            return [("—", "暂无覆盖率数据")]
        rnd = self.round
        out = [
            (
                fmt_pct(d["unit_coverage"]),
                f"基层工会覆盖率：{int(d['units_total'])}家中{int(d['units_covered'])}家已开展活动",
            )
        ]
        c = self.round_counts()
        if self.before_deadline:
            out.append(
                (
                    f"{c['submitted']}个",
                    f"单位已报送{rnd.name}（{self.deadline_text}截止）",
                )
            )
        elif c["expected"]:
            rate = fmt_pct(c["submitted"] / c["expected"])  # as on the key-figures slide
            tail = f"，{c['missing']}个单位未报送" if c["missing"] else "，全部单位已报送"
            out.append((rate, f"{rnd.name}报送率{tail}"))
        before, prev = self.district(previous=True), self.previous_round
        end = self.district(round_end=True)
        if before is not None and prev is not None and end is not None:
            points = (float(end["unit_coverage"]) - float(before["unit_coverage"])) * 100
            new = int(end["units_covered"]) - int(before["units_covered"])
            # A round that ended before the as-of date: its own new coverage, said so.
            what = (
                f"{rnd.name}新增覆盖，{rnd.name}末" if self.round_cut is not None else "新增覆盖，"
            )
            out.append((f"{new}家", f"{what}覆盖率较{prev.name}末{fmt_points(points / 100)}"))
        low, worst = self.below_low, self.lowest
        if low:
            alone = (
                worst is not None and self.highest is not None and self.highest.names == worst.names
            )
            lowest = (
                f"，{worst.names[0]}最低"
                if worst is not None and not worst.tied and not alone
                else ""
            )
            out.append((f"{len(low)}个", f"单位覆盖率低于{fmt_pct(LOW_COVERAGE, 0)}{lowest}"))
        elif self.highest is not None:
            out.append(("0个", f"单位覆盖率低于{fmt_pct(LOW_COVERAGE, 0)}"))
        out.append(
            (
                f"{fmt_count(d['participants'])}人次",
                f"参加活动，累计开展活动{fmt_count(d['activities'])}次",
            )
        )
        return out[:5]

    def key_figures(self) -> list[tuple[str, str, str]]:
        """(label, value, change since last round) of the six headline figures.

        Before the round's deadline the reporting row says how many have reported and
        how many are not yet due, and the not-reported row says 未到截止日期.
        """
        # The change is the round's: its end (or the as-of date) against the previous
        # round's end, the same pair as the new coverage and the ranking's deltas.
        now, before = self.district(round_end=True), self.district(previous=True)
        shown = self.district()
        prev = self.previous_round
        prefix = self.change_prefix()
        rate_now = self.rate(self.round_code)
        rate_before = self.rate(prev.code if prev else None)

        def get(row: pd.Series | None, column: str) -> float | None:
            return None if row is None else float(row[column])

        counts = self.round_counts()
        if self.before_deadline:
            reporting_row = (
                "本期已报送",
                f"{counts['submitted']}个",
                f"截止{self.deadline_text}，{counts['pending']}个单位未到截止日期",
            )
        else:
            reporting_row = (
                "本期报送率",
                fmt_pct(get(rate_now, "reporting_rate")),
                _change(
                    get(rate_now, "reporting_rate"), get(rate_before, "reporting_rate"), rate=True
                ),  # the rounds' own rates: '较上期' whatever the coverage cut
            )
        return [
            (
                "基层工会覆盖率",
                fmt_pct(get(shown, "unit_coverage")),
                _change(
                    get(now, "unit_coverage"), get(before, "unit_coverage"), True, prefix=prefix
                ),
            ),
            (
                "会员覆盖率",
                fmt_pct(get(shown, "member_coverage")),
                _change(
                    get(now, "member_coverage"), get(before, "member_coverage"), True, prefix=prefix
                ),
            ),
            (
                "参加人次",
                fmt_count(get(shown, "participants")),
                _change(
                    get(now, "participants"), get(before, "participants"), False, "人次", prefix
                ),
            ),
            (
                "开展活动",
                f"{fmt_count(get(shown, 'activities'))}次",
                _change(get(now, "activities"), get(before, "activities"), False, "次", prefix),
            ),
            reporting_row,
            (
                ("未报送单位", "—", "未到截止日期")
                if self.before_deadline
                else ("未报送单位", f"{counts['missing']}个", "")
            ),
        ]


def _month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _change(
    now: float | None, before: float | None, rate: bool, unit: str = "", prefix: str = "较上期"
) -> str:
    if before is None or now is None or any(math.isnan(float(x)) for x in (now, before)):
        return "上期无可比数据"
    if rate:
        return f"{prefix}{fmt_points(now - before)}"
    diff = float(now) - float(before)
    if diff >= 0:
        return f"{prefix}增加{fmt_count(diff)}{unit}"
    return f"{prefix}减少{fmt_count(-diff)}{unit}"


# --------------------------------------------------------------------------- building it


INGEST_TABLES: tuple[str, ...] = ("rows", "submissions", "issues", "coverage", "coverage_by_item")


# Tables written only when the ingest has them to write (older runs, other inputs).
OPTIONAL_TABLES: tuple[str, ...] = ("publicity",)


def read_tables(processed_dir: Path | str) -> dict[str, pd.DataFrame]:
    """The ingest's tables as it wrote them (Parquet), keyed by name."""
    processed = Path(processed_dir)
    tables = {name: pd.read_parquet(processed / f"{name}.parquet") for name in INGEST_TABLES}
    for name in OPTIONAL_TABLES:
        if (processed / f"{name}.parquet").exists():
            tables[name] = pd.read_parquet(processed / f"{name}.parquet")
    return tables


def tables_of(result) -> dict[str, pd.DataFrame]:
    """The tables of an ingest result (`ingest.IngestResult`) in memory, keyed by name."""
    return {
        "rows": result.rows,
        "submissions": result.submissions,
        "issues": result.issues,
        **result.coverage,
        **({"publicity": result.publicity} if result.publicity is not None else {}),
    }


def _without_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without contact names and phone numbers (figures.pkl lands in the run folder)."""
    return frame.drop(columns=[c for c in frame.columns if c in config.PERSONAL_COLUMNS])


def as_date(value: object) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def default_round(campaign: Campaign, submissions: pd.DataFrame, as_of: dt.date | None) -> str:
    """The latest round with any submission (not after `as_of`), else the first round.

    With `as_of`, a submission without a 填报日期 does not say when it came in: the
    rounds with reports dated by then decide, and undated ones only when no report
    is dated. (One undated file of the next round must not take the briefing away
    from the round whose deadline has just passed, and its overdue units.)
    """
    codes = [r.code for r in campaign.rounds]
    seen = set()
    if not submissions.empty and "round" in submissions.columns:
        subs = submissions
        if "state" in subs.columns:
            subs = subs[subs["state"].isin([FileState.CURRENT, FileState.SUPERSEDED])]
        if as_of is not None and "report_date" in subs.columns:
            # A report dated after the as-of date had not arrived by then.
            dates = pd.to_datetime(subs["report_date"], errors="coerce")
            subs = subs[~(dates > pd.Timestamp(as_of))]
            dated = dates.loc[subs.index].notna()
            if dated.any():
                subs = subs[dated]
        # A workbook of one sheet per round lists its rounds joined by ';'.
        seen = {c for v in subs["round"].dropna().astype(str) for c in v.split(";")}
    if as_of is not None:
        codes = [r.code for r in campaign.rounds if r.start <= as_of] or codes[:1]
    with_data = [c for c in codes if c in seen]
    return with_data[-1] if with_data else codes[-1] if as_of is not None else codes[0]


def latest_activity_date(rows: pd.DataFrame) -> dt.date | None:
    """The latest date of an accepted activity in the ledger."""
    if rows.empty:
        return None
    accepted = rows.loc[rows["state"] == RowState.ACCEPTED, "date"]
    dates = pd.to_datetime(accepted, errors="coerce").dropna()
    return None if dates.empty else dates.max().date()


def arrived_by(
    table: pd.DataFrame | None, submissions: pd.DataFrame, as_of: dt.date | None
) -> pd.DataFrame | None:
    """`table`'s rows whose file had come in by `as_of`: not from a file whose 填报日期
    is after it (as the reporting status counts reports). Rows of undated files stay;
    without `as_of`, all rows."""
    if table is None or as_of is None or table.empty or "report_date" not in submissions:
        return table
    dates = pd.to_datetime(submissions["report_date"], errors="coerce")
    later = set(submissions.loc[dates > pd.Timestamp(as_of), "file"])
    return table.loc[~table["file"].isin(later)] if later else table


def default_as_of(campaign: Campaign, rows: pd.DataFrame, round_code: str) -> dt.date:
    """The latest accepted activity date, never later than the last deadline or campaign end.

    A stray date (a typo such as 2029) must not name the briefing's as-of date.
    """
    latest = latest_activity_date(rows) or campaign.rounds_by_code[round_code].end
    return min(latest, max([campaign.end, *(r.deadline for r in campaign.rounds)]))


def compute(
    campaign: Campaign,
    roster: Roster,
    tables: dict[str, pd.DataFrame],
    as_of: dt.date | str | None = None,
    round_code: str | None = None,
    is_demo: bool = False,
) -> Figures:
    """Every briefing figure from the ingest's `tables` (`tables_of` or `read_tables`).

    `tables["coverage"]` and `tables["coverage_by_item"]` must be the ingest's for the
    same `as_of`; only the previous round's coverage (another cut) is computed here.
    """
    as_of = as_date(as_of)
    rows, submissions = tables["rows"], tables["submissions"]
    round_code = round_code or default_round(campaign, submissions, as_of)
    shown_date = as_of or default_as_of(campaign, rows, round_code)
    if "coverage" not in tables or "coverage_by_item" not in tables:
        # Only when the ingest could not compute them (an internal error, in ingest.log).
        computed = coverage.compute_tables(roster, rows, submissions, campaign, as_of)
        tables = {**tables, **computed}
    current = tables["coverage"]
    activities = coverage.accepted_activities(rows, roster, as_of=as_of, campaign=campaign)
    prev_round = campaign.previous_round(round_code)
    previous = round_end = round_cut = None
    if prev_round is not None:
        cut = prev_round.end if as_of is None else min(prev_round.end, as_of)
        prev_activities = coverage.accepted_activities(rows, roster, as_of=cut, campaign=campaign)
        previous = coverage.coverage_table(roster, prev_activities)
    # The round's new coverage is coverage at its end minus coverage at the previous
    # round's end (none for the first round). While the round is the latest begun by the
    # statistics date, its end is that date (activities dated after the last round's end
    # are undated and count from its start anyway); once a later round has begun, it is
    # the round's own end, so that round 3's activities are not said to be round 2's,
    # nor round 2's round 1's.
    rnd = campaign.rounds_by_code[round_code]
    later = campaign.rounds[[r.code for r in campaign.rounds].index(round_code) + 1 :]
    if any(r.start <= shown_date for r in later) and rnd.end < shown_date:
        round_cut = rnd.end
        end_activities = coverage.accepted_activities(
            rows, roster, as_of=round_cut, campaign=campaign
        )
        round_end = coverage.coverage_table(roster, end_activities)
    status = reporting.reporting_status(roster, submissions, campaign, as_of=as_of)
    status_date = as_of
    if status_date is None and status["report_date"].notna().any():
        status_date = pd.Timestamp(status["report_date"].max()).date()
    elif status_date is None:
        # No dated report has come in (none yet, all refused, photos only): the reports
        # are stated at the briefing's own date, so a round not yet due there is not
        # called missing.
        status = reporting.reporting_status(roster, submissions, campaign, as_of=shown_date)
    curve = coverage.cumulative_curve(
        roster, activities, freq="W", start=campaign.start, end=shown_date
    )
    # Weekly periods end on Sundays; the last point is the as-of date, not a later Sunday.
    curve["date"] = pd.to_datetime(curve["date"]).clip(upper=pd.Timestamp(shown_date))
    return Figures(
        campaign=campaign,
        round_code=round_code,
        as_of=shown_date,
        coverage=current,
        ranking=rank_units(current, previous, round_end),
        by_item=tables["coverage_by_item"],
        curve=curve,
        status=status,
        rates=reporting.reporting_rates(status),
        not_reported=reporting.not_reported(status, round_code),
        not_yet_due=reporting.not_yet_due(status, round_code),
        status_date=status_date,
        not_reached=reporting.not_reached(roster, activities),
        previous=previous,
        round_end=round_end,
        round_cut=round_cut,
        is_demo=is_demo,
        tables={
            k: _without_personal(tables[k])
            for k in ("rows", "submissions", "issues")
            if k in tables
        },
        publicity=arrived_by(tables.get("publicity"), submissions, as_of),
    )


# --------------------------------------------------------------------------- saved figures

FIGURES_FILE = "figures.pkl"


def save(figures: Figures, path: Path | str, **extra: object) -> Path:
    """Pickle `figures` (and `extra` values, e.g. the ingest summary) for the notebooks."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump({"figures": figures, **extra}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return path


def load_saved(path: Path | str) -> dict[str, object]:
    """What `save` wrote: {"figures": Figures, ...extra}."""
    with Path(path).open("rb") as fh:
        return pickle.load(fh)  # noqa: S301 - written by this run into its own folder
