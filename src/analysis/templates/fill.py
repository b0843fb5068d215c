"""Filling a written template with rows, as a unit would (the demo generator's hook)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from analysis.templates.cells import UNLOCKED
from analysis.templates.layout import (
    _DATE_FORMAT,
    COLUMN_LABELS,
    HEADER_LABELS,
    META_SHEET,
    PREFILLED_HEADER,
)
from analysis.templates.reader import _pairs, _text

_FIELD_BY_LABEL = {
    **{v: k for k, v in COLUMN_LABELS.items()},
    **{v: k for k, v in HEADER_LABELS.items()},
}


def _field(key: str) -> str:
    return _FIELD_BY_LABEL.get(key, key)


def fill_template(path: Path, rows: list[dict], header: dict) -> None:
    """Fill a generated template's input cells in place, as a unit would type them.

    rows: one dict per activity, keyed by TABLE_FIELDS names or Chinese column
        headers ("grassroots_unit" or "基层工会名称"); values go into the cells as
        given (a date object becomes a date cell, "约50人" stays text).
    header: report_date / contact / phone (or 填报日期 / 联系人 / 联系电话); the
        pre-filled, locked 填报单位 and 报送期次 are never written.
    """
    wb = load_workbook(path)
    meta = wb[META_SHEET]
    raw = {_text(r[0]): _text(r[1]) for r in meta.iter_rows(values_only=True) if r and r[0]}
    ws = wb[raw["sheet"]]
    fields = raw["columns"].split(",")
    header_cells = _pairs(raw["header_cells"])
    for key, value in header.items():
        fld = _field(key)
        if fld in PREFILLED_HEADER or fld not in header_cells:
            continue
        ws[header_cells[fld]].value = value
    first = int(raw["first_data_row"])
    for i, record in enumerate(rows):
        for key, value in record.items():
            fld = _field(key)
            if fld not in fields:
                raise KeyError(f"unknown template column {key!r}")
            cell = ws.cell(row=first + i, column=fields.index(fld) + 1, value=value)
            if isinstance(value, dt.date):
                cell.number_format = _DATE_FORMAT
            cell.protection = UNLOCKED
    wb.save(path)
