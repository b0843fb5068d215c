"""Names of the files and folders the project writes, legal on Windows.

The analyst's PC is usually Windows. A name taken from data (a roster's unit
name, a campaign's round code) may hold characters Windows refuses in a file name
(`\\ / : * ? " < > |` and control characters), end in a dot or a space (which
Windows silently drops), be a reserved device name (`CON`, `PRN`, `AUX`, `NUL`,
`COM1`…`COM9`, `LPT1`…`LPT9`, with or without an extension), or be long enough
to push a path past Windows' 260-character limit (MAX_PATH). `windows_name` turns
any text into a name Windows accepts; every name the project builds from data goes
through it (run folders, templates per unit, their zip and checklist).

Length: a project copied to `C:\\Users\\某某某\\Desktop\\房山区工会统计分析\\` (about 30
characters) writes at most `reports\\templates\\<round>\\<name>.xlsx` below it; with
names of at most `MAX_NAME_CHARS` characters every path stays well under 260
(`DESKTOP_PROJECT` and `windows_path_fits`, which the tests use); lengths are counted
as Windows counts them, in UTF-16 code units (`utf16_length`: an emoji or 𠀀 counts two),
which also keeps a name within the 255 bytes of a Linux file name. A longer name is
cut and given 8 hex digits of a hash of the whole text, so two long names that begin
alike stay different and the same text always gives the same name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

# Characters Windows refuses in a file name: the punctuation below and codes 0-31.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
MAX_NAME_CHARS = 80  # one name (file or folder, suffix included)
MAX_PATH_CHARS = 259  # MAX_PATH is 260 including the terminating NUL
DESKTOP_PROJECT = PureWindowsPath(r"C:\Users\某某某\Desktop\房山区工会统计分析")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def windows_name(text: str, max_chars: int = MAX_NAME_CHARS, suffix: str = "") -> str:
    """`text` (+ `suffix`, e.g. ".xlsx") as a file or folder name that Windows accepts.

    Forbidden characters become `_`; leading dots and spaces and trailing dots and
    spaces are dropped; a reserved device name gets a `_` (`CON` -> `CON_`); an
    empty result is `_`. A name longer than `max_chars` (suffix included) is cut
    and ends in `~` and 8 hex digits of a hash of `text`. Names that are already
    legal and short are returned unchanged.
    """
    name = _FORBIDDEN.sub("_", str(text)).lstrip(" .").rstrip(" .") or "_"
    stem, dot, rest = name.partition(".")
    if stem.rstrip(" ").upper() in RESERVED_NAMES:
        name = f"{stem}_{dot}{rest}"
    room = max_chars - utf16_length(suffix)
    if utf16_length(name) > room:
        tag = "~" + _digest(str(text))
        name = utf16_prefix(name, max(room - len(tag), 1)).rstrip(" .") + tag
    return name + suffix


def utf16_length(text: str) -> int:
    """The length of `text` as Windows counts it (MAX_PATH, a name's 255): UTF-16 code
    units, two for a character beyond the BMP (an emoji, 𠀀). Counted so, a name of at
    most MAX_NAME_CHARS is also at most 240 bytes of UTF-8, within the 255 bytes a Linux
    file name may take (UOS, Kylin): three bytes a unit in the BMP, four a pair beyond it."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_prefix(text: str, units: int) -> str:
    """The longest beginning of `text` of at most `units` UTF-16 code units."""
    used = 0
    for end, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:end]
    return text


def shown_name(text: str) -> str:
    """A file or folder name (or a relative path) as text that can be written anywhere.

    Linux lists a name whose bytes are not UTF-8 with "surrogate escapes" (os.fsdecode):
    a file named in GBK by a Windows tool and unzipped or copied on UOS/Kylin. Such text
    cannot be encoded, so no table, log or document could hold it. Its bytes are
    decoded again, name by name: as UTF-8, else as GB18030 (what the office wrote), else with U+FFFD
    for the bytes that fit neither. A GBK name whose bytes happen to be valid UTF-8
    (图片 listed as “ͼƬ”) is shown in Chinese too (`_misread_gbk`). Any other name is
    returned unchanged. The shown name is for reading only; the file is opened by its
    own path (`disk_path` finds it from the shown name).
    """
    if text.isascii():
        return text
    parts = text.split("/")
    if not any("\udc80" <= ch <= "\udcff" for ch in text) and not any(map(_misread_gbk, parts)):
        return text
    return "/".join(_shown_part(part) for part in parts)


def _chinese_or_ascii(text: str) -> bool:
    return all(ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
               for ch in text)  # fmt: skip


def _misread_gbk(part: str) -> str | None:
    """The Chinese a name in GBK says when its bytes happen to be valid UTF-8 too: 图片
    (CD BC C6 AC) is listed as “ͼƬ”, 通知 as “֪ͨ”. Such a reading has only two-byte
    characters (Chinese in UTF-8 takes three) and none of the accented Latin letters real
    names hold (é, ü, ł: U+00C0..U+017F), and its GBK reading is Chinese; None otherwise.
    Inside a zip the archive's other names decide (`archives.member_names`)."""
    if part.isascii() or any(ord(ch) >= 0x800 or "\u00c0" <= ch <= "\u017f" for ch in part):
        return None
    if any("\udc80" <= ch <= "\udcff" for ch in part):
        return None
    try:
        as_gbk = part.encode("utf-8").decode("gb18030")
    except UnicodeDecodeError:
        return None
    return as_gbk if not as_gbk.isascii() and _chinese_or_ascii(as_gbk) else None


def _shown_part(part: str) -> str:
    """One name of a path as `shown_name` shows it (folders may differ in encoding)."""
    misread = _misread_gbk(part)
    if misread is not None:
        return misread
    data = part.encode("utf-8", "surrogateescape")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def disk_path(root: Path, rel: str) -> Path:
    """The path under `root` of the file shown as `rel` (`shown_name`), for opening it again.

    The same path when it exists; else, name by name, the entry of its folder whose
    shown name is that name (a GBK-named file); else `root / rel`, which does not exist.
    """
    path = Path(root) / rel
    if path.exists():
        return path
    found = Path(root)
    for part in PurePosixPath(rel).parts:
        if (found / part).exists():
            found = found / part
            continue
        try:
            match = next((p for p in found.iterdir() if shown_name(p.name) == part), None)
        except OSError:
            match = None
        if match is None:
            return path
        found = match
    return found


def unique_names(names: Iterable[str]) -> list[str]:
    """`names` with later repeats (compared as Windows does: ignoring case) made unique.

    The first of several equal names stays as it is; the next ones get ` (2)`,
    ` (3)`… before their suffix, as Windows' Explorer names copies. Two units
    whose names differ only in characters Windows refuses (`A/B`, `A:B`) get
    distinct files this way; the order decides which gets the plain name.
    """
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate.casefold() in seen:
            n += 1
            path = PurePath(name)
            candidate = f"{path.stem} ({n}){path.suffix}"
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def windows_problems(name: str) -> list[str]:
    """Why Windows would refuse `name` as one file or folder name (empty list: it accepts it)."""
    problems = []
    if not name:
        problems.append("empty")
    if _FORBIDDEN.search(name):
        problems.append("forbidden character")
    if name != name.rstrip(" ."):
        problems.append("ends in a dot or space")
    if name.partition(".")[0].rstrip(" ").upper() in RESERVED_NAMES:
        problems.append("reserved device name")
    if PureWindowsPath(name).name != name:
        problems.append("not a single plain name")
    if utf16_length(name) > 255:
        problems.append("longer than 255 characters")
    if len(name.encode("utf-8", "surrogateescape")) > 255:
        problems.append("longer than 255 bytes (Linux)")
    return problems


def windows_path_fits(relative: PurePath | str, base: PureWindowsPath = DESKTOP_PROJECT) -> bool:
    """Whether `base` + `relative` stays within Windows' MAX_PATH (260 with the final NUL)."""
    path = base.joinpath(*PurePath(relative).parts)
    return utf16_length(str(path)) <= MAX_PATH_CHARS
