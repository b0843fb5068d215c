"""Whose material it is and for which round, from the places a person would look.

Reporting unit, in order: a folder or archive named for the unit or for one of its
grassroots unions (nearest first), the file name, the document's own text (填报单位, or a title such as
"长阳镇总工会关于……的阶段性总结"), then (`beside`, with the ingest's submissions) the
one unit whose spreadsheets the nearest folder or archive around it holds. Round, in
order: a folder (a round's name, months, a month or day in figures), the file name,
the document's title then its text (第一阶段 …), a photo's EXIF date or a video's
recording date, then the round of those spreadsheets. What cannot be placed stays
empty and the caller warns; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from analysis import names
from analysis.campaign import Campaign
from analysis.materials.detect import ARCHIVE_SUFFIXES
from analysis.materials.documents import SUMMARY_MARK, unit_written
from analysis.submissions import round_from_text, round_of_months, round_of_period


@dataclass(frozen=True)
class Placement:
    reporting_unit: str
    round: str
    unit_from: str  # folder, file_name, document, beside, ""
    round_from: str  # folder, file_name, document, exif, beside, ""


def _round(text: str, campaign: Campaign) -> str | None:
    # "总结" names a summary, not the last round (the built-in campaign's r3 label):
    # a 阶段性总结 of round one must not be placed in round three. It is left out as a
    # separator, so that what stood around it is not joined into a label never written
    # (阶段总结2 is not “阶段2”).
    return round_from_text(text.replace(SUMMARY_MARK, "、"), campaign)


# A folder named for a month or a day in figures: 2019.7, 2019-07, 201907; 2019.6.10,
# 2019-06-10, 20190610 (optionally followed by words: 20190610活动照片).
_DATED = re.compile(
    r"(?P<y>20\d{2})(?:(?P<s>[.\-_/])(?P<m>\d{1,2})(?:(?P=s)(?P<d>\d{1,2}))?"
    r"|(?P<m2>\d{2})(?P<d2>\d{2})?)(?!\d)"
)


def _round_of_dated(text: str, campaign: Campaign) -> str | None:
    """The round of a folder named for a month (the round holding most of it) or a day
    (the round whose window holds it) written in figures; None for anything else (a
    month no round overlaps: another year's)."""
    match = _DATED.match(text.strip())
    if match is None:
        return None
    year = int(match["y"])
    month, day = int(match["m"] or match["m2"]), match["d"] or match["d2"]
    if day is not None:
        try:
            hit = campaign.round_for_date(dt.date(year, month, int(day)))
        except ValueError:
            return None
        return hit.code if hit else None
    if not 1 <= month <= 12:
        return None
    return round_of_months(year, month, month, campaign)


def _folders(rel: str) -> list[str]:
    """Folder and archive names between submissions/ and the file, nearest first."""
    parts = list(PurePosixPath(rel).parts[1:-1])
    out = []
    for part in reversed(parts):
        stem = PurePosixPath(part)
        out.append(stem.stem if stem.suffix.lower() in ARCHIVE_SUFFIXES else part)
    return out


def _unit_named(text: str, resolver: names.NameResolver, outer: str | None = None) -> str | None:
    """The reporting unit a folder or file name names: a grassroots union's own name
    (长阳镇中心小学 under 区教委工会) counts for its roster parent, whatever place its
    name mentions, and so does a name that opens with one (长阳镇中心小学_合影); else a
    reporting unit named in it (长阳镇 → 长阳镇总工会).

    A name the roster lists under several parents is the union under `outer` (the
    reporting unit an enclosing folder names: 琉璃河镇/中心小学工会), as a row from that
    unit would be; else an alias's; else none, even when one of them is a directly
    affiliated union and so a reporting unit's name: the enclosing folders decide."""
    union = resolver.union_named(text, outer)  # a folder named with or without 工会
    if union is not None:
        return union.parent
    if resolver.unions_named(text, outer):
        return None
    # A name opening with a union's name, then what the file is: 房山区实验中学工会_合影
    return (
        resolver.union_parent_opening(text)
        or resolver.reporting_unit_in_text(text)
        or resolver.reporting_unit_by_place(text)  # 长阳/照片, 拱辰_第二阶段
    )


def _outer_unit(folders: list[str], resolver: names.NameResolver) -> list[str | None]:
    """For each folder (nearest first), the reporting unit the folders enclosing it name."""
    found: list[str | None] = []
    unit = None
    for folder in reversed(folders):
        found.append(unit)
        unit = (
            resolver.reporting_unit_in_text(folder)
            or resolver.reporting_unit_by_place(folder)
            or unit
        )
    return found[::-1]


def place(rel: str, resolver: names.NameResolver, campaign: Campaign, title: str = "",
          text: str = "", taken: dt.date | None = None) -> Placement:  # fmt: skip
    """The reporting unit and round of one material (empty strings when unknown)."""
    folders, stem = _folders(rel), PurePosixPath(rel).stem
    unit, unit_from = "", ""
    outer = _outer_unit(folders, resolver) if resolver.roster.repeated else [None] * len(folders)
    for where, candidates, around in (("folder", folders, outer), ("file_name", [stem], [None])):
        found = next(
            (
                u
                for c, o in zip(candidates, around, strict=True)
                if (u := _unit_named(c, resolver, o))
            ),
            None,
        )
        if found:
            unit, unit_from = found, where
            break
    if not unit and (title or text):
        written = unit_written(text)
        found = resolver.resolve_reporting_unit(written).unit if written else None
        found = found or (resolver.reporting_unit_in_text(title) if title else None)
        if found:
            unit, unit_from = found, "document"
    rnd, round_from = "", ""
    for where, candidates in (("folder", folders), ("file_name", [stem]),
                              ("document", [title, text])):  # fmt: skip
        found = next((r for c in candidates if c and (r := _round(c, campaign))), None)
        if not found and where == "folder":  # a folder named for months: “7-9月”, “三季度”
            found = next((r for c in candidates if (r := round_of_period(c, campaign))), None)
        if not found and where == "folder":  # or for a month or day: “2019.7”, “20190610”
            found = next((r for c in candidates if (r := _round_of_dated(c, campaign))), None)
        if found:
            rnd, round_from = found, where
            break
    if not rnd and taken is not None:
        hit = campaign.round_for_date(taken)
        if hit:
            rnd, round_from = hit.code, "exif"
    return Placement(unit, rnd, unit_from, round_from)


def beside_spreadsheets(submissions, campaign: Campaign) -> dict[str, tuple[set[str], set[str]]]:
    """For each folder (or archive, or folder in one) holding submissions at any depth,
    the reporting units and rounds of those submissions: the places `beside` looks.

    `submissions` is submissions.csv's frame (file, reporting_unit, round, state). The
    submissions root itself and folders that name a round are left out: they are the
    analyst's sorting of every unit's files, not one unit's own folder."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    if submissions is None or not len(submissions):
        return found
    for file, unit, rnd, state in submissions[
        ["file", "reporting_unit", "round", "state"]
    ].itertuples(index=False):
        if state == "rejected" or not isinstance(unit, str) or not unit:
            continue
        parts = PurePosixPath(file).parts
        for depth in range(2, len(parts)):
            folder = "/".join(parts[:depth])
            units, rounds = found.setdefault(folder, (set(), set()))
            units.add(unit)
            rounds.add(rnd if isinstance(rnd, str) else "")
    return found


def beside(rel: str, folders: dict[str, tuple[set[str], set[str]]],
           campaign: Campaign) -> tuple[str, str]:  # fmt: skip
    """The reporting unit (and round) of the spreadsheets in the nearest folder around a
    material that holds any (长阳材料/报送表.xlsx beside 长阳材料/照片/1.jpg): one unit,
    else none; their one round, else none. A folder that names a round is passed over.

    Folders sorting every unit's files (the submissions root, 第二阶段/) are never one
    unit's: `beside_spreadsheets` leaves them out."""
    parts = PurePosixPath(rel).parts
    for depth in range(len(parts) - 1, 1, -1):
        name = parts[depth - 1]
        stem = (
            PurePosixPath(name).stem
            if PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES
            else name
        )
        if _round(stem, campaign) or round_of_period(stem, campaign):
            continue  # 第二阶段/: every unit's files of a round, or a unit's round subfolder
        hit = folders.get("/".join(parts[:depth]))
        if hit is not None:
            units, rounds = hit
            if len(units) != 1:
                return "", ""
            return next(iter(units)), (next(iter(rounds)) if len(rounds) == 1 else "")
    return "", ""
