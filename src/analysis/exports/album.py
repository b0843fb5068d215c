"""Photos in the briefing: the 图片选登 slides and the 图片汇编 (HTML and Word).

Every copy written is made from pixels only (`photos.clean_copy`): upright (EXIF
orientation applied), resized, and without EXIF, GPS or any other metadata. Photos
are chosen from `current` materials (a duplicate is never shown twice), taking
units in turn so that the slides show as many units as possible.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.campaign import Limits
from analysis.materials.intake import MaterialReader
from analysis.materials.photos import PhotoError, clean_copy, jpeg_bytes
from analysis.model import MaterialState

EA_FONT_DOCX = "仿宋"
TITLE_FONT_DOCX = "方正小标宋简体"
FONT_PPTX = "Microsoft YaHei"
SLIDE_PHOTOS = (6, 9)  # at least, at most, across the photo slides


@dataclass(frozen=True)
class Photo:
    """A clean copy of one photo with its caption."""

    file: str
    reporting_unit: str
    taken_date: str
    jpeg: bytes
    width: int
    height: int

    @property
    def caption(self) -> str:
        date = _cn_date(self.taken_date)
        return f"{self.reporting_unit}　{date}" if date else self.reporting_unit


def _cn_date(iso: str) -> str:
    if not iso:
        return ""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日"


def _current(frame: pd.DataFrame, round_code: str | None) -> pd.Series:
    """Which rows of materials (blanks filled) are current photos (of `round_code`, if given)."""
    keep = (frame["material"] == "photo") & (frame["state"] == MaterialState.CURRENT)
    if round_code is not None:
        keep &= frame["round"] == round_code
    return keep


def current_photos(materials: pd.DataFrame, round_code: str | None = None) -> pd.DataFrame:
    """Placed, current photos in path order (this round's only when `round_code` is given)."""
    frame = materials.fillna("")
    keep = _current(frame, round_code) & (frame["reporting_unit"] != "")
    return frame.loc[keep].sort_values("file", kind="stable")


def choose_across_units(photos: pd.DataFrame, count: int) -> pd.DataFrame:
    """Up to `count` photos taking units in turn (unit order, then each unit's path order)."""
    queues = {u: list(g.index) for u, g in photos.groupby("reporting_unit", sort=True)}
    chosen: list = []
    while len(chosen) < count and any(queues.values()):
        for unit in list(queues):
            if queues[unit] and len(chosen) < count:
                chosen.append(queues[unit].pop(0))
    return photos.loc[chosen]


def load_photos(
    rows: pd.DataFrame, raw_dir: Path, limits: Limits, max_side: int = 1600
) -> list[Photo]:
    """Clean copies of the photos in `rows` (unreadable ones are left out)."""
    reader = MaterialReader(raw_dir, limits)
    out = []
    for record in rows.itertuples(index=False):
        data = reader.read(record.file)
        if not data:
            continue
        try:
            image = clean_copy(data, max_side=max_side)
        except PhotoError:
            continue
        out.append(Photo(record.file, record.reporting_unit, record.taken_date, jpeg_bytes(image),
                         image.width, image.height))  # fmt: skip
    return out


# --------------------------------------------------------------------------- slides


def _set_font(run, size: float, bold: bool = False, color=None) -> None:
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color or RGBColor(0x26, 0x26, 0x26)
    run.font.name = FONT_PPTX
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = etree.SubElement(rpr, qn("a:ea"))
        rpr.find(qn("a:latin")).addnext(ea)
    ea.set("typeface", FONT_PPTX)


def add_photo_slides(deck, photos: list[Photo], note: str = "") -> int:
    """Append one or two "图片选登" slides (3 x 2 photos each) to `deck` (a python-pptx
    Presentation being written); returns the slides added."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches

    if len(photos) < 1:
        return 0
    width, height = deck.slide_width, deck.slide_height
    pages = [photos[:6], photos[6:9]] if len(photos) > 6 else [photos]
    cols, rows = 3, 2
    margin, gap, top = Inches(0.5), Inches(0.25), Inches(1.25)
    cell_w = (width - 2 * margin - (cols - 1) * gap) // cols
    cell_h = (height - top - Inches(0.55) - (rows - 1) * gap) // rows
    caption_h = Inches(0.4)
    for n, page in enumerate(pages, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = (
            Inches(0.5),
            Inches(0.3),
            width - Inches(1),
            Inches(0.8),
        )
        frame = title.text_frame
        frame.clear()
        text = "图片选登" + (f"（{n}）" if len(pages) > 1 else "")
        run = frame.paragraphs[0].add_run()
        run.text = text
        _set_font(run, 28, bold=True)
        for i, photo in enumerate(page):
            r, c = divmod(i, cols)
            left = margin + c * (cell_w + gap)
            cell_top = top + r * (cell_h + gap)
            box_h = cell_h - caption_h
            scale = min(cell_w / photo.width, box_h / photo.height)
            pic_w, pic_h = int(photo.width * scale), int(photo.height * scale)
            slide.shapes.add_picture(io.BytesIO(photo.jpeg), Emu(left + (cell_w - pic_w) // 2),
                                     Emu(cell_top + (box_h - pic_h) // 2), Emu(pic_w), Emu(pic_h))  # fmt: skip
            box = slide.shapes.add_textbox(Emu(left), Emu(cell_top + box_h), Emu(cell_w), caption_h)
            paragraph = box.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.CENTER
            cap = paragraph.add_run()
            cap.text = photo.caption
            _set_font(cap, 12)
        if note:
            box = slide.shapes.add_textbox(
                margin, height - Inches(0.5), width - 2 * margin, Inches(0.35)
            )
            small = box.text_frame.paragraphs[0].add_run()
            small.text = note
            _set_font(small, 10, color=RGBColor(0x75, 0x75, 0x75))
    return len(pages)


# --------------------------------------------------------------------------- album


def _grouped(photos: list[Photo]) -> dict[str, list[Photo]]:
    groups: dict[str, list[Photo]] = {}
    for photo in photos:
        groups.setdefault(photo.reporting_unit, []).append(photo)
    return dict(sorted(groups.items()))


def _left_out(materials: pd.DataFrame, round_code: str | None, placed: int, shown: int) -> str:
    """'另有2张图片…未收入本汇编…' for the photos received but not in the album ('' if none)."""
    frame = materials.fillna("")
    unplaced = int((_current(frame, round_code) & (frame["reporting_unit"] == "")).sum())
    unreadable = placed - shown
    parts = [f"{unplaced}张未能确定报送单位"] if unplaced else []
    parts += [f"{unreadable}张无法打开"] if unreadable else []
    if not parts:
        return ""
    return f"另有图片{'、'.join(parts)}，未收入本汇编，见通报表“资料清单”。"


def album_html(photos: list[Photo], path: Path, title: str, note: str = "") -> Path:
    """图片汇编.html: photos grouped by reporting unit, captioned, images inlined."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;"
        "margin:2em;color:#262626}h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:2px solid #c0272d;"
        "padding-bottom:.2em;margin-top:1.6em}.grid{display:flex;flex-wrap:wrap;gap:1em}"
        "figure{margin:0;width:31%}img{width:100%;height:auto}figcaption{text-align:center;"
        "font-size:.9em;color:#555}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *([f"<p>{html.escape(note)}</p>"] if note else []),
    ]
    for unit, group in _grouped(photos).items():
        parts.append(f'<h2>{html.escape(unit)}（{len(group)}张）</h2><div class="grid">')
        for photo in group:
            data = base64.b64encode(photo.jpeg).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/jpeg;base64,{data}" alt="{html.escape(photo.caption)}">'
                f"<figcaption>{html.escape(photo.caption)}</figcaption></figure>"
            )
        parts.append("</div>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _docx_font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def album_docx(photos: list[Photo], path: Path, title: str, note: str = "") -> Path:
    """图片汇编.docx: a title, then per reporting unit a heading and its photos, two per row."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(heading.add_run(title), TITLE_FONT_DOCX, 20)
    if note:
        _docx_font(document.add_paragraph().add_run(note), EA_FONT_DOCX, 12)
    column_width = Cm(7.8)
    for unit, group in _grouped(photos).items():
        para = document.add_paragraph()
        _docx_font(para.add_run(f"{unit}（{len(group)}张）"), "黑体", 14, bold=True)
        table = document.add_table(rows=0, cols=2)
        for start in range(0, len(group), 2):
            cells = table.add_row().cells
            for cell, photo in zip(cells, group[start : start + 2], strict=False):
                picture = cell.paragraphs[0]
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.add_run().add_picture(io.BytesIO(photo.jpeg), width=column_width)
                caption = cell.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _docx_font(caption.add_run(photo.caption), EA_FONT_DOCX, 11)
    document.core_properties.title = title
    document.save(str(path))
    return path


def write_album(materials: pd.DataFrame, raw_dir: Path, limits: Limits, folder: Path,
                title: str, round_code: str | None = None) -> list[Path]:  # fmt: skip
    """图片汇编.html and .docx into `folder` (nothing when no placed photo was received)."""
    placed = current_photos(materials, round_code)
    photos = load_photos(placed, raw_dir, limits, max_side=1200)
    if not photos:
        return []
    note = _left_out(materials, round_code, len(placed), len(photos))
    return [album_html(photos, folder / "图片汇编.html", title, note),
            album_docx(photos, folder / "图片汇编.docx", title, note)]  # fmt: skip


def slide_photos(materials: pd.DataFrame, raw_dir: Path, limits: Limits,
                 round_code: str | None = None) -> list[Photo]:  # fmt: skip
    """6–9 distinct photos across units for the deck (this round's first, then earlier ones)."""
    pool = current_photos(materials, round_code)
    if len(pool) < SLIDE_PHOTOS[0] and round_code is not None:
        pool = current_photos(materials)
    chosen = choose_across_units(pool, SLIDE_PHOTOS[1])
    return load_photos(chosen, raw_dir, limits, max_side=1000)
