"""The ledger: each parsed row interpreted into one record with its state and reason.

Also the submission-level fields (reporting unit, round, report date) and the
rows, submissions and issues tables built from them.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import operator
import re
from collections import Counter
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import names
from analysis.campaign import OTHER_WORK_ITEM, Campaign
from analysis.clean import text_key
from analysis.messages import (
    MESSAGES,
    located_message,
    message,
    message_text,
    place_text,
    suggestion_text,
)
from analysis.model import (
    ROWS_COLUMNS,
    ActivityTable,
    HeaderBlock,
    Issue,
    IssueCode,
    IssueRows,
    RowRun,
    TableRow,
    TableRows,
)
from analysis.roster import Roster
from analysis.submissions import _Submission, round_from_text, round_of_period
from analysis.tables import FIELD_LABELS_CN, blank, column_letter

SUBMISSIONS_COLUMNS = (
    "file", "reporting_unit", "kind", "round", "report_date", "state", "on_time",
    "rows_read", "rows_accepted",
    "rows_rejected", "sheets", "template", "sha256", "superseded_by", "duplicate_of",
    "contact", "phone", "message",
)  # fmt: skip
ISSUES_COLUMNS = (
    "file", "sheet", "row", "column", "severity", "code", "message", "value", "suggestions",
)  # fmt: skip
ROW_STATES = ("accepted", "duplicate", "superseded", "rejected")


_ROW_PREFIX = MESSAGES["row_prefix"]
# Cell types whose values never equal a value of another cell type (text, dates, times,
# blanks); numbers do: 1, 1.0 and True are equal, and clean differently.
_NEVER_EQUAL = frozenset({str, type(None), dt.datetime, dt.date, dt.time, dt.timedelta})


# A 报送期次 written as a bare ordinal: "二" is the second round, as "2" is.
_CN_ORDINALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


class _Memo:
    """Per-run memo of a cleaning function over cell values (its results are never None).

    A column holding at most one numeric type (int, float or bool; text and dates
    aside) is looked up by value in that type's table, in C: no two of its distinct
    values are equal. A column mixing numeric types is looked up in one table per
    type (a single column) or by (types, values), as single values are.
    """

    def __init__(self, func):
        self.func = func
        self.tables: dict[tuple, dict] = {}  # by the columns' numeric types
        self.typed: dict[tuple, object] = {}  # by (types, values)
        self.by_type: dict[type, dict] = {}  # a column of several numeric types: by type

    def __call__(self, *cells):
        key = (*map(type, cells), *cells)
        try:
            return self.typed[key]
        except KeyError:
            value = self.typed[key] = self.func(*cells)
            return value
        except TypeError:  # an unhashable cell value
            return self.func(*cells)

    def column(self, *columns: list) -> list:
        """func(*cells) for each row of the columns, one call per distinct cells.

        The values are looked up first as they are; only when one was not met before
        are the column's distinct values worked out (most tables of a round hold
        values met in earlier ones: no set of the column is made for them).
        """
        # The numeric types of each column (a set keeps one of 1, 1.0 and True).
        kinds = [set(map(type, c)).difference(_NEVER_EQUAL) for c in columns]
        try:
            if all(len(k) <= 1 for k in kinds):
                table = self.tables.setdefault(tuple(next(iter(k), None) for k in kinds), {})
                return self._looked_up(table.__getitem__, columns, table)
            if len(columns) == 1:
                return self._by_type(columns[0])
            keys = list(zip(*(map(type, c) for c in columns), *columns, strict=True))
            for key in set(keys).difference(self.typed):
                self.typed[key] = self.func(*key[len(columns) :])
            return list(map(self.typed.__getitem__, keys))
        except TypeError:  # an unhashable cell value: cleaned as it comes, not kept
            return [self.func(*cells) for cells in zip(*columns, strict=True)]

    def _looked_up(self, get, columns: tuple, table: dict) -> list:
        """`get` of each row's cells (one, or a tuple); missing keys filled in first."""
        keys = columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))
        try:
            return list(map(get, keys))
        except KeyError:
            pass
        for key in set(keys).difference(table):
            table[key] = self.func(key) if len(columns) == 1 else self.func(*key)
        return list(map(get, keys))

    def _by_type(self, column: list) -> list:
        """A column of several numeric types, each cell looked up in its type's table."""
        tables = self.by_type

        def get(cells):
            return list(map(dict.__getitem__, map(tables.__getitem__, map(type, cells)), cells))

        try:
            return get(column)
        except KeyError:
            pass
        for kind, cell in set(zip(map(type, column), column, strict=True)):
            table = tables.setdefault(kind, {})
            if cell not in table:
                table[cell] = self.func(cell)
        return get(column)

    def hits(self, column: list, text_only: bool = False) -> list[int]:
        """The positions of the cells for which func, a predicate, is true (ascending).

        Applied once per distinct value; a column with no such value, the common case,
        is not gone through again. `text_only`: func is false for any cell but a text,
        so that numbers need no telling apart (1, 1.0 and True are one in a set).
        """
        kinds = set(map(type, column))
        if text_only and not any(issubclass(k, str) for k in kinds):
            return []  # no text (a 序号 column of numbers)
        if kinds <= _NEVER_EQUAL:  # no two of its distinct values are equal
            distinct = list(set(column))
        elif text_only:  # the texts alone, picked in C
            distinct = list(set(filter(str.__instancecheck__, column)))
        else:  # numbers: each cleaned as what it is
            return list(itertools.compress(range(len(column)), self.column(column)))
        true = set(itertools.compress(distinct, self.column(distinct)))
        if not true:
            return []
        return list(itertools.compress(range(len(column)), map(true.__contains__, column)))


class _Cells:
    """The values of a table's data rows that are not struck through, in row order: what
    `_Interpreter.table_columns` cleans column by column.

    Rows read one by one give their values dicts; a run of plain rows (`model.RowRun`)
    gives slices of its columns, with no dict per row. `cells[j]` is data row j's
    values (a new dict for a run's row); a column is taken once and kept.
    `special`: the positions among all the table's rows of the rows left out (not
    data, or struck through), ascending.
    """

    def __init__(self, rows: TableRows | list[TableRow]) -> None:
        # (first data row, values dicts or None, a run's columns or None, lo, hi)
        self.pieces: list[tuple[int, list | None, dict | None, int, int]] = []
        self.special: list[int] = []
        self.memo: dict[str, list] = {}
        position = size = 0
        dicts: list | None = None  # the piece single rows go into
        for part in TableRows.of(rows).parts:
            if part.__class__ is RowRun:
                dicts, lo, n = None, 0, len(part)
                for cut in (*part.struck, n):  # the slices between struck rows
                    if cut > lo:
                        self.pieces.append((size, None, part.columns, lo, cut))
                        size += cut - lo
                    if cut < n:
                        self.special.append(position + cut)
                    lo = cut + 1
                position += n
                continue
            if part.kind != "data" or part.struck:
                self.special.append(position)
            else:
                if dicts is None:
                    dicts = []
                    self.pieces.append((size, dicts, None, 0, 0))
                dicts.append(part.values)
                size += 1
            position += 1
        self.size = size
        self.starts = [piece[0] for piece in self.pieces]

    @classmethod
    def of_values(cls, dicts: list[dict]) -> _Cells:
        """The cells of rows given by their values dicts."""
        return cls([TableRow(0, "data", values) for values in dicts])

    def __len__(self) -> int:
        return self.size

    def column(self, field: str) -> list:
        """Each row's `field` cell (None where the row has none)."""
        got = self.memo.get(field)
        if got is None:
            got = self.memo[field] = list(
                chain.from_iterable(map(self._piece_column, self.pieces, repeat(field)))
            )
        return got

    @staticmethod
    def _piece_column(piece: tuple, field: str):
        _, dicts, columns, lo, hi = piece
        if dicts is not None:
            return map(dict.get, dicts, repeat(field))
        column = columns.get(field)
        if column is None:
            return repeat(None, hi - lo)
        return column if lo == 0 and hi == len(column) else column[lo:hi]

    def holds(self, key: str) -> bool:
        """Whether any row's values hold `key` (a run's rows hold its columns' fields)."""
        return any(
            key in columns if dicts is None else any(map(operator.contains, dicts, repeat(key)))
            for _, dicts, columns, _, _ in self.pieces
        )

    def holding(self, key: str) -> list[bool]:
        """Whether each row's values hold `key`."""
        return list(
            chain.from_iterable(
                repeat(key in columns, hi - lo)
                if dicts is None
                else map(operator.contains, dicts, repeat(key))
                for _, dicts, columns, lo, hi in self.pieces
            )
        )

    def read_one_by_one(self):
        """(j, values) of the rows read one by one (a run's rows are not: no heading)."""
        for start, dicts, _, _, _ in self.pieces:
            if dicts is not None:
                yield from enumerate(dicts, start)

    def _piece(self, j: int) -> tuple:
        if not 0 <= j < self.size:
            raise IndexError("data row index out of range")
        return self.pieces[bisect.bisect_right(self.starts, j) - 1]

    def __getitem__(self, j: int) -> dict:
        start, dicts, columns, lo, _ = self._piece(j)
        if dicts is not None:
            return dicts[j - start]
        k = lo + j - start
        return {f: cells[k] for f, cells in columns.items()}

    def __setitem__(self, j: int, values: dict) -> None:
        """Row j's values replaced (a row read one by one: runs have no heading)."""
        start, dicts, _, _, _ = self._piece(j)
        if dicts is None:
            raise TypeError("a run's rows are not replaced")
        dicts[j - start] = values
        self.memo.clear()


class _Interpreter:
    """Turns parsed files into ledger rows, submission fields and issues."""

    def __init__(self, roster: Roster, resolver: names.NameResolver, campaign: Campaign):
        from analysis import clean

        self.clean = clean
        self.campaign = campaign
        self.resolver = resolver
        self.parent_of = roster.parent_of  # names listed once; `repeated`: under several parents
        self.repeated = roster.repeated
        self.kind_of = roster.kind_of
        self.self_words = {text_key(w) for w in campaign.row_markers.get("self", ("本级",))}
        self.void_words = tuple(
            text_key(w) for w in campaign.row_rules.get("void_remarks", ()) if text_key(w)
        )
        self.round_of = _Memo(lambda text: round_from_text(text, campaign))
        self.item_from_title = _Memo(lambda t: clean.work_item_from_text(t, campaign))
        self.window = message_text(
            "date_window", start=_cn_date(campaign.start), end=_cn_date(campaign.end)
        )
        self.void_remark = _Memo(lambda v: any(w in text_key(v) for w in self.void_words))
        # A 备注 or 序号 saying the row is an example (a template's 示例，请勿照抄).
        self.example_words = tuple(
            text_key(w)
            for w in campaign.row_rules.get("example_remarks", EXAMPLE_REMARKS)
            if text_key(w)
        )
        self.example_mark = _Memo(
            lambda v: isinstance(v, str) and any(w in text_key(v) for w in self.example_words)
        )
        # Cells that hold nothing of an activity ("/", "无", "未开展"): `_no_activity`.
        self.empty_words = frozenset(
            text_key(w) for w in campaign.row_rules.get("no_activity", ())
        ) | {""}
        # Dates written without a year take their round's year: only rounds whose
        # window lies in another year than the campaign's need a second parse.
        self.round_year = {
            r.code: r.start.year for r in campaign.rounds if r.start.year != campaign.year
        }
        self.date_memos: dict[int | None, _Memo] = {}
        self.parse_date = self.dates_in(None)
        self.parse_participants = _Memo(clean.parse_participants)
        # A grassroots-union cell's text, whether it names someone, the name to resolve.
        own = "|".join(sorted((re.escape(w) for w in self.self_words if "本" in w), key=len,
                              reverse=True)) or "本级"  # fmt: skip
        self.self_around = re.compile(
            rf"[(\[【](?:{own})[)\]】]|^(?:{own})[:、\-]?(?=.)|(?<=.)[:、\-]?(?:{own})$"
        )
        self.unit_text = _Memo(self._unit_text)
        # A 序号 cell holding a name rather than a number ("长阳镇卫生院工会", not "1", "（一）").
        self.name_like = _Memo(
            lambda v: (
                isinstance(v, str)
                and len(text_key(v)) >= 4
                and bool(_CJK.search(v))
                and not text_key(v).startswith(("第", "共", "合计", "小计"))
            )
        )
        self.holder_memos: dict[str, _Memo] = {}  # by reporting unit
        self.item_form = _Memo(self._item_form)
        # The sentence of a cleaning code for a cell (clean.message), once per distinct pair.
        self.cell_message = _Memo(lambda code, cell: clean.message(code, cell, campaign))
        from analysis.publicity import PublicityInterpreter  # work item 3's counts

        self.publicity = PublicityInterpreter(roster, resolver, campaign, self.unit_text)

    def round_windows(self, rounds: str) -> str:
        """'第一阶段（2019年6月1日至2019年7月31日）' for each of a file's rounds ('r1;r2')."""
        by_code = self.campaign.rounds_by_code
        return "、".join(
            message_text("round_window", name=r.name, window=message_text(
                "date_window", start=_cn_date(r.start), end=_cn_date(r.end)))
            for code in rounds.split(";") if (r := by_code.get(code)) is not None
        )  # fmt: skip

    # -- submission level

    def header(self, tables: list[ActivityTable]) -> HeaderBlock:
        """The first non-empty value of each header field across the file's tables."""
        values = {}
        for fld in (f.name for f in dataclasses.fields(HeaderBlock)):
            values[fld] = next(
                (getattr(t.header, fld) for t in tables
                 if self.clean.normalise_text(getattr(t.header, fld))),
                None,
            )  # fmt: skip
        return HeaderBlock(**values)

    def reporting_unit(self, sub: _Submission, written: str, title: str = "") -> str | None:
        """The submission's reporting unit: 填报单位, else the file or folder name, else
        the title above the table ("石楼镇总工会…统计表")."""
        file = sub.file
        resolution = None
        if written:
            resolution = self.resolver.resolve_reporting_unit(written)
            if resolution.unit:
                return resolution.unit
            union = self.resolver.resolve(written)
            if union.candidates or union.unit in self.repeated:
                # 填报单位 a name several unions bear (中心小学工会): the unit the file or folder
                # names (琉璃河镇/…) says whose own file it is, before any alias, as the
                # submitting unit does for a row
                placed = self._unit_in_path(file, written, title)
                own = self.resolver.resolve(written, placed) if placed else None
                if own is not None and own.unit and own.parent == placed:
                    union = own
            if union.unit:
                parent = union.parent
                sub.submitter = union.unit
                self._file_issue(sub, "warning", "reporting_unit_is_grassroots", value=written,
                                 unit=parent)  # fmt: skip
                return parent
        from_name = self._unit_in_path(file, written, title)
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
                Issue(file, "", None, "填报单位", "error", "reporting_unit_unresolved", sub.message,
                      value=written, suggestions="、".join(resolution.suggestions if resolution else []))
            )  # fmt: skip
        else:
            sub.message = message("reporting_unit_unknown", file=file)
            sub.file_issues.append(
                Issue(file, "", None, "填报单位", "error", "reporting_unit_unknown", sub.message)
            )
        return None

    def _unit_in_path(self, file: str, written: str, title: str) -> str | None:
        """The reporting unit the file's name, else its folders' (nearest first), else
        (for a file without 填报单位) the title above its table names."""
        parts = Path(file).parts[1:]  # below submissions/
        # The title only for a file without 填报单位: with one, the title is often that very
        # line, and finding a place name in it would guess what the unit wrote.
        candidates = [
            Path(file).stem,
            *reversed(parts[:-1]),
            *([title] if title and not written else []),
        ]
        return next((u for c in candidates if (u := self.resolver.reporting_unit_in_text(c))), None)

    def written_round(self, written: str) -> str | None:
        """The round a 报送期次 value names: a round's label, the months it covers ("7-9月",
        "三季度", as for a folder), or its number ("2", "二"); None when it names none."""
        code = self.round_of(written) or round_of_period(written, self.campaign)
        number = _CN_ORDINALS.get(written, int(written) if written.isdigit() else 0)
        if code is None and 1 <= number <= len(self.campaign.rounds):
            code = self.campaign.rounds[number - 1].code
        return code

    def round(self, sub: _Submission, written: str, tables: list[ActivityTable]) -> str:
        """报送期次, else a folder naming a round, else the round holding most activity dates."""
        if written and (code := self.written_round(written)):
            return code
        for folder in reversed(Path(sub.file).parts[1:-1]):
            if code := self.round_of(folder) or round_of_period(folder, self.campaign):
                how = message_text("round_how_folder")
                break
        else:
            counts: Counter = Counter()
            for day, n in Counter(self._dates(tables)).items():
                if (r := self.campaign.round_for_date(day)) is not None:
                    counts[r.code] += n
            order = [r.code for r in self.campaign.rounds]
            code = min(counts, key=lambda c: (-counts[c], order.index(c))) if counts else None
            how = message_text("round_how_dates")
            stem = Path(sub.file).stem
            if code is None and (
                by_name := self.round_of(stem) or round_of_period(stem, self.campaign)
            ):
                # No date to go by (publicity counts only): the file's name, said.
                code, how = by_name, message_text("round_how_filename")
                if not written:
                    name = self.campaign.rounds_by_code[code].name
                    self._file_issue(sub, "warning", "round_from_filename", round=name)
        if written:
            self._file_issue(sub, "warning", "round_unrecognised", value=written,
                             how=how if code else message_text("round_how_other"))  # fmt: skip
        if code is None:
            self._file_issue(sub, "warning", "round_unknown")
        return code or ""

    def report_day(self, cell: object, rounds: list[str]) -> dt.date | None:
        """The 填报日期 a cell gives; one written without a year ("1月8日") is the first such
        day on or after the start of the file's (earliest) round: a report is written once
        its round has begun, so 1月8日 in a round of Oct..Dec is the next January."""
        day = self.parse_date(cell)[0]
        by_code = self.campaign.rounds_by_code
        starts = [by_code[r].start for r in rounds if r in by_code]
        start = min(starts) if starts else self.campaign.start
        if day is None or day >= start:
            return day
        for year in (start.year, start.year + 1):
            moved = self.dates_in(year)(cell)[0]
            if moved is None or moved.year != year:  # the cell says its year: as written
                return day
            if moved >= start:
                return moved
        return day

    def _file_issue(self, sub: _Submission, severity: str, code: str, column: str = "",
                    **values: object) -> None:  # fmt: skip
        sub.file_issues.append(
            Issue(
                sub.file, "", None, column, severity, code, message(code, file=sub.file, **values)
            )
        )

    def interpret(self, sub: _Submission) -> None:
        """Fill the submission's fields, ledger columns and issues (file state aside)."""
        parsed = sub.parsed
        sub.file_issues.extend(parsed.issues)
        for table in parsed.tables:
            sub.file_issues.extend(table.issues)
        sub.columns = _joined([])
        if parsed.rejected:
            code, text = parsed.rejected
            sub.state, sub.message = "rejected", text
            sub.file_issues.append(Issue(sub.file, "", None, "", "error", code, text))
            return
        norm = self.clean.normalise_text
        header = self.header([*parsed.tables, *parsed.publicity])
        sub.contact, sub.phone = norm(header.contact), norm(header.phone)
        unit = self.reporting_unit(sub, norm(header.reporting_unit), norm(header.title))
        self._sheets_of_other_units(sub, parsed.tables, unit)
        if unit is not None and parsed.template:
            unit = self._template_sender(sub, unit, parsed.tables)
        if unit is None:  # the whole file is rejected: its rows are listed with the reason
            sub.state, reason = "rejected", sub.file_issues[-1].code
            sub.columns = _joined([self._rejected(sub, t, reason) for t in parsed.tables])
            self.publicity.interpret(sub, rejected_reason=reason)
            return
        sheet_rounds = self.sheet_rounds(parsed.tables)
        if sheet_rounds and all(t.sheet in sheet_rounds for t in parsed.tables):
            sub.round = ""  # every sheet names its own round
        else:
            sub.round = self.round(sub, norm(header.round), parsed.tables)
        file_round = sub.round
        order = [r.code for r in self.campaign.rounds]
        rounds = sorted(
            {sheet_rounds.get(t.sheet, file_round) for t in parsed.tables} - {""}, key=order.index
        ) if sheet_rounds else [file_round] if file_round else []  # fmt: skip
        if norm(header.report_date):
            sub.report_date = self.report_day(header.report_date, rounds)
            if sub.report_date is None:
                self._file_issue(sub, "warning", "report_date_unreadable", "填报日期",
                                 value=norm(header.report_date))  # fmt: skip
        if sub.report_date and rounds:  # a file of several rounds: on time for each of them
            by_code = self.campaign.rounds_by_code
            sub.on_time = all(sub.report_date <= by_code[r].deadline for r in rounds)
        sub.reporting_unit, sub.kind = unit, self.kind_of.get(unit, "")
        pieces = []
        for table in parsed.tables:
            sub.round = sheet_rounds.get(table.sheet, file_round)  # the rows' round
            self._table_notes(sub, table)
            pieces.append(self.table_columns(sub, table))
            reasons = pieces[-1]["reason"]
            if NO_ACTIVITY in reasons:  # looked for in C first: most tables have none
                empty = [r for r, why in zip(pieces[-1]["row"], reasons, strict=True)
                         if why == NO_ACTIVITY]  # fmt: skip
                self._no_activity_note(sub, table, empty)
        sub.round = ";".join(rounds)
        sub.columns = _joined(pieces)
        _mark_repeated_rows(sub)
        self.publicity.interpret(sub)

    def _sheets_of_other_units(self, sub: _Submission, tables: list[ActivityTable],
                               unit: str | None) -> None:  # fmt: skip
        """A workbook of one sheet per unit (each its own 填报单位): the file is one report,
        of `unit`; a warning names each sheet whose 填报单位 is another reporting unit."""
        if unit is None:
            return
        seen: set[str] = set()
        for table in tables:
            written = self.clean.normalise_text(table.header.reporting_unit)
            other = self.resolver.resolve_reporting_unit(written).unit if written else None
            if other and other != unit and table.sheet not in seen:
                seen.add(table.sheet)
                self._file_issue(sub, "warning", "sheet_other_unit", sheet=table.sheet,
                                 value=other, unit=unit)  # fmt: skip

    def _template_sender(self, sub: _Submission, unit: str, tables: list[ActivityTable]) -> str:
        """Who sent a template: its pre-filled (locked) 填报单位 `unit`, unless another unit
        filled it in — every union its rows name is that unit's, and the file's name
        names it. Then the file is that unit's report (said in a warning), not a
        correction of `unit`'s."""
        parents = set()
        for table in tables:
            for trow in table.rows:
                name = trow.values.get("grassroots_unit")
                if trow.kind != "data" or not isinstance(name, str) or not name.strip():
                    continue
                found = self.resolver.find_union(name)  # no suggestions worked out
                if found is not None:
                    parents.add(found.parent)
        if len(parents) != 1 or unit in parents:
            return unit
        (other,) = parents
        if self.resolver.reporting_unit_in_text(Path(sub.file).stem) != other:
            return unit
        self._file_issue(sub, "warning", "template_other_unit", value=unit, unit=other)
        return other

    def sheet_rounds(self, tables: list[ActivityTable]) -> dict[str, str]:
        """Sheet -> round when the tables' sheets name two or more rounds, else {}.

        A workbook with one sheet per round (第一阶段 / 第二阶段 / r3) is read sheet by
        sheet, each sheet in the round its name gives. A sheet whose name gives none
        names its round by the 报送期次 of its own header block: a template's sheet copied
        for the next round (活动情况 (2)), its 报送期次 changed, is that round's.
        """
        named = {}
        for table in tables:
            if table.sheet and table.sheet not in named:
                code = self.round_of(table.sheet) or round_of_period(table.sheet, self.campaign)
                if not code and (written := self.clean.normalise_text(table.header.round)):
                    code = self.written_round(written)
                if code:
                    named[table.sheet] = code
        return named if len(set(named.values())) >= 2 else {}

    def _dates(self, tables: list[ActivityTable]) -> list[dt.date]:
        """The readable dates of the tables' data rows (struck-through rows included)."""
        cells = list(chain.from_iterable(TableRows.of(t.rows).data_column("date") for t in tables))
        return [day for day, _, _ in self.parse_date.column(cells) if day]

    def _unit_text(self, cell: object) -> tuple[str, bool, str]:
        """(the cell's text, whether it names a union or unit, the name to resolve).

        Blank, a placeholder ("/", "—", "无") or a self marker (本级) names no one: the
        reporting unit's own activity. A self marker around a name ("长阳镇总工会（本级）",
        "本级：长阳镇总工会") leaves the name to resolve, which is then usually the
        reporting unit itself.
        """
        written = self.clean.normalise_text(cell)
        key = text_key(written)
        if key in self.self_words or key in self.empty_words:
            return written, False, ""
        bare = self.self_around.sub("", key)
        if bare[:1] in "([【" and bare[-1:] in ")]】":  # "本级（长阳镇总工会）"
            bare = bare[1:-1]
        if bare == key:
            return written, True, written
        if not bare or bare in self.self_words or bare in self.empty_words:
            return written, False, ""
        return written, True, bare

    def _no_activity(self, values: dict) -> bool:
        """True when a row names at most a union (and a remark): no date, work item, form,
        participants or title holds anything but a placeholder ("/", "无", "未开展", 0).

        Offices send the roster's list of unions pre-filled, one row each; a union
        without an activity is not reached, so its row is not an activity.
        """
        for fld in ACTIVITY_FIELDS:
            value = values.get(fld)
            if value is None or (fld == "participants" and value == 0 and value is not False):
                continue
            if fld == "work_item" and values.get("item_from_section"):
                continue  # the section heading's item above, not written in the row
            if isinstance(value, str) and text_key(value) in self.empty_words:
                continue
            return False
        return "participants_parts" not in values

    def _no_activity_note(self, sub: _Submission, table: ActivityTable, rows: list[int]) -> None:
        """One warning per table for its rows that name a union and no activity."""
        shown = "、".join(map(str, rows[:NAMED_ROWS])) + ("等" if len(rows) > NAMED_ROWS else "")
        sub.file_issues.append(
            Issue(sub.file, table.sheet, rows[0], "", "warning", IssueCode.NO_ACTIVITY,
                  message_text(NO_ACTIVITY, file=sub.file, sheet=table.sheet,
                               rows=shown, count=len(rows)))
        )  # fmt: skip

    def _table_notes(self, sub: _Submission, table: ActivityTable) -> None:
        if table.rows and "participants" not in table.columns:
            # On the header row (issues.csv `row`), which the message names too: "工作表“活动”
            # 第3行的活动表表头…" (a CSV, which has no sheet: "第3行…").
            sub.row_issues.append(
                Issue(sub.file, table.sheet, table.header_row, "", "warning",
                      IssueCode.PARTICIPANTS_COLUMN_MISSING,
                      message_text("participants_column_missing",
                                   place=place_text(table.sheet, table.header_row)))
            )  # fmt: skip

    # -- cleaning, once per distinct cell value

    def dates_in(self, year: int | None) -> _Memo:
        """Date cells -> (date, code, the ledger's date text when the date raises nothing).

        `year` is the year of dates written without one (None: the campaign's).
        """
        memo = self.date_memos.get(year)
        if memo is None:
            campaign, parse = self.campaign, self.clean.parse_date

            def date_of(cell: object) -> tuple[dt.date | None, str | None, str | None]:
                day, code = parse(cell, campaign, year)
                return day, code, day.isoformat() if day is not None and code is None else None

            memo = self.date_memos[year] = _Memo(date_of)
        return memo

    def _item_form(self, item_cell: object, form_cell: object) -> tuple:
        """(work item, canonical form, codes, the ledger's form) from the two cells."""
        item, form, codes = self.clean.resolve_item_and_form(item_cell, form_cell, self.campaign)
        shown = form if form is not None else self.clean.normalise_text(form_cell)
        return item, form, codes, shown or ""

    def holders(self, reporting_unit: str, submitter: str = "") -> _Memo:
        """Grassroots-union cells -> `_holder` for one reporting unit (each name resolved
        once); `submitter`: the grassroots union whose own file it is (its 本级 is itself)."""
        memo = self.holder_memos.get((reporting_unit, submitter))
        if memo is None:
            memo = self.holder_memos[reporting_unit, submitter] = _Memo(
                lambda cell: self._holder(reporting_unit, cell, submitter)
            )
        return memo

    def _holder(self, reporting_unit: str, cell: object, submitter: str = "") -> tuple:
        """Who held an activity and whom it counts for, from its grassroots-union cell.

        (written, named, grassroots union, counted_for, unresolved, clean):
        - blank or 本级: the reporting unit's own activity, counted for it (本级 of a
          directly affiliated union is the union itself);
        - a roster union: that union, counted for its roster parent (the resolution's:
          a name the roster lists under several parents is told apart by it);
        - else a reporting unit's name (a federation, or a directly affiliated union,
          which is then also the grassroots union): counted for that unit;
        - else `unresolved` is the failed resolution (its suggestions go in the error).
        `clean`: resolved and counted for the reporting unit itself (no issue).
        """
        written, named, name = self.unit_text(cell)
        unit, counted_for, unresolved = "", reporting_unit, None
        if named:
            found = self.resolver.resolve(name, reporting_unit)
            if found.unit:
                unit, counted_for = found.unit, found.parent
            else:
                # A name of several unions names none of them, even when one of them is a
                # directly affiliated union (its own reporting unit): no guess.
                federation = (
                    None if found.candidates else self.resolver.resolve_reporting_unit(name).unit
                )
                if federation:
                    counted_for = federation
                    unit = federation if self.kind_of.get(federation) == "direct" else ""
                else:
                    unresolved = found
        elif self.kind_of.get(reporting_unit) == "direct":
            unit = reporting_unit  # 本级 of a directly affiliated union is the union itself
        elif submitter:
            unit = submitter  # 本级 in a grassroots union's own file: that union
        clean = unresolved is None and counted_for == reporting_unit
        return written, named, unit, counted_for, unresolved, clean

    def _clean_columns(self, sub: _Submission, cells: _Cells) -> tuple[list, ...]:
        """The cleaned cells of data rows (their `values`), column by column.

        Four lists, one entry per row: `_holder`; (date, code, date text) from
        `dates_in`; (participants, code); (work item, form, codes, form text). Each
        distinct value goes through its cleaner once per run.
        """
        year = self.round_year.get(sub.round) if self.round_year else None
        column = cells.column
        return (
            self.holders(sub.reporting_unit, sub.submitter).column(column("grassroots_unit")),
            self.dates_in(year).column(column("date")),
            self.parse_participants.column(column("participants")),
            self.item_form.column(column("work_item"), column("form")),
        )

    # -- rows

    def table_columns(self, sub: _Submission, table: ActivityTable) -> dict[str, list]:
        """The ledger columns of one table, built column by column (no record per row).

        Every row starts `accepted` with reason `ok` and the values its cleaned cells
        give (`_clean_columns`). A mask over the columns picks the rows that may raise
        an issue: not data (total, note), struck through, a grassroots union not
        resolved or counted for another unit, a date missing, unreadable, out of the
        campaign or with a warning, participants with a code, split columns that
        disagree, a remark voiding the row, a work item or form with a code. Only those
        go through `row`, one by one and in row order, which applies the rules and
        writes the issues; every row ends in exactly one state. A row outside the mask
        is one `row` would accept with `ok` and no issue; a row whose participants code
        is all that puts it in the mask gets here the warning `row` would give it.
        """
        rows = TableRows.of(table.rows)
        n = len(rows)
        cells = _Cells(rows)  # the data rows' values, columns of runs kept as they are
        special = cells.special
        at: range | list = range(n)  # the position of each data row among all rows
        if special:  # the runs of data rows between special rows, by ranges
            runs = [(a + 1, b) for a, b in itertools.pairwise([-1, *special, n])]
            at = list(chain.from_iterable(range(a, b) for a, b in runs))
        m = len(cells)
        self._units_from_headings(sub, cells)
        holders, dates, counts, items = self._clean_columns(sub, cells)

        fine = np.fromiter(map(itemgetter(5), holders), bool, m)
        if "date" in table.columns:  # else every row notes date_missing
            fine &= np.fromiter(map(bool, map(itemgetter(2), dates)), bool, m)
        else:
            fine[:] = False
        fine &= np.fromiter(map(operator.not_, map(itemgetter(2), items)), bool, m)
        for key in ("participants_parts", "ditto", "unit_from_heading"):
            # Most tables have none: one pass that stops at the first, not a mask of each row.
            if cells.holds(key):
                fine &= ~np.fromiter(cells.holding(key), bool, m)
        flagged: list[int] = []
        if self.void_words or self.example_words:
            notes = cells.column("note")
            if self.void_words:
                flagged += self.void_remark.hits(notes)
            if self.example_words:
                flagged += self.example_mark.hits(notes, text_only=True)
        if "seq" in table.columns:  # a name typed into 序号, or 示例 there (`row` decides)
            seqs = cells.column("seq")
            flagged += self.name_like.hits(seqs, text_only=True)
            if self.example_words:
                flagged += self.example_mark.hits(seqs, text_only=True)
        fine[flagged] = False
        # Rows whose one issue is their participants cell ("约50人"): the commonest issue,
        # written here without `row`'s other checks (each ~5 µs), as `row` writes it.
        counted_only: set[int] = set()
        if "participants" in table.columns:  # a missing column is one note, not one per row
            counted = np.fromiter(map(operator.not_, map(itemgetter(1), counts)), bool, m)
            counted_only = set(np.flatnonzero(fine & ~counted).tolist())
            fine &= counted
        slow = np.flatnonzero(~fine).tolist()

        def spread(values: list) -> list:  # data rows' values placed among all rows
            return _spread(values, special) if special else values

        numbers = rows.numbers()
        columns = self._columns(sub, table, {
            "state": ["accepted"] * n,
            "reason": ["ok"] * n,
            "grassroots_unit": spread(list(map(itemgetter(2), holders))),
            "counted_for": spread(list(map(itemgetter(3), holders))),
            "date": spread(list(map(itemgetter(2), dates))),
            "participants": spread(list(map(itemgetter(0), counts))),
            "work_item": spread(list(map(itemgetter(0), items))),
            "form": spread(list(map(itemgetter(3), items))),
        }, numbers)  # fmt: skip
        reasons = columns["reason"]
        quick = self._counted_only_issues(sub, table, numbers, cells, counts, at, counted_only)
        by_row = dict.fromkeys(special)  # row position -> its data row (None: a special row)
        by_row.update(zip(map(at.__getitem__, slow), slow, strict=True))
        for k in sorted(by_row):
            j = by_row[k]
            if j in quick:  # as `row` notes it: accepted, the code its reason
                reasons[k] = counts[j][1]
                sub.row_issues.append(quick[j])
                continue
            if j is None:  # a special row: not data, or struck through
                trow, pre = rows[k], None
            else:  # a data row: its values as cleaned (a heading may have given a union)
                trow = TableRow(numbers[k], "data", cells[j])
                pre = holders[j], dates[j], counts[j], items[j]
            for field, value in self.row(sub, table, trow, pre).items():
                columns[field][k] = value
        return columns

    def _counted_only_issues(self, sub: _Submission, table: ActivityTable, numbers: list[int],
                             cells: _Cells, counts: list, at, counted_only: set[int],
                             ) -> dict[int, Issue]:  # fmt: skip
        """Data row -> the warning `row` gives a row whose one issue is its participants
        code (`table_columns`), made for all of them at once (their sentences looked up
        in one call); a row naming no activity is left to `row` (it raises no issue)."""
        if not counted_only:
            return {}
        js = sorted(counted_only)
        # `_no_activity` stops at a date cell holding anything but a placeholder text:
        # only rows whose date cell is blank or a text are asked.
        date_cells = cells.column("date")
        dates = [date_cells[j] for j in js]
        js = [j for j, d in zip(js, dates, strict=True)
              if not ((d is None or isinstance(d, str)) and self._no_activity(cells[j]))]  # fmt: skip
        codes = [counts[j][1] for j in js]
        figures = cells.column("participants")
        texts = self.cell_message.column(codes, [figures[j] for j in js])
        letter = column_letter(table.columns["participants"])
        rows = [numbers[at[j]] for j in js]
        return {
            j: Issue(sub.file, table.sheet, number, letter, "warning", code,
                     _ROW_PREFIX.format(row=number) + text)
            for j, number, code, text in zip(js, rows, codes, texts, strict=True)
        }  # fmt: skip

    def _units_from_headings(self, sub: _Submission, cells: _Cells) -> None:
        """Rows without a union under a row naming one alone (长阳镇卫生院工会, then its
        activities with the name column blank) are that union's, when the heading is a
        grassroots union of the roster; the row is marked for a warning. A heading naming
        a union of several parents, none the reporting unit's, makes them ambiguous. Any
        other heading (一、基层工会, 二、机关本级) leaves the rows as they are: blank is 本级."""
        if not cells.holds("unit_heading"):
            return  # most tables: no union heading above their rows
        holder = self.holders(sub.reporting_unit, sub.submitter)  # each name resolved once
        for i, values in cells.read_one_by_one():
            heading = values.get("unit_heading")
            if heading is None or not blank(values.get("grassroots_unit")):
                continue
            # A new dict, never the parsed row's: the parse is cached and must come back as
            # read, to be interpreted afresh when the roster or aliases.csv change.
            _, named, unit, _, unresolved, _ = holder(heading)
            if named and unresolved is None and (unit in self.parent_of or unit in self.repeated):
                cells[i] = values | {"grassroots_unit": heading, "unit_from_heading": heading}
            elif named and unresolved is not None and unresolved.candidates:
                # a union of several parents, none the reporting unit's: the rows are some
                # 中心小学工会's, not 本级; rejected as the name written in them would be
                cells[i] = values | {"grassroots_unit": heading}

    def _rejected(self, sub: _Submission, table: ActivityTable, reason: str) -> dict[str, list]:
        """The ledger columns of a table whose every row is rejected for `reason`."""
        n = len(table.rows)
        varying = {field: [value] * n for field, value in _NOTHING_READ.items()}
        varying |= {"state": ["rejected"] * n, "reason": [reason] * n}
        return self._columns(sub, table, varying, TableRows.of(table.rows).numbers())

    def _columns(self, sub: _Submission, table: ActivityTable, varying: dict,
                 numbers: list[int]) -> dict[str, list]:  # fmt: skip
        """A table's ledger columns: `varying` (by row), its rows' `numbers` and the file's
        and table's values."""
        n = len(numbers)
        fixed = {
            "file": sub.file, "sheet": table.sheet, "reporting_unit": sub.reporting_unit,
            "kind": sub.kind, "round": sub.round, "template": sub.parsed.template,
        }  # fmt: skip
        varying["row"] = numbers
        return {c: varying[c] if c in varying else [fixed[c]] * n for c in ROWS_COLUMNS}

    def row(self, sub: _Submission, table: ActivityTable, trow, pre=None) -> dict:
        """A row's state, reason and values (the ledger fields that vary by row); its issues.

        `pre`: its cleaned cells, as `_clean_columns` gives them (cleaned here if None).
        """
        if trow.kind != "data":
            if trow.values.get("lone_figure"):
                figure = self.clean.normalise_text(trow.values.get("participants"))
                sub.row_issues.append(
                    Issue(sub.file, table.sheet, trow.row, "", "warning", IssueCode.LONE_FIGURE,
                          message_text("lone_figure", place=place_text(table.sheet, trow.row),
                                       value=figure))
                )  # fmt: skip
            return {"state": "rejected", "reason": f"{trow.kind}_row", **_NOTHING_READ}
        if trow.struck:
            sub.row_issues.append(
                Issue(sub.file, table.sheet, trow.row, "", "error", "row_deleted",
                      message_text("row_deleted", place=place_text(table.sheet, trow.row)))
            )  # fmt: skip
            return {"state": "rejected", "reason": "row_deleted", **_NOTHING_READ}
        values, columns = trow.values, table.columns
        example = next(
            (v for v in (values.get("note"), values.get("seq")) if self.example_mark(v)), None
        )
        if example is not None:  # the template's example row, or an office's own
            sub.row_issues.append(
                Issue(sub.file, table.sheet, trow.row, "", "error", IssueCode.EXAMPLE_ROW,
                      message_text("example_row", place=place_text(table.sheet, trow.row),
                                   value=str(example).strip()))
            )  # fmt: skip
            return {"state": "rejected", "reason": IssueCode.EXAMPLE_ROW.value, **_NOTHING_READ}
        if self._no_activity(values):  # a pre-filled name and nothing done (no issue each)
            return {"state": "rejected", "reason": NO_ACTIVITY, **_NOTHING_READ}
        errors: list[tuple[str, str, str]] = []  # (code, column, message)
        warnings: list[tuple[str, str, str]] = []
        where = _ROW_PREFIX.format(row=trow.row)  # "第5行："

        def note(bucket, code: str, fld: str, text: str, value: str = "", suggest=()) -> None:
            # The column as a spreadsheet shows it (a letter), for every row issue.
            j = columns.get(fld)
            letter = column_letter(j) if j is not None else ""
            bucket.append((code, letter, text, value, "、".join(suggest)))

        if pre is None:
            pre = next(zip(*self._clean_columns(sub, _Cells.of_values([values])), strict=True))
        (written, named, unit, counted_for, unresolved, _), (day, date_code, _), (
            participants, p_code), (item, form, item_codes, _) = pre  # fmt: skip

        if not named and self.name_like(values.get("seq")):
            # The name typed into 序号, the name cell blank: that union, if it is one.
            moved = self._holder(sub.reporting_unit, values.get("seq"))
            if moved[2] or moved[3] != sub.reporting_unit:  # resolved to someone else
                written, named, unit, counted_for, unresolved, _ = moved
                note(warnings, "unit_in_seq_column", "seq", where + message_text(
                    "unit_in_seq_column", value=written))  # fmt: skip
        # Who held it, and whom it counts for (`_holder`).
        if unresolved is not None and EXCEL_ERROR.fullmatch(written):  # #N/A of a VLOOKUP
            note(errors, "cell_error_value", "grassroots_unit", message_text(
                "cell_error_value", row=trow.row, field=FIELD_LABELS_CN["grassroots_unit"],
                value=written),
                value=written)  # fmt: skip
        elif unresolved is not None and unresolved.candidates:
            # A name of unions under several parents, none the reporting unit's: no guess.
            note(errors, "unit_ambiguous", "grassroots_unit", message_text(
                "unit_ambiguous", row=trow.row, value=written, reporting=sub.reporting_unit,
                **names.ambiguous_fields(unresolved.candidates)),
                value=written, suggest=unresolved.suggestions)  # fmt: skip
        elif unresolved is not None:
            note(errors, "unit_unresolved", "grassroots_unit", message(
                "unit_unresolved", row=trow.row, value=written,
                suggest=suggestion_text(unresolved.suggestions)),
                value=written, suggest=unresolved.suggestions)  # fmt: skip
        if named and counted_for != sub.reporting_unit:
            direct = (
                self.kind_of.get(counted_for) == "direct" and (unit or counted_for) == counted_for
            )
            note(warnings, "unit_other_parent", "grassroots_unit", message(
                "unit_direct_other" if direct else "unit_other_parent", row=trow.row,
                unit=unit or counted_for, parent=counted_for, reporting=sub.reporting_unit))  # fmt: skip

        # When, how many, what.
        if "date" not in table.columns:
            date_code = "date_missing"
        if date_code == "date_out_of_window":
            # A stray date (2029.3.15 in a 2019 campaign) must not move date-based figures:
            # the row counts in its round, its date is treated as unknown.
            day, window = None, self.window
            shown = self.clean.normalise_text(values.get("date"))
            if sub.round:
                note(warnings, date_code, "date", where + message_text(
                    "date_out_of_window_counted", value=shown, window=window,
                    rounds=self.round_windows(sub.round)))  # fmt: skip
            else:
                note(errors, date_code, "date", where + message_text(
                    "date_out_of_window_rejected", value=shown, window=window))  # fmt: skip
        elif day is None:
            raw = values.get("date")
            text = self.cell_message(date_code, raw)
            if sub.round:
                note(
                    warnings,
                    date_code,
                    "date",
                    where + message_text("date_counted_in_round", text=text),
                )
            else:
                note(
                    errors,
                    date_code,
                    "date",
                    where + message_text("date_not_counted", text=text),
                )
        elif date_code:
            note(
                warnings,
                date_code,
                "date",
                where + self.cell_message(date_code, values.get("date")),
            )
        if p_code and "participants" in table.columns:
            note(
                warnings,
                p_code,
                "participants",
                where + self.cell_message(p_code, values.get("participants")),
            )
        parts = values.get("participants_parts")
        if parts is not None and participants is not None and parts[2:3] == ("total_unreadable",):
            note(warnings, "participants_total_unreadable", "participants",
                 where + message_text("participants_total_unreadable", value=parts[3],
                                      total=participants, parts=parts[1]))  # fmt: skip
        elif parts is not None and participants is not None and parts[2:]:
            note(warnings, "participants_total_blank", "participants",
                 where + message_text("participants_total_blank", total=participants,
                                      parts_sum=parts[0], parts=parts[1]))  # fmt: skip
        elif parts is not None and participants is not None:
            note(warnings, "participants_parts_disagree", "participants",
                 where + message_text("participants_parts_disagree", total=participants,
                                      parts_sum=parts[0], parts=parts[1]))  # fmt: skip
        if values.get("unit_from_heading"):
            note(warnings, "unit_from_heading", "grassroots_unit", where + message_text(
                "unit_from_heading", value=self.clean.normalise_text(values["unit_from_heading"])))  # fmt: skip
        ditto = values.get("ditto")
        if ditto:  # 同上 in a cell: the row above's value was used
            note(warnings, "value_ditto", ditto[0], where + message_text(
                "value_ditto", fields="、".join(FIELD_LABELS_CN[f] for f in ditto)))  # fmt: skip
        remark = values.get("note")
        if remark is not None and self.void_words and self.void_remark(remark):
            note(warnings, "remark_says_void", "note", where + message_text(
                "remark_says_void", value=self.clean.normalise_text(remark)))  # fmt: skip
        title = values.get("title")
        if (
            item == OTHER_WORK_ITEM
            and title is not None
            and ("work_item_missing" in item_codes or "work_item_unknown" in item_codes)
        ):
            inferred = self.item_from_title(title)
            if inferred is not None:
                item = inferred
                item_codes = [c for c in item_codes
                              if c not in ("work_item_missing", "work_item_unknown")]  # fmt: skip
                note(warnings, "work_item_inferred", "title", where + message_text(
                    "work_item_inferred_from_title", value=self.clean.normalise_text(title),
                    item=self.campaign.work_item_short(item)))  # fmt: skip
        for code in item_codes:
            fld = "form" if code.startswith("form") else "work_item"
            if code == "work_item_inferred" and columns.get("work_item") is None:
                fld = "form"  # no 工作类别 column: the form it was inferred from is the cell
            shown = values.get(fld)
            if code in ("form_unknown", "work_item_inferred"):
                # A form written in the work item's column (a header 活动类型) is shown there.
                shown = values.get("form") if not blank(values.get("form")) else shown
            note(warnings, code, fld, where + self.cell_message(code, shown))
        if form is None:
            form = self.clean.normalise_text(values.get("form"))

        state = "rejected" if errors else "accepted"
        reason = errors[0][0] if errors else ";".join(dict.fromkeys(w[0] for w in warnings)) or "ok"
        severity = "error" if errors else "warning"
        for code, column, text, value, suggestions in errors or warnings:
            sub.row_issues.append(
                Issue(
                    sub.file,
                    table.sheet,
                    trow.row,
                    column,
                    severity,
                    code,
                    text,
                    value,
                    suggestions,
                )
            )
        return {
            "state": state, "reason": reason, "grassroots_unit": unit, "work_item": item,
            "date": day.isoformat() if day else None, "participants": participants,
            "form": form or "", "counted_for": counted_for,
        }  # fmt: skip


# An error value as Excel writes it in a cell (readers keep it where calamine reads blank).
EXCEL_ERROR = re.compile(r"#(?:N/A|NAME\?|REF!|VALUE!|DIV/0!|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)")

_CJK = re.compile(r"[\u4e00-\u9fff]{3}")  # three Chinese characters: a name, not a number

# Words of a 备注 or 序号 marking an example row, when campaign.toml names none.
EXAMPLE_REMARKS = ("示例", "样例", "范例", "请勿照抄")
NO_ACTIVITY = IssueCode.NO_ACTIVITY.value  # the reason of a row naming a union and no activity
# The fields that make a row an activity (any of them holding something real).
ACTIVITY_FIELDS = ("date", "work_item", "form", "participants", "title")
NAMED_ROWS = 10  # rows a message lists before "等"

# The ledger fields of a row from which no activity is read (a total or note row, ...).
_NOTHING_READ = {
    "grassroots_unit": "", "work_item": "", "date": None, "participants": None, "form": "",
    "counted_for": "",
}  # fmt: skip


def _spread(values: list, special: list[int]) -> list:
    """Values of a table's data rows with a placeholder at each special row's position.

    `special`: the positions (ascending) of the rows that are not in `values`.
    """
    out: list = []
    start = 0
    for j, k in enumerate(special):  # k - j data rows come before position k
        out += values[start : k - j]
        out.append(None)
        start = k - j
    out += values[start:]
    return out


def _joined(pieces: list[dict[str, list]]) -> dict[str, list]:
    """The ledger columns of a file's tables, end to end."""
    if len(pieces) == 1:
        return pieces[0]
    return {c: list(chain.from_iterable(p[c] for p in pieces)) for c in ROWS_COLUMNS}


ACTIVITY_KEY = ("counted_for", "grassroots_unit", "date", "work_item", "form", "participants")


def _mark_repeated_rows(sub: _Submission) -> None:
    """The same activity twice in one file (a block pasted twice) counts once.

    Same activity: same grassroots union (and the unit it counts for), date, work item,
    form and participants; only accepted rows with a known date are compared. The
    later copy becomes `duplicate` with reason `duplicate_row:<sheet>!<row>` naming the
    first, and a warning. Two activities differing in form or participants both count.
    """
    columns = sub.columns
    key_columns = [columns[c] for c in ACTIVITY_KEY]
    if len(set(zip(*key_columns, strict=True))) == len(key_columns[0]):
        return  # no activity twice (the common case): nothing to mark
    keys = list(zip(*key_columns, strict=True))
    states, reasons = columns["state"], columns["reason"]
    sheets, rows = columns["sheet"], columns["row"]
    dated = ACTIVITY_KEY.index("date")
    first: dict[tuple, int] = {}
    for k, key in enumerate(keys):
        if states[k] != "accepted" or key[dated] is None:
            continue
        original = first.setdefault(key, k)
        if original == k:
            continue
        where = f"{sheets[original]}!{rows[original]}" if sheets[original] else str(rows[original])
        states[k], reasons[k] = "duplicate", f"duplicate_row:{where}"
        sub.row_issues.append(
            Issue(sub.file, sheets[k], rows[k], "", "warning", "duplicate_row",
                  message_text("duplicate_row", place=place_text(sheets[k], rows[k]),
                               original=place_text(sheets[original], rows[original])))
        )  # fmt: skip


def _values(column) -> list:
    return column.to_pylist() if hasattr(column, "to_pylist") else list(column)


def mark_repeated_rounds(subs: list[_Submission], campaign: Campaign) -> list[Issue]:
    """A later round repeating a unit's earlier rounds (a cumulative table) counts each activity once.

    Decided on every run after supersession (cached interpretations are per file):
    among a reporting unit's current files, in round order then file order, an
    accepted dated row whose activity (`ACTIVITY_KEY`) was already reported in an
    earlier round becomes `duplicate`, reason `earlier_round:<file of the first>`,
    with a warning. Units with current files in one round only are not looked at.
    Returns the warnings.
    """
    order = {r.code: k for k, r in enumerate(campaign.rounds)}
    by_unit: dict[str, list[_Submission]] = {}
    for sub in subs:
        if sub.state == "current" and sub.round:
            by_unit.setdefault(sub.reporting_unit, []).append(sub)
    members = [
        s for group in by_unit.values()
        if len({c for s in group for c in s.round.split(";")}) >= 2
        for s in sorted(group, key=lambda s: s.file)
    ]  # fmt: skip
    if not members:
        return []
    # Column-wise (no per-row Python): the rows of these files, in round then file order,
    # each column as integer codes of its distinct values (a few MiB, not the text).
    parts = [s.row_columns(ROWS_COLUMNS) for s in members]
    key = ["reporting_unit", *ACTIVITY_KEY]
    codes: dict[str, np.ndarray] = {}
    distinct: dict[str, list] = {}
    for c in ("state", "round", "reporting_unit", "date"):
        codes[c], distinct[c] = _factorized([p[c] for p in parts], c in ROWS_INTEGER_COLUMNS)
    lengths = [len(p["state"]) for p in parts]
    round_pos = np.array([order.get(u, -1) for u in distinct["round"]] + [-1])[codes["round"]]
    accepted = distinct["state"].index("accepted") if "accepted" in distinct["state"] else -2
    live_at = np.flatnonzero((codes["state"] == accepted) & (codes["date"] >= 0) & (round_pos >= 0))
    # An activity reported again in a later round has its unit and date in both rounds:
    # only the rows of a (unit, date) found in two rounds or more can repeat an earlier
    # round's (or be repeated), so only those are coded on the activity's other columns.
    live_at = live_at[
        _in_two_rounds(*(codes[c][live_at] for c in ("reporting_unit", "date", "round")))
    ]
    if not len(live_at):
        return []
    live = pd.DataFrame(
        {c: codes[c][live_at] if c in codes else _codes_at([p[c] for p in parts],
                                                           c in ROWS_INTEGER_COLUMNS, live_at)
         for c in key}
    )  # fmt: skip
    live["pos_file"] = np.repeat(np.arange(len(members)), lengths)[live_at]
    live["pos_row"] = (np.concatenate([np.arange(n) for n in lengths]) if lengths else [])[live_at]
    live["pos_round"] = round_pos[live_at]
    live["round"] = codes["round"][live_at]
    del codes, round_pos, live_at
    live = live[live.duplicated(key, keep=False)].sort_values(
        ["pos_round", "pos_file", "pos_row"], kind="stable"
    )
    issues: list[Issue] = []
    changed: dict[int, tuple[list, list]] = {}
    seen: dict[tuple, tuple] = {}
    places: dict[int, tuple[list, list]] = {}
    for row in live.itertuples(index=False):  # only rows whose activity occurs twice or more
        record = row._asdict()
        record["round"] = distinct["round"][record["round"]]
        if record["pos_file"] not in places:
            where = parts[record["pos_file"]]
            places[record["pos_file"]] = (_values(where["sheet"]), _values(where["row"]))
        sheets, numbers = places[record["pos_file"]]
        sheet, number = sheets[record["pos_row"]], numbers[record["pos_row"]]
        here = (record["round"], members[record["pos_file"]].file, sheet, number)
        first = seen.setdefault(tuple(record[c] for c in key), here)
        if first[0] == here[0]:
            continue
        m, k = record["pos_file"], record["pos_row"]
        sub = members[m]
        if m not in changed:
            columns = sub.row_columns(ROWS_COLUMNS)
            changed[m] = (_values(columns["state"]), _values(columns["reason"]))
        changed[m][0][k], changed[m][1][k] = "duplicate", f"earlier_round:{first[1]}"
        name = campaign.rounds_by_code[first[0]].name
        issues.append(
            Issue(sub.file, here[2], here[3], "", "warning", "repeated_earlier_round",
                  message_text("repeated_earlier_round", place=place_text(here[2], here[3]),
                               round=name, file=first[1], original=place_text(first[2], first[3])))
        )  # fmt: skip
    for m, (states, reasons) in changed.items():  # new lists: the cache may share the old ones
        sub = members[m]
        sub.columns = {**sub.columns, "state": states, "reason": reasons}
    return issues


def _in_two_rounds(unit: np.ndarray, date: np.ndarray, rnd: np.ndarray) -> np.ndarray:
    """Which rows' (unit, date) occurs in two rounds or more (codes: a unit's -1 is missing,
    dates and rounds known)."""
    if not len(unit):
        return np.zeros(0, dtype=bool)
    pair = (unit.astype(np.int64) + 1) * (int(date.max()) + 1) + date
    rounds = int(rnd.max()) + 1
    pairs = np.unique(pair * rounds + rnd) // rounds  # each (unit, date) once a round, sorted
    return np.isin(pair, pairs[1:][pairs[1:] == pairs[:-1]])


def _codes_at(pieces: list, integer: bool, at: np.ndarray) -> np.ndarray:
    """Integer codes of a ledger column's values at the positions `at` (-1 where missing)."""
    column = _arrow_column(pieces, integer)
    if column is None:  # values of other or mixed types
        return _factorized(pieces, integer)[0][at]
    return _factorized([column.take(at).combine_chunks()], integer)[0]


def _cn_date(day: dt.date) -> str:
    return message_text("cn_date", year=day.year, month=day.month, day=day.day)


ROWS_INTEGER_COLUMNS = ("row", "participants")


def _rows_table(subs: list[_Submission]) -> pd.DataFrame:
    """The ledger: every submission's rows, in file order (Arrow columns joined, not re-read)."""
    parts = [s.row_columns(ROWS_COLUMNS) for s in subs]
    data = {
        c: _ledger_column([p[c] for p in parts], c in ROWS_INTEGER_COLUMNS) for c in ROWS_COLUMNS
    }
    return pd.DataFrame(data, columns=list(ROWS_COLUMNS))


def _ledger_column(pieces: list, integer: bool):
    """One column of the ledger from per-file pieces (Arrow arrays from the cache, or lists).

    Gives what `pd.DataFrame` infers from the Python values, without a pass over them in
    Python: nullable Int64 for integer columns; `str` for text, object when all null.
    """
    import pyarrow as pa

    column = _arrow_column(pieces, integer)
    if column is None:
        values = [v for p in pieces for v in (p.to_pylist() if isinstance(p, pa.Array) else p)]
        return pd.array(values, dtype="Int64") if integer else pd.Series(values).array
    if integer:  # by buffers: pd.array(column, dtype="Int64") goes value by value with nulls
        joined = column.combine_chunks()
        mask = joined.is_null().to_numpy(zero_copy_only=False)
        return pd.arrays.IntegerArray(joined.fill_null(0).to_numpy().astype("int64"), mask)
    if column.null_count == len(column):  # pandas infers object for all-None values
        return pd.array([None] * len(column), dtype=object)
    return pd.array(column, dtype="str")


def _arrow_column(pieces: list, integer: bool):
    """The pieces of a ledger column as one Arrow column (int64 or large_string), or None
    when their Python values are of other or mixed types."""
    import pyarrow as pa

    allowed = (pa.int64(),) if integer else (pa.string(), pa.large_string())
    target = pa.int64() if integer else pa.large_string()
    runs: list = []  # consecutive lists joined, so that Arrow converts them in one call
    for piece in pieces:
        if not integer and (one := _one_value(piece)) is not None:
            if runs and isinstance(runs[-1], _Repeated):
                runs[-1].add(one, len(piece))
            else:
                runs.append(_Repeated(one, len(piece)))
        elif isinstance(piece, pa.Array):
            runs.append(piece)
        elif runs and isinstance(runs[-1], list):
            runs[-1].extend(piece)
        else:
            runs.append(list(piece))
    arrays = []
    for run in runs:
        if isinstance(run, _Repeated):
            arrays.append(run.array())
            continue
        try:
            array = run if isinstance(run, pa.Array) else pa.array(run)
        except (pa.ArrowException, TypeError, ValueError):  # mixed Python types
            return None
        kind = array.type  # a one-value text column is dictionary-encoded (`_arrow_or_list`)
        kind = kind.value_type if pa.types.is_dictionary(kind) else kind
        if not (kind in allowed or pa.types.is_null(kind)):
            return None
        arrays.append(array)
    # One cast per run of pieces of one type (a file's pieces are mostly of one or two
    # types), not one per piece: ~7,000 calls for a 300-file round's ledger.
    chunks = []
    for _, same in itertools.groupby(arrays, key=lambda a: a.type):
        chunks += pa.chunked_array(list(same)).cast(target).chunks
    return pa.chunked_array(chunks, type=target)


def _one_value(piece) -> str | None:
    """The text of a file's one-value column (`submissions._arrow_or_list`: a dictionary of
    one text, no null), else None."""
    import pyarrow as pa

    if (
        isinstance(piece, pa.DictionaryArray)
        and len(piece.dictionary) == 1
        and not piece.null_count
        and len(piece)
        and (
            pa.types.is_string(piece.dictionary.type)
            or pa.types.is_large_string(piece.dictionary.type)
        )
    ):
        return piece.dictionary[0].as_py()
    return None


class _Repeated:
    """Consecutive files' one-value text columns, built as one large_string array from its
    buffers (each text repeated: a copy of bytes), not decoded value by value by a cast:
    the ledger's file, unit, round, kind, template and most sheet columns."""

    def __init__(self, text: str, n: int):
        self.texts: list[bytes] = []
        self.counts: list[int] = []
        self.add(text, n)

    def add(self, text: str, n: int) -> None:
        self.texts.append(text.encode("utf-8"))
        self.counts.append(n)

    def array(self):
        import pyarrow as pa

        sizes = np.repeat(np.array([len(t) for t in self.texts], dtype=np.int64), self.counts)
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        data = b"".join(t * n for t, n in zip(self.texts, self.counts, strict=True))
        return pa.LargeStringArray.from_buffers(
            len(sizes), pa.py_buffer(offsets), pa.py_buffer(data)
        )


def _factorized(pieces: list, integer: bool) -> tuple[np.ndarray, list]:
    """Integer codes of a ledger column's values (-1 where missing) and its distinct values,
    in order of first appearance (as `pd.factorize`), hashed by Arrow.

    A file's one-value text column (`_one_value`) is hashed as that one value, its code
    repeated for its rows: the text is not repeated for each row first.
    """
    import pyarrow as pa

    target = pa.int64() if integer else pa.large_string()
    arrays: list = []  # what is hashed, in order
    weights: list = []  # per array: None (a row a value), or the rows of each value
    ones: list[str] = []  # consecutive one-value files: their values
    counts: list[int] = []  # and their rows
    lists: list = []  # consecutive lists joined, so that Arrow converts them in one call

    def flush() -> None:
        if ones:
            arrays.append(pa.array(ones, target))
            weights.append(counts.copy())
            ones.clear()
            counts.clear()
        if lists:
            arrays.append(lists.copy())
            weights.append(None)
            lists.clear()

    for piece in pieces:
        if not len(piece):
            continue
        one = None if integer else _one_value(piece)
        if one is not None:
            if lists:
                flush()
            ones.append(one)
            counts.append(len(piece))
        elif isinstance(piece, pa.Array):
            flush()
            arrays.append(piece)
            weights.append(None)
        else:
            if ones:
                flush()
            lists.extend(piece)
    flush()
    allowed = (pa.int64(),) if integer else (pa.string(), pa.large_string())
    try:
        arrays = [a if isinstance(a, pa.Array) else pa.array(a) for a in arrays]
    except (pa.ArrowException, TypeError, ValueError):  # mixed Python types
        arrays = None
    if arrays is None or not all(
        pa.types.is_null(a.type)
        or (a.type.value_type if pa.types.is_dictionary(a.type) else a.type) in allowed
        for a in arrays
    ):  # values of other or mixed types
        codes, uniques = pd.factorize(_ledger_column(pieces, integer), use_na_sentinel=True)
        return codes, list(uniques)
    if not arrays:
        return np.zeros(0, dtype=np.int32), []
    chunks = []  # one cast per run of arrays of one type, as `_arrow_column`
    for _, same in itertools.groupby(arrays, key=lambda a: a.type):
        chunks += pa.chunked_array(list(same)).cast(target).chunks
    encoded = pa.chunked_array(chunks, type=target).dictionary_encode()
    indices = pa.chunked_array([c.indices for c in encoded.chunks]).combine_chunks()
    codes = indices.fill_null(-1).to_numpy()
    if any(w is not None for w in weights):  # each one-value file's code, once a row
        rows = np.ones(len(codes), dtype=np.int64)
        at = 0
        for array, w in zip(arrays, weights, strict=True):
            if w is not None:
                rows[at : at + len(w)] = w
            at += len(array)
        codes = np.repeat(codes, rows)
    return codes, encoded.chunk(0).dictionary.to_pylist()


def _submissions_table(subs: list[_Submission]) -> pd.DataFrame:
    records = []
    for s in subs:
        states = _counts(s.row_columns(ROWS_COLUMNS)["state"])
        records.append({
            "file": s.file, "reporting_unit": s.reporting_unit, "kind": s.kind,
            "round": s.round, "report_date": s.report_date.isoformat() if s.report_date else None,
            "state": s.state, "on_time": s.on_time, "rows_read": sum(states.values()),
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


def _counts(values) -> Counter:
    """How often each value occurs in a list or an Arrow array."""
    if isinstance(values, list):
        return Counter(values)
    return Counter({d["values"]: d["counts"] for d in values.value_counts().to_pylist()})


_ISSUE_FIELDS = operator.attrgetter(*ISSUES_COLUMNS)


def _issues_table(issues: list[Issue | IssueRows]) -> pd.DataFrame:
    """issues.csv from the run's issues, in order: `Issue`s, and cached files' `IssueRows`
    (their fields and located sentences as they were kept)."""
    records: list[tuple] = []
    located: list[str] = []
    words: dict[tuple[str, str], str] = {}  # each file's and sheet's words, formatted once
    for item in issues:
        if isinstance(item, IssueRows):
            records += item.records
            located += item.located
        else:
            # attrgetter, not dataclasses.astuple: that deep-copies every field (10x slower).
            records.append(_ISSUE_FIELDS(item))
            located.append(located_message(item, words))
    frame = pd.DataFrame.from_records(records, columns=list(ISSUES_COLUMNS))
    frame["message"] = located
    frame["row"] = frame["row"].astype("Int64")
    return frame
