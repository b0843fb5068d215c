"""What a received file is, from its first bytes: a spreadsheet, an archive or a material.

The format is decided by content, as for spreadsheets (readers.py), with one
exception kept from before materials were read: a file *named* as a spreadsheet
(.xlsx, .xls, .csv …) is always a submission, so that a Word document saved as
.xlsx stays a rejected submission with its message.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from analysis.archives import ARCHIVE_SUFFIXES, archive_format
from analysis.model import ZIP_ERRORS

SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xlsb", ".xls", ".xlt", ".xltx", ".et", ".ett", ".ods", ".csv", ".txt"}
)
PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
)
DOCUMENT_SUFFIXES = frozenset(
    {".docx", ".doc", ".wps", ".pdf", ".odt", ".rtf", ".pptx", ".ppt", ".ofd"}
)
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".3gp", ".wmv", ".mkv", ".flv"})
HEAD_BYTES = 64  # enough for every signature below; zips are looked into separately

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"qt  ", b"M4V ",
                 b"M4VP", b"avc1", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"mmp4", b"dash", b"MSNV",
                 b"XAVC", b"f4v "}  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """`group` is spreadsheet, archive, photo, document, video or unknown; `format` the file type."""

    group: str
    format: str


UNKNOWN = Kind("unknown", "")
# A file that begins like a zip but cannot be opened as one: an Office file or a zip cut
# off in transfer. Its name says which (a damaged .docx is a document, not an archive).
DAMAGED_ZIP = Kind("damaged", "zip")
# An archive member that could not be taken out (damaged, encrypted, an unknown method):
# its name says what it is; the archive's message already says why.
UNREAD_MEMBER = Kind("unread", "")


def from_head(head: bytes) -> Kind:
    """The kind of file from its first bytes alone (zips need `from_zip` to say more)."""
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("photo", "jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("photo", "png")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Kind("photo", "gif")
    if head.startswith(b"BM") and len(head) >= 18 and head[14] in (12, 40, 52, 56, 64, 108, 124):
        return Kind("photo", "bmp")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind("photo", "webp")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Kind("video", "avi")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Kind("photo", "tiff")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return Kind("photo", "heif")
        if brand in _VIDEO_BRANDS or brand.startswith(b"3g"):
            return Kind("video", "mov" if brand == b"qt  " else "mp4")
        return Kind("video", "mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Kind("video", "mkv")
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return Kind("video", "wmv")
    if head.startswith(b"FLV"):
        return Kind("video", "flv")
    if head.startswith(b"%PDF"):
        return Kind("document", "pdf")
    if head.startswith(b"{\\rtf"):
        return Kind("document", "rtf")
    fmt = archive_format(head)
    if fmt and fmt != "zip":
        return Kind("archive", fmt)
    if fmt == "zip":
        return Kind("zip", "zip")  # to be looked into
    if head.startswith(OLE2_MAGIC):
        return Kind("ole2", "ole2")  # to be looked into
    return UNKNOWN


def from_zip(data_or_file) -> Kind:
    """A zip's kind from its member list: an Office file or a plain archive."""
    try:
        with zipfile.ZipFile(data_or_file) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
    except (*ZIP_ERRORS, KeyError):
        return DAMAGED_ZIP  # what its name says: a damaged document, or a damaged archive
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or b"spreadsheet" in mimetype:
        return Kind("spreadsheet", "xlsx")
    if "word/document.xml" in names:
        return Kind("document", "docx")
    if "OFD.xml" in names:  # GB/T 33190, the fixed-layout format of official documents
        return Kind("document", "ofd")
    if b"opendocument.text" in mimetype:
        return Kind("document", "odt")
    if "ppt/presentation.xml" in names or b"presentation" in mimetype:
        return Kind("document", "pptx")
    return Kind("archive", "zip")


def from_ole2(data: bytes, suffix: str) -> Kind:
    """An OLE2 compound file: a Word/WPS document, a spreadsheet, or (by name) a document."""
    from analysis.readers import _ole_stream_names

    streams = _ole_stream_names(data)
    if "EncryptedPackage" in streams and suffix in DOCUMENT_SUFFIXES:
        return Kind("document", "encrypted")  # a password-protected .docx/.pptx: Office's wrapper
    if {"Workbook", "Book"} & streams:
        return Kind("spreadsheet", "xls")
    if "WordDocument" in streams:
        return Kind("document", "wps" if suffix == ".wps" else "doc")
    if "PowerPoint Document" in streams:
        return Kind("document", "ppt")
    if suffix in DOCUMENT_SUFFIXES:
        return Kind("document", suffix.lstrip("."))
    return UNKNOWN


def identify(data: bytes, suffix: str) -> Kind:
    """The kind of a file whose bytes (or at least its first 64 KiB for non-zips) are `data`."""
    kind = from_head(data[:HEAD_BYTES])
    if kind.group == "zip":
        return from_zip(io.BytesIO(data))
    if kind.group == "ole2":
        return from_ole2(data, suffix)
    return kind


def damaged_material(kind: Kind, suffix: str) -> bool:
    """Whether a file that cannot be opened is a damaged photo, document or video by its
    name (a .docx cut off in transfer), rather than a damaged archive."""
    return kind == DAMAGED_ZIP and named_as(suffix) in ("photo", "document", "video")


def named_as(suffix: str) -> str:
    """The group a file's name suggests (photo, document, video, archive, spreadsheet or '')."""
    for group, suffixes in (("spreadsheet", SPREADSHEET_SUFFIXES), ("photo", PHOTO_SUFFIXES),
                            ("document", DOCUMENT_SUFFIXES), ("video", VIDEO_SUFFIXES),
                            ("archive", ARCHIVE_SUFFIXES)):  # fmt: skip
        if suffix.lower() in suffixes:
            return group
    return ""
