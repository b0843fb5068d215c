"""briefing.bat / briefing.sh: the double-click launchers at the project root."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV_NAME = next(
    line.split(":", 1)[1].strip()
    for line in (ROOT / "environment.yml").read_text("utf-8").splitlines()
    if line.startswith("name:")
)


def test_bat_is_crlf_utf8_without_bom_and_switches_the_console_to_utf8():
    data = (ROOT / "briefing.bat").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # a BOM would garble cmd's first line
    assert data.count(b"\n") == data.count(b"\r\n")  # LF-only batch files misparse labels
    text = data.decode("utf-8")
    assert text.splitlines()[:2] == ["@echo off", "chcp 65001 >nul"]
    assert f'set "ENV_NAME={ENV_NAME}"' in text
    assert '"%PY%" -m analysis briefing %*' in text
    assert text.rstrip().splitlines()[-2:] == ["pause", "endlocal & exit /b %STATUS%"]


def _project(tmp_path: Path, with_venv: bool) -> Path:
    """A project folder holding the launcher and, if asked, a .venv whose python logs its call."""
    project = tmp_path / "房山区 工会统计分析"  # Chinese and a space, as on a Desktop
    project.mkdir()
    shutil.copy2(ROOT / "briefing.sh", project / "briefing.sh")
    if with_venv:
        python = project / ".venv" / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.write_text('#!/bin/sh\necho "$PWD|$*|$PYTHONHASHSEED" > called.txt\n', "utf-8")
        python.chmod(0o755)
    return project


def _run(project: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home")}  # no conda env there
    return subprocess.run(
        ["sh", str(project / "briefing.sh"), *args], cwd=tmp_path, env=env,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip


def test_sh_runs_the_briefing_with_the_project_venv_from_the_project_folder(tmp_path):
    project = _project(tmp_path, with_venv=True)
    proc = _run(project, tmp_path, "--as-of", "2019-09-30")
    assert proc.returncode == 0, proc.stderr
    called = (project / "called.txt").read_text("utf-8").strip()
    assert called == f"{project}|-m analysis briefing --as-of 2019-09-30|0"
    assert "完成" in proc.stdout


def test_sh_without_an_environment_says_so_in_chinese(tmp_path):
    project = _project(tmp_path, with_venv=False)
    proc = _run(project, tmp_path)
    assert proc.returncode == 1
    assert "没有找到运行环境" in proc.stdout and ENV_NAME in proc.stdout
    assert "README.md" in proc.stdout
