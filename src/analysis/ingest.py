"""The ingest pipeline: RAW -> the ledger tables in OUT (rows, submissions, issues, coverage).

Stages, per submission file (sorted by path relative to RAW, for determinism):

1. parse (cached): bytes -> `Workbook` (readers) -> `ActivityTable`s (a marked
   template by position, else tables.find_tables per visible sheet). Parse results
   are cached in OUT/.cache keyed by the file's sha256, its suffix, the campaign
   and the parsing code, so an unchanged file is not parsed twice.
2. interpret (every run, since it depends on the roster and aliases): reporting
   unit, round, report date, and each row's union, date, participants, item/form.
3. decide: byte-identical copies -> `duplicate_file`; several current files for
   one (reporting unit, round) -> all but the latest `superseded` (see `_latest`).

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
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib
import importlib.util
import logging
import os
import pickle
import re
import sys
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import __version__, config, names
from analysis.campaign import Campaign, load_campaign
from analysis.messages import message, suggestion_text
from analysis.model import ActivityTable, FileRejected, HeaderBlock, Issue, Workbook
from analysis.roster import Roster, load_roster

log = logging.getLogger(__name__)

ROWS_COLUMNS = (
    "file", "sheet", "row", "state", "reason", "grassroots_unit", "reporting_unit",
    "work_item", "date", "participants",
    "kind", "round", "form", "counted_for", "template",
)  # fmt: skip
SUBMISSIONS_COLUMNS = (
    "file", "reporting_unit", "kind", "round", "report_date", "state", "on_time",
    "rows_read", "rows_accepted",
    "rows_rejected", "sheets", "template", "sha256", "superseded_by", "duplicate_of",
    "contact", "phone", "message",
)  # fmt: skip
ISSUES_COLUMNS = ("file", "sheet", "row", "column", "severity", "code", "message")
ROW_STATES = ("accepted", "duplicate", "superseded", "rejected")
CSV_ENCODING = "utf-8-sig"  # Excel needs the BOM to show Chinese; pandas reads it fine
PARSE_MODULES = (
    "model",
    "readers",
    "tables",
    "templates",
    "templates.layout",
    "templates.reader",
    "ingest",
)
SKIPPED_NAMES = {"thumbs.db": "系统缩略图文件", "desktop.ini": "系统配置文件"}
# Marks of a corrected file in its name, strongest first (see `_version_rank`).
FINAL_MARKS = ("最终", "终版", "定稿")
CORRECTION_MARKS = ("更正", "修改", "修订", "改正", "重报", "新版")
_VERSION_NUMBER = re.compile(r"(?:[vV](\d+)|第\s*(\d+|[一二三四五六七八九十])\s*版|(\d+)\s*版)")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


class OutputError(Exception):
    """The outputs could not be written; the message is Chinese, for the analyst."""


@dataclass
class ParsedFile:
    """What the parse stage makes of one file (what the cache holds)."""

    file: str
    tables: list[ActivityTable] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    template: str = ""
    template_unit: str = ""
    template_round: str = ""
    rejected: tuple[str, str] | None = None  # (code, Chinese message)
    cacheable: bool = True


@dataclass
class IngestResult:
    """Counts and tables of one ingest run."""

    out_dir: Path
    rows: pd.DataFrame
    submissions: pd.DataFrame
    issues: pd.DataFrame
    coverage: dict[str, pd.DataFrame] = field(default_factory=dict)
    files_skipped: int = 0
    files_parsed: int = 0  # parsed this run (not from the cache)

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
        sub = {s: self.count("submissions", s) for s in ("current", "rejected")}
        rows = {s: self.count("rows", s) for s in ROW_STATES}
        lines = [
            f"读取报送文件 {self.files_read} 个：有效 {sub['current']} 个，"
            f"被更正版本替代 {self.count('submissions', 'superseded')} 个，"
            f"重复文件 {self.count('submissions', 'duplicate_file')} 个，"
            f"无法使用 {sub['rejected']} 个"
            + (f"（另跳过临时/隐藏文件 {self.files_skipped} 个）" if self.files_skipped else "")
            + "。",
            f"活动记录 {self.rows_read} 行：计入 {rows['accepted']} 行，未计入 {rows['rejected']} 行，"
            f"重复 {rows['duplicate']} 行，已替代 {rows['superseded']} 行。",
            f"发现问题 {self.errors + self.warnings} 条（错误 {self.errors} 条，提示 {self.warnings} 条），"
            f"详见 {self.out_dir / 'issues.csv'}。",
        ]
        return "\n".join(lines)


# --------------------------------------------------------------------------- files


def _discover(raw_dir: Path) -> tuple[list[Path], list[Issue]]:
    """Submission files under RAW/submissions (any depth), sorted; lock/hidden files noted."""
    base = raw_dir / config.SUBMISSIONS_SUBDIR
    if not base.is_dir():
        return [], []
    files, skipped = [], []
    for path in sorted(base.rglob("*"), key=lambda p: _rel(p, raw_dir)):
        if not path.is_file():
            continue
        parts = path.relative_to(base).parts
        why = None
        if path.name.startswith("~$"):
            why = "Office 打开文件时生成的临时文件"
        elif any(p.startswith(".") for p in parts):
            why = "隐藏文件"
        elif path.name.lower() in SKIPPED_NAMES:
            why = SKIPPED_NAMES[path.name.lower()]
        if why:
            rel = _rel(path, raw_dir)
            skipped.append(
                Issue(rel, "", None, "", "warning", "file_skipped",
                      message("file_skipped", file=rel, why=why))
            )  # fmt: skip
        else:
            files.append(path)
    return files, skipped


def _rel(path: Path, raw_dir: Path) -> str:
    return path.relative_to(raw_dir).as_posix()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _code_version() -> str:
    """A hash of the parsing modules' source: editing them invalidates the cache."""
    digest = hashlib.sha256(__version__.encode())
    for name in PARSE_MODULES:
        spec = importlib.util.find_spec(f"analysis.{name}")
        if spec and spec.origin and Path(spec.origin).exists():
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def _campaign_hash(campaign: Campaign) -> str:
    return hashlib.sha256(repr(dataclasses.replace(campaign, source="")).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- parse


def _has_data(rows: list[list[object]]) -> bool:
    return any(v not in (None, "") for row in rows for v in row)


def _module(name: str):
    try:
        return importlib.import_module(f"analysis.{name}")
    except ModuleNotFoundError:
        return None


def read_workbook(path: Path, campaign: Campaign, display_name: str) -> Workbook:
    """readers.read_workbook (a seam for tests that count parses)."""
    from analysis import readers

    return readers.read_workbook(path, campaign.limits, display_name=display_name)


def parse_file(path: Path, rel: str, campaign: Campaign) -> ParsedFile:
    """Parse one file into activity tables; file problems become `rejected`, never exceptions."""
    try:
        workbook = read_workbook(path, campaign, rel)
    except FileRejected as exc:
        return ParsedFile(rel, rejected=(exc.code, exc.message))
    parsed = ParsedFile(rel, issues=list(workbook.issues))
    templates = _module("templates")
    marker = templates.detect(workbook) if templates else None
    done: set[str] = set()
    if marker:
        tables = templates.read_tables(workbook, marker, campaign, rel)
        if tables:
            parsed.template = f"v{marker.get('template_version', '')}"
            parsed.template_unit = str(marker.get("unit", ""))
            parsed.template_round = str(marker.get("round", ""))
            parsed.tables.extend(tables)
            done = set(marker.get("template_sheets", ())) | {t.sheet for t in tables}
    finder = _module("tables")
    for sheet in workbook.sheets:
        if sheet.name in done:
            continue
        if sheet.hidden:
            if _has_data(sheet.rows):
                parsed.issues.append(
                    Issue(rel, sheet.name, None, "", "warning", "sheet_hidden_skipped",
                          message("sheet_hidden_skipped", sheet=sheet.name))
                )  # fmt: skip
            continue
        found = finder.find_tables(sheet, campaign, rel) if finder else []
        if not found and _has_data(sheet.rows) and not parsed.template:
            parsed.issues.append(
                Issue(rel, sheet.name, None, "", "warning", "sheet_no_table",
                      message("sheet_no_table", sheet=sheet.name))
            )  # fmt: skip
        parsed.tables.extend(found)
    if workbook.format == "csv":  # a CSV has no sheets: its `sheet` columns stay empty
        parsed = _without_sheet_names(parsed, {s.name for s in workbook.sheets})
    parsed.sheets = list(dict.fromkeys(t.sheet for t in parsed.tables if t.sheet))
    if not parsed.tables:
        parsed.rejected = ("no_activity_table", message("no_activity_table", file=rel))
        parsed.issues = [i for i in parsed.issues if i.code != "sheet_no_table"]  # said once
    return parsed


def _without_sheet_names(parsed: ParsedFile, sheet_names: set[str]) -> ParsedFile:
    def fix(issue: Issue) -> Issue:
        return dataclasses.replace(issue, sheet="") if issue.sheet in sheet_names else issue

    parsed.issues = [fix(i) for i in parsed.issues]
    parsed.tables = [
        dataclasses.replace(t, sheet="", issues=[fix(i) for i in t.issues]) for t in parsed.tables
    ]
    return parsed


def _safe_parse(path: Path, rel: str, campaign: Campaign, logger: list[str]) -> ParsedFile:
    """parse_file, with any unexpected exception turned into a rejected file (traceback logged)."""
    try:
        return parse_file(path, rel, campaign)
    except OSError as exc:
        return _unreadable(rel, exc)
    except Exception:  # noqa: BLE001 - the analyst must never see a traceback
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
    detail = exc.strerror or type(exc).__name__
    return ParsedFile(rel, rejected=(code, message(code, file=rel, detail=detail)), cacheable=False)


def _renamed(parsed: ParsedFile, rel: str) -> ParsedFile:
    """A cached parse of the same bytes under another name, with its issues re-addressed."""
    if parsed.file == rel:
        return parsed

    def fix(issue: Issue) -> Issue:
        return dataclasses.replace(issue, file=rel, message=issue.message.replace(parsed.file, rel))

    tables = [dataclasses.replace(t, issues=[fix(i) for i in t.issues]) for t in parsed.tables]
    rejected = parsed.rejected and (
        parsed.rejected[0],
        parsed.rejected[1].replace(parsed.file, rel),
    )
    return dataclasses.replace(
        parsed, file=rel, tables=tables, issues=[fix(i) for i in parsed.issues], rejected=rejected
    )


class _Cache:
    """Parse results on disk, one pickle per (content, suffix, campaign, code version)."""

    def __init__(self, out_dir: Path, campaign: Campaign, enabled: bool):
        self.dir = out_dir / ".cache"
        self.salt = f"{_campaign_hash(campaign)}-{_code_version()}"
        self.enabled = enabled
        self.used: set[Path] = set()

    def _path(self, sha: str, suffix: str) -> Path:
        return self.dir / f"{sha[:40]}-{suffix.lower().lstrip('.') or 'none'}-{self.salt}.pkl"

    def get(self, sha: str, suffix: str) -> ParsedFile | None:
        path = self._path(sha, suffix)
        self.used.add(path)
        if not self.enabled or not path.exists():
            return None
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)  # noqa: S301 - our own cache directory
        except Exception:  # noqa: BLE001 - a damaged cache entry is just a miss
            return None
        return value if isinstance(value, ParsedFile) else None

    def put(self, sha: str, suffix: str, parsed: ParsedFile) -> None:
        if not parsed.cacheable:
            return
        path = self._path(sha, suffix)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            log.warning("cache entry not written: %s", path)

    def prune(self) -> None:
        """Remove entries this run did not use (changed or removed files, old code)."""
        if self.dir.is_dir():
            for path in self.dir.glob("*.pkl"):
                if path not in self.used:
                    path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- interpret


@dataclass
class _Submission:
    """One submission file while the run decides what it counts for."""

    file: str
    sha256: str
    parsed: ParsedFile
    state: str = "current"
    reporting_unit: str = ""
    kind: str = ""
    round: str = ""
    report_date: dt.date | None = None
    on_time: bool | None = None
    contact: str = ""
    phone: str = ""
    message: str = ""
    superseded_by: str = ""
    duplicate_of: str = ""
    rows: list[dict] = field(default_factory=list)
    file_issues: list[Issue] = field(default_factory=list)
    row_issues: list[Issue] = field(default_factory=list)


def _text_key(value: object) -> str:
    """Width-, case- and space-insensitive form of a label."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).lower()


def round_from_text(text: object, campaign: Campaign) -> str | None:
    """The round a text names ('第二阶段', 'r2', '2019第二期报送'); None when none or several."""
    key = _text_key(text)
    if not key:
        return None
    hits: dict[str, int] = {}
    for rnd in campaign.rounds:
        for label in {_text_key(x) for x in (rnd.code, rnd.name, *rnd.labels)}:
            if not label:
                continue
            if label.isascii():  # "r2": a whole token only, never inside "dr23"
                found = re.search(rf"(?<![0-9a-z]){re.escape(label)}(?![0-9a-z])", key)
            else:
                found = label in key
            if found:
                hits[rnd.code] = max(hits.get(rnd.code, 0), 1000 if label == key else len(label))
    if not hits:
        return None
    best = max(hits.values())
    winners = [code for code, n in hits.items() if n == best]
    return winners[0] if len(winners) == 1 else None


def _version_rank(rel: str) -> int:
    """How strongly a file name says it is a later version: 最终 > v3/第3版 > 更正 > nothing."""
    stem = _text_key(Path(rel).stem)
    if any(m in stem for m in FINAL_MARKS):
        return 1000
    number = _VERSION_NUMBER.search(stem)
    if number:
        token = next(g for g in number.groups() if g)
        return min(int(token) if token.isdigit() else _CN_DIGITS.get(token, 1), 999) + 1
    return 1 if any(m in stem for m in CORRECTION_MARKS) else 0


def _latest_key(sub: _Submission) -> tuple:
    """Supersession order: later 填报日期 (none = earliest), then version mark, then file name.

    File modification times are not used: they change when files are copied.
    """
    return (sub.report_date or dt.date.min, _version_rank(sub.file), sub.file)


class _Memo:
    """Per-run memo of a cleaning function over hashable cell values."""

    def __init__(self, func):
        self.func = func
        self.cache: dict = {}

    def __call__(self, *args):
        try:
            key = tuple((type(a).__name__, a) for a in args)
            hash(key)
        except TypeError:
            return self.func(*args)
        if key not in self.cache:
            self.cache[key] = self.func(*args)
        return self.cache[key]


class _Interpreter:
    """Turns parsed files into ledger rows, submission fields and issues."""

    def __init__(self, roster: Roster, resolver: names.NameResolver, campaign: Campaign):
        from analysis import clean

        self.clean = clean
        self.campaign = campaign
        self.resolver = resolver
        self.parent_of = roster.parent_of
        self.kind_of = dict(
            zip(
                roster.reporting_units["reporting_unit"],
                roster.reporting_units["kind"],
                strict=True,
            )
        )
        self.self_words = {_text_key(w) for w in campaign.row_markers.get("self", ("本级",))}
        self.parse_date = _Memo(lambda v: clean.parse_date(v, campaign))
        self.parse_participants = _Memo(clean.parse_participants)
        self.item_form = _Memo(lambda i, f: clean.resolve_item_and_form(i, f, campaign))

    # -- submission level

    def header(self, tables: list[ActivityTable]) -> HeaderBlock:
        """The first non-empty value of each header field across the file's tables."""
        values = {}
        for fld in ("reporting_unit", "report_date", "contact", "phone", "round"):
            values[fld] = next(
                (getattr(t.header, fld) for t in tables
                 if self.clean.normalise_text(getattr(t.header, fld))),
                None,
            )  # fmt: skip
        return HeaderBlock(**values)

    def reporting_unit(self, sub: _Submission, written: str) -> str | None:
        """The submission's reporting unit: 填报单位, else the file or folder name."""
        file = sub.file
        resolution = None
        if written:
            resolution = self.resolver.resolve_reporting_unit(written)
            if resolution.unit:
                return resolution.unit
            union = self.resolver.resolve(written)
            if union.unit:
                parent = self.parent_of[union.unit]
                self._file_issue(sub, "warning", "reporting_unit_is_grassroots", value=written,
                                 unit=parent)  # fmt: skip
                return parent
        parts = Path(file).parts[1:]  # below submissions/
        candidates = [Path(file).stem, *reversed(parts[:-1])]
        from_name = next(
            (u for c in candidates if (u := self.resolver.reporting_unit_in_text(c))), None
        )
        if from_name:
            if written:
                self._file_issue(sub, "warning", "reporting_unit_from_filename", value=written,
                                 unit=from_name)  # fmt: skip
            return from_name
        if written:
            sub.message = message(
                "reporting_unit_unresolved", file=file, value=written,
                suggest=suggestion_text(resolution.suggestions if resolution else []),
            )  # fmt: skip
            sub.file_issues.append(
                Issue(file, "", None, "填报单位", "error", "reporting_unit_unresolved", sub.message)
            )
        else:
            sub.message = message("reporting_unit_unknown", file=file)
            sub.file_issues.append(
                Issue(file, "", None, "填报单位", "error", "reporting_unit_unknown", sub.message)
            )
        return None

    def round(self, sub: _Submission, written: str, dates: list[dt.date]) -> str:
        """报送期次, else a folder naming a round, else the round holding most activity dates."""
        if written:
            code = round_from_text(written, self.campaign)
            if (
                code is None
                and written.isdigit()
                and 1 <= int(written) <= len(self.campaign.rounds)
            ):
                code = self.campaign.rounds[int(written) - 1].code
            if code:
                return code
        for folder in reversed(Path(sub.file).parts[1:-1]):
            if code := round_from_text(folder, self.campaign):
                how = "所在文件夹名称"
                break
        else:
            counts = Counter(
                r.code for d in dates if (r := self.campaign.round_for_date(d)) is not None
            )
            order = [r.code for r in self.campaign.rounds]
            code = min(counts, key=lambda c: (-counts[c], order.index(c))) if counts else None
            how = "活动日期"
        if written:
            self._file_issue(sub, "warning", "round_unrecognised", value=written,
                             how=how if code else "其他信息")  # fmt: skip
        if code is None:
            self._file_issue(sub, "warning", "round_unknown")
        return code or ""

    def _file_issue(self, sub: _Submission, severity: str, code: str, column: str = "",
                    **values: object) -> None:  # fmt: skip
        sub.file_issues.append(
            Issue(
                sub.file, "", None, column, severity, code, message(code, file=sub.file, **values)
            )
        )

    def interpret(self, sub: _Submission) -> None:
        """Fill the submission's fields, ledger rows and issues (file state aside)."""
        parsed = sub.parsed
        sub.file_issues.extend(parsed.issues)
        for table in parsed.tables:
            sub.file_issues.extend(table.issues)
        if parsed.rejected:
            code, text = parsed.rejected
            sub.state, sub.message = "rejected", text
            sub.file_issues.append(Issue(sub.file, "", None, "", "error", code, text))
            return
        norm = self.clean.normalise_text
        header = self.header(parsed.tables)
        sub.contact, sub.phone = norm(header.contact), norm(header.phone)
        unit = self.reporting_unit(sub, norm(header.reporting_unit))
        if unit is None:  # the whole file is rejected: its rows are listed with the reason
            sub.state, reason = "rejected", sub.file_issues[-1].code
            for table in parsed.tables:
                for row in table.rows:
                    sub.rows.append(self._ledger(sub, table, row.row, "rejected", reason))
            return
        dates = self._dates(parsed.tables)
        sub.round = self.round(sub, norm(header.round), [d for d in dates if d])
        if norm(header.report_date):
            sub.report_date, _ = self.parse_date(header.report_date)
            if sub.report_date is None:
                self._file_issue(sub, "warning", "report_date_unreadable", "填报日期",
                                 value=norm(header.report_date))  # fmt: skip
        if sub.report_date and sub.round:
            sub.on_time = sub.report_date <= self.campaign.rounds_by_code[sub.round].deadline
        sub.reporting_unit, sub.kind = unit, self.kind_of.get(unit, "")
        for table in parsed.tables:
            self._table_notes(sub, table)
            for row in table.rows:
                sub.rows.append(self.row(sub, table, row))

    def _dates(self, tables: list[ActivityTable]) -> list[dt.date | None]:
        return [
            self.parse_date(row.values.get("date"))[0]
            for t in tables
            for row in t.rows
            if row.kind == "data"
        ]

    def _table_notes(self, sub: _Submission, table: ActivityTable) -> None:
        if table.rows and "participants" not in table.columns:
            sub.row_issues.append(
                Issue(sub.file, table.sheet, table.header_row, "", "warning",
                      "participants_column_missing",
                      f"工作表“{table.sheet}”的活动表没有“参加人数”列，各活动的人数按缺失处理；"
                      "请按模板补充该列。")
            )  # fmt: skip

    # -- rows

    def _ledger(self, sub: _Submission, table: ActivityTable, row: int, state: str,
                reason: str, **values: object) -> dict:  # fmt: skip
        record = {
            "file": sub.file, "sheet": table.sheet, "row": row, "state": state, "reason": reason,
            "grassroots_unit": "", "reporting_unit": sub.reporting_unit, "work_item": "",
            "date": None, "participants": None, "kind": sub.kind, "round": sub.round, "form": "",
            "counted_for": "", "template": sub.parsed.template,
        }  # fmt: skip
        record.update(values)
        return record

    def row(self, sub: _Submission, table: ActivityTable, trow) -> dict:
        """One ledger record (and its issues) for a table row."""
        if trow.kind != "data":
            return self._ledger(sub, table, trow.row, "rejected", f"{trow.kind}_row")
        values, labels = trow.values, table.column_labels
        errors: list[tuple[str, str, str]] = []  # (code, column, message)
        warnings: list[tuple[str, str, str]] = []
        where = f"第{trow.row}行"

        def note(bucket, code: str, fld: str, text: str) -> None:
            bucket.append((code, labels.get(fld, ""), text))

        # Who held it, and whom it counts for.
        written = self.clean.normalise_text(values.get("grassroots_unit"))
        unit, counted_for = "", sub.reporting_unit
        if written and _text_key(written) not in self.self_words:
            found = self.resolver.resolve(written, sub.reporting_unit)
            if found.unit:
                unit, counted_for = found.unit, self.parent_of[found.unit]
            else:
                federation = self.resolver.resolve_reporting_unit(written).unit
                if federation:
                    counted_for = federation
                    unit = federation if self.kind_of.get(federation) == "direct" else ""
                else:
                    note(errors, "unit_unresolved", "grassroots_unit", message(
                        "unit_unresolved", row=trow.row, value=written,
                        suggest=suggestion_text(found.suggestions)))  # fmt: skip
            if counted_for != sub.reporting_unit:
                note(warnings, "unit_other_parent", "grassroots_unit", message(
                    "unit_other_parent", row=trow.row, unit=unit or counted_for,
                    parent=counted_for, reporting=sub.reporting_unit))  # fmt: skip
        elif self.kind_of.get(sub.reporting_unit) == "direct":
            unit = sub.reporting_unit  # 本级 of a directly affiliated union is the union itself

        # When, how many, what.
        day, date_code = self.parse_date(values.get("date"))
        if "date" not in table.columns:
            date_code = "date_missing"
        if day is None:
            raw = values.get("date")
            text = self.clean.message(date_code, raw)
            if sub.round:
                note(
                    warnings,
                    date_code,
                    "date",
                    f"{where}：{text}已按报送期次计入活动数，但不计入按日期的统计。",
                )
            else:
                note(
                    errors,
                    date_code,
                    "date",
                    f"{where}：{text}该行未计入统计（报送期次也无法确定）。",
                )
        elif date_code:
            note(
                warnings,
                date_code,
                "date",
                f"{where}：{self.clean.message(date_code, values.get('date'))}",
            )
        participants, p_code = self.parse_participants(values.get("participants"))
        if p_code and "participants" in table.columns:
            note(
                warnings,
                p_code,
                "participants",
                f"{where}：{self.clean.message(p_code, values.get('participants'))}",
            )
        item, form, item_codes = self.item_form(values.get("work_item"), values.get("form"))
        for code in item_codes:
            fld = "form" if code.startswith("form") else "work_item"
            shown = (
                values.get("form")
                if code in ("form_unknown", "work_item_inferred")
                else values.get(fld)
            )
            note(warnings, code, fld, f"{where}：{self.clean.message(code, shown)}")
        if form is None:
            form = self.clean.normalise_text(values.get("form"))

        state = "rejected" if errors else "accepted"
        reason = (
            errors[0][0] if errors else ";".join(dict.fromkeys(c for c, _, _ in warnings)) or "ok"
        )
        severity = "error" if errors else "warning"
        for code, column, text in errors or warnings:
            sub.row_issues.append(
                Issue(sub.file, table.sheet, trow.row, column, severity, code, text)
            )
        return self._ledger(
            sub, table, trow.row, state, reason,
            grassroots_unit=unit, work_item=item, date=day.isoformat() if day else None,
            participants=participants, kind=sub.kind, form=form or "",
            counted_for=counted_for,
        )  # fmt: skip


# --------------------------------------------------------------------------- decide


def _mark_duplicates(subs: list[_Submission]) -> None:
    """A byte-identical copy of an earlier file (by path order) is `duplicate_file`.

    Rejected files take no part: two empty files are each rejected for what they are.
    """
    first: dict[str, str] = {}
    for sub in subs:
        if not sub.sha256 or sub.state == "rejected":
            continue
        if sub.sha256 in first:
            sub.state, sub.duplicate_of = "duplicate_file", first[sub.sha256]
            sub.message = message("duplicate_file", file=sub.file, original=sub.duplicate_of)
            sub.file_issues = [
                Issue(sub.file, "", None, "", "warning", "duplicate_file", sub.message)
            ]
        else:
            first[sub.sha256] = sub.file


def _mark_superseded(subs: list[_Submission], campaign: Campaign) -> None:
    """Of several current files for one (reporting unit, round), only the latest stays current.

    Files whose round is unknown are never superseded (they may be different rounds).
    """
    groups: dict[tuple[str, str], list[_Submission]] = {}
    for sub in subs:
        if sub.state == "current" and sub.round:
            groups.setdefault((sub.reporting_unit, sub.round), []).append(sub)
    for (unit, round_code), members in groups.items():
        if len(members) < 2:
            continue
        latest = max(members, key=_latest_key)
        for sub in members:
            if sub is latest:
                continue
            new, old = _latest_key(latest), _latest_key(sub)
            why = (
                "填报日期更晚" if new[0] != old[0]
                else "文件名标明为更正或新版本" if new[1] != old[1]
                else "填报日期相同，按文件名顺序取后者"
            )  # fmt: skip
            sub.state, sub.superseded_by = "superseded", latest.file
            sub.message = message(
                "superseded", unit=unit, round=campaign.rounds_by_code[round_code].name,
                file=sub.file, by=latest.file, why=why,
            )  # fmt: skip
            sub.file_issues = [Issue(sub.file, "", None, "", "warning", "superseded", sub.message)]


def _finalise_rows(sub: _Submission) -> None:
    """Rows of a file that does not count take the file's state; its row issues are dropped."""
    if sub.state == "duplicate_file":
        state, reason = "duplicate", f"duplicate_file:{sub.duplicate_of}"
    elif sub.state == "superseded":
        state, reason = "superseded", f"superseded:{sub.superseded_by}"
    else:
        return
    for record in sub.rows:
        record["state"], record["reason"] = state, reason
    sub.row_issues = []


# --------------------------------------------------------------------------- tables


def _rows_table(subs: list[_Submission]) -> pd.DataFrame:
    records = [r for s in subs for r in s.rows]
    frame = pd.DataFrame.from_records(records, columns=list(ROWS_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    frame["participants"] = pd.array(frame["participants"].tolist(), dtype="Int64")
    return frame


def _submissions_table(subs: list[_Submission]) -> pd.DataFrame:
    records = []
    for s in subs:
        states = Counter(r["state"] for r in s.rows)
        records.append({
            "file": s.file, "reporting_unit": s.reporting_unit, "kind": s.kind,
            "round": s.round, "report_date": s.report_date.isoformat() if s.report_date else None,
            "state": s.state, "on_time": s.on_time, "rows_read": len(s.rows),
            "rows_accepted": states["accepted"], "rows_rejected": states["rejected"],
            "sheets": ";".join(s.parsed.sheets), "template": s.parsed.template,
            "sha256": s.sha256, "superseded_by": s.superseded_by, "duplicate_of": s.duplicate_of,
            "contact": s.contact, "phone": s.phone, "message": s.message,
        })  # fmt: skip
    frame = pd.DataFrame.from_records(records, columns=list(SUBMISSIONS_COLUMNS))
    frame["on_time"] = pd.array(frame["on_time"].tolist(), dtype="boolean")
    for column in ("rows_read", "rows_accepted", "rows_rejected"):
        frame[column] = frame[column].astype("int64")
    return frame


def _issues_table(issues: list[Issue]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        [dataclasses.astuple(i) for i in issues], columns=list(ISSUES_COLUMNS)
    )
    frame["row"] = frame["row"].astype("Int64")
    return frame


def write_tables(out_dir: Path, tables: dict[str, pd.DataFrame], parquet: bool = True) -> None:
    """Write every table as NAME.csv (+ NAME.parquet), all or nothing.

    Each table goes to a temporary file in OUT first; only when all are written are
    they moved into place (os.replace), so a failure leaves the previous outputs.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".*.tmp*"):  # left by a run that was killed mid-write
        stale.unlink(missing_ok=True)
    pending: list[tuple[Path, Path]] = []
    try:
        for name, frame in tables.items():
            tmp = out_dir / f".{name}.csv.tmp{os.getpid()}"
            pending.append((tmp, out_dir / f"{name}.csv"))
            _write_csv(frame, tmp)
            if parquet:
                tmp_pq = out_dir / f".{name}.parquet.tmp{os.getpid()}"
                pending.append((tmp_pq, out_dir / f"{name}.parquet"))
                frame.to_parquet(tmp_pq, index=False)
        for tmp, final in pending:
            os.replace(tmp, final)
    except OSError as exc:
        raise OutputError(
            f"统计结果无法写入 {out_dir}（{exc.strerror or type(exc).__name__}）："
            "请关闭在 Excel 中打开的结果文件、确认磁盘空间后重新运行；上一次的结果保持不变。"
        ) from None
    finally:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n")


def _coverage_tables(roster, rows, submissions, campaign, as_of, tracebacks) -> dict:
    coverage = _module("coverage")
    if coverage is None or not hasattr(coverage, "compute_tables"):
        return {}
    try:
        return coverage.compute_tables(roster, rows, submissions, campaign, as_of)
    except Exception:  # noqa: BLE001 - logged; the ledger is still written
        tracebacks.append(f"coverage\n{traceback.format_exc()}")
        return {}


# --------------------------------------------------------------------------- run


def _progress(items: list, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        items, desc="读取报送表", unit="个", file=sys.stderr, leave=False,
        disable=not enabled or not sys.stderr.isatty(),
    )  # fmt: skip


def _roster_issues(roster: Roster, raw_dir: Path, resolver_issues: list[Issue]) -> list[Issue]:
    """Roster issues with `file` relative to RAW, like every other file column."""
    rel = f"{config.ROSTER_SUBDIR}/{roster.source}" if roster.source else config.ROSTER_SUBDIR
    return [dataclasses.replace(i, file=rel) for i in [*roster.issues, *resolver_issues]]


def run(
    raw_dir: Path,
    out_dir: Path,
    as_of: dt.date | None = None,
    full: bool = False,
    progress: bool = True,
    campaign: Campaign | None = None,
) -> IngestResult:
    """Ingest RAW into the tables of OUT (see the module docstring for the rules).

    Raises RosterError / CampaignError when there is no usable roster or campaign,
    and OutputError when OUT cannot be written; every problem with a submission
    becomes an issue instead.
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    roster = load_roster(raw_dir / config.ROSTER_SUBDIR)
    if campaign is None:
        campaign = load_campaign(raw_dir / config.CAMPAIGN_FILE)
    issues: list[Issue] = []
    aliases = None
    alias_path = raw_dir / config.ALIASES_FILE
    if alias_path.is_file():
        aliases, alias_issues = names.read_aliases(alias_path, config.ALIASES_FILE)
        aliases, check_issues = names.check_aliases(aliases, roster, config.ALIASES_FILE)
        issues += alias_issues + check_issues
    resolver = names.NameResolver(roster, aliases)
    issues = _roster_issues(roster, raw_dir, resolver.issues) + issues

    files, skipped = _discover(raw_dir)
    issues += skipped
    cache = _Cache(out_dir, campaign, enabled=not full)
    interpreter = _Interpreter(roster, resolver, campaign)
    tracebacks: list[str] = []
    subs: list[_Submission] = []
    parsed_here: dict[str, ParsedFile] = {}
    files_parsed = 0
    for path in _progress(files, progress):
        rel = _rel(path, raw_dir)
        try:
            sha = _sha256(path)
        except OSError as exc:
            subs.append(_Submission(rel, "", _unreadable(rel, exc)))
            interpreter.interpret(subs[-1])
            continue
        parsed = parsed_here.get(sha + path.suffix.lower()) or cache.get(sha, path.suffix)
        if parsed is None:
            parsed = _safe_parse(path, rel, campaign, tracebacks)
            files_parsed += 1
            cache.put(sha, path.suffix, parsed)
        parsed_here[sha + path.suffix.lower()] = parsed
        sub = _Submission(rel, sha, _renamed(parsed, rel))
        interpreter.interpret(sub)
        subs.append(sub)
    _mark_duplicates(subs)
    _mark_superseded(subs, campaign)
    for sub in subs:
        _finalise_rows(sub)
        issues += sub.file_issues + sub.row_issues

    rows, submissions = _rows_table(subs), _submissions_table(subs)
    coverage = _coverage_tables(roster, rows, submissions, campaign, as_of, tracebacks)
    if tracebacks:
        issues.append(
            Issue("", "", None, "", "error", "internal_error",
                  f"运行中有 {len(tracebacks)} 处程序错误，详情已记入 {out_dir / 'ingest.log'}，"
                  "请把该文件发给技术人员。")
        )  # fmt: skip
    issues_frame = _issues_table(issues)
    tables = {"rows": rows, "submissions": submissions, "issues": issues_frame, **coverage}
    write_tables(out_dir, tables)
    _write_log(out_dir, tracebacks)
    cache.prune()
    return IngestResult(
        out_dir=out_dir, rows=rows, submissions=submissions, issues=issues_frame,
        coverage=coverage, files_skipped=len(skipped), files_parsed=files_parsed,
    )  # fmt: skip


def _write_log(out_dir: Path, tracebacks: list[str]) -> None:
    """OUT/ingest.log: the tracebacks of unexpected errors (never shown on the terminal)."""
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    body = "\n".join(tracebacks) if tracebacks else "no internal errors\n"
    try:
        (out_dir / "ingest.log").write_text(f"ingest run {stamp}\n{body}", encoding="utf-8")
    except OSError:
        log.warning("ingest.log not written")
