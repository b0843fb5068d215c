"""`make briefing`: ingest once, execute the notebooks, write charts and exports.

Everything lands in one folder per run, `reports/<YYYY-MM-DD>_<round>/`, named for
the data it shows: the as-of date when one is given, else the latest accepted
activity date; and the round reported on (default: the latest round with any
submission).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config, safety
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
    # publicity.csv as the ingest wrote it (work item 3's counts); None when absent.
    publicity: pd.DataFrame | None = None

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
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=True, **kwargs)
    return safety.csv_unescape(frame)  # the text as typed, without the CSV's apostrophe


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
        if as_of is not None and "report_date" in subs.columns:
            # A report dated after the as-of date had not arrived by then.
            dates = pd.to_datetime(subs["report_date"], errors="coerce")
            subs = subs[~(dates > pd.Timestamp(as_of))]
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
    from analysis.parse_cache import cached_roster

    raw, processed, is_demo = resolve_dirs(
        Path(raw_dir) if raw_dir else None, Path(processed_dir) if processed_dir else None
    )
    as_of = _as_date(as_of)
    ensure_ingested(raw, processed, as_of)
    campaign = load_campaign(raw / config.CAMPAIGN_FILE)
    # The roster as the ingest read it (its cache entry), not read again by every notebook.
    roster, _ = cached_roster(processed, raw / config.ROSTER_SUBDIR, enabled=True)
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
        publicity=_read_csv(processed / "publicity.csv", dtype=str)
        if (processed / "publicity.csv").exists()
        else None,
    )


def run_folder(reports_dir: Path, figures: BriefingData) -> Path:
    """`reports/[演示_]<YYYY-MM-DD>_<round>[_2…]/` for the figures' as-of date and round."""
    from analysis.history import run_folder_path

    return run_folder_path(reports_dir, figures.as_of, figures.round_code, figures.is_demo)


# --------------------------------------------------------------------------- notebook helpers


def notebook_setup() -> None:
    """House chart style and table display options for the notebooks."""
    from analysis import style

    style.apply()
    pd.set_option("display.max_rows", 300)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_colwidth", 120)


STAMP_FILE = ".briefing_stamp.json"


def _inputs_key(raw_dir: Path, as_of: dt.date | None) -> str:
    """A fingerprint of everything an ingest depends on: raw files, as-of date, code."""
    import hashlib

    from analysis import __version__

    digest = hashlib.sha256(f"{__version__}|{as_of}".encode())
    code_dir = Path(__file__).resolve().parent
    for path in sorted(code_dir.rglob("*.py")) + sorted(code_dir.rglob("*.toml")):
        digest.update(f"{path.relative_to(code_dir)}|{path.stat().st_mtime_ns}".encode())
    for path in sorted(p for p in Path(raw_dir).rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(raw_dir)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def ingest_if_changed(
    raw_dir: Path | str, processed_dir: Path | str, as_of: dt.date | str | None = None
):
    """The ingest's result: re-run when any raw file (or the code) changed, else read back.

    The ingest itself caches parsed files; this also skips re-interpreting them when
    nothing at all changed, so the briefing's notebooks do not repeat its ingest.
    """
    import json

    from analysis import ingest

    raw, processed = Path(raw_dir), Path(processed_dir)
    as_of = _as_date(as_of)
    key = _inputs_key(raw, as_of)
    stamp = processed / STAMP_FILE
    tables = {name: processed / f"{name}.csv" for name in ("rows", "submissions", "issues")}
    if stamp.exists() and all(p.exists() for p in tables.values()):
        saved = json.loads(stamp.read_text("utf-8"))
        if saved.get("key") == key:
            return ingest.IngestResult(
                out_dir=processed,
                rows=_read_csv(tables["rows"], dtype={"participants": "float64"}),
                submissions=_read_csv(tables["submissions"]),
                issues=_read_csv(tables["issues"]),
                files_skipped=int(saved.get("files_skipped", 0)),
                materials=_materials_table(processed),  # materials hook
            )
    result = ingest.run(raw, processed, as_of=as_of, progress=False)
    stamp.write_text(
        json.dumps({"key": key, "files_skipped": result.files_skipped}), encoding="utf-8"
    )
    return result


def _materials_table(processed: Path) -> pd.DataFrame:
    from analysis.exports.materials import read_materials

    return read_materials(processed)


def files_table(submissions: pd.DataFrame) -> pd.DataFrame:
    """What was read, one row per file, without contact or phone (for display)."""
    columns = [
        "file", "reporting_unit", "kind", "round", "report_date", "state", "on_time",
        "rows_read", "rows_accepted", "rows_rejected", "message",
    ]  # fmt: skip
    return submissions.loc[:, [c for c in columns if c in submissions.columns]]


def problems_summary(issues: pd.DataFrame) -> pd.DataFrame:
    """Problems by severity and code: how many, and one example message each."""
    if issues.empty:
        return pd.DataFrame(columns=["severity", "code", "count", "message"])
    return (
        issues.groupby(["severity", "code"], sort=False)
        .agg(count=("code", "size"), message=("message", "first"))
        .reset_index()
        .sort_values(["severity", "count"], ascending=[True, False], kind="stable")
        .reset_index(drop=True)
    )


def alias_candidates(issues: pd.DataFrame) -> pd.DataFrame:
    """Names that could not be resolved, as rows to copy into aliases.csv.

    Columns 报送名称, 名册名称 (the closest roster name: check it before copying),
    出现次数, 示例文件; from the `value` and `suggestions` columns of the
    `*_unresolved` issues.
    """
    columns = ["报送名称", "名册名称", "出现次数", "示例文件"]
    codes = issues["code"].astype(str) if not issues.empty else pd.Series(dtype=str)
    found = issues.loc[codes.isin(["unit_unresolved", "reporting_unit_unresolved"])]
    if found.empty:
        return pd.DataFrame(columns=columns)
    closest = found["suggestions"].fillna("").astype(str).str.split("、").str[0]
    table = pd.DataFrame(
        {
            "报送名称": found["value"].fillna("").astype(str),
            "名册名称": closest.where(closest != "", "（请填写名册中的名称）"),
            "示例文件": found["file"],
        }
    )
    table = table[table["报送名称"] != ""]
    return (
        table.groupby(["报送名称", "名册名称"], sort=False)
        .agg(出现次数=("示例文件", "size"), 示例文件=("示例文件", "first"))
        .reset_index()
        .sort_values(["出现次数", "报送名称"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def kind_table(figures: BriefingData) -> pd.DataFrame:
    """Coverage of the district and each kind (for display)."""
    cov = figures.coverage
    return cov[cov["level"].isin(["district", "kind"])].reset_index(drop=True)


def work_item_table(figures: BriefingData) -> pd.DataFrame:
    """Unit coverage per work item (columns, Chinese) for the district and each kind."""
    from analysis.config import KIND_NAMES

    items = figures.by_item[figures.by_item["level"].isin(["district", "kind"])]
    table = items.pivot_table(
        index=["level", "group"], columns="work_item", values="unit_coverage", sort=False
    )
    order = [c for c in figures.campaign.work_item_codes if c in table.columns]
    table = table[order].map(lambda v: "—" if pd.isna(v) else f"{v * 100:.1f}%")
    table.columns = [figures.campaign.work_item_short(c) for c in order]
    names = [KIND_NAMES.get(g, g) for g in table.index.get_level_values("group")]
    table.index = pd.Index(names, name="单位")
    return table


def key_figures_table(figures: BriefingData) -> pd.DataFrame:
    """The headline figures with their change since the previous round (for display)."""
    from analysis.exports.slides import key_figures

    rows = key_figures(figures)
    return pd.DataFrame(rows, columns=["指标", "数值", "较上期"]).set_index("指标")


def narrative_markdown(figures: BriefingData):
    """The briefing's heading and sentences as Markdown for the notebook."""
    from IPython.display import Markdown

    from analysis.narrative import briefing_text, fmt_date

    demo = "（演示数据）" if figures.is_demo else ""
    lines = [
        f"## {figures.campaign.name}",
        f"### {figures.round_name}情况通报{demo}",
        f"统计截至{fmt_date(figures.as_of)}",
        "",
        *[f"{i}. {s}" for i, s in enumerate(briefing_text(figures), start=1)],
    ]
    return Markdown("\n".join(lines))


# --------------------------------------------------------------------------- the run


def _execute_notebook(source: Path, target: Path, parameters: dict, delay: float = 0.0) -> str:
    """Execute one notebook with papermill; '' when it ran, else a one-line reason.

    Kernels started at the same moment in several processes can pick the same ports
    and die at start-up: starts are staggered by `delay` and a dead start is retried.
    """
    import os

    import papermill

    # Kernels inherit this worker's stderr; their start-up chatter is not for the analyst.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    time.sleep(delay)
    reason = ""
    for _attempt in range(3):
        try:
            papermill.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                cwd=str(config.NOTEBOOKS_DIR),
            )
            return ""
        except Exception as exc:  # a failing notebook must not stop the exports
            reason = (
                f"{source.name}：{type(exc).__name__}：{str(exc).strip().splitlines()[-1][:200]}"
            )
            if "Kernel died" not in str(exc):
                break
            time.sleep(1.0)
    return reason


def execute_notebooks(folder: Path, parameters: dict) -> list[str]:
    """Execute the three notebooks in parallel into `folder`; returns the failures."""
    from concurrent.futures import ProcessPoolExecutor

    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=len(NOTEBOOKS)) as pool:
        jobs = [
            pool.submit(
                _execute_notebook,
                config.NOTEBOOKS_DIR / name,
                folder / name,
                parameters,
                0.7 * i,
            )
            for i, name in enumerate(NOTEBOOKS)
        ]
        return [r for r in (j.result() for j in jobs) if r]


def _timed(func, *args):
    """(seconds, func(*args))."""
    mark = time.perf_counter()
    value = func(*args)
    return time.perf_counter() - mark, value


TIMINGS_FILE = "timings.json"


def _write_timings(folder: Path, timings: dict[str, float | str]) -> None:
    """`timings.json` in the run folder: seconds of each stage, for `make bench`.

    The notebooks run in their own processes while this one draws the charts and
    writes the exports, so their seconds overlap: total is less than the sum.
    """
    import json

    data = {k: round(v, 3) if isinstance(v, float) else v for k, v in timings.items()}
    data["notebooks_note"] = "3 kernels in parallel, while charts and exports are drawn"
    data["exports_note"] = "pptx + 通报表.xlsx + 情况通报.txt + notebook HTML"
    try:
        text = json.dumps(data, ensure_ascii=False, indent=1)
        (folder / TIMINGS_FILE).write_text(text + "\n", encoding="utf-8")
    except OSError:
        pass  # the timings are for developers; the briefing itself is written


def run(
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reports_dir: Path = config.REPORTS_DIR,
    as_of: dt.date | None = None,
    round_code: str | None = None,
) -> int:
    """`make briefing`: ingest once, notebooks, charts and exports into reports/<date>_<round>/."""
    from analysis import charts, history, publicity_figures
    from analysis.exports import details, html, notice, slides, workbook
    from analysis.narrative import briefing_text

    started = time.perf_counter()
    timings: dict[str, float | str] = {}
    raw, processed, is_demo = resolve_dirs(raw_dir, processed_dir)
    print(data_note(raw, is_demo))
    result = ingest_if_changed(raw, processed, as_of)
    timings["ingest"] = time.perf_counter() - started
    print(result.summary_zh())
    print(history.change_text(processed))
    campaign = load_campaign(raw / config.CAMPAIGN_FILE)
    if round_code is not None and round_code not in campaign.rounds_by_code:
        codes = "、".join(campaign.rounds_by_code)
        print(f"报送期次“{round_code}”不存在，应为 {codes} 之一。", file=sys.stderr)
        return 2
    mark = time.perf_counter()
    figures = load(raw, processed, as_of, round_code)
    timings["load"] = time.perf_counter() - mark
    folder = run_folder(reports_dir, figures)
    folder.mkdir(parents=True, exist_ok=True)
    parameters = {
        "raw_dir": str(raw),
        "processed_dir": str(processed),
        "as_of": as_of.isoformat() if as_of else None,
        "round": figures.round_code,
        "out_dir": str(folder),
    }
    from concurrent.futures import ThreadPoolExecutor

    # The kernels run in other processes while this one draws the charts.
    with ThreadPoolExecutor(max_workers=1) as pool:
        notebooks = pool.submit(_timed, execute_notebooks, folder / "notebooks", parameters)
        mark = time.perf_counter()
        chart_files = charts.render_all(figures, folder / "charts")
        # Work item 3's outputs: a chart (and so a slide) only when units reported counts.
        chart_files += publicity_figures.render_chart(figures, folder / "charts")
        timings["charts"] = time.perf_counter() - mark
        mark = time.perf_counter()
        sentences = briefing_text(figures)
        from analysis.exports import materials as materials_exports  # materials hook

        sentences += materials_exports.sentences(processed, figures)
        slides.write_deck(figures, chart_files, folder / "情况通报.pptx", sentences)
        workbook.write_workbook(figures, folder / "通报表.xlsx")
        notice.write_notice(folder / "情况通报.docx", title=f"关于{campaign.name}{figures.round_name}情况的通报", as_of=figures.as_of, sentences=sentences, key_figures=key_figures_table(figures).reset_index(), kinds=kind_table(figures), not_reported=figures.not_reported, is_demo=figures.is_demo)  # fmt: skip
        details.write_details(folder / "数据明细.xlsx", result.rows, result.submissions, result.issues, figures.coverage, campaign)  # fmt: skip
        materials_exports.add_to_briefing(
            figures, raw, processed, folder, folder / "情况通报.pptx", folder / "通报表.xlsx"
        )  # materials hook: 图片选登 slides, 通报表 sheets, 图片汇编
        (folder / "情况通报.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        exports = time.perf_counter() - mark
        timings["notebooks"], failures = notebooks.result()
    mark = time.perf_counter()
    briefing_nb = folder / "notebooks" / NOTEBOOKS[-1]
    if briefing_nb.exists() and not any(f.startswith(NOTEBOOKS[-1]) for f in failures):
        html.notebook_html(briefing_nb, folder / "情况通报.html", title=campaign.name)
    timings["exports"] = exports + time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    _write_timings(folder, timings)
    for failure in failures:
        print(f"笔记本运行出错（其余材料已生成）：{failure}", file=sys.stderr)
    print(f"通报材料已生成（用时 {time.perf_counter() - started:.0f} 秒）：{folder}")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        print(f"  {path.relative_to(folder)}")
    return 0 if not failures else 1


def show_chart(figures: BriefingData, key: str, dpi: int = 100):
    """One chart as a PNG image for the notebook (independent of the matplotlib backend)."""
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    from analysis import charts, style

    buffer = io.BytesIO()
    # Fonts are looked up when drawing: save inside the house style too.
    with style.house_style(), plt.rc_context({"savefig.bbox": "standard"}):
        title, fig = charts.CHARTS[key](figures)
        fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    # The finding doubles as the image's alternative text in the HTML export.
    return Image(data=buffer.getvalue(), format="png", metadata={"alt": title})


CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def refresh_notebook_references(workdir: Path | None = None) -> list[Path]:
    """Re-execute the notebooks on the active data and store, in the notebooks in git, the
    outputs of the cells marked `# NBVAL_CHECK_OUTPUT` (all other outputs stay stripped).

    Run after a deliberate change of the demo data or of a checked figure.
    """
    import tempfile

    import nbformat

    workdir = Path(workdir or tempfile.mkdtemp(prefix="briefing-nb-"))
    failures = execute_notebooks(workdir, {})
    if failures:
        raise RuntimeError("; ".join(failures))
    written = []
    for name in NOTEBOOKS:
        source_path = config.NOTEBOOKS_DIR / name
        source = nbformat.read(str(source_path), as_version=4)
        executed = nbformat.read(str(workdir / name), as_version=4)
        outputs = {c.get("id"): c.get("outputs", []) for c in executed.cells}
        for cell in source.cells:
            if cell.cell_type != "code":
                continue
            keep = CHECK_MARK in cell.source
            cell.outputs = outputs.get(cell.get("id"), []) if keep else []
            # nbval compares only cells that look run: they need an execution count.
            cell.execution_count = 1 if keep else None
            for output in cell.outputs:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = cell.execution_count
            if keep:
                cell.metadata["keep_output"] = True  # nbstripout leaves these alone
        nbformat.write(source, str(source_path))
        written.append(source_path)
    return written
