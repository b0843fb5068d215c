"""The demo district's materials: event photos, stage summaries, archives (zip, GBK zip, 7z).

Written after the spreadsheets with an RNG of its own, so the spreadsheets' bytes do
not change. Every file is reproducible byte for byte (fixed timestamps in archives and
documents). `materials_truth.csv` beside the raw folder lists what was made and what
the ingest must make of it (the backtest in tests/test_demo_materials.py).

Delivery forms, as units send them: a folder per unit in a round folder; a zip per unit
(one with GBK member names, as Chinese Windows writes them); one 7z; loose photos
placed only by their EXIF date; WeChat re-encoded copies of a photo; one photo nobody
can place. Summaries state totals; a few disagree with the unit's own table.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from analysis import config
from analysis.campaign import Campaign

TRUTH_FILE = "materials_truth.csv"
TRUTH_COLUMNS = ["file", "reporting_unit", "kind", "round", "material", "taken_date", "state",
                 "duplicate_of", "stated_activities", "stated_participants", "stated_units"]  # fmt: skip
FIXED_TIME = (2019, 1, 1, 0, 0, 0)
PHOTO_SIZE = (800, 533)
# (delivery, how many units): folder in a round folder, zip, GBK zip, 7z, loose by EXIF date
DELIVERIES = (("folder", 4), ("zip", 3), ("zip_gbk", 1), ("7z", 1), ("exif", 2))
# Summaries whose stated totals disagree with the unit's table (by this factor).
DISAGREE = (1.6, 0.5)


def _font(size: int) -> ImageFont.FreeTypeFont:
    from analysis.style import bundled_font_files

    files = bundled_font_files()
    if files:
        return ImageFont.truetype(str(files[0]), size)
    return ImageFont.load_default(size)


def event_photo(rng: np.random.Generator, title: str, caption: str) -> Image.Image:
    """A meeting photo as a drawing: wall, red banner with the campaign title, people as shapes."""
    w, h = PHOTO_SIZE
    wall = tuple(int(v) for v in rng.integers(150, 235, 3))
    image = Image.new("RGB", (w, h), wall)
    draw = ImageDraw.Draw(image)
    # floor and a stage
    draw.rectangle([0, int(h * 0.62), w, h], fill=tuple(int(v) for v in rng.integers(60, 140, 3)))
    top = int(rng.integers(20, 70))
    draw.rectangle([40, top, w - 40, top + 70], fill=(190, 20, 25))
    font = _font(int(rng.integers(22, 28)))
    text_w = draw.textlength(title, font=font)
    draw.text(((w - text_w) / 2, top + 18), title, font=font, fill=(255, 230, 120))
    small = _font(18)
    draw.text((50, top + 80), caption, font=small, fill=(40, 40, 40))
    # a screen or a board on one side
    if rng.random() < 0.6:
        x = int(rng.integers(40, w - 260))
        draw.rectangle([x, top + 110, x + 220, top + 230], fill=(30, 60, 120))
    rows = int(rng.integers(2, 5))
    for r in range(rows):
        y = int(h * 0.55 + r * 50)
        n = int(rng.integers(5, 12))
        for k in range(n):
            x = int((k + 0.5) * w / n + rng.integers(-15, 15))
            body = tuple(int(v) for v in rng.integers(0, 120, 3))
            draw.ellipse([x - 14, y - 38, x + 14, y - 10], fill=(235, 200, 170))
            draw.ellipse([x - 14, y - 40, x + 14, y - 24], fill=(25, 25, 25))
            draw.rounded_rectangle([x - 22, y - 8, x + 22, y + 50], radius=10, fill=body)
    return image


def _jpeg(image: Image.Image, taken: dt.datetime | None, quality: int = 82) -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "DEMO-PHONE"
    if taken:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def _wechat_copy(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


def _fixed_zip(members: list[tuple[str, bytes]], gbk: bool = False) -> bytes:
    """A zip with fixed timestamps; `gbk`: names in GBK without the UTF-8 flag."""
    buffer = io.BytesIO()
    swaps: list[tuple[bytes, bytes]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members):
            stored = name
            if gbk and not name.isascii():
                raw = name.encode("gbk")
                stored = f"~{i:03d}".ljust(len(raw), "_")
                swaps.append((stored.encode(), raw))
            zf.writestr(zipfile.ZipInfo(stored, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    for placeholder, raw in swaps:
        data = data.replace(placeholder, raw)
    return data


def _normalised_zip(data: bytes) -> bytes:
    """The same zip (a docx) with every member's timestamp fixed, for reproducible bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return _fixed_zip([(i.filename, zf.read(i)) for i in zf.infolist()])


def _seven_zip(members: list[tuple[str, bytes]]) -> bytes:
    import py7zr

    with tempfile.TemporaryDirectory() as tmp:
        stamp = dt.datetime(*FIXED_TIME).timestamp()
        paths = []
        for i, (name, data) in enumerate(members):
            path = Path(tmp) / str(i)
            path.write_bytes(data)
            os.utime(path, (stamp, stamp))
            paths.append((path, name))
        out = Path(tmp) / "out.7z"
        with py7zr.SevenZipFile(out, "w") as archive:
            for path, name in paths:
                archive.write(path, name)
        return out.read_bytes()


def summary_docx(unit: str, round_name: str, totals: dict[str, int], created: dt.datetime) -> bytes:
    """A stage summary in Word, with the totals stated as units write them."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    title = f"{unit}关于学习宣传贯彻市工会十四大精神{round_name}工作的总结"
    paragraphs = [
        title,
        "区总工会组宣部：",
        f"按照区总工会《关于认真学习宣传贯彻北京市工会第十四次代表大会精神的通知》要求，{unit}"
        "高度重视，及时向同级党组织汇报，结合实际制定学习计划，现将有关情况总结如下。",
        f"一、基本情况。{round_name}，我单位共开展活动{totals['activities']}场次，"
        f"参与职工{totals['participants']}余人次，覆盖基层工会{totals['units']}家。",
        "二、主要做法。通过理论中心组学习、专题培训班、微信公众号专栏等形式，广泛宣传大会精神。",
        "三、下一步打算。继续推动大会精神进基层、进企业，抓好落实。",
    ]
    for i, text in enumerate(paragraphs):
        run = document.add_paragraph().add_run(text)
        run.font.name = "仿宋"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
        if i == 0:
            run.bold = True
    props = document.core_properties
    props.created = props.modified = created
    props.author = unit
    props.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalised_zip(buffer.getvalue())


def _table_figures(truth: pd.DataFrame) -> dict[tuple[str, str], dict[str, int]]:
    """What each unit's accepted rows give per round: activities, participants, unions."""
    out = {}
    for (unit, rnd), group in truth.groupby(["reporting_unit", "round"]):
        units = group["grassroots_unit"].fillna("").astype(str)
        out[(unit, rnd)] = {
            "activities": len(group),
            "participants": int(pd.to_numeric(group["participants"]).fillna(0).sum()),
            "units": int(units[units != ""].nunique()),
        }
    return out


def add_materials(
    out_dir: Path, truth: pd.DataFrame, campaign: Campaign, seed: int
) -> pd.DataFrame:
    """Write the demo materials under `out_dir/submissions` and return their truth table."""
    rng = np.random.default_rng([seed, 14])
    figures = _table_figures(truth)
    kinds = truth.drop_duplicates("reporting_unit").set_index("reporting_unit")["kind"].to_dict()
    candidates = sorted(u for u, k in kinds.items() if k != "direct")
    chosen = [candidates[i] for i in rng.choice(len(candidates), size=11, replace=False)]
    rounds = {r.code: r for r in campaign.rounds}
    title = campaign.short_name if len(campaign.short_name) <= 24 else campaign.name[:24]
    records: list[dict] = []
    disagree_left = list(DISAGREE)

    def record(rel, unit, rnd, material, taken="", state="current", duplicate_of="", stated=None):
        stated = stated or {}
        records.append({
            "file": rel, "reporting_unit": unit, "kind": kinds.get(unit, "") if unit else "",
            "round": rnd, "material": material, "taken_date": taken, "state": state,
            "duplicate_of": duplicate_of, "stated_activities": stated.get("activities", ""),
            "stated_participants": stated.get("participants", ""), "stated_units": stated.get("units", ""),
        })  # fmt: skip

    def photos_for(unit: str, rnd: str, n: int, with_exif: bool) -> list[tuple[bytes, str]]:
        out = []
        for _ in range(n):
            r = rounds[rnd]
            day = r.start + dt.timedelta(days=int(rng.integers((r.end - r.start).days + 1)))
            when = dt.datetime.combine(
                day, dt.time(int(rng.integers(8, 18)), int(rng.integers(60)))
            )
            caption = f"{unit} 学习宣传活动现场"
            data = _jpeg(event_photo(rng, title, caption), when if with_exif else None)
            out.append((data, day.isoformat() if with_exif else ""))
        return out

    def summary_for(unit: str, rnd: str) -> tuple[bytes, dict[str, int]] | None:
        table = figures.get((unit, rnd))
        if table is None:
            return None
        stated = {
            "activities": table["activities"],
            "participants": table["participants"] // 10 * 10,
            "units": table["units"],
        }
        if disagree_left and rng.random() < 0.5:
            factor = disagree_left.pop(0)
            stated["activities"] = max(1, round(table["activities"] * factor))
        created = dt.datetime.combine(rounds[rnd].deadline - dt.timedelta(days=3), dt.time(9))
        return summary_docx(unit, rounds[rnd].name, stated, created), stated

    delivery_of = []
    for delivery, count in DELIVERIES:
        delivery_of += [delivery] * count
    for unit, delivery in zip(chosen, delivery_of, strict=False):
        unit_rounds = sorted(r for (u, r) in figures if u == unit) or ["r1"]
        rnd = unit_rounds[int(rng.integers(len(unit_rounds)))]
        rname = rounds[rnd].name
        if delivery == "exif":
            # Loose photos with the unit in the name; only their EXIF date says the round.
            for i, (data, taken) in enumerate(photos_for(unit, rnd, 2, with_exif=True), start=1):
                rel = f"{config.SUBMISSIONS_SUBDIR}/照片/{unit}_{i}.jpg"
                (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                (out_dir / rel).write_bytes(data)
                record(rel, unit, rnd, "photo", taken)
            continue
        pics = photos_for(unit, rnd, int(rng.integers(2, 5)), with_exif=rng.random() < 0.6)
        members: list[tuple[str, bytes, str, dict | None]] = []  # name, bytes, taken, stated
        for i, (data, taken) in enumerate(pics, start=1):
            members.append((f"活动照片{i}.jpg", data, taken, None))
        copy_name = ""
        if rng.random() < 0.6:  # the first photo again, as WeChat re-encodes it
            copy_name = f"微信图片_{20190000 + int(rng.integers(600, 1200))}.jpg"
            members.append((copy_name, _wechat_copy(pics[0][0]), "", None))
        summary = summary_for(unit, rnd)
        if summary:
            data, stated = summary
            created = (rounds[rnd].deadline - dt.timedelta(days=3)).isoformat()
            members.append((f"{unit}{rname}工作总结.docx", data, created, stated))
        if delivery == "folder":
            prefix = f"{config.SUBMISSIONS_SUBDIR}/{rnd}/{unit}资料"
            for name, data, *_ in members:
                (out_dir / prefix / name).parent.mkdir(parents=True, exist_ok=True)
                (out_dir / prefix / name).write_bytes(data)
        else:
            inner = f"{unit}{rname}报送材料"
            pairs = [(f"{inner}/{name}", data) for name, data, *_ in members]
            archive = (
                f"{config.SUBMISSIONS_SUBDIR}/{unit}材料{'.7z' if delivery == '7z' else '.zip'}"
            )
            blob = (
                _seven_zip(pairs) if delivery == "7z" else _fixed_zip(pairs, delivery == "zip_gbk")
            )
            (out_dir / archive).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / archive).write_bytes(blob)
            prefix = f"{archive}/{inner}"
        # The WeChat copy and the photo it copies: the first in path order is the original.
        pair = sorted([members[0][0], copy_name]) if copy_name else []
        for name, _, taken, stated in members:
            rel = f"{prefix}/{name}"
            if pair and name == pair[1]:
                record(rel, unit, rnd, "photo", taken, "duplicate", f"{prefix}/{pair[0]}")
            else:
                record(rel, unit, rnd, "summary" if stated else "photo", taken, stated=stated)
    # One photo nobody can place: no unit in its path, no EXIF date.
    stray = f"{config.SUBMISSIONS_SUBDIR}/微信图片_20190610.jpg"
    (out_dir / stray).write_bytes(_jpeg(event_photo(rng, title, "活动现场"), None))
    record(stray, "", "", "photo")
    frame = pd.DataFrame.from_records(records, columns=TRUTH_COLUMNS)
    return frame.sort_values("file", kind="stable").reset_index(drop=True)
