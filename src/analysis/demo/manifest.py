"""The manifest of planted cases (with the issue codes they should raise) and the truth table."""

from __future__ import annotations

import datetime as dt

from analysis.demo.layouts import Placement
from analysis.demo.records import Submission

# Expected issue codes: the codes analysis.ingest raises in issues.csv, except
# total_row and note_row, which are rows.csv reasons of rejected rows.
ISSUE_CODES: dict[str, str] = {
    "empty": "0-byte file; file rejected",
    "corrupt": "a truncated or damaged workbook; file rejected",
    "not_a_spreadsheet": "another format (a Word document) under a spreadsheet extension; rejected",
    "password_protected": "password-protected workbook; file rejected",
    "file_skipped": "an Office lock file ~$...; skipped",
    "no_activity_table": "a file with no activity table anywhere; file rejected",
    "sheet_no_table": "a sheet with data but neither an activity table nor publicity counts; warning",
    "publicity_count_implausible": "a count far above the union's size (5000); kept, warning",
    "publicity_count_unreadable": "若干 as a publicity count: missing (not zero); warning",
    "publicity_count_approximate": "10余篇 read as 10; warning",
    "sheet_hidden_skipped": "hidden sheet holding data; warning, not read",
    "duplicate_file": "byte-identical copy of another file; its rows are state duplicate",
    "superseded": "earlier submission of the same unit and round; rows superseded",
    "total_row": "rows.csv reason: 合计 row, rejected",
    "note_row": "rows.csv reason: 注： row under the table, rejected",
    "participants_approximate": "约50人 read as 50; warning",
    "participants_range": "50-60: a range; warning, participants missing",
    "participants_unreadable": "若干: participants missing (not zero); warning",
    "date_unreadable": "a date no rule can read; warning, row accepted without a date",
    "unit_unresolved": "grassroots union not in roster nor aliases; row rejected",
    "unit_other_parent": "a union whose roster parent is another reporting unit; warning",
}


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _entry(
    case: str,
    file: str,
    sheet: str,
    row: int | None,
    column: str,
    value: object,
    code: str | None,
    expect: str,
    state: str,
) -> dict:
    """One manifest record (see the module docstring)."""
    return {
        "case": case,
        "file": file,
        "sheet": sheet,
        "row": row,
        "column": column,
        "value": _jsonable(value),
        "code": code,
        "expect": expect,
        "file_state": state,
    }


def _manifest_entries(sub: Submission, placement: Placement) -> list[dict]:
    out = []
    state = sub.state
    if sub.style.fmt != "xlsx":
        out.append(
            _entry(
                f"format_{sub.style.fmt}",
                sub.path,
                "",
                None,
                "",
                sub.style.fmt,
                None,
                "read",
                state,
            )
        )
    if sub.style.layout == "template":
        pass
    elif sub.style.header_block == "none":
        out.append(
            _entry(
                "bare_csv_no_header_block",
                sub.path,
                "",
                None,
                "",
                sub.unit,
                None,
                f"reporting unit {sub.unit} from the file name",
                state,
            )
        )
    else:
        row = sub.style.title_rows + 1
        out.append(
            _entry(
                f"header_block_{sub.style.header_block}",
                sub.path,
                placement.sheet,
                row,
                "",
                sub.written_unit,
                None,
                f"reporting unit {sub.unit}",
                state,
            )
        )
    if sub.style.title_rows:
        out.append(
            _entry(
                "title_rows",
                sub.path,
                placement.sheet,
                1,
                "",
                sub.style.title_rows,
                None,
                "skipped",
                state,
            )
        )
    if (
        sub.style.layout == "plain"
        and sub.style.labels
        and any(
            placement.labels[f] != v
            for f, v in [
                ("grassroots_unit", "基层工会名称"),
                ("date", "活动日期"),
                ("participants", "参加人数"),
            ]
        )
    ):
        out.append(
            _entry(
                "renamed_columns",
                sub.path,
                placement.sheet,
                None,
                "",
                "|".join(placement.labels[f] for f in sub.style.order),
                None,
                "columns matched",
                state,
            )
        )
    if (
        sub.style.layout == "plain"
        and sub.style.order[1] != "grassroots_unit"
        and not sub.style.merged_header
    ):
        out.append(
            _entry(
                "reordered_columns",
                sub.path,
                placement.sheet,
                None,
                "",
                "|".join(sub.style.order),
                None,
                "columns matched",
                state,
            )
        )
    for plant in sub.plants:
        out.append(
            _entry(plant.case, sub.path, "", None, "", plant.value, plant.code, plant.expect, state)
        )
    for plant, sheet, row in placement.notes:
        column = placement.labels.get(plant.field, "") if plant.field else ""
        out.append(
            _entry(
                plant.case,
                sub.path,
                sheet,
                row,
                column,
                plant.value,
                plant.code,
                plant.expect,
                state,
            )
        )
    for act, (sheet, row) in zip(sub.activities, placement.rows, strict=True):
        for plant in act.plants:
            out.append(
                _entry(
                    plant.case,
                    sub.path,
                    sheet,
                    row,
                    placement.labels.get(plant.field, ""),
                    plant.value,
                    plant.code,
                    plant.expect,
                    state,
                )
            )
    return out


TRUTH_COLUMNS = ["file", "sheet", "row", "reporting_unit", "kind", "round", "grassroots_unit", "counted_for", "work_item", "form", "date", "participants"]  # fmt: skip
