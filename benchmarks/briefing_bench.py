"""Benchmarks of the stages after ingest: coverage at scale, `make briefing`, templates.

Coverage at district/city/national scale is `coverage_scale.measure(scale)`, each scale
in a fresh process so that its peak memory is its own. The briefing is timed end
to end as the analyst runs it (`python -m analysis briefing`, a subprocess into
temporary folders), and split into its stages.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import tempfile
from pathlib import Path

from benchmarks.harness import Result, best_child, python_argv

BRIEFING_NAMES = [
    "briefing.total",
    "briefing.rerun",
    "briefing.ingest",
    "briefing.load",
    "briefing.notebooks",
    "briefing.charts",
    "briefing.exports",
]
TEMPLATE_NAMES = ["templates.template", "templates.freeform"]
JSON_MARK = "@@BENCH-JSON@@"
_CHILD = (
    "import json, sys\n"
    "from benchmarks import coverage_scale\n"
    "result = coverage_scale.measure(sys.argv[1])\n"
    f"print({JSON_MARK!r} + json.dumps(result, default=str))\n"
)


def _require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ImportError(f"{module} is not there yet")


def _child_json(stdout: str) -> dict:
    for line in reversed(stdout.splitlines()):
        if line.startswith(JSON_MARK):
            value = json.loads(line[len(JSON_MARK) :])
            return value if isinstance(value, dict) else {"value": value}
    return {}


def _compute_seconds(result: dict) -> float | None:
    """The coverage computation's own time, when coverage_scale reports it."""
    for key in ("compute_s", "coverage_s", "seconds", "time_s", "elapsed_s"):
        if isinstance(result.get(key), int | float):
            return float(result[key])
    return None


def measure_coverage(scales: list[str]) -> list[Result]:
    """Time and peak memory of coverage_scale.measure(scale), one fresh process per scale."""
    _require("benchmarks.coverage_scale")
    results = []
    for scale in scales:
        run = best_child(python_argv("-c", _CHILD, scale), 1)
        detail = _child_json(run.stdout)
        compute = _compute_seconds(detail)
        seconds = compute if compute is not None else run.seconds
        note = (
            f"coverage compute {compute:.2f} s, process {run.seconds:.1f} s (incl. generating data)"
            if compute is not None
            else "whole process (generation included)"
        )
        results.append(
            Result(f"coverage.{scale}", seconds, run.peak_mb, 1, note=note,
                   extra={"process_s": run.seconds, **detail})
        )  # fmt: skip
    return results


def _stage_timings(text: str) -> dict[str, float]:
    """Stage timings the briefing reports, if any: lines like `ingest: 1.23 s` or a JSON file."""
    found = {}
    for stage in ("ingest", "notebooks", "charts", "exports"):
        match = re.search(rf"\b{stage}\b[^0-9\n]{{0,20}}([0-9]+(?:\.[0-9]+)?)\s*(?:s|秒)", text)
        if match:
            found[stage] = float(match.group(1))
    return found


def _timings_file(reports: Path) -> dict[str, float]:
    for path in sorted(reports.rglob("timings.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        return {k: float(v) for k, v in data.items() if isinstance(v, int | float)}
    return {}


def measure_briefing(raw_dir: Path, work_dir: Path, repeat: int = 1) -> list[Result]:
    """`python -m analysis briefing` end to end on the demo, then its stages."""
    briefing = importlib.import_module("analysis.briefing")
    if not hasattr(briefing, "run"):
        raise NotImplementedError("analysis.briefing.run is not there yet")
    tmp = Path(tempfile.mkdtemp(prefix="briefing-", dir=work_dir))
    processed, reports = tmp / "processed", tmp / "reports"
    argv = python_argv(
        "-m", "analysis", "briefing", "--raw", str(raw_dir), "--out", str(processed),
        "--reports", str(reports),
    )  # fmt: skip
    # The analyst's `make briefing` ingests from scratch the first time; time that run.
    run = best_child(argv, repeat, before=lambda _i: _clear(processed, reports))
    stages = _timings_file(reports) or _stage_timings(run.stdout + run.stderr)
    rerun = best_child(argv, 1)  # the next `make briefing`: tables in place, nothing new
    results = [
        Result("briefing.total", run.seconds, run.peak_mb, repeat,
               note="python -m analysis briefing, empty processed folder, start-up included"),
        Result("briefing.rerun", rerun.seconds, rerun.peak_mb, 1, baseline="briefing.total",
               note="the same again with its processed tables in place"),
    ]  # fmt: skip
    if not stages:
        try:
            stages = _time_stages_ourselves(raw_dir, tmp)
        except (ImportError, AttributeError) as exc:
            stages = {"why": f"{type(exc).__name__}: {exc}"}
    for stage in ("ingest", "load", "notebooks", "charts", "exports"):
        name = f"briefing.{stage}"
        value = stages.get(stage)
        if value is None:
            why = stages.get("why", "stage not timed")
            results.append(Result(name, status="not available", note=why))
        else:
            results.append(Result(name, value, None, 1, baseline="briefing.total",
                                  note=stages.get(f"{stage}_note", "")))  # fmt: skip
    return results


def _clear(*folders: Path) -> None:
    import shutil

    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _time_stages_ourselves(raw_dir: Path, tmp: Path) -> dict:
    """Stage times from calling briefing's own steps in-process, one after another.

    `briefing.run` runs the notebooks in other processes while it draws the charts
    and writes the exports, so its total is about ingest + load + max(notebooks,
    charts + exports) + html, not the sum of these.
    """
    import time

    from analysis import briefing, charts
    from analysis.exports import html, slides, workbook
    from analysis.narrative import briefing_text

    stages: dict = {}
    processed, folder = tmp / "stages-processed", tmp / "stages-report"

    def timed(stage: str, fn):
        start = time.perf_counter()
        value = fn()
        stages[stage] = stages.get(stage, 0.0) + time.perf_counter() - start
        return value

    timed("ingest", lambda: briefing.ingest(raw_dir, processed))
    figures = timed("load", lambda: briefing.load(raw_dir, processed))
    parameters = {
        "raw_dir": str(raw_dir), "processed_dir": str(processed), "as_of": None,
        "round": figures.round_code, "out_dir": str(folder),
    }  # fmt: skip
    failures = timed(
        "notebooks", lambda: briefing.execute_notebooks(folder / "notebooks", parameters)
    )
    chart_files = timed("charts", lambda: charts.render_all(figures, folder / "charts"))

    def exports() -> None:
        sentences = briefing_text(figures)
        slides.write_deck(figures, chart_files, folder / "情况通报.pptx", sentences)
        workbook.write_workbook(figures, folder / "通报表.xlsx")
        notebook = folder / "notebooks" / briefing.NOTEBOOKS[-1]
        if notebook.exists():
            html.notebook_html(notebook, folder / "情况通报.html", title=figures.campaign.name)

    timed("exports", exports)
    stages["ingest_note"] = "in-process briefing.ingest into an empty folder"
    stages["notebooks_note"] = "execute_notebooks: one kernel, the three in turn" + (
        f"; {len(failures)} failed: {failures[0][:80]}" if failures else ""
    )
    stages["charts_note"] = f"charts.render_all: {len(chart_files)} files"
    stages["exports_note"] = "pptx + 通报表.xlsx + notebook HTML"
    return stages


def measure_templates(repeat: int = 5, n_rows: int = 200) -> list[Result]:
    """templates_bench: read + table step of a filled template vs the same rows free-form."""
    from benchmarks import templates_bench

    r = templates_bench.bench_template_vs_freeform(n_rows=n_rows, repeat=repeat)
    template_s = r["template_read_s"] + r["template_tables_s"]
    freeform_s = r["freeform_read_s"] + r["freeform_tables_s"]
    return [
        Result("templates.template", template_s, None, repeat,
               note=f"{r['template_rows']} rows: read {r['template_read_s'] * 1e3:.1f} ms + "
               f"tables {r['template_tables_s'] * 1e3:.1f} ms", extra=r),
        Result("templates.freeform", freeform_s, None, repeat, baseline="templates.template",
               note=f"{r['freeform_rows']} rows: read {r['freeform_read_s'] * 1e3:.1f} ms + "
               f"tables {r['freeform_tables_s'] * 1e3:.1f} ms"),
    ]  # fmt: skip
