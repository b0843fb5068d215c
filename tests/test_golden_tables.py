"""Every table byte-identical to what the reference commit wrote (slow suite).

tests/golden_tables.json holds the sha256 of each CSV that
`python -m analysis ingest --raw RAW --out OUT --full` wrote at the reference commit
(da70a67: main after the row rules of issues 13/17 and the materials of issue 14
changed rows, issues, submissions and coverage on purpose and added publicity.csv and
materials.csv; bc9678d before that) for the demo district (data/demo/raw, with and without `--as-of
2019-09-30`), the hostile corpus (tests/hostile/corpus) and the scaled round
(300 workbooks, 200,000 rows, generated here by `benchmarks.scaled_round`: the same
bytes on every machine, about 10 s). A change that is not
meant to change a figure must reproduce these bytes; a change of a rule that does
change a table updates the file in the same commit and says which rows changed.
Each corpus is ingested twice: in full, then again from the cache (nothing new),
and both must give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from analysis import ingest

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = json.loads((Path(__file__).with_name("golden_tables.json")).read_text("utf-8"))

CORPORA = {
    "demo": (ROOT / "data" / "demo" / "raw", None),
    "demo_asof": (ROOT / "data" / "demo" / "raw", dt.date(2019, 9, 30)),
    "hostile": (ROOT / "tests" / "hostile" / "corpus", None),
    "scaled": (None, None),  # generated on first use
}


@pytest.fixture(scope="module")
def scaled_raw(tmp_path_factory) -> Path:
    from benchmarks import scaled_round

    return scaled_round.ensure(tmp_path_factory.mktemp("scaled")).raw_dir


def _csv_hashes(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.csv"))}


@pytest.mark.slow
@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_tables_byte_identical_to_reference(corpus, tmp_path, request):
    raw, as_of = CORPORA[corpus]
    raw = raw or request.getfixturevalue("scaled_raw")
    out = tmp_path / "out"
    ingest.run(raw, out, as_of=as_of, full=True, progress=False)
    assert _csv_hashes(out) == EXPECTED[corpus]
    ingest.run(raw, out, as_of=as_of, full=False, progress=False)  # from the cache
    assert _csv_hashes(out) == EXPECTED[corpus]
