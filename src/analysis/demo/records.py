"""The demo's records: a planned submission, its activities, its style and what was planted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analysis.campaign import Round


@dataclass
class Plant:
    """A planted value or situation the manifest records."""

    case: str
    field: str = ""  # activity-table field (model.TABLE_FIELDS) or "" for file/sheet level
    value: object = None
    code: str | None = None
    expect: str = ""


@dataclass
class Activity:
    """One activity row: its truth and the cells as the unit writes them."""

    unit: str  # roster name of the grassroots union; "" for the federation itself
    counted_for: str
    date: dt.date
    work_item: str
    form: str
    participants: int | None
    written: dict[str, object]
    plants: list[Plant] = field(default_factory=list)
    accepted: bool = True  # whether the ingest should accept it (when its file counts)
    date_known: bool = True  # False when the written date cannot be read


@dataclass
class Style:
    """How one submission file looks. `layout` picks the writer (see `LAYOUTS`)."""

    fmt: str = "xlsx"  # xlsx, xls, et, ods, csv-utf8-sig, csv-utf8, csv-gbk
    layout: str = "plain"
    title_rows: int = 1
    header_block: str = "one_cell"  # one_cell, neighbour, inline, none, template
    round_in_header: bool = True
    merged_header: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # field -> header text
    order: tuple[str, ...] = (
        "seq",
        "grassroots_unit",
        "date",
        "work_item",
        "form",
        "participants",
        "note",
    )
    date_mode: str = "date"  # date, serial, cn, dot, md, slash
    total_row: bool = False
    note_row: bool = False
    spacer_rows: bool = False
    hidden_old_sheet: bool = False
    split_sheets: bool = False
    publicity_sheet: bool = False


@dataclass
class Submission:
    """One file a reporting unit sends for one round."""

    unit: str
    kind: str
    round: Round
    report_date: dt.date | None
    contact: str
    phone: str
    activities: list[Activity]
    style: Style = field(default_factory=Style)
    path: str = ""  # relative to the raw folder, posix
    written_unit: str = ""  # 填报单位 as written
    round_label: str = ""  # 报送期次 as written
    unions: tuple[str, ...] = ()  # the unit's grassroots unions in the roster (template lists)
    state: str = "current"  # current, superseded, duplicate_file
    plants: list[Plant] = field(default_factory=list)
