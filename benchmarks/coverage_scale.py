"""How coverage_table and coverage_by_item scale: district, city and national rosters.

`python -m benchmarks.coverage_scale [district|city|national|all]` measures, for
each scale in a fresh subprocess (so peak RSS is that scale's own), the wall time of
generating the data and of each coverage function, and the peak resident memory
(ru_maxrss, which unlike tracemalloc sees numpy and Arrow buffers too).

The synthetic data is built with numpy only (no per-row Python): unions spread over
reporting units with a skewed size distribution, about 5% directly affiliated unions,
3.3 activities per union on average, 70% of unions reached, 5% federation-level
activities and 3% unreadable participant counts. Names and work items are categoricals
sharing the roster's categories, as an ingest at this scale should produce them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import config
from analysis.campaign import load_campaign
from analysis.roster import Roster


@dataclass(frozen=True)
class Scale:
    units: int
    reporting_units: int
    activities: int


SCALES: dict[str, Scale] = {
    "district": Scale(units=2_500, reporting_units=30, activities=8_000),
    "city": Scale(units=50_000, reporting_units=300, activities=165_000),
    "national": Scale(units=3_000_000, reporting_units=3_000, activities=10_000_000),
}
TARGETS = {"national": {"seconds": 15.0, "peak_rss_mb": 3072.0}}
NON_DIRECT_KINDS = ("town", "street", "system", "yanshan", "zone")


def _names(prefix: str, count: int, digits: int) -> pa.Array:
    """prefix + zero-padded 0..count-1, built in Arrow (np.char.mod takes seconds at 3M)."""
    numbers = pc.cast(pa.array(np.arange(count)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, digits, "0"), "")


def synthetic_roster(scale: Scale, seed: int = 0) -> Roster:
    """A roster with `scale.units` unions under `scale.reporting_units` reporting units."""
    rng = np.random.default_rng(seed)
    n_direct = max(1, scale.reporting_units // 20)
    n_federations = scale.reporting_units - n_direct
    n_inner = scale.units - n_direct
    # skewed federation sizes; every federation gets at least one union
    weights = rng.lognormal(0.0, 1.0, n_federations)
    unit_group = np.concatenate(
        [
            np.arange(n_federations),
            rng.choice(n_federations, n_inner - n_federations, p=weights / weights.sum()),
            np.arange(n_federations, scale.reporting_units),  # direct: their own group
        ]
    ).astype(np.int32)
    group_kind = np.concatenate(
        [
            rng.integers(0, len(NON_DIRECT_KINDS), n_federations),
            np.full(n_direct, len(NON_DIRECT_KINDS)),
        ]
    )
    kinds = pd.Index([*NON_DIRECT_KINDS, "direct"])
    federation_names = _names("报送单位", n_federations, 5)
    direct_names = _names("直属基层工会", n_direct, 5)
    group_names = pd.Index(pa.concat_arrays([federation_names, direct_names]).to_pylist())
    unit_names = pd.Series(
        pa.concat_arrays([_names("基层工会", n_inner, 8), direct_names]).to_pandas(
            types_mapper=lambda _: pd.StringDtype("pyarrow", na_value=np.nan)
        )
    )
    members = np.maximum(1, rng.lognormal(3.5, 1.0, scale.units)).astype(np.int64)
    units = pd.DataFrame(
        {
            "unit": unit_names,
            "reporting_unit": pd.Categorical.from_codes(unit_group, categories=group_names),
            "kind": pd.Categorical.from_codes(group_kind[unit_group], categories=kinds),
            "members": members,
        }
    )
    reporting_units = pd.DataFrame(
        {
            "reporting_unit": group_names,
            "kind": kinds[group_kind],
            "units_total": np.bincount(unit_group, minlength=scale.reporting_units),
            "members_total": np.bincount(
                unit_group, weights=members, minlength=len(group_names)
            ).astype(np.int64),
        }
    )
    return Roster(units=units, reporting_units=reporting_units, source="synthetic")


def synthetic_activities(roster: Roster, scale: Scale, seed: int = 1) -> pd.DataFrame:
    """`scale.activities` accepted activities over `roster`, as categorical columns."""
    rng = np.random.default_rng(seed)
    campaign = load_campaign()
    n, n_units = scale.activities, len(roster.units)
    reached = rng.permutation(n_units)[: max(1, int(n_units * 0.7))]
    unit_code = reached[rng.integers(0, len(reached), n)].astype(np.int32)
    federation = rng.random(n) < 0.05
    unit_code[federation] = -1
    groups = roster.reporting_units["reporting_unit"]
    unit_group = roster.units["reporting_unit"].cat.codes.to_numpy()
    group_code = np.where(
        federation, rng.integers(0, len(groups), n), unit_group[np.maximum(unit_code, 0)]
    )
    participants = rng.integers(1, 300, n).astype(np.float64)
    participants[rng.random(n) < 0.03] = np.nan
    days = (campaign.end - campaign.start).days + 1
    kinds = roster.reporting_units["kind"].to_numpy()
    return pd.DataFrame(
        {
            "grassroots_unit": pd.Categorical.from_codes(
                unit_code, categories=pd.Index(roster.units["unit"])
            ),
            "group": pd.Categorical.from_codes(group_code, categories=pd.Index(groups)),
            "kind": pd.Categorical.from_codes(
                pd.Index(config.KINDS).get_indexer(kinds)[group_code], categories=list(config.KINDS)
            ),
            "work_item": pd.Categorical.from_codes(
                rng.integers(0, len(campaign.work_item_codes), n),
                categories=list(campaign.work_item_codes),
            ),
            "date": np.datetime64(campaign.start, "D") + rng.integers(0, days, n),
            "participants": participants,
        }
    )


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float | None:
    """Resident set size now, in MiB (Linux /proc; None elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def _reset_peak_rss() -> bool:
    """Restart the kernel's peak-RSS count (VmHWM), so a later peak is the computation's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _peak_rss_since_reset_mb() -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def measure(scale_name: str) -> dict:
    """Generate one scale in this process and time the coverage functions on it."""
    from analysis.coverage import coverage_by_item, coverage_table, coverage_tables

    scale = SCALES[scale_name]
    campaign = load_campaign()
    result: dict[str, object] = {"scale": scale_name, **scale.__dict__}
    result["rss_start_mb"] = round(_rss_mb(), 1)
    t = time.perf_counter()
    roster = synthetic_roster(scale)
    activities = synthetic_activities(roster, scale)
    result["generate_s"] = round(time.perf_counter() - t, 3)
    result["rss_after_generate_mb"] = round(_rss_mb(), 1)  # peak, generation temporaries too
    result["rss_data_mb"] = _current_rss_mb()  # what the data itself holds
    reset = _reset_peak_rss()
    # CPU time beside wall time: on a shared machine the wall time includes waiting.
    t, cpu = time.perf_counter(), time.process_time()
    table = coverage_table(roster, activities)
    result["coverage_table_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    by_item = coverage_by_item(roster, activities, campaign)
    result["coverage_by_item_s"] = round(time.perf_counter() - t, 3)
    result["coverage_s"] = round(result["coverage_table_s"] + result["coverage_by_item_s"], 3)
    result["coverage_cpu_s"] = round(time.process_time() - cpu, 3)
    t = time.perf_counter()
    coverage_tables(roster, activities, campaign)  # what the ingest calls: codes shared
    result["coverage_tables_s"] = round(time.perf_counter() - t, 3)
    result["peak_rss_mb"] = round(_rss_mb(), 1)
    result["peak_rss_coverage_mb"] = _peak_rss_since_reset_mb() if reset else None
    district = table.iloc[0]
    result["check_units_covered"] = int(district["units_covered"])
    result["check_activities"] = int(district["activities"])
    result["rows_out"] = [len(table), len(by_item)]
    target = TARGETS.get(scale_name)
    if target:
        result["within_target"] = bool(
            result["coverage_s"] < target["seconds"]
            and result["peak_rss_mb"] < target["peak_rss_mb"]
        )
    return result


def run(scale: str) -> dict:
    """Measure one scale in a fresh interpreter (honest peak RSS) and return its figures."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; one of {', '.join(SCALES)}")
    from benchmarks.harness import with_root_on_path

    env = with_root_on_path({**os.environ, "PYTHONHASHSEED": "0"})
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.coverage_scale", "--child", scale],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.coverage_scale", description=__doc__)
    parser.add_argument("scales", nargs="*", help="district, city, national or all (default)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    unknown = set(args.scales) - {*SCALES, "all"}
    if unknown:
        parser.error(f"unknown scale {', '.join(sorted(unknown))}; one of {', '.join(SCALES)}, all")
    scales = list(SCALES) if not args.scales or "all" in args.scales else args.scales
    for name in scales:
        result = run(name)
        print(
            f"{name:9s} {result['units']:>9,d} unions {result['activities']:>11,d} activities: "
            f"coverage_table {result['coverage_table_s']:.2f}s + "
            f"coverage_by_item {result['coverage_by_item_s']:.2f}s "
            f"(CPU {result['coverage_cpu_s']:.2f}s; both at once "
            f"{result['coverage_tables_s']:.2f}s), "
            f"peak RSS {result['peak_rss_mb']:,.0f} MiB (while computing "
            f"{result['peak_rss_coverage_mb']} MiB, data resident {result['rss_data_mb']} MiB, "
            f"peak while generating {result['rss_after_generate_mb']:,.0f} MiB in "
            f"{result['generate_s']:.1f}s)"
        )
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
