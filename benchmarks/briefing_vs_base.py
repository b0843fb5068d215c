"""`make briefing` on the demo, this tree against a reference commit, measured in one run.

    python -m benchmarks.briefing_vs_base [--ref bc9678d] [--repeat 3] [--input own|ref]

The reference commit's tree is exported with `git archive` into a temporary folder
(nothing is added to the repository) and run with the same interpreter and packages
(`PYTHONPATH` points at its `src/`; the notebooks' kernels inherit it). Each side runs
`python -m analysis briefing --raw RAW --out OUT --reports REPORTS` into empty
folders, the two sides alternated `--repeat` times so that a busy moment of a shared
machine touches both; the medians and their ratio are printed. Issue 12's target:
this tree ≤ 0.8× the reference.

`--input own` (default): each side on its own demo district (`data/demo/raw` of its
tree), which is what `make briefing` does there; `--input ref`: both on the
reference's demo, the same files.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from benchmarks.harness import ROOT, Result, compile_sources, run_child

DEFAULT_REF = "bc9678d"
TARGET = 0.8


def export_tree(ref: str, into: Path) -> Path:
    """The files of `ref` under `into` (git archive, no worktree registered)."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def briefing_once(tree: Path, raw: Path, scratch: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one `python -m analysis briefing` of `tree`, empty outputs."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    argv = [sys.executable, "-m", "analysis", "briefing", "--raw", str(raw),
            "--out", str(scratch / "processed"), "--reports", str(scratch / "reports")]  # fmt: skip
    env = {"PYTHONPATH": str(tree / "src"), "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    run = run_child(argv, cwd=tree, env=env)
    if run.returncode != 0:
        tail = (run.stderr.strip().splitlines() or [""])[-1]
        raise RuntimeError(f"briefing of {tree} exited {run.returncode}: {tail}")
    return run.seconds, run.peak_mb


def compare(ref: str, repeat: int, same_input: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="briefing-vs-base-") as tmp:
        base = export_tree(ref, Path(tmp) / "ref")
        for tree in (base, ROOT):
            compile_sources(tree / "src")
        raws = {
            "ref": base / "data" / "demo" / "raw",
            "this": (base if same_input else ROOT) / "data" / "demo" / "raw",
        }
        trees = {"ref": base, "this": ROOT}
        times: dict[str, list[float]] = {"ref": [], "this": []}
        peaks: dict[str, list[float]] = {"ref": [], "this": []}
        for i in range(repeat):
            order = ("ref", "this") if i % 2 == 0 else ("this", "ref")
            for side in order:
                seconds, peak = briefing_once(trees[side], raws[side], Path(tmp) / f"out-{side}")
                times[side].append(seconds)
                peaks[side].append(peak)
                print(f"  {side:4s} run {i + 1}: {seconds:.2f} s, {peak:.0f} MiB", flush=True)
    median = {side: statistics.median(v) for side, v in times.items()}
    return {
        "ref": ref,
        "input": "ref" if same_input else "own",
        "seconds": times,
        "peak_mb": peaks,
        "median_s": median,
        "ratio": median["this"] / median["ref"],
    }


RESULT_NAMES = ["briefing.base", "briefing.this"]


def measure(repeat: int, ref: str = DEFAULT_REF) -> list[Result]:
    """`make bench`'s comparison: medians of `repeat` alternated runs of each side, each
    on its own demo, as results (the target: briefing.this / briefing.base ≤ 0.8)."""
    result = compare(ref, repeat, same_input=False)
    note = f"median of {repeat}, alternated; python -m analysis briefing, empty folders"
    return [
        Result(
            "briefing.base", seconds=result["median_s"]["ref"],
            peak_mb=max(result["peak_mb"]["ref"]), repeat=repeat,
            note=f"{ref} (git archive), its own demo; {note}",
        ),
        Result(
            "briefing.this", seconds=result["median_s"]["this"],
            peak_mb=max(result["peak_mb"]["this"]), repeat=repeat, baseline="briefing.base",
            note=f"this tree, its own demo; {note}",
        ),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.briefing_vs_base")
    parser.add_argument("--ref", default=DEFAULT_REF, help="reference commit (default bc9678d)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side, alternated")
    parser.add_argument("--input", choices=("own", "ref"), default="own",
                        help="each side's own demo (default) or both on the reference's")  # fmt: skip
    args = parser.parse_args(argv)
    result = compare(args.ref, args.repeat, args.input == "ref")
    verdict = "PASS" if result["ratio"] <= TARGET else "MISS"
    print(
        f"make briefing, median of {args.repeat}: this tree {result['median_s']['this']:.2f} s, "
        f"{args.ref} {result['median_s']['ref']:.2f} s -> {result['ratio']:.2f}x "
        f"[{verdict}] (target <= {TARGET}; input: {result['input']} demo)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
