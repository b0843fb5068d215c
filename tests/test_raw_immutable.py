"""Nothing under RAW is ever written: same bytes, same modification times, no new files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))

import harness  # noqa: E402
import make_corpus as corpus  # noqa: E402


def test_ingest_twice_leaves_raw_untouched(tmp_path):
    raw = harness.mid_size_raw(tmp_path / "raw", files_per_unit=1, rows_per_file=10)
    harness.build_raw(raw, *(c.path for c in corpus.CASES if not c.simulated))
    (raw / "aliases.csv").write_text(
        "报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n", encoding="utf-8"
    )
    before = harness.tree_state(raw)
    assert len(before) > 20
    harness.ingest(raw, tmp_path / "out")
    harness.ingest(raw, tmp_path / "out")  # the second run goes through the cache
    assert harness.tree_state(raw) == before


@pytest.mark.slow
def test_demo_ingest_and_briefing_leave_raw_untouched(tmp_path):
    from analysis import briefing, demo

    raw = tmp_path / "raw"
    demo.generate(raw, seed=3)
    before = harness.tree_state(raw)
    harness.ingest(raw, tmp_path / "out")
    if hasattr(briefing, "run"):
        code = briefing.run(
            raw_dir=raw,
            processed_dir=tmp_path / "out",
            reports_dir=tmp_path / "reports",
            as_of=None,
            round_code=None,
        )
        assert code == 0
    assert harness.tree_state(raw) == before
