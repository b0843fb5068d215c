"""Small readers of OOXML package parts shared by the sheet reader and the style scan."""

from __future__ import annotations

import html
import re
import zipfile
import zlib

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
    except (KeyError, zipfile.BadZipFile, zlib.error):
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
