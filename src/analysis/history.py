"""What changed since the last run, and run folders that never overwrite each other.

Every ingest appends a small snapshot to `OUT/history/runs.json` (the last
`KEEP_RUNS` runs): the submission files read, each with its sha256 and state, and
each reporting unit's figures (unit coverage, activities, participants). Comparing
the last two snapshots gives the change report: files new, replaced (same path,
other content) or gone, files whose state changed, and units whose figures moved
(before -> after), as a tidy frame (`changes`) and as Chinese lines (`change_lines`)
for the console, notebook 01 and the briefing.

The history is a convenience beside the contract's tables: it is never read by
the ingest, so deleting it only loses the comparison for the next run.

Run folders: `run_folder_path` names `reports/<YYYY-MM-DD>_<round>/` (the demo's
with a `演示_` prefix, so the analyst's data and the demo never share a folder) and
picks `<name>_2`, `<name>_3`… when the folder already holds a run, so an earlier
briefing is never overwritten silently.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.filenames import windows_name
from analysis.labels import COLUMN_NAMES, FILE_STATE_NAMES
from analysis.model import Level

if TYPE_CHECKING:  # pandas is imported where a frame is built: the CLI's unchanged re-run
    import pandas as pd  # records its run without importing it

log = logging.getLogger(__name__)

HISTORY_SUBDIR = "history"
HISTORY_FILE = "runs.json"
KEEP_RUNS = 20
FIRST_RUN_LINE = "这是第一次运行，没有上次的结果可以比较。"
DEMO_PREFIX = "演示_"

# Per-unit figures kept in a snapshot, with their Chinese names and formats.
# units_total and members_total move with the roster, member_coverage with it and with
# the activities; a snapshot written before they were kept is compared without them.
UNIT_FIGURES: tuple[str, ...] = (
    "unit_coverage",
    "member_coverage",
    "activities",
    "participants",
    "units_total",
    "members_total",
)
FIGURE_NAMES: dict[str, str] = {f: COLUMN_NAMES[f] for f in UNIT_FIGURES}
CHANGE_KINDS: tuple[str, ...] = (
    "file_new",
    "file_replaced",
    "file_gone",
    "file_state",
    "unit_moved",
)
CHANGE_COLUMNS: tuple[str, ...] = ("change", "file", "reporting_unit", "figure", "before", "after")


# --------------------------------------------------------------------------- snapshots


def snapshot(
    submissions: pd.DataFrame,
    coverage: pd.DataFrame | None,
    shas: dict[str, str],
    as_of: dt.date | None = None,
    stamp: dt.datetime | None = None,
    inputs: dict[str, str] | None = None,
    problems: dict[str, int] | None = None,
    materials: dict[str, int] | None = None,
) -> dict:
    """One run as plain data: its files (path, sha256, state) and per-unit figures.

    `shas` maps a submission's `file` (relative to RAW) to its sha256; `coverage`
    is the contract's coverage table (only `reporting_unit` rows are kept). `inputs`
    marks the analyst's own files ({"roster": name and hash, "aliases": hash or ""}),
    `problems` counts issues.csv's rows by severity: the change report says when
    those changed, which moves figures without any submission changing. `materials`
    counts the photos and documents received ({"files", "photos", "summaries", "videos"}).
    """
    import pandas as pd

    stamp = stamp or dt.datetime.now()
    files = [
        {"file": str(f), "sha256": shas.get(str(f), ""), "state": str(s)}
        for f, s in zip(submissions["file"], submissions["state"], strict=True)
    ]
    units: dict[str, dict[str, float | None]] = {}
    if coverage is not None and not coverage.empty:
        rows = coverage.loc[coverage["level"] == Level.REPORTING_UNIT]
        for record in rows.loc[:, ["group", *UNIT_FIGURES]].to_dict("records"):
            units[str(record["group"])] = {
                k: (None if pd.isna(record[k]) else float(record[k])) for k in UNIT_FIGURES
            }
    run = {
        "stamp": stamp.isoformat(timespec="seconds"),
        "as_of": as_of.isoformat() if as_of else None,
        "files": sorted(files, key=lambda f: f["file"]),
        "units": units,
    }
    if inputs is not None:
        run["inputs"] = dict(inputs)
    if problems is not None:
        run["problems"] = {k: int(v) for k, v in problems.items()}
    if materials is not None:
        run["materials"] = {k: int(v) for k, v in materials.items()}
    return run


def history_path(out_dir: Path) -> Path:
    return Path(out_dir) / HISTORY_SUBDIR / HISTORY_FILE


# The history this process last wrote, by path: (the file's size and time once
# written, the runs). The command line reports the changes right after the run wrote
# them; reading the scaled round's runs.json back cost ~6-13 ms a run. A snapshot is
# never changed once made (a new run is a new dict), so the runs are shared.
_WRITTEN: dict[Path, tuple[tuple[int, int], list[dict]]] = {}


def load_history(out_dir: Path) -> list[dict]:
    """The stored snapshots, oldest first ([] when there is none or it is unreadable)."""
    path = history_path(out_dir)
    try:
        info = path.stat()
        written = _WRITTEN.get(path)
        if written is not None and written[0] == (info.st_size, info.st_mtime_ns):
            return list(written[1])
        runs = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return runs if isinstance(runs, list) else []


def record_run(
    out_dir: Path,
    submissions: pd.DataFrame,
    coverage: pd.DataFrame | None,
    shas: dict[str, str],
    as_of: dt.date | None = None,
    stamp: dt.datetime | None = None,
    inputs: dict[str, str] | None = None,
    problems: dict[str, int] | None = None,
    materials: dict[str, int] | None = None,
) -> list[dict]:
    """Append this run's snapshot to OUT/history/runs.json (atomically); returns the history.

    Never raises for I/O: a history that cannot be written only loses the comparison.
    """
    runs = load_history(out_dir) + [
        snapshot(submissions, coverage, shas, as_of, stamp, inputs, problems, materials)
    ]
    runs = runs[-KEEP_RUNS:]
    _write_history(out_dir, runs)
    return runs


def _write_history(out_dir: Path, runs: list[dict]) -> None:
    """OUT/history/runs.json, atomically; a history that cannot be written is only logged."""
    path = history_path(out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        # One run a line: json's C encoder (an `indent` falls back to the pure-Python
        # one, 0.045 s for the scaled round's history, a tenth of a cached re-run).
        lines = ",\n".join(json.dumps(run, ensure_ascii=False) for run in runs)
        tmp.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
        os.replace(tmp, path)
        info = path.stat()
        _WRITTEN[path] = ((info.st_size, info.st_mtime_ns), list(runs))
    except OSError:
        log.warning("run history not written: %s", path)


def record_unchanged(out_dir: Path, stamp: dt.datetime | None = None) -> str:
    """Record a run that found its inputs unchanged (the last snapshot again, stamped now).

    Returns the change report's one line. Needs no pandas: the CLI's unchanged re-run
    calls it without importing the tables' libraries.
    """
    runs = load_history(out_dir)
    if not runs:
        return FIRST_RUN_LINE
    previous = runs[-1]
    again = {**previous, "stamp": (stamp or dt.datetime.now()).replace(microsecond=0).isoformat()}
    _write_history(out_dir, (runs + [again])[-KEEP_RUNS:])
    return _unchanged_line(previous)


def _unchanged_line(previous: dict) -> str:
    return f"与上次运行（{_stamp_zh(previous['stamp'])}）相比：报送文件和各单位数字都没有变化。"


# --------------------------------------------------------------------------- the change report


def _same(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before is None and after is None
    return math.isclose(before, after, rel_tol=0, abs_tol=1e-9)


def _other_raw(previous: dict, current: dict) -> bool:
    """Whether the two runs read different raw folders (both recorded)."""
    before = (previous.get("inputs") or {}).get("raw")
    now = (current.get("inputs") or {}).get("raw")
    return bool(before and now and before != now)


def compare(previous: dict | None, current: dict) -> pd.DataFrame:
    """The differences between two snapshots, one row per change (CHANGE_COLUMNS).

    change: file_new, file_replaced (same path, other sha256), file_gone, file_state
    (same content, other state: before/after are the state codes), unit_moved (one
    row per figure that moved: before/after are the figures). Files in path order,
    then units in name order.
    """
    import pandas as pd

    records: list[dict] = []
    if previous is None or _other_raw(previous, current):
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    old = {f["file"]: f for f in previous.get("files", [])}
    new = {f["file"]: f for f in current.get("files", [])}
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            records.append({"change": "file_new", "file": name, "after": new[name]["state"]})
        elif name not in new:
            records.append({"change": "file_gone", "file": name, "before": old[name]["state"]})
        elif (
            old[name]["sha256"] != new[name]["sha256"]
            and old[name]["sha256"]
            and new[name]["sha256"]
        ):  # an unreadable file has no sha256: its change is one of state, said as such
            records.append(
                {"change": "file_replaced", "file": name,
                 "before": old[name]["state"], "after": new[name]["state"]}
            )  # fmt: skip
        elif old[name]["state"] != new[name]["state"]:
            records.append(
                {"change": "file_state", "file": name,
                 "before": old[name]["state"], "after": new[name]["state"]}
            )  # fmt: skip
    old_units, new_units = previous.get("units", {}), current.get("units", {})
    for unit in sorted(old_units.keys() | new_units.keys()):
        before = old_units.get(unit, {})
        after = new_units.get(unit, {})
        for figure in UNIT_FIGURES:
            if (before and figure not in before) or (after and figure not in after):
                continue  # a snapshot from before the figure was kept: nothing to compare
            b, a = before.get(figure), after.get(figure)
            if not _same(b, a):
                records.append(
                    {"change": "unit_moved", "reporting_unit": unit,
                     "figure": figure, "before": b, "after": a}
                )  # fmt: skip
    frame = pd.DataFrame.from_records(records, columns=list(CHANGE_COLUMNS))
    for column in ("file", "reporting_unit", "figure"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return frame


def changes(out_dir: Path) -> pd.DataFrame:
    """The change report of the last run against the one before it (CHANGE_COLUMNS)."""
    import pandas as pd

    runs = load_history(out_dir)
    if not runs:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    return compare(runs[-2] if len(runs) > 1 else None, runs[-1])


def _fmt_figure(figure: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "无"
    if figure in ("unit_coverage", "member_coverage"):
        from analysis.formats import fmt_pct

        return fmt_pct(value)  # 四舍五入, as the prose and the 通报表 round
    return f"{value:,.0f}"


def _stamp_zh(stamp: str) -> str:
    moment = dt.datetime.fromisoformat(stamp)
    return f"{moment.month}月{moment.day}日{moment:%H:%M}"


def lines_for(previous: dict | None, current: dict, report: pd.DataFrame) -> list[str]:
    """The change report as Chinese sentences (first the summary, then one line per item)."""
    if previous is None:
        return [FIRST_RUN_LINE]
    head = f"与上次运行（{_stamp_zh(previous['stamp'])}）相比："
    if _other_raw(previous, current):  # (briefing --raw elsewhere): no file was "deleted"
        before_raw, now_raw = previous["inputs"]["raw"], current["inputs"]["raw"]
        return [
            head + f"上次读取的是另一个原始数据目录（{before_raw}），本次读取 {now_raw}，"
            "两次的报送文件不同，不逐项比较。"
        ]
    lines: list[str] = []
    if previous.get("as_of") != current.get("as_of"):
        lines.append(
            f"统计截止日期由{previous.get('as_of') or '全部日期'}"
            f"改为{current.get('as_of') or '全部日期'}，数字变化可能来自截止日期。"
        )
    lines += other_changes(previous, current)
    counts = report["change"].value_counts()
    n_new, n_replaced, n_gone = (int(counts.get(c, 0)) for c in CHANGE_KINDS[:3])
    moved_units = report.loc[report["change"] == "unit_moved", "reporting_unit"].unique()
    if report.empty:
        return [_unchanged_line(previous), *lines]
    n_state = int(counts.get("file_state", 0))
    files = [f"{label}{n}个" for label, n in (("新增文件", n_new), ("替换", n_replaced),
             ("删除", n_gone), ("状态变化", n_state)) if n]  # fmt: skip
    summary = (
        ("，".join(files) if files else "报送文件没有变化")
        + "；"
        + (
            f"{len(moved_units)}个单位的数字有变化。"
            if len(moved_units)
            else "各单位数字没有变化。"
        )
    )
    lines.insert(0, head + summary)
    for row in report.itertuples(index=False):
        if row.change == "file_new":
            lines.append(f"新增：{row.file}（{FILE_STATE_NAMES.get(row.after, row.after)}）")
        elif row.change == "file_replaced":
            b = FILE_STATE_NAMES.get(row.before, row.before)
            a = FILE_STATE_NAMES.get(row.after, row.after)
            lines.append(f"替换（内容已更新）：{row.file}" + (f"（{b} → {a}）" if b != a else ""))
        elif row.change == "file_gone":
            lines.append(f"删除：{row.file}")
        elif row.change == "file_state":
            b = FILE_STATE_NAMES.get(row.before, row.before)
            a = FILE_STATE_NAMES.get(row.after, row.after)
            lines.append(f"状态变化：{row.file}（{b} → {a}）")
    moved = report.loc[report["change"] == "unit_moved"]
    for unit, group in moved.groupby("reporting_unit", sort=True):
        parts = [
            f"{FIGURE_NAMES[f]} {_fmt_figure(f, b)} → {_fmt_figure(f, a)}"
            for f, b, a in zip(group["figure"], group["before"], group["after"], strict=True)
        ]
        lines.append(f"{unit}：" + "，".join(parts))
    return lines


INPUT_NAMES = {"roster": ("名册", "名册"), "aliases": ("别名表（名称对照表）", "别名表")}
PROBLEM_NAMES = {"error": "错误", "warning": "提示"}
MATERIAL_NAMES = {
    "files": ("共", "个"),
    "photos": ("信息图片", "张"),
    "summaries": ("阶段性总结", "份"),
    "videos": ("视频", "个"),
}


def other_changes(previous: dict, current: dict) -> list[str]:
    """What changed besides submissions and figures: the roster, the aliases, the
    count of problems found. Only what both runs recorded is compared."""
    lines = []
    old, new = previous.get("inputs"), current.get("inputs")
    if old is not None and new is not None:
        for key, (name, short) in INPUT_NAMES.items():
            before, after = old.get(key, ""), new.get(key, "")
            if before == after:
                continue
            what = (
                f"新增{name}" if not before else f"{name}已删除" if not after else f"{name}已修改"
            )
            lines.append(f"{what}，数字的变化可能来自{short}。")
    old, new = previous.get("problems"), current.get("problems")
    if old is not None and new is not None:
        moved = [
            f"{label} {old.get(k, 0)} → {new.get(k, 0)} 条"
            for k, label in PROBLEM_NAMES.items()
            if old.get(k, 0) != new.get(k, 0)
        ]
        if moved:
            lines.append("发现的问题：" + "，".join(moved) + "（详见 issues.csv）。")
    old, new = previous.get("materials"), current.get("materials")
    if old is not None and new is not None and old != new:
        moved = [
            f"{label} {old.get(k, 0):,} → {new.get(k, 0):,} {unit}"
            for k, (label, unit) in MATERIAL_NAMES.items()
            if old.get(k, 0) != new.get(k, 0)
        ]
        lines.append("收到的资料（照片、总结等）：" + "，".join(moved) + "（详见 materials.csv）。")
    return lines


# What a line explaining why the figures moved says (a new as-of date, roster, aliases).
EXPLAINS = "可能来自"


def explanations(lines: list[str] | tuple[str, ...]) -> list[str]:
    """The lines right after the summary of `lines_for` that explain why the figures
    moved besides the submissions (the as-of date, the roster, the aliases changed)."""
    out = []
    for line in lines[1:]:
        if EXPLAINS not in line:
            break
        out.append(line)
    return out


def change_lines(out_dir: Path, since_change: bool = False) -> list[str]:
    """The last run's change report as Chinese lines (for notebook 01 and the briefing).

    `since_change`: against the latest earlier run whose files or figures differ from
    the last one's, not simply the one before it. The briefing's own ingest usually
    finds nothing new, since the analyst ran `ingest` before it; its report is then
    about what that ingest brought, not "nothing changed".
    """
    runs = load_history(out_dir)
    if not runs:
        return ["还没有运行记录。"]
    current = runs[-1]
    previous = runs[-2] if len(runs) > 1 else None
    if since_change:
        for run in reversed(runs[:-1]):
            if (
                run.get("as_of") != current.get("as_of")
                or other_changes(run, current)
                or not compare(run, current).empty
            ):
                previous = run
                break
    return lines_for(previous, current, compare(previous, current))


def change_markdown(out_dir: Path):
    """`change_lines` as Markdown for notebook 01 and the briefing: a heading, the
    summary line, then one bullet per file or unit."""
    from IPython.display import Markdown

    from analysis.formats import markdown_text

    first, *rest = (markdown_text(line) for line in change_lines(out_dir))
    return Markdown(
        "\n".join(["### 与上次运行相比", "", first, "", *[f"- {line}" for line in rest]])
    )


def change_text(out_dir: Path, since_change: bool = False) -> str:
    """`change_lines` as one block for the console."""
    return "\n".join(change_lines(out_dir, since_change))


# --------------------------------------------------------------------------- run folders


def run_folder_name(as_of: dt.date, round_code: str, is_demo: bool = False) -> str:
    """`<YYYY-MM-DD>_<round>`, with the `演示_` prefix for the bundled demo data."""
    return windows_name(f"{DEMO_PREFIX if is_demo else ''}{as_of.isoformat()}_{round_code}")


def run_folder_path(
    reports_dir: Path, as_of: dt.date, round_code: str, is_demo: bool = False
) -> Path:
    """A run folder that holds no earlier run: the plain name, else `<name>_2`, `<name>_3`…

    An existing empty folder is reused; one with files keeps them, and this run
    goes to the next free suffix (the console line that lists the outputs shows it).
    """
    base = Path(reports_dir) / run_folder_name(as_of, round_code, is_demo)
    candidate, n = base, 1
    while candidate.exists() and any(candidate.iterdir()):
        n += 1
        candidate = base.with_name(f"{base.name}_{n}")
    return candidate
