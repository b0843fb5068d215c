"""Files beyond the planned submissions: corrected versions and files no reader can use."""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import replace
from pathlib import Path

import numpy as np

from analysis import config
from analysis.campaign import Campaign
from analysis.demo.formats import Grid, _docx_bytes, _encrypted_bytes, _xlsx_bytes
from analysis.demo.manifest import _entry
from analysis.demo.plan import _activity
from analysis.demo.records import Plant, Submission


def _with_suffix(path: str, tag: str) -> str:
    stem, ext = path.rsplit(".", 1)
    return f"{stem}{tag}.{ext}"


def _corrected(sub: Submission, rng: np.random.Generator, campaign: Campaign) -> Submission:
    """A corrected resubmission: later 填报日期, two numbers changed, a row dropped and one added."""
    acts = list(sub.activities)
    plain = [
        i for i, a in enumerate(acts) if not a.plants and isinstance(a.written["participants"], int)
    ]
    for i in plain[:2]:
        n = int(acts[i].participants or 0) + int(rng.integers(5, 30))
        acts[i] = replace(
            acts[i], participants=n, written=dict(acts[i].written, participants=n), plants=[]
        )
    if len(plain) > 2:
        acts.pop(plain[2])
    unions = [a for a in acts if a.unit]
    base = unions[0] if unions else acts[0]
    extra = _activity(
        rng,
        campaign,
        sub.round,
        base.unit,
        base.counted_for,
        40,
        0,
        base.written["grassroots_unit"],
    )
    acts.append(extra)
    new = replace(
        sub,
        activities=acts,
        report_date=(sub.report_date or sub.round.deadline)
        + dt.timedelta(days=int(rng.integers(2, 6))),
        plants=[],
    )
    new.style = replace(sub.style)
    new.path = _with_suffix(sub.path, str(rng.choice(["（更正）", "-修改版", "(修改后)"])))
    new.plants.append(
        Plant(
            "corrected_resubmission", "", new.report_date.isoformat(), None, f"replaces {sub.path}"
        )
    )
    sub.state = "superseded"
    sub.plants.append(
        Plant(
            "superseded",
            "",
            sub.report_date.isoformat() if sub.report_date else "",
            "superseded",
            f"replaced by {new.path}",
        )
    )
    return new


SUMMARY_TEXT = (
    "{unit}{round}工作总结\n"
    "一、主要做法\n各基层工会认真组织学习，通过中心组学习、专题宣讲、微信推送等形式开展宣传。\n"
    "二、取得成效\n职工群众参与积极，学习氛围浓厚。\n三、下一步打算\n继续抓好学习宣传贯彻工作。"
)


def _broken_files(subs: list[Submission], rng: np.random.Generator, raw: Path) -> list[dict]:
    """Files no reader can use, named like real submissions; returns manifest entries."""
    current = [s for s in subs if s.state == "current" and s.kind != "direct"]
    pick = [current[i] for i in rng.choice(len(current), size=8, replace=False)]
    folder = f"{config.SUBMISSIONS_SUBDIR}/"
    entries = []

    def put(rel: str, data: bytes, case: str, code: str | None, expect: str) -> None:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(data)
        entries.append(_entry(case, rel, "", None, "", "", code, expect, "rejected"))

    s = pick[0]
    put(
        f"{folder}{s.round.name}/{s.unit}-{s.round.name}.xlsx",
        b"",
        "file_empty",
        "empty",
        "rejected",
    )
    s = pick[1]
    whole = (raw / s.path).read_bytes()
    put(
        f"{folder}{s.unit}报送表(2).xlsx",
        whole[: len(whole) // 2],
        "file_truncated",
        "corrupt",
        "rejected",
    )
    s = pick[2]
    text = SUMMARY_TEXT.format(unit=s.unit, round=s.round.name)
    put(
        f"{folder}{s.unit}{s.round.name}工作总结.xlsx",
        _docx_bytes(text),
        "file_docx_as_xlsx",
        "not_a_spreadsheet",
        "rejected",
    )
    s = pick[3]
    put(
        f"{folder}{s.unit}活动情况说明.xls",
        text.replace(pick[2].unit, s.unit).encode("utf-8"),
        "file_text_as_xls",
        "no_activity_table",
        "rejected (read as text: no table)",
    )
    s = pick[4]
    put(
        f"{folder}{s.unit}报送表-{s.round.code}.xlsx",
        _encrypted_bytes(rng),
        "file_encrypted",
        "password_protected",
        "rejected",
    )
    s = pick[5]
    lines = [[line] for line in SUMMARY_TEXT.format(unit=s.unit, round=s.round.name).splitlines()]
    put(
        f"{folder}{s.unit}{s.round.name}总结.xlsx",
        _xlsx_bytes([Grid("Sheet1", lines)]),
        "no_table_workbook",
        "no_activity_table",
        "rejected",
    )
    s = pick[6]
    if s.path.endswith(".xlsx"):
        lock_rel = s.path.rsplit("/", 1)[0] + "/~$" + s.path.rsplit("/", 1)[1]
    else:
        lock_rel = f"{folder}~${s.unit}报送表.xlsx"
    owner = "Administrator"
    lock = (
        bytes([len(owner)])
        + owner.encode().ljust(53, b" ")
        + struct.pack("<H", len(owner))
        + owner.encode("utf-16-le").ljust(108, b" ")
    )
    put(lock_rel, lock, "lock_file", "file_skipped", "skipped")
    return entries
