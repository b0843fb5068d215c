"""Helper processes for work that splits by file (the ingest's parse and interpretation).

A run with much to parse spreads its files over helper processes while its own
process works too: the helpers take jobs from the large end of the queue and the
run's process from the small end, so that it is not idle while the helpers start
and the two meet in the middle. Results come back by job index, so what a run makes does not depend on
which process did which job.

Helpers are started by spawn on every system: a fork of a process that has started
Arrow's threads is not safe, and spawn is what Windows has anyway. They can be started
ahead of the jobs (`Helpers.start`), to import their modules while the run reads
the roster. A helper that dies leaves its jobs to the run's process.

`ANALYSIS_PROCESSES` (an integer) sets how many processes to use, the run's own
included: 1 is the run's process alone, whatever there is to do.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PROCESSES_ENV = "ANALYSIS_PROCESSES"
MAX_HELPERS = 3  # each holds its own imports (~110 MiB)
# Jobs handed to each helper at a time: with fewer, a helper waits for the run's
# process to finish a job of its own before it gets its next one.
IN_FLIGHT = 4


def helper_count(work_bytes: int, jobs: int, min_bytes: int) -> int:
    """How many helpers for `jobs` jobs over `work_bytes` of input (0: the run's process alone).

    None below `min_bytes` (a helper's start-up would cost more than it saves), else
    one fewer than the CPUs this process may use (it works too), at most MAX_HELPERS.
    """
    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    if wanted.isdigit():
        return max(0, min(int(wanted) - 1, jobs - 1))
    if work_bytes < min_bytes:
        return 0
    return max(0, min(usable_cpus() - 1, MAX_HELPERS, jobs - 1))


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # a container's or `taskset`'s limit
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


class Helpers:
    """A pool of helper processes, started on demand or ahead; closed with the `with`."""

    def __init__(self) -> None:
        self.pool = None
        self.count = 0

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, count: int, ready: Callable[[], object] | None = None) -> None:
        """Start `count` helpers now; once.

        Each calls `ready()` as it starts: a module-level function, which a helper
        imports with its module, so that a pool started ahead of its jobs has its
        imports done by the time the first job arrives (unpickling that job would
        import them otherwise).
        """
        if self.pool is not None or count < 1:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            self.pool = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(ready,),
            )
            with _bare_main(), _no_interrupt():  # spawn starts a helper per submit till one is idle
                for _ in range(count):
                    self.pool.submit(int)
            self.count = count
        except OSError as exc:  # no process could start: the run's process does the work
            log.warning("no helper process: %s", exc)
            self.close()

    def close(self, wait: bool = True) -> None:
        """Stop the helpers (`wait=False`: let them exit while this process goes on)."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool, self.count = None, 0

    def run(
        self,
        factory: Callable[..., Any],
        spec: tuple,
        jobs: Sequence[Any],
        sizes: Sequence[int],
        local: Any,
        done_one: Callable[[], object] = lambda: None,
    ) -> dict[int, Any]:
        """`worker.process(job)` for each job, by index; `local` is this process's worker.

        Each helper builds its worker once, `factory(*spec)` (a module-level class or
        function, so that it pickles by name). The spec reaches the helpers in a
        file: through the start-up pipe (~0.7 MiB for a 200,000-row round's roster)
        a helper still importing would keep this process waiting. Each helper has
        IN_FLIGHT jobs submitted at a time, from the large end; this process takes the
        small end, one job at a time, and collects what the helpers finished in
        between. Jobs a helper that died had taken are missing from the answer: the
        caller runs them.
        """
        from collections import deque
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        results: dict[int, Any] = {}
        if self.pool is None:
            return results
        queue = deque(sorted(range(len(jobs)), key=lambda j: -sizes[j]))
        running: dict[Any, int] = {}  # a helper's future -> its job
        spec_file = ""
        try:
            fd, spec_file = tempfile.mkstemp(prefix="analysis-helpers-", suffix=".pkl")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((factory, spec), fh, protocol=pickle.HIGHEST_PROTOCOL)
            while queue or running:
                # Each helper has its next jobs waiting, from the large end of the queue.
                while queue and len(running) < IN_FLIGHT * self.count:
                    j = queue.popleft()
                    running[self.pool.submit(_job, spec_file, jobs[j])] = j
                for future in [f for f in running if f.done()]:
                    results[running.pop(future)] = future.result()
                    done_one()
                if queue:  # this process takes the smallest job left
                    j = queue.pop()
                    results[j] = local.process(jobs[j])
                    done_one()
                elif running:
                    wait(running, return_when=FIRST_COMPLETED)
        except (BrokenProcessPool, OSError) as exc:  # the caller runs what is missing
            log.warning("helper processes failed, the run's process goes on: %s", exc)
            for j in queue:
                results[j] = local.process(jobs[j])
                done_one()
        finally:
            if spec_file:
                Path(spec_file).unlink(missing_ok=True)
        return results


@contextlib.contextmanager
def _bare_main():
    """Processes spawned meanwhile do not run the caller's script again.

    A spawned child imports its parent's `__main__` (to find what was defined
    there); a helper needs only this package, and a script that calls the ingest
    without an `if __name__ == "__main__":` guard would start over in each helper.
    """
    import types

    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


@contextlib.contextmanager
def _no_interrupt():
    """Processes started meanwhile ignore Ctrl-C from their first instruction.

    An ignored signal stays ignored across exec, and Python then installs no
    KeyboardInterrupt handler: a Ctrl-C while a helper is still importing would
    otherwise print its traceback. The run handles Ctrl-C and stops the helpers.
    (Only the main thread may set handlers; elsewhere this does nothing.)
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_WORKERS: dict[str, Any] = {}  # in a helper: the worker built from each spec file


def _start(ready: Callable[[], object] | None = None) -> None:
    import signal

    # Arrow's allocator is the one the run's process chose (analysis.ARROW_POOL_ENV).
    #
    # Ctrl-C is the run's to handle: it stops the helpers when it stops (each ending
    # its job), and no helper prints a traceback of its own (see `_no_interrupt`;
    # again here for Windows, where a child does not inherit the setting).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.register(_leave)
    if ready is not None:
        ready()


def _leave() -> None:
    """A helper's last act: end the process without tearing its heap down.

    The run lets its helpers go (`Helpers.close(wait=False)`) and builds the tables
    meanwhile; a helper's interpreter shutdown (modules torn down, pandas' and
    pyarrow's objects freed one by one) kept its ~100 MiB alive into the run's peak:
    the run and its helpers summed 306-327 MiB for the scaled round, 269-273 MiB with
    this. By the time `atexit` runs, multiprocessing has flushed the helper's queues;
    nothing else of a helper needs a clean shutdown.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(0)


def _job(spec_file: str, job: Any) -> Any:
    worker = _WORKERS.get(spec_file)
    if worker is None:
        with open(spec_file, "rb") as fh:
            factory, spec = pickle.load(fh)  # noqa: S301 - written by the run just now
        worker = _WORKERS[spec_file] = factory(*spec)
    return worker.process(job)
