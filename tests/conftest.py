"""Shared fixtures: the built-in campaign and small rosters written in the test."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")

from analysis.campaign import Campaign, load_campaign  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign()


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    """Write a small workbook whose cells are `rows` (row 1 first)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


ROSTER_HEADER = ["序号", "基层工会名称", "上级工会", "类别", "会员人数", "职工人数", "单位代码"]


@pytest.fixture
def small_roster_rows() -> list[list[object]]:
    """Two towns, one system and one direct union: 7 grassroots unions, 330 members."""
    return [
        ["房山区基层工会名册（2019年5月）"],
        ROSTER_HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40, 45, "A1"],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60, 70, "A2"],
        [3, "北京长阳建材有限公司工会委员会", "长阳镇总工会", "乡镇", 100, 120, "A3"],
        [4, "琉璃河镇中心小学工会", "琉璃河镇总工会", "乡镇", 30, 30, "B1"],
        [5, "区教委机关工会", "区教委工会", "系统", 50, 55, "C1"],
        [6, "房山区实验中学工会", "区教委工会", "系统", 20, 25, "C2"],
        [7, "北京燕房物流有限公司工会", "", "直属", 30, 40, "D1"],
    ]


@pytest.fixture
def raw(tmp_path, small_roster_rows) -> Path:
    """A raw folder with the small roster and an empty submissions folder."""
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    (raw / "submissions").mkdir(parents=True)
    return raw


def unlocated(message: str) -> str:
    """An issues.csv message without the 文件“…”(的)工作表“…” every row message begins with."""
    import re

    return re.sub(r"^文件“[^”]*”的?(?:工作表“[^”]*”)?", "", message)
