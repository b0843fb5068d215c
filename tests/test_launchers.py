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


def test_sh_with_a_half_installed_environment_says_so_in_chinese(tmp_path):
    """.venv exists but pip never finished (no network): a Chinese line, not Python's English."""
    project = _project(tmp_path, with_venv=True)
    python = project / ".venv" / "bin" / "python"
    python.write_text(  # finds no module when asked, as a venv without its packages
        '#!/bin/sh\nif [ "$1" = "-c" ]; then echo "ModuleNotFoundError" >&2; exit 1; fi\n'
        'echo called > called.txt\n', "utf-8",
    )  # fmt: skip
    proc = _run(project, tmp_path)
    assert proc.returncode == 1
    assert "运行环境没有装完整" in proc.stdout and "README.md" in proc.stdout
    assert "ModuleNotFoundError" not in proc.stdout + proc.stderr
    assert not (project / "called.txt").exists()  # the briefing was not attempted


def test_bat_checks_the_environment_before_the_briefing_and_ends_after_it():
    lines = (ROOT / "briefing.bat").read_bytes().decode("utf-8").splitlines()
    probe = next(i for i, line in enumerate(lines) if "find_spec" in line)
    run = lines.index('"%PY%" -m analysis briefing %*')
    assert probe < run and lines[probe + 1] == "if errorlevel 1 goto broken"
    broken = lines.index(":broken")
    assert "goto end" in lines[run:broken]  # a finished briefing does not fall into :broken
    assert "运行环境没有装完整" in lines[broken + 1]


def test_the_probe_finds_every_module_in_the_project_environment():
    """The launchers' probe passes in a complete environment (this one)."""
    import sys

    text = (ROOT / "briefing.sh").read_text("utf-8")
    code = text.split('"$PY" -c "', 1)[1].split('"', 1)[0]
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
