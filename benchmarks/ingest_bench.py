"""Ingest benchmarks: full ingest vs the raw parse of the same files, and incremental re-runs.

Baselines, measured in the same run on the same files (roster and submissions):

- `parse.calamine`: the floor. python-calamine opens each spreadsheet and
  `to_python()`s every sheet; CSVs go through the csv module (UTF-8, else GB18030).
- `parse.pandas_calamine`: the four-line script an analyst could write today,
  `pd.read_excel(path, sheet_name=None, engine="calamine", header=None)` per
  workbook (CSVs as below): the ingest should cost no more than that.
- `parse.pandas_openpyxl`: what an analyst would write by hand,
  `pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)`. openpyxl
  cannot read .xls/.et/.ods, so those go through pandas' calamine engine in this
  baseline too; CSVs through the csv module into a DataFrame (`pd.read_csv` stops
  at the first row longer than the title row above the table).

Files that neither can open (the demo's corrupt, encrypted and not-a-spreadsheet
files) are counted as failures and cost what the attempt costs.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from analysis import config
from benchmarks import harness
from benchmarks.harness import Result, best_child, best_of, python_argv, run_child

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".ods", ".xlsb", ".csv"}
CALAMINE_ONLY = {".xls", ".et", ".ods", ".xlsb"}  # openpyxl cannot read these


def input_files(raw_dir: Path) -> list[Path]:
    """The files an ingest of `raw_dir` opens: the roster folder and every submission."""
    found = []
    for sub in (config.ROSTER_SUBDIR, config.SUBMISSIONS_SUBDIR):
        base = Path(raw_dir) / sub
        if base.is_dir():
            found += [
                p
                for p in sorted(base.rglob("*"))
                if p.is_file()
                and not p.name.startswith(("~$", "."))
                and not any(part.startswith(".") for part in p.relative_to(base).parts)
            ]
    return found


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text)))
    return []


def parse_calamine(files: list[Path]) -> dict[str, int]:
    """Read every cell of every sheet with python-calamine (CSV: csv module); counts."""
    from python_calamine import CalamineWorkbook

    counts = {"files": 0, "sheets": 0, "rows": 0, "failed": 0}
    for path in files:
        try:
            if path.suffix.lower() == ".csv":
                grids = [_csv_rows(path)]
            else:
                wb = CalamineWorkbook.from_path(str(path))
                grids = [wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names]
        except Exception:  # noqa: BLE001 - broken files cost what the attempt costs
            counts["failed"] += 1
            continue
        counts["files"] += 1
        counts["sheets"] += len(grids)
        counts["rows"] += sum(len(g) for g in grids)
    return counts


def _read_csv_pandas(path: Path):
    """A CSV as one DataFrame; ragged rows (a title row above the table) defeat pd.read_csv,
    so the rows come from the csv module, as a hand-written script would end up doing."""
    import pandas as pd

    return {"csv": pd.DataFrame(_csv_rows(path), dtype=object)}


def _count_frames(files: list[Path], read, counts: dict[str, int]) -> dict[str, int]:
    """Files, sheets and rows that `read(path)` (a dict of DataFrames) gives; failures counted."""
    for path in files:
        try:
            frames = read(path)
        except Exception:  # noqa: BLE001
            counts["failed"] += 1
            continue
        counts["files"] += 1
        counts["sheets"] += len(frames)
        counts["rows"] += sum(len(f) for f in frames.values())
    return counts


def parse_pandas_openpyxl(files: list[Path]) -> dict[str, int]:
    """`pd.read_excel(..., engine="openpyxl")` per workbook (xls/et/ods via calamine); counts."""
    import pandas as pd

    counts = {"files": 0, "sheets": 0, "rows": 0, "failed": 0, "via_calamine": 0}

    def read(path: Path):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return _read_csv_pandas(path)
        if suffix in CALAMINE_ONLY:
            frames = pd.read_excel(path, sheet_name=None, engine="calamine", header=None)
            counts["via_calamine"] += 1
            return frames
        return pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)

    return _count_frames(files, read, counts)


def parse_pandas_calamine(files: list[Path]) -> dict[str, int]:
    """`pd.read_excel(..., engine="calamine")` per workbook (CSV: csv module); counts."""
    import pandas as pd

    def read(path: Path):
        if path.suffix.lower() == ".csv":
            return _read_csv_pandas(path)
        return pd.read_excel(path, sheet_name=None, engine="calamine", header=None)

    return _count_frames(files, read, {"files": 0, "sheets": 0, "rows": 0, "failed": 0})


def _ingest_in_process(raw_dir: Path, out_dir: Path, full: bool):
    from analysis import ingest

    return ingest.run(raw_dir, out_dir, full=full, progress=False)


def measure_parse_and_ingest(
    label: str, raw_dir: Path, repeat: int, work_dir: Path, slow_repeat: int | None = None
) -> list[Result]:
    """`<label>.parse.calamine`, `.parse.pandas_calamine`, `.parse.pandas_openpyxl`, `.ingest.full`.

    `slow_repeat` runs of the pandas+openpyxl baseline (default `repeat`; 0 skips it).
    """
    # Every figure here is in-process, its imports done: the floor's pandas, the
    # ingest's package (start-up is in the command line's figures). With one run
    # per figure (the scaled round) the package's import would otherwise be timed
    # as part of the ingest, and with three it would not.
    import pandas  # noqa: F401

    import analysis.ingest  # noqa: F401

    files = input_files(raw_dir)
    slow = slow_repeat if slow_repeat is not None else repeat
    floor_s, floor = best_of(lambda: parse_calamine(files), repeat)
    script_s, script = best_of(lambda: parse_pandas_calamine(files), repeat)
    if slow > 0:
        hand_s, hand = best_of(lambda: parse_pandas_openpyxl(files), slow)
    out_dir = Path(tempfile.mkdtemp(prefix=f"{label}-out-", dir=work_dir))
    full_s, result = best_of(lambda: _ingest_in_process(raw_dir, out_dir, True), repeat)
    calamine_name = f"{label}.parse.calamine"
    return [
        Result(calamine_name, floor_s, repeat=repeat,
               note=f"{floor['files']} files, {floor['rows']:,} rows read, {floor['failed']} unreadable",
               extra=floor),
        Result(f"{label}.parse.pandas_calamine", script_s, repeat=repeat, baseline=calamine_name,
               note=f"pd.read_excel(engine='calamine'); {script['failed']} unreadable",
               extra=script),
        Result(f"{label}.parse.pandas_openpyxl", hand_s, repeat=slow, baseline=calamine_name,
               note=f"{hand['via_calamine']} xls/et/ods via calamine; {hand['failed']} unreadable",
               extra=hand)
        if slow > 0
        else harness.unavailable(f"{label}.parse.pandas_openpyxl", "skipped (--quick)"),
        Result(f"{label}.ingest.full", full_s, repeat=repeat, baseline=calamine_name,
               note=f"in-process, full=True: {result.files_read} files, {result.rows_read:,} rows",
               extra={"files": result.files_read, "rows": result.rows_read,
                      "accepted": result.count("rows", "accepted")}),
    ]  # fmt: skip


def _ingest_argv(raw_dir: Path, out_dir: Path, *extra: str) -> list[str]:
    return python_argv(
        "-m", "analysis", "ingest", "--raw", str(raw_dir), "--out", str(out_dir), "--quiet", *extra
    )


def parsed_since(out_dir: Path, since: float) -> int:
    """Parse cache entries written since `since` (epoch seconds): the files a run had to parse.

    The roster's entry, its names' keys and the record of the last run (run.json) are
    not parses.
    """
    cache = Path(out_dir) / ".cache"
    if not cache.is_dir():
        return 0
    return sum(
        1
        for p in cache.glob("*.pkl")
        if not p.name.startswith(("roster-", "names-")) and p.stat().st_mtime >= since
    )


def cached_runs(argv: list[str], out_dir: Path, repeat: int, expect: int, before=None):
    """Best of `repeat` CLI runs that parsed exactly `expect` files (others are discarded).

    The parse cache is keyed by the parsing code; on a shared working tree an edit
    between runs turns a cached re-run into a full parse, which is not what is measured.
    Returns (best ChildRun or None, runs discarded).
    """
    import time

    best, discarded, attempts = None, 0, 0
    while attempts < repeat + 3 and (best is None or attempts - discarded < repeat):
        if before is not None:
            before(attempts)
        since = time.time() - 0.01
        run = run_child(argv)
        attempts += 1
        if run.returncode != 0:
            raise RuntimeError(f"ingest exited {run.returncode}: {run.stderr.strip()[-200:]}")
        if parsed_since(out_dir, since) != expect:
            discarded += 1
            continue
        if best is None or run.seconds < best.seconds:
            best = run
    return best, discarded


def measure_incremental(
    label: str,
    raw_dir: Path,
    work_dir: Path,
    add_file,
    repeat_full: int = 1,
    repeat: int = 2,
) -> list[Result]:
    """Full ingest vs a re-run after adding one file, as CLI subprocesses and in-process.

    `add_file(raw_copy, k)` writes the k-th new workbook into the copy of the raw
    folder. The copy keeps the cached round untouched. A re-run counts only when it
    parsed what it should (nothing, or the one new file); see `cached_runs`.
    """
    raw_copy = Path(tempfile.mkdtemp(prefix=f"{label}-raw-", dir=work_dir)) / "raw"
    shutil.copytree(raw_dir, raw_copy)
    out_dir = raw_copy.parent / "out"
    full = best_child(_ingest_argv(raw_copy, out_dir, "--full"), repeat_full)
    run_child(_ingest_argv(raw_copy, out_dir))  # untimed: brings the cache up to date
    unchanged, lost_unchanged = cached_runs(_ingest_argv(raw_copy, out_dir), out_dir, repeat, 0)
    added = 0

    def add(_: int) -> None:
        nonlocal added
        add_file(raw_copy, added)
        added += 1

    incremental, lost_incremental = cached_runs(
        _ingest_argv(raw_copy, out_dir), out_dir, repeat, 1, before=add
    )
    in_process_s, last = best_of(
        lambda: _ingest_in_process(raw_copy, out_dir, False), repeat, before=add
    )
    # The analyst's `--full`: over the last run's tables, which its CSV splices from.
    again = best_child(_ingest_argv(raw_copy, out_dir, "--full"), 1)
    full_name = f"{label}.cli.full"

    def child_result(name: str, run, lost: int, note: str) -> Result:
        if run is None:
            return Result(name, status="error", note=f"every run re-parsed (code edited?): {note}")
        extra = f"; {lost} run(s) discarded: the code changed under them" if lost else ""
        return Result(name, run.seconds, run.peak_mb, repeat, baseline=full_name,
                      note=note + extra, tree_mb=run.tree_mb)  # fmt: skip

    return [
        Result(full_name, full.seconds, full.peak_mb, repeat_full, tree_mb=full.tree_mb,
               note="python -m analysis ingest --full (start-up included)"),
        Result(f"{label}.cli.full_again", again.seconds, again.peak_mb, 1, tree_mb=again.tree_mb,
               baseline=full_name, note="--full again, over the last run's tables and cache"),
        child_result(f"{label}.cli.unchanged", unchanged, lost_unchanged,
                     "re-run, nothing new: the last run's tables stand (run.json)"),
        child_result(f"{label}.cli.incremental", incremental, lost_incremental,
                     "re-run after adding one new workbook (1 parsed)"),
        Result(f"{label}.inproc.incremental", in_process_s, None, repeat,
               baseline=f"{label}.ingest.full",
               note=f"ingest.run after adding one workbook, in-process: {last.files_parsed} parsed"),
    ]  # fmt: skip


def measure_startup(repeat: int) -> list[Result]:
    """Interpreter start-up plus `import analysis.ingest` (the fixed cost of every CLI run)."""
    bare = best_child(python_argv("-c", "pass"), repeat)
    imports = best_child(python_argv("-c", "import analysis.ingest, analysis.cli"), repeat)
    return [
        Result("startup.python", bare.seconds, bare.peak_mb, repeat, note="python -c pass"),
        Result("startup.import_ingest", imports.seconds, imports.peak_mb, repeat,
               note="python -c 'import analysis.ingest, analysis.cli'"),
    ]  # fmt: skip
