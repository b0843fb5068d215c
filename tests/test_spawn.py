"""The briefing when worker processes start by spawn, as on Windows (no fork there)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import write_xlsx
from openpyxl import load_workbook

from analysis import briefing

# `python -m analysis briefing …` exactly as the command line runs it (runpy, as -m does),
# with every process pool of the run forced to start its workers by spawn.
SPAWNED = """
import multiprocessing, runpy, sys
multiprocessing.set_start_method("spawn", force=True)
sys.argv = ["analysis", *sys.argv[1:]]
runpy.run_module("analysis", run_name="__main__", alter_sys=True)
"""


def _raw(tmp_path: Path, roster_rows: list[list[object]]) -> Path:
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", roster_rows)
    header = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]
    write_xlsx(
        raw / "submissions" / "长阳镇总工会第一阶段.xlsx",
        [
            ["填报单位：长阳镇总工会", None, "填报日期：2019-07-01"],
            header,
            [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "讨论会", 30, ""],
            [2, "长阳镇卫生院工会", "2019-06-12", "精心组织宣传", "微信", 12, ""],
        ],
    )
    return raw


def _cells(path: Path) -> list[list[object]]:
    return [
        list(r) for ws in load_workbook(path).worksheets for r in ws.iter_rows(values_only=True)
    ]


def test_briefing_with_spawned_workers_writes_the_same_tables(
    tmp_path, small_roster_rows, monkeypatch, capsys
):
    raw = _raw(tmp_path, small_roster_rows)
    spawned = tmp_path / "spawned"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
    args = ["briefing", "--raw", str(raw), "--out", str(spawned / "out")]
    args += ["--reports", str(spawned / "reports")]
    proc = subprocess.run(
        [sys.executable, "-c", SPAWNED, *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    (folder,) = (spawned / "reports").iterdir()
    assert folder.name == "2019-06-12_r1"
    # The notebooks ran in the spawned workers.
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == list(briefing.NOTEBOOKS)
    assert (folder / "情况通报.html").exists()
    # Each kernel imported the package before the notebook ran, silently: the notebook's
    # cells are numbered from 1 and show no error.
    for name in briefing.NOTEBOOKS:
        cells = json.loads((folder / "notebooks" / name).read_text("utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), name
        assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"], name

    # The same run in this process (its workers started the platform's default way;
    # notebooks left out: they write nothing the tables depend on).
    monkeypatch.setattr(briefing, "execute_notebooks", lambda folder, parameters: [])
    here = tmp_path / "here"
    assert briefing.run(raw, here / "out", here / "reports") == 0
    capsys.readouterr()
    tables = sorted(p.name for p in (here / "out").glob("*.csv"))
    assert {"rows.csv", "submissions.csv", "issues.csv", "coverage.csv"} <= set(tables)
    assert sorted(p.name for p in (spawned / "out").glob("*.csv")) == tables
    for name in tables:
        assert (spawned / "out" / name).read_bytes() == (here / "out" / name).read_bytes(), name
    other = here / "reports" / folder.name
    assert _cells(folder / "通报表.xlsx") == _cells(other / "通报表.xlsx")
    assert (folder / "情况通报.txt").read_text("utf-8") == (other / "情况通报.txt").read_text(
        "utf-8"
    )
    assert sorted(p.name for p in (folder / "charts").iterdir()) == sorted(
        p.name for p in (other / "charts").iterdir()
    )
