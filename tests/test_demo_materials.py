"""Backtest: the ingest's materials.csv on the committed demo equals the generator's own list."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config, ingest
from analysis.demo.materials import TRUTH_FILE
from analysis.materials.table import MATERIALS_COLUMNS


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo_materials")
    ingest.run(config.DEMO_RAW_DIR, out, progress=False)
    return out


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_materials_table_matches_generator_list(demo_out):
    truth = _read(config.DEMO_DIR / TRUTH_FILE)[list(MATERIALS_COLUMNS)]
    found = _read(demo_out / "materials.csv")[list(MATERIALS_COLUMNS)]
    pd.testing.assert_frame_equal(found, truth)


def test_demo_has_every_delivery_form(demo_out):
    files = _read(demo_out / "materials.csv")["file"]
    assert files.str.contains(r"\.zip/").any() and files.str.contains(r"\.7z/").any()
    assert files.str.startswith("submissions/r").any()  # a folder in a round folder
    truth = _read(config.DEMO_DIR / TRUTH_FILE)
    assert (truth["state"] == "duplicate").sum() >= 3
    assert (truth["reporting_unit"] == "").sum() == 1  # the one photo nobody can place
    issues = _read(demo_out / "issues.csv")
    assert issues[issues["code"] == "material_unplaced"]["file"].tolist() == [
        truth.loc[truth["reporting_unit"] == "", "file"].item()
    ]


def test_one_demo_zip_has_gbk_member_names():
    import zipfile

    flags = []
    for path in sorted((config.DEMO_RAW_DIR / config.SUBMISSIONS_SUBDIR).glob("*.zip")):
        with zipfile.ZipFile(path) as zf:
            flags.append(
                all(not i.flag_bits & 0x800 and not i.filename.isascii() for i in zf.infolist())
            )
    assert flags.count(True) == 1


def test_summaries_disagreeing_with_their_tables_are_the_ones_warned(demo_out):
    truth = _read(config.DEMO_DIR / TRUTH_FILE)
    summaries = truth.loc[truth["material"] == "summary"]
    accepted = _read(config.DEMO_DIR / "truth.csv")
    counts = accepted.groupby(["reporting_unit", "round"]).size()
    disagree = [
        r.file for r in summaries.itertuples(index=False)
        if int(r.stated_activities) != counts.get((r.reporting_unit, r.round), 0)
    ]  # fmt: skip
    assert len(disagree) == 2  # the generator plants two
    issues = _read(demo_out / "issues.csv")
    assert issues.loc[issues["code"] == "summary_total_gap", "file"].tolist() == sorted(disagree)
