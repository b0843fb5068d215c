"""Finding activity tables in sheet grids: headers, header blocks, row kinds."""

from __future__ import annotations

import pytest
from openpyxl import Workbook as XlsxBook

from analysis.model import Sheet
from analysis.readers import read_workbook
from analysis.tables import find_tables

HEADER = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]
ROW_A = [1, "长阳镇第一小学工会", "2019年6月3日", "切实抓好学习", "座谈会", 50, None]
ROW_B = [2, "本级", "2019年6月5日", "加强宣讲培训", "宣讲", 30, None]
EMPTY = [None] * 7


def kinds(table):
    return [(r.row, r.kind) for r in table.rows]


def test_find_tables_title_rows_header_block_total_and_notes(campaign):
    rows = [
        ["房山区学习宣传市工会十四大精神活动统计表", None, None, None, None, None, None],
        ["填报单位：长阳镇总工会", None, None, "填报日期", "2019年7月3日", None, None],
        HEADER,
        ROW_A,
        EMPTY,
        ROW_B,
        [3, None, None, None, None, None, None],
        ["合计", None, None, None, None, 80, None],
        ["注：本表由各单位填报", None, None, None, None, None, None],
        ["填表人：张三", None, None, "联系电话：13800000000", None, None, None],
    ]
    [table] = find_tables(Sheet("活动", rows), campaign, "f.xlsx")
    assert table.header_row == 3
    assert table.columns == {
        "seq": 0,
        "grassroots_unit": 1,
        "date": 2,
        "work_item": 3,
        "form": 4,
        "participants": 5,
        "note": 6,
    }
    assert kinds(table) == [(4, "data"), (6, "data"), (8, "total"), (9, "note"), (10, "note")]
    assert table.rows[0].values["participants"] == 50
    assert table.rows[1].values["grassroots_unit"] == "本级"
    h = table.header
    assert (h.reporting_unit, h.report_date, h.contact, h.phone) == (
        "长阳镇总工会",
        "2019年7月3日",
        "张三",
        "13800000000",
    )


def test_find_tables_columns_in_any_order_and_renamed(campaign):
    rows = [
        ["参与人数（人）", "活动 形式", "单位名称", "活动时间", "工作项目"],
        ["50人", "宣讲", "长阳镇卫生院工会", "6月3日", "宣讲培训"],
    ]
    [table] = find_tables(Sheet("S", rows), campaign, "f.csv")
    assert table.columns == {
        "participants": 0,
        "form": 1,
        "grassroots_unit": 2,
        "date": 3,
        "work_item": 4,
    }
    assert table.column_labels["participants"] == "参与人数(人)"
    assert table.rows[0].values == {
        "participants": "50人",
        "form": "宣讲",
        "grassroots_unit": "长阳镇卫生院工会",
        "date": "6月3日",
        "work_item": "宣讲培训",
    }


@pytest.mark.parametrize(
    ("block_rows", "expected"),
    [
        ([["填报单位：长阳镇总工会"]], {"reporting_unit": "长阳镇总工会"}),
        ([["填报单位", None, "长阳镇总工会"]], {"reporting_unit": "长阳镇总工会"}),
        (
            [["填报单位：", "长阳镇总工会", "联系人：", "李四"]],
            {"reporting_unit": "长阳镇总工会", "contact": "李四"},
        ),
        (
            [["填报单位：长阳镇总工会    填报日期：2019.7.3"]],
            {"reporting_unit": "长阳镇总工会", "report_date": "2019.7.3"},
        ),
        (
            [["报送期次：第二阶段", None, "电话", "69301234"]],
            {"round": "第二阶段", "phone": "69301234"},
        ),
        # A seal note is no part of the label or the value.
        ([["单位（盖章）：长阳镇总工会"]], {"reporting_unit": "长阳镇总工会"}),
        ([["填报单位（盖章）：长阳镇总工会（盖章）"]], {"reporting_unit": "长阳镇总工会"}),
        ([["填报单位：", "周口店镇总工会(公章)"]], {"reporting_unit": "周口店镇总工会"}),
        # The block moved right, past empty columns, its label and value apart.
        (
            [
                [None, None, "填报单位", None, "长阳镇总工会", None, "报送期次", "第二阶段"],
                [None, None, "填 报 日 期", None, "2019.10.2", "联系人", None, "张三"],
            ],
            {
                "reporting_unit": "长阳镇总工会",
                "round": "第二阶段",
                "report_date": "2019.10.2",
                "contact": "张三",
            },
        ),  # fmt: skip
        ([[None, None, "填报日期： 2019年10月2日"]], {"report_date": "2019年10月2日"}),
        # The label's colon typed into a cell of its own is no value.
        ([[None, "填报日期", "：", "2019.10.2"]], {"report_date": "2019.10.2"}),
        ([["填报单位", ":", None, "长阳镇总工会"]], {"reporting_unit": "长阳镇总工会"}),
        (
            [["填报单位（盖章）：", "（盖章）", "填报日期：", "2019.7.3"]],
            {"report_date": "2019.7.3"},
        ),
    ],
)
def test_find_tables_header_block_layouts(block_rows, expected, campaign):
    rows = [*block_rows, HEADER, ROW_A]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    found = {k: v for k, v in vars(table.header).items() if v is not None and k != "title"}
    assert found == expected


def test_find_tables_header_block_below_table(campaign):
    rows = [HEADER, ROW_A, ROW_B, EMPTY, ["填报人：王五", None, None, "联系电话：13911112222"]]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert (table.header.contact, table.header.phone) == ("王五", "13911112222")
    assert kinds(table) == [(2, "data"), (3, "data"), (5, "note")]


def test_find_tables_two_tables_in_one_sheet(campaign):
    rows = [HEADER, ROW_A, EMPTY, ["二、七月活动"], HEADER, ROW_B, ROW_B]
    first, second = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert (first.header_row, second.header_row) == (1, 5)
    assert kinds(first) == [(2, "data"), (4, "note")]
    assert kinds(second) == [(6, "data"), (7, "data")]


def test_find_tables_numbers_only_row_summing_participants_is_total(campaign):
    rows = [
        HEADER,
        ROW_A,
        ROW_B,
        [None, None, None, None, None, 80, None],
        [None, None, None, None, None, 7, None],
    ]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    # 80 is the rows' sum; 7 alone under 参加人数 is a sum without its word too (flagged)
    assert kinds(table) == [(2, "data"), (3, "data"), (4, "total"), (5, "total")]
    assert table.rows[3].values.get("lone_figure") is True


def test_find_tables_no_activity_table_returns_empty(campaign):
    rows = [["会议纪要"], ["时间：2019年6月3日"], ["参加人员：全体职工"]]
    assert find_tables(Sheet("S", rows), campaign, "f.xlsx") == []
    assert find_tables(Sheet("S", []), campaign, "f.xlsx") == []


def test_find_tables_publicity_counts_sheet_is_not_activity_table(campaign):
    rows = [
        [
            "序号",
            "单位名称",
            "统计日期",
            "宣传形式",
            "体会文章（篇）",
            "微信推送（条）",
            "图片（张）",
        ],
        [1, "长阳镇总工会", "2019-06-30", "专栏", 3, 12, 40],
    ]
    assert find_tables(Sheet("宣传", rows), campaign, "f.xlsx") == []


def test_find_tables_missing_participants_column_left_to_the_ledger(campaign):
    """A table of rows without 参加人数 is told once, by the ledger
    (participants_column_missing, test_rows); the finder tells other missing columns."""
    rows = [["基层工会名称", "活动日期", "活动形式"], ["长阳镇卫生院工会", "6月3日", "宣讲"]]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert table.issues == [] and "participants" not in table.columns
    rows = [["活动日期", "活动形式", "工作类别"], ["6月3日", "宣讲", "切实抓好学习"]]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert [(i.code, i.row) for i in table.issues] == [("column_missing", 1)]
    assert "基层工会名称" in table.issues[0].message and "参加人数" not in table.issues[0].message


def test_find_tables_two_row_header_with_participant_subcolumns(campaign):
    rows = [
        ["序号", "基层工会名称", "活动", None, None, "参加人数", None],
        [None, None, "日期", "类别", "形式", "职工", "干部"],
        [1, "长阳镇卫生院工会", "6月3日", "学习", "座谈会", 40, 5],
    ]
    merged = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4), (0, 5, 0, 6)]
    [table] = find_tables(Sheet("S", rows, merged=merged), campaign, "f.xlsx")
    assert table.header_row == 2
    assert table.columns == {
        "seq": 0,
        "grassroots_unit": 1,
        "date": 2,
        "work_item": 3,
        "form": 4,
        "participants": 5,
    }
    # 参加人数 split into 职工 | 干部 with no total: the figure is their sum (40 + 5).
    assert table.rows[0].values["participants"] == 45
    assert [i.code for i in table.issues] == ["participants_summed"]
    assert "F列“参加人数职工”、G列“参加人数干部”" in table.issues[0].message


def test_find_tables_participant_subcolumn_named_total_wins(campaign):
    rows = [
        ["基层工会名称", "活动日期", "活动形式", "参加人数", None, None],
        [None, None, None, "职工", "干部", "合计"],
        ["长阳镇卫生院工会", "6月3日", "座谈会", 40, 5, 45],
    ]
    merged = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 5)]
    [table] = find_tables(Sheet("S", rows, merged=merged), campaign, "f.xlsx")
    assert table.columns["participants"] == 5
    assert table.rows[0].values["participants"] == 45


def test_find_tables_vertically_merged_unit_fills_rows_but_participants_read_once(campaign):
    rows = [
        HEADER,
        [1, "长阳镇卫生院工会", "6月3日", "学习", "座谈会", 60, None],
        [2, None, "6月4日", "学习", "报告会", None, None],
    ]
    merged = [(1, 1, 2, 1), (1, 5, 2, 5)]
    [table] = find_tables(Sheet("S", rows, merged=merged), campaign, "f.xlsx")
    assert [r.values["grassroots_unit"] for r in table.rows] == ["长阳镇卫生院工会"] * 2
    assert [r.values["participants"] for r in table.rows] == [60, None]


def test_find_tables_pre_numbered_empty_rows_skipped(campaign):
    rows = [HEADER, ROW_A, [2, *[None] * 6], [3, *[None] * 6]]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert kinds(table) == [(2, "data")]


def test_find_tables_long_merged_text_row_is_note(campaign):
    rows = [
        HEADER,
        ROW_A,
        ["本月各基层工会普遍开展了学习活动，职工反响热烈，下一步将继续深入开展。", *[None] * 6],
    ]
    [table] = find_tables(Sheet("S", rows, merged=[(2, 0, 2, 6)]), campaign, "f.xlsx")
    assert kinds(table) == [(2, "data"), (3, "note")]


def test_find_tables_from_xlsx_with_merged_title_and_header(tmp_path, campaign):
    wb = XlsxBook()
    ws = wb.active
    ws.title = "活动情况"
    ws["A1"] = "长阳镇总工会学习宣传活动统计表"
    ws.merge_cells("A1:G1")
    ws["A2"] = "填报单位：长阳镇总工会"
    for j, label in enumerate(
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"], start=1
    ):
        ws.cell(3, j, label)
    ws.merge_cells("F3:G3")
    ws["F4"], ws["G4"] = "职工", "干部"
    for col in "ABCDE":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "座谈会", 45, 5])
    ws.append([])
    ws.append(["合计", None, None, None, None, 45, 5])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    [sheet] = read_workbook(path).sheets
    [table] = find_tables(sheet, campaign, "merged.xlsx")
    assert table.header_row == 4
    assert table.columns["participants"] == 5
    assert table.header.reporting_unit == "长阳镇总工会"
    assert kinds(table) == [(5, "data"), (7, "total")]


# --- the cheap pre-checks and memos must never change what is found ------------------------

import dataclasses  # noqa: E402
import datetime as dt  # noqa: E402
from unittest import mock  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis import publicity, tables  # noqa: E402

CELLS = [
    None,
    " ",
    "序号",
    "基层工会名称",
    "单位名称",
    "活动日期",
    "活动",
    "活动情况",
    "日期",
    "形式",
    "工作类别",
    "参加人数",
    "人数",
    "职工",
    "合计",
    "活动名称",
    "长阳镇第一小学工会",
    "2019年6月3日",
    "座谈会",
    "切实抓好学习",
    "约50人",
    "注：本表由各单位填报",
    "时间：6月",
    "1",
    50,
    30,
    80,
    3.0,
    True,
    dt.date(2019, 6, 3),
]


def _result(rows, merged, campaign):
    sheet = Sheet("活动", [list(r) for r in rows], merged=merged)
    return repr(find_tables(sheet, campaign, "f.xlsx"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=6), min_size=1, max_size=8),
    merged=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 5), st.integers(0, 2), st.integers(0, 2)).map(
            lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])
        ),
        max_size=2,
    ),
)
def test_find_tables_header_precheck_never_changes_tables(rows, merged, campaign):
    fast = _result(rows, merged, campaign)
    # Every row tried as a header, and read row by row (no run of plain rows at once).
    with (
        mock.patch.object(tables, "_may_start_header", lambda *args: True),
        mock.patch.object(tables, "_plain_rows", lambda grid, i, *args: i),
    ):
        full = _result(rows, merged, campaign)
    assert fast == full


def _found_with_publicity(rows, campaign, merged=(), struck=frozenset()) -> str:
    sheet = Sheet("活动", [list(r) for r in rows], merged=list(merged), struck=struck)
    flagged: list[int] = []
    found = find_tables(sheet, campaign, "f.xlsx", flagged, publicity.Probe(campaign))
    return repr((found, flagged))


def _row_by_row(rows, campaign, merged=(), struck=frozenset()) -> str:
    """`_found_with_publicity` with every row read by itself (no run of plain rows)."""
    with mock.patch.object(tables, "_plain_rows", lambda grid, i, *args: i):
        return _found_with_publicity(rows, campaign, merged, struck)


ROW_C = [3, "长阳镇卫生院工会", dt.date(2019, 6, 5), "加强宣讲培训", "宣讲", 20.0, "已完成"]
ROW_D = [4, None, "2019年6月6日", None, "座谈会", 10, None]  # no union, no work item
NO_SEQ = HEADER[1:]  # a table without 序号: its rows start with the union's name


# Rows that are no plain data row, each for a reason `_plain_rows` must see.
SPECIAL_ROWS = [
    (HEADER, [[3, "同上", "同上", "〃", "座谈会", 10, None]]),  # ditto marks
    (HEADER, [[3, " ", "2019年6月6日", "切实抓好学习", "座谈会", 10, " "]]),  # blank strings
    (HEADER, [["合计", None, None, None, None, 80, None]]),
    (HEADER, [[3, "长阳镇卫生院工会小计", None, None, None, 80, None]]),
    (HEADER, [[3, None, None, None, None, 80, None]]),  # numbers only: 80 is the sum above
    (HEADER, [[None, None, None, None, None, 80, None]]),  # a lone figure
    (HEADER, [[None, "长阳镇卫生院工会", None, None, None, None, None]]),
    (HEADER, [["长阳镇卫生院工会", None, None, None, None, None, None]]),  # a union heading
    (HEADER, [["一、切实抓好学习", None, None, None, None, None, None]]),  # a section
    (HEADER, [["注：本表由各单位填报", None, None, None, "座谈会", None, None]]),
    (HEADER, [[None, "注：本表由各单位填报", None, None, "座谈会", None, None]]),
    (HEADER, [HEADER]),  # the header again: a new table
    (HEADER, [["序号", "基层工会名称", "活动", None, None, "参加人数", None]]),  # a parent row
    (HEADER, [[None, None, "日期", "类别", "形式", None, None]]),  # a sub-header row
    # A two-row header whose parent row names no field by itself.
    (
        HEADER,
        [
            [None, "基层", "活动", None, "参与", "工作", None],
            [None, "名称", "单位", "时间", None, "内容", None],
        ],
    ),  # fmt: skip
    # A publicity table below: its header names no field of an activity table.
    (
        HEADER,
        [
            [None, "简报（期）", "微信（条）", "信息（篇）", None, None, None],
            ["长阳镇卫生院工会", 3, 4, 5, None, None, None],
        ],
    ),  # fmt: skip
    # A union heading, a row naming its own union (the heading is over) and a row without.
    (
        HEADER,
        [
            ["长阳镇卫生院工会", None, None, None, None, None, None],
            ROW_C,
            [5, None, "2019年6月6日", " ", "座谈会", 10, None],
        ],
    ),  # fmt: skip
    (HEADER, [[4, "长阳镇卫生院工会", "2019年6月6日", "切实抓好学习"]]),  # short
    (NO_SEQ, [["填表人：张三", None, None, None, "联系电话：13800000000", None]]),
    (NO_SEQ, [["注：本表由各单位填报", None, None, "座谈会", None, None]]),
    (NO_SEQ, [["单位（盖章）", "2019年7月3日", None, None, None, None]]),
    # The seal after its date (a Chinese-numeral one too): a sign-off, its seal not first.
    (NO_SEQ, [["2019年7月3日", "单位（盖章）", None, None, None, None]]),
    (HEADER, [[None, "二○一九年七月三日", None, None, "（盖章）", None, None]]),
    (NO_SEQ, [["单位（盖章）", None, None, None, None, "审核人"]]),
    (NO_SEQ, [["统计人：王五", None, "切实抓好学习", "座谈会", 10, None]]),
    (NO_SEQ, [["共3项", None, None, None, 80, None]]),
    (NO_SEQ, [["共2家", None, None, None, 80, None]]),  # a count of units
    (HEADER, [[None, "3个单位", None, None, None, 80, None]]),
]


@pytest.mark.parametrize(("header", "block"), SPECIAL_ROWS)
def test_find_tables_plain_rows_stop_where_a_row_is_read_by_itself(header, block, campaign):
    """Plain data rows read at once (`_plain_rows`) around rows that are not: the same
    tables, kinds, running sums, headings, sections and 同上 as reading every row by
    itself; with a row struck through or merged cells too."""
    plain = [ROW_A, ROW_B, ROW_D, ROW_C, ROW_A, ROW_B]
    if header is NO_SEQ:
        plain = [r[1:] for r in plain]
    rows = [header, *plain[:2], *block, *plain[2:4], *block, *plain[4:]]
    assert _found_with_publicity(rows, campaign) == _row_by_row(rows, campaign)
    struck = frozenset((2, j) for j in range(7))  # ROW_B struck through
    assert _found_with_publicity(rows, campaign, struck=struck) == _row_by_row(
        rows, campaign, struck=struck
    )
    merged = [(4, 1, 5, 1)]  # a cell merged over two rows
    assert _found_with_publicity(rows, campaign, merged) == _row_by_row(rows, campaign, merged)


# Cells of a table body, put in place of a data row's cells: the cells that make a row
# no plain data row (blank strings, 同上, totals, notes, sign-offs, section headings,
# header words, publicity labels, numbers written as text) and data of every kind.
BODY_CELLS = [
    None,
    " ",
    "长阳镇卫生院工会",
    "本级",
    "2019年6月3日",
    dt.date(2019, 6, 5),
    "座谈会",
    "切实抓好学习",
    "一、切实抓好学习",
    "同上",
    "〃",
    "合计",
    "共3项",
    "注：本表由各单位填报",
    "填表人：张三",
    "单位（盖章）",
    "参加人数",
    "活动形式",
    "日期",
    "微信（条）",
    "简报（期）",
    "约50人",
    "12",
    "职工",
    50,
    3.0,
    True,
]
# An edit of a data row: (row index in the body, column, cell); a column j of 7 or 8
# cuts the row to j - 3 cells, a cell of "only" leaves that column's cell alone in the row.
EDITS = st.tuples(st.integers(0, 9), st.integers(0, 8), st.sampled_from([*BODY_CELLS, "only"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seq=st.booleans(),
    picks=st.lists(st.sampled_from([ROW_A, ROW_B, ROW_C, ROW_D]), min_size=1, max_size=10),
    edits=st.lists(EDITS, max_size=6),
    merged=st.lists(
        st.tuples(st.integers(1, 10), st.integers(0, 6), st.integers(0, 1), st.integers(0, 2)).map(
            lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])
        ),
        max_size=1,
    ),
    struck_rows=st.sets(st.integers(1, 10), max_size=3),
)
def test_find_tables_plain_rows_read_as_row_by_row(
    seq, picks, edits, merged, struck_rows, campaign
):
    """Runs of plain data rows read at once (`_plain_rows`) give the tables, rows, kinds,
    running sums and issues that reading every row by itself gives."""
    body = [list(r) if seq else list(r[1:]) for r in picks]
    for k, j, cell in edits:
        if k >= len(body):
            continue
        row = body[k]
        if j >= 7:
            del row[j - 3 :]
        elif cell == "only" and j < len(row):
            body[k] = [None] * j + [row[j]]
        elif j < len(row):
            row[j] = cell
    rows = [HEADER if seq else NO_SEQ, *body]
    struck = frozenset((i, j) for i in struck_rows for j in range(7))
    fast = _found_with_publicity(rows, campaign, merged, struck)
    assert fast == _row_by_row(rows, campaign, merged, struck)


@pytest.mark.parametrize(
    "parent, sub",
    [
        # The parent row alone names only two fields: the pre-check must still try it.
        (["序号", "基层工会名称", "活动情况", None, "参加"], [None, None, "日期", "形式", "人数"]),
        (["序号", "单位名称", "活动", None, None], [None, None, "日期", "形式", "人数"]),
    ],
)
def test_find_tables_two_row_header_found_when_parent_names_few_fields(parent, sub, campaign):
    [table] = find_tables(Sheet("活动", [parent, sub, ROW_A[:5]]), campaign, "f.xlsx")
    assert table.header_row == 2
    assert table.columns == {
        "seq": 0,
        "grassroots_unit": 1,
        "date": 2,
        "form": 3,
        "participants": 4,
    }
    assert [r.kind for r in table.rows] == ["data"]


def test_find_tables_true_and_one_participants_counted_apart(campaign):
    rows = [
        HEADER,
        [1, "长阳镇第一小学工会", "2019年6月3日", "切实抓好学习", "座谈会", True, None],
        [2, "本级", "2019年6月5日", "加强宣讲培训", "宣讲", 1, None],
        [None, None, None, None, None, 1, None],
    ]
    [table] = find_tables(Sheet("活动", rows), campaign, "f.xlsx")
    # True reads as no count, 1 as one: the last row equals the running sum, so it is a total.
    assert kinds(table) == [(2, "data"), (3, "data"), (4, "total")]


def test_find_tables_other_campaign_columns_not_served_from_memo(campaign):
    rows = [HEADER, ROW_A]
    [table] = find_tables(Sheet("活动", rows), campaign, "f.xlsx")
    assert "participants" in table.columns
    columns = {**campaign.columns, "participants": ("受众人数",)}
    other = dataclasses.replace(campaign, columns=columns)
    [table] = find_tables(Sheet("活动", rows), other, "f.xlsx")
    assert "participants" not in table.columns
    columns["participants"] = ("参加人数",)  # the same object edited in place
    [table] = find_tables(Sheet("活动", rows), other, "f.xlsx")
    assert table.columns["participants"] == 5


@pytest.mark.parametrize(
    ("labels", "row", "column", "figure", "codes"),
    [
        # Two whole measures: never added; the exact synonym ranked first is used, and named.
        (["参加人数", "参加人次"], [20, 35], 3, 20, ["column_ambiguous"]),
        # A whole figure and a breakdown of it (其中…): the whole, silently.
        (["参加人数", "其中女职工人数"], [20, 8], 3, 20, []),
        # Parts and a bare 合计 column beside them: the total.
        (["会员人数", "非会员人数", "合计"], [14, 7, 21], 5, 21, []),
        # Parts without a total: their sum, said once.
        (["男职工人数", "女职工人数"], [12, 16], 3, 28, ["participants_summed"]),
        # A total column left blank on this row: the parts' sum (the row's warning in ledger).
        (["会员人数", "非会员人数", "合计"], [8, 2, None], 5, 10, []),
    ],
)
def test_split_participant_columns(campaign, labels, row, column, figure, codes):
    rows = [
        ["基层工会名称", "活动日期", "活动形式", *labels],
        ["长阳镇卫生院工会", "6月3日", "座谈会", *row],
    ]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert table.columns["participants"] == column
    assert table.rows[0].values["participants"] == figure
    assert [i.code for i in table.issues] == codes


def test_no_table_message_names_the_closest_header_row_what_it_has_and_lacks():
    from analysis.campaign import load_campaign
    from analysis.tables import no_table_message

    campaign = load_campaign()
    near = Sheet(
        "活动", [["某镇活动统计"], ["部门", "日期", "人数", "备注"], ["甲工会", "2019-06-03", 5]]
    )
    blank = Sheet("说明", [["本表由各单位填写"]])
    hidden = Sheet("旧表", [["基层工会名称", "活动日期"]], hidden=True)
    assert find_tables(near, campaign, "a.xlsx") == []
    assert no_table_message("a.xlsx", [blank, near, hidden], campaign) == (
        "文件“a.xlsx”中没有找到活动明细表：工作表“活动”第2行有“日期”“人数”，"
        "缺少“基层工会名称”“工作类别”“活动形式”；未计入统计，"
        "请让报送单位按模板补齐表头（基层工会名称、活动日期、工作类别、活动形式、参加人数）后重新报送。"
    )
    # no row names any activity column: the general sentence
    assert no_table_message("b.xlsx", [blank], campaign) == (
        "文件“b.xlsx”中没有找到活动明细表（需要“基层工会名称”“活动日期”等表头），未计入统计；"
        "请让报送单位按模板填写后重新报送。"
    )


@pytest.mark.parametrize(
    ("unit", "work_item", "form", "participants"),
    [
        ("单位", "工作任务", "活动载体", "参加人员（人）"),
        ("基层单位", "类型", "载体", "人员数量"),
        ("所属工会", "工作类别", "活动形式", "参加人数"),
        ("名称", "工作类型", "活动方式", "参与人员"),
        ("工会", "工作类别", "活动形式", "参加人数"),
        ("工会组织名称", "工作类别", "活动形式", "参加人数"),
        ("单位全称", "工作类别", "活动形式", "参加人数"),
        ("主办单位", "工作类别", "活动形式", "参会人员"),
        ("承办单位", "工作类别", "活动形式", "参学人员"),
        ("所在单位", "工作类别", "活动形式", "参训人员"),
        ("工会组织", "工作类别", "活动形式", "参加人数"),
        ("分会名称", "工作类别", "活动形式", "参加人数"),
    ],
)
def test_headers_as_offices_also_write_them(campaign, unit, work_item, form, participants):
    header = ["序号", unit, "活动时间", work_item, form, participants, "备注"]
    [table] = find_tables(Sheet("S", [["某镇活动统计表"], header, ROW_A]), campaign, "f.xlsx")
    assert table.columns == {"seq": 0, "grassroots_unit": 1, "date": 2, "work_item": 3,
                             "form": 4, "participants": 5, "note": 6}  # fmt: skip
    assert table.rows[0].values["participants"] == 50


def test_a_common_word_is_no_header_inside_a_sentence(campaign):
    """'=单位' is the whole header 单位 only: a sentence holding 单位 names no column."""
    from analysis.tables import header_hint

    assert header_hint(Sheet("说明", [["本表由各单位填写"]]), campaign) == ""


@pytest.mark.parametrize("text", ["（以下空白）", "以下空白", "(以下空白)", "以下无"])
def test_a_blank_below_marker_is_a_note(campaign, text):
    rows = [HEADER, ROW_A, [None, text, None, None, None, None, None]]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert kinds(table) == [(2, "data"), (3, "note")]


def test_the_rows_above_a_table_are_its_title(campaign):
    rows = [
        ["石楼镇总工会学习宣传贯彻市工会十四大精神活动情况统计表"],
        ["（第一阶段）"],
        HEADER,
        ROW_A,
    ]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert (
        table.header.title == "石楼镇总工会学习宣传贯彻市工会十四大精神活动情况统计表 （第一阶段）"
    )
    [bare] = find_tables(Sheet("S", [HEADER, ROW_A]), campaign, "f.xlsx")
    assert bare.header.title is None


def test_a_header_cell_merged_across_two_columns_is_one_column(campaign):
    """基层工会名称 merged across B:C (the data merged alike): no 'several columns' warning."""
    rows = [
        ["序号", "基层工会名称", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇卫生院工会", "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20],
    ]
    sheet = Sheet("S", rows, merged=[(0, 1, 0, 2), (1, 1, 1, 2)])
    [table] = find_tables(sheet, campaign, "f.xlsx")
    assert table.columns["grassroots_unit"] == 1
    assert [i.code for i in table.issues] == []
    # Two separate cells that both say so are still named in a warning.
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert [i.code for i in table.issues] == ["column_ambiguous"]


@pytest.mark.parametrize("row", [["备注"], ["关于报送材料的说明"], ["序号", "备注"]])
def test_a_row_naming_no_activity_column_quotes_nothing(campaign, row):
    """A row whose only known header is 备注/说明/序号 is no hint: the message would say
    第1行有“” (nothing) and send the analyst looking for an empty cell."""
    from analysis.tables import header_hint

    assert header_hint(Sheet("说明", [row, ["本次报送照片12张"]]), campaign) == ""


@pytest.mark.parametrize(
    ("seal", "date", "signed"),
    [
        ("单位（盖章）", "2019年6月28日", True),
        ("单位（盖章）", "二〇一九年六月二十八日", True),
        ("单位（盖章）", "二○一九年六月廿八日", True),  # a circle for the zero, 廿 for 20
        ("长阳镇总工会（公章）", "二零一九年七月一日", True),
        ("负责人签字：", "二Ｏ一九年十月卅一日", True),
        ("（签章）", "２０１９年６月２８日", True),
        ("单位（盖章）", "2019年6月28号", True),
        # Not a whole date: a bare number, a month, a year, a day alone is a figure or text.
        ("单位（盖章）", "二十", False),
        ("单位（盖章）", "廿八", False),
        ("单位（盖章）", 20, False),
        ("单位（盖章）", "20", False),
        ("单位（盖章）", "二〇一九", False),
        ("单位（盖章）", "二〇一九年六月", False),
        ("职工签名承诺", "二〇一九年六月二十八日", False),  # 签名 alone: an activity's title
    ],
)
def test_a_seal_and_a_whole_date_alone_are_a_sign_off_in_either_order(seal, date, signed):
    assert tables._sealed_and_dated([(1, seal), (4, date)]) is signed
    assert tables._sealed_and_dated([(1, date), (4, seal)]) is signed


def test_one_list_of_seal_words_makes_the_seal_patterns():
    """The seal of a sign-off row and the bracketed seal note of a header block are the
    same words: one with brackets (and 加盖…/…处), one without."""
    for word in tables._SEAL_WORDS:
        assert tables._SEAL.search(f"单位{word}") and tables._SIGN_OFF.search(f"单位{word}")
        assert tables._without_seal_note(f"填报单位（{word}）") == "填报单位"
    assert tables._without_seal_note("长阳镇总工会（加盖公章）") == "长阳镇总工会"
    assert tables._without_seal_note("（盖章处）") is None
    assert tables._without_seal_note("签名承诺") == "签名承诺"
