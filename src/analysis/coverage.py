"""Coverage figures: tidy ingest tables in, one row per group and one column per figure out.

Pure functions, no I/O. Definitions (docs/architecture.md, the briefing's caveats):

- Only ledger rows with state ``accepted`` count.
- An activity counts for the grassroots union it names and so for that union's parent
  in the roster, whichever unit reported it. A federation-level activity (no
  grassroots union) counts in the activities and participants of its reporting unit
  but never in unit or member coverage.
- Participants that could not be read are missing, not zero: they are left out of the
  sums and counted in ``participants_missing``.
- A group with no grassroots unions has an empty (NaN) ratio, never 0.
- ``as_of`` cuts by activity date; an undated activity counts from its round's start.

Counting is done on integer codes with ``np.bincount`` so that a national roster
(millions of unions, tens of millions of activities) takes seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import config
from analysis.campaign import OTHER_WORK_ITEM, Campaign
from analysis.model import FileState, Level, RowState
from analysis.roster import UNION_KEY_SEP, Roster

LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
COVERAGE_COLUMNS: tuple[str, ...] = (
    "level",
    "kind",
    "group",
    "units_total",
    "units_covered",
    "unit_coverage",
    "members_total",
    "members_covered",
    "member_coverage",
    "activities",
    "participants",
)
COVERAGE_EXTRA_COLUMNS: tuple[str, ...] = (
    "participants_per_100",
    "activities_federation",
    "participants_missing",
    "participants_missing_share",
)
BY_ITEM_COLUMNS: tuple[str, ...] = (
    "level",
    "kind",
    "group",
    "work_item",
    "units_covered",
    "unit_coverage",
    "activities",
    "participants",
)
BY_ITEM_EXTRA_COLUMNS: tuple[str, ...] = ("units_total", "participants_missing")
# rows.csv columns this module reads (contract's, then architecture.md's extras).
LEDGER_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    "state",
    "grassroots_unit",
    "reporting_unit",
    "work_item",
    "date",
    "participants",
    "round",
    "form",
    "counted_for",
)
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    "reporting_unit",
    "group",
    "kind",
    "grassroots_unit",
    "federation_level",
    "date",
    "round",
    "work_item",
    "form",
    "participants",
)


# --------------------------------------------------------------------------- helpers


def _codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each value in `index`, -1 when absent or missing (read-only array).

    A categorical whose categories are `index` costs nothing: its codes are the answer.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        codes = values.cat.codes.to_numpy()
        if categories.equals(index):
            return codes
        # code -1 (missing) picks the appended -1
        return np.append(index.get_indexer(categories), -1)[codes]
    return index.get_indexer(values.to_numpy(dtype=object, na_value=None))


def _ratio(numerator: pd.Series | np.ndarray, denominator: pd.Series | np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN (never 0 or an error) where the denominator is 0."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)


def _kind_order(kinds: Sequence[str]) -> list[str]:
    """config.KINDS first, then any other kind found, sorted."""
    return list(config.KINDS) + sorted(set(kinds) - set(config.KINDS))


@dataclass(frozen=True)
class _Groups:
    """The roster as integer codes: unions -> reporting units (groups) -> kinds."""

    units: pd.Index  # grassroots unions by `Roster.union_key` (their names, unless repeated)
    groups: pd.Index  # reporting unit names, report order (kind, then name)
    group_kind: np.ndarray  # kind code of each group
    kinds: list[str]  # kinds in report order (every config.KINDS, then others)
    group_kind_code: np.ndarray  # position of each group's kind in `kinds`
    unit_group: np.ndarray  # group position of each union
    members: np.ndarray  # members of each union (int64)
    # Names the roster lists under several parents (`Roster.repeated`): an activity naming
    # one is keyed by the name and the group it counts for (the resolved union's parent).
    repeated: frozenset[str] = frozenset()

    @classmethod
    def of(cls, roster: Roster) -> _Groups:
        units = roster.units
        kind_of = roster.kind_of  # a new dict: completed below
        for name, kind in zip(pd.unique(units["reporting_unit"]), _first_kinds(units), strict=True):
            kind_of.setdefault(name, kind)
        kinds = _kind_order([str(k) for k in kind_of.values()])
        rank = {k: i for i, k in enumerate(kinds)}
        names = sorted(kind_of, key=lambda n: (rank[str(kind_of[n])], str(n)))
        groups = pd.Index(np.array([str(n) for n in names], dtype=object))
        group_kind = np.array([str(kind_of[n]) for n in names], dtype=object)
        repeated = frozenset(roster.repeated)
        return cls(
            # kept in its own dtype: turning 3M Arrow strings into Python objects costs seconds
            units=pd.Index(roster.union_keys(), dtype=object)
            if repeated
            else pd.Index(units["unit"].astype(str)),
            groups=groups,
            group_kind=group_kind,
            kinds=kinds,
            group_kind_code=np.array([rank[k] for k in group_kind], dtype=np.intp),
            unit_group=_codes(units["reporting_unit"], groups).astype(np.intp),
            members=units["members"].to_numpy(dtype=np.int64),
            repeated=repeated,
        )

    def unit_codes(self, activities: pd.DataFrame) -> np.ndarray:
        codes = _codes(activities["grassroots_unit"], self.units)
        if not self.repeated:
            return codes
        column = next(c for c in ("group", "counted_for", "reporting_unit") if c in activities)
        return self.repeated_codes(
            codes,
            activities["grassroots_unit"].to_numpy(dtype=object, na_value=None),
            activities[column].to_numpy(dtype=object, na_value=None),
        )

    def repeated_codes(self, codes: np.ndarray, names: np.ndarray, parents: np.ndarray):
        """`codes` with the activities naming a repeated name placed by (name, parent)."""
        names = np.array(["" if n is None else str(n).strip() for n in names], dtype=object)
        at = np.flatnonzero(np.isin(names, list(self.repeated)))
        if not len(at):
            return codes
        keys = [f"{n}{UNION_KEY_SEP}{p}" for n, p in zip(names[at], parents[at], strict=True)]
        codes = np.array(codes, dtype=np.intp)
        codes[at] = self.units.get_indexer(pd.Index(keys, dtype=object))
        return codes

    def group_codes(self, activities: pd.DataFrame, unit_code: np.ndarray) -> np.ndarray:
        """Roster parent of the named union; the activity's own group when it names none."""
        column = next(c for c in ("group", "counted_for", "reporting_unit") if c in activities)
        own = _codes(activities[column], self.groups)
        if len(self.unit_group) == 0:
            return own
        parent = self.unit_group.take(unit_code, mode="clip")
        return np.where(unit_code >= 0, parent, own)

    def table(
        self, counts: dict[str, np.ndarray], key: str | None = None, values: object = None
    ) -> pd.DataFrame:
        """District, kind and reporting-unit rows from per-group counts.

        Each array in `counts` has one value per group, or per group x key value (group
        major) when `key` names a second dimension with `values`. Kind rows are the sums
        of their groups (zeros for a kind without any), the district row the sum of kinds.
        """
        n_keys = 1 if key is None else len(values)
        n_kinds, n_groups = len(self.kinds), len(self.groups)
        n_rows = 1 + n_kinds + n_groups
        data: dict[str, object] = {
            "level": np.repeat(
                np.array(list(LEVELS), dtype=object),
                [n_keys, n_kinds * n_keys, n_groups * n_keys],
            ),
            "kind": np.repeat(
                np.concatenate([[""], self.kinds, self.group_kind]).astype(object), n_keys
            ),
            "group": np.repeat(
                np.concatenate(
                    [[config.DISTRICT_GROUP], self.kinds, self.groups.to_numpy()]
                ).astype(object),
                n_keys,
            ),
        }
        if key is not None:
            data[key] = np.tile(np.asarray(values), n_rows)
        for name, values_ in counts.items():
            per_group = np.asarray(values_, dtype=np.int64).reshape(n_groups, n_keys)
            per_kind = np.zeros((n_kinds, n_keys), dtype=np.int64)
            np.add.at(per_kind, self.group_kind_code, per_group)
            data[name] = np.concatenate([per_kind.sum(axis=0), per_kind.ravel(), per_group.ravel()])
        return pd.DataFrame(data)


def _first_kinds(units: pd.DataFrame) -> list[str]:
    """The kind of each reporting unit in `units`, in order of first appearance."""
    first = units.drop_duplicates("reporting_unit")
    return first["kind"].astype(str).tolist()


def _bincount(codes: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    out = np.bincount(codes, weights=weights, minlength=size)
    return np.rint(out).astype(np.int64) if weights is not None else out.astype(np.int64)


def _participants(activities: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(activities["participants"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )


# --------------------------------------------------------------------------- activities


def accepted_activities(
    rows: pd.DataFrame,
    roster: Roster,
    as_of: dt.date | None = None,
    campaign: Campaign | None = None,
) -> pd.DataFrame:
    """The ledger's accepted activities with the group they count for, cut at `as_of`.

    `group` is the roster parent of `grassroots_unit` (whoever reported it), or for a
    federation-level activity (`grassroots_unit` empty) its `counted_for` /
    `reporting_unit`. With `as_of`, an activity counts when dated on or before it; an
    undated one counts when its round has started by then (needs `campaign`; without
    it undated activities are left out of an `as_of` cut).
    """
    missing = [c for c in LEDGER_COLUMNS if c not in rows]
    if missing:  # an empty ledger (no submission at all) may come without columns
        rows = rows.assign(**dict.fromkeys(missing, pd.NA))
    acc = rows.loc[rows["state"].astype(str) == RowState.ACCEPTED].copy()
    grassroots = acc["grassroots_unit"].fillna("").astype(str).str.strip()
    units = roster.units
    # A name under several parents (`Roster.repeated`) counts for the parent it was resolved
    # to (`counted_for`); any other for its roster parent, whoever reported it.
    parent_of = roster.parent_of if roster.repeated else None
    parent = (
        pd.Series(units["reporting_unit"].to_numpy(), index=units["unit"].astype(str))
        if parent_of is None
        else pd.Series(parent_of, dtype=object)
    )
    own = acc["counted_for"] if "counted_for" in acc else acc["reporting_unit"]
    own = own.where(own.notna() & (own.astype(str) != ""), acc["reporting_unit"])
    mapped = grassroots.map(parent)
    group = (mapped if parent_of is None else mapped.astype(object)).fillna(own).astype(str)
    kinds = roster.reporting_units.set_index("reporting_unit")["kind"]
    kinds = pd.concat(
        [kinds, units.drop_duplicates("reporting_unit").set_index("reporting_unit")["kind"]]
    )
    kinds = kinds[~kinds.index.duplicated()]
    acc = acc.assign(
        grassroots_unit=grassroots,
        federation_level=grassroots == "",
        group=group,
        kind=group.map(kinds),
        date=pd.to_datetime(acc["date"], errors="coerce"),
        participants=pd.to_numeric(acc["participants"], errors="coerce").astype("float64"),
        work_item=acc["work_item"].fillna(OTHER_WORK_ITEM).replace("", OTHER_WORK_ITEM),
    )
    for column in ACTIVITY_COLUMNS:
        if column not in acc:
            acc[column] = pd.NA
    if as_of is not None:
        cut = pd.Timestamp(as_of)
        keep = acc["date"] <= cut
        if campaign is not None:
            starts = {r.code: pd.Timestamp(r.start) for r in campaign.rounds}
            started = acc["round"].map(starts) <= cut
            keep |= acc["date"].isna() & started.fillna(False).astype(bool)
        acc = acc.loc[keep]
    return acc.loc[:, list(ACTIVITY_COLUMNS)].reset_index(drop=True)


# --------------------------------------------------------------------------- coverage


def _with_ratios(table: pd.DataFrame) -> pd.DataFrame:
    table["unit_coverage"] = _ratio(table["units_covered"], table["units_total"])
    if "members_total" in table:
        table["member_coverage"] = _ratio(table["members_covered"], table["members_total"])
        table["participants_per_100"] = _ratio(table["participants"] * 100, table["members_total"])
        table["participants_missing_share"] = _ratio(
            table["participants_missing"], table["activities"]
        )
    return table


@dataclass(frozen=True)
class _Coded:
    """Accepted activities as integer codes against a roster, computed once per table set.

    Activities whose group is not in the roster are dropped (they cannot be placed).
    """

    unit: np.ndarray  # union position, -1 for a federation-level activity
    group: np.ndarray  # group position
    participants: np.ndarray  # readable participants, 0 where missing
    missing: np.ndarray  # participants unreadable
    kept: np.ndarray | None  # which activities were kept, None when all

    @classmethod
    def of(cls, g: _Groups, activities: pd.DataFrame) -> _Coded:
        unit = g.unit_codes(activities)
        group = g.group_codes(activities, unit)
        participants = _participants(activities)
        missing = np.isnan(participants)
        kept = None
        if (group < 0).any():
            kept = group >= 0
            unit, group, participants, missing = (
                unit[kept],
                group[kept],
                participants[kept],
                missing[kept],
            )
        return cls(unit, group, np.where(missing, 0.0, participants), missing, kept)

    def covered_units(self, n_units: int) -> np.ndarray:
        covered = np.zeros(n_units, dtype=bool)
        covered[self.unit[self.unit >= 0]] = True
        return covered


def _coverage(g: _Groups, coded: _Coded) -> pd.DataFrame:
    size = len(g.groups)
    covered = coded.covered_units(len(g.units))
    covered_group = g.unit_group[covered]
    counts = {
        "units_total": _bincount(g.unit_group, size),
        "units_covered": _bincount(covered_group, size),
        "members_total": _bincount(g.unit_group, size, g.members.astype(np.float64)),
        "members_covered": _bincount(covered_group, size, g.members[covered].astype(np.float64)),
        "activities": _bincount(coded.group, size),
        "participants": _bincount(coded.group, size, coded.participants),
        "activities_federation": _bincount(coded.group[coded.unit < 0], size),
        "participants_missing": _bincount(coded.group[coded.missing], size),
    }
    table = _with_ratios(g.table(counts))
    return table.loc[:, list(COVERAGE_COLUMNS + COVERAGE_EXTRA_COLUMNS)]


def coverage_table(roster: Roster, activities: pd.DataFrame) -> pd.DataFrame:
    """coverage.csv: district, kind and reporting-unit rows of unit/member coverage.

    Rows: the district (`全区`), every kind in config.KINDS order (a kind with no unions
    has NaN ratios), then reporting units by kind and name. Extra columns after the
    contract's: participants_per_100, activities_federation, participants_missing and
    participants_missing_share (of activities).
    """
    g = _Groups.of(roster)
    return _coverage(g, _Coded.of(g, activities))


def _item_codes(activities: pd.DataFrame, items: pd.Index) -> np.ndarray:
    code = _codes(activities["work_item"], items)
    return np.where(code >= 0, code, items.get_loc(OTHER_WORK_ITEM))


def _by_item(
    g: _Groups, coded: _Coded, activities: pd.DataFrame, work_items: Sequence[str]
) -> pd.DataFrame:
    items = pd.Index(list(work_items))
    item = _item_codes(activities, items)
    if coded.kept is not None:
        item = item[coded.kept]
    return _by_item_codes(g, coded, item, items)


def _by_item_codes(g: _Groups, coded: _Coded, item: np.ndarray, items: pd.Index) -> pd.DataFrame:
    """coverage_by_item from coded activities and each kept activity's work-item position."""
    n_items, size = len(items), len(g.groups)
    cell = coded.group.astype(np.intp) * n_items + item

    named = coded.unit >= 0
    unit_item = np.zeros(len(g.units) * n_items, dtype=bool)
    unit_item[coded.unit[named].astype(np.intp) * n_items + item[named]] = True
    covered_cells = np.flatnonzero(unit_item)
    covered_cell = g.unit_group[covered_cells // n_items] * n_items + covered_cells % n_items

    cells = size * n_items
    counts = {
        "units_total": np.repeat(_bincount(g.unit_group, size), n_items),
        "units_covered": _bincount(covered_cell, cells),
        "activities": _bincount(cell, cells),
        "participants": _bincount(cell, cells, coded.participants),
        "participants_missing": _bincount(cell[coded.missing], cells),
    }
    table = g.table(counts, "work_item", items.to_numpy(dtype=object))
    table["unit_coverage"] = _ratio(table["units_covered"], table["units_total"])
    return table.loc[:, list(BY_ITEM_COLUMNS + BY_ITEM_EXTRA_COLUMNS)]


def coverage_by_item(roster: Roster, activities: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """coverage_by_item.csv: every group x every work item (campaign order, `other` last).

    A union counts as covered for an item when it has an accepted activity of that item;
    an activity whose work item is missing or unknown counts as `other`.
    """
    g = _Groups.of(roster)
    return _by_item(g, _Coded.of(g, activities), activities, campaign.work_item_codes)


def coverage_tables(
    roster: Roster, activities: pd.DataFrame, campaign: Campaign
) -> dict[str, pd.DataFrame]:
    """coverage_table and coverage_by_item at once, coding the activities only once."""
    g = _Groups.of(roster)
    coded = _Coded.of(g, activities)
    return {
        "coverage": _coverage(g, coded),
        "coverage_by_item": _by_item(g, coded, activities, campaign.work_item_codes),
    }


def _current_rows(rows: pd.DataFrame, submissions: pd.DataFrame | None) -> pd.DataFrame:
    """Rows, minus any of a file the submissions table does not hold as current."""
    if submissions is None or submissions.empty or "state" not in submissions:
        return rows
    not_current = submissions.loc[submissions["state"].astype(str) != FileState.CURRENT, "file"]
    current = submissions.loc[submissions["state"].astype(str) == FileState.CURRENT, "file"]
    drop = set(not_current) - set(current)
    return rows.loc[~rows["file"].isin(drop)] if drop else rows


def _factorized(column: pd.Series, where: np.ndarray, lookup) -> np.ndarray:
    """`lookup(distinct values)` (an array, one entry per distinct value) for the rows at
    positions `where`, a missing value being looked up as None.

    Each distinct value is looked up once, and the ledger's text columns (Arrow strings)
    are never turned into one Python object per row.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = np.asarray(uniques, dtype=object).tolist() + [None]
    return np.asarray(lookup(values))[codes[where]]


def _current_accepted(rows: pd.DataFrame, submissions: pd.DataFrame | None) -> np.ndarray:
    """Positions of the accepted rows of current files (see `_current_rows`)."""
    # Compared as the column is (Arrow strings: no Python object per row); a missing
    # state is not accepted.
    keep = rows["state"].eq(RowState.ACCEPTED).to_numpy(dtype=bool, na_value=False)
    if submissions is not None and not submissions.empty and "state" in submissions:
        states = submissions["state"].astype(str)
        drop = set(submissions.loc[states != FileState.CURRENT, "file"]) - set(
            submissions.loc[states == FileState.CURRENT, "file"]
        )
        if drop:
            keep = keep & ~rows["file"].isin(drop).to_numpy(dtype=bool)
    return np.flatnonzero(keep)


def _coded_rows(
    g: _Groups,
    rows: pd.DataFrame,
    where: np.ndarray,
    items: pd.Index,
    as_of: dt.date | None,
    campaign: Campaign,
) -> tuple[_Coded, np.ndarray]:
    """What `_Coded.of(g, accepted_activities(rows[where], ...))` and `_item_codes` give,
    computed from the ledger's columns without building the activities table."""
    unit_index = g.units

    def unit_lookup(values: list) -> np.ndarray:
        names = ["" if v is None else str(v).strip() for v in values]
        return unit_index.get_indexer(pd.Index(names, dtype=object))

    def group_lookup(values: list) -> np.ndarray:
        return g.groups.get_indexer(pd.Index([str(v) for v in values], dtype=object))

    unit = _factorized(rows["grassroots_unit"], where, unit_lookup).astype(np.intp)
    reporting = _factorized(rows["reporting_unit"], where, group_lookup)
    if "counted_for" in rows:  # a federation-level activity counts for `counted_for` when set
        both = _factorized(
            rows["counted_for"],
            where,
            lambda v: np.stack([[x is None or x == "" for x in v], group_lookup(v)], axis=1),
        )
        own = np.where(both[:, 0].astype(bool), reporting, both[:, 1])
    else:
        own = reporting
    if g.repeated:  # a repeated name: the union under the parent it counts for
        named = rows["grassroots_unit"].to_numpy(dtype=object, na_value=None)[where]
        counted = rows["counted_for"] if "counted_for" in rows else rows["reporting_unit"]
        unit = g.repeated_codes(unit, named, counted.to_numpy(dtype=object, na_value=None)[where])
    if len(g.unit_group):
        group = np.where(unit >= 0, g.unit_group.take(unit, mode="clip"), own)
    else:
        group = own
    other = items.get_loc(OTHER_WORK_ITEM)
    item = _factorized(
        rows["work_item"],
        where,
        lambda v: np.where((k := items.get_indexer(pd.Index(v, dtype=object))) >= 0, k, other),
    )
    participants = pd.to_numeric(rows["participants"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )[where]
    keep = group >= 0
    if as_of is not None:
        cut = pd.Timestamp(as_of)
        date = pd.to_datetime(rows["date"], errors="coerce").to_numpy()[where]
        dated = ~np.isnat(date)
        in_time = dated & (date <= cut.to_datetime64())
        starts = {r.code: pd.Timestamp(r.start) <= cut for r in campaign.rounds}
        started = _factorized(rows["round"], where, lambda v: [starts.get(x, False) for x in v])
        keep &= in_time | (~dated & started.astype(bool))
    kept = None if keep.all() else keep
    if kept is not None:
        unit, group, participants, item = unit[kept], group[kept], participants[kept], item[kept]
    missing = np.isnan(participants)
    coded = _Coded(unit, group, np.where(missing, 0.0, participants), missing, None)
    return coded, item


def compute_tables(
    roster: Roster,
    rows: pd.DataFrame,
    submissions: pd.DataFrame | None,
    campaign: Campaign,
    as_of: dt.date | None = None,
) -> dict[str, pd.DataFrame]:
    """The contract's coverage tables, keyed "coverage" and "coverage_by_item".

    The same figures as `coverage_tables(roster, accepted_activities(...), campaign)`
    (tests/test_coverage.py holds them equal), counted on integer codes of the ledger's
    columns: no copy of the accepted rows, each distinct name looked up once.
    """
    missing = [c for c in LEDGER_COLUMNS if c not in rows]
    if missing:  # an empty ledger (no submission at all) may come without columns
        rows = rows.assign(**dict.fromkeys(missing, pd.NA))
    g = _Groups.of(roster)
    items = pd.Index(list(campaign.work_item_codes))
    where = _current_accepted(rows, submissions)
    coded, item = _coded_rows(g, rows, where, items, as_of, campaign)
    return {
        "coverage": _coverage(g, coded),
        "coverage_by_item": _by_item_codes(g, coded, item, items),
    }


def coverage_by_round(roster: Roster, rows: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """Coverage cumulative at each round's end (column `round`), with the change since the
    previous round: units_covered_new and unit_coverage_change (percentage points)."""
    g = _Groups.of(roster)
    everything = accepted_activities(rows, roster)
    started = everything["round"].map({x.code: pd.Timestamp(x.start) for x in campaign.rounds})
    tables = []
    for r in campaign.rounds:
        cut = pd.Timestamp(r.end)
        keep = (everything["date"] <= cut) | (everything["date"].isna() & (started <= cut))
        cut_activities = everything.loc[keep.fillna(False).astype(bool)]
        tables.append(_coverage(g, _Coded.of(g, cut_activities)).assign(round=r.code))
    table = pd.concat(tables, ignore_index=True)
    previous = table.groupby(["level", "group"], sort=False)[
        ["units_covered", "unit_coverage"]
    ].shift()
    table["units_covered_new"] = (table["units_covered"] - previous["units_covered"]).astype(
        "Int64"
    )
    table["unit_coverage_change"] = (table["unit_coverage"] - previous["unit_coverage"]) * 100
    return table.loc[:, ["round", *[c for c in table.columns if c != "round"]]]


# --------------------------------------------------------------------------- over time


def cumulative_curve(
    roster: Roster,
    activities: pd.DataFrame,
    freq: str = "W",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Unions covered by the end of each period, per reporting unit, kind and district.

    A union is covered from the date of its first dated activity; undated activities are
    left out of the curve. `date` is the last day of each period from `start` (default:
    the first activity) to `end` (default: the last).
    """
    g = _Groups.of(roster)
    unit_code = g.unit_codes(activities)
    dates = pd.to_datetime(activities["date"], errors="coerce").to_numpy()
    keep = (unit_code >= 0) & ~np.isnat(dates)
    first = pd.Series(dates[keep]).groupby(unit_code[keep]).min()
    columns = ["date", "level", "kind", "group", "units_total", "units_covered", "unit_coverage"]
    lo = pd.Timestamp(start) if start is not None else first.min()
    hi = pd.Timestamp(end) if end is not None else first.max()
    if pd.isna(lo) or pd.isna(hi):
        return pd.DataFrame(columns=columns)
    periods = pd.period_range(lo, hi, freq=freq)
    period_code = pd.PeriodIndex(first.dt.to_period(freq)).asi8 - periods[0].ordinal
    in_range = period_code < len(periods)
    period_code = np.clip(period_code, 0, None)[in_range]  # covered before `start`: first period
    size, n = len(g.groups), len(periods)
    cell = g.unit_group[first.index.to_numpy()[in_range]] * n + period_code
    counts = _bincount(cell, size * n).reshape(size, n).cumsum(axis=1)
    totals = np.repeat(_bincount(g.unit_group, size), n)
    table = g.table(
        {"units_total": totals, "units_covered": counts.ravel()},
        "date",
        periods.end_time.normalize().to_numpy(),
    )
    table["unit_coverage"] = _ratio(table["units_covered"], table["units_total"])
    return table.loc[:, columns]
