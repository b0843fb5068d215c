"""Contact names and phones stay in submissions.csv: no other table, chart or export shows them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))

import harness  # noqa: E402


def _contacts_from_submissions(out: Path) -> set[str]:
    subs = harness.read_table(out, "submissions")
    values = set(subs.get("contact", [])) | set(subs.get("phone", []))
    return {v for v in values if v}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("privacy")
    raw = harness.contacts_raw(tmp / "raw")
    harness.ingest(raw, tmp / "out")
    return tmp


def test_submissions_table_holds_the_known_contacts(ingested):
    found = _contacts_from_submissions(ingested / "out")
    expected = {v for pair in harness.CONTACTS.values() for v in pair}
    assert found == expected


def test_contacts_absent_from_every_other_table(ingested):
    out = ingested / "out"
    secrets = _contacts_from_submissions(out)
    assert secrets
    others = [
        p
        for p in harness.output_files(out)
        if not p.name.startswith("submissions.") and ".cache" not in p.relative_to(out).parts
    ]
    assert any(p.name == "rows.csv" for p in others) and any(
        p.name == "coverage.csv" for p in others
    )
    for path in others:
        text = harness.texts_of(path)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path.name} shows {leaked}"


@pytest.mark.slow
def test_contacts_absent_from_charts_slides_workbook_html(ingested):
    from analysis import briefing

    reports = ingested / "reports"
    code = briefing.run(
        raw_dir=ingested / "raw",
        processed_dir=ingested / "out",
        reports_dir=reports,
        as_of=None,
        round_code=None,
    )
    assert code == 0
    secrets = _contacts_from_submissions(ingested / "out")
    exports = [p for p in reports.rglob("*") if p.is_file()]
    suffixes = {p.suffix for p in exports}
    assert {".png", ".svg", ".pptx", ".xlsx", ".html"} <= suffixes, suffixes
    for path in exports:
        text = harness.texts_of(path)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path.relative_to(reports)} shows {leaked}"
