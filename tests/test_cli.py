"""The command line's outside contract: exit status and one Chinese line, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


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


@pytest.mark.parametrize(
    ("argv", "detail", "usage"),
    [
        # Unrecognized words after a command are reported by the top parser: the
        # hint still names the command typed.
        (
            ["briefing", "--processed", "x"],
            "不认识的参数 --processed x",
            "analysis briefing --help",
        ),
        (["demo", "extra"], "不认识的参数 extra", "analysis demo --help"),
        (["frobnicate"], "没有“frobnicate”这个命令，可用的命令：demo、ingest、", "analysis --help"),
        ([], "缺少命令，可用的命令：demo、ingest、briefing", "analysis --help"),
        (["ingest", "--as-of"], "参数 --as-of 后面要写一个值", "analysis ingest --help"),
        (
            ["ingest", "--as-of", "2019-13-45"],
            "参数 --as-of：日期“2019-13-45”不存在",
            "analysis ingest --help",
        ),
        (["template", "--roster"], "参数 --roster 后面要写一个值", "analysis template --help"),
        (
            ["ingest", "--quiet=1"],
            "参数 --quiet 不带值，只写 --quiet 即可（去掉“=1”）",
            "analysis ingest --help",
        ),
        (["demo", "--seed", "abc"], "参数 --seed 的值“abc”不是整数", "analysis demo --help"),
        (["lab", "--port", "80.5"], "参数 --port 的值“80.5”不是整数", "analysis lab --help"),
    ],
)
def test_bad_arguments_are_told_in_chinese_with_the_commands_help(argv, detail, usage, capsys):
    from analysis import cli

    assert cli.main(argv) == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"命令行参数有误：{detail}")
    assert f"运行 `python -m {usage}` 查看用法。" in line
    assert "analysis analysis" not in line and "argument" not in line and "\n" not in line


def test_argparse_messages_not_known_are_kept_as_they_are():
    from analysis import cli

    assert cli._argparse_zh("something new", ["ingest"]) == "something new"
    assert cli._argparse_zh(
        "argument --mode: invalid choice: 'x' (choose from 'a', 'b')", ["ingest"]
    ) == "参数 --mode 的值“x”不在可选范围内：a、b"  # fmt: skip


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


def test_template_round_is_matched_as_typed_loosely_and_a_wrong_one_is_status_2(capsys):
    from analysis import cli
    from analysis.campaign import load_campaign
    from analysis.templates.writer import _round

    campaign = load_campaign()
    assert _round(campaign, " R2 ") == _round(campaign, "r2") == campaign.rounds[1]
    assert cli.main(["template", "--round", "r9"]) == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith("报送期次“r9”不存在") and len(line.splitlines()) == 1


@pytest.mark.parametrize("argv", [["--help"], ["ingest", "--help"], ["template", "-h"]])
def test_help_is_in_chinese(argv, capsys):
    from analysis import cli

    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：analysis") and "显示这段说明并退出" in text and "选项" in text
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in text


def test_briefing_takes_relative_paths_from_the_folder_it_is_run_in(
    raw, tmp_path, monkeypatch, capsys
):
    """`briefing --raw raw` typed in D: D/raw, as for `ingest` (it was the project's raw)."""
    from analysis import cli

    monkeypatch.chdir(raw.parent)
    status = cli.main(["briefing", "--raw", "raw", "--out", "out", "--reports", "rep",
                       "--as-of", "2019-05-01"])  # fmt: skip
    assert status == 2  # before the campaign: it stops before writing anything
    out = capsys.readouterr().out
    assert f"使用分析人员的数据：{raw.parent / 'raw'}" in out


def test_briefing_with_its_tables_in_the_raw_folder_says_so_in_one_line(raw, capsys):
    """--out RAW: the line `ingest` gives, not a traceback; nothing is written into RAW."""
    from analysis import cli

    before = sorted(p.relative_to(raw) for p in raw.rglob("*"))
    assert cli.main(["briefing", "--raw", str(raw), "--out", str(raw)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("统计表目录") and "就是原始数据目录" in err and "\n" not in err
    assert sorted(p.relative_to(raw) for p in raw.rglob("*")) == before


def test_briefing_refuses_to_write_its_reports_into_the_raw_folder(raw, tmp_path, capsys):
    from analysis import cli

    before = sorted(p.relative_to(raw) for p in raw.rglob("*"))
    reports = raw / "submissions" / "通报"
    argv = [
        "briefing",
        "--raw",
        str(raw),
        "--out",
        str(tmp_path / "out"),
        "--reports",
        str(reports),
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("通报材料目录") and "原始数据目录" in err and "--reports" in err
    assert sorted(p.relative_to(raw) for p in raw.rglob("*")) == before
    assert not (tmp_path / "out").exists()  # refused before any work


def test_a_locked_roster_or_aliases_file_is_told_as_a_file_to_close(raw, tmp_path, capsys,
                                                                     monkeypatch):  # fmt: skip
    """PermissionError on a file the run only reads: close it, not "is it a folder?"."""
    import errno

    from analysis import cli, run_manifest

    roster = next((raw / "roster").iterdir())

    def locked(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied", str(roster))

    monkeypatch.setattr(run_manifest, "fingerprint", locked)
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"无法读取 {roster}（没有权限）") and "关闭该文件" in line
    assert "是不是文件夹" not in line


def test_a_gbk_console_prints_names_gbk_lacks_without_a_traceback(raw, tmp_path):
    """Windows writes a redirected console (briefing.bat's log, a pipe) in GBK: a file or
    folder name with a character GBK lacks ("•") is printed with "?" in its place, and
    the run ends as it did, status 0."""
    import os

    out = tmp_path / "结果•第二阶段"
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "ingest", "--raw", str(raw), "--out", str(out),
         "--quiet"],
        capture_output=True, env=env,
    )  # fmt: skip
    stdout = proc.stdout.decode("gbk")
    assert proc.returncode == 0, proc.stderr.decode("gbk", "replace")
    assert b"Traceback" not in proc.stderr
    assert "结果?第二阶段" in stdout and "读取报送文件" in stdout


def test_the_program_leaves_with_its_status_its_output_and_its_exit_functions():
    # The program ends without the interpreter's shutdown (cli._leave): what a shutdown
    # must do is still done, and a running thread still has its end waited for.
    script = (
        "import atexit, sys, threading, time\n"
        "from analysis import cli\n"
        "atexit.register(lambda: print('exit function ran', flush=False))\n"
        "def main():\n"
        "    print('output', end=' ')\n"
        "    print('on stderr', file=sys.stderr, end='')\n"
        "    if sys.argv[1] == 'thread':\n"
        "        threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()\n"
        "    return 3\n"
        "cli.main = main\n"
        "raise SystemExit(cli.program())\n"
    )
    for mode in ("alone", "thread"):
        proc = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True)
        assert proc.returncode == 3
        assert proc.stderr == "on stderr"
        assert proc.stdout.startswith("output ") and "exit function ran" in proc.stdout
        assert ("thread done" in proc.stdout) == (mode == "thread")


def test_the_collector_is_paused_for_the_imports_only():
    import gc

    from analysis import cli

    assert gc.isenabled()
    with pytest.raises(ImportError), cli._collector_off():
        assert not gc.isenabled()
        raise ImportError
    assert gc.isenabled()  # back on, whatever the import did
    gc.disable()
    try:
        with cli._collector_off():
            pass
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()
