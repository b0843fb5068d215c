"""Spreadsheets saved as text markup: a web page (HTML) and Excel 2003's XML spreadsheet.

Office and statistics systems export "Excel" files that are really an HTML table
or a SpreadsheetML 2003 document named `.xls`; Excel's and WPS's "save as web
page" / "XML 电子表格 2003" write the same. Excel and WPS open them as ordinary
workbooks, so the unit believes it sent a spreadsheet. They are read as one:

- HTML: every `<table>` of the page, one below the other with a blank row between,
  on one sheet named after the file (a web page has no sheets, like a CSV); a table
  inside another's cell (a page laid out in tables) is a block of its own.
  `colspan`/`rowspan` are merged ranges, their value in the top-left cell. Cell text
  is what the page shows (line breaks kept, runs of spaces collapsed). Numbers and
  dates stay text, as in a CSV.
- SpreadsheetML: each `<Worksheet>` is a sheet with its name and visibility;
  `ss:Index` places rows and cells, `ss:MergeAcross`/`ss:MergeDown` are merged
  ranges; Number cells are numbers, DateTime cells dates. Parsed with defusedxml:
  a document type with entities is refused, never expanded.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from analysis.model import Sheet


class TooLarge(Exception):
    """A sheet's extent over the limits: (sheet name, rows, cells), before any grid is made."""

    def __init__(self, sheet: str, rows: int, cells: int):
        super().__init__(sheet, rows, cells)
        self.sheet, self.rows, self.cells = sheet, rows, cells


def _check(sheet: str, height: int, width: int, max_rows: int, max_cells: int) -> None:
    if height > max_rows or height * width > max_cells:
        raise TooLarge(sheet, height, height * width)


_PAGE_TAGS = ("!doctype html", "html", "head", "body", "meta", "table", "style")
_TABLE = re.compile(r"<table\b", re.IGNORECASE)
SPREADSHEETML_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_SS_WORKBOOK = re.compile(r"<(?:\w+:)?Workbook\b")


_HEADER_LINE = re.compile(r"[\w-]+:")


def _starts_as_page(head: str) -> bool:
    """Whether the text begins (after an XML declaration and comments) with a web page's tag."""
    pos = 0
    while True:
        while pos < len(head) and head[pos].isspace():
            pos += 1
        if head.startswith("<?xml", pos) or head.startswith("<!--", pos):
            closer = "?>" if head.startswith("<?", pos) else "-->"
            end = head.find(closer, pos)
            if end < 0:
                return False
            pos = end + len(closer)
            continue
        break
    if not head.startswith("<", pos):
        return False
    tag = head[pos + 1 : pos + 15].lower()
    return any(
        tag.startswith(name) and (len(tag) == len(name) or not tag[len(name)].isalnum())
        for name in _PAGE_TAGS
    )


def _is_mime(head: str) -> bool:
    """A MIME document (a single-file web page): header lines, one of them MIME-Version."""
    for line in head.lstrip().splitlines()[:20]:
        if line.lower().startswith("mime-version:"):
            return True
        if not _HEADER_LINE.match(line) and not line.startswith((" ", "\t")):
            return False
    return False


def markup_format(text: str) -> str | None:
    """`html` or `xml2003` when the decoded text is a web page with a table (a single-file
    web page, MHTML, included) or an Excel 2003 XML spreadsheet; None for anything else
    (CSV, prose)."""
    head = text[:8192].lstrip("\ufeff")
    if SPREADSHEETML_NS in head and _SS_WORKBOOK.search(head):
        return "xml2003"
    if (_starts_as_page(head) or _is_mime(head)) and _TABLE.search(text):
        return "html"
    return None


def page_text(text: str) -> str:
    """The HTML of a page: the text itself, or the first HTML part of a single-file web page
    (MHTML, "单个文件网页" as Excel and WPS save it), decoded by its own charset."""
    if not _is_mime(text[:8192].lstrip("\ufeff")):
        return text
    import email
    from email import policy

    message = email.message_from_string(text.lstrip("\ufeff"), policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                return payload.decode(charset)
            except (LookupError, UnicodeDecodeError):
                return payload.decode("gb18030", errors="replace")
    return text


# --- HTML ------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\n\f\xa0\u3000]+")
_SKIPPED = {"script", "style", "head", "title"}
_BREAKS = {"br", "p", "div", "li"}


def _span(value: str | None, least: int = 1) -> int:
    """A span attribute's number, between `least` and 1000 (a real table spans far less)."""
    try:
        return max(least, min(int(str(value).strip()), 1_000))
    except (TypeError, ValueError):
        return least


class _Table:
    """One `<table>`: its cells by (row, column), merged ranges, the cell being read."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, str]] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.taken: set[tuple[int, int]] = set()
        self.row = -1
        self.free = 0  # the row's columns before this one are taken (cells placed left to right)
        self.cell: tuple[int, int] | None = None
        self.text: list[str] = []

    def close_cell(self) -> None:
        if self.cell is None:
            return
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(self.text).split("\n"))
        value = "\n".join(line for line in lines if line)
        if value:
            r, c = self.cell
            self.rows.setdefault(r, {})[c] = value
        self.cell, self.text = None, []


class _Tables(HTMLParser):
    """The page's tables, each a block of rows, one below the other (a blank row between)
    in the order they begin; a table inside another's cell is a block of its own (pages
    lay tables out in tables), the outer cell keeps only its own text."""

    def __init__(self, max_cells: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_cells = max_cells
        self.tables: list[_Table] = []
        self.open: list[_Table] = []  # the tables being read, innermost last
        self.skip = 0  # inside <script>, <style> …
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
            return
        if tag == "table":
            if self.open and self.open[-1].cell is not None:
                self.open[-1].text.append("\n")  # the outer cell's text around it
            self.tables.append(_Table())
            self.open.append(self.tables[-1])
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag == "tr":
            table.close_cell()
            table.row += 1
            table.free = 0
        elif tag in ("td", "th"):
            table.close_cell()
            if table.row < 0:  # a cell before any <tr>
                table.row = 0
            # From where the row's last cell ended, not from column 0: a row of thousands
            # of cells under a tall rowspan took each cell past all the others.
            col = table.free
            while (table.row, col) in table.taken:
                col += 1
            values = dict(attrs)
            rows, cols = _span(values.get("rowspan")), _span(values.get("colspan"))
            self.cells += rows * cols
            if self.cells > self.max_cells:
                raise TooLarge("", table.row + rows, self.cells)
            for r in range(table.row, table.row + rows):
                for c in range(col, col + cols):
                    table.taken.add((r, c))
            if rows > 1 or cols > 1:
                table.merged.append((table.row, col, table.row + rows - 1, col + cols - 1))
            table.cell, table.text = (table.row, col), []
            table.free = col + cols
        elif tag in _BREAKS and table.cell is not None:
            table.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self.open and self.open[-1].cell is not None:
            self.open[-1].text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(self.skip - 1, 0)
        elif tag == "table" and self.open:
            self.open.pop().close_cell()
        elif tag in ("td", "th") and self.open:
            self.open[-1].close_cell()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1].cell is not None and not self.skip:
            self.open[-1].text.append(data)

    def grid(self, sheet: str, max_rows: int) -> tuple[list[list[object]], list]:
        """The rows of every table that holds any text, and their merged ranges."""
        for table in self.open:
            table.close_cell()
        blocks = [t for t in self.tables if t.rows]
        if not blocks:
            return [], []
        width = max(max(c) + 1 for t in blocks for c in t.rows.values() if c)
        height = sum(max(t.rows) + 1 for t in blocks) + len(blocks) - 1
        _check(sheet, height, width, max_rows, self.max_cells)
        out: list[list[object]] = []
        merged: list[tuple[int, int, int, int]] = []
        for table in blocks:
            if out:
                out.append([None] * width)  # a blank row between two tables
            top = len(out)
            for r in range(max(table.rows) + 1):
                cells = table.rows.get(r, {})
                out.append([cells.get(c) for c in range(width)])
            merged += [(r0 + top, c0, r1 + top, c1) for r0, c0, r1, c1 in table.merged]
        return out, merged


def read_html(text: str, sheet_name: str, max_rows: int, max_cells: int) -> list[Sheet]:
    """The page's tables as one sheet named `sheet_name`; TooLarge past the limits."""
    parser = _Tables(max_cells)
    try:
        parser.feed(page_text(text))
        parser.close()
    except TooLarge as exc:
        raise TooLarge(sheet_name, exc.rows, exc.cells) from None
    rows, merged = parser.grid(sheet_name, max_rows)
    return [Sheet(name=sheet_name, rows=rows, merged=merged)]


# --- SpreadsheetML (Excel 2003 XML) -----------------------------------------------------

_SS = "{" + SPREADSHEETML_NS + "}"
_HIDDEN = {"SheetHidden", "SheetVeryHidden"}


def _index(element, attribute: str, default: int) -> int:
    value = element.get(_SS + attribute)
    try:
        return max(int(value), 1) - 1 if value is not None else default
    except ValueError:
        return default


def _value(data) -> object:
    text = "".join(data.itertext())
    kind = data.get(_SS + "Type", "String")
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text or None
    if kind == "DateTime":
        try:
            moment = dt.datetime.fromisoformat(text.strip()[:19])
        except ValueError:
            return text or None
        return moment.date() if moment.time() == dt.time() else moment
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    return text if text.strip() else None


_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>")


def _own_rows(worksheet) -> list[list[tuple[object, list[object]]]]:
    """A worksheet's tables, each as its rows and each row with its cells: the
    elements' own children, as Excel writes them.

    A row inside a row (or a table inside a table, a cell outside any row) is what no
    program writes: a damaged or hand-made file. Looking for each row's cells among all
    the elements below it took time growing with the square of the nesting (50,000
    rows one inside the other: minutes) and read a nested row's cells into every row
    around it; such a file is refused as damaged instead (ValueError, `_read_markup`).
    """
    tables = [
        [(row, row.findall(_SS + "Cell")) for row in table.findall(_SS + "Row")]
        for table in worksheet.findall(_SS + "Table")
    ]
    counts = {tag: sum(1 for _ in worksheet.iter(_SS + tag)) for tag in ("Table", "Row", "Cell")}
    own = {
        "Table": len(tables),
        "Row": sum(len(rows) for rows in tables),
        "Cell": sum(len(cells) for rows in tables for _, cells in rows),
    }
    if counts != own:
        raise ValueError("rows, cells or tables nested where Excel writes none")
    return tables


def read_spreadsheetml(text: str, max_rows: int, max_cells: int) -> list[Sheet]:
    """Every worksheet of an Excel 2003 XML spreadsheet (its text already decoded, so the
    declaration's encoding is not needed); TooLarge past the limits (the grid is never
    made), defusedxml's or ElementTree's errors when it cannot be parsed."""
    from defusedxml import ElementTree as SafeET

    root = SafeET.fromstring(_DECLARATION.sub("", text, count=1))
    sheets, total = [], 0
    for worksheet in root.iter(_SS + "Worksheet"):
        name = worksheet.get(_SS + "Name", "") or f"Sheet{len(sheets) + 1}"
        cells: dict[tuple[int, int], object] = {}
        merged: list[tuple[int, int, int, int]] = []
        taken: set[tuple[int, int]] = set()
        row_at = 0
        for rows in _own_rows(worksheet):
            for row, row_cells in rows:
                r = _index(row, "Index", row_at)
                col = 0
                for cell in row_cells:
                    explicit = cell.get(_SS + "Index") is not None
                    c = _index(cell, "Index", col)
                    while not explicit and (r, c) in taken:
                        c += 1
                    across = _span(cell.get(_SS + "MergeAcross", "0"), 0)
                    down = _span(cell.get(_SS + "MergeDown", "0"), 0)
                    data = cell.find(_SS + "Data")
                    if data is not None and (value := _value(data)) is not None:
                        cells[(r, c)] = value
                    if across or down:
                        if len(taken) + (down + 1) * (across + 1) > max_cells:
                            raise TooLarge(
                                name, r + down + 1, len(taken) + (down + 1) * (across + 1)
                            )
                        merged.append((r, c, r + down, c + across))
                        taken.update((r + i, c + j) for i in range(down + 1)
                                     for j in range(across + 1))  # fmt: skip
                    col = c + across + 1
                row_at = r + 1
        options = worksheet.find("{urn:schemas-microsoft-com:office:excel}WorksheetOptions")
        visible = (
            options.findtext("{urn:schemas-microsoft-com:office:excel}Visible")
            if options is not None
            else None
        )
        height = max((r for r, _ in cells), default=-1) + 1
        width = max((c for _, c in cells), default=-1) + 1
        total += height * width
        _check(name, height, width, max_rows, max_cells - total + height * width)
        grid: list[list[object]] = [[None] * width for _ in range(height)]
        for (r, c), value in cells.items():
            grid[r][c] = value
        sheets.append(Sheet(name=name, rows=grid, hidden=(visible or "").strip() in _HIDDEN,
                            merged=merged))  # fmt: skip
    return sheets
