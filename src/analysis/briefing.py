"""`make briefing`: ingest once, compute the figures once, then charts, exports and notebooks.

Everything lands in one folder per run, `reports/<YYYY-MM-DD>_<round>/`, named for
the data it shows: the as-of date when one is given, else the latest accepted
activity date; and the round reported on (default: the latest round with any
submission).

The data flow (docs/architecture.md): the campaign is loaded once and handed to the
ingest; the ingest (incremental: its cache is the one freshness mechanism) writes
the tables, coverage included; `figures.compute` turns its tables into a
`figures.Figures`, saved as `figures.pkl` in the run folder; the charts are drawn
once from it, and the notebooks receive the saved file (papermill parameter
`figures_file`) and show those charts' PNGs (notebook 03 waits for each while the run
draws it, in this process or its chart worker). A notebook run alone computes the same
figures itself (`prepare`) and draws its charts.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from pathlib import Path

import pandas as pd

from analysis import config, safety
from analysis.campaign import Campaign, load_campaign
from analysis.figures import (
    FIGURES_FILE,
    SOURCE,
    Figures,
    as_date,
    default_as_of,
    default_round,
    latest_activity_date,
)
from analysis.formats import fmt_pct, markdown_text
from analysis.messages import briefing_line
from analysis.model import IssueCode, Level
from analysis.notebook_runs import (
    NOTEBOOKS,
    NotebookRuns,
    execute_notebooks,
    skip_unused_grammar,
)

__all__ = [
    "NOTEBOOKS",
    "SOURCE",
    "Figures",
    "default_as_of",
    "default_round",
    "NotebookRuns",
    "execute_notebooks",
    "latest_activity_date",
    "skip_unused_grammar",
]


def project_path(path: Path | str | None) -> Path | None:
    """`path` as given, a relative one taken from the project root (not the notebooks'
    working folder): the notebooks' parameters are relative so no machine's folders show."""
    if path is None or path == "":
        return None
    path = Path(path)
    return path if path.is_absolute() else config.PROJ_ROOT / path


def parameter_path(path: Path) -> str:
    """A notebook parameter for `path`: relative to the project root when inside it."""
    try:
        return Path(path).resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def resolve_dirs(
    raw_dir: Path | str | None = None, processed_dir: Path | str | None = None
) -> tuple[Path, Path, bool]:
    """(raw_dir, processed_dir, is_demo): the analyst's data/raw, else the bundled demo."""
    raw_dir, processed_dir = project_path(raw_dir), project_path(processed_dir)
    if raw_dir is None:
        raw_dir, is_demo = config.active_raw_dir()
    else:
        raw_dir = Path(raw_dir)
        is_demo = raw_dir.resolve() == config.DEMO_RAW_DIR.resolve()
    if processed_dir is None:
        forced = os.environ.get(config.PROCESSED_DIR_ENV, "").strip()
        if forced:  # `make test`'s notebooks: a temporary folder (config.PROCESSED_DIR_ENV)
            processed_dir = project_path(forced)
        else:
            processed_dir = config.DEMO_PROCESSED_DIR if is_demo else config.PROCESSED_DATA_DIR
    return Path(raw_dir), Path(processed_dir), is_demo


def data_note(raw_dir: Path, is_demo: bool) -> str:
    """One Chinese line saying which data the briefing uses."""
    return briefing_line("demo_data" if is_demo else "analyst_data", raw_dir=raw_dir)


def ingest(
    raw_dir: Path | str,
    processed_dir: Path | str,
    as_of: dt.date | str | None = None,
    campaign: Campaign | None = None,
):
    """The ingest's result (`ingest.IngestResult`): always the incremental ingest.

    Its parse cache is the one freshness mechanism: an unchanged file is neither
    parsed nor interpreted again, a changed or new one is, so the tables are never
    stale.
    """
    from analysis import ingest as ingest_module

    return ingest_module.run(
        Path(raw_dir), Path(processed_dir), as_of=as_date(as_of), progress=False,
        campaign=campaign,
    )  # fmt: skip


def _roster(raw_dir: Path, processed_dir: Path):
    """The Roster the ingest just read (its cache entry): the workbook is not read again."""
    from analysis.parse_cache import cached_roster

    roster, _ = cached_roster(processed_dir, raw_dir / config.ROSTER_SUBDIR, enabled=True)
    return roster


def load(
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    as_of: dt.date | str | None = None,
    round_code: str | None = None,
) -> Figures:
    """Ingest (incrementally) and compute every briefing figure: what a notebook run alone does."""

    raw, processed, is_demo = resolve_dirs(
        Path(raw_dir) if raw_dir else None, Path(processed_dir) if processed_dir else None
    )
    campaign = load_campaign(raw / config.CAMPAIGN_FILE)
    result = ingest(raw, processed, as_of, campaign)
    return _figures(raw, processed, campaign, result, as_of, round_code, is_demo)


def _figures(raw, processed, campaign, result, as_of, round_code, is_demo) -> Figures:
    """The figures of an ingest result, with its summary and the run's context attached."""
    from analysis import figures as figures_module
    from analysis import publicity_figures

    figures = figures_module.compute(
        campaign, _roster(raw, processed), figures_module.tables_of(result),
        as_of=as_of, round_code=round_code, is_demo=is_demo,
    )  # fmt: skip
    figures.summary = result.summary_zh()
    attach_run_context(figures, processed, as_date(as_of))
    # Every document is written from these figures: no text in them that XML cannot hold.
    safety.xml_safe_fields(figures)
    # Work item 3's tables, from the safe text, once: saved with the figures for the
    # processes that write the sentence, chart 07, the 通报表 and notebook 03.
    publicity_figures.figures_tables(figures)
    return figures


def attach_run_context(figures: Figures, processed_dir: Path, as_of: dt.date | None = None) -> None:
    """What the run adds to the figures besides the ingest's tables: the change report
    since the previous run and the materials received (materials.csv).

    With an `as_of` date, a photo taken or a document written after it had not come in
    by then: it is left out of that date's briefing (its count, deck and album), as a
    report dated after it is. One without a date stays.
    """
    from analysis import history
    from analysis.exports.materials import read_materials

    figures.changes = tuple(history.change_lines(Path(processed_dir), since_change=True))
    materials = read_materials(Path(processed_dir))
    if as_of is not None and len(materials):
        taken = pd.to_datetime(materials["taken_date"], errors="coerce")
        materials = materials.loc[~(taken > pd.Timestamp(as_of))]
    if len(materials):
        figures.tables["materials"] = materials


def prepare(
    figures_file: Path | str | None = None,
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    as_of: dt.date | str | None = None,
    round_code: str | None = None,
) -> Figures:
    """The figures a notebook shows: those `make briefing` saved, else computed here."""
    if figures_file:
        from analysis.figures import load_saved

        return load_saved(project_path(figures_file))["figures"]
    return load(raw_dir, processed_dir, as_of, round_code)


def run_folder(reports_dir: Path, figures: Figures) -> Path:
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


# An absolute path outside the project: shown by its last part only.
_OTHER_ABSOLUTE = re.compile(r"(?<![\w.])/(?:[^\s/（）()，。：；“”]+/)+([^\s/（）()，。：；“”]+)")


def plain(text: object) -> str:
    """`text` without absolute paths: the project's shown relative to it, others by the
    last part (the notebooks and the HTML page never show a machine's folders)."""
    text = str(text).replace(str(config.PROJ_ROOT) + "/", "")
    return _OTHER_ABSOLUTE.sub(r"\1", text)


def show(frame: pd.DataFrame | None, campaign: Campaign | None = None) -> None:
    """Display a table in a notebook as the analyst should see it (analysis.display):
    Chinese headers, 是/否, blanks for missing values, no "rows × columns" footer, no
    wrapping, no absolute paths; one header row (a named index becomes a column).

    With `campaign` the figures' codes (rounds, work items, kinds, percentages) are put
    in words first (exports.display); without it the ingest's contract columns are.
    An empty table prints （无）.
    """
    from analysis import display as screen
    from analysis.exports import display as tidy

    if frame is None or len(frame) == 0:
        print("（无）")
        return
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    screen.show(tidy(frame, campaign) if campaign is not None else frame)


def changes_markdown(figures: Figures, heading: str = "### 与上次运行相比"):
    """The change report since the previous run (figures.changes) as Markdown."""
    from IPython.display import Markdown

    from analysis.history import FIRST_RUN_LINE

    first, *rest = figures.changes or (FIRST_RUN_LINE,)
    text = [markdown_text(plain(line)) for line in (first, *rest)]
    lines = [heading, "", text[0], "", *[f"- {line}" for line in text[1:]]]
    return Markdown("\n".join(lines))


def show_publicity(figures: Figures) -> None:
    """Work item 3's outputs: the sentence and chart 07 (or a line saying none reported)."""
    from IPython.display import Markdown, display

    from analysis import publicity_figures as publicity

    sentence = publicity.briefing_sentence(figures)
    table = publicity.briefing_figures(figures)
    if not sentence or publicity.at_round(table, figures.round_code).query("to_date > 0").empty:
        print("各单位尚未报送宣传成果数量。")
        return
    display(Markdown(markdown_text(sentence)))
    display(show_chart(figures, "07_publicity"))


def show_materials(figures: Figures) -> None:
    """Photos and summaries received up to the round: the sentence, then per status how
    many reporting units sent tables and materials in the round."""
    from IPython.display import Markdown, display

    from analysis.exports import materials as materials_exports
    from analysis.materials import figures as mfig

    received = figures.tables.get("materials")
    if received is None or received.empty:
        print("尚未收到信息图片或阶段性总结。")
        return
    upto = mfig.up_to_round(received, figures.campaign, figures.round_code)
    display(Markdown(markdown_text(mfig.key_sentence(upto))))
    sheet = materials_exports.status_sheet(figures, received)
    sheet = sheet[sheet["期次"] == figures.round_name]
    counts = sheet.groupby("报送情况", sort=False).size().rename("单位数").reset_index()
    show(counts)


def files_table(submissions: pd.DataFrame, campaign: Campaign | None = None) -> pd.DataFrame:
    """What was read, one row per file, without contact or phone (for display).

    Given the campaign, rounds are shown by name (第二阶段), not code (r2); a file
    holding several rounds ("r1;r2") names each.
    """
    columns = [
        "file", "reporting_unit", "kind", "round", "report_date", "state", "on_time",
        "rows_read", "rows_accepted", "rows_rejected", "message",
    ]  # fmt: skip
    table = submissions.loc[:, [c for c in columns if c in submissions.columns]]
    if campaign is not None and "round" in table.columns:
        table = table.assign(round=table["round"].map(campaign.round_names))
    return table


def problems_summary(issues: pd.DataFrame) -> pd.DataFrame:
    """Problems by severity and code: how many, and one example each (its file and message).

    A row's message names its sheet and row but not its file, so the example's file
    is shown beside it.
    """
    with_file = "file" in issues.columns
    columns = ["severity", "code", "count", *(["file"] if with_file else []), "message"]
    if issues.empty:
        return pd.DataFrame(columns=columns)
    example = {"file": ("file", "first")} if with_file else {}
    return (
        issues.groupby(["severity", "code"], sort=False)
        .agg(count=("code", "size"), **example, message=("message", "first"))
        .reset_index()
        .sort_values(["severity", "count"], ascending=[True, False], kind="stable")
        .reset_index(drop=True)
        .loc[:, columns]
    )


def alias_candidates(issues: pd.DataFrame) -> pd.DataFrame:
    """Names that could not be resolved, as rows to copy into aliases.csv.

    Columns 报送名称, 名册名称 (the closest roster name: check it before copying),
    出现次数, 示例文件; from the `value` and `suggestions` columns of the
    `*_unresolved` issues.
    """
    columns = ["报送名称", "名册名称", "出现次数", "示例文件"]
    codes = issues["code"].astype(str) if not issues.empty else pd.Series(dtype=str)
    unresolved = [IssueCode.UNIT_UNRESOLVED, IssueCode.REPORTING_UNIT_UNRESOLVED]
    found = issues.loc[codes.isin(unresolved)]
    if found.empty:
        return pd.DataFrame(columns=columns)
    closest = found["suggestions"].fillna("").astype(str).str.split("、").str[0]
    table = pd.DataFrame(
        {
            "报送名称": found["value"].fillna("").astype(str),
            "名册名称": closest.where(closest != "", briefing_line("alias_fill_in")),
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


def kind_table(figures: Figures) -> pd.DataFrame:
    """Coverage of the district and each kind (for display)."""
    cov = figures.coverage
    return cov[cov["level"].isin([Level.DISTRICT, Level.KIND])].reset_index(drop=True)


def ranking_table(figures: Figures) -> pd.DataFrame:
    """The ranking as the notebook shows it: Chinese headers, "并列N" for a shared rank,
    "—" for the unranked direct unions, the rank change only where the rank changed."""
    from analysis.exports import display

    r = figures.ranking

    def rank_text(rank: object, tied: bool) -> str:
        if pd.isna(rank):
            return "—"
        return f"并列{int(rank)}" if tied else str(int(rank))

    shown = r.drop(columns=["tied", "band", "rank_prev", "rank_change"], errors="ignore")
    shown = shown.assign(rank=[rank_text(k, t) for k, t in zip(r["rank"], r["tied"], strict=True)])
    if "rank_change" in r:
        change = r["rank_change"]
        shown["rank_change"] = [
            "" if pd.isna(c) or c == 0 else (f"上升{int(c)}" if c > 0 else f"下降{-int(c)}")
            for c in change
        ]
    return display(shown, figures.campaign)


def work_item_table(figures: Figures) -> pd.DataFrame:
    """Unit coverage per work item (columns, Chinese) for the district and each kind."""
    from analysis.config import KIND_NAMES

    items = figures.by_item[figures.by_item["level"].isin([Level.DISTRICT, Level.KIND])]
    table = items.pivot_table(
        index=["level", "group"], columns="work_item", values="unit_coverage", sort=False
    )
    order = [c for c in figures.campaign.work_item_codes if c in table.columns]
    table = table[order].map(lambda v: "—" if pd.isna(v) else fmt_pct(v))
    table.columns = [figures.campaign.work_item_short(c) for c in order]
    names = [KIND_NAMES.get(g, g) for g in table.index.get_level_values("group")]
    table.index = pd.Index(names, name="单位")
    return table


def key_figures_table(figures: Figures) -> pd.DataFrame:
    """The headline figures with their change since the previous round (for display)."""
    rows = figures.key_figures()
    return pd.DataFrame(rows, columns=["指标", "数值", "较上期"]).set_index("指标")


def narrative_markdown(figures: Figures):
    """The briefing's heading and sentences as Markdown for the notebook."""
    from IPython.display import Markdown

    from analysis.narrative import briefing_text

    demo = "（演示数据）" if figures.is_demo else ""
    lines = [
        "# " + markdown_text(f"{figures.campaign.name}{figures.round_name}情况通报{demo}"),
        markdown_text(figures.dates_line),
        "",
        *[f"{i}. {markdown_text(s)}" for i, s in enumerate(briefing_text(figures), start=1)],
    ]
    return Markdown("\n".join(lines))


# --------------------------------------------------------------------------- the run


TIMINGS_FILE = "timings.json"


def process_seconds() -> float | None:
    """Seconds since this process started (interpreter start-up included), None if unknown.

    Read from /proc (Linux); elsewhere the timings start when `run` is called.
    """
    import os

    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        # field 22 of stat (starttime), in clock ticks since boot; fields[0] is field 3
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def _write_timings(folder: Path, timings: dict[str, float | str]) -> None:
    """`timings.json` in the run folder: seconds of each stage, for `make bench`.

    `startup` is the interpreter start and imports before `run` began; `total` counts
    from the process start. The notebooks run in their own processes while this one
    draws the charts and writes the exports, so their seconds overlap.
    """
    import json

    data = {k: round(v, 3) if isinstance(v, float) else v for k, v in timings.items()}
    data["notebooks_note"] = (
        "one kernel started during the ingest runs 01, 02, 03 in turn (a new session each),"
        " in parallel with the charts (03 shows each PNG once drawn); its process writes"
        " 情况通报.html"
    )
    data["exports_note"] = (
        "pptx (with the photo slides) + 情况通报.txt here, after the charts; 通报表.xlsx,"
        " 情况通报.docx, 数据明细.xlsx, 图片汇编 in a worker process during the charts"
    )
    data["total_note"] = "from the process start: start-up included"
    try:
        text = json.dumps(data, ensure_ascii=False, indent=1)
        (folder / TIMINGS_FILE).write_text(text + "\n", encoding="utf-8")
    except OSError:
        pass  # the timings are for developers; the briefing itself is written


def _write_office_files(figures_file: Path, folder: Path, raw: Path, sentences: list[str]) -> None:
    """通报表.xlsx (with the materials' parts), 情况通报.docx, 数据明细.xlsx and the
    图片汇编: what needs the figures (read from the run's figures.pkl, the ingest's tables
    included) but no chart, written in a worker process while the charts are drawn."""
    from analysis.exports import details, notice, workbook
    from analysis.exports import materials as materials_exports
    from analysis.figures import load_saved

    figures = load_saved(figures_file)["figures"]
    campaign = figures.campaign
    materials = materials_exports.briefing_materials(figures)
    parts = materials_exports.workbook_parts(figures, materials)
    workbook.write_workbook(figures, folder / "通报表.xlsx", parts)
    notice.write_notice(
        folder / "情况通报.docx", title=f"关于{campaign.name}{figures.round_name}情况的通报",
        as_of=figures.as_of, status_date=figures.report_date, sentences=sentences,
        key_figures=key_figures_table(figures).reset_index(),
        kinds=kind_table(figures), not_reported=figures.not_reported, is_demo=figures.is_demo,
        not_yet_due=figures.not_yet_due_sentence(),
    )  # fmt: skip
    tables = figures.tables  # without contact names and phone numbers, as 数据明细 is
    details.write_details(
        folder / "数据明细.xlsx", tables["rows"], tables["submissions"], tables["issues"],
        figures.coverage, campaign,
    )  # fmt: skip
    materials_exports.write_album(figures, raw, folder, materials)  # 图片汇编


# The charts a worker process draws while this one draws the others and the deck's
# panels of chart 01 (about half the drawing each, on the demo).
WORKER_CHARTS = ("02_participation", "04_reporting_status", "05_coverage_curve", "06_new_coverage")


def _draw_charts(figures_file: Path, keys: tuple[str, ...], publicity: bool) -> list:
    """Charts `keys` (and work item 3's chart when `publicity`) of the run's figures, drawn
    in a worker process into the figures' charts folder; their ChartFiles."""
    from analysis import charts, publicity_figures
    from analysis.figures import load_saved

    figures = load_saved(figures_file)["figures"]
    drawn = charts.render_all(figures, figures.charts_dir, keys)
    if publicity:
        drawn += publicity_figures.render_chart(figures, figures.charts_dir)
    return drawn


def run(
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reports_dir: Path = config.REPORTS_DIR,
    as_of: dt.date | None = None,
    round_code: str | None = None,
) -> int:
    """`make briefing`: ingest once, figures once, charts once; notebooks and exports.

    Writes reports/<date>_<round>/: charts/, 情况通报.pptx, 通报表.xlsx, 情况通报.docx,
    数据明细.xlsx, 情况通报.txt, figures.pkl, notebooks/ and 情况通报.html.

    Three other processes work beside this one: the notebooks' (its kernel starts while
    this process ingests; it runs the three notebooks in turn) and two workers, one
    drawing half the charts, one writing the office files that need no chart
    (`_write_office_files`), while this process draws the other charts and writes the deck.
    """
    from concurrent.futures import ProcessPoolExecutor

    from analysis import charts, history
    from analysis import figures as figures_module
    from analysis.exports import materials as materials_exports
    from analysis.exports import slides
    from analysis.narrative import briefing_text, since_last_run_sentence

    started = time.perf_counter()
    startup = process_seconds()
    timings: dict[str, float | str] = {"startup": startup or 0.0}
    notebooks = None
    try:
        raw, processed, is_demo = resolve_dirs(raw_dir, processed_dir)
        from analysis import ingest as ingest_module

        if config.within(project_path(reports_dir), raw):
            print(
                briefing_line("reports_inside_raw", reports=reports_dir, raw=raw), file=sys.stderr
            )
            return 2
        try:
            ingest_module.check_output_dir(processed, raw)
        except ingest_module.OutputError as exc:  # one line, as `ingest` says it
            print(str(exc), file=sys.stderr)
            return 1
        print(data_note(raw, is_demo))
        campaign = load_campaign(raw / config.CAMPAIGN_FILE)
        if round_code is not None and round_code not in campaign.rounds_by_code:
            codes = "、".join(campaign.rounds_by_code)
            line = briefing_line("round_not_in_campaign", round=round_code, codes=codes)
            print(line, file=sys.stderr)
            return 2
        chosen = campaign.rounds_by_code.get(round_code) if round_code else None
        if as_of is not None and as_of < campaign.start:
            line = briefing_line(
                "as_of_before_campaign", as_of=as_of.isoformat(), start=campaign.start.isoformat(),
                name=campaign.name,
            )  # fmt: skip
            print(line, file=sys.stderr)
            return 2
        if chosen is not None and as_of is not None and as_of < chosen.start:
            line = briefing_line(
                "round_not_started", round=round_code, name=chosen.name,
                start=chosen.start.isoformat(), as_of=as_of.isoformat(),
            )  # fmt: skip
            print(line, file=sys.stderr)
            return 2
        notebooks = NotebookRuns()  # its kernel starts while this process ingests
        result = ingest(raw, processed, as_of, campaign)
        timings["ingest"] = time.perf_counter() - started
        print(result.summary_zh())
        print(history.change_text(processed))  # the screen: against the last run (README)
        mark = time.perf_counter()
        figures = _figures(raw, processed, campaign, result, as_of, round_code, is_demo)
        folder = run_folder(reports_dir, figures)
        folder.mkdir(parents=True, exist_ok=True)
        figures.charts_dir = folder / "charts"
        for stale in [*figures.charts_dir.glob("*.png"), figures.charts_dir / CHARTS_FAILED]:
            stale.unlink(missing_ok=True)  # a notebook must wait for this run's charts
        figures_file = figures_module.save(figures, folder / FIGURES_FILE)
        timings["load"] = time.perf_counter() - mark
    except BaseException:
        if notebooks is not None:
            notebooks.close()
        raise
    parameters = {
        "raw_dir": parameter_path(raw),
        "processed_dir": parameter_path(processed),
        "as_of": as_of.isoformat() if as_of else None,
        "round": figures.round_code,
        "out_dir": parameter_path(folder),
        "figures_file": parameter_path(figures_file),
    }
    mark = time.perf_counter()
    workers = ProcessPoolExecutor(max_workers=2)
    try:
        # Notebook 03 waits for each PNG when it reaches it (show_chart): no chart is drawn twice.
        notebooks.begin(folder / "notebooks", parameters, folder / "情况通报.html", campaign.name)
        materials = materials_exports.briefing_materials(figures)
        sentences = briefing_text(figures)
        sentences += materials_exports.sentences(materials, figures)
        # The prose (txt, Word) ends with what changed since the last run, when there was one.
        sentences += [s for s in [since_last_run_sentence(figures)] if s]
        figures.charts_dir.mkdir(parents=True, exist_ok=True)
        # Work item 3's chart (and so its slide) only when units reported counts.
        others = workers.submit(_draw_charts, figures_file, WORKER_CHARTS, True)
        office_files = workers.submit(_write_office_files, figures_file, folder, raw, sentences)
        chart_mark = time.perf_counter()
        try:
            mine = [key for key in charts.CHARTS if key not in WORKER_CHARTS]
            drawn = charts.render_all(figures, figures.charts_dir, mine)
            panels = charts.deck_panels(figures, folder / "charts" / "slides")
            drawn += others.result()
        except BaseException:
            (figures.charts_dir / CHARTS_FAILED).touch()  # notebook 03 stops waiting
            raise
        order = [*charts.CHARTS, PUBLICITY_CHART]
        chart_files = sorted(drawn, key=lambda chart: order.index(chart.key))
        timings["charts"] = time.perf_counter() - chart_mark
        export_mark = time.perf_counter()
        deck_charts = charts.deck_charts(figures, chart_files, folder / "charts" / "slides", panels)
        photos = materials_exports.deck_photos(figures, raw, materials)  # 图片选登
        slides.write_deck(figures, deck_charts, folder / "情况通报.pptx", sentences, photos)
        (folder / "情况通报.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        office_files.result()
        timings["exports"] = time.perf_counter() - export_mark
    except BaseException:
        notebooks.close()  # the run stops here: so do the notebooks
        raise
    finally:
        workers.shutdown()
    failures = notebooks.wait()
    timings["notebooks"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started + (startup or 0.0)
    _write_timings(folder, timings)
    for failure in failures:
        print(briefing_line("notebook_failed", failure=failure), file=sys.stderr)
    seconds = time.perf_counter() - started + (startup or 0.0)
    print(briefing_line("briefing_written", seconds=seconds, folder=folder))
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        print(f"  {path.relative_to(folder)}")
    return 0 if not failures else 1


# How long a notebook waits for a chart `make briefing` is drawing before drawing it itself.
CHART_WAIT_SECONDS = 120.0
# Written into the charts folder when drawing them failed: a notebook stops waiting.
CHARTS_FAILED = ".failed"


def show_chart(figures: Figures, key: str, wait: float = CHART_WAIT_SECONDS, dpi: int = 100):
    """One chart as a PNG image for the notebook.

    Under `make briefing` (figures.charts_dir set) the PNG the run renders, waited for
    while it is being drawn: each chart is drawn once per run. A notebook run alone
    draws the chart here.
    """
    from IPython.display import Image

    from analysis import charts

    if key == PUBLICITY_CHART:
        return _publicity_image(figures, wait)
    # The finding doubles as the image's alternative text in the HTML export.
    title = charts.chart_title(figures, key)
    rendered = _rendered_png(figures, key, wait)
    if rendered is not None:
        return Image(data=rendered, format="png", metadata={"alt": title})
    return Image(data=charts.chart_png(figures, key, dpi), format="png", metadata={"alt": title})


def _rendered_png(figures: Figures, key: str, wait: float) -> bytes | None:
    """The PNG `make briefing` draws for `key`, waited for up to `wait` seconds; None if none."""
    if figures.charts_dir is None:
        return None
    rendered = Path(figures.charts_dir) / f"{key}.png"
    deadline = time.monotonic() + wait
    failed = rendered.with_name(CHARTS_FAILED)
    while not rendered.is_file() and not failed.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return rendered.read_bytes() if rendered.is_file() else None


# Work item 3's chart (publicity_figures), drawn by `make briefing`'s chart worker.
PUBLICITY_CHART = "07_publicity"


def _publicity_image(figures: Figures, wait: float):
    """Chart 07 as the run drew it, else drawn now into a temporary folder."""
    import tempfile

    from IPython.display import Image

    from analysis import publicity_figures as publicity

    table = publicity.briefing_figures(figures)
    title = publicity.publicity_finding(table, figures.campaign, figures.round_code)
    rendered = _rendered_png(figures, PUBLICITY_CHART, wait)
    if rendered is not None:
        return Image(data=rendered, format="png", metadata={"alt": title})
    with tempfile.TemporaryDirectory() as tmp:
        drawn = publicity.render_chart(figures, tmp)
        data = drawn[0].png.read_bytes() if drawn else b""
    return Image(data=data, format="png", metadata={"alt": title})


# nbval compares the stored outputs of cells with this tag (not a comment on screen).
CHECK_TAG = "nbval-check-output"


def refresh_notebook_references(workdir: Path | None = None) -> list[Path]:
    """Re-execute the notebooks on the active data and store, in the notebooks in git, the
    outputs of the cells tagged `nbval-check-output` (all other outputs stay stripped: nbval
    needs the stored outputs of exactly those cells to compare).

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
            keep = CHECK_TAG in cell.metadata.get("tags", [])
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
