"""Small readers of OOXML package parts shared by the sheet reader and the style scan."""

from __future__ import annotations

import html
import re
import zipfile

from analysis.model import ZIP_ERRORS

_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def sheet_parts(zf: zipfile.ZipFile, members: set[str]) -> dict[str, str]:
    """Worksheet part path -> sheet name, from workbook.xml and its relationships."""
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = (
            zf.read("xl/_rels/workbook.xml.rels")
            if "xl/_rels/workbook.xml.rels" in members
            else b""
        )
    except (KeyError, *ZIP_ERRORS):
        return {}
    targets: dict[bytes, str] = {}
    for match in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get(b"Id", b"")] = target
    parts: dict[str, str] = {}
    for match in _SHEET_ENTRY.finditer(workbook):
        attrs = dict(_ATTR.findall(match.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if rid in targets:
            parts[targets[rid]] = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
    return parts


# --- _xHHHH_ escapes of cell text ------------------------------------------------------
#
# ECMA-376 (Part 1, 22.4.2.4 bstr; 22.9.2.19 ST_Xstring): in shared and inline strings
# `_xHHHH_` stands for the UTF-16 code unit HHHH, and `_x005F_` for an underscore that
# would otherwise begin one (`_x005F_x0041_` is the text `_x0041_`). Excel writes
# characters XML cannot hold this way (`_x0001_`, `_xFFFE_`) and shows the character.
# python-calamine decodes only `_x0000_`..`_x00FF_` and leaves every higher one as
# written, so those cells are read again here from the XML.

# An escape above _x00FF_ (what calamine leaves as written): a cheap test of a part.
WIDE_ESCAPE = re.compile(rb"_x(?!00)[0-9A-Fa-f]{4}_")
_WIDE_ESCAPE_TEXT = re.compile(r"_x(?!00)[0-9A-Fa-f]{4}_")
_ESCAPE = re.compile(
    r"_x([Dd][89ABab][0-9A-Fa-f]{2})__x([Dd][C-Fc-f][0-9A-Fa-f]{2})_|_x([0-9A-Fa-f]{4})_"
)


def _escaped_char(match: re.Match) -> str:
    if match.group(1):  # a surrogate pair: one character beyond the BMP
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    code = int(match.group(3), 16)
    if 0xD800 <= code <= 0xDFFF:
        return match.group(0)  # a lone surrogate is no character: kept as written
    return chr(code)


def unescape(text: str) -> str:
    """Cell text with every `_xHHHH_` escape decoded, left to right (ST_Xstring)."""
    return _ESCAPE.sub(_escaped_char, text) if "_x" in text else text


_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.DOTALL)
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.DOTALL)
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")
_STRING_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(?:(?!</(?:\w+:)?c>|<(?:\w+:)?c\b).)*?"
    rb"(?:<(?:\w+:)?v>([0-9]{1,9})</(?:\w+:)?v>|<(?:\w+:)?is>(.*?)</(?:\w+:)?is>)",
    re.DOTALL,
)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')


def _string_text(xml: bytes) -> str:
    """The text of a string item (<si> or <is>): its runs' <t>, phonetic runs left out."""
    body = _PHONETIC.sub(b"", xml)
    return html.unescape(b"".join(t or b"" for t in _TEXT.findall(body)).decode("utf-8"))


def _shared_strings_part(zf: zipfile.ZipFile, members: set[str]) -> str | None:
    """The shared strings part: xl/sharedStrings.xml as a rule, else where the workbook's
    relationships put it (read only then); None for a workbook without one."""
    if "xl/sharedStrings.xml" in members:
        return "xl/sharedStrings.xml"
    if not any(m.lower().endswith("sharedstrings.xml") for m in members):
        return None
    try:
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    for match in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        if attrs.get(b"Type", b"").endswith(b"/sharedStrings"):
            target = attrs.get(b"Target", b"").decode("utf-8", "replace")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            return part if part in members else None
    return None


def wide_escaped_cells(
    zf: zipfile.ZipFile, escaped_sheets: set[str] = frozenset()
) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet name: {(row, col), 0-based: text}} of the cells whose string holds an
    escape above _x00FF_, decoded (`unescape`); {} when there is none (the usual case:
    one search of the shared strings). `escaped_sheets`: worksheet parts whose own XML
    holds such an escape (inline strings)."""
    members = set(zf.namelist())
    part = _shared_strings_part(zf, members)
    sst = zf.read(part) if part else b""
    wide: dict[int, str] = {}
    if WIDE_ESCAPE.search(sst):
        for k, item in enumerate(_SI.finditer(sst)):
            text = _string_text(item.group(1) or b"")
            if _WIDE_ESCAPE_TEXT.search(text):
                wide[k] = unescape(text)
    if not wide and not escaped_sheets:
        return {}
    found: dict[str, dict[tuple[int, int], str]] = {}
    for sheet_part, name in sheet_parts(zf, members).items():
        if sheet_part not in members or not (wide or sheet_part in escaped_sheets):
            continue
        cells: dict[tuple[int, int], str] = {}
        for attrs, index, inline in _STRING_CELL.findall(zf.read(sheet_part)):
            kind = _TYPE.search(attrs)
            ref = _REF.search(attrs)
            if kind is None or ref is None:
                continue
            if kind.group(1) == b"s" and index and int(index) in wide:
                text = wide[int(index)]
            elif kind.group(1) == b"inlineStr" and inline and WIDE_ESCAPE.search(inline):
                text = unescape(_string_text(inline))
            else:
                continue
            col = 0
            for ch in ref.group(1):
                col = col * 26 + ch - 64
            cells[(int(ref.group(2)) - 1, col - 1)] = text
        if cells:
            found[name] = cells
    return found
