"""Cell grids written as xlsx, xls, ods and csv with fixed timestamps (same seed, same bytes).

Also the bytes of files no reader can use: a Word document and an encrypted workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

# Fixed times written into every file, so that output bytes depend on the seed only.
FIXED_TIME = dt.datetime(2019, 5, 29, 9, 0, 0)
ZIP_TIME = (2019, 5, 29, 9, 0, 0)


@dataclass
class Grid:
    """A sheet as rows of cell values (None = empty), with merges (0-based, inclusive)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and fixed created/modified dates in core.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    body,
                )
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return out.getvalue()


def _xlsx_bytes(grids: list[Grid]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "Administrator"
    for grid in grids:
        ws = wb.create_sheet(grid.name or "Sheet1")
        for i, row in enumerate(grid.rows, start=1):
            for j, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy/m/d"
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        if grid.hidden:
            ws.sheet_state = "hidden"
        ws.column_dimensions["B"].width = 36
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _write_xlsx(path: Path, grids: list[Grid]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_xlsx_bytes(grids))


def _write_xls(path: Path, grids: list[Grid]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY/M/D")
    for grid in grids:
        ws = wb.add_sheet(grid.name or "Sheet1", cell_overwrite_ok=True)
        for i, row in enumerate(grid.rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(i, j, value, date_style)
                else:
                    ws.write(i, j, value)
        for r1, c1, r2, c2 in grid.merges:
            ws.merge(r1, r2, c1, c2)
        if grid.hidden:
            ws.visibility = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        iso = value.isoformat()
        return f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _write_ods(path: Path, grids: list[Grid]) -> None:
    """A minimal OpenDocument spreadsheet, written by hand: odfpy's output depends on which
    of its modules the process has imported (namespace declarations), so it is not stable."""
    tables = "".join(
        f'<table:table table:name="{escape(g.name or "Sheet1")}">'
        + "".join(
            "<table:table-row>"
            + ("".join(_ods_cell(v) for v in row) or "<table:table-cell/>")
            + "</table:table-row>"
            for row in g.rows
        )
        + "</table:table>"
        for g in grids
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    content = f"{head}<office:document-content {ODS_NS}><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    mime = "application/vnd.oasis.opendocument.spreadsheet"
    manifest = (
        f'{head}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'  # fmt: skip
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), mime)  # stored, first: ODF requires it
        for name, body in (("META-INF/manifest.xml", manifest), ("content.xml", content)):
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, body)
    path.write_bytes(out.getvalue())


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def _write_csv(path: Path, grid: Grid, encoding: str) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in grid.rows:
        writer.writerow([_csv_text(v) for v in row])
    path.write_bytes(
        text.getvalue().encode({"gbk": "gbk", "utf8": "utf-8", "utf8-sig": "utf-8-sig"}[encoding])
    )


def _docx_bytes(text: str) -> bytes:
    """A minimal Word document (the 'report sent as .docx renamed .xlsx' case)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',  # fmt: skip
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',  # fmt: skip
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())
        + "</w:body></w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), body)
    return out.getvalue()


def _encrypted_bytes(rng: np.random.Generator) -> bytes:
    """An OLE2 container with EncryptionInfo/EncryptedPackage streams, as Excel writes for a
    password-protected workbook (agile encryption header; the package is random bytes)."""
    sector = 512
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '  # fmt: skip
        b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '  # fmt: skip
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'  # fmt: skip
    )
    info = struct.pack("<HHI", 4, 4, 0x40) + xml
    info += b"\0" * (4096 - len(info))
    package = struct.pack("<Q", 9000) + rng.integers(0, 256, 8192 - 8, dtype=np.uint8).tobytes()
    n_info, n_pkg = len(info) // sector, len(package) // sector
    fat = [fat_sect, end]
    fat += [2 + i + 1 for i in range(n_info - 1)] + [end]
    fat += [2 + n_info + i + 1 for i in range(n_pkg - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(
        name: str, kind: int, left: int, right: int, child: int, start: int, size: int
    ) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            raw,
            len(raw),
            kind,
            1,
            left,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    directory = (
        entry("Root Entry", 5, nostream, nostream, 1, end, 0)
        + entry("EncryptionInfo", 2, nostream, 2, nostream, 2, len(info))
        + entry("EncryptedPackage", 2, nostream, nostream, nostream, 2 + n_info, len(package))
        + entry("", 0, nostream, nostream, nostream, 0, 0)
    )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    return header + struct.pack("<128I", *fat) + directory + info + package
