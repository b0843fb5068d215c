"""Plain data rows carried as columns (`model.RowRun`): the same tables, ledger columns,
issues and cache entries as one `TableRow` per row."""

from __future__ import annotations

import datetime as dt
import pickle
from unittest import mock

import pytest

from analysis import ingest, publicity, tables
from analysis.model import ActivityTable, HeaderBlock, RowRun, Sheet, TableRow, TableRows
from analysis.names import NameResolver
from analysis.parse_cache import ParsedFile, _Cache, _table_parts
from analysis.tables import find_tables
from tests.test_names import make_roster

HEADER = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]
ROW_A = [1, "长阳镇第一小学工会", "2019年6月3日", "切实抓好学习", "座谈会", 50, None]
ROW_B = [2, "本级", "2019年6月5日", "加强宣讲培训", "宣讲", "约30人", None]
ROW_C = [3, "长阳镇卫生院工会", dt.date(2019, 6, 5), "加强宣讲培训", "宣讲", 20.0, "已完成"]
ROW_D = [4, None, "2019年6月6日", None, "座谈会", 10, None]  # no union, no work item
ROW_E = [5, "无名工会", "某天", "不知道", "座谈会", 12, None]  # issues of its own

# Sheets whose bodies mix runs of plain rows with rows read by themselves: a row struck
# through inside a run, 同上 right after a run, a union heading and a section heading
# over plain rows, a total below.
SHEETS = {
    "plain": [HEADER, ROW_A, ROW_B, ROW_C, ROW_D, ROW_E, ROW_A],
    "ditto after a run": [
        HEADER, ROW_A, ROW_C, [3, "同上", "同上", "〃", "座谈会", 10, None], ROW_B, ROW_E,
    ],
    "union heading": [
        HEADER, ROW_A, ["长阳镇卫生院工会", None, None, None, None, None, None], ROW_D, ROW_D,
        ROW_C, ROW_D,
    ],
    "section": [
        HEADER, ["一、切实抓好学习", None, None, None, None, None, None], ROW_A, ROW_D, ROW_B,
    ],
    "total below": [HEADER, ROW_A, ROW_B, ROW_C, ["合计", None, None, None, None, 100, None]],
}  # fmt: skip
STRUCK_ROW = 3  # 0-based: the third data row of each sheet


def _find(rows: list, campaign, struck: bool = False, one_by_one: bool = False) -> list:
    """The tables of a sheet of `rows` under a 填报单位 line; `struck`: its STRUCK_ROW
    struck through; `one_by_one`: every row read by itself (no run of plain rows)."""
    grid = [["填报单位：长阳镇总工会", *[None] * 6], *map(list, rows)]
    cells = frozenset((STRUCK_ROW + 1, j) for j in range(7)) if struck else frozenset()
    sheet = Sheet("活动", grid, struck=cells)
    if not one_by_one:
        return find_tables(sheet, campaign, "f.xlsx", [], publicity.Probe(campaign))
    with mock.patch.object(tables, "_plain_rows", lambda grid, i, *args: i):
        return find_tables(sheet, campaign, "f.xlsx", [], publicity.Probe(campaign))


def _interpret(found: list[ActivityTable], campaign, small_roster_rows) -> ingest._Submission:
    roster = make_roster(small_roster_rows[2:])
    interpreter = ingest._Interpreter(roster, NameResolver(roster), campaign)
    sub = ingest._Submission("submissions/f.xlsx", "0", ParsedFile("submissions/f.xlsx", found))
    interpreter.interpret(sub)
    return sub


def _rows(table: ActivityTable) -> list[tuple]:
    return [(r.row, r.kind, list(r.values.items()), r.struck) for r in table.rows]


@pytest.mark.parametrize("name", list(SHEETS))
@pytest.mark.parametrize("struck", [False, True])
def test_runs_give_the_tables_ledger_and_issues_of_rows_read_one_by_one(
    name, struck, campaign, small_roster_rows
):
    fast = _find(SHEETS[name], campaign, struck)
    slow = _find(SHEETS[name], campaign, struck, one_by_one=True)
    assert [_rows(t) for t in fast] == [_rows(t) for t in slow]
    assert not any(p.__class__ is RowRun for t in slow for p in t.rows.parts)
    runs = [p for t in fast for p in t.rows.parts if p.__class__ is RowRun]
    if name == "section":  # rows below a section heading take its item: one by one
        assert not runs
    else:
        assert runs
    if name == "union heading":  # the rows below it read one by one, named by it
        assert fast[0].rows.parts[-1].__class__ is TableRow
        assert any("unit_heading" in r.values for r in fast[0].rows)
    by_runs = _interpret(fast, campaign, small_roster_rows)
    by_rows = _interpret(slow, campaign, small_roster_rows)
    assert by_runs.columns == by_rows.columns
    assert by_runs.row_issues == by_rows.row_issues
    assert by_runs.file_issues == by_rows.file_issues
    assert by_runs.row_issues  # the sheets raise issues: their order is compared
    if struck:
        deleted = [i.row for i in by_runs.row_issues if i.code == "row_deleted"]
        assert deleted == [STRUCK_ROW + 2]


def test_a_run_is_the_rows_it_stands_for():
    """Index, negative index, slice, equality, row numbers and a column of data rows."""
    run = RowRun(5, {"grassroots_unit": ("甲", "乙", "丙"), "participants": (1, 2, 3)}, (1,))
    rows = TableRows([TableRow(4, "note", {"grassroots_unit": "一、学习"})])
    rows.add_run(run)
    rows.append(TableRow(8, "total", {"participants": 6}))
    assert len(rows) == 5 and len(run) == 3
    assert rows[2] == TableRow(6, "data", {"grassroots_unit": "乙", "participants": 2}, True)
    assert rows[-2] == TableRow(7, "data", {"grassroots_unit": "丙", "participants": 3})
    assert [r.row for r in rows[1:3]] == [5, 6]
    assert rows.numbers() == [4, 5, 6, 7, 8]
    assert rows.data_column("grassroots_unit") == ["甲", "乙", "丙"]
    assert rows.data_column("date") == [None, None, None]
    assert rows == [rows[k] for k in range(5)]
    with pytest.raises(IndexError):
        rows[5]


def test_the_last_row_of_a_run_leaves_it_when_its_kind_changes():
    run = RowRun(5, {"grassroots_unit": ("甲", "宣传成果统计"), "participants": (1, None)}, (0,))
    rows = TableRows([run])
    rows.set_last_kind("note")
    assert [(r.row, r.kind, r.struck) for r in rows] == [(5, "data", True), (6, "note", False)]
    assert rows.parts[0] == RowRun(5, {"grassroots_unit": ("甲",), "participants": (1,)}, (0,))
    assert rows[-1].values == {"grassroots_unit": "宣传成果统计", "participants": None}


def test_the_title_of_counts_below_a_run_is_a_note_as_read_one_by_one(campaign):
    """The row right above a publicity table's header, read into a run, becomes a note."""
    rows = [
        HEADER, ROW_A, ROW_B, ROW_A, [None, "宣传成果统计", None, None, None, None, None, "说明"],
        [None, "简报（期）", "微信（条）", "信息（篇）", None, None, None],
        ["长阳镇卫生院工会", 3, 4, 5, None, None, None],
    ]  # fmt: skip

    def found():
        flagged: list[int] = []
        sheet = Sheet("活动", [list(r) for r in rows])
        return find_tables(sheet, campaign, "f.xlsx", flagged, publicity.Probe(campaign))

    [fast] = found()
    with mock.patch.object(tables, "_plain_rows", lambda grid, i, *args: i):
        [slow] = found()
    assert [(r.row, r.kind) for r in fast.rows] == [(2, "data"), (3, "data"), (4, "data"),
                                                    (5, "note")]  # fmt: skip
    assert _rows(fast) == _rows(slow)
    assert fast.rows.parts[0].__class__ is RowRun and len(fast.rows.parts[0]) == 3


def test_runs_come_back_from_the_cache_as_runs(tmp_path, campaign):
    [table] = _find(SHEETS["total below"], campaign, struck=True)
    assert [p.__class__ for p in table.rows.parts] == [RowRun, TableRow]
    run = table.rows.parts[0]
    assert _table_parts(table.rows)[0] is run  # pickled as its columns: no dict per row
    parsed = ParsedFile("f.xlsx", tables=[table], sheets=["活动"])
    cache = _Cache(tmp_path, campaign, enabled=True, context="ctx")
    cache.put(cache.new_entry("cd" * 32, ".xlsx", parsed))
    restored = cache.entry("cd" * 32, ".xlsx").parsed
    assert restored == parsed and restored is not parsed
    assert [p.__class__ for p in restored.tables[0].rows.parts] == [RowRun, TableRow]
    assert restored.tables[0].rows.parts[0] == run
    assert [r.struck for r in restored.tables[0].rows] == [False, False, True, False]
    assert pickle.loads(pickle.dumps(table)) == table  # ordinary pickles too


def test_a_table_given_a_list_of_rows_holds_them_as_they_are():
    row = TableRow(5, "data", {"grassroots_unit": "甲"})
    table = ActivityTable("S", 4, {"grassroots_unit": 0}, {}, HeaderBlock(), [row])
    assert isinstance(table.rows, TableRows)
    assert table.rows[0] is row  # rows read one by one are kept, not copied
    table.rows[0].values["grassroots_unit"] = "乙"
    assert table.rows.data_column("grassroots_unit") == ["乙"]
