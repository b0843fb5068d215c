"""The incremental parse cache: what parsing makes of a file, kept on disk by content.

An entry is keyed by the file's sha256 and suffix, the campaign and a hash of the
parsing code (`PARSE_MODULES`), so editing any of those modules invalidates it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__
from analysis.campaign import Campaign
from analysis.model import ActivityTable, Issue

log = logging.getLogger(__name__)

# Their source is hashed into every cache key. All of ingest's own modules are listed,
# not only the parsing ones: a refactor that moves parsing code between them must not
# leave stale entries behind. `clean` because tables.py calls it while finding tables.
PARSE_MODULES = (
    "model",
    "readers",
    "tables",
    "clean",
    "templates",
    "templates.layout",
    "templates.reader",
    "ingest",
    "parse_cache",
    "submissions",
    "ledger",
)


@dataclass
class ParsedFile:
    """What the parse stage makes of one file (what the cache holds)."""

    file: str
    tables: list[ActivityTable] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    template: str = ""
    template_unit: str = ""
    template_round: str = ""
    rejected: tuple[str, str] | None = None  # (code, Chinese message)
    cacheable: bool = True


def _code_version() -> str:
    """A hash of the parsing modules' source: editing them invalidates the cache."""
    digest = hashlib.sha256(__version__.encode())
    for name in PARSE_MODULES:
        spec = importlib.util.find_spec(f"analysis.{name}")
        if spec and spec.origin and Path(spec.origin).exists():
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def _campaign_hash(campaign: Campaign) -> str:
    return hashlib.sha256(repr(dataclasses.replace(campaign, source="")).encode()).hexdigest()[:16]


def _renamed(parsed: ParsedFile, rel: str) -> ParsedFile:
    """A cached parse of the same bytes under another name, with its issues re-addressed."""
    if parsed.file == rel:
        return parsed

    def fix(issue: Issue) -> Issue:
        return dataclasses.replace(issue, file=rel, message=issue.message.replace(parsed.file, rel))

    tables = [dataclasses.replace(t, issues=[fix(i) for i in t.issues]) for t in parsed.tables]
    rejected = parsed.rejected and (
        parsed.rejected[0],
        parsed.rejected[1].replace(parsed.file, rel),
    )
    return dataclasses.replace(
        parsed, file=rel, tables=tables, issues=[fix(i) for i in parsed.issues], rejected=rejected
    )


class _Cache:
    """Parse results on disk, one pickle per (content, suffix, campaign, code version)."""

    def __init__(self, out_dir: Path, campaign: Campaign, enabled: bool):
        self.dir = out_dir / ".cache"
        self.salt = f"{_campaign_hash(campaign)}-{_code_version()}"
        self.enabled = enabled
        self.used: set[Path] = set()

    def _path(self, sha: str, suffix: str) -> Path:
        return self.dir / f"{sha[:40]}-{suffix.lower().lstrip('.') or 'none'}-{self.salt}.pkl"

    def get(self, sha: str, suffix: str) -> ParsedFile | None:
        path = self._path(sha, suffix)
        self.used.add(path)
        if not self.enabled or not path.exists():
            return None
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)  # noqa: S301 - our own cache directory
        except Exception:  # noqa: BLE001 - a damaged cache entry is just a miss
            return None
        return value if isinstance(value, ParsedFile) else None

    def put(self, sha: str, suffix: str, parsed: ParsedFile) -> None:
        if not parsed.cacheable:
            return
        path = self._path(sha, suffix)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            log.warning("cache entry not written: %s", path)

    def prune(self) -> None:
        """Remove entries this run did not use (changed or removed files, old code)."""
        if self.dir.is_dir():
            for path in self.dir.glob("*.pkl"):
                if path not in self.used:
                    path.unlink(missing_ok=True)
