"""Paths and project-wide settings: every module and notebook asks here."""

from __future__ import annotations

import os
from pathlib import Path

# The kinds' Chinese names live in the label catalogue; read here too by older callers.
from analysis.labels import KIND_LONG_NAMES, KIND_NAMES  # noqa: F401

PROJ_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
PROCESSED_DATA_DIR = DATA_DIR / "processed"
DEMO_DIR = DATA_DIR / "demo"
DEMO_RAW_DIR = DEMO_DIR / "raw"
DEMO_PROCESSED_DIR = DEMO_DIR / "processed"
REPORTS_DIR = PROJ_ROOT / "reports"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"

ROSTER_SUBDIR = "roster"
SUBMISSIONS_SUBDIR = "submissions"
ALIASES_FILE = "aliases.csv"
CAMPAIGN_FILE = "campaign.toml"

DEMO_SEED = 20190529

# Kinds of reporting unit, in the order reports list them (their Chinese names: labels.py).
KINDS: tuple[str, ...] = ("town", "street", "system", "yanshan", "zone", "direct")
DISTRICT_GROUP = "全区"
# Columns that hold personal data: they exist only in submissions.csv and are dropped
# from everything a reader sees (exports, notebooks, the run folder's figures.pkl).
PERSONAL_COLUMNS: frozenset[str] = frozenset({"contact", "phone", "联系人", "联系电话"})
DISTRICT_FEDERATION = "房山区总工会"


def has_real_roster(raw_dir: Path = RAW_DATA_DIR) -> bool:
    """True when the analyst has put a roster workbook under `raw_dir/roster/`."""
    roster_dir = raw_dir / ROSTER_SUBDIR
    return roster_dir.is_dir() and any(
        p.is_file() and not p.name.startswith(("~$", ".")) for p in roster_dir.iterdir()
    )


# A raw folder that every briefing run without --raw reads instead of data/raw: `make
# test` sets it to the demo, so that the notebooks' checks never read the analyst's data
# (nor add to her run history).
RAW_DIR_ENV = "ANALYSIS_RAW_DIR"
# The processed folder such a briefing writes its tables and run history to instead of
# data/processed (data/demo/processed for the demo): `make test` sets it to a temporary
# folder, so that the notebooks' checks leave no run for the next `make briefing` to
# compare with ("与上次运行相比").
PROCESSED_DIR_ENV = "ANALYSIS_PROCESSED_DIR"


def within(path: Path | str, folder: Path | str) -> bool:
    """Whether `path` is `folder` or lies under it (both resolved)."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def active_raw_dir() -> tuple[Path, bool]:
    """The raw folder a briefing should read, and whether it is the bundled demo."""
    forced = os.environ.get(RAW_DIR_ENV, "").strip()
    if forced:
        path = Path(forced) if Path(forced).is_absolute() else PROJ_ROOT / forced
        return path, path.resolve() == DEMO_RAW_DIR.resolve()
    if has_real_roster(RAW_DATA_DIR):
        return RAW_DATA_DIR, False
    return DEMO_RAW_DIR, True
