"""Which cells of a workbook are struck through (font strikethrough), per sheet.

Offices delete a row by striking it through rather than removing it; tables.py
marks a row whose every non-empty cell is struck (ledger state `rejected`, reason
`row_deleted`). Fill colours are not read: they decide nothing.

Kept off the hot path: each format is first checked cheaply for any struck style
(xlsx: `xl/styles.xml`; ods: the text "line-through" in its styles; xls: the FONT
records of the workbook globals, before the first sheet), and cells are only
looked at when one exists, which real submissions rarely have.

- xlsx: `cellXfs` -> `fontId` -> `<strike/>`; cells' `s` attributes in the sheet XML.
- xls: xlrd with `formatting_info` (XF -> FONT `struck_out`).
- ods: cell styles (automatic and named, with their parents) whose
  `style:text-properties` has a `style:text-line-through-style` other than none;
  cells by their `table:style-name`, else their column's default cell style.

Strikethrough applied to part of a cell's text (rich text runs) is not read.
Any error here means "nothing struck": styles never make a file unreadable.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

Struck = dict[str, frozenset[tuple[int, int]]]  # sheet name -> {(row, col)}, 0-based

_CELL = re.compile(rb"<c\b([^>]*?)/?>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')


def struck_cells(
    fmt: str, data: bytes, zf: zipfile.ZipFile | None = None, stream: bytes | None = None
) -> Struck:
    """Struck cells of every sheet that has any; {} when none (or the styles cannot be read).

    `zf`: the workbook's zip (of `data`) when the caller has it open already; `stream`:
    a legacy workbook's BIFF stream when the caller has taken it from its container."""
    try:
        if fmt in ("xlsx", "xlsm"):
            if zf is not None:
                return _xlsx_struck(zf)
            with zipfile.ZipFile(io.BytesIO(data)) as opened:
                return _xlsx_struck(opened)
        if fmt == "ods":
            return _ods(data)
        if fmt == "xls":
            return _xls(data, stream)
    except Exception:  # noqa: BLE001 - styles are a refinement, never a reason to fail
        return {}
    return {}


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


# --- xlsx ------------------------------------------------------------------------------


def _on(el, ns: str) -> bool:
    """An OOXML boolean element (<strike/>, <strike val="1"/>) that is on."""
    return el.get("val", "1") not in ("0", "false")


def _xlsx_struck(zf: zipfile.ZipFile) -> Struck:
    from defusedxml import ElementTree as SafeET

    from analysis.ooxml import sheet_parts as _xlsx_sheet_parts

    members = set(zf.namelist())
    if "xl/styles.xml" not in members:
        return {}
    styles = zf.read("xl/styles.xml")
    if b"strike" not in styles:
        return {}
    root = SafeET.fromstring(styles)
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    fonts_el = root.find(f"{ns}fonts")
    fonts = [
        any(_on(s, ns) for s in font.iter(f"{ns}strike"))
        for font in (fonts_el if fonts_el is not None else [])
    ]
    xfs_el = root.find(f"{ns}cellXfs")
    struck_xf = {
        str(k).encode()
        for k, xf in enumerate(xfs_el if xfs_el is not None else [])
        if (f := int(xf.get("fontId", "0"))) < len(fonts) and fonts[f]
    }
    if not struck_xf:
        return {}
    result: Struck = {}
    for part, name in _xlsx_sheet_parts(zf, members).items():
        if part not in members:
            continue
        cells = set()
        for attrs in _CELL.findall(zf.read(part)):
            style = _STYLE.search(attrs)
            if style and style.group(1) in struck_xf:
                ref = _REF.search(attrs)
                if ref:
                    cells.add((int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1))
        if cells:
            result[name] = frozenset(cells)
    return result


# --- ods -------------------------------------------------------------------------------

_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _ods_styles(root, styles: dict[str, tuple[str, bool | None]]) -> None:
    """Cell styles of an XML tree: name -> (parent, line-through: True/False/None = inherited)."""
    s = "{" + _ODS["style"] + "}"
    for el in root.iter(s + "style"):
        if el.get(s + "family") != "table-cell":
            continue
        through = None
        for props in el.iter(s + "text-properties"):
            value = props.get(s + "text-line-through-style")
            if value is not None:
                through = value != "none"
        styles[el.get(s + "name", "")] = (el.get(s + "parent-style-name", ""), through)


def _ods(data: bytes) -> Struck:
    from defusedxml import ElementTree as SafeET

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = zf.read("content.xml")
        named = zf.read("styles.xml") if "styles.xml" in zf.namelist() else b""
        if b"line-through-style" not in content and b"line-through-style" not in named:
            return {}
        styles: dict[str, tuple[str, bool | None]] = {}
        if named:
            _ods_styles(SafeET.fromstring(named), styles)
        root = SafeET.fromstring(content)
        _ods_styles(root, styles)

    def struck(name: str, depth: int = 0) -> bool:
        parent, through = styles.get(name, ("", None))
        if through is not None or not parent or depth > 10:
            return bool(through)
        return struck(parent, depth + 1)

    names = {n for n in styles if struck(n)}
    if not names:
        return {}
    t = "{" + _ODS["table"] + "}"
    result: Struck = {}
    for table in root.iter(t + "table"):
        defaults: list[str] = []
        for column in table.iter(t + "table-column"):
            repeat = min(int(column.get(t + "number-columns-repeated", "1")), 16384)
            defaults += [column.get(t + "default-cell-style-name", "")] * repeat
        cells = set()
        row = 0
        for el in table.iter(t + "table-row"):
            repeat = int(el.get(t + "number-rows-repeated", "1"))
            col = 0
            for cell in el:
                if cell.tag not in (t + "table-cell", t + "covered-table-cell"):
                    continue
                span = int(cell.get(t + "number-columns-repeated", "1"))
                style = cell.get(t + "style-name") or (defaults[col] if col < len(defaults) else "")
                if style in names and (
                    len(cell)
                    or cell.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type")
                ):
                    for r in range(row, row + min(repeat, 1000)):
                        for c in range(col, col + min(span, 1000)):
                            cells.add((r, c))
                col += span
            row += repeat
        if cells:
            result[table.get(t + "name", "")] = frozenset(cells)
    return result


# --- xls -------------------------------------------------------------------------------


def _xls_globals_have_strike(stream: bytes) -> bool:
    """True when a FONT record of the workbook globals (before the first sheet) is struck out."""
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        code, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if code == 0x0031 and length >= 4:  # FONT: height, then grbit (0x0008 = struck out)
            (grbit,) = struct.unpack_from("<H", stream, body + 2)
            if grbit & 0x0008:
                return True
        elif code == 0x000A:  # EOF of the globals substream
            return False
        pos = body + length
    return False


def _biff_stream(data: bytes) -> bytes | None:
    """The BIFF stream of a legacy workbook (its compound file parsed here)."""
    from xlrd.compdoc import CompDoc

    doc = CompDoc(data, logfile=io.StringIO())
    return doc.get_named_stream("Workbook") or doc.get_named_stream("Book")


def _xls(data: bytes, stream: bytes | None = None) -> Struck:
    import xlrd

    if stream is None:
        stream = _biff_stream(data)
    if not stream or not _xls_globals_have_strike(stream):
        return {}
    book = xlrd.open_workbook(
        file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
    )
    try:
        fonts = [f.struck_out for f in book.font_list]
        struck_xf = {
            k
            for k, xf in enumerate(book.xf_list)
            if xf.font_index < len(fonts) and fonts[xf.font_index]
        }
        result: Struck = {}
        for k in range(book.nsheets):
            sheet = book.get_sheet(k)
            cells = {
                (r, c)
                for r in range(sheet.nrows)
                for c in range(sheet.row_len(r))
                if sheet.cell_xf_index(r, c) in struck_xf
            }
            if cells:
                result[sheet.name] = frozenset(cells)
        return result
    finally:
        book.release_resources()


# A ROW record (16 bytes of body) with its fHidden bit set: 0x20 of the byte at offset
# 12 of the body (the first byte of grbit, two bytes of which must exist).
_HIDDEN_ROW_RECORD = re.compile(
    rb"\x08\x02\x10\x00.{12}[\x20-\x3f\x60-\x7f\xa0-\xbf\xe0-\xff].", re.DOTALL
)


def xls_hidden_rows(data: bytes, stream: bytes | None = None) -> dict[str, set[int]]:
    """{sheet: 0-based rows hidden} of a legacy .xls; {} when none (or unreadable).

    The Workbook stream (`stream` when the caller has it already) is searched for a
    ROW record with its fHidden bit (0x20 of grbit) first, in one regex search (a
    Python loop over every ROW record took 4x as long); only then is the file opened
    with its formatting (xlrd).
    """
    try:
        if stream is None:
            stream = _biff_stream(data)
        if not stream or not _HIDDEN_ROW_RECORD.search(stream):
            return {}
        import xlrd

        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
        try:
            result = {}
            for k in range(book.nsheets):
                sheet = book.get_sheet(k)
                rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
                if rows:
                    result[sheet.name] = rows
            return result
        finally:
            book.release_resources()
    except Exception:  # noqa: BLE001 - formatting is a refinement, never a reason to fail
        return {}
