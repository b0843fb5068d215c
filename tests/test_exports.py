"""Exports: the deck, the 通报表 workbook and the HTML page, read back and checked
against the hand-made figures of test_charts.small_figures."""

from __future__ import annotations

import math
import zipfile

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.oxml.ns import qn
from test_charts import CY, JW, LL, YF, small_figures

from analysis import charts
from analysis.exports import display, html, slides, workbook
from analysis.labels import REASON_NAMES

CONTACT, PHONE = "王秀兰", "13800138000"


@pytest.fixture(scope="module")
def figures():
    figures = small_figures()
    # Personal data planted where a careless export could pick it up.
    figures.status = figures.status.assign(contact=CONTACT, phone=PHONE)
    return figures


@pytest.fixture(scope="module")
def chart_files(figures, tmp_path_factory):
    """Real charts at a low resolution (test_charts checks the 200 dpi files)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "PNG_DPI", 40)
        return charts.render_all(figures, tmp_path_factory.mktemp("charts"))


@pytest.fixture(scope="module")
def deck(figures, chart_files, tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "通报.pptx"
    return slides.write_deck(figures, chart_files, path)


@pytest.fixture(scope="module")
def xlsx(figures, tmp_path_factory):
    return workbook.write_workbook(figures, tmp_path_factory.mktemp("xlsx") / "通报表.xlsx")


def _slide_texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_deck_is_16_9_with_title_figures_points_and_one_slide_per_chart(deck, chart_files):
    prs = Presentation(str(deck))
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert len(prs.slides) == 3 + len(chart_files)
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles[0] == "学习宣传贯彻北京市工会第十四次代表大会精神"
    assert titles[1] == "主要数据（统计截至2019年9月30日）"
    assert titles[3:] == [c.title for c in chart_files]
    cover = " ".join(_slide_texts(prs.slides[0]))
    assert "第二阶段情况通报" in cover and "房山区总工会组宣部" in cover
    assert "统计截至2019年9月30日" in cover


def test_deck_key_figures_show_values_and_change(deck):
    texts = _slide_texts(Presentation(str(deck)).slides[1])
    # 5/9 units (2/9 before), 220/400 members (90/400), 400 participants (100), r2 75% (r1 50%)
    assert "55.6%\n基层工会覆盖率\n较上期提高33.3个百分点" in texts
    assert "55.0%\n会员覆盖率\n较上期提高32.5个百分点" in texts
    assert "400\n参加人次\n较上期增加300人次" in texts
    assert "75.0%\n本期报送率\n较上期提高25.0个百分点" in texts


def test_deck_every_run_has_east_asian_typeface(deck):
    prs = Presentation(str(deck))
    runs = [
        r
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
    ]
    assert len(runs) > 20
    for run in runs:
        ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == "Microsoft YaHei", run.text


def test_deck_chart_pictures_keep_aspect_and_fit_the_slide(deck, chart_files):
    prs = Presentation(str(deck))
    for slide, chart in zip(list(prs.slides)[3:], chart_files, strict=True):
        (picture,) = [s for s in slide.shapes if s.shape_type == 13]
        assert picture.left >= 0 and picture.left + picture.width <= prs.slide_width
        assert picture.top + picture.height <= prs.slide_height
        shown = picture.width / picture.height
        assert shown == pytest.approx(16 / 9 / (1 - chart.headline_fraction), rel=0.01)


def _sheet_rows(ws, first: int = 4) -> list[tuple]:
    return [
        r for r in ws.iter_rows(min_row=first, values_only=True) if any(v is not None for v in r)
    ]


def test_workbook_unit_rows_equal_the_coverage_table(figures, xlsx):
    ws = load_workbook(xlsx)["通报表"]
    header = [c.value for c in ws[3]]
    assert header == list(workbook.HEADER)
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in _sheet_rows(ws) if r[1]}
    cov = figures.coverage.set_index("group")
    for name in (CY, LL, JW, YF):
        row, src = rows[name], cov.loc[name]
        assert row["基层工会数"] == src["units_total"]
        assert row["已覆盖"] == src["units_covered"]
        assert row["覆盖率"] == pytest.approx(src["unit_coverage"])
        assert row["会员数"] == src["members_total"]
        assert row["覆盖会员"] == src["members_covered"]
        assert row["会员覆盖率"] == pytest.approx(src["member_coverage"])
        assert row["活动次数"] == src["activities"]
        assert row["参加人次"] == src["participants"]
        assert row["每百名会员参加人次"] == pytest.approx(src["participants_per_100"])
    assert rows[CY]["较上期变化"] == pytest.approx(50.0)  # 3/4 now, 1/4 before
    assert rows[CY]["类别内排名"] == 1 and rows[LL]["类别内排名"] == 2
    assert rows[JW]["本期报送状态"] == "未报送" and rows[YF]["本期报送状态"] == "逾期报送"


def test_workbook_groups_units_by_kind_with_subtotals_and_total(xlsx):
    ws = load_workbook(xlsx)["通报表"]
    names = [r[1] for r in _sheet_rows(ws) if r[1]]
    # The district total first (on the first printed page), then each kind and its subtotal.
    assert names[:8] == ["全区合计", CY, LL, "乡镇小计", JW, "系统小计", YF, "直属小计"]
    rows = {r[1]: r for r in _sheet_rows(ws) if r[1]}
    assert rows["乡镇小计"][3:5] == (6, 4) and rows["乡镇小计"][14] == "已报2/2个"
    total = rows["全区合计"]
    assert total[3:5] == (9, 5) and total[5] == pytest.approx(5 / 9)
    assert total[13] == pytest.approx((5 / 9 - 2 / 9) * 100)
    assert [r[0] for r in _sheet_rows(ws)][:8] == [None, 1, 2, None, 3, None, 4, None]


def test_workbook_title_formats_freeze_and_print_setup(xlsx):
    ws = load_workbook(xlsx)["通报表"]
    assert ws["A1"].value == "学习宣传贯彻北京市工会第十四次代表大会精神第二阶段情况通报表"
    assert "统计截至2019年9月30日" in ws["A2"].value
    assert ws.freeze_panes == "C5"  # the header and the district total stay in view
    assert ws["B4"].value == "全区合计"
    assert ws["F4"].number_format == "0.0%" and ws["I4"].number_format == "0.0%"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    # Shading is the figures' bands, written cell by cell: 区教委工会 (0%) alone is below
    # 50%; nobody reaches 80%; the direct union (100%) is not banded.
    assert not ws.conditional_formatting
    shaded = {r[1].value: r[5].fill.start_color.rgb for r in ws.iter_rows(min_row=4)
              if r[5].fill.fill_type and r[1].value and "计" not in r[1].value}  # fmt: skip
    assert shaded == {JW: "00FFC7CE"}
    assert ws.column_dimensions["B"].width >= 20


def test_text_width_fits_the_longest_name_cjk_counting_double():
    from analysis.exports.workbook import text_width

    assert text_width(["区教委工会", "abc", None]) == 5 * 2 + 3
    # 北京兴利印刷（集团）有限公司工会委员会: 19 wide characters (the brackets are full-width)
    assert text_width(["北京兴利印刷（集团）有限公司工会委员会"]) == 19 * 2 + 3


def test_workbook_name_column_fits_the_longest_name(figures, tmp_path):
    from dataclasses import replace

    from analysis.exports.workbook import MAX_NAME_WIDTH

    long_name = "北京兴利印刷（集团）有限公司工会委员会"
    ranking = figures.ranking.assign(group=figures.ranking["group"].replace(YF, long_name))
    path = workbook.write_workbook(replace(figures, ranking=ranking), tmp_path / "t.xlsx")
    ws = load_workbook(path)["通报表"]
    assert ws.column_dimensions["B"].width == 19 * 2 + 3 <= MAX_NAME_WIDTH


def test_workbook_lists_units_not_reported_and_unions_not_reached(xlsx):
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["通报表", "未报送单位", "未覆盖基层工会"]
    missing = _sheet_rows(wb["未报送单位"])
    assert missing == [(1, JW, "系统")]  # the round is in the sheet's title, not on every row
    assert wb["未报送单位"]["A1"].value.endswith("第二阶段未报送单位名单")
    reached = _sheet_rows(wb["未覆盖基层工会"])
    assert [r[1] for r in reached] == [
        "长阳镇卫生院工会",
        "琉璃河镇中心小学工会",
        "区教委机关工会",
        "房山区实验中学工会",
    ]
    assert reached[0] == (1, "长阳镇卫生院工会", CY, "乡镇", 60)


def _all_text_of_zip(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml")
        )


def test_no_contact_or_phone_in_any_export(deck, xlsx, chart_files):
    texts = [_all_text_of_zip(deck), _all_text_of_zip(xlsx)]
    texts += [c.svg.read_text("utf-8") for c in chart_files]
    for text in texts:
        assert CONTACT not in text and PHONE not in text
        assert "联系人" not in text and "联系电话" not in text


def test_display_renames_to_chinese_formats_percent_and_drops_personal_data(figures):
    shown = display(figures.status.head(1).assign(unit_coverage=0.5))
    assert list(shown.columns) == [
        "报送单位", "类别", "报送期次", "报送状态", "已报送", "按时", "填报日期", "文件", "覆盖率",
    ]  # fmt: skip
    assert shown.iloc[0]["类别"] == "乡镇" and shown.iloc[0]["报送状态"] == "按时报送"
    assert shown.iloc[0]["覆盖率"] == "50.0%"


def test_display_names_kind_rows_and_rounds(figures):
    shown = display(figures.coverage, campaign=figures.campaign)
    assert list(shown["单位"])[:4] == ["全区", "乡镇", "系统", "直属"]
    assert list(shown["层级"])[:2] == ["全区", "类别"]
    rounds = display(figures.rates, campaign=figures.campaign)
    assert list(rounds["报送期次"]) == ["第一阶段", "第二阶段"]


def test_notebook_html_has_outputs_but_no_code(tmp_path):
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("secret_code_marker = 1\nsecret_code_marker")
    code.outputs = [
        nbformat.v4.new_output(
            "execute_result", {"text/plain": "'全区覆盖率55.6%'"}, execution_count=1
        ),
        nbformat.v4.new_output("stream", name="stderr", text="a warning for developers"),
        nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo="}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# 通报"), code]
    src = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(src))
    page = html.notebook_html(src, tmp_path / "out.html").read_text("utf-8")
    assert "全区覆盖率55.6%" in page and "通报" in page
    assert "secret_code_marker" not in page
    assert "a warning for developers" not in page
    assert "data:image/png;base64,iVBORw0KGgo=" in page


def test_notebook_html_of_the_notebook_itself_is_that_of_its_file(tmp_path):
    # make briefing writes the page from the notebook papermill returns, not read back.
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("show()")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="第一行\n第二行\n"),
        nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo="},
                               metadata={"image/png": {"alt": "区教委覆盖率最高"}}),
    ]  # fmt: skip
    nb.cells = [nbformat.v4.new_markdown_cell("# 通报"), code]
    src = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(src))
    before = nbformat.writes(nb)
    from_file = html.notebook_html(src, tmp_path / "a.html", title="通报").read_text("utf-8")
    itself = html.notebook_html(nb, tmp_path / "b.html", title="通报").read_text("utf-8")
    assert itself == from_file
    assert nbformat.writes(nb) == before  # the notebook given is left as it was


def test_notebook_html_images_are_described_in_chinese(tmp_path):
    # show_chart gives each chart its finding as the description; nbconvert would
    # write one English sentence for every image.
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("show()")
    code.outputs = [
        nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo="},
                               metadata={"image/png": {"alt": "区教委覆盖率最高"}}),
        nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgp="}),
    ]  # fmt: skip
    nb.cells = [code]
    src = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(src))
    page = html.notebook_html(src, tmp_path / "out.html").read_text("utf-8")
    assert 'alt="区教委覆盖率最高"' in page and 'alt="图表"' in page
    assert "No description" not in page


def test_unit_table_total_reconciles_with_unit_rows(figures):
    table = workbook.unit_table(figures)
    units = table[table["row_type"] == "unit"]
    total = table[table["row_type"] == "total"].iloc[0]
    for column in ("units_total", "units_covered", "members_total", "activities", "participants"):
        assert units[column].sum() == total[column]
    assert not math.isnan(total["change"])
    assert isinstance(table, pd.DataFrame)


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("rejected_unit_unresolved", "未计入：基层工会名称未识别"),
        ("rejected_total_row", "未计入：合计行"),
        ("rejected_something_new", "未计入：something_new"),
        ("participants_per_100", "每百名会员参加人次"),
    ],
)
def test_display_labels_data_quality_columns_in_chinese(column, label):
    assert list(display(pd.DataFrame({column: [1]})).columns) == [label]


def test_sheets_added_later_print_on_a4_with_their_header_repeated(xlsx, tmp_path):
    from openpyxl import load_workbook as load

    book = load(xlsx)
    added = book.create_sheet("资料报送情况")
    for row in (
        ["报送单位", "期次", "报送情况", "图片（张）", "阶段性总结（份）"],
        [JW, "第二阶段", "只有表格", 0, 0],
    ):
        added.append(row)
    assert workbook.print_setup_added_sheets(book) == ["资料报送情况"]
    book.save(tmp_path / "t.xlsx")
    ws = load(tmp_path / "t.xlsx")["资料报送情况"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$1:$1"
    assert workbook.print_setup_added_sheets(book) == []  # the others were set up already


def test_display_puts_reasons_with_a_place_in_words():
    shown = display(pd.DataFrame({"reason": ["superseded:submissions/a.xlsx", "ok", None]}))
    assert shown.iloc[:, 0].tolist()[:2] == ["被“submissions/a.xlsx”替代", REASON_NAMES["ok"]]


def test_workbook_of_units_named_alike_but_for_a_control_character(tmp_path):
    """A roster with 区教委工会 and 区\\x01教委工会 (a name pasted from another system): two
    reporting units. Documents cannot hold \\x01; left out, both read 区教委工会 and the
    通报表 (which looks units up by name) stopped. The second is shown 区�教委工会."""
    from conftest import ROSTER_HEADER, write_xlsx
    from python_calamine import CalamineWorkbook

    from analysis import briefing

    raw = tmp_path / "raw"
    rows = [
        ROSTER_HEADER,
        [1, "区教委机关工会", "区教委工会", "系统", 50, 55, "C1"],
        [2, "区_x0001_教委工会", "", "直属", 20, 25, "D1"],  # as xlsx stores \x01
    ]
    write_xlsx(raw / "roster" / "名册.xlsx", rows)
    (raw / "submissions").mkdir()
    figures = briefing.load(raw, tmp_path / "out")
    path = workbook.write_workbook(figures, tmp_path / "通报表.xlsx")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("通报表").to_python()
    names = [row[1] for row in sheet if row[2] in ("系统", "直属") and row[0] != ""]
    assert sorted(names) == ["区教委工会", "区\ufffd教委工会"]
