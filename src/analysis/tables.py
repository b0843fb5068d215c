"""A `Sheet` grid -> the `ActivityTable`s in it: header block, header row(s), rows by kind.

The header row is found, not assumed: the first row (or pair of rows, for two-row
headers) whose cells name the grassroots unit or activity title and at least two
of date / work item / form / participants, through the campaign's [columns]
synonyms. Decisions:

- Two-row headers: a parent label over sub-labels is read as parent+sub
  ("活动" over "日期" -> "活动日期"). When 参加人数 spans several sub-columns
  ("职工"/"干部"), the sub-column named 合计/小计/总计/总数 is used, else the first
  one (offices put the total first; the others are breakdowns).
- Merged cells: header labels take the merged range's top-left value; in data rows,
  a vertically merged unit, date, work item, form or title applies to every row it
  spans, but merged 参加人数 is read once (its top-left row) so it is not counted twice.
- Header block fields (填报单位, 联系人…) are collected from every non-data row of
  the sheet (above, between and below tables), first occurrence wins, and shared by
  the sheet's tables: one sheet comes from one office.
- Rows: blank rows (or rows holding only a 序号) are skipped and do not end the
  table; a row repeating the header starts a new table.
- Tables side by side: a header row naming an activity table's fields twice or more,
  left to right (B-E and H-K under row 2), holds one table per group of columns
  (`_side_by_side`), each with its own columns and the same header and body rows; each
  side's rows are judged by their own cells (data, 合计, note, blank). Repeated words
  that make no table by themselves (参加人数 over 会员|非会员, 备注 and 说明) stay in
  one table; a group that looks like a table beside another but is none is not read,
  and a warning names its columns (`side_by_side_unread`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from analysis.campaign import Campaign
from analysis.clean import (
    HEADING_ORDINAL,
    KEY_DROP,
    cn_date_digits,
    match_key,
    normalise_text,
    parse_participants,
    section_item,
    text_key,
)
from analysis.messages import message_text
from analysis.model import (
    HEADER_FIELDS,
    TABLE_FIELDS,
    ActivityTable,
    HeaderBlock,
    Issue,
    IssueCode,
    RowRun,
    Sheet,
    TableRow,
    gc_paused,
)

CORE_FIELDS = ("date", "work_item", "form", "participants")
IDENTITY_FIELDS = ("grassroots_unit", "title")
FILLED_FIELDS = frozenset({"grassroots_unit", "date", "work_item", "form", "title"})
MAX_LABEL_CHARS = 20  # longer cells are sentences, not column headers
SUB_TOTAL_WORDS = ("合计", "小计", "总计", "总数", "共计")
# Header words of a sheet counting publicity outputs rather than listing activities.
OUTPUT_WORDS = ("篇", "条", "文章", "报道", "微信", "微博", "图片", "视频", "信息", "稿件", "数量")
# Every table field in Chinese: messages name fields by these, never by the English code.
FIELD_LABELS_CN = {
    "seq": "序号",
    "grassroots_unit": "基层工会名称",
    "date": "活动日期",
    "work_item": "工作类别",
    "form": "活动形式",
    "participants": "参加人数",
    "title": "活动名称",
    "note": "备注",
}

Grid = list[list[object]]


def _cell(grid: Grid, i: int, j: int) -> object:
    if 0 <= i < len(grid) and 0 <= j < len(grid[i]):
        value = grid[i][j]
        if isinstance(value, str) and not value.strip():
            return None
        return value
    return None


def blank(value: object) -> bool:
    """None or a string of spaces only: an empty cell."""
    return value is None or (isinstance(value, str) and not value.strip())


EXACT_MARK = "="  # a column synonym that must be the whole header, not part of one


class _Matcher:
    """Header label -> table field, through the campaign's column synonyms (memoised).

    A synonym written "=单位" matches only a header that is exactly 单位: a word too
    common to be looked for inside other labels ("本表由各单位填写").
    """

    def __init__(self, campaign: Campaign):
        exact_only = [
            (match_key(s[1:]), field)
            for field, words in campaign.columns.items()
            for s in words
            if s.startswith(EXACT_MARK) and match_key(s[1:])
        ]
        self.synonyms = [
            (match_key(s), field)
            for field, words in campaign.columns.items()
            for s in words
            if not s.startswith(EXACT_MARK) and match_key(s)
        ]
        self.exact = {}
        for key, field in [*self.synonyms, *exact_only]:
            self.exact.setdefault(key, field)
        self.field_of = lru_cache(maxsize=4096)(self._field_of)

    def _field_of(self, label: str) -> tuple[str, int, int] | None:
        """(field, quality, synonym length): quality 2 for an exact synonym, 1 for containment."""
        key = match_key(label)
        if not key or len(key) > MAX_LABEL_CHARS or _DIGIT.search(key):
            return None
        if key in self.exact:
            return self.exact[key], 2, len(key)
        contained = [(len(s), f) for s, f in self.synonyms if s in key]
        if not contained:
            return None
        n, field = max(contained, key=lambda t: t[0])
        return field, 1, n


_DIGIT_OR_COLON = re.compile(r"[\d:：]")
# A numbered heading: 一、… （二）… 3.… 第一部分… 一是…
_NUMBERED = re.compile(
    r"\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|[一二三四五六七八九十\d]{1,2}\s*[、.．]|"
    + HEADING_ORDINAL
    + ")"
)
_DIGIT = re.compile(r"\d")
_NUMBER_TEXT = re.compile(r"\s*[\d.]+\s*")
_SEQ_TEXT = re.compile(r"[\d.]+")
_NOTE_LABEL = re.compile(r"^(注|填表人|制表人|填报人|审核人|联系电话|联系人)\s*[:\d]")
# A sign-off line under the table: a seal or signature (单位（盖章）, 主要负责人签字：) or a
# label with nothing after its colon (填表日期：), or a role's short label and a name
# (统计人：张三, 经办人：李四, 制表：王五, 审核：赵六, 填报时间：7月1日). Only a row without
# a figure or an activity date is one (`_Context.sign_off`): 长阳镇卫生院工会： or
# 职工签名承诺活动 with either is an activity.
# The words of a seal or signature, one list for every pattern below. 签名 alone is not
# one of them: 职工签名承诺 is an activity's title (a sign-off only beside no figure).
_SEAL_WORDS = ("盖章", "签章", "公章", "签字")
_SIGN_OFF = re.compile(
    "|".join((*_SEAL_WORDS, "签名"))
    + r"|^[^:]{1,15}:$"
    + r"|^[^:\d]{0,6}(?:人|员|领导|制表|审核|审批|统计|经办|电话|手机|时间|日期):"
)
# A seal or signature and the date it was signed on, whichever column that date fell
# into (活动日期 or 参加人数 included).
_SEAL = re.compile("|".join(_SEAL_WORDS))
# A role's signature line: 负责人签名：张三, 填报人签名：, 主要负责人（签名）, 单位负责人签字,
# 工会主席签名. The role is one of these, so 职工签名承诺, 签名活动 and 万人签名 (签名 in an
# activity's title) are none; a name may follow a colon.
_SIGNER = (
    r"(?:单位|主要|分管|工会|党支部|基层工会)?"
    r"(?:负责人|审核人|审批人|填报人|填表人|制表人|统计人|经办人|联系人|领导|主席|书记)|单位"
)
_SIGNATURE = re.compile("(?:" + _SIGNER + r")[（(]?(?:签名|签字)[)）]?(?:[:：][^:：\d]{0,12})?")
# A note for the seal or signature in a header block, in brackets: 填报单位（盖章）：…,
# （公章）, （加盖公章）, （签名）, （盖章处）.
_SEAL_NOTE = re.compile(
    r"[（(]\s*(?:加盖)?(?:" + "|".join((*_SEAL_WORDS, "签名")) + r")处?\s*[)）]"
)
# A whole date with its year, in digits (2019年6月28日, 2019.6.28, 2019-06-28) or, through
# `cn_date_digits`, in Chinese numerals (二〇一九年六月二十八日, 二○一九年六月廿八日).
_DATE_TEXT = re.compile(r"\d{2,4}\s*[年./\-]\s*\d{1,2}\s*[月./\-]\s*\d{1,2}\s*[日号]?")


def _sealed_and_dated(raw: list[tuple[int, object]]) -> bool:
    """The row is a seal or signature line and a date, nothing else, in either order:
    单位（盖章） | 2019年6月28日 or | 二〇一九年六月二十八日 (a sign-off, though its date
    fell under 活动日期)."""
    if len(raw) != 2:
        return False
    (_, a), (_, b) = raw
    return (_seal(a) and _a_date(b)) or (_seal(b) and _a_date(a))


def _seal(value: object) -> bool:
    """A seal or signature word (单位（盖章）, 主要负责人签字：), or a role's signature line
    (负责人签名：张三, `_SIGNATURE`)."""
    if not isinstance(value, str):
        return False
    return bool(_SEAL.search(value)) or bool(
        _SIGNATURE.fullmatch(normalise_text(value).replace(" ", ""))
    )


def _a_date(value: object) -> bool:
    """A date cell, or a text that is a whole date (year, month and day) and nothing else;
    never a bare number (20, 二十, 2019), which is a figure."""
    if isinstance(value, dt.date):
        return True
    if not isinstance(value, str):
        return False
    text = normalise_text(value)
    return bool(_DATE_TEXT.fullmatch(text) or _DATE_TEXT.fullmatch(cn_date_digits(text)))


MEMO_LIMIT = 200_000  # distinct values remembered per memo before it is cleared
_UNSEEN = object()  # a memo's answer for a value it has not seen


class _Context:
    """A campaign's matcher and markers, with per-value memos shared by every sheet of a run.

    Data cells repeat (units, work items, forms, dates), so each distinct value is
    normalised and tested once rather than once per cell.
    """

    def __init__(self, campaign: Campaign):
        self.key = _context_key(campaign)
        self.campaign = campaign
        self.sections: dict[str, str | None] = {}
        self.matcher = _Matcher(campaign)
        self.total_markers = campaign.row_markers.get("total", ())
        self.note_markers = tuple(
            m.replace("：", ":") for m in campaign.row_markers.get("note", ())
        )
        # Every value seen by `classify` (non-strings too, of no kind) -> its kind's bits,
        # and the strings of each kind: blank, naming a field, total marker, text, ditto,
        # refused by `label_like`, heading a part of the figure alone or its bare total.
        self.kinds: dict[object, int] = {}
        self.of_kind: tuple[set[str], ...] = tuple(set() for _ in range(7))
        self.label_ok: dict[str, bool] = {}
        self.sub_ok: dict[str, bool] = {}
        self.total_hit: dict[str, bool] = {}
        self.note_hit: dict[str, bool] = {}
        self.sign_off_hit: dict[str, bool] = {}
        self.count: dict[tuple[type, object], int | None] = {}
        self.pub_label: dict[str, bool] = {}  # `publicity_labels`
        self.pub_yes: set[str] = set()  # the strings `pub_label` says yes to
        # Cells that hold nothing ("/", "无", "—": `[row_rules] no_activity`): as blank in a
        # part of a split figure.
        self.empty_words = frozenset(text_key(w) for w in campaign.row_rules.get("no_activity", ()))
        self.empty_hit: dict[str, bool] = {}

    def trim(self) -> None:
        """Clear any memo grown past MEMO_LIMIT (bounded memory on huge runs)."""
        for memo in (
            self.label_ok,
            self.sub_ok,
            self.total_hit,
            self.note_hit,
            self.sign_off_hit,
            self.sections,
            self.empty_hit,
        ):
            if len(memo) > MEMO_LIMIT:
                memo.clear()
        if len(self.kinds) > MEMO_LIMIT:
            self.kinds.clear()
            for strings in self.of_kind:
                strings.clear()
        if len(self.pub_label) > MEMO_LIMIT:
            self.pub_label.clear()
            self.pub_yes.clear()
        if len(self.count) > MEMO_LIMIT:
            self.count.clear()

    def classify(self, grid: Grid) -> tuple[set[str], ...]:
        """The grid's blank strings, strings naming a field, total markers, non-numeric
        texts, ditto marks (同上, 〃: short texts only), strings that `label_like`
        refuses (a digit or colon in the label) and labels of one part of the figure or
        of a bare total (线上, 女职工, 合计: `_headed_by_part`, `_bare_total`).

        Each distinct value is classified once per run; a grid's sets are then cut from
        the run's with C-level set operations (no Python loop over values seen before),
        and rows are tested against them instead of cell by cell.
        """
        memo = self.kinds
        of_kind = self.of_kind
        values = set(chain.from_iterable(grid))
        for v in values.difference(memo):
            if not isinstance(v, str):
                memo[v] = 0
                continue
            label = _labels(v)
            text = bool(v.strip()) and not _NUMBER_TEXT.fullmatch(v)
            kind = memo[v] = (
                (not v.strip())
                | (bool(label) and self.matcher.field_of(label) is not None) << 1
                | self.total_marker(v) << 2
                | text << 3
                | (text and is_ditto(v)) << 4
                | bool(_DIGIT_OR_COLON.search(label)) << 5
                | (
                    text
                    and len(label) <= MAX_LABEL_CHARS
                    and _PART_OR_TOTAL_START.match(label) is not None
                    and (_headed_by_part([label]) or _bare_total(label))
                )
                << 6
            )
            for bit, strings in enumerate(of_kind):
                if kind >> bit & 1:
                    strings.add(v)
        return tuple(values.intersection(strings) if strings else set() for strings in of_kind)

    def publicity_labels(self, texts: set[str], probe) -> set[str]:
        """The texts that may head a publicity table (`probe.label`), memoised per value."""
        memo = self.pub_label
        for v in texts.difference(memo):
            # a header label is short and has no digit (dates, counts, prose)
            hit = memo[v] = (
                len(v) <= MAX_LABEL_CHARS and not _DIGIT.search(v) and probe.label(_labels(v))
            )
            if hit:
                self.pub_yes.add(v)
        return texts.intersection(self.pub_yes) if self.pub_yes else set()

    def label_like(self, row: list[object]) -> bool:
        """No string cell of the row holds a digit or colon (as `_header_at` requires of parents)."""
        memo = self.label_ok
        for v in row:
            if isinstance(v, str):
                ok = memo.get(v)
                if ok is None:
                    ok = memo[v] = not _DIGIT_OR_COLON.search(_labels(v))
                if not ok:
                    return False
        return True

    def maybe_sub_header(self, row: list[object] | None) -> bool:
        """False when `row` certainly is no sub-header row (a necessary test of `_sub_header`)."""
        if row is None:
            return False
        memo = self.sub_ok
        seen = False
        for v in row:
            if v is None:
                continue
            if not isinstance(v, str):
                return False
            ok = memo.get(v)
            if ok is None:
                ok = memo[v] = blank(v) or (len(normalise_text(v)) <= 10 and not _DIGIT.search(v))
            if not ok:
                return False
            seen = seen or not blank(v)
        return seen

    def section(self, value: str) -> str | None:
        """`clean.section_item(value)`, memoised: the work item a section heading names."""
        if value not in self.sections:
            self.sections[value] = section_item(value, self.campaign)
        return self.sections[value]

    def total_marker(self, value: object) -> bool:
        """`marker_hit(value, total markers)`, memoised."""
        if not isinstance(value, str):
            return False
        hit = self.total_hit.get(value)
        if hit is None:
            hit = self.total_hit[value] = marker_hit(value, self.total_markers)
        return hit

    def note_marker(self, value: str) -> bool:
        """A string first cell that starts a note row (注…, 填表人…, a campaign note marker)."""
        hit = self.note_hit.get(value)
        if hit is None:
            key = normalise_text(value).replace(" ", "").replace("：", ":")
            hit = self.note_hit[value] = bool(
                key.startswith(self.note_markers) or _NOTE_LABEL.match(key)
            )
        return hit

    def sign_off(self, value: str) -> bool:
        """A string first cell that may be a sign-off line (`_SIGN_OFF`); the row is a note
        only when it holds no figure, which the caller checks."""
        hit = self.sign_off_hit.get(value)
        if hit is None:
            key = normalise_text(value).replace(" ", "").replace("：", ":")
            hit = self.sign_off_hit[value] = bool(
                _SIGN_OFF.search(key) and not self.total_marker(value)  # 小计：
            )
        return hit

    def placeholder(self, value: object) -> bool:
        """The cell holds only a placeholder for nothing ("/", "无", "—"), memoised."""
        if not isinstance(value, str):
            return False
        hit = self.empty_hit.get(value)
        if hit is None:
            hit = self.empty_hit[value] = text_key(value) in self.empty_words
        return hit

    def participants(self, value: object) -> int | None:
        """parse_participants(value)'s count, memoised by (type, value)."""
        key = (value.__class__, value)
        if key in self.count:
            return self.count[key]
        count, _ = parse_participants(value)
        self.count[key] = count
        return count


def _context_key(campaign: Campaign) -> tuple:
    return (
        {f: tuple(w) for f, w in campaign.columns.items()},
        {k: tuple(w) for k, w in campaign.row_markers.items()},
        tuple(campaign.row_rules.get("no_activity", ())),
    )


_CONTEXT: list[tuple[Campaign, _Context]] = []


def _context(campaign: Campaign) -> _Context:
    """The campaign's context, reused while the same campaign (with the same rules) is parsed."""
    if _CONTEXT:
        held, context = _CONTEXT[0]
        if held is campaign and context.key == _context_key(campaign):
            context.trim()
            return context
    context = _Context(campaign)
    _CONTEXT[:] = [(campaign, context)]
    return context


def _labels(value: object) -> str:
    return "" if blank(value) or not isinstance(value, str) else normalise_text(value)


# A name column's label that names the union above (所属工会, 上级工会, 主管单位).
_PARENT_LABEL = re.compile("所属|上级|主管|隶属|归属")


def _assign(matcher: _Matcher, labels: list[list[str]]) -> tuple[dict[str, int], dict[str, str]]:
    """Choose one column per field from candidate labels per column (best first)."""
    best: dict[str, tuple[tuple, int, str]] = {}
    for j, candidates in enumerate(labels):
        for label in candidates:
            found = matcher.field_of(label) if label else None
            if found is None:
                continue
            field, quality, length = found
            total_sub = field == "participants" and _total_word(label)
            # 所属工会 | 基层工会: the union that held it, not the one above it.
            own = field != "grassroots_unit" or not _PARENT_LABEL.search(label)
            rank = (own, quality, total_sub, length, -j)
            if field not in best or rank > best[field][0]:
                best[field] = (rank, j, label)
            break
    # One field per column: the better-ranked field keeps a contested column.
    by_column: dict[int, str] = {}
    for field, (_rank, j, _) in sorted(best.items(), key=lambda kv: kv[1][0], reverse=True):
        by_column.setdefault(j, field)
    columns = {f: best[f][1] for f in best if by_column.get(best[f][1]) == f}
    return columns, {f: best[f][2] for f in columns}


def column_letter(j: int) -> str:
    """0-based column index -> its letter as a spreadsheet shows it (0 -> A, 27 -> AB)."""
    letters = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        letters = chr(65 + r) + letters
    return letters


_ACTUAL = re.compile("实到|实际|实参")  # attendance as it was
_PLANNED = re.compile("应到|应参|计划|预计|拟参")  # as it was meant to be


# 总人数, 总人次, 参加总人数: a whole figure named by 总 rather than 合计.
_WHOLE_FIGURE = re.compile("总(?:参加|参与|参会)?人[数次]")
# A total's label with its unit after it: 合计（人）, 合计数, 小计(人次).
_TOTAL_UNIT = re.compile("(?:人次|人数|人|数|名|次)$")


def _total_word(label: str) -> bool:
    """The label names a whole figure (合计, 小计, 总人数…), not one of its parts."""
    return any(w in label for w in SUB_TOTAL_WORDS) or bool(_WHOLE_FIGURE.search(label))


# A bare column of participants by sex beside the figure (男 | 女 | 参加人数合计).
_SEX_PART = re.compile("^(男|女)(?:性|职工|同志|同事|会员)?(?:人数|人次|数|人|名)?$")


def _sex_parts(labels: list[list[str]], total: int, lo: int, hi: int, taken) -> list[int]:
    """The columns right beside the participants column `total` headed 男 and 女 (one
    each, side by side, neither read as another field): its parts, to check it by;
    [] when there are none."""
    for step in (-1, 1):
        found: dict[str, int] = {}
        j = total + step
        while lo <= j < hi and j not in taken and labels[j] and labels[j][0]:
            hit = _SEX_PART.match(match_key(labels[j][0]))
            if hit is None or hit.group(1) in found:
                break
            found[hit.group(1)] = j
            j += step
        if len(found) == 2:
            return sorted(found.values())
    return []


# A column holding one part of the participants figure, headed by the part alone:
# 线上 | 线下, 现场 | 直播, 党员 | 群众, 职工 | 会员 | 其他, 男 | 女 (人数, 人, （人）…).
_BARE_PART = re.compile(
    "^(?:线上|线下|网上|网下|现场|直播|党员|非党员|群众|团员|职工|非职工|会员|非会员|干部|"
    "其他|其它|男|女)(?:性|职工|同志|会员|人员)?(?:参加|参与)?(?:人数|人次|数|人|名)?$"
)


# How a label of `_BARE_PART` or `_bare_total` begins, before its matching key is
# taken: a cheap test that spares the normalisation for almost every other text.
_PART_OR_TOTAL_START = re.compile(KEY_DROP.pattern + "*[线网现直党非群团职会干其男女合小总共]")


def _headed_by_part(options: list[str]) -> bool:
    """A column's header labels name one part of the figure alone (`_BARE_PART`)."""
    return any(_BARE_PART.match(match_key(o)) for o in options if o)


def _bare_parts(
    labels: list[list[str]], lo: int, hi: int, taken: set[int], shown: dict[int, str]
) -> Split | None:
    """For a header with no participants column: the first run of adjacent columns headed
    by two or more parts of the figure (`_BARE_PART`), with at most one bare total
    (合计, 合计（人）) among them, as a Split; None when there is none."""
    kinds: dict[int, str] = {}
    for j in range(lo, min(hi, len(labels))):
        options = [o for o in labels[j] if o]
        if j in taken or not options:
            continue
        if any(_bare_total(o) for o in options):
            kinds[j] = "total"
        elif _headed_by_part(options):
            kinds[j] = "part"
    runs: list[list[int]] = []
    for j in sorted(kinds):
        if runs and runs[-1][-1] == j - 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    for run in runs:
        parts = [j for j in run if kinds[j] == "part"]
        totals = [j for j in run if kinds[j] == "total"]
        if len(parts) >= 2 and len(totals) <= 1:
            names = {j: shown.get(j, "") for j in run}
            return Split("participants", totals[0] if totals else None, parts, names)
    return None


def _bare_parts_beside(
    labels: list[list[str]], total: int, lo: int, hi: int, taken: set[int]
) -> list[int]:
    """The run of two or more adjacent columns right beside the figure's column `total`,
    on its left or its right, each headed by a part alone (`_BARE_PART`); [] when none."""
    for step in (-1, 1):
        run = []
        j = total + step
        while lo <= j < min(hi, len(labels)) and j not in taken and _headed_by_part(labels[j]):
            run.append(j)
            j += step
        if len(run) >= 2:
            return sorted(run)
    return []


def _with_bare_neighbours(
    labels: list[list[str]], cols: list[int], lo: int, hi: int, taken: set[int]
) -> list[int]:
    """`cols` (the parts of a figure, left to right) and the columns right beside them
    headed by a part alone (`_BARE_PART`), when `cols` are adjacent themselves or only
    such columns lie between them (职工人数 | 会员 | 其他人数)."""

    def bare(j: int) -> bool:
        return lo <= j < min(hi, len(labels)) and j not in taken and _headed_by_part(labels[j])

    if any(j not in cols and not bare(j) for j in range(cols[0], cols[-1] + 1)):
        return cols

    left, right = cols[0], cols[-1]
    while bare(left - 1):
        left -= 1
    while bare(right + 1):
        right += 1
    return list(range(left, right + 1))


def _bare_total(label: str) -> bool:
    """The label is a total and nothing else (合计, 合计（人）, 合计数), naming no field."""
    return _TOTAL_UNIT.sub("", match_key(label)) in SUB_TOTAL_WORDS


def _field_or(matcher: _Matcher, label: str, default: str | None) -> str | None:
    """The field `label` names, else `default`."""
    hit = matcher.field_of(label)
    return default if hit is None else hit[0]


def _spread_parents(
    parent: list[str], sub: list[str], merges: dict, i: int, matcher: _Matcher | None = None
) -> list[str]:
    """Parent labels of a two-row header, each carried over the blank cells to its right
    that hold sub-labels, as long as the parent itself has one below it: 参加人数 typed
    over 男 | 女 | 合计 without merging (a CSV export, 跨列居中) spans them as a merge would.
    A merged parent already spans what it spans."""
    out = list(parent)
    owner, field = "", None
    for j, p in enumerate(parent):
        if p:
            owner = p if sub[j] and merges.get((i, j)) is None else ""
            field = _field_or(matcher, p, None) if matcher is not None else None
        elif owner and sub[j] and (matcher is None or _field_or(matcher, sub[j], field) == field):
            out[j] = owner
        else:
            owner = ""  # a label of another field (备注) ends what the parent spans
    return out


def _options(parent: str, sub: str, matcher: _Matcher) -> list[str]:
    """A two-row header column's candidate labels, best first: parent and sub-label
    together, the sub-label, the parent. A part of the figure alone (线上, 男, 合计) under
    a parent that only contains another field's word (人员类别, 人员类型 hold 类别, 类型)
    is that part, not that field: its sub-label alone."""
    if not (parent and sub and sub != parent):
        return [parent or sub]
    if _headed_by_part([sub]) or _bare_total(sub):
        hit = matcher.field_of(parent)
        if hit is not None and hit[0] != "participants" and hit[1] == 1:
            return [sub]
    return [parent + sub, sub, parent]


def _header_labels(
    grid: Grid, merges: dict, i: int, last: int, width: int, matcher: _Matcher
) -> list[list[str]]:
    """Candidate labels of every header column, best first (as `_header_at` built them)."""
    parent = [_labels(_filled(grid, merges, i, j)) for j in range(width)]
    if last == i:
        return [[p] for p in parent]
    sub = []
    for j in range(width):
        rng = merges.get((i + 1, j))
        sub.append("" if rng and rng[0] <= i else _labels(_cell(grid, i + 1, j)))
    parent = _spread_parents(parent, sub, merges, i, matcher)
    return [_options(p, s, matcher) for p, s in zip(parent, sub, strict=True)]


class Split:
    """How a figure split across several header columns is read (issue: parts and a total).

    `total` is the column read as the figure (None: the figure is the sum of `parts`);
    `parts` are the columns holding its parts, cross-checked against the total.
    """

    __slots__ = ("field", "total", "parts", "labels")

    def __init__(self, field: str, total: int | None, parts: list[int], labels: dict[int, str]):
        self.field, self.total, self.parts, self.labels = field, total, parts, labels

    def named(self, j: int) -> str:
        return message_text("column_named", letter=column_letter(j), label=self.labels[j])


def _candidates(
    matcher: _Matcher, labels: list[list[str]]
) -> dict[str, list[tuple[int, str, int]]]:
    """field -> [(column, label, quality)] of every column whose header names the field."""
    found: dict[str, list[tuple[int, str, int]]] = {}
    for j, options in enumerate(labels):
        for label in options:
            hit = matcher.field_of(label) if label else None
            if hit is not None:
                found.setdefault(hit[0], []).append((j, label, hit[1]))
                break
    return found


def _split_columns(
    grid: Grid, merges: dict, matcher: _Matcher, i: int, last: int, columns: dict[str, int],
    sheet: str, file: str, span: tuple[int, int | None] = (0, None),
) -> tuple[Split | None, list[Issue]]:  # fmt: skip
    """The participants split (parts and/or a total) of a header, and notes on ambiguous fields.

    - Several columns name 参加人数: a column whose header says 合计/小计/总计 (or a bare
      合计 column right beside them) is the figure, the others its parts (checked row by
      row); without one, the figure is the sum of the parts. Columns headed 其中… are
      breakdowns of another column and take no part. A column named exactly by a
      synonym (参加人数) is a whole figure, never a part: it is used, and the other
      candidates are named in a warning.
    - Any other field with several candidate columns: the one chosen is kept and a
      warning names the columns it was chosen from.

    Only the columns of `span` ([lo, hi), hi None: to the end) are looked at: the
    table's own, when a header row holds several tables side by side.
    """
    width = max(len(grid[k]) for k in range(i, last + 1))
    labels = _header_labels(grid, merges, i, last, width, matcher)
    lo, hi = span[0], width if span[1] is None else span[1]
    found = _candidates(matcher, [o if lo <= j < hi else [""] for j, o in enumerate(labels)])
    notes: list[Issue] = []
    split = None
    shown = {j: options[0] for j, options in enumerate(labels) if options and options[0]}

    def ambiguous(field: str, cols: list[int], used: int) -> None:
        names = "、".join(
            message_text("column_named", letter=column_letter(j), label=shown.get(j, ""))
            for j in cols
        )
        notes.append(
            Issue(file, sheet, last + 1, column_letter(used), "warning", IssueCode.COLUMN_AMBIGUOUS,
                  message_text("column_ambiguous", file=file, sheet=sheet, row=last + 1,
                               field=FIELD_LABELS_CN.get(field, field), names=names,
                               letter=column_letter(used), label=shown.get(used, "")))
        )  # fmt: skip

    def summed(split: Split, column: int) -> None:
        """The note that the figure is the sum of `split`'s parts (named at `column`)."""
        notes.append(
            Issue(file, sheet, last + 1, column_letter(column), "warning",
                  IssueCode.PARTICIPANTS_SUMMED,
                  message_text("participants_summed", file=file, sheet=sheet, row=last + 1,
                               parts="、".join(split.named(j) for j in split.parts)))
        )  # fmt: skip

    def one_per_cell(hits: list) -> list:
        """Columns under one merged header cell (基层工会名称 across B:C) are one column."""
        seen, out = set(), []
        for h in hits:
            rng = merges.get((last, h[0]))
            key = rng if rng is not None and rng[1] < rng[3] else h[0]
            if key not in seen:
                seen.add(key)
                out.append(h)
        return out

    date_parts = None
    for field, hits in found.items():
        used = columns.get(field)
        hits = [h for h in hits if columns.get(field) == h[0] or h[0] not in columns.values()]
        hits = one_per_cell(hits)
        if used is None or len(hits) < 2:
            continue
        if field == "date" and (date_parts := _date_parts(hits)) is not None:
            columns[field] = min(date_parts.values())  # messages name the first part
            continue
        if field != "participants":
            ambiguous(field, [h[0] for h in hits], used)
            continue
        # 其中… is a breakdown of another column, whether typed in the label or under a
        # merged 参加人数 (whose combined label reads 参加人数其中:女职工).
        kept = [h for h in hits if not any("其中" in o for o in (h[1], *labels[h[0]]))]
        # 应到 | 实到 (计划 | 实际) are alternatives, not parts: the actual figure is used.
        actual = [h for h in kept if _ACTUAL.search(h[1] + shown.get(h[0], ""))]
        if actual and any(_PLANNED.search(h[1] + shown.get(h[0], "")) for h in kept):
            columns[field] = actual[0][0]
            ambiguous(field, [h[0] for h in hits], actual[0][0])
            continue
        totals = [h for h in kept if _total_word(h[1])]
        parts = [h for h in kept if not _total_word(h[1])]
        cols = sorted(h[0] for h in parts)  # the parts, with those headed alone beside them
        if len(parts) >= 2 or (parts and _headed_by_part(labels[cols[0]])):
            cols = _with_bare_neighbours(labels, cols, lo, hi, set(columns.values()))
        if not totals:
            # A bare 合计 column right beside the parts (会员人数 | 非会员人数 | 合计), or
            # beside the parts headed alone next to them (职工人数 | 会员人数 | 其他 | 合计).
            edge = (max(cols) + 1, min(cols) - 1) if cols else ()
            for j in edge:
                if (
                    lo <= j < hi
                    and j not in columns.values()
                    and any(_bare_total(o) for o in labels[j] if o)
                ):
                    totals = [(j, labels[j][0], 1)]
                    break
        exact = [h for h in parts if h[2] == 2]
        names = {h[0]: h[1] for h in kept + totals}
        if totals:
            names.update({j: shown.get(j, "") for j in cols if j not in names})
            split = Split(field, totals[0][0], cols, names)
        elif exact or len(parts) < 2:
            # A column named exactly (参加人数) is the whole figure, not a part; two such
            # columns (参加人数 | 参加人次) are two measures: the first is used.
            if len(kept) > 1:
                ambiguous(field, [h[0] for h in hits], used)
        else:
            # A part beside them headed by itself (职工人数 | 会员人数 | 其他人员) is one more.
            names.update({j: shown.get(j, "") for j in cols if j not in names})
            split = Split(field, None, cols, names)
            summed(split, parts[0][0])
        if split is not None and split.total is not None:
            columns[field] = split.total
    if split is None and "participants" not in columns:
        # No column names the figure, but its parts do (线上 | 线下, 党员 | 群众 | 合计).
        split = _bare_parts(labels, lo, hi, set(columns.values()), shown)
        if split is not None and split.total is not None:
            columns["participants"] = split.total
        elif split is not None:
            summed(split, split.parts[0])
    total = columns.get("participants")
    if split is None and total is not None:
        parts = _sex_parts(labels, total, lo, hi, set(columns.values()))
        if not parts and _total_word(shown.get(total, "")):
            # 线上 | 线下 | 总人数: a whole figure beside parts headed by themselves is their
            # total, as a bare 合计 there would be (a blank one their sum).
            parts = _bare_parts_beside(labels, total, lo, hi, set(columns.values()))
        if parts:  # 男 | 女 beside the figure: the figure is read, the parts check it
            names = {j: shown.get(j, "") for j in (*parts, total)}
            split = Split("participants", total, parts, names)
        elif _headed_by_part([shown.get(total, "")]):
            # 职工 | 会员人数 | 其他 | 合计: the one column named as a figure is a part among
            # parts headed alone, read as `_bare_parts` reads them (the total, else the sum).
            taken = set(columns.values()) - {total}
            split = _bare_parts(labels, *_part_run(labels, total, lo, hi, taken), taken, shown)
            if split is not None and split.total is not None:
                columns["participants"] = split.total
            elif split is not None:
                summed(split, split.parts[0])
    return split, notes, date_parts


def _part_run(
    labels: list[list[str]], j: int, lo: int, hi: int, taken: set[int]
) -> tuple[int, int]:
    """[start, end) of the adjacent columns around column j headed by a part of the
    figure alone or by a bare total (职工 | 会员人数 | 其他 | 合计)."""

    def member(k: int) -> bool:
        options = [o for o in labels[k] if o] if lo <= k < min(hi, len(labels)) else []
        return (
            k not in taken
            and bool(options)
            and (_headed_by_part(options) or any(_bare_total(o) for o in options))
        )

    start, end = j, j + 1
    while member(start - 1):
        start -= 1
    while member(end):
        end += 1
    return start, end


# The part of a date a column under 活动日期 holds: 年 | 月 | 日 (号).
_DATE_ROLES = {"年": "year", "月": "month", "日": "day", "号": "day"}


def _date_parts(hits: list[tuple[int, str, int]]) -> dict[str, int] | None:
    """{year?, month, day: column} when the date's candidate columns are its 年 | 月 | 日
    (活动日期 merged, or typed, over them), each once; else None."""
    roles: dict[str, int] = {}
    for j, label, _quality in hits:
        role = _DATE_ROLES.get(match_key(label)[-1:])
        if role is None or role in roles:
            return None
        roles[role] = j
    return roles if {"month", "day"} <= roles.keys() else None


# One part of a date alone in its cell: 2019, 2019年, 6月, 13日, 13号.
_DATE_PART = re.compile(r"\s*\d{1,4}\s*[年月日号]?\s*")


def _read_date_parts(parts: dict[str, int], row: list[object], values: dict[str, object]) -> None:
    """The date of a row whose 年 | 月 | 日 are in their own cells, as the text “2019年6月3日”
    (“6月3日” without a year) for the date reader; blank when every part is."""
    width = len(row)
    cells = {role: row[j] if j < width else None for role, j in parts.items()}
    if all(blank(v) for v in cells.values()):
        values["date"] = None
        return
    written = [v for v in cells.values() if not blank(v)]
    if (
        len(written) == 1
        and isinstance(written[0], str)
        and not _DATE_PART.fullmatch(normalise_text(written[0]))
    ):
        values["date"] = written[0]  # a placeholder (无, /, 未开展) or a whole date in one part
        return
    # each part without its unit, written or not: 2019年 | 6月 | 13日 as 2019 | 6 | 13
    text = {role: normalise_text(v).strip().rstrip("年月日号") for role, v in cells.items()}
    year = text.get("year", "")
    month, day = text["month"], text["day"]
    values["date"] = (
        message_text("cn_date", year=year, month=month, day=day)
        if year
        else message_text("cn_month_day", month=month, day=day)
    )


def _read_split(split: Split, row: list[object], values: dict[str, object], context) -> None:
    """Put the whole figure of a split row into `values` (and the parts' sum when it disagrees).

    Blank parts count 0 when another part holds a number, and so do parts holding only a
    placeholder for nothing ("/", "无", "—": `[row_rules] no_activity`); a part that is not
    a number makes the figure that part's text (reported as unreadable); all blank:
    missing.
    A blank total beside parts with numbers is their sum (noted for a warning).
    """
    width = len(row)
    total, bad, seen = 0, None, False
    for j in split.parts:
        v = row[j] if j < width else None
        if blank(v):
            continue
        n = context.participants(v)
        if n is None:
            if context.placeholder(v):
                continue  # 线上 — | 线下 20: no one online
            bad = v
            break
        total, seen = total + n, True
    if split.total is None:
        values[split.field] = bad if bad is not None else (total if seen else None)
    elif bad is None and seen:
        whole = context.participants(values.get(split.field))
        written = "+".join(
            f"{split.labels[j]}{normalise_text(row[j]) if j < width and not blank(row[j]) else 0}"
            for j in split.parts
        )
        if blank(values.get(split.field)):  # the 合计 cell left empty: the parts' sum
            values[split.field] = total
            values[split.field + "_parts"] = (total, written, "total_blank")
        elif whole is None:  # “见附件” in the 合计 cell beside parts with numbers: their sum
            shown = normalise_text(values.get(split.field))
            values[split.field] = total
            values[split.field + "_parts"] = (total, written, "total_unreadable", shown)
        elif whole != total:
            values[split.field + "_parts"] = (total, written)


# A cell saying "the same as the row above": 同上, 同前, 〃, a ditto quote.
_DITTO = re.compile(r"同上|同前|仝上|〃|\"|”|“|''|ditto", re.IGNORECASE)
_DITTO_CHARS = 12  # no longer text is looked at for a ditto mark
# A character every ditto mark holds, before or after NFKC (full-width ＂＇ｄ included).
_DITTO_MARK = re.compile("[同仝〃\"”“'＂＇dDｄＤ]")


def is_ditto(value: object) -> bool:
    """The cell says "the same as the row above" (同上, 〃, …): short text only, a word or
    two with spaces at most, tested on its characters before it is normalised."""
    return (
        isinstance(value, str)
        and len(value) <= _DITTO_CHARS
        and _DITTO_MARK.search(value) is not None
        and _DITTO.fullmatch(normalise_text(value)) is not None
    )


def _fill_dittos(values: dict[str, object], dittos: set[str], previous: dict[str, object]) -> None:
    """Give a row's cells that say 同上 (`dittos`) the value of the data row above, as a
    vertically merged cell would, and list those fields in values["ditto"] for a
    warning; a ditto with nothing above stays as written."""
    filled = []
    for field in ("grassroots_unit", "date", "work_item", "form", "title"):
        value = values.get(field)
        if value in dittos and not blank(previous.get(field)):
            values[field] = previous[field]
            filled.append(field)
    if filled:
        values["ditto"] = tuple(filled)


def _struck_row(row: list[object], i: int, struck: frozenset[tuple[int, int]]) -> bool:
    """Every non-empty cell of row i is struck through (the unit deleted the row)."""
    cells = [(i, j) for j, v in enumerate(row) if not blank(v)]
    return bool(cells) and struck.issuperset(cells)


def _qualifies(columns: dict[str, int]) -> bool:
    """An identity field (union, title) and two core fields; or, without a name column,
    the date and two more core fields (a unit's table of its own activities: every
    row is 本级, and a warning says the column is missing)."""
    return _fields_qualify(set(columns))


def _merge_index(sheet: Sheet) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(row, col) -> merged range, for every cell of a merged range (bounded by the grid)."""
    index: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    height = len(sheet.rows)
    for r0, c0, r1, c1 in sheet.merged:
        for i in range(r0, min(r1, height - 1) + 1):
            for j in range(c0, min(c1, 16383) + 1):
                index[(i, j)] = (r0, c0, r1, c1)
    return index


def _filled(grid: Grid, merges: dict, i: int, j: int) -> object:
    """The cell's value, or the value of the merged range it lies in."""
    rng = merges.get((i, j))
    return _cell(grid, rng[0], rng[1]) if rng else _cell(grid, i, j)


def _fields_qualify(fields: set[str], named: bool = False) -> bool:
    """The fields of an activity table (`_qualifies`); `named`: with a name or title
    column only (a table beside another needs its own: 工作类别 | 开始日期 | 结束日期 |
    活动形式 | 参加人数 is one table, not two)."""
    core = sum(f in fields for f in CORE_FIELDS)
    if any(f in fields for f in IDENTITY_FIELDS):
        return core >= 2
    return not named and "date" in fields and core >= 3


def _table_like(run: list[tuple[int, str]]) -> bool:
    """A run of header columns naming an identity field and a core field: a table's start."""
    fields = {f for _, f in run}
    return any(f in fields for f in IDENTITY_FIELDS) and any(f in fields for f in CORE_FIELDS)


def _beside(left: list[tuple[int, str]], right: list[tuple[int, str]], labels) -> bool:
    """`right` looks like another table beside `left`: both start a table, and a blank
    header column lies between them or `right` begins with the field `left` begins with."""
    if not (_table_like(left) and _table_like(right)):
        return False
    gap = any(not any(labels[j]) for j in range(left[-1][0] + 1, right[0][0]))
    return gap or right[0][1] == left[0][1]


class _OneFigure:
    """Whether columns k..j (k < j) naming one field are one figure's columns, not where a
    table beside another begins: sub-labels under one parent label of a two-row header
    (参加人数 merged, or typed and spread, over 党员 | 群众 | 合计: `_header_labels` gives
    each such column [parent + sub, sub, parent]), or the participants split into
    adjacent columns each headed by a part or a total (职工人数 | 会员 | 其他人数,
    线上 | 线下人数 | 总人数), or its planned and actual figures side by side (计划人数 |
    实到人数, 应到 | 实到: two spellings of one figure, `_split_columns`).

    Asked for one k and a growing j as the header is read left to right: each test
    holds for k..j only if it holds for k..j-1, so each column is looked at once (a
    row of 300,000 cells took hours when every j looked at all of k..j again).
    """

    def __init__(self, labels: list[list[str]], k: int):
        self.labels, self.checked = labels, k - 1
        first = labels[k]
        self.parent = first[2] if len(first) == 3 else ""
        self.same_parent = bool(self.parent)
        self.parts = True
        self.planned = True  # planned and actual figures side by side

    def through(self, j: int) -> bool:
        for m in range(self.checked + 1, j + 1):
            options = self.labels[m]
            if self.same_parent:
                self.same_parent = len(options) == 3 and options[2] == self.parent
            if self.parts:
                self.parts = _headed_by_part(options) or any(_total_word(o) for o in options if o)
            if self.planned:
                self.planned = any(_PLANNED.search(o) or _ACTUAL.search(o) for o in options if o)
            if not (self.same_parent or self.parts or self.planned):
                break
        self.checked = max(self.checked, j)
        return self.same_parent or self.parts or self.planned


def _union_and_parent(labels: list[list[str]], k: int, j: int) -> bool:
    """Adjacent columns k, j naming a union, one of them the union above (所属工会 |
    基层工会, 工会名称 | 上级工会): one table's two name columns (`_assign` takes the
    union's own), not where a table beside another begins."""
    if j != k + 1:
        return False
    return any(_PARENT_LABEL.search(o) for m in (k, j) for o in labels[m] if o)


def _side_by_side(
    matcher: _Matcher, merges: dict, labels: list[list[str]], last: int
) -> tuple[list[tuple[int, int | None]], list[bool], list[tuple[int, str]]]:
    """Column spans [lo, hi) of the activity tables one header row holds side by side.

    Reading the header's columns left to right (a header cell merged across columns
    counts once, and so do one figure's parts: 参加人数 over 党员 | 群众, 职工人数 | 会员人数),
    a column naming a field already named since the last cut starts a
    new run. A run that has the fields of an activity table by itself (`_qualifies`) is
    a table of its own; any other run belongs to the table on its left (两列“参加人数”
    under one merged header, 备注 and 说明, 开始日期 | 结束日期), or, before the first
    table, to the table it completes. So an ordinary table, however many of its header
    words repeat, is one span (0, None).

    Returns the spans (the first from column 0, the last to the row's end), whether
    each took in a run that looks like another table beside it but is no table by
    itself (`_beside`: its columns may go unread, which the caller says), and the
    header's (column, field) hits.
    """
    hits: list[tuple[int, str]] = []
    figure: _OneFigure | None = None  # from the last hit's column on
    for j, options in enumerate(labels):
        rng = merges.get((last, j))
        if rng is not None and rng[1] < j:
            continue
        for label in options:
            found = matcher.field_of(label) if label else None
            if found is not None:
                if not (
                    hits
                    and hits[-1][1] == found[0]
                    and (
                        (figure is not None and figure.through(j))
                        or _union_and_parent(labels, hits[-1][0], j)
                    )
                ):
                    hits.append((j, found[0]))
                    figure = _OneFigure(labels, j)
                break
    runs: list[list[tuple[int, str]]] = []
    for j, field in hits:
        if not runs or any(f == field for _, f in runs[-1]):
            runs.append([])
        runs[-1].append((j, field))
    groups: list[list[tuple[int, str]]] = []
    doubtful: list[bool] = []
    pending: list[tuple[int, str]] = []
    pending_doubt = False
    for k, run in enumerate(runs):
        beside = k > 0 and _beside(runs[k - 1], run, labels)
        if groups and _fields_qualify({f for _, f in run}, named=True):
            groups.append(list(run))
            doubtful.append(False)
        elif groups:
            groups[-1].extend(run)
            doubtful[-1] = doubtful[-1] or beside
        else:
            pending.extend(run)
            pending_doubt = pending_doubt or beside
            if _fields_qualify({f for _, f in pending}):
                groups.append(pending)
                doubtful.append(pending_doubt)
    if len(groups) < 2:
        return [(0, None)], [bool(doubtful and doubtful[0])], hits
    starts = [0] + [g[0][0] for g in groups[1:]]
    ends: list[int | None] = [*starts[1:], None]
    return list(zip(starts, ends, strict=True)), doubtful, hits


def _header_at(
    grid: Grid, merges: dict, matcher: _Matcher, i: int
) -> tuple[int, dict, dict] | None:
    """(last header row, columns, labels) when row i starts a header; one or two rows."""
    width = max(len(grid[i]), len(grid[i + 1]) if i + 1 < len(grid) else 0)
    parent = [_labels(_filled(grid, merges, i, j)) for j in range(width)]
    if not any(parent):
        return None
    single_cols, single_labels = _assign(matcher, [[p] for p in parent])
    label_like = all(not _DIGIT_OR_COLON.search(p) for p in parent)
    sub = _sub_header(grid, merges, i, width, single_cols) if label_like else None
    if sub is not None:
        spread = _spread_parents(parent, sub, merges, i, matcher)
        labels = [_options(p, s, matcher) for p, s in zip(spread, sub, strict=True)]
        cols, labs = _assign(matcher, labels)
        below, _ = _assign(matcher, [[s] for s in sub])
        single_ok = _qualifies_with_parts(single_cols, [[p] for p in parent])
        better_alone = not single_ok and _qualifies(below) and len(below) >= len(cols)
        # 人员类别 over 党员 | 群众: the parts stand for the figure the one-row reading lacks
        parts = (
            "participants" not in cols
            and _bare_parts(labels, 0, len(labels), set(cols.values()), {}) is not None
        )
        if (
            _qualifies_with_parts(cols, labels)
            and len(cols) + parts >= len(single_cols)
            and not better_alone
        ):
            return i + 1, cols, labs
    if _qualifies_with_parts(single_cols, [[p] for p in parent]):
        return i, single_cols, single_labels
    return None


def _qualifies_with_parts(columns: dict[str, int], labels: list[list[str]]) -> bool:
    """`_qualifies`, counting as the participants figure its parts headed alone when no
    column names it (活动日期 | 工作类型 | 线上 | 线下 | 合计: `_bare_parts`, which
    `_split_columns` then reads them by)."""
    if _qualifies(columns):
        return True
    if "participants" in columns or not _qualifies({**columns, "participants": -1}):
        return False
    return _bare_parts(labels, 0, len(labels), set(columns.values()), {}) is not None


def _third_header_row(
    grid: Grid, merges: dict, matcher: _Matcher, header: tuple[int, dict, dict] | None
) -> tuple[int, dict, dict] | None:
    """The header's last two rows and the row below, when that row is a third header row:
    its every label lies under a cell of the header's last row merged across several
    columns (活动情况 over 活动日期 … 参加人数, 参加人数 merged over 职工 | 其他) or under
    a breakdown heading (其中 over 女职工), or cells of that last row are merged down into
    it (序号 over two rows); and the header read from those rows has every field the
    first reading had."""
    if header is None:
        return None
    last, columns, _ = header
    below = last + 1
    if below >= len(grid):
        return None
    cells = [j for j, v in enumerate(grid[below]) if not blank(v)]
    if not cells:
        return None
    if not _merged_down(merges, last, len(grid[last])) and not all(
        ((rng := merges.get((last, j))) is not None and rng[0] == last and rng[1] < rng[3])
        or _labels(_cell(grid, last, j)).startswith("其中")
        for j in cells
    ):
        return None
    deeper = _header_at(grid, merges, matcher, last)
    if deeper is None or deeper[0] != below or not set(columns) <= set(deeper[1]):
        return None
    return deeper


def _merged_down(merges: dict, i: int, width: int) -> bool:
    """A cell of row i is merged down into row i+1 (序号 over a two-row header)."""
    return any(
        (rng := merges.get((i, j))) is not None and rng[0] == i and rng[2] > i for j in range(width)
    )


def _sub_header(
    grid: Grid, merges: dict, i: int, width: int, parent_cols: dict[str, int]
) -> list[str] | None:
    """Row i+1's labels when it is a sub-header row under row i, else None."""
    if i + 1 >= len(grid):
        return None
    raw = [_cell(grid, i + 1, j) for j in range(width)]
    texts = [(j, v) for j, v in enumerate(raw) if not blank(v)]
    if not texts:
        return None
    if not all(
        isinstance(v, str) and len(normalise_text(v)) <= 10 and not _DIGIT.search(v)
        for _, v in texts
    ):
        return None
    spanned = any(
        (rng := merges.get((i, j))) is not None and rng[0] == i and rng[3] > rng[1]
        for j, _ in texts
    )
    parent_blank = any(blank(_cell(grid, i, j)) for j, _ in texts)
    # 序号 merged down over both rows, or 其中 over 女职工 (a breakdown heading names
    # nothing by itself): the labels below belong to the header, merged or not.
    two_rows = _merged_down(merges, i, width) or all(
        _labels(_cell(grid, i, j)).startswith("其中") for j, _ in texts
    )
    # A label under 参加人数 alone (（人次）, 合计) when every column above has its label:
    # a row of text under several of them is the first data row (某天 | 若干 | 长阳镇…).
    # Not a heading across the table typed in that column (一、切实抓好学习, merged or not).
    under_participants = {j for j, _ in texts} == {parent_cols.get("participants")} and not any(
        _NUMBERED.match(v)
        or ((rng := merges.get((i + 1, j))) is not None and rng[0] == i + 1 and rng[3] > rng[1])
        for j, v in texts
    )
    if not (spanned or parent_blank or under_participants or two_rows):
        return None
    sub = []
    for j in range(width):
        rng = merges.get((i + 1, j))
        if rng and rng[0] <= i:  # vertically merged from the parent row: no sub-label
            sub.append("")
        else:
            sub.append(_labels(raw[j]))
    return sub


# Labels of a header-block footer that are no field of ours but end the one before them
# (填表人：李明　审核人：张华 gives contact 李明).
OTHER_BLOCK_LABELS = (
    "审核人",
    "审批人",
    "负责人",
    "单位负责人",
    "制表人",
    "主管领导",
    "签字",
    "盖章",
)


def _header_fields(campaign: Campaign) -> tuple[re.Pattern, dict[str, str]]:
    """The header block's label pattern and field by label key (made once per set of the
    campaign's header words, not once per sheet)."""
    return _header_fields_of(
        tuple(tuple(campaign.header_fields.get(field, ())) for field in HEADER_FIELDS)
    )


@lru_cache(maxsize=8)
def _header_fields_of(words: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern, dict[str, str]]:
    by_key: dict[str, str] = {}
    for field, field_words in zip(HEADER_FIELDS, words, strict=True):
        for word in field_words:
            by_key.setdefault(normalise_text(word).replace(" ", ""), field)
    for word in OTHER_BLOCK_LABELS:
        by_key.setdefault(word, "")
    labels = sorted(by_key, key=len, reverse=True)
    pattern = (
        re.compile("(" + "|".join(map(re.escape, labels)) + r")\s*[:：]")
        if labels
        else re.compile(r"(?!x)x")
    )
    return pattern, by_key


def _without_seal_note(value: object) -> object:
    if not isinstance(value, str) or not _SEAL_NOTE.search(value):
        return value
    return _SEAL_NOTE.sub("", value).strip() or None


def _scan_header_block(
    grid: Grid, rows: list[int], campaign: Campaign, block: dict[str, object]
) -> None:
    """Fill `block` from label:value cells, or a label cell and the next non-empty cell to its right.

    A seal or signature note ("（盖章）") is no part of a label or a value.
    """
    pattern, by_key = _header_fields(campaign)
    for i in rows:
        row = [_without_seal_note(v) for v in grid[i]]
        for j, value in enumerate(row):
            if blank(value) or not isinstance(value, str):
                continue
            text = normalise_text(value).replace("：", ":")
            matches = list(pattern.finditer(text))
            if matches:
                for k, m in enumerate(matches):
                    end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
                    content = text[m.end() : end].strip(" :;；，,")
                    field = by_key[m.group(1)]
                    if not field:
                        continue
                    if not content:
                        content = _next_value(row, j)
                        if isinstance(content, str) and pattern.match(
                            normalise_text(content).replace("：", ":")
                        ):
                            content = None  # the next label ("填报日期："): this one is empty
                    if field == "reporting_unit" and isinstance(content, str):
                        content, day = _unit_and_date(content)
                        if day and "report_date" not in block:
                            block["report_date"] = day
                    if content is not None and field not in block:
                        block[field] = content
                continue
            label = text.replace(" ", "").rstrip(":")
            if by_key.get(label) and by_key[label] not in block:
                right = _next_value(row, j)
                if right is not None and not (
                    isinstance(right, str) and right.replace(" ", "") in by_key
                ):
                    block[by_key[label]] = right


_ONLY_COLON = re.compile(r"^[\s:：]+$")


def _next_value(row: list[object], j: int) -> object:
    """The first filled cell right of column j, past a cell holding only the label's
    colon ("填报日期 | ： | 2019.10.2"); None when there is none."""
    return next(
        (
            v
            for v in row[j + 1 :]
            if not blank(v) and not (isinstance(v, str) and _ONLY_COLON.match(v))
        ),
        None,
    )


# 填报单位 with the date written after it, unlabelled: “长阳镇总工会    2019年6月20日”,
# or the blank form's “长阳镇总工会　　年　月　日”.
_UNIT_THEN_DATE = re.compile(
    r"^(?P<unit>.+?)\s+(?P<date>\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?"
    r"|(?:\d{4}\s*)?年\s*(?:\d{1,2}\s*)?月\s*(?:\d{1,2}\s*)?日)$"
)


def _unit_and_date(content: str) -> tuple[str, str | None]:
    """(the unit, the date written after it or None) of a 填报单位 value; a blank
    date placeholder (年 月 日) is dropped."""
    found = _UNIT_THEN_DATE.match(content.strip())
    if found is None:
        return content, None
    date = found.group("date")
    return found.group("unit").strip(), date if re.search(
        r"\d{1,2}\s*[日号]|\d[./-]\d", date
    ) else None


_COUNTED = r"[0-9一二三四五六七八九十百两]+"
# A count of the rows above as a row's label: "共3项", "共计12次", "共 5 场", "共有3家".
_COUNT_LABEL = re.compile(r"共(?:计|有)?" + _COUNTED + r"[项次个场条期人家]")
# A count of units as the whole label, with or without 共: "2个单位", "共有12家基层工会",
# "（3个单位）" (the 合计/小计 before it is a marker of its own: 合计（3个单位）, 小计：5家).
_UNITS_COUNTED = re.compile(
    r"[（(]?(?:共计|共有|共|计)?"
    + _COUNTED
    + r"(?:个|家)(?:基层)?(?:单位|工会|企业)[）)]?[:：。.]*"
)
# A label ending in a total word (a name's subtotal: 长阳镇卫生院工会小计, 第一季度合计：).
_ENDS_IN_TOTAL = re.compile(r"(?:小计|合计|总计|共计)[:：。.]*$")
# What may follow a whole-cell marker ("=汇总"): punctuation, a colon, a bracketed note.
_MARKER_TAIL = re.compile(r"[:：（(）)\[\]【】、,，.。数]*$")


def marker_hit(value: object, markers: tuple[str, ...]) -> bool:
    """Whether a cell labels a total row: it starts with a marker ("合计", "小计（长阳）"),
    holds one in a short text ("本月合计"), ends with 小计/合计/总计/共计 (a union's
    subtotal), is a whole-cell marker ("=累计": "累计", "累计：", "累计数", not
    "累计学习时长"), counts the rows above ("共3项") or is a count of units ("共2个单位",
    "3家基层工会")."""
    if not isinstance(value, str) or not _marker_test(markers)(value):
        return False
    key = normalise_text(value).replace(" ", "")
    for m in markers:
        if m.startswith(EXACT_MARK):
            word = m[len(EXACT_MARK) :]
            if key.startswith(word) and _MARKER_TAIL.fullmatch(key[len(word) :]):
                return True
        elif key.startswith(m) or (m in key and len(key) <= 8):
            return True
    if _ENDS_IN_TOTAL.search(key):  # 长阳镇卫生院工会小计: a union's subtotal
        return True
    return (bool(_COUNT_LABEL.match(key)) and len(key) <= 8) or bool(_UNITS_COUNTED.fullmatch(key))


@lru_cache(maxsize=32)
def _marker_test(markers: tuple[str, ...]):
    """A cheap necessary test of `marker_hit(text, markers)`, before its text is normalised
    (`clean.WordChars`): every way to hit needs one word in the normalised text, a
    marker (a whole-cell marker without its "="), 计 (a label ending in 小计/合计/总计/
    共计), 共 (共3项) or the measure word of a count of units (2个单位, 3家基层工会)."""
    from analysis.clean import WordChars

    words = [m[len(EXACT_MARK) :] if m.startswith(EXACT_MARK) else m for m in markers]
    return WordChars([*words, "计", "共", "个", "家"]).may_hold


_LONE_NUMBER = re.compile(r"\s*\d[\d,.]*\s*")


def _note_row(
    raw: list[tuple[int, object]], campaign: Campaign, columns: dict[str, int], merges, i
) -> bool:
    first = raw[0][1]
    if isinstance(first, str):
        key = normalise_text(first).replace(" ", "").replace("：", ":")
        markers = tuple(m.replace("：", ":") for m in campaign.row_markers.get("note", ()))
        if key.startswith(markers) or re.match(
            r"^(注|填表人|制表人|填报人|审核人|联系电话|联系人)\s*[:\d]", key
        ):
            return True
    if len(raw) == 1 and isinstance(first, str):
        j = raw[0][0]
        if j == columns.get("participants") and _LONE_NUMBER.fullmatch(first):
            return False  # a CSV's figure alone under 参加人数 (text there): a sum, no note
        rng = merges.get((i, j))
        spanning = rng is not None and rng[3] - rng[1] >= 2
        data_column = j in (columns.get("grassroots_unit"), columns.get("title"))
        return spanning or not data_column
    return False


def _total_row(
    raw: list[tuple[int, object]], values: dict[str, object], campaign: Campaign, running: float
) -> bool:
    markers = campaign.row_markers.get("total", ())
    if any(
        marker_hit(values.get(f), markers)
        for f in ("seq", "grassroots_unit", "date", "work_item", "form", "title")
    ):
        return True
    if any(marker_hit(v, markers) for _, v in raw[:2]):
        return True
    # A row of numbers only, whose participants equal the sum of the rows above.
    if all(isinstance(v, int | float) or re.fullmatch(r"\s*[\d.]+\s*", str(v)) for _, v in raw):
        count, _ = parse_participants(values.get("participants"))
        return count is not None and running > 0 and abs(count - running) < 0.5
    return False


def _title_of_counts(readers: list, i: int) -> None:
    """The row right above a publicity table's header (row i) holding one text alone
    (宣传成果统计, in whatever column it was typed), read as a row of the activity table
    above, is the counts' title: a note row, not an activity with no date or figure."""
    for reader in readers:
        rows = reader.plan[0].rows
        last = rows[-1] if rows else None
        if last is not None and last.row == i and last.kind == "data":
            cells = [v for f, v in last.values.items() if f in TABLE_FIELDS and not blank(v)]
            if len(cells) == 1 and isinstance(cells[0], str):
                rows.set_last_kind("note")


def _publicity_counts(labels: list[str], columns: dict[str, int]) -> bool:
    """True for a sheet counting publicity outputs (篇/条/图片…), not listing activities
    (whose figure may be named by its parts alone: 男 | 女 | 合计 beside 图片（张） | 稿件（篇）)."""
    used = set(columns.values())
    outputs = sum(
        1
        for j, label in enumerate(labels)
        if j not in used and any(w in label for w in OUTPUT_WORDS)
    )
    return (
        outputs >= 2
        and "participants" not in columns
        and _bare_parts([[lab] for lab in labels], 0, len(labels), used, {}) is None
    )


def _nonblank(row: list[object], blanks: set[str]) -> list[tuple[int, object]]:
    """(column, value) of the row's non-blank cells; `blanks` holds the sheet's blank strings."""
    if blanks:
        return [(j, v) for j, v in enumerate(row) if v is not None and v not in blanks]
    return [(j, v) for j, v in enumerate(row) if v is not None]


def _total(
    raw: list[tuple[int, object]],
    values: dict[str, object],
    context: _Context,
    running: float,
    markers: bool = True,
    numbers: bool = True,
) -> bool:
    """`_total_row` with memoised tests; False flags say no cell holds a marker / only numbers."""
    if markers:
        marker = context.total_marker
        # A row naming a union and a date is an activity whatever its title or form says
        # (共3场宣讲, 共2次): only its 序号, union or date cell can make it a total.
        union, day = values.get("grassroots_unit"), values.get("date")
        activity = not blank(union) and not marker(union) and not blank(day) and not marker(day)
        for f in _TOTAL_FIELDS_OF_ACTIVITY if activity else _TOTAL_FIELDS:
            if marker(values.get(f)):
                return True
        # Nor can its leading cells when they are its figure, item, form or title (a
        # 参加人数 column first, holding 共计69人次): only cells of no such field. A dated
        # row without a union (本级, or no union column) keeps its figure so too.
        if activity:
            told = {id(values.get(f)) for f in _NOT_TOTAL_OF_ACTIVITY}
        elif not blank(day) and not marker(day):
            told = {id(values.get("participants"))}
        else:
            told = set()
        if any(marker(v) for _, v in raw[:2] if id(v) not in told):
            return True
    if numbers and all(
        isinstance(v, int | float) or _NUMBER_TEXT.fullmatch(str(v)) for _, v in raw
    ):
        count = context.participants(values.get("participants"))
        return count is not None and running > 0 and abs(count - running) < 0.5
    return False


_TOTAL_FIELDS = ("seq", "grassroots_unit", "date", "work_item", "form", "title")
_TOTAL_FIELDS_OF_ACTIVITY = ("seq", "grassroots_unit", "date")
_NOT_TOTAL_OF_ACTIVITY = ("participants", "work_item", "form", "title")


def _may_start_header(
    grid: Grid, i: int, context: _Context, merged_rows: set[int], naming: set[str],
    parts: set[str],
) -> bool:  # fmt: skip
    """False only when `_header_at(.., i)` is certainly None: a cheap test tried on every row.

    A one-row header needs three distinct cells naming a field (`naming`: the sheet's
    strings that do), or two and the figure's parts headed alone (`parts`: 活动日期 |
    工作类型 | 线上 | 线下 | 合计); a two-row header needs a parent row without digits
    or colons over a row of short text labels. Rows with merged cells (whose labels
    come from elsewhere) always get the full test.
    """
    row = grid[i]
    # isdisjoint first: it allocates nothing and stops at the first hit, and almost
    # every row of a data block holds no string naming a field.
    if i in merged_rows:
        return True
    if naming and not naming.isdisjoint(row):
        named = len(naming.intersection(row))
        if named >= 3 or (named == 2 and parts and len(parts.intersection(row)) >= 2):
            return True
    below = grid[i + 1] if i + 1 < len(grid) else None
    return context.maybe_sub_header(below) and context.label_like(row)


def _named_only(row: list[object], raw: list[tuple[int, object]] | None, naming: set[str]) -> bool:
    """Every non-blank cell of the row is a string naming a field (`naming`)."""
    cells = [v for _, v in raw] if raw is not None else [v for v in row if v is not None]
    return all(v in naming for v in cells)


class _Reader:
    """One table while its rows are read: the table, how its cells are picked from a
    row, its columns [lo, hi) (all, lo 0 and hi None, unless tables lie side by side),
    the running sum of its participants and the section heading above."""

    __slots__ = ("plan", "lo", "hi", "running", "section", "start", "previous", "heading")

    def __init__(
        self, table: ActivityTable, split: Split | None, lo: int, hi: int | None,
        date_parts: dict[str, int] | None = None,
    ):  # fmt: skip
        columns = table.columns
        cells = [(f, j, f in FILLED_FIELDS) for f, j in columns.items()]
        indices = tuple(columns.values())
        pick = itemgetter(*indices) if len(indices) > 1 else None
        span = max(indices, default=-1) + 1
        # A row's values start as a copy of `empty` (its keys in the columns' order, sized
        # once) and take the row's cells: no dict grown key by key for every row.
        empty = dict.fromkeys(columns)
        self.plan = (table, cells, tuple(columns), span, pick, split, date_parts, empty)
        self.lo, self.hi = lo, hi
        self.start = table.header_row - 1  # 0-based last header row: its rows come after
        self.running = 0.0
        self.section: str | None = None  # the section heading above ("一、切实抓好学习")
        self.previous: dict[str, object] = {}  # the values of the data row above (for 同上)
        self.heading: str | None = None  # a row above holding one name alone (长阳镇卫生院工会)

    def plain(self) -> bool:
        """The table's rows are whole rows read through `pick`, with no split figure or
        date parts: its plain rows may be read by `_plain_rows`."""
        plan = self.plan
        return (
            not self.lo
            and self.hi is None
            and plan[4] is not None
            and plan[5] is None
            and plan[6] is None
        )


def _plain_rows(
    grid: Grid, i: int, end: int, reader: _Reader, context: _Context, sets: tuple[set[str], ...],
    struck: frozenset[tuple[int, int]],
) -> int:  # fmt: skip
    """Read the plain data rows from row i on (up to row `end`, a merged row or the
    grid's height) into the reader's table, as `find_tables` would row by row; return
    the first row that is not plain.

    Almost every row of a table body is plain: no merged cell, no string of `stop`
    (blank, ditto, total marker, header label), a text among its cells (not a row of
    numbers only, which may be a total), two non-empty cells or more, a first cell that
    starts no note or sign-off, no seal and date alone (in either order), no two
    publicity labels (nor a publicity item label), and no sub-header below it.
    Such a row is a data row whatever the state, so the per-row tests of `find_tables`
    are skipped (scaled round: a third of its time).
    """
    stop, texts, outputs, unlabelled, items = sets
    table, _cells, fields, span, pick, _split, _dates, empty = reader.plan
    counts = context.count
    running = reader.running
    # The rows' cells as `pick` gives them (a tuple each, in the columns' order): a run of
    # columns below (`model.RowRun`), no dict or TableRow per row.
    picks: list[tuple] = []
    add = picks.append
    struck_at: list[int] = []  # offsets in `picks` of the rows struck through
    figure = fields.index("participants") if "participants" in fields else None
    start = i
    height = len(grid)
    while i < end:
        row = grid[i]
        size = len(row)
        filled = size - row.count(None)
        if size < span or not stop.isdisjoint(row) or texts.isdisjoint(row) or filled < 2:
            break
        first = row[0]
        if first is None:
            first = next(v for v in row if v is not None)
        if isinstance(first, str) and (context.note_marker(first) or context.sign_off(first)):
            break
        if filled == 2 and _sealed_and_dated([(j, v) for j, v in enumerate(row) if v is not None]):
            break  # 2019年6月28日 | 单位（盖章）: a sign-off, its seal not first
        if (
            outputs
            and not outputs.isdisjoint(row)
            and (len(outputs.intersection(row)) >= 2 or not items.isdisjoint(row))
            and all(v is None or v.__class__ is str for v in row)
        ):
            break  # perhaps a publicity table's header
        # A string with a digit or colon (`unlabelled`) makes the row no header's parent.
        if (
            unlabelled.isdisjoint(row)
            and context.maybe_sub_header(grid[i + 1] if i + 1 < height else None)
            and context.label_like(row)
        ):
            break  # perhaps a two-row header
        got = pick(row)
        add(got)
        if figure is not None:
            cell = got[figure]
            count = counts.get((cell.__class__, cell), _UNSEEN)
            if count is _UNSEEN:
                count = context.participants(cell)
            running += count or 0
        if struck and _struck_row(row, i, struck):
            struck_at.append(i - start)
        i += 1
    reader.running = running
    if picks:
        _add_plain_rows(reader, start, picks, struck_at)
    return i


def _add_plain_rows(reader: _Reader, start: int, picks: list[tuple], struck_at: list[int]) -> None:
    """Put the plain rows read from row `start` on (`picks`: their cells in the columns'
    order) into the reader's table: a `RowRun`, or one TableRow each below a union
    heading or a section heading (whose name fills their blank union or work item).

    The cells of a plain row hold no blank string (`_plain_rows`): blank is None there.
    """
    table, _cells, fields, _span, _pick, _split, _dates, empty = reader.plan
    section, heading = reader.section, reader.heading
    if heading is None and section is None:
        columns = dict(zip(fields, zip(*picks, strict=True), strict=True))
        table.rows.add_run(RowRun(start + 1, columns, tuple(struck_at)))
        reader.previous = dict(zip(fields, picks[-1], strict=True))  # for 同上 below
        return
    append, struck = table.rows.append, set(struck_at)
    for k, got in enumerate(picks):
        values = empty.copy()
        values.update(zip(fields, got, strict=True))
        if heading is not None:
            if blank(values.get("grassroots_unit")):
                values["unit_heading"] = heading
            else:
                heading = None
        if section is not None and blank(values.get("work_item")):
            values["work_item"], values["item_from_section"] = section, True
        append(TableRow(start + k + 1, "data", values, struck=k in struck))
    reader.previous = values
    reader.heading = heading


def _readers(
    grid: Grid, merges: dict, matcher: _Matcher, i: int, last: int, columns: dict[str, int],
    labels: dict[str, str], sheet: str, file: str,
) -> list[_Reader]:  # fmt: skip
    """The tables of the header in rows i..last, each with its reader: one for an
    ordinary header, one per table when the header row holds tables side by side
    (`_side_by_side`), each with its own columns and the same header and body rows."""
    width = max(len(grid[k]) for k in range(i, last + 1))
    options = _header_labels(grid, merges, i, last, width, matcher)
    spans, doubtful, hits = _side_by_side(matcher, merges, options, last)
    readers = []
    for (lo, hi), doubt in zip(spans, doubtful, strict=True):
        if len(spans) > 1:  # this table's columns only
            end = width if hi is None else hi
            columns, labels = _assign(
                matcher, [o if lo <= j < end else [""] for j, o in enumerate(options)]
            )
        split, notes, date_parts = _split_columns(
            grid, merges, matcher, i, last, columns, sheet, file, (lo, hi)
        )
        if split is not None:
            if split.total is not None:
                labels["participants"] = split.labels[split.total]
            else:  # the first part's column stands for the figure in messages
                columns["participants"] = split.parts[0]
                labels["participants"] = split.labels[split.parts[0]]
        if doubt:
            used = set(columns.values())
            if split is not None:
                used.update(split.parts, [split.total])
            used.update((date_parts or {}).values())
            end = width if hi is None else hi
            unread = [j for j, _ in hits if lo <= j < end and j not in used]
            if unread:
                names = "、".join(
                    message_text("column_named", letter=column_letter(j), label=options[j][0])
                    for j in unread
                )
                notes.append(
                    Issue(file, sheet, last + 1, column_letter(unread[0]), "warning",
                          IssueCode.SIDE_BY_SIDE_UNREAD,
                          message_text("side_by_side_unread", file=file, sheet=sheet,
                                       row=last + 1, names=names))
                )  # fmt: skip
        table = ActivityTable(
            sheet=sheet,
            header_row=last + 1,
            columns=columns,
            column_labels=labels,
            header=HeaderBlock(),
            rows=[],
            issues=notes,
        )
        readers.append(_Reader(table, split, lo, hi, date_parts))
    return readers


def _still_beside(old: list[_Reader], new: list[_Reader]) -> list[_Reader]:
    """The readers after a new header: the new header's tables, and the side-by-side tables
    whose columns it leaves alone (the left table starts again below, the right one goes
    on), each keeping its own columns. A header ends an ordinary table, as it always has.
    """
    if not (len(old) > 1 or any(r.lo or r.hi is not None for r in old)):
        return new
    used = [j for r in new for j in r.plan[0].columns.values()]
    lo, hi = min(used), max(used) + 1
    kept = [r for r in old if (r.hi is not None and r.hi <= lo) or r.lo >= hi]
    if not kept:
        return new
    left = max((r.hi for r in kept if r.lo < lo), default=0)
    right = min((r.lo for r in kept if r.lo >= hi), default=None)
    new[0].lo = max(new[0].lo, left)
    if right is not None:
        new[-1].hi = right if new[-1].hi is None else min(new[-1].hi, right)
    return sorted([*kept, *new], key=lambda r: r.lo)


@gc_paused
def find_tables(
    sheet: Sheet,
    campaign: Campaign,
    file: str,
    publicity: list[int] | None = None,
    probe=None,
) -> list[ActivityTable]:
    """The activity tables in a sheet (several when the header repeats); [] when there is none.

    A header that counts publicity outputs is not an activity table: its 1-based row
    is appended to `publicity` (when given) for publicity.find_publicity to read. With
    `probe` (publicity.Probe), a publicity table's header below an activity table ends
    that table there and is flagged the same way: its counts are not activities.
    """
    grid = sheet.rows
    if not grid:
        return []
    context = _context(campaign)
    matcher = context.matcher
    merges = _merge_index(sheet)
    merged_rows = {i for i, _ in merges}
    # 同上, 〃 in `dittos` (short texts only: a ditto mark is a word or two, with spaces at most)
    blanks, naming, totals, texts, dittos, unlabelled, parts = context.classify(grid)
    # Strings that may head a publicity table below an activity table (`probe`).
    outputs = context.publicity_labels(texts, probe) if probe is not None else set()
    # Of those, the item labels (宣传项目): a header of one column per union (宣传项目 |
    # 长阳镇卫生院工会 | 本级) holds no other label of its own.
    items = {v for v in outputs if probe.words.is_item_label(_labels(v))} if outputs else set()
    # A row holding none of `stop` cannot be a header, a total or a row with blank or
    # ditto cells: it may be read by `_plain_rows`, up to the next merged row.
    plain_sets = (blanks | naming | totals | dittos, texts, outputs, unlabelled, items)
    merged_order = sorted(merged_rows)
    next_merged = -1
    counts = context.count
    tables: list[ActivityTable] = []
    non_data_rows: list[int] = []
    i = 0
    height = len(grid)
    readers: list[_Reader] = []  # one per table being read (several side by side)
    header_end = -1  # rows up to here are a header's (read only by tables beside it)
    struck = sheet.struck
    while i < height:
        if len(readers) == 1 and readers[0].plain() and i > readers[0].start:
            if i > next_merged:
                next_merged = next((m for m in merged_order if m >= i), height)
            i = _plain_rows(grid, i, next_merged, readers[0], context, plain_sets, struck)
            if i == height:
                break
        row = grid[i]
        # (column, value) of the non-blank cells, built only when needed: most rows hold
        # no blank string, and their count is the row's length less its Nones.
        raw = _nonblank(row, blanks) if blanks and not blanks.isdisjoint(row) else None
        n = len(raw) if raw is not None else len(row) - row.count(None)
        if not n:
            i += 1
            continue
        header = None
        if (
            i > header_end
            and (
                n >= 3
                or i in merged_rows
                # 参加人数 typed alone over 应到 | 实到 (or its parts), the other labels
                # in the row below: a two-row header's parent row
                or (naming and _named_only(row, raw, naming))
            )
            and _may_start_header(grid, i, context, merged_rows, naming, parts)
        ):
            header = _header_at(grid, merges, matcher, i)
            deeper = _third_header_row(grid, merges, matcher, header)
            if deeper is not None:  # a group row above a two-row header: a title row
                non_data_rows.append(i)
                i, header = header[0], deeper
        if header is not None:
            last, columns, labels = header
            width = max(len(grid[k]) for k in range(i, last + 1))
            all_labels = [_labels(_filled(grid, merges, i, j)) for j in range(width)]
            if _publicity_counts(all_labels, columns):
                _title_of_counts(readers, i)
                readers, new = [], []
                if publicity is not None:  # handed to publicity.py (see ingest.parse_file)
                    publicity.append(i + 1)
            else:
                new = _readers(grid, merges, matcher, i, last, columns, labels, sheet.name, file)
                tables.extend(r.plan[0] for r in new)
                readers = _still_beside(readers, new)
            if len(readers) == len(new):
                i = last + 1
                continue
            header_end = last  # the tables beside it read their side of the header rows
        if (
            header is None
            and readers
            and outputs
            and not outputs.isdisjoint(row)
            and (len(outputs.intersection(row)) >= 2 or not items.isdisjoint(row))
            and all(v is None or v.__class__ is str for v in row)  # a header: labels only
            and probe.heads(grid, merges, i, matcher)
        ):  # a publicity table below: the activity tables end here, its counts are publicity's
            _title_of_counts(readers, i)
            readers = []
            if publicity is not None:
                publicity.append(i + 1)
        if not readers:
            non_data_rows.append(i)
            i += 1
            continue
        whole, whole_raw, whole_n = row, raw, n
        for reader in readers:
            if i <= reader.start:
                continue  # its own header row
            current, cells, fields, span, pick, split, date_parts, empty = reader.plan
            if reader.hi is None and not reader.lo:
                row, raw, n = whole, whole_raw, whole_n
            else:  # a table side by side with others: only its own columns are its row
                row = [None] * reader.lo + whole[reader.lo : reader.hi]
                raw = _nonblank(row, blanks) if blanks and not blanks.isdisjoint(row) else None
                n = len(raw) if raw is not None else len(row) - row.count(None)
                if not n:
                    continue  # blank on this side: skipped, as a blank row is
            if n == 1:
                if raw is None:
                    raw = _nonblank(row, blanks)
                seq_only = raw[0][0] == current.columns.get("seq")
                if seq_only and _SEQ_TEXT.fullmatch(normalise_text(raw[0][1])):
                    continue  # a pre-numbered empty template row
            running, section = reader.running, reader.section
            merged = i in merged_rows
            values: dict[str, object] = {}
            if merged:
                for field, j, filled in cells:
                    values[field] = _filled(grid, merges, i, j) if filled else _cell(grid, i, j)
            elif pick is not None and len(row) >= span:
                got = pick(row)
                if blanks and not blanks.isdisjoint(got):
                    got = [None if v in blanks else v for v in got]
                values = empty.copy()
                values.update(zip(fields, got, strict=True))
            else:
                width = len(row)
                for field, j, _ in cells:
                    value = row[j] if j < width else None
                    if isinstance(value, str) and not value.strip():
                        value = None
                    values[field] = value
            if split is not None:
                _read_split(split, row, values, context)
            if date_parts is not None:
                _read_date_parts(date_parts, row, values)
            if raw is not None:
                first = raw[0][1]
            else:
                first = row[0] if row[0] is not None else next(v for v in row if v is not None)
            # Values of unmerged rows are the row's own cells: no marker string, no marker.
            markers = merged or not totals.isdisjoint(row)
            # A non-numeric text in the row: not a row of numbers only.
            numbers = texts.isdisjoint(row)
            if (markers or numbers) and raw is None:
                raw = _nonblank(row, blanks)
            if n == 1 and isinstance(first, str) and context.section(first):
                # A numbered heading naming a work item: the rows below without an item of
                # their own are of that item (a note row itself).
                kind, section = "note", first
                if not non_data_rows or non_data_rows[-1] != i:
                    non_data_rows.append(i)
            elif (
                (
                    isinstance(first, str)
                    and (
                        context.note_marker(first)
                        or (
                            context.sign_off(first)
                            and blank(values.get("participants"))
                            and blank(values.get("date"))
                        )
                    )
                )
                or (n == 2 and _sealed_and_dated(raw or _nonblank(row, blanks)))
                or (
                    n == 1
                    and not context.total_marker(first)  # a bare 合计 with no figure is a total
                    and _note_row(raw, campaign, current.columns, merges, i)
                )
            ):
                kind = "note"
                if not non_data_rows or non_data_rows[-1] != i:
                    non_data_rows.append(i)
                if (
                    n == 1
                    and isinstance(first, str)
                    and not (context.note_marker(first) or context.sign_off(first))
                ):
                    reader.heading = first  # perhaps a union heading the rows below
            elif (markers or numbers) and _total(raw, values, context, running, markers, numbers):
                kind = "total"
            elif n == 1 and raw is not None and raw[0][0] == current.columns.get("participants"):
                # A figure alone under the 参加人数 column: a sum without its word, even when
                # it is not the rows' sum (added by hand, or with a figure not read); said
                # in a warning, since no word marks it.
                kind = "total"
                values["lone_figure"] = True
            else:
                kind = "data"
                if dittos and not dittos.isdisjoint(values.values()):
                    _fill_dittos(values, dittos, reader.previous)
                reader.previous = values
                if reader.heading is not None:
                    if blank(values.get("grassroots_unit")):
                        values["unit_heading"] = reader.heading  # the ledger decides
                    else:  # rows naming their own union: the heading named none of them
                        reader.heading = None
                if section is not None and blank(values.get("work_item")):
                    # marked: a heading's item is no sign that the row holds an activity
                    values["work_item"], values["item_from_section"] = section, True
                cell = values.get("participants")
                count = counts.get((cell.__class__, cell), _UNSEEN)  # one lookup, one hash
                if count is _UNSEEN:
                    count = context.participants(cell)
                running += count or 0
            reader.running, reader.section = running, section
            if struck and kind == "data" and _struck_row(row, i, struck):
                current.rows.append(TableRow(i + 1, kind, values, struck=True))
            else:
                current.rows.append(TableRow(i + 1, kind, values))
        i += 1

    block: dict[str, object] = {}
    _scan_header_block(grid, non_data_rows, campaign, block)
    if tables:
        above = [i for i in non_data_rows if i < tables[0].header_row - 1][:TITLE_ROWS]
        texts = [str(v).strip() for i in above for v in grid[i] if isinstance(v, str) and v.strip()]
        block["title"] = " ".join(texts) or None
    for table in tables:
        table.header = HeaderBlock(**block)
        for field in ("grassroots_unit", "date", "participants"):
            if field not in table.columns and not (field == "participants" and table.rows):
                # A table of rows without 参加人数 is told by the ledger instead
                # (participants_column_missing: the count is missing, not blank), once.
                table.issues.append(
                    Issue(
                        file,
                        sheet.name,
                        table.header_row,
                        "",
                        "warning",
                        IssueCode.COLUMN_MISSING,
                        message_text(
                            "column_missing",
                            file=file,
                            sheet=sheet.name,
                            row=table.header_row,
                            field=FIELD_LABELS_CN[field],
                        ),
                    )
                )
    return tables


TITLE_ROWS = 3  # rows above a table whose text is kept as its title (HeaderBlock.title)
HINT_ROWS = 30  # rows searched for the header that comes closest


def header_hint(sheet: Sheet, campaign: Campaign) -> str:
    """For a sheet without an activity table: the row that comes closest to a header,
    the activity columns it has and the ones it lacks; '' when none of the first
    HINT_ROWS rows names an activity column."""
    grid = sheet.rows[:HINT_ROWS]
    if not grid:
        return ""
    matcher = _context(campaign).matcher
    merges = _merge_index(sheet)
    order = ("grassroots_unit", "title", *CORE_FIELDS)
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for i, row in enumerate(grid):
        labels = [[_labels(_filled(grid, merges, i, j))] for j in range(len(row))]
        columns, named = _assign(matcher, labels)
        # Only activity columns make a hint: a lone 备注 or 说明 would quote nothing.
        columns = {f: j for f, j in columns.items() if f in order}
        if columns and (best is None or len(columns) > len(best[1])):
            best = (i, columns, named)
    if best is None:
        return ""
    i, columns, named = best
    found = "”“".join(named.get(f) or FIELD_LABELS_CN.get(f, f) for f in order if f in columns)
    missing = [FIELD_LABELS_CN[f] for f in ("grassroots_unit", *CORE_FIELDS) if f not in columns]
    return message_text(
        "header_hint", sheet=sheet.name, row=i + 1, found=found, missing="”“".join(missing)
    )


def no_table_message(file: str, sheets: list[Sheet], campaign: Campaign) -> str:
    """The no_activity_table sentence, naming per visible sheet the closest header row,
    what it has and what it lacks."""
    hints = [h for s in sheets if not s.hidden and (h := header_hint(s, campaign))]
    if not hints:
        return message_text("no_activity_table", file=file)
    return message_text("no_activity_table_hint", file=file, hints="；".join(hints))
