"""Sorting what units sent: spreadsheets go on to the ingest, archives are opened, materials kept.

`sort_received(files, raw_dir, limits)` is the step the file discovery's list goes
through before the ingest reads it: it returns the spreadsheet files to read (archive
members among them, as `MemberFile` paths in a temporary folder, named
`ARCHIVE/MEMBER` in every table) and an `Intake` holding the materials (photos,
documents, videos) and the archives' problems. Nothing is written under RAW.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from analysis import archives
from analysis.campaign import Limits
from analysis.filenames import MAX_NAME_CHARS, disk_path, shown_name, windows_name
from analysis.materials import detect
from analysis.messages import message_text
from analysis.model import Issue, IssueCode
from analysis.submissions import skipped_because, skipped_message


class MemberFile(type(Path())):  # type: ignore[misc]
    """A spreadsheet from an archive, written to a temporary folder; `rel` is its ledger name."""

    rel: str

    @classmethod
    def at(cls, path: Path, rel: str) -> MemberFile:
        member = cls(path)
        member.rel = rel
        return member


@dataclass
class Received:
    """One photo, document or video: loose (`path`) or from an archive (`data`)."""

    rel: str
    kind: detect.Kind
    size: int
    path: Path | None = None
    data: bytes | None = None
    told: bool = False  # unreadable, and already said so (an archive member it could not unpack)

    def read(self, limit: int) -> bytes | None:
        """The file's bytes; None when it is over `limit` (listed, never read)."""
        if self.size > limit:
            return None
        if self.data is not None:
            return self.data
        assert self.path is not None
        with self.path.open("rb") as fh:
            return fh.read(limit + 1)


@dataclass
class Intake:
    """The materials found, the archives' problems, and the temporary folder of archive members."""

    materials: list[Received] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory | None = None
    _count: int = 0

    def member_file(self, rel: str, data: bytes) -> MemberFile:
        """Write an archive's spreadsheet to the temporary folder (removed with this object)."""
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="analysis-archive-")
        self._count += 1
        folder = Path(self._tmp.name) / str(self._count)
        folder.mkdir()
        # A member's name may hold what Windows refuses (“报送表?.xlsx” zipped on a Mac)
        # or be longer than a file system allows (255 bytes on Linux: 64 emoji): the copy
        # gets a legal, short name; `rel` keeps the name as written for every message.
        path = folder / _copy_name(PurePosixPath(rel).name)
        path.write_bytes(data)
        return MemberFile.at(path, rel)

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


# A temporary copy's name in UTF-8 bytes: under every file system's limit (255 bytes).
COPY_NAME_BYTES = 200
_SUFFIX_CHARS = 16  # a longer "suffix" is part of the name, not a file type


def _copy_name(name: str) -> str:
    """`name` as a temporary copy's file name: legal on Windows (`windows_name`), its
    suffix kept, at most COPY_NAME_BYTES bytes however many bytes its characters take."""
    suffix = PurePosixPath(name).suffix
    suffix = "." + windows_name(suffix[1:]) if 1 < len(suffix) <= _SUFFIX_CHARS else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    chars = MAX_NAME_CHARS
    copy = windows_name(stem, chars, suffix)
    while len(copy.encode("utf-8")) > COPY_NAME_BYTES:
        chars -= 4
        copy = windows_name(stem, chars, suffix)
    return copy


def _text_report(path: PurePosixPath | Path, suffix: str, head: bytes | None = None) -> bool:
    """A .txt that is a written report or note, not a table saved as text.

    Its name says so (总结, 小结, 情况汇报 …), or its first lines are prose: no two of
    them split alike into columns (说明.txt, readme.txt beside the workbooks).
    `head` is the file's first bytes; without them only the name decides.
    """
    if suffix != ".txt":  # documents (and defusedxml) imported only for a .txt
        return False
    from analysis.materials.documents import names_a_report, reads_as_prose

    return names_a_report(path.stem) or (head is not None and reads_as_prose(head))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _head(path: Path, n: int = 4096) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


_TEXT_HEAD = 8192  # bytes of a .txt read to tell a note from a table


def _head_or_none(path: Path) -> bytes | None:
    try:
        return _head(path, _TEXT_HEAD)
    except OSError:
        return None  # the ingest reports the file it cannot read


def _classify(path: Path, head: bytes, suffix: str, limits: Limits) -> detect.Kind:
    """A loose file's kind: first bytes; a zip's member list; an OLE2 file's directory."""
    kind = detect.from_head(head[: detect.HEAD_BYTES])
    if kind.group == "zip":
        return detect.from_zip(path)  # reads the central directory only
    if kind.group == "ole2":
        with path.open("rb") as fh:
            return detect.from_ole2(fh.read(limits.max_material_bytes), suffix)
    return kind


def _route(kind: detect.Kind, suffix: str) -> str:
    """Where a file goes: `submission`, `archive` or `material`."""
    named = detect.named_as(suffix)
    if named == "spreadsheet" or kind.group == "spreadsheet":
        return "submission"  # by name as before, so a .docx saved as .xlsx stays rejected
    if kind == detect.DAMAGED_ZIP:  # a cut-off .docx is a damaged document, a .zip an archive
        return "material" if detect.damaged_material(kind, suffix) else "archive"
    if kind.group == "archive":
        return "archive"
    if kind.group in ("photo", "document", "video"):
        return "material"
    if named in ("photo", "document", "video"):
        return "material"  # unreadable as what its name says: listed, rejected with a message
    if named == "archive":
        return "archive"
    return "submission"


# One volume of a split archive: x.z01 … x.zip (WinZip, 7-Zip's "split to volumes" of a
# zip), x.zip.001 / x.7z.001 …, x.part1.rar …, x.r00 ….
_VOLUME = re.compile(r"\.(?:z\d{2,3}|(?:zip|7z|rar)\.\d{3}|part\d+\.rar|r\d{2})$", re.IGNORECASE)


def split_volume(path: Path) -> bool:
    """Whether `path` is one volume of a split archive (the last volume of a split zip,
    named .zip, by its sibling .z01)."""
    if _VOLUME.search(path.name):
        return True
    if path.suffix.lower() != ".zip":
        return False
    stem = path.name[: -len(path.suffix)]
    return any(path.with_name(stem + s).exists() for s in (".z01", ".Z01"))


def sort_received(files: list[Path], raw_dir: Path, limits: Limits) -> tuple[list[Path], Intake]:
    """The files the spreadsheet ingest reads (path order, archive members included) and the rest."""
    intake = Intake()
    keep: list[tuple[str, Path]] = []
    for path in files:
        rel = shown_name(path.relative_to(raw_dir).as_posix())
        suffix = path.suffix.lower()
        if split_volume(path):  # no volume can be read alone: one message each, no guessing
            intake.issues.append(archives._issue(rel, IssueCode.ARCHIVE_SPLIT, archive=rel))
            continue
        if _text_report(path, suffix, _head_or_none(path) if suffix == ".txt" else None):
            intake.materials.append(
                Received(rel, detect.Kind("document", "txt"), _size(path), path=path)
            )
            continue
        if detect.named_as(suffix) == "spreadsheet":
            keep.append((rel, path))
            continue
        try:
            size = path.stat().st_size
            head = _head(path)
            kind = _classify(path, head, suffix, limits)
        except OSError:
            keep.append((rel, path))  # the ingest reports the file it cannot read
            continue
        where = _route(kind, suffix)
        if where == "submission":
            keep.append((rel, path))
        elif where == "material":
            intake.materials.append(Received(rel, kind, size, path=path))
        else:
            intake.archives.append(rel)
            if size > limits.max_archive_bytes:
                intake.issues.append(archives._issue(rel, IssueCode.ARCHIVE_TOO_LARGE, archive=rel,
                                                     member=message_text("detail_whole_archive"),
                                                     limit_mb=limits.max_archive_bytes // 2**20))  # fmt: skip
                continue
            expanded = archives.expand(path.read_bytes(), rel, limits)
            intake.issues += expanded.issues
            members = [m for m in expanded.members if "__MACOSX" not in PurePosixPath(m.rel).parts]
            if not members and not expanded.issues:  # nothing in it: say so, or it vanishes
                empty = archives._issue(rel, IssueCode.ARCHIVE_EMPTY, archive=rel)
                intake.issues.append(dataclasses.replace(empty, severity="warning"))
            for member in expanded.members:
                _sort_member(member, intake, keep, limits)
            for unread in expanded.unread:  # a damaged photo is still a photo received
                name = PurePosixPath(unread)
                if "__MACOSX" not in name.parts and skipped_because(name.name) is None \
                        and detect.named_as(name.suffix) in ("photo", "document", "video"):  # fmt: skip
                    intake.materials.append(
                        Received(unread, detect.UNREAD_MEMBER, 0, data=b"", told=True)
                    )
    keep.sort(key=lambda item: item[0])
    intake.materials.sort(key=lambda m: m.rel)
    return [p for _, p in keep], intake


def _sort_member(member: archives.Member, intake: Intake, keep: list, limits: Limits) -> None:
    name = PurePosixPath(member.rel)
    parts = name.parts
    if any(p == "__MACOSX" for p in parts):
        return  # macOS resource forks: not files anyone sent
    why = skipped_because(name.name)  # Thumbs.db, desktop.ini, .DS_Store among them
    if why is not None:
        intake.issues.append(
            Issue(member.rel, "", None, "", "warning", IssueCode.FILE_SKIPPED,
                  skipped_message(why, member.rel, in_archive=True))
        )  # fmt: skip
        return
    suffix = name.suffix.lower()
    kind = detect.identify(member.data, suffix)
    where = _route(kind, suffix)
    if _text_report(name, suffix, member.data[:_TEXT_HEAD]):
        kind, where = detect.Kind("document", "txt"), "material"
    if where == "material":
        intake.materials.append(Received(member.rel, kind, len(member.data), data=member.data))
    else:  # spreadsheets, and anything unknown: the spreadsheet readers say what it is
        keep.append((member.rel, intake.member_file(member.rel, member.data)))


class MaterialReader:
    """The bytes of a material named as in materials.csv, loose or inside an archive.

    Each archive is expanded once (within the same limits as the ingest) and kept
    for the next material from it.
    """

    def __init__(self, raw_dir: Path, limits: Limits):
        self.raw_dir, self.limits = Path(raw_dir), limits
        self._archives: dict[str, dict[str, bytes]] = {}

    def read(self, rel: str) -> bytes | None:
        """The file's bytes; None when it is gone, over the size limit or not in its archive."""
        parts = PurePosixPath(rel).parts
        for i in range(1, len(parts)):
            head = "/".join(parts[:i])
            path = disk_path(self.raw_dir, head)
            if path.is_file():  # the first existing file on the way is the outer archive
                if head not in self._archives:
                    if path.stat().st_size > self.limits.max_archive_bytes:
                        return None
                    found = archives.expand(path.read_bytes(), head, self.limits)
                    self._archives[head] = {m.rel: m.data for m in found.members}
                return self._archives[head].get(rel)
        path = disk_path(self.raw_dir, rel)  # a GBK-named file is listed by its shown name
        try:
            if path.stat().st_size > self.limits.max_material_bytes:
                return None
            return path.read_bytes()
        except OSError:
            return None
