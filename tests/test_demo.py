"""The demo district generator: roster shape, planted cases, ground truth, determinism."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import config, demo
from analysis.roster import load_roster

SEED = config.DEMO_SEED


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[Path, demo.DemoSummary]:
    raw = tmp_path_factory.mktemp("demo") / "raw"
    summary = demo.generate(raw, seed=SEED)
    return raw, summary


@pytest.fixture(scope="session")
def raw(generated) -> Path:
    return generated[0]


@pytest.fixture(scope="session")
def manifest(raw) -> dict:
    return json.loads((raw.parent / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def truth(raw) -> pd.DataFrame:
    return pd.read_csv(raw.parent / "truth.csv", dtype={"grassroots_unit": str}, keep_default_na=False)  # fmt: skip


@pytest.fixture(scope="session")
def roster(raw):
    return load_roster(raw / config.ROSTER_SUBDIR)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@cache
def _sheets(path: Path) -> dict[str, list[list[object]]]:
    """All sheets of a generated file as grids (CSV: one sheet named '')."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        return {"": [list(r) for r in csv.reader(io.StringIO(text))]}
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def _row(path: Path, sheet: str, row: int) -> list[object]:
    grid = _sheets(path)[sheet]
    return grid[row - 1] if row - 1 < len(grid) else []


# --------------------------------------------------------------------------- roster


def test_roster_loads_with_no_issues(roster):
    assert roster.issues == []


def test_roster_reporting_units_per_kind_match_district(roster):
    counts = roster.reporting_units["kind"].value_counts().to_dict()
    assert counts == {"town": 20, "street": 4, "yanshan": 1, "system": 15, "zone": 1, "direct": 40}


def test_roster_size_is_about_2500_unions(roster):
    assert 2300 <= len(roster.units) <= 2700
    assert roster.units["members"].between(5, 3000).all()
    assert (roster.units["employees"] >= roster.units["members"]).all()


def test_roster_names_follow_domain(roster):
    ru = set(roster.reporting_units["reporting_unit"])
    assert {"长阳镇总工会", "霞云岭乡总工会", "拱辰街道总工会", "燕山总工会", "区教委工会", "良乡经济开发区工会"} <= ru  # fmt: skip
    direct = roster.units[roster.units["kind"] == "direct"]
    assert (direct["unit"] == direct["reporting_unit"]).all()


def test_roster_towns_bigger_than_townships_and_education_large(roster):
    ru = roster.reporting_units.set_index("reporting_unit")
    towns = ru[ru.index.str.endswith("镇总工会")]["members_total"].mean()
    townships = ru[ru.index.str.endswith("乡总工会")]["members_total"].mean()
    assert towns > 2 * townships
    systems = ru[ru["kind"] == "system"]["members_total"]
    assert systems.idxmax() == "区教委工会"


def test_roster_differs_with_seed(roster):
    other = demo.build_roster(np.random.default_rng(SEED + 1))
    assert set(other["unit"]) != set(roster.units["unit"])


# --------------------------------------------------------------------------- determinism


def test_generate_same_seed_same_bytes(raw, tmp_path):
    again = tmp_path / "raw"
    demo.generate(again, seed=SEED)
    assert _digests(again) == _digests(raw)
    assert (tmp_path / "manifest.json").read_bytes() == (raw.parent / "manifest.json").read_bytes()
    assert (tmp_path / "truth.csv").read_bytes() == (raw.parent / "truth.csv").read_bytes()
    publicity = "publicity_truth.csv"
    assert (tmp_path / publicity).read_bytes() == (raw.parent / publicity).read_bytes()


def test_xlsx_bytes_do_not_depend_on_the_clock():
    grid = [demo.Grid("S", [["a", dt.date(2019, 6, 3)], [1, 2]])]
    first = demo._xlsx_bytes(grid)
    assert demo._xlsx_bytes(grid) == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert all(i.date_time == demo.ZIP_TIME for i in zf.infolist())
        assert b"2019-05-29T09:00:00Z" in zf.read("docProps/core.xml")


def test_generate_refuses_the_analysts_raw_folder():
    from analysis.cli import UsageError

    with pytest.raises(UsageError):
        demo.generate(config.RAW_DATA_DIR / "x", seed=SEED)


# --------------------------------------------------------------------------- planted cases

REQUIRED_CASES = {
    "format_xls", "format_et", "format_ods", "format_csv-utf8-sig", "format_csv-utf8", "format_csv-gbk",
    "title_rows", "merged_header", "renamed_columns", "reordered_columns", "total_row", "spacer_row",
    "hidden_sheet", "second_activity_sheet", "publicity_counts_sheet", "note_row",
    "participants_text_approx", "participants_text_unit", "participants_fullwidth",
    "participants_chinese", "participants_range", "participants_unreadable",
    "date_cn", "date_dot", "date_md", "date_slash", "date_serial", "date_unreadable",
    "name_prefix_added", "name_prefix_dropped", "name_suffix_added", "name_suffix_dropped",
    "name_company_short", "name_brackets_halfwidth", "name_spaces",
    "name_typo_in_aliases", "name_typo_unresolved", "name_abbreviation_in_aliases",
    "unit_other_federation", "header_block_one_cell", "header_block_neighbour",
    "header_block_inline", "bare_csv_no_header_block", "duplicate_file",
    "corrected_resubmission", "superseded", "file_empty", "file_truncated",
    "file_docx_as_xlsx", "file_text_as_xls", "file_encrypted", "no_table_workbook",
    "lock_file", "late", "silent_round", "silent_all_rounds",
    "round_from_header", "round_from_folder", "round_from_dates",
}  # fmt: skip


def test_manifest_has_every_required_case(manifest):
    cases = {e["case"] for e in manifest["cases"]}
    assert REQUIRED_CASES - cases == set()


def test_manifest_files_exist_and_live_under_submissions(manifest, raw):
    for e in manifest["cases"]:
        if e["file"]:
            assert e["file"].startswith("submissions/")
            assert (raw / e["file"]).is_file(), e["file"]


def test_manifest_cell_values_are_in_the_files(manifest, raw):
    checked = 0
    for e in manifest["cases"]:
        if not e["row"] or e["value"] in (None, "") or e["case"] in ("title_rows", "spacer_row"):
            continue
        cells = [str(c) for c in _row(raw / e["file"], e["sheet"], e["row"])]
        value = str(e["value"])
        assert any(value in c or c.removesuffix(".0") == value for c in cells), (e, cells)
        checked += 1
    assert checked > 500


def test_manifest_row_cases_name_the_right_column(manifest, raw):
    for e in manifest["cases"]:
        if e["case"].startswith("participants_") and e["row"]:
            header = [str(c) for r in _sheets(raw / e["file"])[e["sheet"]][:8] for c in r]
            assert e["column"] in header


def test_spacer_rows_are_blank(manifest, raw):
    spacers = [e for e in manifest["cases"] if e["case"] == "spacer_row"]
    for e in spacers:
        assert all(c in ("", None) for c in _row(raw / e["file"], e["sheet"], e["row"]))


def test_hidden_sheet_is_hidden(manifest, raw):
    import python_calamine as pc

    for e in [e for e in manifest["cases"] if e["case"] == "hidden_sheet"]:
        meta = pc.CalamineWorkbook.from_path(str(raw / e["file"])).sheets_metadata
        states = {m.name: m.visible for m in meta}
        assert states[e["sheet"]] != pc.SheetVisibleEnum.Visible


def test_merged_header_cells_are_merged(manifest, raw):
    from openpyxl import load_workbook

    merged = [e for e in manifest["cases"] if e["case"] == "merged_header" and e["file"].endswith(".xlsx")]  # fmt: skip
    assert merged
    for e in merged:
        ws = load_workbook(raw / e["file"])[e["sheet"]]
        ranges = [str(r) for r in ws.merged_cells.ranges]
        assert f"D{e['row']}:F{e['row']}" in ranges
        assert ws.cell(e["row"], 4).value == "活动情况"


def _case_file(manifest, case) -> Path:
    return next(e["file"] for e in manifest["cases"] if e["case"] == case)


@pytest.mark.parametrize(
    ("case", "check"),
    [
        ("file_empty", lambda b: b == b""),
        ("file_truncated", lambda b: b[:2] == b"PK" and not zipfile.is_zipfile(io.BytesIO(b))),
        (
            "file_docx_as_xlsx",
            lambda b: "word/document.xml" in zipfile.ZipFile(io.BytesIO(b)).namelist(),
        ),  # fmt: skip
        (
            "file_text_as_xls",
            lambda b: not b.startswith(bytes.fromhex("D0CF11E0")) and b.decode("utf-8"),
        ),  # fmt: skip
        (
            "file_encrypted",
            lambda b: (
                b.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
                and "EncryptionInfo".encode("utf-16-le") in b
            ),
        ),  # fmt: skip
        ("format_xls", lambda b: b.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))),
        ("format_et", lambda b: b.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))),
        ("format_ods", lambda b: b"application/vnd.oasis.opendocument.spreadsheet" in b[:100]),
        ("format_csv-utf8-sig", lambda b: b.startswith(b"\xef\xbb\xbf")),
        ("format_csv-utf8", lambda b: not b.startswith(b"\xef\xbb\xbf") and b.decode("utf-8")),
        ("format_csv-gbk", lambda b: _not_utf8(b) and "序号" in b.decode("gbk")),
        ("lock_file", lambda b: len(b) < 400),
    ],
)
def test_planted_file_has_its_bytes(manifest, raw, case, check):
    assert check((raw / _case_file(manifest, case)).read_bytes())


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_lock_file_name_starts_with_tilde_dollar(manifest):
    assert Path(_case_file(manifest, "lock_file")).name.startswith("~$")


def test_duplicate_file_is_byte_identical(manifest, raw):
    e = next(e for e in manifest["cases"] if e["case"] == "duplicate_file")
    assert (raw / e["file"]).read_bytes() == (raw / e["value"]).read_bytes()
    assert e["file"] != e["value"]


def test_bare_csv_has_no_header_block_and_unit_in_name(manifest, raw):
    for e in [e for e in manifest["cases"] if e["case"] == "bare_csv_no_header_block"]:
        first = _sheets(raw / e["file"])[""][0]
        assert "序号" in first[0] and not any("填报" in c for c in first)
        assert e["value"] in Path(e["file"]).name


def test_aliases_map_to_roster_names(raw, roster):
    aliases = pd.read_csv(raw / config.ALIASES_FILE, encoding="utf-8-sig")
    assert list(aliases.columns) == ["报送名称", "名册名称"]
    assert aliases["名册名称"].isin(roster.units["unit"]).all()
    assert not aliases["报送名称"].isin(roster.units["unit"]).any()


def test_unresolved_names_are_not_in_roster_or_aliases(manifest, raw, roster):
    aliases = pd.read_csv(raw / config.ALIASES_FILE, encoding="utf-8-sig")
    bad = [e["value"] for e in manifest["cases"] if e["case"] == "name_typo_unresolved"]
    assert bad
    assert not set(bad) & (set(roster.units["unit"]) | set(aliases["报送名称"]))


def test_superseded_file_has_earlier_report_date(manifest):
    cases = manifest["cases"]
    for e in [e for e in cases if e["case"] == "corrected_resubmission"]:
        original = next(o for o in cases if o["case"] == "superseded" and e["file"] in o["expect"])
        assert original["value"] < e["value"]


# --------------------------------------------------------------------------- ground truth


def test_truth_size_and_values(truth, roster, campaign):
    assert 7000 <= len(truth) <= 15000
    assert set(truth["work_item"]) <= set(campaign.work_item_codes)
    names = set(roster.units["unit"])
    assert set(truth.loc[truth["grassroots_unit"] != "", "grassroots_unit"]) <= names
    for rnd in campaign.rounds:
        dated = truth[(truth["round"] == rnd.code) & (truth["date"] != "")]
        days = pd.to_datetime(dated["date"]).dt.date
        assert days.between(rnd.start, rnd.end).all()


def test_truth_counted_for_is_roster_parent(truth, roster):
    named = truth[truth["grassroots_unit"] != ""]
    parent = named["grassroots_unit"].map(roster.parent_of)
    assert (parent == named["counted_for"]).all()
    assert (named["counted_for"] != named["reporting_unit"]).sum() >= 1  # a foreign union


def test_silent_units_never_report(manifest, truth, raw):
    silent = [e["value"] for e in manifest["cases"] if e["case"] == "silent_all_rounds"]
    assert len(silent) == 2
    assert not truth["reporting_unit"].isin(silent).any()
    files = [p.name for p in (raw / config.SUBMISSIONS_SUBDIR).rglob("*")]
    assert not any(u in f for u in silent for f in files)


def test_silent_in_a_round_means_no_rows_that_round(manifest, truth):
    for e in [e for e in manifest["cases"] if e["case"] == "silent_round"]:
        unit, rnd = e["value"].split("|")
        assert not ((truth["reporting_unit"] == unit) & (truth["round"] == rnd)).any()


def test_late_submissions_are_after_deadline(manifest, campaign):
    late = [e for e in manifest["cases"] if e["case"] == "late"]
    assert len(late) >= 3
    deadlines = {r.code: r.deadline for r in campaign.rounds}
    for e in late:
        rnd = next(o["expect"] for o in manifest["cases"] if o["file"] == e["file"] and o["case"].startswith("round_from_"))  # fmt: skip
        assert dt.date.fromisoformat(e["value"]) > deadlines[rnd]


def _coverage(truth: pd.DataFrame, roster) -> pd.DataFrame:
    covered = truth.loc[truth["grassroots_unit"] != "", ["grassroots_unit", "counted_for"]].drop_duplicates("grassroots_unit")  # fmt: skip
    per_unit = covered.groupby("counted_for").size().rename("units_covered")
    out = roster.reporting_units.set_index("reporting_unit").join(per_unit).fillna({"units_covered": 0})  # fmt: skip
    return out.assign(unit_coverage=out["units_covered"] / out["units_total"])


def test_coverage_spreads_across_towns(truth, roster):
    cov = _coverage(truth, roster)
    towns = cov[cov["kind"] == "town"]["unit_coverage"]
    assert towns.max() >= 0.8
    assert towns[towns > 0].min() <= 0.3


def test_coverage_systems_above_townships(truth, roster):
    cov = _coverage(truth, roster)
    systems = cov[cov["kind"] == "system"]["unit_coverage"].mean()
    townships = cov[cov.index.str.endswith("乡总工会")]["unit_coverage"].mean()
    assert systems > townships + 0.2


def test_coverage_rises_across_rounds_and_round3_is_smallest(truth, campaign):
    named = truth[truth["grassroots_unit"] != ""]
    reached, seen = [], set()
    for rnd in campaign.rounds:
        seen |= set(named.loc[named["round"] == rnd.code, "grassroots_unit"])
        reached.append(len(seen))
    assert reached == sorted(reached) and reached[0] < reached[-1]
    per_round = truth["round"].value_counts()
    assert per_round[campaign.rounds[-1].code] < per_round[campaign.rounds[0].code]


def test_truth_rows_point_at_written_cells(truth, raw):
    aliases = pd.read_csv(raw / config.ALIASES_FILE, encoding="utf-8-sig")
    alias = dict(zip(aliases["报送名称"], aliases["名册名称"], strict=True))
    named = truth[(truth["grassroots_unit"] != "") & (truth["kind"] != "direct")]
    for r in named.sample(60, random_state=0).itertuples():
        cells = [str(c) for c in _row(raw / r.file, r.sheet, r.row)]
        key = demo._name_key(r.grassroots_unit)
        assert any(demo._name_key(c) == key or alias.get(c) == r.grassroots_unit for c in cells)
    own = truth[truth["kind"] == "direct"].head(20)
    for r in own.itertuples():
        cells = [str(c) for c in _row(raw / r.file, r.sheet, r.row)]
        assert "本级" in cells or "" in cells or r.grassroots_unit in cells


def test_summary_is_chinese_and_counts_files(generated):
    raw, summary = generated
    text = str(summary)
    assert "演示数据已生成" in text and "报送文件" in text
    assert summary.files == sum(1 for p in (raw / config.SUBMISSIONS_SUBDIR).rglob("*") if p.is_file())  # fmt: skip
    assert summary.reporting_units == 81
    assert summary.megabytes < 10


def test_manifest_codes_are_known(manifest):
    codes = {e["code"] for e in manifest["cases"]} - {None}
    assert codes <= set(demo.ISSUE_CODES)
    assert manifest["codes"] == demo.ISSUE_CODES


def test_roster_names_stay_distinct_under_normalisation(roster):
    keys = roster.units["unit"].map(demo._name_key)
    assert keys.is_unique


@pytest.mark.slow
def test_ingest_backtest_matches_truth(raw, truth, tmp_path):
    """The whole ingest against the generator's ground truth, row by row."""
    from analysis import ingest

    ingest.run(raw, tmp_path, progress=False)
    rows = pd.read_csv(tmp_path / "rows.csv", dtype=str, keep_default_na=False)
    accepted = rows[rows["state"] == "accepted"]
    keys = ["file", "sheet", "row"]
    columns = keys + ["grassroots_unit", "counted_for", "work_item", "date", "participants"]
    got = accepted[columns].sort_values(keys).reset_index(drop=True)
    want = truth.astype(str)[columns].replace({"<NA>": ""}).sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


# --------------------------------------------------------------------------- invariants


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(2019, 1, 1), dt.date(2020, 12, 31)))
def test_date_cell_serial_counts_days_from_excel_epoch(day):
    assert demo.EXCEL_EPOCH + dt.timedelta(days=demo._date_cell(day, "serial")) == day
    assert demo._date_cell(day, "cn") == f"{day.year}年{day.month}月{day.day}日"


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 2, 3, 4]))
def test_written_name_variants_keep_the_normalised_key(seed, pick):
    names = ["北京华通科技有限公司工会委员会", "房山区良乡第二小学工会", "长阳镇高岭村工会联合会",
             "北京宇川医药（集团）有限公司工会", "北京市房山区良乡中学工会"]  # fmt: skip
    name = names[pick]
    written, plant = demo._written_name(np.random.default_rng(seed), name)
    assert plant is not None and written != name
    assert demo._name_key(written) == demo._name_key(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京市房山区长阳镇总工会", "长阳镇总工会"),
        ("北京华通科技公司工会", "华通科技公司工会"),
        ("北京华通科技有限公司工会委员会", "华通科技公司工会"),
        ("北京宇川医药(集团)有限公司工会", "宇川医药集团公司工会"),
        ("长阳镇　高岭村工会联合会", "长阳镇高岭村工会联合会"),
    ],
)
def test_name_key_ignores_what_resolution_rules_ignore(text, expected):
    assert demo._name_key(text) == expected
