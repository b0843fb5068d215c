"""A scaled-up district for benchmarks: ~300 messy-but-valid workbooks, ~200,000 rows.

`ensure(cache_dir)` generates it once (deterministic: the same parameters give the
same bytes) and reuses it while `spec.json` matches. Layouts vary per file the way
real submissions do: title rows, a header block (填报单位/填报日期/联系人/联系电话)
as "label：value" cells or label and value side by side, renamed and reordered
columns, dates as dates, text or Excel serials, participants as numbers or "约50人",
a blank spacer row, a 合计 row, sometimes a second activity sheet; mostly .xlsx,
some .xls and a few CSVs in UTF-8 or GB18030.

The raw folder has the contract's shape: `roster/`, `submissions/<round>/`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from analysis import config
from analysis.campaign import Campaign, Round, load_campaign

GENERATOR_VERSION = 3
FIXED_TIME = dt.datetime(2019, 5, 29, 9, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)

PLACES = "东西南北前后上大小高黄白石马李张王刘孙赵周吴郑陈杨朱沙桥河"
PLACE_ENDS = ("庄", "各庄", "营", "店", "峪", "沟", "屯", "务", "台", "辛庄", "岗", "窑", "坊")
BRAND_A = "华金鑫泰恒通达盛瑞宏昌兴源安和信诚远博创天宇中新京燕德丰利嘉佳永光明凯"
BRAND_B = "通达兴泰盛源安和信诚远博创宇新丰利嘉佳光明凯城业程晟禾峰润海川力"
INDUSTRIES = (
    "科技",
    "建材",
    "物流",
    "建筑工程",
    "食品",
    "机械",
    "商贸",
    "环保科技",
    "医药",
    "电子",
)
FEDERATION_STEMS = (
    ("town", "镇总工会"),
    ("street", "街道总工会"),
    ("system", "系统工会"),
    ("zone", "园区工会"),
)
PARTICIPANT_LABELS = ("参加人数", "参与人数", "人数", "参学人次")
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭"
GIVEN = "华明丽军伟芳静敏强磊洋艳勇杰娟涛"


@dataclass(frozen=True)
class Spec:
    """What a generated round is made of; stored as spec.json beside it."""

    n_reporting_units: int = 100
    n_rounds: int = 3
    n_rows: int = 200_000
    unions_per_unit: int = 60
    seed: int = 20190529
    version: int = GENERATOR_VERSION

    @property
    def n_workbooks(self) -> int:
        return self.n_reporting_units * self.n_rounds


@dataclass
class ScaledRound:
    """A generated raw folder and its size."""

    raw_dir: Path
    spec: Spec
    files: int
    rows: int
    megabytes: float


def _unique(rng: np.random.Generator, seen: set[str], make) -> str:
    while True:
        name = make(rng)
        if name not in seen:
            seen.add(name)
            return name


def _pick(rng: np.random.Generator, chars) -> str:
    return chars[int(rng.integers(len(chars)))]


def build_roster(spec: Spec, rng: np.random.Generator) -> list[tuple[str, str, str, int]]:
    """(union, reporting unit, kind, members) for every grassroots union."""
    seen: set[str] = set()
    records = []
    for k in range(spec.n_reporting_units):
        kind, ending = FEDERATION_STEMS[k % len(FEDERATION_STEMS)]
        stem = f"{_pick(rng, PLACES)}{_pick(rng, PLACES)}{k + 1}号"
        parent = f"{stem}{ending}"
        for _ in range(spec.unions_per_unit):
            if kind in ("town", "street"):
                name = _unique(
                    rng, seen,
                    lambda r, s=stem: f"{s}{_pick(r, PLACES)}{_pick(r, PLACE_ENDS)}{int(r.integers(1, 99))}村工会",
                )  # fmt: skip
            else:
                name = _unique(
                    rng, seen,
                    lambda r: f"北京{_pick(r, BRAND_A)}{_pick(r, BRAND_B)}{_pick(r, INDUSTRIES)}"
                    f"{int(r.integers(1, 999))}有限公司工会",
                )  # fmt: skip
            records.append((name, parent, kind, int(rng.lognormal(np.log(40), 0.8)) + 3))
    return records


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times, so that bytes depend on the seed only."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def write_xlsx(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> None:
    """Sheets of rows as an .xlsx (openpyxl write-only, fixed timestamps)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


def write_xls(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> None:
    """Sheets of rows as a legacy .xls (the demo's xlwt writer)."""
    from analysis.demo.formats import Grid, _write_xls

    _write_xls(path, [Grid(name, rows) for name, rows in sheets])


def write_csv(path: Path, rows: list[list[object]], encoding: str) -> None:
    """One sheet as CSV, dates written as text."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
        )
    path.write_bytes(text.getvalue().encode(encoding))


def _date_cell(day: dt.date, mode: int) -> object:
    if mode == 0:
        return day
    if mode == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if mode == 2:
        return f"{day.year}.{day.month}.{day.day}"
    return (day - EXCEL_EPOCH).days


def _participants_cell(rng: np.random.Generator, n: int) -> object:
    draw = rng.random()
    if draw < 0.08:
        return f"约{n}人"
    if draw < 0.15:
        return f"{n}人"
    return n


def submission_rows(
    unit: str,
    unions: list[str],
    rnd: Round,
    campaign: Campaign,
    n_rows: int,
    rng: np.random.Generator,
) -> list[list[object]]:
    """The activity rows of one submission: a plausible mix of cells, no header."""
    items = campaign.work_items
    span = (rnd.end - rnd.start).days + 1
    date_mode = int(rng.choice(4, p=[0.7, 0.15, 0.1, 0.05]))
    day_offsets = rng.integers(0, span, n_rows)
    union_index = rng.integers(0, len(unions), n_rows)
    item_index = rng.integers(0, len(items), n_rows)
    people = np.maximum(3, rng.lognormal(np.log(30), 0.9, n_rows).astype(int))
    written = rng.random(n_rows)
    rows = []
    for i in range(n_rows):
        union = unions[union_index[i]]
        if written[i] < 0.04:
            union = "本级"
        elif written[i] < 0.10:
            union = union.removeprefix("北京").replace("有限公司", "公司")
        item = items[item_index[i]]
        forms = item.form_names
        rows.append(
            [
                i + 1,
                union,
                _date_cell(rnd.start + dt.timedelta(days=int(day_offsets[i])), date_mode),
                item.name,
                forms[i % len(forms)],
                _participants_cell(rng, int(people[i])),
                None if i % 7 else "已报送信息",
            ]
        )
    return rows


def _layout(
    unit: str,
    rnd: Round,
    campaign: Campaign,
    body: list[list[object]],
    rng: np.random.Generator,
) -> list[list[object]]:
    """Title rows, header block, header row, the body (a spacer inside), a 合计 row."""
    report_day = rnd.deadline - dt.timedelta(days=int(rng.integers(0, 8)))
    contact = f"{_pick(rng, SURNAMES)}{_pick(rng, GIVEN)}"
    phone = f"010-6{int(rng.integers(1000000, 9999999))}"
    rows: list[list[object]] = []
    titles = int(rng.integers(1, 4))
    rows += [[f"{campaign.name}活动开展情况统计表"], [f"（{rnd.name}）"], []][:titles]
    if rng.random() < 0.5:
        rows.append([f"填报单位：{unit}", None, None, f"填报日期：{report_day:%Y年%-m月%-d日}"])
        rows.append([f"联系人：{contact}", None, None, f"联系电话：{phone}"])
    else:
        rows.append(["填报单位", unit, None, "填报日期", report_day])
        rows.append(["联系人", contact, None, "联系电话", phone])
    rows.append([])
    participants = _pick(rng, PARTICIPANT_LABELS)
    header = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", participants, "备注"]
    order = list(range(7))
    if rng.random() < 0.3:  # date before union: a reordered template
        order = [0, 2, 1, 3, 4, 5, 6]
    rows.append([header[j] for j in order])
    spacer = int(rng.integers(1, max(2, len(body))))
    for i, row in enumerate(body):
        if i == spacer:
            rows.append([None] * 7)
        rows.append([row[j] for j in order])
    total = sum(r[5] for r in body if isinstance(r[5], int))
    total_row: list[object] = ["合计", None, None, None, None, total, None]
    rows.append([total_row[j] for j in order])
    return rows


def generate(out_dir: Path, spec: Spec = Spec(), campaign: Campaign | None = None) -> ScaledRound:
    """Write the scaled district (roster + submissions) into the raw folder `out_dir`."""
    campaign = campaign or load_campaign()
    rng = np.random.default_rng(spec.seed)
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    roster = build_roster(spec, rng)
    write_roster(out_dir / config.ROSTER_SUBDIR / "基层工会名册.xlsx", roster)
    by_unit: dict[str, list[str]] = {}
    for union, parent, _kind, _members in roster:
        by_unit.setdefault(parent, []).append(union)
    per_file = spec.n_rows // spec.n_workbooks
    rows_written = 0
    for r, rnd in enumerate(campaign.rounds[: spec.n_rounds]):
        folder = out_dir / config.SUBMISSIONS_SUBDIR / rnd.code
        folder.mkdir(parents=True, exist_ok=True)
        for k, (unit, unions) in enumerate(by_unit.items()):
            n = max(20, int(per_file * rng.uniform(0.6, 1.4)))
            body = submission_rows(unit, unions, rnd, campaign, n, rng)
            rows_written += n
            index = r * len(by_unit) + k
            stem = folder / f"{unit}_{rnd.name}活动统计"
            _write_submission(stem, index, unit, rnd, campaign, body, rng)
    units_file(out_dir).write_text(json.dumps(by_unit, ensure_ascii=False), encoding="utf-8")
    files = [p for p in (out_dir / config.SUBMISSIONS_SUBDIR).rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    return ScaledRound(out_dir, spec, len(files), rows_written, size / 2**20)


def _write_submission(
    stem: Path,
    index: int,
    unit: str,
    rnd: Round,
    campaign: Campaign,
    body: list[list[object]],
    rng: np.random.Generator,
) -> Path:
    """One submission in the format its index picks: 85% xlsx, 10% xls, 5% CSV."""
    slot = index % 20
    if slot in (3, 13):
        path = stem.with_suffix(".xls")
        write_xls(path, [("活动统计", _layout(unit, rnd, campaign, body, rng))])
    elif slot == 7:
        path = stem.with_suffix(".csv")
        encoding = "utf-8-sig" if index % 40 == 7 else "gb18030"
        write_csv(path, _layout(unit, rnd, campaign, body, rng), encoding)
    elif slot == 11:  # two activity sheets in one workbook
        path = stem.with_suffix(".xlsx")
        half = len(body) // 2
        write_xlsx(
            path,
            [
                ("学习宣讲活动", _layout(unit, rnd, campaign, body[:half], rng)),
                ("宣传落实活动", _layout(unit, rnd, campaign, body[half:], rng)),
            ],
        )
    else:
        path = stem.with_suffix(".xlsx")
        write_xlsx(path, [("活动统计", _layout(unit, rnd, campaign, body, rng))])
    return path


def units_file(raw_dir: Path) -> Path:
    """Beside the raw folder (not in it): reporting unit -> its unions, for late files."""
    return Path(raw_dir).parent / "units.json"


def write_roster(path: Path, roster: list[tuple[str, str, str, int]]) -> None:
    """The roster workbook as an office keeps it: a title row, then the table."""
    rows: list[list[object]] = [["基层工会名册（2019年5月）"]]
    rows.append(["序号", "基层工会名称", "上级工会", "类别", "会员人数", "职工人数"])
    for i, (union, parent, kind, members) in enumerate(roster, start=1):
        rows.append([i, union, parent, config.KIND_NAMES[kind], members, members + members // 5])
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(path, [("名册", rows)])


def new_submission(
    raw_dir: Path,
    units: dict[str, list[str]],
    k: int,
    n_rows: int = 600,
    campaign: Campaign | None = None,
) -> Path:
    """A late workbook into `raw_dir` (a unit's 补报 for the last round), the `k`-th one."""
    campaign = campaign or load_campaign()
    rng = np.random.default_rng(10_000 + k)
    names = sorted(units)
    unit = names[k % len(names)]
    rnd = campaign.rounds[-1]
    body = submission_rows(unit, units[unit], rnd, campaign, n_rows, rng)
    folder = raw_dir / config.SUBMISSIONS_SUBDIR / rnd.code
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{unit}_{rnd.name}活动统计（补报{k + 1}）.xlsx"
    write_xlsx(path, [("活动统计", _layout(unit, rnd, campaign, body, rng))])
    return path


def ensure(cache_dir: Path, spec: Spec = Spec()) -> ScaledRound:
    """The scaled round under `cache_dir/scaled/raw`, generated only when missing or stale."""
    raw_dir = Path(cache_dir) / "scaled" / "raw"
    meta = raw_dir.parent / "spec.json"
    if meta.is_file():
        stored = json.loads(meta.read_text(encoding="utf-8"))
        if stored.get("spec") == asdict(spec) and (raw_dir / config.SUBMISSIONS_SUBDIR).is_dir():
            return ScaledRound(raw_dir, spec, stored["files"], stored["rows"], stored["megabytes"])
    result = generate(raw_dir, spec)
    meta.write_text(
        json.dumps(
            {"spec": asdict(spec), "files": result.files, "rows": result.rows,
             "megabytes": result.megabytes},
            ensure_ascii=False, indent=1,
        ),
        encoding="utf-8",
    )  # fmt: skip
    return result
