"""Output safety: no text a unit typed ever runs as a formula in the analyst's spreadsheet.

A submitted cell such as `=HYPERLINK("http://evil.example/","x")` or
`@SUM(1+1)*cmd|' /C calc'!A0` is real data: it is read, kept and shown as typed.
But a spreadsheet program opening a table we wrote would evaluate it (OWASP "CSV
injection": links, DDE commands). One rule, applied where every table and workbook
is written:

- a text value that begins with `=`, `+`, `-`, `@`, a tab or a carriage return, or
  with the full-width `＝`, `＋`, `－`, `＠` a Chinese input method types (Excel in a
  CJK locale takes them for the ASCII signs when it parses what it reads)
  (`EVALUABLE`), is written so that no spreadsheet program evaluates it; so is one
  whose sign comes after leading spaces, line feeds, no-break or ideographic spaces
  or zero-width characters (" =1+2", "\n@SUM(…)", "　＝1+2": Excel, Google Sheets and
  LibreOffice drop leading whitespace before they decide a CSV cell is a formula; OWASP
  lists the line feed among the characters to escape) — `_LEADING_SPACE`;
- in CSV, with a leading apostrophe (the OWASP recommendation; Excel, WPS and
  LibreOffice show the rest as text) — `csv_safe`, `csv_rows`;
- in xlsx, as a string cell with Excel's own "quote prefix" style, never a formula
  (openpyxl stores any `str` beginning with `=` as a formula) — `protect_workbook`;
- numbers stay numbers: numeric columns and cells are never touched, and a text
  that is only a number (`-5`, `+3.5`, `-12%`) or a lone sign (`-`, the usual
  "nothing" of an office) cannot be a formula, so it keeps its bytes (full-width
  digits and signs too: `－５`; after leading spaces too: ` -5`);
- Parquet is data, not a document: it keeps the text exactly as read. So does
  every table in memory; only the written CSV carries the prefix, and the project
  reads its own CSV tables back through `csv_unescape`, which removes it (text that
  already began with apostrophes before an evaluable character gets one more, so
  the round trip is exact).

docx and pptx hold text runs that Word, WPS and PowerPoint never evaluate, and the
HTML export escapes its text, so neither needs the rule. Charts draw text as text too:
the house style turns matplotlib's "$...$" math parsing off (`style.rc_params`).

A second rule for the documents: xlsx, docx, pptx and SVG are XML, which cannot hold
C0 control characters other than tab, LF and CR, U+FFFE, U+FFFF or lone surrogates
(`NOT_XML`). A unit can still send them (a CSV, a name pasted from another system;
xlsx stores them as `_x0001_`), invisible in every spreadsheet program. openpyxl and
python-docx refuse such text with an exception, which would stop the whole briefing
for one character. The direction controls (U+200E/F, U+202A-E, U+2066-9, U+061C) are
left out with them: XML holds them, but U+202E in a unit's name turns the rest of its
line backwards in Word, PowerPoint and a file name, and no Chinese name needs one (a
name copied from a web page brings them along unseen). The CSV and Parquet tables keep
them as read; every document text leaves them out: `xml_text`, `xml_safe` (a table) and `xml_safe_fields` (the briefing's
figures, once, before any document is written; the templates' roster likewise). Name
keys (`namekeys`) ignore them too, so a name written without them still matches. Two
texts that would then read alike (`区\x01教委工会` beside `区教委工会`) are told apart:
`distinct_shown_texts`.

A third, for xlsx cells: what is stored must read back as the text (`ooxml_escape`: a
typed `_x0041_` is not the letter A) and fit Excel's 32,767 units, cut with a mark that
says so when it does not (`excel_cell_text`); `protect_workbook` does both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.filenames import utf16_length, utf16_prefix
from analysis.namekeys import DIRECTION_CONTROLS

EVALUABLE = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# The full-width signs among them: a text beginning with one is judged in its NFKC form.
_FULL_WIDTH_SIGNS = ("＝", "＋", "－", "＠")
_SIGNS = ("=", "+", "-", "@", *_FULL_WIDTH_SIGNS)
# What may stand before a sign and still leave it a formula's: every whitespace
# character (space, line feed, no-break space, U+3000…; all below U+3001) and the
# zero-width ones a name pasted from a web page brings. Tab and CR are in EVALUABLE.
_LEADING_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + (
    "\u200b\u200c\u200d\u2060\ufeff"
)
_LEADING_STARTS = tuple(_LEADING_SPACE)
# Every beginning of a text that may be evaluable (the cheap first test of a column).
_MAY_EVALUATE = (*EVALUABLE, *_LEADING_STARTS)
# Characters XML 1.0 cannot hold (documents leave them out); RE2 spelling for Arrow.
# The direction controls are kept out of documents with them (module docstring).
NOT_XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff{DIRECTION_CONTROLS}]")
_NOT_XML_RE2 = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}\x{200E}\x{200F}\x{202A}-\x{202E}"
    r"\x{2066}-\x{2069}\x{061C}]"
)
CSV_PREFIX = "'"
# A plain number written as text (signed, decimal, exponent, percent): not a formula.
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


# A lone sign: what offices type for "nothing" (活动形式 "-"); no program evaluates it.
_LONE_SIGNS = frozenset({"-", "+"})


def is_evaluable(value: object) -> bool:
    """Whether `value` is text a spreadsheet program would evaluate if written as it is."""
    if not isinstance(value, str):
        return False
    if not value.startswith(EVALUABLE):
        if not value.startswith(_LEADING_STARTS):
            return False
        value = value.lstrip(_LEADING_SPACE)  # " =1+2": the sign after the spaces decides
        if not value.startswith(_SIGNS):
            return False
    if value.startswith(_FULL_WIDTH_SIGNS):
        value = unicodedata.normalize("NFKC", value)  # －５ is -5, a number
    return value not in _LONE_SIGNS and _NUMBER.fullmatch(value) is None


def needs_csv_prefix(value: object) -> bool:
    """Whether `value` is written to CSV with one more leading apostrophe.

    Evaluable text, and text that is apostrophes followed by evaluable text (so
    that `csv_unescape` gives back exactly what was typed, even `'=1+2`).
    """
    return isinstance(value, str) and is_evaluable(value.lstrip(CSV_PREFIX))


def escape_csv_text(value: object) -> object:
    """`value` with the CSV prefix when `needs_csv_prefix`; anything else unchanged."""
    return CSV_PREFIX + value if needs_csv_prefix(value) else value


def unescape_csv_text(value: object) -> object:
    """What `escape_csv_text` was given, from what it returned."""
    if isinstance(value, str) and value.startswith(CSV_PREFIX) and needs_csv_prefix(value[1:]):
        return value[1:]
    return value


def _begins(column: pd.Series, starts: tuple[str, ...]):
    """Which values of a text column begin with one of `starts`: a bool array, or None
    when the column holds no text (booleans, say).

    An Arrow-backed column is tested on its buffers: each value's first byte, one
    numpy pass (`str.startswith` with a tuple makes one pass over the text per
    prefix, and a regex one slower pass: ~0.1 s either way for the 200,000-row
    ledger's text columns). A value's first UTF-8 byte decides for an ASCII prefix;
    for another one (＝, whose first byte other full-width characters share) the
    byte makes the value a candidate, which the caller's test (`_mask`) then judges.
    """
    import numpy as np

    arrow = getattr(column.array, "__arrow_array__", None)
    if arrow is not None and all(len(s) == 1 for s in starts):
        import pyarrow as pa

        values = arrow()
        if isinstance(values, pa.ChunkedArray):  # one piece per file: joined, not looped
            values = values.combine_chunks()
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            wanted = np.zeros(256, dtype=bool)
            wanted[[s.encode("utf-8")[0] for s in starts]] = True
            return _first_byte_in(values, wanted)
    try:
        return column.str.startswith(starts, na=False).to_numpy(dtype=bool, copy=True)
    except AttributeError:  # an object column without text (booleans, say)
        return None


def _first_byte_in(chunk, wanted):
    """For each value of an Arrow string array: not null, not empty, and its first byte
    marked in `wanted` (256 booleans)."""
    import numpy as np
    import pyarrow as pa

    n = len(chunk)
    if not n:
        return np.zeros(0, dtype=bool)
    _, offsets_buffer, data_buffer = chunk.buffers()
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=kind)[chunk.offset : chunk.offset + n + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else None
    present = offsets[1:] > offsets[:-1]  # not empty (a null is empty here, or masked below)
    if chunk.null_count:
        present &= ~chunk.is_null().to_numpy(zero_copy_only=False)
    hit = np.zeros(n, dtype=bool)
    if data is not None and present.any():
        hit[present] = wanted[data[offsets[:-1][present]]]
    return hit


def _mask(column: pd.Series, starts: tuple[str, ...], test) -> pd.Series | None:
    """Which values of a text column begin with `starts` and pass `test`; None if none do."""
    mask = _begins(column, starts)
    if mask is None or not mask.any():
        return None
    mask[mask] = [test(text) for text in column.to_numpy()[mask]]
    return pd.Series(mask, index=column.index) if mask.any() else None


def _text_columns(frame: pd.DataFrame):
    for position, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            yield position, frame.iloc[:, position]


def _replaced(frame: pd.DataFrame, changed: dict[int, pd.Series]) -> pd.DataFrame:
    if not changed:
        return frame
    out = frame.copy()
    for position, column in changed.items():
        out.isetitem(position, column)
    return out


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as it is to be written to CSV: evaluable text prefixed with an apostrophe.

    Returns `frame` itself (no copy) when no value needs the prefix, so tables
    without such values are written byte for byte as before. Only text columns are
    looked at; numbers, dates and booleans are never changed.
    """
    changed = {}
    for position, column in _text_columns(frame):
        mask = _mask(column, (*_MAY_EVALUATE, CSV_PREFIX), needs_csv_prefix)
        if mask is not None:
            changed[position] = column.mask(mask, CSV_PREFIX + column.astype("string"))
    return _replaced(frame, changed)


def csv_unescape(frame: pd.DataFrame) -> pd.DataFrame:
    """A table read back from a CSV that `csv_safe` wrote, with the text as it was typed.

    Returns `frame` itself when no value carries the prefix (the usual case).
    """
    changed = {}
    for position, column in _text_columns(frame):
        mask = _mask(column, (CSV_PREFIX,), lambda t: needs_csv_prefix(t[1:]))
        if mask is not None:
            changed[position] = column.mask(mask, column.astype("string").str[1:])
    return _replaced(frame, changed)


def csv_rows(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    """Rows for `csv.writer.writerows`, each evaluable text prefixed with an apostrophe."""
    return [[escape_csv_text(value) for value in row] for row in rows]


# What Excel reads as an escape in a cell's stored text (ECMA-376 ST_Xstring): `_xHHHH_`
# is the character HHHH, so a typed `_x0041_` is stored `_x005F_x0041_`; a carriage return
# is stored `_x000D_` (an XML reader turns a bare CR into a line feed).
_OOXML_SPECIAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|\r")


def ooxml_escape(text: str) -> str:
    """`text` as a cell of an xlsx file stores it, so that Excel, WPS and every reader show
    exactly `text`: an underscore that would begin an `_xHHHH_` escape becomes `_x005F_`, a
    carriage return `_x000D_` (what Excel and xlsxwriter write). openpyxl writes cell text
    as given, so a unit named `_x0041_工会` would otherwise be shown as `A工会`."""
    return _OOXML_SPECIAL.sub(lambda m: "_x005F_" if m.group() == "_" else "_x000D_", text)


# Excel's limit on one cell's text, in UTF-16 code units (an emoji or 𠀀 takes two).
EXCEL_CELL_UNITS = 32767
# What ends a text cut to that limit, so that the reader knows there was more.
CELL_CUT_MARK = "…（原文超过 Excel 单元格 32767 字的上限，以下从略，全文见 CSV 统计表）"


def excel_cell_text(text: str, cut: bool = False) -> str:
    """`text` as one spreadsheet cell can hold it: unchanged when within Excel's 32,767
    UTF-16 code units (and not already `cut` by a writer), else its beginning followed by
    CELL_CUT_MARK, within the limit. openpyxl cuts silently at 32,767 characters (too many
    units when some lie beyond the BMP), xlsxwriter at 32,767 units: neither says so."""
    if not cut and (len(text) <= EXCEL_CELL_UNITS // 2 or utf16_length(text) <= EXCEL_CELL_UNITS):
        return text
    head = utf16_prefix(text, EXCEL_CELL_UNITS - utf16_length(CELL_CUT_MARK))
    if len(head) < len(text):
        return head + CELL_CUT_MARK
    return text[: len(text) - 1] + CELL_CUT_MARK if cut else text


def protect_workbook(workbook, formulas: Iterable[tuple[str, str]] = ()) -> None:
    """Make every text cell of an openpyxl workbook a string cell that is never evaluated,
    stored so that it reads back as the text it was given (`ooxml_escape`), a text beyond
    Excel's cell limit cut with a mark that says so (`excel_cell_text`; openpyxl cut it
    at 32,767 characters when the value was set, so a cell of that length is taken as cut).

    Call once, just before `workbook.save`, on a workbook built in memory (a loaded
    workbook's text is as stored, already escaped). A cell whose text begins with an evaluable
    character is stored as a string (openpyxl made it a formula if it began with
    `=`) with Excel's quote-prefix style, which keeps it text even when someone
    edits the cell. The project's own formulas, if any, are listed in `formulas` as
    (sheet title, coordinate) pairs and left alone; numbers are never touched.
    """
    own = set(formulas)
    for sheet in workbook.worksheets:
        # The cells that exist (iter_rows would create the empty ones in between).
        for cell in list(sheet._cells.values()):
            value = cell.value
            if not isinstance(value, str):
                continue
            stored = value
            if len(value) > EXCEL_CELL_UNITS // 2:  # openpyxl cut it at 32,767 characters
                value = stored = excel_cell_text(value, cut=len(value) >= EXCEL_CELL_UNITS)
            if "_x" in stored or "\r" in stored:
                stored = ooxml_escape(stored)
            if stored is not cell.value:
                cell._value = stored  # as stored; openpyxl writes it as given
            if not value.startswith(_MAY_EVALUATE):
                continue
            if (sheet.title, cell.coordinate) in own:
                continue
            if cell.data_type == "f" or is_evaluable(value):
                cell.data_type = "s"
                cell.quotePrefix = True


def xml_text(value: object) -> object:
    """`value` without the characters an XML document cannot hold; anything else unchanged."""
    if isinstance(value, str) and NOT_XML.search(value):
        return NOT_XML.sub("", value)
    return value


def _not_xml_mask(column: pd.Series):
    """Which values of a text column hold a character XML cannot: a bool array, or None."""
    import numpy as np

    arrow = getattr(column.array, "__arrow_array__", None)
    if arrow is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        values = arrow()
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            # Arrow text is valid UTF-8 (no surrogates). The bytes are looked at first, one
            # numpy pass (the usual answer: none, for ~1 ms a 200,000-row column); only a
            # column that may hold one is searched value by value (RE2).
            if isinstance(values, pa.ChunkedArray):  # one piece per file: joined, not looped
                values = values.combine_chunks()
            if not _bytes_may_hold_not_xml(values):
                return None
            found = pc.match_substring_regex(values, _NOT_XML_RE2)
            return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), bool)
    if not (pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column)):
        return None
    return np.fromiter(
        (isinstance(v, str) and NOT_XML.search(v) is not None for v in column.to_numpy()),
        dtype=bool,
        count=len(column),
    )


def _bytes_may_hold_not_xml(chunk) -> bool:
    """Whether the UTF-8 bytes of an Arrow string array hold a control character other
    than tab, LF and CR, U+FFFE/U+FFFF (EF BF BE/BF) or a direction control (E2 80 8E/8F,
    E2 80 AA-AE, E2 81 A6-A9, D8 9C). The whole data buffer is looked at, a slice's
    neighbours included: a false "maybe" costs one search."""
    import numpy as np

    data = chunk.buffers()[2]
    if data is None or not len(chunk):
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    low = raw < 0x20
    if low.any() and (low & (raw != 0x09) & (raw != 0x0A) & (raw != 0x0D)).any():
        return True
    if len(raw) >= 2 and ((raw[:-1] == 0xD8) & (raw[1:] == 0x9C)).any():
        return True
    lead = np.flatnonzero(raw[:-2] == 0xEF)
    if len(lead) and ((raw[lead + 1] == 0xBF) & (raw[lead + 2] >= 0xBE)).any():
        return True
    lead = np.flatnonzero(raw[:-2] == 0xE2)
    if not len(lead):
        return False
    second, third = raw[lead + 1], raw[lead + 2]
    general = (second == 0x80) & (
        (third == 0x8E) | (third == 0x8F) | ((third >= 0xAA) & (third <= 0xAE))
    )
    isolates = (second == 0x81) & (third >= 0xA6) & (third <= 0xA9)
    return bool((general | isolates).any())


def xml_safe(frame: pd.DataFrame, shown: dict[str, str] | None = None) -> pd.DataFrame:
    """`frame` with every text value as `xml_text` gives it, or as `shown` maps it (the
    texts `xml_safe_fields` had to tell apart).

    Returns `frame` itself (no copy) when no value holds such a character, the usual
    case; only text columns are looked at.
    """
    shown = shown or {}

    def one(value: object) -> object:
        return shown.get(value) or xml_text(value) if isinstance(value, str) else value

    changed = {}
    for position, column in _text_columns(frame):
        mask = _not_xml_mask(column)
        if mask is not None and mask.any():
            fixed = column.astype(object).where(~mask, column.astype(object).map(one))
            changed[position] = fixed.astype(column.dtype)
    renamed = {c: one(c) for c in frame.columns if isinstance(c, str) and NOT_XML.search(c)}
    out = _replaced(frame, changed)
    return out.rename(columns=renamed) if renamed else out


# How a character no document can hold is shown when leaving it out would make a text
# read as another one (`distinct_shown_texts`); then, if that is not enough, its code.
SHOWN_MARK = "\ufffd"


def _with_marks(text: str, code: bool = False) -> str:
    return NOT_XML.sub(lambda m: f"<U+{ord(m.group()):04X}>" if code else SHOWN_MARK, text)


def distinct_shown_texts(
    tables: Sequence[pd.DataFrame], strings: Sequence[str] = ()
) -> dict[str, str]:
    """How each text holding a character no document can hold is shown, such that two
    different texts never read the same: without those characters (`xml_text`), unless
    that equals another text of the tables (`区\x01教委工会` beside `区教委工会`, or
    `区教委工会` with a direction mark pasted from a web page): then each such character
    is shown as `�` (or, should that still meet another text, as its code, `<U+0001>`).
    Two names the roster keeps apart stay apart in every document, where the briefing
    looks them up by name. {} when no text holds such a character (the usual case).
    """
    originals: set[str] = {v for v in strings if isinstance(v, str) and NOT_XML.search(v)}
    columns = []
    for frame in tables:
        originals.update(c for c in frame.columns if isinstance(c, str) and NOT_XML.search(c))
        for _, column in _text_columns(frame):
            columns.append(column)
            mask = _not_xml_mask(column)
            if mask is not None and mask.any():
                originals.update(v for v in column[mask].unique() if isinstance(v, str))
    if not originals:
        return {}
    shown = {text: NOT_XML.sub("", text) for text in originals}
    for code in (False, True):
        wanted = set(shown.values())
        taken = {v for v in strings if isinstance(v, str) and v in wanted}
        for column in columns:
            hit = column.isin(wanted).to_numpy(dtype=bool)
            if hit.any():
                taken.update(column[hit].unique())
        taken -= originals
        counts: dict[str, int] = {}
        for text in shown.values():
            counts[text] = counts.get(text, 0) + 1
        clashing = [o for o, t in shown.items() if t in taken or counts[t] > 1]
        if not clashing:
            break
        for text in clashing:
            shown[text] = _with_marks(text, code)
    return shown


def xml_safe_fields(holder: object) -> None:
    """Make every text a document could show of `holder` (a dataclass such as the
    briefing's Figures or a Roster) safe for XML, in place: its tables (and tables in
    a dict), its strings and tuples of strings; each text shown the same way in all of
    them (`distinct_shown_texts`)."""
    import dataclasses

    items = [(item.name, getattr(holder, item.name)) for item in dataclasses.fields(holder)]
    tables = [v for _, v in items if isinstance(v, pd.DataFrame)]
    tables += [
        t for _, v in items if isinstance(v, dict) for t in v.values()
        if isinstance(t, pd.DataFrame)
    ]  # fmt: skip
    strings = [v for _, v in items if isinstance(v, str)]
    strings += [t for _, v in items if isinstance(v, tuple) for t in v if isinstance(t, str)]
    shown = distinct_shown_texts(tables, strings)

    def text(value: str) -> str:
        return shown.get(value) or xml_text(value)

    for name, value in items:
        if isinstance(value, pd.DataFrame):
            setattr(holder, name, xml_safe(value, shown))
        elif isinstance(value, dict) and any(isinstance(v, pd.DataFrame) for v in value.values()):
            for key, table in value.items():
                if isinstance(table, pd.DataFrame):
                    value[key] = xml_safe(table, shown)
        elif isinstance(value, str):
            setattr(holder, name, text(value))
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            setattr(holder, name, tuple(text(v) for v in value))
