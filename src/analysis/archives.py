"""Archives (.zip, .7z, .rar) expanded in memory, within limits, member by member.

A unit's WeChat or e-mail attachment is often a zip of everything it sends. Its
members are treated as if they sat in a folder named for the archive: the member
`长阳镇/报送表.xlsx` of `submissions/r1/报送材料.zip` is named
`submissions/r1/报送材料.zip/长阳镇/报送表.xlsx` everywhere (the contract's path rule).

Decisions:
- Nothing is written under RAW: members are read into memory (the caller writes the
  spreadsheets among them to a temporary folder for the spreadsheet readers).
- Member names: UTF-8 when flagged so (or given in a Unicode Path extra field); the
  others of one archive in one encoding, as one program wrote them: UTF-8 when all
  are valid UTF-8 and read as such, else GB18030 (Chinese Windows writes GBK without
  the flag; "图片" in GBK happens to be valid UTF-8, "ͼƬ") — `member_names`.
- Limits from the campaign's [limits]: member count, total bytes (counted as they
  are inflated, never from the headers' claims), compression ratio per member.
- Refused with one message each, the rest read: `..` or absolute member paths
  (zip slip), links, encrypted members. An archive inside an archive is expanded
  once; a third level is refused with a message.
- `.rar` needs an external decoder that a fresh machine does not have: one message
  asks the analyst to unpack it.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from analysis.campaign import Limits
from analysis.messages import error_detail, message_text
from analysis.model import ZIP_ERRORS, Issue, IssueCode

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ARCHIVE_SUFFIXES = frozenset({".zip", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz"})
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = b"Rar!\x1a\x07"
# Members at least this big are held to the compression-ratio limit (small text
# members compress extremely well and are harmless).
RATIO_FLOOR_BYTES = 1 << 20
_CHUNK = 1 << 20


def archive_message(code: str, **values: object) -> str:
    return message_text(code, **values)


@dataclass
class Member:
    """One file read from an archive: its ledger name (`ARCHIVE/MEMBER`) and its bytes."""

    rel: str
    data: bytes


@dataclass
class Expanded:
    """What an archive held: its readable members (in member-name order), the problems,
    and the names of the members it could not read (damaged, encrypted …), each already
    told in `issues`: a photo among them is still a photo received."""

    members: list[Member] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


# Zip compression methods zipfile cannot inflate, by number, as archivers name them
# (Deflate64 is 7-Zip's "Deflate64" and what Windows may write for large files).
ZIP_METHODS = {9: "Deflate64", 10: "PKWARE DCL Implode", 6: "Implode", 93: "Zstandard",
               95: "XZ", 96: "JPEG", 97: "WavPack", 98: "PPMd"}  # fmt: skip

# Compressed files this tool does not open (one message asks to unpack them), by their
# first bytes; a tar file by the "ustar" at byte 257 when the head reaches it.
UNSUPPORTED_MAGICS = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz"}
UNSUPPORTED_NAMES = {"gzip": "GZ（.gz、.tar.gz）", "bzip2": "BZ2", "xz": "XZ", "tar": "TAR"}


def archive_format(head: bytes) -> str | None:
    """`zip`, `7z`, `rar` (or gzip, bzip2, xz, tar: not opened) from an archive's first
    bytes; None for anything else."""
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if head.startswith(RAR_MAGIC):
        return "rar"
    for magic, fmt in UNSUPPORTED_MAGICS.items():
        if head.startswith(magic):
            return fmt
    if head[257:262] == b"ustar":
        return "tar"
    return None


def _issue(file: str, code: str, **values: object) -> Issue:
    return Issue(file, "", None, "", "error", code, archive_message(code, **values))


UNICODE_PATH_FIELD = 0x7075  # Info-ZIP: the name in UTF-8 beside a legacy one (7-Zip, WinRAR)


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    """The name's bytes as stored in the archive."""
    if info.flag_bits & 0x800:
        return info.orig_filename.encode("utf-8")
    try:
        return info.orig_filename.encode("cp437")  # how zipfile decoded the bytes
    except UnicodeEncodeError:
        return info.orig_filename.encode("utf-8")


def _unicode_path(info: zipfile.ZipInfo) -> str | None:
    """The UTF-8 name of an Info-ZIP Unicode Path extra field, when it matches this name."""
    extra, pos = info.extra, 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if tag != UNICODE_PATH_FIELD or len(body) < 5 or body[0] != 1:
            continue
        if struct.unpack_from("<I", body, 1)[0] != zlib.crc32(_raw_name(info)):
            continue  # the legacy name was changed after the field was written
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _looks_gbk(raw: bytes, as_utf8: str) -> bool:
    """Whether a name that is valid UTF-8 reads better as GBK: its UTF-8 reading has only
    two-byte characters (Latin, Greek, Cyrillic, Hebrew …: "ͼƬ" for 图片) while its GBK
    reading is Chinese. Chinese in UTF-8 takes three bytes a character."""
    if any(ord(ch) >= 0x800 for ch in as_utf8):
        return False
    try:
        as_gbk = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return all(ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
               for ch in as_gbk)  # fmt: skip


def member_names(infos: list[zipfile.ZipInfo]) -> list[str]:
    """The members' names, decoded the way the archive was written.

    A name flagged UTF-8 (bit 0x800) is UTF-8; a Unicode Path extra field gives the
    name in UTF-8 beside a legacy one. The other names of one archive were written by
    one program in one code page: all UTF-8 when every one of them is valid UTF-8 and
    reads as such, else GBK (GB18030) as Chinese Windows writes them, each name
    falling back to UTF-8 and then to the bytes as zipfile read them.
    """
    names: list[str | None] = []
    legacy: list[tuple[int, bytes, str | None]] = []  # (index, raw bytes, UTF-8 reading)
    for info in infos:
        if info.flag_bits & 0x800:
            names.append(info.filename)
            continue
        unicode_path = _unicode_path(info)
        if unicode_path is not None:
            names.append(unicode_path)
            continue
        raw = _raw_name(info)
        names.append(None if not raw.isascii() else info.filename)
        if not raw.isascii():
            try:
                legacy.append((len(names) - 1, raw, raw.decode("utf-8")))
            except UnicodeDecodeError:
                legacy.append((len(names) - 1, raw, None))
    # Chinese in UTF-8 (three bytes a character) settles it; else no name may read as GBK.
    valid = all(text is not None for _, _, text in legacy)
    chinese = any(ord(ch) >= 0x800 for _, _, text in legacy for ch in text or "")
    utf8 = valid and (chinese or not any(_looks_gbk(raw, text) for _, raw, text in legacy))
    order = ("utf-8", "gb18030") if utf8 else ("gb18030", "utf-8")
    for k, raw, _ in legacy:
        for encoding in order:
            try:
                names[k] = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            names[k] = infos[k].filename
    return names  # every None was a legacy name, decoded above


def safe_member_path(name: str) -> str | None:
    """The member's relative path with `/` separators; None when it escapes (zip slip)."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(text).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class _Budget:
    """Bytes still allowed to be inflated from one top-level archive (shared with nested ones)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit


class _TooLarge(Exception):
    pass


class _RatioExceeded(Exception):
    pass


def expand(data: bytes, rel: str, limits: Limits, depth: int = 0,
           budget: _Budget | None = None) -> Expanded:  # fmt: skip
    """The members of the archive `data` (named `rel`), each named `rel/member`.

    Archive members that are themselves archives are expanded in place when `depth`
    allows (`limits.max_archive_depth` levels below the top one), else refused.
    """
    budget = budget or _Budget(limits.max_archive_bytes)
    if not data:  # an empty file, not a damaged archive
        text = message_text("archive_empty_file", archive=rel)
        return Expanded(issues=[Issue(rel, "", None, "", "error", IssueCode.ARCHIVE_EMPTY, text)])
    fmt = archive_format(data[:264])
    if fmt == "rar":
        return Expanded(issues=[_issue(rel, IssueCode.ARCHIVE_RAR, archive=rel)])
    if fmt in UNSUPPORTED_NAMES:
        return Expanded(issues=[_issue(rel, IssueCode.ARCHIVE_UNSUPPORTED, archive=rel,
                                       format=UNSUPPORTED_NAMES[fmt])])  # fmt: skip
    if fmt == "7z":
        found = _expand_7z(data, rel, limits, budget)
    elif fmt == "zip":
        found = _expand_zip(data, rel, limits, budget)
    else:
        return Expanded(
            issues=[
                _issue(
                    rel,
                    IssueCode.ARCHIVE_CORRUPT,
                    archive=rel,
                    detail=message_text("detail_not_an_archive"),
                )
            ]
        )
    out = Expanded(issues=list(found.issues), unread=list(found.unread))
    for member in found.members:
        if archive_format(member.data[:264]) and not _is_office(member.data) \
                and not _damaged_other(member):  # fmt: skip
            if depth >= limits.max_archive_depth:
                out.issues.append(
                    _issue(member.rel, IssueCode.ARCHIVE_NESTED_TOO_DEEP, archive=member.rel)
                )
                continue
            inner = expand(member.data, member.rel, limits, depth + 1, budget)
            out.members += inner.members
            out.issues += inner.issues
            out.unread += inner.unread
        else:
            out.members.append(member)
    return out


def _damaged_other(member: Member) -> bool:
    """A member that begins like a zip, cannot be opened as one and is named as some other
    file (报告.docx cut off in transfer): that file, damaged, for the caller to tell as what
    its name says; not an archive inside the archive."""
    suffix = PurePosixPath(member.rel).suffix.lower()
    if not suffix or suffix in ARCHIVE_SUFFIXES or not member.data.startswith(ZIP_MAGICS):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(member.data)):
            return False
    except ZIP_ERRORS:
        return True


def _is_office(data: bytes) -> bool:
    """A zip that is an Office/OpenDocument/OFD file (xlsx, docx, ods, ofd …), not an archive."""
    if not data.startswith(ZIP_MAGICS):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except ZIP_ERRORS:
        return False
    return "[Content_Types].xml" in names or "mimetype" in names or "OFD.xml" in names


def _expand_zip(data: bytes, rel: str, limits: Limits, budget: _Budget) -> Expanded:
    out = Expanded()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        out.issues.append(
            _issue(rel, IssueCode.ARCHIVE_CORRUPT, archive=rel, detail=error_detail(exc))
        )
        return out
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        # A folder entry written with a backslash (`照片\`: PowerShell's Compress-Archive,
        # .NET before 4.6.1) is a folder too; told by its decoded name, as a GBK
        # character's second byte may be 0x5C.
        named = sorted(
            ((n, i) for n, i in zip(member_names(infos), infos, strict=True)
             if not n.endswith("\\")),
            key=lambda x: x[0],
        )  # fmt: skip
        if len(named) > limits.max_archive_members:
            out.issues.append(_issue(rel, IssueCode.ARCHIVE_TOO_MANY_MEMBERS, archive=rel,
                                     count=len(named), limit=limits.max_archive_members))  # fmt: skip
            named = named[: limits.max_archive_members]
        named = _last_of_each_name(named, rel, out.issues)
        encrypted = [i for _, i in named if i.flag_bits & 0x1]
        if encrypted and len(encrypted) == len(named):
            out.issues.append(_issue(rel, IssueCode.ARCHIVE_ENCRYPTED, archive=rel))
            out.unread += [f"{rel}/{p}" for n, _ in named if (p := safe_member_path(n))]
            return out
        for name, info in named:
            path = safe_member_path(name)
            shown = f"{rel}/{path or name}"
            if path is None:
                out.issues.append(_issue(shown if path else rel, IssueCode.ARCHIVE_MEMBER_UNSAFE,
                                         archive=rel, member=name))  # fmt: skip
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                out.issues.append(
                    _issue(shown, IssueCode.ARCHIVE_MEMBER_LINK, archive=rel, member=path)
                )
                continue
            if info.flag_bits & 0x1:
                out.issues.append(
                    _issue(shown, IssueCode.ARCHIVE_MEMBER_ENCRYPTED, archive=rel, member=path)
                )
                out.unread.append(shown)
                continue
            try:
                member = _read_zip_member(zf, info, limits, budget)
            except _TooLarge:
                out.issues.append(_issue(rel, IssueCode.ARCHIVE_TOO_LARGE, archive=rel, member=path,
                                         limit_mb=budget.limit // 2**20))  # fmt: skip
                break
            except _RatioExceeded:
                out.issues.append(_issue(shown, IssueCode.ARCHIVE_RATIO, archive=rel, member=path,
                                         limit=limits.max_compression_ratio))  # fmt: skip
                out.unread.append(shown)
                continue
            except NotImplementedError:  # zipfile reads stored, deflate, bzip2 and LZMA only
                method = ZIP_METHODS.get(info.compress_type) or message_text(
                    "detail_zip_method_number", number=info.compress_type
                )
                out.issues.append(_issue(shown, IssueCode.ARCHIVE_MEMBER_METHOD, archive=rel,
                                         member=path, method=method))  # fmt: skip
                out.unread.append(shown)
                continue
            except ZIP_ERRORS as exc:
                out.issues.append(_issue(shown, IssueCode.ARCHIVE_MEMBER_CORRUPT, archive=rel, member=path,
                                         detail=error_detail(exc)))  # fmt: skip
                out.unread.append(shown)
                continue
            out.members.append(Member(shown, member))
    return out


def _last_of_each_name(named: list[tuple[str, zipfile.ZipInfo]], rel: str,
                       issues: list[Issue]) -> list[tuple[str, zipfile.ZipInfo]]:  # fmt: skip
    """One member per name: the last in the archive, which an extraction leaves (a file
    added again under its name, `zip -u`); one error names the copies not read.

    Two members of one name would be two inputs under one ledger name.
    """
    last: dict[str, int] = {}
    count: dict[str, int] = {}
    for k, (name, _) in enumerate(named):
        key = safe_member_path(name) or name
        last[key] = k
        count[key] = count.get(key, 0) + 1
    kept = []
    for k, (name, info) in enumerate(named):
        key = safe_member_path(name) or name
        if last[key] == k:
            kept.append((name, info))
            if count[key] > 1:
                issues.append(_issue(f"{rel}/{key}", IssueCode.ARCHIVE_MEMBER_REPEATED,
                                     archive=rel, member=key, count=count[key]))  # fmt: skip
    return kept


def _read_zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits,
                     budget: _Budget) -> bytes:  # fmt: skip
    """The member's bytes, counted as they inflate: the headers' sizes are not trusted."""
    out = bytearray()
    compressed = max(info.compress_size, 1)
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            out += chunk
            if len(out) > budget.left:
                raise _TooLarge
            if (
                len(out) >= RATIO_FLOOR_BYTES
                and len(out) / compressed > limits.max_compression_ratio
            ):
                raise _RatioExceeded
    budget.left -= len(out)
    return bytes(out)


def _expand_7z(data: bytes, rel: str, limits: Limits, budget: _Budget) -> Expanded:
    import py7zr
    from py7zr import io as pyio

    out = Expanded()

    class Sink(pyio.Py7zIO):
        """A member's bytes in memory, the archive's budget charged as they arrive."""

        def __init__(self):
            self.buffer = bytearray()

        def write(self, s) -> int:
            if len(s) > budget.left:
                raise _TooLarge
            budget.left -= len(s)
            self.buffer += s
            return len(s)

        def read(self, size=None) -> bytes:
            return bytes(self.buffer)

        def seek(self, offset, whence=0) -> int:
            return 0

        def flush(self) -> None:
            return None

        def size(self) -> int:
            return len(self.buffer)

    class Factory(pyio.WriterFactory):
        def __init__(self):
            self.products: dict[str, Sink] = {}

        def create(self, filename: str) -> Sink:
            self.products[filename] = Sink()
            return self.products[filename]

    try:
        with py7zr.SevenZipFile(io.BytesIO(data)) as archive:
            if archive.needs_password():
                out.issues.append(_issue(rel, IssueCode.ARCHIVE_ENCRYPTED, archive=rel))
                return out
            entries = sorted((e for e in archive.list() if not e.is_directory),
                             key=lambda e: e.filename)  # fmt: skip
            if len(entries) > limits.max_archive_members:
                out.issues.append(_issue(rel, IssueCode.ARCHIVE_TOO_MANY_MEMBERS, archive=rel,
                                         count=len(entries), limit=limits.max_archive_members))  # fmt: skip
                entries = entries[: limits.max_archive_members]
            wanted = []
            for entry in entries:
                path = safe_member_path(entry.filename)
                if path is None:
                    out.issues.append(_issue(rel, IssueCode.ARCHIVE_MEMBER_UNSAFE, archive=rel,
                                             member=entry.filename))  # fmt: skip
                elif entry.is_symlink:
                    out.issues.append(_issue(f"{rel}/{path}", IssueCode.ARCHIVE_MEMBER_LINK, archive=rel,
                                             member=path))  # fmt: skip
                else:
                    wanted.append(entry.filename)
            factory = Factory()
            if wanted:
                try:
                    archive.extract(targets=wanted, factory=factory)
                except _TooLarge:
                    out.issues.append(_issue(rel, IssueCode.ARCHIVE_TOO_LARGE, archive=rel,
                                             member=message_text("detail_while_unpacking"), limit_mb=budget.limit // 2**20))  # fmt: skip
                    return out
            for name in wanted:
                sink = factory.products.get(name)
                if sink is not None:
                    out.members.append(
                        Member(f"{rel}/{safe_member_path(name)}", bytes(sink.buffer))
                    )
    except _TooLarge:
        out.issues.append(_issue(rel, IssueCode.ARCHIVE_TOO_LARGE, archive=rel, member=message_text("detail_while_unpacking"),
                                 limit_mb=budget.limit // 2**20))  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - py7zr raises many unrelated types for bad input
        if "password" in str(exc).lower():
            out.issues.append(_issue(rel, IssueCode.ARCHIVE_ENCRYPTED, archive=rel))
        else:
            out.issues.append(
                _issue(rel, IssueCode.ARCHIVE_CORRUPT, archive=rel, detail=error_detail(exc))
            )
    return out
