"""materials.csv: one row per photo, document or video received, with its place and state.

Per material: read it (unless over `max_material_bytes`: then only listed), its
sha256, for photos EXIF date and perceptual hash, for documents title, own date and
stated totals; then whose and which round (attribution.py); then duplicates across
all materials in path order: the same bytes, or for photos the same picture
re-encoded or resized (hash distance), copy the first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from analysis import names
from analysis.campaign import Campaign
from analysis.materials.intake import Intake, Received
from analysis.messages import error_detail, message_text, os_reason
from analysis.model import Issue, IssueCode, MaterialState

MATERIALS_COLUMNS = (
    "file", "reporting_unit", "kind", "round", "material", "taken_date", "state", "duplicate_of",
)  # fmt: skip
EXTRA_COLUMNS = (
    "format", "size_bytes", "sha256", "title", "unit_from", "round_from",
    "stated_activities", "stated_participants", "stated_units",
)  # fmt: skip
MATERIAL_NAMES = {"photo": "图片", "summary": "阶段性总结", "document": "文档", "video": "视频"}


def material_message(code: str, **values: object) -> str:
    return message_text(code, **values)


@dataclass
class Facts:
    """What reading one material found (cacheable by content)."""

    sha256: str = ""
    material: str = ""
    format: str = ""
    taken_date: str = ""
    phash: int | None = None
    aspect: float = 0.0  # width / height of the upright photo
    title: str = ""
    text: str = ""
    totals: dict[str, int] = field(default_factory=dict)
    error: tuple[str, str] | None = None  # (code, detail)
    too_large: bool = False


def read_facts(item: Received, limit: int) -> Facts:
    """Everything needed from one material's bytes (read at most once, never beyond `limit`)."""
    from analysis.materials.quiet import quiet_libraries

    with quiet_libraries():  # a damaged PDF's English log line is not for the analyst
        return _read_facts(item, limit)


def _read_facts(item: Received, limit: int) -> Facts:
    from analysis.materials import documents, photos  # Pillow only when there are materials

    group, fmt = item.kind.group, item.kind.format
    named = _named_group(item.rel)
    group = group if group in ("photo", "document", "video") else named
    facts = Facts(material=group, format=fmt or PurePosixPath(item.rel).suffix.lower().lstrip("."))
    if group == "document" and documents.SUMMARY_MARK in PurePosixPath(item.rel).stem:
        facts.material = "summary"  # by its name, even when it cannot be read
    if item.told:  # an archive member it could not unpack: its message is the archive's
        facts.error = (IssueCode.MATERIAL_CORRUPT, "")
        return facts
    if item.size == 0:
        facts.error = (IssueCode.MATERIAL_EMPTY, "")
        return facts
    if item.size > limit:
        facts.too_large = True
        return facts
    data = item.read(limit)
    facts.sha256 = hashlib.sha256(data).hexdigest()
    if item.kind.group not in ("photo", "document", "video"):
        detail = (
            "detail_structure_incomplete"
            if item.kind.group == "damaged"
            else "detail_content_not_extension"
        )
        facts.error = (IssueCode.MATERIAL_CORRUPT, message_text(detail))
        return facts
    if group == "photo":
        try:
            found = photos.photo_facts(data)
        except photos.PhotoError as exc:
            facts.error = (exc.code, exc.detail)
            return facts
        facts.phash = found.phash
        facts.aspect = found.aspect
        facts.taken_date = found.taken_date.isoformat() if found.taken_date else ""
    elif group == "document" and fmt == "encrypted":
        facts.format = PurePosixPath(item.rel).suffix.lower().lstrip(".")
        facts.error = (IssueCode.MATERIAL_ENCRYPTED, "")
        return facts
    elif group == "document":
        try:
            doc = documents.document_facts(data, fmt)
        except documents.DocumentError as exc:
            facts.error = (exc.code, exc.detail)
            return facts
        facts.title, facts.text, facts.totals = doc.title, doc.text, doc.totals
        facts.taken_date = doc.own_date.isoformat() if doc.own_date else ""
        if documents.SUMMARY_MARK in doc.meta_title:  # its properties' title says 总结
            facts.material = "summary"
    elif group == "video":
        from analysis.materials.videos import recorded_date

        recorded = recorded_date(data) if fmt in ("mp4", "mov") else None
        facts.taken_date = recorded.isoformat() if recorded else ""
    if group == "document" and documents.SUMMARY_MARK in facts.title:
        facts.material = "summary"
    return facts


def facts_or_none(item: Received, limit: int) -> Facts | None:
    """`read_facts`, or None when it fails (`build` then reads it again and says why)."""
    try:
        return read_facts(item, limit)
    except Exception:  # noqa: BLE001 - the reason is build's to tell, in its own words
        return None


def _named_group(rel: str) -> str:
    from analysis.materials.detect import named_as

    return named_as(PurePosixPath(rel).suffix) or "document"


def _what(material: str) -> str:
    return MATERIAL_NAMES.get(material, "文件")


def _material_issue(file: str, severity: str, code: str, **values: object) -> Issue:
    return Issue(file, "", None, "", severity, code, material_message(code, file=file, **values))


@dataclass
class MaterialsResult:
    table: pd.DataFrame
    issues: list[Issue]
    facts: dict[str, Facts]


def build(intake: Intake, resolver: names.NameResolver, campaign: Campaign,
          kind_of: dict[str, str] | None = None, cache=None,
          submissions: pd.DataFrame | None = None) -> MaterialsResult:  # fmt: skip
    """The materials table (path order) and its issues; `kind_of` maps reporting unit -> kind;
    `submissions` (submissions.csv) places a material its path does not by the spreadsheets
    sent with it (`attribution.beside`)."""
    from analysis.materials import attribution

    sheets_in = attribution.beside_spreadsheets(submissions, campaign)
    limit = campaign.limits.max_material_bytes
    kind_of = kind_of or {}
    records, issues, all_facts = [], [], {}
    originals_sha: dict[str, str] = {}
    originals_hash: list[tuple[tuple[int, float], str, str]] = []  # (hash, file, taken)
    for item in intake.materials:
        from analysis.materials import attribution, photos  # Pillow only when there are materials

        try:
            if cache is None:
                facts = read_facts(item, limit)
            else:
                facts = cache.get(item, limit, lambda item=item: read_facts(item, limit))
        except OSError as exc:  # gone or locked since it was listed
            facts = Facts(
                material=_named_group(item.rel),
                error=(
                    IssueCode.MATERIAL_CORRUPT,
                    os_reason(exc),
                ),
            )
        except Exception as exc:  # noqa: BLE001 - the analyst must never see a traceback
            facts = Facts(
                material=_named_group(item.rel),
                error=(IssueCode.MATERIAL_CORRUPT, error_detail(exc)),
            )
        all_facts[item.rel] = facts
        what = _what(facts.material)
        state, duplicate_of = MaterialState.CURRENT, ""
        if facts.error:
            code, detail = facts.error
            state = MaterialState.REJECTED
            if not item.told:
                issues.append(_material_issue(item.rel, "error", code, what=what, detail=detail))
        # A photo's capture date (a video's recording date) places it in a round; a
        # document's own date is when it was written (a round's summary comes after the
        # round) and places nothing.
        shot = facts.material in ("photo", "video")
        taken = pd.Timestamp(facts.taken_date).date() if facts.taken_date and shot else None
        placed = attribution.place(item.rel, resolver, campaign, facts.title, facts.text, taken)
        if not placed.reporting_unit and sheets_in:  # sent with a unit's spreadsheet
            unit, rnd = attribution.beside(item.rel, sheets_in, campaign)
            if unit:
                placed = attribution.Placement(
                    unit,
                    placed.round or rnd,
                    "beside",
                    placed.round_from or ("beside" if rnd else ""),
                )
        if state != MaterialState.REJECTED:
            if facts.too_large:
                issues.append(_material_issue(item.rel, "warning", IssueCode.MATERIAL_TOO_LARGE, what=what,
                                     size_mb=round(item.size / 2**20), limit_mb=limit // 2**20))  # fmt: skip
            if facts.sha256 and facts.sha256 in originals_sha:
                state, duplicate_of = MaterialState.DUPLICATE, originals_sha[facts.sha256]
                how = message_text("detail_identical")
            elif facts.phash is not None:
                mine, day = (facts.phash, facts.aspect), facts.taken_date
                # Two capture dates that differ are two photos, however alike (a hall
                # shot from the same spot on two days); a copy without EXIF may match.
                near = next(
                    (f for key, f, when in originals_hash
                     if photos.same_picture(key, mine) and not (day and when and day != when)),
                    None,
                )  # fmt: skip
                if near:
                    state, duplicate_of, how = (
                        MaterialState.DUPLICATE,
                        near,
                        message_text("detail_same_photo"),
                    )
            if state == MaterialState.DUPLICATE:
                issues.append(_material_issue(item.rel, "warning", IssueCode.MATERIAL_DUPLICATE, what=what,
                                     original=duplicate_of, how=how))  # fmt: skip
            else:
                if facts.sha256:
                    originals_sha[facts.sha256] = item.rel
                if facts.phash is not None:
                    originals_hash.append(((facts.phash, facts.aspect), item.rel, facts.taken_date))
            missing = "、".join(
                m
                for m, v in (
                    (message_text("detail_reporting_unit"), placed.reporting_unit),
                    (message_text("detail_round"), placed.round),
                )
                if not v
            )
            if missing and placed.reporting_unit:  # counted for its unit, in no round
                issues.append(Issue(
                    item.rel, "", None, "", "warning", IssueCode.MATERIAL_UNPLACED,
                    material_message("material_round_unknown", what=what, file=item.rel,
                                     unit=placed.reporting_unit),
                ))  # fmt: skip
            elif missing:
                issues.append(_material_issue(item.rel, "warning", IssueCode.MATERIAL_UNPLACED, what=what,
                                     missing=missing))  # fmt: skip
        records.append({
            "file": item.rel, "reporting_unit": placed.reporting_unit,
            "kind": kind_of.get(placed.reporting_unit, ""), "round": placed.round,
            "material": facts.material, "taken_date": facts.taken_date, "state": state,
            "duplicate_of": duplicate_of, "format": facts.format, "size_bytes": item.size,
            "sha256": facts.sha256, "title": facts.title,
            "unit_from": placed.unit_from, "round_from": placed.round_from,
            **{f"stated_{k}": str(facts.totals[k]) if k in facts.totals else ""
               for k in ("activities", "participants", "units")},
        })  # fmt: skip
    table = pd.DataFrame.from_records(records, columns=list(MATERIALS_COLUMNS + EXTRA_COLUMNS))
    table["size_bytes"] = table["size_bytes"].astype("int64")
    for column in table.columns:
        if column != "size_bytes":
            table[column] = table[column].astype(object)
    return MaterialsResult(table, issues, all_facts)


def for_ingest(intake: Intake, roster, resolver: names.NameResolver, campaign: Campaign,
               out_dir=None, full: bool = False, rows: pd.DataFrame | None = None,
               cache=None, submissions: pd.DataFrame | None = None,
               ) -> tuple[pd.DataFrame, list[Issue]]:  # fmt: skip
    """The ingest's one call: materials.csv and its issues; the archives' members released.

    What each material holds is cached in OUT/.materials-cache (not with `full`);
    `cache` is that FactsCache when the ingest made it first (to have the facts it
    lacks read by its helpers).
    """
    from analysis.materials.cache import FactsCache

    if cache is None:  # no cache to read (nor to write) for a run without materials
        cache = FactsCache(out_dir if intake.materials else None, enabled=not full)
    try:
        kind_of = roster.kind_of
        result = build(intake, resolver, campaign, kind_of, cache, submissions)
        if out_dir is not None:
            cache.save()
        gaps = summary_gap_issues(result.table, rows, campaign) if rows is not None else []
        return result.table, intake.issues + result.issues + gaps
    finally:
        intake.close()


def summary_gap_issues(
    materials: pd.DataFrame, rows: pd.DataFrame, campaign: Campaign
) -> list[Issue]:
    """One warning per summary whose stated totals differ from the unit's tables by over 10%."""
    from analysis.materials.figures import stated_vs_tables

    if materials.empty or not (materials["material"] == "summary").any():
        return []
    table = stated_vs_tables(materials, rows)
    table = table.loc[table["flagged"]]
    issues = []
    for file, group in table.groupby("file", sort=True):
        first = group.iloc[0]
        where = f"{first['reporting_unit']}{campaign.round_names(first['round'])}"
        parts = [
            message_text("summary_stated_vs_table", figure=r.figure_name, stated=r.stated, table=r.table)
            if pd.notna(r.table)
            else message_text("summary_stated_no_table", figure=r.figure_name, stated=r.stated)
            for r in group.itertuples(index=False)
        ]  # fmt: skip
        issues.append(Issue(
            file, "", None, "", "warning", IssueCode.SUMMARY_TOTAL_GAP,
            message_text("summary_total_gap", file=file, gaps="；".join(parts), where=where),
        ))  # fmt: skip
    return issues
