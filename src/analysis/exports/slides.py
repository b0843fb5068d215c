"""The slide deck (16:9 .pptx): title, key figures, main points, one slide per chart.

python-pptx's `font.name` sets only the Latin typeface; every run here also gets
the East Asian typeface (`a:ea`), so PowerPoint and WPS show the Chinese in the
house font instead of picking their own (pitfalls.md). Pictures are PNGs placed
with an explicit width; the chart's own headline is cropped away because the
slide title states the same finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analysis.figures import Figures
from analysis.formats import fmt_date

if TYPE_CHECKING:
    from pptx.text.text import _Run

    from analysis.charts import ChartFile

FONT = "Microsoft YaHei"
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
RED = RGBColor(0xC0, 0x27, 0x2D)
DARK = RGBColor(0x26, 0x26, 0x26)
GREY = RGBColor(0x75, 0x75, 0x75)
BLANK_LAYOUT, TITLE_ONLY_LAYOUT = 6, 5


def set_font(run: _Run, size: float, bold: bool = False, color: RGBColor = DARK) -> None:
    """Size, weight, colour and both typefaces (Latin and East Asian) of one run."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = etree.SubElement(rpr, qn("a:ea"))
        latin = rpr.find(qn("a:latin"))
        latin.addnext(ea)  # schema order: latin, ea, cs
    ea.set("typeface", FONT)


def _text(frame, lines: list[tuple[str, float, bool, RGBColor]], align=PP_ALIGN.LEFT) -> None:
    """Fill a text frame with one paragraph per (text, size, bold, colour)."""
    frame.word_wrap = True
    for i, (text, size, bold, color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        set_font(run, size, bold, color)


def _title(slide, text: str, size: float = 28) -> None:
    """Put `text` in the slide's title placeholder, at the top across the slide.

    A long title is set smaller so that it stays on one line (a CJK character is about
    one em wide; the box is 12.3 in).
    """
    size = min(size, max(16.0, float(int(12.0 * 72 / max(len(text), 1)))))
    title = slide.shapes.title
    title.left, title.top = Inches(0.5), Inches(0.3)
    title.width, title.height = SLIDE_WIDTH - Inches(1.0), Inches(1.0)
    frame = title.text_frame
    frame.clear()
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _text(frame, [(text, size, True, DARK)])


def _box(slide, left, top, width, height, lines, align=PP_ALIGN.LEFT):
    shape = slide.shapes.add_textbox(left, top, width, height)
    _text(shape.text_frame, lines, align)
    return shape


def _organiser(figures: Figures) -> str:
    """'房山区总工会组宣部' from the campaign's organiser and department."""
    campaign = figures.campaign
    department = campaign.department.removeprefix("区总工会").removeprefix("区总")
    return f"{campaign.organiser}{department}" if campaign.organiser else campaign.department


def key_figures(figures: Figures) -> list[tuple[str, str, str]]:
    """(label, value, change since last round) for the six headline figures."""
    return figures.key_figures()


def write_deck(
    figures: Figures,
    charts: list[ChartFile],
    path: Path,
    sentences: list[str] | None = None,
    photos: list | None = None,
) -> Path:
    """Write the briefing deck to `path`: title, key figures, main points, one slide per
    chart, then the 图片选登 slides of `photos` (`exports.materials.deck_photos`) if any.

    `sentences` (the prose) is not put on a slide: slide 3 shows `figures.findings()`.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT

    # 1. Title slide.
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, figures.campaign.name, size=32)
    slide.shapes.title.top, slide.shapes.title.height = Inches(2.0), Inches(1.6)
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.CENTER
    demo = "（演示数据）" if figures.is_demo else ""
    _box(
        slide,
        Inches(0.5),
        Inches(3.8),
        SLIDE_WIDTH - Inches(1.0),
        Inches(2.5),
        [
            (f"{figures.round_name}情况通报{demo}", 26, True, RED),
            (_organiser(figures), 20, False, DARK),
            (figures.dates_line, 18, False, GREY),
        ],
        align=PP_ALIGN.CENTER,
    )

    # 2. Key figures.
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, f"主要数据（统计截至{fmt_date(figures.as_of)}）")
    # Three figures a row, two rows: coverage, members, participants; activities,
    # reporting, units not reported.
    figures_shown = key_figures(figures)
    per_row = 3
    width = (SLIDE_WIDTH - Inches(1.0)) / per_row
    for i, (label, value, change) in enumerate(figures_shown):
        _box(
            slide,
            Inches(0.5) + Emu(int(width * (i % per_row))),
            Inches(1.55) + Inches(2.55) * (i // per_row),
            Emu(int(width)),
            Inches(2.4),
            [(value, 44, True, RED), (label, 20, False, DARK), (change, 15, False, GREY)],
            align=PP_ALIGN.CENTER,
        )
    _box(
        slide,
        Inches(0.5),
        Inches(6.7),
        SLIDE_WIDTH - Inches(1.0),
        Inches(0.5),
        [(figures.dates_note, 12, False, GREY)],  # the reporting figures' date too
    )

    # 3. Main points: 3-5 findings, each its number large and one short sentence (the
    # full prose is in 情况通报.txt and the Word 通报).
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, "主要情况")
    findings = figures.findings()
    row = min(Inches(1.15), (SLIDE_HEIGHT - Inches(1.6)) / max(len(findings), 1))
    for i, (number, sentence) in enumerate(findings):
        top = Inches(1.45) + Emu(int(row * i))
        number_box = _box(slide, Inches(0.5), top, Inches(4.2), row, [(number, 40, True, RED)],
                          align=PP_ALIGN.RIGHT)  # fmt: skip
        text_box = _box(slide, Inches(4.9), top, SLIDE_WIDTH - Inches(5.4), row,
                        [(sentence, 24, False, DARK)])  # fmt: skip
        for shape in (number_box, text_box):
            shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE

    # 4. One slide per chart, the finding as its title.
    for chart in charts:
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
        _title(slide, chart.title, size=26)
        top, bottom = Inches(1.3), Inches(0.15)
        height = SLIDE_HEIGHT - top - bottom
        # The picture keeps 16:9 minus the cropped headline band.
        crop = chart.headline_fraction
        width = min(SLIDE_WIDTH - Inches(0.6), Emu(int(height / (1 - crop) * 16 / 9)))
        picture = slide.shapes.add_picture(
            str(chart.png), (SLIDE_WIDTH - width) // 2, top, width=width
        )
        if crop:
            picture.crop_top = crop
            picture.height = Emu(int(width * 9 / 16 * (1 - crop)))
    if photos:
        from analysis.exports import album

        album.add_photo_slides(prs, photos, note=figures.status_note)  # materials received
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path
