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
(`detect`, `read_tables`) and `fill` (filling a template, for the demo).
"""

from __future__ import annotations

import importlib

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
# every ingest does, does not. These names are imported from their module on first use.
_LAZY = {
    "CHECKLIST_COLUMNS": "batch",
    "TemplateRun": "batch",
    "bundle_path": "batch",
    "checklist_paths": "batch",
    "default_roster_path": "batch",
    "run": "batch",
    "write_bundle": "batch",
    "write_checklist": "batch",
    "write_templates": "batch",
    "fill_template": "fill",
    "form_choices": "writer",
    "safe_filename": "writer",
    "self_label": "writer",
    "template_filename": "writer",
    "union_choices": "writer",
    "work_item_choices": "writer",
    "write_template": "writer",
}
_SUBMODULES = ("batch", "fill", "writer")


def __getattr__(name: str) -> object:
    """Import the writing side (openpyxl) only when one of its names is first used."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ACTIVITY_SHEET",
    "CHECKLIST_COLUMNS",
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
    "TemplateRun",
    "bundle_path",
    "checklist_paths",
    "default_roster_path",
    "detect",
    "fill_template",
    "form_choices",
    "read_tables",
    "run",
    "safe_filename",
    "self_label",
    "template_filename",
    "union_choices",
    "work_item_choices",
    "write_bundle",
    "write_checklist",
    "write_template",
    "write_templates",
]
