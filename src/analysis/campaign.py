"""The campaign definition: name, dates, rounds, work items, synonyms and limits.

Everything campaign-specific lives in a TOML file; the built-in default is
`campaign_default.toml` beside this module, and `RAW/campaign.toml` overrides it.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from analysis import textfiles
from analysis.messages import CAMPAIGN_KEY_LABELS, TOML_PROBLEM_OTHER, TOML_PROBLEMS, message_text

OTHER_WORK_ITEM = "other"
OTHER_WORK_ITEM_NAME = "其他"


class CampaignError(ValueError):
    """The campaign definition cannot be used; the message is Chinese, for the analyst."""


@dataclass(frozen=True)
class Round:
    code: str
    name: str
    start: dt.date
    end: dt.date
    deadline: dt.date
    labels: tuple[str, ...] = ()

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class WorkItem:
    code: str
    name: str
    short: str
    synonyms: tuple[str, ...]
    # Each form: its canonical name first, then the ways units write it.
    forms: tuple[tuple[str, ...], ...]

    @property
    def form_names(self) -> tuple[str, ...]:
        return tuple(f[0] for f in self.forms)


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 2**20
    max_uncompressed_bytes: int = 500 * 2**20
    max_compression_ratio: int = 200
    max_rows_per_sheet: int = 200_000
    max_cells_per_workbook: int = 10_000_000
    max_sheets: int = 100
    # Archives and materials (analysis.archives, analysis.materials)
    max_archive_members: int = 2_000
    max_archive_bytes: int = 1024 * 2**20
    max_archive_depth: int = 1
    max_material_bytes: int = 100 * 2**20


@dataclass(frozen=True)
class PublicityOutput:
    """One publicity output type of work item 3 (简报, 文章, 微信…) and how units name it."""

    code: str
    name: str
    synonyms: tuple[str, ...]
    unit: str  # the measure word it is counted in (篇, 条, 期…)
    phrase: str = ""  # the briefing's words for it, "{n}" the count ("编发简报{n}期")


@dataclass(frozen=True)
class PublicitySettings:
    """The [publicity] section: output types, header words, plausibility limits."""

    outputs: tuple[PublicityOutput, ...] = ()
    units: tuple[str, ...] = ()
    unit_labels: tuple[str, ...] = ()
    item_labels: tuple[str, ...] = ()
    count_labels: tuple[str, ...] = ()
    cumulative_words: tuple[str, ...] = ()
    per_member: float = 1.0
    min_limit: int = 100

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.outputs)

    def name(self, code: str) -> str:
        return next((o.name for o in self.outputs if o.code == code), code)

    def unit(self, code: str) -> str:
        return next((o.unit for o in self.outputs if o.code == code), "")

    def phrase(self, code: str, n: str) -> str:
        """'编发简报12期': the output's phrase, or its name, count and measure word."""
        output = next((o for o in self.outputs if o.code == code), None)
        if output is not None and output.phrase:
            return output.phrase.replace("{n}", n)
        return f"{self.name(code)}{n}{self.unit(code)}"


def _publicity(data: dict, file: str = "") -> PublicitySettings:
    outputs = tuple(
        PublicityOutput(
            code=str(o["code"]),
            name=str(o.get("name", o["code"])),
            synonyms=_strings(o.get("synonyms")) or (str(o.get("name", o["code"])),),
            unit=str(o.get("unit", "")),
            phrase=str(o.get("phrase", "")),
        )
        for o in data.get("outputs", [])
    )
    if outputs and "other" not in {o.code for o in outputs}:
        outputs += (PublicityOutput("other", "其他", ("其他",), "个"),)
    return PublicitySettings(
        outputs=outputs,
        units=_strings(data.get("units")),
        unit_labels=_strings(data.get("unit_labels")),
        item_labels=_strings(data.get("item_labels")),
        count_labels=_strings(data.get("count_labels")),
        cumulative_words=_strings(data.get("cumulative_words")),
        per_member=_number(data.get("per_member", 1.0), "publicity.per_member", file),
        min_limit=_int(data.get("min_limit", 100), "publicity.min_limit", file),
    )


@dataclass(frozen=True)
class Campaign:
    code: str
    name: str
    short_name: str
    organiser: str
    department: str
    start: dt.date
    end: dt.date
    year: int
    rounds: tuple[Round, ...]
    work_items: tuple[WorkItem, ...]
    columns: dict[str, tuple[str, ...]]
    header_fields: dict[str, tuple[str, ...]]
    row_markers: dict[str, tuple[str, ...]]
    limits: Limits = field(default_factory=Limits)
    source: str = "built-in"
    publicity: PublicitySettings = field(default_factory=PublicitySettings)
    # [row_rules]: words of a 备注 saying the unit voided the row (`void_remarks`)…
    row_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Sentences naming the file's settings the tool does not read and left out
    # (`_check_keys`): warnings in issues.csv.
    ignored: tuple[str, ...] = ()

    @functools.cached_property
    def rounds_by_code(self) -> dict[str, Round]:
        return {r.code: r for r in self.rounds}

    @functools.cached_property
    def work_items_by_code(self) -> dict[str, WorkItem]:
        return {w.code: w for w in self.work_items}

    @property
    def work_item_codes(self) -> tuple[str, ...]:
        """Work item codes in report order, `other` last."""
        return tuple(w.code for w in self.work_items) + (OTHER_WORK_ITEM,)

    def work_item_name(self, code: str) -> str:
        if code == OTHER_WORK_ITEM:
            return OTHER_WORK_ITEM_NAME
        return self.work_items_by_code[code].name

    def work_item_short(self, code: str) -> str:
        if code == OTHER_WORK_ITEM:
            return OTHER_WORK_ITEM_NAME
        return self.work_items_by_code[code].short

    def round_names(self, codes: object) -> object:
        """'第一阶段、第二阶段' for the rounds in a round column's value ('r1;r2'); any
        other value (blank, missing, a code the campaign lacks) as it is."""
        if not isinstance(codes, str) or not codes:
            return codes
        return "、".join(
            self.rounds_by_code[c].name if c in self.rounds_by_code else c for c in codes.split(";")
        )

    def round_for_date(self, day: dt.date) -> Round | None:
        """The round whose activity window holds `day`, if any."""
        return next((r for r in self.rounds if r.holds(day)), None)

    def previous_round(self, code: str) -> Round | None:
        codes = [r.code for r in self.rounds]
        i = codes.index(code)
        return self.rounds[i - 1] if i > 0 else None


# Dates as an analyst types them in quotes: "2019-7-1", "2019/7/1", "2019.7.1", "2019年7月1日".
_TYPED_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")


def _date(value: object, where: str, file: str = "") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (typed := _TYPED_DATE.fullmatch(value)):
        try:
            return dt.date(*(int(part) for part in typed.groups()))
        except ValueError:
            pass
    raise CampaignError(
        message_text("campaign_bad_date", file=file, where=where, value=_shown_value(value))
    )


def _shown_value(value: object) -> str:
    """A value of the campaign file as the analyst wrote it: text in quotes, else as is."""
    return f"“{value}”" if isinstance(value, str) else str(value)


def _strings(values: object) -> tuple[str, ...]:
    """A list of words of the campaign file; one word written without brackets is one."""
    if isinstance(values, str | int | float | dt.date):  # labels = "r1": not r and 1
        return (str(values),)
    return tuple(str(v) for v in (values or []))


def _int(value: object, where: str, file: str = "") -> int:
    """A whole number of the campaign file (200_000, "2019"), else a Chinese error."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).replace("_", "").strip())
    except ValueError:
        raise CampaignError(
            message_text("campaign_bad_number", file=file, where=where, value=repr(value))
        ) from None


def _forms(item: dict) -> list:
    """A work item's forms: `forms = "讨论会"` is one form, not 讨, 论 and 会."""
    forms = item.get("forms", [])
    return forms if isinstance(forms, list) else [forms]


def _number(value: object, where: str, file: str = "") -> float:
    """A number of the campaign file (1.5, "2"), else a Chinese error."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace("_", "").strip())
    except ValueError:
        raise CampaignError(
            message_text("campaign_bad_decimal", file=file, where=where, value=repr(value))
        ) from None


def _limits(values: object, file: str = "") -> Limits:
    """[limits], each a whole number above 0 (`max_archive_depth` may be 0); a key the
    tool does not know is named by `_check_keys` first."""
    given = values if isinstance(values, dict) else {}
    limits = {k: _int(v, f"limits.{k}", file) for k, v in given.items()}
    for key, number in limits.items():
        if number < (0 if key == "max_archive_depth" else 1):
            raise CampaignError(
                message_text("campaign_limit_too_small", file=file, key=key, value=number)
            )
    return Limits(**limits)


class _MissingKey(Exception):
    def __init__(self, where: str, key: str):
        super().__init__(key)
        self.where, self.key = where, key


class _Table(dict):
    """A TOML table that says where it is when a required key is missing."""

    def __init__(self, data: object, where: str):
        super().__init__(data if isinstance(data, dict) else {})
        self.where = where

    def __missing__(self, key: str) -> object:
        raise _MissingKey(self.where, key)


def _array(data: _Table, key: str, label: str, file: str) -> list[_Table]:
    """The entries of an array of tables ([[rounds]]), each knowing its place; at least one."""
    entries = data[key]
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, dict) for e in entries)
    ):
        raise CampaignError(message_text("campaign_not_array", file=file, table=key, label=label))
    return [
        _Table(entry, message_text("campaign_where_entry", n=i, table=key, label=label))
        for i, entry in enumerate(entries, start=1)
    ]


# Sections whose keys each fall back to the built-in definition's when the file leaves
# them out: a campaign file that only changes the name, dates and rounds still finds
# the activity tables (an empty [columns] would find none, and blame every office).
DEFAULTED_SECTIONS = ("columns", "header_fields", "row_markers", "row_rules")
# A code of a round or a work item goes into the tables' columns (contract: English
# codes, Chinese names): Latin letters and digits, "_" or "-" (r2, q3, 2020Q1).
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


_ARRAYS = ("rounds", "work_items")  # the arrays of tables ([[rounds]])


@functools.cache
def _builtin() -> dict:
    return tomllib.loads(default_campaign_text())


def _known_keys() -> dict[str, frozenset[str]]:
    """The keys the tool reads, per place: those the built-in definition writes."""
    builtin = _builtin()
    known = {"": frozenset(builtin)}
    for section, value in builtin.items():
        entry = value[0] if isinstance(value, list) else value
        known[section] = frozenset(entry)
    known["publicity.outputs"] = frozenset(k for o in builtin["publicity"]["outputs"] for k in o)
    return known


def _check_keys(data: dict, file: str) -> list[str]:
    """A key the tool does not read is named instead of being left out without a word.

    One that resembles a known key (a typo: `dealine`, `[colums]`) stops the run, with
    the key it most resembles: the setting meant would otherwise be silently the
    built-in one. One that resembles none (`description = "…"`, a note the analyst
    keeps) is taken out of `data` and its sentence returned (a warning in issues.csv):
    the rest of the file is used.
    """
    known = _known_keys()
    ignored: list[str] = []

    def check(table: object, place: str, where: str) -> None:
        if not isinstance(table, dict):
            return
        for key in list(table):
            if key not in known[place]:
                close = difflib.get_close_matches(key, sorted(known[place]), n=1, cutoff=0.6)
                written = _written(key, place, table[key])
                if not close:
                    ignored.append(
                        message_text(
                            "campaign_setting_ignored", file=file, where=where, key=written
                        )  # fmt: skip
                    )
                    del table[key]
                    continue
                hint = message_text("campaign_did_you_mean", key=_written(close[0], place))
                raise CampaignError(
                    message_text(
                        "campaign_unknown_setting",
                        file=file,
                        where=where,
                        key=written,
                        hint=hint,
                    )
                )

    check(data, "", "中")
    for section in known:
        if not section or "." in section or section not in data:
            continue
        value = data[section]
        label = message_text(f"campaign_label_{section}") if section in _ARRAYS else ""
        for i, entry in enumerate(value if isinstance(value, list) else [value], start=1):
            where = (
                message_text("campaign_where_entry", n=i, table=section, label=label)
                if isinstance(value, list)
                else message_text("campaign_where_section", section=section)
            )
            check(entry, section, where)
    publicity = data.get("publicity")
    outputs = publicity.get("outputs", []) if isinstance(publicity, dict) else []
    for i, output in enumerate(outputs if isinstance(outputs, list) else [], start=1):
        where = message_text("campaign_where_output", n=i)
        check(output, "publicity.outputs", where)
    return ignored


def _written(key: str, place: str, value: object = None) -> str:
    """A key as the campaign file writes it: a top-level one as its table's header."""
    if place:
        return key
    if value is None:
        value = _builtin().get(key)
    return f"[[{key}]]" if isinstance(value, list) else f"[{key}]"


def _with_defaults(data: dict) -> dict:
    """`data` with each of DEFAULTED_SECTIONS' keys it leaves out taken from the built-in."""
    builtin = _builtin()
    data = dict(data)
    for section in DEFAULTED_SECTIONS:
        given = data.get(section)
        data[section] = {**builtin.get(section, {}), **(given if isinstance(given, dict) else {})}
    return data


def campaign_from_dict(data: dict, source: str = "built-in") -> Campaign:
    """Build a Campaign from parsed TOML, with Chinese errors for missing or wrong parts.

    Keys the tool does not read are named (`_check_keys`); [columns], [header_fields],
    [row_markers] and [row_rules] keep the built-in words for what the file leaves
    out; rounds are put in date order and checked (`_check_dates`).
    """
    data = copy.deepcopy(data)  # a setting left out is taken out of the copy
    ignored = _check_keys(data, source)
    data = _with_defaults(data)
    try:
        data = _Table(data, "")
        meta = _Table(data["campaign"], message_text("campaign_where_section", section="campaign"))
        rounds = tuple(
            Round(
                code=str(r["code"]),
                name=str(r["name"]),
                start=_date(r["start"], f"rounds.{r['code']}.start", source),
                end=_date(r["end"], f"rounds.{r['code']}.end", source),
                deadline=_date(r["deadline"], f"rounds.{r['code']}.deadline", source),
                labels=_strings(r.get("labels")) or (str(r["code"]), str(r["name"])),
            )
            for r in _array(data, "rounds", message_text("campaign_label_rounds"), source)
        )
        work_items = tuple(
            WorkItem(
                code=str(w["code"]),
                name=str(w["name"]),
                short=str(w.get("short", w["name"])),
                synonyms=_strings(w.get("synonyms")) or (str(w["name"]),),
                forms=tuple(_strings(f) if isinstance(f, list) else (str(f),) for f in _forms(w)),
            )
            for w in _array(data, "work_items", message_text("campaign_label_work_items"), source)
        )
        limits = _limits(data.get("limits", {}), source)
        start = _date(meta["start"], "campaign.start", source)
        end = _date(meta["end"], "campaign.end", source)
        campaign = Campaign(
            code=str(meta["code"]),
            name=str(meta["name"]),
            short_name=str(meta.get("short_name", meta["name"])),
            organiser=str(meta.get("organiser", "")),
            department=str(meta.get("department", "")),
            start=start,
            end=end,
            year=_int(meta.get("year", start.year), "campaign.year", source),
            rounds=tuple(sorted(rounds, key=lambda r: (r.start, r.end))),
            work_items=work_items,
            columns={k: _strings(v) for k, v in data.get("columns", {}).items()},
            header_fields={k: _strings(v) for k, v in data.get("header_fields", {}).items()},
            row_markers={k: _strings(v) for k, v in data.get("row_markers", {}).items()},
            limits=limits,
            source=source,
            # A campaign file without [publicity] keeps the built-in output types.
            publicity=_publicity(
                data["publicity"] if "publicity" in data else _builtin().get("publicity", {}),
                source,
            ),
            row_rules={k: _strings(v) for k, v in data.get("row_rules", {}).items()},
            ignored=tuple(ignored),
        )
    except _MissingKey as exc:
        label = CAMPAIGN_KEY_LABELS.get(exc.key, "")
        raise CampaignError(
            message_text(
                "campaign_key_missing",
                file=source,
                where=exc.where,
                key=exc.key,
                label=f"（{label}）" if label else "",
            )
        ) from None
    except KeyError as exc:  # a key read from a nested table (publicity outputs)
        raise CampaignError(
            message_text("campaign_key_missing", file=source, where="", key=exc.args[0], label="")
        ) from None
    except CampaignError:
        raise
    except (TypeError, ValueError) as exc:
        raise CampaignError(message_text("campaign_bad_setting", file=source, detail=exc)) from None
    _check_dates(campaign, source)
    return campaign


def _check_dates(campaign: Campaign, file: str) -> None:
    """What the figures need of the rounds and work items: codes that can be table values,
    once each; each window in order and inside the campaign; a deadline not before its
    round starts; rounds that do not overlap (a date belongs to one round); a label
    naming one round only."""

    def fail(key: str, **values: object) -> None:
        raise CampaignError(message_text(key, file=file, **values))

    if campaign.start > campaign.end:
        fail("campaign_window_reversed", what="[campaign]", start=day(campaign.start),
             end=day(campaign.end))  # fmt: skip
    for kind, codes in (
        ("rounds", [r.code for r in campaign.rounds]),
        ("work_items", [w.code for w in campaign.work_items]),
    ):
        label = message_text(f"campaign_label_{kind}")
        for code in codes:
            if not _CODE.fullmatch(code) or code == OTHER_WORK_ITEM:
                fail("campaign_bad_code", table=label, code=code)
            if codes.count(code) > 1:
                fail("campaign_code_twice", table=label, code=code)
    labels: dict[str, str] = {}
    for r in campaign.rounds:
        what = message_text("campaign_round_named", name=r.name, code=r.code)
        if r.start > r.end:
            fail("campaign_window_reversed", what=what, start=day(r.start), end=day(r.end))
        if r.start < campaign.start or r.end > campaign.end:
            fail("campaign_round_outside", what=what, start=day(r.start), end=day(r.end),
                 campaign_start=day(campaign.start), campaign_end=day(campaign.end))  # fmt: skip
        if r.deadline < r.start:
            fail("campaign_deadline_early", what=what, deadline=day(r.deadline),
                 start=day(r.start))  # fmt: skip
        for written in r.labels:
            if labels.setdefault(written, r.code) != r.code:
                fail("campaign_label_twice", label=written, first=labels[written], second=r.code)
    for before, after in zip(campaign.rounds, campaign.rounds[1:], strict=False):
        if after.start <= before.end:
            fail("campaign_rounds_overlap", first=before.name, first_code=before.code,
                 first_end=day(before.end), second=after.name, second_code=after.code,
                 second_start=day(after.start))  # fmt: skip


def day(day: dt.date) -> str:
    """2019年7月1日: a date in a campaign-file message."""
    return message_text("campaign_day", year=day.year, month=day.month, day=day.day)


def default_campaign_text() -> str:
    return resources.files("analysis").joinpath("campaign_default.toml").read_text("utf-8")


def load_campaign(path: Path | None = None) -> Campaign:
    """The campaign in `path`, or the built-in one when `path` is None or absent."""
    if path is None or not Path(path).exists():
        return campaign_from_dict(tomllib.loads(default_campaign_text()))
    try:
        data = tomllib.loads(textfiles.read_text(path))  # BOM, CRLF, GBK as Notepad saves
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        where, detail = _toml_problem(exc)
        raise CampaignError(
            message_text("campaign_unreadable", file=Path(path).name, where=where, detail=detail)
        ) from None
    return campaign_from_dict(data, source=str(path))


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)$")


def _toml_problem(exc: Exception) -> tuple[str, str]:
    """(where, what) of a campaign.toml that cannot be read, in Chinese: “第23行第22列：”."""
    if isinstance(exc, UnicodeDecodeError):
        return "", message_text("campaign_toml_encoding")
    text = str(exc)
    where = ""
    if at := _TOML_AT.search(text):
        where = message_text("campaign_toml_at", line=at.group(1), column=at.group(2)) + "，"
        text = text[: at.start()]
    elif at := _TOML_AT_END.search(text):
        where = message_text("campaign_toml_at_end") + "，"
        text = text[: at.start()]
    what = next((cn for en, cn in TOML_PROBLEMS.items() if text.startswith(en)), TOML_PROBLEM_OTHER)
    return where, what
