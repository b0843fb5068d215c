"""Videos: the recording time a phone or camera writes into an MP4/MOV file.

An MP4 or QuickTime file is a sequence of boxes; the movie header (`moov/mvhd`) holds
its creation time, in seconds since 1904-01-01 UTC. A camera whose clock was never
set writes 0 (1904) or a date before digital video (1970, 2000): none of these is a
date. Read from the bytes already in memory, box by box, never beyond them.
"""

from __future__ import annotations

import datetime as dt
import struct

from analysis.materials.documents import BEIJING

_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
# Earliest recording time taken as set by a clock (phones from 2007 on; 2001 leaves out
# the 2000-01-01 that cameras with a reset clock write).
EARLIEST = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
_MAX_BOXES = 10_000  # a damaged file's boxes are walked a bounded number of times


def _boxes(data: bytes, start: int, end: int):
    """(type, body start, body end) of the boxes between `start` and `end`."""
    pos, seen = start, 0
    while pos + 8 <= end and seen < _MAX_BOXES:
        seen += 1
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def recorded_date(data: bytes, now: dt.datetime | None = None) -> dt.date | None:
    """The Beijing date of a video's recording (its movie header's creation time); None
    when it has none, it is unset (before EARLIEST) or later than `now`, or unreadable."""
    try:
        moov = next(((s, e) for k, s, e in _boxes(data, 0, len(data)) if k == b"moov"), None)
        if moov is None:
            return None
        mvhd = next(((s, e) for k, s, e in _boxes(data, *moov) if k == b"mvhd"), None)
        if mvhd is None or mvhd[1] - mvhd[0] < 12:
            return None
        version = data[mvhd[0]]
        if version == 1:
            seconds = (
                struct.unpack_from(">Q", data, mvhd[0] + 4)[0] if mvhd[1] - mvhd[0] >= 12 else 0
            )
        else:
            seconds = struct.unpack_from(">I", data, mvhd[0] + 4)[0]
        when = _EPOCH + dt.timedelta(seconds=seconds)
    except (struct.error, OverflowError, ValueError):
        return None
    if when < EARLIEST or when > (now or dt.datetime.now(dt.UTC)) + dt.timedelta(days=1):
        return None
    return when.astimezone(BEIJING).date()
