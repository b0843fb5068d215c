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
- A sheet is cumulative when its name, a title row above the table or a count
  header says 累计/截至 …: its counts are totals since the campaign began, so
  the figures take the latest such total, never a sum of them.
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
from analysis.messages import message, suggestion_text
from analysis.model import HeaderBlock, Issue, Sheet

PUBLICITY_COLUMNS = (
    "file", "sheet", "row", "reporting_unit", "kind", "round", "grassroots_unit", "output",
    "count", "cumulative", "state", "reason",
    "label", "written",
)  # fmt: skip
MAX_LABEL_CHARS = 20

MESSAGES: dict[str, str] = {
    "publicity_count_missing": "{output}数量为空，按“缺失”处理（不计为0）；如有数量请补填。",
    "publicity_count_approximate": "{output}数量“{value}”为约数，按所写数字{number}计入；如有准确数量请更正。",
    "publicity_count_range": "{output}数量“{value}”是一个范围，按“缺失”处理（不计为0）；请填写一个确定的数字。",
    "publicity_count_unreadable": "{output}数量“{value}”不是数字，按“缺失”处理（不计为0）；请填写具体数量。",
    "publicity_count_negative": "{output}数量“{value}”为负数，已照原数{number}列出；请核对更正。",
    "publicity_count_fractional": "{output}数量“{value}”不是整数，已照原数{number}列出；请核对更正。",
    "publicity_count_implausible": (
        "“{unit}”的{output}数量为{number}{measure}，远超该单位规模（会员{members}人，"
        "合理上限约{limit}{measure}），已照原数计入；请核对是否多填了数位。"
    ),
    "publicity_output_unknown": "宣传项目“{value}”无法对应到通知列出的宣传形式，计入“其他”；如有误请更正。",
}


def _text(code: str, row: int, **values: object) -> str:
    return f"第{row}行：" + MESSAGES[code].format(**values)


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
    column: str = ""  # the count column's header, for issues


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


# --------------------------------------------------------------------------- matching


class _Words:
    """The campaign's publicity words as matching keys (memoised per settings)."""

    def __init__(self, settings: PublicitySettings):
        self.settings = settings
        self.synonyms = sorted(
            ((clean.match_key(s), o.code) for o in settings.outputs for s in o.synonyms),
            key=lambda t: -len(t[0]),
        )
        self.units = tuple(settings.units)
        self.items = {clean.match_key(w) for w in settings.item_labels}
        self.unit_labels = {clean.match_key(w) for w in settings.unit_labels}
        self.counts = tuple(clean.match_key(w) for w in settings.count_labels)
        self.cumulative = tuple(settings.cumulative_words)
        self.output_of = lru_cache(maxsize=4096)(self._output_of)

    def _output_of(self, label: str) -> str | None:
        """The output code a header or 项目 cell names; None when it names none."""
        key = clean.match_key(label)
        if not key or len(key) > MAX_LABEL_CHARS or re.search(r"\d", key):
            return None
        return next((code for syn, code in self.synonyms if syn and syn in key), None)

    def is_unit_label(self, label: str, matcher) -> bool:
        """A header naming who the counts are for (基层工会名称, 单位…)."""
        if clean.match_key(label) in self.unit_labels:
            return True
        found = matcher.field_of(label)
        return found is not None and found[0] == "grassroots_unit"

    def is_item_label(self, label: str) -> bool:
        key = clean.match_key(label)
        return key in self.items

    def is_count_label(self, label: str) -> bool:
        key = clean.match_key(label)
        return (
            bool(key) and len(key) <= MAX_LABEL_CHARS and any(w and w in key for w in self.counts)
        )

    def says_cumulative(self, text: object) -> bool:
        return isinstance(text, str) and any(w in text for w in self.cumulative)


_WORDS: dict[int, tuple[PublicitySettings, _Words]] = {}


def _words(campaign: Campaign) -> _Words:
    held = _WORDS.get(id(campaign.publicity))
    if held is None or held[0] is not campaign.publicity:
        held = _WORDS[id(campaign.publicity)] = (campaign.publicity, _Words(campaign.publicity))
    return held[1]


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
    if any(w in text for w in clean._UNREADABLE_WORDS):
        return None, "publicity_count_unreadable"
    approximate = False
    if clean._APPROX_PREFIX.search(text):
        text, approximate = clean._APPROX_PREFIX.sub("", text), True
    if _RANGE.match(text):
        return None, "publicity_count_range"
    text = clean._PLAIN_PREFIX.sub("", text)
    unit_suffix = re.compile("(" + "|".join(map(re.escape, units)) + ")$") if units else None
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
    elif (cn := clean.chinese_number(text)) is not None:
        number = float(cn)
    if number is None:
        return None, "publicity_count_unreadable"
    return _checked(number, "publicity_count_approximate" if approximate else None)


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


def _header_kind(
    labels: list[str], words: _Words, matcher
) -> tuple[str, dict[str, int], dict[int, str]] | None:
    """("wide"|"long", {unit/item/count: column}, {column: output}) when `labels` is a header."""
    outputs = {j: code for j, lab in enumerate(labels) if lab and (code := words.output_of(lab))}
    unit = next(
        (j for j, lab in enumerate(labels)
         if lab and j not in outputs and words.is_unit_label(lab, matcher)),
        None,
    )  # fmt: skip
    if len(outputs) >= 2:
        return "wide", ({"unit": unit} if unit is not None else {}), outputs
    item = next((j for j, lab in enumerate(labels) if lab and words.is_item_label(lab)), None)
    count = next(
        (j for j, lab in enumerate(labels)
         if lab and j != item and j not in outputs and words.is_count_label(lab)),
        None,
    )  # fmt: skip
    if item is not None and count is not None:
        columns = {"item": item, "count": count}
        if unit is not None and unit not in (item, count):
            columns["unit"] = unit
        return "long", columns, {}
    return None


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
    merges = tables._merge_index(sheet)
    merged_rows = {i for i, _ in merges}
    found: list[PublicityTable] = []
    non_data: list[int] = []
    current: PublicityTable | None = None
    columns: dict[str, int] = {}
    outputs: dict[int, str] = {}
    labels: list[str] = []
    title_start = 0
    for i, row in enumerate(grid):
        cells = set(row)
        header = None
        if len(named & cells) >= 2 or (count_words & cells) or i in merged_rows:
            width = len(row)
            labels_i = [tables._labels(tables._filled(grid, merges, i, j)) for j in range(width)]
            header = _header_kind(labels_i, words, context.matcher)
            if (
                header
                and header[0] == "long"
                and not _long_rows_name_outputs(grid, merges, i, header[1], words, tables)
            ):
                header = None
        if header is not None:
            form, columns, outputs = header
            labels = labels_i
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
            titles = [sheet.name, *(v for k in range(title_start, i) for v in grid[k])]
            count_labels = [labels[j] for j in outputs] or [labels[columns["count"]]]
            cumulative = any(words.says_cumulative(t) for t in (*titles, *count_labels))
            current = PublicityTable(sheet.name, i + 1, form, cumulative, HeaderBlock())
            found.append(current)
            title_start = i + 1
            continue
        if current is None:
            non_data.append(i)
            continue
        if _read_row(current, grid, merges, i, columns, outputs, labels, words, context, tables):
            title_start = i + 1
        else:
            non_data.append(i)
    block: dict[str, object] = {}
    tables._scan_header_block(grid, non_data, campaign, block)
    for table in found:
        table.header = HeaderBlock(**block)
    return found


def _long_rows_name_outputs(grid, merges, i: int, columns: dict[str, int], words, tables) -> bool:
    """A long header counts only when some row below names an output in its item column."""
    j = columns["item"]
    return any(
        words.output_of(tables._labels(tables._filled(grid, merges, k, j)) or "")
        for k in range(i + 1, min(len(grid), i + 60))
    )


def _read_row(table, grid, merges, i, columns, outputs, labels, words, context, tables) -> bool:
    """Append the row's counts to `table`; False when the row holds none (title, note, blank)."""
    row = grid[i]
    raw = [(j, v) for j, v in enumerate(row) if not tables._blank(v)]
    if not raw:
        return False
    first = raw[0][1]
    if isinstance(first, str) and context.note_marker(first):
        return False
    unit = tables._filled(grid, merges, i, columns["unit"]) if "unit" in columns else None
    marked = [unit] + [v for _, v in raw[:2]]
    if table.form == "long":
        item = tables._filled(grid, merges, i, columns["item"])
        count = tables._cell(grid, i, columns["count"])
        marked.append(item)
        total = any(context.total_marker(v) for v in marked)
        if tables._blank(item) and count is None:
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
        table.cells.append(
            PublicityCell(i + 1, "total" if total else "data", unit, code, label or "",
                          count, labels[columns["count"]])
        )  # fmt: skip
        return True
    total = any(context.total_marker(v) for v in marked)
    present = [
        (j, code) for j, code in outputs.items() if not tables._blank(tables._cell(grid, i, j))
    ]
    if not present:
        return False
    for j, code in present:
        table.cells.append(
            PublicityCell(i + 1, "total" if total else "data", unit, code, labels[j],
                          tables._cell(grid, i, j), labels[j])
        )  # fmt: skip
    return True


# --------------------------------------------------------------------------- interpret


class PublicityInterpreter:
    """Publicity cells of a parsed file -> publicity.csv records and issues (per run)."""

    def __init__(self, roster, resolver, campaign: Campaign):
        self.campaign = campaign
        self.settings = campaign.publicity
        self.resolver = resolver
        self.parent_of = roster.parent_of
        self.kind_of = dict(
            zip(
                roster.reporting_units["reporting_unit"],
                roster.reporting_units["kind"],
                strict=True,
            )
        )
        units = roster.units
        self.members = dict(zip(units["unit"], units["members"].astype("int64"), strict=True))
        self.federation_members = units.groupby("reporting_unit")["members"].sum().to_dict()
        self.self_words = {clean.match_key(w) for w in campaign.row_markers.get("self", ("本级",))}

    def interpret(self, sub, rejected_reason: str | None = None) -> None:
        """Fill `sub.publicity` (records) and `sub.row_issues` from the file's publicity tables."""
        for table in getattr(sub.parsed, "publicity", ()):
            for cell in table.cells:
                if rejected_reason is not None:
                    sub.publicity.append(
                        self._record(sub, table, cell, "rejected", rejected_reason)
                    )
                else:
                    sub.publicity.append(self._cell(sub, table, cell))

    def _record(self, sub, table: PublicityTable, cell: PublicityCell, state: str, reason: str,
                unit: str = "", count: int | float | None = None) -> dict:  # fmt: skip
        return {
            "file": sub.file, "sheet": table.sheet, "row": cell.row,
            "reporting_unit": sub.reporting_unit or "", "kind": sub.kind or "",
            "round": sub.round or "", "grassroots_unit": unit, "output": cell.output,
            "count": count, "cumulative": table.cumulative, "state": state, "reason": reason,
            "label": cell.label, "written": clean.normalise_text(cell.value),
        }  # fmt: skip

    def _issue(self, sub, table, cell, severity: str, code: str, text: str, value: str = "",
               suggestions: str = "") -> None:  # fmt: skip
        sub.row_issues.append(
            Issue(
                sub.file,
                table.sheet,
                cell.row,
                cell.column,
                severity,
                code,
                text,
                value,
                suggestions,
            )
        )

    def _cell(self, sub, table: PublicityTable, cell: PublicityCell) -> dict:
        if cell.kind == "total":
            return self._record(sub, table, cell, "rejected", "total_row")
        output_name = self.settings.name(cell.output)
        warnings: list[str] = []
        written = clean.normalise_text(cell.unit)
        unit = ""
        if written and clean.match_key(written) not in self.self_words:
            found = self.resolver.resolve(written, sub.reporting_unit)
            if found.unit:
                unit = found.unit
            else:
                federation = self.resolver.resolve_reporting_unit(written).unit
                if federation and self.kind_of.get(federation) == "direct":
                    unit = federation
                elif not federation:
                    text = message("unit_unresolved", row=cell.row, value=written,
                                   suggest=suggestion_text(found.suggestions))  # fmt: skip
                    self._issue(sub, table, cell, "error", "unit_unresolved", text, written,
                                "、".join(found.suggestions))  # fmt: skip
                    return self._record(sub, table, cell, "rejected", "unit_unresolved")
        elif self.kind_of.get(sub.reporting_unit) == "direct":
            unit = sub.reporting_unit
        if cell.output == "other" and cell.label and self._unknown_label(cell.label):
            warnings.append("publicity_output_unknown")
            self._issue(sub, table, cell, "warning", "publicity_output_unknown",
                        _text("publicity_output_unknown", cell.row, value=cell.label))  # fmt: skip
        count, code = parse_count(cell.value, self.settings.units)
        shown = clean.normalise_text(cell.value)
        if code:
            warnings.append(code)
            self._issue(sub, table, cell, "warning", code,
                        _text(code, cell.row, output=output_name, value=shown, number=count))  # fmt: skip
        if count is not None:
            members = self.members.get(unit) if unit else self.federation_members.get(
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
        return self._record(sub, table, cell, "accepted", reason, unit, count)

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
    if sub.state == "duplicate_file":
        state, reason = "duplicate", f"duplicate_file:{sub.duplicate_of}"
    elif sub.state == "superseded":
        state, reason = "superseded", f"superseded:{sub.superseded_by}"
    else:
        return
    sub.publicity = [{**r, "state": state, "reason": reason} for r in sub.publicity]


# --------------------------------------------------------------------------- figures

FIGURE_COLUMNS = ["level", "kind", "group", "output", "round", "count", "to_date"]
DISTRICT = "全区"


IMPLAUSIBLE = "publicity_count_implausible"


def counted(publicity: pd.DataFrame, plausible_only: bool = False) -> pd.DataFrame:
    """The accepted counts with a number (what the figures add up), typed.

    Takes publicity.csv as written or as read back (text or typed columns alike).
    `plausible_only` leaves out counts warned as far beyond the unit's size.
    """
    if publicity is None or publicity.empty:
        return pd.DataFrame(columns=list(PUBLICITY_COLUMNS))
    frame = publicity.assign(
        count=pd.to_numeric(publicity["count"], errors="coerce"),
        cumulative=publicity["cumulative"].astype(str).str.lower().eq("true"),
        kind=publicity["kind"].fillna("").astype(str),
        grassroots_unit=publicity["grassroots_unit"].fillna("").astype(str),
        round=publicity["round"].fillna("").astype(str),
    )
    keep = (frame["state"] == "accepted") & frame["count"].notna()
    if plausible_only:
        keep &= ~frame["reason"].astype(str).str.contains(IMPLAUSIBLE)
    return frame[keep]


def publicity_by_round(
    publicity: pd.DataFrame, campaign: Campaign, plausible_only: bool = False
) -> pd.DataFrame:
    """Outputs per level (district, kind, reporting unit), output type and round.

    `to_date` is the total since the campaign began as of the round's end, `count`
    what the round added. For each union (or federation) and output, a cumulative
    sheet's figure replaces the running total (the latest cumulative total, never a
    sum of cumulative totals); per-round counts add to it. Counts of an unknown
    round are left out; with `plausible_only`, so are implausible counts (the
    briefing's totals, which say so). Columns: FIGURE_COLUMNS.
    """
    rows = counted(publicity, plausible_only)
    codes = [r.code for r in campaign.rounds]
    rows = rows[rows["round"].isin(codes)]
    if rows.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    key = ["reporting_unit", "kind", "grassroots_unit", "output"]

    def by_round(part: pd.DataFrame) -> pd.DataFrame:
        return part.groupby([*key, "round"])["count"].sum().unstack("round")

    per, cum = by_round(rows[~rows["cumulative"]]), by_round(rows[rows["cumulative"]])
    index = per.index.union(cum.index)
    per = per.reindex(index=index, columns=codes)
    cum = cum.reindex(index=index, columns=codes)
    running = pd.Series(0.0, index=index)
    parts = []
    for code in codes:
        before = running
        running = cum[code].where(cum[code].notna(), running + per[code].fillna(0.0))
        parts.append(pd.DataFrame({"round": code, "count": running - before, "to_date": running}))
    units = pd.concat(parts).reset_index()
    sums = {"count": ("count", "sum"), "to_date": ("to_date", "sum")}
    by_unit = units.groupby(["kind", "reporting_unit", "output", "round"], as_index=False).agg(
        **sums
    )
    by_kind = units.groupby(["kind", "output", "round"], as_index=False).agg(**sums)
    district = units.groupby(["output", "round"], as_index=False).agg(**sums)
    table = pd.concat(
        [
            district.assign(level="district", kind="", group=DISTRICT),
            by_kind.assign(level="kind", group=by_kind["kind"]),
            by_unit.assign(level="reporting_unit").rename(columns={"reporting_unit": "group"}),
        ],
        ignore_index=True,
    )
    from analysis import config

    order = {
        "level": {lv: i for i, lv in enumerate(("district", "kind", "reporting_unit"))},
        "kind": {k: i for i, k in enumerate(("", *config.KINDS))},
        "output": {c: i for i, c in enumerate(campaign.publicity.codes)},
        "round": {c: i for i, c in enumerate(codes)},
    }
    sort = [table[c].map(m).fillna(len(m)) for c, m in order.items()]
    table = table.assign(**{f"_{i}": s for i, s in enumerate(sort)})
    table = table.sort_values(["_0", "_1", "group", "_2", "_3"], kind="stable")
    return table[FIGURE_COLUMNS].reset_index(drop=True)


def at_round(table: pd.DataFrame, round_code: str, level: str = "district") -> pd.DataFrame:
    """The figures of one level at one round (rows of `publicity_by_round`)."""
    return table[(table["level"] == level) & (table["round"] == round_code)]


def _amount(value: float) -> str:
    from analysis.narrative import fmt_count

    return fmt_count(value) if float(value).is_integer() else f"{value:g}"


def _phrases(table: pd.DataFrame, campaign: Campaign, round_code: str, limit: int = 0) -> list[str]:
    district = at_round(table, round_code)
    district = district[district["to_date"] > 0]
    if limit:
        district = district.sort_values("to_date", ascending=False, kind="stable").head(limit)
    return [
        campaign.publicity.phrase(o, _amount(n))
        for o, n in zip(district["output"], district["to_date"], strict=True)
    ]


def publicity_sentence(
    publicity: pd.DataFrame, campaign: Campaign, round_code: str, as_of=None
) -> str:
    """'截至…，全区共编发简报N期、刊发体会文章和评论N篇、微信推送N条…' ('' without counts).

    Implausible counts are not in the totals; the sentence says how many and how much.
    """
    from analysis.narrative import fmt_date

    table = publicity_by_round(publicity, campaign, plausible_only=True)
    phrases = _phrases(table, campaign, round_code)
    if not phrases:
        return ""
    rows = counted(publicity)
    codes = [r.code for r in campaign.rounds]
    rows = rows[rows["round"].isin(codes[: codes.index(round_code) + 1])]
    units = rows["reporting_unit"].nunique()
    reasons = rows["reason"].astype(str)
    implausible = rows[reasons.str.contains(IMPLAUSIBLE)]
    odd = int(reasons.str.contains("publicity_count_negative|publicity_count_fractional").sum())
    when = (
        f"截至{fmt_date(as_of)}" if as_of else f"截至{campaign.rounds_by_code[round_code].name}末"
    )
    text = (
        f"{when}，全区共{'、'.join(phrases)}"
        f"（据{units}个单位报送的宣传成果统计，累计数取各单位最新累计值"
    )
    if len(implausible):
        text += (
            f"；另有{len(implausible)}个数量远超单位规模（合计{_amount(implausible['count'].sum())}），"
            "未计入上述合计，请核对"
        )
    if odd:
        text += f"；{odd}个数量为负数或非整数，已按原数计入，请核对"
    return text + "）。"


def publicity_finding(table: pd.DataFrame, campaign: Campaign, round_code: str) -> str:
    """The chart's headline: '全区共微信推送120条、编发简报40期，微信推送中乡镇占58%'.

    From the plausible counts (the briefing's totals).
    """
    from analysis.narrative import fmt_pct, kind_name

    phrases = _phrases(table, campaign, round_code, limit=2)
    if not phrases:
        return "暂无宣传成果统计数据"
    district = at_round(table, round_code)
    top = district.sort_values("to_date", ascending=False, kind="stable").iloc[0]
    kinds = at_round(table, round_code, "kind")
    kinds = kinds[kinds["output"] == top["output"]].sort_values(
        ["to_date", "kind"], ascending=[False, True], kind="stable"
    )
    text = f"全区共{'、'.join(phrases)}"
    if len(kinds) >= 2 and top["to_date"] > 0:
        lead = kinds.iloc[0]
        share = fmt_pct(lead["to_date"] / top["to_date"], 0)
        text += f"，{campaign.publicity.name(top['output'])}中{kind_name(lead['kind'])}占{share}"
    return text


def publicity_bars(table: pd.DataFrame, campaign: Campaign, round_code: str, ax=None,
                   title: str | None = None, doubtful: pd.Series | None = None):  # fmt: skip
    """Outputs by type (rows, largest first), stacked by kind, to date at the round; returns ax.

    `table` holds the plausible counts (`publicity_by_round(..., plausible_only=True)`);
    `doubtful` (by output) the implausible ones, named beside the bar, not in the totals.
    """
    import matplotlib.pyplot as plt

    from analysis import config, style
    from analysis.narrative import kind_name

    ax = ax if ax is not None else plt.gca()
    district = at_round(table, round_code)
    district = district[district["to_date"] > 0].sort_values("to_date", ascending=False)
    outputs = district["output"].tolist()
    kinds = at_round(table, round_code, "kind")
    labels = [f"{campaign.publicity.name(o)}（{campaign.publicity.unit(o)}）" for o in outputs]
    left = pd.Series(0.0, index=outputs)
    for kind in config.KINDS:
        part = kinds[kinds["kind"] == kind].set_index("output")["to_date"]
        values = part.reindex(outputs).fillna(0.0).clip(lower=0)
        if not values.any():
            continue
        ax.barh(range(len(outputs)), values.to_numpy(), left=left.to_numpy(), height=0.6,
                color=style.KIND_COLORS.get(kind, style.COLORS["muted"]), label=kind_name(kind))  # fmt: skip
        left = left + values.to_numpy()
    top = float(left.max()) if len(left) else 0.0
    # Implausible counts would dwarf the others: named beside the total, not drawn.
    extra = (doubtful if doubtful is not None else pd.Series(dtype=float)).reindex(outputs)
    for i, (total, more) in enumerate(zip(left, extra.fillna(0.0), strict=True)):
        text = _amount(total) + (
            f"（另有{_amount(more)}远超单位规模，待核对，未计入）" if more else ""
        )
        ax.text(total + top * 0.01, i, text, va="center", fontsize=11)
    ax.set_yticks(range(len(outputs)), labels, fontsize=12)
    ax.set_ylim(len(outputs) - 0.5, -0.5)
    ax.set_xlim(0, top * (1.45 if extra.notna().any() else 1.12) if top > 0 else 1)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(f"截至{campaign.rounds_by_code[round_code].name}的数量（各按其计量单位）")
    if outputs:
        ax.legend(loc="lower right", frameon=False, fontsize=11, title="报送单位类别")
    if title is None:
        title = publicity_finding(table, campaign, round_code)
    if title:
        ax.set_title(title)
    return ax


def sheet_frame(table: pd.DataFrame, campaign: Campaign, round_code: str) -> pd.DataFrame:
    """The 通报表's publicity sheet: 全区, each kind, each reporting unit x output, to date.

    Columns 单位, 类别 and one per output type reported ('微信（条）'); '' without counts.
    """
    from analysis.narrative import kind_name

    rows = table[table["round"] == round_code]
    if rows.empty or not (rows["to_date"] > 0).any():
        return pd.DataFrame()
    outputs = [o for o in campaign.publicity.codes if o in set(rows["output"])]
    wide = rows.pivot_table(
        index=["level", "kind", "group"], columns="output", values="to_date", sort=False
    ).reindex(columns=outputs)
    wide.columns = [
        f"{campaign.publicity.name(o)}（{campaign.publicity.unit(o)}）" for o in outputs
    ]
    wide = wide.reset_index()
    names = wide["group"].where(wide["level"] != "kind", wide["kind"].map(kind_name) + "合计")
    frame = pd.DataFrame(
        {"单位": names, "类别": wide["kind"].map(lambda k: kind_name(k) if k else "")}
    )
    for column in wide.columns[3:]:
        frame[column] = pd.Series(  # whole numbers stay whole; blank where none was reported
            [None if pd.isna(v) else _number(v) for v in wide[column]], dtype=object
        )
    return frame


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def briefing_figures(figures, plausible_only: bool = True) -> pd.DataFrame:
    """`publicity_by_round` of a BriefingData (its `publicity` rows), empty without them."""
    rows = getattr(figures, "publicity", None)
    if rows is None or rows.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    return publicity_by_round(rows, figures.campaign, plausible_only)


def doubtful_by_output(figures) -> pd.Series:
    """District totals to date that implausible counts would add, by output (the hatched part)."""
    every = at_round(briefing_figures(figures, False), figures.round_code)
    clean = at_round(briefing_figures(figures, True), figures.round_code)
    diff = every.set_index("output")["to_date"].sub(
        clean.set_index("output")["to_date"], fill_value=0.0
    )
    return diff[diff > 0]


def briefing_sentence(figures) -> str:
    """The briefing's publicity sentence ('' when no unit reported counts)."""
    rows = getattr(figures, "publicity", None)
    if rows is None or rows.empty:
        return ""
    return publicity_sentence(rows, figures.campaign, figures.round_code, figures.as_of)


def render_chart(figures, out_dir) -> list:
    """The publicity chart as a briefing chart file (PNG + SVG); [] when no unit reported counts."""
    from pathlib import Path

    from analysis import charts, style

    table = briefing_figures(figures)
    if at_round(table, figures.round_code).query("to_date > 0").empty:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with style.house_style():
        title = publicity_finding(table, figures.campaign, figures.round_code)
        fig, (ax,) = charts._figure(title, figures.source_note)
        publicity_bars(table, figures.campaign, figures.round_code, ax=ax, title="",
                       doubtful=doubtful_by_output(figures))  # fmt: skip
        return [charts._save(fig, out_dir, "07_publicity", title)]
