"""Publicity counts: value cleaning, long and wide sheets in every format, publicity.csv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import ingest
from analysis.model import Sheet
from analysis.publicity import find_publicity, parse_count
from analysis.readers import read_workbook
from tests.test_rows import run as ingest_tables

UNITS = ("篇", "条", "期", "个", "次", "张", "块")


@pytest.mark.parametrize(
    ("value", "count", "code"),
    [
        (5, 5, None),
        (5.0, 5, None),
        ("5篇", 5, None),
        ("１２条", 12, None),
        ("十二期", 12, None),
        ("共8个", 8, None),
        ("10余篇", 10, "publicity_count_approximate"),
        ("约20条", 20, "publicity_count_approximate"),
        ("30条左右", 30, "publicity_count_approximate"),
        ("若干", None, "publicity_count_unreadable"),
        ("若干篇", None, "publicity_count_unreadable"),
        ("没统计", None, "publicity_count_unreadable"),
        ("10-20篇", None, "publicity_count_range"),
        ("", None, "publicity_count_missing"),
        (None, None, "publicity_count_missing"),
        (float("nan"), None, "publicity_count_missing"),
        (True, None, "publicity_count_unreadable"),
        # Kept as written, warned: never dropped, never changed.
        ("-3", -3, "publicity_count_negative"),
        (-2, -2, "publicity_count_negative"),
        (2.5, 2.5, "publicity_count_fractional"),
        ("1.5篇", 1.5, "publicity_count_fractional"),
        (5000, 5000, None),  # plausibility needs the unit's size: decided on interpretation
    ],
)
def test_parse_count_reads_number_as_written(value, count, code):
    got, got_code = parse_count(value, UNITS)
    assert (got, got_code) == (count, code)
    assert type(got) is type(count)  # 5 stays an int, 2.5 a float


# --------------------------------------------------------------------------- layouts

# (sheet, header row, form, cumulative, [(row, kind, unit, output, label, count)]) as
# tests/fixtures/make_publicity_fixtures.py writes them; counts cleaned by parse_count.
SMALL = "长阳镇第一小学工会"
CLINIC = "长阳镇卫生院工会"
WIDE_ROWS = [
    (4, "data", SMALL, "briefs", "简报(期)", 2),
    (4, "data", SMALL, "articles", "文章(篇)", 3),
    (4, "data", SMALL, "wechat", "微信(条)", 5000),
    (4, "data", SMALL, "pictures", "图片(张)", 12),
    (5, "data", CLINIC, "articles", "文章(篇)", 1.5),
    (5, "data", CLINIC, "wechat", "微信(条)", 4),
    (5, "data", CLINIC, "pictures", "图片(张)", -2),
    (6, "total", None, "briefs", "简报(期)", 2),
    (6, "total", None, "articles", "文章(篇)", 4.5),
    (6, "total", None, "wechat", "微信(条)", 5004),
    (6, "total", None, "pictures", "图片(张)", 10),
]
EXPECTED = [
    ("宣传情况", 3, "long", False, [
        (4, "data", None, "briefs", "编发简报", 3),
        (5, "data", None, "articles", "体会文章", 10),
        (6, "data", None, "wechat", "微信推送", None),
        (7, "data", None, "video", "微视频", 2),
        (8, "total", None, "other", "合计", 15),
    ]),
    ("各基层工会宣传", 3, "wide", False, WIDE_ROWS),
    ("累计宣传情况", 1, "wide", True, [
        (2, "data", None, "briefs", "简报", 12),
        (2, "data", None, "articles", "文章", 30),
        (2, "data", None, "wechat", "微信", 80),
        (2, "data", None, "weibo", "微博", 5),
        (2, "data", None, "media", "媒体报道", 3),
    ]),
    ("基层宣传", 2, "long", True, [
        (3, "data", SMALL, "boards", "展板", 4),
        (4, "data", SMALL, "remarks", "微感言", 20),  # merged unit cell applies to row 4
        (5, "data", CLINIC, "media", "新闻报道", 1),
        (6, "data", CLINIC, "boards", "横幅标语", 2),
        (7, "data", CLINIC, "other", "学习强国", 3),
    ]),
]  # fmt: skip


def _read(path: Path, campaign) -> list[tuple]:
    book = read_workbook(path, campaign.limits)
    found = []
    for sheet in book.sheets:
        for table in find_publicity(sheet, campaign, path.name):
            cells = [
                (c.row, c.kind, c.unit, c.output, c.label, parse_count(c.value, UNITS)[0])
                for c in table.cells
            ]
            found.append((table.sheet, table.header_row, table.form, table.cumulative, cells))
    return found


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_publicity_sheets_read_alike_in_every_spreadsheet_format(campaign, suffix):
    assert _read(FIXTURES / f"publicity.{suffix}", campaign) == EXPECTED


def test_publicity_csv_gb18030_wide_sheet(campaign):
    [(_, header_row, form, cumulative, cells)] = _read(FIXTURES / "publicity.csv", campaign)
    # The CSV has no title row and a one-row header: every row two rows higher.
    expected = [(r - 2, *rest) for r, *rest in WIDE_ROWS]
    assert (header_row, form, cumulative, cells) == (1, "wide", False, expected)


def test_header_block_of_publicity_sheet_is_read(campaign):
    book = read_workbook(FIXTURES / "publicity.xlsx", campaign.limits)
    [table] = find_publicity(book.sheets[0], campaign, "f.xlsx")
    assert (table.header.reporting_unit, table.header.report_date) == (
        "长阳镇总工会",
        "2019年9月28日",
    )


def _cells(rows: list[list[object]], campaign, name: str = "宣传", merged=()) -> list[tuple]:
    return [
        (t.form, t.cumulative, [(c.row, c.kind, c.unit, c.output, c.value) for c in t.cells])
        for t in find_publicity(Sheet(name, rows, merged=list(merged)), campaign, "f.xlsx")
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Wide, the federation's one row; a 累计 header makes it cumulative.
        (
            [["单位", "微信累计（条）", "微博累计（条）"], ["本级", 8, 2]],
            [("wide", True, [(2, "data", "本级", "wechat", 8), (2, "data", "本级", "weibo", 2)])],
        ),
        # Wide: a blank cell is no count; a 总计 row is a total.
        (
            [["基层工会名称", "简报", "展板"], [SMALL, None, 3], ["总计", None, 3]],
            [("wide", False, [(2, "data", SMALL, "boards", 3), (3, "total", "总计", "boards", 3)])],
        ),
        # Long: a named output with an empty count is a count read as missing.
        (
            [["宣传形式", "数量（篇/条/个）"], ["微信", None], ["微博", "2条"]],
            [
                (
                    "long",
                    False,
                    [(2, "data", None, "wechat", None), (3, "data", None, "weibo", "2条")],
                )
            ],
        ),
        # Long: spacer and note rows are no counts; the table goes on after them.
        (
            [["类别", "数量"], ["图片", 5], [], ["说明：图片另行报送"], ["照片", 2]],
            [("long", False, [(2, "data", None, "pictures", 5), (5, "data", None, "pictures", 2)])],
        ),
        # Two tables on one sheet: the second under a title saying 截至, so cumulative.
        (
            [["类别", "数量"], ["微信", 3], ["截至9月底累计"], ["类别", "数量"], ["微信", 9]],
            [
                ("long", False, [(2, "data", None, "wechat", 3)]),
                ("long", True, [(5, "data", None, "wechat", 9)]),
            ],
        ),
        # A deadline line above a per-round table says nothing of totals since the start.
        (
            [["填报单位：区教委工会", "报送截止时间：2019年7月5日"], ["类别", "数量"], ["微信", 3]],
            [("long", False, [(3, "data", None, "wechat", 3)])],
        ),
        # Outputs named in other words: the longest synonym decides (信息图片 is pictures).
        (
            [
                ["类别", "数量"],
                ["信息图片", 4],
                ["条幅", 2],
                ["学习体会", 3],
                ["学习心得", 1],
                ["抖音", 5],
            ],
            [
                (
                    "long",
                    False,
                    [
                        (2, "data", None, "pictures", 4),
                        (3, "data", None, "boards", 2),
                        (4, "data", None, "articles", 3),
                        (5, "data", None, "articles", 1),
                        (6, "data", None, "video", 5),
                    ],
                )
            ],
        ),  # fmt: skip
        # Long, the period said by the column alone: 本期数 | 累计数, 本期 | 累计.
        *[
            (
                [["宣传项目", now, total], ["简报", 2, 8], ["微信", 3, 12]],
                [
                    (
                        "long",
                        False,
                        [
                            (2, "data", None, "briefs", 2),
                            (2, "data", None, "briefs", 8),
                            (3, "data", None, "wechat", 3),
                            (3, "data", None, "wechat", 12),
                        ],
                    )
                ],
            )
            for now, total in (("本期数", "累计数"), ("本期", "累计"), ("当期", "累计"))
        ],
        # Wide, each output typed over 本期 | 累计 without merging: both columns read.
        (
            [
                ["基层工会名称", "简报", None, "微信", None],
                [None, "本期", "累计", "本期", "累计"],
                [SMALL, 1, 3, 2, 7],
            ],
            [
                (
                    "wide",
                    False,
                    [
                        (3, "data", SMALL, "briefs", 1),
                        (3, "data", SMALL, "briefs", 3),
                        (3, "data", SMALL, "wechat", 2),
                        (3, "data", SMALL, "wechat", 7),
                    ],
                )
            ],
        ),  # fmt: skip
        # A title spanning blank cells over a header row is no output over sub-labels.
        (
            [
                ["宣传报道情况统计（截至6月30日累计）", None, None],
                ["基层工会名称", "宣传项目", "数量"],
                [SMALL, "图片", 21],
            ],
            [("long", True, [(3, "data", SMALL, "pictures", 21)])],
        ),  # fmt: skip
        # Wide, one output counted in its measure word under a title.
        (
            [["宣传报道情况统计"], ["微信（条）"], [7]],
            [("wide", False, [(3, "data", None, "wechat", 7)])],
        ),
        # …but a lone output word over no number is no table.
        ([["微信（条）"], ["见附件"]], []),
        # Not publicity: 项目/数量 naming no output, a meeting record, an empty sheet.
        ([["项目", "数量"], ["桌椅", 30], ["茶杯", 40]], []),
        ([["会议纪要"], ["时间：2019年6月3日"], ["内容：学习微信公众号文章"]], []),
        ([["宣传渠道", "微信", "微博", "展板"], ["说明", "公众号", "官方微博", "大厅"]], []),
        ([], []),
    ],
)
def test_find_publicity_layouts(campaign, rows, expected):
    assert _cells(rows, campaign) == expected


def test_activity_table_with_output_columns_is_handed_to_publicity(campaign):
    """tables.py reports a header counting outputs; publicity.py reads it as wide."""
    from analysis.tables import find_tables

    rows = [
        [
            "序号",
            "单位名称",
            "统计日期",
            "宣传形式",
            "体会文章（篇）",
            "微信推送（条）",
            "图片（张）",
        ],
        [1, "长阳镇总工会", "2019-06-30", "专栏", 3, 12, 40],
    ]
    flagged: list[int] = []
    assert find_tables(Sheet("宣传", rows), campaign, "f.xlsx", flagged) == []
    assert flagged == [1]
    [(form, cumulative, cells)] = _cells(rows, campaign)
    assert (form, cumulative) == ("wide", False)
    assert [(c[3], c[4]) for c in cells] == [("articles", 3), ("wechat", 12), ("pictures", 40)]


def test_activity_table_with_extra_output_columns_gives_counts_per_row(campaign):
    """参加人数 and 微信（条）/文章（篇） in one table: activities and counts both read."""
    from analysis.publicity import has_output_columns
    from analysis.tables import find_tables

    rows = [
        ["序号", "基层工会名称", "活动日期", "活动形式", "参加人数", "微信（条）", "文章（篇）"],
        [1, SMALL, "2019-06-03", "座谈会", 30, 2, None],
        [2, CLINIC, "2019-06-04", "宣讲", 20, "1条", 1],
        ["合计", None, None, None, 50, 3, 1],
    ]
    sheet = Sheet("活动", rows)
    [table] = find_tables(sheet, campaign, "f.xlsx")
    assert [r.kind for r in table.rows] == ["data", "data", "total"]
    assert has_output_columns(sheet, [table], campaign)
    assert _cells(rows, campaign, name="活动") == [
        ("wide", False, [
            (2, "data", SMALL, "wechat", 2),
            (3, "data", CLINIC, "wechat", "1条"),
            (3, "data", CLINIC, "articles", 1),
            (4, "total", None, "wechat", 3),
            (4, "total", None, "articles", 1),
        ])
    ]  # fmt: skip
    plain = Sheet("活动", [[c for c in r[:5]] for r in rows])
    assert not has_output_columns(plain, find_tables(plain, campaign, "f.xlsx"), campaign)


def test_activity_sheet_listing_wechat_forms_is_not_publicity(campaign):
    rows = [
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, SMALL, "2019-06-03", "精心组织宣传", "微信", 30],
        [2, SMALL, "2019-06-04", "精心组织宣传", "微博", 20],
    ]
    assert _cells(rows, campaign) == []


# --------------------------------------------------------------------------- publicity.csv


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture
def ingested(tmp_path, small_roster_rows) -> Path:
    """The fixture workbook as 长阳镇's round-2 file, a byte copy, and a superseded bare CSV."""
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    (raw / "submissions" / "r2").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "publicity.xlsx", raw / "submissions" / "r2" / "长阳镇.xlsx")
    shutil.copyfile(FIXTURES / "publicity.xlsx", raw / "submissions" / "r2" / "长阳镇副本.xlsx")
    shutil.copyfile(FIXTURES / "publicity.csv", raw / "submissions" / "r2" / "长阳镇总工会.csv")
    ingest.run(raw, tmp_path / "out", progress=False)
    return tmp_path / "out"


COLUMNS = ["sheet", "row", "grassroots_unit", "output", "count", "cumulative", "state", "reason"]


def test_publicity_csv_states_counts_and_reasons(ingested):
    table = _csv(ingested, "publicity")
    assert list(table.columns[:12]) == [
        "file", "sheet", "row", "reporting_unit", "kind", "round", "grassroots_unit", "output",
        "count", "cumulative", "state", "reason",
    ]  # fmt: skip
    current = table[table["file"] == "submissions/r2/长阳镇.xlsx"]
    assert set(current["reporting_unit"]) == {"长阳镇总工会"}
    assert set(current["round"]) == {"r2"} and set(current["kind"]) == {"town"}
    assert current[COLUMNS].values.tolist() == [
        ["宣传情况", "4", "", "briefs", "3", "False", "accepted", "ok"],
        ["宣传情况", "5", "", "articles", "10", "False", "accepted", "publicity_count_approximate"],
        ["宣传情况", "6", "", "wechat", "", "False", "accepted", "publicity_count_unreadable"],
        ["宣传情况", "7", "", "video", "2", "False", "accepted", "ok"],
        ["宣传情况", "8", "", "other", "", "False", "rejected", "total_row"],
        # 40 members: at most max(100, 40) articles is plausible, 5000 is warned, kept.
        ["各基层工会宣传", "4", SMALL, "briefs", "2", "False", "accepted", "ok"],
        ["各基层工会宣传", "4", SMALL, "articles", "3", "False", "accepted", "ok"],
        ["各基层工会宣传", "4", SMALL, "wechat", "5000", "False", "accepted",
         "publicity_count_implausible"],
        ["各基层工会宣传", "4", SMALL, "pictures", "12", "False", "accepted", "ok"],
        ["各基层工会宣传", "5", CLINIC, "articles", "1.5", "False", "accepted",
         "publicity_count_fractional"],
        ["各基层工会宣传", "5", CLINIC, "wechat", "4", "False", "accepted", "ok"],
        ["各基层工会宣传", "5", CLINIC, "pictures", "-2", "False", "accepted",
         "publicity_count_negative"],
        *[["各基层工会宣传", "6", "", o, "", "False", "rejected", "total_row"]
          for o in ("briefs", "articles", "wechat", "pictures")],
        # The federation's own row: 200 members under 长阳镇, limit 200.
        *[["累计宣传情况", "2", "", o, n, "True", "accepted", "ok"]
          for o, n in (("briefs", "12"), ("articles", "30"), ("wechat", "80"), ("weibo", "5"),
                       ("media", "3"))],
        ["基层宣传", "3", SMALL, "boards", "4", "True", "accepted", "ok"],
        ["基层宣传", "4", SMALL, "remarks", "20", "True", "accepted", "ok"],
        ["基层宣传", "5", CLINIC, "media", "1", "True", "accepted", "ok"],
        ["基层宣传", "6", CLINIC, "boards", "2", "True", "accepted", "ok"],
        ["基层宣传", "7", CLINIC, "other", "3", "True", "accepted", "publicity_output_unknown"],
    ]  # fmt: skip


def test_publicity_rows_of_copies_and_superseded_files_are_not_counted(ingested):
    table = _csv(ingested, "publicity")
    copy = table[table["file"] == "submissions/r2/长阳镇副本.xlsx"]
    assert set(copy["state"]) == {"duplicate"}
    assert set(copy["reason"]) == {"duplicate_file:submissions/r2/长阳镇.xlsx"}
    assert len(copy) == 5 + 11 + 5 + 5
    # The bare CSV has no 填报日期: the dated workbook is the later one and wins.
    bare = table[table["file"] == "submissions/r2/长阳镇总工会.csv"]
    assert set(bare["state"]) == {"superseded"} and len(bare) == 11
    assert set(bare["reason"]) == {"superseded:submissions/r2/长阳镇.xlsx"}
    assert set(bare["sheet"]) == {""}  # a CSV has no sheet
    # A file with publicity counts only is a submission, not a rejected file.
    subs = _csv(ingested, "submissions").set_index("file")
    assert subs.loc["submissions/r2/长阳镇.xlsx", ["state", "rows_read"]].tolist() == [
        "current",
        "0",
    ]


def test_publicity_issues_show_the_number_and_place(ingested):
    issues = _csv(ingested, "issues")
    mine = issues[issues["file"] == "submissions/r2/长阳镇.xlsx"].set_index("code")
    implausible = mine.loc["publicity_count_implausible"]
    # The column as a spreadsheet shows it (微信（条） is column E), not its header text.
    assert (implausible["sheet"], implausible["row"], implausible["column"]) == (
        "各基层工会宣传", "4", "E",
    )  # fmt: skip
    assert "5000" in implausible["message"] and "会员40人" in implausible["message"]
    # The totals leave it out (publicity_figures.implausible_note); the message says so.
    assert "不计入汇总数" in implausible["message"] and "照原数计入" not in implausible["message"]
    assert "-2" in mine.loc["publicity_count_negative", "message"]
    assert "若干" in mine.loc["publicity_count_unreadable", "message"]
    assert (mine["severity"] == "warning").all()
    # Copies and superseded files raise no row issues (their one file-level note says why).
    others = issues[issues["file"] != "submissions/r2/长阳镇.xlsx"]
    assert set(others["code"]) <= {"duplicate_file", "superseded", "reporting_unit_from_filename"}


def test_unresolved_union_in_publicity_sheet_is_rejected_with_suggestions(
    tmp_path, small_roster_rows
):
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    rows = [
        ["填报单位：长阳镇总工会", None, "报送期次：第一阶段"],
        ["基层工会名称", "微信", "微博"],
        ["长阳镇第一小学", 3, 1],
        ["长阳镇火星工会", 2, None],
    ]
    write_xlsx(raw / "submissions" / "宣传.xlsx", rows, sheet="宣传统计")
    ingest.run(raw, tmp_path / "out", progress=False)
    table = _csv(tmp_path / "out", "publicity")
    assert table[
        ["row", "grassroots_unit", "output", "count", "state", "reason"]
    ].values.tolist() == [
        ["3", SMALL, "wechat", "3", "accepted", "ok"],
        ["3", SMALL, "weibo", "1", "accepted", "ok"],
        ["4", "", "wechat", "", "rejected", "unit_unresolved"],
    ]
    assert set(table["round"]) == {"r1"}


def test_cached_run_writes_the_same_publicity_csv(ingested, tmp_path):
    first = (ingested / "publicity.csv").read_bytes()
    ingest.run(tmp_path / "raw", ingested, progress=False)
    assert (ingested / "publicity.csv").read_bytes() == first


# --------------------------------------------------------------------------- demo backtest


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    from analysis import config

    out = tmp_path_factory.mktemp("demo_publicity")
    ingest.run(config.DEMO_RAW_DIR, out, progress=False, full=True)
    return out


def test_demo_publicity_backtest_matches_generator_truth(demo_run):
    """publicity.csv's accepted counts against the list the demo generator wrote them from."""
    from analysis import config

    truth = pd.read_csv(
        config.DEMO_RAW_DIR.parent / "publicity_truth.csv", dtype=str, keep_default_na=False
    )
    got = _csv(demo_run, "publicity")
    accepted = got[got["state"] == "accepted"][truth.columns]
    keys = ["file", "sheet", "row", "output"]
    pd.testing.assert_frame_equal(
        accepted.sort_values(keys).reset_index(drop=True),
        truth.sort_values(keys).reset_index(drop=True),
    )
    # Layouts, cumulative sheets and planted problems are all there to be tested.
    assert {"True", "False"} <= set(truth["cumulative"])
    assert {"publicity_count_implausible", "publicity_count_unreadable"} <= set(truth["reason"])
    assert (truth.loc[truth["reason"] == "publicity_count_unreadable", "count"] == "").all()
    # Every count read is in exactly one state, with a reason (rejected: the blank 合计 rows).
    assert set(got["state"]) <= {"accepted", "duplicate", "superseded", "rejected"}
    assert (got["reason"] != "").all()
    assert set(got.loc[got["state"] == "rejected", "reason"]) <= {"total_row"}


def test_demo_planted_publicity_cases_raise_their_issue(demo_run):
    import json

    from analysis import config

    manifest = json.loads((config.DEMO_RAW_DIR.parent / "manifest.json").read_text("utf-8"))
    planted = [e for e in manifest["cases"] if e["case"].startswith("publicity_") and e["code"]]
    assert len(planted) >= 6
    issues = _csv(demo_run, "issues")
    found = set(zip(issues["file"], issues["sheet"], issues["row"], issues["code"], strict=True))
    for e in planted:
        assert (e["file"], e["sheet"], str(e["row"]), e["code"]) in found, e
    # Publicity sheets are read now: none is reported as a sheet without a table.
    sheets = {e["sheet"] for e in manifest["cases"] if e["case"] == "publicity_counts_sheet"}
    assert not (issues["code"].eq("sheet_no_table") & issues["sheet"].isin(sheets)).any()


@given(st.text(alphabet="若干约余多个篇条期左右以上一二三四五六七八九十百千万123456789-.，, 篇条"))
@settings(max_examples=300, deadline=None)
def test_parse_count_never_reads_zero_without_a_zero_written(text):
    """A count is missing or a number written in the cell: words never become 0."""
    count, code = parse_count(text, UNITS)
    assert count != 0
    assert (count is None) == (code in {
        "publicity_count_missing", "publicity_count_unreadable", "publicity_count_range"
    })  # fmt: skip


def test_publicity_rows_of_a_file_without_known_unit_are_rejected(tmp_path, small_roster_rows):
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    rows = [["填报单位：火星镇总工会"], ["类别", "数量"], ["微信", 3], ["微博", "若干"]]
    write_xlsx(raw / "submissions" / "宣传.xlsx", rows, sheet="宣传统计")
    ingest.run(raw, tmp_path / "out", progress=False)
    table = _csv(tmp_path / "out", "publicity")
    assert table[["row", "output", "count", "state", "reason"]].values.tolist() == [
        ["3", "wechat", "", "rejected", "reporting_unit_unresolved"],
        ["4", "weibo", "", "rejected", "reporting_unit_unresolved"],
    ]
    assert _csv(tmp_path / "out", "submissions")["state"].tolist() == ["rejected"]


def _district_to_date(counts: pd.DataFrame, round_code: str) -> dict[str, float]:
    """{output: the district's total to date} at the end of `round_code`."""
    from analysis.campaign import load_campaign
    from analysis.publicity_figures import publicity_by_round

    table = publicity_by_round(counts, load_campaign())
    district = table[(table["level"] == "district") & (table["round"] == round_code)]
    return dict(zip(district["output"], district["to_date"], strict=True))


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        (["序号", "基层工会名称", "简报（期）", "微信（条）"], [[1, "长阳镇卫生院工会", 3, 5]],
         [("briefs", 3), ("wechat", 5)]),
        (["序号", "宣传项目", "数量"], [[1, "简报", 3], [2, "微信推送", 5]],
         [("briefs", 3), ("wechat", 5)]),
    ],
)  # fmt: skip
def test_a_publicity_table_below_the_activity_table_is_publicity(raw, header, rows, expected):
    """The counts below an activity table (and its 合计) on one sheet were read as one
    more activity row, and no publicity was read."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, None, "填报日期：2019-06-28"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 10],
        ["合计", None, None, None, None, 30],
        [],
        ["宣传成果统计"],
        header,
        *rows,
    ])  # fmt: skip
    tables = ingest_tables(raw)
    ledger, counts = tables["rows"], tables["publicity"]
    assert ledger[["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "ok"], ["4", "accepted", "ok"], ["5", "rejected", "total_row"],
        ["7", "rejected", "note_row"],  # the title above the counts
    ]  # fmt: skip
    assert sorted(zip(counts["output"], counts["count"].astype(int), strict=True)) == sorted(
        expected
    )
    assert "unit_unresolved" not in set(tables["issues"]["code"])


def test_period_and_cumulative_columns_are_not_added(raw):
    """简报（本期） | 简报（累计） on one row: each column's own header says which it is, and
    the cumulative figure stands for the round (not 3 + 5). A date in a header is no
    part of the output's name ("截至9月30日微信（条）" was silently dropped)."""
    write_xlsx(raw / "submissions" / "r2" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019年9月28日"], ["报送期次：第二阶段"],
        ["基层工会名称", "简报（本期）", "简报（累计）", "截至9月30日微信（条）"],
        ["长阳镇卫生院工会", 3, 5, 10],
    ])  # fmt: skip
    counts = ingest_tables(raw)["publicity"]
    assert counts[["output", "count", "cumulative"]].values.tolist() == [
        ["briefs", "3", "False"], ["briefs", "5", "True"], ["wechat", "10", "True"]
    ]  # fmt: skip
    assert _district_to_date(counts, "r2") == {"briefs": 5, "wechat": 10}


def test_a_merged_output_header_over_period_and_cumulative_columns(raw):
    """简报 merged over 本期 | 累计 (and 微信 likewise): the sub-labels say which column is
    which; the sub-header row is no count row, and the round takes the cumulative."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "宣传成果"
    for line in [
        ["填报单位：长阳镇总工会", None, "填报日期：2019年9月28日"], ["报送期次：第二阶段"],
        ["基层工会名称", "简报（期）", None, "微信（条）", None],
        [None, "本期", "累计", "本期", "累计"],
        ["长阳镇卫生院工会", 3, 5, 4, 10],
    ]:  # fmt: skip
        sheet.append(line)
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("D3:E3")
    (raw / "submissions" / "r2").mkdir(parents=True, exist_ok=True)
    book.save(raw / "submissions" / "r2" / "长阳镇.xlsx")
    counts = ingest_tables(raw)["publicity"]
    assert counts[["row", "output", "count", "cumulative", "state"]].values.tolist() == [
        ["5", "briefs", "3", "False", "accepted"], ["5", "briefs", "5", "True", "accepted"],
        ["5", "wechat", "4", "False", "accepted"], ["5", "wechat", "10", "True", "accepted"],
    ]  # fmt: skip
    assert _district_to_date(counts, "r2") == {"briefs": 5, "wechat": 10}


# ------------------------------------------- activities and publicity sent in separate files

_HEAD = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"]


def _activities(path: Path, date: str, union: str, extra_sheet: list | None = None) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "活动情况"
    for row in [["填报单位：长阳镇总工会", None, f"填报日期：{date}"], ["报送期次：第一阶段"], _HEAD,
                [1, union, "2019-06-03", "切实抓好学习", "讨论会", 20]]:  # fmt: skip
        ws.append(row)
    if extra_sheet:
        other = wb.create_sheet("宣传成果")
        for row in extra_sheet:
            other.append(row)
    wb.save(path)


def _states(raw: Path) -> dict[str, list[tuple]]:
    from tests.test_rows import run

    t = run(raw)
    return {
        "files": list(zip(t["submissions"]["file"], t["submissions"]["state"], strict=True)),
        "rows": list(zip(t["rows"]["file"], t["rows"]["state"], strict=True)),
        "publicity": list(zip(t["publicity"]["file"], t["publicity"]["state"], strict=True)),
        "codes": list(t["issues"]["code"]),
    }


def test_a_publicity_file_does_not_replace_the_activity_file_before_it(raw):
    """Same unit, same round: activities in one workbook, publicity counts in a later one.
    Both count; neither supersedes the other (the activities were lost before)."""
    _activities(raw / "submissions" / "长阳镇活动情况.xlsx", "2019-06-28", "长阳镇卫生院工会")
    write_xlsx(raw / "submissions" / "长阳镇宣传成果.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-30"], ["报送期次：第一阶段"],
        ["宣传项目", "数量"], ["简报", 3], ["微信", 5],
    ], sheet="宣传成果统计")  # fmt: skip
    got = _states(raw)
    assert got["files"] == [("submissions/长阳镇宣传成果.xlsx", "current"),
                            ("submissions/长阳镇活动情况.xlsx", "current")]  # fmt: skip
    assert got["rows"] == [("submissions/长阳镇活动情况.xlsx", "accepted")]
    assert [s for _, s in got["publicity"]] == ["accepted", "accepted"]
    assert "superseded" not in got["codes"]


def test_a_later_activity_file_replaces_only_the_activities_of_one_holding_both(raw):
    """File A: activities and publicity; later file B: activities only. A's activities are
    replaced by B's; A's publicity counts, which B does not hold, still count."""
    publicity = [["宣传项目", "数量"], ["简报", 3], ["微信", 5]]
    _activities(raw / "submissions" / "长阳镇A.xlsx", "2019-06-28", "长阳镇卫生院工会", publicity)
    _activities(raw / "submissions" / "长阳镇B.xlsx", "2019-06-30", "长阳镇第一小学工会")
    got = _states(raw)
    assert got["files"] == [("submissions/长阳镇A.xlsx", "current"),
                            ("submissions/长阳镇B.xlsx", "current")]  # fmt: skip
    assert got["rows"] == [("submissions/长阳镇A.xlsx", "superseded"),
                           ("submissions/长阳镇B.xlsx", "accepted")]  # fmt: skip
    assert got["publicity"] == [("submissions/长阳镇A.xlsx", "accepted")] * 2
    assert got["codes"].count("superseded") == 1  # the partial replacement is told


def test_a_later_file_holding_both_replaces_an_earlier_one_whole(raw):
    publicity = [["宣传项目", "数量"], ["简报", 3]]
    _activities(raw / "submissions" / "长阳镇A.xlsx", "2019-06-28", "长阳镇卫生院工会", publicity)
    _activities(raw / "submissions" / "长阳镇B.xlsx", "2019-06-30", "长阳镇第一小学工会", publicity)
    got = _states(raw)
    assert got["files"] == [("submissions/长阳镇A.xlsx", "superseded"),
                            ("submissions/长阳镇B.xlsx", "current")]  # fmt: skip
    assert got["publicity"] == [("submissions/长阳镇A.xlsx", "superseded"),
                                ("submissions/长阳镇B.xlsx", "accepted")]  # fmt: skip


def test_a_wide_column_of_an_output_not_named_is_other_not_dropped(raw):
    write_xlsx(raw / "submissions" / "区教委宣传.xlsx", [
        ["填报单位：区教委工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["基层工会名称", "简报（期）", "微信（条）", "公益广告（条）", "备注"],
        ["区教委机关工会", 2, 5, 7, "无"],
    ])  # fmt: skip
    from tests.test_rows import run

    t = run(raw)
    read = list(zip(t["publicity"]["output"], t["publicity"]["count"], strict=True))
    assert read == [("briefs", "2"), ("wechat", "5"), ("other", "7")]  # 备注 is no count
    assert list(t["issues"]["code"]) == ["publicity_output_unknown"]


def test_a_long_table_with_period_and_cumulative_count_columns_reads_both(raw):
    write_xlsx(raw / "submissions" / "琉璃河宣传.xlsx", [
        ["填报单位：琉璃河镇总工会", None, "填报日期：2019-09-28"], ["报送期次：第二阶段"],
        ["宣传项目", "本期数量", "累计数量"], ["简报", 2, 5], ["微信", 4, None],
    ])  # fmt: skip
    from tests.test_rows import run

    p = run(raw)["publicity"]
    assert list(zip(p["output"], p["count"], p["cumulative"], strict=True)) == [
        ("briefs", "2", "False"), ("briefs", "5", "True"), ("wechat", "4", "False"),
    ]  # fmt: skip


def test_an_unknown_output_is_told_once_per_row_and_output(raw):
    """Long form, 学习强国 over 本期 | 累计 and over 原创 | 转发: two counts on each row, one
    publicity_output_unknown per row, at its first count cell (it was told per count); two
    unknown outputs of one row (wide form) are each told; every count is still `other`."""
    write_xlsx(raw / "submissions" / "琉璃河宣传.xlsx", [
        ["填报单位：琉璃河镇总工会", None, "填报日期：2019-09-28"], ["报送期次：第二阶段"],
        ["宣传项目", "本期数量", "累计数量"],  # row 3
        ["学习强国", 2, 5],  # row 4: told once, in B
        ["简报", 1, 3],
        ["学习强国", 4, 9],  # row 6: another row, told again
    ])  # fmt: skip
    write_xlsx(raw / "submissions" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["宣传项目", "数量", None], [None, "原创", "转发"],  # rows 3, 4
        ["学习强国", 3, 2],  # row 5: told once, in B
        ["微信", 4, 1],
    ])  # fmt: skip
    write_xlsx(raw / "submissions" / "区教委宣传.xlsx", [
        ["填报单位：区教委工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["基层工会名称", "学习强国（条）", "公益广告（条）", "简报（期）"],  # row 3
        ["区教委机关工会", 1, 6, 2],  # row 4: two unknown outputs, each told (B, C)
    ])  # fmt: skip
    from tests.test_rows import run

    t = run(raw)
    told = t["issues"].query("code == 'publicity_output_unknown'")
    got = sorted(told[["file", "row", "column"]].values.tolist())
    assert got == sorted([
        ["submissions/琉璃河宣传.xlsx", "4", "B"],
        ["submissions/琉璃河宣传.xlsx", "6", "B"],
        ["submissions/区教委宣传.xlsx", "4", "B"],
        ["submissions/区教委宣传.xlsx", "4", "C"],
        ["submissions/长阳镇宣传.xlsx", "5", "B"],
    ])  # fmt: skip
    p = t["publicity"]
    other = p.loc[p["output"] == "other", ["file", "row", "count"]].values.tolist()
    assert sorted(other) == sorted([
        ["submissions/琉璃河宣传.xlsx", "4", "2"], ["submissions/琉璃河宣传.xlsx", "4", "5"],
        ["submissions/琉璃河宣传.xlsx", "6", "4"], ["submissions/琉璃河宣传.xlsx", "6", "9"],
        ["submissions/长阳镇宣传.xlsx", "5", "3"], ["submissions/长阳镇宣传.xlsx", "5", "2"],
        ["submissions/区教委宣传.xlsx", "4", "1"], ["submissions/区教委宣传.xlsx", "4", "6"],
    ])  # fmt: skip
    assert set(p.loc[p["output"] == "other", "reason"]) == {"publicity_output_unknown"}


def test_two_per_period_count_columns_are_not_both_read(raw):
    """数量 | 篇数: two names of one count, not a period and a running total."""
    write_xlsx(raw / "submissions" / "琉璃河宣传.xlsx", [
        ["填报单位：琉璃河镇总工会"], ["宣传项目", "数量", "篇数"], ["简报", 2, 2],
    ])  # fmt: skip
    from tests.test_rows import run

    assert list(run(raw)["publicity"]["count"]) == ["2"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Long: 共计12篇 in the count column is 12 articles, not a 合计 row.
        ([["宣传项目", "数量"], ["文章", "共计12篇"], ["简报", 2]],
         [("articles", "12", "accepted"), ("briefs", "2", "accepted")]),
        # Wide, the federation's one row written 共3期 | 共计12条.
        ([["简报（期）", "微信（条）"], ["共3期", "共计12条"]],
         [("briefs", "3", "accepted"), ("wechat", "12", "accepted")]),
        # A 合计 row is still one: its unit or item cell says so.
        ([["宣传项目", "数量"], ["微信", "共5条"], ["合计", "共5条"]],
         [("wechat", "5", "accepted"), ("other", "", "rejected")]),
    ],
)  # fmt: skip
def test_a_count_written_with_gong_is_a_count_not_a_total_row(raw, rows, expected):
    """“共计12篇” in a count cell made its row a 合计 row: the count was lost unwarned."""
    write_xlsx(raw / "submissions" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"], *rows,
    ])  # fmt: skip
    p = ingest_tables(raw)["publicity"]
    assert list(zip(p["output"], p["count"], p["state"], strict=True)) == expected


@pytest.mark.parametrize("own", ["长阳镇总工会（本级）", "长阳镇总工会本级", "本级：长阳镇总工会"])
def test_a_union_cell_with_benji_around_the_federations_name_is_its_own_count(raw, own):
    """本级 around the federation's name was looked up as a grassroots union and the
    counts rejected (unit_unresolved); rows.csv reads the same cell as 本级."""
    write_xlsx(raw / "submissions" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["单位", "简报（期）", "微信（条）"], [own, 2, 3], [CLINIC, 1, None],
    ])  # fmt: skip
    t = ingest_tables(raw)
    p = t["publicity"]
    assert list(zip(p["grassroots_unit"], p["output"], p["count"], p["state"], strict=True)) == [
        ("", "briefs", "2", "accepted"), ("", "wechat", "3", "accepted"),
        (CLINIC, "briefs", "1", "accepted"),
    ]  # fmt: skip
    assert "unit_unresolved" not in set(t["issues"]["code"])


def _publicity_of(raw: Path, rows: list, merged: tuple[str, ...] = ()) -> list[tuple]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "宣传成果"
    for line in [["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
                 *rows]:  # fmt: skip
        sheet.append(line)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(raw / "submissions" / "长阳镇宣传.xlsx")
    t = ingest_tables(raw)
    assert "publicity_count_unreadable" not in set(t["issues"]["code"])
    p = t["publicity"]
    return list(zip(p["row"], p["output"], p["count"], p["state"], strict=True))


def test_a_total_column_beside_the_outputs_is_no_count(raw):
    """合计（条） beside 微信（条） | 微博（条） was read as one more output (其他): 3 + 2 + 5."""
    got = _publicity_of(raw, [
        ["基层工会名称", "微信（条）", "微博（条）", "合计（条）"], [CLINIC, 3, 2, 5],
    ])  # fmt: skip
    assert got == [("4", "wechat", "3", "accepted"), ("4", "weibo", "2", "accepted")]


@pytest.mark.parametrize("merged", [("B3:D3",), ()])  # merged, or typed over blank cells
def test_an_output_split_into_parts_and_their_subtotal_counts_the_subtotal_once(raw, merged):
    """微信 over 原创 | 转发 | 小计: the three were added (3 + 2 + 5 = 10 posts)."""
    got = _publicity_of(raw, [
        ["基层工会名称", "微信（条）", None, None, "简报（期）"],
        [None, "原创", "转发", "小计", None],
        [CLINIC, 3, 2, 5, 1],
    ], merged)  # fmt: skip
    assert got == [("5", "wechat", "5", "accepted"), ("5", "briefs", "1", "accepted")]


def test_an_output_typed_over_its_parts_without_a_merge_reads_every_part(raw):
    """微信（条） typed over 原创 | 转发 (no merge): the sub-label row was read as counts
    ("原创" unreadable) and only the first part was kept; 转发 and 市级 were lost."""
    got = _publicity_of(raw, [
        ["基层工会名称", "微信（条）", None, "媒体报道（次）", None, None],
        [None, "原创", "转发", "区级", "市级", "国家级"],
        [CLINIC, 3, 2, 1, 1, 0],
    ])  # fmt: skip
    assert got == [
        ("5", "wechat", "3", "accepted"), ("5", "wechat", "2", "accepted"),
        ("5", "media", "1", "accepted"), ("5", "media", "1", "accepted"),
        ("5", "media", "0", "accepted"),
    ]  # fmt: skip
    from analysis.campaign import load_campaign
    from analysis.publicity_figures import publicity_by_round

    counts = ingest_tables(raw)["publicity"]
    table = publicity_by_round(counts, load_campaign())
    r1 = table[(table["level"] == "district") & (table["round"] == "r1")]
    assert dict(zip(r1["output"], r1["to_date"], strict=True)) == {"media": 2, "wechat": 5}


@pytest.mark.parametrize(
    ("value", "count", "code"),
    [
        # Two counts in one cell are no number (they were read as 2030 and 128).
        ("20 30", None, "publicity_count_unreadable"),
        ("12，8", None, "publicity_count_unreadable"),
        ("1,200", 1200, None),  # a thousands separator
        # The output named again before its count: the count as written.
        ("微信：5条", 5, None),
        # The whole before 其中; parts joined by + or each labelled are added (warned).
        ("12篇（其中原创8篇）", 12, "publicity_count_worked_out"),
        ("3+2", 5, "publicity_count_worked_out"),
        ("市级2次，区级3次", 5, "publicity_count_worked_out"),
        # Still unreadable: a breakdown without its whole, a part that is no count.
        ("其中原创8篇", None, "publicity_count_unreadable"),
        ("3块（横幅2条）", None, "publicity_count_unreadable"),
    ],
)
def test_parse_count_reads_counts_written_with_words_as_participants_are(value, count, code):
    assert parse_count(value, UNITS) == (count, code)


def test_a_worked_out_count_is_listed_with_its_warning(raw):
    write_xlsx(raw / "submissions" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["宣传项目", "数量"], ["微信", "原创3条，转发2条"], ["简报", "20 30"],
    ])  # fmt: skip
    t = ingest_tables(raw)
    p = t["publicity"]
    assert list(zip(p["output"], p["count"], p["reason"], strict=True)) == [
        ("wechat", "5", "publicity_count_worked_out"), ("briefs", "", "publicity_count_unreadable"),
    ]  # fmt: skip
    [message] = t["issues"].loc[t["issues"]["code"] == "publicity_count_worked_out", "message"]
    assert "第4行" in message and "原创3条,转发2条" in message and "按算出的5计入" in message


@pytest.mark.parametrize("running", ["截至目前", "截至9月底", "活动开展以来"])
def test_a_long_tables_running_total_column_is_read_beside_the_period(raw, running):
    """宣传项目 | 本阶段 | 截至目前: the running total named no count word and was dropped."""
    write_xlsx(raw / "submissions" / "r2" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-09-28"], ["报送期次：第二阶段"],
        ["宣传项目", "本阶段", running], ["微信", 3, 8], ["简报", 1, None],
    ])  # fmt: skip
    p = ingest_tables(raw)["publicity"]
    assert list(zip(p["output"], p["count"], p["cumulative"], strict=True)) == [
        ("wechat", "3", "False"), ("wechat", "8", "True"), ("briefs", "1", "False"),
    ]  # fmt: skip
    assert _district_to_date(p, "r2") == {"wechat": 8, "briefs": 1}


@pytest.mark.parametrize(
    ("head", "counts", "expected"),
    [
        (["宣传项目", "数量"], [["微信", 3], ["简报", 2]], [("4", "wechat", "3"), ("5", "briefs", "2")]),
        (["基层工会名称", "宣传项目", "数量"], [[None, "微信", 3], ["本级", "简报", 2]],
         [("4", "wechat", "3"), ("5", "briefs", "2")]),
    ],
)  # fmt: skip
def test_a_publicity_table_beside_the_activity_table_is_read_as_its_own(
    raw, head, counts, expected
):
    """宣传项目 | 数量 one blank column right of the activity table, on its header row: the
    counts were dropped unwarned (and 宣传项目 was a second 工作类别 column)."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", None, *head],
        [1, CLINIC, "2019-06-03", "切实抓好学习", "讨论会", 20, None, *counts[0]],
        [2, SMALL, "2019-06-04", "切实抓好学习", "讨论会", 10, None, *counts[1]],
    ])  # fmt: skip
    t = ingest_tables(raw)
    assert list(zip(t["rows"]["row"], t["rows"]["state"], t["rows"]["participants"],
                    strict=True)) == [("4", "accepted", "20"), ("5", "accepted", "10")]  # fmt: skip
    p = t["publicity"]
    # The federation's own counts: not the unions of the activity rows beside them.
    assert set(p["grassroots_unit"]) == {""}
    assert list(zip(p["row"], p["output"], p["count"], strict=True)) == expected
    assert list(t["issues"]["code"]) == []


def test_a_table_with_one_column_per_union_reads_each_union_and_skips_its_totals(raw):
    """宣传项目 | one column per union | 合计 | 备注 (the long table turned sideways) was not
    read at all: the file was rejected as holding no activity table."""
    write_xlsx(raw / "submissions" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["宣传项目", CLINIC, SMALL, "本级", "合计", "备注"],
        ["简报（期）", 1, 2, None, 3, None],
        ["微信（条）", 4, 5, 1, 10, "无"],
        ["合计", 5, 7, 1, 13, None],
    ])  # fmt: skip
    t = ingest_tables(raw)
    p = t["publicity"]
    assert list(zip(p["row"], p["grassroots_unit"], p["output"], p["count"], p["state"],
                    strict=True)) == [
        ("4", CLINIC, "briefs", "1", "accepted"), ("4", SMALL, "briefs", "2", "accepted"),
        ("5", CLINIC, "wechat", "4", "accepted"), ("5", SMALL, "wechat", "5", "accepted"),
        ("5", "", "wechat", "1", "accepted"),
        *[("6", "", "other", "", "rejected")] * 3,  # the 合计 row, a total per union
    ]  # fmt: skip
    assert list(t["submissions"]["state"]) == ["current"]
    assert _district_to_date(p, "r1") == {"briefs": 3, "wechat": 10}


@pytest.mark.parametrize(
    ("head", "sub", "merged", "expected"),
    [
        # 数量 merged over 原创 | 转发: both parts are wechat posts (3 + 2).
        (["宣传项目", "数量", None], [None, "原创", "转发"], ("B3:C3",),
         [("5", "wechat", "3"), ("5", "wechat", "2"), ("6", "briefs", "1")]),
        # The same typed over blank cells, no merge.
        (["宣传项目", "数量", None], [None, "原创", "转发"], (),
         [("5", "wechat", "3"), ("5", "wechat", "2"), ("6", "briefs", "1")]),
        # With their 小计: the subtotal alone, never parts and subtotal both.
        (["宣传项目", "数量", None, None], [None, "原创", "转发", "小计"], ("B3:D3",),
         [("5", "wechat", "5"), ("6", "briefs", "1")]),
    ],
)  # fmt: skip
def test_a_long_tables_count_split_into_parts_reads_every_part(raw, head, sub, merged, expected):
    """数量 over 原创 | 转发: the sub-label row was read as a count of 其他 ("原创", unread)
    and only the first part was kept; 转发 was lost."""
    rows = [head, sub, ["微信", 3, 2, 5][: len(head)], ["简报", 1, None, 1][: len(head)]]
    got = _publicity_of(raw, rows, merged)
    assert [(r, o, c) for r, o, c, _ in got] == expected


def test_a_sheet_named_for_a_union_holds_that_unions_counts(raw):
    """One sheet per grassroots union, no union column: the counts were the federation's own."""
    from openpyxl import Workbook

    book = Workbook()
    for n, (name, rows) in enumerate([
        (CLINIC, [["宣传项目", "数量"], ["微信", 3], ["简报", 1]]),
        ("长阳镇第一小学", [["宣传项目", "数量"], ["微信", 2]]),  # named without 工会
        ("本级", [["宣传项目", "数量"], ["微信", 4]]),
    ]):  # fmt: skip
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = name
        for line in [["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
                     *rows]:  # fmt: skip
            sheet.append(line)
    book.save(raw / "submissions" / "长阳镇宣传.xlsx")
    p = ingest_tables(raw)["publicity"]
    assert list(zip(p["sheet"], p["grassroots_unit"], p["output"], p["count"], strict=True)) == [
        (CLINIC, CLINIC, "wechat", "3"), (CLINIC, CLINIC, "briefs", "1"),
        ("长阳镇第一小学", SMALL, "wechat", "2"), ("本级", "", "wechat", "4"),
    ]  # fmt: skip


def test_a_total_column_beside_a_periods_column_of_one_output_is_its_running_total(raw):
    """简报本阶段（期） | 简报总计（期）: both were per-round counts and added (1 + 2 = 3);
    宣传项目 | 本期数 | 总数 dropped the 总数 column."""
    write_xlsx(raw / "submissions" / "r2" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-09-28"], ["报送期次：第二阶段"],
        ["基层工会名称", "简报本阶段（期）", "简报总计（期）", "微信（条）"], [CLINIC, 1, 2, 4],
        [], ["宣传项目", "本期数", "总数"], ["微博", 3, 8],
    ])  # fmt: skip
    p = ingest_tables(raw)["publicity"]
    assert list(zip(p["output"], p["count"], p["cumulative"], strict=True)) == [
        ("briefs", "1", "False"), ("briefs", "2", "True"), ("wechat", "4", "False"),
        ("weibo", "3", "False"), ("weibo", "8", "True"),
    ]  # fmt: skip
    assert _district_to_date(p, "r2") == {"briefs": 2, "wechat": 4, "weibo": 8}


def test_a_placeholder_for_nothing_is_a_blank_cell_not_an_unreadable_count(raw):
    """“/”, “无”, “—”, “暂无” in a wide table were counts “不是数字” (a warning each, and a
    row in publicity.csv); they say nothing was published, as a blank cell does. In a
    long table a named output with “无” is a count left blank (missing, never 0)."""
    write_xlsx(raw / "submissions" / "长阳镇宣传.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["基层工会名称", "简报（期）", "微信（条）", "展板（块）"],
        [CLINIC, "/", 3, "无"], [SMALL, "—", "暂无", 2],
        [], ["宣传项目", "数量"], ["微博", "无"],
    ])  # fmt: skip
    t = ingest_tables(raw)
    p = t["publicity"]
    assert list(zip(p["row"], p["output"], p["count"], p["reason"], strict=True)) == [
        ("4", "wechat", "3", "ok"), ("5", "boards", "2", "ok"),
        ("8", "weibo", "", "publicity_count_missing"),
    ]  # fmt: skip
    assert list(t["issues"]["code"]) == ["publicity_count_missing"]


def _struck_and_ditto_book(path: Path, rows: list[list[object]], struck_row: int) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "宣传"
    for line in rows:
        sheet.append(line)
    for cell in sheet[struck_row]:
        if cell.value is not None:
            cell.font = Font(strike=True)
    book.save(path)


def test_counts_of_a_struck_row_or_under_a_ditto_are_read_as_the_unit_edited(raw):
    """A wide table: the row struck through whole is the unit's deletion (its counts not
    counted, one error), and 同上 in the union cell is the union of the row above (not an
    unknown union named 同上)."""
    _struck_and_ditto_book(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        ["基层工会名称", "信息（条）", "图片（张）"],
        [CLINIC, 2, 5],
        ["同上", 1, None],
        [SMALL, 4, 6],
    ], struck_row=6)  # fmt: skip
    t = ingest_tables(raw)
    p = t["publicity"]
    assert p[["row", "grassroots_unit", "output", "count", "state", "reason"]].values.tolist() == [
        ["4", CLINIC, "briefs", "2", "accepted", "ok"],
        ["4", CLINIC, "pictures", "5", "accepted", "ok"],
        ["5", CLINIC, "briefs", "1", "accepted", "value_ditto"],
        ["6", "", "briefs", "", "rejected", "row_deleted"],
        ["6", "", "pictures", "", "rejected", "row_deleted"],
    ]
    issues = t["issues"]
    assert issues[["row", "severity", "code"]].values.tolist() == [
        ["5", "warning", "value_ditto"],
        ["6", "error", "row_deleted"],
    ]
    assert issues["message"].iloc[1].startswith("文件“submissions/长阳镇.xlsx”的工作表“宣传”第6行")


def test_counts_beside_activities_follow_the_activity_rows_ditto_and_deletion(raw):
    """Output columns of an activity table: a 同上 row's counts are the union above's, and a
    struck row's counts are not counted either; the ledger alone tells both rows."""
    _struck_and_ditto_book(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"],
        ["基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "信息（条）", "稿件（篇）"],
        [CLINIC, "2019-06-03", "切实抓好学习", "讨论会", 20, 1, 2],
        ["同上", "2019-06-04", "切实抓好学习", "讨论会", 30, 3, None],
        [SMALL, "2019-06-05", "切实抓好学习", "讨论会", 40, 5, 6],
        [SMALL, "2019-06-06", "加强宣讲培训", "宣讲", 15, None, None],  # no counts
        ["同上", "2019-06-07", "加强宣讲培训", "宣讲", 25, 7, None],  # SMALL's, not CLINIC's
    ], struck_row=5)  # fmt: skip
    t = ingest_tables(raw)
    assert t["rows"][["row", "state", "grassroots_unit"]].values.tolist() == [
        ["3", "accepted", CLINIC], ["4", "accepted", CLINIC], ["5", "rejected", ""],
        ["6", "accepted", SMALL], ["7", "accepted", SMALL],
    ]  # fmt: skip
    p = t["publicity"]
    assert p[["row", "grassroots_unit", "output", "count", "state"]].values.tolist() == [
        ["3", CLINIC, "briefs", "1", "accepted"],
        ["3", CLINIC, "articles", "2", "accepted"],
        ["4", CLINIC, "briefs", "3", "accepted"],
        ["5", "", "briefs", "", "rejected"],
        ["5", "", "articles", "", "rejected"],
        ["7", SMALL, "briefs", "7", "accepted"],
    ]
    codes = t["issues"][["row", "code"]].values.tolist()
    assert codes.count(["4", "value_ditto"]) == 1 and codes.count(["5", "row_deleted"]) == 1
    assert "unit_unresolved" not in set(t["issues"]["code"])


def test_activities_whose_figure_is_named_by_its_parts_beside_output_columns_are_read(raw):
    """男 | 女 | 合计 (no column says 参加人数) beside 图片（张） | 稿件（篇）: an activity table
    with counts per row, not a publicity table alone (which lost every activity)."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["序号", "活动日期", "基层工会名称", "男", "女", "合计", "工作类别", "活动形式",
         "图片（张）", "稿件（篇）"],
        [1, "2019-06-03", CLINIC, 17, 1, None, "切实抓好学习", "讨论会", None, 4],
        [2, "2019-06-04", SMALL, 10, 7, 17, "切实抓好学习", "讨论会", 3, 0],
    ])  # fmt: skip
    t = ingest_tables(raw)
    assert t["rows"][["row", "state", "grassroots_unit", "participants"]].values.tolist() == [
        ["3", "accepted", CLINIC, "18"],  # a blank 合计: 17 + 1
        ["4", "accepted", SMALL, "17"],
    ]
    p = t["publicity"]
    assert p[["row", "grassroots_unit", "output", "count"]].values.tolist() == [
        ["3", CLINIC, "articles", "4"], ["4", SMALL, "pictures", "3"], ["4", SMALL, "articles", "0"],
    ]  # fmt: skip


def test_an_output_header_merged_down_a_two_row_header_starts_no_second_table(raw):
    """参加人数 over 合计 | 线上 | 线下 makes the header two rows; 简报（期） merged down over
    both and 信息（条） not: the second header row is no new publicity table of 简报 alone
    (which left the 信息 counts unread)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [
        ["填报单位：长阳镇总工会"],
        ["序号", "基层工会名称", "参加人数", None, None, "工作类别", "活动形式", "活动日期",
         "简报（期）", "信息（条）"],
        [None, None, "合计", "线上", "线下"],
        [1, CLINIC, 40, 6, 34, "切实抓好学习", "讨论会", "2019-06-03", 1, 2],
    ]:  # fmt: skip
        sheet.append(line)
    for cells in ("A2:A3", "B2:B3", "C2:E2", "F2:F3", "G2:G3", "H2:H3", "I2:I3"):
        sheet.merge_cells(cells)
    book.save(raw / "submissions" / "长阳镇.xlsx")
    p = ingest_tables(raw)["publicity"]
    assert p[["row", "grassroots_unit", "output", "count"]].values.tolist() == [
        ["4", CLINIC, "briefs", "1"], ["4", CLINIC, "briefs", "2"],
    ]  # fmt: skip


def test_the_title_of_counts_below_typed_in_the_activity_title_column_is_a_note(raw):
    """活动主题 is the first column: 宣传成果统计 typed there above the counts' header is
    their title (a note), not an activity of the federation with no date or figure."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["活动主题", "基层工会名称", "活动形式", "活动日期", "参加人数"],
        ["专题学习", CLINIC, "讨论会", "2019-06-03", 9],
        [],
        ["宣传成果统计"],
        ["宣传形式", "数量（篇/条/个）"],
        ["图片", 3],
        ["微信", "14条"],
    ])  # fmt: skip
    t = ingest_tables(raw)
    assert t["rows"][["row", "state", "reason"]].values.tolist() == [
        ["3", "accepted", "work_item_inferred"], ["5", "rejected", "note_row"],
    ]  # fmt: skip
    p = t["publicity"]
    assert list(zip(p["output"], p["count"], strict=True)) == [("pictures", "3"), ("wechat", "14")]


def test_other_beside_parts_of_the_figure_is_a_part_not_the_other_output(raw):
    """职工 | 会员 | 其他 | 总人数 beside 图片（张） | 简报（期）: 其他 is a part of the
    participants (10 + 20 + 5), not a count of other publicity; 其他 beside outputs is."""
    write_xlsx(raw / "submissions" / "长阳镇.xlsx", [
        ["填报单位：长阳镇总工会"],
        ["职工", "会员", "其他", "总人数", "活动形式", "工作类别", "活动日期", "基层工会名称",
         "图片（张）", "简报（期）"],
        [10, 20, 5, None, "讨论会", "切实抓好学习", "2019-06-03", CLINIC, 7, 2],
    ])  # fmt: skip
    write_xlsx(raw / "submissions" / "区教委宣传.xlsx", [
        ["填报单位：区教委工会"], ["基层工会名称", "简报（期）", "其他"], ["区教委机关工会", 1, 4],
    ])  # fmt: skip
    t = ingest_tables(raw)
    assert t["rows"]["participants"].tolist() == ["35"]
    p = t["publicity"]
    assert p[["file", "output", "count", "state"]].values.tolist() == [
        ["submissions/区教委宣传.xlsx", "briefs", "1", "accepted"],
        ["submissions/区教委宣传.xlsx", "other", "4", "accepted"],
        ["submissions/长阳镇.xlsx", "pictures", "7", "accepted"],
        ["submissions/长阳镇.xlsx", "briefs", "2", "accepted"],
    ]


def test_publicity_row_issues_name_the_column_letter_of_the_cell(raw):
    """Every row issue of a publicity count names its column as a spreadsheet shows it
    (docs/figures.md), never the count column's header text (微信（条）): a count's problem
    its count cell's letter, in every layout; a union problem the union cell's letter, once
    per row however many counts the row holds; a 同上 the union cell's."""
    from openpyxl import Workbook

    book = Workbook()
    wide = book.active
    wide.title = "宽表"
    for line in [
        ["填报单位：长阳镇总工会", None, "填报日期：2019-06-28"], ["报送期次：第一阶段"],
        [None, "序号", "单位名称", "简报（期）", "微信（条）"],  # column A left blank
        [None, 1, CLINIC, "约3期", 5000],  # D approximate, E implausible (60 members)
        [None, 2, "同上", "若干", None],  # the 同上 in C, the unreadable count in D
        [None, 3, "某某不存在单位工会", 1, 2],  # one unresolved union, in C
    ]:  # fmt: skip
        wide.append(line)
    long = book.create_sheet("长表")
    for line in [
        ["基层工会", "备注", "宣传项目", None, "数量"],
        [SMALL, None, "编发简报", None, "10-20"],  # range in E
        [SMALL, None, "学习强国", None, 3],  # unknown output, told at its count, E
    ]:  # fmt: skip
        long.append(line)
    cross = book.create_sheet("横表")
    for line in [
        ["宣传项目", CLINIC, "查无此会工会", "合计"],
        ["微信", "-1", 2, 1],  # negative in B; the union named atop C unknown
    ]:  # fmt: skip
        cross.append(line)
    book.save(raw / "submissions" / "长阳镇.xlsx")
    issues = ingest_tables(raw)["issues"]
    got = sorted(issues[issues["row"] != ""][["sheet", "row", "column", "code"]].values.tolist())
    assert got == sorted([
        ["宽表", "4", "D", "publicity_count_approximate"],
        ["宽表", "4", "E", "publicity_count_implausible"],
        ["宽表", "5", "C", "value_ditto"],
        ["宽表", "5", "D", "publicity_count_unreadable"],
        ["宽表", "6", "C", "unit_unresolved"],
        ["长表", "2", "E", "publicity_count_range"],
        ["长表", "3", "E", "publicity_output_unknown"],
        ["横表", "2", "B", "publicity_count_negative"],
        ["横表", "2", "C", "unit_unresolved"],
    ])  # fmt: skip


def _two_kinds_book(path: Path, date: str, counts: bool = True, activities: bool = True) -> None:
    """长阳镇's round-1 workbook: an activity sheet (a participants figure written 30余人:
    a warning) and/or a publicity sheet (文章 10余篇: a warning)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    if activities:
        ws = wb.create_sheet("活动明细")
        for row in [
            ["填报单位：长阳镇总工会"], ["报送期次：第一阶段"], [f"填报日期：{date}"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, SMALL, "2019-06-03", "切实抓好学习", "报告会", "30余人"],
        ]:  # fmt: skip
            ws.append(row)
    if counts:
        ws = wb.create_sheet("宣传成果")
        for row in [
            ["填报单位：长阳镇总工会"], ["报送期次：第一阶段"], [f"填报日期：{date}"],
            ["宣传项目", "数量"], ["简报", 3], ["文章", "10余篇"],
        ]:  # fmt: skip
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def test_counts_warnings_stay_when_only_the_activities_are_corrected(raw):
    # The correction holds activities only: the first file's counts still count, and so
    # do the warnings about them (10余篇 read as 10); its activities' warnings go.
    first = raw / "submissions" / "长阳镇报送表.xlsx"
    _two_kinds_book(first, "2019-07-01")
    _two_kinds_book(raw / "submissions" / "长阳镇报送表（更正）.xlsx", "2019-07-03", counts=False)
    out = ingest_tables(raw)
    publicity, issues = out["publicity"], out["issues"]
    mine = publicity[publicity["file"] == "submissions/长阳镇报送表.xlsx"]
    assert mine[["row", "output", "count", "state", "reason"]].values.tolist() == [
        ["5", "briefs", "3", "accepted", "ok"],
        ["6", "articles", "10", "accepted", "publicity_count_approximate"],
    ]
    told = issues[issues["file"] == "submissions/长阳镇报送表.xlsx"]
    assert told[told["severity"] == "warning"][
        ["sheet", "row", "column", "code"]
    ].values.tolist() == [
        ["", "", "", "superseded"],
        ["宣传成果", "6", "B", "publicity_count_approximate"],
    ]
    assert "10" in told[told["code"] == "publicity_count_approximate"]["message"].iloc[0]


def test_counts_warnings_go_when_only_the_counts_are_corrected(raw):
    # The correction holds counts only: the first file's counts are superseded, and the
    # warning about 10余篇 with them; its activities (and their warning) still stand.
    _two_kinds_book(raw / "submissions" / "长阳镇报送表.xlsx", "2019-07-01")
    _two_kinds_book(
        raw / "submissions" / "长阳镇报送表（更正）.xlsx", "2019-07-03", activities=False
    )
    out = ingest_tables(raw)
    publicity, issues = out["publicity"], out["issues"]
    mine = publicity[publicity["file"] == "submissions/长阳镇报送表.xlsx"]
    assert set(mine["state"]) == {"superseded"}
    told = issues[issues["file"] == "submissions/长阳镇报送表.xlsx"]
    codes = told[["sheet", "row", "code"]].values.tolist()
    assert ["宣传成果", "6", "publicity_count_approximate"] not in codes
    assert any(sheet == "活动明细" and row == "5" for sheet, row, _ in codes)
    later = issues[issues["file"] == "submissions/长阳镇报送表（更正）.xlsx"]
    assert later[["sheet", "row", "column", "code"]].values.tolist() == [
        ["宣传成果", "6", "B", "publicity_count_approximate"],
    ]


def test_a_lone_running_total_column_is_the_count_column(raw):
    # 宣传项目 | 截至目前: the only count column says 截至 and no count word: each count is
    # the total since the start (cumulative), on a sheet of its own and below activities.
    write_xlsx(
        raw / "submissions" / "长阳镇宣传成果.xlsx",
        [
            ["填报单位：长阳镇总工会"], ["报送期次：第三阶段"], ["填报日期：2020-01-05"],
            ["宣传项目", "截至目前"],
            ["工作简报", 16],
            ["心得体会", "3篇"],
        ],
    )  # fmt: skip
    write_xlsx(
        raw / "submissions" / "长阳镇报送表.xlsx",
        [
            ["填报单位", "长阳镇总工会", "报送期次", "第二阶段", "填报日期", "2019-10-08"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, SMALL, "2019-08-04", "精心组织宣传", "微信推送", 33],
            [None, None, None, None, None, None],
            ["基层工会", "宣传形式", "截至目前"],
            [CLINIC, "新闻图片", 34],
            [SMALL, "文章", "3.5篇"],
        ],
    )  # fmt: skip
    out = ingest_tables(raw)
    publicity, rows, issues = out["publicity"], out["rows"], out["issues"]
    got = publicity[["file", "row", "grassroots_unit", "output", "count", "cumulative", "state"]]
    assert got.values.tolist() == [
        ["submissions/长阳镇宣传成果.xlsx", "5", "", "briefs", "16", "True", "accepted"],
        ["submissions/长阳镇宣传成果.xlsx", "6", "", "articles", "3", "True", "accepted"],
        ["submissions/长阳镇报送表.xlsx", "6", CLINIC, "pictures", "34", "True", "accepted"],
        ["submissions/长阳镇报送表.xlsx", "7", SMALL, "articles", "3.5", "True", "accepted"],
    ]
    # The counts below the activities are no activity rows, and no union named 新闻图片.
    assert rows[["file", "row"]].values.tolist() == [["submissions/长阳镇报送表.xlsx", "3"]]
    assert not set(issues["code"]) & {"unit_unresolved", "no_activity_table", "no_activity"}


def test_a_wide_table_of_counts_none_given_as_a_number_is_read(raw):
    # Every count 若干 or a range: each is a count read as missing (never 0) with a
    # warning, not a file rejected for holding no table.
    write_xlsx(
        raw / "submissions" / "长阳镇宣传成果.xlsx",
        [
            ["填报单位：长阳镇总工会"], ["报送期次：第一阶段"], ["填报日期：2019-07-02"],
            ["基层工会", "图片（张）", "媒体报道(次)"],
            ["本级", "若干", "10-20次"],
        ],
    )  # fmt: skip
    out = ingest_tables(raw)
    got = out["publicity"][["row", "output", "count", "state", "reason"]].values.tolist()
    assert got == [
        ["5", "pictures", "", "accepted", "publicity_count_unreadable"],
        ["5", "media", "", "accepted", "publicity_count_range"],
    ]
    issues = out["issues"]
    assert "no_activity_table" not in set(issues["code"])
    assert issues[issues["row"] == "5"][["column", "code"]].values.tolist() == [
        ["B", "publicity_count_unreadable"],
        ["C", "publicity_count_range"],
    ]
    assert out["submissions"]["state"].tolist() == ["current"]


def test_a_table_of_one_column_per_union_below_activities_is_publicity(raw):
    # 宣传项目 | union | union below an activity table: its header holds one publicity
    # label only, yet it ends the activity table; its header is no activity of the union
    # it names, its rows no activities of unknown unions.
    write_xlsx(
        raw / "submissions" / "长阳镇报送表.xlsx",
        [
            ["填报单位", "长阳镇总工会", "报送期次", "第二阶段", "填报日期", "2019-10-08"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
            [1, SMALL, "2019-08-04", "精心组织宣传", "微信推送", 33],
            [2, CLINIC, "2019-08-05", "切实抓好学习", "报告会", 20],
            [None, None, None, None, None, None],
            ["宣传成果统计"],
            ["项目", CLINIC, SMALL],
            ["海报", "35期", "无"],
            ["微博（条）", "3+2", 4],
        ],
    )  # fmt: skip
    out = ingest_tables(raw)
    rows, publicity = out["rows"], out["publicity"]
    assert rows[rows["state"] == "accepted"]["row"].tolist() == ["3", "4"]
    got = publicity[["row", "grassroots_unit", "output", "count", "state", "reason"]]
    assert got.values.tolist() == [
        ["8", CLINIC, "boards", "35", "accepted", "ok"],
        ["9", CLINIC, "weibo", "5", "accepted", "publicity_count_worked_out"],
        ["9", SMALL, "weibo", "4", "accepted", "ok"],
    ]
    assert not {"unit_unresolved", "date_unreadable"} & set(out["issues"]["code"])


@pytest.mark.parametrize(("period", "total"), [("本期", "累计数"), ("本期数", "累计数量")])
def test_a_count_typed_over_period_and_running_total_unmerged_is_read(raw, period, total):
    # A CSV cannot merge 数量 over 本期 | 累计: typed over the first, the second blank. Both
    # columns are counts (the second a running total), the sub-label row no count.
    text = "\r\n".join([
        "填报单位：长阳镇总工会,,,", "报送期次：第一阶段,,,", "填报日期：2019-07-02,,,",
        "基层工会,宣传类别,数量,", f",,{period},{total}",
        f"{SMALL},系列评论,35,40", f"{CLINIC},微视频,3,",
        ",合计,38,",
    ])  # fmt: skip
    (raw / "submissions" / "长阳镇总工会.csv").write_bytes(text.encode("gbk"))
    out = ingest_tables(raw)
    got = out["publicity"][["row", "grassroots_unit", "output", "count", "cumulative", "state"]]
    assert got.values.tolist() == [
        ["6", SMALL, "articles", "35", "False", "accepted"],
        ["6", SMALL, "articles", "40", "True", "accepted"],
        ["7", CLINIC, "video", "3", "False", "accepted"],
        ["8", "", "other", "", "False", "rejected"],
    ]


def test_a_title_in_an_output_column_is_no_count(raw):
    # The federation's one-row wide table (no union column: its first output in A), then
    # the next table's title in A: a title, not an unreadable count of 文章.
    write_xlsx(
        raw / "submissions" / "长阳镇宣传成果.xlsx",
        [
            ["填报单位：长阳镇总工会"], ["报送期次：第一阶段"], ["填报日期：2019-07-02"],
            ["评论文章（篇）", "微视频（个）"],
            [3, "1+1"],
            [None, None],
            ["二、各基层工会宣传情况"],
            ["基层工会名称", "简报（期）", "微信（条）"],
            [SMALL, 2, 5],
        ],
    )  # fmt: skip
    out = ingest_tables(raw)
    got = out["publicity"][["row", "grassroots_unit", "output", "count", "state", "reason"]]
    assert got.values.tolist() == [
        ["5", "", "articles", "3", "accepted", "ok"],
        ["5", "", "video", "2", "accepted", "publicity_count_worked_out"],
        ["9", SMALL, "briefs", "2", "accepted", "ok"],
        ["9", SMALL, "wechat", "5", "accepted", "ok"],
    ]
    assert "publicity_count_unreadable" not in set(out["issues"]["code"])


def test_a_title_above_activities_and_counts_beside_them_says_cumulative(raw):
    # The title over the whole sheet, above the activity table and the counts beside it
    # (past a blank column), says 累计: the counts are running totals.
    write_xlsx(
        raw / "submissions" / "长阳镇报送表.xlsx",
        [
            ["填报单位：长阳镇总工会"], ["报送期次：第二阶段"], ["填报日期：2019-10-08"],
            ["截至9月30日累计宣传成果及活动情况"],
            ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", None,
             "宣传项目", "数量"],
            [1, SMALL, "2019-08-04", "切实抓好学习", "报告会", 30, None, "简报", 12],
            [2, CLINIC, "2019-08-05", "切实抓好学习", "报告会", 20, None, "微信", "8条"],
        ],
    )  # fmt: skip
    out = ingest_tables(raw)
    got = out["publicity"][["row", "grassroots_unit", "output", "count", "cumulative", "state"]]
    assert got.values.tolist() == [
        ["6", "", "briefs", "12", "True", "accepted"],
        ["7", "", "wechat", "8", "True", "accepted"],
    ]
    assert out["rows"]["state"].tolist() == ["accepted", "accepted"]


def test_a_long_tables_output_named_with_its_measure_word_is_no_header(raw):
    # 微博（条） in the item column beside its count: a row of the long table, not the
    # header of a one-output table whose rows below (a number in its column further
    # down, in the next table) would be counts of 微博.
    (raw / "submissions" / "长阳镇总工会.csv").write_bytes(
        "\r\n".join([
            "填报单位：长阳镇总工会,,", "报送期次：第一阶段,,", "填报日期：2019-07-02,,",
            "单位,宣传方式,篇数",
            f"{CLINIC},微感言征集,7", "〃,微博（条）,２９", f"{SMALL},工作简报,0",
            ",总计,36", ",,",
            "单位名称,宣传片（部）,微信（条）", f"{SMALL},2,16",
        ]).encode("utf-8")
    )  # fmt: skip
    out = ingest_tables(raw)
    got = out["publicity"][["row", "grassroots_unit", "output", "count", "state", "reason"]]
    assert got.values.tolist() == [
        ["5", CLINIC, "remarks", "7", "accepted", "ok"],
        ["6", CLINIC, "weibo", "29", "accepted", "value_ditto"],
        ["7", SMALL, "briefs", "0", "accepted", "ok"],
        ["8", "", "other", "", "rejected", "total_row"],
        ["11", SMALL, "video", "2", "accepted", "ok"],
        ["11", SMALL, "wechat", "16", "accepted", "ok"],
    ]


def test_the_upper_row_of_the_next_tables_header_is_no_count(raw):
    # A one-row wide table of the federation (no union column), then the next table's
    # two-row header: 工会名称 | 宣传成果统计 (merged across) over its outputs. That upper
    # row is no counts of the table above (no 工会名称 articles).
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in [
        ["填报单位：长阳镇总工会"], ["报送期次：第三阶段"], ["填报日期：2020-01-03"],
        ["新闻报道（篇）", "心得体会(篇)", "微信（条）"],
        ["7期", 0, "三十七"],
        [None, None, None],
        ["工会名称", "宣传成果累计", None],
        [None, "展板（块）", "微博（条）"],
        ["本级", "若干", 18],
    ]:  # fmt: skip
        ws.append(row)
    ws.merge_cells("B7:C7")
    ws.merge_cells("A7:A8")
    wb.save(raw / "submissions" / "长阳镇宣传成果.xlsx")
    out = ingest_tables(raw)
    got = out["publicity"][["row", "output", "count", "cumulative", "state", "reason"]]
    assert got.values.tolist() == [
        ["5", "media", "7", "False", "accepted", "ok"],
        ["5", "articles", "0", "False", "accepted", "ok"],
        ["5", "wechat", "37", "False", "accepted", "ok"],
        # the upper header row says 累计: the table below it is running totals
        ["9", "boards", "", "True", "accepted", "publicity_count_unreadable"],
        ["9", "weibo", "18", "True", "accepted", "ok"],
    ]


def test_a_row_holding_a_number_heads_no_table(raw):
    # A long table's rows with numeric counts: 微博（条） | 5 is no one-output header, and
    # 新闻报道 | -4 over 倡议书 | 无 (its union cell merged down) no header over sub-labels.
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in [
        ["填报单位：长阳镇总工会"], ["报送期次：第二阶段"], ["填报日期：2019-10-04"],
        ["单位", "项目", "累计"],
        [CLINIC, "微博（条）", 5],
        [SMALL, "新闻报道", -4],
        [None, "倡议书", "无"],
        [None, "征文", "29期"],
    ]:  # fmt: skip
        ws.append(row)
    ws.merge_cells("A6:A8")
    wb.save(raw / "submissions" / "长阳镇宣传成果.xlsx")
    out = ingest_tables(raw)
    got = out["publicity"][["row", "grassroots_unit", "output", "count", "cumulative", "reason"]]
    assert got.values.tolist() == [
        ["5", CLINIC, "weibo", "5", "True", "ok"],
        ["6", SMALL, "media", "-4", "True", "publicity_count_negative"],
        ["7", SMALL, "other", "", "True", "publicity_output_unknown;publicity_count_missing"],
        ["8", SMALL, "articles", "29", "True", "ok"],
    ]
