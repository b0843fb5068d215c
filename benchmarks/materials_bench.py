"""Materials benchmark (issue 14, item 9): 1,000 photos and 100 documents beside a round.

The scaled round's spreadsheets alone, and the same spreadsheets with generated
materials added: 10 photos (small JPEGs with an EXIF date, each a different drawing
so that no two are perceptual duplicates) in a folder per reporting unit and a stage
summary in Word per unit, for the first 100 units. Measured as CLI runs (start-up
included):

- `materials.cli.sheets_full` / `materials.cli.full`: first ingest (`--full`, fresh
  output folder) without and with the materials;
- `materials.cli.sheets_rerun` / `materials.cli.rerun`: a re-run after one new
  workbook (the materials already seen come from the cache).

Each with-materials figure is shown as a ratio to its spreadsheet-only run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from benchmarks import ingest_bench
from benchmarks.harness import Result, best_child, run_child

N_PHOTOS = 1_000
N_DOCUMENTS = 100
PHOTO_SIZE = (320, 240)
MATERIALS_NAMES = [
    "materials.cli.sheets_full",
    "materials.cli.full",
    "materials.cli.sheets_rerun",
    "materials.cli.rerun",
]


def photo(rng: np.random.Generator, taken: dt.datetime) -> bytes:
    """A small JPEG of random shapes with its EXIF date (DateTimeOriginal)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", PHOTO_SIZE, tuple(int(v) for v in rng.integers(0, 256, 3)))
    draw = ImageDraw.Draw(image)
    w, h = PHOTO_SIZE
    for _ in range(12):
        x0, y0 = int(rng.integers(0, w - 20)), int(rng.integers(0, h - 20))
        x1, y1 = x0 + int(rng.integers(20, w // 2)), y0 + int(rng.integers(20, h // 2))
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.rectangle([x0, y0, x1, y1], fill=fill)
        else:
            draw.ellipse([x0, y0, x1, y1], fill=fill)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif.tobytes())
    return buffer.getvalue()


def ensure_materials(cache_dir: Path, units: list[str]) -> Path:
    """The generated materials under `cache_dir/materials/submissions` (made once)."""
    from analysis.campaign import load_campaign
    from analysis.demo.materials import summary_docx

    root = Path(cache_dir) / "materials"
    stamp = root / "spec.json"
    spec = {"photos": N_PHOTOS, "documents": N_DOCUMENTS, "size": list(PHOTO_SIZE), "v": 1}
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == spec:
        return root / "submissions"
    shutil.rmtree(root, ignore_errors=True)
    rng = np.random.default_rng(14_009)
    rnd = load_campaign().rounds[0]
    chosen = units[:N_DOCUMENTS]
    per_unit = N_PHOTOS // len(chosen)
    for unit in chosen:
        folder = root / "submissions" / rnd.code / f"{unit}活动照片"
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(per_unit):
            day = rnd.start + dt.timedelta(days=int(rng.integers((rnd.end - rnd.start).days + 1)))
            taken = dt.datetime.combine(
                day, dt.time(int(rng.integers(8, 18)), int(rng.integers(60)))
            )
            (folder / f"IMG_{k + 1:04d}.jpg").write_bytes(photo(rng, taken))
        totals = {"activities": int(rng.integers(5, 60)), "participants": int(rng.integers(100, 3000)),
                  "units": int(rng.integers(3, 30))}  # fmt: skip
        created = dt.datetime.combine(rnd.deadline - dt.timedelta(days=2), dt.time(9))
        summary = summary_docx(unit, rnd.name, totals, created)
        (root / "submissions" / rnd.code / f"{unit}{rnd.name}工作总结.docx").write_bytes(summary)
    stamp.write_text(json.dumps(spec), encoding="utf-8")
    return root / "submissions"


def measure_materials(cache_dir: Path, scaled, work: Path, repeat: int = 1) -> list[Result]:
    """First ingest and a re-run, spreadsheets alone and with the materials."""
    from benchmarks import scaled_round

    units = json.loads(scaled_round.units_file(scaled.raw_dir).read_text(encoding="utf-8"))
    materials = ensure_materials(cache_dir, sorted(units))
    base = Path(tempfile.mkdtemp(prefix="materials-", dir=work))
    sheets_raw, with_raw = base / "sheets" / "raw", base / "with" / "raw"
    shutil.copytree(scaled.raw_dir, sheets_raw)
    shutil.copytree(scaled.raw_dir, with_raw)
    shutil.copytree(materials, with_raw / "submissions", dirs_exist_ok=True)
    results: dict[str, object] = {}
    added = {"sheets": 0, "with": 0}
    # Alternated, so that a busy moment of a shared machine touches both sides.
    for _ in range(max(1, repeat)):
        for side, raw in (("sheets", sheets_raw), ("with", with_raw)):
            out = raw.parent / "out"
            shutil.rmtree(out, ignore_errors=True)
            full = best_child(ingest_bench._ingest_argv(raw, out, "--full"), 1)
            scaled_round.new_submission(raw, units, 5_000 + added[side])
            added[side] += 1
            rerun = run_child(ingest_bench._ingest_argv(raw, out))
            if rerun.returncode != 0:
                raise RuntimeError(f"re-run exited {rerun.returncode}: {rerun.stderr[-200:]}")
            for name, run in ((f"{side}.full", full), (f"{side}.rerun", rerun)):
                if name not in results or run.seconds < results[name].seconds:
                    results[name] = run
    n = f"{N_PHOTOS:,} photos and {N_DOCUMENTS} documents"
    return [
        Result("materials.cli.sheets_full", results["sheets.full"].seconds,
               results["sheets.full"].peak_mb, repeat,
               note="scaled round's spreadsheets only, --full (start-up included)"),
        Result("materials.cli.full", results["with.full"].seconds, results["with.full"].peak_mb,
               repeat, baseline="materials.cli.sheets_full", note=f"the same with {n}, --full"),
        Result("materials.cli.sheets_rerun", results["sheets.rerun"].seconds,
               results["sheets.rerun"].peak_mb, repeat,
               note="spreadsheets only, re-run after one new workbook"),
        Result("materials.cli.rerun", results["with.rerun"].seconds, results["with.rerun"].peak_mb,
               repeat, baseline="materials.cli.sheets_rerun",
               note=f"with {n}, re-run after one new workbook (materials cached)"),
    ]  # fmt: skip
