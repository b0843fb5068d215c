"""The demo district's roster: reporting units, their grassroots unions' names and sizes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.demo.formats import Grid, _write_xlsx

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
