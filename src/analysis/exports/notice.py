"""情况通报.docx: the 通报 as a Word document in the layout of a Chinese official document.

Offices circulate a 通报 as a Word file the analyst can edit and send. The layout
follows the usual government document format (GB/T 9704): A4, margins 37/35/28/26 mm,
title in 小标宋 二号 (22 pt) centred, body in 仿宋 三号 (16 pt) with a fixed 28 pt
line spacing and a two-character first-line indent, level-1 headings in 黑体 三号
("一、…"), tables in 仿宋 小四, page numbers "— N —" in the footer.

python-docx's `font.name` sets only the Latin typeface: every run here also sets
`w:eastAsia` on its `w:rFonts` (pitfalls.md), so Word and WPS use 仿宋/黑体/小标宋
for the Chinese. Those fonts are not on Linux; a PDF rendered here uses a fallback.

Interface (plain data, no dependency on the briefing's figure types):

- `title`: the document title, e.g. "学习宣传贯彻…精神第二阶段情况通报";
- `as_of`: the date the coverage figures are counted to;
- `status_date`: the date the reports received are counted to (the reporting status,
  the 未报送 list); None: `as_of`;
- `sentences`: the generated prose (as `narrative.briefing_text` returns it);
- `key_figures`: a frame of display strings, one row per figure (columns as they
  should be headed, e.g. 指标 / 数值 / 较上期, as `briefing.key_figures_table(...)
  .reset_index()` gives);
- `kinds`: the coverage table's `district` and `kind` rows (contract columns:
  level, kind, group, units_total, units_covered, unit_coverage, member_coverage,
  activities, participants), as `briefing.kind_table(figures)` gives;
- `not_reported`: reporting units that have not reported (columns reporting_unit,
  kind), as `figures.not_reported` gives.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from analysis import config
from analysis.formats import fmt_pct

BODY_FONT = "仿宋_GB2312"
BODY_FONT_FALLBACK = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
TABLE_SIZE = 12  # 小四
FOOTER_SIZE = 14  # 四号
LINE_SPACING = 28
ADDRESSEES = "燕山总工会，各乡镇、街道总工会，良乡经济开发区工会，各委、局、公司及直属基层工会："
CHINESE_NUMERALS = "一二三四五六七八九十"
KIND_TABLE_HEADER = ("单位", "基层工会数", "已覆盖", "覆盖率", "会员覆盖率", "活动次数", "参加人次")


def set_run_font(run, name: str, size: float, bold: bool = False) -> None:
    """Size, weight and both typefaces of a run (Latin and East Asian `w:eastAsia`)."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT if name == BODY_FONT else name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(doc_or_cell, text: str, font: str = BODY_FONT, size: float = BODY_SIZE,
               bold: bool = False, align=None, indent: bool = False, exact: bool = True):  # fmt: skip
    paragraph = doc_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_SPACING)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    set_run_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _fmt_pct(value: object) -> str:
    number = pd.to_numeric(value, errors="coerce")
    return "—" if pd.isna(number) else fmt_pct(float(number))


def _fmt_count(value: object) -> str:
    number = pd.to_numeric(value, errors="coerce")
    return "—" if pd.isna(number) else f"{int(round(float(number)))}"


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def kinds_rows(kinds: pd.DataFrame) -> list[tuple[str, ...]]:
    """The per-kind table's rows as display text: 全区合计 first, then each kind."""
    order = {k: i for i, k in enumerate(config.KINDS)}
    district = kinds.loc[kinds["level"] == "district"]
    by_kind = kinds.loc[kinds["level"] == "kind"]
    by_kind = by_kind.assign(_o=by_kind["group"].map(order)).sort_values("_o", kind="stable")
    rows = []
    for record in [*district.to_dict("records"), *by_kind.to_dict("records")]:
        if record["level"] == "district":
            label = "全区合计"
        else:
            label = config.KIND_LONG_NAMES.get(record["group"], str(record["group"]))
        rows.append(
            (
                label,
                _fmt_count(record["units_total"]),
                _fmt_count(record["units_covered"]),
                _fmt_pct(record["unit_coverage"]),
                _fmt_pct(record["member_coverage"]),
                _fmt_count(record["activities"]),
                _fmt_count(record["participants"]),
            )
        )
    return rows


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


TEXT_WIDTH_MM = 156  # A4 minus the 28 mm and 26 mm side margins
KEEP_TOGETHER_ROWS = 12


def _table(doc, header, rows, widths_mm: tuple[float, ...], left: tuple[int, ...] = ()) -> None:
    """A bordered table: header row repeated on every page, fixed column widths (mm);
    columns in `left` are left-aligned (names), the others centred (figures)."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(cell.paragraphs[0].add_run(str(text)), HEADING_FONT, TABLE_SIZE)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if j in left else WD_ALIGN_PARAGRAPH.CENTER
            )
            set_run_font(cell.paragraphs[0].add_run(text), BODY_FONT, TABLE_SIZE)
    if len(rows) <= KEEP_TOGETHER_ROWS:  # a short table is not split across pages
        for row in table.rows[:-1]:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    for j, width in enumerate(widths_mm):
        table.columns[j].width = Mm(width)
        for cell in table.columns[j].cells:
            cell.width = Mm(width)


def _page_number_footer(section) -> None:
    """'— N —' centred in the footer, N a PAGE field Word and WPS fill in."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(paragraph.add_run("— "), "宋体", FOOTER_SIZE)
    run = paragraph.add_run()
    set_run_font(run, "宋体", FOOTER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    set_run_font(paragraph.add_run(" —"), "宋体", FOOTER_SIZE)


def _set_default_fonts(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)


def _fmt_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def write_notice(
    path: Path,
    *,
    title: str,
    as_of: dt.date,
    sentences: list[str],
    key_figures: pd.DataFrame,
    kinds: pd.DataFrame,
    not_reported: pd.DataFrame | None,
    not_yet_due: str = "",
    status_date: dt.date | None = None,
    issuer: str = config.DISTRICT_FEDERATION,
    issued: dt.date | None = None,
    addressees: str = ADDRESSEES,
    is_demo: bool = False,
) -> Path:
    """Write 情况通报.docx (see the module docstring for the inputs); returns `path`.

    `not_yet_due`: what the 未报送单位 section says when nobody has missed the round yet
    because its deadline has not come ('' otherwise).
    """
    doc = Document()
    _set_default_fonts(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _page_number_footer(section)

    demo = "（演示数据）" if is_demo else ""
    _paragraph(doc, title + demo, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
               exact=False)  # fmt: skip
    status_date = status_date or as_of
    dates = f"统计截至{_fmt_day(as_of)}"
    if status_date != as_of:
        dates += f"，报送情况截至{_fmt_day(status_date)}"
    _paragraph(doc, f"（{dates}）", BODY_FONT, BODY_SIZE,
               align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    _paragraph(doc, "")
    _paragraph(doc, addressees)

    sections = [("总体情况", None), ("主要数据", "key"), ("各类别情况", "kinds"),
                ("未报送单位", "missing")]  # fmt: skip
    for number, (heading, part) in enumerate(sections):
        head = _paragraph(doc, f"{CHINESE_NUMERALS[number]}、{heading}", HEADING_FONT, BODY_SIZE,
                          indent=True)  # fmt: skip
        head.paragraph_format.keep_with_next = True
        if part is None:
            for sentence in sentences:
                _paragraph(doc, sentence, indent=True)
        elif part == "key":
            header = [str(c) for c in key_figures.columns]
            rows = [tuple(_text(v) for v in r) for r in key_figures.itertuples(index=False)]
            rest = (TEXT_WIDTH_MM - 50) / max(len(header) - 1, 1)
            _table(doc, header, rows, (50, *[rest] * (len(header) - 1)), left=(0,))
        elif part == "kinds":
            _table(doc, KIND_TABLE_HEADER, kinds_rows(kinds), (36, 20, 18, 20, 22, 20, 20),
                   left=(0,))  # fmt: skip
        else:
            names = [] if not_reported is None else list(not_reported["reporting_unit"])
            if not names and not_yet_due:
                _paragraph(doc, not_yet_due, indent=True)
            elif not names:
                _paragraph(doc, "所有报送单位均已报送。", indent=True)
            else:
                _paragraph(doc, f"截至{_fmt_day(status_date)}，以下{len(names)}个单位尚未报送：",
                           indent=True)  # fmt: skip
                kinds_of = [] if not_reported is None else list(not_reported["kind"])
                _table(doc, ("序号", "单位", "类别"), [
                    (str(i), name, config.KIND_NAMES.get(str(k), _text(k)))
                    for i, (name, k) in enumerate(zip(names, kinds_of, strict=True), start=1)
                ], (16, 100, 40), left=(1,))  # fmt: skip
    _paragraph(doc, "")
    _paragraph(doc, "")
    _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _fmt_day(issued or dt.date.today()), align=WD_ALIGN_PARAGRAPH.RIGHT)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    return path
