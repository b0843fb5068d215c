"""A submission file -> `Workbook` of `Sheet` grids, or `FileRejected` with a Chinese reason.

The format is decided from the file's bytes, never its extension. Every file is
read once into memory (after its size is checked), then checked cheaply before
any parser sees it: ZIP central directory (zip bombs), the true extent of each
sheet (a single cell at XFD1048576 makes calamine allocate a dense grid of 17
billion cells and abort the process, so the extent is found by scanning the
sheet XML first), OLE2 directory (olefile: encrypted OOXML). Cells are read by calamine;
formulas are never evaluated (cached values only). calamine rejects XML with
custom entities ("billion laughs", XXE) instead of expanding or fetching them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import struct
import sys
import zipfile
from operator import itemgetter
from pathlib import Path

import python_calamine as pc

from analysis import styles
from analysis.campaign import Limits
from analysis.markup import TooLarge, markup_format, read_html, read_spreadsheetml
from analysis.messages import error_detail, message, message_text
from analysis.model import ZIP_ERRORS, FileRejected, Issue, IssueCode, Sheet, Workbook, gc_paused
from analysis.ooxml import WIDE_ESCAPE, wide_escaped_cells
from analysis.ooxml import sheet_parts as _xlsx_sheet_parts
from analysis.textfiles import lines_cut_alike

FORMATS = ("xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "html", "xml2003")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
# Magic bytes of common files that are certainly not spreadsheets (-> their name in messages).
OTHER_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "kind_pdf"),
    (b"\x89PNG", "kind_png"),
    (b"\xff\xd8\xff", "kind_jpeg"),
    (b"GIF8", "kind_gif"),
    (b"Rar!", "kind_rar"),
    (b"7z\xbc\xaf", "kind_7z"),
    (b"\x1f\x8b", "kind_gzip"),
    (b"{\\rtf", "kind_rtf"),
)
# Only archive members at least this big are held to the compression-ratio limit:
# small XML parts of ordinary workbooks compress very well and are harmless.
RATIO_FLOOR_BYTES = 1 << 20
# Sheet XML up to this size is also searched for formulas without a cached value.
FORMULA_SCAN_BYTES = 8 << 20

# XML allows either quote around an attribute's value, and so does calamine.
_CELL_REF = re.compile(rb'<c\b[^>]*?\br=["\']([A-Z]{1,3})([0-9]{1,7})["\']')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br=["\']([0-9]{1,7})["\']')
_NO_VALUE_FORMULA = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)
# Any formula element: the test before `_NO_VALUE_FORMULA` (which needs one), found
# by `_contains` from each "f".
_FORMULA = re.compile(rb"<f\b")
# A regex with a literal prefix passes over the XML faster than `b't="e"' in xml`
# (3x): the `in` test skips little when the needle ends in '"', frequent in XML.
# (From its "e", confirmed by a look-behind: re stops at each "t" of `t="s"`, `<t>`
# and `t="inlineStr"`, at fewer "e": 26 vs 30 ms over the scaled round.)
_ERROR_TYPE = re.compile(rb'e"(?<=t="e")')
_HIDDEN = re.compile(rb'hidden="')
# `_contains` tries this many occurrences of its byte before one regex search decides.
_HOPS = 64
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def _contains(xml: bytes, pattern: re.Pattern[bytes], byte: bytes, offset: int) -> bool:
    """Whether `pattern` occurs in `xml`, where each match has `byte` at `offset` from its start.

    A regex search steps through the XML byte by byte: ~22 ms for one pattern over the
    scaled round's 78 MB of sheet XML. `bytes.find` of a single byte jumps with memchr,
    so where the byte is rare (an "f" or an "h" outside a formula or `hidden="`: a few in
    each sheet's header, none in its cells) trying the pattern at each occurrence costs
    ~4 ms. After `_HOPS` occurrences the byte is frequent here, and one search of the
    rest decides: never much slower than the search alone.
    """
    at = xml.find(byte)
    for _ in range(_HOPS):
        if at < 0:
            return False
        if at >= offset and pattern.match(xml, at - offset):
            return True
        at = xml.find(byte, at + 1)
    return at >= 0 and pattern.search(xml, max(at - offset, 0)) is not None


def _reject_unreadable(name: str, detail: str = "") -> FileRejected:
    why = f"（{detail}）" if detail else ""
    return FileRejected(
        IssueCode.CORRUPT,
        message_text("corrupt", file=name, why=why),
    )


def _not_spreadsheet(name: str, what: str = "") -> FileRejected:
    kind = message_text("not_a_spreadsheet_kind", what=message_text(what)) if what else ""
    return FileRejected(
        IssueCode.NOT_A_SPREADSHEET,
        message_text("not_a_spreadsheet", file=name, kind=kind),
    )


def _password(name: str) -> FileRejected:
    return FileRejected(
        IssueCode.PASSWORD_PROTECTED,
        message_text("password_protected", file=name),
    )


# --- OLE2 (compound file) directory ------------------------------------------------


def _ole_stream_names(data: bytes) -> set[str]:
    """Names of the streams and storages in an OLE2 compound file (empty when unreadable)."""
    return _ole_directory(data, workbook=False)[0]


def _ole_directory(data: bytes, workbook: bool = True) -> tuple[set[str], bytes | None]:
    """`_ole_stream_names`, and with `workbook` a legacy workbook's whole BIFF stream
    (None when it has none or it cannot be read): the container is parsed once a file,
    and the stream serves the password check here and the struck-through and hidden
    rows (`styles`), which would otherwise each parse the container again."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if workbook and _chain_loops(ole, data):
                return set(), None  # told as a damaged file, before calamine follows it
            names = {path[-1] for path in ole.listdir(streams=True, storages=True)}
            stream = None
            if workbook and {"Workbook", "Book"} & names:
                try:
                    part = "Workbook" if ole.exists("Workbook") else "Book"
                    stream = ole.openstream(part).read()
                except Exception:  # noqa: BLE001 - as the directory's own errors
                    stream = None
            return names, stream
    except Exception:  # noqa: BLE001 - olefile raises several types for a broken file
        return set(), None


_CHAIN_MARKS = 0xFFFFFFFA  # sector numbers from here on end a chain (end, free, FAT, DIFAT)


def _chain_loops(ole, data: bytes) -> bool:
    """Whether a sector chain that calamine follows in a compound file runs in a circle.

    A stream's sectors are a linked list in the file allocation table (FAT); one wrong
    number there (a flipped bit, a file cut and patched) can point a chain back at
    itself. calamine follows a chain until it ends, collecting sectors without limit:
    such a 10 KB .xls made it allocate tens of gigabytes and the system kill the run.
    olefile reads no further than a stream's size, so it is the one to ask here: the
    directory's and mini-FAT's chains, the mini stream's, and each stream's in the FAT
    or (small streams) the mini FAT, all read from the file's own bytes.
    """
    import struct
    from array import array

    fat, size = ole.fat, ole.sectorsize

    def walk(table, start: int) -> list[int] | None:
        seen: set[int] = set()
        chain: list[int] = []
        while start < len(table) and start < _CHAIN_MARKS:
            if start in seen:
                return None
            seen.add(start)
            chain.append(start)
            start = table[start]
        return chain

    def sectors(chain: list[int]) -> bytes:
        return b"".join(data[(k + 1) * size : (k + 2) * size] for k in chain)

    directory = walk(fat, ole.first_dir_sector)
    minifat_chain = walk(fat, ole.first_mini_fat_sector)
    if directory is None or minifat_chain is None:
        return True
    raw = sectors(minifat_chain)
    minifat = array("I", raw[: len(raw) // 4 * 4])
    if struct.pack("=I", 1) != struct.pack("<I", 1):
        minifat.byteswap()
    entries = sectors(directory)
    for at in range(0, len(entries) - 127, 128):
        kind = entries[at + 0x42]
        start, length = struct.unpack_from("<II", entries, at + 0x74)
        if kind == 5:  # the root entry: the mini stream, in the FAT
            table = fat
        elif kind == 2 and length:  # a stream
            table = fat if length >= ole.minisectorcutoff else minifat
        else:
            continue
        if walk(table, start) is None:
            return True
    return False


BIFF_FILEPASS, BIFF_EOF = 0x002F, 0x000A


def _xls_encrypted(head: bytes | None) -> bool:
    """Whether a legacy workbook (BIFF in an OLE2 file) is encrypted: a FILEPASS record
    among its globals' first records (it follows the BOF; `head`: the stream's first
    4 KiB, `_ole_directory`). Seen by its bytes, whatever the file is named: calamine
    tells a password only from the path, and then by the suffix."""
    import struct

    if head is None:
        return False
    pos = 0
    while pos + 4 <= len(head):
        record, length = struct.unpack_from("<HH", head, pos)
        if record == BIFF_FILEPASS:
            return True
        if record == BIFF_EOF:
            return False
        pos += 4 + length
    return False


# --- format detection ----------------------------------------------------------------


def _zip_format(zf: zipfile.ZipFile, path: Path) -> str:
    members = set(zf.namelist())
    name = path.name
    if "xl/workbook.xml" in members:
        macro = "xl/vbaProject.bin" in members or path.suffix.lower() == ".xlsm"
        return "xlsm" if macro else "xlsx"
    if "xl/workbook.bin" in members:
        return "xlsb"
    if "mimetype" in members:
        mimetype = zf.read("mimetype")[:100].strip()
        if mimetype in ODS_MIMETYPES:
            return "ods"
        if b"opendocument.text" in mimetype:
            raise _not_spreadsheet(name, "kind_odt")
    if "word/document.xml" in members:
        raise _not_spreadsheet(name, "kind_word")
    if "ppt/presentation.xml" in members:
        raise _not_spreadsheet(name, "kind_powerpoint")
    raise _not_spreadsheet(name, "kind_archive")


def _format_and_text(
    data: bytes,
    path: Path,
    name: str,
    keep: list[zipfile.ZipFile] | None = None,
    biff: list[bytes] | None = None,
) -> tuple[str, tuple[str, str] | None]:
    """The file's format, and (text, encoding) when it is text (csv, html, xml2003): a
    text file is decoded once, since a large one with a few bad bytes takes a while.
    `keep`, `biff`: see `_binary_format`."""
    fmt = _binary_format(data, path, name, keep, biff)
    if fmt is not None:
        return fmt, None
    decoded = _decode_text(data)
    if decoded is None:
        raise _not_spreadsheet(name)
    return markup_format(decoded[0]) or "csv", decoded


def _binary_format(
    data: bytes,
    path: Path,
    name: str,
    keep: list[zipfile.ZipFile] | None = None,
    biff: list[bytes] | None = None,
) -> str | None:
    """The format of a binary spreadsheet (None: perhaps text); FileRejected for others.

    `keep`: a list that receives a spreadsheet's zip, left open for the caller to read
    and close (its central directory is read once per file, not once per use).
    `biff`: a list that receives a legacy workbook's BIFF stream, when it could be read."""
    if not data:
        raise FileRejected(IssueCode.EMPTY, message_text("empty", file=name))
    if data.startswith(OLE2_MAGIC):
        streams, stream = _ole_directory(data)
        if {"EncryptionInfo", "EncryptedPackage"} & streams:
            raise _password(name)
        if {"Workbook", "Book"} & streams:
            if _xls_encrypted(stream[:4096] if stream is not None else None):
                raise _password(name)
            if biff is not None and stream is not None:
                biff.append(stream)
            return "xls"
        if "WordDocument" in streams:
            raise _not_spreadsheet(name, "kind_word")
        if "PowerPoint Document" in streams:
            raise _not_spreadsheet(name, "kind_powerpoint")
        if not streams:
            raise _reject_unreadable(name, message_text("detail_structure_incomplete"))
        if path.suffix.lower() in (".xls", ".et"):
            return "xls"  # let calamine try: some writers name the stream differently
        raise _not_spreadsheet(name)
    if data.startswith(ZIP_MAGICS):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            try:
                fmt = _zip_format(zf, path)
            except BaseException:
                zf.close()
                raise
        except ZIP_ERRORS:
            raise _reject_unreadable(name, message_text("detail_zip_damaged")) from None
        if keep is None:
            zf.close()
        else:
            keep.append(zf)
        return fmt
    for magic, what in OTHER_MAGICS:
        if data.startswith(magic):
            raise _not_spreadsheet(name, what)
    return None


def detect_format(path: Path) -> str:
    """The file's format from its bytes: xlsx, xlsm, xlsb, xls, ods, csv, html (a web page's
    tables) or xml2003 (Excel 2003 XML); else FileRejected."""
    path = Path(path)
    return _format_and_text(path.read_bytes(), path, path.name)[0]


# --- CSV ---------------------------------------------------------------------------------

_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when `data` is text in UTF-8, UTF-16 (with a BOM or without) or
    GB18030; else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif endian := _utf16_without_bom(data[:4096]):
        candidates = [endian]
    else:
        candidates = ["utf-8-sig", "gb18030"]  # UTF-8 first: GB18030 accepts UTF-8 bytes
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8-sig" and (mostly := _mostly_utf8(data)) is not None:
                return _text_or_none(mostly, encoding)  # before GB18030 reads it all wrong
            continue
        return _text_or_none(text, encoding)
    # A few bytes in no encoding (a name pasted from a GBK file into a UTF-8 one, a file
    # cut inside a character): read with those characters as U+FFFD, which the CSV
    # reader names in a warning; more than a few is not text in these encodings.
    text, encoding = min(
        ((data.decode(e, errors="replace"), e) for e in candidates),
        key=lambda found: found[0].count("\ufffd"),
    )
    if text.count("\ufffd") > max(3, len(text) * UNDECODABLE_SHARE):
        return None
    return _text_or_none(text, encoding)


# At most this share of a text's characters may be undecodable for it to be read.
UNDECODABLE_SHARE = 0.005


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bytes that are not (as U+FFFD), or None.

    GB18030 would accept those bytes and read every Chinese character of the rest
    wrong. Chinese in GBK is seldom valid UTF-8, so many valid Chinese characters
    (five for each undecodable one at least) say the text is UTF-8.
    """
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(3, len(text) * MOSTLY_UTF8_SHARE):
        return None
    chinese = sum(1 for ch in text if "\u0800" <= ch < "\ufffd")
    return text if chinese >= 5 * bad else None


# A UTF-8 text may have up to this share of undecodable characters when the rest is
# Chinese in UTF-8 (five valid characters for each undecodable one at least).
MOSTLY_UTF8_SHARE = 0.05


def _text_or_none(text: str, encoding: str) -> tuple[str, str] | None:
    sample = text[:20000]
    if len(_BAD_CONTROL.findall(sample)) > max(2, len(sample) // 1000):
        return None  # binary data that happens to decode
    return text, encoding


def _utf16_without_bom(head: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` for UTF-16 text written without a BOM (some export tools
    do): its ASCII characters (digits, commas, line ends) have a zero byte on one side,
    always the same; else None. Other text has no zero bytes at all."""
    head = head[: len(head) // 2 * 2]
    if b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = max(len(head) // 2, 1)
    if odd >= pairs // 10 and even * 4 < odd:
        return "utf-16-le"
    if even >= pairs // 10 and odd * 4 < even:
        return "utf-16-be"
    return None


CSV_DELIMITERS = ",\t;，"


class _Sniffer(csv.Sniffer):
    """csv.Sniffer with the same answers, counting only the candidate delimiters per line.

    The standard `_guess_delimiter` counts each of the 127 ASCII characters on every
    line, yet only candidates can become the delimiter: no other count enters its
    decision (the modes of other characters are computed and never read). This is
    its rule with the character loop limited to the ASCII candidates, in the same
    order. CPU for one CSV of the scaled round: ~4 ms -> ~0.2 ms. A sample without
    any quote character skips the quote search, which can find nothing in it.
    """

    def _guess_quote_and_delimiter(
        self, data: str, delimiters: str | None
    ) -> tuple[str, bool, str | None, int]:
        # Each of the standard method's four patterns needs a quote character: without
        # one in the sample it answers "none found", after four regex passes that try
        # a match at nearly every character (~0.5 ms a file).
        if '"' not in data and "'" not in data:
            return "", False, None, 0
        return super()._guess_quote_and_delimiter(data, delimiters)

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple[str, bool]:
        lines = list(filter(None, data.split("\n")))
        chars = [c for c in map(chr, range(127)) if delimiters is None or c in delimiters]
        chunk = min(10, len(lines))
        frequency: dict[str, dict[int, int]] = {c: {} for c in chars}
        modes: dict[str, tuple[int, int]] = {}
        delims: dict[str, tuple[int, int]] = {}
        start, iteration = 0, 0
        while start < len(lines):
            iteration += 1
            for line in lines[start : start + chunk]:
                for c in chars:
                    meta = frequency[c]
                    n = line.count(c)
                    meta[n] = meta.get(n, 0) + 1
            for c, meta in frequency.items():
                items = list(meta.items())
                if len(items) == 1 and items[0][0] == 0:
                    continue
                if len(items) > 1:
                    mode = max(items, key=itemgetter(1))
                    items.remove(mode)
                    modes[c] = (mode[0], mode[1] - sum(item[1] for item in items))
                else:
                    modes[c] = items[0]
            total = float(min(chunk * iteration, len(lines)))
            consistency = 1.0
            while not delims and consistency >= 0.9:
                for k, v in modes.items():
                    if v[0] > 0 and v[1] > 0 and v[1] / total >= consistency:
                        delims[k] = v
                consistency -= 0.01
            if len(delims) == 1:
                (delim,) = delims
                return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
            start += chunk
        if not delims:
            return "", False
        if len(delims) > 1:
            for d in self.preferred:
                if d in delims:
                    return d, lines[0].count(d) == lines[0].count(f"{d} ")
        delim = max((v, k) for k, v in delims.items())[1]
        return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")


class _Delimited(csv.excel):
    delimiter = ","


def _dialect_by_lines(sample: str) -> type[csv.Dialect]:
    """The dialect when the sniffer finds no delimiter consistent over its lines.

    A header block (填报单位, 填报日期 … on lines of two cells) above the table makes the
    count of delimiters per line inconsistent, and the sniffer gives up: Excel's
    "文本文件（制表符分隔）" export of the template would then be read as one column
    and every row lost. A tab or a semicolon is the delimiter when it is on more lines
    than a comma and cuts at least two lines alike, as a table's rows are; otherwise
    comma, as before. The Chinese comma never is here: prose is full of it.
    """
    lines = [line for line in sample.split("\n") if line.strip()]
    commas = sum("," in line for line in lines)
    best: tuple[int, str] | None = None
    for delimiter in ("\t", ";"):
        holding, alike = lines_cut_alike(lines, delimiter)
        if alike and holding > commas and (best is None or holding > best[0]):
            best = (holding, delimiter)
    if best is None:
        return csv.excel
    return type("_Delimited", (_Delimited,), {"delimiter": best[1]})


def _rows_shown(rows: list[int], limit: int = 10) -> str:
    """1-based row numbers as a message lists them: the first `limit`, then 等N."""
    shown = "、".join(map(str, rows[:limit]))
    if len(rows) > limit:
        shown = message_text("rows_and_more", rows=shown, count=len(rows))
    return shown


def _undecodable_issue(name: str, rows: list[list[str | None]]) -> list[Issue]:
    """One warning naming the rows that hold characters no encoding could read (U+FFFD)."""
    marked = [k + 1 for k, row in enumerate(rows) if any(c and "\ufffd" in c for c in row)]
    if not marked:
        return []
    text = message_text(IssueCode.TEXT_UNDECODABLE, file=name, rows=_rows_shown(marked))
    return [Issue(name, "", marked[0], "", "warning", IssueCode.TEXT_UNDECODABLE, text)]


def _read_csv(decoded: tuple[str, str], path: Path, name: str) -> tuple[list[Sheet], bool]:
    """The CSV's one sheet (from its decoded text), and whether some of its characters
    could not be decoded."""
    text, _ = decoded
    try:
        dialect = _Sniffer().sniff(text[:8192], delimiters=CSV_DELIMITERS)
    except csv.Error:
        dialect = _dialect_by_lines(text[:8192])
    else:
        # Excel, WPS and every CSV writer double a quote inside a quoted cell (RFC 4180);
        # the sniffer answers "not doubled" unless its sample shows one next to a
        # delimiter, and `"a""b"` then reads as `a"b"`.
        dialect.doublequote = True
    # A cell may be as long as the file (a 备注 pasted from a long document): the csv
    # module's own limit (128 KiB a cell) would refuse the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        rows = _csv_rows(io.StringIO(text), dialect)
    except csv.Error:  # lines ended by a lone \r (an old Mac export): read as lines
        try:
            rows = _csv_rows(io.StringIO(text, newline=None), dialect)
        except csv.Error:
            raise _reject_unreadable(name, message_text("detail_structure_incomplete")) from None
    return [Sheet(name=path.stem, rows=rows)], "\ufffd" in text


def _csv_rows(stream: io.StringIO, dialect) -> list[list[str | None]]:
    return [[cell if cell.strip() else None for cell in row] for row in csv.reader(stream, dialect)]


def _read_markup(fmt: str, text: str, path: Path, name: str, limits: Limits) -> list[Sheet]:
    """The sheets of a web page's tables or of an Excel 2003 XML spreadsheet (`markup`)."""
    try:
        if fmt == "html":
            return read_html(text, path.stem, limits.max_rows_per_sheet,
                             limits.max_cells_per_workbook)  # fmt: skip
        return read_spreadsheetml(text, limits.max_rows_per_sheet, limits.max_cells_per_workbook)
    except TooLarge as exc:
        raise _too_big(name, exc.sheet, exc.rows, exc.cells, limits) or _reject_unreadable(
            name
        ) from None
    except Exception as exc:  # noqa: BLE001 - the XML parsers raise many types for bad input
        from defusedxml import DefusedXmlException

        if isinstance(exc, DefusedXmlException):  # a DTD or entity declaration: refused
            raise FileRejected(
                IssueCode.HOSTILE_XML, message_text("hostile_xml", file=name)
            ) from None
        raise _reject_unreadable(name, error_detail(exc)) from None


# --- ZIP safety and sheet extents --------------------------------------------------------


def _check_zip(zf: zipfile.ZipFile, limits: Limits, name: str) -> None:
    """Reject zip bombs and oversized archives from the central directory alone."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise FileRejected(
                IssueCode.ZIP_BOMB,
                message_text(
                    "zip_bomb", file=name, ratio=ratio, limit=limits.max_compression_ratio
                ),
            )
    if total > limits.max_uncompressed_bytes:
        raise FileRejected(
            IssueCode.TOO_LARGE,
            message_text(
                "too_large_unpacked",
                file=name,
                size_mb=total / 2**20,
                limit_mb=limits.max_uncompressed_bytes / 2**20,
            ),
        )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, never more than the central directory declares (lying headers)."""
    with zf.open(info) as fh:
        # One read of at most one byte more than declared: zipfile inflates no further
        # (`max_length`), and a byte more means the header lied.
        out = fh.read(info.file_size + 1)
    if len(out) > info.file_size:
        raise FileRejected(
            IssueCode.ZIP_BOMB,
            message_text("zip_bomb_lying_size", file=name),
        )
    return out


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


EXCEL_MAX_COLUMNS = 16_384  # XFD: no .xlsx has more, and Excel and WPS open no more


def _check_width(name: str, sheets: list[Sheet]) -> None:
    """FileRejected when a text or markup sheet has a row wider than Excel's 16,384
    columns: no spreadsheet program shows it as the unit typed it (a CSV line of
    300,000 fields, a file pasted or cut wrongly), and finding the header of a table
    that wide took the run minutes."""
    width = max((len(row) for sheet in sheets for row in sheet.rows), default=0)
    if width > EXCEL_MAX_COLUMNS:
        raise FileRejected(
            IssueCode.TOO_LARGE,
            message_text("too_large_columns", file=name, columns=width, limit=EXCEL_MAX_COLUMNS),
        )


def _too_big(name: str, sheet: str, rows: int, cells: int, limits: Limits) -> FileRejected | None:
    if rows > limits.max_rows_per_sheet:
        return FileRejected(
            IssueCode.TOO_LARGE,
            message_text(
                "too_large_rows", file=name, sheet=sheet, rows=rows, limit=limits.max_rows_per_sheet
            ),
        )
    if cells > limits.max_cells_per_workbook:
        return FileRejected(
            IssueCode.TOO_LARGE,
            message_text(
                "too_large_cells", file=name, cells=cells, limit=limits.max_cells_per_workbook
            ),
        )
    return None


# BIFF cell records: (row, column) first in the body; MULRK and MULBLANK end with their
# last column. FORMULA, LABELSST, RSTRING, NUMBER, LABEL, BOOLERR, RK, BLANK.
_BIFF_CELLS = frozenset({0x0006, 0x00FD, 0x00D6, 0x0203, 0x0204, 0x0205, 0x027E, 0x0201})
_BIFF_MULTI = frozenset({0x00BD, 0x00BE})
_BIFF_BOF, _BIFF_BOUNDSHEET = 0x0809, 0x0085
_BIFF_CELL_RECORDS = _BIFF_CELLS | _BIFF_MULTI
_UINT16_PAIR, _UINT16, _UINT32 = struct.Struct("<HH"), struct.Struct("<H"), struct.Struct("<I")


def _scan_xls(stream: bytes, limits: Limits, name: str) -> None:
    """FileRejected when a legacy workbook's cells span more than the limits allow.

    calamine makes each sheet one dense grid from its first to its last cell at once:
    a damaged cell record at row 65535, column 65535 (BIFF8 stops at column 256) made it
    ask for 117 GB and abort the process. As the sheet XML of an .xlsx is scanned
    (`_scan_xlsx`), the BIFF records are, before calamine sees them.
    """
    names: dict[int, str] = {}
    extents: list[tuple[str, int, int, int, int]] = []
    in_sheet, label = False, ""
    top = bottom = left = right = 0  # the current sheet's min/max row and column
    # One pass over every record of the stream (~7,000 a workbook of the scaled round):
    # locals and unpack_from on the stream itself, a body sliced only for the rare
    # BOUNDSHEET record; a cell record is read where it stands.
    pair, one = _UINT16_PAIR.unpack_from, _UINT16.unpack_from
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        record, length = pair(stream, pos)
        start, pos = pos + 4, pos + 4 + length
        if record in _BIFF_CELL_RECORDS:
            size = min(length, end - start)  # shorter than said at a cut stream's end
            if not in_sheet or size < 4:
                continue
            row, col = pair(stream, start)
            last = one(stream, start + size - 2)[0] if record in _BIFF_MULTI else col
            if row < top:
                top = row
            if row > bottom:
                bottom = row
            if col < left:
                left = col
            if col > right:
                right = col
            if last != col:  # MULRK / MULBLANK: their last column too
                left, right = min(left, last), max(right, last)
        elif record == _BIFF_BOUNDSHEET:
            body = stream[start:pos]
            if len(body) >= 8:
                names[_UINT32.unpack_from(body)[0]] = _boundsheet_name(body)
        elif record == _BIFF_BOF:
            if in_sheet:
                extents.append((label, top, bottom, left, right))
            in_sheet, label = True, names.get(start - 4, "")
            top, bottom, left, right = 1 << 20, -1, 1 << 20, -1
    if in_sheet:
        extents.append((label, top, bottom, left, right))
    total = 0
    for label, top, bottom, left, right in extents:
        if bottom < 0:
            continue
        height = bottom - top + 1
        total += height * (right - left + 1)
        error = _too_big(name, label, height, total, limits)
        if error:
            raise error


def _boundsheet_name(body: bytes) -> str:
    """A BOUNDSHEET record's sheet name (BIFF8: a short string, 8- or 16-bit characters)."""
    count, flags = body[6], body[7] if len(body) > 7 else 0
    if flags & 1:
        return body[8 : 8 + 2 * count].decode("utf-16-le", "replace")
    return body[8 : 8 + count].decode("latin-1")


def _scanned_extent(xml: bytes) -> tuple[int, int]:
    """(height, width) of the cells and rows a sheet's XML holds: every reference is read."""
    refs = _CELL_REF.findall(xml)  # (letters, digits) of every cell: C-level from here on
    rows = set(map(int, set(_ROW_REF.findall(xml)).union(map(_SECOND, refs))))
    cols = set(map(_col_number, set(map(_FIRST, refs))))
    height = max(rows) - min(rows) + 1 if rows else 0
    width = max(cols) - min(cols) + 1 if cols else 1
    return height, width


# Widest column reachable with k letters (Z, ZZ, XFD is the format's last).
_WIDEST = {1: 26, 2: 26 * 27, 3: 16384}
_LAST_ROW = re.compile(rb'<row\b[^>]*?\br=["\']([0-9]{1,7})["\']')


def _declared_extent(xml: bytes, dimension: re.Match | None) -> tuple[int, int] | None:
    """An upper bound of the sheet's (height, width) from what it declares; None to scan instead.

    The declared last cell (`<dimension ref="A1:H880">`: 3 digits, 1 letter; without
    a dimension, the last `<row>` element and its cells) bounds the sheet at 999 rows
    and 26 columns provided no reference anywhere in the XML has more digits or
    letters than that: two searches for such a reference, which skip from one `r=`
    to the next in C, instead of reading every reference. The last `<row>` element
    must agree with the dimension. Missing or disagreeing (or the bound too loose to
    pass the limits, see `_scan_xlsx`): the caller reads every reference.
    """
    end = xml.rfind(b"</sheetData>")
    tail = xml.rfind(b"<row ", 0, end if end >= 0 else len(xml))
    last = _LAST_ROW.match(xml, tail) if tail >= 0 else None
    if last is None:
        return None  # no row element to go by
    last_row = last.group(1)
    if dimension is not None:
        if int(last_row) > int(dimension.group(2)):
            return None  # rows below the declared range
        letters, digits = len(dimension.group(1)), len(dimension.group(2))
    else:
        cells = _CELL_REF.findall(xml, tail, end if end >= 0 else len(xml))
        letters, digits = max((len(c) for c, _ in cells), default=1), len(last_row)
    # One search, with a literal prefix so that it jumps from one `r="` to the next,
    # for a reference with more letters or digits than the bound. It also stops at
    # other attributes ending in r (operator="between" of a data validation,
    # header="0.5"), which are passed over as the full scan's `\br=` passes them.
    beyond = _beyond_pattern(letters, digits)
    # (A quote is found by memchr: most sheets hold none, and then no r=' either.)
    if (b"'" in xml and b"r='" in xml) or any(
        found.start() == 0 or not _WORD_BYTE.match(xml, found.start() - 1)
        for found in re.finditer(beyond, xml)
    ):
        return None  # beyond the bound, or single-quoted references: read them all
    return 10**digits - 1, _WIDEST.get(letters, 16384)


_WORD_BYTE = re.compile(rb"\w")  # what `\b` in `_CELL_REF` and `_ROW_REF` sees as a word


def _beyond_pattern(letters: int, digits: int) -> bytes:
    """A reference (after `r="`) with more than `letters` letters, or up to 3 letters
    and more than `digits` digits (letters <= 3): `_declared_extent`'s test.

    The letters are taken possessively (never given back), then one more letter or
    too many digits must follow: the same matches as the plain alternation
    `(?:[A-Za-z]{2}|[A-Za-z]{0,3}[0-9]{4})`, which retries each reference's letters
    (61 vs 87 ms over the scaled round's 78 MB of sheet XML; 31 ms is the search
    for `r="` alone).
    """
    return rb'r="[A-Za-z]{0,%d}+(?:[A-Za-z]|[0-9]{%d})' % (letters, digits + 1)


# A cell holding an error value (#N/A of a VLOOKUP, #DIV/0!): calamine reads it as blank.
_ERROR_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]{1,20})</v>',
    re.DOTALL,
)


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """{(row, column), 0-based: the error's text} of a sheet's cells holding an error value."""
    return {
        (int(digits) - 1, _col_number(letters) - 1): text.decode("utf-8", "replace")
        for letters, digits, text in _ERROR_CELL.findall(xml)
    }


_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_HIDDEN_ATTR = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')


def _hidden_rows(xml: bytes) -> set[int]:
    """0-based numbers of a sheet's rows that are hidden (by hand or by a filter)."""
    rows = set()
    for attrs in _ROW_TAG.findall(xml):
        if _HIDDEN_ATTR.search(attrs) and (number := _ROW_NUMBER.search(attrs)):
            rows.add(int(number.group(1)) - 1)
    return rows


def _scan_xlsx(
    zf: zipfile.ZipFile,
    limits: Limits,
    name: str,
    display: str,
    exact: bool = False,
    errors: dict[str, dict[tuple[int, int], str]] | None = None,
    hidden: dict[str, set[int]] | None = None,
    escaped: set[str] | None = None,
) -> list[Issue]:
    """Bound every sheet's true extent before calamine allocates it; note formulas without values.

    The extent is bounded from the sheet's declared dimension where the XML agrees
    with it (`_declared_extent`), else measured by reading every cell reference
    (`_scanned_extent`, always when `exact`). Either way no sheet passes whose cells
    reach beyond the limits, and the verdicts and messages are those of the exact scan.
    """
    names: list[dict[str, str]] = []

    def sheet_name(part: str) -> str:
        """The sheet's name for messages (workbook.xml is read only if one is needed)."""
        if not names:
            names.append(_xlsx_sheet_parts(zf, set(zf.namelist())))
        return names[0].get(part, Path(part).stem)

    issues: list[Issue] = []
    total_cells = 0
    bounded = False  # some sheet counted by its bound rather than its true extent
    for info in zf.infolist():
        part = info.filename
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        xml = _read_member(zf, info, name)
        dimension = re.search(
            rb'<dimension\b[^>]*\bref="[A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,7})"', xml[:4096]
        )
        if dimension:
            # A sheet that declares a whole-sheet range is refused even when few cells
            # are filled: no real submission needs it, and other readers trust it.
            declared = int(dimension.group(2))
            cells = declared * _col_number(dimension.group(1))
            if declared > limits.max_rows_per_sheet or cells > limits.max_cells_per_workbook:
                raise FileRejected(
                    IssueCode.TOO_LARGE,
                    message_text(
                        "too_large_declared",
                        file=name,
                        sheet=sheet_name(part),
                        rows=declared,
                        cells=cells,
                    ),
                )
        bound = None if exact else _declared_extent(xml, dimension)
        if bound is not None:
            height, width = bound  # an upper bound of the true extent
            if _too_big(name, "", height, total_cells + height * width, limits) is not None:
                # The bound is too loose to pass: measure every sheet exactly instead.
                return _scan_xlsx(zf, limits, name, display, True, errors, hidden, escaped)
            bounded = True
        else:
            height, width = _scanned_extent(xml)
        total_cells += height * width
        cells = max(height * width, total_cells)
        if _too_big(name, "", height, cells, limits) is not None:
            if bounded:  # an earlier sheet's bound, not its cells, may have tipped the total
                return _scan_xlsx(zf, limits, name, display, True, errors, hidden, escaped)
            raise _too_big(name, sheet_name(part), height, cells, limits)
        if errors is not None and _ERROR_TYPE.search(xml):  # error values, shown as written
            errors[sheet_name(part)] = _error_cells(xml)
        if hidden is not None and _contains(xml, _HIDDEN, b"h", 0) and (rows := _hidden_rows(xml)):
            hidden[sheet_name(part)] = rows
        if escaped is not None and WIDE_ESCAPE.search(xml):
            escaped.add(part)  # inline strings calamine leaves escaped (`ooxml.unescape`)
        if len(xml) <= FORMULA_SCAN_BYTES and _contains(xml, _FORMULA, b"f", 1):
            sheet = sheet_name(part)
            for ref in _NO_VALUE_FORMULA.findall(xml):
                ref = ref.decode()
                row = int(re.sub(r"[A-Z]", "", ref))
                issues.append(
                    Issue(
                        display,
                        sheet,
                        row,
                        re.sub(r"[0-9]", "", ref),
                        "warning",
                        IssueCode.FORMULA_NO_VALUE,
                        message_text("formula_no_value", file=display, sheet=sheet, ref=ref),
                    )
                )
    return issues


def _active_content(zf: zipfile.ZipFile, display: str) -> list[Issue]:
    """Warnings for macros and links to other workbooks: never run or fetched, cached values used."""
    members = zf.namelist()
    issues = []
    if "xl/vbaProject.bin" in members:
        issues.append(
            Issue(
                display,
                "",
                None,
                "",
                "warning",
                IssueCode.MACRO_IGNORED,
                message_text("macro_ignored", file=display),
            )
        )
    if any(m.startswith("xl/externalLinks/") for m in members):
        issues.append(
            Issue(
                display,
                "",
                None,
                "",
                "warning",
                IssueCode.EXTERNAL_LINK_IGNORED,
                message_text("external_link_ignored", file=display),
            )
        )
    return issues


_ODS_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def _scan_ods(
    zf: zipfile.ZipFile, limits: Limits, name: str, hidden: dict[str, set[int]] | None = None
) -> dict[str, list[tuple[int, int, int, int]]]:
    """Bound each table's extent (repeated rows/cells that hold values) and collect merged
    ranges; rows hidden (collapsed or filtered) that hold values go into `hidden`."""
    from defusedxml import ElementTree as SafeET  # entities are refused, never expanded

    t = "{" + _ODS_NS["table"] + "}"
    office_type = "{" + _ODS_NS["office"] + "}value-type"
    info = zf.getinfo("content.xml")
    xml = _read_member(zf, info, name)
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    total_cells = 0
    try:
        table_name, row, extent_rows, extent_cols = "", 0, 0, 0
        for event, el in SafeET.iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = el.tag
            if event == "start" and tag == t + "table":
                table_name, row, extent_rows, extent_cols = el.get(t + "name", ""), 0, 0, 0
                merged[table_name] = []
            elif event == "end" and tag == t + "table-row":
                repeat = int(el.get(t + "number-rows-repeated", "1"))
                col, filled = 0, False
                for cell in el:
                    if cell.tag not in (t + "table-cell", t + "covered-table-cell"):
                        continue
                    span = int(cell.get(t + "number-columns-repeated", "1"))
                    if cell.get(office_type) is not None or len(cell):
                        extent_rows, extent_cols = row + repeat, max(extent_cols, col + span)
                        filled = True
                    cols_spanned = int(cell.get(t + "number-columns-spanned", "1"))
                    rows_spanned = int(cell.get(t + "number-rows-spanned", "1"))
                    if cols_spanned > 1 or rows_spanned > 1:
                        merged[table_name].append(
                            (row, col, row + rows_spanned - 1, col + cols_spanned - 1)
                        )
                    col += span
                if (
                    filled
                    and hidden is not None
                    and el.get(t + "visibility", "visible") != "visible"
                ):
                    hidden.setdefault(table_name, set()).update(range(row, row + min(repeat, 1000)))
                row += repeat
                el.clear()
            elif event == "end" and tag == t + "table":
                total_cells += extent_rows * extent_cols
                error = _too_big(name, table_name, extent_rows, max(total_cells, 0), limits)
                if error:
                    raise error
                el.clear()
    except FileRejected:
        raise
    except Exception as exc:  # defusedxml refuses entities; broken XML is corrupt too
        raise _reject_unreadable(name, error_detail(exc)) from None
    return merged


# --- workbook --------------------------------------------------------------------------


def _grid(sheet: pc.CalamineSheet) -> list[list[object]]:
    """The sheet from A1 (true positions), '' cells as None."""
    rows = sheet.to_python(skip_empty_area=False)
    for row in rows:  # fresh lists: blanks replaced in place, found by C-level scans
        n = row.count("")  # (counted first: no ValueError raised at each row's end)
        if n:
            k = row.index("")
            row[k] = None
            while n > 1:  # (no range object for the usual single blank)
                k = row.index("", k + 1)
                row[k] = None
                n -= 1
    return rows


def _merged(sheet: pc.CalamineSheet) -> list[tuple[int, int, int, int]]:
    ranges = sheet.merged_cell_ranges or []
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]


def rust_panic(exc: BaseException) -> bool:
    """Whether `exc` is a panic inside calamine (Rust) on a damaged file ("range end index 2
    out of range"): pyo3 raises it as PanicException, a BaseException that `except
    Exception` lets through, up to the run itself."""
    return type(exc).__name__ == "PanicException"


def _calamine_error(exc: BaseException, name: str) -> FileRejected:
    if (
        isinstance(exc, pc.PasswordError)
        or "password" in str(exc).lower()
        or "encrypt" in str(exc).lower()
    ):
        return _password(name)
    if isinstance(exc, pc.XmlError) and "entity" in str(exc).lower():
        return FileRejected(
            IssueCode.HOSTILE_XML,
            message_text("hostile_xml", file=name),
        )
    return _reject_unreadable(name, error_detail(exc))


def _open_book(data: bytes, path: Path) -> pc.CalamineWorkbook:
    """calamine on the bytes already read; on failure, once more from the path for the precise error.

    (From bytes calamine guesses the format and reports an encrypted .xls only as
    "Cannot detect file format"; from the path it raises PasswordError.)
    """
    try:
        return pc.load_workbook(io.BytesIO(data))
    except pc.CalamineError:
        return pc.CalamineWorkbook.from_path(str(path))


@gc_paused
def read_workbook(
    path: Path, limits: Limits | None = None, display_name: str | None = None
) -> Workbook:
    """Every sheet of a submission file as cell grids; raises FileRejected with a Chinese reason."""
    path = Path(path)
    limits = limits or Limits()
    name = display_name or path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise _reject_unreadable(name, message_text("detail_no_access")) from None
    if size > limits.max_file_bytes:
        raise FileRejected(
            IssueCode.TOO_LARGE,
            message_text(
                "too_large", file=name, size_mb=size / 2**20, limit_mb=limits.max_file_bytes / 2**20
            ),
        )
    with path.open("rb") as fh:  # read-only, once
        # The size just checked and one byte more, on to the limit if the file grew
        # since: read(n) allocates n bytes before reading (the 50 MiB limit took
        # ~35 us a file, ~10 ms over the scaled round's 300 files).
        data = fh.read(size + 1)
        if len(data) > size:
            data += fh.read(limits.max_file_bytes + 1 - len(data))
    zips: list[zipfile.ZipFile] = []  # the spreadsheet's zip, opened once for every use
    try:
        return _read_workbook(data, path, name, limits, zips)
    finally:
        for zf in zips:
            zf.close()


def _read_workbook(
    data: bytes, path: Path, name: str, limits: Limits, zips: list[zipfile.ZipFile]
) -> Workbook:
    """`read_workbook` once the file's bytes are read."""
    biff: list[bytes] = []  # a legacy workbook's stream, taken from its container once
    fmt, decoded = _format_and_text(data, path, name, zips, biff)
    if fmt == "csv":
        sheets, undecodable = _read_csv(decoded, path, name)
        error = _too_big(
            name, path.stem, len(sheets[0].rows), sum(map(len, sheets[0].rows)), limits
        )
        if error:
            raise error
        _check_width(name, sheets)
        issues = _undecodable_issue(name, sheets[0].rows) if undecodable else []
        return Workbook(path=path, format="csv", sheets=sheets, issues=issues)
    if fmt in ("html", "xml2003"):
        sheets = _read_markup(fmt, decoded[0], path, name, limits)
        _check_width(name, sheets)
        return Workbook(path=path, format=fmt, sheets=sheets)

    issues: list[Issue] = []
    ods_merged: dict[str, list[tuple[int, int, int, int]]] = {}
    error_cells: dict[str, dict[tuple[int, int], str]] = {}
    hidden_rows: dict[str, set[int]] = {}
    escaped: set[str] = set()
    if fmt in ("xlsx", "xlsm", "xlsb", "ods"):
        try:
            zf = zips[0]
            _check_zip(zf, limits, name)
            if fmt in ("xlsx", "xlsm"):
                issues = _active_content(zf, name) + _scan_xlsx(
                    zf, limits, name, name, errors=error_cells, hidden=hidden_rows, escaped=escaped
                )
            elif fmt == "ods":
                ods_merged = _scan_ods(zf, limits, name, hidden=hidden_rows)
        except FileRejected:
            raise
        except (*ZIP_ERRORS, KeyError) as exc:
            raise _reject_unreadable(name, error_detail(exc)) from None

    if fmt == "xls" and biff:
        _scan_xls(biff[0], limits, name)
    try:
        with _panics_unprinted():
            sheets = _calamine_sheets(data, path, name, limits, fmt, ods_merged)
    except FileRejected:
        raise
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise _calamine_error(exc, name) from None
    except BaseException as exc:
        if not rust_panic(exc):
            raise
        raise _calamine_error(exc, name) from None
    if fmt in ("xlsx", "xlsm"):
        _unescape_wide(zips[0], escaped, sheets)
    # {} unless some style strikes text through
    stream = biff[0] if biff else None
    struck = styles.struck_cells(fmt, data, zips[0] if zips else None, stream)
    if fmt == "xls":
        hidden_rows = styles.xls_hidden_rows(data, stream)
    for sheet in sheets:
        sheet.struck = struck.get(sheet.name, sheet.struck)
        for (r, c), text in error_cells.get(sheet.name, {}).items():
            if r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] is None:
                sheet.rows[r][c] = text  # "#N/A": a message names it, not a silent blank
        if sheet.name in hidden_rows and not sheet.hidden:
            issues += _hidden_rows_issue(name, sheet, hidden_rows[sheet.name])
    return Workbook(path=path, format=fmt, sheets=sheets, issues=issues)


def _calamine_sheets(
    data: bytes, path: Path, name: str, limits: Limits, fmt: str,
    ods_merged: dict[str, list[tuple[int, int, int, int]]],
) -> list[Sheet]:  # fmt: skip
    """The workbook's worksheets as read by calamine, within the limits."""
    sheets: list[Sheet] = []
    total_cells = 0
    book = _open_book(data, path)
    metadata = book.sheets_metadata
    if len(metadata) > limits.max_sheets:
        raise FileRejected(
            IssueCode.TOO_LARGE,
            message_text(
                "too_many_sheets", file=name, sheets=len(metadata), limit=limits.max_sheets
            ),
        )
    for meta in metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        height, width = (
            sheet.end[0] + 1 if sheet.end else 0,
            sheet.end[1] + 1 if sheet.end else 0,
        )
        total_cells += height * width
        error = _too_big(name, meta.name, height, max(total_cells, 0), limits)
        if error:
            raise error
        sheets.append(
            Sheet(
                name=meta.name,
                rows=_grid(sheet),
                hidden=meta.visible != pc.SheetVisibleEnum.Visible,
                merged=ods_merged.get(meta.name, []) if fmt == "ods" else _merged(sheet),
            )
        )
    return sheets


@contextlib.contextmanager
def _panics_unprinted():
    """calamine's panics on a damaged file kept off the analyst's console.

    Rust prints a panic's message ("thread '<unnamed>' panicked at …xls.rs:606:29") on
    the process's standard error (descriptor 2, not `sys.stderr`) before pyo3 raises it;
    the file is then refused with a Chinese message like any damaged one. So while
    calamine reads, descriptor 2 goes to the null device. Nothing else in the ingest
    writes there meanwhile (the console lines go to stdout, after the file is read).
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (AttributeError, OSError, ValueError):  # no standard error to keep quiet
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _unescape_wide(zf: zipfile.ZipFile, escaped: set[str], sheets: list[Sheet]) -> None:
    """Cells whose text holds an `_xHHHH_` escape above _x00FF_, which calamine leaves as
    written, given the text Excel shows (`ooxml.wide_escaped_cells`); any error leaves
    the text as calamine read it."""
    try:
        found = wide_escaped_cells(zf, escaped)
    except Exception:  # noqa: BLE001 - a refinement of text already read
        return
    for sheet in sheets:
        for (r, c), text in found.get(sheet.name, {}).items():
            if r < len(sheet.rows) and c < len(sheet.rows[r]) and isinstance(sheet.rows[r][c], str):
                sheet.rows[r][c] = text


def _hidden_rows_issue(display: str, sheet: Sheet, hidden: set[int]) -> list[Issue]:
    """One warning naming the hidden rows of a visible sheet that hold anything: they are
    read and counted like any other row (a filter hides rows too), but the analyst, who
    would not see them in Excel, is told."""
    from analysis.tables import blank

    rows = [
        r for r in sorted(hidden) if r < len(sheet.rows) and not all(map(blank, sheet.rows[r]))
    ]  # fmt: skip
    if not rows:
        return []
    shown = _rows_shown([r + 1 for r in rows])
    return [
        Issue(display, sheet.name, rows[0] + 1, "", "warning", IssueCode.ROWS_HIDDEN,
              message(IssueCode.ROWS_HIDDEN, file=display, sheet=sheet.name, rows=shown))
    ]  # fmt: skip
