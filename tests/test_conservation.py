"""Conservation: every data row read ends in exactly one state, and the counts reconcile.

Hypothesis writes random raw folders (good, messy and bad rows, totals, blank
spacers, byte-identical copies, resubmissions for the same unit and round, broken
files) and checks the ledger against what was written.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))

import harness  # noqa: E402
import make_corpus as corpus  # noqa: E402

STATES = {"accepted", "duplicate", "superseded", "rejected"}
FIRST_DATA_ROW = 5  # title, two header-block lines, the table header
ROW_KINDS = ("good", "messy", "bad_unit", "bad_date", "total", "blank")
PARENTS = list(harness.UNITS_BY_PARENT)


def _row(kind: str, seq: int, parent: str, draw_int: int) -> list:
    units = harness.UNITS_BY_PARENT[parent]
    unit = units[draw_int % len(units)]
    item, form = harness.ITEMS[draw_int % len(harness.ITEMS)]
    day = 1 + draw_int % 28
    if kind == "good":
        return [seq, unit, f"2019-06-{day:02d}", item, form, 10 + draw_int % 90, None]
    if kind == "messy":
        return [
            seq,
            f" 北京市{unit} ",
            f"2019年6月{day}日",
            item,
            form,
            f"约{10 + draw_int % 90}人",
            None,
        ]
    if kind == "bad_unit":
        return [seq, "火星第一工会", f"2019-06-{day:02d}", item, form, 10, None]
    if kind == "bad_date":
        return [seq, unit, "某天", item, form, 10, None]
    if kind == "total":
        return ["合计", None, None, None, None, 999, None]
    return [None] * 7


file_spec = st.fixed_dictionaries(
    {
        "parent": st.sampled_from(PARENTS),
        "round": st.sampled_from(["第一阶段", "第二阶段"]),
        "day": st.integers(1, 9),
        "rows": st.lists(
            st.tuples(st.sampled_from(ROW_KINDS), st.integers(0, 10_000)), min_size=1, max_size=8
        ),
        "copy": st.booleans(),
        "broken": st.booleans(),
    }
)


def _write(raw: Path, specs: list[dict]) -> dict[str, dict]:
    """Write the folder; file -> {"kinds": {row: kind}, "copy_of": file or None, "broken": bool}."""
    harness.build_raw(raw)
    (raw / corpus.VALID_FILE).unlink()
    written: dict[str, dict] = {}
    for n, spec in enumerate(specs):
        rel = f"submissions/{spec['parent']}_{n:02d}.xlsx"
        if spec["broken"] and n % 3 == 2:
            (raw / rel).write_bytes(b"PK\x03\x04 not really a workbook")
            written[rel] = {"kinds": {}, "copy_of": None, "broken": True}
            continue
        rows = []
        kinds = {}
        seq = 0
        for i, (kind, x) in enumerate(spec["rows"]):
            seq += kind not in ("total", "blank")
            rows.append(_row(kind, seq, spec["parent"], x))
            kinds[FIRST_DATA_ROW + i] = kind
        month = "07" if spec["round"] == "第一阶段" else "10"
        data = corpus.xlsx_bytes(
            corpus.submission_rows(
                spec["parent"], f"2019-{month}-0{spec['day']}", rows, spec["round"]
            )
        )
        (raw / rel).write_bytes(data)
        written[rel] = {"kinds": kinds, "copy_of": None, "broken": False}
        if spec["copy"]:
            copy = f"submissions/副本/{spec['parent']}_{n:02d}.xlsx"
            (raw / copy).parent.mkdir(parents=True, exist_ok=True)
            (raw / copy).write_bytes(data)
            written[copy] = {"kinds": kinds, "copy_of": rel, "broken": False}
    return written


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(file_spec, min_size=1, max_size=5))
def test_every_row_one_state_counts_reconcile(specs):
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        written = _write(raw, specs)
        t = harness.ingest(raw, out)
    rows, subs = t.rows, t.submissions

    # Every ledger row: one known state, a reason, a unique address.
    assert set(rows["state"]) <= STATES
    assert (rows["reason"].str.strip() != "").all()
    assert not rows.duplicated(["file", "sheet", "row"]).any()

    # Every file is listed once, and its counts agree with the ledger.
    assert sorted(subs["file"]) == sorted(written)
    counts = pd.crosstab(rows["file"], rows["state"]) if len(rows) else pd.DataFrame()
    for _, sub in subs.iterrows():
        mine = rows[rows["file"] == sub["file"]]
        assert int(sub["rows_read"] or 0) == len(mine)
        assert int(sub["rows_accepted"] or 0) == int((mine["state"] == "accepted").sum())
        if sub["state"] != "current":
            assert (mine["state"] != "accepted").all()
        if sub["state"] == "duplicate_file":
            assert (mine["state"] == "duplicate").all()
        if sub["state"] == "superseded":
            assert (mine["state"] == "superseded").all()
    assert int(pd.to_numeric(subs["rows_read"]).sum()) == len(rows) == int(counts.to_numpy().sum())

    # Nothing lost: every activity row written is in the ledger; no total row counted.
    for rel, info in written.items():
        mine = rows[rows["file"] == rel].set_index(rows[rows["file"] == rel]["row"].astype(int))
        for row, kind in info["kinds"].items():
            if kind in ("good", "messy", "bad_unit", "bad_date"):
                assert row in mine.index, f"{rel} row {row} ({kind}) missing from rows.csv"
            if kind in ("total", "blank", "bad_unit") and row in mine.index:
                assert mine.loc[row, "state"] != "accepted", f"{rel} row {row} ({kind}) accepted"
        state = subs.set_index("file").loc[rel, "state"]
        if info["broken"]:
            assert state == "rejected"
        if state == "current":
            for row, kind in info["kinds"].items():
                if kind == "good" and mine.loc[row, "state"] == "duplicate":
                    _check_repeat(rows, rel, mine.loc[row])
                elif kind == "good":
                    assert mine.loc[row, "state"] == "accepted", (
                        f"{rel} row {row}: {mine.loc[row].to_dict()}"
                    )

    # A byte-identical copy is never counted twice; one current file per unit and round.
    for rel, info in written.items():
        if info["copy_of"]:
            pair = subs.set_index("file").loc[[rel, info["copy_of"]], "state"]
            assert (pair == "duplicate_file").sum() >= 1 or (pair == "rejected").all()
    current = subs[subs["state"] == "current"]
    assert not current.duplicated(["reporting_unit", "round"]).any()
    accepted = rows[rows["state"] == "accepted"]
    assert not accepted.duplicated(["file", "sheet", "row"]).any()


ACTIVITY = ["counted_for", "grassroots_unit", "date", "work_item", "form", "participants"]


def _check_repeat(rows: pd.DataFrame, rel: str, row: pd.Series) -> None:
    """A good row marked duplicate repeats an accepted activity its reason names."""
    reason = row["reason"]
    if reason.startswith("duplicate_row:"):  # an earlier row of the same file
        sheet, _, number = reason.removeprefix("duplicate_row:").rpartition("!")
        first = rows[(rows["file"] == rel) & (rows["sheet"] == sheet) & (rows["row"] == number)]
    else:  # an earlier round's file of the same unit
        assert reason.startswith("earlier_round:"), reason
        earlier = reason.removeprefix("earlier_round:")
        first = rows[rows["file"] == earlier]
        first = first[(first[ACTIVITY] == row[ACTIVITY]).all(axis=1)]
        assert (first["round"] != row["round"]).all()
    assert len(first) >= 1 and (first["state"] == "accepted").any(), (rel, row.to_dict())
    assert (first[ACTIVITY].iloc[0] == row[ACTIVITY]).all(), (rel, row.to_dict())
