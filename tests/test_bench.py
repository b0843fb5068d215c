"""The benchmark harness's logic: targets, ratios, the table, the JSON; no timed tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import harness
from benchmarks.briefing_bench import _child_json, _compute_seconds, _stage_timings
from benchmarks.harness import Result, Target, evaluate, format_outcomes, format_table
from benchmarks.ingest_bench import input_files, parse_calamine

RATIO = Target("fast", "ingest within 2x the floor", "ingest", 2.0, "<=", "floor")
SPEEDUP = Target("speedup", "5x faster than openpyxl", "openpyxl", 5.0, ">=", "ingest")
ABSOLUTE = Target("national", "under 15 s", "coverage", 15.0, "<=")
MEMORY = Target("memory", "under 3 GiB", "coverage", 3072.0, "<=", field="peak_mb")


def _results(ingest=3.0, floor=2.0, openpyxl=30.0, coverage=14.0, peak=4000.0) -> list[Result]:
    return [
        Result("floor", floor, repeat=3),
        Result("ingest", ingest, repeat=3, baseline="floor"),
        Result("openpyxl", openpyxl, repeat=1, baseline="floor"),
        Result("coverage", coverage, peak, repeat=1),
    ]


@pytest.mark.parametrize(
    ("target", "value", "verdict"),
    [
        (RATIO, 1.5, "PASS"),  # 3.0 s / 2.0 s
        (SPEEDUP, 10.0, "PASS"),  # 30.0 s / 3.0 s
        (ABSOLUTE, 14.0, "PASS"),
        (MEMORY, 4000.0, "MISS"),
    ],
)
def test_evaluate_targets_value_and_verdict(target, value, verdict):
    (outcome,) = evaluate([target], _results())
    assert outcome.value == pytest.approx(value)
    assert outcome.verdict == verdict


def test_evaluate_ratio_over_threshold_misses():
    (outcome,) = evaluate([RATIO], _results(ingest=5.0, floor=2.0))
    assert outcome.value == pytest.approx(2.5)
    assert outcome.verdict == "MISS"


def test_evaluate_speedup_under_threshold_misses():
    (outcome,) = evaluate([SPEEDUP], _results(ingest=10.0, openpyxl=30.0))
    assert outcome.value == pytest.approx(3.0)
    assert outcome.verdict == "MISS"


def test_evaluate_threshold_itself_passes():
    (outcome,) = evaluate([RATIO], _results(ingest=4.0, floor=2.0))
    assert outcome.verdict == "PASS"


@pytest.mark.parametrize("missing", ["floor", "ingest"])
def test_evaluate_unavailable_subject_not_applicable(missing):
    results = [
        harness.unavailable(r.name, "not there yet") if r.name == missing else r for r in _results()
    ]
    (outcome,) = evaluate([RATIO], results)
    assert outcome.verdict == "N/A"
    assert outcome.value is None
    assert missing in outcome.why


def test_evaluate_absent_result_not_applicable():
    (outcome,) = evaluate([ABSOLUTE], [Result("floor", 1.0)])
    assert outcome.verdict == "N/A"


def test_evaluate_zero_denominator_misses_instead_of_dividing_by_zero():
    (outcome,) = evaluate([RATIO], _results(floor=0.0))
    assert outcome.value == float("inf")
    assert outcome.verdict == "MISS"


@given(
    value=st.floats(min_value=0.001, max_value=1e4),
    threshold=st.floats(min_value=0.001, max_value=1e4),
    op=st.sampled_from(["<=", ">="]),
)
def test_evaluate_verdict_agrees_with_comparison(value, threshold, op):
    target = Target("t", "t", "x", threshold, op)
    (outcome,) = evaluate([target], [Result("x", value)])
    expected = value <= threshold if op == "<=" else value >= threshold
    assert (outcome.verdict == "PASS") == expected
    assert outcome.verdict in ("PASS", "MISS")


def test_ratio_divides_by_baseline_seconds():
    results = _results(ingest=3.0, floor=2.0, openpyxl=30.0)
    assert harness.ratio(results, "ingest") == pytest.approx(1.5)
    assert harness.ratio(results, "openpyxl") == pytest.approx(15.0)
    assert harness.ratio(results, "floor") is None  # no baseline


def test_best_of_keeps_fastest_and_runs_before_each_call():
    durations = iter([0.0, 0.0, 0.0])
    seen: list[int] = []
    seconds, value = harness.best_of(lambda: next(durations) or "done", 3, before=seen.append)
    assert seen == [0, 1, 2]
    assert value == "done"
    assert 0 <= seconds < 0.5


def test_format_table_shows_ratio_and_unavailable():
    results = [*_results(), harness.unavailable("briefing.total", "briefing.run is not there")]
    text = format_table(results)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["measurement", "best", "s"]
    ingest = next(line for line in lines if line.startswith("ingest "))
    assert "1.50 × floor" in ingest
    assert "3.000" in ingest
    unavailable = next(line for line in lines if line.startswith("briefing.total"))
    assert "not available" in unavailable and "briefing.run is not there" in unavailable


def test_format_outcomes_prints_miss_summary():
    outcomes = evaluate([RATIO, MEMORY, ABSOLUTE], _results(ingest=5.0))
    text = format_outcomes(outcomes)
    assert "[MISS] ingest within 2x the floor: 2.5" in text
    assert "[PASS] under 15 s: 14" in text
    assert "!!! 2 target(s) MISSED: fast, memory" in text


def test_format_outcomes_all_met_says_so():
    text = format_outcomes(evaluate([ABSOLUTE], _results()))
    assert "All measured targets met." in text
    assert "MISSED" not in text


def test_save_writes_timestamped_and_latest_json(tmp_path: Path):
    results = _results(ingest=5.0)
    outcomes = evaluate([RATIO, ABSOLUTE], results)
    started = dt.datetime(2026, 11, 25, 14, 5, 9)
    document = harness.report(results, outcomes, started, info={"cpus": 2})
    path = harness.save(document, tmp_path)
    assert path == tmp_path / "20261125T140509.json"
    latest = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert latest == json.loads(path.read_text(encoding="utf-8"))
    assert set(latest) == {"started", "finished", "machine", "results", "targets", "misses"}
    assert latest["machine"] == {"cpus": 2}
    assert latest["misses"] == ["fast"]
    ingest = next(r for r in latest["results"] if r["name"] == "ingest")
    assert ingest["seconds"] == 5.0 and ingest["baseline"] == "floor"
    assert ingest["ratio"] == pytest.approx(2.5)
    assert {t["name"]: t["verdict"] for t in latest["targets"]} == {
        "fast": "MISS",
        "national": "PASS",
    }


def test_guarded_missing_subject_is_not_available():
    def measure():
        raise ImportError("benchmarks.coverage_scale is not there yet")

    results = harness.guarded(["coverage.city", "coverage.national"], measure)
    assert [r.name for r in results] == ["coverage.city", "coverage.national"]
    assert {r.status for r in results} == {"not available"}
    assert "not there yet" in results[0].note


def test_guarded_failure_is_error_not_exception(capsys):
    def measure():
        raise RuntimeError("ingest exited 1")

    (result,) = harness.guarded(["scaled.cli.full"], measure)
    assert result.status == "error"
    assert "ingest exited 1" in result.note
    assert "RuntimeError" in capsys.readouterr().err


def test_peak_wrapped_only_wraps_python_module_or_code():
    wrapped = harness.peak_wrapped(harness.python_argv("-m", "analysis", "ingest"), Path("/p"))
    assert wrapped[1] == "-c" and wrapped[3:] == ["/p", "-m", "analysis", "ingest"]
    assert harness.peak_wrapped(["ls", "-l"], Path("/p")) == ["ls", "-l"]


def test_run_child_reports_exit_status_output_and_memory():
    run = harness.run_child(harness.python_argv("-c", "import sys; print('多少'); sys.exit(3)"))
    assert run.returncode == 3
    assert run.stdout.strip() == "多少"
    assert 1 < run.peak_mb < 500


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux /proc only")
def test_run_child_counts_the_memory_of_its_helpers_too():
    """Two helpers of ~80 MiB each: the process's own peak misses them, the tree does not."""
    code = (
        "import subprocess, sys, time\n"
        "hold = 'b = bytearray(80 << 20); b[::4096] = b\"x\" * len(b[::4096]); time.sleep(1.0)'\n"
        "procs = [subprocess.Popen([sys.executable, '-c', 'import time; ' + hold]) for _ in (1, 2)]\n"
        "[p.wait() for p in procs]\n"
    )
    run = harness.run_child(harness.python_argv("-c", code))
    assert run.returncode == 0
    assert run.peak_mb < 60  # the parent itself holds little
    assert run.tree_mb is not None and 150 < run.tree_mb < 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ingest: 1.25 s\nnotebooks: 10 s\n", {"ingest": 1.25, "notebooks": 10.0}),
        ("charts 3.5秒 exports 0.4 s", {"charts": 3.5, "exports": 0.4}),
        ("报告已生成", {}),
    ],
)
def test_stage_timings_read_from_output(text, expected):
    assert _stage_timings(text) == expected


def test_child_json_takes_marked_line_and_compute_seconds():
    stdout = 'noise\n@@BENCH-JSON@@{"coverage_s": 2.5, "peak_rss_mb": 900}\n'
    detail = _child_json(stdout)
    assert detail == {"coverage_s": 2.5, "peak_rss_mb": 900}
    assert _compute_seconds(detail) == 2.5
    assert _compute_seconds({"generate_s": 3}) is None


def test_input_files_skip_lock_and_hidden_files(tmp_path: Path):
    for rel in ["roster/名册.xlsx", "submissions/r1/a.csv", "submissions/r1/~$a.xlsx",
                "submissions/.hidden/b.csv", "submissions/.c.csv", "other/x.csv"]:  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in input_files(tmp_path)]
    assert found == ["roster/名册.xlsx", "submissions/r1/a.csv"]


def test_parse_calamine_counts_rows_and_failures(tmp_path: Path):
    (tmp_path / "gbk.csv").write_bytes("单位,人数\n长阳镇,50\n拱辰街道,约30人\n".encode("gb18030"))
    (tmp_path / "utf8.csv").write_bytes("单位,人数\n良乡镇,20\n".encode("utf-8-sig"))
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    counts = parse_calamine(sorted(tmp_path.iterdir()))
    assert counts == {"files": 2, "sheets": 2, "rows": 5, "failed": 1}


def test_scaled_round_is_deterministic_and_sized(tmp_path: Path):
    from benchmarks import scaled_round

    spec = scaled_round.Spec(n_reporting_units=2, n_rows=120, unions_per_unit=5)
    first = scaled_round.generate(tmp_path / "a" / "raw", spec)
    second = scaled_round.generate(tmp_path / "b" / "raw", spec)
    files_a = sorted(p.relative_to(first.raw_dir) for p in first.raw_dir.rglob("*") if p.is_file())
    files_b = sorted(
        p.relative_to(second.raw_dir) for p in second.raw_dir.rglob("*") if p.is_file()
    )
    assert files_a == files_b
    assert all(
        (first.raw_dir / f).read_bytes() == (second.raw_dir / f).read_bytes() for f in files_a
    )
    assert first.files == 6  # 2 reporting units x 3 rounds
    assert len([f for f in files_a if f.parts[0] == "roster"]) == 1
    # 120 rows over 6 files = 20 per file, scaled by 0.6..1.4 and floored at 20
    assert 6 * 20 <= first.rows <= 6 * 28


def test_parsed_since_counts_cache_entries_written_after(tmp_path: Path):
    import os

    from benchmarks.ingest_bench import parsed_since

    cache = tmp_path / ".cache"
    cache.mkdir()
    written = [("old.pkl", 1_000.0), ("new.pkl", 2_000.0), ("newer.pkl", 3_000.0),
               ("roster-1.pkl", 3_000.0), ("names-1.pkl", 3_000.0),
               ("run.json", 3_000.0)]  # not parses  # fmt: skip
    for name, mtime in written:
        (cache / name).write_bytes(b"x")
        os.utime(cache / name, (mtime, mtime))
    assert parsed_since(tmp_path, 1_500.0) == 2
    assert parsed_since(tmp_path, 5_000.0) == 0
    assert parsed_since(tmp_path / "missing", 0.0) == 0
