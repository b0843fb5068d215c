"""Where results go: a folder that cannot take them is refused before any work, in one
Chinese line, and nothing the analyst owns is deleted or read back as input."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, config, demo, ingest
from analysis.messages import os_reason


def _one_chinese_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Errno" not in err and "directory" not in err.lower()
    return lines[0]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------- demo


def test_demo_never_replaces_a_folder_holding_the_analysts_data(tmp_path, capsys):
    real = tmp_path / "real"
    (real / "roster").mkdir(parents=True)
    (real / "roster" / "我的名册.xlsx").write_bytes(b"roster")
    (real / "submissions").mkdir()
    (real / "submissions" / "我的真实报送.xlsx").write_bytes(b"data")
    (real / "aliases.csv").write_text("报送名称,名册名称\n", encoding="utf-8")
    before = _snapshot(real)
    assert cli.main(["demo", "--out", str(real)]) == 2
    line = _one_chinese_line(capsys.readouterr().err)
    assert str(real) in line and "不会覆盖" in line
    assert _snapshot(real) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real"]  # no manifest beside it


@pytest.mark.parametrize(
    ("layout", "replaceable"),
    [
        ({}, True),  # nothing there yet
        ({"submissions/": None}, True),  # an empty folder holds nobody's data
        ({"roster/名册.xlsx": b"x"}, False),
        ({"submissions/r1/a.xlsx": b"x"}, False),
        ({"aliases.csv": b"a,b\n"}, False),
        ({"roster/名册.xlsx": b"x", demo.DEMO_MARK: b"demo"}, True),  # demo made it
        ({"notes.txt": b"x"}, True),  # not a raw folder's data: left alone, not deleted
    ],
)
def test_what_the_demo_may_replace(tmp_path, layout, replaceable):
    out = tmp_path / "out"
    out.mkdir()
    for name, data in layout.items():
        path = out / name
        if data is None:
            path.mkdir(parents=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    assert demo.build._replaceable(out) is replaceable


def test_the_demo_never_replaces_someone_elses_answer_file_beside_its_folder(tmp_path, capsys):
    """The demo writes truth.csv, manifest.json… beside --out: an analyst's own truth.csv
    there is refused, not replaced; beside an earlier demo's answers it goes ahead."""
    (tmp_path / "truth.csv").write_text("她自己的文件", encoding="utf-8")
    assert cli.main(["demo", "--out", str(tmp_path / "演示")]) == 2
    line = _one_chinese_line(capsys.readouterr().err)
    assert "truth.csv" in line and "不会覆盖" in line
    assert (tmp_path / "truth.csv").read_text(encoding="utf-8") == "她自己的文件"
    assert not (tmp_path / "演示").exists()
    (tmp_path / "truth.csv").unlink()
    assert cli.main(["demo", "--out", str(tmp_path / "演示")]) == 0
    assert (tmp_path / demo.build.ANSWERS_MARK).is_file()
    assert demo.build._answer_files_taken(tmp_path / "演示") == []  # its own: may replace


def test_the_bundled_demo_folder_is_marked_as_demo_data():
    assert (config.DEMO_RAW_DIR / demo.DEMO_MARK).is_file()
    assert demo.build._replaceable(config.DEMO_RAW_DIR)


def test_demo_into_a_file_is_one_chinese_line(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_bytes(b"x")
    assert cli.main(["demo", "--out", str(target)]) == 1
    line = _one_chinese_line(capsys.readouterr().err)
    assert line.startswith("无法读写") and str(target) in line
    assert target.read_bytes() == b"x"


# --------------------------------------------------------------------------- ingest


def test_ingest_into_a_file_is_refused_before_any_work(raw, tmp_path, capsys, monkeypatch):
    target = tmp_path / "a-file"
    target.write_bytes(b"x")
    read = []
    monkeypatch.setattr(ingest, "_discover", lambda *a: read.append(a) or ([], []))
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(target), "--quiet"]) == 1
    line = _one_chinese_line(capsys.readouterr().err)
    assert line.startswith(f"统计结果无法写入 {target}（") and "同名的文件" in line
    assert read == [] and target.read_bytes() == b"x"


@pytest.mark.parametrize("inside", ["", "submissions/结果", "roster/out"])
def test_ingest_out_where_the_next_run_would_read_it_is_refused(raw, capsys, inside):
    before = _snapshot(raw)
    out = raw / inside if inside else raw
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(out), "--quiet"]) == 1
    line = _one_chinese_line(capsys.readouterr().err)
    assert "原始数据目录" in line and "data/processed" in line
    assert _snapshot(raw) == before and not (raw / "submissions" / "结果").exists()


def test_ingest_out_beside_the_raw_folders_is_fine(raw):
    result = ingest.run(raw, raw / "out", progress=False)
    assert (raw / "out" / "rows.csv").is_file() and result.files_parsed == 0


def test_a_running_ingests_temporary_tables_are_not_deleted(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        live = out / f".rows.csv.tmp{other.pid}"
        dead = out / f".rows.csv.tmp{gone.pid}"
        unnamed = out / ".issues.csv.tmpX"
        for path in (live, dead, unnamed):
            path.write_bytes(b"partial")
        frame = pd.DataFrame({"a": pd.array(["x"], dtype="str")})
        ingest.write_tables(out, {"t": frame}, parquet=False)
        assert live.exists() and not dead.exists() and not unnamed.exists()
        assert (out / "t.csv").read_bytes() == "\ufeffa\nx\n".encode()
    finally:
        other.kill()
        other.wait()


# --------------------------------------------------------------------------- template, log


def test_template_with_a_campaign_file_that_is_not_there(tmp_path, capsys):
    missing = tmp_path / "活动.toml"
    assert cli.main(["template", "--campaign", str(missing), "--out", str(tmp_path / "t")]) == 2
    line = _one_chinese_line(capsys.readouterr().err)
    assert "找不到活动定义文件" in line and str(missing) in line
    assert not (tmp_path / "t").exists()


def test_template_says_when_it_used_the_demo_roster(tmp_path):
    from analysis.templates.batch import TemplateRun

    paths = dict(zip_path=tmp_path / "a.zip", checklist_xlsx=tmp_path / "c.xlsx",
                 checklist_csv=tmp_path / "c.csv")  # fmt: skip
    assert "演示名册" in str(TemplateRun("第一阶段", tmp_path, [], **paths, demo_roster=True))
    assert "演示名册" not in str(TemplateRun("第一阶段", tmp_path, [], **paths))


def test_the_packages_log_lines_stay_off_the_analysts_screen(capsys):
    assert cli.main(["frobnicate"]) == 2
    capsys.readouterr()
    logging.getLogger("analysis.parse_cache").warning("cache entry not written: x")
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOENT, "文件夹或文件不存在"),
        (errno.EACCES, "没有权限"),
        (errno.EROFS, "磁盘是只读的"),
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.ENOTDIR, "路径中有一个同名的文件，而不是文件夹"),
    ],
)
def test_system_errors_are_told_in_chinese(code, reason):
    assert os_reason(OSError(code, "English words")) == reason


def test_an_error_without_a_chinese_reason_keeps_the_systems_words():
    assert os_reason(OSError(errno.EMLINK, "Too many links")) == "Too many links"
    locked = OSError(errno.EACCES, "The process cannot access the file")
    locked.winerror = 32  # Windows: the file is open in Excel
    assert "占用" in os_reason(locked)


def test_make_tests_notebooks_read_the_demo_even_beside_the_analysts_data(tmp_path, monkeypatch):
    """With her roster in data/raw a briefing reads it; `make test` sets ANALYSIS_RAW_DIR
    so that the notebooks' checks read the demo (and its history), never her data."""
    from conftest import write_xlsx

    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", [["基层工会名称", "上级工会", "类别", "会员人数"]])
    monkeypatch.setattr(config, "RAW_DATA_DIR", raw)
    monkeypatch.delenv(config.RAW_DIR_ENV, raising=False)
    assert config.active_raw_dir() == (raw, False)
    monkeypatch.setenv(config.RAW_DIR_ENV, "data/demo/raw")
    assert config.active_raw_dir() == (config.PROJ_ROOT / "data/demo/raw", True)
    # notebooks/conftest.py sets it for each notebook's kernel and puts it back after.
    import importlib.util
    import types

    spec = importlib.util.spec_from_file_location(
        "nb_conftest", config.NOTEBOOKS_DIR / "conftest.py"
    )
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    monkeypatch.delenv(config.RAW_DIR_ENV)
    item = types.SimpleNamespace()
    hooks.pytest_runtest_setup(item)
    assert config.active_raw_dir() == (config.DEMO_RAW_DIR, True)
    hooks.pytest_runtest_teardown(item)
    hooks.pytest_sessionfinish(None, 0)  # the session's temporary processed folder
    assert config.RAW_DIR_ENV not in os.environ


def test_make_tests_notebooks_write_to_a_temporary_folder_not_the_demos(monkeypatch):
    """The notebooks' checks ingest into a temporary folder of their session: a run of
    `make test` leaves no tables nor run history in data/demo/processed (or
    data/processed) for the next `make briefing` to compare with."""
    import importlib.util
    import types

    from analysis import briefing

    spec = importlib.util.spec_from_file_location(
        "nb_conftest", config.NOTEBOOKS_DIR / "conftest.py"
    )
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    monkeypatch.delenv(config.RAW_DIR_ENV, raising=False)
    monkeypatch.delenv(config.PROCESSED_DIR_ENV, raising=False)
    item = types.SimpleNamespace()
    hooks.pytest_runtest_setup(item)
    try:
        raw, processed, is_demo = briefing.resolve_dirs()
        assert is_demo and processed.is_dir()
        assert not config.within(processed, config.PROJ_ROOT)
        assert briefing.resolve_dirs(processed_dir="x")[1] == config.PROJ_ROOT / "x"  # given: kept
    finally:
        hooks.pytest_runtest_teardown(item)
        hooks.pytest_sessionfinish(None, 0)
    assert config.PROCESSED_DIR_ENV not in os.environ and not processed.exists()
    assert briefing.resolve_dirs(config.DEMO_RAW_DIR)[1] == config.DEMO_PROCESSED_DIR
