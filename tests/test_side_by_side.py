"""Activity tables side by side under one header row, and field names in messages."""

from __future__ import annotations

import re

import pytest

from analysis.model import TABLE_FIELDS, Sheet
from analysis.tables import FIELD_LABELS_CN, find_tables


def test_every_table_field_has_a_chinese_label():
    for field in TABLE_FIELDS:
        assert re.fullmatch(r"[\u4e00-\u9fff]+", FIELD_LABELS_CN[field]), field


def test_an_ambiguous_seq_column_is_named_in_chinese(campaign):
    rows = [
        ["序号", "编号", "基层工会名称", "活动日期", "活动形式", "参加人数"],
        [1, "A-1", "长阳镇卫生院工会", "2019-06-03", "座谈会", 20],
    ]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    [note] = table.issues
    assert note.code == "column_ambiguous"
    assert "可作为“序号”" in note.message
    assert not re.search(r"[A-Za-z]{2,}", note.message.replace("f.xlsx", ""))


# ------------------------------------------------------------ tables side by side (one header)

PART = ["序号", "基层工会名称", "活动日期", "活动形式", "参加人数"]
BLOCK = {"seq": 0, "grassroots_unit": 1, "date": 2, "form": 3, "participants": 4}


def kinds(table):
    return [(r.row, r.kind) for r in table.rows]


def shifted(offset: int) -> dict[str, int]:
    return {f: j + offset for f, j in BLOCK.items()}


def side_by_side(*parts: list[list[object]], gap: int = 1) -> list[list[object]]:
    """Rows of several 5-column blocks laid left to right with `gap` empty columns between."""
    height = max(len(p) for p in parts)
    rows = []
    for k in range(height):
        row: list[object] = []
        for n, part in enumerate(parts):
            if n:
                row += [None] * gap
            row += part[k] if k < len(part) and part[k] is not None else [None] * 5
        rows.append(row)
    return rows


LEFT = [
    PART,
    [1, "长阳镇机关工会", "2019-06-03", "座谈会", 10],
    [2, "长阳镇郑台村工会联合会", "2019-06-04", "宣讲", 11],
]
RIGHT = [
    PART,
    [1, "长阳镇河店村工会联合会", "2019-06-18", "座谈会", 20],
    [2, "长阳镇桥坨村工会联合会", "2019-06-19", "宣讲", 21],
]


def test_two_tables_side_by_side_are_two_tables(campaign):
    rows = [["填报单位：长阳镇总工会", None, None, None, None, None, "填报日期：2019年7月1日"]]
    rows += side_by_side(LEFT, RIGHT)  # A-E | F blank | G-K; header on row 2
    left, right = find_tables(Sheet("活动", rows), campaign, "f.xlsx")
    assert (left.header_row, right.header_row) == (2, 2)
    assert left.columns == shifted(0)
    assert right.columns == shifted(6)
    assert kinds(left) == kinds(right) == [(3, "data"), (4, "data")]
    assert [r.values["grassroots_unit"] for r in right.rows] == [
        "长阳镇河店村工会联合会",
        "长阳镇桥坨村工会联合会",
    ]
    assert [r.values["participants"] for r in right.rows] == [20, 21]
    assert [r.values["date"] for r in right.rows] == ["2019-06-18", "2019-06-19"]
    assert [r.values["participants"] for r in left.rows] == [10, 11]
    # one sheet, one office: both tables share the header block; no header warnings
    assert left.header.reporting_unit == right.header.reporting_unit == "长阳镇总工会"
    assert left.issues == right.issues == []


def test_side_by_side_without_a_gap_is_split_where_the_header_repeats(campaign):
    left, right = find_tables(Sheet("S", side_by_side(LEFT, RIGHT, gap=0)), campaign, "f.xlsx")
    assert (left.columns, right.columns) == (shifted(0), shifted(5))
    assert [r.values["participants"] for r in left.rows + right.rows] == [10, 11, 20, 21]


def test_three_tables_side_by_side(campaign):
    third = [
        PART,
        [1, "长阳镇水碾屯村工会联合会", "2019-06-20", "报告会", 30],
        [2, "长阳镇高岭村工会联合会", "2019-06-21", "讨论会", 31],
    ]
    tables = find_tables(Sheet("S", side_by_side(LEFT, RIGHT, third)), campaign, "f.xlsx")
    assert [t.columns for t in tables] == [shifted(0), shifted(6), shifted(12)]
    assert [kinds(t) for t in tables] == [[(2, "data"), (3, "data")]] * 3
    assert [r.values["participants"] for t in tables for r in t.rows] == [10, 11, 20, 21, 30, 31]
    assert tables[2].rows[1].values["grassroots_unit"] == "长阳镇高岭村工会联合会"


def test_the_right_table_shorter_than_the_left(campaign):
    longer = [*LEFT, [3, "长阳镇普安屯村工会联合会", "2019-06-05", "座谈会", 12]]
    shorter = RIGHT[:2]
    left, right = find_tables(Sheet("S", side_by_side(longer, shorter)), campaign, "f.xlsx")
    assert kinds(left) == [(2, "data"), (3, "data"), (4, "data")]
    assert kinds(right) == [(2, "data")]  # rows 3 and 4 are blank on its side: skipped
    assert right.rows[0].values["participants"] == 20


def test_a_total_row_on_one_side_only(campaign):
    with_total = [*LEFT, [None, "合计", None, None, 21]]
    longer = [*RIGHT, [3, "长阳镇普安屯村工会联合会", "2019-06-20", "座谈会", 41]]
    rows = side_by_side(with_total, longer)
    rows.append(["注：本表由各单位填报"])  # a note under the left table only
    left, right = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    assert kinds(left) == [(2, "data"), (3, "data"), (4, "total"), (5, "note")]
    # 41 = 20 + 21, but the row names a union: each side judges its own cells
    assert kinds(right) == [(2, "data"), (3, "data"), (4, "data")]
    assert right.rows[2].values["grassroots_unit"] == "长阳镇普安屯村工会联合会"


def test_a_numbers_only_total_row_is_judged_against_its_own_side(campaign):
    left_rows = [*LEFT, [None, None, None, None, 21]]  # 10 + 11: the left's total
    right_rows = [*RIGHT, [3, None, None, None, 21]]  # not 20 + 21: a row of its own
    left, right = find_tables(Sheet("S", side_by_side(left_rows, right_rows)), campaign, "f")
    assert kinds(left)[-1] == (4, "total")
    assert kinds(right)[-1] == (4, "data")


def test_two_row_headers_side_by_side(campaign):
    parent = ["序号", "基层工会名称", "活动", None, "参加人数"]
    sub = [None, None, "日期", "形式", None]
    rows = side_by_side([parent, sub, *LEFT[1:]], [parent, sub, *RIGHT[1:]])
    # 活动 merged over 日期|形式 and the other labels down two rows, on both sides
    merged = []
    for c in (0, 6):
        merged += [(0, c + 2, 0, c + 3), (0, c, 1, c), (0, c + 1, 1, c + 1), (0, c + 4, 1, c + 4)]
    left, right = find_tables(Sheet("S", rows, merged=merged), campaign, "f.xlsx")
    assert (left.header_row, right.header_row) == (2, 2)
    assert (left.columns, right.columns) == (shifted(0), shifted(6))
    assert [r.values["form"] for r in right.rows] == ["座谈会", "宣讲"]


def test_a_header_repeated_on_one_side_starts_a_table_there_only(campaign):
    """The left table starts again at row 5; the right one goes on through rows 5 and 6."""
    more_left = [*LEFT, None, PART, [1, "长阳镇黄管屯村工会联合会", "2019-06-10", "宣讲", 5]]
    more_right = [
        *RIGHT,
        [3, "长阳镇普安屯村工会联合会", "2019-06-20", "宣讲", 7],
        [4, "长阳镇佛满村工会联合会", "2019-06-21", "宣讲", 8],
        [5, "长阳镇篱笆房村工会联合会", "2019-06-22", "宣讲", 9],
    ]
    left, right, again = find_tables(Sheet("S", side_by_side(more_left, more_right)), campaign, "f")
    assert kinds(left) == [(2, "data"), (3, "data")]
    assert kinds(right) == [(2, "data"), (3, "data"), (4, "data"), (5, "data"), (6, "data")]
    assert [r.values["participants"] for r in right.rows] == [20, 21, 7, 8, 9]
    assert (again.header_row, again.columns, kinds(again)) == (5, shifted(0), [(6, "data")])
    # the right table restarting instead: the left one goes on
    left, right, again = find_tables(Sheet("S", side_by_side(more_right, more_left)), campaign, "f")
    assert [r.values["participants"] for r in left.rows] == [20, 21, 7, 8, 9]
    assert (again.header_row, again.columns, kinds(again)) == (5, shifted(6), [(6, "data")])


# --------------------------------------------- ordinary wide tables: repeated words, one table


def test_participants_split_under_a_merged_header_is_one_table(campaign):
    rows = [
        ["序号", "基层工会名称", "活动日期", "活动形式", "参加人数", None, "备注"],
        [None, None, None, None, "会员", "非会员", None],
        [1, "长阳镇卫生院工会", "2019-06-03", "座谈会", 14, 7, None],
    ]
    merged = [(0, 4, 0, 5), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 6, 1, 6)]
    [table] = find_tables(Sheet("S", rows, merged=merged), campaign, "f.xlsx")
    assert table.rows[0].values["participants"] == 21
    assert [i.code for i in table.issues] == ["participants_summed"]


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "基层工会名称", "活动日期", "活动形式", "参加人数", "备注", "说明"],
        ["序号", "基层工会名称", "开始日期", "结束日期", "活动形式", "参加人数"],
        # the second date, then form and participants: no table without its own name column
        ["序号", "基层工会名称", "工作类别", "开始日期", "结束日期", "活动形式", "参加人数"],
        ["序号", "基层工会名称", "活动日期", "活动形式", "参加人数", None, "备注"],
        ["序号", "基层工会名称", "活动日期", "活动形式", "会员人数", "非会员人数", "合计"],
        ["活动名称", "基层工会名称", "活动日期", "活动形式", "参加人数", "活动内容"],
        # a second name column with no table of its own: one table, the columns named
        ["序号", "基层工会名称", "基层工会名称", "活动日期", "活动形式", "参加人数"],
    ],
)
def test_repeated_header_words_without_a_second_table_are_one_table(campaign, header):
    row = [1, "长阳镇卫生院工会", "2019-06-03", "座谈会", 20, 5, 25][: len(header)]
    [table] = find_tables(Sheet("S", [header, row]), campaign, "f.xlsx")
    assert table.columns["grassroots_unit"] == 1
    assert kinds(table) == [(2, "data")]
    assert "side_by_side_unread" not in [i.code for i in table.issues]


def test_a_side_by_side_part_that_is_no_table_is_named_not_dropped_silently(campaign):
    rows = side_by_side(LEFT, [["序号", "基层工会名称", "参加人数", None, None], [1, "甲", 5]])
    [table] = find_tables(Sheet("活动", rows), campaign, "f.xlsx")
    assert table.columns == shifted(0)
    assert [r.values["participants"] for r in table.rows] == [10, 11]
    [note] = [i for i in table.issues if i.code == "side_by_side_unread"]
    assert (note.row, note.column, note.severity) == (1, "G", "warning")
    assert "G列“序号”、H列“基层工会名称”、I列“参加人数”未读取" in note.message
    assert "工作表“活动”第1行" in note.message and "请把并排的表格分开填写" in note.message


# ------------------------------------------------------------------------ end to end: ingest


def test_ingest_reads_every_side_by_side_row_into_exactly_one_state(raw):
    from tests.conftest import write_xlsx
    from tests.test_rows import run

    grid = [
        ["填报单位：长阳镇总工会", None, None, None, None, None, "填报日期：2019年7月1日"],
        *side_by_side(
            [
                PART,
                [1, "长阳镇第一小学工会", "2019-06-03", "座谈会", 10],
                [2, "长阳镇卫生院工会", "2019-06-04", "宣讲", 11],
                [None, "合计", None, None, 21],
            ],
            [
                PART,
                [1, "北京长阳建材有限公司工会委员会", "2019-06-18", "座谈会", 20],
                [2, "长阳镇卫生院工会", "2019-06-19", "宣讲", 21],
                [3, "琉璃河镇中心小学工会", "2019-06-20", "报告会", 22],
            ],
        ),
    ]
    write_xlsx(raw / "submissions" / "长阳镇总工会.xlsx", grid, sheet="活动")
    t = run(raw)
    rows = t["rows"]
    placed = list(rows[["sheet", "row", "grassroots_unit", "state"]].itertuples(index=False))
    assert sorted(placed) == sorted(
        [
            ("活动", "3", "长阳镇第一小学工会", "accepted"),
            ("活动", "4", "长阳镇卫生院工会", "accepted"),
            ("活动", "5", "", "rejected"),  # the left table's 合计 row
            ("活动", "3", "北京长阳建材有限公司工会委员会", "accepted"),
            ("活动", "4", "长阳镇卫生院工会", "accepted"),
            ("活动", "5", "琉璃河镇中心小学工会", "accepted"),  # counted, for another parent
        ]
    )
    assert set(rows["state"]) <= {"accepted", "duplicate", "superseded", "rejected"}
    assert rows.loc[rows["row"] == "5", "reason"].tolist().count("total_row") == 1
    assert sorted(int(p) for p in rows.loc[rows["state"] == "accepted", "participants"]) == [
        10, 11, 20, 21, 22,
    ]  # fmt: skip
    [sub] = t["submissions"].itertuples(index=False)
    assert (sub.rows_read, sub.rows_accepted) == ("6", "5")
    assert not t["issues"]["code"].isin(["column_ambiguous", "side_by_side_unread"]).any()
