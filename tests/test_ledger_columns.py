"""The ledger built column by column gives what interpreting every row one by one gives."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import ingest
from analysis.ledger import _Memo, _spread
from analysis.model import ROWS_COLUMNS, ActivityTable, HeaderBlock, RowRun, TableRow, TableRows
from analysis.names import NameResolver
from tests.test_names import make_roster

FIELDS = ["seq", "grassroots_unit", "date", "work_item", "form", "participants", "note"]
VARYING = (
    "state", "reason", "grassroots_unit", "counted_for", "work_item", "date", "participants",
    "form",
)  # fmt: skip

UNITS = [
    "长阳镇卫生院工会",  # a union of the town: clean
    "长阳镇卫生院",  # the same, normalised
    "  长阳镇第一小学工会 ",  # padded
    "琉璃河镇中心小学工会",  # another town's union: counted for it, with a warning
    "本级",  # the reporting unit itself
    "",
    None,
    "无名工会",  # unresolved: rejected
    "琉璃河镇总工会",  # a federation named in the union column
    "北京燕房物流有限公司工会",  # the directly affiliated union
]
DATES = [
    "2019-06-03", "2019-06-03", dt.datetime(2019, 6, 4), dt.date(2019, 6, 5), 43620, 43620.0,
    "6月3日", "2029.3.15", "某天", None, True, 6.3,
]  # fmt: skip
PARTICIPANTS = [12, 12.0, "12", "约50人", "若干", True, None, -3, 1.5, "五十人"]
ITEMS = [("切实抓好学习", "讨论会"), ("学习", None), (None, "讨论会"), ("不知道", "座谈会"),
         (None, None), ("宣讲", "-"), ("切实抓好学习", "奇怪形式")]  # fmt: skip
NOTES = [None, None, "", "此条作废", "已核实"]


VARIANTS = {
    "grassroots_unit": UNITS, "date": DATES, "item": ITEMS, "participants": PARTICIPANTS,
    "note": NOTES, "kind": ["total", "note"], "struck": [True], "parts": [True],
}  # fmt: skip
# Each row: a clean row of the reporting unit with up to two cells changed to a variant.
ROWS = st.lists(
    st.lists(st.tuples(st.sampled_from(list(VARIANTS)), st.integers(0, 99)), max_size=2),
    max_size=25,
)


def _rows(spec: list, own_union: str) -> list[TableRow]:
    rows = []
    for i, changes in enumerate(spec):
        row = {"grassroots_unit": own_union, "date": "2019-06-03", "item": ITEMS[0],
               "participants": 12, "note": None, "kind": "data", "struck": False,
               "parts": False}  # fmt: skip
        for field, k in changes:
            row[field] = VARIANTS[field][k % len(VARIANTS[field])]
        values = {"grassroots_unit": row["grassroots_unit"], "date": row["date"],
                  "work_item": row["item"][0], "form": row["item"][1],
                  "participants": row["participants"], "note": row["note"]}  # fmt: skip
        if row["parts"]:
            values["participants_parts"] = (7, "男3+女4")
        rows.append(TableRow(5 + i, row["kind"], values, struck=row["struck"]))
    return rows


def _as_runs(rows: list[TableRow]) -> TableRows:
    """The same rows with each stretch of data rows of the same keys (struck or not) held
    as a `RowRun`, as `tables._plain_rows` holds plain rows: the ledger must not tell."""
    parts: list = []
    for row in rows:
        last = parts[-1] if parts else None
        if row.kind != "data" or "participants_parts" in row.values:
            parts.append(row)
        elif last.__class__ is RowRun and list(last.columns) == list(row.values):
            n = len(last)
            for field, value in row.values.items():
                last.columns[field] += (value,)
            last.struck += (n,) if row.struck else ()
        else:
            columns = {f: (v,) for f, v in row.values.items()}
            parts.append(RowRun(row.row, columns, (0,) if row.struck else ()))
    return TableRows(parts)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ROWS,
    st.sampled_from([("长阳镇总工会", "长阳镇卫生院工会"), ("北京燕房物流有限公司工会", "本级")]),
    st.sampled_from(["r1", ""]),
    st.sampled_from(
        [FIELDS, [f for f in FIELDS if f != "participants"], [f for f in FIELDS if f != "date"]]
    ),  # fmt: skip
)
def test_columns_equal_row_by_row(campaign, small_roster_rows, spec, unit, round_code, fields):
    """Rows outside the mask are exactly what `row` makes of them, and issues keep their order."""
    (unit, own_union) = unit
    roster = make_roster(small_roster_rows[2:])
    interpreter = ingest._Interpreter(roster, NameResolver(roster), campaign)
    table = ActivityTable(
        "活动情况", 4, {f: j for j, f in enumerate(fields)}, {}, HeaderBlock(unit),
        _rows(spec, own_union),
    )  # fmt: skip

    def submission():
        sub = ingest._Submission("submissions/x.xlsx", "0", ingest.ParsedFile("x", [table]))
        sub.reporting_unit, sub.kind, sub.round = unit, roster.kind_of.get(unit, ""), round_code
        return sub

    by_columns, by_rows = submission(), submission()
    columns = interpreter.table_columns(by_columns, table)
    records = [interpreter.row(by_rows, table, r) for r in table.rows]

    assert list(columns) == list(ROWS_COLUMNS)
    assert all(len(v) == len(spec) for v in columns.values())
    for field in VARYING:
        assert columns[field] == [r[field] for r in records], field
    assert by_columns.row_issues == by_rows.row_issues
    assert columns["row"] == [5 + i for i in range(len(spec))]
    assert set(columns["state"]) <= {"accepted", "rejected"}  # one state per row read

    # The rows held as runs of columns: the same rows, ledger columns and issues.
    runs = dataclasses.replace(table, rows=_as_runs(table.rows.parts))
    assert runs.rows == table.rows
    by_runs = submission()
    assert interpreter.table_columns(by_runs, runs) == columns
    assert by_runs.row_issues == by_columns.row_issues


def test_columns_of_a_small_table_worked_out(campaign, small_roster_rows):
    """Four rows: clean, approximate count, another town's union, a total row."""
    roster = make_roster(small_roster_rows[2:])
    interpreter = ingest._Interpreter(roster, NameResolver(roster), campaign)
    rows = [
        TableRow(5, "data", {"grassroots_unit": "长阳镇卫生院", "date": "2019-06-03",
                             "work_item": "学习", "form": "讨论会", "participants": 12}),
        TableRow(6, "data", {"grassroots_unit": "长阳镇卫生院工会", "date": 43619,
                             "work_item": "学习", "form": None, "participants": "约50人"}),
        TableRow(7, "data", {"grassroots_unit": "琉璃河镇中心小学工会", "date": "2019-06-05",
                             "work_item": "学习", "form": "讨论会", "participants": 12.0}),
        TableRow(8, "total", {"grassroots_unit": "合计", "participants": 74}),
    ]  # fmt: skip
    table = ActivityTable(
        "活动情况", 4, {f: j for j, f in enumerate(FIELDS)}, {}, HeaderBlock(), rows
    )
    sub = ingest._Submission("submissions/x.xlsx", "0", ingest.ParsedFile("x", [table]))
    sub.reporting_unit, sub.kind, sub.round = "长阳镇总工会", "乡镇", "r1"

    columns = interpreter.table_columns(sub, table)

    assert columns["state"] == ["accepted", "accepted", "accepted", "rejected"]
    assert columns["reason"] == ["ok", "participants_approximate", "unit_other_parent", "total_row"]
    assert columns["grassroots_unit"] == [
        "长阳镇卫生院工会",
        "长阳镇卫生院工会",
        "琉璃河镇中心小学工会",
        "",
    ]
    assert columns["counted_for"] == ["长阳镇总工会", "长阳镇总工会", "琉璃河镇总工会", ""]
    assert columns["date"] == [
        "2019-06-03",
        "2019-06-03",
        "2019-06-05",
        None,
    ]  # serial 43619: 2019-06-03
    assert columns["participants"] == [12, 50, 12, None]
    assert columns["work_item"] == ["study", "study", "study", ""]
    assert columns["file"] == ["submissions/x.xlsx"] * 4 and columns["round"] == ["r1"] * 4
    assert [(i.row, i.code, i.column) for i in sub.row_issues] == [
        (6, "participants_approximate", "F"),
        (7, "unit_other_parent", "B"),
    ]


def test_memo_keeps_equal_values_of_different_types_apart():
    """1, 1.0 and True are equal in Python; each is cleaned as what it is, once."""
    calls = []

    def kind(value):
        calls.append(value)
        return type(value).__name__, value

    memo = _Memo(kind)
    assert memo.column([1, 1, None, "1", 1]) == [
        ("int", 1), ("int", 1), ("NoneType", None), ("str", "1"), ("int", 1)]  # fmt: skip
    assert len(calls) == 3  # once per distinct value
    assert memo.column([True, 1.0, True]) == [("bool", True), ("float", 1.0), ("bool", True)]
    assert memo.column([1.0]) == [("float", 1.0)] and memo.column([True]) == [("bool", True)]
    assert memo(True) == ("bool", True) and memo(1) == ("int", 1) and memo(1.0) == ("float", 1.0)
    pairs = _Memo(lambda a, b: (type(a).__name__, type(b).__name__))
    assert pairs.column([1, 1.0, "x"], [None, None, True]) == [
        ("int", "NoneType"), ("float", "NoneType"), ("str", "bool")]  # fmt: skip
    assert pairs.column([1, 1], [True, 1]) == [("int", "bool"), ("int", "int")]
    assert pairs(1, True) == ("int", "bool") and pairs(True, 1) == ("bool", "int")


def test_spread_places_data_rows_among_special_rows():
    assert _spread(["a", "b", "c"], [0, 2, 5]) == [None, "a", None, "b", "c", None]
    assert _spread([], [0, 1]) == [None, None]
    assert _spread(["a"], []) == ["a"]


def test_factorized_codes_as_pandas_gives_them():
    """Arrow's codes of a ledger column (pieces from the cache or lists) are pandas' codes."""
    import pandas as pd
    import pyarrow as pa

    from analysis.ledger import _factorized, _ledger_column

    text = [pa.array(["r1", None, "r2"]), ["r2", "", None], pa.array([None, None]), ["r1"]]
    numbers = [pa.array([3, None]), [5, 3], pa.array([None])]
    mixed = [["a", 1], pa.array(["a"])]  # not one Arrow type: pandas' own factorize
    for pieces, integer in ((text, False), (numbers, True), (mixed, False)):
        codes, distinct = _factorized(pieces, integer)
        expected, uniques = pd.factorize(_ledger_column(pieces, integer), use_na_sentinel=True)
        assert codes.tolist() == expected.tolist() and distinct == list(uniques)
    assert _factorized(text, False)[0].tolist() == [0, -1, 1, 1, 2, -1, -1, -1, 0]
    assert _factorized(text, False)[1] == ["r1", "r2", ""]
    assert _factorized(numbers, True)[0].tolist() == [0, -1, 1, 0, -1]


def test_memo_hits_finds_each_true_cell_once_per_distinct_value():
    """`_Memo.hits`: the positions where a predicate holds, numbers told apart by type."""
    calls = []

    def odd_text(value):
        calls.append(value)
        return isinstance(value, str) and len(value) % 2 == 1

    memo = _Memo(odd_text)
    assert memo.hits(["a", 1.0, "bb", "a", None, 3], text_only=True) == [0, 3]
    assert calls == ["a", "bb"] or calls == ["bb", "a"]  # texts only, each once
    assert memo.hits([1, 2.0, None], text_only=True) == []
    ones = _Memo(lambda v: v == 1 and type(v) is int)  # true for the int 1 alone
    assert ones.hits([1.0, True, 1, None, 1]) == [2, 4]
    assert ones.hits(["x", None]) == []
    assert ones.hits([[1], 1]) == [1]  # an unhashable cell: cleaned as it comes
