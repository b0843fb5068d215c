"""The change report between two runs, and run folders that never overwrite each other."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from analysis import cli, history
from tests.test_ingest import act, run, submission


def two_runs(raw):  # noqa: F811 - the fixture's value
    """Run 1: 长阳镇, 琉璃河镇, 区教委. Run 2: 长阳镇 replaced, 琉璃河镇 removed, 燕房 added."""
    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学", participants=20)], "2019-06-28"
    )
    submission(
        raw,
        "琉璃河镇.xlsx",
        "琉璃河镇总工会",
        [act("琉璃河镇中心小学", participants=30)],
        "2019-06-28",
    )
    submission(
        raw, "区教委.xlsx", "区教委工会", [act("区教委机关工会", participants=10)], "2019-06-28"
    )
    first = run(raw)
    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会",
        [act("长阳镇第一小学", participants=20), act("长阳镇卫生院", participants=40)], "2019-06-29",
    )  # fmt: skip
    (raw / "submissions" / "琉璃河镇.xlsx").unlink()
    submission(
        raw, "北京燕房物流.xlsx", "北京燕房物流有限公司工会",
        [act("北京燕房物流有限公司工会", participants=15)], "2019-06-28",
    )  # fmt: skip
    second = run(raw)
    return first, second


def test_two_runs_report_new_replaced_gone_files_and_moved_units(raw):  # noqa: F811
    two_runs(raw)
    out = raw.parent / "out"
    runs = history.load_history(out)
    assert len(runs) == 2
    # Worked out by hand from the roster: 长阳镇 has 3 unions, 琉璃河镇 1, the direct union 1.
    report = history.changes(out)
    files = report[report["change"] != "unit_moved"]
    assert files[["change", "file"]].values.tolist() == [
        ["file_new", "submissions/北京燕房物流.xlsx"],
        ["file_gone", "submissions/琉璃河镇.xlsx"],
        ["file_replaced", "submissions/长阳镇.xlsx"],
    ]
    moved = report[report["change"] == "unit_moved"]
    assert moved[["reporting_unit", "figure", "before", "after"]].values.tolist() == [
        ["北京燕房物流有限公司工会", "unit_coverage", 0.0, 1.0],
        ["北京燕房物流有限公司工会", "member_coverage", 0.0, 1.0],  # 30 of 30 members
        ["北京燕房物流有限公司工会", "activities", 0.0, 1.0],
        ["北京燕房物流有限公司工会", "participants", 0.0, 15.0],
        ["琉璃河镇总工会", "unit_coverage", 1.0, 0.0],
        ["琉璃河镇总工会", "member_coverage", 1.0, 0.0],
        ["琉璃河镇总工会", "activities", 1.0, 0.0],
        ["琉璃河镇总工会", "participants", 30.0, 0.0],
        ["长阳镇总工会", "unit_coverage", 1 / 3, 2 / 3],
        ["长阳镇总工会", "member_coverage", 0.2, 0.5],  # 40 of 200 members, then 40 + 60
        ["长阳镇总工会", "activities", 1.0, 2.0],
        ["长阳镇总工会", "participants", 20.0, 60.0],
    ]
    lines = history.change_lines(out)
    assert lines[0].startswith("与上次运行（")
    assert lines[0].endswith("）相比：新增文件1个，替换1个，删除1个；3个单位的数字有变化。")
    assert lines[1:] == [
        "新增：submissions/北京燕房物流.xlsx（有效）",
        "删除：submissions/琉璃河镇.xlsx",
        "替换（内容已更新）：submissions/长阳镇.xlsx",
        "北京燕房物流有限公司工会：覆盖率 0.0% → 100.0%，会员覆盖率 0.0% → 100.0%，"
        "活动次数 0 → 1，参加人次 0 → 15",
        "琉璃河镇总工会：覆盖率 100.0% → 0.0%，会员覆盖率 100.0% → 0.0%，活动次数 1 → 0，"
        "参加人次 30 → 0",
        "长阳镇总工会：覆盖率 33.3% → 66.7%，会员覆盖率 20.0% → 50.0%，活动次数 1 → 2，"
        "参加人次 20 → 60",
    ]
    # 区教委工会 did not move and is not listed.
    assert not any("区教委" in line for line in lines)


def test_snapshot_keeps_sha256_and_state_per_file(raw):  # noqa: F811
    import hashlib

    path = submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学")], "2019-06-28")
    run(raw)
    (snap,) = history.load_history(raw.parent / "out")
    assert snap["files"] == [
        {
            "file": "submissions/长阳镇.xlsx",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "state": "current",
        }
    ]
    assert snap["units"]["长阳镇总工会"] == {
        "unit_coverage": 1 / 3, "member_coverage": 0.2, "activities": 1.0, "participants": 20.0,
        "units_total": 3.0, "members_total": 200.0,
    }  # fmt: skip


def test_first_run_and_unchanged_rerun_say_so(raw):  # noqa: F811
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学")], "2019-06-28")
    out = raw.parent / "out"
    run(raw)
    assert history.change_lines(out) == ["这是第一次运行，没有上次的结果可以比较。"]
    run(raw)
    (line,) = history.change_lines(out)
    assert line.endswith("相比：报送文件和各单位数字都没有变化。")


def test_state_change_and_as_of_change_are_named():
    stamp = dt.datetime(2019, 7, 2, 9, 5)
    before = {
        "stamp": stamp.isoformat(), "as_of": None,
        "files": [{"file": "submissions/a.xlsx", "sha256": "1", "state": "current"}],
        "units": {"长阳镇总工会": {"unit_coverage": 0.5, "activities": 2.0, "participants": None}},
    }  # fmt: skip
    after = {
        "stamp": "2019-07-03T10:00:00", "as_of": "2019-06-30",
        "files": [{"file": "submissions/a.xlsx", "sha256": "1", "state": "superseded"}],
        "units": {"长阳镇总工会": {"unit_coverage": 0.5, "activities": 2.0, "participants": 35.0}},
    }  # fmt: skip
    report = history.compare(before, after)
    assert report.iloc[0].tolist() == [
        "file_state",
        "submissions/a.xlsx",
        "",
        "",
        "current",
        "superseded",
    ]
    assert report.iloc[1, :4].tolist() == ["unit_moved", "", "长阳镇总工会", "participants"]
    assert pd.isna(report.iloc[1]["before"]) and report.iloc[1]["after"] == 35.0
    assert history.lines_for(before, after, report) == [
        "与上次运行（7月2日09:05）相比：状态变化1个；1个单位的数字有变化。",
        "统计截止日期由全部日期改为2019-06-30，数字变化可能来自截止日期。",
        "状态变化：submissions/a.xlsx（有效 → 被更正版替代）",
        "长阳镇总工会：参加人次 无 → 35",
    ]


def _snapshot(files: list[tuple[str, str, str]]) -> dict:
    return {"stamp": "2019-07-02T09:05:00", "as_of": None, "units": {},
            "files": [{"file": f, "sha256": sha, "state": st} for f, sha, st in files]}  # fmt: skip


def test_a_file_that_became_unreadable_is_a_change_of_state_not_new_content():
    """Locked, or overwritten by a broken copy: no sha256 to compare; the report says
    有效 → 无法使用, never 替换（内容已更新）; and back again when it can be read."""
    readable = _snapshot([("submissions/a.xlsx", "1", "current")])
    locked = _snapshot([("submissions/a.xlsx", "", "rejected")])
    for before, after, said in (
        (readable, locked, "状态变化：submissions/a.xlsx（有效 → 无法使用）"),
        (locked, readable, "状态变化：submissions/a.xlsx（无法使用 → 有效）"),
    ):
        lines = history.lines_for(before, after, history.compare(before, after))
        assert said in lines and not any("替换" in line for line in lines)
    broken = _snapshot([("submissions/a.xlsx", "2", "rejected")])  # a broken copy, read
    lines = history.lines_for(readable, broken, history.compare(readable, broken))
    assert "替换（内容已更新）：submissions/a.xlsx（有效 → 无法使用）" in lines


def test_history_keeps_the_last_runs_only(tmp_path):
    subs = pd.DataFrame({"file": ["submissions/a.xlsx"], "state": ["current"]})
    for i in range(history.KEEP_RUNS + 3):
        history.record_run(tmp_path, subs, None, {"submissions/a.xlsx": str(i)})
    runs = json.loads(history.history_path(tmp_path).read_text("utf-8"))
    assert len(runs) == history.KEEP_RUNS
    assert runs[-1]["files"][0]["sha256"] == str(history.KEEP_RUNS + 2)


def test_cli_ingest_prints_the_change_report(raw, capsys):  # noqa: F811
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学")], "2019-06-28")
    out = raw.parent / "out"
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    assert "这是第一次运行，没有上次的结果可以比较。" in capsys.readouterr().out
    (raw / "submissions" / "长阳镇.xlsx").unlink()
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "删除：submissions/长阳镇.xlsx" in printed
    assert (
        "长阳镇总工会：覆盖率 33.3% → 0.0%，会员覆盖率 20.0% → 0.0%，活动次数 1 → 0，参加人次 20 → 0"
        in printed
    )


def test_run_folder_keeps_an_earlier_run_and_separates_the_demo(tmp_path):
    day = dt.date(2019, 9, 30)
    assert history.run_folder_path(tmp_path, day, "r2") == tmp_path / "2019-09-30_r2"
    assert (
        history.run_folder_path(tmp_path, day, "r2", is_demo=True)
        == tmp_path / "演示_2019-09-30_r2"
    )
    (tmp_path / "2019-09-30_r2").mkdir()  # empty: reused
    assert history.run_folder_path(tmp_path, day, "r2") == tmp_path / "2019-09-30_r2"
    (tmp_path / "2019-09-30_r2" / "通报表.xlsx").write_bytes(b"first run")
    assert history.run_folder_path(tmp_path, day, "r2") == tmp_path / "2019-09-30_r2_2"
    (tmp_path / "2019-09-30_r2_2").mkdir()
    (tmp_path / "2019-09-30_r2_2" / "x").write_bytes(b"second run")
    assert history.run_folder_path(tmp_path, day, "r2") == tmp_path / "2019-09-30_r2_3"
    # The demo's folder does not block the analyst's, nor the other way round.
    assert (
        history.run_folder_path(tmp_path, day, "r2", is_demo=True)
        == tmp_path / "演示_2019-09-30_r2"
    )


def test_change_markdown_lists_each_change_as_a_bullet(raw):  # noqa: F811
    two_runs(raw)
    text = history.change_markdown(raw.parent / "out").data.splitlines()
    assert text[0] == "### 与上次运行相比"
    assert text[2].endswith("相比：新增文件1个，替换1个，删除1个；3个单位的数字有变化。")
    assert text[4:7] == [
        "- 新增：submissions/北京燕房物流.xlsx（有效）",
        "- 删除：submissions/琉璃河镇.xlsx",
        "- 替换（内容已更新）：submissions/长阳镇.xlsx",
    ]
    assert len(text) == 10


def test_unit_moves_without_file_changes_say_the_files_did_not_change():
    before = {
        "stamp": "2019-07-02T09:05:00",
        "as_of": None,
        "files": [],
        "units": {"长阳镇总工会": {"unit_coverage": 0.5, "activities": 2.0, "participants": 30.0}},
    }
    after = {
        **before,
        "stamp": "2019-07-03T09:05:00",
        "units": {"长阳镇总工会": {"unit_coverage": 0.75, "activities": 2.0, "participants": 30.0}},
    }
    lines = history.lines_for(before, after, history.compare(before, after))
    assert lines == [
        "与上次运行（7月2日09:05）相比：报送文件没有变化；1个单位的数字有变化。",
        "长阳镇总工会：覆盖率 50.0% → 75.0%",
    ]


def test_roster_changes_alone_are_reported(raw, small_roster_rows):  # noqa: F811
    """A union's members corrected, a union added: no file changed, yet the figures did."""
    from tests.conftest import write_xlsx

    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学", participants=20)], "2019-06-28"
    )
    run(raw)
    rows = [list(r) for r in small_roster_rows]
    rows[2][4] = 140  # 长阳镇第一小学工会: 40 -> 140 members
    rows.append([8, "长阳镇中学工会", "长阳镇总工会", "乡镇", 100, 110, "A4"])
    write_xlsx(raw / "roster" / "名册.xlsx", rows)
    run(raw)
    lines = history.change_lines(raw.parent / "out")
    assert lines[0].endswith("相比：报送文件没有变化；1个单位的数字有变化。")
    # 1 of 3 unions, 40 of 200 members -> 1 of 4, 140 of 400.
    assert lines[1:] == [
        "名册已修改，数字的变化可能来自名册。",
        "长阳镇总工会：覆盖率 33.3% → 25.0%，会员覆盖率 20.0% → 35.0%，基层工会数 3 → 4，"
        "会员数 200 → 400",
    ]


def test_aliases_and_problems_found_are_in_the_change_report(raw):  # noqa: F811
    """An alias fixes a name: the report says aliases.csv changed and the errors fell."""
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳一小", participants=20)], "2019-06-28")
    run(raw)  # 长阳一小 is no roster name: one unit_unresolved error
    (raw / "aliases.csv").write_text("报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n", "utf-8")
    run(raw)
    lines = history.change_lines(raw.parent / "out")
    assert lines[0].endswith("相比：报送文件没有变化；1个单位的数字有变化。")
    assert lines[1] == "新增别名表（名称对照表），数字的变化可能来自别名表。"
    assert lines[2].startswith("发现的问题：错误 1 → 0 条")
    run(raw)  # nothing new: the ingest's own report says so
    assert history.change_lines(raw.parent / "out")[0].endswith("报送文件和各单位数字都没有变化。")


def test_photos_and_summaries_sent_in_are_in_the_change_report(raw):  # noqa: F811
    """Three photos into a unit's folder: no spreadsheet changed, yet materials did."""
    import random

    from PIL import Image

    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学", participants=20)], "2019-06-28"
    )
    run(raw)
    folder = raw / "submissions" / "长阳镇总工会资料"
    folder.mkdir()
    for k in range(3):
        noise = random.Random(k).randbytes(64 * 48 * 3)  # three different pictures
        Image.frombytes("RGB", (64, 48), noise).save(folder / f"活动照片{k + 1}.jpg")
    run(raw)
    lines = history.change_lines(raw.parent / "out")
    assert lines[0].endswith("报送文件和各单位数字都没有变化。")
    assert (
        lines[-1]
        == "收到的资料（照片、总结等）：共 0 → 3 个，信息图片 0 → 3 张（详见 materials.csv）。"
    )
    run(raw)  # nothing new
    assert history.change_lines(raw.parent / "out")[1:] == []


def test_a_history_from_before_the_member_figures_compares_what_it_has():
    old = {"stamp": "2026-11-01T09:00:00", "as_of": None, "files": [],
           "units": {"长阳镇总工会": {"unit_coverage": 0.5, "activities": 2.0, "participants": 10.0}}}  # fmt: skip
    new = {**old, "units": {"长阳镇总工会": {
        "unit_coverage": 0.5, "member_coverage": 0.4, "activities": 2.0, "participants": 10.0,
        "units_total": 2.0, "members_total": 50.0}}}  # fmt: skip
    assert history.compare(old, new).empty  # no "无 → 40%" for a figure the old run did not keep


def test_the_briefing_reports_what_changed_before_its_own_ingest(raw):  # noqa: F811
    """ingest, then briefing: the briefing's ingest finds nothing new; its change report is
    about what the analyst's ingest brought, against the run before that."""
    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学", participants=20)], "2019-06-28"
    )
    run(raw)
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学")], "2019-06-28")
    run(raw)  # the analyst's ingest: the new file
    run(raw)  # the briefing's: nothing new
    out = raw.parent / "out"
    assert history.change_lines(out)[0].endswith("报送文件和各单位数字都没有变化。")
    since = history.change_lines(out, since_change=True)
    assert since[0].endswith("相比：新增文件1个；1个单位的数字有变化。")
    assert since[1] == "新增：submissions/琉璃河镇.xlsx（有效）"


def test_change_lines_round_percentages_half_up():
    assert history._fmt_figure("unit_coverage", 0.0625) == "6.3%"  # not half-even 6.2%
    assert history._fmt_figure("activities", 1234.0) == "1,234"


def test_a_run_over_another_raw_folder_lists_no_deleted_files():
    """briefing --raw elsewhere into the same processed folder: the other folder's
    files were not deleted, nor the units' figures changed by a deletion."""
    before = {**_snapshot([("submissions/a.xlsx", "1", "current")]),
              "inputs": {"roster": "r", "aliases": "", "raw": "/home/她/data/raw"}}  # fmt: skip
    after = {**_snapshot([("submissions/b.xlsx", "2", "current")]),
             "inputs": {"roster": "r", "aliases": "", "raw": "/media/U盘/raw"}}  # fmt: skip
    assert history.compare(before, after).empty
    (line,) = history.lines_for(before, after, history.compare(before, after))
    assert "另一个原始数据目录（/home/她/data/raw），本次读取 /media/U盘/raw" in line
    assert "删除" not in line


def test_the_history_just_written_is_read_as_written_and_a_rewrite_is_read_again(tmp_path):
    # The command line reads back the history the run just wrote: taken from memory
    # while the file is as this process wrote it, from the file once another wrote it.
    out = tmp_path / "out"
    subs = pd.DataFrame({"file": ["a.xlsx", "b.xlsx"], "state": ["current", "superseded"]})
    stamp = dt.datetime(2019, 6, 1, 9, 30)
    written = history.record_run(out, subs, None, {"a.xlsx": "1" * 64}, stamp=stamp)
    path = history.history_path(out)
    assert history.load_history(out) == written == json.loads(path.read_text("utf-8"))
    assert history.load_history(out) is not history.load_history(out)  # each caller's own list
    again = [*written, {**written[-1], "stamp": "2019-06-02T10:00:00"}]
    path.write_text(json.dumps(again, ensure_ascii=False, indent=2), encoding="utf-8")
    assert history.load_history(out) == again
