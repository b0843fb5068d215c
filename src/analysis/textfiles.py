"""Reading the small text files an analyst edits by hand: aliases.csv, campaign.toml.

On the analyst's PC these are saved by Notepad, WPS or Excel, which write UTF-8 with
a byte-order mark, UTF-16 ("Unicode"), or the Windows code page ("ANSI": GBK on a
Chinese system), with CRLF line ends. `decode_text` tries, in this order: a BOM's
encoding, UTF-8, then GB18030 (a superset of GBK). UTF-8 comes first because
GB18030 decodes most UTF-8 bytes into wrong characters without an error, while
GBK text is almost never valid UTF-8. Line ends become `\\n`. The roster, when it is
a CSV, is read like a submission (`readers`), which follows the same order.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text with `\\n` line ends, encoding used); UnicodeDecodeError when none fits."""
    candidates = [enc for bom, enc in _BOMS if data.startswith(bom)] or list(FALLBACK_ENCODINGS)
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    assert error is not None
    raise error


def decode_or_none(data: bytes) -> str | None:
    """`decode_text`'s text, or None when the bytes are in no encoding it knows."""
    try:
        return decode_text(data)[0]
    except UnicodeDecodeError:
        return None


def read_text(path: Path | str) -> str:
    """A hand-edited text file's content (see `decode_text`); UnicodeDecodeError if unreadable."""
    return decode_text(Path(path).read_bytes())[0]


def lines_cut_alike(lines: list[str], delimiter: str) -> tuple[int, bool]:
    """How many of `lines` hold `delimiter`, and whether it cuts two of them into the same
    number of columns, as it cuts a table's rows (a text table's test, and prose's)."""
    counts = [line.count(delimiter) for line in lines if delimiter in line]
    return len(counts), any(counts.count(n) >= 2 for n in set(counts))
