"""The benchmark harness: timings, peak memory of child processes, targets, table and JSON.

A `Result` is one measurement (best of a few runs, `time.perf_counter`); it may name
a `baseline` measured in the same run, and the table shows it as a ratio. A
`Target` is a threshold on a result's value or on the ratio of two results; it
evaluates to PASS, MISS or N/A (a subject that is not available). Peak memory is
the child's own `ru_maxrss`, read with `os.wait4` on a fresh subprocess, so it is
not the harness's memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]  # the checkout: `benchmarks` is importable from here
RESULTS_DIR = ROOT / "benchmarks" / "results"
Status = Literal["ok", "not available", "error"]
Verdict = Literal["PASS", "MISS", "N/A"]


@dataclass
class Result:
    """One measurement: best seconds of `repeat` runs, optional peak memory and baseline."""

    name: str
    seconds: float | None = None
    peak_mb: float | None = None
    repeat: int = 0
    # The process and its helpers together: the largest sum of their proportional set
    # sizes (PSS, shared pages split between the processes that map them), sampled
    # every 20 ms (Linux; None elsewhere).
    tree_mb: float | None = None
    baseline: str | None = None  # another result's name; the table shows seconds / its seconds
    status: Status = "ok"
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """A goal: `value op threshold`, value = numerator's field, or numerator / denominator."""

    name: str
    description: str
    numerator: str
    threshold: float
    op: Literal["<=", ">="] = "<="
    denominator: str | None = None
    field: Literal["seconds", "peak_mb", "tree_mb"] = "seconds"


@dataclass(frozen=True)
class Outcome:
    """A target evaluated against the results of one run."""

    name: str
    description: str
    value: float | None
    threshold: float
    op: str
    verdict: Verdict
    why: str = ""


@dataclass
class ChildRun:
    """A finished child process: wall seconds, peak resident memory, exit status, output."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    tree_mb: float | None = None  # see Result.tree_mb


# --------------------------------------------------------------------------- timing


def best_of(
    fn: Callable[[], object], repeat: int, before: Callable[[int], object] | None = None
) -> tuple[float, object]:
    """The fastest of `repeat` calls of `fn` (seconds) and the last call's return value.

    `before(i)` runs untimed before the i-th call (e.g. add a new file).
    """
    best, value = float("inf"), None
    for i in range(max(1, repeat)):
        if before is not None:
            before(i)
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


# Runs `python -m mod …` / `python -c code …` and, at exit, writes the process's own peak
# RSS (VmHWM, KiB). ru_maxrss from wait4 is no use for a child of a big process: Linux
# folds the forked parent's memory into the child's maxrss when it execs.
_PEAK_WRAPPER = """
import atexit, runpy, sys
_peak_file = sys.argv[1]
def _write_peak():
    try:
        with open('/proc/self/status') as fh:
            for line in fh:
                if line.startswith('VmHWM:'):
                    with open(_peak_file, 'w') as out:
                        out.write(line.split()[1])
    except OSError:
        pass
atexit.register(_write_peak)
_mode, _target, *_rest = sys.argv[2:]
if _mode == '-m':
    sys.argv = [_target, *_rest]
    runpy.run_module(_target, run_name='__main__', alter_sys=True)
else:
    sys.argv = ['-c', *_rest]
    exec(compile(_target, '<string>', 'exec'), {'__name__': '__main__'})
"""


def peak_wrapped(argv: Sequence[str], peak_file: Path) -> list[str]:
    """`argv` run through the peak-memory wrapper when it is `python -m/-c …`, else as is."""
    if len(argv) >= 3 and argv[0] == sys.executable and argv[1] in ("-m", "-c"):
        return [sys.executable, "-c", _PEAK_WRAPPER, str(peak_file), *argv[1:]]
    return list(argv)


def run_child(
    argv: Sequence[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 1800.0,
) -> ChildRun:
    """Run `argv` as a fresh process; wall time and its own peak RSS in MiB.

    Peak memory is VmHWM written by the child at exit for Python children, else the
    child's ru_maxrss from wait4 (which includes the harness's memory at fork time).
    """
    child_env = with_root_on_path({**os.environ, **(env or {})})
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        peak_file = Path(tmp) / "peak"
        start = time.perf_counter()
        proc = subprocess.Popen(
            peak_wrapped(argv, peak_file), cwd=cwd, env=child_env, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        tree = _TreeMemory(proc.pid)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            tree.stop()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        peak_kib = peak_file.read_text().strip() if peak_file.exists() else ""
    if peak_kib.isdigit():
        peak_mb = int(peak_kib) / 1024
    else:
        scale = 1 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
        peak_mb = usage.ru_maxrss * scale / 2**20
    return ChildRun(seconds, peak_mb, proc.returncode, stdout, stderr, tree.peak_mb)


class _TreeMemory:
    """The largest sum of PSS over a process and its descendants, sampled in a thread.

    A run that spreads its work over helper processes is measured whole: VmHWM is
    one process's peak. PSS splits each shared page between the processes mapping
    it, so the libraries every helper maps are not counted once per helper.
    """

    def __init__(self, pid: int, every: float = 0.02):
        self.pid, self.every, self.kib = pid, every, 0
        self.available = Path(f"/proc/{pid}/smaps_rollup").exists()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if self.available:
            self._thread.start()

    @property
    def peak_mb(self) -> float | None:
        return self.kib / 1024 if self.available and self.kib else None

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.kib = max(self.kib, sum(_pss_kib(p) for p in _descendants(self.pid)))


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:  # gone meanwhile
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def best_child(
    argv: Sequence[str],
    repeat: int,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    before: Callable[[int], object] | None = None,
) -> ChildRun:
    """The fastest of `repeat` child runs (its peak memory is the largest seen in any run).

    `before(i)` runs before the i-th run and is not timed (e.g. add a new file).
    Raises RuntimeError when a child fails: a benchmark of a failing command means nothing.
    """
    best: ChildRun | None = None
    peak = tree = 0.0
    for i in range(max(1, repeat)):
        if before is not None:
            before(i)
        run = run_child(argv, cwd=cwd, env=env)
        if run.returncode != 0:
            tail = (run.stderr.strip().splitlines() or [""])[-1]
            raise RuntimeError(f"{' '.join(argv[-4:])} exited {run.returncode}: {tail}")
        peak = max(peak, run.peak_mb)
        tree = max(tree, run.tree_mb or 0.0)
        if best is None or run.seconds < best.seconds:
            best = run
    assert best is not None
    best.peak_mb, best.tree_mb = peak, tree or None
    return best


def compile_sources(src: Path) -> None:
    """Byte-compile a tree's package, as an installed program's first run leaves it.

    Every command-line figure includes start-up. Where PYTHONDONTWRITEBYTECODE is set
    (some shells and containers set it) no run writes its bytecode, so each would
    compile the package's ~40 modules again (~0.07 s for the ingest); the analyst's
    runs do not. Written here once, explicitly (the variable only stops imports from
    writing), for this tree and for the reference tree the briefing is compared with.
    """
    import compileall

    compileall.compile_dir(str(src), quiet=1)


def with_root_on_path(env: dict[str, str]) -> dict[str, str]:
    """`env` with the checkout on PYTHONPATH, so that a child can import `benchmarks`."""
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + path if path else "")
    return env


def python_argv(*args: str) -> list[str]:
    """`python -m ...` with the interpreter running the harness (the project's .venv)."""
    return [sys.executable, *args]


# --------------------------------------------------------------------------- guarding


def unavailable(name: str, why: str) -> Result:
    """A measurement whose subject is not there (yet)."""
    return Result(name, status="not available", note=why)


def guarded(names: Iterable[str], measure: Callable[[], list[Result]]) -> list[Result]:
    """Run a measurement group; a missing subject or a failure marks its results, never raises."""
    try:
        return measure()
    except (ImportError, AttributeError, FileNotFoundError, NotImplementedError) as exc:
        why = f"{type(exc).__name__}: {exc}"
        return [unavailable(n, why) for n in names]
    except Exception as exc:  # noqa: BLE001 - one broken subject must not stop the others
        traceback.print_exc(file=sys.stderr)
        why = f"{type(exc).__name__}: {exc}"
        return [Result(n, status="error", note=why) for n in names]


# --------------------------------------------------------------------------- targets


def _value(results: dict[str, Result], name: str, attr: str) -> float | None:
    result = results.get(name)
    if result is None or result.status != "ok":
        return None
    value = getattr(result, attr)
    return None if value is None else float(value)


def evaluate(targets: Sequence[Target], results: Sequence[Result]) -> list[Outcome]:
    """Each target's value and verdict; N/A when a result it needs is missing."""
    by_name = {r.name: r for r in results}
    outcomes = []
    for t in targets:
        value = _value(by_name, t.numerator, t.field)
        missing = [t.numerator] if value is None else []
        if t.denominator is not None:
            denominator = _value(by_name, t.denominator, t.field)
            if denominator is None:
                missing.append(t.denominator)
            elif value is not None:
                value = value / denominator if denominator > 0 else float("inf")
        if missing:
            why = "not measured: " + ", ".join(missing)
            outcomes.append(Outcome(t.name, t.description, None, t.threshold, t.op, "N/A", why))
            continue
        assert value is not None
        ok = value <= t.threshold if t.op == "<=" else value >= t.threshold
        verdict: Verdict = "PASS" if ok else "MISS"
        outcomes.append(Outcome(t.name, t.description, value, t.threshold, t.op, verdict))
    return outcomes


def ratio(results: Sequence[Result], name: str) -> float | None:
    """A result's seconds divided by its baseline's seconds (None when either is missing)."""
    by_name = {r.name: r for r in results}
    result = by_name.get(name)
    if result is None or result.baseline is None:
        return None
    num = _value(by_name, name, "seconds")
    den = _value(by_name, result.baseline, "seconds")
    if num is None or not den:
        return None
    return num / den


# --------------------------------------------------------------------------- report


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_table(results: Sequence[Result]) -> str:
    """A plain-text table: name, best seconds, ratio to baseline, peak MiB, runs, note.

    Peak MiB is the largest process's; with helpers, "all" adds every process's PSS.
    """
    header = ("measurement", "best s", "× baseline", "peak MiB", "n", "note")
    lines = []
    for r in results:
        if r.status != "ok":
            lines.append((r.name, r.status, "", "", "", r.note[:90]))
            continue
        rel = ratio(results, r.name)
        rel_text = f"{rel:.2f} × {r.baseline}" if rel is not None else ""
        peak = _fmt(r.peak_mb, ".0f")
        if r.tree_mb is not None and r.peak_mb is not None and r.tree_mb > r.peak_mb * 1.05:
            peak += f" (all {r.tree_mb:.0f})"
        lines.append(
            (r.name, _fmt(r.seconds, ".3f"), rel_text, peak, str(r.repeat), r.note[:90])
        )  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in lines
    ]
    return "\n".join(out)


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def format_outcomes(outcomes: Sequence[Outcome]) -> str:
    """One loud line per target, then a MISS summary."""
    out = []
    for o in outcomes:
        value = "not measured" if o.value is None else _num(o.value)
        out.append(f"[{o.verdict:4}] {o.description}: {value} (target {o.op} {_num(o.threshold)})"
                   + (f" — {o.why}" if o.why else ""))  # fmt: skip
    misses = [o for o in outcomes if o.verdict == "MISS"]
    unknown = [o for o in outcomes if o.verdict == "N/A"]
    out.append("")
    if misses:
        out.append(f"!!! {len(misses)} target(s) MISSED: " + ", ".join(o.name for o in misses))
    else:
        out.append("All measured targets met.")
    if unknown:
        out.append(
            f"    {len(unknown)} target(s) not measured: " + ", ".join(o.name for o in unknown)
        )
    return "\n".join(out)


def machine() -> dict:
    """Where the run happened (the figures mean little without it)."""
    import pandas

    info = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "cpus": os.cpu_count(),
    }
    with contextlib.suppress(OSError):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    try:
        import python_calamine

        info["python_calamine"] = getattr(python_calamine, "__version__", "?")
    except ImportError:
        pass
    return info


def report(
    results: Sequence[Result],
    outcomes: Sequence[Outcome],
    started: dt.datetime,
    info: dict | None = None,
) -> dict:
    """The JSON document of one run."""
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": info if info is not None else machine(),
        "results": [{**asdict(r), "ratio": ratio(results, r.name)} for r in results],
        "targets": [asdict(o) for o in outcomes],
        "misses": [o.name for o in outcomes if o.verdict == "MISS"],
    }


def save(document: dict, results_dir: Path = RESULTS_DIR) -> Path:
    """Write `<timestamp>.json` and `latest.json` under `results_dir`; returns the first."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = document["started"].replace(":", "").replace("-", "")
    text = json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n"
    path = results_dir / f"{stamp}.json"
    path.write_text(text, encoding="utf-8")
    (results_dir / "latest.json").write_text(text, encoding="utf-8")
    return path
