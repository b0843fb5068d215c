"""Writing the whole demo district from a seed: `generate` and its summary."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.campaign import Campaign, load_campaign
from analysis.demo.extras import _broken_files, _corrected, _with_suffix
from analysis.demo.layouts import write_submission
from analysis.demo.manifest import ISSUE_CODES, TRUTH_COLUMNS, _entry, _manifest_entries
from analysis.demo.messy import assign_styles, plant_rows
from analysis.demo.plan import plan_submissions
from analysis.demo.publicity import PUBLICITY_TRUTH_COLUMNS
from analysis.demo.roster import build_roster, write_roster
from analysis.model import UsageError


@dataclass
class DemoSummary:
    """What `generate` wrote; str() is a short Chinese summary for the command line."""

    out_dir: Path
    units: int
    reporting_units: int
    files: int
    activity_rows: int
    planted: int
    megabytes: float

    def __str__(self) -> str:
        return (
            f"演示数据已生成：{self.out_dir}（名册 {self.units:,} 个基层工会、"
            f"{self.reporting_units} 个报送单位；报送文件 {self.files} 个，活动记录 "
            f"{self.activity_rows:,} 行，共 {self.megabytes:.1f} MB；预置问题 {self.planted} 处，"
            f"见 {self.out_dir.parent / 'manifest.json'}）"
        )


def generate(
    out_dir: Path = config.DEMO_RAW_DIR,
    seed: int = config.DEMO_SEED,
    campaign: Campaign | None = None,
) -> DemoSummary:
    """Write the demo district into `out_dir` (a raw folder) and its manifest and truth beside it."""
    out_dir = Path(out_dir)
    if (
        out_dir.resolve() == config.RAW_DATA_DIR.resolve()
        or config.RAW_DATA_DIR.resolve() in out_dir.resolve().parents
    ):
        raise UsageError(
            f"演示数据不能写入分析人员的原始数据目录 {config.RAW_DATA_DIR}，请换一个 --out 目录。"
        )
    campaign = campaign or load_campaign()
    rng = np.random.default_rng(seed)
    for old in (config.ROSTER_SUBDIR, config.SUBMISSIONS_SUBDIR):
        shutil.rmtree(out_dir / old, ignore_errors=True)
    (out_dir / config.ALIASES_FILE).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)

    roster = build_roster(rng)
    write_roster(roster, out_dir / config.ROSTER_SUBDIR / "房山区基层工会名册.xlsx")
    subs, plan_plants = plan_submissions(roster, campaign, rng)
    assign_styles(subs, campaign, rng)
    aliases = plant_rows(subs, roster, campaign, rng)
    candidates = [
        s
        for s in subs
        if s.kind != "direct" and s.style.header_block != "none" and len(s.activities) >= 8
    ]
    corrected = [
        _corrected(candidates[i], rng, campaign)
        for i in rng.choice(len(candidates), size=2, replace=False)
    ]
    subs += corrected
    used: set[str] = set()
    for sub in subs:
        while sub.path in used:
            sub.path = _with_suffix(sub.path, "(2)")
        used.add(sub.path)

    entries: list[dict] = [
        _entry(p.case, "", "", None, "", p.value, p.code, p.expect, "") for p in plan_plants
    ]
    truth = []
    publicity_truth: list[dict] = []
    for sub in subs:
        placement = write_submission(out_dir / sub.path, sub, campaign)
        entries += _manifest_entries(sub, placement)
        if sub.state != "current":
            continue
        publicity_truth += placement.publicity
        for act, (sheet, row) in zip(sub.activities, placement.rows, strict=True):
            if act.accepted:
                truth.append(
                    [
                        sub.path,
                        sheet,
                        row,
                        sub.unit,
                        sub.kind,
                        sub.round.code,
                        act.unit,
                        act.counted_for,
                        act.work_item,
                        act.form,
                        act.date.isoformat() if act.date_known else "",
                        act.participants,
                    ]
                )

    # A byte-identical copy sent again under another name.
    xlsx = [
        s
        for s in subs
        if s.state == "current"
        and s.style.fmt == "xlsx"
        and "/" in s.path.removeprefix(f"{config.SUBMISSIONS_SUBDIR}/")
    ]
    original = xlsx[int(rng.integers(len(xlsx)))]
    copy = (
        f"{config.SUBMISSIONS_SUBDIR}/{original.path.rsplit('/', 1)[1].rsplit('.', 1)[0]}(1).xlsx"
    )
    shutil.copyfile(out_dir / original.path, out_dir / copy)
    entries.append(
        _entry(
            "duplicate_file",
            copy,
            "",
            None,
            "",
            original.path,
            "duplicate_file",
            f"byte-identical copy of {original.path}; one of the two is duplicate_file",
            "duplicate_file",
        )
    )
    entries += _broken_files(subs, rng, out_dir)

    with (out_dir / config.ALIASES_FILE).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["报送名称", "名册名称"])
        writer.writerows(aliases)
    meta = out_dir.parent
    manifest = {
        "seed": seed,
        "campaign": campaign.code,
        "raw_dir": out_dir.name,
        "notes": "file paths are relative to the raw folder; rows are 1-based as a spreadsheet shows them; sheet is '' for CSV files and file-level cases; code is the issue code the ingest is expected to raise (null: read silently)",  # fmt: skip
        "codes": ISSUE_CODES,
        "cases": entries,
    }
    (meta / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    truth_frame = pd.DataFrame(truth, columns=TRUTH_COLUMNS).astype({"participants": "Int64"})
    truth_frame.to_csv(meta / "truth.csv", index=False, lineterminator="\n")
    publicity_frame = pd.DataFrame(publicity_truth, columns=PUBLICITY_TRUTH_COLUMNS)
    publicity_frame["count"] = publicity_frame["count"].astype("Int64")
    publicity_frame.to_csv(meta / "publicity_truth.csv", index=False, lineterminator="\n")
    # Materials (photos, summaries, archives): an RNG of their own, so the tables above keep their bytes.
    from analysis.demo.materials import TRUTH_FILE, add_materials

    add_materials(out_dir, truth_frame, campaign, seed).to_csv(
        meta / TRUTH_FILE, index=False, lineterminator="\n"
    )

    files = [p for p in (out_dir / config.SUBMISSIONS_SUBDIR).rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    return DemoSummary(
        out_dir=out_dir,
        units=len(roster),
        reporting_units=roster["reporting_unit"]
        .where(roster["kind"] != "direct", roster["unit"])
        .nunique(),
        files=len(files),
        activity_rows=sum(len(s.activities) for s in subs),
        planted=len(entries),
        megabytes=size / 2**20,
    )
