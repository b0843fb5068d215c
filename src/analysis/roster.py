"""The roster (单位名册): every grassroots union, its reporting unit, kind and members.

It is the denominator of every coverage figure, so a roster that cannot be read
stops the run (`RosterError`, a Chinese sentence); a roster row that cannot be
used is an `Issue` and the rest is used.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.filenames import shown_name
from analysis.messages import message_text
from analysis.model import FileRejected, Issue, IssueCode, Kind, RosterError  # noqa: F401 - RosterError is re-exported
from analysis.tables import blank

# Roster columns as offices write them. A header cell is compared without what it says
# in brackets (会员人数（人）, 类别（乡镇/街道/系统）), spaces or a trailing colon.
# fmt: off
ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": (
        "基层工会名称", "工会名称", "单位名称", "基层工会", "名称",
        "基层工会全称", "工会全称", "单位全称", "基层单位名称", "基层工会组织名称",
    ),
    "parent": (
        "上级工会", "所属工会", "上级单位", "所属单位", "报送单位", "上级",
        "所属总工会", "上级总工会", "上级工会名称", "所属上级工会", "隶属", "隶属工会",
        "隶属单位", "主管工会", "所属乡镇街道", "所属乡镇街道系统",
        "归口", "归口单位", "归口工会", "归口管理单位", "主管单位", "主管部门", "所属上级",
        "上级单位名称", "所属单位名称", "主管单位名称", "所属工会名称", "归口单位名称",
    ),
    "kind": (
        "类别", "类型", "单位类别", "上级类别", "所属类别",
        "上级工会类别", "上级类型", "所属类型",
    ),
    "members": (
        "会员人数", "会员数", "会员",
        "会员总数", "工会会员人数", "工会会员数", "会员数量", "会员人数合计", "工会会员",
        "会员总人数",
    ),
    "employees": (
        "职工人数", "职工数", "职工",
        "职工总数", "在职职工", "在职职工人数", "在职职工数", "在岗职工", "在岗职工人数",
    ),
    "code": ("统一社会信用代码", "单位代码", "组织机构代码", "编码", "代码"),
    "remarks": ("备注", "说明", "状态", "单位状态", "变动情况"),
}
# fmt: on

# A 备注 saying the union is gone (撤销, 注销, 已合并至…): not in the denominator. 拟撤销,
# 未注销 and the like say it is still there, and so does “甲工会并入本会” (the merger's
# survivor): a merger counts only as the remark's first words or after 已/被.
_DISBANDED = re.compile(r"撤销|注销|解散|撤并|吊销|破产|关停|(?:^|已|被)\s*(?:合并[到至入于]|并入)")
_STILL_THERE = re.compile(r"[未拟待不没]\s*(?:撤销|注销|解散|撤并|吊销|破产|关停|合并|并入)")


def _disbanded(remark: object) -> bool:
    """Whether a 备注 cell says the union no longer exists."""
    text = "" if blank(remark) else str(remark)
    return bool(_DISBANDED.search(text)) and not _STILL_THERE.search(text)


REQUIRED = ("unit", "parent", "kind", "members")
# The columns a roster cannot do without. 类别 can: a section heading (一、乡镇总工会), the
# sheet's name or the parent's name says it (`roster_from_grids`, `_kinds_from_parents`).
ESSENTIAL = ("unit", "parent", "members")
FIELD_LABELS: dict[str, str] = {f: names[0] for f, names in ROSTER_COLUMNS.items()}
HEADER_SEARCH_ROWS = 30

# How the 类别 column names the kinds (exact match after normalisation first,
# then a substring rule in this order).
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("燕山", Kind.YANSHAN),
    ("开发区", Kind.ZONE),
    # 区直机关/区直属机关: the district's own organs, the 委、局 of the notice (a system),
    # not a union directly affiliated to the district (直属); 区直属 of anything else
    # (区直属基层工会, 区直属工会) is one.
    ("区直属机关", Kind.SYSTEM),
    ("区直属", Kind.DIRECT),
    ("区直", Kind.SYSTEM),
    ("直属", Kind.DIRECT),
    ("街道", Kind.STREET),
    ("乡镇", Kind.TOWN),
    ("镇", Kind.TOWN),
    ("乡", Kind.TOWN),
    ("系统", Kind.SYSTEM),
    ("委", Kind.SYSTEM),
    ("局", Kind.SYSTEM),
    ("公司", Kind.SYSTEM),
    ("行业", Kind.SYSTEM),
    ("产业", Kind.SYSTEM),
)
# 类别 words that say what the union itself is (an organ, an enterprise, an institution)
# or a place of any kind (地区), not its parent's kind (nor do 乡镇街道, 街乡): the parent decides
# (`_kinds_from_parents`). Matched after normalisation, the whole cell.
KIND_FROM_PARENT: tuple[str, ...] = (
    "机关", "企业", "非公企业", "非公有制企业", "国有企业", "国企", "民营企业", "私营企业",
    "集体企业", "外资企业", "公有制企业", "事业单位", "事业", "社会组织", "社团", "学校",
    "医院", "村", "社区", "地区", "地区办事处", "基层工会", "基层单位", "单位", "其他",
)  # fmt: skip

# Between a repeated name and its parent in `Roster.union_key` (never in a name).
UNION_KEY_SEP = "\x1f"

ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")


@dataclass
class Roster:
    """The roster as tidy tables.

    units: one row per grassroots union: unit, reporting_unit, kind, members,
        employees (nullable), code, row (1-based row in the roster file).
    reporting_units: one row per reporting unit: reporting_unit, kind,
        units_total, members_total, in report order (kind, then name).
    """

    units: pd.DataFrame
    reporting_units: pd.DataFrame
    source: str = ""
    issues: list[Issue] = field(default_factory=list)

    @property
    def parent_of(self) -> dict[str, str]:
        """Grassroots union -> its reporting unit (a new dict on each call), for the names
        the roster lists once: a name under several parents (`repeated`) names no one
        union, so it is not a key here; its unions are told apart by their parents.

        Read with `tolist` (one pass in C), not by iterating the Arrow-backed columns
        value by value: ~20 ms for a roster of 12,000 unions, called three times a run.
        """
        units = self.units
        pairs = zip(units["unit"].tolist(), units["reporting_unit"].tolist(), strict=True)
        repeated = self.repeated
        if not repeated:
            return dict(pairs)
        return {unit: parent for unit, parent in pairs if unit not in repeated}

    @functools.cached_property
    def repeated(self) -> dict[str, tuple[str, ...]]:
        """Name -> its parents, for each name the roster lists under two or more parents
        (中心小学工会 under 长阳镇总工会 and under 琉璃河镇总工会: two unions); usually empty.

        A union is (parent, name): where names repeat, every table that keys a union
        keys it so (`union_key`); where none does, the name alone is the key."""
        names = self.units["unit"]
        twice = names.duplicated(keep=False).to_numpy(dtype=bool)
        if not twice.any():
            return {}
        found: dict[str, list[str]] = {}
        for name, parent in zip(
            names[twice].astype(str).tolist(),
            self.units["reporting_unit"][twice].astype(str).tolist(),
            strict=True,
        ):
            found.setdefault(name, []).append(parent)
        return {name: tuple(parents) for name, parents in found.items()}

    def union_key(self, name: str, parent: str) -> str:
        """The key of the union `name` under `parent`: the name itself, unless the roster
        lists that name under several parents."""
        return f"{name}{UNION_KEY_SEP}{parent}" if name in self.repeated else name

    def union_keys(self) -> list[str]:
        """`union_key` of every union, in roster order."""
        units = self.units
        names = units["unit"].astype(str).tolist()
        if not self.repeated:
            return names
        parents = units["reporting_unit"].astype(str).tolist()
        return list(map(self.union_key, names, parents))

    def union_label(self, name: str, parent: str) -> str:
        """The union as a list mixing parents shows it: 中心小学工会（长阳镇总工会） for a
        name the roster repeats, else the name as it is."""
        return labelled(name, parent) if name in self.repeated else name

    @property
    def kind_of(self) -> dict[str, str]:
        """Reporting unit -> its kind code (a new dict on each call)."""
        frame = self.reporting_units
        return dict(zip(frame["reporting_unit"].tolist(), frame["kind"].tolist(), strict=True))


def labelled(name: str, parent: str) -> str:
    """A union with its parent: 中心小学工会（长阳镇总工会）."""
    return f"{name}（{parent}）"


def _norm_header(text: object) -> str:
    return _HEADER_DROP.sub("", str(text or ""))


_HEADER_DROP = re.compile(r"[\s\u3000（）()\[\]【】*:：]")
_SPACE_RUN = re.compile(r"\s+")
# A space beside a Chinese character or bracket in a name (北京新 晟商贸有限公司工会): a slip
# of the keyboard, never part of the name; spaces between Latin words stay.
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u9fff\uff00-\uffef])")


def _name_text(value: object) -> str:
    """A name cell as the roster keeps it: spaces collapsed, none beside Chinese text."""
    text = _SPACE_RUN.sub(" ", str(value or "")).strip()
    return _CJK_SPACE.sub("", text) if " " in text else text


def kind_code(text: object) -> str | None:
    """The kind code for a 类别 cell ('乡镇' -> 'town'), or None when unrecognised."""
    value = _norm_header(text)
    if not value:
        return None
    if value in config.KINDS:
        return value
    for name, code in [(v, k) for k, v in config.KIND_NAMES.items()] + [
        (v, k) for k, v in config.KIND_LONG_NAMES.items()
    ]:
        if value == _norm_header(name):
            return code
    for word, code in KIND_WORDS:
        if word in value:
            if code in (Kind.TOWN, Kind.STREET) and _both_towns_and_streets(value):
                return None  # 乡镇街道, 街乡, 街镇: every town and street, not one kind
            return code
    return None


def _both_towns_and_streets(value: str) -> bool:
    """A 类别 naming towns and streets alike (乡镇街道, 街乡, 镇街, 乡镇、街道总工会): nothing
    but those words; 新镇街道 (a street whose place name holds 镇) is one street."""
    words = _TOWN_STREET_WORDS.fullmatch(value)
    return words is not None and "街" in value and re.search(r"[乡镇]", value) is not None


_TOWN_STREET_WORDS = re.compile(r"(?:所属)?[乡镇街道办、/,，和及与或]+(?:总工会|工会|类|地区)?")


def _kind_from_parent_word(text: object) -> bool:
    """Whether a 类别 cell says what the union is (机关, 企业, 事业单位…) or names towns
    and streets alike (乡镇街道): not one kind, the parent decides."""
    value = _norm_header(text)
    return value in {_norm_header(w) for w in KIND_FROM_PARENT} or (
        bool(value) and _both_towns_and_streets(value)
    )


def _header_cell(text: object) -> str:
    """A header cell as `ROSTER_COLUMNS` spells it: 会员人数（人） -> 会员人数."""
    value = re.sub(r"[（(][^（()）]*[）)]", "", str(text or ""))
    return _norm_header(value) or _norm_header(text)


def _match_columns(header: list[object]) -> dict[str, int]:
    cells = [_header_cell(c) for c in header]
    found: dict[str, int] = {}
    for fld, synonyms in ROSTER_COLUMNS.items():
        for syn in synonyms:  # exact matches first, in synonym order
            if syn in cells and cells.index(syn) not in found.values():
                found[fld] = cells.index(syn)
                break
    return found


def _read_sheets(path: Path) -> tuple[list, list, list[Issue]]:
    """The visible sheets of a roster file that hold anything (`model.Sheet`, merged
    ranges included), in workbook order, the first sheet when none is visible; the
    hidden sheets that hold anything (not read: named in a warning); and the readers'
    warnings about the file (hidden rows, which are read, formulas without values…).

    Read through `readers.read_workbook`, so the roster gets the same protection as
    submissions (format from bytes, size and extent limits, CSV encodings).
    """
    from analysis.campaign import Limits
    from analysis.readers import read_workbook

    try:
        workbook = read_workbook(path, Limits(), display_name=shown_name(path.name))
    except FileRejected as exc:
        raise RosterError(_unreadable(exc)) from None
    sheets = [s for s in workbook.sheets if not s.hidden and s.rows] or workbook.sheets[:1]
    if not sheets:
        raise RosterError(message_text("roster_no_sheet", file=shown_name(path.name)))
    hidden = [s for s in workbook.sheets if s.hidden and s.rows and s not in sheets]
    return sheets, hidden, workbook.issues


def _hidden_unions(sheet) -> int:
    """How many rows with a union's name a hidden sheet holds below a roster header
    (0 when it has no roster header: a list of 类别 for a drop-down, say)."""
    header_index, columns, _best = _header(sheet.rows)
    if header_index is None:
        return 0
    j = columns["unit"]
    return sum(1 for row in sheet.rows[header_index + 1 :] if j < len(row) and not blank(row[j]))


def _header(grid: list[list[object]]) -> tuple[int | None, dict[str, int], tuple | None]:
    """(header row, columns, best partial header) of a roster sheet."""
    best: tuple[int, dict[str, int]] | None = None  # the row most like a header
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = _match_columns(row)
        if all(f in columns for f in REQUIRED):
            return i, columns, best
        essential = all(f in columns for f in ESSENTIAL)
        if any(f in columns for f in REQUIRED) and i + 1 < len(grid):
            # A header on two rows (会员情况 merged over 会员人数 | 职工人数): the second
            # row's headings where it has any, the first row's (merged down) elsewhere.
            below = grid[i + 1]
            joined = [
                below[j]
                if j < len(below) and not blank(below[j])
                else row[j]
                if j < len(row)
                else None
                for j in range(max(len(row), len(below)))
            ]
            two = _match_columns(joined)
            alone = _match_columns(below)  # a header by itself: met on the next turn
            found = sum(f in two for f in REQUIRED)
            if found > sum(f in columns for f in REQUIRED) and (
                best is None or found > sum(f in best[1] for f in REQUIRED)
            ):
                best = (i + 1, two)  # 基层工会 | 人数（会员数 | 职工数 below): a sheet per town
            if all(f in two for f in REQUIRED) and not all(f in alone for f in REQUIRED):
                return i + 1, two, best
            if (
                not essential
                and all(f in two for f in ESSENTIAL)
                and not all(f in alone for f in ESSENTIAL)
            ):
                return i + 1, two, best
        if essential:  # no 类别 column: each union's kind is found otherwise
            return i, columns, best
        found = sum(f in columns for f in REQUIRED)
        if found and (best is None or found > sum(f in best[1] for f in REQUIRED)):
            best = (i, columns)
    return None, {}, best


def _filled_down(sheet, columns: dict[str, int], header_index: int) -> list[list[object]]:
    """The grid with each merged range of the 上级工会 and 类别 columns below the header
    written into every row it covers (a town's name merged over its unions' rows)."""
    targets = {columns[f] for f in ("parent", "kind") if f in columns}
    ranges = [
        (r0, r1, [j for j in targets if c0 <= j <= c1])
        for r0, c0, r1, c1 in sheet.merged
        if r1 > r0 and r0 > header_index and any(c0 <= j <= c1 for j in targets)
    ]
    if not ranges:
        return sheet.rows
    grid = [list(row) for row in sheet.rows]
    for r0, r1, cols in ranges:
        for j in cols:
            value = grid[r0][j] if j < len(grid[r0]) else None
            for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
                grid[r] += [None] * (j + 1 - len(grid[r]))
                if grid[r][j] is None:
                    grid[r][j] = value
    return grid


# What to do about a roster file refused by the readers, by their code (else
# roster_todo_save): the readers' own advice is for units, "send it in again".
ROSTER_TODO = {
    "password_protected": "roster_todo_password",
    "not_a_spreadsheet": "roster_todo_format",
    "too_large": "roster_todo_trim",
    "too_large_unpacked": "roster_todo_trim",
    "too_large_rows": "roster_todo_trim",
    "too_large_cells": "roster_todo_trim",
    "too_large_declared": "roster_todo_trim",
    "too_many_sheets": "roster_todo_trim",
}


def _unreadable(exc: FileRejected) -> str:
    """A refused roster file: what the readers found (their sentence up to its advice,
    which follows "；请"), and what the analyst can do about it."""
    found = exc.message.split("；请", 1)[0]
    todo = message_text(ROSTER_TODO.get(exc.code, "roster_todo_save"))
    return message_text("roster_unreadable", reason=found, todo=todo)


def _not_found(roster_path: Path) -> str:
    """Why there is no roster at `roster_path`: a file named that is not there, no raw
    folder (or a file in its place), or a raw folder without its roster folder."""
    if roster_path.suffix.lower() in ROSTER_SUFFIXES:
        return message_text("roster_file_missing", path=roster_path)
    raw = roster_path.parent
    if raw.is_file():
        return message_text("raw_dir_is_file", folder=raw)
    if not raw.exists():
        return message_text("raw_dir_missing", folder=raw)
    return message_text("roster_not_found", folder=roster_path)


def find_roster_file(roster_path: Path) -> Path:
    """The roster workbook: `roster_path` itself, or the single/newest file in that folder."""
    if roster_path.is_file():
        return roster_path
    if not roster_path.is_dir():
        raise RosterError(_not_found(roster_path))
    files, others = _folder_files(roster_path)
    if not files and others:
        raise RosterError(
            message_text(
                "roster_folder_no_spreadsheet",
                folder=roster_path,
                names=_names(others),
                hint=_archive_hint(others),
            )
        )
    if not files:
        raise RosterError(message_text("roster_folder_empty", folder=roster_path))
    return max(files, key=lambda p: (p.stat().st_mtime, p.name))


SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini"})


def _folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The roster folder's files, by name: those a roster can be read from, and the others.

    Hidden files, Office's lock files (~$名册.xlsx) and the files Windows puts in any
    folder it shows (Thumbs.db, desktop.ini) are neither.
    """
    files, others = [], []
    for p in sorted(folder.iterdir()):
        if p.name.startswith(("~$", ".")) or p.name.lower() in SYSTEM_FILES or not p.is_file():
            continue
        (files if p.suffix.lower() in ROSTER_SUFFIXES else others).append(p)
    return files, others


NAMED_AT_MOST = 5  # file names a message lists before "等N个文件"


def _names(paths: list[Path]) -> str:
    named = "、".join(f"“{shown_name(p.name)}”" for p in paths[:NAMED_AT_MOST])
    if len(paths) <= NAMED_AT_MOST:
        return named
    return message_text("files_and_more", names=named, count=len(paths))


def _archive_hint(paths: list[Path]) -> str:
    archive = any(p.suffix.lower() in (".zip", ".rar", ".7z") for p in paths)
    return message_text("roster_archive_hint") if archive else ""


def _to_int(value: object) -> int | None:
    """A whole, non-negative number as written: 45, "45人", "1,200", "60.0", "四十五"."""
    from analysis.clean import chinese_number

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() and value >= 0 else None
    text = re.sub(r"[\s,，人名]", "", str(value)).translate(
        str.maketrans("０１２３４５６７８９", "0123456789")
    )
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return int(float(text))
    number = chinese_number(text)
    return int(number) if number is not None and number >= 0 else None


def _approximate(value: object) -> int | None:
    """The figure of a member count written as an estimate (约300, 300余人, 300人左右),
    else None."""
    from analysis.clean import _APPROX_PREFIX, _APPROX_SUFFIX

    if not isinstance(value, str):
        return None
    text = re.sub(r"[\s人名]+$", "", value.strip())
    bare = _APPROX_SUFFIX.sub("", _APPROX_PREFIX.sub("", text)).strip()
    if bare == text:
        return None
    return _to_int(bare)


def _shown(value: object) -> str:
    """A cell as a message quotes it (or a code is kept): blank for an empty one, never
    “None”; a whole number a spreadsheet stored as a float as typed (12345, not 12345.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _kinds_from_parents(
    records: list[dict], pending: list[tuple[int, str, str]], sheets: list[str], source: str
) -> list[Issue]:
    """The kind of each union whose 类别 says what it is (机关, 企业…), not its parent's
    kind: the kind the roster gives the same parent on its other rows (the most common,
    one clear winner), else the kind the parent's name says (长阳镇总工会 → 乡镇, 区教委工会
    → 系统; never 直属). Each is warned, naming the row and the kind used; a union whose
    kind neither decides is an error and left out (its record's kind stays None)."""
    from collections import Counter

    from analysis.namekeys import reporting_key

    waiting = {k for k, _, _ in pending}
    known: dict[str, Counter] = {}
    for k, r in enumerate(records):
        if k not in waiting and r["kind"] != Kind.DIRECT:
            known.setdefault(reporting_key(r["reporting_unit"]), Counter())[r["kind"]] += 1
    issues = []
    unwritten: dict[tuple[str, str, str, str], list[int]] = {}  # blank 类别, told per parent
    for k, at, written in pending:
        record = records[k]
        parent = record["reporting_unit"]
        counts = known.get(reporting_key(parent), Counter()).most_common(2)
        if counts and (len(counts) == 1 or counts[0][1] > counts[1][1]):
            kind, key = counts[0][0], "roster_kind_from_parent"
        else:
            kind, key = kind_code(parent), "roster_kind_from_parent_name"
        if kind is None or kind == Kind.DIRECT:
            record["kind"] = None
            issues.append(
                Issue(source, sheets[k], record["row"], "类别", "error",
                      IssueCode.ROSTER_KIND_UNKNOWN,
                      message_text("roster_kind_undecided" if written else
                                   "roster_kind_blank_undecided", at=at, row=record["row"],
                                   unit=record["unit"], value=written, parent=parent))
            )  # fmt: skip
            continue
        record["kind"] = kind
        if not written:  # no 类别 at all (no such column): one warning per parent
            unwritten.setdefault((sheets[k], at, parent, key), []).append(k)
            continue
        issues.append(
            Issue(source, sheets[k], record["row"], "类别", "warning",
                  IssueCode.ROSTER_KIND_FROM_PARENT,
                  message_text(key, at=at, row=record["row"], unit=record["unit"],
                               value=written, parent=parent, kind=config.KIND_NAMES[kind]))
        )  # fmt: skip
    for (sheet, at, parent, key), ks in unwritten.items():
        rows = [records[k]["row"] for k in ks]
        span = _row_span(rows)
        issues.append(
            Issue(source, sheet, rows[0], "类别", "warning", IssueCode.ROSTER_KIND_FROM_PARENT,
                  message_text(key.replace("roster_kind_", "roster_kind_blank_"), at=at,
                               rows=span, count=len(rows), parent=parent,
                               kind=config.KIND_NAMES[records[ks[0]]["kind"]]))
        )  # fmt: skip
    return issues


def _one_spelling_per_parent(records: list[dict], sheets: list[str], source: str) -> list[Issue]:
    """Write each reporting unit one way: 长阳镇总工会, 房山区长阳镇总工会 and 长阳镇工会 in
    上级工会 are one federation (same `namekeys.reporting_key`), under its most common
    spelling (the first of equals); each other spelling is warned once."""
    from collections import Counter

    from analysis.namekeys import reporting_key

    keys = [
        reporting_key(r["reporting_unit"]) if r["kind"] != Kind.DIRECT else None for r in records
    ]
    spellings: dict[str, Counter] = {}
    for key, record in zip(keys, records, strict=True):
        if key is not None:
            spellings.setdefault(key, Counter())[record["reporting_unit"]] += 1
    issues, warned = [], set()
    for k, (key, record) in enumerate(zip(keys, records, strict=True)):
        counts = spellings.get(key) if key is not None else None
        if not counts or len(counts) < 2:
            continue
        used = counts.most_common(1)[0][0]
        written = record["reporting_unit"]
        if written != used:
            record["reporting_unit"] = used
            if written not in warned:
                warned.add(written)
                sheet = sheets[k]
                at = _where(source, sheet)
                issues.append(
                    Issue(source, sheet, record["row"], "上级工会", "warning",
                          IssueCode.ROSTER_PARENT_SPELLING,
                          message_text("roster_parent_spelling", at=at, row=record["row"],
                                       written=written, used=used))
                )  # fmt: skip
    return issues


def _where(source: str, sheet: str) -> str:
    """Where a roster row sits, as messages say it: the file, and the sheet if named."""
    return message_text("roster_where_sheet" if sheet else "roster_where", file=source, sheet=sheet)


def _one_row_per_union(records: list[dict], sheets: list[str], source: str) -> list[Issue]:
    """Keep one row of a union the roster lists twice under one parent in other spellings.

    长阳镇第一小学工会, 长阳镇第一小学工会委员会 and 北京市房山区长阳镇第一小学工会 under
    长阳镇总工会 are one union (same `namekeys.loose_key`, same reporting unit after
    `_one_spelling_per_parent`): counted once, at its first row, each later row an
    error. `records` and `sheets` are pruned in place. The same key under another
    parent is another union (two towns each have a 中心小学工会).
    """
    from analysis.namekeys import loose_key

    first: dict[tuple[str, str], dict] = {}
    issues, kept, kept_sheets = [], [], []
    for record, sheet in zip(records, sheets, strict=True):
        parent = "" if record["kind"] == Kind.DIRECT else record["reporting_unit"]
        key = (parent, loose_key(record["unit"]))
        if key not in first:
            first[key] = record
            kept.append(record)
            kept_sheets.append(sheet)
            continue
        at = _where(source, sheet)
        issues.append(
            Issue(source, sheet, record["row"], "基层工会名称", "error",
                  IssueCode.ROSTER_DUPLICATE_NAME,
                  message_text("roster_duplicate_spelling", at=at, row=record["row"],
                               unit=record["unit"], first=first[key]["row"],
                               first_unit=first[key]["unit"]))
        )  # fmt: skip
    records[:] = kept
    sheets[:] = kept_sheets
    return issues


def _rows_naming_their_parent(records: list[dict], sheets: list[str], source: str) -> list[Issue]:
    """Leave out a row whose union is its own parent federation (not 直属).

    长阳镇总工会 under 长阳镇总工会, or a town's heading 琉璃河镇 carrying its total, among
    the federation's unions: the federation itself, whose members would count twice and
    which no activity can cover (its own count as 本级). Each is an error; `records` and
    `sheets` are pruned in place. When it is the federation's only row, it is kept (or the
    federation would no longer be expected to report), with a warning.
    """
    from analysis.namekeys import reporting_key

    selves = [
        r["kind"] != Kind.DIRECT and reporting_key(r["unit"]) == reporting_key(r["reporting_unit"])
        for r in records
    ]
    others = {r["reporting_unit"] for r, own in zip(records, selves, strict=True) if not own}
    issues, kept, kept_sheets = [], [], []
    for record, sheet, own in zip(records, sheets, selves, strict=True):
        parent = record["reporting_unit"]
        if own:
            at = _where(source, sheet)
            key = "roster_unit_is_parent" if parent in others else "roster_unit_is_parent_kept"
            issues.append(
                Issue(source, sheet, record["row"], "基层工会名称",
                      "error" if parent in others else "warning", IssueCode.ROSTER_UNIT_IS_PARENT,
                      message_text(key, at=at, row=record["row"], unit=record["unit"],
                                   parent=parent, members=record["members"]))
            )  # fmt: skip
            if parent in others:
                continue
        kept.append(record)
        kept_sheets.append(sheet)
    records[:] = kept
    sheets[:] = kept_sheets
    return issues


# What a 直属 union's 上级工会 may say without contradicting its 类别.
_DIRECT_PARENT_WORDS = ("直属", "区直属", "无", "/", "-", "—")
# How a 上级工会 cell names the district federation itself.
DISTRICT_NAMES = (config.DISTRICT_FEDERATION, "区总工会", "北京市房山区总工会")


def _names_district(parent: str) -> bool:
    """Whether a 上级工会 cell names the district federation (or nothing above it)."""
    return parent in DISTRICT_NAMES or parent in _DIRECT_PARENT_WORDS or "区总工会" in parent


def _columns_from_sheet_name(sheet, best: tuple[int, dict[str, int]] | None):
    """A sheet of one town or one kind that leaves out 上级工会 and/or 类别 because its name
    says them (工作表“长阳镇”, “系统”, “直属”): (grid with the missing columns added,
    header row, columns, the warning's fields), or None when the name cannot say them.

    The kind is `kind_code` of the name; the parent is the name itself, 总工会 added for a
    town or street written without 工会 (长阳镇 -> 长阳镇总工会), never a bare kind word
    (乡镇, 系统); a 直属 union needs none.
    """
    if best is None or not {"unit", "members"} <= best[1].keys():
        return None
    index, columns = best
    code = kind_code(sheet.name)
    name = _norm_header(sheet.name)
    if code is None or _other_kinds(name, code):
        return None  # no kind, or several (乡镇、系统, a sheet of every kind)
    added: dict[str, object] = {}
    if "kind" not in columns:
        added["kind"] = config.KIND_NAMES[code]
    if "parent" not in columns and code != Kind.DIRECT:
        bare = {
            _norm_header(v) for v in (*config.KIND_NAMES.values(), *config.KIND_LONG_NAMES.values())
        }
        if code == Kind.YANSHAN:  # one federation of its kind: 燕山, 燕山地区 name it
            added["parent"] = config.KIND_LONG_NAMES[code]
        elif (
            name in bare or name in {w for w, _ in KIND_WORDS} or name.removesuffix("工会") in bare
        ):
            return None
        else:
            suffix = "总工会" if code in (Kind.TOWN, Kind.STREET) else "工会"
            added["parent"] = name if name.endswith("工会") else name + suffix
    grid = _filled_down(sheet, columns, index)
    width = max(len(row) for row in grid)
    columns = dict(columns)
    for k, fld in enumerate(added):
        columns[fld] = width + k
    grid = [
        [*row, *[None] * (width - len(row)), *(FIELD_LABELS[f] if i == index else v for f, v in added.items())]
        if i >= index else row
        for i, row in enumerate(grid)
    ]  # fmt: skip
    j = columns["unit"]
    count = sum(1 for row in grid[index + 1 :] if j < len(row) and not blank(row[j]))
    missing = "".join(f"“{FIELD_LABELS[f]}”" for f in ("parent", "kind") if f not in best[1])
    kind_name = config.KIND_NAMES[code]
    if "parent" in added and "kind" in added:
        what = message_text("roster_from_sheet_parent_kind", parent=added["parent"], kind=kind_name)
    elif "parent" in added:
        what = message_text("roster_from_sheet_parent", parent=added["parent"])
    else:
        what = message_text("roster_from_sheet_kind", kind=kind_name)
    return grid, index, columns, {"missing": missing, "count": count, "what": what}


def _other_kinds(name: str, code: str) -> bool:
    """Whether a sheet's name says a kind besides `code` after the words that say `code`
    (乡镇、系统); the place name before them does not count (新镇街道, 良乡经济开发区)."""
    for word, c in KIND_WORDS:
        if c == code and word in name:
            rest = name[name.index(word) + len(word) :]
            return any(c2 != code and w in rest for w, c2 in KIND_WORDS)
    return True


def _row_span(rows: list[int]) -> str:
    """Rows as a message names them: 12, or 12–18 for several."""
    return f"{rows[0]}–{rows[-1]}" if len(rows) > 1 else str(rows[0])


def _struck_rows(sheet) -> frozenset[int]:
    """The rows (0-based) whose every filled cell is struck through; usually none."""
    if not sheet.struck:
        return frozenset()
    from analysis.tables import _struck_row

    rows = {r for r, _c in sheet.struck}
    return frozenset(
        r for r in rows if r < len(sheet.rows) and _struck_row(sheet.rows[r], r, sheet.struck)
    )


def load_roster(roster_path: Path) -> Roster:
    """Read the roster from a file or a folder holding one (newest wins).

    Every visible sheet with a roster header is read (one sheet per kind, a cover
    sheet of instructions before the list); a visible sheet with data but no
    header is named in a warning.
    """
    path = find_roster_file(Path(roster_path))
    sheets, hidden, read_issues = _read_sheets(path)
    found, skipped, first_best, named = [], [], None, []
    for sheet in sheets:
        header_index, columns, best = _header(sheet.rows)
        if header_index is not None and "kind" not in columns:
            best = (header_index, columns)  # no 类别: the sheet's name may say it (“系统”)
        if ("kind" not in columns or "parent" not in columns) and (
            by_name := _columns_from_sheet_name(sheet, best)
        ):
            grid, header_index, columns, message = by_name
            found.append((sheet, header_index, columns, grid))
            named.append(Issue(shown_name(path.name), sheet.name, None, "", "warning",
                               IssueCode.ROSTER_COLUMNS_FROM_SHEET,
                               message_text("roster_columns_from_sheet",
                                            file=shown_name(path.name), sheet=sheet.name,
                                            **message)))  # fmt: skip
            continue
        if header_index is None:
            skipped.append(sheet.name)
            first_best = first_best or (sheet.name, best)
            continue
        found.append((sheet, header_index, columns, None))
    if not found:
        name, best = first_best or (sheets[0].name, None)
        raise RosterError(missing_columns_message(shown_name(path.name), name, best))
    parts = [
        (_filled_down(sheet, columns, header_index) if grid is None else grid, header_index,
         columns, sheet.name, _struck_rows(sheet))
        for sheet, header_index, columns, grid in found
    ]  # fmt: skip
    roster = roster_from_grids(parts, source=shown_name(path.name))
    roster.issues.extend(named)
    roster.issues.extend(read_issues)  # hidden rows (read), formulas without values…
    for name in skipped:
        roster.issues.append(
            Issue(shown_name(path.name), name, None, "", "warning", IssueCode.ROSTER_SHEET_SKIPPED,
                  message_text("roster_sheet_skipped", file=shown_name(path.name), sheet=name))
        )  # fmt: skip
    for sheet in hidden:
        if count := _hidden_unions(sheet):
            roster.issues.append(
                Issue(shown_name(path.name), sheet.name, None, "", "warning",
                      IssueCode.ROSTER_SHEET_HIDDEN,
                      message_text("roster_sheet_hidden", file=shown_name(path.name),
                                   sheet=sheet.name, count=count))
            )  # fmt: skip
    return with_folder_issues(roster, Path(roster_path), path)


def with_folder_issues(roster: Roster, roster_path: Path, used: Path) -> Roster:
    """`roster` with a warning first when its folder held other roster files (a copy).

    Kept apart from reading so that a cached Roster (same file, same bytes) still
    gets the warning when files were added beside it.
    """
    if roster_path.is_file():
        return roster
    files, ignored = _folder_files(roster_path)
    others = [p for p in files if p.name != used.name]
    used_name = shown_name(used.name)
    issues = [
        i for i in roster.issues if i.code not in ("roster_several_files", "roster_file_ignored")
    ]
    if ignored:
        issues.insert(0, Issue(
            used_name, "", None, "", "warning", IssueCode.ROSTER_FILE_IGNORED,
            message_text("roster_file_ignored", names=_names(ignored), used=used_name,
                         hint=_archive_hint(ignored)),
        ))  # fmt: skip
    if others:
        names = "、".join(f"“{shown_name(p.name)}”" for p in others)
        issues.insert(0, Issue(
            used_name, "", None, "", "warning", IssueCode.ROSTER_SEVERAL_FILES,
            message_text("roster_several_files", count=len(others) + 1, used=used_name, others=names),
        ))  # fmt: skip
    return dataclasses.replace(roster, issues=issues)


def missing_columns_message(file: str, sheet: str, best: tuple[int, dict[str, int]] | None) -> str:
    """Why no header was found: the columns missing from the row most like a header.

    `best` is (0-based row index, the fields found in it), or None when no row of
    the first HEADER_SEARCH_ROWS names even one required column.
    """
    where = message_text("roster_where_sheet", file=file, sheet=sheet)
    needed = "、".join(f"“{FIELD_LABELS[f]}”" for f in REQUIRED)
    if best is None or sum(f in best[1] for f in REQUIRED) < 2:
        return message_text("roster_no_header", where=where, rows=HEADER_SEARCH_ROWS, needed=needed)
    index, columns = best
    found = "、".join(f"“{FIELD_LABELS[f]}”" for f in REQUIRED if f in columns)
    missing = [f for f in REQUIRED if f not in columns]
    parts = []
    for f in missing:
        others = "”“".join(ROSTER_COLUMNS[f][1:4])
        parts.append(message_text("roster_column_synonyms", column=FIELD_LABELS[f], others=others))
    return message_text(
        "roster_columns_missing", where=where, row=index + 1, found=found, missing="、".join(parts)
    )


def roster_from_grid(
    grid: list[list[object]],
    header_index: int,
    columns: dict[str, int],
    source: str,
    sheet: str = "",
) -> Roster:
    """Build the roster tables from a grid whose header row and columns are known."""
    return roster_from_grids([(grid, header_index, columns, sheet)], source)


# Rows of a roster that total others rather than name a union (长阳镇小计, 共计): the
# markers of `tables.marker_hit` ("=" a whole-cell word), as in submissions.
ROSTER_TOTAL_MARKERS = ("合计", "总计", "小计", "共计", "总数", "=汇总", "=累计", "=总和")


def _total_row(
    row: list[object], name: str, parent: str, seen: dict[str, bool] | None = None
) -> bool:
    """Whether a roster row totals others: its name, its 上级工会 or one of its first two
    filled cells (a 序号 column) is a total label (合计, “合  计”, 长阳镇小计, 总计：);
    a union whose name merely holds such a word (北京汇总科技有限公司工会) is none.

    `seen`: texts already tested (a roster repeats its parents, and a name is also a
    filled cell), each tested once."""
    from analysis.tables import marker_hit

    seen = {} if seen is None else seen
    first = []
    for v in row:
        if not blank(v):
            first.append(v)
            if len(first) == 2:
                break
    for v in (name, parent, *first):
        if not isinstance(v, str):
            continue  # marker_hit: only a text labels a total
        hit = seen.get(v)
        if hit is None:
            hit = seen[v] = marker_hit(v, ROSTER_TOTAL_MARKERS)
        if hit:
            return True
    return False


# A 上级工会 or 类别 cell saying "as the row above" (同上, 〃, a ditto mark).
DITTO = frozenset({"同上", "同上行", "〃", '"', "\u201d", "々", "仝上", "同前"})
# A section heading in place of a 类别 column: an ordinal (一、 （三） 3、 第二部分) and the
# kind's words, a count in brackets after them (一、乡镇总工会（14个））.
_SECTION = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,2}\s*、|第[一二三四五六七八九十\d]{1,3}\s*(?:部分|类|章|节))\s*[、.．]?\s*(.*?)\s*"
    r"(?:[（(][^（()）]*[)）])?\s*[:：]?\s*$"
)
# How a section heading begins (一、 （三） 3、 第二部分), and the longest a heading of a
# kind's words alone may be (区直机关及系统工会（12个）).
_HEADING_FIRST = frozenset("一二三四五六七八九十（(0123456789第 \u3000")
_BARE_LONGEST = 20
# A note under the list (制表人：张三, 注：…, 填表日期：2019年5月): no union.
_ROSTER_NOTE = re.compile(
    r"^\s*(?:注|说明|备注|填表人|制表人|填报人|审核人|负责人|单位负责人|统计人|经办人|联系人|"
    r"联系电话|电话|填表日期|制表日期|填报日期|统计日期|日期|制表时间|填表时间)\s*\d?\s*[:：]"
)


def _first_text(row: list[object]) -> str:
    """The row's first filled cell, when it is a text (where a heading is written)."""
    for v in row:
        if not blank(v):
            return v.strip() if isinstance(v, str) else ""
    return ""


@functools.lru_cache(maxsize=1024)
def _section_heading(label: str, bare: bool) -> str | None:
    """For a row whose name (or first cell) is `label`: the 类别 text a section heading gives
    the rows below (一、乡镇总工会（14个） -> 乡镇总工会), "" for a numbered heading that names
    no kind (一、基层工会名单), None when `label` is no heading (a union's name). A kind's
    words without a number (乡镇, 直属基层工会) are a heading only when `bare` (a row with
    neither 上级工会 nor 类别)."""
    match = _SECTION.match(label)
    if match is None:
        words = _norm_header(re.sub(r"[（(][^（()）]*[)）]\s*$", "", label))
        return label if bare and words in _BARE_KINDS else None
    words = match.group(1)
    return words if kind_code(words) is not None else ""


# A kind's own words, alone in a row: 乡镇, 街道总工会, 直属基层工会 (a heading).
_BARE_KINDS = frozenset(
    _norm_header(w)
    for w in (
        *config.KIND_NAMES.values(), *config.KIND_LONG_NAMES.values(), "系统工会", "乡镇工会",
        "街道工会", "直属工会", "直属单位", "燕山地区", "经济开发区", "区直机关", "产业工会",
    )
)  # fmt: skip


def _federation(text: str) -> tuple[str, str] | None:
    """(name, kind) when `text` names a town's or street's federation (长阳镇总工会, 新镇街道总
    工会（12个）, 燕山总工会): a row holding it with no 上级工会 heads that federation's
    unions. None otherwise: a grassroots union is no 总工会, and 区教委工会 or 北京某集团总工会
    could be a union."""
    name = re.sub(r"\s*[（(][^（()）]*[)）]\s*$", "", text).strip()
    if not name.endswith("总工会"):
        return None
    code = kind_code(name)
    if code not in (Kind.TOWN, Kind.STREET, Kind.YANSHAN):
        return None
    if code != Kind.YANSHAN and _norm_header(name) in _BARE_KINDS:
        return None  # 乡镇总工会: a kind, not a federation
    return name, config.KIND_NAMES[code]


def _headings_alone(headings: list[tuple], records: list[dict], source: str) -> list[Issue]:
    """A warning for each federation heading (长阳镇总工会 with no 上级工会) that no union of
    the roster falls under: it might be a union whose parent was left out."""
    from analysis.namekeys import reporting_key

    parents = {reporting_key(r["reporting_unit"]) for r in records}
    return [
        Issue(source, sheet, row, "上级工会", "warning", IssueCode.ROSTER_HEADING_ALONE,
              message_text("roster_heading_alone", at=at, row=row, unit=name))
        for sheet, at, row, name, _kind in headings
        if reporting_key(name) not in parents
    ]  # fmt: skip


def _same_kind(kind_cell: object, head_kind: object, kinds_read: dict) -> bool:
    """Whether a row's 类别 names the same kind as its block head's (not 直属, which is
    no block: each direct union is its own)."""
    if blank(kind_cell) or blank(head_kind):
        return False
    codes = []
    for v in (kind_cell, head_kind):
        try:
            codes.append(kinds_read[v.__class__, v])
        except KeyError:
            codes.append(kinds_read.setdefault((v.__class__, v), kind_code(v)))
    return codes[0] is not None and codes[0] == codes[1] and codes[0] != Kind.DIRECT


def roster_from_grids(parts: list[tuple], source: str) -> Roster:
    """The roster tables from one or more sheets: (grid, header row, columns, sheet) each."""
    issues: list[Issue] = []
    records = []
    sheets: list[str] = []  # each record's sheet, for the warnings below
    seen: dict[tuple[str, str], int] = {}  # (parent, name) -> its first row
    totals: dict[str, bool] = {}  # `_total_row`'s texts tested
    kinds_read: dict[tuple[type, object], str | None] = {}  # `kind_code` of 类别 cells
    pending: list[tuple[int, str, str]] = []  # (record, at, 类别 written) the parent decides
    headings: list[tuple] = []  # (sheet, at, row, federation, 类别) of rows heading a block
    for grid, header_index, columns, sheet, *rest in parts:
        at = _where(source, sheet)
        struck = rest[0] if rest else frozenset()  # rows struck through whole (0-based)

        def cell(row: list[object], fld: str, columns=columns) -> object:
            j = columns.get(fld)
            return row[j] if j is not None and j < len(row) else None

        def problem(rownum: int, col: str, code: str, message: str, sheet=sheet) -> None:
            issues.append(Issue(source, sheet, rownum, col, "error", code, message))

        above: tuple[int, str, object] | None = None  # (row, 上级工会, 类别) of a block's head
        filled: dict[tuple, list[int]] = {}  # a block's head -> the rows that took its parent
        filled_parent: dict[tuple, list[int]] = {}  # the same, for rows with their own 类别
        section: str | None = None  # the 类别 a section heading (一、乡镇总工会) gives below
        last: tuple[str, object] = ("", None)  # the previous union's 上级工会 and 类别 (同上)
        for i in range(header_index + 1, len(grid)):
            row, rownum = grid[i], i + 1
            name = _name_text(cell(row, "unit"))
            parent = _name_text(cell(row, "parent"))
            if _total_row(row, name, parent, totals):
                continue
            if i in struck and name:  # struck through whole: the office deleted the union
                issues.append(
                    Issue(source, sheet, rownum, "基层工会名称", "warning",
                          IssueCode.ROSTER_ROW_STRUCK,
                          message_text("roster_row_struck", at=at, row=rownum, unit=name))
                )  # fmt: skip
                continue
            kind_cell = cell(row, "kind")
            if label := name or _first_text(row):
                # 一、乡镇总工会（14个）, （三）系统工会 anywhere; 乡镇 alone without a parent
                bare = not parent and blank(kind_cell)
                heading = (
                    _section_heading(label, bare)
                    if label[0] in _HEADING_FIRST or (bare and len(label) <= _BARE_LONGEST)
                    else None
                )  # (most names start otherwise: tested once, cheaply)
                if heading == "" and _to_int(cell(row, "members")) is not None:
                    heading = None  # numbered, no kind, a member count: a union to tell of
                if heading and (own := _federation(heading)):
                    # 一、长阳镇总工会: heads that federation's block. A kind section goes on
                    # (a town's heading under 一、乡镇) unless it says another kind.
                    if section is not None and kind_code(section) != kind_code(own[1]):
                        section = None
                    above = (rownum, *own)
                    headings.append((sheet, at, *above))
                    continue
                if heading is not None:  # a section heading: no union
                    section, above = heading or None, None
                    continue
                if _ROSTER_NOTE.match(label) and _to_int(cell(row, "members")) is None:
                    continue  # 制表人：张三, 注：…, 填表日期：… under the list
                if name and not parent and (own := _federation(name)):
                    # 长阳镇总工会 heading its unions, 上级工会 left blank below: no union
                    if section is not None and kind_code(section) != kind_code(own[1]):
                        section = None
                    above = (rownum, own[0], own[1] if blank(kind_cell) else kind_cell)
                    headings.append((sheet, at, *above))
                    continue
            if not name and _to_int(cell(row, "members")) is not None:
                # Members without a name: a union whose name was left out (or a total
                # without its word), never dropped in silence: it would change 会员数.
                problem(
                    rownum, "基层工会名称", IssueCode.ROSTER_NAME_BLANK,
                    message_text("roster_name_blank", at=at, row=rownum,
                                 members=_to_int(cell(row, "members")),
                                 parent=_shown(cell(row, "parent"))),
                )  # fmt: skip
                continue
            if not name:
                continue
            # 同上 (〃) in 上级工会 or 类别: what the union above has there.
            if parent in DITTO:
                parent = last[0]
            if isinstance(kind_cell, str) and kind_cell.strip() in DITTO:
                kind_cell = last[1]
            if not parent and blank(kind_cell) and above is not None:
                # 上级工会 and 类别 written once for a block, the cells below left blank
                # (merged cells undone, a CSV export): the block's row above holds them.
                parent, kind_cell = above[1], above[2]
                filled.setdefault(above, []).append(rownum)
            elif not parent and above is not None and _same_kind(kind_cell, above[2], kinds_read):
                # 上级工会 written once for a block, 类别 on every row: the same kind as the
                # block's head says the same block.
                parent = above[1]
                filled_parent.setdefault(above, []).append(rownum)
            elif parent:
                above = (rownum, parent, kind_cell)
            if blank(kind_cell) and section is not None:
                kind_cell = section
            last = (parent, kind_cell)
            if _disbanded(remark := cell(row, "remarks")):
                problem(
                    rownum, "备注", IssueCode.ROSTER_UNIT_DISBANDED,
                    message_text("roster_unit_disbanded", at=at, row=rownum, unit=name,
                                 remark=str(remark).strip()),
                )  # fmt: skip
                continue
            try:  # each distinct 类别 text read once (a roster repeats a few kinds)
                kind = kinds_read[kind_cell.__class__, kind_cell]
            except KeyError:
                kind = kinds_read[kind_cell.__class__, kind_cell] = kind_code(kind_cell)
            if kind is None and blank(kind_cell) and parent and _names_district(parent):
                kind = Kind.DIRECT  # no 类别, the district federation as its parent
            elif kind is None and section is not None and _kind_from_parent_word(kind_cell):
                kind = kind_code(section)  # 企业 under the heading 二、系统工会: a system
            members = _to_int(members_cell := cell(row, "members"))
            if members is None and (members := _approximate(members_cell)) is not None:
                issues.append(
                    Issue(source, sheet, rownum, "会员人数", "warning",
                          IssueCode.ROSTER_MEMBERS_APPROXIMATE,
                          message_text("roster_members_approximate", at=at, row=rownum,
                                       unit=name, value=str(members_cell).strip(),
                                       members=members))
                )  # fmt: skip
            deferred = (
                kind is None
                and parent
                and parent not in DISTRICT_NAMES
                and (blank(kind_cell) or _kind_from_parent_word(kind_cell))
            )
            if kind is None and not deferred:
                problem(
                    rownum,
                    "类别",
                    IssueCode.ROSTER_KIND_UNKNOWN,
                    message_text(
                        "roster_kind_unknown", at=at, row=rownum, unit=name,
                        value=_shown(cell(row, "kind")),
                    ),
                )  # fmt: skip
                continue
            if members is None:
                problem(
                    rownum,
                    "会员人数",
                    IssueCode.ROSTER_MEMBERS_UNREADABLE,
                    message_text(
                        "roster_members_blank"
                        if blank(cell(row, "members"))
                        else "roster_members_unreadable",
                        at=at,
                        row=rownum,
                        unit=name,
                        value=_shown(cell(row, "members")),
                    ),
                )
                continue
            if kind == Kind.DIRECT or not parent or parent in DISTRICT_NAMES:
                if kind != Kind.DIRECT:
                    # 上级工会 blank, or the district federation itself for a union whose
                    # 类别 is not 直属: say which, the remedy differs.
                    key = "roster_parent_missing" if not parent else "roster_parent_is_district"
                    problem(
                        rownum,
                        "上级工会",
                        IssueCode.ROSTER_PARENT_MISSING,
                        message_text(key, at=at, row=rownum, unit=name, parent=parent,
                                     kind=config.KIND_NAMES[kind]),
                    )  # fmt: skip
                    continue
                if parent and parent != name and not _names_district(parent):
                    # 直属 beside a town's or a system's name: 类别 decides, and says so.
                    issues.append(
                        Issue(source, sheet, rownum, "上级工会", "warning",
                              IssueCode.ROSTER_DIRECT_WITH_PARENT,
                              message_text("roster_direct_with_parent", at=at, row=rownum,
                                           unit=name, parent=parent))
                    )  # fmt: skip
                parent = name  # a directly affiliated union is its own reporting unit
            # The same name under another parent is another union (两个镇各有一个中心小学
            # 工会): both stay. Under the same parent it is the same union written twice.
            if (parent, name) in seen:
                problem(
                    rownum,
                    "基层工会名称",
                    IssueCode.ROSTER_DUPLICATE_NAME,
                    message_text(
                        "roster_duplicate_name", at=at, row=rownum, unit=name,
                        first=seen[parent, name],
                    ),
                )  # fmt: skip
                continue
            seen[parent, name] = rownum
            if deferred:  # 机关, 企业…: the parent's kind, decided after every row is read
                pending.append((len(records), at, _shown(kind_cell).strip()))
            records.append(
                {
                    "unit": name,
                    "reporting_unit": parent,
                    "kind": kind,
                    "members": members,
                    "employees": _to_int(cell(row, "employees")),
                    "code": _shown(cell(row, "code")).strip(),
                    "row": rownum,
                }
            )
            sheets.append(sheet)
        for (head, parent, kind_cell), rows in filled.items():
            span = _row_span(rows)
            key = "roster_parent_above" if not blank(kind_cell) else "roster_parent_above_only"
            issues.append(
                Issue(source, sheet, rows[0], "上级工会", "warning", IssueCode.ROSTER_PARENT_ABOVE,
                      message_text(key, at=at, rows=span, count=len(rows),
                                   head=head, parent=parent, kind=_shown(kind_cell).strip()))
            )  # fmt: skip
        for (head, parent, _kind), rows in filled_parent.items():
            span = _row_span(rows)
            issues.append(
                Issue(source, sheet, rows[0], "上级工会", "warning", IssueCode.ROSTER_PARENT_ABOVE,
                      message_text("roster_parent_above_only", at=at, rows=span, count=len(rows),
                                   head=head, parent=parent))
            )  # fmt: skip
    issues += _headings_alone(headings, records, source)
    if pending:
        issues += _kinds_from_parents(records, pending, sheets, source)
        kept = [k for k, r in enumerate(records) if r["kind"] is not None]
        records, sheets = [records[k] for k in kept], [sheets[k] for k in kept]
    grid, header_index, _columns, sheet, *_ = parts[0]
    at = _where(source, sheet)
    if not records:
        where = at
        why = "".join(f"{i.message}" for i in issues[:3])
        more = message_text("roster_more_problems", count=len(issues)) if len(issues) > 3 else ""
        raise RosterError(
            message_text("roster_no_records", where=where, row=header_index + 1)
            + (why + more if why else message_text("roster_no_rows"))
        )
    issues += _one_spelling_per_parent(records, sheets, source)
    issues += _one_row_per_union(records, sheets, source)
    issues += _rows_naming_their_parent(records, sheets, source)
    units = pd.DataFrame.from_records(records)
    units["members"] = units["members"].astype("int64")
    units["employees"] = units["employees"].astype("Int64")
    units["row"] = units["row"].astype("int64")

    # A reporting unit has one kind: the most common among its unions.
    # (Most reporting units have one kind: value_counts only where they have several.)
    grouped = units.groupby("reporting_unit")["kind"]
    kinds = grouped.first()
    for unit in kinds.index[(grouped.nunique() > 1).to_numpy()]:
        kinds[unit] = units["kind"][units["reporting_unit"] == unit].value_counts().index[0]
    mixed = units[units["kind"] != units["reporting_unit"].map(kinds)]
    for r in mixed.itertuples():
        sheet = sheets[r.Index]
        at = _where(source, sheet)
        issues.append(
            Issue(
                source,
                sheet,
                int(r.row),
                "类别",
                "warning",
                IssueCode.ROSTER_KIND_MIXED,
                message_text(
                    "roster_kind_mixed",
                    at=at,
                    row=r.row,
                    unit=r.unit,
                    kind=config.KIND_NAMES[r.kind],
                    parent=r.reporting_unit,
                    used=config.KIND_NAMES[kinds[r.reporting_unit]],
                ),
            )
        )
    units["kind"] = units["reporting_unit"].map(kinds)

    order = {k: i for i, k in enumerate(config.KINDS)}
    reporting_units = (
        units.groupby("reporting_unit", sort=False)
        .agg(kind=("kind", "first"), units_total=("unit", "size"), members_total=("members", "sum"))
        .reset_index()
        .assign(_order=lambda d: d["kind"].map(order))
        .sort_values(["_order", "reporting_unit"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return Roster(units=units, reporting_units=reporting_units, source=source, issues=issues)
