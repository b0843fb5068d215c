"""Submission files: finding them, their round and version marks, duplicates and supersession."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis import config
from analysis.campaign import Campaign
from analysis.clean import text_key
from analysis.filenames import shown_name
from analysis.messages import message, message_text
from analysis.model import ROWS_COLUMNS, FileState, Issue, IssueCode, IssueRows, RowState
from analysis.parse_cache import Interpreted, ParsedFile

SKIPPED_NAMES = {"thumbs.db": "skip_thumbs", "desktop.ini": "skip_desktop_ini"}  # -> messages
# What an office PC leaves beside the files it saves, by suffix: Word/WPS/Excel temporary
# files (~WRL0001.tmp), backups of an earlier version (报送表.xlsx.bak; Word's .wbk,
# Excel's .xlk, Word's autosave .asd) and Windows shortcuts (.lnk, .url), whose target
# is not read. Reading a backup counted an old version beside (or over) the current one.
SKIPPED_SUFFIXES = {
    ".tmp": "skip_office_temp",
    ".bak": "skip_backup",
    ".wbk": "skip_backup",
    ".xlk": "skip_backup",
    ".asd": "skip_backup",
    ".lnk": "skip_shortcut",
    ".url": "skip_shortcut",
}


def skipped_because(name: str) -> str | None:
    """Why a file named `name` is not read (a key of the message catalogue), or None."""
    lower = name.lower()
    if name.startswith("~$"):
        return "skip_office_temp"
    if name.startswith("."):
        return "skip_hidden"
    if lower in SKIPPED_NAMES:
        return SKIPPED_NAMES[lower]
    return SKIPPED_SUFFIXES.get(Path(lower).suffix)


# Marks of a corrected file in its name, strongest first (see `_version_rank`).
FINAL_MARKS = ("最终", "终版", "定稿")
CORRECTION_MARKS = ("更正", "修改", "修订", "改正", "重报", "新版")
_VERSION_NUMBER = re.compile(r"(?:[vV](\d+)|第\s*(\d+|[一二三四五六七八九十])\s*版|(\d+)\s*版)")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
# A correction of a correction: "再次更正", "二次修改", "第3次更正".
_NTH_CORRECTION = re.compile(
    r"(?:第?(\d+|[一二三四五六七八九十])次|再次?)(?:" + "|".join(CORRECTION_MARKS) + ")"
)


def _discover(raw_dir: Path) -> tuple[list[Path], list[Issue]]:
    """Submission files under RAW/submissions (any depth), sorted; lock/hidden files noted."""
    base = raw_dir / config.SUBMISSIONS_SUBDIR
    if not base.is_dir():
        return [], []
    files, skipped = [], []
    for path in sorted(base.rglob("*"), key=lambda p: _rel(p, raw_dir)):
        broken = path.is_symlink() and not path.exists()  # a shortcut to nothing, or a loop
        if not broken and not path.is_file():
            continue
        if broken:
            rel = _rel(path, raw_dir)
            text = message_text("file_skipped_link", file=rel)
            skipped.append(Issue(rel, "", None, "", "warning", IssueCode.FILE_SKIPPED, text))
            continue
        parts = path.relative_to(base).parts
        why = skipped_because(path.name)
        if why is None and any(p.startswith(".") for p in parts):
            why = "skip_hidden"
        if why:
            rel = _rel(path, raw_dir)
            skipped.append(
                Issue(rel, "", None, "", "warning", IssueCode.FILE_SKIPPED,
                      skipped_message(why, rel))
            )  # fmt: skip
        else:
            files.append(path)
    return files, skipped


# What else may sit at the top of RAW without a word: notes, and git's placeholder.
RAW_NOTES = frozenset({"readme.md", "readme.txt", ".gitkeep"})
# Names an analyst's own file takes by mistake, by what they start with: the name it needs.
LOOKALIKES = (("campaign", config.CAMPAIGN_FILE), ("aliases", config.ALIASES_FILE))


def stray_inputs(raw_dir: Path) -> list[Issue]:
    """A warning for each file at the top of RAW that no run reads.

    Only roster/, submissions/, the alias table and campaign.toml are read: a
    workbook dropped beside them, or campaign.toml saved by Notepad as
    campaign.toml.txt, were left out without a word. Folders are not named: RAW may
    keep folders of its own (the test corpus keeps its controls in valid/).
    """
    from analysis import names

    try:
        entries = sorted(Path(raw_dir).iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    read = {config.ROSTER_SUBDIR, config.SUBMISSIONS_SUBDIR, config.CAMPAIGN_FILE}
    read |= {p.name for p in names.alias_files(raw_dir)}
    issues = []
    for entry in entries:
        name = entry.name
        if name in read or name.lower() in RAW_NOTES or skipped_because(name) is not None:
            continue
        if not entry.is_file():
            continue
        shown = shown_name(name)
        wanted = next((w for start, w in LOOKALIKES if name.lower().startswith(start)), None)
        text = (
            message_text("raw_name_lookalike", file=shown, wanted=wanted)
            if wanted
            else message_text("raw_entry_not_read", file=shown)
        )
        issues.append(Issue(shown, "", None, "", "warning", IssueCode.RAW_ENTRY_NOT_READ, text))
    return issues


def skipped_message(why: str, rel: str, in_archive: bool = False) -> str:
    """The sentence of a skipped file: a backup or a shortcut is told what it is."""
    if why in ("skip_backup", "skip_shortcut"):
        return message_text(f"file_{why}", file=rel)
    if in_archive:
        return message_text("file_skipped_in_archive", file=rel)
    return message(IssueCode.FILE_SKIPPED, file=rel, why=message_text(why))


def _rel(path: Path, raw_dir: Path) -> str:
    member = getattr(path, "rel", None)  # a file from an archive (analysis.materials.intake)
    return member if member is not None else shown_name(path.relative_to(raw_dir).as_posix())


@dataclass
class _Submission:
    """One submission file while the run decides what it counts for."""

    file: str
    sha256: str
    parsed: ParsedFile
    state: str = FileState.CURRENT
    reporting_unit: str = ""
    # The grassroots union whose own file this is (its 填报单位), counted for its parent;
    # "" when the reporting unit sent it. Only a file from the same sender replaces it.
    submitter: str = ""
    kind: str = ""
    round: str = ""
    report_date: dt.date | None = None
    on_time: bool | None = None
    contact: str = ""
    phone: str = ""
    message: str = ""
    superseded_by: str = ""
    duplicate_of: str = ""
    # round -> the newer file, for a file of several rounds superseded in some of them only
    superseded_rounds: dict[str, str] = field(default_factory=dict)
    # "activities" or "publicity" -> the newer file, for a file that stays current for
    # the other kind it holds (its activities replaced, its publicity counts not)
    superseded_kinds: dict[str, str] = field(default_factory=dict)
    file_issues: list[Issue] = field(default_factory=list)
    row_issues: list[Issue] | IssueRows = field(default_factory=list)  # IssueRows: restored
    # The ledger rows as columns (lists, or Arrow arrays restored from the cache), as
    # interpretation builds them (`ledger._Interpreter.table_columns`). Every table is
    # built from these.
    columns: dict[str, list] | None = None
    publicity: list[dict] = field(default_factory=list)  # publicity.csv records

    def row_columns(self, names: tuple[str, ...]) -> dict[str, list]:
        """The ledger rows as columns (empty before interpretation, e.g. an unread file)."""
        if self.columns is None:
            self.columns = {c: [] for c in names}
        return self.columns

    def interpreted(self, names: tuple[str, ...]) -> Interpreted:
        """What interpretation made of this file, for the cache (call before any marking)."""
        return Interpreted(
            self.state, self.message, self.reporting_unit, self.kind, self.round,
            self.report_date, self.on_time, self.contact, self.phone,
            list(self.parsed.sheets), self.parsed.template,
            {c: _arrow_or_list(v) for c, v in self.row_columns(names).items()},
            list(self.file_issues), list(self.row_issues), list(self.publicity),
            self.submitter,
        )  # fmt: skip

    @classmethod
    def restored(cls, file: str, sha256: str, done: Interpreted) -> _Submission:
        """A submission as a cached interpretation left it (no parse, no row dicts)."""
        return cls(
            file, sha256, ParsedFile(file, sheets=list(done.sheets), template=done.template),
            state=done.state, reporting_unit=done.reporting_unit, kind=done.kind,
            round=done.round, report_date=done.report_date, on_time=done.on_time,
            contact=done.contact, phone=done.phone, message=done.message,
            file_issues=list(done.file_issues), row_issues=_issue_list(done.row_issues),
            columns=dict(done.columns), publicity=list(done.publicity),
            submitter=done.submitter,
        )  # fmt: skip


def _issue_list(issues):
    """A restored file's row issues: `IssueRows` as the cache kept them (never written into:
    the run replaces a file's row issues, `_finalise_rows`), else a copy of the list."""
    return issues if isinstance(issues, IssueRows) else list(issues)


def _arrow_or_list(values: list):
    """A ledger column as an Arrow array when its values allow (text or integers), else as is.

    Arrow arrays pickle as buffers and join without a pass in Python (`ledger._rows_table`);
    a text column of one value is dictionary-encoded (`ledger._arrow_column` decodes it).
    """
    import pyarrow as pa

    if isinstance(values, pa.Array):
        return values
    first = values[0] if len(values) else None
    if isinstance(first, str) and values[-1] == first and values.count(first) == len(values):
        # One text (file, unit, round, state): one byte a row, not the text n times
        # (a third of a 200,000-row round's interpretations, held until the tables).
        # (Its indices: zeros from one buffer, with no pyarrow.compute call to fill them;
        # both made once for each length and text: a file's eight one-value columns share
        # them, and the run's files their units, rounds and states. Arrow arrays are
        # immutable.)
        return pa.DictionaryArray.from_arrays(_zeros(len(values)), _one_text(first), safe=False)
    try:
        array = pa.array(values)
    except (pa.ArrowException, TypeError, ValueError):  # mixed Python types
        return list(values)
    kinds = (pa.types.is_string, pa.types.is_integer, pa.types.is_null)
    return array if any(k(array.type) for k in kinds) else list(values)


@lru_cache(maxsize=64)
def _zeros(n: int):
    """An Arrow int8 array of n zeros (the indices of a one-value dictionary column)."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.int8(), n, [None, pa.py_buffer(bytes(n))])


@lru_cache(maxsize=1024)
def _one_text(text: str):
    """An Arrow array of the one text (the dictionary of a one-value column)."""
    import pyarrow as pa

    return pa.array([text])


# Numerals a round label's number must not be glued to: "2期" inside "第12期", "一期"
# inside "第十一期" are issue numbers, not rounds.
_DIGITS = frozenset("0123456789")
_CN_NUMERALS = frozenset("零〇一二两三四五六七八九十百千")
# Serial publications a unit numbers by 期: "简报第2期", "工作动态二期" name an issue.
ISSUE_SERIES = ("简报", "信息", "动态", "快讯", "专刊", "周刊", "月刊", "期刊", "通讯", "通报",
                "专报", "要情", "情况反映")  # fmt: skip


def _glued(a: str, b: str) -> bool:
    """Whether two neighbouring characters belong to one number."""
    return (a in _DIGITS and b in _DIGITS) or (a in _CN_NUMERALS and b in _CN_NUMERALS)


def _names_round(key: str, start: int, end: int) -> bool:
    """Whether a round label found at key[start:end] names the round, not part of a number.

    Not when its number continues a longer one ("2期" in "第12期", "一期" in
    "第十一期", "1阶段" in "11阶段"), nor when its 期 numbers an issue of a unit's
    publication ("简报第2期", "工作动态二期").
    """
    label = key[start:end]
    if start > 0 and _glued(key[start - 1], label[0]):
        return False
    if end < len(key) and _glued(label[-1], key[end]):
        return False
    if "期" in label:
        before = key[:start].removesuffix("第") if not label.startswith("第") else key[:start]
        if before.endswith(ISSUE_SERIES):
            return False
    return True


def _round_labels(rounds) -> list[tuple[str, list[tuple[str, re.Pattern[str]]]]]:
    """Each round's code and its labels as matching keys, each with the pattern that finds
    it in a key (`round_from_text`); made once per campaign's rounds, not once per text."""
    try:
        return _round_labels_cached(tuple(rounds))
    except TypeError:  # rounds that do not hash (a test's stand-in): made each time
        return _round_labels_of(rounds)


def _round_labels_of(rounds) -> list[tuple[str, list[tuple[str, re.Pattern[str]]]]]:
    made = []
    for rnd in rounds:
        labels = []
        for label in {text_key(x) for x in (rnd.code, rnd.name, *rnd.labels)}:
            if not label:
                continue
            if label.isascii():  # "r2": a whole token only, never inside "dr23"
                pattern = re.compile(rf"(?<![0-9a-z]){re.escape(label)}(?![0-9a-z])")
            else:
                pattern = re.compile(re.escape(label))
            labels.append((label, pattern))
        made.append((rnd.code, labels))
    return made


_round_labels_cached = lru_cache(maxsize=16)(_round_labels_of)


def round_from_text(text: object, campaign: Campaign) -> str | None:
    """The round a text names ('第二阶段', 'r2', '2019第二期报送'); None when none or several."""
    key = text_key(text)
    if not key:
        return None
    hits: dict[str, int] = {}
    for code, labels in _round_labels(campaign.rounds):
        for label, pattern in labels:
            if label.isascii():  # "r2": a whole token only, never inside "dr23"
                found = pattern.search(key)
            else:
                found = any(_names_round(key, m.start(), m.end()) for m in
                            pattern.finditer(key))  # fmt: skip
            if found:
                hits[code] = max(hits.get(code, 0), 1000 if label == key else len(label))
    if not hits:
        return None
    best = max(hits.values())
    winners = [code for code, n in hits.items() if n == best]
    return winners[0] if len(winners) == 1 else None


_MONTH = re.compile(r"(?:\d{4}年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?")
_MONTHS = re.compile(
    r"(?:\d{4}年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月?(?:份)?[-~～—至到](\d{1,2}|[一二三四五六七八九十]{1,3})月份?"
)
_QUARTER = re.compile(r"(?:\d{4}年)?第?([1-4一二三四])季度|q([1-4])", re.IGNORECASE)


def _month_number(text: str) -> int:
    """1..12 from “7” or “七”; 0 for anything else."""
    from analysis.clean import chinese_number

    n = int(text) if text.isdigit() else (chinese_number(text) or 0)
    return n if 1 <= n <= 12 else 0


def round_of_period(text: object, campaign: Campaign) -> str | None:
    """The round a sheet or folder named for a month, months or a quarter belongs to (“7月”,
    “7-9月”, “三季度”): the one whose window holds most of that period in the campaign's
    year; None otherwise."""
    key = text_key(text)
    if month := _MONTH.fullmatch(key):
        n = _month_number(month.group(1))
        first, last = (n, n) if n else (0, 0)
    elif months := _MONTHS.fullmatch(key):  # “7-9月”, “7月至9月”
        first, last = _month_number(months.group(1)), _month_number(months.group(2))
        if not (first and last and first <= last):
            return None
    elif quarter := _QUARTER.fullmatch(key):
        n = _month_number(quarter.group(1) or quarter.group(2))  # 1..4, as a month's
        first, last = 3 * n - 2, 3 * n
    else:
        return None
    if not first:
        return None
    return round_of_months(campaign.year, first, last, campaign)


def round_of_months(year: int, first: int, last: int, campaign: Campaign) -> str | None:
    """The round whose window holds most of months `first`..`last` (1..12) of `year`;
    None when no round overlaps them or two overlap them as much."""
    start = dt.date(year, first, 1)
    end = dt.date(year + last // 12, last % 12 + 1, 1) - dt.timedelta(days=1)
    overlap = {r.code: (min(end, r.end) - max(start, r.start)).days + 1 for r in campaign.rounds}
    best = max(overlap.values(), default=0)
    winners = [code for code, days in overlap.items() if days == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _version_rank(rel: str) -> int:
    """How strongly a file name says it is a later version: 最终 > v3/第3版/再次更正 > 更正 > nothing."""
    stem = text_key(Path(rel).stem)
    if any(m in stem for m in FINAL_MARKS):
        return 1000
    number = _VERSION_NUMBER.search(stem) or _NTH_CORRECTION.search(stem)
    if number:
        token = next((g for g in number.groups() if g), "2")  # 再次更正: the second
        return min(int(token) if token.isdigit() else _CN_DIGITS.get(token, 1), 999) + 1
    return 1 if any(m in stem for m in CORRECTION_MARKS) else 0


def _natural(rel: str) -> tuple:
    """A file name (without its extension) in the order people number files: 长阳镇2
    before 长阳镇10, 长阳镇 before 长阳镇2 and 长阳镇(1)."""
    stem = rel[: -len(Path(rel).suffix)] if Path(rel).suffix else rel
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", stem))


def _latest_key(sub: _Submission) -> tuple:
    """Supersession order: later 填报日期 (none = earliest), then version mark, then file name
    (numbers in it by value: 长阳镇10 after 长阳镇2).

    File modification times are not used: they change when files are copied.
    """
    return (sub.report_date or dt.date.min, _version_rank(sub.file), _natural(sub.file), sub.file)


def _mark_duplicates(subs: list[_Submission]) -> None:
    """A byte-identical copy of an earlier file (by path order) is `duplicate_file`.

    Rejected files take no part: two empty files are each rejected for what they are.
    """
    first: dict[str, str] = {}
    for sub in subs:
        if not sub.sha256 or sub.state == FileState.REJECTED:
            continue
        if sub.sha256 in first:
            sub.state, sub.duplicate_of = FileState.DUPLICATE_FILE, first[sub.sha256]
            sub.message = message(
                IssueCode.DUPLICATE_FILE, file=sub.file, original=sub.duplicate_of
            )
            sub.file_issues = [
                Issue(sub.file, "", None, "", "warning", IssueCode.DUPLICATE_FILE, sub.message)
            ]
        else:
            first[sub.sha256] = sub.file


_CONTENT_KINDS = ("activities", "publicity")


def _holds(sub: _Submission) -> set[str]:
    """What a file holds: activity rows, publicity counts (a file with neither: activities)."""
    rows = sub.columns.get("row", ()) if sub.columns else ()
    held = {"activities"} if len(rows) else set()
    if sub.publicity:
        held.add("publicity")
    return held or {"activities"}


def _mark_superseded(subs: list[_Submission], campaign: Campaign) -> None:
    """Of several current files for one (reporting unit, round), only the latest stays current.

    Files whose round is unknown are never superseded (they may be different rounds).
    A grassroots union's own file (`submitter`) is replaced only by a later file of that
    union: it is no correction of its federation's report, nor the other way round.
    """
    groups: dict[tuple[str, str, str], list[_Submission]] = {}
    for sub in subs:
        if sub.state == FileState.CURRENT and sub.round:
            # A workbook with one sheet per round ("r1;r2") takes part in each of its rounds.
            for code in sub.round.split(";"):
                groups.setdefault((sub.reporting_unit, sub.submitter, code), []).append(sub)
    for (unit, _sender, round_code), members in groups.items():
        if len(members) < 2:
            continue
        # Each kind of content (activities, publicity counts) is superseded by the latest
        # file holding that kind: a file of publicity counts alone does not replace the
        # activity table sent before it. A file stays current while it is the latest
        # for any kind it holds.
        holds = {id(sub): _holds(sub) for sub in members}
        latest_of = {
            kind: max((sub for sub in members if kind in holds[id(sub)]), key=_latest_key)
            for kind in _CONTENT_KINDS
            if any(kind in held for held in holds.values())
        }
        for sub in members:
            mine = [kind for kind in _CONTENT_KINDS if kind in holds[id(sub)]]
            replaced = [kind for kind in mine if latest_of[kind] is not sub]
            if not replaced:
                continue
            if len(replaced) < len(mine):  # the latest for another kind: stays current
                if ";" not in sub.round:
                    _supersede_kinds(sub, replaced, latest_of, unit, round_code, campaign)
                continue
            latest = latest_of[mine[0]]
            if ";" in sub.round:  # superseded round by round; the file stays current
                sub.superseded_rounds[round_code] = latest.file
                text = message(
                    IssueCode.SUPERSEDED, unit=unit, round=campaign.rounds_by_code[round_code].name,
                    file=sub.file, by=latest.file, why=message_text("superseded_by_round"),
                )  # fmt: skip
                sub.file_issues.append(
                    Issue(sub.file, "", None, "", "warning", IssueCode.SUPERSEDED, text)
                )
                if set(sub.superseded_rounds) == set(sub.round.split(";")):
                    sub.state, sub.superseded_by = FileState.SUPERSEDED, latest.file
                    sub.message = text
                continue
            new, old = _latest_key(latest), _latest_key(sub)
            why = (
                message_text("superseded_undated") if new[0] != old[0] and sub.report_date is None
                else message_text("superseded_later_date") if new[0] != old[0]
                else message_text("superseded_version_mark") if new[1] != old[1]
                else message_text("superseded_name_order")
            )  # fmt: skip
            sub.state, sub.superseded_by = FileState.SUPERSEDED, latest.file
            sub.message = message(
                IssueCode.SUPERSEDED, unit=unit, round=campaign.rounds_by_code[round_code].name,
                file=sub.file, by=latest.file, why=why,
            )  # fmt: skip
            sub.file_issues = [
                Issue(sub.file, "", None, "", "warning", IssueCode.SUPERSEDED, sub.message)
            ]


def _supersede_kinds(sub, kinds, latest_of, unit, round_code, campaign) -> None:
    """`sub` stays current, but what it holds of `kinds` is replaced by a later file."""
    for kind in kinds:
        by = latest_of[kind].file
        sub.superseded_kinds[kind] = by
        other = next(k for k in _CONTENT_KINDS if k != kind)
        text = message_text(
            "superseded_part", unit=unit, round=campaign.rounds_by_code[round_code].name,
            file=sub.file, by=by, what=message_text(f"content_{kind}"),
            other=message_text(f"content_{other}"),
        )  # fmt: skip
        sub.file_issues.append(Issue(sub.file, "", None, "", "warning", IssueCode.SUPERSEDED, text))


def _finalise_rows(sub: _Submission) -> None:
    """Rows of a file that does not count take the file's state; its row issues are dropped."""
    if sub.state == FileState.DUPLICATE_FILE:
        state, reason = RowState.DUPLICATE, f"duplicate_file:{sub.duplicate_of}"
    elif sub.state == FileState.SUPERSEDED and not sub.superseded_rounds:
        state, reason = RowState.SUPERSEDED, f"superseded:{sub.superseded_by}"
    elif sub.superseded_rounds:  # a file of several rounds: only those rounds' rows
        _finalise_rounds(sub)
        return
    elif "activities" in sub.superseded_kinds:  # its publicity counts still count
        state, reason = RowState.SUPERSEDED, f"superseded:{sub.superseded_kinds['activities']}"
    else:
        return
    if sub.columns is not None:  # new lists: the cached interpretation may share these
        n = len(sub.columns["state"])
        sub.columns = {**sub.columns, "state": [state] * n, "reason": [reason] * n}
    if sub.state == FileState.CURRENT and sub.publicity:
        # Only the activities were replaced: the warnings about its counts still stand.
        sub.row_issues = count_issues(sub, keep=True)
    else:
        sub.row_issues = []


def count_issues(sub: _Submission, keep: bool) -> list[Issue]:
    """`sub`'s row issues about its publicity counts (keep) or all but those (not keep).

    About the counts: on a row of counts that is no activity row, or a count's own problem
    (publicity_…) on an activity row with output columns (微信（条） beside 参加人数).
    """
    counts = {(r["sheet"], r["row"]) for r in sub.publicity}
    places: set = set()
    if sub.columns and "row" in sub.columns:
        sheets, rows = (
            (v.to_pylist() if hasattr(v, "to_pylist") else list(v))
            for v in (sub.columns["sheet"], sub.columns["row"])
        )
        places = set(zip(sheets, rows, strict=True))

    def about(issue: Issue) -> bool:
        place = (issue.sheet, issue.row)
        return place in counts and (place not in places or issue.code.startswith("publicity_"))

    return [i for i in sub.row_issues if about(i) == keep]


def _finalise_rounds(sub: _Submission) -> None:
    """Rows of the rounds in which a several-round file was superseded take that state."""
    columns = sub.row_columns(ROWS_COLUMNS)
    values = {c: (v.to_pylist() if hasattr(v, "to_pylist") else list(v))
              for c, v in columns.items() if c in ("state", "reason", "round", "row", "sheet")}  # fmt: skip
    states, reasons = values["state"], values["reason"]
    dropped = set()
    for k, code in enumerate(values["round"]):
        newer = sub.superseded_rounds.get(code)
        if newer is not None:
            states[k], reasons[k] = RowState.SUPERSEDED, f"superseded:{newer}"
            dropped.add((values["sheet"][k], values["row"][k]))
    sub.columns = {**columns, "state": states, "reason": reasons}
    sub.row_issues = [i for i in sub.row_issues if (i.sheet, i.row) not in dropped]
