"""Name resolution: union names as submitted -> roster names.

Rules, in the order `NameResolver.resolve` tries them (first that gives one roster
name wins; a key shared by two roster names resolves only as said below):

1. exact: the name as written (surrounding spaces removed) is a roster name;
2. alias: the analyst's aliases.csv maps it (or its normalised form) to a roster name;
3. compact: equal once width, spaces and brackets are unified ("北京市 房山区…");
4. normalised: `normalise_name` of both sides agree (width, spaces, brackets,
   北京市/房山区 prefixes, 工会委员会 -> 工会, 有限公司 -> 公司);
5. normalised, loose: the same with a trailing 工会 dropped ("长阳镇卫生院" ->
   "长阳镇卫生院工会"). Reporting units use a looser key still: a trailing 总工会 or
   工会 dropped, so "长阳镇工会" and "长阳镇" find "长阳镇总工会".

Where two roster names share a key, the one under the submitting unit is taken
(`NameResolver.resolve(name, reporting_unit)`), else neither. So too for a name the
roster lists under several parents (`Roster.repeated`: 中心小学工会 under two towns, two
unions): the one under the submitting unit, else (a federation reporting another's
union) an alias, else the name written with its parent's place before it
("长阳镇中心小学工会"), else none: the name is ambiguous (`Resolution.candidates`), never
guessed. A resolution carries the union's parent, which tells such unions apart.
An unresolved name gets the three closest roster names (rapidfuzz WRatio on the
normalised forms) as suggestions; they are shown to the analyst, never applied (a
repeated name as `Roster.union_label`, 中心小学工会（长阳镇总工会）, which an alias may name).
"""

from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

import pandas as pd

from analysis import cachefile, textfiles
from analysis.messages import message_text, suggestion_text
from analysis.model import Issue, IssueCode
from analysis.namekeys import (  # noqa: F401 - the keys, re-exported with the rules
    BRACKETS,
    COMPANY_FORMS,
    NAME_PREFIXES,
    compact_name,
    loose_key,
    normalise_name,
    reporting_key,
)
from analysis.roster import Roster, labelled

How = Literal["exact", "normalised", "alias"]

SUGGESTION_COUNT = 3
# Below this WRatio score a roster name is not worth suggesting.
SUGGESTION_MIN_SCORE = 50.0


@dataclass(frozen=True)
class Resolution:
    """How a written name maps to the roster: `unit` is None when it does not.

    `parent`: the union's reporting unit (None for a reporting-unit name, or none found);
    `candidates`: (name, parent) of the unions under several parents an ambiguous name
    matches, none of them under the submitting unit (empty otherwise).
    """

    unit: str | None
    how: How | None
    suggestions: list[str] = field(default_factory=list)
    parent: str | None = None
    candidates: tuple[tuple[str, str], ...] = ()


class Union(NamedTuple):
    """A grassroots union of the roster: its name and its parent (reporting unit)."""

    name: str
    parent: str


def _key_index(names: list[str], key) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Map key -> the one roster name with that key, and key -> names that collide on it."""
    by_key: dict[str, list[str]] = {}
    for name in names:
        k = key(name)
        if k:
            by_key.setdefault(k, []).append(name)
    unique = {k: v[0] for k, v in by_key.items() if len(v) == 1}
    clashes = {k: v for k, v in by_key.items() if len(v) > 1}
    return unique, clashes


class _Index:
    """Resolution of names against one list of roster names.

    `parent_of`: the parent of each name listed once; `repeated`: the parents of each
    name listed under several (`Roster.repeated`). Both empty for reporting units.
    """

    def __init__(self, names: list[str], keys, aliases: dict[str, str], parent_of=None,
                 repeated=None, known: dict | None = None):  # fmt: skip
        self._names_list = names
        self._keys = keys
        self._known = known or {}  # key function -> its key of each of `names`, worked out
        self.names = set(names)
        self.parent_of = parent_of or {}
        self.repeated: dict[str, tuple[str, ...]] = repeated or {}
        self.labels = {
            labelled(name, parent): Union(name, parent)
            for name, parents in self.repeated.items()
            for parent in parents
        }
        self.aliases = {
            alias: target
            for alias, target in aliases.items()
            if target in self.names or target in self.labels
        }
        self.alias_keys = {normalise_name(a): t for a, t in self.aliases.items()}
        self.cache: dict[tuple[str, str | None], Resolution] = {}
        self.found: dict[tuple[str, str | None], Resolution] = {}

    # The key levels and the suggestion choices are built on first use: when every name
    # a run resolves is written as in the roster (or an alias), neither is needed.
    @functools.cached_property
    def levels(self) -> list[tuple]:
        """(key, owners) per level: strict keys (compact, normalised) level by level; a
        looser key is owned by every name that has it at any looser level, so that
        "长阳镇" does not pick 长阳镇工会 over 长阳镇总工会 when a roster holds both."""
        names, keys = self._names_list, self._keys

        def keyed(key):
            return zip(names, self._known.get(key) or map(key, names), strict=True)

        # Owners as tuples of distinct names: most keys have one, and a tuple costs a
        # third of a set to make (6,000 names, three levels: ~25 -> ~8 ms).
        def add(owners: dict[str, tuple], k: str, name: str) -> None:
            had = owners.get(k)
            if had is None:
                owners[k] = (name,)
            elif name not in had:
                owners[k] = (*had, name)

        levels: list[tuple] = []
        for key in keys[:2]:
            owners: dict[str, tuple] = {}
            for name, k in keyed(key):
                if k:
                    add(owners, k, name)
            levels.append((key, owners))
        loose: dict[str, tuple] = {}
        for key in keys[2:]:
            for name, k in keyed(key):
                if k:
                    add(loose, k, name)
        return levels + [(key, loose) for key in keys[2:]]

    @functools.cached_property
    def qualified(self) -> dict[str, set[Union]]:
        """`loose_key` of a repeated name written with its parent before it (长阳镇中心小学
        工会, 长阳镇总工会中心小学工会), or after it in brackets as `labelled` writes it in
        suggestions (中心小学工会（长阳镇总工会）) -> that union. The parent's place is
        compared as `reporting_key` gives it, after the same normalisation as the written
        name, so a town's name is never stripped away (only 北京市/房山区 are)."""
        found: dict[str, set[Union]] = {}
        for name, parents in self.repeated.items():
            for parent in parents:
                # also as suggestions and messages write it: 中心小学工会（长阳镇总工会）
                for written in {reporting_key(parent) + name, normalise_name(parent) + name,
                                labelled(name, parent),
                                labelled(name, reporting_key(parent))}:  # fmt: skip
                    if k := loose_key(written):
                        found.setdefault(k, set()).add(Union(name, parent))
        return found

    @functools.cached_property
    def choices(self) -> list[str]:
        """The names suggestions offer, sorted: a repeated name once per parent, as
        `Roster.union_label` shows it (an alias may name it so)."""
        if not self.repeated:
            return sorted(self._names_list)
        names = [n for n in dict.fromkeys(self._names_list) if n not in self.repeated]
        return sorted(names + list(self.labels))

    @functools.cached_property
    def choice_keys(self) -> list[str]:
        return [
            normalise_name(self.labels[n].name if n in self.labels else n) for n in self.choices
        ]

    def resolve(self, name: object, reporting_unit: str | None = None) -> Resolution:
        text = "" if name is None else str(name).strip()
        if (text, reporting_unit) not in self.cache:
            self.cache[text, reporting_unit] = self._resolve(text, reporting_unit)
        return self.cache[text, reporting_unit]

    def find(self, name: object, reporting_unit: str | None = None) -> Resolution:
        """What `name` resolves to, no suggestions worked out (for folder and file names
        tried on every material, most of which name no union)."""
        text = "" if name is None else str(name).strip()
        if (text, reporting_unit) not in self.found:
            self.found[text, reporting_unit] = self._resolve(text, reporting_unit, suggest=False)
        return self.found[text, reporting_unit]

    def _one(self, name: str, how: How, parent: str | None = None) -> Resolution:
        return Resolution(name, how, [], parent or self.parent_of.get(name))

    def _resolve(self, text: str, reporting_unit: str | None, suggest: bool = True) -> Resolution:
        if not text:
            return Resolution(None, None, [])
        if text in self.names:
            if text not in self.repeated:
                return self._one(text, "exact")
            return self._among({text}, "exact", text, reporting_unit, suggest)
        target = self.aliases.get(text) or self.alias_keys.get(normalise_name(text))
        if target:
            return self._alias(target, reporting_unit, text, suggest)
        for key, owners in self.levels:
            found = owners.get(key(text), ())
            if found:
                return self._among(found, "normalised", text, reporting_unit, suggest)
        if self.repeated:  # 长阳镇中心小学工会: the repeated name under the place it names
            pinned = self.qualified.get(loose_key(text), set())
            if len(pinned) == 1:
                (union,) = pinned
                return Resolution(union.name, "normalised", [], union.parent)
        return Resolution(None, None, self.suggest(text) if suggest else [])

    def _alias(self, target: str, reporting_unit: str | None, text: str, suggest: bool):
        """An alias's target: a roster name (a repeated one as if written so), or a
        repeated name with its parent (中心小学工会（长阳镇总工会）); the submitting unit's
        own union of that name first, whatever parent the alias gives."""
        union = self.labels.get(target)
        if union is None:
            return self._among({target}, "alias", text, reporting_unit, suggest)
        if reporting_unit in self.repeated[union.name]:
            return Resolution(union.name, "alias", [], reporting_unit)
        return Resolution(union.name, "alias", [], union.parent)

    def _among(self, found: set[str], how: How, text: str, reporting_unit: str | None,
               suggest: bool) -> Resolution:  # fmt: skip
        """The one union among the roster names `found` (a name under several parents is
        several unions): the only one, else the one under the submitting unit, else an
        alias of the written name, else none (ambiguous: its candidates, never a guess)."""
        if len(found) == 1 and not self.repeated:
            return self._one(next(iter(found)), how)
        unions = [
            Union(name, parent)
            for name in sorted(found)
            for parent in self.repeated.get(name, (self.parent_of.get(name, ""),))
        ]
        if len(unions) == 1:
            return Resolution(unions[0].name, how, [], unions[0].parent or None)
        own = [u for u in unions if reporting_unit and u.parent == reporting_unit]
        if len(own) == 1:
            return Resolution(own[0].name, how, [], own[0].parent)
        if how != "alias" and self.repeated:
            target = self.aliases.get(text) or self.alias_keys.get(normalise_name(text))
            if target in self.labels:
                return self._alias(target, reporting_unit, text, suggest)
        if not suggest:
            return Resolution(None, None, [], None, tuple(unions))
        tied = [self._choice(u) for u in unions][:SUGGESTION_COUNT]
        rest = [n for n in self.suggest(text) if n not in tied]
        return Resolution(None, None, (tied + rest)[:SUGGESTION_COUNT], None, tuple(unions))

    def _choice(self, union: Union) -> str:
        """A union as suggestions name it (`choices`)."""
        return labelled(*union) if union.name in self.repeated else union.name

    def suggest(self, text: str) -> list[str]:
        if not self.choices:
            return []
        # Imported here: a run whose names all resolve (a re-run from the cache) needs none.
        from rapidfuzz import fuzz, process

        found = process.extract(
            normalise_name(text),
            self.choice_keys,
            scorer=fuzz.WRatio,
            limit=SUGGESTION_COUNT,
            score_cutoff=SUGGESTION_MIN_SCORE,
        )
        return [self.choices[i] for _, _, i in found]


class NameResolver:
    """Resolves grassroots-union and reporting-unit names against the roster."""

    def __init__(self, roster: Roster, aliases: pd.DataFrame | None = None, source: str = "",
                 keys_file: Path | None = None):  # fmt: skip
        """`keys_file`: where the keys of the roster's union names are kept between runs
        (`roster_keys`); None works them out."""
        self.roster = roster
        self._aliases = _alias_map(aliases)
        self._unit_names = roster.units["unit"].astype(str).tolist()
        self._unit_keys = roster_keys(self._unit_names, keys_file) if keys_file else {}
        normal = self._unit_keys.get(normalise_name)
        self.issues = _clash_issues(
            self._unit_names, source or roster.source, roster.repeated, normal
        )

    # The indexes are built on first use: a re-run whose files all come from the
    # ingest cache resolves no name at all.
    @functools.cached_property
    def units(self) -> _Index:
        """The index of grassroots-union names."""
        keys = (compact_name, normalise_name, loose_key)
        roster = self.roster
        return _Index(self._unit_names, keys, self._aliases, roster.parent_of, roster.repeated,
                      self._unit_keys)  # fmt: skip

    @functools.cached_property
    def reporting(self) -> _Index:
        """The index of reporting-unit names."""
        names = self.roster.reporting_units["reporting_unit"].astype(str).tolist()
        keys = (compact_name, normalise_name, loose_key, reporting_key)
        return _Index(names, keys, self._aliases)

    def resolve(self, name: object, reporting_unit: str | None = None) -> Resolution:
        """Resolve a grassroots-union name; `reporting_unit` (the submitter) breaks ties.

        When two roster names share a key ("房山区良乡中学工会" under a town and
        "北京市房山区良乡中学工会" under the education system), or the roster lists the
        name under several parents (中心小学工会 under two towns), the union whose roster
        parent is the submitting unit is taken; otherwise none (`candidates` says which).
        """
        return self.units.resolve(name, reporting_unit)

    def find_union(self, name: object, reporting_unit: str | None = None) -> Union | None:
        """The grassroots union `name` names, or None (no suggestions worked out; a name
        the roster repeats under several parents names none, unless one of them is under
        `reporting_unit`)."""
        found = self.units.find(name, reporting_unit)
        return Union(found.unit, found.parent or "") if found.unit else None

    def union_named(self, text: str, reporting_unit: str | None = None) -> Union | None:
        """The grassroots union a sheet, folder or file name names, written with or
        without its 工会 (长阳镇卫生院工会, 长阳镇卫生院); None when none."""
        found = self.find_union(text, reporting_unit)
        if found is None and not text.endswith("工会"):
            found = self.find_union(text + "工会", reporting_unit)
        return found

    def unions_named(self, text: str, reporting_unit: str | None = None) -> tuple:
        """The unions a sheet, folder or file name may mean when it names a name the roster
        lists under several parents, none of them under `reporting_unit` (written with or
        without its 工会: 中心小学, 中心小学工会), else ()."""
        if not self.roster.repeated:
            return ()
        found = self.units.find(text, reporting_unit).candidates
        if not found and not text.endswith("工会"):
            found = self.units.find(text + "工会", reporting_unit).candidates
        return found

    # A union's name opening a file or folder name is at least this long (as keyed):
    # shorter ones (机关工会, 中心校) open too many names that mean something else.
    UNION_OPENING_CHARS = 4

    @functools.cached_property
    def _union_openings(self) -> tuple[dict[str, frozenset[str]], int]:
        """Union keys (`compact_name`, `normalise_name`, `loose_key`) -> the parents of the unions with
        that key, for names the roster lists once; and the longest key's length."""
        found: dict[str, set[str]] = {}
        for name, parent in self.roster.parent_of.items():
            for key in {compact_name(name), normalise_name(name), loose_key(name)}:
                if len(key) >= self.UNION_OPENING_CHARS:
                    found.setdefault(key, set()).add(parent)
        keys = {k: frozenset(v) for k, v in found.items()}
        return keys, max(map(len, keys), default=0)

    def union_parent_opening(self, text: str) -> str | None:
        """The roster parent of the grassroots union whose name opens `text` or a part of
        it after a separator ("房山区实验中学工会_活动照片", "2019-长阳镇卫生院照片"): the
        longest such name; None when none, or when it names unions of several parents.

        A name inside a longer name (良乡实验中学 is not 实验中学) names nothing: it
        must begin the text or follow a character that is not a letter (_, -, a digit…).
        """
        keys, longest = self._union_openings
        haystack = normalise_name(text)
        best: tuple[int, frozenset[str]] | None = None
        for start in range(len(haystack)):
            if start and haystack[start - 1].isalpha():
                continue
            for end in range(min(len(haystack), start + longest), start, -1):
                parents = keys.get(haystack[start:end])
                if parents is not None:
                    if best is None or end - start > best[0]:
                        best = (end - start, parents)
                    break
        if best is None or len(best[1]) != 1:
            return None
        return next(iter(best[1]))

    @functools.cached_property
    def _place_keys(self) -> dict[str, frozenset[str]]:
        """Bare place names of reporting units (长阳 for 长阳镇总工会, 拱辰 for 拱辰街道总工会,
        教委 for 区教委工会): at least two characters; a place two units share names none."""
        found: dict[str, set[str]] = {}
        for name in self.reporting.choices:
            match = _PLACE_OF_UNIT.match(normalise_name(name))
            place = match and (match.group("place") or match.group("system"))
            if place and len(place) >= 2:
                found.setdefault(place, set()).add(name)
        # A word of every kind of union's name is no place (区机关工会 → 机关: 长阳镇机关工会,
        # 区教委机关工会 …): a key in the unions' names under a quarter of all parents or more.
        units = self.roster.units
        parents = units.groupby("reporting_unit", sort=False)["unit"].agg(
            lambda names: "|".join(normalise_name(n) for n in names)
        )
        enough = max(3, len(parents) // 4)
        return {
            key: frozenset(named)
            for key, named in found.items()
            if sum(key in text for text in parents) < enough
        }

    def reporting_unit_by_place(self, text: str) -> str | None:
        """The reporting unit a folder or file name names by its bare place name, as units
        label what they send (长阳/照片, 拱辰_第二阶段, 霞云岭材料.zip): the place standing
        alone, or next to what the file is (照片, 材料, 第二阶段, 加密照片 …), never part of
        another body's name (北京长阳建材公司, 长阳路小学: a company, a school). Longest
        place wins; two units tied give None."""
        haystack = normalise_name(text)
        best: dict[str, int] = {}
        for key, units in self._place_keys.items():
            start = haystack.find(key)
            while start >= 0:
                end = start + len(key)
                if _PLACE_BEFORE.search(haystack[:start]) and _place_then(haystack[end:]):
                    for unit in units:
                        best[unit] = max(best.get(unit, 0), len(key))
                    break
                start = haystack.find(key, start + 1)
        return _sole_longest(best)

    def resolve_reporting_unit(self, name: object) -> Resolution:
        """Resolve a reporting-unit name (a federation, or a directly affiliated union)."""
        return self.reporting.resolve(name)

    @functools.cached_property
    def _reporting_text_keys(self) -> list[tuple[str, str]]:
        """(key, reporting unit) of every reporting unit's name and alias, two characters
        or more: what `reporting_unit_in_text` looks for, keyed once a run (a run placing
        1,100 photos keyed the 300 units' names 380,000 times)."""
        choices = set(self.reporting.choices)
        named = [(name, name) for name in self.reporting.choices]
        named += [(alias, name) for alias, name in self._aliases.items() if name in choices]
        return [
            (key, name)
            for written, name in named
            for key in {normalise_name(written), loose_key(written), reporting_key(written)}
            if len(key) >= 2
        ]

    def reporting_unit_in_text(self, text: str) -> str | None:
        """The reporting unit whose name (or short form) the text contains; longest wins.

        Used for files without a header block: "长阳镇-第一阶段.csv" -> 长阳镇总工会, and
        for the folders photos come in. An alias of a reporting unit (aliases.csv) counts
        as its name: a unit renamed in the roster keeps its folders. Keys shorter than two
        characters are ignored; two units tied on the longest match give None rather
        than a guess.
        """
        haystack = normalise_name(text)
        best: dict[str, int] = {}
        for key, name in self._reporting_text_keys:
            if key in haystack:
                best[name] = max(best.get(name, 0), len(key))
        return _sole_longest(best)


def _sole_longest(found: dict[str, int]) -> str | None:
    """The unit found by the longest key (unit -> its longest key's length); None when
    none was found or two tie."""
    if not found:
        return None
    longest = max(found.values())
    winners = [n for n, length in found.items() if length == longest]
    return winners[0] if len(winners) == 1 else None


# A reporting unit's bare place name: 长阳 (镇总工会), 霞云岭 (乡总工会), 拱辰 (街道总工会),
# 教委 (区 … 工会, an industry system's union).
_PLACE_OF_UNIT = re.compile(
    r"^(?:(?P<place>.+?)(?:镇|乡|街道)(?:总工会|工会)|区(?P<system>.+?)工会)$"
)
# What may stand around a bare place name in a folder or file name: nothing, a separator
# or digit, or the words units put beside it (round, kind of material, 工会).
_MATERIAL_WORDS = (
    r"工会|总工会|第|[一二三四五六七八九十]阶段|阶段|期|批|照片|图片|相片|影像|材料|资料|总结|小结"
    r"|活动|报送|上报|视频|微视频|文件|文档|信息|简报|宣传|学习|工作|汇报"
)
_PLACE_BEFORE = re.compile(rf"(?:^|[^\w]|[0-9a-zA-Z_]|(?:{_MATERIAL_WORDS})|[)）])$")
_PLACE_AFTER = re.compile(rf"(?:$|[^\w]|[0-9a-zA-Z_]|(?:{_MATERIAL_WORDS}))")


# Words that make what follows a place another body's or place's name (长阳路小学,
# 长阳物流公司, 拱辰大街): a bare place followed by one of them names no unit.
_OTHER_BODY = re.compile(
    r"公司|工会|委员会|学校|小学|中学|大学|学院|幼儿园|医院|卫生院|村|社区|小区|厂|所|站|中心"
    r"|路|街|道|镇|乡|局|委|办|集团|协会|银行|酒店|宾馆|商店|超市|店|部|队|馆|院|场|园|省|市|县|区"
)


def _place_then(rest: str) -> bool:
    """Whether what follows a bare place name in a folder or file name (`rest`, up to
    the next separator) leaves it the place: a word units put beside it, or words that
    do not make it another body's name."""
    if _PLACE_AFTER.match(rest):
        return True
    word = re.split(r"[^\w]|_|[0-9a-zA-Z]", rest, maxsplit=1)[0]
    return not _OTHER_BODY.search(word)


def ambiguous_fields(candidates: tuple[tuple[str, str], ...]) -> dict[str, object]:
    """The `unit_ambiguous` sentence's fields for a resolution's `candidates`: each union
    with its parent, a full name that tells the first apart, and its alias target."""
    # The example: a union under a parent, whose parent's name before it tells it apart
    # (a directly affiliated union is its own parent: "X的“X”" says nothing).
    first = Union(*next((c for c in candidates if c[0] != c[1]), candidates[0]))
    repeated = sum(n == first.name for n, _ in candidates) > 1  # else its name tells it
    return {
        "count": len(candidates),
        "candidates": "、".join(
            message_text(
                "unit_candidate_direct" if name == parent else "unit_candidate",
                unit=name,
                parent=parent,
            )  # fmt: skip
            for name, parent in candidates
        ),
        # The town before the name, unless the name already starts with it (长阳镇卫生院
        # 工会): then the name with its parent in brackets, which resolves as well.
        "example": (
            first.name
            if not repeated
            else labelled(*first)
            if first.name.startswith(reporting_key(first.parent))
            else reporting_key(first.parent) + first.name
        ),
        "label": labelled(*first) if repeated else first.name,
    }


def _alias_map(aliases: pd.DataFrame | None) -> dict[str, str]:
    if aliases is None or aliases.empty:
        return {}
    frame = _standard_alias_columns(aliases)
    return {
        str(a).strip(): str(n).strip()
        for a, n in zip(frame["alias"], frame["name"], strict=True)
        if str(a).strip() and str(n).strip()
    }


# The union-name keys `roster_keys` keeps, in this order.
_UNIT_KEYS = (compact_name, normalise_name, loose_key)


def roster_keys(names: list[str], path: Path) -> dict:
    """{key function: its key of each of `names`} for the grassroots-union name keys.

    Read from `path` when it holds them for these very names, else worked out and
    written there. Normalising a roster's names is most of what a resolver costs to
    set up (6,000 names: ~35 ms in a fresh process, every re-run); the caller names
    `path` after the roster's bytes and the code (the ingest: after the roster's
    cache entry), so a change to either is a new file.
    """
    try:
        with Path(path).open("rb") as fh:
            stored = cachefile.load(fh, Path(path).name)
        if stored[0] == names and all(len(k) == len(names) for k in stored[1:]):
            return dict(zip(_UNIT_KEYS, stored[1:], strict=True))
    except Exception:  # noqa: BLE001 - missing or damaged: worked out again
        pass
    found = {key: [key(n) for n in names] for key in _UNIT_KEYS}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            cachefile.dump([names, *found.values()], fh, Path(path).name)
        os.replace(tmp, path)
    except OSError:
        pass  # worked out again next time
    return found


def _clash_issues(
    units: list[str],
    source: str,
    repeated: dict[str, tuple[str, ...]] | None = None,
    normal: list[str] | None = None,
) -> list[Issue]:
    """One warning per normalised key that two roster names share (`normal`: their
    normalised names, when already worked out); one per name the roster lists under
    several parents, saying how such a name is told apart."""
    repeated = repeated or {}
    key = normalise_name if normal is None else dict(zip(units, normal, strict=True)).__getitem__
    _, clashes = _key_index(list(dict.fromkeys(units)) if repeated else units, key)

    def warning(text: str) -> Issue:
        return Issue(source, "", None, "基层工会名称", "warning",
                     IssueCode.ROSTER_NAME_AMBIGUOUS, text)  # fmt: skip

    same = [
        warning(
            message_text(
                "roster_name_repeated",
                file=source,
                unit=name,
                count=len(parents),
                parents="、".join(parents),
                example=reporting_key(parents[0]) + name,
                label=labelled(name, parents[0]),
            )
        )  # fmt: skip
        for name, parents in repeated.items()
    ]
    return same + [
        warning(message_text("roster_name_ambiguous", file=source, names="”“".join(names)))
        for names in clashes.values()
    ]


ALIAS_COLUMNS: tuple[tuple[str, str], ...] = (("报送名称", "名册名称"), ("alias", "name"))


def _standard_alias_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The alias table with columns alias, name (from 报送名称,名册名称 or alias,name)."""
    columns = {str(c).strip().lstrip("\ufeff"): c for c in frame.columns}
    for alias_col, name_col in ALIAS_COLUMNS:
        if alias_col in columns and name_col in columns:
            return pd.DataFrame(
                {
                    "alias": frame[columns[alias_col]].fillna("").astype(str).str.strip(),
                    "name": frame[columns[name_col]].fillna("").astype(str).str.strip(),
                }
            )
    raise ValueError("alias columns not found")


# The analyst's alias table at the top of RAW: aliases.csv as the README says, or the
# same table saved from Excel/WPS as a workbook, or named in Chinese.
ALIAS_STEMS = ("aliases", "名称对照表", "别名表")
ALIAS_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".et", ".ods")
# A title row or two ("名称对照表") may stand above the header line.
ALIAS_HEADER_SEARCH = 5


def alias_files(raw_dir: Path) -> list[Path]:
    """The alias tables at the top of RAW, newest first (the one a run uses first).

    Office's lock file (~$aliases.xlsx) and backups (aliases.csv.bak) have other stems
    or suffixes, so are not among them."""
    try:
        entries = list(Path(raw_dir).iterdir())
    except OSError:
        return []
    found = [
        p for p in entries
        if p.suffix.lower() in ALIAS_SUFFIXES and p.stem.strip().lower() in ALIAS_STEMS
        and p.is_file()
    ]  # fmt: skip
    return sorted(found, key=lambda p: (-p.stat().st_mtime, p.name))


def read_alias_file(raw_dir: Path) -> tuple[pd.DataFrame | None, str, list[Issue]]:
    """The alias table of RAW (`alias_files`' newest), its name, and the issues reading it;
    None when there is none. A second table beside it is named in a warning, not read."""
    files = alias_files(raw_dir)
    if not files:
        return None, "", []
    used, *others = files
    frame, issues = read_aliases(used, used.name)
    for other in others:
        text = message_text("aliases_file_ignored", file=other.name, used=used.name)
        issues.append(Issue(other.name, "", None, "", "warning",
                            IssueCode.ALIASES_FILE_IGNORED, text))  # fmt: skip
    return frame, used.name, issues


def _cell_text(value: object) -> str:
    """A workbook cell as the alias table's text (a whole number without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook_records(path: Path, display_name: str) -> tuple[list[tuple[int, list[str]]], str]:
    """(row number, cells) of the first visible sheet holding anything, and its name."""
    from analysis.campaign import Limits
    from analysis.readers import read_workbook

    workbook = read_workbook(path, Limits(), display_name=display_name)
    sheets = [s for s in workbook.sheets if not s.hidden and s.rows] or workbook.sheets[:1]
    if not sheets:
        return [], ""
    records = [
        (number, [_cell_text(v) for v in row])
        for number, row in enumerate(sheets[0].rows, start=1)
        if any(_cell_text(v) for v in row)
    ]
    return records, sheets[0].name


def read_aliases(path: Path, display_name: str = "aliases.csv") -> tuple[pd.DataFrame, list[Issue]]:
    """Read the alias table (a CSV in UTF-8 or GBK, or a workbook) as columns alias,
    name, row; problems -> Issues.

    Line by line: a line that cannot be read (an unpaired quote) or names no roster
    name is an issue of its own, and the other lines are used. The header 报送名称,
    名册名称 (or alias,name) is looked for in the first lines (a title above it is
    skipped). A file without it whose first line holds two names is read as pairs, the
    name as submitted first (a warning says so; `check_aliases` then catches a pair the
    wrong way round, line by line). Only a file that cannot be decoded, or whose first
    line is neither, is unusable as a whole. Blank lines are skipped, cells beyond the
    two columns (a remark) ignored, and `row` is the line's number in the file (the
    row's number on the sheet of a workbook). An empty file is no aliases.
    """
    from analysis.model import FileRejected

    empty = pd.DataFrame({"alias": [], "name": [], "row": []})
    issues: list[Issue] = []
    sheet = ""

    def unusable(problem: str) -> tuple[pd.DataFrame, list[Issue]]:
        message = message_text("aliases_unreadable", file=display_name, problem=problem)
        return empty, [
            Issue(display_name, sheet, None, "", "error", IssueCode.ALIASES_UNREADABLE, message)
        ]

    if Path(path).suffix.lower() in (".csv", ".txt"):
        text = textfiles.decode_or_none(Path(path).read_bytes())  # BOM, CRLF, GBK as Notepad saves
        if text is None:
            return unusable(message_text("aliases_bad_encoding"))
        records = _text_records(text, display_name, issues)
    else:
        try:
            records, sheet = _workbook_records(Path(path), display_name)
        except FileRejected as exc:
            return unusable(exc.message.split("；请", 1)[0])
    if not records:
        return empty, issues
    found, data = None, records
    for k, (_, header) in enumerate(records[:ALIAS_HEADER_SEARCH]):
        found = next(((header.index(a), header.index(n)) for a, n in ALIAS_COLUMNS
                      if a in header and n in header), None)  # fmt: skip
        if found is not None:
            data = records[k + 1 :]
            break
    if found is None:
        if len([c for c in data[0][1][:2] if c]) < 2:
            return unusable(message_text("aliases_bad_columns"))
        found = (0, 1)  # pairs without a header line
        why = message_text("aliases_no_header", file=display_name)
        issues.append(Issue(display_name, sheet, data[0][0], "", "warning",
                            IssueCode.ALIASES_NO_HEADER, why))  # fmt: skip
    rows = []
    for number, cells in data:
        alias, name = (cells[j] if j < len(cells) else "" for j in found)
        if not alias:
            continue
        if not name:
            why = message_text("alias_row_incomplete", file=display_name, row=number, alias=alias)
            issues.append(
                Issue(display_name, sheet, number, "名册名称", "error",
                      IssueCode.ALIAS_ROW_INCOMPLETE, why)
            )  # fmt: skip
            continue
        rows.append((alias, name, number))
    frame = pd.DataFrame(rows, columns=["alias", "name", "row"]) if rows else empty
    return frame, issues


def _text_records(text: str, display_name: str, issues: list[Issue]) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each line of a CSV alias table that holds anything."""
    records: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        if "," not in line:  # typed with a Chinese comma (“报送名称，名册名称”) or a tab
            line = line.replace("，", ",").replace("\t", ",")
        try:
            cells = next(csv.reader([line], strict=True))
        except csv.Error:  # an unpaired quote: this line only
            why = message_text("alias_row_unreadable", file=display_name, row=number)
            issues.append(
                Issue(display_name, "", number, "", "error", IssueCode.ALIAS_ROW_UNREADABLE, why)
            )
            continue
        cells = [c.strip() for c in cells]
        if any(cells):
            records.append((number, cells))
    return records


# An alias whose target is another alias of the table is followed this many steps at most.
ALIAS_CHAIN_STEPS = 10


def check_aliases(
    aliases: pd.DataFrame, roster: Roster, display_name: str = "aliases.csv"
) -> tuple[pd.DataFrame, list[Issue]]:
    """The usable aliases, each pointing at a roster name, and an Issue for each that is not.

    A target written as another alias of the table ("甲 → 乙", "乙 → 名册名称") is
    followed to the roster name. A target that is a roster name but for width, spaces
    or brackets (or a 北京市/房山区 prefix, 委员会…: `NameResolver`'s rules) is used
    as that roster name, with a warning to write it exactly. Otherwise the row is not
    used, and its issue lists the closest roster names. An alias that is itself a roster
    name is not used: a name written as in the roster always counts for it, except a
    name the roster lists under several parents, which an alias may pin to one of them.
    """
    known = set(roster.units["unit"]) | set(roster.reporting_units["reporting_unit"])
    known |= {roster.union_label(n, p) for n, parents in roster.repeated.items() for p in parents}
    frame = _standard_alias_columns(aliases).assign(
        row=aliases["row"] if "row" in aliases else range(2, len(aliases) + 2)
    )
    resolver = NameResolver(roster)
    targets = dict(zip(frame["alias"], frame["name"], strict=True))
    target_keys = {normalise_name(a): n for a, n in targets.items()}
    issues: list[Issue] = []

    def issue(row: object, column: str, severity: str, *, code: str, **values: object) -> None:
        text = message_text(code, file=display_name, row=row, **values)
        issues.append(Issue(display_name, "", int(row), column, severity, code, text))

    def roster_name(name: str) -> tuple[str | None, bool]:
        """The roster name `name` stands for, and whether the row names it exactly or
        through other rows of the table (False: by the resolver's rules)."""
        seen = {name}
        for step in range(ALIAS_CHAIN_STEPS):
            if name in known:
                return name, True
            further = targets.get(name) or target_keys.get(normalise_name(name))
            if further is None or further in seen:
                union = resolver.find_union(name)
                found = union.name if union else resolver.reporting.find(name).unit
                return found, found is not None and step > 0
            seen.add(further)
            name = further
        return None, False

    keep = []
    first_target: dict[str, str] = {}
    names: list[str] = []
    for alias, name, row in zip(frame["alias"], frame["name"], frame["row"], strict=True):
        found, exact = roster_name(name)
        names.append(found or name)
        if found is None:
            suggestions = resolver.units.suggest(name) or resolver.reporting.suggest(name)
            issue(row, "名册名称", "error", code=IssueCode.ALIAS_TARGET_UNKNOWN, alias=alias,
                  name=name, suggestions=suggestion_text(suggestions))  # fmt: skip
            keep.append(False)
        elif alias in known and alias != found and alias not in roster.repeated:
            # (a name the roster repeats under several parents names no one union: an
            # alias may say which one it means)
            issue(row, "报送名称", "warning", code=IssueCode.ALIAS_IS_ROSTER_NAME, alias=alias,
                  name=found)  # fmt: skip
            keep.append(False)
        elif alias in first_target and first_target[alias] != found:
            issue(row, "报送名称", "error", code=IssueCode.ALIAS_CONFLICT, alias=alias, name=found,
                  first=first_target[alias])  # fmt: skip
            keep.append(False)
        else:
            if not exact:  # a roster name written loosely
                issue(row, "名册名称", "warning", code=IssueCode.ALIAS_TARGET_INEXACT, alias=alias,
                      name=name, found=found)  # fmt: skip
            first_target.setdefault(alias, found)
            keep.append(True)
    frame = frame.assign(name=names)
    return frame[keep].reset_index(drop=True), issues
