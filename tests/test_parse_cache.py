"""The parse cache's compact form of activity tables: what goes in comes back out."""

from __future__ import annotations

import datetime as dt
import pickle

import pandas as pd

from analysis.campaign import load_campaign
from analysis.model import ActivityTable, HeaderBlock, Issue, TableRow
from analysis.parse_cache import ParsedFile, _Cache, _table_rows


def _table() -> ActivityTable:
    fields = ("seq", "grassroots_unit", "date", "participants")
    rows = [
        TableRow(5, "data", dict(zip(fields, (1, "甲工会", dt.date(2019, 7, 1), 12.0), strict=True))),
        TableRow(6, "data", dict(zip(fields, (2, "乙工会", "7月3日", "二十"), strict=True)), struck=True),
        # A split row carries one more key; a merged row may list its keys in another order.
        TableRow(7, "data", {**dict(zip(fields, (3, "丙", None, 5), strict=True)), "participants_parts": (4, "a")}),
        TableRow(8, "total", {"participants": 37, "seq": None, "grassroots_unit": "合计", "date": None}),
    ]  # fmt: skip
    return ActivityTable(
        sheet="Sheet1", header_row=4, columns={f: j for j, f in enumerate(fields)},
        column_labels={"date": "活动日期"}, header=HeaderBlock(reporting_unit="某镇总工会"),
        rows=rows, issues=[Issue("a.xlsx", "Sheet1", 4, "", "warning", "x", "说明")],
    )  # fmt: skip


def test_table_rows_are_flat_lists_of_the_rows_own_dicts():
    rows = _table().rows
    numbers, kinds, values, struck = _table_rows(rows)
    assert numbers == [5, 6, 7, 8] and kinds == ["data", "data", "data", "total"]
    assert all(v is r.values for v, r in zip(values, rows, strict=True))  # no copy made
    assert struck == [1]
    assert _table_rows([]) == ([], [], [], [])


def test_dates_come_back_of_their_own_type(tmp_path):
    when = dt.datetime(2019, 7, 1, 8, 30)
    table = _table()
    table.rows[1].values["date"] = when  # a datetime is not made a date
    table.rows[2].values["date"] = dt.date(2019, 7, 1)  # equal dates: one tuple in the pickle
    parsed = ParsedFile("a.xlsx", tables=[table], sheets=["Sheet1"])
    cache = _Cache(tmp_path, load_campaign(None), enabled=True, context="ctx")
    cache.put(cache.new_entry("ef" * 32, ".xlsx", parsed))
    rows = cache.entry("ef" * 32, ".xlsx").parsed.tables[0].rows
    assert [type(r.values["date"]) for r in rows] == [dt.date, dt.datetime, dt.date, type(None)]
    assert [r.values["date"] for r in rows[:3]] == [dt.date(2019, 7, 1), when, dt.date(2019, 7, 1)]
    # Other pickles of a date are the ordinary ones.
    assert b"fromordinal" not in pickle.dumps(dt.date(2019, 7, 1))


def test_a_parse_comes_back_from_the_cache_equal(tmp_path):
    parsed = ParsedFile("a.xlsx", tables=[_table(), _table()], sheets=["Sheet1"])
    parsed.tables[1].rows = []
    cache = _Cache(tmp_path, load_campaign(None), enabled=True, context="ctx")
    entry = cache.new_entry("ab" * 32, ".xlsx", parsed)
    cache.put(entry)
    again = cache.entry("ab" * 32, ".xlsx")
    restored = again.parsed
    assert restored == parsed and restored is not parsed
    assert [r.struck for r in restored.tables[0].rows] == [False, True, False, False]
    assert list(restored.tables[0].rows[3].values) == [
        "participants",
        "seq",
        "grassroots_unit",
        "date",
    ]
    # Other pickles of a table are the ordinary ones.
    assert pickle.loads(pickle.dumps(parsed.tables[0])) == parsed.tables[0]


def test_an_interpretation_comes_back_from_the_cache_with_its_columns_and_issues(tmp_path):
    import pyarrow as pa

    from analysis.messages import located_message
    from analysis.model import IssueRows
    from analysis.parse_cache import Interpreted

    issues = [
        Issue("a.xlsx", "Sheet1", 5, "活动日期", "warning", "date_unreadable", "第5行：日期"),
        Issue("a.xlsx", "", 6, "", "warning", "x", "说明"),
    ]
    columns = {"file": pa.array(["a.xlsx"] * 2), "row": pa.array([5, 6]), "form": ["讲座", 1]}
    done = Interpreted("current", "", "某镇总工会", "town", "r1", None, None, "", "",
                       ["Sheet1"], "", columns, [], issues)  # fmt: skip
    cache = _Cache(tmp_path, load_campaign(None), enabled=True, context="ctx")
    entry = cache.new_entry("cd" * 32, ".xlsx", ParsedFile("a.xlsx"))
    entry.add("a.xlsx", "ctx", done)
    cache.put(entry)
    again = cache.entry("cd" * 32, ".xlsx").interpretation("a.xlsx", "ctx")
    assert list(again.columns) == ["file", "row", "form"]
    assert all(again.columns[c].equals(columns[c]) for c in ("file", "row"))
    assert again.columns["form"] == ["讲座", 1]
    # Row issues come back as their fields and located sentences, Issues when asked for.
    assert isinstance(again.row_issues, IssueRows) and list(again.row_issues) == issues
    assert again.row_issues.located == [located_message(i) for i in issues]
    assert again.row_issues[1] == issues[1] and again.row_issues[:1] == issues[:1]


def _tables(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".parquet")}


def test_a_cache_file_with_a_changed_byte_is_a_miss_not_a_value(raw):
    """A byte of a cache file changed on disk (a damaged disk, a hand) still unpickles,
    as another name or number: the run must read the file again, not use that value.
    Here every 卫生院 in OUT/.cache becomes 卫生所 (same length, valid UTF-8): the roster
    entry and the file's interpretation would name a union no roster row has."""
    from analysis import ingest
    from tests.test_ingest import act, submission

    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院", participants=20)], "2019-06-28"
    )
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False)
    changed = 0
    for path in (out / ".cache").glob("*.pkl"):
        data = path.read_bytes()
        if "卫生院".encode() in data:
            path.write_bytes(data.replace("卫生院".encode(), "卫生所".encode()))
            changed += 1
    assert changed >= 2  # the roster and the submission's entry at least
    (out / ".cache" / "run.json").unlink()  # so that the run reads its caches
    ingest.run(raw, out, progress=False)
    ingest.run(raw, raw.parent / "full", progress=False, full=True)
    assert _tables(out) == _tables(raw.parent / "full")
    rows = pd.read_csv(out / "rows.csv", dtype=str, keep_default_na=False)
    assert rows["grassroots_unit"].tolist() == ["长阳镇卫生院工会"]
    assert pd.read_parquet(out / "rows.parquet")["grassroots_unit"].tolist() == ["长阳镇卫生院工会"]


def test_a_framed_pickle_cut_short_changed_or_with_a_wild_length_is_damaged(tmp_path):
    import struct

    import pytest

    from analysis import cachefile

    path = tmp_path / "entry.pkl"
    with path.open("wb") as fh:
        cachefile.dump({"members": 300}, fh, "entry.pkl")
        cachefile.dump("second", fh, "entry.pkl")
    with path.open("rb") as fh:
        assert cachefile.load(fh, "entry.pkl") == {"members": 300}
        assert cachefile.load(fh, "entry.pkl") == "second"
    with path.open("rb") as fh:
        cachefile.skip(fh)
        assert cachefile.load(fh, "entry.pkl") == "second"
    with path.open("rb") as fh, pytest.raises(cachefile.DamagedEntry):
        cachefile.load(fh, "other-entry.pkl")  # copied over another cache file
    data = path.read_bytes()
    damaged = {
        "cut short": data[:20],
        "a digit changed": data.replace(b"\x2c\x01", b"\x2d\x01", 1),  # 300 -> 301
        "a wild length": struct.pack("<QI", 1 << 60, 0) + data[12:],
        "empty": b"",
    }
    for how, damage in damaged.items():
        path.write_bytes(damage)
        with path.open("rb") as fh, pytest.raises(cachefile.DamagedEntry):
            cachefile.load(fh, "entry.pkl")
        assert how


def test_a_cache_entry_copied_over_another_files_entry_is_a_miss(raw):
    """Each entry holds one file's parse and interpretations; the same bytes kept under
    another file's entry name must not give that file the first file's rows."""
    from analysis import ingest
    from tests.test_ingest import act, submission

    submission(
        raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院", participants=20)], "2019-06-28"
    )
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False)
    files = ("roster-", "names-")  # the roster's and its names' entries aside
    entries = sorted(p for p in (out / ".cache").glob("*.pkl") if not p.name.startswith(files))
    assert len(entries) == 2
    entries[1].write_bytes(entries[0].read_bytes())
    (out / ".cache" / "run.json").unlink()
    (raw / "submissions" / "长阳镇.xlsx").rename(
        raw / "submissions" / "长阳镇总工会.xlsx"
    )  # re-interpreted
    (raw / "submissions" / "琉璃河镇.xlsx").rename(raw / "submissions" / "琉璃河镇总工会.xlsx")
    ingest.run(raw, out, progress=False)
    ingest.run(raw, raw.parent / "full", progress=False, full=True)
    assert _tables(out) == _tables(raw.parent / "full")
    rows = pd.read_csv(out / "rows.csv", dtype=str, keep_default_na=False)
    assert sorted(rows["grassroots_unit"]) == ["琉璃河镇中心小学工会", "长阳镇卫生院工会"]
