"""The notebooks of `make briefing`, executed in a process of their own.

`NotebookRuns` starts the process before the run ingests: its kernel starts and imports
the package meanwhile. It then runs the three notebooks in turn in that one kernel,
each in a new IPython session (empty namespace, cells numbered from 1; the imported
modules stay), and writes 情况通报.html from the last. Kept apart from `briefing` (the
run's driver and the notebooks' display helpers).
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from analysis import config
from analysis.messages import briefing_line

NOTEBOOKS = ("01_ingest.ipynb", "02_coverage.ipynb", "03_briefing.ipynb")


def skip_unused_grammar() -> None:
    """Keep `rfc3987_syntax` from loading in this process (call before importing papermill).

    jsonschema (imported by nbformat, so by papermill and nbconvert) imports it, when
    installed, only to check the "iri" string format, which no notebook schema uses;
    importing it builds a Lark grammar, about 0.8 s per process. jsonschema skips that
    check when the import fails. (It is installed for JupyterLab's event schemas.)
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


# What the kernel imports while it waits for the run's parameters: what the notebooks'
# cells import, so that they find it loaded.
WARM_UP = (
    "import analysis.briefing, analysis.reporting, analysis.charts, analysis.publicity_figures,"
    " analysis.exports.materials, IPython.display"
)
# Between two notebooks run in one kernel: a new session (empty namespace, cells counted
# from 1 again), the imported modules kept.
NEW_SESSION = "get_ipython().reset(new_session=True)"


def _run_silently(km, code: str) -> None:
    """Run `code` in the kernel of `km` without output or a cell number."""
    from jupyter_core.utils import run_sync

    async def execute() -> None:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute(code, silent=True, store_history=False)
            while (await kc.get_shell_msg(timeout=60))["parent_header"].get("msg_id") != msg_id:
                pass
        finally:
            kc.stop_channels()

    run_sync(execute)()


def _warm_kernel(code: str):
    """A kernel started in the notebooks' folder that has run `code` (its imports), or None
    when it would not start (papermill then starts one itself)."""
    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name="python3")
    try:
        run_sync(km.start_kernel)(cwd=str(config.NOTEBOOKS_DIR))
        _run_silently(km, code)
        return km
    except Exception:  # papermill starts its own kernel and reports what goes wrong
        _stop_kernel(km)
        return None


def _alive(km) -> bool:
    from jupyter_core.utils import run_sync

    try:
        return km is not None and bool(run_sync(km.is_alive)())
    except Exception:
        return False


def _stop_kernel(km) -> None:
    from jupyter_core.utils import run_sync

    try:
        if km is not None and km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # the kernel is gone already
        pass


def _execute_notebook(source: Path, target: Path, parameters: dict, km=None):
    """Execute one notebook with papermill (in the kernel `km` when given, else a new one);
    ('', the executed notebook) when it ran, else (a one-line reason, None). A kernel
    that died at start-up is retried.

    The notebook is written once, when it has run (or failed at a cell), not after each
    cell as papermill does by default: nobody watches it meanwhile, and each save
    encoded the whole notebook again, images included (~0.5 s of CPU per briefing).
    """
    import papermill

    reason = ""
    for _attempt in range(3):
        try:
            executed = papermill.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(config.NOTEBOOKS_DIR),
                **({"km": km} if km is not None else {}),
            )
            return "", executed
        except Exception as exc:  # a failing notebook must not stop the exports
            reason = _failure(source.name, exc)
            if "Kernel died" not in str(exc):
                break
            _stop_kernel(km)
            km = None
            time.sleep(1.0)
    return reason, None


def _failure(notebook: str, exc: Exception) -> str:
    """Why a notebook failed, for the analyst: which notebook and cell, and Python's own
    last line (the error in her edit, which only Python can name)."""
    lines = str(exc).strip().splitlines() or [type(exc).__name__]
    error = (
        f"{getattr(exc, 'ename', '') or type(exc).__name__}: "
        + (str(getattr(exc, "evalue", "") or lines[-1])[:200])
    )
    cell = getattr(exc, "exec_count", None)
    if isinstance(cell, int):
        return briefing_line("notebook_failure_cell", notebook=notebook, cell=cell, error=error)
    return briefing_line("notebook_failure", notebook=notebook, error=error)


def _session(km, new: bool):
    """`km` ready for the next notebook (in a new session when `new`), or None when its
    kernel is gone or would not reset: papermill then starts a kernel of its own."""
    if not _alive(km):
        return None
    if new:
        try:
            _run_silently(km, NEW_SESSION)
        except Exception:
            _stop_kernel(km)
            return None
    return km


def _notebook_worker(conn) -> None:
    """The notebooks' process: start one kernel while the run ingests and import the
    package there; then, with the folder and parameters `conn` brings (None: the run
    ended first), execute the notebooks one after another in that kernel, each in a new
    session, and write 情况通报.html from the last. Sends back the failures.
    """
    import os

    skip_unused_grammar()
    # The kernel inherits this worker's stderr; its start-up chatter is not for the analyst.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    km = _warm_kernel(WARM_UP)
    from analysis.exports import html  # imported while the run ingests

    try:
        job = conn.recv()
    except EOFError:
        job = None
    if job is None:
        _stop_kernel(km)
        return
    folder, parameters, html_page, title = job
    failures = []
    for i, name in enumerate(NOTEBOOKS):
        km = _session(km, new=i > 0)
        target = Path(folder) / name
        reason, executed = _execute_notebook(config.NOTEBOOKS_DIR / name, target, parameters, km)
        if reason:
            failures.append(reason)
        elif name == NOTEBOOKS[-1] and html_page:
            try:  # from the notebook just written, not read back from its file
                html.notebook_html(executed, Path(html_page), title=title)
            except Exception as exc:  # the notebook itself was written
                failures.append(_failure(name, exc))
    _stop_kernel(km)
    conn.send(failures)
    conn.close()


class NotebookRuns:
    """The three notebooks, executed in a process started before the ingest: it starts
    the kernel and imports the package there while this process ingests, then executes
    the notebooks, one after another in that kernel (each in a new session), once
    `begin` gives the run folder and parameters. Notebook 03 shows the charts this run
    draws, waiting for each PNG.
    """

    def __init__(self) -> None:
        import multiprocessing

        self.begun = False
        self.conn, there = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_notebook_worker, args=(there,), daemon=True)
        self.process.start()
        there.close()

    def begin(self, folder: Path, parameters: dict, html_page: Path, title: str) -> None:
        """Execute the notebooks into `folder`; the last one is also written as `html_page`."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        page = str(html_page) if html_page else None
        self.conn.send((str(folder), parameters, page, title))
        self.begun = True

    def wait(self) -> list[str]:
        """The failures (one line each), once the notebooks have run."""
        try:
            failures = self.conn.recv()
        except EOFError:
            failures = ["notebooks：执行进程意外退出"]
        self.process.join()
        return failures

    def close(self) -> None:
        """End the worker: the run stopped (before `begin`: the worker stops its kernel
        itself; after: it is stopped, and the kernel ends with its parent)."""
        if not self.begun:
            with contextlib.suppress(OSError, ValueError):  # it has ended already
                self.conn.send(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)


def execute_notebooks(folder: Path, parameters: dict) -> list[str]:
    """Execute the three notebooks in parallel into `folder`; returns the failures."""
    runs = NotebookRuns()
    runs.begin(folder, parameters, html_page=None, title=None)
    return runs.wait()
