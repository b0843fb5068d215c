"""The demo district: a roster and three rounds of messy submissions, generated from a seed.

`generate(out_dir, seed)` writes a raw folder the ingest reads like an analyst's
(`roster/`, `submissions/`, `aliases.csv`) and, beside it (outside the raw folder, so
the ingest never reads them):

- `manifest.json`: `cases`, one record per planted value or situation: `case` (what
  was planted), `file` (relative to the raw folder), `sheet` ("" for CSV and
  file-level cases), `row` (1-based, as a spreadsheet shows it; null for file level),
  `column` (the header as written), `value` (as written), `code` (the issue code or
  rows.csv reason the ingest is expected to give; null when it should read the value
  silently), `expect` and `file_state` (current, superseded, duplicate_file,
  rejected). `codes` explains every code used.
- `truth.csv`: the activities the ingest should accept, one per row, with the cell
  they were written in and their roster name, reporting unit, work item, form, date
  and participants (empty when the written value cannot be read): a backtest target.

Everything comes from `numpy.random.default_rng(seed)`; files carry fixed
timestamps, so the same seed gives the same bytes. Campaign specifics (rounds,
deadlines, work items, forms, header words) come from `load_campaign()`.

A submission is written by a *layout* (`LAYOUTS`): "plain" builds cell grids in the
submission's `Style` and writes them as xlsx, xls (.et), ods or csv; "template" fills
a pre-filled template from `analysis.templates` as a unit would. More layouts can be
added with `register_layout(name, writer)`; `write_submission` dispatches.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from analysis import config
from analysis.campaign import Campaign, Round, load_campaign

# Fixed times written into every file, so that output bytes depend on the seed only.
FIXED_TIME = dt.datetime(2019, 5, 29, 9, 0, 0)
ZIP_TIME = (2019, 5, 29, 9, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)

TOWNS = ("良乡", "周口店", "琉璃河", "阎村", "窦店", "石楼", "长阳", "河北", "长沟", "大石窝", "张坊", "十渡", "青龙湖", "韩村河")  # fmt: skip
TOWNSHIPS = ("霞云岭", "南窖", "佛子庄", "大安山", "史家营", "蒲洼")
STREETS = ("城关", "新镇", "拱辰", "西潞")
YANSHAN_STREETS = ("向阳", "东风", "迎风", "星城")
YANSHAN = "燕山总工会"
ZONE = "良乡经济开发区工会"

# Industry systems: (reporting unit, profile of its unions, number of unions).
SYSTEMS: tuple[tuple[str, str, int], ...] = (
    ("区教委工会", "education", 150),
    ("区卫健委工会", "health", 45),
    ("区交通局工会", "transport", 12),
    ("区住建委工会", "construction", 22),
    ("区商务局工会", "commerce", 20),
    ("区农业农村局工会", "agriculture", 14),
    ("区文旅局工会", "culture", 12),
    ("区民政局工会", "civil", 10),
    ("区机关工会", "offices", 30),
    ("区城管委工会", "urban", 10),
    ("区市场监管局工会", "market", 14),
    ("区财政局工会", "finance", 6),
    ("区公安分局工会", "police", 16),
    ("区水务局工会", "water", 10),
    ("供电公司工会", "power", 14),
)

BRAND_A = "华金鑫泰恒通达盛瑞宏昌兴源安和信诚远博创天宇中新京燕德丰利嘉佳永光明凯"
BRAND_B = "通达兴泰盛源安和信诚远博创宇新丰利嘉佳光明凯城业程晟禾峰润海川力"
INDUSTRIES = ("科技", "建材", "物流", "建筑工程", "食品", "机械", "商贸", "环保科技", "文化传媒", "医药", "新材料", "汽车服务", "物业管理", "餐饮管理", "电子", "印刷", "农业发展", "旅游开发", "混凝土", "石化设备")  # fmt: skip
PLACE_A = "东西南北前后上下大小高黄白石马李张王刘孙赵周吴郑陈杨朱沙桥河"
PLACE_B = ("庄", "各庄", "营", "店", "峪", "沟", "坨", "屯", "务", "台", "辛庄", "家庄", "岗", "窑", "坊", "场", "口", "园")  # fmt: skip
SCHOOLS = ("中心小学", "第一小学", "第二小学", "第三小学", "第四小学", "第五小学", "中学", "第二中学", "中心幼儿园", "幼儿园", "职业学校", "成人学校")  # fmt: skip
ESTATE = ("园", "苑", "里", "家园", "小区", "嘉园", "新村")
YANSHAN_PLANTS = ("炼油厂", "化工一厂", "化工二厂", "合成橡胶厂", "树脂应用研究所", "热电厂", "储运厂", "机械厂", "供排水厂", "检维修中心", "质量检验中心", "物资装备中心", "消防支队", "职工医院", "生活服务中心", "信息中心", "动力事业部", "环保中心")  # fmt: skip
OFFICES = ("区委办公室", "区政府办公室", "区发展改革委", "区人力社保局", "区司法局", "区审计局", "区统计局", "区科委", "区经信局", "区生态环境局", "区规划分局", "区园林绿化局", "区应急局", "区信访办", "区档案馆", "区委组织部", "区委宣传部", "区委统战部", "区纪委监委", "区人大常委会机关", "区政协机关", "区法院", "区检察院", "区残联", "区妇联", "团区委", "区科协", "区侨联", "区地震局", "区气象局", "区税务局", "区体育局")  # fmt: skip
STATIONS = {
    "transport": ("公路养护站", "客运站", "交通服务站"),
    "agriculture": ("农业服务中心", "兽医站", "农机站"),
    "market": ("市场监督管理所",),
    "police": ("派出所",),
    "water": ("水务站", "供水所"),
    "power": ("供电所",),
    "urban": ("城管执法队", "环卫所"),
    "finance": ("财政所",),
    "civil": ("敬老院", "养老照料中心"),
    "culture": ("文化站", "图书分馆"),
}
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "华明丽军伟芳静敏强磊洋艳勇杰娟涛超霞平刚"
CN_DIGITS = {10: "十", 20: "二十", 30: "三十", 40: "四十", 50: "五十", 60: "六十", 80: "八十", 100: "一百"}  # fmt: skip
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PUBLICITY_OUTPUTS = ("文章", "微信", "微视频", "媒体报道", "图片")

# Expected issue codes (a proposal for the ingest; the manifest lists them too).
# Expected issue codes: the codes analysis.ingest raises in issues.csv, except
# total_row and note_row, which are rows.csv reasons of rejected rows.
ISSUE_CODES: dict[str, str] = {
    "empty": "0-byte file; file rejected",
    "corrupt": "a truncated or damaged workbook; file rejected",
    "not_a_spreadsheet": "another format (a Word document) under a spreadsheet extension; rejected",
    "password_protected": "password-protected workbook; file rejected",
    "file_skipped": "an Office lock file ~$...; skipped",
    "no_activity_table": "a file with no activity table anywhere; file rejected",
    "sheet_no_table": "a sheet with data but no activity table (publicity counts); warning",
    "sheet_hidden_skipped": "hidden sheet holding data; warning, not read",
    "duplicate_file": "byte-identical copy of another file; its rows are state duplicate",
    "superseded": "earlier submission of the same unit and round; rows superseded",
    "total_row": "rows.csv reason: 合计 row, rejected",
    "note_row": "rows.csv reason: 注： row under the table, rejected",
    "participants_approximate": "约50人 read as 50; warning",
    "participants_range": "50-60: a range; warning, participants missing",
    "participants_unreadable": "若干: participants missing (not zero); warning",
    "date_unreadable": "a date no rule can read; warning, row accepted without a date",
    "unit_unresolved": "grassroots union not in roster nor aliases; row rejected",
    "unit_other_parent": "a union whose roster parent is another reporting unit; warning",
}


# --------------------------------------------------------------------------- model


@dataclass
class Plant:
    """A planted value or situation the manifest records."""

    case: str
    field: str = ""  # activity-table field (model.TABLE_FIELDS) or "" for file/sheet level
    value: object = None
    code: str | None = None
    expect: str = ""


@dataclass
class Activity:
    """One activity row: its truth and the cells as the unit writes them."""

    unit: str  # roster name of the grassroots union; "" for the federation itself
    counted_for: str
    date: dt.date
    work_item: str
    form: str
    participants: int | None
    written: dict[str, object]
    plants: list[Plant] = field(default_factory=list)
    accepted: bool = True  # whether the ingest should accept it (when its file counts)
    date_known: bool = True  # False when the written date cannot be read


@dataclass
class Style:
    """How one submission file looks. `layout` picks the writer (see `LAYOUTS`)."""

    fmt: str = "xlsx"  # xlsx, xls, et, ods, csv-utf8-sig, csv-utf8, csv-gbk
    layout: str = "plain"
    title_rows: int = 1
    header_block: str = "one_cell"  # one_cell, neighbour, inline, none, template
    round_in_header: bool = True
    merged_header: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # field -> header text
    order: tuple[str, ...] = (
        "seq",
        "grassroots_unit",
        "date",
        "work_item",
        "form",
        "participants",
        "note",
    )
    date_mode: str = "date"  # date, serial, cn, dot, md, slash
    total_row: bool = False
    note_row: bool = False
    spacer_rows: bool = False
    hidden_old_sheet: bool = False
    split_sheets: bool = False
    publicity_sheet: bool = False


@dataclass
class Submission:
    """One file a reporting unit sends for one round."""

    unit: str
    kind: str
    round: Round
    report_date: dt.date | None
    contact: str
    phone: str
    activities: list[Activity]
    style: Style = field(default_factory=Style)
    path: str = ""  # relative to the raw folder, posix
    written_unit: str = ""  # 填报单位 as written
    round_label: str = ""  # 报送期次 as written
    unions: tuple[str, ...] = ()  # the unit's grassroots unions in the roster (template lists)
    state: str = "current"  # current, superseded, duplicate_file
    plants: list[Plant] = field(default_factory=list)


@dataclass
class Grid:
    """A sheet as rows of cell values (None = empty), with merges (0-based, inclusive)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class DemoSummary:
    """What `generate` wrote; str() is a short Chinese summary for the command line."""

    out_dir: Path
    units: int
    reporting_units: int
    files: int
    activity_rows: int
    planted: int
    megabytes: float

    def __str__(self) -> str:
        return (
            f"演示数据已生成：{self.out_dir}（名册 {self.units:,} 个基层工会、"
            f"{self.reporting_units} 个报送单位；报送文件 {self.files} 个，活动记录 "
            f"{self.activity_rows:,} 行，共 {self.megabytes:.1f} MB；预置问题 {self.planted} 处，"
            f"见 {self.out_dir.parent / 'manifest.json'}）"
        )


# --------------------------------------------------------------------------- roster


def _lognormal(rng: np.random.Generator, median: float, sigma: float = 0.8) -> int:
    return int(np.clip(round(float(rng.lognormal(np.log(median), sigma))), 5, 3000))


def _name_key(name: str) -> str:
    """A name as resolution rules see it (prefixes, 委员会, 有限公司, brackets, spaces ignored)."""
    key = re.sub(r"[\s\u3000()（）]", "", name)
    key = re.sub(r"^(北京市房山区|北京市|房山区|北京)", "", key).removesuffix("委员会")
    return key.replace("有限公司", "公司")


class _Names:
    """Unique grassroots-union names, drawn deterministically."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.seen: set[str] = set()  # normalised keys: no two names a rule would merge

    def pick(self, chars: str | tuple[str, ...]) -> str:
        return str(chars[int(self.rng.integers(len(chars)))])

    def brand(self) -> str:
        return self.pick(BRAND_A) + self.pick(BRAND_B)

    def company(self, industry: tuple[str, ...] = INDUSTRIES) -> str:
        group = "（集团）" if self.rng.random() < 0.08 else ""
        tail = "工会委员会" if self.rng.random() < 0.6 else "工会"
        return f"北京{self.brand()}{self.pick(industry)}{group}有限公司{tail}"

    def unique(self, make: Callable[[], str]) -> str:
        """A name from `make` not used before; a company name when `make`'s space runs out."""
        for attempt in range(400):
            name = make() if attempt < 40 else self.company()
            if _name_key(name) not in self.seen:
                self.seen.add(_name_key(name))
                return name
        raise RuntimeError("demo name space exhausted")  # a bug in the pools, not bad input


def _place_unions(names: _Names, place: str, n: int, town_like: bool) -> list[tuple[str, str]]:
    """Unions of a town/street: (name, category) with a 机关 union first."""
    rng = names.rng
    out = [(names.unique(lambda: f"{place}机关工会"), "office")]
    short = re.sub(r"(镇|乡|街道)$", "", place)
    weights = [0.45, 0.08, 0.05, 0.37, 0.05] if town_like else [0.05, 0.1, 0.05, 0.35, 0.45]
    makers: list[tuple[str, Callable[[], str]]] = [
        ("village", lambda: f"{place}{names.pick(PLACE_A)}{names.pick(PLACE_B)}村工会联合会"),
        ("school", lambda: f"房山区{short}{names.pick(SCHOOLS)}工会"),
        (
            "health",
            lambda: f"房山区{short}{names.pick(('卫生院', '社区卫生服务中心', '中医门诊部'))}工会",
        ),
        ("company", lambda: names.company()),
        ("community", lambda: f"{place}{names.brand()}{names.pick(ESTATE)}社区工会"),
    ]
    while len(out) < n:
        cat, make = makers[int(rng.choice(len(makers), p=weights))]
        out.append((names.unique(make), cat))
    return out


def _system_unions(names: _Names, unit: str, profile: str, n: int) -> list[tuple[str, str]]:
    places = TOWNS + TOWNSHIPS + STREETS
    head = unit.removesuffix("工会")
    out = [(names.unique(lambda: f"{head}机关工会"), "office")]
    makers: dict[str, Callable[[], str]] = {
        "education": lambda: names.pick(
            (
                f"房山区{names.pick(places)}第{names.pick('一二三四五六七八')}小学工会",
                f"北京市房山区{names.pick(places)}中学工会",
                f"房山区{names.pick(places)}{names.pick(('中心', '第一', '第二'))}幼儿园工会",
                f"北京市房山区{names.brand()}学校工会",
            )
        ),
        "health": lambda: names.pick(
            (
                f"房山区{names.pick(places)}社区卫生服务中心工会",
                f"北京市房山区{names.pick(('良乡', '第一', '中医', '妇幼保健', '口腔', '精神卫生'))}医院工会",
                f"房山区{names.pick(places)}卫生院工会",
            )
        ),
        "offices": lambda: f"{names.pick(OFFICES)}机关工会",
        "construction": lambda: names.company(
            ("建筑工程", "建材", "混凝土", "市政工程", "装饰工程")
        ),
        "commerce": lambda: names.company(("商贸", "超市", "商场", "餐饮管理", "物流")),
    }
    for profile_, stations in STATIONS.items():
        makers[profile_] = lambda stations=stations: (
            f"{head}{names.pick(places)}{names.pick(stations)}工会"
        )
    if profile == "power":
        makers["power"] = lambda: f"国网北京房山供电公司{names.pick(places)}供电所工会"
    while len(out) < n:
        out.append(
            (
                names.unique(makers[profile]),
                "big" if profile in ("education", "health") else profile,
            )
        )
    return out


MEDIAN_MEMBERS = {"village": 25, "community": 15, "school": 70, "health": 150, "company": 45, "office": 60, "big": 110, "plant": 700}  # fmt: skip


def build_roster(rng: np.random.Generator) -> pd.DataFrame:
    """The demo roster: unit, reporting_unit, kind, members, employees, code, category."""
    names = _Names(rng)
    groups: list[tuple[str, str, list[tuple[str, str]]]] = []
    for town in TOWNS:
        groups.append(
            (
                f"{town}镇总工会",
                "town",
                _place_unions(names, f"{town}镇", int(rng.integers(75, 125)), True),
            )
        )
    for township in TOWNSHIPS:
        groups.append(
            (
                f"{township}乡总工会",
                "town",
                _place_unions(names, f"{township}乡", int(rng.integers(20, 40)), True),
            )
        )
    for street in STREETS:
        groups.append(
            (
                f"{street}街道总工会",
                "street",
                _place_unions(names, f"{street}街道", int(rng.integers(60, 100)), False),
            )
        )
    yanshan = [(names.unique(lambda: "燕山总工会机关工会"), "office")]
    for plant in YANSHAN_PLANTS:
        yanshan.append((names.unique(lambda p=plant: f"中国石化北京燕山分公司{p}工会"), "plant"))
    for street in YANSHAN_STREETS:
        yanshan += _place_unions(names, f"燕山{street}街道", int(rng.integers(22, 32)), False)
    groups.append((YANSHAN, "yanshan", yanshan))
    for unit, profile, n in SYSTEMS:
        groups.append(
            (unit, "system", _system_unions(names, unit, profile, n + int(rng.integers(-2, 3))))
        )
    zone = [
        (
            names.unique(
                lambda: names.company(("科技", "新材料", "医药", "电子", "汽车零部件", "智能装备"))
            ),
            "company",
        )
        for _ in range(int(rng.integers(70, 90)))
    ]
    groups.append((ZONE, "zone", zone))
    direct = [(names.unique(lambda: names.company()), "company") for _ in range(40)]

    records = []
    for parent, kind, unions in groups:
        small = 0.55 if parent.endswith("乡总工会") else 1.0
        for name, cat in unions:
            records.append(
                (name, parent, kind, _lognormal(rng, MEDIAN_MEMBERS.get(cat, 30) * small))
            )
    for name, _cat in direct:
        records.append((name, config.DISTRICT_FEDERATION, "direct", _lognormal(rng, 120)))
    roster = pd.DataFrame.from_records(
        records, columns=["unit", "reporting_unit", "kind", "members"]
    )
    extra = rng.uniform(0, 0.35, len(roster))
    roster["employees"] = (roster["members"] * (1 + extra)).round().astype("int64")
    alphabet = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    codes = rng.integers(0, len(alphabet), size=(len(roster), 9))
    roster["code"] = ["81110111" + "".join(alphabet[row]) + "X" for row in codes]
    roster["category"] = [c for *_, u in groups for _, c in u] + ["company"] * len(direct)
    return roster


def write_roster(roster: pd.DataFrame, path: Path) -> None:
    """The roster workbook as an office keeps it: a title row, then the table."""
    rows: list[list[object]] = [["房山区基层工会名册（2019年5月）"]]
    rows.append(
        ["序号", "基层工会名称", "上级工会", "类别", "会员人数", "职工人数", "统一社会信用代码"]
    )
    for i, r in enumerate(roster.itertuples(index=False), start=1):
        rows.append(
            [
                i,
                r.unit,
                r.reporting_unit,
                config.KIND_NAMES[r.kind],
                int(r.members),
                int(r.employees),
                r.code,
            ]
        )
    _write_xlsx(path, [Grid("名册", rows, merges=[(0, 0, 0, 6)])])


# --------------------------------------------------------------------------- plan


def _round_days(rnd: Round) -> int:
    return (rnd.end - rnd.start).days + 1


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


# --------------------------------------------------------------------------- styles and plants

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
        from analysis.templates import template_filename

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


# --------------------------------------------------------------------------- layouts


@dataclass
class Placement:
    """Where a writer put things: each activity's (sheet, row) and sheet-level plants."""

    rows: list[tuple[str, int]]
    labels: dict[str, str]
    notes: list[tuple[Plant, str, int | None]] = field(default_factory=list)
    sheet: str = ""  # the sheet with the header block and the (first) activity table


SubmissionWriter = Callable[[Path, Submission, Campaign], Placement]


def _date_cell(day: dt.date, mode: str) -> object:
    if mode == "serial":
        return (day - EXCEL_EPOCH).days
    if mode == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if mode == "dot":
        return f"{day.year}.{day.month}.{day.day}"
    if mode == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if mode == "md":
        return f"{day.month}月{day.day}日"
    return day


def _header_block(sub: Submission, campaign: Campaign) -> list[list[object]]:
    style, hf = sub.style, campaign.header_fields
    lab = {
        k: (hf.get(k) or (k,))[0]
        for k in ("reporting_unit", "report_date", "contact", "phone", "round")
    }
    day = sub.report_date
    day_text = f"{day.year}年{day.month}月{day.day}日" if day else ""
    if style.header_block == "none":
        return []
    if style.header_block == "inline":
        parts = [
            f"{lab['reporting_unit']}：{sub.written_unit}",
            f"{lab['report_date']}：{day_text}",
            f"{lab['contact']}：{sub.contact}",
            f"{lab['phone']}：{sub.phone}",
        ]
        if style.round_in_header:
            parts.append(f"{lab['round']}：{sub.round_label}")
        return [["\u3000\u3000".join(parts)]]
    if style.header_block == "neighbour":
        rows: list[list[object]] = [
            [lab["reporting_unit"], sub.written_unit, None, lab["report_date"], day],
            [lab["contact"], sub.contact, None, lab["phone"], sub.phone],
        ]
        if style.round_in_header:
            rows.append([lab["round"], sub.round_label])
        return rows
    rows = [
        [
            f"{lab['reporting_unit']}：{sub.written_unit}",
            None,
            None,
            f"{lab['report_date']}：{day_text}",
        ],
        [f"{lab['contact']}：{sub.contact}", None, None, f"{lab['phone']}：{sub.phone}"],
    ]
    if style.round_in_header:
        rows.append([f"{lab['round']}：{sub.round_label}"])
    return rows


def _titles(sub: Submission, campaign: Campaign) -> list[list[object]]:
    titles: list[list[object]] = [
        [f"{campaign.name}活动开展情况统计表"],
        [f"（{sub.round.name}）"],
        [],
    ]
    return titles[: sub.style.title_rows]


def _activity_table(
    acts: list[Activity], style: Style, labels: dict[str, str], first_row: int
) -> tuple[list[list[object]], list[tuple[int, int, int, int]], list[int], list[tuple[Plant, int]]]:
    """Header row(s) and data rows; returns rows, merges, each activity's row, notes."""
    order = style.order
    if style.merged_header:
        order = ("seq", "grassroots_unit", "work_item", "date", "form", "participants", "note")
    r0 = first_row - 1  # 0-based index of the first header row
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    notes: list[tuple[Plant, int]] = []
    if style.merged_header:
        top = [labels[f] for f in order]
        top[3:6] = ["活动情况", None, None]
        bottom = [None, None, None, labels["date"], labels["form"], labels["participants"], None]
        rows += [top, bottom]
        merges += [(r0, j, r0 + 1, j) for j in (0, 1, 2, 6)] + [(r0, 3, r0 + 0, 5)]
        notes.append(
            (Plant("merged_header", "", "活动情况", None, "two header rows read as one"), first_row)
        )
    else:
        rows.append([labels[f] for f in order])
    positions: list[int] = []
    for i, act in enumerate(acts, start=1):
        values = dict(act.written, seq=i)
        if isinstance(values["date"], dt.date):
            values["date"] = _date_cell(values["date"], style.date_mode)
        rows.append([values.get(f) if values.get(f) != "" else None for f in order])
        positions.append(first_row + len(rows) - 1)
        if style.spacer_rows and i % 7 == 0 and i < len(acts):
            rows.append([])
            if i == 7:
                notes.append(
                    (
                        Plant("spacer_row", "", "", None, "blank row skipped"),
                        first_row + len(rows) - 1,
                    )
                )
    if style.total_row:
        total = sum(a.participants or 0 for a in acts)
        cells: list[object] = [None] * len(order)
        cells[order.index("seq")] = "合计"
        cells[order.index("participants")] = total
        rows.append(cells)
        notes.append(
            (
                Plant("total_row", "", "合计", "total_row", "not an activity"),
                first_row + len(rows) - 1,
            )
        )
    if style.note_row:
        rows += [[], ["注：参加人数按人次填写，活动形式请按通知要求填写。"]]
        notes.append(
            (
                Plant("note_row", "", "注：", "note_row", "not an activity"),
                first_row + len(rows) - 1,
            )
        )
    return rows, merges, positions, notes


def plain_grids(sub: Submission, campaign: Campaign) -> tuple[list[Grid], Placement]:
    """The cell grids of a hand-made submission in the submission's style."""
    style = sub.style
    labels = {
        f: style.labels.get(f) or campaign.columns.get(f, (f,))[0]
        for f in ("seq", "grassroots_unit", "date", "work_item", "form", "participants", "note")
    }
    sheet_name = (
        "Sheet1" if style.fmt.startswith("csv") else ("活动统计" if style.title_rows else "Sheet1")
    )
    if style.fmt.startswith("csv"):
        sheet_name = ""
    split = style.split_sheets and len({a.work_item for a in sub.activities}) > 1
    # Split by work item: the first two items on one sheet, the rest on another.
    first, rest = campaign.work_items[:2], campaign.work_items[2:]
    codes = [w.code for w in first]
    parts = (
        [
            (_sheet_title(first), [a for a in sub.activities if a.work_item in codes]),
            (_sheet_title(rest), [a for a in sub.activities if a.work_item not in codes]),
        ]
        if split
        else [(sheet_name, sub.activities)]
    )
    grids: list[Grid] = []
    where: dict[int, tuple[str, int]] = {}
    placement = Placement([], labels)
    for k, (name, acts) in enumerate(parts):
        top = _titles(sub, campaign) + (_header_block(sub, campaign) if k == 0 else [])
        if top and style.header_block != "none":
            top.append([])
        table, merges, positions, notes = _activity_table(acts, style, labels, len(top) + 1)
        grids.append(Grid(name, top + table, merges=merges))
        for act, row in zip(acts, positions, strict=True):
            where[id(act)] = (name, row)
        placement.notes += [(p, name, r) for p, r in notes]
        if k == 1:
            placement.notes.append(
                (
                    Plant("second_activity_sheet", "", name, None, "read as a second table"),
                    name,
                    None,
                )
            )
        if k == 0 and style.date_mode != "date" and acts:
            placement.notes.append(
                (
                    Plant(
                        f"date_{style.date_mode}",
                        "date",
                        table[1 + style.merged_header][
                            (
                                style.order
                                if not style.merged_header
                                else ("seq", "grassroots_unit", "work_item", "date")
                            ).index("date")
                        ],
                        None,
                        "read as a date",
                    ),
                    name,
                    positions[0],
                )
            )
    placement.rows = [where[id(a)] for a in sub.activities]
    placement.sheet = grids[0].name
    if style.hidden_old_sheet:
        old = [
            replace(a, written=dict(a.written, date=a.date.replace(year=a.date.year - 1)))
            for a in sub.activities[:6]
        ]
        rows, merges, _, _ = _activity_table(
            old,
            replace(style, total_row=False, note_row=False, spacer_rows=False, date_mode="date"),
            labels,
            2,
        )
        grids.append(
            Grid(
                "2018年旧表",
                [[f"{campaign.year - 1}年活动统计（旧）"], *rows],
                hidden=True,
                merges=merges,
            )
        )
        placement.notes.append(
            (
                Plant("hidden_sheet", "", "2018年旧表", "sheet_hidden_skipped", "not read"),
                "2018年旧表",
                None,
            )
        )
    if style.publicity_sheet:
        counts = {o: 0 for o in PUBLICITY_OUTPUTS}
        for a in sub.activities:
            counts[PUBLICITY_OUTPUTS[_stable_hash(a.form) % len(PUBLICITY_OUTPUTS)]] += 1
        rows = [["宣传报道情况统计"], ["类别", "数量（篇/条/个）", "备注"]]
        rows += [[o, n * 2 + 1, None] for o, n in counts.items()]
        grids.append(Grid("宣传报道统计", rows))
        placement.notes.append(
            (
                Plant(
                    "publicity_counts_sheet",
                    "",
                    "宣传报道统计",
                    "sheet_no_table",
                    "not an activity table; skipped (warning)",
                ),
                "宣传报道统计",
                None,
            )
        )
    return grids, placement


def _sheet_title(items: tuple) -> str:
    """A sheet name from work items' short names ("学习、宣讲培训活动"), within Excel's 31."""
    return ("、".join(w.short for w in items) + "活动")[:31]


def _stable_hash(text: str) -> int:
    """A stable small hash (Python's str hash is salted per process)."""
    return sum(ord(c) for c in text)


def write_plain(path: Path, sub: Submission, campaign: Campaign) -> Placement:
    """Write a hand-made submission (the default layout) in its format."""
    grids, placement = plain_grids(sub, campaign)
    fmt = sub.style.fmt
    if fmt == "xlsx":
        _write_xlsx(path, grids)
    elif fmt in ("xls", "et"):
        _write_xls(path, grids)
    elif fmt == "ods":
        _write_ods(path, grids)
    else:
        _write_csv(path, grids[0], fmt.removeprefix("csv-"))
    return placement


def write_filled_template(path: Path, sub: Submission, campaign: Campaign) -> Placement:
    """A pre-filled template (analysis.templates) filled in as the unit would type it."""
    from analysis import templates

    templates.write_template(path, campaign, sub.unit, sub.kind, sub.round, list(sub.unions))
    rows = [
        {"seq": i, **{f: v for f, v in act.written.items() if v not in ("", None)}}
        for i, act in enumerate(sub.activities, start=1)
    ]
    header = {"report_date": sub.report_date, "contact": sub.contact, "phone": sub.phone}
    templates.fill_template(path, rows, header)
    path.write_bytes(_fixed_zip(path.read_bytes()))
    sheet = templates.ACTIVITY_SHEET
    return Placement(
        rows=[(sheet, templates.FIRST_DATA_ROW + i) for i in range(len(sub.activities))],
        labels=dict(templates.COLUMN_LABELS),
        notes=[
            (
                Plant("filled_template", "", templates.TEMPLATE_MARKER, None, "read by position"),
                sheet,
                None,
            )
        ],
        sheet=sheet,
    )


LAYOUTS: dict[str, SubmissionWriter] = {"plain": write_plain, "template": write_filled_template}


def register_layout(name: str, writer: SubmissionWriter) -> None:
    """Add a submission layout (e.g. "template": a filled-in pre-filled template)."""
    LAYOUTS[name] = writer


def write_submission(path: Path, sub: Submission, campaign: Campaign) -> Placement:
    """Write one unit-round submission with the writer its style's layout names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return LAYOUTS[sub.style.layout](path, sub, campaign)


# --------------------------------------------------------------------------- file formats


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and fixed created/modified dates in core.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    body,
                )
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return out.getvalue()


def _xlsx_bytes(grids: list[Grid]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "Administrator"
    for grid in grids:
        ws = wb.create_sheet(grid.name or "Sheet1")
        for i, row in enumerate(grid.rows, start=1):
            for j, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy/m/d"
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        if grid.hidden:
            ws.sheet_state = "hidden"
        ws.column_dimensions["B"].width = 36
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _write_xlsx(path: Path, grids: list[Grid]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_xlsx_bytes(grids))


def _write_xls(path: Path, grids: list[Grid]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY/M/D")
    for grid in grids:
        ws = wb.add_sheet(grid.name or "Sheet1", cell_overwrite_ok=True)
        for i, row in enumerate(grid.rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(i, j, value, date_style)
                else:
                    ws.write(i, j, value)
        for r1, c1, r2, c2 in grid.merges:
            ws.merge(r1, r2, c1, c2)
        if grid.hidden:
            ws.visibility = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        iso = value.isoformat()
        return f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _write_ods(path: Path, grids: list[Grid]) -> None:
    """A minimal OpenDocument spreadsheet, written by hand: odfpy's output depends on which
    of its modules the process has imported (namespace declarations), so it is not stable."""
    tables = "".join(
        f'<table:table table:name="{escape(g.name or "Sheet1")}">'
        + "".join(
            "<table:table-row>"
            + ("".join(_ods_cell(v) for v in row) or "<table:table-cell/>")
            + "</table:table-row>"
            for row in g.rows
        )
        + "</table:table>"
        for g in grids
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    content = f"{head}<office:document-content {ODS_NS}><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    mime = "application/vnd.oasis.opendocument.spreadsheet"
    manifest = (
        f'{head}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'  # fmt: skip
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), mime)  # stored, first: ODF requires it
        for name, body in (("META-INF/manifest.xml", manifest), ("content.xml", content)):
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, body)
    path.write_bytes(out.getvalue())


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def _write_csv(path: Path, grid: Grid, encoding: str) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in grid.rows:
        writer.writerow([_csv_text(v) for v in row])
    path.write_bytes(
        text.getvalue().encode({"gbk": "gbk", "utf8": "utf-8", "utf8-sig": "utf-8-sig"}[encoding])
    )


def _docx_bytes(text: str) -> bytes:
    """A minimal Word document (the 'report sent as .docx renamed .xlsx' case)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',  # fmt: skip
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',  # fmt: skip
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())
        + "</w:body></w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), body)
    return out.getvalue()


def _encrypted_bytes(rng: np.random.Generator) -> bytes:
    """An OLE2 container with EncryptionInfo/EncryptedPackage streams, as Excel writes for a
    password-protected workbook (agile encryption header; the package is random bytes)."""
    sector = 512
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '  # fmt: skip
        b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '  # fmt: skip
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'  # fmt: skip
    )
    info = struct.pack("<HHI", 4, 4, 0x40) + xml
    info += b"\0" * (4096 - len(info))
    package = struct.pack("<Q", 9000) + rng.integers(0, 256, 8192 - 8, dtype=np.uint8).tobytes()
    n_info, n_pkg = len(info) // sector, len(package) // sector
    fat = [fat_sect, end]
    fat += [2 + i + 1 for i in range(n_info - 1)] + [end]
    fat += [2 + n_info + i + 1 for i in range(n_pkg - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(
        name: str, kind: int, left: int, right: int, child: int, start: int, size: int
    ) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            raw,
            len(raw),
            kind,
            1,
            left,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    directory = (
        entry("Root Entry", 5, nostream, nostream, 1, end, 0)
        + entry("EncryptionInfo", 2, nostream, 2, nostream, 2, len(info))
        + entry("EncryptedPackage", 2, nostream, nostream, nostream, 2 + n_info, len(package))
        + entry("", 0, nostream, nostream, nostream, 0, 0)
    )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    return header + struct.pack("<128I", *fat) + directory + info + package


# --------------------------------------------------------------------------- extras


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


# --------------------------------------------------------------------------- manifest, truth, run


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _entry(
    case: str,
    file: str,
    sheet: str,
    row: int | None,
    column: str,
    value: object,
    code: str | None,
    expect: str,
    state: str,
) -> dict:
    """One manifest record (see the module docstring)."""
    return {
        "case": case,
        "file": file,
        "sheet": sheet,
        "row": row,
        "column": column,
        "value": _jsonable(value),
        "code": code,
        "expect": expect,
        "file_state": state,
    }


def _manifest_entries(sub: Submission, placement: Placement) -> list[dict]:
    out = []
    state = sub.state
    if sub.style.fmt != "xlsx":
        out.append(
            _entry(
                f"format_{sub.style.fmt}",
                sub.path,
                "",
                None,
                "",
                sub.style.fmt,
                None,
                "read",
                state,
            )
        )
    if sub.style.layout == "template":
        pass
    elif sub.style.header_block == "none":
        out.append(
            _entry(
                "bare_csv_no_header_block",
                sub.path,
                "",
                None,
                "",
                sub.unit,
                None,
                f"reporting unit {sub.unit} from the file name",
                state,
            )
        )
    else:
        row = sub.style.title_rows + 1
        out.append(
            _entry(
                f"header_block_{sub.style.header_block}",
                sub.path,
                placement.sheet,
                row,
                "",
                sub.written_unit,
                None,
                f"reporting unit {sub.unit}",
                state,
            )
        )
    if sub.style.title_rows:
        out.append(
            _entry(
                "title_rows",
                sub.path,
                placement.sheet,
                1,
                "",
                sub.style.title_rows,
                None,
                "skipped",
                state,
            )
        )
    if (
        sub.style.layout == "plain"
        and sub.style.labels
        and any(
            placement.labels[f] != v
            for f, v in [
                ("grassroots_unit", "基层工会名称"),
                ("date", "活动日期"),
                ("participants", "参加人数"),
            ]
        )
    ):
        out.append(
            _entry(
                "renamed_columns",
                sub.path,
                placement.sheet,
                None,
                "",
                "|".join(placement.labels[f] for f in sub.style.order),
                None,
                "columns matched",
                state,
            )
        )
    if (
        sub.style.layout == "plain"
        and sub.style.order[1] != "grassroots_unit"
        and not sub.style.merged_header
    ):
        out.append(
            _entry(
                "reordered_columns",
                sub.path,
                placement.sheet,
                None,
                "",
                "|".join(sub.style.order),
                None,
                "columns matched",
                state,
            )
        )
    for plant in sub.plants:
        out.append(
            _entry(plant.case, sub.path, "", None, "", plant.value, plant.code, plant.expect, state)
        )
    for plant, sheet, row in placement.notes:
        column = placement.labels.get(plant.field, "") if plant.field else ""
        out.append(
            _entry(
                plant.case,
                sub.path,
                sheet,
                row,
                column,
                plant.value,
                plant.code,
                plant.expect,
                state,
            )
        )
    for act, (sheet, row) in zip(sub.activities, placement.rows, strict=True):
        for plant in act.plants:
            out.append(
                _entry(
                    plant.case,
                    sub.path,
                    sheet,
                    row,
                    placement.labels.get(plant.field, ""),
                    plant.value,
                    plant.code,
                    plant.expect,
                    state,
                )
            )
    return out


TRUTH_COLUMNS = ["file", "sheet", "row", "reporting_unit", "kind", "round", "grassroots_unit", "counted_for", "work_item", "form", "date", "participants"]  # fmt: skip


def generate(
    out_dir: Path = config.DEMO_RAW_DIR,
    seed: int = config.DEMO_SEED,
    campaign: Campaign | None = None,
) -> DemoSummary:
    """Write the demo district into `out_dir` (a raw folder) and its manifest and truth beside it."""
    out_dir = Path(out_dir)
    if (
        out_dir.resolve() == config.RAW_DATA_DIR.resolve()
        or config.RAW_DATA_DIR.resolve() in out_dir.resolve().parents
    ):
        from analysis.cli import UsageError

        raise UsageError(
            f"演示数据不能写入分析人员的原始数据目录 {config.RAW_DATA_DIR}，请换一个 --out 目录。"
        )
    campaign = campaign or load_campaign()
    rng = np.random.default_rng(seed)
    for old in (config.ROSTER_SUBDIR, config.SUBMISSIONS_SUBDIR):
        shutil.rmtree(out_dir / old, ignore_errors=True)
    (out_dir / config.ALIASES_FILE).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)

    roster = build_roster(rng)
    write_roster(roster, out_dir / config.ROSTER_SUBDIR / "房山区基层工会名册.xlsx")
    subs, plan_plants = plan_submissions(roster, campaign, rng)
    assign_styles(subs, campaign, rng)
    aliases = plant_rows(subs, roster, campaign, rng)
    candidates = [
        s
        for s in subs
        if s.kind != "direct" and s.style.header_block != "none" and len(s.activities) >= 8
    ]
    corrected = [
        _corrected(candidates[i], rng, campaign)
        for i in rng.choice(len(candidates), size=2, replace=False)
    ]
    subs += corrected
    used: set[str] = set()
    for sub in subs:
        while sub.path in used:
            sub.path = _with_suffix(sub.path, "(2)")
        used.add(sub.path)

    entries: list[dict] = [
        _entry(p.case, "", "", None, "", p.value, p.code, p.expect, "") for p in plan_plants
    ]
    truth = []
    for sub in subs:
        placement = write_submission(out_dir / sub.path, sub, campaign)
        entries += _manifest_entries(sub, placement)
        if sub.state != "current":
            continue
        for act, (sheet, row) in zip(sub.activities, placement.rows, strict=True):
            if act.accepted:
                truth.append(
                    [
                        sub.path,
                        sheet,
                        row,
                        sub.unit,
                        sub.kind,
                        sub.round.code,
                        act.unit,
                        act.counted_for,
                        act.work_item,
                        act.form,
                        act.date.isoformat() if act.date_known else "",
                        act.participants,
                    ]
                )

    # A byte-identical copy sent again under another name.
    xlsx = [
        s
        for s in subs
        if s.state == "current"
        and s.style.fmt == "xlsx"
        and "/" in s.path.removeprefix(f"{config.SUBMISSIONS_SUBDIR}/")
    ]
    original = xlsx[int(rng.integers(len(xlsx)))]
    copy = (
        f"{config.SUBMISSIONS_SUBDIR}/{original.path.rsplit('/', 1)[1].rsplit('.', 1)[0]}(1).xlsx"
    )
    shutil.copyfile(out_dir / original.path, out_dir / copy)
    entries.append(
        _entry(
            "duplicate_file",
            copy,
            "",
            None,
            "",
            original.path,
            "duplicate_file",
            f"byte-identical copy of {original.path}; one of the two is duplicate_file",
            "duplicate_file",
        )
    )
    entries += _broken_files(subs, rng, out_dir)

    with (out_dir / config.ALIASES_FILE).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["报送名称", "名册名称"])
        writer.writerows(aliases)
    meta = out_dir.parent
    manifest = {
        "seed": seed,
        "campaign": campaign.code,
        "raw_dir": out_dir.name,
        "notes": "file paths are relative to the raw folder; rows are 1-based as a spreadsheet shows them; sheet is '' for CSV files and file-level cases; code is the issue code the ingest is expected to raise (null: read silently)",  # fmt: skip
        "codes": ISSUE_CODES,
        "cases": entries,
    }
    (meta / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    truth_frame = pd.DataFrame(truth, columns=TRUTH_COLUMNS).astype({"participants": "Int64"})
    truth_frame.to_csv(meta / "truth.csv", index=False, lineterminator="\n")

    files = [p for p in (out_dir / config.SUBMISSIONS_SUBDIR).rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    return DemoSummary(
        out_dir=out_dir,
        units=len(roster),
        reporting_units=roster["reporting_unit"]
        .where(roster["kind"] != "direct", roster["unit"])
        .nunique(),
        files=len(files),
        activity_rows=sum(len(s.activities) for s in subs),
        planted=len(entries),
        megabytes=size / 2**20,
    )
