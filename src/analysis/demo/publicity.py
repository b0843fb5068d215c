"""The demo's publicity sheets (work item 3's counts) and the counts the ingest must read.

A submission whose style has `publicity_sheet` gets one sheet in one of four
layouts: long or wide, for the federation itself or per grassroots union; some
are cumulative (截至… in the title). A few cells are planted: an implausible
count (5000 for a grassroots union), an unreadable one (若干), an approximate
one (10余篇). Each count the ingest must accept is returned as a truth record
(`PUBLICITY_TRUTH_COLUMNS`), the demo's publicity_truth.csv, for the backtest.

The layout and counts come from a generator seeded by the file's path, not
from the demo's main random stream, so adding these sheets leaves every other
generated value as it was.
"""

from __future__ import annotations

import hashlib

import numpy as np

from analysis.demo.formats import Grid
from analysis.demo.records import Plant, Submission

PUBLICITY_TRUTH_COLUMNS = [
    "file", "sheet", "row", "reporting_unit", "kind", "round", "grassroots_unit", "output",
    "count", "cumulative", "reason",
]  # fmt: skip
SHEET = "宣传报道统计"
# (output code, long-form item label, wide-form header, measure word)
OUTPUTS = (
    ("briefs", "编发简报", "简报（期）", "期"),
    ("articles", "体会文章", "文章（篇）", "篇"),
    ("wechat", "微信推送", "微信（条）", "条"),
    ("weibo", "微博", "微博（条）", "条"),
    ("video", "微视频", "微视频（个）", "个"),
    ("media", "媒体报道", "媒体报道（次）", "次"),
    ("pictures", "图片", "图片（张）", "张"),
    ("boards", "展板横幅", "展板横幅（块）", "块"),
    ("remarks", "微感言", "微感言（条）", "条"),
)
LAYOUTS = ("long_federation", "wide_unions", "wide_federation", "long_unions")
IMPLAUSIBLE = 5000  # above any demo union's plausible limit (max(100, members) <= 1899)


def _rng(path: str) -> np.random.Generator:
    return np.random.default_rng(int(hashlib.sha256(path.encode()).hexdigest()[:12], 16))


def publicity_grid(sub: Submission) -> tuple[Grid, list[dict], list[tuple]]:
    """The sheet, the truth records and the manifest notes of one submission's publicity counts."""
    rng = _rng(sub.path)
    layout = LAYOUTS[int(rng.integers(len(LAYOUTS)))]
    cumulative = bool(rng.random() < 0.4)
    round_end = sub.round.end
    title = (
        f"宣传报道情况统计（截至{round_end.month}月{round_end.day}日累计）"
        if cumulative
        else f"宣传报道情况统计（{sub.round.name}）"
    )
    picked = sorted(rng.choice(len(OUTPUTS), size=int(rng.integers(3, 7)), replace=False))
    outputs = [OUTPUTS[i] for i in picked]
    unions = list(
        dict.fromkeys(a.unit for a in sub.activities if a.unit and a.counted_for == sub.unit)
    )[:6]
    if layout.endswith("unions") and not unions:
        layout = layout.replace("unions", "federation")
    own = sub.unit if sub.kind == "direct" else ""  # 本级 of a direct union is the union
    rows: list[list[object]] = [[title]]
    truth: list[dict] = []
    notes: list[tuple] = []
    plant = str(rng.choice(["implausible", "unreadable", "approximate", "none"]))

    def count(for_union: bool) -> int:
        scale = 3 if cumulative else 1
        return int(rng.integers(0, 12 if for_union else 26)) * scale + (0 if for_union else 1)

    def record(row: int, unit: str, code: str, value: object, n: int | None, reason: str) -> None:
        truth.append({
            "file": sub.path, "sheet": SHEET, "row": row, "reporting_unit": sub.unit,
            "kind": sub.kind, "round": sub.round.code, "grassroots_unit": unit, "output": code,
            "count": n, "cumulative": cumulative, "reason": reason,
        })  # fmt: skip

    def planted(row: int, unit: str, code: str, measure: str, for_union: bool) -> object:
        """The cell as written; records the truth and the manifest note."""
        nonlocal plant
        n = count(for_union)
        value: object = n
        reason = "ok"
        if plant == "implausible" and for_union:
            value = n = IMPLAUSIBLE
            reason = "publicity_count_implausible"
        elif plant == "unreadable":
            value, n, reason = "若干", None, "publicity_count_unreadable"
        elif plant == "approximate":
            value, n, reason = f"{n + 10}余{measure}", n + 10, "publicity_count_approximate"
        elif rng.random() < 0.3:
            value = f"{n}{measure}"
        if reason != "ok":
            notes.append((Plant(f"publicity_{plant}", "", value, reason, f"count {n}"), SHEET, row))
            plant = "none"
        record(row, unit, code, value, n, reason)
        return value

    if layout == "long_federation":
        rows.append(["类别", "数量（篇/条/个）", "备注"])
        for code, item, _, measure in outputs:
            rows.append([item, planted(len(rows) + 1, own, code, measure, False), None])
        rows.append(["合计", None, None])  # a 合计 row left blank, as offices do
    elif layout == "wide_federation":
        rows.append([header for _, _, header, _ in outputs])
        rows.append([planted(3, own, code, m, False) for code, _, _, m in outputs])
    elif layout == "wide_unions":
        rows.append(["序号", "基层工会名称", *(header for _, _, header, _ in outputs)])
        for i, union in enumerate(unions, start=1):
            r = len(rows) + 1
            rows.append(
                [i, union, *(planted(r, union, code, m, True) for code, _, _, m in outputs)]
            )
    else:  # long_unions
        rows.append(["基层工会名称", "宣传项目", "数量"])
        for union in unions:
            for code, item, _, measure in outputs[:3]:
                rows.append([union, item, planted(len(rows) + 1, union, code, measure, True)])
    notes.insert(
        0,
        (Plant("publicity_counts_sheet", "", SHEET, None,
               f"{layout}{' cumulative' if cumulative else ''}; read into publicity.csv"),
         SHEET, None),
    )  # fmt: skip
    return Grid(SHEET, rows), truth, notes
