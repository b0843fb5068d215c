"""`make bench`: run every benchmark, print a table and the targets, save JSON.

    python -m benchmarks [--only ingest,scaled,incremental,materials,coverage,briefing,templates]
                             [--repeat N] [--quick] [--cache DIR] [--results DIR]

Generates what it needs (the demo district, the scaled-up round) under the cache
directory, so it runs on a fresh clone. Exits 0 whether targets are met or not:
the MISS summary at the end says which were not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from analysis import config
from benchmarks import harness
from benchmarks.harness import Result, Target, guarded

SECTIONS = (
    "startup", "ingest", "scaled", "incremental", "materials", "coverage", "briefing", "templates",
)  # fmt: skip
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "analysis-bench-cache"
GIB = 1024.0  # MiB

TARGETS: tuple[Target, ...] = (
    Target("demo_ingest_vs_calamine", "demo: full ingest ≤ 2× calamine-only parse",
           "demo.ingest.full", 2.0, "<=", "demo.parse.calamine"),
    Target("demo_ingest_vs_openpyxl", "demo: full ingest ≥ 5× faster than pandas+openpyxl",
           "demo.parse.pandas_openpyxl", 5.0, ">=", "demo.ingest.full"),
    Target("demo_ingest_vs_pandas_calamine", "demo: full ingest no slower than pandas+calamine",
           "demo.ingest.full", 1.0, "<=", "demo.parse.pandas_calamine"),
    Target("scaled_ingest_vs_calamine", "scaled: full ingest ≤ 2× calamine-only parse",
           "scaled.ingest.full", 2.0, "<=", "scaled.parse.calamine"),
    Target("scaled_ingest_vs_openpyxl", "scaled: full ingest ≥ 5× faster than pandas+openpyxl",
           "scaled.parse.pandas_openpyxl", 5.0, ">=", "scaled.ingest.full"),
    Target("scaled_ingest_vs_pandas_calamine",
           "scaled: full ingest no slower than pandas+calamine",
           "scaled.ingest.full", 1.0, "<=", "scaled.parse.pandas_calamine"),
    Target("scaled_memory", "scaled: peak memory of a full ingest ≤ 300 MiB (CLI)",
           "scaled.cli.full", 300.0, "<=", field="peak_mb"),
    Target("scaled_memory_all", "scaled: … with its helper processes, PSS summed ≤ 300 MiB",
           "scaled.cli.full", 300.0, "<=", field="tree_mb"),
    Target("scaled_memory_again", "scaled: … a --full run over the last run's tables ≤ 300 MiB",
           "scaled.cli.full_again", 300.0, "<=", field="peak_mb"),
    Target("scaled_incremental", "scaled: re-run with one new file ≤ 0.15× full ingest (CLI)",
           "scaled.cli.incremental", 0.15, "<=", "scaled.cli.full"),
    Target("scaled_unchanged", "scaled: unchanged re-run ≤ 0.08× full ingest (CLI)",
           "scaled.cli.unchanged", 0.08, "<=", "scaled.cli.full"),
    Target("national_coverage_time", "national coverage (3M unions, 10M activities) < 15 s",
           "coverage.national", 15.0, "<="),
    Target("national_coverage_memory", "national coverage peak memory < 3 GiB (MiB)",
           "coverage.national", 3 * GIB, "<=", field="peak_mb"),
    Target("briefing_demo", "make briefing on the demo < 30 s (end to end)",
           "briefing.total", 30.0, "<="),
    Target("briefing_vs_base", "make briefing on the demo ≤ 0.8× the base commit's (bc9678d)",
           "briefing.this", 0.8, "<=", "briefing.base"),
)  # fmt: skip


def demo_raw(cache_dir: Path) -> Path:
    """The bundled demo raw folder, or a freshly generated one in the cache."""
    if (
        config.has_real_roster(config.DEMO_RAW_DIR)
        and (config.DEMO_RAW_DIR / config.SUBMISSIONS_SUBDIR).is_dir()
    ):
        return config.DEMO_RAW_DIR
    raw = cache_dir / "demo" / "raw"
    if not (raw / config.SUBMISSIONS_SUBDIR).is_dir():
        from analysis import demo

        print(f"generating the demo district into {raw} …", flush=True)
        demo.generate(raw)
    return raw


def scaled_raw(cache_dir: Path):
    """The scaled-up round (generated once into the cache)."""
    from benchmarks import scaled_round

    start = time.perf_counter()
    scaled = scaled_round.ensure(cache_dir)
    took = time.perf_counter() - start
    if took > 1:
        print(f"generated the scaled round in {took:.0f} s: {scaled.raw_dir}", flush=True)
    return scaled


def _section(name: str, names: list[str], measure) -> list[Result]:
    print(f"== {name} …", flush=True)
    start = time.perf_counter()
    results = guarded(names, measure)
    print(f"   done in {time.perf_counter() - start:.1f} s", flush=True)
    return results


def run(args: argparse.Namespace) -> list[Result]:
    """Every selected measurement, in order."""
    from benchmarks import ingest_bench

    cache_dir: Path = args.cache
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="analysis-bench-"))
    repeat, quick = args.repeat, args.quick
    results: list[Result] = []
    try:
        if "startup" in args.only:
            results += _section(
                "start-up", ["startup.python", "startup.import_ingest"],
                lambda: ingest_bench.measure_startup(repeat),
            )  # fmt: skip
        if "ingest" in args.only:
            names = ["demo.parse.calamine", "demo.parse.pandas_calamine",
                     "demo.parse.pandas_openpyxl", "demo.ingest.full"]  # fmt: skip
            results += _section(
                "demo ingest vs raw parse", names,
                lambda: ingest_bench.measure_parse_and_ingest("demo", demo_raw(cache_dir), repeat, work),
            )  # fmt: skip
        if "scaled" in args.only:
            names = ["scaled.parse.calamine", "scaled.parse.pandas_calamine",
                     "scaled.parse.pandas_openpyxl", "scaled.ingest.full"]  # fmt: skip
            results += _section(
                "scaled round ingest vs raw parse", names,
                lambda: _scaled_parse(cache_dir, work, quick),
            )  # fmt: skip
        if "incremental" in args.only:
            names = ["scaled.cli.full", "scaled.cli.full_again", "scaled.cli.unchanged",
                     "scaled.cli.incremental", "scaled.inproc.incremental"]  # fmt: skip
            results += _section(
                "incremental re-run (scaled round)", names,
                lambda: _incremental(cache_dir, work, repeat),
            )  # fmt: skip
        if "materials" in args.only:
            from benchmarks import materials_bench

            results += _section(
                "materials: 1,000 photos and 100 documents (scaled round)",
                materials_bench.MATERIALS_NAMES,
                lambda: materials_bench.measure_materials(
                    cache_dir, scaled_raw(cache_dir), work, repeat=min(repeat, 2)
                ),
            )  # fmt: skip
        if "coverage" in args.only:
            from benchmarks import briefing_bench

            scales = ["district", "city"] + ([] if quick else ["national"])
            results += _section(
                "coverage at scale", [f"coverage.{s}" for s in scales],
                lambda: briefing_bench.measure_coverage(scales),
            )  # fmt: skip
        if "briefing" in args.only:
            from benchmarks import briefing_bench

            results += _section(
                "make briefing (demo)", briefing_bench.BRIEFING_NAMES,
                lambda: briefing_bench.measure_briefing(demo_raw(cache_dir), work, repeat=1),
            )  # fmt: skip
            from benchmarks import briefing_vs_base

            results += _section(
                "make briefing against the base commit (demo)", briefing_vs_base.RESULT_NAMES,
                lambda: briefing_vs_base.measure(repeat),
            )  # fmt: skip
        if "templates" in args.only:
            from benchmarks import briefing_bench

            results += _section(
                "template vs free-form", briefing_bench.TEMPLATE_NAMES,
                lambda: briefing_bench.measure_templates(repeat=max(3, repeat)),
            )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _scaled_parse(cache_dir: Path, work: Path, quick: bool) -> list[Result]:
    from benchmarks import ingest_bench

    scaled = scaled_raw(cache_dir)
    # One run each: at this size a run takes tens of seconds (the openpyxl one minutes).
    results = ingest_bench.measure_parse_and_ingest(
        "scaled", scaled.raw_dir, 1, work, slow_repeat=0 if quick else 1
    )
    results[0].note += f" ({scaled.files} workbooks generated, {scaled.megabytes:.1f} MiB)"
    return results


def _incremental(cache_dir: Path, work: Path, repeat: int) -> list[Result]:
    import json

    from benchmarks import ingest_bench, scaled_round

    scaled = scaled_raw(cache_dir)
    units = json.loads(scaled_round.units_file(scaled.raw_dir).read_text(encoding="utf-8"))
    counter = iter(range(10_000))

    def add(raw_copy: Path, _k: int) -> None:
        scaled_round.new_submission(raw_copy, units, next(counter))

    return ingest_bench.measure_incremental(
        "scaled", scaled.raw_dir, work, add, repeat_full=1, repeat=min(repeat, 2)
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; always 0 unless the arguments are wrong."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections (default all: {','.join(SECTIONS)})",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip national-scale coverage and pandas+openpyxl on the scaled round",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("ANALYSIS_BENCH_CACHE", DEFAULT_CACHE)),
        help="where generated inputs are kept between runs",
    )
    parser.add_argument("--results", type=Path, default=harness.RESULTS_DIR,
                        help="where <timestamp>.json and latest.json go")  # fmt: skip
    args = parser.parse_args(argv)
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = args.only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    started = dt.datetime.now()
    info = harness.machine()
    print(f"analysis benchmarks — {started:%Y-%m-%d %H:%M}, {info['cpus']} CPUs, "
          f"load {info.get('load_average_at_start')}", flush=True)  # fmt: skip
    harness.compile_sources(harness.ROOT / "src")
    results = run(args)
    outcomes = harness.evaluate(TARGETS, results)
    print()
    print(harness.format_table(results))
    print()
    print(harness.format_outcomes(outcomes))
    path = harness.save(harness.report(results, outcomes, started, info), args.results)
    print(f"\nsaved {path} and {args.results / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
