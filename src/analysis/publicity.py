"""Publicity outputs of work item 3 (简报, 文章, 微信…): read from sheet grids, cleaned, checked.

Units count what they published on a sheet of its own (宣传成果统计), in one of two forms:

- long: a column naming the output (项目/类别 …) and a count column (数量 …),
  one row per output, optionally with a grassroots-union column;
- wide: one column per output type (文章（篇）, 微信（条）…), a row per grassroots
  union, or a single row for the federation itself.

The header is found as for activity tables and with tables.py's own helpers
(merged headers filled from the top-left cell, title rows above it, 合计 rows,
note rows, the header block 填报单位/报送期次 scanned from the rows around it).
Output types, their synonyms and measure words come from the campaign's
[publicity] section. Decisions:

- A count is kept as written. "10余篇" reads 10 with a warning; "若干", a range
  or a word reads as missing (empty, never 0) with a warning; a negative,
  fractional or implausibly large count is listed as written, with a warning
  that shows it. Plausible means at most max(min_limit, members x per_member)
  for the union the row is for (all unions under a federation for its own rows).
- In the wide form a blank cell is no count; in the long form a named output
  with a blank count is a count read as missing.
- 合计/总计 rows are listed as rejected (`total_row`), never counted.
- A count is cumulative when the sheet's name or a title row above the table, or
  its own column's header, says 累计/截至 …: a total since the campaign began, so
  the figures take the latest such total, never a sum of them (简报（本期） |
  简报（累计） on one row: the cumulative one stands for the round).
- Every count read ends in exactly one state, as in the ledger: rejected rows of
  a rejected file, and rows of duplicate and superseded files, take the file's reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import pandas as pd

from analysis import clean
from analysis.campaign import Campaign, PublicitySettings
from analysis.messages import message, message_text, place_text, suggestion_text
from analysis.model import FileState, HeaderBlock, Issue, IssueCode, RowState, Sheet, TableRows
from analysis.names import ambiguous_fields
from analysis.roster import labelled

PUBLICITY_COLUMNS = (
    "file", "sheet", "row", "reporting_unit", "kind", "round", "grassroots_unit", "output",
    "count", "cumulative", "state", "reason",
    "label", "written",
)  # fmt: skip
# “报送截止时间：7月5日” above a table names the deadline, not totals since the start.
_DEADLINE = re.compile("(?:报送|上报|填报|提交)(?:截止|期限)")
_MEASURE_AT_END = re.compile(r"[（(]\s*([^（）()]{1,7})\s*[）)]\s*$")
MAX_LABEL_CHARS = 20


def _text(code: str, row: int, **values: object) -> str:
    return message_text("row_prefix", row=row) + message_text(code, **values)


# --------------------------------------------------------------------------- model


@dataclass
class PublicityCell:
    """One count cell as read: its row, the output it counts and the raw value."""

    row: int  # 1-based spreadsheet row
    kind: str  # "data" or "total"
    unit: object  # the grassroots-union cell as written (None: the federation itself)
    output: str  # output code (campaign [publicity])
    label: str  # the output as written (header or 项目 cell)
    value: object  # the count cell as written
    column: str = ""  # the count column's header (累计 in it: cumulative)
    ditto: bool = False  # the union cell said 同上: `unit` is the row above's
    letter: str = ""  # the count cell's column as a spreadsheet shows it (F), for issues
    unit_letter: str = ""  # the union cell's column letter; "" when no column names it


@dataclass
class PublicityTable:
    """One publicity table found in a sheet."""

    sheet: str
    header_row: int  # 1-based row of the (last) header row
    form: str  # "long" or "wide"
    cumulative: bool
    header: HeaderBlock
    cells: list[PublicityCell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    unit_column: bool = True  # False: no column says whose counts they are
    # Count columns whose header says a total beside a period's column of the same output
    # (简报本阶段 | 简报总计): running totals, as if they said 累计.
    running: frozenset[str] = frozenset()
    last_unit: object = None  # the union cell of the last row naming one (for 同上)


# --------------------------------------------------------------------------- matching


class _Words:
    """The campaign's publicity words as matching keys (memoised per settings)."""

    def __init__(
        self, settings: PublicitySettings, totals: tuple[str, ...] = (), blanks: tuple = ()
    ):
        self.settings = settings
        # Placeholders that say "nothing" ("/", "无", "—"): a blank cell, not a count.
        self.blanks = frozenset(clean.match_key(w) for w in blanks) - {""}
        # Words a total column starts with (合计, 小计…: the campaign's [row_markers] total).
        self.totals = tuple(w for w in totals if w and not w.startswith("="))
        self.synonyms = sorted(
            ((clean.match_key(s), o.code) for o in settings.outputs for s in o.synonyms),
            key=lambda t: -len(t[0]),
        )
        self.units = tuple(settings.units)
        self.items = {clean.match_key(w) for w in settings.item_labels}
        # A label whose key is an item label holds that label's first character: a
        # string holding none of them is no item label (asked of every top string).
        firsts = sorted({k[0] for k in self.items if k})
        self._item_first = (
            re.compile("[" + "".join(map(re.escape, firsts)) + "]") if firsts else None
        )
        self._item_chars = clean.WordChars(k for k in self.items if k)
        self.unit_labels = {clean.match_key(w) for w in settings.unit_labels}
        self.counts = tuple(clean.match_key(w) for w in settings.count_labels)
        self.cumulative = tuple(settings.cumulative_words)
        self.output_of = lru_cache(maxsize=4096)(self._output_of)
        # A label naming an output, a count, an item or a running total holds one of their words.
        self.label_words = clean.WordChars(
            [*(s for s, _ in self.synonyms if s), *(w for w in self.counts if w),
             *(k for k in self.items if k), *(clean.match_key(w) for w in self.cumulative)]
        )  # fmt: skip
        # Texts read by `_wide_rows_hold_counts` (data rows repeat them): whether each reads
        # as a count, kept across sheets and files.
        self.holds_count: dict[str, bool] = {}

    def _output_of(self, label: str) -> str | None:
        """The output code a header or 项目 cell names; None when it names none.

        A date in the label ("截至9月30日简报（期）", "2019年微信") is not part of the name.
        """
        key = _DATE_IN_LABEL.sub("", clean.match_key(label))
        if not key or len(key) > MAX_LABEL_CHARS or _A_DIGIT.search(key):
            return None
        return next((code for syn, code in self.synonyms if syn and syn in key), None)

    def is_unit_label(self, label: str, matcher) -> bool:
        """A header naming who the counts are for (基层工会名称, 单位…)."""
        if clean.match_key(label) in self.unit_labels:
            return True
        found = matcher.field_of(label)
        return found is not None and found[0] == "grassroots_unit"

    def is_item_label(self, label: str) -> bool:
        if self._item_first is None or not self._item_first.search(label):
            return False
        if not self._item_chars.may_hold(label):  # (a title holding 宣 or 类 is none)
            return False
        return clean.match_key(label) in self.items

    def is_count_label(self, label: str) -> bool:
        key = clean.match_key(label)
        return (
            bool(key) and len(key) <= MAX_LABEL_CHARS and any(w and w in key for w in self.counts)
        )

    def counted_in_units(self, label: str) -> bool:
        """The label ends in a measure word in brackets: “公益广告（条）”, “宣传片(部)”."""
        found = _MEASURE_AT_END.search(label)
        return found is not None and all(
            part in self.units for part in re.split("[/、]", found.group(1)) if part
        )

    def is_total_label(self, label: str) -> bool:
        """A column holding a total of other columns (合计（条）, 小计), not an output."""
        key = clean.match_key(_MEASURE_AT_END.sub("", label))
        return bool(key) and key.startswith(self.totals)

    def says_period(self, label: str) -> bool:
        """The label names the round's own figure: 本期, 本阶段, 当期…"""
        key = clean.match_key(label)
        return any(w in key for w in _PERIOD_WORDS) and not self.says_cumulative(label)

    def says_total(self, label: str) -> bool:
        """The label holds a total word anywhere: 简报总计（期）, 合计数量."""
        key = clean.match_key(_MEASURE_AT_END.sub("", label))
        return any(w in key for w in self.totals)

    def placeholder(self, value: object) -> bool:
        """A cell holding only a placeholder for nothing ("/", "无", "—", "暂无")."""
        if not isinstance(value, str):
            return False
        key = clean.match_key(value)
        return key in self.blanks or (not key and bool(value.strip()))

    def says_cumulative(self, text: object) -> bool:
        return isinstance(text, str) and any(w in text for w in self.cumulative)


_A_DIGIT = re.compile(r"\d")

# A date in a count column's label: 截至9月30日, 2019年6月30日, 6月底, 2019年.
_DATE_IN_LABEL = re.compile(
    r"(?:截至|截止|至)?(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末)?|\d{4}年|\d{4}[./-]\d{1,2}(?:[./-]\d{1,2})?"
)

_WORDS: dict[int, tuple[PublicitySettings, tuple, _Words]] = {}


def _words(campaign: Campaign) -> _Words:
    totals = tuple(campaign.row_markers.get("total", ()))
    blanks = tuple(campaign.row_rules.get("no_activity", ()))
    held = _WORDS.get(id(campaign.publicity))
    if held is None or held[0] is not campaign.publicity or held[1] != (totals, blanks):
        words = _Words(campaign.publicity, totals, blanks)
        held = _WORDS[id(campaign.publicity)] = (campaign.publicity, (totals, blanks), words)
    return held[2]


# --------------------------------------------------------------------------- counts

_RANGE = re.compile(r"^\d+(?:\.\d+)?\s*\D{0,2}\s*[-~至到—–]\s*\d+")
_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(万|千|百)?$")


def parse_count(
    value: object, units: tuple[str, ...] = ()
) -> tuple[int | float | None, str | None]:
    """A count cell -> (the number as written, code); None means missing, never zero.

    Approximate counts ("10余篇", "约20条") read as the number written with
    `publicity_count_approximate`; negative and fractional counts are returned as
    written with `publicity_count_negative` / `publicity_count_fractional` (a
    warning, not a change); ranges and words ("若干") are None with a code.
    """
    if isinstance(value, bool):
        return None, "publicity_count_unreadable"
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None, "publicity_count_missing"
        return _checked(value, None)
    text = clean.normalise_text(value).replace(",", "").replace(" ", "")
    if not text:
        return None, "publicity_count_missing"
    if clean._SEPARATED_NUMBERS.search(clean.normalise_text(value)):
        return None, "publicity_count_unreadable"  # “20 30”, “12，8”: two counts, not 2030
    if any(w in text for w in clean._UNREADABLE_WORDS):
        return None, "publicity_count_unreadable"
    approximate = False
    if clean._APPROX_PREFIX.search(text):
        text, approximate = clean._APPROX_PREFIX.sub("", text), True
    if _RANGE.match(text):
        return None, "publicity_count_range"
    text = clean._PLAIN_PREFIX.sub("", text)
    unit_suffix = _unit_suffix(units) if units else None
    for _ in range(2):  # "10余篇", "20条左右", "十余期"
        if unit_suffix is not None:
            text = unit_suffix.sub("", text)
        if clean._APPROX_SUFFIX.search(text):
            text, approximate = clean._APPROX_SUFFIX.sub("", text), True
    match = _NUMBER.match(text)
    number: float | None = None
    if match:
        scale = {"万": 10_000, "千": 1000, "百": 100}.get(match.group(2) or "", 1)
        number = float(match.group(1)) * scale
    elif (cn := clean.chinese_number(text)) is not None and (cn or any(z in text for z in "零〇")):
        number = float(cn)  # (chinese_number reads a lone "万" as 0: that is no count)
    if number is None:
        return _worked_out(clean.normalise_text(value), units)
    return _checked(number, "publicity_count_approximate" if approximate else None)


# "微信：5条": the output named again before its count.
_LABELLED = re.compile(r"^([^\d:]{1,8}):(.+)$")
# One labelled part of a count: "市级2次", "原创3", "2条".
_PART = re.compile(r"([^\d+]{0,6}?)(\d+)([^\d+]{0,2})")


def _worked_out(written: str, units: tuple[str, ...]) -> tuple[int | float | None, str | None]:
    """A count written with words around it, as participants are read (clean.parse_participants):
    "微信：5条" is 5; "12篇（其中原创8篇）" the whole before 其中, 12; "3+2" and
    "市级2次，区级3次" the sum of their parts, 5 — each worked out with a warning
    (the label alone, as written, without one). Anything else stays unreadable."""
    text = written.replace(" ", "")
    unreadable = (None, "publicity_count_unreadable")
    labelled = _LABELLED.match(text)
    if labelled:
        number, code = parse_count(labelled.group(2), units)
        return (number, code) if number is not None else unreadable
    head = clean._BEFORE_OF_WHICH.match(text)
    if head:
        number, code = parse_count(head.group(1), units)
        return (number, code or "publicity_count_worked_out") if number is not None else unreadable
    pieces = [p for p in re.split(r"[+＋,;；、]", text) if p]
    if len(pieces) < 2:
        return unreadable
    total = 0
    for piece in pieces:
        part = _PART.fullmatch(piece)
        if part is None or (part.group(3) and part.group(3) not in units):
            return unreadable
        label = part.group(1)
        if (not label and "+" not in text) or any(w in label for w in clean._NOT_A_PART):
            return unreadable
        total += int(part.group(2))
    return _checked(total, "publicity_count_worked_out")


@lru_cache(maxsize=32)
def _unit_suffix(units: tuple[str, ...]) -> re.Pattern[str]:
    """A measure word at the end of a count ("12篇"), for `parse_count`."""
    return re.compile("(" + "|".join(map(re.escape, units)) + ")$")


def _checked(number: float, code: str | None) -> tuple[int | float, str | None]:
    whole = float(number).is_integer()
    value: int | float = int(number) if whole else float(number)
    if number < 0:
        return value, "publicity_count_negative"
    if not whole:
        return value, "publicity_count_fractional"
    return value, code


# --------------------------------------------------------------------------- finding


def _tables_helpers():
    """tables.py's header, merge and row-marker helpers (one implementation of each)."""
    from analysis import tables

    return tables


def _header_row(
    grid, merges, i: int, words: _Words, matcher, tables
) -> tuple[list[str], tuple | None]:
    """Row i's labels, and its `_header_kind` when it heads a publicity table (rows below
    naming outputs, or holding counts), else None."""
    labels = [tables._labels(tables._filled(grid, merges, i, j)) for j in range(len(grid[i]))]
    header = None
    # A number in the row (新闻报道 | -4, 微博（条） | 5): a row of counts, whose numbers
    # have no label, not a header over sub-labels nor one output's header.
    numbers = any(v is not None and v.__class__ is not str for v in grid[i])
    if i + 1 < len(grid) and not all(labels) and not numbers:
        # 简报 typed over 本期 | 累计 without merging (a CSV export, 跨列居中): each output
        # spans the blank cells to its right that hold sub-labels, as a merge would,
        # when every column it spans (its own included) is labelled by a period below.
        sub = [tables._labels(tables._cell(grid, i + 1, j)) for j in range(len(labels))]
        spread = tables._spread_parents(labels, sub, merges, i)
        moved = [j for j in range(len(spread)) if spread[j] != labels[j]]
        spanned = {j for k in moved for j in (k - 1, k)}
        if moved and all(_sub_label(sub[j], words, matcher) for j in spanned):
            kind = _header_kind(spread, words, matcher)
            if kind and kind[0] == "wide" and _sub_labels(grid, i, kind[2], tables) is not None:
                labels, header = spread, kind
    if header is None:
        header = _header_kind(labels, words, matcher)
        if header and header[0] == "wide" and len(header[2]) == 1 and numbers:
            header = None
    if header and header[0] in ("long", "cross"):
        names = _long_rows_name_outputs(grid, merges, i, header[1], words, tables)
        if not names or (
            header[0] == "cross" and not _wide_rows_hold_counts(grid, i, header[2], words)
        ):
            header = None
    elif header and not _wide_rows_hold_counts(grid, i, header[2], words):
        header = None  # a row of output words in prose or a list, not a table
    return labels, header


# Sub-labels that split an output's count by period (本期 | 累计).
_PERIOD_WORDS = frozenset({"本期", "当期", "本阶段", "本月", "本季度", "本年", "新增", "本期新增"})


def _period_label(text: str, words: _Words) -> bool:
    """The label says a period: 本期, 当期…, or a running total (累计, 截至…)."""
    return bool(text) and (words.says_cumulative(text) or clean.match_key(text) in _PERIOD_WORDS)


def _sub_label(text: str, words: _Words, matcher) -> bool:
    """A label under an output that splits its count: a period (本期 | 累计), a part
    (原创 | 转发, 区级 | 市级 | 国家级) or their total (小计, 合计) — a short word that is
    no output, item, count or unit label of its own."""
    if _period_label(text, words) or (text and words.is_total_label(text)):
        return True
    key = clean.match_key(text)
    return (
        0 < len(key) <= 6
        and not re.search(r"\d", key)
        and not words.output_of(text)
        and not words.is_item_label(text)
        and not words.is_count_label(text)
        and not words.is_unit_label(text, matcher)
    )


class Probe:
    """What tables.find_tables asks of publicity: may a label head a publicity table (an
    output, a count or an item label), and does a row head one."""

    def __init__(self, campaign: Campaign):
        self.words = _words(campaign)

    def label(self, label: str) -> bool:
        w = self.words
        return (
            bool(label)
            and w.label_words.may_hold(label)  # most texts hold none of the words
            and bool(
                w.output_of(label)
                or w.is_count_label(label)
                or w.is_item_label(label)
                or w.says_cumulative(label)  # 宣传项目 | 截至目前: a running total's column
            )
        )

    def heads(self, grid, merges, i: int, matcher) -> bool:
        return _header_row(grid, merges, i, self.words, matcher, _tables_helpers())[1] is not None


def _header_kind(
    labels: list[str], words: _Words, matcher
) -> tuple[str, dict[str, int], dict[int, str]] | None:
    """("wide"|"long", {unit/item/count: column}, {column: output}) when `labels` is a header."""
    outputs = {j: code for j, lab in enumerate(labels) if lab and (code := words.output_of(lab))}
    # 职工 | 会员 | 其他 | 合计 in an activity table: 其他 beside parts of the participants
    # figure is one of them, not the `other` publicity output.
    parts = _tables_helpers()._headed_by_part
    outputs = {
        j: code for j, code in outputs.items()
        if not (parts([labels[j]]) and any(
            0 <= k < len(labels) and k not in outputs and parts([labels[k]]) for k in (j - 1, j + 1)
        ))
    }  # fmt: skip
    unit = next(
        (j for j, lab in enumerate(labels)
         if lab and j not in outputs and words.is_unit_label(lab, matcher)),
        None,
    )  # fmt: skip
    # One output counted in its measure word heads a table (微信（条）) when the row holds no
    # count: 微博（条） | ２９ is a long table's row naming its output so, not a header.
    lone = (
        len(outputs) == 1
        and words.counted_in_units(labels[next(iter(outputs))])
        and not any(
            parse_count(lab, words.units)[0] is not None
            for j, lab in enumerate(labels) if lab and j not in outputs
        )
    )  # fmt: skip
    if len(outputs) >= 2 or lone:  # one output counted in its measure word: 微信（条）
        # Beside named outputs, a column counted in a measure word (公益广告（条）) is a
        # count of an output the campaign does not name: read as other, with a warning.
        for j, lab in enumerate(labels):
            if (
                lab
                and j not in outputs
                and j != unit
                and words.counted_in_units(lab)
                and not words.is_total_label(lab)
            ):  # 合计（条）: the sum of the others
                outputs[j] = "other"
        return "wide", ({"unit": unit} if unit is not None else {}), outputs
    item = next((j for j, lab in enumerate(labels) if lab and words.is_item_label(lab)), None)
    counts = [
        j for j, lab in enumerate(labels)
        if lab and j != item and j not in outputs and words.is_count_label(lab)
    ]  # fmt: skip
    if item is not None and not counts:
        # 宣传项目 | 截至目前 (| 截至9月底): a lone running total names no count word of its
        # own; it is the count column, each count since the start.
        counts = [
            j for j, lab in enumerate(labels)
            if lab and j > item and j not in outputs and j != unit
            and len(clean.match_key(lab)) <= MAX_LABEL_CHARS and words.says_cumulative(lab)
            and matcher.field_of(lab) is None
        ]  # fmt: skip
    count = counts[0] if counts else None
    if item is not None and count is None and unit is None:
        # 宣传项目 | 长阳镇卫生院工会 | 长阳镇第一小学工会: one column per union (or 本级),
        # each output a row; the headers are names, resolved like a union column's cells.
        named = {
            j: lab for j, lab in enumerate(labels)
            if lab and j != item and j not in outputs and _names_a_unit(lab, words, matcher)
        }  # fmt: skip
        if named:
            return "cross", {"item": item}, named
    if item is not None and count is not None:
        columns = {"item": item, "count": count}
        # 本期数量 | 累计数量: the other column says the other period; both are read, each
        # with its own cumulative flag (two per-period count columns are one count).
        other = [j for j in counts[1:]
                 if words.says_cumulative(labels[j]) != words.says_cumulative(labels[count])]  # fmt: skip
        if not other and not words.says_cumulative(labels[count]):
            # 本阶段 | 截至目前 (or | 总计 beside a period's count): a running total beside
            # the period's count names no count word of its own; it is the count since
            # the start, read as such.
            period = words.says_period(labels[count])
            other = [
                j for j, lab in enumerate(labels)
                if lab and j > count and j not in (item, unit) and j not in outputs
                and len(clean.match_key(lab)) <= MAX_LABEL_CHARS
                and (words.says_cumulative(lab) or (period and words.says_total(lab)))
            ]  # fmt: skip
        if other:
            columns["count2"] = other[0]
        if unit is not None and unit not in (item, count):
            columns["unit"] = unit
        return "long", columns, {}
    return None


def _names_a_unit(label: str, words: _Words, matcher) -> bool:
    """A header that may name who a column's counts are for: no output, count, total,
    period or activity-column label (备注, 序号…), no number."""
    key = clean.match_key(label)
    return (
        2 <= len(key) <= 30
        and not re.search(r"\d", key)
        and not words.is_count_label(label)
        and not words.is_item_label(label)
        and not words.is_total_label(label)
        and not _period_label(label, words)
        and matcher.field_of(label) is None
    )


def find_publicity(sheet: Sheet, campaign: Campaign, file: str) -> list[PublicityTable]:
    """The publicity tables in a sheet (long or wide form); [] when there is none."""
    grid = sheet.rows
    words = _words(campaign)
    if not grid or not words.synonyms:
        return []
    tables = _tables_helpers()
    context = tables._context(campaign)
    # Cheap pre-test: a sheet none of whose strings names an output holds no counts.
    strings = {v for v in set(chain.from_iterable(grid)) if isinstance(v, str)}
    named = {v for v in strings if words.output_of(v)}
    if not named:
        return []
    count_words = {v for v in strings if words.is_count_label(v)}
    measured = {v for v in named if words.counted_in_units(v)}  # 微信（条）: a header alone
    items = {v for v in strings if words.is_item_label(v)}  # 宣传项目 | one column per union
    merges = tables._merge_index(sheet)
    merged_rows = {i for i, _ in merges}
    found: list[PublicityTable] = []
    non_data: list[int] = []
    current: PublicityTable | None = None
    columns: dict[str, int] = {}
    outputs: dict[int, str] = {}
    labels: list[str] = []
    title_start = 0
    sub_header = -1  # the row of sub-labels under a merged output header (本期 | 累计)
    for i, row in enumerate(grid):
        if i == sub_header:
            continue
        cells = set(row)
        header = None
        if (
            len(named & cells) >= 2
            or (count_words & cells)
            or (measured & cells)
            or (items & cells)
            or i in merged_rows
        ):
            labels_i, header = _header_row(grid, merges, i, words, context.matcher, tables)
            if header is not None and current is not None and _merged_from_above(header, merges, i):
                header = None  # the header above, its cells merged down over this row
        if header is not None:
            if current is not None and _parent_row_taken(current, grid, i, words):
                # 工会名称 | 宣传成果统计 over this header (its upper row, a group label
                # merged across) was read as counts of the table above: it is no row of it.
                current.cells = [c for c in current.cells if c.row != i]
                title_start = i - 1
            form, columns, outputs = header
            labels = labels_i
            below = _sub_labels(grid, i, outputs, tables) if form == "wide" else None
            if below is not None:  # 简报 over 本期 | 累计: each column its own label
                outputs = _parts_under_a_total(labels, below, outputs, words)
                labels = [lab + below.get(j, "") for j, lab in enumerate(labels)]
                sub_header = i + 1
            parts = _count_parts(grid, i, columns, labels, words, context.matcher, tables)
            if form == "long" and parts:  # 数量 over 原创 | 转发 (| 小计)
                labels = [lab + parts.get(j, "") for j, lab in enumerate(labels)]
                sub_header = i + 1
                totals = [j for j in parts if words.is_total_label(parts[j])]
                read = totals[:1] or sorted(parts)
                columns = {k: v for k, v in columns.items() if k != "count2"}
                columns["count"], columns["parts"] = read[0], tuple(read[1:])
            periods = _count_periods(grid, i, columns, labels, words, tables)
            if form == "long" and periods:  # 数量 typed over 本期 | 累计 (no merge: a CSV)
                labels = [lab + periods.get(j, "") for j, lab in enumerate(labels)]
                sub_header = i + 1
                kept = sorted(periods, key=lambda j: words.says_cumulative(periods[j]))
                columns = {**columns, "count": kept[0], "count2": kept[1]}
            if "unit" not in columns and i > 0:  # a unit column labelled in a parent row above
                above = [
                    tables._labels(tables._filled(grid, merges, i - 1, j)) for j in range(len(row))
                ]
                unit = next(
                    (j for j, lab in enumerate(above) if lab and j not in outputs
                     and words.is_unit_label(lab, context.matcher)),
                    None,
                )  # fmt: skip
                if unit is not None and unit not in columns.values():
                    columns["unit"] = unit
            titles = [sheet.name, *(v for k in range(title_start, i) for v in grid[k]
                                    if not (isinstance(v, str) and _DEADLINE.search(v)))]  # fmt: skip
            # The sheet, a title above or every count header says 累计: the table is
            # cumulative; else each count column's own header decides (简报（本期） |
            # 简报（累计）), in `_record`.
            count_labels = [labels[j] for j in outputs] or [labels[columns["count"]]]
            cumulative = any(words.says_cumulative(t) for t in titles) or all(
                words.says_cumulative(t) for t in count_labels
            )
            current = PublicityTable(sheet.name, i + 1, form, cumulative, HeaderBlock(),
                                     unit_column="unit" in columns or form == "cross",
                                     running=_running_totals(labels, columns, outputs, words))  # fmt: skip
            found.append(current)
            title_start = i + 1
            continue
        if current is None:
            non_data.append(i)
            continue
        before = len(current.cells)
        if _read_row(current, grid, merges, i, columns, outputs, labels, words, context, tables):
            title_start = i + 1
            _as_the_unit_edited(current, before, row, i, sheet.struck, tables)
        else:
            non_data.append(i)
        if "unit" in columns:  # the row above a 同上, with counts or not
            unit = tables._filled(grid, merges, i, columns["unit"])
            if not tables.blank(unit) and not tables.is_ditto(unit):
                current.last_unit = unit
    block: dict[str, object] = {}
    tables._scan_header_block(grid, non_data, campaign, block)
    for table in found:
        table.header = HeaderBlock(**block)
    return found


def _parent_row_taken(table: PublicityTable, grid, i: int, words) -> bool:
    """Whether the row above a header found at row i (0-based) was read as counts of `table`
    though it holds labels only: texts, none written as a count (the header's upper row)."""
    if not table.cells or table.cells[-1].row != i or i < 1:
        return False
    values = [
        v for v in grid[i - 1] if v is not None and not (isinstance(v, str) and not v.strip())
    ]
    return bool(values) and all(
        isinstance(v, str) and not _count_attempt(v, words) and not words.placeholder(v)
        for v in values
    )


def _as_the_unit_edited(table: PublicityTable, before: int, row, i: int, struck, tables) -> None:
    """The counts row i just added to `table` (its cells from `before` on), read as the
    unit edited them, as an activity row is: a row struck through whole was deleted
    (kind "deleted"); 同上 in the union cell is the union of the data row above."""
    added = table.cells[before:]
    if struck and tables._struck_row(row, i, struck):
        for cell in added:
            cell.kind = "deleted"
        return
    above = table.last_unit
    if (
        added
        and added[0].kind == "data"
        and tables.is_ditto(added[0].unit)
        and not tables.blank(above)
    ):
        for cell in added:
            cell.unit, cell.ditto = above, True


def _merged_from_above(header: tuple, merges: dict, i: int) -> bool:
    """Every label of the header read at row i is a cell merged down from a row above (a
    two-row header's second row: 简报（期） merged over rows 3-4), none written in row i."""
    _, columns, outputs = header
    cells = [*outputs, *(j for k, j in columns.items() if k in ("item", "count"))]
    return bool(cells) and all(
        (rng := merges.get((i, j))) is not None and rng[0] < i for j in cells
    )


def _running_totals(labels: list[str], columns: dict, outputs: dict[int, str], words) -> frozenset:
    """Headers of the count columns that are running totals by the words beside them: an
    output's column saying 总计/合计 when another of its columns says 本期/本阶段."""
    if "count2" in columns:  # long: 本阶段 | 总计
        first, second = labels[columns["count"]], labels[columns["count2"]]
        if words.says_period(first) and words.says_total(second):
            return frozenset({second})
        return frozenset()
    by_output: dict[str, list[str]] = {}
    for j, code in outputs.items():
        by_output.setdefault(code, []).append(labels[j])
    running = set()
    for heads in by_output.values():
        if len(heads) > 1 and any(words.says_period(h) for h in heads):
            running.update(h for h in heads if words.says_total(h) and not words.says_period(h))
    return frozenset(running)


def _count_parts(grid, i: int, columns: dict, labels: list[str], words, matcher, tables):
    """{column: sub-label} when the row under a long header splits its count column into
    parts (数量 merged or typed over 原创 | 转发, 区级 | 市级 | 国家级, a 小计), else None."""
    if "count" not in columns or "count2" in columns or i + 1 >= len(grid):
        return None
    count = columns["count"]
    span = [count]
    for j in range(count + 1, len(labels)):
        if labels[j] not in ("", labels[count]) or j in columns.values():
            break
        span.append(j)
    found = {}
    for j, value in enumerate(grid[i + 1]):
        if tables.blank(value):
            continue
        text = clean.normalise_text(value) if isinstance(value, str) else ""
        if j not in span or not _sub_label(text, words, matcher) or _period_label(text, words):
            return None
        found[j] = text
    return found if len(found) >= 2 else None


def _count_periods(grid, i: int, columns: dict, labels: list[str], words, tables):
    """{column: sub-label} when the row under a long header labels its count column and
    the blank-headed column right of it as a period's and a running total (数量 typed over
    本期 | 累计, unmerged: a CSV; merged, the row below is a header of its own), else None."""
    if "count" not in columns or "count2" in columns or i + 1 >= len(grid):
        return None
    count = columns["count"]
    if count + 1 >= len(labels) or labels[count + 1]:
        return None
    found = {}
    for j, value in enumerate(grid[i + 1]):
        if tables.blank(value):
            continue
        text = clean.normalise_text(value) if isinstance(value, str) else ""
        period = _period_label(text, words) or (
            words.is_count_label(text) and (words.says_period(text) or words.says_cumulative(text))
        )  # 本期数 | 累计数量
        if j not in (count, count + 1) or not period:
            return None
        found[j] = text
    cumulative = [j for j in found if words.says_cumulative(found[j])]
    return found if len(found) == 2 and len(cumulative) == 1 else None


def _sub_labels(grid, i: int, outputs: dict[int, str], tables) -> dict[int, str] | None:
    """{column: label} of the row under a wide header when it only labels the output
    columns beneath merged output cells (简报 over 本期 | 累计), else None."""
    if i + 1 >= len(grid) or len(outputs) < 2:
        return None
    row = grid[i + 1]
    found = {}
    for j, value in enumerate(row):
        if tables.blank(value):
            continue
        if j not in outputs or not isinstance(value, str):
            return None
        text = clean.normalise_text(value)
        if len(text) > 6 or re.search(r"\d", text):
            return None
        found[j] = text
    # Two columns of one output told apart by their sub-labels.
    named = [outputs[j] for j in found]
    return found if found and len(named) > len(set(named)) else None


def _parts_under_a_total(
    labels: list[str], below: dict[int, str], outputs: dict[int, str], words: _Words
) -> dict[int, str]:
    """`outputs` without the parts of an output whose sub-columns include their total
    (微信 over 原创 | 转发 | 小计): the total column is the count, the parts are in it."""
    spans: dict[str, list[int]] = {}
    for j in outputs:
        spans.setdefault(labels[j], []).append(j)
    dropped = set()
    for columns in spans.values():
        totals = [j for j in columns if words.is_total_label(below.get(j, ""))]
        if totals and len(columns) > 1:
            dropped.update(j for j in columns if j != totals[0])
    return {j: code for j, code in outputs.items() if j not in dropped}


# Rows looked at for a publicity header beside an activity table's header.
_BESIDE_ROWS = 40
# Rows below a possible header read to confirm it (a count, or an output named).
PROBE_ROWS = 60


def split_beside(sheet: Sheet, campaign: Campaign) -> tuple[Sheet, Sheet] | None:
    """(activity part, publicity part) of a sheet whose header row holds an activity
    header and, past a blank column, a long publicity table's header (宣传项目 | 数量);
    None when it holds no such pair. (Output columns beside the activities, 微信（条） |
    文章（篇）, are counts per activity row: `has_output_columns`.)

    Each part keeps the sheet's rows and column positions (the other part's cells are
    blank), so row numbers and column letters stay those of the sheet, and the
    publicity counts are not taken for the unions of the activity rows beside them.
    """
    grid = sheet.rows
    words = _words(campaign)
    if not grid or not words.synonyms:
        return None
    # A long table's header names its items (宣传项目): only a row holding that label, or
    # the row below it (a label merged down), can be the header (cheap: most sheets have none).
    top = {v for r in grid[:_BESIDE_ROWS] for v in r if isinstance(v, str)}
    items = {v for v in top if words.is_item_label(v)}
    if not items:
        return None
    item_rows = {i for i, r in enumerate(grid[:_BESIDE_ROWS]) if not items.isdisjoint(r)}
    tables = _tables_helpers()
    context = tables._context(campaign)
    merges = tables._merge_index(sheet)
    for i in range(min(len(grid), _BESIDE_ROWS)):
        row = grid[i]
        if (i not in item_rows and i - 1 not in item_rows) or len(row) - row.count(None) < 4:
            continue
        labels = [tables._labels(tables._filled(grid, merges, i, j)) for j in range(len(row))]
        filled = [j for j, lab in enumerate(labels) if lab]
        if len(filled) < 4:
            continue
        for gap in range(filled[0] + 1, filled[-1]):
            if labels[gap] or not labels[gap + 1]:
                continue
            right = [lab if j > gap else "" for j, lab in enumerate(labels)]
            header = _header_kind(right, words, context.matcher)
            if header is None or header[0] != "long":
                continue  # output columns beside activities count per activity row (wide)
            left = [lab if j < gap else "" for j, lab in enumerate(labels)]
            if _header_kind(left, words, context.matcher) is not None:
                continue  # two publicity tables: find_publicity reads the row whole
            head = grid[:i] + _masked(grid[i : i + 2], gap, keep_left=True)
            if tables._header_at(head, merges, context.matcher, i) is None:
                continue  # no activity table on the left
            near = _masked(grid[: i + 1 + PROBE_ROWS], gap, keep_left=False)
            if not _long_rows_name_outputs(near, merges, i, header[1], words, tables):
                continue
            kept = [m for m in sheet.merged if m[3] < gap]
            # The rows above the header (a title across the sheet: 截至9月底累计…, the
            # header block) are the counts' too: kept whole, as their merges.
            moved = [m for m in sheet.merged if m[1] > gap or m[2] < i]
            right = grid[:i] + _masked(grid[i:], gap, keep_left=False)
            return (
                Sheet(sheet.name, _masked(grid, gap, keep_left=True), sheet.hidden, kept,
                      frozenset(c for c in sheet.struck if c[1] < gap)),
                Sheet(sheet.name, right, sheet.hidden, moved,
                      frozenset(c for c in sheet.struck if c[1] > gap)),
            )  # fmt: skip
    return None


def _masked(grid, gap: int, keep_left: bool) -> list[list[object]]:
    """The grid with the cells right (keep_left) or left of column `gap` blanked."""
    if keep_left:
        return [list(r[:gap]) for r in grid]
    return [[None] * min(gap + 1, len(r)) + list(r[gap + 1 :]) for r in grid]


def has_output_columns(sheet: Sheet, tables: list, campaign: Campaign) -> bool:
    """Whether an activity table's header row(s) name two or more output types (文章（篇）…).

    Such columns are counts per activity row ("extra columns"): find_publicity reads
    them as a wide table. Only the header rows are looked at (cheap on large sheets).
    """
    words = _words(campaign)
    for table in tables:
        for k in (table.header_row - 1, table.header_row - 2):
            if 0 <= k < len(sheet.rows):
                named = {
                    j for j, v in enumerate(sheet.rows[k])
                    if isinstance(v, str) and words.output_of(v)
                }  # fmt: skip
                if len(named) >= 2:
                    return True
    return False


def _long_rows_name_outputs(grid, merges, i: int, columns: dict[str, int], words, tables) -> bool:
    """A long header counts only when some row below names an output in its item column."""
    j = columns["item"]
    return any(
        words.output_of(tables._labels(tables._filled(grid, merges, k, j)) or "")
        for k in range(i + 1, min(len(grid), i + PROBE_ROWS))
    )


HOLDS_COUNT_LIMIT = 100_000  # texts `_Words.holds_count` remembers before it is cleared


def _wide_rows_hold_counts(grid, i: int, outputs: dict[int, str], words) -> bool:
    """A wide header counts only when some row below has a count in an output column (a
    number, or a count not given as one: 若干, 10-20篇)."""
    read = words.holds_count  # each distinct text read once (data rows repeat them)
    if len(read) > HOLDS_COUNT_LIMIT:
        read.clear()
    for k in range(i + 1, min(len(grid), i + PROBE_ROWS)):
        row = grid[k]
        for j in outputs:
            if j >= len(row) or (value := row[j]) is None:
                continue
            if value.__class__ is not str:
                if parse_count(value, words.units)[0] is not None:
                    return True
                continue
            holds = read.get(value)
            if holds is None:
                holds = read[value] = _count_attempt(value, words)
            if holds:
                return True
    return False


def _a_title(value: object, words) -> bool:
    """A row's lone cell that titles what follows (宣传成果统计表, 二、各基层工会宣传情况):
    a text of five characters or more, with no digit, written as no count at all."""
    if not isinstance(value, str):
        return False
    key = clean.match_key(value)
    return len(key) >= 5 and not _A_DIGIT.search(key) and not _count_attempt(value, words)


def _count_attempt(text: str, words) -> bool:
    """A text written as a count, readable or not: 12篇, and 若干 or 10-20篇 (a count not
    given as one number: read as missing, with a warning, never lost with its table)."""
    number, code = parse_count(text, words.units)
    if number is not None:
        return True
    return len(clean.match_key(text)) <= 6 and (
        code == "publicity_count_range" or any(w in text for w in _COUNT_WORDS)
    )


# Words standing for a count not given (若干): a table whose counts are all such is read.
_COUNT_WORDS = ("若干",)


def _holds_count(cells: list[tuple[int, object]], words) -> bool:
    """Whether any of the (column, value) cells reads as a count."""
    return any(parse_count(v, words.units)[0] is not None for _, v in cells)


def _blank(value: object, words: _Words, tables) -> bool:
    """A wide table's cell holding no count: blank, or a placeholder ("/", "无", "—")."""
    return tables.blank(value) or words.placeholder(value)


def _read_row(table, grid, merges, i, columns, outputs, labels, words, context, tables) -> bool:
    """Append the row's counts to `table`; False when the row holds none (title, note, blank)."""
    row = grid[i]
    raw = [(j, v) for j, v in enumerate(row) if not tables.blank(v)]
    if not raw:
        return False
    first = raw[0][1]
    if isinstance(first, str) and context.note_marker(first):
        return False
    if isinstance(first, str) and context.sign_off(first) and not _holds_count(raw[1:], words):
        return False  # 单位（盖章）, 填表日期： with no count beside it
    unit = tables._filled(grid, merges, i, columns["unit"]) if "unit" in columns else None
    letter = tables.column_letter  # the sheet's own columns: issues name them as it shows them
    unit_letter = letter(columns["unit"]) if "unit" in columns else ""
    # A 合计 row is told by its unit, item or leading cells, never by how a count is written:
    # "共计12篇" in a count column is 12 articles (`parse_count`), not a total row.
    counted = {columns[k] for k in ("count", "count2") if k in columns} | set(outputs)
    counted.update(columns.get("parts", ()))
    marked = [unit] + [v for j, v in raw[:2] if j not in counted]
    if table.form == "long":
        item = tables._filled(grid, merges, i, columns["item"])
        count = tables._cell(grid, i, columns["count"])
        marked.append(item)
        total = any(context.total_marker(v) for v in marked)
        if not total and tables.blank(item) and context.total_marker(count):
            total = True  # "共计6篇" beside no output: an unlabelled total
        if tables.blank(item) and count is None:
            return False
        label = clean.normalise_text(item)
        code = words.output_of(label) if label else None
        if label and code is None and total:
            code = "other"
        if code is None:
            # A count beside a word no synonym matches is `other` (warned); without a
            # count, or with a long sentence, it is a note, not a count.
            if count is None or len(clean.match_key(label)) > MAX_LABEL_CHARS:
                return False
            code = "other"
        kind = "total" if total else "data"
        read = [(columns["count"], count)]
        for j in columns.get("parts", ()):  # 数量 over 原创 | 转发: every part is a count
            if not tables.blank(part := tables._cell(grid, i, j)):
                read.append((j, part))
        if "count2" in columns and not tables.blank(
            more := tables._cell(grid, i, columns["count2"])
        ):
            read.append((columns["count2"], more))
        for j, value in read:
            table.cells.append(
                PublicityCell(i + 1, kind, unit, code, label or "", value, labels[j],
                              letter=letter(j), unit_letter=unit_letter)
            )  # fmt: skip
        return True
    if table.form == "cross":  # the row's output in the item column, a union per column
        item = tables._filled(grid, merges, i, columns["item"])
        label = clean.normalise_text(item)
        total = any(context.total_marker(v) for v in (*marked, item))
        code = words.output_of(label) if label else None
        present = [j for j in outputs if not _blank(tables._cell(grid, i, j), words, tables)]
        if not present or not (code or total or label):
            return False
        if code is None and len(clean.match_key(label)) > MAX_LABEL_CHARS:
            return False  # a sentence: a note, not an output
        for j in present:  # the union is named atop its count's column
            table.cells.append(
                PublicityCell(i + 1, "total" if total else "data", outputs[j], code or "other",
                              label, tables._cell(grid, i, j), labels[j],
                              letter=letter(j), unit_letter=letter(j))
            )  # fmt: skip
        return True
    total = any(context.total_marker(v) for v in marked)
    present = [
        (j, code) for j, code in outputs.items()
        if not _blank(tables._cell(grid, i, j), words, tables)
    ]  # fmt: skip
    if not present or (len(raw) == 1 and _a_title(raw[0][1], words)):
        return False  # (宣传成果统计表 over the next table, in an output's column: no count)
    for j, code in present:
        table.cells.append(
            PublicityCell(i + 1, "total" if total else "data", unit, code, labels[j],
                          tables._cell(grid, i, j), labels[j],
                          letter=letter(j), unit_letter=unit_letter)
        )  # fmt: skip
    return True


# --------------------------------------------------------------------------- interpret


class PublicityInterpreter:
    """Publicity cells of a parsed file -> publicity.csv records and issues (per run)."""

    def __init__(self, roster, resolver, campaign: Campaign, unit_text):
        self.campaign = campaign
        # (text, names someone, name to resolve) of a union cell, as the ledger reads it:
        # "长阳镇总工会（本级）" is the federation itself, "/" or "本单位" no one.
        self.unit_text = unit_text
        self.settings = campaign.publicity
        self.words = _words(campaign)
        self.resolver = resolver
        self.parent_of = roster.parent_of
        self.kind_of = roster.kind_of
        units = roster.units
        members = units["members"].astype("int64")  # tolist: not value by value from Arrow
        # By `Roster.union_key` (the name, unless the roster repeats it under several parents).
        self.union_key = roster.union_key
        self.members = dict(zip(roster.union_keys(), members.tolist(), strict=True))
        self.federation_members = units.groupby("reporting_unit")["members"].sum().to_dict()

    def interpret(self, sub, rejected_reason: str | None = None) -> None:
        """Fill `sub.publicity` (records) and `sub.row_issues` from the file's publicity tables."""
        publicity_tables = getattr(sub.parsed, "publicity", ())
        # Rows read as activities too (counts in an activity table's extra columns): the
        # ledger already tells a deletion or a 同上 there. Listed only for a file with
        # publicity tables (most have none: no set of every row's number made for them).
        self.told = {
            (t.sheet, number)
            for t in getattr(sub.parsed, "tables", ()) if publicity_tables
            for number in TableRows.of(t.rows).numbers()
        }  # fmt: skip
        # (sheet, row, code, what) told (`_first`): a column letter, or the output as written
        self.said: set[tuple[str, int, str, str]] = set()
        for table in publicity_tables:
            for cell in table.cells:
                if rejected_reason is not None:
                    sub.publicity.append(
                        self._record(sub, table, cell, RowState.REJECTED, rejected_reason)
                    )
                else:
                    sub.publicity.append(self._cell(sub, table, cell))

    def _tell_once(self, sub, table, cell, severity: str, code: str, text: str, column: str,
                   value: str = "", suggestions: str = "") -> None:  # fmt: skip
        """One issue per row, problem and cell (not per count of the row), in `column` (the
        letter of the cell the problem is in: the union cell's for a union problem, "" for
        the whole row), unless the row is an activity's: the ledger tells its problems."""
        if (table.sheet, cell.row) not in self.told and self._first(table, cell, code, column):
            self._issue(sub, table, cell, severity, code, text, value, suggestions, column=column)

    def _first(self, table, cell, code: str, what: str) -> bool:
        """Whether this row's `code` about `what` (a column letter, an output as written)
        is told here for the first time; it counts as told from now on."""
        key = (table.sheet, cell.row, code, what)
        if key in self.said:
            return False
        self.said.add(key)
        return True

    def _record(self, sub, table: PublicityTable, cell: PublicityCell, state: str, reason: str,
                unit: str = "", count: int | float | None = None) -> dict:  # fmt: skip
        return {
            "file": sub.file, "sheet": table.sheet, "row": cell.row,
            "reporting_unit": sub.reporting_unit or "", "kind": sub.kind or "",
            "round": sub.round or "", "grassroots_unit": unit, "output": cell.output,
            "count": count, "state": state, "reason": reason,
            "cumulative": table.cumulative or cell.column in table.running
                          or self.words.says_cumulative(cell.column),
            "label": cell.label, "written": clean.normalise_text(cell.value),
        }  # fmt: skip

    def _issue(self, sub, table, cell, severity: str, code: str, text: str, value: str = "",
               suggestions: str = "", column: str | None = None) -> None:  # fmt: skip
        """A row issue; `column` the letter of the cell it is about (the count's by default)."""
        sub.row_issues.append(
            Issue(
                sub.file,
                table.sheet,
                cell.row,
                cell.letter if column is None else column,
                severity,
                code,
                text,
                value,
                suggestions,
            )
        )

    def _cell(self, sub, table: PublicityTable, cell: PublicityCell) -> dict:
        if cell.kind == "total":
            return self._record(sub, table, cell, RowState.REJECTED, IssueCode.TOTAL_ROW)
        if cell.kind == "deleted":  # struck through whole: the unit deleted the row
            self._tell_once(sub, table, cell, "error", "row_deleted",
                            message_text("row_deleted", place=place_text(table.sheet, cell.row)),
                            column="")  # the whole row, as for an activity row  # fmt: skip
            return self._record(sub, table, cell, RowState.REJECTED, IssueCode.ROW_DELETED)
        output_name = self.settings.name(cell.output)
        warnings: list[str] = []
        if cell.ditto:
            warnings.append("value_ditto")
            self._tell_once(sub, table, cell, "warning", "value_ditto", _text(
                "value_ditto", cell.row,
                fields=_tables_helpers().FIELD_LABELS_CN["grassroots_unit"]),
                column=cell.unit_letter)  # fmt: skip
        written, named, name = self.unit_text(cell.unit)
        unit, parent = "", ""
        if named:
            found = self.resolver.resolve(name, sub.reporting_unit)
            if found.unit:
                unit, parent = found.unit, found.parent or ""
            else:  # a name of several unions (a direct union's among them) names none
                federation = (
                    None if found.candidates else self.resolver.resolve_reporting_unit(name).unit
                )
                if federation and self.kind_of.get(federation) == "direct":
                    unit = parent = federation
                elif not federation and found.candidates:  # under several parents: no guess
                    text = message_text("unit_ambiguous", row=cell.row, value=written,
                                        reporting=sub.reporting_unit,
                                        **ambiguous_fields(found.candidates))  # fmt: skip
                    self._tell_once(sub, table, cell, "error", "unit_ambiguous", text,
                                    cell.unit_letter or cell.letter, written,
                                    "、".join(found.suggestions))  # fmt: skip
                    return self._record(
                        sub, table, cell, RowState.REJECTED, IssueCode.UNIT_AMBIGUOUS
                    )
                elif not federation:
                    text = message(IssueCode.UNIT_UNRESOLVED, row=cell.row, value=written,
                                   suggest=suggestion_text(found.suggestions))  # fmt: skip
                    self._tell_once(sub, table, cell, "error", "unit_unresolved", text,
                                    cell.unit_letter or cell.letter, written,
                                    "、".join(found.suggestions))  # fmt: skip
                    return self._record(
                        sub, table, cell, RowState.REJECTED, IssueCode.UNIT_UNRESOLVED
                    )
        elif self.kind_of.get(sub.reporting_unit) == "direct":
            unit = parent = sub.reporting_unit
        elif sub.submitter:  # a grassroots union's own file: its own counts, not 本级
            unit, parent = sub.submitter, sub.reporting_unit
        elif not table.unit_column and table.sheet:  # one sheet per union, named for it
            unit, parent = self._union_named(table.sheet, sub.reporting_unit)
            candidates = () if unit else self.resolver.unions_named(table.sheet, sub.reporting_unit)
            if candidates:  # named for a union of several parents, none this unit's: no guess
                text = message_text("unit_ambiguous", row=cell.row, value=table.sheet,
                                    reporting=sub.reporting_unit,
                                    **ambiguous_fields(candidates))  # fmt: skip
                self._tell_once(sub, table, cell, "error", "unit_ambiguous", text, cell.letter,
                                table.sheet, "、".join(labelled(*c) for c in candidates))  # fmt: skip
                return self._record(sub, table, cell, RowState.REJECTED, IssueCode.UNIT_AMBIGUOUS)
        if cell.output == "other" and cell.label and self._unknown_label(cell.label):
            warnings.append("publicity_output_unknown")
            # Once per row and output as written, at the first count cell (本期 | 累计 or
            # 原创 | 转发 read from one row would repeat the same line).
            if self._first(table, cell, "publicity_output_unknown", cell.label):
                self._issue(sub, table, cell, "warning", "publicity_output_unknown",
                            _text("publicity_output_unknown", cell.row, value=cell.label))  # fmt: skip
        if self.words.placeholder(cell.value):  # "无", "/": nothing written
            count, code = None, "publicity_count_missing"
        else:
            count, code = parse_count(cell.value, self.settings.units)
        shown = clean.normalise_text(cell.value)
        if code:
            warnings.append(code)
            self._issue(sub, table, cell, "warning", code,
                        _text(code, cell.row, output=output_name, value=shown, number=count))  # fmt: skip
        if count is not None:
            members = self.members.get(self.union_key(unit, parent)) if unit else self.federation_members.get(
                sub.reporting_unit)  # fmt: skip
            if members is not None:
                limit = max(self.settings.min_limit, math.ceil(members * self.settings.per_member))
                if count > limit:
                    warnings.append("publicity_count_implausible")
                    self._issue(sub, table, cell, "warning", "publicity_count_implausible", _text(
                        "publicity_count_implausible", cell.row, unit=unit or sub.reporting_unit,
                        output=output_name, number=count, measure=self.settings.unit(cell.output),
                        members=int(members), limit=limit))  # fmt: skip
        reason = ";".join(dict.fromkeys(warnings)) or "ok"
        return self._record(sub, table, cell, RowState.ACCEPTED, reason, unit, count)

    def _union_named(self, sheet: str, reporting_unit: str | None) -> tuple[str, str]:
        """The grassroots union a sheet is named for (长阳镇卫生院工会, 长阳镇卫生院) and its
        parent, else ("", ""); a name under several parents: the reporting unit's."""
        found = self.resolver.union_named(sheet, reporting_unit)
        return (found.name, found.parent) if found else ("", "")

    def _unknown_label(self, label: str) -> bool:
        """An `other` cell whose label is not itself a synonym of `other` (其他)."""
        other = next((o for o in self.settings.outputs if o.code == "other"), None)
        key = clean.match_key(label)
        return not (other and any(clean.match_key(s) in key for s in other.synonyms))


def publicity_table(subs) -> pd.DataFrame:
    """publicity.csv: every submission's publicity records, in file order."""
    records = [r for s in subs for r in s.publicity]
    frame = pd.DataFrame.from_records(records, columns=list(PUBLICITY_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    # As written: 3 stays "3" and 1.5 "1.5" in the CSV (a float column would write "3.0").
    frame["count"] = pd.Series([r["count"] for r in records], dtype=object, index=frame.index)
    frame["cumulative"] = frame["cumulative"].astype("boolean")
    return frame


def finalise(sub) -> None:
    """Records of a duplicate or superseded file take the file's state and reason."""
    if sub.state == FileState.DUPLICATE_FILE:
        state, reason = RowState.DUPLICATE, f"duplicate_file:{sub.duplicate_of}"
    elif sub.state == FileState.SUPERSEDED:
        state, reason = RowState.SUPERSEDED, f"superseded:{sub.superseded_by}"
    elif "publicity" in sub.superseded_kinds:  # its activities still count
        state, reason = RowState.SUPERSEDED, f"superseded:{sub.superseded_kinds['publicity']}"
        # The warnings about its counts go with them, as a superseded file's do.
        from analysis.submissions import count_issues

        sub.row_issues = count_issues(sub, keep=False)
    else:
        return
    sub.publicity = [{**r, "state": state, "reason": reason} for r in sub.publicity]
