"""Pickles in OUT's caches, each framed with its length and a checksum.

A cache file is the run's own, but it sits on the analyst's disk: a file cut short
by a crash, or a byte changed on a damaged disk or by a hand, must be a miss, never a
value. A changed digit in a pickle still unpickles (another date, another count), so
each pickle is written after its length and CRC-32 and read back only when they
match (`DamagedEntry` otherwise). CRC-32 catches every change of up to 32 bits in a
row and costs ~1 ms a megabyte to check. The checksum covers the name the file is
kept under too (its key: the bytes, code and campaign it was made from), so a cache
file copied over another is a miss as well.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zlib
from typing import IO, Any

_FRAME = struct.Struct("<QI")  # the pickle's length, its CRC-32


class DamagedEntry(ValueError):
    """A cache file cut short or changed since it was written (a miss)."""


def dump(value: Any, fh: IO[bytes], name: str, dispatch_table: dict | None = None) -> None:
    """Write `value` to `fh` as one framed pickle, for the cache file called `name`
    (its final name, not the temporary one; `dispatch_table`: the pickler's own)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    if dispatch_table is not None:
        pickler.dispatch_table = dispatch_table
    pickler.dump(value)
    data = buffer.getbuffer()
    fh.write(_FRAME.pack(len(data), _crc(name, data)))
    fh.write(data)


def load(fh: IO[bytes], name: str) -> Any:
    """The next framed pickle of `fh`, a cache file called `name`; DamagedEntry when it
    is not as written there."""
    frame = fh.read(_FRAME.size)
    if len(frame) != _FRAME.size:
        raise DamagedEntry("cut short")
    length, crc = _FRAME.unpack(frame)
    if length > _left(fh):  # a damaged length: nothing that large is to be allocated
        raise DamagedEntry("cut short")
    data = fh.read(length)
    if len(data) != length or _crc(name, data) != crc:
        raise DamagedEntry("changed")
    return pickle.loads(data)  # noqa: S301 - our own cache directory, checked


def _crc(name: str, data) -> int:
    return zlib.crc32(data, zlib.crc32(name.encode("utf-8", "surrogateescape")))


def _left(fh: IO[bytes]) -> int:
    """Bytes of `fh` after its position."""
    try:
        return os.fstat(fh.fileno()).st_size - fh.tell()
    except (AttributeError, OSError, io.UnsupportedOperation):  # not a file: trust the read
        return 1 << 62


def skip(fh: IO[bytes]) -> None:
    """Move past the next framed pickle without reading it."""
    frame = fh.read(_FRAME.size)
    if len(frame) != _FRAME.size:
        raise DamagedEntry("cut short")
    fh.seek(_FRAME.unpack(frame)[0], io.SEEK_CUR)
