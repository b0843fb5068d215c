"""Helpers shared by the hostile-input, crash, conservation, privacy and raw-immutability tests.

They drive ingest only through its contract: `analysis.ingest.run(raw, out)` and
`python -m analysis ingest --raw R --out O`, then read the CSV tables it writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import make_corpus as corpus  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
CONTRACT_TABLES = ("submissions", "rows", "issues", "coverage", "coverage_by_item")


def build_raw(raw: Path, *paths: str) -> Path:
    """RAW with the corpus roster, the valid submission and the corpus files at `paths`."""
    for rel in ("roster/名册.xlsx", corpus.VALID_FILE, *paths):
        target = raw / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus.CORPUS / rel, target)
    return raw


def add_l_file(raw: Path, rel: str = corpus.L_FILE) -> Path:
    """Put the valid 琉璃河镇总工会 r1 submission at `rel` under RAW."""
    target = raw / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(corpus.CORPUS / "valid/琉璃河镇总工会_第一阶段.xlsx", target)
    return target


def read_table(out: Path, name: str) -> pd.DataFrame:
    """A contract table as strings (empty cells as ""), as a reader of the CSV sees it."""
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@dataclass
class Tables:
    rows: pd.DataFrame
    submissions: pd.DataFrame
    issues: pd.DataFrame


def tables(out: Path) -> Tables:
    return Tables(
        read_table(out, "rows"), read_table(out, "submissions"), read_table(out, "issues")
    )


def ingest(raw: Path, out: Path) -> Tables:
    """Run ingest in this process (no cache reuse between tests: each `out` is fresh)."""
    from analysis import ingest as ingest_module

    ingest_module.run(raw, out, progress=False)
    return tables(out)


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


_MEASURE = (
    "import resource, sys, json\n"
    "from analysis.cli import main\n"
    "code = 1\n"
    "try:\n"
    "    code = main(sys.argv[2:])\n"
    "finally:\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "    open(sys.argv[1], 'w').write(json.dumps({'peak': peak}))\n"
    "sys.exit(code)\n"
)


def run_cli(raw: Path, out: Path, *extra: str, timeout: float = 300) -> CliRun:
    """`python -m analysis ingest` in a child process, with its wall time and peak RSS."""
    stats = out.parent / f".{out.name}.rss.json"
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    start = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _MEASURE,
            str(stats),
            "ingest",
            "--raw",
            str(raw),
            "--out",
            str(out),
            "--quiet",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    seconds = time.monotonic() - start
    peak = json.loads(stats.read_text())["peak"] if stats.exists() else float("nan")
    return CliRun(proc.returncode, proc.stdout, proc.stderr, seconds, peak)


def output_files(out: Path) -> list[Path]:
    """Every file an ingest wrote under OUT (the cache included)."""
    return sorted(p for p in out.rglob("*") if p.is_file())


def all_text_of(paths: list[Path]) -> str:
    """The bytes of `paths` decoded leniently, concatenated (for 'never appears' checks)."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in paths)


def tree_state(folder: Path) -> dict[str, tuple[str, int]]:
    """relative path -> (sha256, mtime_ns) for every file under `folder`."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[path.relative_to(folder).as_posix()] = (digest, path.stat().st_mtime_ns)
    return state


def file_bytes(out: Path) -> dict[str, bytes]:
    """The contract tables present in OUT, name -> bytes."""
    return {
        n: (out / f"{n}.csv").read_bytes() for n in CONTRACT_TABLES if (out / f"{n}.csv").exists()
    }


UNITS_BY_PARENT = {
    "长阳镇总工会": [
        "长阳镇第一小学工会",
        "长阳镇卫生院工会",
        "北京长阳建材有限公司工会委员会",
        "本级",
    ],
    "琉璃河镇总工会": ["琉璃河镇中心小学工会", "本级"],
    "区教委工会": ["区教委机关工会", "房山区实验中学工会", "本级"],
}
ITEMS = [
    ("切实抓好学习", "讨论会"),
    ("加强宣讲培训", "宣讲"),
    ("精心组织宣传", "微信"),
    ("狠抓工作落实", "劳动竞赛"),
    ("做好相关资料上报", "信息图片"),
]
ROUND_DAYS = {"第一阶段": ("2019-06-", "2019-07-03"), "第二阶段": ("2019-08-", "2019-10-08")}


def mid_size_raw(
    raw: Path, files_per_unit: int = 4, rows_per_file: int = 60, seed: int = 7
) -> Path:
    """RAW with the corpus roster and `files_per_unit` valid submissions per unit and round."""
    import random

    rng = random.Random(seed)
    target = raw / "roster/名册.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(corpus.CORPUS / "roster/名册.xlsx", target)
    for parent, units in UNITS_BY_PARENT.items():
        for round_label, (month, report_date) in ROUND_DAYS.items():
            for k in range(files_per_unit):
                rows = []
                for i in range(rows_per_file):
                    item, form = rng.choice(ITEMS)
                    day = f"{month}{rng.randint(1, 28):02d}"
                    rows.append(
                        [i + 1, rng.choice(units), day, item, form, rng.randint(5, 120), None]
                    )
                data = corpus.xlsx_bytes(
                    corpus.submission_rows(parent, report_date, rows, round_label)
                )
                path = raw / "submissions" / round_label / f"{parent}_{k + 1}版.xlsx"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    return raw


CONTACTS = {
    "长阳镇总工会": ("欧阳晓岚", "13911112222"),
    "琉璃河镇总工会": ("司马青云", "010-69318888"),
    "区教委工会": ("慕容雪松", "15600001234"),
}


def contacts_raw(raw: Path) -> Path:
    """RAW whose three submissions carry known, distinctive contact names and phones."""
    target = raw / "roster/名册.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(corpus.CORPUS / "roster/名册.xlsx", target)
    for n, (parent, (name, phone)) in enumerate(CONTACTS.items()):
        units = [u for u in UNITS_BY_PARENT[parent] if u != "本级"]
        rows = [
            [i + 1, unit, f"2019-06-{10 + i:02d}", item, form, 20 + i, None]
            for i, (unit, (item, form)) in enumerate(zip(units, ITEMS, strict=False))
        ]
        data = corpus.xlsx_bytes(
            corpus.submission_rows(
                parent, "2019-07-01", rows, "第一阶段", contact=name, phone=phone
            )
        )
        path = raw / "submissions" / f"{parent}_{n}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return raw


def texts_of(path: Path) -> str:
    """All text a file carries: ZIP members (pptx/xlsx/ods), PNG text chunks, else its bytes."""
    import zipfile
    import zlib

    data = path.read_bytes()
    parts = [data.decode("utf-8", "replace")]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as zf:
            parts += [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
    if data.startswith(b"\x89PNG"):
        pos = 8
        while pos + 8 <= len(data):
            length = int.from_bytes(data[pos : pos + 4], "big")
            kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
            if kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                parts.append(key.decode("latin-1") + zlib.decompress(rest[1:]).decode("latin-1"))
            elif kind == b"iTXt":
                fields = body.split(b"\0", 5)
                text = fields[-1]
                if len(fields) > 2 and fields[1][:1] == b"\1":
                    text = zlib.decompress(text)
                parts.append(text.decode("utf-8", "replace"))
            pos += 12 + length
    return "\n".join(parts)
