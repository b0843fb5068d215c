"""`make briefing`: ingest once, execute the notebooks, write charts and exports.

Everything lands in one folder per run, `reports/<YYYY-MM-DD>_<round>/`, named for
the data it shows: the as-of date when one is given, else the latest accepted
activity date; and the round reported on (default: the latest round with any
submission).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.campaign import Campaign, Round, load_campaign

NOTEBOOKS = ("01_ingest.ipynb", "02_coverage.ipynb", "03_briefing.ipynb")
SOURCE = "各单位报送表"


@dataclass
class BriefingData:
    """Every figure the briefing shows, computed once for one as-of date and round.

    coverage: coverage_table (levels district/kind/reporting_unit);
    previous: the same as of the previous round's end (None for the first round);
    ranking: ranking(coverage, previous) for reporting units;
    by_item, curve, status, rates, not_reported, not_reached: as coverage.py returns them.
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
    def source_note(self) -> str:
        """The small print under every chart."""
        from analysis.narrative import fmt_date

        demo = "（演示数据）" if self.is_demo else ""
        return f"数据来源：{self.source}{demo}；统计截至{fmt_date(self.as_of)}"


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=True, **kwargs)


def _as_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def default_round(campaign: Campaign, submissions: pd.DataFrame, as_of: dt.date | None) -> str:
    """The latest round with any submission (not after `as_of`), else the first round."""
    codes = [r.code for r in campaign.rounds]
    seen = set()
    if not submissions.empty and "round" in submissions.columns:
        subs = submissions
        if "state" in subs.columns:
            subs = subs[subs["state"].isin(["current", "superseded"])]
        seen = set(subs["round"].dropna().astype(str))
    if as_of is not None:
        codes = [r.code for r in campaign.rounds if r.start <= as_of] or codes[:1]
    with_data = [c for c in codes if c in seen]
    return with_data[-1] if with_data else codes[-1] if as_of is not None else codes[0]


def latest_activity_date(rows: pd.DataFrame) -> dt.date | None:
    """The latest date of an accepted activity in the ledger."""
    if rows.empty:
        return None
    dates = pd.to_datetime(rows.loc[rows["state"] == "accepted", "date"], errors="coerce").dropna()
    return None if dates.empty else dates.max().date()


def resolve_dirs(
    raw_dir: Path | None = None, processed_dir: Path | None = None
) -> tuple[Path, Path, bool]:
    """(raw_dir, processed_dir, is_demo): the analyst's data/raw, else the bundled demo."""
    if raw_dir is None:
        raw_dir, is_demo = config.active_raw_dir()
    else:
        raw_dir = Path(raw_dir)
        is_demo = raw_dir.resolve() == config.DEMO_RAW_DIR.resolve()
    if processed_dir is None:
        processed_dir = config.DEMO_PROCESSED_DIR if is_demo else config.PROCESSED_DATA_DIR
    return Path(raw_dir), Path(processed_dir), is_demo


def data_note(raw_dir: Path, is_demo: bool) -> str:
    """One Chinese line saying which data the briefing uses."""
    if is_demo:
        return (
            f"使用内置演示数据（{raw_dir}）：data/raw/roster/ 中还没有名册。"
            "放入名册和报送表后再运行即可生成正式通报。"
        )
    return f"使用分析人员的数据：{raw_dir}"


def ensure_ingested(raw_dir: Path, processed_dir: Path, as_of: dt.date | None = None) -> None:
    """Run the ingest when its tables are missing (incremental, so cheap when current)."""
    needed = ("rows.csv", "submissions.csv", "issues.csv")
    if all((processed_dir / name).exists() for name in needed):
        return
    from analysis import ingest

    ingest.run(raw_dir, processed_dir, as_of=as_of, progress=False)


def load(
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    as_of: dt.date | str | None = None,
    round_code: str | None = None,
) -> BriefingData:
    """Compute every briefing figure from the processed tables (ingesting if needed)."""
    from analysis import coverage as cov
    from analysis.roster import load_roster

    raw, processed, is_demo = resolve_dirs(
        Path(raw_dir) if raw_dir else None, Path(processed_dir) if processed_dir else None
    )
    as_of = _as_date(as_of)
    ensure_ingested(raw, processed, as_of)
    campaign = load_campaign(raw / config.CAMPAIGN_FILE)
    roster = load_roster(raw / config.ROSTER_SUBDIR)
    rows = _read_csv(processed / "rows.csv")
    submissions = _read_csv(processed / "submissions.csv")
    round_code = round_code or default_round(campaign, submissions, as_of)
    shown_date = as_of or latest_activity_date(rows) or campaign.rounds_by_code[round_code].end

    activities = cov.accepted_activities(rows, roster, as_of=as_of, campaign=campaign)
    coverage = cov.coverage_table(roster, activities)
    prev_round = campaign.previous_round(round_code)
    previous = None
    if prev_round is not None:
        cut = prev_round.end if as_of is None else min(prev_round.end, as_of)
        prev_activities = cov.accepted_activities(rows, roster, as_of=cut, campaign=campaign)
        previous = cov.coverage_table(roster, prev_activities)
    status = cov.reporting_status(roster, submissions, campaign, as_of=as_of)
    curve = cov.cumulative_curve(roster, activities, freq="W", start=campaign.start, end=shown_date)
    # Weekly periods end on Sundays; the last point is the as-of date, not a later Sunday.
    curve["date"] = pd.to_datetime(curve["date"]).clip(upper=pd.Timestamp(shown_date))
    return BriefingData(
        campaign=campaign,
        round_code=round_code,
        as_of=shown_date,
        coverage=coverage,
        ranking=cov.ranking(coverage, previous),
        by_item=cov.coverage_by_item(roster, activities, campaign),
        curve=curve,
        status=status,
        rates=cov.reporting_rates(status),
        not_reported=cov.not_reported(status, round_code),
        not_reached=cov.not_reached(roster, activities),
        previous=previous,
        is_demo=is_demo,
    )


def run_folder(reports_dir: Path, figures: BriefingData) -> Path:
    """`reports/<YYYY-MM-DD>_<round>/` for the figures' as-of date and round."""
    return Path(reports_dir) / f"{figures.as_of.isoformat()}_{figures.round_code}"
