"""Killing ingest at any moment never leaves a half-written table, and the next run recovers.

`python -m analysis ingest` runs in a child process and gets SIGKILL at seeded
random moments. After each kill every contract table in OUT is either absent
(when no run had finished), byte-identical to the previous complete run, or
byte-identical to the complete run the killed one would have made. Then an
uninterrupted run writes exactly what a run on a fresh OUT writes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))

import harness  # noqa: E402


def _start(raw: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "ingest",
            "--raw",
            str(raw),
            "--out",
            str(out),
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=harness.ROOT,
    )


def _complete(raw: Path, out: Path) -> dict[str, bytes]:
    proc = _start(raw, out)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode("utf-8", "replace")
    tables = harness.file_bytes(out)
    assert set(tables) == set(harness.CONTRACT_TABLES)
    return tables


def _kill_after(raw: Path, out: Path, seconds: float) -> bool:
    """Run ingest and SIGKILL it after `seconds`; True when it was killed before finishing."""
    proc = _start(raw, out)
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return True


def _assert_each_table_whole(out: Path, allowed: list[dict[str, bytes]]) -> None:
    present = harness.file_bytes(out)
    for name, data in present.items():
        choices = [a[name] for a in allowed if name in a]
        assert data in choices, f"{name}.csv is neither absent nor a complete earlier/later version"


def crash_cycle(tmp_path: Path, raw_a: Path, raw_b: Path, kills: int, seed: int) -> None:
    ref_a = _complete(raw_a, tmp_path / "ref_a")
    start = time.monotonic()
    ref_b = _complete(raw_b, tmp_path / "ref_b")
    duration = time.monotonic() - start
    assert ref_a != ref_b
    rng = random.Random(seed)
    out = tmp_path / "out"

    # Killed before any run finished: tables absent, or complete.
    _kill_after(raw_a, out, rng.uniform(0.3, 1.0) * duration)
    _assert_each_table_whole(out, [ref_a])
    assert _complete(raw_a, out) == ref_a

    # Input grew (raw_b); kill the update at random moments, resuming each time.
    for _ in range(kills):
        _kill_after(raw_b, out, rng.uniform(0.2, 1.1) * duration)
        _assert_each_table_whole(out, [ref_a, ref_b])
    # Resumes from whatever cache the kills left behind.
    assert _complete(raw_b, out) == ref_b


@pytest.fixture
def grown_raw(tmp_path) -> tuple[Path, Path]:
    raw_a = harness.mid_size_raw(tmp_path / "raw_a", files_per_unit=1, rows_per_file=30)
    raw_b = tmp_path / "raw_b"
    harness.mid_size_raw(raw_b, files_per_unit=2, rows_per_file=30)
    return raw_a, raw_b


def test_ingest_killed_twice_outputs_whole_then_identical(tmp_path, grown_raw):
    crash_cycle(tmp_path, *grown_raw, kills=2, seed=20190529)


@pytest.mark.slow
def test_ingest_on_demo_killed_many_times_outputs_whole_then_identical(tmp_path):
    from analysis import demo

    raw_b = tmp_path / "raw_b"
    demo.generate(raw_b, seed=11)
    raw_a = tmp_path / "raw_a"
    shutil.copytree(raw_b, raw_a)
    dropped = sorted((raw_a / "submissions").rglob("*.*"))[::3]
    for path in dropped:
        path.unlink()
    crash_cycle(tmp_path, raw_a, raw_b, kills=10, seed=7)
