"""The ingest pipeline: RAW -> the ledger tables in OUT (rows, submissions, issues, coverage).

Stages, per submission file (sorted by path relative to RAW, for determinism):

1. parse (cached): bytes -> `Workbook` (readers) -> `ActivityTable`s (a marked
   template by position, else tables.find_tables per visible sheet). Parse results
   are cached in OUT/.cache keyed by the file's sha256, its suffix, the campaign
   and the ingest code, so an unchanged file is not parsed twice.
2. interpret (cached with the parse, per relative path, for one fingerprint of the
   roster and aliases): reporting unit, round, report date, and each row's union,
   date, participants, item/form. Editing the roster or aliases re-interprets
   every file from its cached parse; an unchanged file is restored as it was.
3. decide (every run, across files): byte-identical copies -> `duplicate_file`;
   several current files for one (reporting unit, round) -> all but the latest
   `superseded` (see `submissions._latest_key`).

Every row read from a file ends in rows.csv in exactly one state (accepted,
duplicate, superseded, rejected) with a reason; `IngestResult.reconcile()` checks
it. Decisions:

- A data row whose date cannot be read is still an activity when its
  submission's round is known (warning `date_unreadable`/`date_missing`); without
  a round it is rejected with that code.
- Total and note rows are listed as rejected (`total_row`, `note_row`), no issue.
- Rows of duplicate and superseded files are interpreted and listed, but raise no
  row issues: one file-level warning says why they are not counted.
- `as_of` does not change any state: all rows are listed; coverage counts
  activities dated on or before it (undated ones when their round has started).
  A submission received after `as_of` still counts: it is evidence of
  activities held by then.

This module holds the run, the parse stage and the atomic writing of the tables;
`parse_cache` holds the cache, `submissions` finding files, rounds, version marks,
duplicates and supersession, `ledger` the interpretation of rows and the tables, and
`parallel` the helper processes a run with much to read spreads its files (and a
first run's photos and documents) over; the tables never depend on which process
read what.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import os
import re
import sys
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config, csv_writer, history, names, publicity, run_manifest, safety
from analysis.campaign import Campaign, load_campaign
from analysis.csv_writer import _write_csv
from analysis.filenames import shown_name
from analysis.ledger import (
    ROW_STATES,
    ROWS_COLUMNS,
    _Interpreter,
    _issues_table,
    _rows_table,
    _submissions_table,
    mark_repeated_rounds,
)
from analysis.messages import message, message_text, os_reason
from analysis.model import (
    FileRejected,
    Issue,
    IssueCode,
    IssueRows,
    RosterError,
    Workbook,
    gc_paused,
)
from analysis.parallel import Helpers, helper_count
from analysis.parse_cache import (
    Interpreted,
    ParsedFile,
    _Cache,
    _Entry,
    _issue_rows,
    _renamed,
    cached_roster,
)
from analysis.roster import Roster
from analysis.submissions import (
    _discover,
    _finalise_rows,
    _mark_duplicates,
    _mark_superseded,
    _rel,
    _Submission,
    stray_inputs,
)

log = logging.getLogger(__name__)


class OutputError(Exception):
    """The outputs could not be written; the message is Chinese, for the analyst."""


@dataclass
class IngestResult:
    """Counts and tables of one ingest run."""

    out_dir: Path
    rows: pd.DataFrame
    submissions: pd.DataFrame
    issues: pd.DataFrame
    coverage: dict[str, pd.DataFrame] = field(default_factory=dict)
    publicity: pd.DataFrame | None = None
    files_skipped: int = 0
    files_parsed: int = 0  # parsed this run (not from the cache)
    materials: pd.DataFrame | None = None  # materials.csv (photos, documents, videos)
    notes: list[str] = field(default_factory=list)  # lines for the terminal after the counts
    # `summary_zh`, once made: the run records it and the command line prints it (two
    # counts of the scaled round's 200,000 row states, ~5 ms each). A result's tables
    # are not changed once it is made.
    _summary: str | None = field(default=None, init=False, repr=False, compare=False)

    def count(self, table: str, state: str) -> int:
        frame = self.rows if table == "rows" else self.submissions
        return int((frame["state"] == state).sum())

    @property
    def files_read(self) -> int:
        return len(self.submissions)

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    @property
    def warnings(self) -> int:
        return int((self.issues["severity"] == "warning").sum())

    @property
    def errors(self) -> int:
        return int((self.issues["severity"] == "error").sum())

    def reconcile(self) -> pd.DataFrame:
        """Per file: rows_read and the count of each row state; `balanced` when they add up."""
        counts = pd.crosstab(self.rows["file"], self.rows["state"]).reindex(
            columns=list(ROW_STATES), fill_value=0
        )
        table = (
            self.submissions.set_index("file")[["rows_read"]]
            .join(counts, how="left")
            .fillna(0)
            .astype("int64")
        )
        table["balanced"] = table["rows_read"] == table[list(ROW_STATES)].sum(axis=1)
        return table.reset_index()

    def summary_zh(self) -> str:
        """A few Chinese lines for the terminal."""
        if self._summary is None:
            self._summary = self._summary_lines()
        return self._summary

    def _summary_lines(self) -> str:
        # Each table's states counted once (a comparison per state: ~1 ms each on 200k rows).
        files = self.submissions["state"].value_counts()
        sub = {
            s: int(files.get(s, 0)) for s in ("current", "rejected", "superseded", "duplicate_file")
        }
        states = self.rows["state"].value_counts()
        rows = {s: int(states.get(s, 0)) for s in ROW_STATES}
        severities = self.issues["severity"].value_counts()
        errors, warnings = (int(severities.get(s, 0)) for s in ("error", "warning"))
        skipped = (
            message_text("ingest_summary_skipped", skipped=self.files_skipped)
            if self.files_skipped
            else ""
        )
        lines = [
            message_text(
                "ingest_summary_files", read=self.files_read, current=sub["current"],
                superseded=sub["superseded"], duplicate=sub["duplicate_file"],
                rejected=sub["rejected"], skipped=skipped,
            ),
            message_text(
                "ingest_summary_rows", read=self.rows_read, accepted=rows["accepted"],
                rejected=rows["rejected"], duplicate=rows["duplicate"],
                superseded=rows["superseded"],
            ),
            message_text(
                "ingest_summary_issues", total=errors + warnings, errors=errors,
                warnings=warnings, issues_csv=self.out_dir / "issues.csv",
            ),
        ]  # fmt: skip
        if self.materials is not None and len(self.materials):  # materials hook
            from analysis.materials.figures import terminal_line

            lines.insert(2, terminal_line(self.materials))
        return "\n".join(lines + self.notes)


# --------------------------------------------------------------------------- parse


def _has_data(rows: list[list[object]]) -> bool:
    return any(v not in (None, "") for row in rows for v in row)


def read_workbook(path: Path, campaign: Campaign, display_name: str) -> Workbook:
    """readers.read_workbook (a seam for tests that count parses)."""
    from analysis import readers

    return readers.read_workbook(path, campaign.limits, display_name=display_name)


@gc_paused  # the grid dies before the collector runs again (tables.py, readers.py too)
def parse_file(path: Path, rel: str, campaign: Campaign) -> ParsedFile:
    """Parse one file into activity tables; file problems become `rejected`, never exceptions."""
    try:
        workbook = read_workbook(path, campaign, rel)
    except FileRejected as exc:
        return ParsedFile(rel, rejected=(exc.code, exc.message))
    parsed = ParsedFile(rel, issues=list(workbook.issues))
    from analysis import tables as finder
    from analysis import templates

    marker = templates.detect(workbook)
    probe = publicity.Probe(campaign)  # a publicity table below an activity table
    done: set[str] = set()
    if marker:
        tables = templates.read_tables(workbook, marker, campaign, rel)
        if tables:
            parsed.template = f"v{marker.get('template_version', '')}"
            parsed.template_unit = str(marker.get("unit", ""))
            parsed.template_round = str(marker.get("round", ""))
            parsed.tables.extend(tables)
            done = set(marker.get("template_sheets", ())) | {t.sheet for t in tables}
    for sheet in workbook.sheets:
        if sheet.name in done:
            continue
        if sheet.hidden:
            if _has_data(sheet.rows):
                parsed.issues.append(
                    Issue(rel, sheet.name, None, "", "warning", "sheet_hidden_skipped",
                          message("sheet_hidden_skipped", sheet=sheet.name, file=rel))
                )  # fmt: skip
            continue
        beside = publicity.split_beside(sheet, campaign) if _has_data(sheet.rows) else None
        if beside is not None:  # a publicity table beside the activity table: each its own
            sheet, counts = beside
            parsed.publicity.extend(publicity.find_publicity(counts, campaign, rel))
        flagged: list[int] = []
        found = finder.find_tables(sheet, campaign, rel, flagged, probe)
        # Publicity counts (work item 3): read where no activity table is, where
        # tables.py saw a header counting outputs, or beside activities as extra columns.
        if (
            not found or flagged or publicity.has_output_columns(sheet, found, campaign)
        ) and _has_data(sheet.rows):
            parsed.publicity.extend(publicity.find_publicity(sheet, campaign, rel))
        if (
            not found
            and _has_data(sheet.rows)
            and not parsed.template
            and not any(p.sheet == sheet.name for p in parsed.publicity)
        ):
            parsed.issues.append(
                Issue(rel, sheet.name, None, "", "warning", "sheet_no_table",
                      message("sheet_no_table", sheet=sheet.name, file=rel))
            )  # fmt: skip
        parsed.tables.extend(found)
    if workbook.format in ("csv", "html"):  # no sheets: the `sheet` columns stay empty
        parsed = _without_sheet_names(parsed, {s.name for s in workbook.sheets})
    parsed.sheets = list(dict.fromkeys(t.sheet for t in parsed.tables if t.sheet))
    if not parsed.tables and not parsed.publicity and (nil := _nil_report(workbook, campaign)):
        # "本期无活动": a report of no activity, not a bad file
        if workbook.format in ("csv", "html"):
            nil = dataclasses.replace(nil, sheet="")
        parsed.tables.append(nil)
        parsed.sheets = [nil.sheet] if nil.sheet else []
        parsed.issues = [i for i in parsed.issues if i.code != "sheet_no_table"]
        parsed.issues.append(
            Issue(rel, nil.sheet, None, "", "warning", "nil_report",
                  message("nil_report", file=rel, said=nil.column_labels["said"]))
        )  # fmt: skip
    if not parsed.tables and not parsed.publicity:
        hidden = [s.name for s in workbook.sheets if s.hidden and _has_data(s.rows)]
        if hidden and not any(_has_data(s.rows) for s in workbook.sheets if not s.hidden):
            # Every sheet that holds anything is hidden: that, not a missing header, is why.
            shown = "、".join(f"“{name}”" for name in hidden)
            text = message_text("no_activity_table_hidden", file=rel, sheets=shown)
            parsed.rejected = ("no_activity_table", text)
            parsed.issues = [i for i in parsed.issues if i.code != "sheet_hidden_skipped"]
            return parsed
        parsed.rejected = (
            "no_activity_table",
            finder.no_table_message(rel, workbook.sheets, campaign),
        )
        parsed.issues = [i for i in parsed.issues if i.code != "sheet_no_table"]  # said once
    return parsed


# Words of a unit saying it held no activity in the round (`[row_rules] nil_report`).
NIL_REPORT = ("本期无活动", "本阶段无活动", "本期未开展", "本阶段未开展", "未开展活动", "无活动",
              "没有开展活动", "暂无活动")  # fmt: skip
NIL_REPORT_ROWS = 12  # a statement, not a table: at most this many non-empty rows


def _nil_report(workbook: Workbook, campaign: Campaign):
    """A short sheet without an activity table saying the unit held no activity
    ("本期无活动"): an activity table of no rows, with the header block the sheet has
    (填报单位, 填报日期, 报送期次), so that the unit counts as reported. None otherwise."""
    from analysis.clean import text_key
    from analysis.model import ActivityTable, HeaderBlock
    from analysis.tables import TITLE_ROWS, _scan_header_block

    words = [text_key(w) for w in campaign.row_rules.get("nil_report", NIL_REPORT) if w]
    for sheet in workbook.sheets:
        width = [sum(v not in (None, "") for v in row) for row in sheet.rows]
        filled = [i for i, n in enumerate(width) if n]
        if sheet.hidden or not filled or len(filled) > NIL_REPORT_ROWS or max(width) > 5:
            continue  # hidden, empty, or rows of a table rather than a statement
        texts = [str(v) for i in filled for v in sheet.rows[i] if isinstance(v, str)]
        said = next((t.strip() for t in texts if any(w in text_key(t) for w in words)), None)
        if said is None:
            continue
        block: dict[str, object] = {}
        _scan_header_block(sheet.rows, filled, campaign, block)
        block["title"] = " ".join(t.strip() for t in texts[:TITLE_ROWS]) or None
        return ActivityTable(
            sheet.name, filled[0] + 1, {}, {"said": said}, HeaderBlock(**block), []
        )
    return None


def _without_sheet_names(parsed: ParsedFile, sheet_names: set[str]) -> ParsedFile:
    def fix(issue: Issue) -> Issue:
        if issue.sheet not in sheet_names:
            return issue
        # A CSV has no sheets: its messages name the file and row, not the reader's name
        # for the one grid ("文件“a.csv”的工作表“a”第3行" -> "文件“a.csv”第3行").
        named = message_text("located_sheet", sheet=issue.sheet)
        text = issue.message.replace("的" + named, "").replace(named, "")
        return dataclasses.replace(issue, sheet="", message=text)

    parsed.issues = [fix(i) for i in parsed.issues]
    parsed.tables = [
        dataclasses.replace(t, sheet="", issues=[fix(i) for i in t.issues]) for t in parsed.tables
    ]
    parsed.publicity = [dataclasses.replace(t, sheet="") for t in parsed.publicity]
    return parsed


def _safe_parse(path: Path, rel: str, campaign: Campaign, logger: list[str]) -> ParsedFile:
    """parse_file, with any unexpected exception turned into a rejected file (traceback logged)."""
    try:
        return parse_file(path, rel, campaign)
    except OSError as exc:
        return _unreadable(rel, exc)
    except BaseException as exc:  # noqa: BLE001 - the analyst must never see a traceback
        from analysis.readers import rust_panic

        if not isinstance(exc, Exception) and not rust_panic(exc):
            raise  # Ctrl+C, exit
        logger.append(f"{rel}\n{traceback.format_exc()}")
        return ParsedFile(
            rel, rejected=("file_internal_error", message("file_internal_error", file=rel)),
            cacheable=False,
        )  # fmt: skip


def _unreadable(rel: str, exc: OSError) -> ParsedFile:
    """A file the operating system would not let us read (gone, locked by Excel, …)."""
    if isinstance(exc, FileNotFoundError):
        code = "file_vanished"
    elif isinstance(exc, PermissionError):
        code = "file_locked"
    else:
        code = "file_unreadable"
    detail = os_reason(exc)
    return ParsedFile(rel, rejected=(code, message(code, file=rel, detail=detail)), cacheable=False)


def write_tables(
    out_dir: Path,
    tables: dict[str, pd.DataFrame],
    parquet: bool = True,
    by_file: dict[str, list[tuple]] | None = None,
    beside: bool = False,
    spares: list[Path] | None = None,
    ahead: dict[str, Future] | None = None,
) -> None:
    """Write every table as NAME.csv (+ NAME.parquet), all or nothing.

    Each table goes to a temporary file in OUT first; only when all are written are
    they moved into place (os.replace), so a failure leaves the previous outputs.
    A table in `by_file` (its rows grouped by input file: [(file, rows)] or
    [(file, rows, key of its rows or None)] in order) reuses the last run's CSV bytes
    of the files whose rows did not change (`csv_writer.write_by_file`). `beside=True`
    writes the Parquet files in a thread beside the CSVs: for a caller whose CSVs splice
    (`_parquet_beside`). `spares`, when given, receives the previous
    tables (set aside by `_move_all_into_place`) for the caller to remove. `ahead` holds
    the Parquet writes a caller started already (`_parquet_ahead`), by table name.
    """
    ahead = ahead or {}
    out_dir.mkdir(parents=True, exist_ok=True)
    being_written = {_parquet_tmp(out_dir, name) for name in ahead}
    for stale in out_dir.glob(".*.tmp*"):  # left by a run that was killed mid-write
        if stale not in being_written and _left_behind(stale):
            stale.unlink(missing_ok=True)
    pending: list[tuple[Path, Path]] = []
    indexes: dict[str, dict | None] = {}
    key = run_manifest.code_version() if by_file else ""
    beside = beside and parquet
    try:
        with ThreadPoolExecutor(max_workers=1) as background:
            parquet_writes = []
            for name, frame in tables.items() if beside else ():
                tmp_pq = _parquet_tmp(out_dir, name)
                pending.append((tmp_pq, out_dir / f"{name}.parquet"))
                if name in ahead:
                    parquet_writes.append(ahead[name])
                else:
                    parquet_writes.append(background.submit(frame.to_parquet, tmp_pq, index=False))
            for name, frame in tables.items():
                tmp = out_dir / f".{name}.csv.tmp{os.getpid()}"
                pending.append((tmp, out_dir / f"{name}.csv"))
                if by_file and name in by_file:
                    indexes[name] = csv_writer.write_by_file(
                        frame, tmp, out_dir / f"{name}.csv", by_file[name], key
                    )
                else:
                    _write_csv(safety.csv_safe(frame), tmp)  # no formula a unit typed runs in Excel
                if beside:
                    continue
                _trim_heap()  # the CSV's slices freed before the Parquet writer allocates
                if parquet:
                    tmp_pq = _parquet_tmp(out_dir, name)
                    pending.append((tmp_pq, out_dir / f"{name}.parquet"))
                    if name in ahead:
                        ahead[name].result()
                    else:
                        frame.to_parquet(tmp_pq, index=False)
            for write in parquet_writes:
                write.result()
        try:
            _move_all_into_place(pending, spares)
        except _TableNotReplaced as exc:  # a table open in Excel on Windows, say
            raise OutputError(
                message_text("output_table_locked", file=exc.final, detail=os_reason(exc.error))
            ) from None
        for name, index in indexes.items():
            csv_writer.save_index(out_dir, name, out_dir / f"{name}.csv", index)
    except OSError as exc:
        raise OutputError(
            message_text("output_unwritable", folder=out_dir, detail=os_reason(exc))
        ) from None
    finally:
        for write in ahead.values():  # finished before its file is removed
            with contextlib.suppress(Exception):
                write.result()
        left = [tmp for tmp, _ in pending] + [_parquet_tmp(out_dir, name) for name in ahead]
        for tmp in left:
            with contextlib.suppress(OSError):  # the error above is the one to tell
                tmp.unlink(missing_ok=True)


def _parquet_tmp(out_dir: Path, name: str) -> Path:
    """Where `write_tables` writes NAME.parquet before moving it into place."""
    return out_dir / f".{name}.parquet.tmp{os.getpid()}"


def _parquet_beside(out_dir: Path, rows: pd.DataFrame, interpreted: int, files: int) -> bool:
    """Whether the run writes its Parquet files in a thread beside its CSVs (`write_tables`).

    A re-run that splices rows.csv from the last run's does (pyarrow's writer and the CSV
    digests release the GIL); a full write does not: formatting rows.csv beside the
    Parquet writer would raise the run's peak memory. Nor does a run that interpreted
    most files again (`--full`, a new roster; more than BESIDE_SHARE of them), even when
    rows.csv splices: beside a heap that large the thread took the scaled round's peak
    from ~280 to ~297-301 MiB.
    """
    return interpreted <= files * BESIDE_SHARE and csv_writer.can_splice(
        rows, out_dir / "rows.csv", run_manifest.code_version()
    )


def _parquet_ahead(out_dir: Path, name: str, frame: pd.DataFrame) -> dict[str, Future]:
    """{name: the write of `frame`'s Parquet file}, started now in a thread, for `write_tables`.

    A re-run that writes its Parquet files beside its CSVs (`write_tables`) starts the
    ledger's as soon as it is made: pyarrow's writer releases the GIL, and the run
    builds the coverage and issues tables meanwhile instead of waiting for it after
    its CSVs. The frame is not changed afterwards (a result's tables never are).
    """
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return {name: pool.submit(frame.to_parquet, _parquet_tmp(out_dir, name), index=False)}
    finally:
        pool.shutdown(wait=False)  # the write goes on; the caller waits for it


_TMP_PID = re.compile(r"\.tmp(\d+)")
STALE_SECONDS = 3600  # where a run's process cannot be asked about, its age tells


def _left_behind(path: Path) -> bool:
    """Whether a temporary table in OUT belongs to no running ingest (one killed mid-write).

    Two ingests into one OUT at a time each write their own temporary files
    (named with the process id): one must not delete what the other is writing.
    """
    found = _TMP_PID.search(path.name)
    if found is None:
        return True
    pid = int(found.group(1))
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would end the process there
        try:
            return time.time() - path.stat().st_mtime > STALE_SECONDS
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, someone else's
        return False
    return False


def _remove_left_behind(out_dir: Path) -> None:
    """Remove the temporary files a killed run left in OUT's caches (`.cache`,
    `.materials-cache`): a cache entry, the run record or an index half written.

    Each is written under a name holding its process's id and renamed into place;
    a run killed in between leaves the temporary file, which no later run would
    write again under the same name. Those of a running ingest stay (`_left_behind`);
    this run has none in progress when it calls this.
    """
    from analysis.materials.cache import CACHE_DIR

    own = f".tmp{os.getpid()}"
    for folder in (out_dir / ".cache", out_dir / CACHE_DIR):
        with contextlib.suppress(OSError):
            for path in folder.glob("*.tmp*"):
                if not path.name.endswith(own) and _left_behind(path):
                    path.unlink(missing_ok=True)


def check_output_dir(out_dir: Path, raw_dir: Path) -> None:
    """Raise OutputError, before any work, when OUT cannot hold the tables.

    OUT as RAW or inside the folders a run reads (the next run would read the
    tables as a roster or submissions), a file in OUT's place, no permission, a
    read-only disk: one Chinese sentence instead of hundreds of failed writes and a
    traceback.
    """
    out, raw = Path(out_dir).resolve(), Path(raw_dir).resolve()
    read = [raw / config.ROSTER_SUBDIR, raw / config.SUBMISSIONS_SUBDIR]
    if out == raw or any(config.within(out, r) for r in read):
        raise OutputError(message_text("output_inside_raw", out=out_dir, raw=raw_dir))
    probe = Path(out_dir) / f".write-test.tmp{os.getpid()}"
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            message_text("output_unwritable", folder=out_dir, detail=os_reason(exc))
        ) from None


class _TableNotReplaced(Exception):
    """A table of OUT could not be replaced (`error`); every table is as it was."""

    def __init__(self, final: Path, error: OSError):
        super().__init__(str(final))
        self.final, self.error = final, error


def _move_into_place(tmp: Path, final: Path) -> None:
    """`os.replace(tmp, final)`, without ext4 writing `tmp` out to disk first (one table)."""
    try:
        _move_all_into_place([(tmp, final)])
    except _TableNotReplaced as exc:
        raise exc.error from None


def _move_all_into_place(
    pending: list[tuple[Path, Path]], spares: list[Path] | None = None
) -> None:
    """Each `os.replace(tmp, final)` of `pending`, all or none.

    ext4 (`auto_da_alloc`) starts writing a file renamed over an existing one back at
    once: 30-35 ms for the scaled round's 46 MB rows.csv on a re-run. So the previous
    tables are renamed aside, the new ones renamed in (onto no file) and the old ones
    removed. A table that cannot be set aside is replaced directly, before any other is
    moved in. If any move fails (on Windows, a table open in Excel can be neither
    renamed nor replaced), the tables moved in are removed and the previous ones put
    back, and `_TableNotReplaced` names the table: the folder holds the last run's
    tables, not some of each run's. The previous tables set aside go into `spares` when
    it is given, for the caller to remove (`_remove_in_thread`), else they are removed here.
    """
    aside: list[tuple[Path, Path]] = []  # (final, the previous table set aside)
    direct: list[tuple[Path, Path]] = []  # tables that could not be set aside
    renamed: list[tuple[Path, Path]] = []
    for tmp, final in pending:
        spare = final.with_name(f".{final.name}.tmp{os.getpid()}old")
        try:
            os.rename(final, spare)
        except FileNotFoundError:  # a first run: nothing to set aside
            renamed.append((tmp, final))
            continue
        except OSError:
            direct.append((tmp, final))  # replace it (or fail)
            continue
        aside.append((final, spare))
        renamed.append((tmp, final))
    moved: list[tuple[Path, Path]] = []
    try:
        for tmp, final in direct:
            os.replace(tmp, final)
        for tmp, final in renamed:
            os.rename(tmp, final)
            moved.append((tmp, final))
    except OSError as exc:
        for tmp, final in moved:  # back where it was written (write_tables removes it)
            with contextlib.suppress(OSError):
                os.rename(final, tmp)
        for final, spare in aside:
            with contextlib.suppress(OSError):
                os.replace(spare, final)
        failed = next((f for t, f in direct + renamed if t == Path(exc.filename or "")), None)
        raise _TableNotReplaced(failed or pending[0][1], exc) from None
    for _, spare in aside:
        if spares is None:
            spare.unlink(missing_ok=True)
        else:
            spares.append(spare)


def _remove_in_thread(paths: list[Path]) -> threading.Thread:
    """Remove `paths` in a thread, started now; the caller joins it before it returns.

    Removing a file waits for the file system to free its blocks: on ext4 mounted with
    `discard` 1-4 ms a file and 12-28 ms for the scaled round's 46 MB rows.csv, 20-60 ms
    of a re-run's wall time for the last run's tables, during which the run had nothing
    else to do; in a thread they go while it writes its history (before its record). A table
    that cannot be removed is left: the next run's `write_tables` removes it.
    """

    def remove() -> None:
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    thread = threading.Thread(target=remove, name="remove-old-tables")
    thread.start()
    return thread


def _coverage_tables(roster, rows, submissions, campaign, as_of, tracebacks) -> dict:
    from analysis import coverage

    try:
        return coverage.compute_tables(roster, rows, submissions, campaign, as_of)
    except Exception:  # noqa: BLE001 - logged; the ledger is still written
        tracebacks.append(f"coverage\n{traceback.format_exc()}")
        return {}


# --------------------------------------------------------------------------- run


def _roster_issues(roster: Roster, raw_dir: Path, resolver_issues: list[Issue]) -> list[Issue]:
    """Roster issues with `file` relative to RAW, like every other file column."""
    rel = f"{config.ROSTER_SUBDIR}/{roster.source}" if roster.source else config.ROSTER_SUBDIR
    return [dataclasses.replace(i, file=rel) for i in [*roster.issues, *resolver_issues]]


def _context_fingerprint(
    roster: Roster, aliases: pd.DataFrame | None, roster_key: str | None = None
) -> str:
    """A hash of what a file's interpretation depends on besides the file, campaign and code.

    That is the roster (names, parents, kinds) and the analyst's aliases: editing
    either re-interprets every file (from its cached parse) on the next run.
    `roster_key` names the roster file's bytes and the code that read them (its
    cache entry): given, it stands for the roster's tables, which are not hashed.
    """
    digest = hashlib.sha256()
    frames = [] if roster_key else [roster.units, roster.reporting_units]
    if roster_key:
        digest.update(f"roster:{roster_key}\0".encode())
    if aliases is not None:
        frames.append(aliases)
    for frame in frames:
        digest.update(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode())
        try:
            hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy()
            digest.update(hashed.tobytes())
        except TypeError:  # unhashable cells: the text form is slower but as good a key
            digest.update(frame.to_csv().encode())
    return digest.hexdigest()[:16]


def _input_marks(raw_dir: Path) -> dict[str, str]:
    """The analyst's own inputs as the run history keeps them: the roster file's name and
    a hash of its bytes, a hash of the alias table ("" when absent), and the raw folder."""
    from analysis.roster import find_roster_file

    marks = {"roster": "", "aliases": "", "raw": str(Path(raw_dir).resolve())}
    with contextlib.suppress(RosterError, OSError):
        path = find_roster_file(raw_dir / config.ROSTER_SUBDIR)
        marks["roster"] = f"{shown_name(path.name)}:{_sha256(path)[:16]}"
    with contextlib.suppress(OSError):
        if alias := next(iter(names.alias_files(raw_dir)), None):
            marks["aliases"] = _sha256(alias)[:16]
    return marks


def _sha256(path: Path) -> str:
    """The file's sha256: the one the run's fingerprint just took, else read."""
    return run_manifest.sha256(path)


def _hash_or_error(path: Path) -> str | OSError:
    """The file's sha256, or the error that kept it from being read (the file's verdict)."""
    try:
        return _sha256(path)
    except OSError as exc:
        return exc


# A run with at least this much to parse spreads its files over helper processes
# (`parallel`); below it, a helper's start-up (importing pandas, ~0.4 s) would
# cost more than it saves.
POOL_MIN_BYTES = 4 << 20
# The largest share of files a run may have interpreted (not restored from the cache)
# for its Parquet files to be written in a thread beside its CSVs (`write_tables`).
BESIDE_SHARE = 0.25
SETTLE_EVERY = 32  # jobs between two `settle()`s of `_run_jobs`

# (sha256, suffix, [(index in the run's files, path, relative path)]): one content's files
_Job = tuple[str, str, list[tuple[int, str, str]]]


def _cached_interpretations(
    hashed: list[tuple[Path, str, str | OSError]], cache: _Cache, context: str
) -> tuple[list[Interpreted | None], list[_Job]]:
    """What the cache holds of each file (by index), and the work left, one job per content.

    A job lists every file of one content still to interpret (byte-identical copies
    under other names included), so that the content is parsed at most once.
    """
    done: list[Interpreted | None] = [None] * len(hashed)
    entries: dict[str, _Entry | None] = {}
    jobs: dict[str, _Job] = {}
    for k, (path, rel, sha) in enumerate(hashed):
        if isinstance(sha, OSError):
            continue
        key = sha + path.suffix.lower()
        if key not in entries:
            entries[key] = cache.entry(sha, path.suffix)
        entry = entries[key]
        found = entry.interpretation(rel, context) if entry else None
        if found is not None:  # unchanged file, roster and code: neither parsed nor interpreted
            done[k] = found
        else:
            jobs.setdefault(key, (sha, path.suffix, []))[2].append((k, str(path), rel))
    return done, list(jobs.values())


@dataclass(frozen=True)
class _FactsJob:
    """A photo or document whose facts the materials cache lacks (`materials.table`)."""

    key: tuple  # FactsCache.key, under the campaign's material size limit
    item: object  # materials.intake.Received


def _materials_to_read(received, out_dir: Path, full: bool, campaign: Campaign):
    """The run's materials cache, and a job for each material it lacks (none if no materials).

    Read with the spreadsheets (over the helpers, when there are), so that a first
    ingest of a round with hundreds of photos does not read them one by one afterwards.
    """
    if not received.materials:
        return None, []
    from analysis.materials.cache import FactsCache

    facts_cache = FactsCache(out_dir, enabled=not full)
    limit = campaign.limits.max_material_bytes
    missing = facts_cache.missing(received.materials, limit)
    return facts_cache, [_FactsJob(key, item) for key, item in missing]


class _Work:
    """Parses and interprets jobs: in the run's own process, or in a helper process.

    Built from what pickles (roster, aliases, campaign) so that a helper started
    by spawn builds the same interpreter; its memos are its own.
    """

    def __init__(self, roster: Roster, aliases: pd.DataFrame | None, campaign: Campaign,
                 context: str, cache_enabled: bool, out_dir: Path, raw_dir: Path,
                 resolver: names.NameResolver | None = None):  # fmt: skip
        self.spec = (roster, aliases, campaign, context, cache_enabled, out_dir, raw_dir)
        self.campaign, self.context, self.raw_dir = campaign, context, raw_dir
        self.cache = _Cache(out_dir, campaign, enabled=cache_enabled, context=context)
        resolver = resolver or names.NameResolver(roster, aliases)
        self.interpreter = _Interpreter(roster, resolver, campaign)

    # The collector waits for the whole job, as it waits for the parse (`parse_file`): the
    # interpretation's columns and the cache's pickles are young objects that die with
    # the job or live to the end of the run; counting them set off ~400 collections of
    # the young generations in a scaled round's run (~0.1 s), for nothing to free.
    @gc_paused
    def process(self, job: _Job | _FactsJob) -> tuple[list, int, list[str]]:
        """Each file's (index, interpretation, whether its parse is one the cache keeps), how
        many files were parsed, and the tracebacks logged.

        The content is parsed once (or its parse read from the cache) and interpreted
        under each of its names; the cache entry is written once, with every name.
        A material's job gives [(its key, its facts or None)].
        """
        if isinstance(job, _FactsJob):
            from analysis.materials.table import facts_or_none

            limit = self.campaign.limits.max_material_bytes
            return [(job.key, facts_or_none(job.item, limit))], 0, []
        sha, suffix, files = job
        tracebacks: list[str] = []
        parsed_count, out = 0, []
        entry = self.cache.entry(sha, suffix)
        for k, path, rel in files:
            parsed = entry.parsed if entry else None
            if parsed is None:
                parsed = _safe_parse(Path(path), rel, self.campaign, tracebacks)
                parsed_count += 1
                entry = self.cache.new_entry(sha, suffix, parsed)
            sub = _Submission(rel, sha, _renamed(parsed, rel))
            self.interpreter.interpret(sub)
            done = sub.interpreted(ROWS_COLUMNS)
            # Its row issues as the cache keeps them, their located sentences made once:
            # for the entry, the way back from a helper and the issues table alike.
            done.row_issues = _issue_rows(done.row_issues)
            entry.add(rel, self.context, done)
            out.append((k, done, parsed.cacheable))
            del sub, parsed
        # Names this content no longer has (renamed or removed copies) are not kept.
        names_now = {rel for _, _, rel in files}
        entry.interpreted = {
            r: v for r, v in entry.interpreted.items()
            if r in names_now or (self.raw_dir / r).is_file()
        }  # fmt: skip
        self.cache.put(entry)
        entry.release()
        return out, parsed_count, tracebacks


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _run_jobs(work: _Work, jobs: list[_Job], done: list, tracebacks: list[str],
              progress: bool, helpers: Helpers, settle, facts_jobs: list[_FactsJob],
              facts_cache, kept: list[bool]) -> int:  # fmt: skip
    """Run every job, over helper processes when there is enough to read; files parsed.

    Each file's interpretation goes into `done` at its index (and into `kept` whether
    its parse is one the cache keeps: a re-run restores the same), and tracebacks into
    `tracebacks` in the order of the files, whichever process ran them; each
    material's facts go to `facts_cache`. `settle()` is called every SETTLE_EVERY
    jobs: the interpretations gathered so far are held to the end of the run
    (`_long_lived`).
    """
    sheet_jobs = len(jobs)
    jobs = [*jobs, *facts_jobs]
    sizes = [_size(job[2][0][1]) for job in jobs[:sheet_jobs]]
    sizes += [job.item.size for job in facts_jobs]
    count = helper_count(sum(sizes), len(jobs), POOL_MIN_BYTES)
    bar = _bar(len(jobs), progress)
    finished = 0

    def one_done() -> None:
        nonlocal finished
        finished += 1
        bar.update()
        if finished % SETTLE_EVERY == 0:
            settle()

    settle()  # the roster, the interpreter and the imports stay too
    results = {}
    if count:
        helpers.start(count)  # unless started ahead
        results = helpers.run(_Work, work.spec, jobs, sizes, work, one_done)
    helpers.close(wait=False)  # their memory is given back before the tables are built
    for j, job in enumerate(jobs):  # without helpers, or what a broken pool left
        if j not in results:
            results[j] = work.process(job)
            one_done()
    bar.close()
    parsed = 0
    for j in range(sheet_jobs):
        out, parsed_here, logged = results.pop(j)
        for k, interpreted, cacheable in out:
            done[k], kept[k] = interpreted, cacheable
        parsed += parsed_here
        tracebacks += logged
    for j in range(sheet_jobs, len(jobs)):
        ((key, facts),), _, _ = results.pop(j)
        if facts is not None:
            facts_cache.supply(key, facts)
    return parsed


def _helpers_ahead(files: list[Path], raw_dir: Path, out_dir: Path, full: bool) -> Helpers:
    """Helpers started now, before the roster is read, when the run will likely parse much.

    Likely: the spreadsheets (and archives) with no cache entry for their bytes
    (every one, with `full`), and the materials on a first run, hold at least
    POOL_MIN_BYTES. `_run_jobs` decides for
    good on the files the run does parse; helpers started for nothing are closed.
    """
    from analysis.materials import detect
    from analysis.materials.cache import CACHE_DIR

    helpers = Helpers()
    cached = set()
    cache_dir = out_dir / ".cache"
    if not full and cache_dir.is_dir():
        cached = {name.split("-", 1)[0] for name in os.listdir(cache_dir) if name.endswith(".pkl")}
    # Photos and documents too when no material's facts are cached (`_materials_to_read`).
    groups = {"spreadsheet", "archive"}
    if full or not (out_dir / CACHE_DIR).is_dir():
        groups |= {"photo", "document", "video"}
    sizes = []
    for path in files:
        if detect.named_as(path.suffix.lower()) not in groups:
            continue
        sha = run_manifest.known_sha256(path)
        if sha is None or sha[:40] not in cached:
            sizes.append(_size(str(path)))
    # The helpers import the ingest (~0.35 s) while this process reads the roster.
    helpers.start(helper_count(sum(sizes), len(sizes), POOL_MIN_BYTES), ready=_helper_ready)
    return helpers


def _helper_ready() -> None:
    """Nothing to do: a helper that unpickles this function has imported the ingest."""


class _NoBar:
    def update(self) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, enabled: bool):
    """A progress bar over the jobs on a terminal (tqdm imported only then)."""
    if not enabled or not sys.stderr.isatty() or not total:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=message_text("progress_reading"),
                unit=message_text("progress_unit"), file=sys.stderr, leave=False)  # fmt: skip


@contextlib.contextmanager
def _system_memory_pool():
    """Arrow buffers allocated by the system allocator while the run lasts.

    The package asks Arrow for it as it loads (`analysis.ARROW_POOL_ENV`); this covers
    a caller that loaded pyarrow first (a notebook that imports pandas first), for what
    pyarrow's Python layer allocates.

    Arrow's own allocator (mimalloc) keeps what it frees for reuse, so every short-lived
    column of the run adds to the peak; the system allocator gives it back (and
    `_trim_heap` returns it to the OS). Scaled round: peak RSS 353 -> 290 MiB, the
    same time (`/usr/bin/time -v`, docs/benchmarks.md). Buffers remember their pool.
    """
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


@_system_memory_pool()
def run(
    raw_dir: Path,
    out_dir: Path,
    as_of: dt.date | None = None,
    full: bool = False,
    progress: bool = True,
    campaign: Campaign | None = None,
    inputs: str | None = None,
) -> IngestResult:
    """Ingest RAW into the tables of OUT (see the module docstring for the rules).

    `inputs` is `run_manifest.fingerprint(raw_dir, out_dir, as_of, campaign)` when the
    caller has just computed it (the command line does), else it is computed here.

    Raises RosterError / CampaignError when there is no usable roster or campaign,
    and OutputError when OUT cannot be written; every problem with a submission
    becomes an issue instead.
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    check_output_dir(out_dir, raw_dir)
    if inputs is None:
        inputs = run_manifest.fingerprint(raw_dir, out_dir, as_of, campaign)
    last = None if full else run_manifest.unchanged(out_dir, inputs)
    if last is not None:  # nothing changed since the last run: its tables stand
        restored = _restored_result(out_dir, last)
        if restored is not None:
            history.record_unchanged(out_dir)
            return restored
    files, skipped = _discover(raw_dir)
    with _helpers_ahead(files, raw_dir, out_dir, full) as helpers, _long_lived() as settle:
        return _run(raw_dir, out_dir, as_of, full, progress, campaign, inputs,
                    files, skipped, helpers, settle)  # fmt: skip


@contextlib.contextmanager
def _long_lived():
    """`settle()` tells the cyclic collector that what the run holds now stays to its end.

    Called while the interpretations are gathered and once they are all held: the
    full collections that later allocations set off then walk only what is new
    (`gc.freeze`; frozen objects are still freed by their reference counts, and a
    cycle among them waits for the end of the run). Scaled round: the collector's
    time in the run's process 0.15 -> ~0.02 s for a full ingest, 0.06 -> 0.01 s for
    a re-run. Undone when the run ends; a no-op when the caller has frozen objects of
    its own.
    """
    import gc

    ours = gc.get_freeze_count() == 0

    def settle() -> None:
        if ours:
            gc.freeze()

    try:
        yield settle
    finally:
        if ours:
            gc.unfreeze()


def _run(raw_dir: Path, out_dir: Path, as_of: dt.date | None, full: bool, progress: bool,
         campaign: Campaign | None, inputs: str, files: list[Path], skipped: list[Issue],
         helpers: Helpers, settle) -> IngestResult:  # fmt: skip
    """`run` once the inputs are known to have changed and the helpers, if any, are starting."""
    roster, roster_entry = cached_roster(out_dir, raw_dir / config.ROSTER_SUBDIR, not full)
    if campaign is None:
        campaign = load_campaign(raw_dir / config.CAMPAIGN_FILE)
    issues: list[Issue | IssueRows] = [
        Issue(
            config.CAMPAIGN_FILE, "", None, "", "warning", IssueCode.CAMPAIGN_SETTING_IGNORED, text
        )  # fmt: skip
        for text in campaign.ignored
    ]
    aliases, alias_name, alias_issues = names.read_alias_file(raw_dir)
    if aliases is not None:
        aliases, check_issues = names.check_aliases(aliases, roster, alias_name)
        alias_issues += check_issues
    issues += alias_issues + stray_inputs(raw_dir)
    # The roster names' keys, kept beside the roster's entry (a `--full` run works
    # them out again, as it reads the roster again).
    keys_file = roster_entry.with_name(roster_entry.name.replace("roster-", "names-", 1))
    if full:
        with contextlib.suppress(OSError):
            keys_file.unlink(missing_ok=True)
    resolver = names.NameResolver(roster, aliases, keys_file=keys_file)
    issues = _roster_issues(roster, raw_dir, resolver.issues) + issues

    issues += skipped
    # Materials hook: archives opened (their spreadsheets join `files`), photos/documents set aside.
    from analysis.materials import intake as materials_intake

    files, received = materials_intake.sort_received(files, raw_dir, campaign.limits)
    context = _context_fingerprint(roster, aliases, roster_entry.name)
    cache = _Cache(out_dir, campaign, enabled=not full, context=context)
    cache.used.update((roster_entry, keys_file))
    tracebacks: list[str] = []
    hashed = [(path, _rel(path, raw_dir), _hash_or_error(path)) for path in files]
    done, jobs = _cached_interpretations(hashed, cache, context)
    kept = [d is not None for d in done]  # interpretations the cache holds (restored or written)
    facts_cache, facts_jobs = _materials_to_read(received, out_dir, full, campaign)
    work = _Work(roster, aliases, campaign, context, cache.enabled, out_dir, raw_dir, resolver)
    files_parsed = _run_jobs(work, jobs, done, tracebacks, progress, helpers, settle,
                             facts_jobs, facts_cache, kept)  # fmt: skip
    subs: list[_Submission] = []
    restored: dict[str, tuple[str, dict]] = {}  # file -> (its rows' key, its columns as cached)
    for k, (path, rel, sha) in enumerate(hashed):
        if isinstance(sha, OSError):
            subs.append(_Submission(rel, "", _unreadable(rel, sha)))
            work.interpreter.interpret(subs[-1])
        else:  # each file is its ledger columns now, as if restored from the cache
            subs.append(_Submission.restored(rel, sha, done[k]))
            if kept[k]:
                restored[rel] = (cache.rows_key(sha, path.suffix, rel), done[k].columns)
    del done
    settle()  # the interpretations stay to the end of the run
    _mark_duplicates(subs)
    _mark_superseded(subs, campaign)
    for sub in subs:
        _finalise_rows(sub)
        publicity.finalise(sub)
        issues += sub.file_issues
        if isinstance(sub.row_issues, IssueRows):  # as the cache kept them (`_issues_table`)
            issues.append(sub.row_issues)
        else:
            issues += sub.row_issues
    issues += mark_repeated_rounds(subs, campaign)  # across rounds, after supersession

    rows, submissions = _rows_table(subs), _submissions_table(subs)
    row_keys = _unmarked_rows_keys(subs, restored)
    publicity_frame = publicity.publicity_table(subs)
    hashes = {s.file: s.sha256 for s in subs}
    del subs, work  # the columns are in `rows` now; the memos not needed
    _trim_heap()
    # The ledger's Parquet file is started now when the tables' go beside their CSVs.
    beside = _parquet_beside(out_dir, rows, interpreted=len(jobs), files=len(hashed))
    ahead = _parquet_ahead(out_dir, "rows", rows) if beside else {}
    # Materials hook: materials.csv, and its issues after the spreadsheets' ones.
    from analysis.materials import table as materials_table

    materials, material_issues = materials_table.for_ingest(
        received, roster, resolver, campaign, out_dir, full, rows, facts_cache, submissions
    )
    issues += material_issues
    coverage = _coverage_tables(roster, rows, submissions, campaign, as_of, tracebacks)
    if tracebacks:
        issues.append(
            Issue("", "", None, "", "error", "internal_error",
                  message_text("internal_error", count=len(tracebacks),
                               log=out_dir / "ingest.log"))
        )  # fmt: skip
    issues_frame = _issues_table(issues)
    tables = {"rows": rows, "submissions": submissions, "issues": issues_frame, **coverage,
              "publicity": publicity_frame, "materials": materials}  # fmt: skip
    run_manifest.forget(out_dir)
    _trim_heap()  # what coverage and the issues table freed, before the writers allocate
    files = submissions["file"].tolist()
    rows_by_file = list(
        zip(files, submissions["rows_read"].tolist(), map(row_keys.get, files), strict=True)
    )
    spares: list[Path] = []
    write_tables(out_dir, tables, by_file={"rows": rows_by_file}, beside=beside, spares=spares,
                 ahead=ahead)  # fmt: skip
    removing = _remove_in_thread(spares)
    _write_log(out_dir, tracebacks)
    severities = issues_frame["severity"].value_counts()
    from analysis.materials.figures import key_counts

    history.record_run(
        out_dir, submissions, coverage.get("coverage"), hashes, as_of,
        inputs=_input_marks(raw_dir), problems={s: int(severities.get(s, 0)) for s in ("error", "warning")},
        materials={"files": len(materials), **key_counts(materials)},
    )  # fmt: skip
    cache.prune()
    _remove_left_behind(out_dir)
    result = IngestResult(
        out_dir=out_dir, rows=rows, submissions=submissions, issues=issues_frame,
        coverage=coverage, files_skipped=len(skipped), files_parsed=files_parsed,
        publicity=publicity_frame, materials=materials, notes=_as_of_notes(as_of, campaign),
    )  # fmt: skip
    summary = result.summary_zh()  # made while the last run's tables are removed
    # Those are gone before the run is recorded: a run killed before then leaves its
    # spares to the next run, which would otherwise take the unchanged way and keep them.
    removing.join()
    if not tracebacks:  # a run with internal errors is not one to stand for the next
        outputs = [f"{name}.{ext}" for name in tables for ext in ("csv", "parquet")]
        run_manifest.record(
            out_dir, inputs, outputs, tables=list(tables), coverage=list(coverage),
            files_skipped=len(skipped), summary=summary,
        )  # fmt: skip
    return result


def _unmarked_rows_keys(subs: list[_Submission], restored: dict[str, tuple[str, dict]]) -> dict:
    """file -> the key of its rows (`_Cache.rows_key`), for each file whose ledger columns are
    still those of its interpretation: no decision across files (duplicate, superseded,
    repeated round) changed a row of it. Those replace a column with a new one, never
    write into one, so an unchanged column is the same object."""
    keys = {}
    for sub in subs:
        key, cached = restored.get(sub.file, (None, None))
        now = sub.columns
        if (
            key
            and now is not None
            and len(now) == len(cached)
            and all(now.get(c) is v for c, v in cached.items())
        ):
            keys[sub.file] = key
    return keys


# A cut-off date this long after the last deadline is noted as a probable typo.
AS_OF_LATE = dt.timedelta(days=366)


def _as_of_notes(as_of: dt.date | None, campaign: Campaign) -> list[str]:
    """The cut-off date for the terminal, with a warning when it precedes the campaign."""
    if as_of is None:
        return []
    notes = [message_text("ingest_as_of", date=as_of.isoformat())]
    if as_of < campaign.start:
        notes.append(message_text("ingest_as_of_before_campaign", date=as_of.isoformat(),
                                  start=campaign.start.isoformat()))  # fmt: skip
    last_deadline = max((r.deadline for r in campaign.rounds), default=campaign.end)
    if as_of > last_deadline + AS_OF_LATE:  # 2091 for 2019: a year typed wrong, most likely
        notes.append(message_text("ingest_as_of_long_after_campaign", date=as_of.isoformat(),
                                  end=campaign.end.isoformat(),
                                  deadline=last_deadline.isoformat()))  # fmt: skip
    return notes


def _restored_result(out_dir: Path, last: dict) -> IngestResult | None:
    """The last run's result from the Parquet tables it wrote (None if they cannot be read)."""
    try:
        frames = {name: pd.read_parquet(out_dir / f"{name}.parquet") for name in last["tables"]}
        return IngestResult(
            out_dir=out_dir, rows=frames["rows"], submissions=frames["submissions"],
            issues=frames["issues"], coverage={n: frames[n] for n in last["coverage"]},
            files_skipped=int(last["files_skipped"]), files_parsed=0,
            publicity=frames.get("publicity"), materials=frames.get("materials"),
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - anything amiss: run the ordinary way
        return None


def _trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc only; elsewhere nothing).

    The parses freed during the run leave the heap fragmented; trimming before the
    tables are built lowers the run's peak memory by about 50 MiB on the scaled round.
    """
    import contextlib
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc (Windows)
        ctypes.CDLL(None).malloc_trim(0)


def _write_log(out_dir: Path, tracebacks: list[str]) -> None:
    """OUT/ingest.log: the tracebacks of unexpected errors (never shown on the terminal)."""
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    body = "\n".join(tracebacks) if tracebacks else message_text("log_no_errors") + "\n"
    try:
        head = message_text("log_run", stamp=stamp)
        (out_dir / "ingest.log").write_text(f"{head}\n{body}", encoding="utf-8")
    except OSError:
        log.warning("ingest.log not written")
