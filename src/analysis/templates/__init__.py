"""Pre-filled submission templates (报送表) per reporting unit, and reading them back.

A template is an .xlsx written with openpyxl: a locked header block (填报单位,
报送期次 pre-filled; 填报日期, 联系人, 联系电话 left open), an activity sheet whose
input rows carry drop-downs and range checks, an instructions sheet, a hidden
list sheet the drop-downs point at, and a veryHidden `_meta` sheet holding a
machine-readable marker (template version, campaign, unit, round, layout).

Sheet protection has no password on purpose: it guards against accidents (typing
over a label, dragging a column), not against a unit that means to change the
form. Reading back uses the marker's layout, so a template is read by position,
with no header search; a template whose protected parts were changed is still
read (by matching its header) and gets a `template_altered` warning.

The parts: `layout` (sheet names, labels, cells, styles), `writer` (one unit's
workbook), `batch` (a round's templates, zip and checklist; `run`), `reader`
(`detect`, `read_tables`) and `fill` (filling a template, for the demo); `cells` holds
the writing side's cell styles.
"""

from __future__ import annotations

from analysis.templates.layout import (
    ACTIVITY_SHEET,
    COLUMN_LABELS,
    COLUMN_WIDTHS,
    FIRST_DATA_ROW,
    HEADER_CELLS,
    HEADER_LABELS,
    HEADER_MERGES,
    HEADER_ROW,
    INPUT_ROWS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    MAX_PARTICIPANTS,
    META_SHEET,
    PREFILLED_HEADER,
    SELF_LABEL,
    TEMPLATE_MARKER,
    TEMPLATE_SHEETS,
    TEMPLATE_VERSION,
    TITLE_ROW,
)
from analysis.templates.reader import detect, read_tables

# Writing templates needs openpyxl (half a second of import); reading them back, which
# every ingest does, does not. So the package exposes the reading side only; the writing
# side is imported from its module: `batch` (run, write_templates, write_bundle,
# checklist), `writer` (write_template, template_filename, choices) and `fill`.

__all__ = [
    "ACTIVITY_SHEET",
    "COLUMN_LABELS",
    "COLUMN_WIDTHS",
    "FIRST_DATA_ROW",
    "HEADER_CELLS",
    "HEADER_LABELS",
    "HEADER_MERGES",
    "HEADER_ROW",
    "INPUT_ROWS",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "MAX_PARTICIPANTS",
    "META_SHEET",
    "PREFILLED_HEADER",
    "SELF_LABEL",
    "TEMPLATE_MARKER",
    "TEMPLATE_SHEETS",
    "TEMPLATE_VERSION",
    "TITLE_ROW",
    "detect",
    "read_tables",
]
