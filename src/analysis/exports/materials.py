"""The briefing's materials parts.

`briefing_materials` takes the materials up to the briefing's round; `sentences` gives
the key sentence ("共收到信息图片N张、阶段性总结N份"); `workbook_parts` is what the 通报表
gains when `write_workbook` writes it (a 资料报送 column and three sheets: 资料报送情况 per
unit and round, 资料清单 of every material, 总结数字核对 of stated totals beside the
tables), so the workbook is written once; `deck_photos` are the deck's 图片选登 photos
(`slides.write_deck` adds their slides); `write_album` writes the 图片汇编 (HTML, Word).
Nothing is added when no material was received, so a briefing without materials is as
before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis import safety
from analysis.materials import figures as mfig
from analysis.materials.table import EXTRA_COLUMNS, MATERIALS_COLUMNS

if TYPE_CHECKING:
    from openpyxl import Workbook

    from analysis.figures import Figures


def _no_materials() -> pd.DataFrame:
    return pd.DataFrame(columns=list(MATERIALS_COLUMNS + EXTRA_COLUMNS))


def read_materials(processed_dir: Path) -> pd.DataFrame:
    """materials.csv as text columns (empty when the ingest wrote none)."""
    path = Path(processed_dir) / "materials.csv"
    if not path.exists():
        return _no_materials()
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return safety.csv_unescape(frame)  # the text as typed, without the CSV's apostrophe


def briefing_materials(figures: Figures) -> pd.DataFrame:
    """The materials received up to the briefing's round (materials.csv, which the run
    attached to the figures; empty when none was received)."""
    received = figures.tables.get("materials")
    if received is None:
        received = _no_materials()
    return mfig.up_to_round(received, figures.campaign, figures.round_code)


def sentences(materials: pd.DataFrame, figures: Figures | None = None) -> list[str]:
    """The key sentence about `materials` (`briefing_materials`), or nothing without any.

    Materials come with the reports: with `figures` whose report date is not the as-of
    date the prose begins with, the sentence says the report date; for a round before
    the latest begun, '截至第一阶段末' (the later rounds' materials are not counted), as
    the publicity totals (Figures.publicity_when).
    """
    if not len(materials):
        return []
    text = mfig.key_sentence(materials)
    if figures is not None and (figures.report_date_differs or figures.later_round_begun):
        text = f"{figures.publicity_when}，{text}"
    return [text]


def status_sheet(figures: Figures, materials: pd.DataFrame) -> pd.DataFrame:
    """资料报送情况: per reporting unit and round, tables and materials received."""
    status = mfig.status_by_unit_round(figures.status, materials)
    return pd.DataFrame({
        "报送单位": status["reporting_unit"],
        "期次": status["round"].map(figures.campaign.round_names),
        "报送情况": status["material_status_name"],
        "图片（张）": status["photos"],
        "阶段性总结（份）": status["summaries"],
        "其他文档（份）": status["documents"],
        "视频（个）": status["videos"],
    })  # fmt: skip


def totals_sheet(materials: pd.DataFrame, rows: pd.DataFrame, campaign) -> pd.DataFrame:
    """总结数字核对: each stated total beside the unit's tables, gaps over 10% marked."""
    table = mfig.stated_vs_tables(materials, rows)
    return pd.DataFrame({
        "报送单位": table["reporting_unit"],
        "期次": table["round"].map(campaign.round_names),
        "项目": table["figure_name"],
        "总结所述": table["stated"],
        "报送表合计": table["table"],
        "差异": table["gap"].astype(float),  # a number (sortable), shown as +12.5% (FORMATS)
        "核对": table["flagged"].map({True: "差异超过10%，请核实", False: "一致"}),
        "总结文件": table["file"],
    })  # fmt: skip


# Number formats of the appended sheets' columns, by header.
FORMATS = {"差异": "+0.0%;-0.0%;0.0%"}


def append_sheets(book: Workbook, sheets: dict[str, pd.DataFrame]) -> None:
    """Each frame as a sheet of `book` after the others (a sheet of that name is replaced)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for name, frame in sheets.items():
        if name in book.sheetnames:
            del book[name]
        ws = book.create_sheet(name)
        ws.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            ws.append([None if pd.isna(v) or v == "" else v for v in record])
        for cell in ws[1]:
            cell.font = Font(name="黑体", bold=True)
            cell.fill = PatternFill("solid", fgColor="F2DCDB")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for column in ws.columns:
            number_format = FORMATS.get(column[0].value)
            for cell in column[1:] if number_format else ():
                cell.number_format = number_format
            longest = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(60, max(8, longest * 1.8))
        ws.freeze_panes = "A2"


def add_materials_column(book: Workbook, labels: dict[str, str], sheet: str = "通报表") -> bool:
    """Append a 本期资料 column to the 通报表's table: each reporting unit's materials this round.

    The table is found by its header cell 报送单位; rows whose unit is not in `labels`
    (subtotals, the district total, notes) are left blank. False when there is no such table.
    """
    from copy import copy

    if sheet not in book.sheetnames:
        return False
    ws = book[sheet]
    header = next(((c.row, c.column) for row in ws.iter_rows(max_row=10) for c in row
                   if c.value == "报送单位"), None)  # fmt: skip
    if header is None:
        return False
    head_row, unit_col = header
    last = max(c.column for c in ws[head_row] if c.value not in (None, ""))
    target = last + 1
    source = ws.cell(head_row, last)
    cell = ws.cell(head_row, target, "本期资料")
    for attr in ("font", "fill", "border", "alignment"):
        setattr(cell, attr, copy(getattr(source, attr)))
    for row in range(head_row + 1, ws.max_row + 1):
        unit = ws.cell(row, unit_col).value
        if unit in labels:
            out = ws.cell(row, target, labels[unit])
            neighbour = ws.cell(row, last)
            for attr in ("font", "fill", "border", "alignment"):
                setattr(out, attr, copy(getattr(neighbour, attr)))
    letter = ws.cell(head_row, target).column_letter
    ws.column_dimensions[letter].width = 18
    for merged in list(ws.merged_cells.ranges):  # the title rows span the new column too
        if merged.min_row < head_row and merged.max_col == last:
            top, left, bottom = merged.min_row, merged.min_col, merged.max_row
            ws.unmerge_cells(str(merged))
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=target)
    return True


@dataclass(frozen=True)
class WorkbookParts:
    """What the materials add to the 通报表: the 本期资料 text of each reporting unit this
    round (a column beside the table) and sheets after the others, by name."""

    labels: dict[str, str]
    sheets: dict[str, pd.DataFrame]


def workbook_parts(figures: Figures, materials: pd.DataFrame) -> WorkbookParts | None:
    """The 通报表's materials parts for `materials` (`briefing_materials`); None without any.
    The stated totals are checked against the figures' rows (the ingest's ledger, which
    the ingest checked them against too)."""
    if materials.empty:
        return None
    campaign = figures.campaign
    rows = figures.tables["rows"]
    units = figures.status.loc[figures.status["round"] == figures.round_code, "reporting_unit"]
    labels = dict(zip(units, mfig.column_for_units(units, materials, figures.round_code),
                      strict=True))  # fmt: skip
    return WorkbookParts(
        labels=labels,
        sheets={
            "资料报送情况": status_sheet(figures, materials),
            "资料清单": mfig.materials_sheet(materials, campaign),
            "总结数字核对": totals_sheet(materials, rows, campaign),
        },
    )


def add_to_workbook(book: Workbook, parts: WorkbookParts) -> None:
    """The 本期资料 column and the materials sheets, added to the 通报表 being written."""
    add_materials_column(book, parts.labels)
    append_sheets(book, parts.sheets)


def deck_photos(figures: Figures, raw_dir: Path, materials: pd.DataFrame) -> list:
    """The photos of the deck's 图片选登 slides for `materials` (`briefing_materials`)."""
    from analysis.exports import album

    if materials.empty:
        return []
    return album.slide_photos(materials, raw_dir, figures.campaign.limits, figures.round_code)


def write_album(
    figures: Figures, raw_dir: Path, folder: Path, materials: pd.DataFrame
) -> list[Path]:
    """The 图片汇编 (HTML, Word) of `materials` (`briefing_materials`) into `folder`."""
    from analysis.exports import album

    if materials.empty:
        return []
    campaign = figures.campaign
    return album.write_album(materials, raw_dir, campaign.limits, folder,
                             f"{campaign.short_name}图片汇编")  # fmt: skip
