"""The demo district: a roster and three rounds of messy submissions, generated from a seed.

`generate(out_dir, seed)` writes a raw folder the ingest reads like an analyst's
(`roster/`, `submissions/`, `aliases.csv`) and, beside it (outside the raw folder, so
the ingest never reads them):

- `manifest.json`: `cases`, one record per planted value or situation: `case` (what
  was planted), `file` (relative to the raw folder), `sheet` ("" for CSV and
  file-level cases), `row` (1-based, as a spreadsheet shows it; null for file level),
  `column` (the header as written), `value` (as written), `code` (the issue code or
  rows.csv reason the ingest is expected to give; null when it should read the value
  silently), `expect` and `file_state` (current, superseded, duplicate_file,
  rejected). `codes` explains every code used.
- `truth.csv`: the activities the ingest should accept, one per row, with the cell
  they were written in and their roster name, reporting unit, work item, form, date
  and participants (empty when the written value cannot be read): a backtest target.

Everything comes from `numpy.random.default_rng(seed)`; files carry fixed
timestamps, so the same seed gives the same bytes. Campaign specifics (rounds,
deadlines, work items, forms, header words) come from `load_campaign()`.

A submission is written by a *layout* (`LAYOUTS`): "plain" builds cell grids in the
submission's `Style` and writes them as xlsx, xls (.et), ods or csv; "template" fills
a pre-filled template from `analysis.templates` as a unit would. More layouts can be
added with `register_layout(name, writer)`; `write_submission` dispatches.

The parts: `roster` (the district's units, names and sizes), `plan` (who submits
what and when), `messy` (styles and planted problems), `layouts` (plain grids or a
filled template), `formats` (xlsx/xls/ods/csv bytes, fixed timestamps), `extras`
(corrected versions, unusable files), `manifest` (planted cases, issue codes, truth),
`records` (the dataclasses they share) and `build` (`generate`).
"""

from __future__ import annotations

# `_name as _name`: internals the tests check directly (explicit re-exports).
from analysis.demo.build import DEMO_MARK, DemoSummary, generate
from analysis.demo.formats import FIXED_TIME, ZIP_TIME, Grid
from analysis.demo.formats import _xlsx_bytes as _xlsx_bytes
from analysis.demo.layouts import (
    EXCEL_EPOCH,
    LAYOUTS,
    Placement,
    SubmissionWriter,
    plain_grids,
    register_layout,
    write_filled_template,
    write_plain,
    write_submission,
)
from analysis.demo.layouts import _date_cell as _date_cell
from analysis.demo.manifest import ISSUE_CODES, TRUTH_COLUMNS
from analysis.demo.messy import _written_name as _written_name
from analysis.demo.messy import assign_styles, plant_rows
from analysis.demo.plan import plan_submissions
from analysis.demo.records import Activity, Plant, Style, Submission
from analysis.demo.roster import _name_key as _name_key
from analysis.demo.roster import build_roster, write_roster

__all__ = [
    "DEMO_MARK",
    "EXCEL_EPOCH",
    "FIXED_TIME",
    "ISSUE_CODES",
    "LAYOUTS",
    "TRUTH_COLUMNS",
    "ZIP_TIME",
    "Activity",
    "DemoSummary",
    "Grid",
    "Placement",
    "Plant",
    "Style",
    "Submission",
    "SubmissionWriter",
    "assign_styles",
    "build_roster",
    "generate",
    "plain_grids",
    "plan_submissions",
    "plant_rows",
    "register_layout",
    "write_filled_template",
    "write_plain",
    "write_roster",
    "write_submission",
]
