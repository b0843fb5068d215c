"""How each submission goes wrong: its style (format, labels, date mode, placement) and the
problems planted in its rows and names.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import config
from analysis.campaign import Campaign
from analysis.demo.plan import _activity
from analysis.demo.records import Plant, Style, Submission

CN_DIGITS = {10: "十", 20: "二十", 30: "三十", 40: "四十", 50: "五十", 60: "六十", 80: "八十", 100: "一百"}  # fmt: skip
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _written_name(rng: np.random.Generator, name: str, case: str = "") -> tuple[str, Plant | None]:
    """A roster name as a unit might write it, still resolvable by normalisation rules."""
    options = []
    if name.startswith("北京市房山区"):
        options.append(("name_prefix_dropped", name.removeprefix("北京市房山区")))
    elif name.startswith("房山区"):
        options.append(("name_prefix_dropped", name.removeprefix("房山区")))
    elif name.startswith("北京"):
        options.append(("name_prefix_dropped", name.removeprefix("北京")))
    else:
        options.append(("name_prefix_added", "北京市房山区" + name))
    if name.endswith("工会委员会"):
        options.append(("name_suffix_dropped", name.removesuffix("委员会")))
    elif name.endswith("工会"):
        options.append(("name_suffix_added", name + "委员会"))
    if "有限公司" in name:
        options.append(("name_company_short", name.replace("有限公司", "公司")))
    if "（" in name:
        options.append(("name_brackets_halfwidth", name.replace("（", "(").replace("）", ")")))
    options.append(("name_spaces", name[:3] + rng.choice([" ", "\u3000", "  "]) + name[3:]))
    if case:
        options = [o for o in options if o[0] == case]
        if not options:
            return name, None
    case, written = options[int(rng.integers(len(options)))]
    return written, Plant(case, "grassroots_unit", written, None, f"resolves to {name}")


def _participants_cell(rng: np.random.Generator, n: int) -> tuple[object, int | None, Plant | None]:
    """Participants as written: mostly a number, sometimes text of several kinds."""
    kind = rng.choice(["约", "人", "fw", "cn", "range", "若干"], p=[0.3, 0.3, 0.15, 0.1, 0.1, 0.05])
    if kind == "约":
        return (
            f"约{n}人",
            n,
            Plant(
                "participants_text_approx",
                "participants",
                f"约{n}人",
                "participants_approximate",
                f"{n}",
            ),
        )
    if kind == "人":
        return f"{n}人", n, Plant("participants_text_unit", "participants", f"{n}人", None, f"{n}")
    if kind == "fw":
        text = str(n).translate(FULLWIDTH)
        return text, n, Plant("participants_fullwidth", "participants", text, None, f"{n}")
    if kind == "cn":
        n = min(CN_DIGITS, key=lambda k: abs(k - n))
        return (
            CN_DIGITS[n],
            n,
            Plant("participants_chinese", "participants", CN_DIGITS[n], None, f"{n}"),
        )
    if kind == "range":
        text = f"{n}-{n + 10}"
        return (
            text,
            None,
            Plant("participants_range", "participants", text, "participants_range", "missing"),
        )
    return (
        "若干",
        None,
        Plant(
            "participants_unreadable", "participants", "若干", "participants_unreadable", "missing"
        ),
    )


TEMPLATE_SHARE = 0.15  # of submissions after the first round
FORMATS = ("xlsx", "xls", "csv-utf8-sig", "ods", "et")
FORMAT_WEIGHTS = (0.86, 0.08, 0.03, 0.015, 0.015)
DATE_MODES = ("date", "serial", "cn", "dot", "slash", "md")
DATE_WEIGHTS = (0.45, 0.1, 0.15, 0.1, 0.1, 0.1)
RENAMED = {"grassroots_unit": ("单位名称",), "date": ("时间", "活动时间"), "participants": ("参与人数", "人数", "参学人次")}  # fmt: skip
TYPOS = (("联合会", "联和会"), ("社区", "社去"), ("小学", "小校"), ("卫生院", "卫生苑"), ("有限公司", "有线公司"), ("机关工会", "机关公会"), ("中学", "中字"))  # fmt: skip


def _labels(campaign: Campaign, rng: np.random.Generator, renamed: bool) -> dict[str, str]:
    """Column headers: the campaign's first synonym, or a renamed one the campaign knows."""
    labels = {f: syns[0] for f, syns in campaign.columns.items()}
    if renamed:
        for fld, wanted in RENAMED.items():
            known = [w for w in wanted if w in campaign.columns.get(fld, ())]
            known = known or list(campaign.columns.get(fld, ())[1:])
            if known and rng.random() < 0.7:
                labels[fld] = str(rng.choice(known))
    return labels


def _random_style(rng: np.random.Generator, campaign: Campaign) -> Style:
    renamed = bool(rng.random() < 0.25)
    style = Style(
        fmt=str(rng.choice(FORMATS, p=FORMAT_WEIGHTS)),
        title_rows=int(rng.choice(4, p=[0.15, 0.5, 0.25, 0.1])),
        header_block=str(rng.choice(["one_cell", "neighbour", "inline"], p=[0.5, 0.45, 0.05])),
        round_in_header=bool(rng.random() < 0.6),
        merged_header=bool(rng.random() < 0.08),
        labels=_labels(campaign, rng, renamed),
        date_mode=str(rng.choice(DATE_MODES, p=DATE_WEIGHTS)),
        total_row=bool(rng.random() < 0.3),
        note_row=bool(rng.random() < 0.2),
        spacer_rows=bool(rng.random() < 0.1),
        publicity_sheet=bool(rng.random() < 0.08),
    )
    if rng.random() < 0.12:  # reordered columns
        style.order = (
            "seq",
            "date",
            "grassroots_unit",
            "form",
            "work_item",
            "participants",
            "note",
        )
    if style.fmt.startswith("csv") or style.fmt in ("ods", "xls", "et"):
        style.merged_header = False
        style.publicity_sheet = style.publicity_sheet and style.fmt in ("xls", "et")
    if style.fmt.startswith("csv"):
        style.spacer_rows = False
    return style


def _typo(name: str) -> str | None:
    for right, wrong in TYPOS:
        if right in name:
            return name.replace(right, wrong, 1)
    return None


def _abbreviation(name: str) -> str:
    m = re.search(r"房山区(.+?)第(.)小学工会", name)
    if m:
        return f"{m.group(1)}{m.group(2)}小"
    core = re.sub(r"^(北京市房山区|北京市|房山区|北京)", "", name)
    core = re.sub(r"(（集团）)?(有限公司)?(工会委员会|工会联合会|工会)$", "", core)
    return core


def assign_styles(subs: list[Submission], campaign: Campaign, rng: np.random.Generator) -> None:
    """Give every submission a look and a place, forcing each messy case at least once."""
    for sub in subs:
        sub.style = _random_style(rng, campaign)
    big = [s for s in subs if s.kind != "direct" and len(s.activities) >= 12]
    order = [big[i] for i in rng.permutation(len(big))]
    flat = {"merged_header": False, "publicity_sheet": False, "spacer_rows": False}
    bare = {**flat, "header_block": "none", "title_rows": 0, "round_in_header": False}
    bare |= {"total_row": False, "note_row": False}
    forced: list[tuple[str, dict]] = [
        ("xls", {"fmt": "xls"}),
        ("et", {"fmt": "et"}),
        ("ods", {"fmt": "ods", "merged_header": False, "publicity_sheet": False}),
        ("ods", {"fmt": "ods", "merged_header": False, "publicity_sheet": False}),
        ("csv", {"fmt": "csv-utf8-sig", **flat}),
        ("csv", {"fmt": "csv-utf8", **flat}),
        ("csv", {"fmt": "csv-gbk", **flat}),
        ("bare", {"fmt": "csv-utf8-sig", **bare}),
        ("bare", {"fmt": "csv-gbk", **bare}),
        ("merged", {"fmt": "xlsx", "merged_header": True, "title_rows": 2}),
        ("merged", {"fmt": "xls", "merged_header": True, "title_rows": 1}),
        ("hidden", {"fmt": "xlsx", "hidden_old_sheet": True}),
        ("hidden", {"fmt": "xlsx", "hidden_old_sheet": True, "merged_header": False}),
        ("split", {"fmt": "xlsx", "split_sheets": True, "merged_header": False}),
        ("split", {"fmt": "xlsx", "split_sheets": True, "publicity_sheet": True}),
        ("publicity", {"fmt": "xlsx", "publicity_sheet": True}),
        ("three_titles", {"fmt": "xlsx", "title_rows": 3, "header_block": "neighbour"}),
        ("inline", {"fmt": "xlsx", "header_block": "inline", "title_rows": 1}),
        ("spacers", {"fmt": "xlsx", "spacer_rows": True, "total_row": True, "note_row": True}),
        (
            "renamed",
            {
                "fmt": "xlsx",
                "labels": _labels(campaign, rng, True),
                "order": (
                    "seq",
                    "date",
                    "grassroots_unit",
                    "form",
                    "work_item",
                    "participants",
                    "note",
                ),
            },
        ),
        ("serial", {"fmt": "xlsx", "date_mode": "serial"}),
    ]
    for (_, changes), sub in zip(forced, order, strict=False):
        sub.style = replace(sub.style, **changes)
    # Pre-filled templates went out after the first round; some units use them.
    special = {id(s) for s in order[: len(forced)]}
    for sub in subs:
        if (
            sub.round != campaign.rounds[0]
            and id(sub) not in special
            and rng.random() < TEMPLATE_SHARE
        ):
            sub.style = Style(layout="template", title_rows=0, header_block="template")
    for sub in subs:
        _place(sub, campaign, rng)


def _place(sub: Submission, campaign: Campaign, rng: np.random.Generator) -> None:
    """Choose the file's folder and name: round folder, loose with 报送期次, or loose by dates."""
    rnd, style = sub.round, sub.style
    ext = {"et": "et", "xls": "xls", "ods": "ods", "xlsx": "xlsx"}.get(style.fmt, "csv")
    where = str(rng.choice(["folder", "header", "dates"], p=[0.6, 0.25, 0.15]))
    if style.header_block == "none":
        where = "folder" if rng.random() < 0.5 else "dates"
    if where == "header":
        style.round_in_header = True
    elif where == "dates":
        style.round_in_header = False
    label = str(rng.choice(rnd.labels)) if rnd.labels else rnd.name
    if style.layout == "template":
        where, style.round_in_header, label = str(rng.choice(["folder", "header"])), True, rnd.name
    sub.plants.append(
        Plant(
            f"round_from_{'header' if style.round_in_header else where}",
            "",
            label if style.round_in_header else "",
            None,
            rnd.code,
        )
    )
    sub.written_unit = sub.unit
    if style.header_block not in ("none", "template") and rng.random() < 0.12:
        sub.written_unit = (
            "北京市房山区" + sub.unit if not sub.unit.startswith("北京") else sub.unit
        )
        if sub.written_unit != sub.unit:
            sub.plants.append(
                Plant("reporting_unit_prefixed", "", sub.written_unit, None, sub.unit)
            )
    mention_round = (
        where == "folder" and rng.random() < 0.6 or where == "header" and rng.random() < 0.5
    )
    r_text = rnd.name if rng.random() < 0.7 else rnd.code
    patterns = (
        [
            f"{sub.unit}-{r_text}报送表",
            f"{sub.unit}{campaign.short_name}情况统计表（{r_text}）",
            f"{r_text}_{sub.unit}",
        ]
        if mention_round
        else [
            f"{sub.unit}{campaign.short_name}情况统计表",
            f"{sub.unit}报送表",
            f"{sub.unit}活动情况",
        ]
    )
    stem = str(rng.choice(patterns))
    if style.layout == "template":
        from analysis.templates.writer import template_filename

        stem = template_filename(sub.unit, rnd).removesuffix(".xlsx")
    folder = (
        f"{config.SUBMISSIONS_SUBDIR}/{rng.choice([rnd.name, rnd.code])}/"
        if where == "folder"
        else f"{config.SUBMISSIONS_SUBDIR}/"
    )
    sub.path = f"{folder}{stem}.{ext}"
    sub.style.spacer_rows = style.spacer_rows and len(sub.activities) > 6
    sub.round_label = label


def plant_rows(
    subs: list[Submission], roster: pd.DataFrame, campaign: Campaign, rng: np.random.Generator
) -> list[tuple[str, str]]:
    """Row-level messiness: text numbers, name variants, aliases, foreign unions, bad dates.

    Returns the alias table (报送名称, 名册名称)."""
    parent = dict(zip(roster["unit"], roster["reporting_unit"], strict=True))
    union_rows = [(s, a) for s in subs for a in s.activities if a.unit and s.kind != "direct"]
    for sub in subs:
        for act in sub.activities:
            if act.participants is not None and rng.random() < 0.05:
                cell, value, plant = _participants_cell(rng, act.participants)
                act.written["participants"], act.participants = cell, value
                act.plants.append(plant)
            if act.unit and act.written["grassroots_unit"] == act.unit and rng.random() < 0.04:
                written, plant = _written_name(rng, act.unit)
                act.written["grassroots_unit"] = written
                act.plants.append(plant)
    # Every participants form at least once, in ordinary xlsx files.
    xlsx_rows = [(s, a) for s, a in union_rows if s.style.fmt == "xlsx" and not a.plants]
    picks = [xlsx_rows[i] for i in rng.choice(len(xlsx_rows), size=40, replace=False)]
    for kind, (_, act) in zip(["约", "人", "fw", "cn", "range", "若干"], picks, strict=False):
        n = act.participants or 50
        forced = {
            "约": f"约{n}人",
            "人": f"{n}人",
            "fw": str(n).translate(FULLWIDTH),
            "cn": "五十",
            "range": f"{n}-{n + 10}",
            "若干": "若干",
        }[kind]
        case, code, value = {
            "约": ("participants_text_approx", "participants_approximate", n),
            "人": ("participants_text_unit", None, n),
            "fw": ("participants_fullwidth", None, n),
            "cn": ("participants_chinese", None, 50),
            "range": ("participants_range", "participants_range", None),
            "若干": ("participants_unreadable", "participants_unreadable", None),
        }[kind]
        act.written["participants"], act.participants = forced, value
        act.plants.append(
            Plant(case, "participants", forced, code, str(value) if value else "missing")
        )
    name_cases = [
        "name_prefix_dropped",
        "name_prefix_added",
        "name_suffix_dropped",
        "name_suffix_added",
        "name_company_short",
        "name_brackets_halfwidth",
        "name_spaces",
    ]
    for case in name_cases:
        for _s, act in union_rows:
            written, plant = _written_name(rng, act.unit, case) if not act.plants else ("", None)
            if plant and _s.style.fmt == "xlsx":
                act.written["grassroots_unit"] = written
                act.plants.append(plant)
                break
    # Names no rule resolves: abbreviations and typos; some in aliases.csv, some not.
    aliases: list[tuple[str, str]] = []
    free = [(s, a) for s, a in union_rows if not a.plants and s.style.fmt == "xlsx"]
    free = [free[i] for i in rng.permutation(len(free))]
    typo_rows = [(s, a) for s, a in free if _typo(a.unit)]
    for i, (_s, act) in enumerate(typo_rows[:6]):
        wrong = _typo(act.unit)
        act.written["grassroots_unit"] = wrong
        if i < 3:
            aliases.append((wrong, act.unit))
            act.plants.append(
                Plant(
                    "name_typo_in_aliases",
                    "grassroots_unit",
                    wrong,
                    None,
                    f"resolves via aliases.csv to {act.unit}",
                )
            )
        else:
            act.accepted = False
            act.plants.append(
                Plant(
                    "name_typo_unresolved", "grassroots_unit", wrong, "unit_unresolved", "rejected"
                )
            )
    untouched = [(s, a) for s, a in free if not a.plants]
    for _s, act in untouched[:4]:
        short = _abbreviation(act.unit)
        if short and short != act.unit:
            act.written["grassroots_unit"] = short
            aliases.append((short, act.unit))
            act.plants.append(
                Plant(
                    "name_abbreviation_in_aliases",
                    "grassroots_unit",
                    short,
                    None,
                    f"resolves via aliases.csv to {act.unit}",
                )
            )
    for _s, act in untouched[4:6]:
        act.written["date"] = "待补"
        act.date_known = False
        act.plants.append(
            Plant("date_unreadable", "date", "待补", "date_unreadable", "accepted without a date")
        )
    # A federation reports a union that the roster puts under another federation.
    feds = [s for s in subs if s.kind != "direct" and s.style.fmt == "xlsx"]
    for sub in [feds[i] for i in rng.choice(len(feds), size=2, replace=False)]:
        others = roster[(roster["reporting_unit"] != sub.unit) & (roster["kind"] != "direct")]
        union = str(others["unit"].iloc[int(rng.integers(len(others)))])
        act = _activity(rng, campaign, sub.round, union, parent[union], 60, 0, union)
        act.plants.append(
            Plant(
                "unit_other_federation",
                "grassroots_unit",
                union,
                "unit_other_parent",
                f"counts for {parent[union]}",
            )
        )
        sub.activities.append(act)
    # Per-file date modes are recorded once per file at the first row that shows them.
    return aliases
