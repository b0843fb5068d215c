"""The command line's outside contract: exit status and one Chinese line, no traceback."""

from __future__ import annotations

import subprocess
import sys


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=cwd
    )


def test_bad_arguments_exit_nonzero_with_chinese_line():
    proc = _run("ingest", "--as-of", "2019-13-45")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "日期" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_unknown_command_is_rejected_in_chinese():
    proc = _run("frobnicate")
    assert (
        proc.returncode == 2 and "命令行参数有误" in proc.stderr and "Traceback" not in proc.stderr
    )


def test_ingest_without_roster_exits_nonzero(tmp_path):
    proc = _run("ingest", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    assert "名册" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_command_line_draws_charts_off_screen_without_make(monkeypatch, capsys):
    """`python -m analysis` on a PC without make's MPLBACKEND still never opens a window."""
    import os

    from analysis import cli

    monkeypatch.delenv("MPLBACKEND", raising=False)
    assert cli.main(["frobnicate"]) == 2
    assert os.environ["MPLBACKEND"] == "Agg"
    monkeypatch.setenv("MPLBACKEND", "svg")  # the analyst's own choice is kept
    cli.main(["frobnicate"])
    assert os.environ["MPLBACKEND"] == "svg"
    capsys.readouterr()
