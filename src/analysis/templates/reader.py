"""Recognising a template by its marker and reading its tables back by position."""

from __future__ import annotations

import re
from collections import Counter

from analysis.campaign import Campaign
from analysis.messages import message_text
from analysis.model import (
    HEADER_FIELDS,
    ActivityTable,
    HeaderBlock,
    Issue,
    IssueCode,
    Sheet,
    TableRow,
    Workbook,
)
from analysis.tables import (
    FILLED_FIELDS,
    _assign,
    _context,
    _fill_dittos,
    _filled,
    _labels,
    _merge_index,
    _struck_row,
    column_letter,
    is_ditto,
    marker_hit,
)
from analysis.templates.layout import HEADER_LABELS, LISTS_SHEET, META_SHEET, TEMPLATE_MARKER

# The coordinates openpyxl's coordinate_from_string accepts ("B3", "$B$3", "b3").
_CELL_REF = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")


def _cell_ref(ref: str) -> tuple[int, int]:
    """'B3' -> (row index, column index), both 0-based (no openpyxl needed to read a template)."""
    match = _CELL_REF.match(ref)
    if match is None or int(match.group(2)) == 0:
        raise ValueError(f"Invalid cell coordinates ({ref})")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


def _pairs(text: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in str(text).split(",") if ":" in part)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def detect(workbook: Workbook) -> dict | None:
    """The template marker in the workbook's `_meta` sheet, parsed; None when it is not a template."""
    meta = next((s for s in workbook.sheets if s.name == META_SHEET), None)
    if meta is None:
        return None
    raw = {_text(r[0]): _text(r[1]) for r in meta.rows if len(r) >= 2 and _text(r[0])}
    if raw.get("marker") != TEMPLATE_MARKER:
        return None
    try:
        marker = {
            "marker": raw["marker"],
            "template_version": int(raw["template_version"]),
            "campaign": raw["campaign"],
            "unit": raw["unit"],
            "kind": raw.get("kind", ""),
            "round": raw["round"],
            "round_name": raw.get("round_name", raw["round"]),
            "sheet": raw["sheet"],
            "header_row": int(raw["header_row"]),
            "first_data_row": int(raw["first_data_row"]),
            "last_data_row": int(raw["last_data_row"]),
            "columns": raw["columns"].split(","),
            "column_labels": raw["column_labels"].split(","),
            "header_cells": _pairs(raw["header_cells"]),
            "header_label_cells": _pairs(raw.get("header_label_cells", "")),
            "header_labels": _pairs(raw.get("header_labels", "")),
            "template_sheets": [s for s in raw.get("template_sheets", "").split(",") if s],
        }
    except (KeyError, ValueError):
        return None
    if len(marker["columns"]) != len(marker["column_labels"]):
        return None
    return marker


def _norm(value: object) -> str:
    return re.sub(r"[\s\u3000（）()\[\]【】*:：]", "", _text(value))


def _at(rows: list[list[object]], r: int, c: int) -> object:
    """The cell at 0-based (r, c); None when outside the grid or empty ("" from calamine)."""
    value = rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else None
    return None if value == "" else value


def _match_header(
    rows: list[list[object]], labels: dict[str, str], campaign: Campaign, limit: int = 30
) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and field columns of a moved table: template labels, then
    synonyms, then any label the general reader takes for the field ("参与人数（人）",
    "日期", "基层工会（全称）": `tables._Matcher`, containment included)."""
    best: tuple[int, dict[str, int]] | None = None
    matcher = _context(campaign).matcher
    for r in range(min(limit, len(rows))):
        cells = [_norm(v) for v in rows[r]]
        found: dict[str, int] = {}
        for fld, label in labels.items():
            for name in (label, *campaign.columns.get(fld, ())):
                if _norm(name) in cells and cells.index(_norm(name)) not in found.values():
                    found[fld] = cells.index(_norm(name))
                    break
        taken = set(found.values())
        others = [[] if j in taken else [_labels(v)] for j, v in enumerate(rows[r])]
        for fld, j in _assign(matcher, others)[0].items():
            if fld in labels and fld not in found and j not in taken:
                found[fld] = j
                taken.add(j)
        if len(found) >= 3 and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


def _row_kind(values: dict[str, object], campaign: Campaign) -> str:
    texts = [_text(v) for k, v in values.items() if k in ("seq", "grassroots_unit", "title")]
    first = next((t for t in texts if t), "")
    if marker_hit(first, tuple(campaign.row_markers.get("total", ()))):
        return "total"
    if any(first.startswith(m) for m in campaign.row_markers.get("note", ())):
        return "note"
    return "data"


def _find_activity_sheet(workbook: Workbook, marker: dict) -> Sheet | None:
    by_name = {s.name: s for s in workbook.sheets}
    if marker["sheet"] in by_name:
        return by_name[marker["sheet"]]
    skip = set(marker["template_sheets"]) | {META_SHEET, LISTS_SHEET}
    candidates = [s for s in workbook.sheets if s.name not in skip and not s.hidden]
    return candidates[0] if candidates else None


def _find_label(rows: list[list[object]], label: str, above: int) -> tuple[int, int, object] | None:
    """Where `label` stands in the rows above the table (0-based), if anywhere, and the
    value written after it in the same cell ("填报日期：2019年10月2日"; None when the
    cell holds the label alone)."""
    target = _norm(label)
    for r in range(min(above, len(rows))):
        for c, value in enumerate(rows[r]):
            if _norm(value) == target:
                return r, c, None
            inline = _inline_value(value, label)
            if inline is not None:
                return r, c, inline
    return None


def _inline_value(value: object, label: str) -> str | None:
    """The value of a "标签：值" cell whose label is `label` (spaces and a seal note
    around the label allowed); None when the cell is something else."""
    if not isinstance(value, str):
        return None
    found = re.match(r"^\s*(.+?)\s*[:：]\s*(.*?)\s*$", value, re.S)
    if found is None or _norm(found.group(1)) != _norm(label) or not found.group(2):
        return None
    return found.group(2)


def _shift_for(
    value_at: tuple[int, int], displaced: list[tuple[tuple[int, int], tuple[int, int]]]
) -> tuple[int, int] | None:
    """How far the cells at `value_at` moved, judged by the labels that were found
    (written cell, displacement): a column deleted or inserted moves every cell right of
    it, so the nearest found label at or right of the value's column tells; with none
    there, the displacement most labels share. None when no label was found."""
    if not displaced:
        return None
    right = sorted(
        (cell[1], abs(cell[0] - value_at[0]), moved)
        for cell, moved in displaced
        if cell[1] >= value_at[1]
    )
    if right:
        return right[0][2]
    counts = Counter(moved for _, moved in displaced)
    return counts.most_common(1)[0][0]


def _right_of(rows: list[list[object]], r: int, c: int, labels: set[str]) -> object:
    """The first filled cell right of (r, c) on its row, unless another label comes first."""
    for j in range(c + 1, len(rows[r]) if r < len(rows) else 0):
        value = _at(rows, r, j)
        if value is None or (isinstance(value, str) and not _norm(value)):
            continue  # empty, or only the label's colon ("填报日期 | ： | 2019.10.2")
        return None if _norm(value) in labels else value
    return None


def _read_header_block(
    rows: list[list[object]], marker: dict, header_index: int
) -> tuple[HeaderBlock, list[str]]:
    """Header values from their known cells, wherever the block moved.

    A label in its cell gives the value cell (or, that cell empty, the next filled cell
    right of the label: a column inserted between them). A label found elsewhere above the
    table gives the value after it in its own cell ("填报日期：2019年10月2日") or the next
    filled cell to its right. A label found nowhere (its column deleted: 序号's column A
    holds 填报单位 and 填报日期) gives the value cell moved as far as the labels that were
    found moved."""
    values: dict[str, object] = {}
    altered: list[str] = []
    labels = {_norm(v) for v in marker["header_labels"].values() if v}
    # Where each label stands now: field -> (row, column, value written in its cell).
    where: dict[str, tuple[int, int, object]] = {}
    in_place: set[str] = set()
    for fld in HEADER_FIELDS:
        label_ref, label = marker["header_label_cells"].get(fld), marker["header_labels"].get(fld)
        if not (label_ref and label):
            continue
        cell = _cell_ref(label_ref)
        if _norm(_at(rows, *cell)) == _norm(label):
            where[fld] = (*cell, None)
            in_place.add(fld)
        elif (found := _find_label(rows, label, header_index)) is not None:
            where[fld] = found
    displaced = []  # (the label's cell in the template, how far it moved)
    for f, (r, c, _) in where.items():
        r0, c0 = _cell_ref(marker["header_label_cells"][f])
        displaced.append(((r0, c0), (r - r0, c - c0)))
    for fld in HEADER_FIELDS:
        ref = marker["header_cells"].get(fld)
        values[fld] = _at(rows, *_cell_ref(ref)) if ref else None
        if _norm(values[fld]) in labels:
            values[fld] = None  # a column deleted before it: another field's label, no value
        label_ref, label = marker["header_label_cells"].get(fld), marker["header_labels"].get(fld)
        if not (label_ref and label):
            continue
        if fld in in_place:
            if values[fld] is None:
                # The label in place, its value cell empty: a column inserted between
                # them moved the value to the right.
                values[fld] = _right_of(rows, *_cell_ref(label_ref), labels)
            continue
        if fld in where:
            r, c, inline = where[fld]
            # Its value in its own cell, or right of it past any empty cell a column
            # inserted left there.
            values[fld] = inline if inline is not None else _right_of(rows, r, c, labels)
            altered.append(message_text("template_label_moved", label=label, ref=label_ref))
            continue
        shift = _shift_for(_cell_ref(ref), displaced) if ref else None
        if shift is not None and shift != (0, 0):
            # The label deleted with its column (or typed over) while the block moved:
            # the value moved as far as the labels that are left.
            r, c = _cell_ref(ref)
            r, c = r + shift[0], c + shift[1]
            moved = _at(rows, r, c) if r >= 0 and c >= 0 else None
            values[fld] = None if _norm(moved) in labels else moved
            altered.append(
                message_text(
                    "template_label_lost", label=label, ref=label_ref,
                    now=f"{column_letter(c)}{r + 1}",
                )
            )  # fmt: skip
        else:
            altered.append(message_text("template_label_changed", label=label, ref=label_ref))
    for fld, expected in (("reporting_unit", marker["unit"]), ("round", marker["round_name"])):
        written = _text(values.get(fld))
        if not written:
            values[fld] = expected  # a cleared locked cell: the marker still knows
            altered.append(
                message_text(
                    "template_prefill_cleared", label=HEADER_LABELS[fld], expected=expected
                )
            )
        elif _norm(written) != _norm(expected):
            altered.append(
                message_text(
                    "template_prefill_changed",
                    label=HEADER_LABELS[fld],
                    expected=expected,
                    written=written,
                )
            )
    return HeaderBlock(**values), altered


def read_tables(
    workbook: Workbook, marker: dict, campaign: Campaign, file: str
) -> list[ActivityTable]:
    """The activity table of a detected template, read by the marker's positions.

    An empty list means the activity sheet is gone; read the workbook generically then.
    """
    sheet = _find_activity_sheet(workbook, marker)
    if sheet is None:
        return []
    rows = sheet.rows
    issues: list[Issue] = []
    altered: list[str] = []

    def warn(code: str, message: str, row: int | None = None, column: str = "") -> None:
        issues.append(Issue(file, sheet.name, row, column, "warning", code, message))

    if sheet.name != marker["sheet"]:
        altered.append(message_text("template_sheet_renamed", was=marker["sheet"], now=sheet.name))
    if marker["campaign"] != campaign.code:
        warn(
            IssueCode.TEMPLATE_OTHER_CAMPAIGN,
            message_text(
                "template_other_campaign", file=file, was=marker["campaign"], now=campaign.code
            ),
        )

    # Table columns: by position when the header row is as written, else by matching it.
    fields = marker["columns"]
    labels = dict(zip(fields, marker["column_labels"], strict=True))
    header_index = marker["header_row"] - 1
    columns = {fld: j for j, fld in enumerate(fields)}
    written = [_norm(_at(rows, header_index, j)) for j in range(len(fields))]
    table_moved = written != [_norm(labels[f]) for f in fields]
    if table_moved:
        match = _match_header(rows, labels, campaign)
        if match is not None:
            header_index, columns = match
            altered.append(message_text("template_header_moved"))
        else:
            altered.append(message_text("template_header_unrecognised"))
    column_labels = {f: _text(_at(rows, header_index, j)) or labels[f] for f, j in columns.items()}
    missing = [labels[f] for f in fields if f not in columns]
    if missing:
        altered.append(message_text("template_columns_missing", columns="、".join(missing)))

    header, header_altered = _read_header_block(rows, marker, header_index)
    altered = header_altered + altered

    if altered:
        warn(
            IssueCode.TEMPLATE_ALTERED,
            message_text("template_altered", file=file, changes="；".join(altered)),
            row=header_index + 1 if table_moved or missing else None,
        )

    table_rows = []
    # A union or a date merged down over several rows (one union, several activities
    # on one day) is every row's, as the general reader takes it.
    merges = _merge_index(sheet) if sheet.merged else {}
    previous: dict[str, object] = {}  # the data row above (for 同上)
    for i in range(header_index + 1, len(rows)):
        values = {
            f: _filled(rows, merges, i, j) if f in FILLED_FIELDS and (i, j) in merges
            else _at(rows, i, j)
            for f, j in columns.items()
        }  # fmt: skip
        if all(_text(v) == "" for f, v in values.items() if f != "seq"):
            continue  # untouched input row (a lone 序号 is not an activity)
        # Only a remark ("以上活动均已上报…"): a note under the activities, not one of them.
        remark_only = all(_text(v) == "" for f, v in values.items() if f not in ("seq", "note"))
        kind = "note" if remark_only else _row_kind(values, campaign)
        if kind == "data":
            # 同上 in a cell: the row above's value, as any workbook's reader takes it (a
            # copy of this sheet in the same workbook is read so, and must count alike).
            dittos = {v for v in values.values() if is_ditto(v)}
            if dittos:
                _fill_dittos(values, dittos, previous)
            previous = values
        # Every filled cell struck through: the unit deleted the row, as in any workbook.
        struck = kind == "data" and bool(sheet.struck) and _struck_row(rows[i], i, sheet.struck)
        table_rows.append(TableRow(row=i + 1, kind=kind, values=values, struck=struck))
    return [
        ActivityTable(
            sheet=sheet.name,
            header_row=header_index + 1,
            columns=columns,
            column_labels=column_labels,
            header=header,
            rows=table_rows,
            template=True,
            issues=issues,
        )
    ]
