"""Writing the tables as CSV: the bytes `DataFrame.to_csv` writes, faster; rows.csv by file.

`_write_csv` formats text and integer columns with pyarrow, slice by slice (see its
docstring for why not a library writer). `write_by_file` writes a table whose rows
are grouped by input file (rows.csv) and lets the next run reuse the bytes of every
file whose rows did not change: beside the CSV, OUT/.cache/NAME.csv.json holds each
file's byte range in it and a digest of its rows' values (the Arrow buffers of each
column: value lengths, bytes and nulls) or the key the caller gave for them (the
ingest names a file's rows by its cache entry when no decision across files changed
them: equal keys, equal rows), with the size and modification time of the CSV as
written and a key for the code that formats it. A re-run copies the byte
range of each file whose digest is the same and formats only the others (a new
file, a file whose rows changed state); any doubt (another code version, header or
column types, a CSV edited since, an index that cannot be read) and the whole table
is formatted as before. Each row's line depends only on that row's values, so the
spliced file is byte for byte the one a full write gives (tests/test_csv_writer.py).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd

from analysis import safety

CSV_ENCODING = "utf-8-sig"  # Excel needs the BOM to show Chinese; pandas reads it fine

# What makes a field quoted (`_quoted_chars`).
_QUOTED = (b",", b'"', b"\n", b"\r")

# Rows per slice of the CSV writer: the text of one slice is in memory at a time.
CSV_CHUNK_ROWS = 16_384


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """NAME.csv, UTF-8 with BOM; the bytes are those `DataFrame.to_csv` writes.

    Tables of text and integer columns only (the ledger, issues, submissions without
    booleans…) are formatted column-wise with pyarrow, slice by slice; the others go
    through `to_csv`. tests/test_ingest.py holds the two to the same bytes.

    Why not a library writer: `pyarrow.csv.write_csv` quotes every text value (and the
    header), which `to_csv` does not, so its bytes differ; `DataFrame.to_csv` itself
    takes 0.78 s for the scaled round's rows.csv against 0.10 s here, about 10% of a
    full ingest of that round (`/usr/bin/time -v`, `make bench`), over the 5% a
    hand-written replacement may cost.
    """
    chunks = _csv_chunks_arrow(frame)
    if chunks is None:
        # A text holding a CR: every text quoted, as `to_csv` would not quote it alone.
        quoting = csv.QUOTE_NONNUMERIC if _holds_cr(frame) else csv.QUOTE_MINIMAL
        frame.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n", quoting=quoting)
        return
    with path.open("wb") as fh:
        for chunk in chunks:
            fh.write(chunk)


def _csv_bytes_arrow(frame: pd.DataFrame) -> bytes | None:
    """The CSV `to_csv(index=False, lineterminator="\n")` writes, with the BOM; None if unsupported."""
    chunks = _csv_chunks_arrow(frame)
    return None if chunks is None else b"".join(chunks)


def _csv_chunks_arrow(frame: pd.DataFrame, chunk_rows: int = CSV_CHUNK_ROWS):
    """The bytes of `_csv_bytes_arrow` as an iterator of pieces (header, then slices); None if unsupported.

    Minimal quoting as Python's csv module does it: a value is quoted when it holds a
    comma, a double quote or LF (see `_quoted_chars`), its quotes doubled; nulls are empty.
    Floats and booleans are not supported (their text differs between the writers).
    """
    prepared = _csv_arrays(frame)
    if prepared is None:
        return None
    header, arrays = prepared
    return _csv_pieces(header, arrays, len(frame), chunk_rows)


def _csv_arrays(frame: pd.DataFrame):
    """(header bytes, one Arrow array per column) for the Arrow writer; None if unsupported."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if (
        not all(
            pd.api.types.is_string_dtype(t) or pd.api.types.is_integer_dtype(t)
            for t in frame.dtypes
        )
        or not frame.columns.is_unique
    ):
        return None
    header = (",".join(_csv_field(str(c)) for c in frame.columns) + "\n").encode(CSV_ENCODING)
    arrays = []
    for name in frame.columns:
        # Arrow-backed columns as they are (pa.array would join their chunks: a copy of
        # the table, +33 MiB at the peak of the scaled round's rows.csv).
        arrow = getattr(frame[name].array, "__arrow_array__", None)
        values = arrow() if arrow is not None else pa.array(frame[name], from_pandas=True)
        if not (
            pa.types.is_integer(values.type)
            or pa.types.is_string(values.type)
            or pa.types.is_large_string(values.type)
        ):
            return None  # an object column holding something else
        arrays.append(values)
    if len(arrays) == 1 and len(frame):  # csv writes a lone empty field as "": rare, to_csv
        lone = arrays[0]
        if lone.null_count or (
            not pa.types.is_integer(lone.type) and pc.any(pc.equal(lone, "")).as_py()
        ):
            return None
    return header, arrays


def _csv_pieces(header: bytes, arrays: list, n: int, chunk_rows: int):
    yield header
    for start in range(0, n, chunk_rows):
        yield _csv_body([a.slice(start, chunk_rows) for a in arrays])


def _csv_body(arrays: list) -> bytes:
    """The lines of one slice of the table, each with its terminator."""
    return _csv_lines(arrays)[0]


def _csv_lines(arrays: list):
    """`_csv_body`, and where each line ends in it (numpy int64, one per row)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text_type = pa.large_string()  # 64-bit offsets: the joined lines may pass 2 GiB

    def scalar(value: str) -> pa.Scalar:
        return pa.scalar(value, text_type)

    columns = []
    for values in arrays:
        text = pc.cast(values, text_type)
        if not pa.types.is_integer(values.type) and _needs_quoting(text):
            # rare: look at each value only when some need it
            quoted = pc.binary_join_element_wise(
                scalar('"'), pc.replace_substring(text, '"', '""'), scalar('"'), scalar("")
            )
            special = "".join(c.decode() for c in _quoted_chars())
            need = pc.match_substring_regex(text, f"[{re.escape(special)}]")
            text = pc.if_else(need, quoted, text)
        columns.append(pc.fill_null(text, scalar("")))
    # Each line with its terminator: then the data buffer is the slice's body as it is.
    if len(columns) > 1:
        lines = pc.binary_join_element_wise(
            pc.binary_join_element_wise(*columns, scalar(",")), scalar(""), scalar("\n")
        )
    else:
        lines = pc.binary_join_element_wise(columns[0], scalar(""), scalar("\n"))
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    if not len(lines):
        return b"", np.zeros(0, dtype=np.int64)
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset :][: len(lines) + 1]
    body = bytes(memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]])
    return body, offsets[1:] - offsets[0]


def _quoted_chars() -> tuple[bytes, ...]:
    """The characters that make a field quoted: comma, quote, LF and CR.

    Python 3.11's csv writer (so `to_csv`) leaves a lone CR unquoted when lines end
    in LF; every CSV reader (Excel, pandas) then ends the line there, and the rest of
    the field starts a new row of its own, past the formula guard (a submission named
    "…\r=cmd…"). So a CR is always quoted, whatever the running Python does.
    """
    return _QUOTED


def _holds_cr(frame: pd.DataFrame) -> bool:
    """Whether a text cell (or a column's name) of `frame` holds a CR."""
    if any("\r" in str(c) for c in frame.columns):
        return True
    for k in range(frame.shape[1]):
        column = frame.iloc[:, k]
        textual = pd.api.types.is_string_dtype(column.dtype) or column.dtype == object
        if textual and column.map(lambda v: isinstance(v, str) and "\r" in v).any():
            return True
    return False


def _needs_quoting(text) -> bool:
    """Whether any value of a pyarrow string array may need quotes (a cheap byte scan).

    Only the bytes of the array's own values are scanned: a slice of a column shares
    the whole column's data buffer (rows.csv's few new lines, 46 MB behind them).
    """
    import numpy as np
    import pyarrow as pa

    for chunk in getattr(text, "chunks", [text]):
        data = chunk.buffers()[2] if len(chunk) else None
        if data is None:
            continue
        kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], dtype=kind)
        start, end = int(offsets[chunk.offset]), int(offsets[chunk.offset + len(chunk)])
        values = bytes(memoryview(data)[start:end])
        if any(c in values for c in _quoted_chars()):
            return True
    return False


def _csv_field(text: str) -> str:
    if any(c.decode() in text for c in _quoted_chars()):
        return f'"{text.replace(chr(34), chr(34) * 2)}"'
    return text


# --------------------------------------------------------------------------- by file


def index_path(out_dir: Path, name: str) -> Path:
    """OUT/.cache/NAME.csv.json: where each file's rows are in NAME.csv (see the module doc)."""
    return Path(out_dir) / ".cache" / f"{name}.csv.json"


class _Unsupported(Exception):
    """A slice the Arrow writer does not take: the table is written the ordinary way."""


def write_by_file(
    frame: pd.DataFrame, path: Path, final: Path, files: list[tuple], key: str
) -> dict | None:
    """Write `frame` to `path` as `_write_csv(safety.csv_safe(frame), path)` does.

    `files` lists (file, number of rows) in the table's order, or (file, number of
    rows, key) where the caller names the file's rows: equal keys only for equal rows
    (the ingest's `parse_cache._Cache.rows_key`), None where it cannot. A named file's
    rows are not read: its key stands for their digest. `final` is where the CSV goes
    once every table is written, so where the last run's CSV is. Returns the index to
    save with `save_index` once `final` is in place (None: this table cannot be
    indexed, and was written in full).
    """
    named = [f[2] if len(f) > 2 else None for f in files]
    files = [(f[0], f[1]) for f in files]
    digests = _file_digests(frame, [n for _, n in files], named)
    header = _header(frame) if digests is not None else None
    if header is None:
        _write_csv(safety.csv_safe(frame), path)
        return None
    signature = _signature(frame, header, key)
    previous = _previous_index(final, signature, header)
    try:
        spans = _write_spans(frame, path, final, files, digests, header, previous)
    except _Unsupported:
        _write_csv(safety.csv_safe(frame), path)
        return None
    return {"signature": signature, "files": spans}


def can_splice(frame: pd.DataFrame, final: Path, key: str) -> bool:
    """Whether `write_by_file` will find the last run's CSV at `final` and its index usable."""
    header = _header(frame)
    if header is None:
        return False
    return _previous_index(final, _signature(frame, header, key), header) is not None


def _header(frame: pd.DataFrame) -> bytes | None:
    """The CSV's first line, when the Arrow writer takes the table's columns (else None)."""
    prepared = _csv_arrays(frame.iloc[:0]) if len(frame.columns) > 1 else None
    return None if prepared is None else prepared[0]


def _signature(frame: pd.DataFrame, header: bytes, key: str) -> str:
    return hashlib.sha256(repr((key, header, [str(t) for t in frame.dtypes])).encode()).hexdigest()


def save_index(out_dir: Path, name: str, final: Path, index: dict | None) -> None:
    """Note where each file's rows are in `final` (just written), with its size and time."""
    target = index_path(out_dir, name)
    with contextlib.suppress(OSError):
        target.unlink(missing_ok=True)
        if index is None:
            return
        info = final.stat()
        document = {**index, "stamp": [info.st_size, info.st_mtime_ns]}
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
        tmp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)


def _previous_index(final: Path, signature: str, header: bytes) -> dict | None:
    """{file: (offset, length, digest)} of the last run's CSV at `final`, when it can be trusted."""
    try:
        document = json.loads(index_path(final.parent, final.stem).read_text(encoding="utf-8"))
        info = final.stat()
        if document.get("signature") != signature or document.get("stamp") != [
            info.st_size,
            info.st_mtime_ns,
        ]:
            return None
        with final.open("rb") as fh:
            if fh.read(len(header)) != header:
                return None
        # The spans tile the file after its header, in order: a damaged index (an
        # offset or length changed, a file's span lost) would splice the wrong bytes.
        spans, end = {}, len(header)
        for file, offset, length, digest in document["files"]:
            if not (type(offset) is int and type(length) is int and offset == end and length >= 0):
                return None
            spans[file] = (offset, length, digest)
            end = offset + length
        return spans if end == info.st_size else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_spans(frame, path, final, files, digests, header, previous) -> list:
    """Write the CSV, copying from `final` the lines of each file `previous` has unchanged.

    Returns [file, offset, length, digest] for each file, in order.
    """
    plan: list[list] = []  # ["copy", offset, length] or ["format", first row, end row]
    reused: list[bool] = []
    start = 0
    for (file, n), digest in zip(files, digests, strict=True):
        old = previous.get(file) if previous else None
        if old is not None and old[2] == digest:
            reused.append(True)
            if plan and plan[-1][0] == "copy" and plan[-1][1] + plan[-1][2] == old[0]:
                plan[-1][2] += old[1]
            else:
                plan.append(["copy", old[0], old[1]])
        else:
            reused.append(False)
            if plan and plan[-1][0] == "format" and plan[-1][2] == start:
                plan[-1][2] = start + n
            else:
                plan.append(["format", start, start + n])
        start += n
    lengths: list[int] = []  # bytes of each formatted row, in order
    import numpy as np

    with path.open("wb") as out, contextlib.ExitStack() as stack:
        old_fh = stack.enter_context(final.open("rb")) if previous else None
        out.write(header)
        for kind, a, b in plan:
            if kind == "copy":
                out.flush()
                _copy_range(old_fh, out, a, b)
                continue
            for body, ends in _formatted(frame, a, b):
                out.write(body)
                lengths.append(np.diff(ends, prepend=0))
    # Bytes written before each formatted row, so a formatted file's length is a difference.
    written = np.concatenate([[0], *lengths]).cumsum().tolist() if lengths else [0]
    spans, offset, row = [], len(header), 0
    for (file, n), digest, was_reused in zip(files, digests, reused, strict=True):
        if was_reused:
            length = previous[file][1]
        else:
            length = written[row + n] - written[row]
            row += n
        spans.append([file, offset, int(length), digest])
        offset += length
    return spans


def _formatted(frame: pd.DataFrame, start: int, stop: int):
    """(body, line ends) of rows start..stop, output-safe, slice by slice."""
    for first in range(start, stop, CSV_CHUNK_ROWS):
        part = frame.iloc[first : min(first + CSV_CHUNK_ROWS, stop)]
        prepared = _csv_arrays(safety.csv_safe(part))
        if prepared is None:
            raise _Unsupported
        yield _csv_lines(prepared[1])


def _copy_range(source, target, offset: int, length: int) -> None:
    """Append `length` bytes of `source` from `offset` to `target` (flushed), in the kernel if it can."""
    done = 0
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not this file system
        while done < length:
            moved = os.copy_file_range(
                source.fileno(), target.fileno(), length - done, offset + done
            )
            if moved <= 0:
                break
            done += moved
    source.seek(offset + done)
    while done < length:
        block = source.read(min(1 << 22, length - done))
        if not block:
            raise OSError(f"{source.name}: shorter than its index")
        target.write(block)
        done += len(block)


def _file_digests(
    frame: pd.DataFrame, counts: list[int], named: list[str | None] | None = None
) -> list[str] | None:
    """A digest of each file's rows (consecutive runs of `counts` rows); None if unsupported.

    Read from the Arrow buffers (no Python value made), a batch of whole files at a
    time (about CSV_CHUNK_ROWS rows: its chunks joined, then released, so the
    copies stay small) and within it one column at a time: each text value's length
    (-1 for null) and bytes, each integer and its null flag. A file with a key in
    `named` is not read: its key is its digest.
    """
    import numpy as np
    import pyarrow as pa

    if sum(counts) != len(frame) or any(n < 0 for n in counts):
        return None
    columns = []
    for name in frame.columns:
        arrow = getattr(frame[name].array, "__arrow_array__", None)
        try:
            values = arrow() if arrow is not None else pa.array(frame[name], from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            return None
        if not (
            pa.types.is_integer(values.type)
            or pa.types.is_string(values.type)
            or pa.types.is_large_string(values.type)
        ):
            return None
        columns.append(values)
    named = named or [None] * len(counts)
    hashers = [hashlib.sha256(str(n).encode()) for n in counts]
    bounds = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
    first = 0  # the batch's first file
    while first < len(counts) and len(frame):
        if named[first] is not None:
            first += 1
            continue
        last = first + 1  # files first..last-1, at least one, about CSV_CHUNK_ROWS rows
        while (
            last < len(counts)
            and named[last] is None
            and bounds[last + 1] - bounds[first] <= CSV_CHUNK_ROWS
        ):
            last += 1
        start, stop = int(bounds[first]), int(bounds[last])
        local = bounds[first : last + 1] - start
        for values in columns:
            part = values.slice(start, stop - start)
            if isinstance(part, pa.ChunkedArray):
                part = part.combine_chunks()
            _digest_column(part, local, hashers[first:last])
        first = last
    return [
        key if key is not None else h.hexdigest() for h, key in zip(hashers, named, strict=True)
    ]


def _digest_column(values, bounds, hashers: list) -> None:
    """Add one column of consecutive files' rows (`bounds`: their row offsets) to their digests."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    pairs = list(zip(bounds.tolist(), bounds[1:].tolist(), strict=False))
    nulls = values.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_integer(values.type):
        numbers = values.fill_null(0).cast(pa.int64()).to_numpy()
        for digest, (a, b) in zip(hashers, pairs, strict=True):
            digest.update(nulls[a:b])
            digest.update(numbers[a:b])
        return
    if not len(values):  # a batch of files without rows
        for digest in hashers:
            digest.update(b"*")
        return
    buffers = values.buffers()
    kind = np.int64 if pa.types.is_large_string(values.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=kind)[values.offset :][: len(values) + 1]
    sizes = np.diff(offsets).astype(np.int32)  # one value's text is far below 2 GiB
    sizes[nulls] = -1
    text = memoryview(buffers[2]) if buffers[2] is not None else memoryview(b"")
    ends = offsets[bounds].tolist()
    # A file whose rows all hold one (non-null) value here (its name, its unit…)
    # is hashed as that value once: the row count is in the digest already.
    same = pc.equal(values.slice(1), values.slice(0, len(values) - 1)).fill_null(False)
    steps = np.concatenate([[0], np.cumsum(~same.to_numpy(zero_copy_only=False))])
    first = np.minimum(bounds[:-1], len(values) - 1)
    last = np.maximum(bounds[1:] - 1, 0)
    constant = (
        (np.diff(bounds) > 1) & (steps[last] == steps[first]) & (sizes[first] >= 0)
    ).tolist()
    first_sizes = sizes[first].tolist()
    for k, (digest, (a, b)) in enumerate(zip(hashers, pairs, strict=True)):
        if constant[k]:
            digest.update(b"=")
            digest.update(text[ends[k] : ends[k] + first_sizes[k]])
        else:
            digest.update(b"*")
            digest.update(sizes[a:b])
            digest.update(text[ends[k] : ends[k + 1]])
