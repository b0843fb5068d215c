"""Helper processes (analysis.parallel): the same tables whichever process reads a file.

The ingest spreads its files over helper processes only when there is much to
parse (POOL_MIN_BYTES); `ANALYSIS_PROCESSES` forces them on these small folders.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import analysis
from analysis import ingest, parallel
from tests.conftest import ROOT
from tests.fixtures import make_materials as mm
from tests.test_ingest import _snapshot, act, submission


def _round(raw: Path) -> None:
    """Eight submissions (two towns and a system, a byte-identical copy, a corrected
    version, a CSV, a file that is not a spreadsheet, an empty workbook) and five
    materials."""
    towns = [
        ("长阳镇", "长阳镇总工会", "长阳镇卫生院"),
        ("琉璃河镇", "琉璃河镇总工会", "琉璃河镇中心小学工会"),
    ]
    for name, unit, union in towns:
        submission(raw, f"{name}.xlsx", unit, [act(union), act("无名", participants="约30人")],
                   "2019-06-28")  # fmt: skip
    first = submission(
        raw, "r2/区教委.xlsx", "区教委工会", [act("区教委机关工会", day="2019-07-03")]
    )
    (raw / "submissions" / "r2" / "区教委（副本）.xlsx").write_bytes(first.read_bytes())
    submission(raw, "r2/区教委（更正）.xlsx", "区教委工会",
               [act("区教委机关工会", day="2019-07-04"), act("房山区实验中学工会")])  # fmt: skip
    (raw / "submissions" / "燕房物流.csv").write_text(
        "填报单位：,北京燕房物流有限公司工会\n基层工会名称,活动日期,学习内容,活动形式,参与人数,备注\n"
        "北京燕房物流有限公司工会,2019-06-05,切实抓好学习,讨论会,12,\n",
        encoding="utf-8",
    )
    (raw / "submissions" / "说明.xlsx").write_bytes(b"not a spreadsheet at all")
    from openpyxl import Workbook

    Workbook().save(raw / "submissions" / "空表.xlsx")
    # Materials, read with the spreadsheets: photos (one a re-encoded copy, one cut
    # short), a summary, and a zip holding a photo.
    photos = raw / "submissions" / "长阳镇照片"
    photos.mkdir()
    first = mm.jpeg(mm.picture(1), taken="2019:06:03 10:00:00")
    (photos / "学习会.jpg").write_bytes(first)
    (photos / "学习会（副本）.jpg").write_bytes(mm.reencoded(first))
    (photos / "坏.jpg").write_bytes(mm.truncated_jpeg())
    (raw / "submissions" / "长阳镇阶段总结.docx").write_bytes(
        mm.docx(["长阳镇总工会第一阶段总结", "开展活动12次，参加职工300人次。"])
    )
    (raw / "submissions" / "琉璃河镇照片.zip").write_bytes(
        mm.zip_of({"宣讲.jpg": mm.jpeg(mm.picture(2), taken="2019:06:05 09:00:00")})
    )


def test_helpers_make_the_same_tables_byte_for_byte(raw, monkeypatch):
    _round(raw)
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    alone = ingest.run(raw, raw.parent / "alone", full=True, progress=False)
    # This process takes no job before a helper has written one to the cache, so that
    # some files are read by helpers however slowly they start.
    helped_dir, local = raw.parent / "helped", []
    real = ingest._Work.process

    def after_a_helper(self, job):
        deadline = time.monotonic() + 60
        while not list(helped_dir.glob(".cache/*.pkl")) and time.monotonic() < deadline:
            time.sleep(0.01)
        local.append(job)
        return real(self, job)

    monkeypatch.setattr(ingest._Work, "process", after_a_helper)
    from analysis.materials import table as materials_table

    read_here: list[str] = []  # materials read by this process (not by the helpers)
    real_read = materials_table.read_facts

    def reading(item, limit):
        read_here.append(item.rel)
        return real_read(item, limit)

    monkeypatch.setattr(materials_table, "read_facts", reading)
    monkeypatch.setenv(parallel.PROCESSES_ENV, "3")
    helped = ingest.run(raw, helped_dir, full=True, progress=False)
    assert _snapshot(helped_dir) == _snapshot(raw.parent / "alone")
    assert helped.files_parsed == alone.files_parsed == 7  # the copy's bytes parsed once
    assert len(helped.materials) == 5 and helped.materials.equals(alone.materials)
    assert len(read_here) < 5  # what a helper read is not read again here
    assert len(local) < 7  # the helpers read the others
    # The cache the helpers wrote serves the next run: only the new file is parsed.
    submission(
        raw, "新.xlsx", "长阳镇总工会", [act("北京长阳建材有限公司工会委员会")], "2019-06-29"
    )
    again = ingest.run(raw, helped_dir, progress=False)
    assert again.files_parsed == 1
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    ingest.run(raw, raw.parent / "alone", full=True, progress=False)
    assert _snapshot(helped_dir) == _snapshot(raw.parent / "alone")


class Flagged:
    """A worker whose helpers leave a flag file; the run's own process waits for one.

    So that the test does not depend on how fast a helper starts: the run's process
    takes no job before a helper has finished one.
    """

    def __init__(self, folder: str, die_on: str = ""):
        self.folder, self.die_on = Path(folder), die_on

    def process(self, job: str) -> tuple[str, int]:
        if job == self.die_on:
            (self.folder / "died").touch()
            os._exit(3)  # a helper killed mid-job (out of memory, say)
        (self.folder / f"{job}.{os.getpid()}").touch()
        return job, os.getpid()


class Waiting(Flagged):
    """This process's worker: it takes its first job once `flag` (a glob) matches a file."""

    def __init__(self, folder: str, flag: str = "*"):
        super().__init__(folder)
        self.flag = flag

    def process(self, job: str) -> tuple[str, int]:
        deadline = time.monotonic() + 60
        while not list(self.folder.glob(self.flag)) and time.monotonic() < deadline:
            time.sleep(0.01)
        return job, os.getpid()


def test_helpers_and_this_process_share_the_jobs(tmp_path):
    jobs = [f"j{k}" for k in range(8)]
    with parallel.Helpers() as helpers:
        helpers.start(1)
        results = helpers.run(Flagged, (str(tmp_path),), jobs, list(range(8, 0, -1)),
                              Waiting(str(tmp_path)))  # fmt: skip
    assert sorted(results) == list(range(8))
    assert [results[j][0] for j in range(8)] == jobs  # by index, whoever ran it
    assert {pid for _, pid in results.values()} - {os.getpid()}, "no job ran in a helper"
    assert helpers.pool is None  # closed with the `with`


class Imported(Flagged):
    """A worker that tells whether a module is imported in the process that runs it."""

    def process(self, job: str) -> tuple[bool, int]:
        return job in sys.modules, os.getpid()


def import_wave() -> None:
    import wave  # noqa: F401 - imported for its effect on sys.modules


@pytest.mark.parametrize("ready", [import_wave, None])
def test_helpers_run_their_ready_function_as_they_start(tmp_path, ready):
    """A pool started ahead does its imports before its first job (nothing here imports `wave`)."""
    assert "wave" not in sys.modules
    with parallel.Helpers() as helpers:
        helpers.start(1, ready=ready)
        results = helpers.run(Imported, (str(tmp_path),), ["wave"] * 4, [1] * 4,
                              Waiting(str(tmp_path), "never"))  # fmt: skip
    helped = {imported for imported, pid in results.values() if pid != os.getpid()}
    assert helped == {ready is not None}


# A helper imports this module before its start-up function runs (to unpickle `ready`
# below); told so by the environment, it then asks for a mark at its interpreter's
# teardown, as pandas and pyarrow ask for theirs.
_TEARDOWN_MARK = "ANALYSIS_TEST_TEARDOWN_MARK"
if os.environ.get(_TEARDOWN_MARK):
    import atexit

    atexit.register(Path(os.environ[_TEARDOWN_MARK]).write_text, "torn down")


def nothing_to_import() -> None:
    """A `ready` function: imports this module into the helper before it starts."""


def test_a_helper_ends_without_tearing_its_heap_down(tmp_path, monkeypatch):
    """A helper let go (`close(wait=False)`) used to spend its interpreter's shutdown
    freeing what it held, its memory alive into the run's peak: it leaves at once now,
    its results delivered first."""
    mark = tmp_path / "mark" / "torn_down"
    mark.parent.mkdir()
    monkeypatch.setenv(_TEARDOWN_MARK, str(mark))
    jobs = [f"j{k}" for k in range(6)]
    with parallel.Helpers() as helpers:
        helpers.start(1, ready=nothing_to_import)
        processes = list(helpers.pool._processes.values())
        results = helpers.run(Flagged, (str(tmp_path),), jobs, list(range(6, 0, -1)),
                              Waiting(str(tmp_path), "j*"))  # fmt: skip
    assert sorted(results) == list(range(6))
    assert {pid for _, pid in results.values()} - {os.getpid()}, "no job ran in a helper"
    for process in processes:
        process.join(10)
        assert process.exitcode == 0
    assert not mark.exists()  # the helper's teardown did not run


def test_a_helper_that_dies_leaves_its_jobs_to_the_run(tmp_path):
    jobs = [f"j{k}" for k in range(12)]
    with parallel.Helpers() as helpers:
        helpers.start(1)
        # The helper takes j0 (largest, first in the queue) while this process waits.
        results = helpers.run(Flagged, (str(tmp_path), "j0"), jobs, list(range(12, 0, -1)),
                              Waiting(str(tmp_path), "died"))  # fmt: skip
    assert 0 not in results  # the job that killed its helper is the caller's to run
    # The jobs not yet handed to the helper were run here, and the run went on.
    assert sorted(results) == list(range(parallel.IN_FLIGHT, 12))
    assert all(results[j] == (jobs[j], os.getpid()) for j in results)


def test_a_script_without_a_main_guard_runs_once(raw, tmp_path):
    """A spawned helper imports its parent's __main__: an unguarded script must not start over."""
    _round(raw)
    script = tmp_path / "weekly.py"
    script.write_text(
        textwrap.dedent(f"""
            from analysis import ingest
            print("START", flush=True)
            ingest.run({str(raw)!r}, {str(tmp_path / "out")!r}, full=True, progress=False)
            print("END", flush=True)
        """),
        encoding="utf-8",
    )
    env = {**os.environ, parallel.PROCESSES_ENV: "2", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (done.stdout.count("START"), done.stdout.count("END")) == (1, 1)
    assert (tmp_path / "out" / "rows.csv").is_file()


@pytest.mark.parametrize(
    ("env", "work_bytes", "jobs", "cpus", "expected"),
    [
        ("", 10 << 20, 300, 2, 1),  # 2 CPUs: one helper, and this process
        ("", 10 << 20, 300, 8, parallel.MAX_HELPERS),
        ("", 1 << 20, 300, 8, 0),  # too little to parse for a helper to pay
        ("", 10 << 20, 1, 8, 0),  # one job: nobody to share it with
        ("", 10 << 20, 300, 1, 0),
        ("1", 10 << 20, 300, 8, 0),  # ANALYSIS_PROCESSES=1: this process alone
        ("3", 1, 300, 1, 2),  # forced, whatever the size and the CPUs
        ("3", 1, 2, 1, 1),  # never more helpers than jobs to share
    ],
)
def test_helper_count(monkeypatch, env, work_bytes, jobs, cpus, expected):
    monkeypatch.setenv(parallel.PROCESSES_ENV, env)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: cpus)
    assert parallel.helper_count(work_bytes, jobs, 4 << 20) == expected


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signal inheritance")
def test_helpers_start_deaf_to_ctrl_c():
    """A process started inside `_no_interrupt` ignores SIGINT from its first instruction
    (a Ctrl-C while a helper imports would print its traceback); the run's own does not."""
    code = "import signal; h = signal.getsignal(signal.SIGINT); print(getattr(h, 'name', None) or h.__name__)"
    probe = [sys.executable, "-c", code]
    import signal

    # As a terminal starts the run (a job started in the background ignores SIGINT).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with parallel._no_interrupt():
            inside = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
        restored = signal.getsignal(signal.SIGINT)
        outside = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "SIG_IGN" in inside
    assert "default_int_handler" in outside
    assert restored is signal.default_int_handler  # restored here


class Allocator(Flagged):
    """A worker that tells which allocator Arrow uses in the process that runs it."""

    def process(self, job: str) -> tuple[str, int]:
        import pyarrow as pa

        return pa.default_memory_pool().backend_name, os.getpid()


@pytest.mark.parametrize("chosen", ["system", "mimalloc"])
def test_helpers_use_the_allocator_of_the_run(tmp_path, monkeypatch, chosen):
    import pyarrow as pa

    if chosen not in pa.supported_memory_backends():
        pytest.skip(f"this pyarrow has no {chosen}")
    monkeypatch.setenv(analysis.ARROW_POOL_ENV, chosen)
    with parallel.Helpers() as helpers:
        helpers.start(1)
        results = helpers.run(Allocator, (str(tmp_path),), ["a"] * 4, [1] * 4,
                              Waiting(str(tmp_path), "never"))  # fmt: skip
    assert {backend for backend, pid in results.values() if pid != os.getpid()} == {chosen}


PROBE = """
import sys
import analysis
assert "pyarrow" not in sys.modules
import pandas, pyarrow as pa
print(pa.default_memory_pool().backend_name)
"""


@pytest.mark.parametrize(("chosen", "expected"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_the_package_chooses_the_system_allocator_unless_told(chosen, expected):
    """Set as the package is imported, before pyarrow loads; a value the user set is kept."""
    import pyarrow as pa

    if expected not in pa.supported_memory_backends():
        pytest.skip(f"this pyarrow has no {expected}")
    env = {k: v for k, v in os.environ.items() if k != analysis.ARROW_POOL_ENV}
    env["PYTHONPATH"] = str(ROOT / "src")
    if chosen is not None:
        env[analysis.ARROW_POOL_ENV] = chosen
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, timeout=120, check=True)  # fmt: skip
    assert done.stdout.split() == [expected]


BLAS_PROBE = """
import os, sys
import analysis
assert "numpy" not in sys.modules
print(os.environ[analysis.BLAS_THREADS_ENV])
"""


@pytest.mark.parametrize(("chosen", "expected"), [(None, "1"), ("2", "2")])
def test_the_package_starts_one_blas_thread_unless_told(chosen, expected):
    """Set as the package is imported, before numpy loads; a value the user set is kept."""
    env = {k: v for k, v in os.environ.items() if k != analysis.BLAS_THREADS_ENV}
    env["PYTHONPATH"] = str(ROOT / "src")
    if chosen is not None:
        env[analysis.BLAS_THREADS_ENV] = chosen
    done = subprocess.run([sys.executable, "-c", BLAS_PROBE], capture_output=True, text=True,
                          env=env, timeout=120, check=True)  # fmt: skip
    assert done.stdout.split() == [expected]
