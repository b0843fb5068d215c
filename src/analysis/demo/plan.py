"""Who submits what and when: each reporting unit's submissions, activities and coverage."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis import config
from analysis.campaign import Campaign, Round
from analysis.demo.records import Activity, Plant, Submission

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "华明丽军伟芳静敏强磊洋艳勇杰娟涛超霞平刚"


def _round_days(rnd: Round) -> int:
    return (rnd.end - rnd.start).days + 1


def _activity(
    rng: np.random.Generator,
    campaign: Campaign,
    rnd: Round,
    unit: str,
    counted_for: str,
    members: int,
    round_index: int,
    written_unit: str,
) -> Activity:
    """One activity of `unit` ("" = the federation itself) in round `rnd`; last rounds lean
    towards publicity and reporting (summaries)."""
    items = campaign.work_items
    if round_index == len(campaign.rounds) - 1:
        weights = np.array([0.2, 0.15, 0.25, 0.15, 0.25])[: len(items)]
    else:
        weights = np.array([0.3, 0.27, 0.25, 0.13, 0.05])[: len(items)]
    if len(weights) < len(items):
        weights = np.ones(len(items))
    item = items[int(rng.choice(len(items), p=weights / weights.sum()))]
    form = item.forms[int(rng.integers(len(item.forms)))] if item.forms else (item.name,)
    date = rnd.start + dt.timedelta(days=int(rng.integers(_round_days(rnd))))
    base = members if unit else int(rng.integers(20, 300))
    participants = int(np.clip(round(base * rng.uniform(0.3, 1.1)), 3, 2000))
    item_written = item.name if rng.random() < 0.8 else str(rng.choice(item.synonyms))
    form_written = form[0] if rng.random() < 0.75 else str(rng.choice(form))
    note = (
        ""
        if rng.random() < 0.85
        else str(rng.choice(["含线上", "联合举办", "图片已报送", "分两批进行"]))
    )
    return Activity(
        unit=unit,
        counted_for=counted_for,
        date=date,
        work_item=item.code,
        form=form[0],
        participants=participants,
        written={
            "grassroots_unit": written_unit,
            "date": date,
            "work_item": item_written,
            "form": form_written,
            "participants": participants,
            "note": note,
        },
    )


def _contact(rng: np.random.Generator) -> tuple[str, str]:
    name = f"{rng.choice(list(SURNAMES))}某{rng.choice(list(GIVEN))}"
    return name, f"1380000{int(rng.integers(10000)):04d}"


def plan_submissions(
    roster: pd.DataFrame, campaign: Campaign, rng: np.random.Generator
) -> tuple[list[Submission], list[Plant]]:
    """One submission per reporting unit per round (minus the silent ones), with truth."""
    rounds = campaign.rounds
    n_rounds = len(rounds)
    units = roster.groupby("reporting_unit", sort=False).agg(kind=("kind", "first")).reset_index()
    units = units[units["reporting_unit"] != config.DISTRICT_FEDERATION]
    federations = list(units.itertuples(index=False))
    direct = roster[roster["kind"] == "direct"]
    plan: list[tuple[str, str]] = [(u.reporting_unit, u.kind) for u in federations]
    plan += [(u, "direct") for u in direct["unit"]]

    # Reach (final unit coverage) differs by kind; towns spread from ~20% to ~90%.
    # Townships (乡) draw from the lower half of the spread, towns (镇) from the rest.
    town_units = [u for u, k in plan if k == "town" and not u.endswith("乡总工会")]
    township_units = [u for u, k in plan if k == "town" and u.endswith("乡总工会")]
    spread = np.linspace(0.18, 0.92, len(town_units) + len(township_units))
    low = rng.permutation(len(spread) // 2)[: len(township_units)]
    rest = [v for i, v in enumerate(spread) if i not in set(low.tolist())]
    town_reach = dict(zip(township_units, spread[low], strict=True))
    town_reach |= dict(zip(town_units, rng.permutation(rest), strict=True))
    reach_range = {
        "street": (0.4, 0.8),
        "system": (0.55, 0.95),
        "yanshan": (0.75, 0.85),
        "zone": (0.45, 0.6),
    }

    silent_all = [
        str(rng.choice([u for u, k in plan if k == "town" and u.endswith("乡总工会")])),
        str(rng.choice([u for u, k in plan if k == "direct"])),
    ]
    candidates = [u for u, _ in plan if u not in silent_all]
    silent_round = {r.code: list(rng.choice(candidates, size=4, replace=False)) for r in rounds}
    late = {r.code: list(rng.choice(candidates, size=4, replace=False)) for r in rounds}
    plants = [
        Plant("silent_all_rounds", "", u, None, "no submission in any round") for u in silent_all
    ]
    for code, us in silent_round.items():
        plants += [
            Plant("silent_round", "", f"{u}|{code}", None, "no submission this round") for u in us
        ]

    members = dict(zip(roster["unit"], roster["members"], strict=True))
    by_parent = {p: list(g["unit"]) for p, g in roster.groupby("reporting_unit", sort=False)}
    subs: list[Submission] = []
    for unit, kind in plan:
        if kind == "direct":
            submit_p = float(rng.uniform(0.5, 0.95))
        else:
            unions = [by_parent[unit][i] for i in rng.permutation(len(by_parent[unit]))]
            lo, hi = reach_range.get(kind, (0.0, 0.0))
            reach = town_reach[unit] if kind == "town" else float(rng.uniform(lo, hi))
            fractions = np.sort(
                rng.uniform(
                    [0.35, 0.75] + [1.0] * (n_rounds - 2), [0.6, 0.9] + [1.0] * (n_rounds - 2)
                )
            )[:n_rounds]
            reached = [int(round(reach * f * len(unions))) for f in fractions]
        contact, phone = _contact(rng)
        done = 0
        for ri, rnd in enumerate(rounds):
            if unit in silent_all or unit in silent_round[rnd.code]:
                continue
            acts: list[Activity] = []
            if kind == "direct":
                if rng.random() > submit_p:
                    continue
                for _ in range(1 + int(rng.poisson(1.5))):
                    written = str(rng.choice(["本级", "", unit]))
                    acts.append(
                        _activity(rng, campaign, rnd, unit, unit, members[unit], ri, written)
                    )
            else:
                upto = max(reached[ri], done)
                for i, union in enumerate(unions[:upto]):
                    new = i >= done
                    if not new and rng.random() > (0.75 if ri < n_rounds - 1 else 0.3):
                        continue
                    lam = 3.3 if ri < n_rounds - 1 else 0.5
                    for _ in range(1 + int(rng.poisson(lam))):
                        acts.append(
                            _activity(rng, campaign, rnd, union, unit, members[union], ri, union)
                        )
                done = upto
                for _ in range(1 + int(rng.poisson(1.5))):
                    own = str(rng.choice(["本级", "本级", ""]))
                    acts.append(_activity(rng, campaign, rnd, "", unit, 0, ri, own))
            acts.sort(key=lambda a: (a.date, a.unit))
            last = max(a.date for a in acts)
            if unit in late[rnd.code]:
                report = rnd.deadline + dt.timedelta(days=int(rng.integers(3, 25)))
            else:
                report = max(last, rnd.deadline - dt.timedelta(days=int(rng.integers(0, 8))))
            sub = Submission(unit, kind, rnd, report, contact, phone, acts, written_unit=unit)
            sub.unions = tuple(by_parent.get(unit, [unit]))
            if unit in late[rnd.code]:
                sub.plants.append(
                    Plant(
                        "late",
                        "",
                        report.isoformat(),
                        None,
                        f"on_time false (deadline {rnd.deadline})",
                    )
                )
            subs.append(sub)
    return subs, plants
