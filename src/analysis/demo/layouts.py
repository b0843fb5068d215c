"""Layouts that turn a submission into a file: plain cell grids, or a filled template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.campaign import Campaign
from analysis.demo.formats import Grid, _fixed_zip, _write_csv, _write_ods, _write_xls, _write_xlsx
from analysis.demo.publicity import publicity_grid
from analysis.demo.records import Activity, Plant, Style, Submission

EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Placement:
    """Where a writer put things: each activity's (sheet, row) and sheet-level plants."""

    rows: list[tuple[str, int]]
    labels: dict[str, str]
    notes: list[tuple[Plant, str, int | None]] = field(default_factory=list)
    sheet: str = ""  # the sheet with the header block and the (first) activity table
    publicity: list[dict] = field(default_factory=list)  # counts the ingest must accept


SubmissionWriter = Callable[[Path, Submission, Campaign], Placement]


def _date_cell(day: dt.date, mode: str) -> object:
    if mode == "serial":
        return (day - EXCEL_EPOCH).days
    if mode == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if mode == "dot":
        return f"{day.year}.{day.month}.{day.day}"
    if mode == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if mode == "md":
        return f"{day.month}月{day.day}日"
    return day


def _header_block(sub: Submission, campaign: Campaign) -> list[list[object]]:
    style, hf = sub.style, campaign.header_fields
    lab = {
        k: (hf.get(k) or (k,))[0]
        for k in ("reporting_unit", "report_date", "contact", "phone", "round")
    }
    day = sub.report_date
    day_text = f"{day.year}年{day.month}月{day.day}日" if day else ""
    if style.header_block == "none":
        return []
    if style.header_block == "inline":
        parts = [
            f"{lab['reporting_unit']}：{sub.written_unit}",
            f"{lab['report_date']}：{day_text}",
            f"{lab['contact']}：{sub.contact}",
            f"{lab['phone']}：{sub.phone}",
        ]
        if style.round_in_header:
            parts.append(f"{lab['round']}：{sub.round_label}")
        return [["\u3000\u3000".join(parts)]]
    if style.header_block == "neighbour":
        rows: list[list[object]] = [
            [lab["reporting_unit"], sub.written_unit, None, lab["report_date"], day],
            [lab["contact"], sub.contact, None, lab["phone"], sub.phone],
        ]
        if style.round_in_header:
            rows.append([lab["round"], sub.round_label])
        return rows
    rows = [
        [
            f"{lab['reporting_unit']}：{sub.written_unit}",
            None,
            None,
            f"{lab['report_date']}：{day_text}",
        ],
        [f"{lab['contact']}：{sub.contact}", None, None, f"{lab['phone']}：{sub.phone}"],
    ]
    if style.round_in_header:
        rows.append([f"{lab['round']}：{sub.round_label}"])
    return rows


def _titles(sub: Submission, campaign: Campaign) -> list[list[object]]:
    titles: list[list[object]] = [
        [f"{campaign.name}活动开展情况统计表"],
        [f"（{sub.round.name}）"],
        [],
    ]
    return titles[: sub.style.title_rows]


def _activity_table(
    acts: list[Activity], style: Style, labels: dict[str, str], first_row: int
) -> tuple[list[list[object]], list[tuple[int, int, int, int]], list[int], list[tuple[Plant, int]]]:
    """Header row(s) and data rows; returns rows, merges, each activity's row, notes."""
    order = style.order
    if style.merged_header:
        order = ("seq", "grassroots_unit", "work_item", "date", "form", "participants", "note")
    r0 = first_row - 1  # 0-based index of the first header row
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    notes: list[tuple[Plant, int]] = []
    if style.merged_header:
        top = [labels[f] for f in order]
        top[3:6] = ["活动情况", None, None]
        bottom = [None, None, None, labels["date"], labels["form"], labels["participants"], None]
        rows += [top, bottom]
        merges += [(r0, j, r0 + 1, j) for j in (0, 1, 2, 6)] + [(r0, 3, r0 + 0, 5)]
        notes.append(
            (Plant("merged_header", "", "活动情况", None, "two header rows read as one"), first_row)
        )
    else:
        rows.append([labels[f] for f in order])
    positions: list[int] = []
    for i, act in enumerate(acts, start=1):
        values = dict(act.written, seq=i)
        if isinstance(values["date"], dt.date):
            values["date"] = _date_cell(values["date"], style.date_mode)
        rows.append([values.get(f) if values.get(f) != "" else None for f in order])
        positions.append(first_row + len(rows) - 1)
        if style.spacer_rows and i % 7 == 0 and i < len(acts):
            rows.append([])
            if i == 7:
                notes.append(
                    (
                        Plant("spacer_row", "", "", None, "blank row skipped"),
                        first_row + len(rows) - 1,
                    )
                )
    if style.total_row:
        total = sum(a.participants or 0 for a in acts)
        cells: list[object] = [None] * len(order)
        cells[order.index("seq")] = "合计"
        cells[order.index("participants")] = total
        rows.append(cells)
        notes.append(
            (
                Plant("total_row", "", "合计", "total_row", "not an activity"),
                first_row + len(rows) - 1,
            )
        )
    if style.note_row:
        rows += [[], ["注：参加人数按人次填写，活动形式请按通知要求填写。"]]
        notes.append(
            (
                Plant("note_row", "", "注：", "note_row", "not an activity"),
                first_row + len(rows) - 1,
            )
        )
    return rows, merges, positions, notes


def plain_grids(sub: Submission, campaign: Campaign) -> tuple[list[Grid], Placement]:
    """The cell grids of a hand-made submission in the submission's style."""
    style = sub.style
    labels = {
        f: style.labels.get(f) or campaign.columns.get(f, (f,))[0]
        for f in ("seq", "grassroots_unit", "date", "work_item", "form", "participants", "note")
    }
    sheet_name = (
        "Sheet1" if style.fmt.startswith("csv") else ("活动统计" if style.title_rows else "Sheet1")
    )
    if style.fmt.startswith("csv"):
        sheet_name = ""
    split = style.split_sheets and len({a.work_item for a in sub.activities}) > 1
    # Split by work item: the first two items on one sheet, the rest on another.
    first, rest = campaign.work_items[:2], campaign.work_items[2:]
    codes = [w.code for w in first]
    parts = (
        [
            (_sheet_title(first), [a for a in sub.activities if a.work_item in codes]),
            (_sheet_title(rest), [a for a in sub.activities if a.work_item not in codes]),
        ]
        if split
        else [(sheet_name, sub.activities)]
    )
    grids: list[Grid] = []
    where: dict[int, tuple[str, int]] = {}
    placement = Placement([], labels)
    for k, (name, acts) in enumerate(parts):
        top = _titles(sub, campaign) + (_header_block(sub, campaign) if k == 0 else [])
        if top and style.header_block != "none":
            top.append([])
        table, merges, positions, notes = _activity_table(acts, style, labels, len(top) + 1)
        grids.append(Grid(name, top + table, merges=merges))
        for act, row in zip(acts, positions, strict=True):
            where[id(act)] = (name, row)
        placement.notes += [(p, name, r) for p, r in notes]
        if k == 1:
            placement.notes.append(
                (
                    Plant("second_activity_sheet", "", name, None, "read as a second table"),
                    name,
                    None,
                )
            )
        if k == 0 and style.date_mode != "date" and acts:
            placement.notes.append(
                (
                    Plant(
                        f"date_{style.date_mode}",
                        "date",
                        table[1 + style.merged_header][
                            (
                                style.order
                                if not style.merged_header
                                else ("seq", "grassroots_unit", "work_item", "date")
                            ).index("date")
                        ],
                        None,
                        "read as a date",
                    ),
                    name,
                    positions[0],
                )
            )
    placement.rows = [where[id(a)] for a in sub.activities]
    placement.sheet = grids[0].name
    if style.hidden_old_sheet:
        old = [
            replace(a, written=dict(a.written, date=a.date.replace(year=a.date.year - 1)))
            for a in sub.activities[:6]
        ]
        rows, merges, _, _ = _activity_table(
            old,
            replace(style, total_row=False, note_row=False, spacer_rows=False, date_mode="date"),
            labels,
            2,
        )
        grids.append(
            Grid(
                "2018年旧表",
                [[f"{campaign.year - 1}年活动统计（旧）"], *rows],
                hidden=True,
                merges=merges,
            )
        )
        placement.notes.append(
            (
                Plant("hidden_sheet", "", "2018年旧表", "sheet_hidden_skipped", "not read"),
                "2018年旧表",
                None,
            )
        )
    if style.publicity_sheet:  # work item 3's counts: see demo/publicity.py
        grid, truth, notes = publicity_grid(sub)
        grids.append(grid)
        placement.publicity += truth
        placement.notes += notes
    return grids, placement


def _sheet_title(items: tuple) -> str:
    """A sheet name from work items' short names ("学习、宣讲培训活动"), within Excel's 31."""
    return ("、".join(w.short for w in items) + "活动")[:31]


def write_plain(path: Path, sub: Submission, campaign: Campaign) -> Placement:
    """Write a hand-made submission (the default layout) in its format."""
    grids, placement = plain_grids(sub, campaign)
    fmt = sub.style.fmt
    if fmt == "xlsx":
        _write_xlsx(path, grids)
    elif fmt in ("xls", "et"):
        _write_xls(path, grids)
    elif fmt == "ods":
        _write_ods(path, grids)
    else:
        _write_csv(path, grids[0], fmt.removeprefix("csv-"))
    return placement


def write_filled_template(path: Path, sub: Submission, campaign: Campaign) -> Placement:
    """A pre-filled template (analysis.templates) filled in as the unit would type it."""
    from analysis import templates
    from analysis.templates.fill import fill_template
    from analysis.templates.writer import write_template

    write_template(path, campaign, sub.unit, sub.kind, sub.round, list(sub.unions))
    rows = [
        {"seq": i, **{f: v for f, v in act.written.items() if v not in ("", None)}}
        for i, act in enumerate(sub.activities, start=1)
    ]
    header = {"report_date": sub.report_date, "contact": sub.contact, "phone": sub.phone}
    fill_template(path, rows, header)
    path.write_bytes(_fixed_zip(path.read_bytes()))
    sheet = templates.ACTIVITY_SHEET
    return Placement(
        rows=[(sheet, templates.FIRST_DATA_ROW + i) for i in range(len(sub.activities))],
        labels=dict(templates.COLUMN_LABELS),
        notes=[
            (
                Plant("filled_template", "", templates.TEMPLATE_MARKER, None, "read by position"),
                sheet,
                None,
            )
        ],
        sheet=sheet,
    )


LAYOUTS: dict[str, SubmissionWriter] = {"plain": write_plain, "template": write_filled_template}


def register_layout(name: str, writer: SubmissionWriter) -> None:
    """Add a submission layout (e.g. "template": a filled-in pre-filled template)."""
    LAYOUTS[name] = writer


def write_submission(path: Path, sub: Submission, campaign: Campaign) -> Placement:
    """Write one unit-round submission with the writer its style's layout names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return LAYOUTS[sub.style.layout](path, sub, campaign)
