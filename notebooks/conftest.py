"""The notebooks' checks (nbval) read the bundled demo, never the analyst's data/raw,
and write to a temporary folder, never data/processed or data/demo/processed.

`make test` and a bare `python -m pytest` both run the notebooks; on the analyst's
PC data/raw holds her submissions, which the stored outputs do not show, and a run
would add to her history. Each notebook's kernel starts with ANALYSIS_RAW_DIR set to
the demo (config.active_raw_dir) and ANALYSIS_PROCESSED_DIR set to one temporary
folder for the session (briefing.resolve_dirs): a run of the tests leaves no tables
or run history behind, so the next `make briefing` of the demo compares with the
analyst's own last run, not the tests'. The variables are put back after each
notebook, and the folder is removed at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from analysis import config

_BEFORE = "_analysis_dirs_before"
_ENVS = (config.RAW_DIR_ENV, config.PROCESSED_DIR_ENV)
_PROCESSED: list[Path] = []  # the session's temporary processed folder, once made


def _processed_dir() -> Path:
    if not _PROCESSED:
        _PROCESSED.append(Path(tempfile.mkdtemp(prefix="analysis-notebooks-")))
    return _PROCESSED[0]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    setattr(item, _BEFORE, {name: os.environ.get(name) for name in _ENVS})
    os.environ[config.RAW_DIR_ENV] = str(config.DEMO_RAW_DIR)
    os.environ[config.PROCESSED_DIR_ENV] = str(_processed_dir())


def pytest_runtest_teardown(item: pytest.Item) -> None:
    for name, before in getattr(item, _BEFORE, {}).items():
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    while _PROCESSED:
        shutil.rmtree(_PROCESSED.pop(), ignore_errors=True)
