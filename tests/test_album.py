"""Photos in the briefing: clean copies (upright, no EXIF/GPS), choice across units, slides, album."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from PIL import Image

from analysis.campaign import Limits
from analysis.exports import album
from analysis.materials import photos
from tests.fixtures import make_materials as mm


def _no_metadata(jpeg: bytes) -> bool:
    image = Image.open(io.BytesIO(jpeg))
    return (
        len(image.getexif()) == 0 and "exif" not in image.info and "icc_profile" not in image.info
    )


def test_clean_copy_is_upright_resized_and_has_no_exif_or_gps():
    source = mm.jpeg(
        mm.picture(1, size=(400, 300)), taken="2019:06:03 10:00:00", gps=True, orientation=6
    )
    original = Image.open(io.BytesIO(source))
    assert original.getexif().get_ifd(mm.GPS_IFD)  # the fixture really carries GPS
    copy = photos.clean_copy(source, max_side=200)
    assert copy.size == (150, 200)  # turned a quarter (orientation 6), then fitted in 200 px
    assert _no_metadata(photos.jpeg_bytes(copy))


def _encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _grey_scan(seed: int) -> Image.Image:
    """A 16-bit greyscale picture (mode I;16), as scanners and some phones export."""
    import numpy as np

    grey = np.asarray(mm.picture(seed, size=(160, 120)).convert("L")).astype("uint16") * 257
    return Image.fromarray(grey)


def _poster(mode: str) -> Image.Image:
    """A red disc on a transparent background, in `mode`."""
    from PIL import ImageDraw

    image = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([30, 10, 90, 70], fill=(220, 30, 30, 255))
    if mode == "P":
        return image.convert("P", palette=Image.Palette.ADAPTIVE, colors=8)  # keeps transparency
    if mode == "LA":
        return image.convert("LA")
    return image


def test_a_16_bit_greyscale_photo_keeps_its_greys():
    scan = _grey_scan(1)
    assert scan.mode == "I;16"
    data = _encoded(scan)
    copy = photos.clean_copy(data)
    expected = mm.picture(1, size=(160, 120)).convert("L")
    assert copy.mode == "RGB"
    assert copy.convert("L").getextrema() == expected.getextrema()  # not all white
    assert copy.getpixel((5, 5))[0] == expected.getpixel((5, 5))
    # two different scans are two photos, not one white picture twice
    other = photos.photo_facts(_encoded(_grey_scan(2)))
    assert photos.hash_distance(photos.photo_facts(data).phash, other.phash) > photos.HASH_DISTANCE


def test_wide_and_floating_greys_are_scaled_not_clipped():
    import numpy as np

    ramp = np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8)

    def greys(values, mode):
        return photos.flatten(Image.fromarray(values, mode), "L").getextrema()

    assert greys(ramp, "F") == (0, 255)  # 0..1
    assert greys((ramp * 65535).astype(np.int32), "I") == (0, 255)  # 16-bit values
    assert greys((ramp * 200).astype(np.int32), "I") == (0, 200)  # 8-bit values: kept


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_a_transparent_background_comes_out_white_not_black(mode):
    poster = _poster(mode)
    assert poster.mode == mode
    copy = photos.clean_copy(_encoded(poster))
    assert copy.mode == "RGB"
    assert copy.getpixel((2, 2)) == (255, 255, 255)
    centre = copy.getpixel((60, 40))
    assert centre != (255, 255, 255) and centre != (0, 0, 0)


@pytest.mark.parametrize(
    ("mode", "fmt"), [("CMYK", "JPEG"), ("1", "PNG"), ("L", "PNG"), ("P", "GIF"), ("RGB", "WEBP")]
)
def test_photos_of_any_mode_come_out_rgb(mode, fmt):
    picture = mm.picture(3, size=(160, 120))
    image = picture.convert(mode)
    copy = photos.clean_copy(_encoded(image, fmt))
    assert copy.mode == "RGB" and copy.size == (160, 120)
    grey = copy.convert("L").getextrema()
    assert grey[1] - grey[0] > 50  # a picture, not one flat colour


def _materials(records):
    return pd.DataFrame(records, columns=["file", "reporting_unit", "round", "material", "taken_date",
                                          "state"])  # fmt: skip


def test_choice_takes_units_in_turn_and_skips_copies_and_unplaced():
    frame = _materials([
        ["s/a1.jpg", "长阳镇总工会", "r1", "photo", "", "current"],
        ["s/a2.jpg", "长阳镇总工会", "r1", "photo", "", "current"],
        ["s/a3.jpg", "长阳镇总工会", "r1", "photo", "", "current"],
        ["s/a4.jpg", "长阳镇总工会", "r1", "photo", "", "duplicate"],
        ["s/b1.jpg", "区教委工会", "r1", "photo", "", "current"],
        ["s/c1.jpg", "琉璃河镇总工会", "r2", "photo", "", "current"],
        ["s/c2.jpg", "琉璃河镇总工会", "r2", "photo", "", "current"],
        ["s/x.jpg", "", "", "photo", "", "current"],
        ["s/s.docx", "区教委工会", "r1", "summary", "", "current"],
    ])  # fmt: skip
    chosen = album.choose_across_units(album.current_photos(frame), 4)
    assert chosen["file"].tolist() == ["s/b1.jpg", "s/c1.jpg", "s/a1.jpg", "s/c2.jpg"]
    assert album.current_photos(frame, "r2")["file"].tolist() == ["s/c1.jpg", "s/c2.jpg"]


def _raw_with_photos(tmp_path, n_units: int = 4, per_unit: int = 3):
    raw = tmp_path / "raw"
    records = []
    for u in range(n_units):
        unit = f"单位{u}"
        members = {}
        for k in range(per_unit):
            name = f"{k}.jpg"
            members[f"{unit}/{name}"] = mm.jpeg(mm.picture(u * 10 + k), taken=f"2019:06:0{k + 1} 09:00:00",
                                                gps=True)  # fmt: skip
            records.append([f"submissions/u{u}.zip/{unit}/{name}", unit, "r1", "photo",
                            f"2019-06-0{k + 1}", "current"])  # fmt: skip
        (raw / "submissions").mkdir(parents=True, exist_ok=True)
        (raw / "submissions" / f"u{u}.zip").write_bytes(mm.zip_of(members))
    return raw, _materials(records)


def test_photo_slides_hold_nine_photos_across_units_without_metadata(tmp_path):
    from pptx import Presentation

    raw, frame = _raw_with_photos(tmp_path)
    deck_path = tmp_path / "deck.pptx"
    chosen = album.slide_photos(frame, raw, Limits())
    assert [p.reporting_unit for p in chosen] == ["单位0", "单位1", "单位2", "单位3"] * 2 + [
        "单位0"
    ]
    deck = Presentation()
    assert album.add_photo_slides(deck, chosen) == 2
    deck.save(str(deck_path))
    deck = Presentation(str(deck_path))
    pictures = [[s for s in slide.shapes if s.shape_type == 13] for slide in deck.slides]
    assert [len(p) for p in pictures] == [6, 3]
    assert all(_no_metadata(p.image.blob) for page in pictures for p in page)
    texts = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame]
    assert texts[0] == "图片选登（1）" and "单位0　2019年6月1日" in texts


def test_album_html_and_docx_grouped_by_unit_with_chinese_fonts(tmp_path):
    raw, frame = _raw_with_photos(tmp_path, n_units=2, per_unit=2)
    written = album.write_album(frame, raw, Limits(), tmp_path, "图片汇编")
    assert [p.name for p in written] == ["图片汇编.html", "图片汇编.docx"]
    page = written[0].read_text("utf-8")
    assert page.index("单位0（2张）") < page.index("单位1（2张）")
    assert page.count("<img") == 4 and "单位1　2019年6月2日" in page
    with zipfile.ZipFile(written[1]) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        media = [zf.read(n) for n in zf.namelist() if n.startswith("word/media/")]
    assert 'w:eastAsia="仿宋"' in body and body.index("单位0（2张）") < body.index("单位1（2张）")
    assert len(media) == 4 and all(_no_metadata(m) for m in media)


def test_no_album_without_placed_photos(tmp_path):
    frame = _materials([["s/x.jpg", "", "", "photo", "", "current"]])
    assert album.write_album(frame, tmp_path, Limits(), tmp_path, "图片汇编") == []


def test_album_says_which_received_photos_it_does_not_show(tmp_path):
    # 32 photos counted by the text, 31 in the album: the difference is said, not hidden.
    raw, frame = _raw_with_photos(tmp_path, n_units=2, per_unit=2)
    (raw / "s" / "broken.jpg").parent.mkdir(parents=True, exist_ok=True)
    (raw / "s" / "broken.jpg").write_bytes(b"\xff\xd8 not a photo")
    extra = _materials([
        ["s/x.jpg", "", "", "photo", "", "current"],  # no unit found for it
        ["s/broken.jpg", "单位0", "r1", "photo", "", "current"],  # cannot be opened
        ["s/y.jpg", "", "", "photo", "", "duplicate"],  # a copy: neither
    ])  # fmt: skip
    written = album.write_album(pd.concat([frame, extra]), raw, Limits(), tmp_path, "图片汇编")
    note = "另有图片1张未能确定报送单位、1张无法打开，未收入本汇编，见通报表“资料清单”。"
    assert note in written[0].read_text("utf-8")
    with zipfile.ZipFile(written[1]) as zf:
        assert note in zf.read("word/document.xml").decode("utf-8")
    (tmp_path / "all").mkdir()
    shown_all = album.write_album(frame, raw, Limits(), tmp_path / "all", "图片汇编")
    assert "另有图片" not in shown_all[0].read_text("utf-8")
