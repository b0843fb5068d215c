"""rows.csv written by file: the bytes of unchanged files reused from the last run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import csv_writer, safety

KEY = "code-1"
HEADER = b"\xef\xbb\xbffile,state,n\n"


def table(rows: list[tuple[str, str | None, int | None]]) -> pd.DataFrame:
    files, states, numbers = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame(
        {
            "file": pd.array(list(files), dtype="str"),
            "state": pd.array(list(states), dtype="str"),
            "n": pd.array(list(numbers), dtype="Int64"),
        }
    )


def by_file(rows) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for file, *_ in rows:
        counts[file] = counts.get(file, 0) + 1
    return list(counts.items())


def write(out: Path, rows, key: str = KEY, files=None) -> dict | None:
    """One run's write: to a temporary file, moved into place, then the index saved."""
    frame = table(rows)
    final, tmp = out / "rows.csv", out / ".rows.csv.tmp"
    index = csv_writer.write_by_file(frame, tmp, final, files or by_file(rows), key)
    os.replace(tmp, final)
    csv_writer.save_index(out, "rows", final, index)
    return index


def full_bytes(rows, tmp_path: Path) -> bytes:
    path = tmp_path / "full.csv"
    csv_writer._write_csv(safety.csv_safe(table(rows)), path)
    return path.read_bytes()


FIRST = [("a.xlsx", "accepted", 1), ("a.xlsx", "accepted", 22), ("b.xlsx", "accepted", 3)]


@pytest.fixture
def out(tmp_path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def test_first_write_is_the_full_table_and_indexes_each_file(out):
    index = write(out, FIRST)
    assert (out / "rows.csv").read_bytes() == (
        HEADER + b"a.xlsx,accepted,1\na.xlsx,accepted,22\nb.xlsx,accepted,3\n"
    )
    # The header is 3 (BOM) + 13 bytes; a.xlsx's lines are 18 + 19 bytes, b.xlsx's 18.
    assert [span[:3] for span in index["files"]] == [["a.xlsx", 16, 37], ["b.xlsx", 53, 18]]
    saved = json.loads(csv_writer.index_path(out, "rows").read_text(encoding="utf-8"))
    assert saved["stamp"][0] == 71 == (out / "rows.csv").stat().st_size


def test_rerun_copies_unchanged_files_and_formats_the_others(out, tmp_path, monkeypatch):
    write(out, FIRST)
    formatted: list[list[str]] = []
    real = csv_writer.safety.csv_safe

    def spying(frame):
        formatted.append(frame["file"].tolist())
        return real(frame)

    monkeypatch.setattr(csv_writer.safety, "csv_safe", spying)
    # b.xlsx superseded by a new file typed with a formula; a.xlsx unchanged.
    second = [
        ("a.xlsx", "accepted", 1),
        ("a.xlsx", "accepted", 22),
        ("b.xlsx", "superseded", 3),
        ("b2.xlsx", "=1+2", None),
    ]
    index = write(out, second)
    assert formatted == [["b.xlsx", "b2.xlsx"]]  # only the changed and the new file
    assert (out / "rows.csv").read_bytes() == (
        HEADER + b"a.xlsx,accepted,1\na.xlsx,accepted,22\nb.xlsx,superseded,3\nb2.xlsx,'=1+2,\n"
    )
    assert (out / "rows.csv").read_bytes() == full_bytes(second, tmp_path)
    assert [span[:3] for span in index["files"]] == [
        ["a.xlsx", 16, 37],
        ["b.xlsx", 53, 20],
        ["b2.xlsx", 73, 15],
    ]


def test_files_removed_reordered_and_emptied(out, tmp_path):
    write(out, [*FIRST, ("c.xlsx", "rejected", 5)])
    third = [("c.xlsx", "rejected", 5), ("a.xlsx", "accepted", 1), ("a.xlsx", "accepted", 22)]
    files = [("c.xlsx", 1), ("a.xlsx", 2), ("b.xlsx", 0)]  # b.xlsx now has no rows
    index = write(out, third, files=files)
    assert (out / "rows.csv").read_bytes() == full_bytes(third, tmp_path)
    assert [span[:3] for span in index["files"]] == [
        ["c.xlsx", 16, 18],
        ["a.xlsx", 34, 37],
        ["b.xlsx", 71, 0],
    ]


@pytest.mark.parametrize("doubt", ["edited", "other code", "no index", "bad index"])
def test_any_doubt_formats_the_whole_table(out, tmp_path, monkeypatch, doubt):
    write(out, FIRST)
    key = KEY
    if doubt == "edited":  # the analyst saved rows.csv from a spreadsheet program
        (out / "rows.csv").write_bytes(HEADER + b"a.xlsx,accepted,9\na.xlsx,accepted,22\n")
    elif doubt == "other code":
        key = "code-2"
    elif doubt == "no index":
        csv_writer.index_path(out, "rows").unlink()
    else:
        csv_writer.index_path(out, "rows").write_text("{not json", encoding="utf-8")
    formatted: list[list[str]] = []
    real = csv_writer.safety.csv_safe
    monkeypatch.setattr(
        csv_writer.safety, "csv_safe", lambda f: formatted.append(f["file"].tolist()) or real(f)
    )
    write(out, FIRST, key=key)
    assert formatted == [["a.xlsx", "a.xlsx", "b.xlsx"]]
    assert (out / "rows.csv").read_bytes() == full_bytes(FIRST, tmp_path)


@pytest.mark.parametrize(
    "damage",
    [
        {"b.xlsx": [52, 18]},  # an offset one byte early, still inside the file
        {"b.xlsx": [53, 17]},  # a length one byte short
        {"b.xlsx": [53, 9]},  # a length with a digit lost
    ],
)
def test_an_index_whose_spans_do_not_tile_the_table_is_not_trusted(out, tmp_path, damage):
    """A damaged index (a digit of OUT/.cache/rows.csv.json changed) that still parses
    and stays inside the file would copy the wrong bytes: the spans must follow one
    another from the header to the end of the table."""
    write(out, FIRST)
    path = csv_writer.index_path(out, "rows")
    document = json.loads(path.read_text(encoding="utf-8"))
    spans = []
    for file, offset, length, digest in document["files"]:
        if file not in damage:
            spans.append([file, offset, length, digest])
        elif damage[file] is not None:
            spans.append([file, *damage[file], digest])
    path.write_text(json.dumps({**document, "files": spans}), encoding="utf-8")
    second = [("a.xlsx", "accepted", 1), ("a.xlsx", "accepted", 23), ("b.xlsx", "accepted", 3)]
    write(out, second)
    assert (out / "rows.csv").read_bytes() == (
        HEADER + b"a.xlsx,accepted,1\na.xlsx,accepted,23\nb.xlsx,accepted,3\n"
    )
    assert (out / "rows.csv").read_bytes() == full_bytes(second, tmp_path)


def test_counts_that_do_not_add_up_write_the_table_unindexed(out, tmp_path):
    index = write(out, FIRST, files=[("a.xlsx", 2)])
    assert index is None and not csv_writer.index_path(out, "rows").exists()
    assert (out / "rows.csv").read_bytes() == full_bytes(FIRST, tmp_path)


def test_digest_tells_null_from_empty_text_and_integers_apart():
    frame = pd.DataFrame(
        {
            "file": pd.array(["a", "b", "c", "d"], dtype="str"),
            "state": pd.array([None, "", "x", "x"], dtype="str"),
            "n": pd.array([1, 1, None, 0], dtype="Int64"),
        }
    )
    digests = csv_writer._file_digests(frame.assign(file="f"), [1, 1, 1, 1])
    assert len(set(digests)) == 4
    assert csv_writer._file_digests(frame, [2, 1]) is None  # 3 rows of 4


# --------------------------------------------------------------------------- ingest


def test_ingest_rerun_with_a_correction_writes_what_a_full_run_writes(tmp_path, small_roster_rows):
    from analysis import ingest
    from tests.conftest import write_xlsx
    from tests.test_ingest import act, submission

    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    (raw / "submissions").mkdir(parents=True)
    submission(
        raw, "b长阳镇.xlsx", "长阳镇总工会", [act("长阳镇卫生院"), act("本级")], "2019-06-28"
    )
    submission(raw, "c琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    out, full = tmp_path / "out", tmp_path / "full"
    ingest.run(raw, out, progress=False)
    before = (out / "rows.csv").read_bytes()
    # A correction that sorts first: b长阳镇's rows become superseded, c琉璃河镇's stay.
    submission(raw, "a长阳镇更正.xlsx", "长阳镇总工会", [act("=长阳镇卫生院")], "2019-07-02")
    ingest.run(raw, out, progress=False)
    ingest.run(raw, full, full=True, progress=False)
    assert (out / "rows.csv").read_bytes() == (full / "rows.csv").read_bytes() != before
    spans = {f: (o, n) for f, o, n, _ in json.loads(
        csv_writer.index_path(out, "rows").read_text(encoding="utf-8"))["files"]}  # fmt: skip
    assert list(spans) == [f"submissions/{n}.xlsx" for n in ("a长阳镇更正", "b长阳镇", "c琉璃河镇")]
    last = spans["submissions/c琉璃河镇.xlsx"]
    assert (out / "rows.csv").read_bytes()[last[0] :] == before[-last[1] :]  # copied, last


@pytest.mark.parametrize(
    ("states", "other"),
    [
        (["x", "x"], ["x", "y"]),  # a constant run against one that is not
        ([None, None], ["", ""]),  # nulls are not empty text
        (["ab", "ab"], ["a", "ba"]),  # the same bytes cut elsewhere
        (["x", "x", "x"], ["x", "x", None]),
    ],
)
def test_digest_of_runs_of_one_value(states, other):
    def digest(values):
        frame = table([("f", v, 1) for v in values])
        return csv_writer._file_digests(frame, [len(values)])[0]

    assert digest(states) != digest(other)
    assert digest(states) == digest(list(states))


def test_table_moved_into_place_without_renaming_over_the_old_one(tmp_path, monkeypatch):
    from analysis import ingest

    final, tmp = tmp_path / "rows.csv", tmp_path / ".rows.csv.tmp1"
    final.write_bytes(b"old\n")
    tmp.write_bytes(b"new\n")
    ingest._move_into_place(tmp, final)
    assert final.read_bytes() == b"new\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "rows.csv"
    ]
    # The new table cannot be renamed in: the previous one is put back, the error raised.
    tmp.write_bytes(b"newer\n")
    real = os.rename

    def refusing(source, target):
        if Path(source) == tmp:
            raise OSError(28, "No space left on device")
        real(source, target)

    monkeypatch.setattr(ingest.os, "rename", refusing)
    with pytest.raises(OSError):
        ingest._move_into_place(tmp, final)
    assert final.read_bytes() == b"new\n" and tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rows.csv.tmp1", "rows.csv"]


def test_digests_do_not_depend_on_how_the_columns_are_chunked(monkeypatch):
    # A file restored from the cache is one Arrow chunk; fresh files are joined into
    # runs: the same rows must give the same digests whatever the chunks and pieces,
    # and whatever batches of files the digests are read in (a file larger than a
    # batch, an empty file at a batch's edge).
    import pyarrow as pa

    files = [("a", 2), ("empty", 0), ("b", 3), ("c", 1)]
    states = ["x", "x", None, "y", "y", "z"]
    numbers = [1, None, 3, 4, 5, 6]

    def frame(cuts):
        pieces = [states[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        chunked = pa.chunked_array([pa.array(p, pa.large_string()) for p in pieces])
        return pd.DataFrame(
            {"state": pd.array(chunked, dtype="str"), "n": pd.array(numbers, dtype="Int64")}
        )

    counts = [n for _, n in files]
    one = csv_writer._file_digests(frame([0, 6]), counts)
    for batch in (1, 2, 3, 100):
        monkeypatch.setattr(csv_writer, "CSV_CHUNK_ROWS", batch)
        for cuts in ([0, 6], [0, 2, 5, 6], [0, 1, 2, 3, 4, 5, 6], [0, 3, 6]):
            assert csv_writer._file_digests(frame(cuts), counts) == one
    assert len(set(one)) == 4
    # Each digest is that of its file alone: the batches do not mix files.
    alone = csv_writer._file_digests(frame([0, 6]).iloc[3:5].reset_index(drop=True), [2])
    monkeypatch.setattr(csv_writer, "CSV_CHUNK_ROWS", 2)
    assert one[2] != alone[0]  # b has 3 rows; its first two alone are another file
    assert csv_writer._file_digests(frame([0, 6]).iloc[2:5].reset_index(drop=True), [3]) == [one[2]]


def test_parquet_beside_the_splice_or_after_it_writes_the_same_tables(tmp_path):
    """`write_tables` with its Parquet in a thread beside the spliced CSV, or not: same files."""
    import shutil

    from analysis import ingest

    first = {"rows": table(FIRST), "issues": table([("b.xlsx", "warning", None)])}
    out = tmp_path / "out"
    ingest.write_tables(out, first, by_file={"rows": by_file(FIRST)})
    second_rows = [*FIRST, ("c.xlsx", "=1+2", 4)]
    second = {"rows": table(second_rows), "issues": table([("c.xlsx", "error", 9)])}
    written = {}
    for beside in (True, False):
        target = tmp_path / f"beside-{beside}"
        shutil.copytree(out, target)
        ingest.write_tables(target, second, by_file={"rows": by_file(second_rows)}, beside=beside)
        written[beside] = target
    for name in ("rows", "issues"):
        assert (written[True] / f"{name}.csv").read_bytes() == (
            written[False] / f"{name}.csv"
        ).read_bytes()
        pd.testing.assert_frame_equal(
            pd.read_parquet(written[True] / f"{name}.parquet"),
            pd.read_parquet(written[False] / f"{name}.parquet"),
        )
        pd.testing.assert_frame_equal(
            pd.read_parquet(written[False] / f"{name}.parquet"), second[name]
        )
    assert (written[False] / "rows.csv").read_bytes() == full_bytes(second_rows, tmp_path)


def test_parquet_beside_only_when_the_run_interpreted_little(
    tmp_path, small_roster_rows, monkeypatch
):
    """A run that interpreted most files again writes its Parquet after its CSVs (memory)."""
    from analysis import ingest
    from tests.conftest import write_xlsx
    from tests.test_ingest import act, submission

    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    (raw / "submissions").mkdir(parents=True)
    for k in range(4):
        submission(raw, f"长阳镇{k}.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], f"2019-06-2{k}")
    asked: list[bool] = []
    real = ingest.write_tables

    def spying(*args, beside=True, **kwargs):
        asked.append(beside)
        return real(*args, beside=beside, **kwargs)

    monkeypatch.setattr(ingest, "write_tables", spying)
    out = tmp_path / "out"
    ingest.run(raw, out, progress=False)  # 4 of 4 interpreted
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    ingest.run(raw, out, progress=False)  # 1 of 5
    ingest.run(raw, out, full=True, progress=False)  # 5 of 5, over the last run's tables
    assert asked == [False, True, False]


def _round_of_five(tmp_path, small_roster_rows):
    """RAW with four submissions and OUT after a run over them; then a fifth submission."""
    from analysis import ingest
    from tests.conftest import write_xlsx
    from tests.test_ingest import act, submission

    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    (raw / "submissions").mkdir(parents=True)
    for k in range(4):
        submission(raw, f"长阳镇{k}.xlsx", "长阳镇总工会", [act("长阳镇卫生院")], f"2019-06-2{k}")
    out = tmp_path / "out"
    ingest.run(raw, out, progress=False)
    submission(raw, "琉璃河镇.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")], "2019-06-28")
    return raw, out


def test_the_last_runs_tables_are_removed_in_a_thread_before_the_run_returns(
    tmp_path, small_roster_rows, monkeypatch
):
    """The previous tables set aside are removed while the run writes its history; gone
    when it returns. One that cannot be removed fails nothing: the next run removes it."""
    from analysis import ingest

    raw, out = _round_of_five(tmp_path, small_roster_rows)
    ingest.run(raw, out, progress=False)
    assert not [p.name for p in out.iterdir() if ".tmp" in p.name]
    real = Path.unlink

    def refusing(path, missing_ok=False):
        if path.name.startswith(".rows.csv.tmp") and path.name.endswith("old"):
            raise PermissionError(13, "Permission denied", str(path))
        real(path, missing_ok=missing_ok)

    (raw / "submissions" / "长阳镇0.xlsx").unlink()
    monkeypatch.setattr(Path, "unlink", refusing)
    result = ingest.run(raw, out, progress=False)
    assert [p.name for p in out.iterdir() if ".tmp" in p.name] == [f".rows.csv.tmp{os.getpid()}old"]
    monkeypatch.setattr(Path, "unlink", real)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "rows.parquet"), result.rows)
    (raw / "submissions" / "长阳镇1.xlsx").unlink()
    ingest.run(raw, out, progress=False)
    assert not [p.name for p in out.iterdir() if ".tmp" in p.name]


def test_a_rerun_writes_the_ledgers_parquet_ahead_and_leaves_nothing_behind(
    tmp_path, small_roster_rows, monkeypatch
):
    """A re-run that interpreted little starts rows.parquet as soon as the ledger is made,
    and removes the last run's tables in a thread: its tables are a --full run's, and
    OUT holds no temporary or set-aside file once it returns."""
    from analysis import ingest

    raw, out = _round_of_five(tmp_path, small_roster_rows)
    started: list[str] = []
    real = ingest._parquet_ahead

    def spying(out_dir, name, frame):
        started.append(name)
        return real(out_dir, name, frame)

    monkeypatch.setattr(ingest, "_parquet_ahead", spying)
    ingest.run(raw, out, progress=False)  # 1 of 5 interpreted
    assert started == ["rows"]
    assert not [p.name for p in out.iterdir() if ".tmp" in p.name]
    full = tmp_path / "full"
    ingest.run(raw, full, full=True, progress=False)
    assert started == ["rows"]  # a first run has no CSV to splice: nothing ahead
    for name in ("rows", "submissions", "issues", "coverage"):
        assert (out / f"{name}.csv").read_bytes() == (full / f"{name}.csv").read_bytes()
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / f"{name}.parquet"), pd.read_parquet(full / f"{name}.parquet")
        )


def test_a_failed_write_with_the_ledgers_parquet_ahead_leaves_the_previous_tables(
    tmp_path, small_roster_rows, monkeypatch
):
    from analysis import ingest
    from tests.test_ingest import _snapshot

    raw, out = _round_of_five(tmp_path, small_roster_rows)
    before = _snapshot(out)
    real = ingest._write_csv
    written: list[Path] = []

    def failing(frame, path):  # submissions.csv, then issues.csv (rows.csv is spliced)
        written.append(path)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real(frame, path)

    monkeypatch.setattr(ingest, "_write_csv", failing)
    with pytest.raises(ingest.OutputError):
        ingest.run(raw, out, progress=False)
    assert _snapshot(out) == before
    assert not [p.name for p in out.iterdir() if ".tmp" in p.name]
