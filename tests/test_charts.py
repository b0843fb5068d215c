"""Charts: bars, labels and findings computed from small hand-made figures; PNG/SVG files.

`small_figures()` builds a four-unit district by hand (the other briefing tests
import it): towns 长阳镇 (4 unions, 3 covered) and 琉璃河镇 (2, 1), the system
区教委 (2, 0) and one direct union (1, 1): 5 of 9 unions covered, 55.6%.
"""

from __future__ import annotations

import datetime as dt
import struct
import warnings
import zlib

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import charts, style
from analysis.campaign import load_campaign
from analysis.figures import Figures, rank_units
from analysis.formats import short_name

CY, LL, JW, YF = "长阳镇总工会", "琉璃河镇总工会", "区教委工会", "北京燕房物流有限公司工会"
COVERAGE_COLUMNS = [
    "level", "kind", "group", "units_total", "units_covered", "unit_coverage",
    "members_total", "members_covered", "member_coverage", "activities", "participants",
    "participants_per_100", "activities_federation", "participants_missing",
]  # fmt: skip


def _coverage(rows: list[tuple]) -> pd.DataFrame:
    """Coverage rows (level, kind, group, units_total, units_covered, members_total,
    members_covered, activities, participants); the ratios are derived here."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "level", "kind", "group", "units_total", "units_covered", "members_total",
            "members_covered", "activities", "participants",
        ],
    )  # fmt: skip
    frame["kind"] = frame["kind"].fillna("")
    frame["unit_coverage"] = frame["units_covered"] / frame["units_total"]
    frame["member_coverage"] = frame["members_covered"] / frame["members_total"]
    frame["participants_per_100"] = frame["participants"] / frame["members_total"] * 100
    frame["activities_federation"] = 0
    frame["participants_missing"] = 0
    return frame[COVERAGE_COLUMNS]


def small_figures(with_previous: bool = True) -> Figures:
    """The hand-made district of this module's docstring, as of 2019-09-30, round r2."""
    campaign = load_campaign()
    coverage = _coverage(
        [
            ("district", None, "全区", 9, 5, 400, 220, 10, 400),
            ("kind", "town", "town", 6, 4, 300, 190, 8, 350),
            ("kind", "system", "system", 2, 0, 70, 0, 1, 20),
            ("kind", "direct", "direct", 1, 1, 30, 30, 1, 30),
            ("reporting_unit", "town", CY, 4, 3, 200, 150, 6, 300),
            ("reporting_unit", "town", LL, 2, 1, 100, 40, 2, 50),
            ("reporting_unit", "system", JW, 2, 0, 70, 0, 1, 20),
            ("reporting_unit", "direct", YF, 1, 1, 30, 30, 1, 30),
        ]
    )
    previous = _coverage(
        [
            ("district", None, "全区", 9, 2, 400, 90, 3, 100),
            ("kind", "town", "town", 6, 2, 300, 90, 3, 100),
            ("kind", "system", "system", 2, 0, 70, 0, 0, 0),
            ("kind", "direct", "direct", 1, 0, 30, 0, 0, 0),
            ("reporting_unit", "town", CY, 4, 1, 200, 50, 2, 60),
            ("reporting_unit", "town", LL, 2, 1, 100, 40, 1, 40),
            ("reporting_unit", "system", JW, 2, 0, 70, 0, 0, 0),
            ("reporting_unit", "direct", YF, 1, 0, 30, 0, 0, 0),
        ]
    )
    # 长阳镇 75% ranks 1 and 琉璃河镇 50% 2 among towns; 区教委 is the only system unit;
    # the direct union is not ranked.
    ranking = rank_units(coverage, previous if with_previous else None)
    items = ["study", "training", "publicity", "implementation", "reporting"]
    by_item = pd.DataFrame(
        [
            ("reporting_unit", "town", CY, item, n, n / 4, n, n * 10)
            for item, n in zip(items, [3, 2, 1, 0, 1], strict=True)
        ]
        + [
            ("reporting_unit", "town", LL, item, n, n / 2, n, n * 10)
            for item, n in zip(items, [1, 0, 0, 0, 1], strict=True)
        ]
        + [
            ("district", "", "全区", item, n, n / 9, n, n * 10)
            for item, n in zip(items, [5, 2, 1, 0, 2], strict=True)
        ],
        columns=[
            "level", "kind", "group", "work_item", "units_covered", "unit_coverage",
            "activities", "participants",
        ],
    )  # fmt: skip
    dates = pd.to_datetime(["2019-06-02", "2019-06-30", "2019-08-04", "2019-09-29"])
    curve = pd.DataFrame(
        [("district", "", "全区", d, n, n / 9) for d, n in zip(dates, [1, 2, 4, 5], strict=True)]
        + [("kind", "town", "town", d, n, n / 6) for d, n in zip(dates, [1, 2, 3, 4], strict=True)]
        + [("kind", "system", "system", d, 0, 0.0) for d in dates]
        + [("kind", "direct", "direct", d, n, n) for d, n in zip(dates, [0, 0, 1, 1], strict=True)],
        columns=["level", "kind", "group", "date", "units_covered", "unit_coverage"],
    )
    status = pd.DataFrame(
        [
            (CY, "town", "r1", "on_time"),
            (LL, "town", "r1", "late"),
            (JW, "system", "r1", "missing"),
            (YF, "direct", "r1", "missing"),
            (CY, "town", "r2", "on_time"),
            (LL, "town", "r2", "on_time"),
            (JW, "system", "r2", "missing"),
            (YF, "direct", "r2", "late"),
        ],
        columns=["reporting_unit", "kind", "round", "status"],
    ).assign(
        submitted=lambda d: d["status"] != "missing",
        on_time=lambda d: d["status"] == "on_time",
        report_date=None,
        file="",
    )
    rates = pd.DataFrame(
        [
            ("r1", "district", "", "全区", 4, 2, 1, 0.5, 0.25),
            ("r2", "district", "", "全区", 4, 3, 2, 0.75, 0.5),
        ],
        columns=[
            "round", "level", "kind", "group", "expected", "submitted", "on_time",
            "reporting_rate", "on_time_rate",
        ],
    )  # fmt: skip
    not_reached = pd.DataFrame(
        [
            ("长阳镇卫生院工会", CY, "town", 60),
            ("琉璃河镇中心小学工会", LL, "town", 60),
            ("区教委机关工会", JW, "system", 50),
            ("房山区实验中学工会", JW, "system", 20),
        ],
        columns=["unit", "reporting_unit", "kind", "members"],
    )
    return Figures(
        campaign=campaign,
        round_code="r2",
        as_of=dt.date(2019, 9, 30),
        coverage=coverage,
        ranking=ranking,
        by_item=by_item,
        curve=curve,
        status=status,
        rates=rates,
        not_reported=status[(status["round"] == "r2") & (status["status"] == "missing")],
        not_reached=not_reached,
        previous=previous if with_previous else None,
    )


@pytest.fixture
def figures() -> Figures:
    return small_figures()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bar_widths(ax) -> list[float]:
    return [round(p.get_width(), 4) for p in ax.patches]


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_unit_coverage_bars_ranked_within_kind_with_average_and_finding(figures):
    with style.house_style():
        ax = charts.unit_coverage_bars(figures.coverage)
    assert [t.get_text() for t in ax.get_yticklabels()] == [CY, LL, JW, YF]
    assert _bar_widths(ax) == [0.75, 0.5, 0.0, 1.0]
    texts = _texts(ax)
    assert [t for t in texts if t.endswith("%") and "平均" not in t] == ["75%", "50%", "0%", "100%"]
    assert " 全区平均55.6%" in texts
    assert "乡镇（2个）" in texts and "系统（1个）" in texts
    assert ax.get_title(loc="left") == "全区基层工会覆盖率达55.6%，直属领先、系统偏低"


def test_unit_coverage_bars_grey_marks_the_units_below_half(figures):
    with style.house_style():
        ax = charts.unit_coverage_bars(figures.coverage)
    red = plt.matplotlib.colors.to_rgba(style.COLORS["primary"])
    # 长阳镇 75%, 琉璃河镇 50% (not below), 区教委 0% (below), the direct union (not banded)
    assert [p.get_facecolor() == red for p in ax.patches] == [True, True, False, True]
    assert ax.get_xlabel() == "基层工会覆盖率（浅灰：低于50%，共1个单位）"


def test_participation_bars_per_100_members_by_kind(figures):
    with style.house_style():
        ax = charts.participation_bars(figures.coverage)
    # town 350/300*100 = 116.7, direct 30/30*100 = 100, system 20/70*100 = 28.6
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "乡镇（6家）",
        "直属（1家）",
        "系统（2家）",
    ]
    assert _bar_widths(ax) == [116.6667, 100.0, 28.5714]
    assert "117人次（共350人次）" in _texts(ax)
    assert ax.get_title(loc="left") == "全区每百名会员参加活动100人次，乡镇最高（117人次）"


def test_work_item_heatmap_cells_hold_percentages(figures):
    with style.house_style():
        ax = charts.work_item_heatmap(figures.by_item, figures.coverage, figures.campaign)
    texts = _texts(ax)
    # 4 units x 5 items; 长阳镇 row: 3/4, 2/4, 1/4, 0, 1/4
    assert len(texts) == 20
    assert texts[:5] == ["75%", "50%", "25%", "0%", "25%"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "学习",
        "宣讲培训",
        "宣传",
        "落实",
        "资料上报",
    ]
    assert ax.get_title(loc="left") == "“学习”覆盖面最广（全区55.6%），“落实”最弱（0.0%）"


def test_reporting_status_bars_stack_counts_per_round(figures):
    with style.house_style():
        ax = charts.reporting_status_bars(figures.status, figures.campaign, "r2")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["第一阶段", "第二阶段"]
    # on_time r1,r2; late r1,r2; unknown r1,r2; missing r1,r2; pending r1,r2
    assert _bar_widths(ax) == [1, 2, 1, 1, 0, 0, 2, 1, 0, 0]
    assert "报送率50%" in _texts(ax) and "报送率75%" in _texts(ax)
    assert ax.get_title(loc="left") == "第二阶段报送率75%，按时报送率50%，1个单位未报送"


def test_coverage_curve_lines_and_round_marks(figures):
    with style.house_style():
        ax = charts.coverage_curve(figures.curve, figures.campaign)
    assert len(ax.lines) == 3 + 1 + 3  # kinds, district, round boundaries
    labels = _texts(ax)
    assert "全区 56%" in labels and "乡镇 67%" in labels and "直属 100%" in labels
    assert {"第一阶段", "第二阶段", "第三阶段（总结）"} <= set(labels)
    assert ax.get_title(loc="left") == "覆盖率逐步攀升，截至9月29日全区达55.6%，直属领先"


def test_a_name_too_long_for_a_chart_is_cut_short_in_labels_and_title():
    """A 300-character name (typed by mistake into the roster) pushed the bars off the
    figure and shrank the title to nothing; real names (20 characters) are untouched."""
    long = "北京市房山区长阳镇总工会" + "第一二三四五六七八九十" * 28
    figures = small_figures()
    figures.ranking = figures.ranking.replace({CY: long})
    with style.house_style():
        ax = charts.new_coverage_bars(figures.ranking, round_name="第二阶段")
    shown = [t.get_text() for t in ax.get_yticklabels()]
    # 31 characters and the ellipsis: 64 half-width columns
    cut = "北京市房山区长阳镇总工会第一二三四五六七八九十第一二三四五六七…"
    assert shown == [cut, YF]
    assert ax.get_title(loc="left") == f"第二阶段新增覆盖基层工会3家，\n{cut}新增最多（2家）"
    real = "北京市房山区第35号超长名称示范街道联合总工会委员会"  # 27 characters
    assert short_name(real) == real
    assert short_name("ab" * 40) == "ab" * 31 + "…"  # half-width letters count one column


def test_new_coverage_bars_rank_units_with_new_unions(figures):
    with style.house_style():
        ax = charts.new_coverage_bars(figures.ranking, round_name="第二阶段")
    assert [t.get_text() for t in ax.get_yticklabels()] == [CY, YF]
    assert _bar_widths(ax) == [2, 1]
    assert "+2家（覆盖率+50个百分点）" in _texts(ax)
    assert ax.get_title(loc="left") == "第二阶段新增覆盖基层工会3家，长阳镇总工会新增最多（2家）"


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["town"] * 10, [(0, 10)]),
        (["town"] * 20 + ["street"] * 8 + ["system"] * 20, [(0, 20), (20, 48)]),
        (["town"] * 60, [(0, 20), (20, 40), (40, 60)]),
        (["town"] * 22 + ["street"] * 10 + ["system"] * 16 + ["direct"] * 4, [(0, 22), (22, 52)]),
    ],
)
def test_split_panels_cuts_at_kind_boundaries(kinds, expected):
    assert [(s.start, s.stop) for s in charts.split_panels(kinds)] == expected


def _png_size_and_dpi(data: bytes) -> tuple[int, int, float]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, dpi = 8, 0.0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"pHYs":
            ppm_x, _, unit = struct.unpack(">IIB", data[pos + 8 : pos + 17])
            dpi = ppm_x * 0.0254 if unit == 1 else 0.0
        pos += 12 + length
    zlib.crc32(b"")  # the chunks were walked; CRCs are not re-checked here
    return width, height, dpi


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a missing glyph fails the test
        files = charts.render_all(small_figures(), out)
    return files


def test_render_all_writes_six_charts_with_findings(rendered):
    assert [f.key for f in rendered] == list(charts.CHART_KEYS)
    assert rendered[0].title == "全区基层工会覆盖率达55.6%，直属领先、系统偏低"
    assert all(f.png.exists() and f.svg.exists() for f in rendered)


def test_render_all_png_is_16_9_at_200_dpi(rendered):
    for f in rendered:
        width, height, dpi = _png_size_and_dpi(f.png.read_bytes())
        assert dpi >= 199.5
        assert (width, height) == (2560, 1440)


def test_render_all_svg_keeps_chinese_text_as_text(rendered):
    for f in rendered:
        svg = f.svg.read_text("utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert f.title in svg  # the finding is real text, not outlines
        assert "数据来源：各单位报送表；统计截至2019年9月30日" in svg


@pytest.mark.parametrize("key", ["01_unit_coverage", "03_work_items", "04_reporting_status"])
def test_charts_are_saved_as_savefig_would_save_them_drawn_once(key, tmp_path):
    # _save draws each PNG once (the layout solved inside the draw) and its SVG without
    # a layout engine: the files are what savefig with the constrained layout writes.
    import re

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    figures = small_figures()

    def draw():
        with style.house_style():
            return charts.CHARTS[key](figures)[1]

    reference = draw()
    with style.house_style(), plt.rc_context({"savefig.bbox": "standard"}):
        reference.savefig(tmp_path / "ref.png", format="png", dpi=charts.PNG_DPI,
                          metadata={"Software": None},
                          pil_kwargs={"compress_level": charts.PNG_COMPRESS_LEVEL})  # fmt: skip
        reference.set_layout_engine("none")
        reference.savefig(tmp_path / "ref.svg", metadata={"Date": None})
    plt.close(reference)
    with style.house_style():
        saved = charts._save(draw(), tmp_path, key, "")
    assert saved.png.read_bytes() == (tmp_path / "ref.png").read_bytes()

    def ids(path):  # matplotlib names clip paths, markers and hatches at random
        return re.sub(r"\b(p|m|h|image)[0-9a-f]{10}\b", "", path.read_text("utf-8"))

    assert ids(saved.svg) == ids(tmp_path / "ref.svg")
    # A figure on another canvas (MPLBACKEND=svg) is drawn on Agg, and keeps its canvas.
    with style.house_style():
        fig = draw()
        own = FigureCanvasSVG(fig)
        charts._write_png(fig, tmp_path / "svg_canvas.png")
    assert fig.canvas is own
    assert (tmp_path / "svg_canvas.png").read_bytes() == saved.png.read_bytes()
    plt.close(fig)


def test_ranked_units_are_worked_out_once_while_charts_are_drawn_and_copied_each_time():
    figures = small_figures()
    args = (figures.coverage, charts.COLLAPSE_SINGLE, figures.ranking)
    expected = charts._ranked_units(*args)
    with charts._one_ranking():
        first = charts.ranked_units(*args)
        first.loc[:, "label"] = "改过"  # a caller's change stays its own
        pd.testing.assert_frame_equal(charts.ranked_units(*args), expected)
        assert charts._LAST_RANKED  # kept while drawing
        # Other tables (or no ranking given) are ranked afresh.
        other = small_figures().coverage.assign(units_covered=0, unit_coverage=0.0)
        pd.testing.assert_frame_equal(
            charts.ranked_units(other, charts.COLLAPSE_SINGLE),
            charts._ranked_units(other, charts.COLLAPSE_SINGLE, None),
        )
    assert not charts._LAST_RANKED  # nothing kept once drawn: a table may change
    figures.coverage.loc[figures.coverage["group"] == CY, "unit_coverage"] = 0.0
    changed = charts.ranked_units(*args)
    pd.testing.assert_frame_equal(changed, charts._ranked_units(*args))


def test_many_single_union_direct_units_fold_into_one_bar():
    direct = [(f"北京直属{i}公司工会", 1, i % 2) for i in range(6)]  # 3 of 6 covered
    coverage = _coverage(
        [
            ("district", None, "全区", 10, 6, 100, 60, 6, 60),
            ("kind", "town", "town", 4, 3, 40, 30, 3, 30),
            ("kind", "direct", "direct", 6, 3, 60, 30, 3, 30),
            ("reporting_unit", "town", CY, 4, 3, 40, 30, 3, 30),
        ]
        + [("reporting_unit", "direct", g, t, c, 10, 10 * c, c, 10 * c) for g, t, c in direct]
    )
    with style.house_style():
        ax = charts.unit_coverage_bars(coverage)
    assert [t.get_text() for t in ax.get_yticklabels()] == [CY, "直属基层工会合计"]
    assert _bar_widths(ax) == [0.75, 0.5]
    assert "直属（6家）" in _texts(ax)


def test_chart_figure_draws_chinese_outside_the_house_style(tmp_path):
    fig = charts.chart_figure(small_figures(), "01_unit_coverage")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a missing glyph fails the test
        fig.savefig(tmp_path / "chart.png")
    assert fig.get_suptitle() == "全区基层工会覆盖率达55.6%，直属领先、系统偏低"


def test_reporting_status_by_kind_shows_shares_and_counts(figures):
    with style.house_style():
        ax = charts.reporting_status_bars(figures.status, figures.campaign, "r2", by="kind")
    # r2: 乡镇 2 on time of 2; 系统 1 missing of 1; 直属 1 late of 1
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "乡镇（2个）",
        "系统（1个）",
        "直属（1个）",
    ]
    assert _bar_widths(ax) == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0, 0, 0, 0.0, 1.0, 0.0, 0, 0, 0]
    assert [t for t in _texts(ax) if t.startswith("报送率")] == [
        "报送率100%",
        "报送率0%",
        "报送率100%",
    ]


def test_one_unit_missing_of_two_hundred_is_not_a_full_report(figures):
    """199 of 200 towns in: 99.5%, never "报送率100%" beside "1个单位未报送"."""
    status = pd.DataFrame({
        "reporting_unit": [f"第{k}镇总工会" for k in range(200)], "kind": "town",
        "round": "r2", "status": ["on_time"] * 199 + ["missing"], "submitted": [True] * 199 + [False],
        "on_time": [True] * 199 + [False], "report_date": None, "file": "",
    })  # fmt: skip
    finding = charts.reporting_status_finding(status, figures.campaign, "r2")
    assert finding == "第二阶段报送率99.5%，按时报送率99.5%，1个单位未报送"
    with style.house_style():
        ax = charts.reporting_status_bars(status, figures.campaign, "r2", by="kind")
    assert [t for t in _texts(ax) if t.startswith("报送率")] == ["报送率99.5%"]


def test_reporting_status_by_kind_before_the_deadline_gives_no_rate_even_to_a_full_kind(
    figures,
):
    """Before r2's deadline (the system's unit not in yet) a kind all in shows its count,
    as the others do, not a rate that the others cannot have yet."""
    status = figures.status.copy()
    waiting = (status["round"] == "r2") & (status["status"] == "missing")
    status.loc[waiting, "status"] = "pending"
    with style.house_style():
        ax = charts.reporting_status_bars(status, figures.campaign, "r2", by="kind")
    labels = [t for t in _texts(ax) if t.startswith(("报送率", "已报送"))]
    assert labels == ["已报送2个", "已报送0个", "已报送1个"]


@pytest.mark.parametrize("by", ["round", "kind"])
def test_reporting_status_before_any_round_has_started_says_so(figures, by):
    import warnings

    nothing = figures.status.iloc[:0]
    with style.house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's English warning reached the terminal
        ax = charts.reporting_status_bars(nothing, figures.campaign, "r1", by=by)
    assert "统计截止日期前还没有开始的报送期次" in _texts(ax)


@pytest.mark.parametrize(
    ("district", "town", "system", "expected"),
    [
        ([0.0, 0.0], [0.0, 0.0], [0.0, 0.0], "截至9月29日尚无基层工会开展活动"),
        ([0.1, 0.5], [0.2, 0.6], [0.1, 0.4], "覆盖率逐步攀升，截至9月29日全区达50.0%，乡镇领先"),
        ([0.5, 0.5], [0.5, 0.5], [0.5, 0.5], "截至9月29日全区达50.0%"),  # flat, kinds tied
    ],
)
def test_coverage_curve_finding_claims_only_what_the_data_show(district, town, system, expected):
    dates = pd.to_datetime(["2019-06-02", "2019-09-29"])
    curve = pd.DataFrame(
        [("district", "", "全区", d, v) for d, v in zip(dates, district, strict=True)]
        + [("kind", "town", "town", d, v) for d, v in zip(dates, town, strict=True)]
        + [("kind", "system", "system", d, v) for d, v in zip(dates, system, strict=True)],
        columns=["level", "kind", "group", "date", "unit_coverage"],
    )
    assert charts.coverage_curve_finding(curve) == expected


def test_deck_draws_chart_01_one_panel_per_slide(figures, tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "PNG_DPI", 30)
    files = charts.render_all(figures, tmp_path / "charts")
    # Four units fit one panel: the deck uses the charts as drawn.
    assert charts.deck_charts(figures, files, tmp_path / "slides") == files
    # Two panels (as 61 units make): chart 01 becomes two slides, each one panel.
    monkeypatch.setattr(charts, "_panels", lambda f: [slice(0, 2), slice(2, 4)])
    deck = charts.deck_charts(figures, files, tmp_path / "slides")
    assert [c.key for c in deck] == [
        "01_unit_coverage_1", "01_unit_coverage_2", *[c.key for c in files[1:]]
    ]  # fmt: skip
    finding = files[0].title
    assert [c.title for c in deck[:2]] == [f"{finding}（1/2）", f"{finding}（2/2）"]
    assert all(c.png.exists() and c.png.parent == tmp_path / "slides" for c in deck[:2])


def test_coverage_curve_past_the_campaign_keeps_its_end_labels(figures):
    """An as-of date after the campaign: the lines run to it, and so does the axis."""
    curve = figures.curve.copy()
    late = curve.loc[curve["date"] == curve["date"].max()].assign(date=pd.Timestamp("2020-03-01"))
    with style.house_style():
        ax = charts.coverage_curve(pd.concat([curve, late]), figures.campaign)
    labels = [a for a in ax.texts if a.get_text().startswith("全区 ")]
    (label,) = labels
    assert ax.get_xlim()[1] > mdates.date2num(pd.Timestamp("2020-03-01"))
    assert label.xy[0] == pd.Timestamp("2020-03-01")


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([0.5, 0.2], "“学习”覆盖面最广（全区50.0%），“宣讲培训”最弱（20.0%）"),
        ([0.0, 0.0, 0.0], "各项工作尚无基层工会开展"),  # before any activity: nothing is "widest"
        ([0.3, 0.3, 0.3], "各项工作覆盖面相同（全区均为30.0%）"),
        # Ties named together, as the tables show the figures (one decimal).
        (
            [0.57, 0.0, 0.0, 0.0],
            "“学习”覆盖面最广（全区57.0%），“宣讲培训”“宣传”“落实”并列最弱（0.0%）",
        ),
        ([0.5, 0.5004, 0.1], "“学习”“宣讲培训”并列覆盖面最广（全区50.0%），“宣传”最弱（10.0%）"),
        # 3.3%, 2.9%, 2.7%: about 3% on the bars, but no tie.
        ([0.033, 0.029, 0.027], "“学习”覆盖面最广（全区3.3%），“宣传”最弱（2.7%）"),
    ],
)
def test_work_item_finding_claims_only_what_the_data_show(figures, shares, expected):
    codes = [w.code for w in figures.campaign.work_items][: len(shares)]
    by_item = pd.DataFrame({"level": "district", "work_item": codes, "unit_coverage": shares})
    assert charts.work_item_finding(by_item, figures.campaign) == expected


def test_participation_finding_before_any_participant_ranks_no_kind(figures):
    nobody = figures.coverage.assign(participants=0, participants_per_100=0.0)
    assert charts.participation_finding(nobody) == "尚无参加活动的人次"
    tied = figures.coverage.assign(participants_per_100=50.0)
    assert charts.participation_finding(tied) == "全区每百名会员参加活动50人次"


def test_reporting_chart_notes_the_status_date_and_new_coverage_the_rounds_end():
    """Chart 04 is about reports: its note says the status date; chart 06 of a round that
    ended before the as-of date says the round's end; coverage charts the as-of date."""
    from dataclasses import replace

    f = replace(small_figures(), status_date=dt.date(2019, 10, 12))
    notes = {}
    with style.house_style():
        for key in ("01_unit_coverage", "04_reporting_status", "06_new_coverage"):
            _, fig = charts.CHARTS[key](f)
            notes[key] = fig._supxlabel.get_text()
            plt.close(fig)
    assert notes["01_unit_coverage"] == "数据来源：各单位报送表；统计截至2019年9月30日"
    assert notes["04_reporting_status"] == "数据来源：各单位报送表；报送情况截至2019年10月12日"
    assert notes["06_new_coverage"] == "数据来源：各单位报送表；统计截至2019年9月30日"
    cut = replace(f, as_of=dt.date(2019, 12, 31), round_cut=dt.date(2019, 9, 30))
    assert cut.round_note == "数据来源：各单位报送表；统计截至2019年9月30日（第二阶段末）"


def test_new_coverage_bar_labels_keep_half_points_as_the_table_does(figures):
    """1 of 8 unions is 12.5 points: “+12.5”, not Python's half-even “+12”; 0.3, not “+0”."""
    ranking = figures.ranking.copy()
    ranking.loc[ranking["group"] == CY, "change"] = 12.5
    ranking.loc[ranking["group"] == YF, "change"] = 0.3
    with style.house_style():
        ax = charts.new_coverage_bars(ranking, round_name="第二阶段")
    texts = _texts(ax)
    assert "+2家（覆盖率+12.5个百分点）" in texts
    assert "+1家（覆盖率+0.3个百分点）" in texts


def _curve(rows: dict[str, list[float]], dates: list[str]) -> pd.DataFrame:
    """A cumulative curve: {kind or "district": coverage per date} (NaN: no units)."""
    return pd.DataFrame(
        [
            ("district" if k == "district" else "kind", "" if k == "district" else k,
             "全区" if k == "district" else k, pd.Timestamp(d), v)
            for k, values in rows.items()
            for d, v in zip(dates, values, strict=True)
        ],
        columns=["level", "kind", "group", "date", "unit_coverage"],
    )  # fmt: skip


def _end_labels(ax) -> dict[str, float]:
    """The curve's end labels: text -> the height (data units) it is drawn at."""
    return {a.get_text(): a.xyann[1] for a in ax.texts if a.get_text().endswith("%")}


def test_coverage_curve_leaves_out_kinds_without_units_and_keeps_labels_within_100(figures):
    """Kinds absent from the roster (NaN coverage) get no line and no label; labels of a
    district all at 100% stack downwards from 100%, and the axis tops at 100%."""
    nan = float("nan")
    curve = _curve(
        {
            "district": [0.5, 1.0], "town": [0.6, 1.0], "street": [0.5, 1.0],
            "system": [0.7, 1.0], "yanshan": [nan, nan], "zone": [nan, nan],
            "direct": [nan, nan],
        },
        ["2019-05-12", "2019-05-19"],
    )  # fmt: skip
    with style.house_style():
        ax = charts.coverage_curve(curve, figures.campaign)
    labels = _end_labels(ax)
    assert set(labels) == {"全区 100%", "乡镇 100%", "街道 100%", "系统 100%"}
    assert len([line for line in ax.lines if line.get_linestyle() == "-"]) == 4
    assert all(0 <= y <= 1.05 for y in labels.values())
    assert labels["全区 100%"] >= 0.95  # near its value, not pushed to 133%
    heights = sorted(labels.values())
    assert all(b - a >= 0.04 for a, b in zip(heights, heights[1:], strict=False))
    assert ax.get_ylim()[1] <= 1.1


def test_place_end_labels_shifts_a_full_stack_down_and_keeps_others_at_their_value():
    assert charts.place_end_labels([0.3, 0.6]) == [0.3, 0.6]
    top = charts.place_end_labels([1.0, 1.0, 1.0], gap=0.05)
    assert max(top) == 1.0 and sorted(round(y, 4) for y in top) == [0.9, 0.95, 1.0]
    assert charts.place_end_labels([0.0])[0] > 0  # clear of the x axis
    # Three labels at 33-35% stack around their values, not all above them.
    near = charts.place_end_labels([0.35, 0.34, 0.34, 0.33], gap=0.045)
    assert min(near) < 0.33 < 0.35 < max(near)
    assert all(abs(y - v) <= 0.08 for y, v in zip(near, [0.35, 0.34, 0.34, 0.33], strict=True))


def test_coverage_curve_marks_a_line_of_one_point(figures):
    """All activities in one week: one point per line, each drawn as a visible mark."""
    curve = _curve({"district": [0.1], "town": [0.2], "system": [0.0]}, ["2019-05-12"])
    with style.house_style():
        ax = charts.coverage_curve(curve, figures.campaign)
    lines = [line for line in ax.lines if len(line.get_xdata()) == 1 and line.get_marker()]
    assert len(lines) == 3
    assert all(line.get_marker() not in ("None", "", None) for line in lines)
    assert all(line.get_markersize() >= 4 for line in lines)


def _tick_values(axis) -> list[float]:
    """The major tick values the axis shows (inside its limits)."""
    lo, hi = sorted(axis.get_view_interval())
    return [v for v in axis.get_majorticklocs() if lo - 1e-9 <= v <= hi + 1e-9]


@pytest.mark.parametrize("case", ["new_few", "new_none", "participation_none"])
def test_count_axes_tick_whole_numbers(figures, case):
    """Counts of unions (家) and of participants (人次) have no fractional ticks, also
    with a handful of new unions or none at all."""
    with style.house_style():
        if case == "new_few":
            ax = charts.new_coverage_bars(figures.ranking, round_name="第二阶段")  # 2 and 1
        elif case == "new_none":
            ranking = figures.ranking.assign(units_covered_new=0)
            ax = charts.new_coverage_bars(ranking, round_name="第二阶段")
        else:
            nobody = figures.coverage.assign(participants=0, participants_per_100=0.0)
            ax = charts.participation_bars(nobody)
        ax.get_figure().canvas.draw()
    ticks = _tick_values(ax.xaxis)
    assert len(ticks) >= 2
    assert all(float(v).is_integer() for v in ticks)
    assert all("." not in t.get_text() for t in ax.get_xticklabels() if t.get_text())


def _renamed(figures: Figures, old: str, new: str) -> Figures:
    """`figures` with reporting unit `old` called `new` everywhere the charts read it."""
    from dataclasses import replace

    def rename(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.replace({"group": {old: new}})

    return replace(
        figures,
        coverage=rename(figures.coverage),
        ranking=rename(figures.ranking),
        by_item=rename(figures.by_item),
    )


def test_characters_the_font_cannot_draw_are_left_out_of_labels_and_titles(figures):
    """A unit named with an emoji: charts 01, 03 and 06 label it (and 06 titles with it)
    without the emoji, and no English 'Glyph ... missing' warning reaches the console."""
    emoji = "星城😀街道总工会"
    shown = "星城街道总工会"
    assert style.drawable(emoji) == shown
    assert style.drawable("𠮷祥镇总工会") == "𠮷祥镇总工会"  # the font has this one
    f = _renamed(figures, CY, emoji)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 128512 ... missing" fails the test
        with style.house_style():
            for key in ("01_unit_coverage", "03_work_items", "06_new_coverage"):
                title, fig = charts.CHARTS[key](f)
                fig.canvas.draw()
                texts = [t.get_text() for t in fig.findobj(plt.matplotlib.text.Text)]
                assert not any("😀" in t for t in texts), key
                ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
                assert shown in ticks, key
                plt.close(fig)
            assert "😀" in title  # the finding itself keeps the data's name (alt text)
            headline = charts.new_coverage_bars(f.ranking, round_name="第二阶段")
            assert headline.get_title(loc="left").startswith(
                "第二阶段新增覆盖基层工会3家，星城街道"
            )


def test_a_name_holding_dollar_signs_is_drawn_as_typed_not_as_tex(figures, tmp_path):
    """matplotlib reads text between two "$" as TeX: a unit named so was drawn as a
    formula, or stopped the briefing with an English ParseSyntaxException. Chart text
    is text: the name is drawn as typed, in the files and in a notebook's figure."""
    name = r"长阳$\frac{1}$镇总工会"
    f = _renamed(figures, CY, name)
    files = charts.render_all(f, tmp_path, ["01_unit_coverage", "06_new_coverage"])
    for chart in files:
        assert name in chart.svg.read_text("utf-8"), chart.key
    fig = charts.chart_figure(f, "03_work_items")
    fig.savefig(tmp_path / "notebook.svg")  # drawn outside the house style, as a notebook does
    assert name in (tmp_path / "notebook.svg").read_text("utf-8")


LONG = "北京市房山区第35号超长名称示范街道联合总工会委员会"  # 27 characters, a real roster name


def test_a_long_title_is_wrapped_after_its_comma_to_fit_the_figure(figures):
    """Chart 06 led by a unit with a long name: its headline (and the title of the chart
    drawn alone) breaks after the comma and ends inside the figure."""
    from dataclasses import replace

    f = replace(_renamed(figures, CY, LONG), previous=None)  # "活动开展以来": the longer
    finding = f"活动开展以来新增覆盖基层工会3家，{LONG}新增最多（2家）"
    with style.house_style():
        _, fig = charts.CHARTS["06_new_coverage"](f)
        _, ax = plt.subplots(figsize=(9.6, 5.4))  # the chart drawn alone, on a smaller figure
        charts.new_coverage_bars(f.ranking, ax=ax, round_name="活动开展以来")
        for title in (fig.get_suptitle(), ax.get_title(loc="left")):
            assert title == finding.replace("，", "，\n", 1)
        for figure, text in ((fig, fig._suptitle), (ax.get_figure(), ax._left_title)):
            figure.canvas.draw()
            box = text.get_window_extent()
            assert box.x0 >= 0 and box.x1 <= figure.bbox.width


def test_fit_width_shrinks_a_title_two_lines_cannot_hold():
    """No comma and far too long: two lines (after a listed name when that reads), then
    smaller, still inside the figure."""
    with style.house_style():
        fig = plt.figure(figsize=(6, 3))
        names = "、".join([LONG] * 3) + "并列新增最多"
        text = charts.set_title(fig, names, x=0.01, ha="left", fontsize=20)
        fig.canvas.draw()
        assert text.get_text().count("\n") == 1
        assert text.get_text().replace("\n", "") == names
        assert text.get_fontsize() < 20
        assert text.get_window_extent().x1 <= fig.bbox.width
        short = charts.set_title(fig, "全区覆盖率达55.6%", x=0.01, ha="left")
        assert short.get_text() == "全区覆盖率达55.6%" and "\n" not in short.get_text()
