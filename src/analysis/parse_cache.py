"""The incremental cache: what parsing and interpretation make of a file, kept on disk.

An entry is keyed by the file's sha256 and suffix, the campaign and a hash of the
ingest code (`PARSE_MODULES`), so editing any of those modules invalidates it. It
holds two pickles (each framed with a checksum, `cachefile`), read separately:
first the interpretations of the file (one per relative path it was found under,
valid for one roster-and-aliases fingerprint, the entry's `context`), then the parse. An unchanged file under an unchanged roster is
restored from the first part alone: neither parsed nor re-interpreted. Duplicates
and supersession are decided across files after that, on every run.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.util
import itertools
import logging
import operator
import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__, cachefile
from analysis.campaign import Campaign
from analysis.messages import located_message
from analysis.model import ActivityTable, Issue, IssueRows, RowRun, TableRow, TableRows
from analysis.roster import Roster

log = logging.getLogger(__name__)

# Their source is hashed into every cache key. All of ingest's own modules are listed,
# not only the parsing ones: a refactor that moves parsing code between them must not
# leave stale entries behind. `clean` because tables.py calls it while finding tables;
# `names`, `messages`, `roster` and `campaign` because the cached interpretation uses them.
PARSE_MODULES = (
    "model",
    "readers",
    "tables",
    "clean",
    "styles",
    "ooxml",
    "templates",
    "templates.layout",
    "templates.reader",
    "ingest",
    "parse_cache",
    "cachefile",
    "submissions",
    "ledger",
    "names",
    "namekeys",
    "messages",
    "roster",
    "campaign",
    "publicity",
)


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
    publicity: list = field(default_factory=list)  # publicity.PublicityTable, work item 3


@dataclass
class Interpreted:
    """What interpretation makes of one parsed file under one relative path.

    The ledger rows are column lists (`ledger.ROWS_COLUMNS`), which pickle and
    concatenate far faster than one dict per row.
    """

    state: str
    message: str
    reporting_unit: str
    kind: str
    round: str
    report_date: dt.date | None
    on_time: bool | None
    contact: str
    phone: str
    sheets: list[str]
    template: str
    columns: dict[str, list]
    file_issues: list[Issue]
    row_issues: list[Issue]
    publicity: list[dict] = field(default_factory=list)  # publicity.csv records
    submitter: str = ""  # a grassroots union that sent its own file ("": the unit itself)


class _Entry:
    """One cache entry: interpretations by relative path, and the parse (read on demand)."""

    def __init__(self, path: Path | None, context: str, interpreted: dict[str, Interpreted],
                 parsed: ParsedFile | None = None):  # fmt: skip
        self.path = path  # None: not to be written (caching off for this parse)
        self.context = context
        self.interpreted = interpreted
        self._parsed = parsed

    def interpretation(self, rel: str, context: str) -> Interpreted | None:
        """The cached interpretation of the file under `rel`, if made with this roster."""
        return self.interpreted.get(rel) if self.context == context else None

    @property
    def parsed(self) -> ParsedFile | None:
        """The cached parse (loaded from disk the first time); None when unreadable."""
        if self._parsed is None and self.path is not None:
            try:
                with self.path.open("rb") as fh:
                    cachefile.skip(fh)
                    value = cachefile.load(fh, self.path.name)
            except Exception:  # noqa: BLE001 - a damaged cache entry is just a miss
                return None
            self._parsed = value if isinstance(value, ParsedFile) else None
        return self._parsed

    def release(self) -> None:
        """Forget the parse held in memory (it is read again from disk if ever needed)."""
        self._parsed = None

    def add(self, rel: str, context: str, interpreted: Interpreted) -> None:
        if self.context != context:
            self.context, self.interpreted = context, {}
        self.interpreted[rel] = interpreted


def cached_roster(out_dir: Path, roster_path: Path, enabled: bool) -> tuple[Roster, Path]:
    """`roster.load_roster`, or the Roster a previous run read from the same bytes; and its entry.

    Keyed by the chosen roster file's name and sha256 and the code version: reading a
    roster of a few thousand unions costs more than a re-run with nothing new.
    RosterError passes through (nothing is cached for a roster that cannot be used).
    """
    from analysis import roster as roster_module

    path = roster_module.find_roster_file(Path(roster_path))
    digest = hashlib.sha256(os.fsencode(path.name) + f"\0{_code_version()}\0".encode())
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    entry = Path(out_dir) / ".cache" / f"roster-{digest.hexdigest()[:40]}.pkl"
    if enabled and entry.exists():
        try:
            with entry.open("rb") as fh:
                value = cachefile.load(fh, entry.name)
            if isinstance(value, Roster):
                return roster_module.with_folder_issues(value, Path(roster_path), path), entry
        except Exception:  # noqa: BLE001 - a damaged cache entry is just a miss
            pass
    value = roster_module.load_roster(path)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            cachefile.dump(value, fh, entry.name)
        os.replace(tmp, entry)
    except OSError:
        log.warning("cache entry not written: %s", entry)
    return roster_module.with_folder_issues(value, Path(roster_path), path), entry


@functools.cache
def _code_version() -> str:
    """A hash of the parsing modules' source: editing them invalidates the cache.

    Computed once per process: a running process keeps the code it imported.
    """
    digest = hashlib.sha256(__version__.encode())
    for name in PARSE_MODULES:
        spec = importlib.util.find_spec(f"analysis.{name}")
        if spec and spec.origin and Path(spec.origin).exists():
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def _campaign_hash(campaign: Campaign) -> str:
    return hashlib.sha256(repr(dataclasses.replace(campaign, source="")).encode()).hexdigest()[:16]


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


_ROW_NUMBER = operator.attrgetter("row")
_ROW_KIND = operator.attrgetter("kind")
_ROW_VALUES = operator.attrgetter("values")
_ROW_STRUCK = operator.attrgetter("struck")


def _table_rows(rows: list[TableRow]) -> tuple:
    """A table's rows as four flat lists: (numbers, kinds, values dicts, struck indices).

    One object per row (its values dict, pickled as it is) instead of a TableRow and
    its state dict, each list taken in one pass in C. Turning each dict into a tuple
    of its values first costs more than the keys it saves: scaled round, the parse
    parts pickle in 0.23 -> 0.16 s with `_reduce_date` (23.1 -> 25.5 MB).
    """
    return (
        list(map(_ROW_NUMBER, rows)),
        list(map(_ROW_KIND, rows)),
        list(map(_ROW_VALUES, rows)),
        list(itertools.compress(itertools.count(), map(_ROW_STRUCK, rows))),
    )


def _table_parts(rows: TableRows | list[TableRow]) -> list:
    """A table's rows as the cache keeps them: each run of plain rows as it is (a
    `RowRun`, its columns pickled as tuples of cells: no dict per row), and the rows
    between runs as `_table_rows` gives them."""
    parts: list = []
    singles: list[TableRow] = []
    for part in TableRows.of(rows).parts:
        if part.__class__ is RowRun:
            if singles:
                parts.append(_table_rows(singles))
                singles = []
            parts.append(part)
        else:
            singles.append(part)
    if singles:
        parts.append(_table_rows(singles))
    return parts


def _restore_table(state: dict) -> ActivityTable:
    """The ActivityTable `_reduce_table` wrote (its rows rebuilt from the parts)."""
    rows = TableRows()
    for part in state["rows"]:
        if part.__class__ is RowRun:
            rows.add_run(part)
            continue
        numbers, kinds, values, struck = part
        singles = list(map(TableRow, numbers, kinds, values))
        for k in struck:
            singles[k].struck = True
        rows.extend(singles)
    table = ActivityTable.__new__(ActivityTable)
    table.__dict__.update(state, rows=rows)
    return table


def _reduce_table(table: ActivityTable) -> tuple:
    return _restore_table, ({**table.__dict__, "rows": _table_parts(table.rows)},)


def _reduce_run(run: RowRun) -> tuple:
    """A run as its three fields (no state dict of field names)."""
    return RowRun, (run.first, run.columns, run.struck)


@functools.lru_cache(maxsize=4096)
def _reduce_date(day: dt.date) -> tuple:
    """A date as its day number, the same tuple for equal dates.

    Pickle's own form of a date costs ~0.4 us each (its state bytes, three memo
    entries); a table holds many equal dates, whose one tuple pickle then refers
    back to. Scaled round (120,000 dates): 53 -> ~17 ms. Only exact dates come here
    (a dispatch table is looked up by exact type: datetimes keep their own form).
    """
    return _DATE_FROM_ORDINAL, (day.toordinal(),)


_DATE_FROM_ORDINAL = dt.date.fromordinal  # one object: pickled once per entry, then referred to


# How the cache pickles a parse (a private dispatch table: other pickles are unaffected).
_COMPACT = {
    **copyreg.dispatch_table,
    ActivityTable: _reduce_table,
    RowRun: _reduce_run,
    dt.date: _reduce_date,
}


def _reduce_interpreted(done: Interpreted) -> tuple:
    """An interpretation with its Arrow columns as one Arrow IPC stream (`_restore_interpreted`).

    Read back in one call instead of an unpickling of each column: a re-run of the
    scaled round reads 300 files' 15 columns, ~24 ms as pickled arrays, ~5 ms so.
    """
    import pyarrow as pa

    state = dict(done.__dict__)
    state["row_issues"] = _issue_rows(done.row_issues)
    columns = state.pop("columns")
    arrays = {c: v for c, v in columns.items() if isinstance(v, pa.Array)}
    lengths = {len(v) for v in arrays.values()}
    if len(lengths) != 1:  # not one table (no column, or of unequal lengths): as they are
        return _restore_interpreted, (state, list(columns), None, columns)
    batch = pa.RecordBatch.from_arrays(list(arrays.values()), names=list(arrays))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    others = {c: v for c, v in columns.items() if c not in arrays}
    return _restore_interpreted, (state, list(columns), sink.getvalue().to_pybytes(), others)


_ISSUE_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Issue)))


def _issue_rows(issues) -> IssueRows | list:
    """A file's row issues as the cache keeps them (`model.IssueRows`): unpickled ~4x faster
    than `Issue` objects, and their located sentences made once, not on every re-run."""
    if isinstance(issues, IssueRows) or not all(type(i) is Issue for i in issues):
        return issues
    words: dict[tuple[str, str], str] = {}
    return IssueRows(
        [_ISSUE_FIELDS(i) for i in issues], [located_message(i, words) for i in issues]
    )


def _restore_interpreted(state: dict, order: list, stream: bytes | None, others: dict):
    """The Interpreted `_reduce_interpreted` wrote, its columns in their order."""
    import pyarrow as pa

    found = dict(others)
    if stream is not None:
        batch = pa.ipc.open_stream(stream).read_next_batch()
        found.update(zip(batch.schema.names, batch.columns, strict=True))
    done = Interpreted.__new__(Interpreted)
    done.__dict__.update(state, columns={c: found[c] for c in order})
    return done


# How the cache pickles an entry's interpretations.
_HEAD_COMPACT = {**copyreg.dispatch_table, Interpreted: _reduce_interpreted}


class _Cache:
    """Cache entries on disk, one file per (content, suffix, campaign, code version)."""

    def __init__(self, out_dir: Path, campaign: Campaign, enabled: bool, context: str = ""):
        self.dir = out_dir / ".cache"
        self.salt = f"{_campaign_hash(campaign)}-{_code_version()}"
        self.enabled = enabled
        self.context = context  # fingerprint of what interpretation depends on beyond the file
        self.used: set[Path] = set()

    def _path(self, sha: str, suffix: str) -> Path:
        return self.dir / f"{sha[:40]}-{suffix.lower().lstrip('.') or 'none'}-{self.salt}.pkl"

    def rows_key(self, sha: str, suffix: str, rel: str) -> str:
        """A name for the ledger rows this entry holds (or will hold) for the file `rel`.

        Its bytes, suffix, the campaign, the code and the roster-and-aliases fingerprint
        decide a file's interpretation (that is what the cache rests on), so equal keys
        mean equal rows: a re-run copies their lines of rows.csv without reading them
        (`csv_writer.write_by_file`). "k" and 40 hex digits: never a digest of rows.
        """
        name = self._path(sha, suffix).name
        return "k" + hashlib.sha256(f"{name}\0{rel}\0{self.context}".encode()).hexdigest()[:40]

    def entry(self, sha: str, suffix: str) -> _Entry | None:
        """The entry for these bytes, with its interpretations read (not yet its parse)."""
        path = self._path(sha, suffix)
        self.used.add(path)
        if not self.enabled or not path.exists():
            return None
        try:
            with path.open("rb") as fh:
                head = cachefile.load(fh, path.name)
            context, interpreted = head["context"], head["interpreted"]
        except Exception:  # noqa: BLE001 - a damaged cache entry is just a miss
            return None
        return _Entry(path, context, interpreted)

    def new_entry(self, sha: str, suffix: str, parsed: ParsedFile) -> _Entry:
        """An entry for a fresh parse (written by `put` only when the parse is cacheable)."""
        path = self._path(sha, suffix) if parsed.cacheable else None
        return _Entry(path, self.context, {}, parsed)

    def put(self, entry: _Entry) -> None:
        """Write the entry (interpretations first, then the parse), atomically."""
        parsed = entry.parsed
        if entry.path is None or parsed is None or not parsed.cacheable:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = entry.path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                head = {"context": entry.context, "interpreted": entry.interpreted}
                cachefile.dump(head, fh, entry.path.name, _HEAD_COMPACT)
                cachefile.dump(parsed, fh, entry.path.name, _COMPACT)
            # Renaming over an existing file makes ext4 (auto_da_alloc) flush the new
            # one to disk first: 4 ms a file on a busy disk, a second for the demo's
            # 206 files on a `--full` re-run. A cache entry needs no such guarantee
            # (a lost or torn entry is a miss), so the old one is removed first.
            entry.path.unlink(missing_ok=True)
            os.replace(tmp, entry.path)
        except OSError:
            log.warning("cache entry not written: %s", entry.path)

    def prune(self) -> None:
        """Remove entries this run did not use (changed or removed files, old code)."""
        if self.dir.is_dir():
            for path in self.dir.glob("*.pkl"):
                if path not in self.used:
                    path.unlink(missing_ok=True)
