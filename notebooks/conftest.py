"""The notebooks' checks (nbval) read the bundled demo, never the analyst's data/raw.

`make test` and a bare `python -m pytest` both run the notebooks; on the analyst's
PC data/raw holds her submissions, which the stored outputs do not show, and a run
would add to her history. Each notebook's kernel starts with ANALYSIS_RAW_DIR set to
the demo (config.active_raw_dir), and the variable is put back after it.
"""

from __future__ import annotations

import os

import pytest

from analysis import config

_BEFORE = "_analysis_raw_dir_before"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    setattr(item, _BEFORE, os.environ.get(config.RAW_DIR_ENV))
    os.environ[config.RAW_DIR_ENV] = str(config.DEMO_RAW_DIR)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    before = getattr(item, _BEFORE, None)
    if before is None:
        os.environ.pop(config.RAW_DIR_ENV, None)
    else:
        os.environ[config.RAW_DIR_ENV] = before
