"""Cell values -> clean values: participants, dates, work items and forms.

Pure functions. Each returns the clean value and a warning or error code (None
when the value read cleanly); `message` gives each code's Chinese sentence for
issues.csv (from the one catalogue, messages.py). Decisions (documented for the analyst in the caveats):

- Approximate participants ("约50人", "50余人", "50多人", "50人左右") read as the
  number written, a lower bound, with the warning `participants_approximate`.
- Ranges ("50-60") and words ("若干", "全体职工") are not guessed: None with a code.
- A date with a month but no day ("2019年6月", "6月" taking the round's year) reads as
  the 1st, or the campaign's first day in its first month (`date_day_missing`); a
  part of a month ("6月上旬", "6月底") reads as the first day of its ten days (1st,
  11th, 21st; `date_part_of_month`);
  a date range ("6月3日-5日") reads as its first day (`date_range`); a date outside
  the campaign window is returned with `date_out_of_window`, which wins over the
  other date warnings when both apply (the ledger then treats the date as unknown).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from analysis.campaign import OTHER_WORK_ITEM, OTHER_WORK_ITEM_NAME, Campaign
from analysis.messages import MESSAGES, message_text
from analysis.namekeys import DIRECTION_CONTROLS, ZERO_WIDTH

MAX_PARTICIPANTS = 100_000
EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, Lotus leap-year bug included
EXCEL_SERIAL_RANGE = (20_000, 80_000)  # 1954..2119: anything else is not a date serial


_WHITESPACE = re.compile(r"\s+")
# Characters ignored when matching headers and synonyms: spaces, brackets, quotes, punctuation.
KEY_DROP = re.compile(r"[\s()\[\]{}<>【】《》〈〉「」『』\"'“”‘’:：,，.。、;；*/\\_\-—–~～·•]")


def normalise_text(value: object) -> str:
    """NFKC (full width -> half width), whitespace incl. U+3000 collapsed, stripped; shared with names.py."""
    if value is None:
        return ""
    if value is True or value is False:  # as Excel shows a logical cell
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE)
    return _WHITESPACE.sub(" ", text).strip()


# Invisible in a cell, never part of a name (`namekeys.ZERO_WIDTH`, `DIRECTION_CONTROLS`).
_INVISIBLE = dict.fromkeys(map(ord, ZERO_WIDTH + DIRECTION_CONTROLS))


def text_key(value: object) -> str:
    """Width-, case- and space-insensitive form of a label or cell (本 级, ＮＯ → 本级, no)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(value or ""))).lower()


def match_key(value: object) -> str:
    """A matching key: normalised text without spaces, brackets and punctuation."""
    return KEY_DROP.sub("", normalise_text(value))


class WordChars:
    """A cheap test before a text is normalised to look for words in it (as matching keys).

    A text in NFKC keeps its characters through `normalise_text` and `match_key`, which
    only drop some (and turn spaces, never part of a word, into one space). So when it
    holds all the characters of none of the words, no word is in its normalised text
    or its key: `may_hold` is False. Any other text may hold one (True).
    """

    def __init__(self, words):
        words = list(words)
        self.everything = not all(words)  # an empty word is in every text
        needs: list[frozenset[str]] = []
        for need in sorted({frozenset(w) for w in words}, key=len):
            if not any(kept <= need for kept in needs):  # a superset adds nothing
                needs.append(need)
        self.needs = needs
        self.chars = frozenset().union(*needs)

    def may_hold(self, text: str) -> bool:
        if self.everything or not unicodedata.is_normalized("NFKC", text):
            return True
        held = self.chars.intersection(text)
        return bool(held) and any(need <= held for need in self.needs)


# --- participants ---------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
_UNREADABLE_WORDS = (
    "若干",
    "多人",
    "全体",
    "全员",
    "所有",
    "不详",
    "未统计",
    "不等",
    "众多",
    "部分",
)
_APPROX_PREFIX = re.compile(r"^(约|大约|近|将近|接近|约计|预计|大概|逾|超过|不少于|至少|多于)")
_PLAIN_PREFIX = re.compile(r"^(共计|共|计|合计|总计|参加|参与)")
_APPROX_SUFFIX = re.compile(r"(余|多|左右|以上|上下|余名|多名|\+)$")
# Punctuation typed after the figure ("30人。", "30、") or a quote before it ("‘30").
_STRAY_MARKS = re.compile(r"^[‘’'`\"“”]+|[。.，,、；;！!]+$")
_UNIT_SUFFIX = re.compile(r"(人次|人|名|位|次|个)$")
_RANGE = re.compile(r"^\d+(?:\.\d+)?\s*(?:人次|人|名)?\s*[-~至到—–]\s*\d+")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(万|千|百)?$")


def chinese_number(text: str) -> int | None:
    """'五十' -> 50, '一百二十' -> 120, '两千' -> 2000, '三百五' -> 350; None if not a numeral."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    if len(text) > 1 and not any(ch in _CN_UNITS for ch in text):
        # Digit by digit with a zero in it (三〇, 一二〇: 30, 120), as years are written;
        # two digits without one ("五六") is a range, not a number.
        if not any(ch in "零〇" for ch in text):
            return None
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit, last_unit = 0, 0, None, 0
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0 and digit != 0:
                return None  # two digits in a row ("五六十") is a range, not a number
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit == 10_000:
                total += (section + (digit or 0)) * unit
                section, digit, last_unit = 0, None, unit
                continue
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit:
        # "三百五" means 350: a trailing digit right after a unit is one unit lower.
        colloquial = last_unit >= 100 and not text.endswith("零" + text[-1])
        section += digit * (last_unit // 10) if colloquial else digit
    return total + section


def _number_of(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    return None


def _checked(number: float, raw: object, warning: str | None) -> tuple[int | None, str | None]:
    if number < 0:
        return None, "participants_negative"
    if number > MAX_PARTICIPANTS:
        return None, "participants_absurd"
    if not float(number).is_integer():  # 四舍五入, as the message says (30.5 -> 31)
        return math.floor(number + 0.5), warning or "participants_not_integer"
    return int(number), warning


def parse_participants(value: object) -> tuple[int | None, str | None]:
    """参加人数 cell -> (person-times, code); None participants means missing, never zero."""
    if isinstance(value, bool):
        return None, "participants_unreadable"
    number = _number_of(value)
    if number is not None:
        return _checked(number, value, None)
    text = normalise_text(value).replace(",", "").replace(" ", "")
    if value is None or text == "" or (isinstance(value, float) and math.isnan(value)):
        return None, "participants_missing"
    bare = _STRAY_MARKS.sub("", normalise_text(value))
    if bare and bare != normalise_text(value):
        number, code = parse_participants(bare)
        if number is not None:
            return number, code
    if _SEPARATED_NUMBERS.search(normalise_text(value)):
        return None, "participants_unreadable"  # “20 30”, “12，8”: two figures, not 2030
    if _RANGE.match(_APPROX_PREFIX.sub("", text)):
        return None, "participants_range"
    if re.fullmatch(r"-\d+(\.\d+)?(人次|人)?", text):
        return None, "participants_negative"
    approximate = False
    if _APPROX_PREFIX.search(text):
        text, approximate = _APPROX_PREFIX.sub("", text), True
    text = _PLAIN_PREFIX.sub("", text)
    for _ in range(2):  # "50余人", "50人左右", "五百余人次"
        text = _UNIT_SUFFIX.sub("", text)
        if _APPROX_SUFFIX.search(text):
            text, approximate = _APPROX_SUFFIX.sub("", text), True
    warning = "participants_approximate" if approximate else None
    match = _NUMBER.match(text)
    if match:
        scale = {"万": 10_000, "千": 1000, "百": 100}.get(match.group(2) or "", 1)
        return _checked(float(match.group(1)) * scale, value, warning)
    cn = chinese_number(text)
    if cn is not None:
        return _checked(float(cn), value, warning)
    written = normalise_text(value).replace(",", "，").replace(" ", "")
    worked = _worked_out(written)
    if worked is None and approximate:  # "约50人（线上）": the note read as for "50人（线上）"
        worked = _worked_out(_APPROX_PREFIX.sub("", written))
    if worked is not None:
        number, read = worked
        return _checked(float(number), value, warning if read else "participants_worked_out")
    head = _BEFORE_OF_WHICH.match(written)  # “共50人，其中女30人”: the whole before 其中
    if head is not None:
        number, code = parse_participants(head.group(1))
        if number is not None:
            return number, code or "participants_worked_out"
    return None, "participants_unreadable"


# Two figures side by side (“20 30”, “30,40”, “12，8”), not a thousands separator (1,200).
_SEPARATED_NUMBERS = re.compile(r"\d(?:\s+|,(?!\d{3}(?!\d))\s*)\d")

# A figure, then its breakdown: “50（其中党员20）”, “共50人，其中女30人”.
_BEFORE_OF_WHICH = re.compile(r"^(.+?)[，,；;、(（\s]*其中.*$")


_PERSONS = r"(?:人次|人|名|位)"
_UNIT_IN_BRACKETS = re.compile(rf"(\d+)\({_PERSONS}\)")  # 5（人）
_IN_BRACKETS = re.compile(rf"[^\d()]*\((\d+){_PERSONS}?\)")  # 全体会员（28人）
_ALL_WORDS = "(?:全体|全部|所有)[^\\d()]{0,6}?(?:共计|共|计)?"  # 全体职工30人, 全体会员共30人
_ALL_OF = re.compile(_ALL_WORDS + r"(\d+)" + _PERSONS + "?")
_NOTE_AFTER = re.compile(rf"(\d+){_PERSONS}?\([^\d()]+\)")  # 50人（线上）, 120人次（含线上）
_LABEL_AFTER = re.compile(rf"(\d+){_PERSONS}?\(([^\d()]+)\)")  # 20（线上）: number, label
_WHOLE_AT_END = re.compile("[^共合总]{1,10}?[，,]?(?:共计|合计|总计|共)" + r"(\d+)" + _PERSONS)
_TERM = re.compile(rf"([^\d+，;；、]{{0,6}}?)(\d+){_PERSONS}?")
_NOT_A_PART = ("其中", "共", "计", "总", "约", "余", "多", "近")


def _worked_out(text: str) -> tuple[int, bool] | None:
    """(count, read as written) for 5（人）, 全体会员（28人）, 50人（线上）, 12+8,
    男12人，女16人; else None.

    Parts are added only when every part is labelled or joined by +, and no label says
    the part is a subset or an estimate (其中, 共, 约…), so "共50人，其中女30人" stays unread.
    """
    match = _UNIT_IN_BRACKETS.fullmatch(text)
    if match:
        return int(match.group(1)), True
    match = _IN_BRACKETS.fullmatch(text) or _NOTE_AFTER.fullmatch(text) or _ALL_OF.fullmatch(text)
    if match:
        return int(match.group(1)), False
    match = _WHOLE_AT_END.fullmatch(text)  # 3场共90人: the whole after 共
    if match:
        return int(match.group(1)), False
    pieces = [p for p in re.split(r"[+，;；、]", text) if p]
    if len(pieces) < 2:
        return None
    total = 0
    plus = "+" in text
    for piece in pieces:
        match = _TERM.fullmatch(piece)
        after = None if match else _LABEL_AFTER.fullmatch(piece)  # 20（线上）
        if after is not None:
            label, number = after.group(2), int(after.group(1))
        elif match is None:
            return None
        else:
            label, number = match.group(1), int(match.group(2))
        if (not label and not plus) or any(w in label for w in _NOT_A_PART):
            return None
        total += number
    return total, False


# --- dates --------------------------------------------------------------------------------

_FULL_DATE = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?(?:份)?$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月(?:份)?$")
# 6月上旬, 2019年6月中旬, 6月初, 6月底: a part of a month (its first day is read).
_PART_OF_MONTH = re.compile(
    r"^(?:(\d{4})\s*[年./\-]\s*)?(\d{1,2})\s*月份?\s*(上旬|中旬|下旬|初|中|底|末)$"
)
_PART_DAY = {"上旬": 1, "初": 1, "中旬": 11, "中": 11, "下旬": 21, "底": 21, "末": 21}
_MONTH_DAY_CN = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY_SHORT = re.compile(r"^(\d{1,2})\s*[./\-]\s*(\d{1,2})(?=$|\s*[-~至到—–、，,；;和及])")
# 19.6.14, 19/6/25, 19年6月14日: a year of two digits (never a month: 13 or more).
_SHORT_YEAR_DATE = re.compile(
    r"^(1[3-9]|[2-9]\d)\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})(?!\d)\s*[日号]?"
)
_RANGE_AFTER = re.compile(r"^\s*(?:[-~至到—–]|－)\s*\d")
_SEVERAL_AFTER = re.compile(r"^\s*[、，,；;和及]\s*\d")  # 6月3日、6月5日


def _after(rest: str) -> str | None:
    """The warning for what follows a date in its cell: another date ends a range
    (date_range) or is one more date (date_several)."""
    if _RANGE_AFTER.match(rest):
        return "date_range"
    return "date_several" if _SEVERAL_AFTER.match(rest) else None


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (2019-02-30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_text(text: str, year: int) -> tuple[dt.date | None, str | None]:
    match = _COMPACT_DATE.match(text)
    if match:
        return make_date(*map(int, match.groups())), None
    match = _FULL_DATE.search(text)
    if match:
        rest = text[match.end() :]
        if rest.lstrip().startswith("月"):  # 2019年6-7月: months, not the 7th of June
            return None, None
        return make_date(*map(int, match.groups())), _after(rest)
    match = _YEAR_MONTH.match(text)
    if match:
        return make_date(int(match.group(1)), int(match.group(2)), 1), "date_day_missing"
    match = _PART_OF_MONTH.match(text)
    if match:
        day = _PART_DAY[match.group(3)]
        when = int(match.group(1) or year), int(match.group(2))
        return make_date(*when, day), "date_part_of_month"
    match = _MONTH_ONLY.match(text)
    if match:
        return make_date(year, int(match.group(1)), 1), "date_day_missing"
    match = _MONTH_DAY_CN.search(text)
    if match:
        rest = text[match.end() :]
        return make_date(year, *map(int, match.groups())), _after(rest)
    match = _MONTH_DAY_SHORT.match(text)
    if match:
        rest = text[match.end() :]
        return make_date(year, *map(int, match.groups())), _after(rest)
    match = _SHORT_YEAR_DATE.match(text)
    if match:
        rest = text[match.end() :]
        yy, month, day = map(int, match.groups())
        return make_date(2000 + yy, month, day), _after(rest)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text)), None
    return None, None


def _from_serial(serial: float) -> dt.date | None:
    if EXCEL_SERIAL_RANGE[0] <= serial <= EXCEL_SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(serial))
    return None


# A year's zero is often typed as a circle or a letter O (二○一九, 二O一九), and days as
# 廿八 (28) or 卅一 (31).
_CN_DATE_PART = re.compile(r"([〇零一二三四五六七八九十两○◯O廿卅]+)(?=[年月日号])")
_CN_ZERO_LIKE = str.maketrans("○◯O", "〇〇〇")
_CN_TENS = str.maketrans({"廿": "二十", "卅": "三十"})


def cn_date_digits(text: str) -> str:
    """二〇一九年六月十八日 -> 2019年6月18日 (years digit by digit, months and days as
    numbers; 二○一九年六月廿八日 -> 2019年6月28日); other text unchanged."""

    def digits(match: re.Match) -> str:
        part = match.group(1).translate(_CN_ZERO_LIKE)
        if text[match.end()] == "年":
            if any(ch not in _CN_DIGITS for ch in part):
                return match.group(1)
            return "".join(str(_CN_DIGITS[ch]) for ch in part)
        number = chinese_number(part.translate(_CN_TENS))
        return str(number) if number is not None else match.group(1)

    return _CN_DATE_PART.sub(digits, text)


def parse_date(
    value: object, campaign: Campaign, year: int | None = None
) -> tuple[dt.date | None, str | None]:
    """活动日期 cell -> (date, code); dates without a year take `year` (the round's), else campaign.year."""
    year = year or campaign.year
    warning: str | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool) or value is None:
        return None, "date_missing" if value is None else "date_unreadable"
    elif isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None, "date_missing"
        if 19_000_101 <= value <= 21_001_231 and float(value).is_integer():
            day, warning = _from_text(str(int(value)), year)
        elif 1 <= value < 13 and not float(value).is_integer():
            # "6.3" typed into a cell becomes the number 6.3 (a trailing zero is lost: 6.30 -> 6.3).
            day, warning = _from_text(repr(float(value)), year)
            one_decimal = len(repr(float(value)).partition(".")[2]) == 1
            if day is not None and warning is None and one_decimal and _lost_zero(day):
                warning = "date_decimal_ambiguous"
        else:
            day = _from_serial(float(value))
    else:
        text = normalise_text(value)
        if not text:
            return None, "date_missing"
        day, warning = _from_text(text, year)
        if day is None and _CN_DATE_PART.search(text):
            day, warning = _from_text(cn_date_digits(text), year)
    if day is None:
        return None, "date_unreadable"
    if (
        warning in ("date_day_missing", "date_part_of_month")
        and day < campaign.start
        and (day.year, day.month)
        == (
            campaign.start.year,
            campaign.start.month,
        )
    ):
        day = campaign.start  # “2019年5月” of a campaign from May 8: its first day in the window
    if not campaign.start <= day <= campaign.end:
        return day, "date_out_of_window"
    return day, warning


def _lost_zero(day: dt.date) -> bool:
    """A day read from a number such as 6.3 that may have been typed 6.30 (Excel keeps no
    trailing zero): days 1 to 3 whose tenfold is a day of that month."""
    if not 1 <= day.day <= 3:
        return False
    try:
        day.replace(day=day.day * 10)
    except ValueError:
        return False
    return True


# --- work items and forms -------------------------------------------------------------

# "(一)…", "1、…", "1.…" or a bare "1"/"一": a numbered work item.
_NUMBERING = re.compile(
    r"^(?:\(\s*([一二三四五六七八九十]|\d{1,2})\s*\)|([一二三四五六七八九十]|\d{1,2})\s*(?:[、.]|$))\s*"
)
# A section heading's ordinal in words rather than a number: 第一部分, 第2部分, 第三项,
# 第四方面, 第五节, or 一是 ("firstly"), as reports number their parts (`section_item`).
HEADING_ORDINAL = (
    r"(?:第\s*[一二三四五六七八九十\d]{1,3}\s*(?:部分|项|方面|节)|[一二三四五六七八九十]{1,2}\s*是)"
)
_HEADING_ORDINAL = re.compile(r"^" + HEADING_ORDINAL + r"\s*[、:.,．]?\s*")


def _best_match(key: str, candidates: list[tuple[str, object]]) -> tuple[object | None, bool]:
    """(payload, ambiguous) of the exact synonym, else of the longest contained one (first wins)."""
    for synonym, payload in candidates:
        if key == synonym:
            return payload, False
    contained = [(len(s), p) for s, p in candidates if s and s in key]
    if not contained:
        return None, False
    longest = max(n for n, _ in contained)
    best = [p for n, p in contained if n == longest]
    return best[0], any(p != best[0] for p in best)


# Matching keys of a campaign's work items and forms, built once per campaign: the
# campaign (frozen, its work items tuples of frozen dataclasses) is held so its id
# cannot be reused while it is cached.
_CANDIDATES: dict[int, tuple[Campaign, list[tuple[str, object]], list[tuple[str, object]]]] = {}


def _candidates(campaign: Campaign) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    held = _CANDIDATES.get(id(campaign))
    if held is None or held[0] is not campaign:
        if len(_CANDIDATES) >= 16:
            _CANDIDATES.clear()
        items = [(match_key(s), w.code) for w in campaign.work_items for s in (w.name, *w.synonyms)]
        forms = [
            (match_key(s), (form[0], w.code))
            for w in campaign.work_items
            for form in w.forms
            for s in form
        ]
        held = _CANDIDATES[id(campaign)] = (campaign, items, forms)
    return held[1], held[2]


def _item_candidates(campaign: Campaign) -> list[tuple[str, object]]:
    return _candidates(campaign)[0]


def _form_candidates(campaign: Campaign) -> list[tuple[str, object]]:
    return _candidates(campaign)[1]


def match_work_item(text: object, campaign: Campaign) -> tuple[str | None, str | None]:
    """工作类别 cell -> (work item code, code); accepts "1", "一", "（一）切实抓好学习"."""
    normal = normalise_text(text)
    if not normal:
        return None, None
    numbering = _NUMBERING.match(normal)
    rest_key = match_key(normal[numbering.end() :]) if numbering else match_key(normal)
    if rest_key:
        code, ambiguous = _best_match(rest_key, _item_candidates(campaign))
        if code is not None:
            return str(code), "work_item_ambiguous" if ambiguous else None
    if numbering:
        token = numbering.group(1) or numbering.group(2)
        index = int(token) if token.isdigit() else chinese_number(token)
        if index and 1 <= index <= len(campaign.work_items):
            return campaign.work_items[index - 1].code, None
    return None, "work_item_unknown"


def section_item(text: object, campaign: Campaign) -> str | None:
    """The work item a numbered section heading names ("一、切实抓好学习", "（三）狠抓落实",
    "第一部分 切实抓好学习", "第二部分：加强宣讲培训", "第三项 精心组织宣传", "一是抓好学习"),
    else None: a row of the table that heads the activities listed below it."""
    normal = normalise_text(text)
    numbering = (_NUMBERING.match(normal) or _HEADING_ORDINAL.match(normal)) if normal else None
    rest = match_key(normal[numbering.end() :]) if numbering else ""
    if not rest:
        return None
    code, ambiguous = _best_match(rest, _item_candidates(campaign))  # the words, not the number
    return None if code is None or ambiguous else str(code)


def match_form(text: object, campaign: Campaign) -> tuple[str | None, str | None]:
    """活动形式 cell -> (canonical form name, work item code); (None, None) when unmatched."""
    key = match_key(text)
    if not key:
        return None, None
    found, _ = _best_match(key, _form_candidates(campaign))
    if found is None:
        return None, None
    form, code = found  # type: ignore[misc]
    return form, code


def work_item_from_text(text: object, campaign: Campaign) -> str | None:
    """The work item an 活动内容/活动名称 text names through the campaign's synonyms, else None.

    The longest activity form or work item synonym contained in the text decides
    (理论中心组学习 -> study, 宣讲 -> training, 展板/微信公众号 -> publicity,
    劳模精神/技能竞赛 -> implementation, …总结 -> reporting).
    """
    key = match_key(text)
    if not key:
        return None
    found, _ = _best_match(key, _form_candidates(campaign))
    if found is not None:
        return found[1]  # type: ignore[index]
    code, _ = _best_match(key, _item_candidates(campaign))
    return None if code is None else str(code)


def resolve_item_and_form(
    work_item_cell: object, form_cell: object, campaign: Campaign
) -> tuple[str, str | None, list[str]]:
    """(work item code, canonical form, warnings) from the two cells, inferring one from the other.

    A blank or unrecognised item takes the form's item (`work_item_inferred`); a form
    of another item keeps the stated item (`form_item_mismatch`); with neither, the
    activity counts under `other`.
    """
    warnings: list[str] = []
    item, item_warning = match_work_item(work_item_cell, campaign)
    form, form_item = match_form(form_cell, campaign)
    # 其他 is a choice the templates' drop-downs offer: chosen, it is no error to report.
    other = match_key(OTHER_WORK_ITEM_NAME)
    if form is None and match_key(form_cell) not in ("", other):
        warnings.append("form_unknown")
    if item is None and item_warning == "work_item_unknown" and form is None:
        # Some units write the form in the item column ("座谈会").
        form, form_item = match_form(work_item_cell, campaign)
    if item is not None:
        if item_warning:
            warnings.append(item_warning)
        if form_item is not None and form_item != item:
            warnings.append("form_item_mismatch")
        return item, form, warnings
    if form_item is not None:
        return form_item, form, [*warnings, "work_item_inferred"]
    if match_key(work_item_cell) != other:
        warnings.append("work_item_unknown" if item_warning else "work_item_missing")
    return OTHER_WORK_ITEM, form, warnings


def message(code: str, value: object = "", campaign: Campaign | None = None) -> str:
    """The Chinese sentence for a cleaning code, with the cell's value quoted.

    Given the campaign, a work item that matches none names the campaign's work items.
    """
    if code not in MESSAGES:
        return message_text("cell_generic", value=normalise_text(value), code=code)
    if code == "work_item_unknown" and campaign is not None:
        items = "”“".join(w.name for w in campaign.work_items)
        return message_text("work_item_unknown_listed", value=normalise_text(value), items=items)
    if code == "form_item_mismatch" and campaign is not None:
        _, item = match_form(value, campaign)  # the work item the form belongs to
        names = {w.code: w.name for w in campaign.work_items}
        if item in names:
            return message_text(
                "form_item_mismatch_named", value=normalise_text(value), item=names[item]
            )
    return message_text(code, value=normalise_text(value))
