"""What reading each material found, kept in OUT/.materials-cache/ between runs.

A loose file is keyed by its path and its content's sha256 (the one the run's
fingerprint took of every input file, `run_manifest.sha256`: not read again), so
a re-run with nothing new decodes no photo at all, and a file edited in place is read
again even when its size and modification time are as they were; a file from an
archive by its content's sha256 (its bytes are in memory anyway) and what its name says (suffix, 总结 in the stem: an unreadable file
is classed by them). The key also holds the materials code's hash and the size limit.
Separate from the spreadsheets' parse cache (parse_cache.py), which it does not touch.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
from pathlib import Path, PurePosixPath

from analysis import __version__, cachefile

log = logging.getLogger(__name__)

CACHE_DIR = ".materials-cache"
_MODULES = ("materials.table", "materials.photos", "materials.documents", "materials.detect",
            "materials.videos", "archives")  # fmt: skip


@functools.cache
def code_version() -> str:
    import PIL

    digest = hashlib.sha256(f"{__version__}|{PIL.__version__}".encode())
    for name in _MODULES:
        spec = importlib.util.find_spec(f"analysis.{name}")
        if spec and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


class FactsCache:
    """Facts by material key: `get(item, limit, compute)` returns cached or computed facts."""

    def __init__(self, out_dir: Path | None, enabled: bool = True):
        self.path = Path(out_dir) / CACHE_DIR / "facts.pkl" if out_dir else None
        self.old: dict = {}
        self.new: dict = {}
        self.supplied: dict = {}  # computed elsewhere this run (the ingest's helpers)
        self.computed = 0
        if enabled and self.path and self.path.exists():
            try:
                with self.path.open("rb") as fh:
                    stored = cachefile.load(fh, self.path.name)
                if stored.get("version") == code_version():
                    self.old = stored["facts"]
            except Exception:  # noqa: BLE001 - a damaged cache is just a miss
                self.old = {}

    @staticmethod
    def key(item, limit: int) -> tuple:
        if item.path is not None:
            from analysis import run_manifest

            return ("file", item.rel, run_manifest.sha256(item.path), limit)
        # What the name says counts too: a file that cannot be read is a photo or a
        # summary by its suffix and stem (two empty members share their bytes).
        name = PurePosixPath(item.rel)
        said = (name.suffix.lower(), "总结" in name.stem)
        return ("member", hashlib.sha256(item.data or b"").hexdigest(), item.kind, said, limit)

    def get(self, item, limit: int, compute):
        try:
            key = self.key(item, limit)
        except OSError:
            return compute()
        facts = self.old.get(key)
        if facts is None:
            facts = self.supplied.pop(key, None) or compute()
            self.computed += 1
        self.new[key] = facts
        return facts

    def missing(self, items, limit: int) -> list[tuple[tuple, object]]:
        """(key, item) of the items whose facts are not cached: to compute elsewhere."""
        found = []
        for item in items:
            try:
                key = self.key(item, limit)
            except OSError:
                continue  # `get` reads it (and says why it cannot)
            if key not in self.old:
                found.append((key, item))
        return found

    def supply(self, key: tuple, facts) -> None:
        """Facts computed elsewhere for `key` (from `missing`), for `get` to use."""
        self.supplied[key] = facts

    def changed(self) -> bool:
        """Whether this run's facts differ from the stored ones: some were computed, or
        some stored material was not seen again (removed, or its file changed)."""
        return bool(self.computed) or self.new.keys() != self.old.keys()

    def save(self) -> None:
        """Store this run's facts, unless they are those already stored (a re-run with
        the same materials, or none at all, writes nothing)."""
        if self.path is None or not self.changed():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                cachefile.dump({"version": code_version(), "facts": self.new}, fh, self.path.name)
            os.replace(tmp, self.path)
        except OSError:
            log.warning("materials cache not written: %s", self.path)
